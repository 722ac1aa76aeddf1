// Runs with `node --test` inside the SDK 3 app test/sdk3.test.ts builds, on Node 22 and 24.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { HoneyHiveSpanExporter, HoneyHiveSpanProcessor } from 'honeyhive-otel-exporter';
import { startDevServer } from 'honeyhive-otel-exporter/dev-server';

const run = promisify(execFile);

async function withServer(fn) {
  const server = await startDevServer({ port: 0 });
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}

/** Runs app.mjs with a README telemetry snippet loaded first, as the README says to. */
function runApp(snippet, env) {
  return run(process.execPath, ['--import', `./${snippet}`, './app.mjs'], {
    env: { ...process.env, HH_API_KEY: 'test-key', ...env },
    timeout: 20_000,
  });
}

for (const snippet of ['nodesdk.mjs', 'tracer-provider-sdk3.mjs', 'exporter-sdk3.mjs']) {
  test(`README snippet ${snippet}: one session for the withSession unit of work, and the app exits`, () =>
    withServer(async (server) => {
      await runApp(snippet, { HH_API_URL: server.url });
      const sessions = server.store.sessions();
      assert.deepEqual(
        sessions.map((session) => [session.session_name, session.event_count]),
        [['Support chat', 2]],
      );
    }));
}

test('README NodeSDK snippet with HoneyHive unreachable: the app exits 0, soon, the failure logged', async () => {
  const started = Date.now();
  const { stderr } = await runApp('nodesdk.mjs', {
    HH_API_URL: 'http://127.0.0.1:9',
    HH_MAX_RETRIES: '0',
    HH_EXPORT_TIMEOUT_MS: '2000',
  });
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  assert.doesNotMatch(stderr, /Unhandled|UnhandledPromiseRejection/);
});

test('SDK 3 spans through HoneyHiveSpanExporter behind the SDK 3 BatchSpanProcessor({ exporter })', () =>
  withServer(async (server) => {
    const exporter = new HoneyHiveSpanExporter({ apiKey: 'k', serverUrl: server.url, traceSelection: 'all' });
    const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
    const tracer = provider.getTracer('sdk3-app', '3.0.0');
    const root = tracer.startSpan('workflow');
    const child = tracer.startSpan(
      'chat',
      { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' } },
      trace.setSpan(context.active(), root),
    );
    child.end();
    root.end();
    await provider.shutdown();
    const [summary] = server.store.sessions();
    assert.equal(summary?.event_count, 2);
    const tree = server.store.session(summary.session_id).tree;
    assert.equal(tree[0].event.event_name, 'workflow');
    assert.equal(tree[0].children[0].event.event_type, 'model');
    assert.equal(tree[0].event.metadata.scope_name, 'sdk3-app');
  }));

test('HoneyHiveSpanProcessor in an SDK 3 TracerProvider', () =>
  withServer(async (server) => {
    const provider = new TracerProvider({
      spanProcessors: [new HoneyHiveSpanProcessor({ apiKey: 'k', serverUrl: server.url, traceSelection: 'all' })],
    });
    provider.getTracer('sdk3-app').startSpan('one').end();
    await provider.shutdown();
    assert.equal(server.store.sessions()[0]?.event_count, 1);
  }));
