/**
 * Trace selection through the whole exporter, over loopback to the dev
 * server: spans made by the real SDK under the scopes auto-instrumentations
 * use, handed over by a BatchSpanProcessor.
 */
import assert from 'node:assert/strict';
import { diag, DiagLogLevel, SpanKind, type DiagLogger } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from '../../src';
import { startDevServer, type DevServerHandle } from '../../src/dev-server';
import { TEST_API_KEY } from '../helpers/export';
import { startChild } from '../helpers/sdk-spans';

const HTTP = '@opentelemetry/instrumentation-http';
const PG = '@opentelemetry/instrumentation-pg';

describe('trace selection through the exporter', () => {
  let server: DevServerHandle;
  const providers: BasicTracerProvider[] = [];

  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });

  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
    await server.close();
    diag.disable();
  });

  function pipeline(options: HoneyHiveExporterOptions = {}) {
    const exporter = new HoneyHiveSpanExporter({
      apiKey: TEST_API_KEY,
      serverUrl: server.url,
      project: 'selection',
      ...options,
    });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 5 })],
    });
    providers.push(provider);
    const http = provider.getTracer(HTTP, '0.223.0');
    const pg = provider.getTracer(PG, '0.62.0');
    /** A request: HTTP server root, a query, and (when `llm`) a model call the app makes through its own tracer. */
    const request = (path: string, llm: boolean): void => {
      const root = http.startSpan(`GET ${path}`, { kind: SpanKind.SERVER, attributes: { 'url.path': path } });
      startChild(pg, 'pg.query:SELECT', root, { kind: SpanKind.CLIENT }).end();
      if (llm) {
        const app = provider.getTracer('support-bot');
        startChild(app, 'chat gpt-4o', root, {
          kind: SpanKind.CLIENT,
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
        }).end();
      }
      root.end();
    };
    const flush = async () => {
      await provider.forceFlush();
      return exporter.flush();
    };
    return { exporter, request, flush };
  }

  function storedNames(): string[] {
    return server.store
      .sessions()
      .flatMap((session) => server.store.session(session.session_id)?.events ?? [])
      .map((event) => String(event.event_name))
      .sort();
  }

  it('by default sends an LLM trace whole (HTTP root and query included) and skips a health check, counting it', async () => {
    const debugLines: string[] = [];
    const logger: DiagLogger = {
      debug: (...args) => debugLines.push(args.join(' ')),
      info: () => {},
      warn: () => {},
      error: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.DEBUG);
    const { exporter, request, flush } = pipeline();
    request('/health', false);
    request('/chat', true);
    request('/health', false);
    await flush();

    assert.deepEqual(storedNames(), ['GET /chat', 'chat gpt-4o', 'pg.query:SELECT']);
    const stats = exporter.getStats();
    assert.equal(stats.spansSkipped, 4);
    assert.equal(stats.tracesSkipped, 2);
    assert.equal(stats.spansReceived, 7);
    assert.equal(stats.eventsSent, 3);
    const explained = debugLines.filter((line) => line.includes('traceSelection'));
    assert.equal(explained.length, 1, 'explained once');
    assert.match(explained[0]!, /infrastructure instrumentations/);
  });

  it("traceSelection: 'all' sends every trace; a trace of infrastructure spans alone makes no request by default", async () => {
    const everything = pipeline({ traceSelection: 'all' });
    everything.request('/health', false);
    await everything.flush();
    assert.deepEqual(storedNames(), ['GET /health', 'pg.query:SELECT']);

    server.store.reset();
    const selective = pipeline();
    selective.request('/health', false);
    await selective.flush();
    assert.deepEqual(server.store.requests, []);
  });

  it('a selector function replaces the rule; one that throws exports its spans and warns once', async () => {
    const byPath = pipeline({ traceSelection: (span) => span.attributes['url.path'] === '/orders' });
    byPath.request('/orders', false);
    byPath.request('/health', false);
    await byPath.flush();
    assert.deepEqual(storedNames(), ['GET /orders', 'pg.query:SELECT']);

    server.store.reset();
    const warnings: string[] = [];
    diag.setLogger(
      {
        debug: () => {},
        info: () => {},
        warn: (...args) => warnings.push(args.join(' ')),
        error: () => {},
        verbose: () => {},
      },
      DiagLogLevel.WARN,
    );
    const throwing = pipeline({
      traceSelection: () => {
        throw new Error(`cannot decide, key ${TEST_API_KEY}`);
      },
    });
    throwing.request('/health', false);
    throwing.request('/health', false);
    await throwing.flush();
    assert.equal(storedNames().length, 4);
    const selectorWarnings = warnings.filter((line) => line.includes('traceSelection function threw'));
    assert.equal(selectorWarnings.length, 1);
    assert.ok(!selectorWarnings[0]!.includes(TEST_API_KEY), 'the API key never reaches a log line');
  });

  it('HH_TRACE_SELECTION=all turns selection off; a bad value in code throws, naming the option', async () => {
    process.env['HH_TRACE_SELECTION'] = 'all';
    try {
      const fromEnv = pipeline();
      fromEnv.request('/health', false);
      await fromEnv.flush();
      assert.equal(storedNames().length, 2);
    } finally {
      delete process.env['HH_TRACE_SELECTION'];
    }
    assert.throws(
      () => new HoneyHiveSpanExporter({ apiKey: TEST_API_KEY, traceSelection: 'none' as 'all' }),
      /traceSelection/,
    );
  });
});
