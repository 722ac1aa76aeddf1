import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { AUTH_HEADERS, makeEvent, postJson, useDevServer } from './helpers';

describe('dev server: fault injection', () => {
  const ctx = useDevServer();
  let sessionId: string;
  let path: string;
  const send = () => postJson(ctx.server, path, { events: [makeEvent(sessionId)] });

  beforeEach(() => {
    sessionId = randomUUID();
    path = `/session/${sessionId}/traces`;
  });

  it('answers the injected status with the error envelope and stores nothing', async () => {
    ctx.server.faults.push({ status: 503, headers: { 'retry-after': '2' } });
    const answer = await send();
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('retry-after'), '2');
    assert.deepEqual(answer.body, {
      statusCode: 503,
      message: 'injected fault: status 503',
      success: false,
      errorCode: 'INJECTED_FAULT',
    });
    assert.deepEqual(ctx.server.store.events(), []);
    const [logged] = ctx.server.store.requests;
    assert.equal(logged?.status, 503);
    assert.equal(logged?.faulted, true);
    assert.equal(logged?.event_count, 1);
    assert.equal(ctx.server.faults.pending, 0);

    assert.equal((await send()).status, 200, 'one use by default');
    assert.equal(ctx.server.store.events().length, 1);
  });

  it('answers a custom body: JSON, or plain text like a load balancer', async () => {
    ctx.server.faults.push(
      { status: 500, body: { event_ids: [], errors: ['x'], success: false } },
      { status: 502, body: 'Bad Gateway' },
    );
    assert.deepEqual((await send()).body, { event_ids: [], errors: ['x'], success: false });
    const response = await fetch(`${ctx.server.url}${path}`, { method: 'POST', headers: AUTH_HEADERS, body: '{}' });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(await response.text(), 'Bad Gateway');
  });

  it('applies a fault `times` times, only to matching paths', async () => {
    ctx.server.faults.push({ path: /\/events\/batch$/, status: 429, times: 2 });
    assert.equal((await send()).status, 200, 'the legacy route does not match');
    const batch = `/v1/sessions/${sessionId}/events/batch`;
    const { project: _project, ...event } = makeEvent(sessionId);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await postJson(ctx.server, batch, { events: [event] })).status);
    assert.deepEqual(statuses, [429, 429, 200]);

    ctx.server.faults.push({ path: '/session/start', status: 500 });
    assert.equal((await send()).status, 200, 'a string path must match exactly');
    assert.equal(ctx.server.faults.pending, 1);
    ctx.server.faults.clear();
    assert.equal(ctx.server.faults.pending, 0);
  });

  it('never faults the read-back routes', async () => {
    ctx.server.faults.push({ status: 500 });
    assert.equal((await fetch(`${ctx.server.url}/healthz`)).status, 200);
    assert.equal(ctx.server.faults.pending, 1);
  });

  it('delays the answer, then handles the request normally', async () => {
    ctx.server.faults.push({ delayMs: 150 });
    const started = Date.now();
    const answer = await send();
    assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
    assert.equal(answer.status, 200);
    assert.equal(ctx.server.store.events(sessionId).length, 1);
  });

  it('delays an injected status', async () => {
    ctx.server.faults.push({ delayMs: 100, status: 504 });
    const started = Date.now();
    assert.equal((await send()).status, 504);
    assert.ok(Date.now() - started >= 90);
    assert.deepEqual(ctx.server.store.events(), []);
  });

  it('hangs: never answers, so the client times out', async () => {
    ctx.server.faults.push({ hang: true });
    await assert.rejects(
      fetch(`${ctx.server.url}${path}`, {
        method: 'POST',
        headers: AUTH_HEADERS,
        body: JSON.stringify({ events: [makeEvent(sessionId)] }),
        signal: AbortSignal.timeout(200),
      }),
      (error: Error) => error.name === 'TimeoutError',
    );
    assert.deepEqual(ctx.server.store.events(), []);
    assert.equal(ctx.server.store.requests[0]?.status, null);
  });

  it('destroys the connection: the client sees a reset', async () => {
    ctx.server.faults.push({ destroy: true });
    await assert.rejects(send(), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.message, 'fetch failed');
      assert.ok(['ECONNRESET', 'UND_ERR_SOCKET'].includes(error.cause?.code ?? ''), `cause ${error.cause?.code}`);
      return true;
    });
    assert.deepEqual(ctx.server.store.events(), []);
    assert.equal(ctx.server.store.requests[0]?.status, null);
    assert.equal(ctx.server.store.requests[0]?.faulted, true);
    assert.equal((await send()).status, 200, 'the next request goes through');
  });

  it('rejects faults that cannot be applied', () => {
    assert.throws(() => ctx.server.faults.push({ times: 0 }), /fault.times must be at least 1; got 0/);
    assert.throws(() => ctx.server.faults.push({ status: 99 }), /fault.status must be an HTTP status/);
  });
});
