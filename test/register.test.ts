/**
 * Zero-code start on this machine's Node and OpenTelemetry SDK 2 (the SDK 3
 * line on Node 22 and 24 is test/sdk3/register.test.mjs): an app with no
 * tracing code (test/register/app.mjs, app.cjs) run as a child process with
 * `--import` or `--require honeyhive-otel-exporter/register`, against the
 * local HoneyHive-compatible server and a fake OpenAI server on loopback.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import path from 'node:path';
import { startDevServer, type DevServerHandle } from '../src/dev-server';
import { startFakeModelServer, type FakeModelServer } from '../examples/shared/fake-model-server';
import { ROOT } from './helpers/npm';
import { assertOneAskSession, runApp as runRegisteredApp, type RunningApp } from './register/run-app';

/** Runs test/register/<app> with this machine's Node, from the checkout (SDK 2 devDependencies). */
function runApp(flag: '--import' | '--require', app: string, env: Record<string, string>): Promise<RunningApp> {
  return runRegisteredApp({ flag, app: path.join('test', 'register', app), cwd: ROOT, env });
}

describe('zero-code start: honeyhive-otel-exporter/register', function () {
  this.timeout(60_000);
  let honeyhive: DevServerHandle;
  let model: FakeModelServer;

  beforeEach(async () => {
    [honeyhive, model] = await Promise.all([startDevServer({ port: 0 }), startFakeModelServer()]);
  });

  afterEach(async () => {
    await Promise.all([honeyhive.close(), model.close()]);
  });

  function tracingEnv(): Record<string, string> {
    return { HH_API_KEY: 'test-key', HH_API_URL: honeyhive.url, OPENAI_BASE_URL: model.baseURL };
  }

  it('--import, an ES module app: static imports of openai and node:http traced, one session, flushed on SIGTERM', async () => {
    const app = await runApp('--import', 'app.mjs', tracingEnv());
    assert.match(app.answer, /The answer is 42/);
    const exit = await app.stop('SIGTERM');
    assert.equal(exit.signal, 'SIGTERM', 'the signal is raised again once flushed, ending the app as it would have');
    assert.equal(exit.stderr, '');
    assertOneAskSession(honeyhive.store);
  });

  it('--require, a CommonJS app: the same session, flushed on SIGINT', async () => {
    const app = await runApp('--require', 'app.cjs', tracingEnv());
    const exit = await app.stop('SIGINT');
    assert.equal(exit.signal, 'SIGINT');
    assert.equal(exit.stderr, '');
    assertOneAskSession(honeyhive.store);
  });

  it('an app that ends by itself is flushed at beforeExit', async () => {
    const app = await runApp('--require', 'app.cjs', { ...tracingEnv(), CLOSE_AFTER_ASK: '1' });
    const exit = await app.exited;
    assert.deepEqual([exit.code, exit.signal], [0, null]);
    assertOneAskSession(honeyhive.store);
  });

  it("registeredProcessor() is register's processor: the app flushes and adds feedback to its session", async () => {
    const app = await runApp('--require', 'app.cjs', { ...tracingEnv(), ENRICH_AFTER_ASK: '1' });
    const enriched = await app.output(/enriched (.*)/);
    assert.equal(enriched[1], JSON.stringify({ ok: true }));
    const exit = await app.stop('SIGTERM');
    assert.equal(exit.stderr, '');
    assertOneAskSession(honeyhive.store);
    const [session] = honeyhive.store.sessions();
    assert.deepEqual(honeyhive.store.session(session!.session_id)!.session.feedback, { rating: 5 });
  });

  it('HH_API_KEY unset: one line says it is not tracing and why, and the app runs untraced', async () => {
    const app = await runApp('--import', 'app.mjs', { HH_API_URL: honeyhive.url, OPENAI_BASE_URL: model.baseURL });
    assert.match(app.answer, /The answer is 42/);
    const exit = await app.stop('SIGTERM');
    assert.equal(exit.signal, 'SIGTERM');
    assert.match(
      exit.stderr,
      /^honeyhive-otel-exporter\/register: not tracing: HoneyHive exporter: no API key\. Set HH_API_KEY, .*\n$/,
    );
    assert.deepEqual(honeyhive.store.sessions(), []);
  });

  it('a bad HH_* value is warned about and replaced by its default; tracing goes on', async () => {
    const app = await runApp('--import', 'app.mjs', { ...tracingEnv(), HH_MAX_RETRIES: 'lots' });
    const exit = await app.stop('SIGTERM');
    assert.match(exit.stderr, /HH_MAX_RETRIES/);
    assert.equal(exit.stderr.trim().split('\n').length, 1, exit.stderr);
    assertOneAskSession(honeyhive.store);
  });

  it('HoneyHive never answering: SIGTERM still ends the app within the export deadline, the failure logged, no rejection', async () => {
    // Accepts connections and never answers them.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const app = await runApp('--import', 'app.mjs', {
        ...tracingEnv(),
        HH_API_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        HH_MAX_RETRIES: '0',
        HH_EXPORT_TIMEOUT_MS: '2000',
      });
      const stopping = Date.now();
      const exit = await app.stop('SIGTERM');
      assert.equal(exit.signal, 'SIGTERM');
      assert.ok(Date.now() - stopping < 10_000, `took ${Date.now() - stopping} ms`);
      assert.match(exit.stderr, /4 events for session [0-9a-f-]{36} not sent/);
      assert.doesNotMatch(exit.stderr, /Unhandled|UnhandledPromiseRejection/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
