/**
 * Hostile bodies and long runs: a bad body gets a 400 and changes nothing, the
 * store stays readable, and everything it keeps is bounded and says when it drops.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { MAX_JSON_DEPTH } from '../../src/dev-server';
import { MAX_TREE_DEPTH } from '../../src/dev-server/tree';
import { getJson, makeEvent, makeSession, postJson, useDevServer } from './helpers';

/** `{"a":{"a":...}}` nested `levels` deep, as text (JSON.stringify itself would overflow the stack). */
function nestedObject(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('dev server: hostile bodies', () => {
  const ctx = useDevServer();

  it('a body nested 10,000 levels deep gets a 400 on every route, stores nothing, and the log stays readable', async () => {
    const sessionId = randomUUID();
    const deep = nestedObject(10_000);
    const bodies: Array<[string, string]> = [
      ['/session/start', `{"session":{"session_id":"${sessionId}","metadata":${deep}}}`],
      [`/session/${sessionId}/traces`, `{"events":[{"inputs":${deep}}]}`],
      [`/v1/sessions/${sessionId}/events/batch`, `{"events":[{"event_type":"tool","inputs":${deep}}]}`],
      ['/v1/events/batch', `{"events":[{"event_type":"tool","session_id":"${sessionId}","inputs":${deep}}]}`],
      ['/v1/sessions', `[${deep}]`],
    ];
    for (const [path, body] of bodies) {
      const answer = await postJson(ctx.server, path, body);
      assert.equal(answer.status, 400, path);
      assert.equal(answer.body.errorCode, 'JSON_TOO_DEEP');
      assert.equal(
        answer.body.message,
        `request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels, the dev server's limit`,
      );
    }
    assert.deepEqual(ctx.server.store.sessions(), [], 'no empty session record is left behind');
    const requests = ctx.server.store.requests;
    assert.equal(requests.length, bodies.length);
    assert.ok(requests.every((request) => request.status === 400 && request.body === undefined));
    assert.equal((await getJson(ctx.server, '/sessions')).status, 200);
  });

  it('nesting up to the limit is taken, brackets inside strings do not count', async () => {
    const sessionId = randomUUID();
    // The body and events list take two levels, the event a third.
    const inputs = nestedObject(MAX_JSON_DEPTH - 3);
    const brackets = JSON.stringify('[{'.repeat(500));
    const body = `{"events":[{"inputs":${inputs},"event_name":${brackets}}]}`;
    assert.equal((await postJson(ctx.server, `/session/${sessionId}/traces`, body)).status, 200);
    const tooDeep = `{"events":[{"inputs":${nestedObject(MAX_JSON_DEPTH - 2)}}]}`;
    assert.equal((await postJson(ctx.server, `/session/${sessionId}/traces`, tooDeep)).status, 400);
    assert.equal(ctx.server.store.events(sessionId).length, 1);
  });

  it('GET /sessions answers a session of 150,000 events that was never started', async function () {
    this.timeout(30_000);
    const sessionId = randomUUID();
    const event = '{"start_time":1700000000000,"end_time":1700000000001}';
    // Two requests, each within the 5 MB body limit.
    const body = `{"events":[${Array.from({ length: 75_000 }, () => event).join(',')}]}`;
    for (let half = 0; half < 2; half++) {
      assert.equal((await postJson(ctx.server, `/session/${sessionId}/traces`, body)).status, 200);
    }
    const answer = await getJson(ctx.server, '/sessions');
    assert.equal(answer.status, 200);
    const [summary] = answer.body.sessions;
    assert.deepEqual(
      [summary.event_count, summary.started, summary.start_time, summary.end_time],
      [150_000, false, 1_700_000_000_000, 1_700_000_000_001],
    );
  });

  it('a chain of 20,000 parents reads back without overflowing the stack', async function () {
    this.timeout(30_000);
    const sessionId = randomUUID();
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    const events = ids.map((id, index) => ({ event_id: id, parent_id: index === 0 ? sessionId : ids[index - 1] }));
    assert.equal((await postJson(ctx.server, `/session/${sessionId}/traces`, { events })).status, 200);
    assert.equal((await getJson(ctx.server, '/sessions')).status, 200);
    const details = await getJson(ctx.server, `/sessions/${sessionId}`);
    assert.equal(details.status, 200);
    const kinds = ctx.server.store.warnings(sessionId).map((warning) => warning.kind);
    assert.deepEqual(kinds.slice(0, 2), ['session-not-started', 'tree-too-deep']);
    assert.equal(kinds.length, 1 + Math.floor((ids.length - 1) / MAX_TREE_DEPTH));
    // The top of the tree: the first event, then every 100th lifted with its descendants.
    assert.equal(details.body.tree.length, Math.ceil(ids.length / MAX_TREE_DEPTH));
  });
});

describe('dev server: bounded store', () => {
  describe('request log', () => {
    const lines: string[] = [];
    const ctx = useDevServer({
      limits: { maxLoggedRequests: 3, maxLoggedBodyBytes: 400 },
      print: (line) => lines.push(line),
      quiet: true,
    });
    beforeEach(() => {
      lines.length = 0;
    });

    it('keeps the last maxLoggedRequests requests, counts the rest, and says so once', async () => {
      for (let index = 0; index < 5; index++) await getJson(ctx.server, `/healthz?n=${index}`);
      const requests = ctx.server.store.requests;
      assert.deepEqual(
        requests.map((request) => request.path),
        ['/healthz?n=2', '/healthz?n=3', '/healthz?n=4'],
      );
      assert.equal(ctx.server.store.dropped.requests, 2);
      assert.deepEqual(
        lines.filter((line) => line.includes('request log')),
        [
          '! dev server: the request log keeps the last 3 requests; dropping the oldest (requests dropped are counted in GET /sessions "dropped")',
        ],
      );
    });

    it('keeps at most maxLoggedBodyBytes of bodies, the oldest losing theirs first', async () => {
      const sessionId = randomUUID();
      const session = { session: makeSession({ session_id: sessionId }) }; // about 150 bytes
      for (let index = 0; index < 3; index++) await postJson(ctx.server, '/session/start', session);
      const requests = ctx.server.store.requests;
      assert.deepEqual(
        requests.map((request) => request.body !== undefined),
        [false, true, true],
      );
      assert.equal(ctx.server.store.dropped.request_bodies, 1);
      const big = { session: makeSession({ metadata: { text: 'x'.repeat(500) } }) };
      assert.equal((await postJson(ctx.server, '/session/start', big)).status, 200);
      assert.equal(ctx.server.store.requests.at(-1)?.body, undefined, 'a body over the whole bound is not kept');
      assert.equal(ctx.server.store.dropped.request_bodies, 2);
    });
  });

  describe('sessions and events', () => {
    const ctx = useDevServer({ limits: { maxSessions: 2, maxEvents: 4 } });

    it('drops the oldest session past maxSessions and counts it', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: id }) });
      assert.deepEqual(
        ctx.server.store.sessions().map((summary) => summary.session_id),
        ids.slice(1),
      );
      const answer = await getJson(ctx.server, '/sessions');
      assert.deepEqual(answer.body.dropped, { sessions: 1, events: 0, requests: 0, request_bodies: 0 });
    });

    it("drops the oldest sessions' events first, then the current session's oldest, past maxEvents", async () => {
      const [older, current] = [randomUUID(), randomUUID()];
      await postJson(ctx.server, `/session/${older}/traces`, { events: [makeEvent(older), makeEvent(older)] });
      const events = Array.from({ length: 5 }, () => makeEvent(current));
      await postJson(ctx.server, `/session/${current}/traces`, { events });
      assert.deepEqual(
        ctx.server.store.sessions().map((summary) => summary.session_id),
        [current],
      );
      assert.deepEqual(
        ctx.server.store.events(current).map((event) => event.event_id),
        events.slice(1).map((event) => event['event_id']),
      );
      assert.deepEqual(ctx.server.store.dropped, { sessions: 1, events: 3, requests: 0, request_bodies: 0 });
      // A dropped event can no longer be updated; a kept one can.
      const put = (id: unknown) =>
        fetch(`${ctx.server.url}/v1/events/${String(id)}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
          body: '{"metadata":{"a":1}}',
        });
      assert.equal((await put(events[0]!['event_id'])).status, 404);
      assert.equal((await put(events[1]!['event_id'])).status, 200);
    });
  });
});
