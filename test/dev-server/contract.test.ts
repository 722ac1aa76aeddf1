/**
 * The dev server against HoneyHive's published contract (Data Plane API 1.2.1),
 * route by route: each case is a request the spec accepts or refuses, written
 * by hand from the route's schema, and the status the dev server must answer.
 * Accepted cases also name the warnings expected (what HoneyHive accepts but
 * mishandles); refused ones change nothing.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { formatSessionTree, type WarningKind } from '../../src/dev-server';
import {
  AUTH_HEADERS,
  makeEvent,
  makeSession,
  makeV1Session,
  postJson,
  putJson,
  sessionStartAnswer,
  useDevServer,
  type JsonAnswer,
} from './helpers';

/** The ids a case may use: a fresh session, and a started one holding one event. */
interface Ids {
  fresh: string;
  started: string;
  event: string;
}

interface ContractCase {
  /** What the spec says, briefly. */
  name: string;
  method: 'POST' | 'PUT';
  path: (ids: Ids) => string;
  body: (ids: Ids) => unknown;
  status: 200 | 400 | 404;
  /** For accepted cases: the warning kinds the request adds (to the session it names). */
  warns?: WarningKind[];
}

/** An event as v1 takes it (PostEventRequest: no project). */
function v1Event(sessionId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return makeEvent(sessionId, overrides);
}

const CASES: Record<string, ContractCase[]> = {
  'POST /session/start (LegacyStartSessionRequest)': [
    {
      name: 'a session with no fields: no property is required',
      method: 'POST',
      path: () => '/session/start',
      body: () => ({ session: {} }),
      status: 200,
    },
    {
      name: 'project, fields the schema does not list, and top-level fields beside session (passthrough)',
      method: 'POST',
      path: () => '/session/start',
      body: (ids) => ({ session: makeSession({ session_id: ids.fresh, tags: ['a'] }), trace: true }),
      status: 200,
      warns: ['unknown-field', 'unknown-field'],
    },
    {
      name: 'no session',
      method: 'POST',
      path: () => '/session/start',
      body: () => ({ session_name: 'x' }),
      status: 400,
    },
    {
      name: 'start_time as a string (type: number)',
      method: 'POST',
      path: () => '/session/start',
      body: () => ({ session: makeSession({ start_time: '2024-01-01' }) }),
      status: 400,
    },
    {
      name: 'children_ids holding a number (array of strings)',
      method: 'POST',
      path: () => '/session/start',
      body: () => ({ session: makeSession({ children_ids: [1] }) }),
      status: 400,
    },
  ],
  'POST /v1/sessions (StartSessionRequest, additionalProperties: false)': [
    {
      name: 'an empty object: no property is required',
      method: 'POST',
      path: () => '/v1/sessions',
      body: () => ({}),
      status: 200,
    },
    {
      name: 'every listed field',
      method: 'POST',
      path: () => '/v1/sessions',
      body: (ids) =>
        makeV1Session({
          session_id: ids.fresh,
          event_name: 'e',
          end_time: 1_700_000_000_500,
          duration: 500,
          config: {},
          inputs: { q: 1 },
          outputs: { a: 2 },
          metadata: {},
          user_properties: {},
          children_ids: [randomUUID()],
        }),
      status: 200,
    },
    ...['project', 'error', 'metrics', 'feedback', 'tenant'].map((field): ContractCase => ({
      name: `${field}: not a field of StartSessionRequest`,
      method: 'POST',
      path: () => '/v1/sessions',
      body: () => ({ ...makeV1Session(), [field]: field === 'error' ? 'boom' : field === 'project' ? 'p' : {} }),
      status: 400,
    })),
    {
      name: 'metadata as an array',
      method: 'POST',
      path: () => '/v1/sessions',
      body: () => makeV1Session({ metadata: [] }),
      status: 400,
    },
  ],
  'POST /session/{session_id}/traces (AddSessionTracesRequest, LegacyEvent)': [
    {
      name: 'an event with no fields: LegacyEvent requires none',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: () => ({ events: [{}] }),
      status: 200,
    },
    {
      name: 'project and project_id on an event',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(ids.started, { project: 'p', project_id: 'id' })] }),
      status: 200,
    },
    {
      name: 'unknown fields on events and beside them (passthrough)',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(ids.started, { span_id: 'a' })], batch: 1 }),
      status: 200,
      warns: ['unknown-field', 'unknown-field'],
    },
    {
      name: 'a path session id that is not a UUID (the path is type: string)',
      method: 'POST',
      path: () => '/session/my-session/traces',
      body: () => ({ events: [makeEvent('my-session')] }),
      status: 200,
      warns: ['non-uuid-id'],
    },
    {
      name: 'event ids that are not UUIDs (type: string)',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(ids.started, { event_id: 'span-1', parent_id: 'span-0' })] }),
      status: 200,
      warns: ['non-uuid-id', 'non-uuid-id', 'dangling-parent'],
    },
    {
      name: "an event's session_id other than the path's",
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(randomUUID(), { parent_id: ids.started })] }),
      status: 200,
      warns: ['session-id-overridden'],
    },
    {
      name: 'the deprecated logs instead of events',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ logs: [makeEvent(ids.started)] }),
      status: 200,
    },
    {
      name: 'neither events nor logs',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: () => ({}),
      status: 400,
    },
    {
      name: 'both events and logs',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: () => ({ events: [], logs: [] }),
      status: 400,
    },
    {
      name: 'event_type outside the enum',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(ids.started, { event_type: 'llm' })] }),
      status: 400,
    },
    {
      name: 'error as an object (string or null)',
      method: 'POST',
      path: (ids) => `/session/${ids.started}/traces`,
      body: (ids) => ({ events: [makeEvent(ids.started, { error: { message: 'x' } })] }),
      status: 400,
    },
  ],
  'POST /v1/sessions/{session_id}/events/batch (SessionEventBatchRequest, PostEventRequest)': [
    {
      name: 'events with event_type and inputs, project_id included',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: (ids) => ({ events: [v1Event(ids.started, { project_id: 'id' })] }),
      status: 200,
    },
    {
      name: 'only the two required fields',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: () => ({ events: [{ event_type: 'chain', inputs: {} }] }),
      status: 200,
    },
    {
      name: 'an upper-case UUID in the path (format: uuid)',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started.toUpperCase()}/events/batch`,
      body: () => ({ events: [] }),
      status: 200,
    },
    {
      name: 'a path id that is not a UUID',
      method: 'POST',
      path: () => '/v1/sessions/my-session/events/batch',
      body: () => ({ events: [] }),
      status: 400,
    },
    {
      name: 'a per-event project',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: (ids) => ({ events: [v1Event(ids.started, { project: 'p' })] }),
      status: 400,
    },
    {
      name: 'an unknown per-event field',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: (ids) => ({ events: [v1Event(ids.started, { span_id: 'a' })] }),
      status: 400,
    },
    {
      name: 'an event without inputs',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: () => ({ events: [{ event_type: 'tool' }] }),
      status: 400,
    },
    {
      name: 'an event without event_type',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: () => ({ events: [{ inputs: {} }] }),
      status: 400,
    },
    {
      name: 'an unknown top-level field',
      method: 'POST',
      path: (ids) => `/v1/sessions/${ids.started}/events/batch`,
      body: () => ({ events: [], single_session: true }),
      status: 400,
    },
  ],
  'POST /v1/events/batch (PostEventBatchRequest, additionalProperties: false)': [
    {
      name: 'events alone',
      method: 'POST',
      path: () => '/v1/events/batch',
      body: (ids) => ({ events: [v1Event(ids.started)] }),
      status: 200,
    },
    {
      name: 'single_session with session_properties, whose unlisted fields pass',
      method: 'POST',
      path: () => '/v1/events/batch',
      body: () => ({
        events: [{ event_type: 'tool', inputs: {} }],
        single_session: true,
        session_properties: { session_name: 's', start_time: 1_700_000_000_000, metadata: {}, source: 'dev' },
      }),
      status: 200,
      warns: ['unknown-field'],
    },
    {
      name: 'no events',
      method: 'POST',
      path: () => '/v1/events/batch',
      body: () => ({ single_session: true }),
      status: 400,
    },
    ...['is_single_session', 'session'].map((alias): ContractCase => ({
      name: `the legacy alias ${alias}`,
      method: 'POST',
      path: () => '/v1/events/batch',
      body: () => ({ events: [], [alias]: alias === 'session' ? {} : true }),
      status: 400,
    })),
    {
      name: 'single_session that is not a boolean',
      method: 'POST',
      path: () => '/v1/events/batch',
      body: () => ({ events: [], single_session: 'yes' }),
      status: 400,
    },
    {
      name: 'a per-event project',
      method: 'POST',
      path: () => '/v1/events/batch',
      body: (ids) => ({ events: [v1Event(ids.started, { project: 'p' })] }),
      status: 400,
    },
  ],
  'PUT /v1/events/{event_id} (UpdateEventRequest)': [
    {
      name: 'every listed field, on the session',
      method: 'PUT',
      path: (ids) => `/v1/events/${ids.started}`,
      body: () => ({
        metadata: { a: 1 },
        feedback: { rating: 5 },
        metrics: { score: 1 },
        outputs: { answer: 'x' },
        config: {},
        user_properties: {},
        duration: 42,
        end_time: 1_700_000_000_042,
        children_ids: [],
      }),
      status: 200,
    },
    {
      name: 'outputs: null (keeps them)',
      method: 'PUT',
      path: (ids) => `/v1/events/${ids.event}`,
      body: () => ({ outputs: null }),
      status: 200,
    },
    {
      name: 'fields the schema does not list, inputs among them (accepted, silently ignored)',
      method: 'PUT',
      path: (ids) => `/v1/events/${ids.started}`,
      body: () => ({ inputs: { q: 1 }, session_name: 'x' }),
      status: 200,
      warns: ['ignored-field'],
    },
    {
      name: 'outputs as a string',
      method: 'PUT',
      path: (ids) => `/v1/events/${ids.event}`,
      body: () => ({ outputs: 'x' }),
      status: 400,
    },
    {
      name: 'a path id that is not a UUID (format: uuid)',
      method: 'PUT',
      path: () => '/v1/events/span-1',
      body: () => ({}),
      status: 400,
    },
    {
      name: 'an id no session or event has (the spec is silent: the dev server answers 404)',
      method: 'PUT',
      path: (ids) => `/v1/events/${ids.fresh}`,
      body: () => ({ metadata: {} }),
      status: 404,
    },
  ],
  'PUT /events (LegacyUpdateEventRequest)': [
    {
      name: 'event_id and fields',
      method: 'PUT',
      path: () => '/events',
      body: (ids) => ({ event_id: ids.event, metadata: { b: 2 }, duration: 3 }),
      status: 200,
    },
    {
      name: 'no event_id (required)',
      method: 'PUT',
      path: () => '/events',
      body: () => ({ metadata: {} }),
      status: 400,
    },
    {
      name: 'duration as a string',
      method: 'PUT',
      path: () => '/events',
      body: (ids) => ({ event_id: ids.event, duration: '3' }),
      status: 400,
    },
  ],
};

async function send(server: { url: string }, method: 'POST' | 'PUT', path: string, body: unknown): Promise<JsonAnswer> {
  const response = await fetch(`${server.url}${path}`, { method, headers: AUTH_HEADERS, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

describe('dev server: HoneyHive Data Plane API 1.2.1, route by route', () => {
  const ctx = useDevServer();
  let ids: Ids;

  beforeEach(async () => {
    ids = { fresh: randomUUID(), started: randomUUID(), event: randomUUID() };
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: ids.started }) });
    await postJson(ctx.server, `/session/${ids.started}/traces`, {
      events: [makeEvent(ids.started, { event_id: ids.event })],
    });
    assert.deepEqual(ctx.server.store.warnings(ids.started), []);
  });

  for (const [route, cases] of Object.entries(CASES)) {
    describe(route, () => {
      for (const contractCase of cases) {
        const verb = contractCase.status === 200 ? 'accepts' : `refuses (${contractCase.status})`;
        it(`${verb}: ${contractCase.name}`, async () => {
          const before = JSON.stringify([ctx.server.store.sessions(), ctx.server.store.events()]);
          const answer = await send(ctx.server, contractCase.method, contractCase.path(ids), contractCase.body(ids));
          assert.equal(answer.status, contractCase.status, JSON.stringify(answer.body));
          if (contractCase.status !== 200) {
            assert.equal(answer.body.success, false);
            assert.equal(
              JSON.stringify([ctx.server.store.sessions(), ctx.server.store.events()]),
              before,
              'a refused request changes nothing',
            );
            return;
          }
          const warned = ctx.server.store
            .sessions()
            .flatMap((summary) => ctx.server.store.warnings(summary.session_id));
          const kinds = warned.map((warning) => warning.kind).filter((kind) => kind !== 'session-not-started');
          assert.deepEqual(kinds, contractCase.warns ?? [], JSON.stringify(warned));
        });
      }
    });
  }
});

describe('dev server: what the routes do with what they accept', () => {
  const ctx = useDevServer();

  it('both session starts answer the full PostSessionStartResponse, defaults filled in', async () => {
    const legacy = await postJson(ctx.server, '/session/start', { session: {} });
    assert.equal(legacy.status, 200);
    const generated = legacy.body.session_id as string;
    assert.match(generated, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(typeof legacy.body.start_time, 'number', 'start_time falls back to when the session started');
    assert.deepEqual(legacy.body, sessionStartAnswer({ session_id: generated, start_time: legacy.body.start_time }));
    assert.equal(legacy.body.event_name, 'unknown');
    assert.equal(legacy.body.source, 'unknown');

    const named = makeV1Session();
    const v1 = await postJson(ctx.server, '/v1/sessions', named);
    assert.deepEqual(v1.body, sessionStartAnswer(named));
    assert.equal(v1.body.event_name, 'test-session', 'event_name falls back to session_name');
    assert.deepEqual(ctx.server.store.session(named['session_id'] as string)?.session, named, 'stored as sent');
  });

  it('a session_id that is not a UUID is replaced, on both starts, and the new one answered', async () => {
    for (const [path, body] of [
      ['/session/start', { session: makeSession({ session_id: 'my-session' }) }],
      ['/v1/sessions', makeV1Session({ session_id: 'my-session' })],
    ] as const) {
      const answer = await postJson(ctx.server, path, body);
      assert.equal(answer.status, 200);
      assert.notEqual(answer.body.session_id, 'my-session');
      assert.equal(ctx.server.store.session('my-session'), undefined);
      assert.deepEqual(
        ctx.server.store.warnings(answer.body.session_id).map((warning) => warning.kind),
        ['session-id-replaced'],
      );
    }
  });

  it('updates apply to the session and to events: objects merged, outputs replaced, inputs ignored', async () => {
    const session = makeV1Session({ metadata: { a: 1 }, inputs: { q: 'first' } });
    const sessionId = session['session_id'] as string;
    await postJson(ctx.server, '/v1/sessions', session);
    const event = makeEvent(sessionId, { outputs: { text: 'draft' }, metadata: { model: 'm' } });
    await postJson(ctx.server, `/v1/sessions/${sessionId}/events/batch`, { events: [event] });

    const update = {
      end_time: 1_700_000_001_000,
      duration: 1000,
      outputs: { answer: 'done' },
      metadata: { b: 2 },
      feedback: { rating: 5 },
      metrics: { accuracy: 0.9 },
      user_properties: { user: 'u1' },
      inputs: { q: 'replaced?' },
    };
    assert.equal((await putJson(ctx.server, `/v1/events/${sessionId}`, update)).status, 200);
    const stored = ctx.server.store.session(sessionId)!.session;
    assert.deepEqual(
      {
        end_time: stored.end_time,
        duration: stored.duration,
        outputs: stored.outputs,
        metadata: stored.metadata,
        feedback: stored.feedback,
        metrics: stored.metrics,
        user_properties: stored.user_properties,
        inputs: stored.inputs,
      },
      { ...update, metadata: { a: 1, b: 2 }, inputs: { q: 'first' } },
    );
    assert.deepEqual(
      ctx.server.store.warnings(sessionId).map((warning) => warning.kind),
      ['ignored-field'],
    );
    assert.match(ctx.server.store.warnings(sessionId)[0]!.message, /^inputs: not field\(s\) of UpdateEventRequest/);
    const summary = ctx.server.store.sessions()[0]!;
    assert.deepEqual([summary.end_time, summary.duration], [1_700_000_001_000, 1000]);

    const legacy = await putJson(ctx.server, '/events', {
      event_id: event['event_id'],
      outputs: null,
      metadata: { tokens: 3 },
      children_ids: [],
    });
    assert.equal(legacy.status, 200);
    const [updated] = ctx.server.store.events(sessionId);
    assert.deepEqual(updated?.outputs, { text: 'draft' }, 'outputs: null keeps them');
    assert.deepEqual(updated?.metadata, { model: 'm', tokens: 3 });
    assert.deepEqual(updated?.children_ids, [], 'an empty children_ids is ignored');
  });

  it('a session event whose event_id is the session id starts the session, then updates it', async () => {
    const sessionId = randomUUID();
    const batch = `/v1/sessions/${sessionId}/events/batch`;
    const sessionEvent = {
      event_type: 'session',
      event_id: sessionId,
      event_name: 'from-event',
      source: 'dev',
      inputs: { q: 1 },
      metadata: { a: 1 },
      start_time: 1_700_000_000_000,
    };
    const child = makeEvent(sessionId);
    assert.equal((await postJson(ctx.server, batch, { events: [child, sessionEvent] })).status, 200);
    let details = ctx.server.store.session(sessionId)!;
    assert.equal(details.started, true);
    assert.deepEqual(details.warnings, [], 'a session event is a start: no session-not-started warning');
    assert.deepEqual(details.events, [child], 'the session event is the session, not one of its events');
    assert.equal(ctx.server.store.sessions()[0]?.session_name, 'from-event');

    const ended = { ...sessionEvent, outputs: { a: 2 }, metadata: { b: 2 }, end_time: 1_700_000_000_900 };
    await postJson(ctx.server, batch, { events: [ended] });
    details = ctx.server.store.session(sessionId)!;
    assert.deepEqual(details.session.outputs, { a: 2 });
    assert.deepEqual(details.session.metadata, { a: 1, b: 2 });
    assert.equal(details.session.end_time, 1_700_000_000_900);
    assert.equal(
      formatSessionTree(details).split('\n')[0],
      `session  from-event  ${sessionId}  source dev, 1 event`,
      'the printed tree names it by its event_name',
    );
  });

  it('POST /v1/events/batch: each event in its own session, or all in one new session', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const events = [v1Event(first), v1Event(second), { event_type: 'tool', inputs: {} }];
    const answer = await postJson(ctx.server, '/v1/events/batch', { events });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.success, true);
    assert.equal(answer.body.session_id, undefined, 'session_id only for a single session');
    assert.equal(answer.body.event_ids.length, 3);
    assert.deepEqual(answer.body.event_ids.slice(0, 2), [events[0]!['event_id'], events[1]!['event_id']]);
    assert.deepEqual(
      ctx.server.store.events(first).map((event) => event.event_id),
      [events[0]!['event_id']],
    );
    assert.equal(ctx.server.store.sessions().length, 3, 'an event without session_id gets a new session');

    const single = await postJson(ctx.server, '/v1/events/batch', {
      events: [v1Event(first, { parent_id: undefined }), { event_type: 'chain', inputs: {} }],
      single_session: true,
      session_properties: { session_name: 'one', metadata: { run: 1 } },
    });
    assert.equal(single.status, 200);
    const sessionId = single.body.session_id as string;
    const details = ctx.server.store.session(sessionId)!;
    assert.equal(details.started, true);
    assert.deepEqual(details.session.metadata, { run: 1 });
    assert.deepEqual(
      details.events.map((event) => event.event_id),
      single.body.event_ids,
    );
    assert.deepEqual(
      details.warnings.map((warning) => warning.kind),
      ['session-id-overridden'],
    );
  });

  it('a partial fault stores only the first events and answers 500 "partially added"', async () => {
    const sessionId = randomUUID();
    const events = [v1Event(sessionId), v1Event(sessionId), v1Event(sessionId)];
    ctx.server.faults.push({ path: /\/events\/batch$/, partial: 1, times: 2 });
    const perSession = await postJson(ctx.server, `/v1/sessions/${sessionId}/events/batch`, { events });
    assert.equal(perSession.status, 500);
    assert.equal(perSession.body.errorCode, 'EVENTS_PARTIALLY_ADDED');
    assert.equal(perSession.body.message, 'injected fault: events partially added (1 of 3 taken)');
    assert.deepEqual(
      ctx.server.store.events(sessionId).map((event) => event.event_id),
      [events[0]!['event_id']],
    );
    const multi = await postJson(ctx.server, '/v1/events/batch', { events: events.slice(1) });
    assert.equal(multi.status, 500);
    assert.equal(ctx.server.store.events(sessionId).length, 2);
    assert.equal(ctx.server.store.requests.at(-1)?.faulted, true);
    // The fault is used up: a resend of the rest goes through.
    assert.equal((await postJson(ctx.server, '/v1/events/batch', { events })).status, 200);
    assert.equal(ctx.server.store.events(sessionId).length, 3);
  });
});
