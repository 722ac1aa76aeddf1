import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startDevServer } from '../../src/dev-server/index';
import { AUTH_HEADERS, makeEvent } from './helpers';

/** Starts posting one event to a new session; the caller decides when to await the answer. */
function postOneEvent(url: string): Promise<Response> {
  const sessionId = randomUUID();
  return fetch(`${url}/session/${sessionId}/traces`, {
    method: 'POST',
    headers: AUTH_HEADERS,
    body: JSON.stringify({ events: [makeEvent(sessionId)] }),
  });
}

describe('dev server: lifecycle', () => {
  it('listens on 127.0.0.1 and a free port by default', async () => {
    const server = await startDevServer();
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    } finally {
      await server.close();
    }
  });

  it('close() promptly ends open keep-alive connections and hanging requests', async () => {
    const server = await startDevServer();
    const agent = new Agent({ keepAlive: true });
    try {
      // An idle keep-alive connection...
      const socketClosed = new Promise<void>((resolve) => {
        const req = request(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => req.socket?.once('close', () => resolve()));
        });
        req.end();
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'the connection is kept alive');

      // ...and a request that will never be answered.
      server.faults.push({ hang: true });
      const hanging = postOneEvent(server.url);
      await new Promise((resolve) => setTimeout(resolve, 50));

      const started = Date.now();
      await server.close();
      assert.ok(Date.now() - started < 1000, `close() took ${Date.now() - started} ms`);
      await assert.rejects(hanging, /fetch failed/);
      await socketClosed;
    } finally {
      agent.destroy();
      await server.close(); // a second close() is harmless
    }
  });

  it('close() cuts a delayed answer short', async () => {
    const server = await startDevServer();
    server.faults.push({ delayMs: 10_000 });
    const delayed = postOneEvent(server.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    await assert.rejects(delayed, /fetch failed/);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(server.store.events(), []);
  });

  it('rejects when the port is taken', async () => {
    const first = await startDevServer();
    try {
      await assert.rejects(startDevServer({ port: first.port }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
