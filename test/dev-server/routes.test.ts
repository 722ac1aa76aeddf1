import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { getJson, makeEvent, makeSession, makeV1Session, postJson, sessionStartAnswer, useDevServer } from './helpers';

describe('dev server: routes', () => {
  const ctx = useDevServer();

  it('POST /session/start answers the session event (PostSessionStartResponse) and stores the session', async () => {
    const session = makeSession();
    const answer = await postJson(ctx.server, '/session/start', { session });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, sessionStartAnswer(session));
    const stored = ctx.server.store.session(session['session_id'] as string);
    assert.equal(stored?.started, true);
    assert.equal(stored?.session.session_name, 'test-session');
  });

  it('POST /session/start without a session_id generates one, like HoneyHive', async () => {
    const answer = await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: undefined }) });
    assert.equal(answer.status, 200);
    assert.match(answer.body.session_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(ctx.server.store.sessions()[0]?.session_id, answer.body.session_id);
  });

  it('POST /v1/sessions answers the session event and merges metadata and user_properties on a repeat', async () => {
    const session = makeV1Session({ metadata: { a: 1, b: 1 }, user_properties: { user: 'u1' } });
    const first = await postJson(ctx.server, '/v1/sessions', session);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, sessionStartAnswer(session));

    const repeat = await postJson(ctx.server, '/v1/sessions', {
      ...session,
      session_name: 'renamed',
      metadata: { b: 2, c: 3 },
      user_properties: { plan: 'pro' },
    });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.event_name, 'test-session', 'a repeat keeps the first start');
    assert.deepEqual(repeat.body.metadata, { a: 1, b: 2, c: 3 });
    assert.deepEqual(repeat.body.user_properties, { user: 'u1', plan: 'pro' });
    assert.equal(ctx.server.store.sessions().length, 1);
    assert.deepEqual(ctx.server.store.warnings(session['session_id'] as string), []);
  });

  it('POST /session/{id}/traces stores events sent as events', async () => {
    const session = makeSession();
    const sessionId = session['session_id'] as string;
    await postJson(ctx.server, '/session/start', { session });
    const events = [makeEvent(sessionId), makeEvent(sessionId)];
    const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, { events });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { success: true });
    assert.deepEqual(ctx.server.store.events(sessionId), events);
  });

  it('POST /session/{id}/traces accepts the legacy logs spelling and fills in missing ids', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, { logs: [{ event_name: 'bare' }] });
    assert.equal(answer.status, 200);
    const [stored] = ctx.server.store.events(sessionId);
    assert.equal(stored?.event_name, 'bare');
    assert.equal(stored?.session_id, sessionId);
    assert.match(stored?.event_id ?? '', /^[0-9a-f-]{36}$/);
  });

  it('POST /v1/sessions/{id}/events/batch stores events, the path session id winning', async () => {
    const sessionId = randomUUID();
    const otherSessionId = randomUUID();
    await postJson(ctx.server, '/v1/sessions', makeV1Session({ session_id: sessionId }));
    const event = makeEvent(otherSessionId, { parent_id: sessionId });
    const answer = await postJson(ctx.server, `/v1/sessions/${sessionId}/events/batch`, { events: [event] });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { success: true });
    const [stored] = ctx.server.store.events(sessionId);
    assert.equal(stored?.session_id, sessionId);
    assert.deepEqual(
      ctx.server.store.warnings(sessionId).map((warning) => warning.kind),
      ['session-id-overridden'],
    );
    assert.deepEqual(ctx.server.store.events(otherSessionId), []);
  });

  it('GET /healthz answers ok', async () => {
    const answer = await getJson(ctx.server, '/healthz');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { success: true, status: 'ok' });
  });

  it('GET /sessions lists sessions with counts and times', async () => {
    const session = makeSession({ start_time: undefined });
    const sessionId = session['session_id'] as string;
    await postJson(ctx.server, '/session/start', { session });
    await postJson(ctx.server, `/session/${sessionId}/traces`, {
      events: [
        makeEvent(sessionId, { start_time: 1_700_000_000_100, end_time: 1_700_000_000_200 }),
        makeEvent(sessionId, { start_time: 1_700_000_000_050, end_time: 1_700_000_000_300 }),
      ],
    });
    const answer = await getJson(ctx.server, '/sessions');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, {
      sessions: [
        {
          session_id: sessionId,
          session_name: 'test-session',
          project: 'demo',
          source: 'dev',
          started: true,
          event_count: 2,
          error_count: 0,
          start_time: 1_700_000_000_050,
          end_time: 1_700_000_000_300,
          duration: 250,
          warnings_count: 0,
          duplicates: 0,
        },
      ],
      dropped: { sessions: 0, events: 0, requests: 0, request_bodies: 0 },
    });
  });

  it('GET /sessions/{id} answers the session, its events and the tree; unknown sessions are 404', async () => {
    const session = makeSession();
    const sessionId = session['session_id'] as string;
    await postJson(ctx.server, '/session/start', { session });
    const chain = makeEvent(sessionId, { event_type: 'chain', event_name: 'workflow' });
    const tool = makeEvent(sessionId, { event_name: 'retrieve', parent_id: chain['event_id'] });
    const model = makeEvent(sessionId, {
      event_type: 'model',
      event_name: 'chat',
      parent_id: chain['event_id'],
      start_time: 1_700_000_000_005,
    });
    const other = makeEvent(sessionId, { event_name: 'second-root', start_time: 1_700_000_000_001 });
    // Children first, as exporters send them.
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [model, tool] });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [other, chain] });

    const answer = await getJson(ctx.server, `/sessions/${sessionId}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.session, session);
    assert.equal(answer.body.started, true);
    assert.deepEqual(answer.body.events, [model, tool, other, chain]);
    assert.deepEqual(answer.body.warnings, []);
    assert.equal(answer.body.duplicates, 0);
    assert.deepEqual(answer.body.tree, [
      {
        event: chain,
        children: [
          { event: tool, children: [] },
          { event: model, children: [] },
        ],
      },
      { event: other, children: [] },
    ]);
    assert.deepEqual(ctx.server.store.tree(sessionId), answer.body.tree);

    const missing = await getJson(ctx.server, `/sessions/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errorCode, 'SESSION_NOT_FOUND');
  });

  it('an unknown route answers 404 in the error envelope', async () => {
    const answer = await postJson(ctx.server, '/v1/events/export', { events: [] });
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, {
      statusCode: 404,
      message: 'no route for POST /v1/events/export',
      success: false,
      errorCode: 'ROUTE_NOT_FOUND',
    });
    const wrongMethod = await getJson(ctx.server, '/session/start');
    assert.equal(wrongMethod.status, 404);
    assert.equal(wrongMethod.body.message, 'no route for GET /session/start');
  });

  it('logs every request with the Authorization value redacted', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [makeEvent(sessionId)] });
    await getJson(ctx.server, '/sessions');
    const [post, get] = ctx.server.store.requests;
    assert.equal(post?.method, 'POST');
    assert.equal(post?.path, `/session/${sessionId}/traces`);
    assert.equal(post?.status, 200);
    assert.equal(post?.event_count, 1);
    assert.equal(post?.headers['authorization'], '[redacted]');
    assert.equal(post?.faulted, false);
    assert.ok((post?.body_bytes ?? 0) > 0);
    assert.equal(get?.method, 'GET');
    assert.equal(get?.headers['authorization'], undefined);
    assert.ok(!JSON.stringify(ctx.server.store.requests).includes('test-key'), 'the key never reaches the log');
  });

  it('reset() forgets sessions and requests', async () => {
    await postJson(ctx.server, '/session/start', { session: makeSession() });
    ctx.server.store.reset();
    assert.deepEqual(ctx.server.store.sessions(), []);
    assert.deepEqual(ctx.server.store.requests, []);
  });

  it('store answers are copies', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [makeEvent(sessionId)] });
    const [event] = ctx.server.store.events(sessionId);
    assert.ok(event);
    event.event_name = 'mutated';
    assert.equal(ctx.server.store.events(sessionId)[0]?.event_name, 'step');
  });
});
