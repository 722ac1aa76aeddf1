import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider as BasicTracerProviderV1,
  BatchSpanProcessor as BatchSpanProcessorV1,
} from 'sdk-trace-base-v1';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter } from '../src';
import { startDevServer, type DevServerHandle } from '../src/dev-server';
import { TEST_API_KEY } from './helpers/export';

describe('compatibility', () => {
  let server: DevServerHandle;
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('works as the exporter of an OpenTelemetry SDK 1.x tracer provider', async () => {
    const exporter = new HoneyHiveSpanExporter({ apiKey: TEST_API_KEY, serverUrl: server.url, project: 'legacy' });
    const provider = new BasicTracerProviderV1();
    // The 1.x processor types its exporter with its own (structurally identical) interfaces.
    provider.addSpanProcessor(
      new BatchSpanProcessorV1(exporter as unknown as ConstructorParameters<typeof BatchSpanProcessorV1>[0]),
    );
    const tracer = provider.getTracer('legacy-app', '1.0.0');
    const root = tracer.startSpan('legacy-workflow');
    const child = tracer.startSpan(
      'legacy-step',
      { attributes: { 'gen_ai.operation.name': 'chat' } },
      trace.setSpan(context.active(), root),
    );
    child.end();
    root.end();
    await provider.shutdown();

    const [summary] = server.store.sessions();
    assert.equal(summary?.event_count, 2);
    assert.equal(summary?.session_name, 'legacy-workflow');
    const details = server.store.session(summary!.session_id)!;
    assert.deepEqual(details.warnings, []);
    assert.equal(details.tree[0]!.event.event_name, 'legacy-workflow');
    assert.equal(details.tree[0]!.children[0]!.event.event_type, 'model');
    assert.equal(details.tree[0]!.event.metadata!.scope_name, 'legacy-app');
  });

  it('satisfies the SpanExporter interface of SDK 2.x at compile time', () => {
    const exporter: SpanExporter = new HoneyHiveSpanExporter({ apiKey: TEST_API_KEY, serverUrl: server.url });
    assert.equal(typeof exporter.forceFlush, 'function');
    return exporter.shutdown();
  });
});
