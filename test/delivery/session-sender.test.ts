import assert from 'node:assert/strict';
import { SessionSender } from '../../src/delivery/session-sender';
import type { HoneyHiveSession } from '../../src/honeyhive-types';
import { HoneyHiveRequestError, type ApiOutcome, type HoneyHiveApi } from '../../src/transport/honeyhive-api';
import type { HttpFailure } from '../../src/transport/http-transport';
import type { SerializedEvent } from '../../src/transport/request-splitter';
import { SESSION_ID } from './event-fixture';

const call = { deadline: Date.now() + 10_000 };
const session: HoneyHiveSession = { session_id: SESSION_ID, session_name: 's', source: 'dev', start_time: 1 };

function failure(failure: Omit<HttpFailure, 'ok'>): ApiOutcome {
  return {
    ok: false,
    error: new HoneyHiveRequestError(`failed ${failure.kind} ${failure.status ?? ''}`, { ok: false, ...failure }),
  };
}

function events(count: number, bytes = 100): SerializedEvent[] {
  return Array.from({ length: count }, (_, i) => ({ eventId: `e${i}`, json: `{"i":${i}}`, bytes }));
}

/** An API whose answers the test decides per request; it records what was asked. */
function fakeApi(
  answerEvents: (jsons: readonly string[]) => ApiOutcome,
  answerStart: () => ApiOutcome = () => ({ ok: true }),
) {
  const sent: string[][] = [];
  let starts = 0;
  const api: HoneyHiveApi = {
    async startSession() {
      starts += 1;
      await new Promise(setImmediate);
      return answerStart();
    },
    async addEvents(_sessionId, jsons) {
      sent.push([...jsons]);
      return answerEvents(jsons);
    },
  };
  return { api, sent, starts: () => starts };
}

const shrinkNever = () => undefined;

describe('SessionSender', () => {
  it('sends requests bounded by events and bytes', async () => {
    const { api, sent } = fakeApi(() => ({ ok: true }));
    const sender = new SessionSender(api, { maxBatchEvents: 3, maxBatchBytes: 1000, shrink: shrinkNever });
    const report = await sender.send({ sessionId: SESSION_ID, session: undefined, events: events(7) }, call);
    assert.equal(report.sent, 7);
    assert.deepEqual(
      sent.map((request) => request.length),
      [3, 3, 1],
    );
  });

  it('splits a request refused with 413 in halves down to single events', async () => {
    // The server takes at most 2 events per request.
    const { api, sent } = fakeApi((jsons) =>
      jsons.length > 2 ? failure({ kind: 'http', status: 413 }) : { ok: true },
    );
    const sender = new SessionSender(api, { maxBatchEvents: 100, maxBatchBytes: 1_000_000, shrink: shrinkNever });
    const report = await sender.send({ sessionId: SESSION_ID, session: undefined, events: events(7) }, call);
    assert.equal(report.sent, 7);
    assert.deepEqual(report.undelivered, []);
    const accepted = sent.filter((request) => request.length <= 2).flat();
    assert.deepEqual(
      accepted.sort(),
      events(7)
        .map((event) => event.json)
        .sort(),
      'every event accepted exactly once',
    );
  });

  it('shrinks a single event refused with 413, and gives up when it cannot shrink', async () => {
    const { api, sent } = fakeApi((jsons) =>
      jsons[0]!.includes('small') ? { ok: true } : failure({ kind: 'http', status: 413 }),
    );
    const shrink = (event: SerializedEvent): SerializedEvent | undefined =>
      event.bytes > 10 ? { eventId: event.eventId, json: '{"small":1}', bytes: 10 } : undefined;
    const sender = new SessionSender(api, { maxBatchEvents: 100, maxBatchBytes: 1_000_000, shrink });
    const report = await sender.send({ sessionId: SESSION_ID, session: undefined, events: events(1, 5000) }, call);
    assert.equal(report.sent, 1);
    assert.deepEqual(sent, [['{"i":0}'], ['{"small":1}']]);

    const refusing = new SessionSender(fakeApi(() => failure({ kind: 'http', status: 413 })).api, {
      maxBatchEvents: 100,
      maxBatchBytes: 1_000_000,
      shrink: shrinkNever,
    });
    const refused = await refusing.send({ sessionId: SESSION_ID, session: undefined, events: events(2) }, call);
    assert.equal(refused.undelivered.length, 2);
    assert.ok(refused.undelivered.every((item) => !item.worthKeeping && item.events.length === 1));
  });

  it('says which undelivered events are worth keeping', async () => {
    const answers = [failure({ kind: 'http', status: 503 }), failure({ kind: 'http', status: 400 })];
    const { api } = fakeApi(() => answers.shift()!);
    const sender = new SessionSender(api, { maxBatchEvents: 1, maxBatchBytes: 1_000_000, shrink: shrinkNever });
    const report = await sender.send({ sessionId: SESSION_ID, session: undefined, events: events(2) }, call);
    assert.deepEqual(
      report.undelivered.map((item) => item.worthKeeping),
      [true, false],
    );
  });

  it('starts a session once for concurrent sends, and again after a failed start, sending events either way', async () => {
    let startFails = true;
    const fake = fakeApi(
      () => ({ ok: true }),
      () => (startFails ? failure({ kind: 'http', status: 500 }) : { ok: true }),
    );
    const sender = new SessionSender(fake.api, { maxBatchEvents: 100, maxBatchBytes: 1_000_000, shrink: shrinkNever });
    const batch = { sessionId: SESSION_ID, session, events: events(1) };
    const reports = await Promise.all([sender.send(batch, call), sender.send(batch, call)]);
    assert.equal(fake.starts(), 1);
    assert.ok(reports.every((report) => report.startError !== undefined && report.sent === 1));
    startFails = false;
    assert.equal((await sender.send(batch, call)).startError, undefined);
    await sender.send(batch, call);
    assert.equal(fake.starts(), 2, 'started again after the failure, then remembered');
  });
});
