// Zero-code start on OpenTelemetry SDK 3: runs with `node --test` inside the SDK 3 app test/sdk3.test.ts
// builds, on Node 22 and 24, with register's peers on their SDK 3 versions. The apps and helpers are the
// ones test/register.test.ts uses (copied beside this file; Node strips their types). The app's working
// directory is the SDK 3 app's, where the test runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDevServer } from 'honeyhive-otel-exporter/dev-server';
import { startFakeModelServer } from './fake-model-server.ts';
import { assertOneAskSession, runApp } from './run-app.ts';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

async function withBackends(fn) {
  const [honeyhive, model] = await Promise.all([startDevServer({ port: 0 }), startFakeModelServer()]);
  try {
    return await fn({
      honeyhive,
      env: { HH_API_KEY: 'test-key', HH_API_URL: honeyhive.url, OPENAI_BASE_URL: model.baseURL },
    });
  } finally {
    await Promise.all([honeyhive.close(), model.close()]);
  }
}

test('--import, an ES module app: static imports of openai and node:http traced, one session, flushed on SIGTERM', () =>
  withBackends(async ({ honeyhive, env }) => {
    const app = await runApp({ flag: '--import', app: here('./app.mjs'), cwd: process.cwd(), env });
    const exit = await app.stop('SIGTERM');
    assert.equal(exit.signal, 'SIGTERM');
    assert.equal(exit.stderr, '');
    assertOneAskSession(honeyhive.store);
  }));

test('--require, a CommonJS app that ends by itself: the same session, flushed at beforeExit', () =>
  withBackends(async ({ honeyhive, env }) => {
    const app = await runApp({
      flag: '--require',
      app: here('./app.cjs'),
      cwd: process.cwd(),
      env: { ...env, CLOSE_AFTER_ASK: '1' },
    });
    const exit = await app.exited;
    assert.deepEqual([exit.code, exit.signal, exit.stderr], [0, null, '']);
    assertOneAskSession(honeyhive.store);
  }));
