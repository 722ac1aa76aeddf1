import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { AUTH_HEADERS, assertError, makeEvent, makeSession, postJson, useDevServer } from './helpers';

describe('dev server: rejected requests', () => {
  const ctx = useDevServer({ maxBodyBytes: 10_000 });
  let sessionId: string;
  const traces = () => `/session/${sessionId}/traces`;
  const batch = () => `/v1/sessions/${sessionId}/events/batch`;

  beforeEach(() => {
    sessionId = randomUUID();
  });

  afterEach(() => {
    // Whatever was rejected must not have been stored.
    assert.deepEqual(ctx.server.store.events(), []);
  });

  describe('auth', () => {
    it('401 without an Authorization header', async () => {
      const answer = await postJson(ctx.server, traces(), { events: [] }, { 'content-type': 'application/json' });
      assertError(answer, 401, 'UNAUTHORIZED', 'Authorization header is missing; send Authorization: Bearer <api key>');
      assert.equal(ctx.server.store.requests[0]?.headers['authorization'], undefined);
    });

    it('401 for another scheme or an empty token', async () => {
      const basic = await postJson(
        ctx.server,
        traces(),
        { events: [] },
        { ...AUTH_HEADERS, authorization: 'Basic abc' },
      );
      assertError(basic, 401, 'UNAUTHORIZED', 'Authorization header must use the Bearer scheme; got "Basic"');
      const empty = await postJson(
        ctx.server,
        traces(),
        { events: [] },
        { ...AUTH_HEADERS, authorization: 'Bearer   ' },
      );
      assertError(empty, 401, 'UNAUTHORIZED', 'Authorization header has an empty bearer token');
    });
  });

  describe('body', () => {
    it('400 for a body that is not JSON', async () => {
      const answer = await postJson(ctx.server, traces(), '{"events": [', AUTH_HEADERS);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.errorCode, 'INVALID_JSON');
      assert.match(answer.body.message, /^request body is not valid JSON: /);
    });

    it('400 for an empty body', async () => {
      const answer = await postJson(ctx.server, traces(), '', AUTH_HEADERS);
      assertError(answer, 400, 'INVALID_JSON', 'request body is empty; expected JSON');
    });

    it('415 without Content-Type application/json, or with a Content-Encoding', async () => {
      const text = await postJson(
        ctx.server,
        traces(),
        { events: [] },
        { authorization: 'Bearer k', 'content-type': 'text/plain' },
      );
      assertError(text, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json; got "text/plain"');
      const withCharset = await postJson(
        ctx.server,
        traces(),
        { events: [] },
        { ...AUTH_HEADERS, 'content-type': 'application/json; charset=utf-8' },
      );
      assert.equal(withCharset.status, 200);
      const gzip = await postJson(
        ctx.server,
        traces(),
        { events: [] },
        { ...AUTH_HEADERS, 'content-encoding': 'gzip' },
      );
      assertError(
        gzip,
        415,
        'UNSUPPORTED_CONTENT_ENCODING',
        'Content-Encoding "gzip" is not supported; send the body uncompressed',
      );
    });

    it('413 for a body over the limit, in the envelope', async () => {
      const events = [makeEvent(sessionId, { inputs: { text: 'x'.repeat(20_000) } })];
      const body = JSON.stringify({ events });
      const answer = await postJson(ctx.server, traces(), body);
      assertError(
        answer,
        413,
        'PAYLOAD_TOO_LARGE',
        `request body is ${Buffer.byteLength(body)} bytes; the limit is 10000 bytes`,
      );
      assert.equal(ctx.server.store.requests[0]?.body_bytes, Buffer.byteLength(body));
    });

    it('400 unless exactly one of events and logs is present', async () => {
      assertError(
        await postJson(ctx.server, traces(), {}),
        400,
        'VALIDATION_ERROR',
        'request body must have exactly one of events, logs; got neither',
      );
      assertError(
        await postJson(ctx.server, traces(), { events: [], logs: [] }),
        400,
        'VALIDATION_ERROR',
        'request body must have exactly one of events, logs; got both',
      );
      assertError(
        await postJson(ctx.server, batch(), { logs: [] }),
        400,
        'VALIDATION_ERROR',
        'logs is not a field of SessionEventBatchRequest, which takes no other fields; events is required by SessionEventBatchRequest',
      );
      assertError(
        await postJson(ctx.server, batch(), {}),
        400,
        'VALIDATION_ERROR',
        'events is required by SessionEventBatchRequest',
      );
    });

    it('400 for a body that is not an object, a list that is not an array, unknown top-level fields', async () => {
      assertError(
        await postJson(ctx.server, traces(), []),
        400,
        'VALIDATION_ERROR',
        'request body must be a JSON object; got an array',
      );
      assertError(
        await postJson(ctx.server, traces(), { events: {} }),
        400,
        'VALIDATION_ERROR',
        'events must be an array; got an object',
      );
      assertError(
        await postJson(ctx.server, batch(), { events: [], project: 'p' }),
        400,
        'VALIDATION_ERROR',
        'project is not a field of SessionEventBatchRequest (the project comes from the API key)',
      );
    });
  });

  describe('ids', () => {
    it('400 for a v1 path id that is not a UUID (format: uuid); the read-back route takes any id', async () => {
      assertError(
        await postJson(ctx.server, '/v1/sessions/not-a-uuid/events/batch', { events: [] }),
        400,
        'VALIDATION_ERROR',
        'the session id in the path must be a UUID (the route\'s format: uuid); got "not-a-uuid"',
      );
      const readBack = await fetch(`${ctx.server.url}/sessions/123`);
      assert.equal(readBack.status, 404);
    });

    it('400 for ids that are not strings, naming each', async () => {
      const answer = await postJson(ctx.server, traces(), {
        events: [makeEvent(sessionId), makeEvent(sessionId, { event_id: 1, children_ids: [randomUUID(), 7] })],
      });
      assertError(
        answer,
        400,
        'VALIDATION_ERROR',
        ['events[1].event_id must be a string; got 1', 'events[1].children_ids[1] must be a string; got 7'].join('; '),
      );
    });
  });

  describe('event fields', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        'event_type',
        { event_type: 'llm' },
        'events[0].event_type must be one of session, model, tool, chain; got "llm"',
      ],
      [
        'start_time as a string',
        { start_time: '2024-01-01' },
        'events[0].start_time must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got "2024-01-01"',
      ],
      [
        'end_time as Infinity',
        { end_time: '1e999' },
        'events[0].end_time must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got Infinity',
      ],
      [
        'duration as null',
        { duration: null },
        'events[0].duration must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got null',
      ],
      ['inputs as an array', { inputs: [] }, 'events[0].inputs must be an object; got an array'],
      ['outputs as a string', { outputs: 'hi' }, 'events[0].outputs must be an object; got "hi"'],
      ['config as null', { config: null }, 'events[0].config must be an object; got null'],
      ['metadata as a number', { metadata: 1 }, 'events[0].metadata must be an object; got 1'],
      ['metrics', { metrics: [] }, 'events[0].metrics must be an object; got an array'],
      ['feedback', { feedback: true }, 'events[0].feedback must be an object; got true'],
      ['user_properties', { user_properties: 'u' }, 'events[0].user_properties must be an object; got "u"'],
      ['error as an object', { error: { message: 'x' } }, 'events[0].error must be a string or null; got an object'],
      ['event_name as a number', { event_name: 3 }, 'events[0].event_name must be a string; got 3'],
    ];
    for (const [name, overrides, message] of cases) {
      it(`400 for ${name}`, async () => {
        const event = makeEvent(sessionId, overrides);
        // 1e999 cannot be written by JSON.stringify; splice it into the text.
        const body = JSON.stringify({ events: [event] }).replace('"1e999"', '1e999');
        assertError(await postJson(ctx.server, traces(), body), 400, 'VALIDATION_ERROR', message);
      });
    }

    it('400 for an event that is not an object, naming its index and the list it came in', async () => {
      assertError(
        await postJson(ctx.server, traces(), { logs: [makeEvent(sessionId), null] }),
        400,
        'VALIDATION_ERROR',
        'logs[1] must be an object; got null',
      );
    });

    it('v1: 400 for a per-event project, an unknown field, and a missing event_type or inputs', async () => {
      const { event_type: _type, inputs: _inputs, ...bare } = makeEvent(sessionId, { project: 'demo', span_id: 'a' });
      assertError(
        await postJson(ctx.server, batch(), { events: [bare] }),
        400,
        'VALIDATION_ERROR',
        [
          'events[0].project is not a field of PostEventRequest (the project comes from the API key)',
          'events[0].span_id is not a field of PostEventRequest, which takes no other fields',
          'events[0].event_type is required by PostEventRequest',
          'events[0].inputs is required by PostEventRequest',
        ].join('; '),
      );
    });

    it('caps the listed problems at 20', async () => {
      const events = Array.from({ length: 25 }, () => ({ event_type: 'llm' }));
      const answer = await postJson(ctx.server, traces(), { events });
      assert.equal(answer.status, 400);
      assert.match(answer.body.message, /^events\[0\]\.event_type must be one of/);
      assert.match(answer.body.message, /; and 5 more$/);
    });
  });

  describe('sessions', () => {
    it('400 for session fields of the wrong type, v1 fields the schema lacks, a legacy start without session', async () => {
      assertError(
        await postJson(ctx.server, '/session/start', { session: makeSession({ start_time: '0', session_id: 7 }) }),
        400,
        'VALIDATION_ERROR',
        [
          'session.session_id must be a string; got 7',
          'session.start_time must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got "0"',
        ].join('; '),
      );
      assertError(
        await postJson(ctx.server, '/v1/sessions', { session_id: randomUUID(), metadata: [], project: 'p' }),
        400,
        'VALIDATION_ERROR',
        'metadata must be an object; got an array; project is not a field of StartSessionRequest (the project comes from the API key)',
      );
      assertError(
        await postJson(ctx.server, '/session/start', makeSession()),
        400,
        'VALIDATION_ERROR',
        'session is required by LegacyStartSessionRequest',
      );
      assert.deepEqual(ctx.server.store.sessions(), []);
    });
  });
});
