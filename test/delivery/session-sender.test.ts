import assert from 'node:assert/strict';
import { SessionSender, type SessionBatch, type SessionSenderOptions } from '../../src/delivery/session-sender';
import type { HoneyHiveSessionEvent, UpdateEventRequest } from '../../src/honeyhive-types';
import { HoneyHiveRequestError, type ApiOutcome, type HoneyHiveApi } from '../../src/transport/honeyhive-api';
import type { HttpFailure } from '../../src/transport/http-transport';
import type { SerializedEvent } from '../../src/delivery/request-packing';
import { SESSION_ID } from './event-fixture';

const call = { deadline: Date.now() + 10_000 };
const OTHER_SESSION = '7b2e3d0f-8c4e-4d3b-8f22-1e6c9d8b7a21';

function sessionEvent(overrides: Partial<HoneyHiveSessionEvent> = {}): HoneyHiveSessionEvent {
  return {
    event_type: 'session',
    event_id: overrides.session_id ?? SESSION_ID,
    session_id: SESSION_ID,
    event_name: 'agent',
    source: 'dev',
    start_time: 1_000,
    inputs: {},
    metadata: { resource: { 'service.name': 'svc' } },
    ...overrides,
  };
}

function failure(failure: HttpFailure): ApiOutcome {
  return {
    ok: false,
    error: new HoneyHiveRequestError(`failed ${failure.kind} ${failure.status ?? ''}`, failure),
  };
}

function events(count: number, bytes = 100, prefix = 'e'): SerializedEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `${prefix}${i}`,
    json: `{"event_id":"${prefix}${i}"}`,
    bytes,
  }));
}

/** An API whose answers the test decides per request; it records what was asked. */
function fakeApi(
  answerEvents: (jsons: readonly string[]) => ApiOutcome = () => ({ ok: true }),
  answerUpdate: () => ApiOutcome = () => ({ ok: true }),
) {
  const sent: string[][] = [];
  const updates: Array<{ eventId: string; update: UpdateEventRequest }> = [];
  const api: HoneyHiveApi = {
    async addEvents(_sessionId, events) {
      const jsons = events.map((event) => event.json);
      sent.push(jsons);
      await new Promise(setImmediate);
      return answerEvents(jsons);
    },
    async updateEvent(eventId, update) {
      updates.push({ eventId, update });
      return answerUpdate();
    },
  };
  /** Ids in each request, the session's own event named `session`. */
  const ids = (): string[][] =>
    sent.map((request) =>
      request.map((json) => {
        const event = JSON.parse(json) as { event_id: string; event_type?: string };
        return event.event_type === 'session' ? `session:${event.event_id.slice(0, 4)}` : event.event_id;
      }),
    );
  return { api, sent, updates, ids };
}

const shrinkNever = () => undefined;

function newSender(api: HoneyHiveApi, options: Partial<SessionSenderOptions> = {}): SessionSender {
  return new SessionSender(api, {
    apiVersion: 'legacy',
    maxBatchEvents: 100,
    maxBatchBytes: 1_000_000,
    sessionsInParallel: 4,
    shrink: shrinkNever,
    ...options,
  });
}

async function sendOne(sender: SessionSender, batch: SessionBatch) {
  const [report] = await sender.send([batch], call);
  return report!;
}

describe('SessionSender', () => {
  it('sends requests bounded by events and bytes', async () => {
    const { api, sent } = fakeApi();
    const report = await sendOne(newSender(api, { maxBatchEvents: 3, maxBatchBytes: 1000 }), {
      sessionId: SESSION_ID,
      session: undefined,
      events: events(7),
    });
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
    const report = await sendOne(newSender(api), { sessionId: SESSION_ID, session: undefined, events: events(7) });
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
    const report = await sendOne(newSender(api, { shrink }), {
      sessionId: SESSION_ID,
      session: undefined,
      events: events(1, 5000),
    });
    assert.equal(report.sent, 1);
    assert.deepEqual(sent, [['{"event_id":"e0"}'], ['{"small":1}']]);

    const refusing = newSender(fakeApi(() => failure({ kind: 'http', status: 413 })).api);
    const refused = await sendOne(refusing, { sessionId: SESSION_ID, session: undefined, events: events(2) });
    assert.equal(refused.undelivered.length, 2);
    assert.ok(refused.undelivered.every((item) => !item.worthKeeping && item.events.length === 1));
  });

  it('says which undelivered events are worth keeping', async () => {
    const answers = [failure({ kind: 'http', status: 503 }), failure({ kind: 'http', status: 400 })];
    const { api } = fakeApi(() => answers.shift()!);
    const report = await sendOne(newSender(api, { maxBatchEvents: 1 }), {
      sessionId: SESSION_ID,
      session: undefined,
      events: events(2),
    });
    assert.deepEqual(
      report.undelivered.map((item) => item.worthKeeping),
      [true, false],
    );
  });

  it("sends a new session's own event first in its events' request, once; a resend of the same batch costs no request more", async () => {
    const fake = fakeApi();
    const sender = newSender(fake.api);
    const batch = { sessionId: SESSION_ID, session: sessionEvent(), events: events(2) };
    const report = await sendOne(sender, batch);
    assert.equal(report.sent, 2, 'the session event is not counted as a span event');
    await sendOne(sender, batch);
    assert.deepEqual(fake.ids(), [
      ['session:6a1f', 'e0', 'e1'],
      ['e0', 'e1'],
    ]);
    assert.deepEqual(fake.updates, [], 'nothing changed: no update');
  });

  it('completes a session created earlier with one update of what changed: a later end, its duration and outputs, new keys', async () => {
    const fake = fakeApi();
    const sender = newSender(fake.api);
    await sendOne(sender, { sessionId: SESSION_ID, session: sessionEvent(), events: events(1) });
    const ended = sessionEvent({
      start_time: 1_200,
      end_time: 5_000,
      duration: 3_800,
      outputs: { content: 'done' },
      metadata: { resource: { 'service.name': 'svc' }, run_id: 'run-1' },
    });
    await sendOne(sender, { sessionId: SESSION_ID, session: ended, events: events(1, 100, 'f') });
    assert.deepEqual(fake.updates, [
      {
        eventId: SESSION_ID,
        update: { metadata: { run_id: 'run-1' }, end_time: 5_000, duration: 4_000, outputs: { content: 'done' } },
      },
    ]);
    // The same again (a retry, a resend), or an earlier root: nothing more to say.
    await sendOne(sender, { sessionId: SESSION_ID, session: ended, events: [] });
    await sendOne(sender, {
      sessionId: SESSION_ID,
      session: sessionEvent({ end_time: 4_000, outputs: { content: 'earlier' } }),
      events: [],
    });
    assert.equal(fake.updates.length, 1);
  });

  it("keeps the session's event with the events when their request fails, and sends it again next time", async () => {
    let fail = true;
    const fake = fakeApi(() => (fail ? failure({ kind: 'http', status: 503 }) : { ok: true }));
    const sender = newSender(fake.api);
    const session = sessionEvent();
    const report = await sendOne(sender, { sessionId: SESSION_ID, session, events: events(2) });
    assert.equal(report.undelivered.length, 1);
    assert.equal(report.undelivered[0]!.session, session);
    assert.deepEqual(
      report.undelivered[0]!.events.map((event) => event.eventId),
      ['e0', 'e1'],
    );
    fail = false;
    await sendOne(sender, { sessionId: SESSION_ID, session, events: events(1, 100, 'f') });
    assert.deepEqual(fake.ids().at(-1), ['session:6a1f', 'f0']);
  });

  it('concurrent exports of a new session: one carries its event, the other waits for it and then updates', async () => {
    const fake = fakeApi();
    const sender = newSender(fake.api);
    const [first, second] = await Promise.all([
      sendOne(sender, { sessionId: SESSION_ID, session: sessionEvent(), events: events(1) }),
      sendOne(sender, {
        sessionId: SESSION_ID,
        session: sessionEvent({ end_time: 3_000 }),
        events: events(1, 100, 'f'),
      }),
    ]);
    assert.equal(first.sent + second.sent, 2);
    assert.equal(
      fake
        .ids()
        .flat()
        .filter((id) => id.startsWith('session:')).length,
      1,
    );
    assert.deepEqual(
      fake.updates.map((item) => item.update),
      [{ end_time: 3_000, duration: 2_000 }],
    );
  });

  it('a failed update is reported and kept with the session; it is tried again with the next batch', async () => {
    let fail = true;
    const fake = fakeApi(undefined, () => (fail ? failure({ kind: 'http', status: 503 }) : { ok: true }));
    const sender = newSender(fake.api);
    await sendOne(sender, { sessionId: SESSION_ID, session: sessionEvent(), events: events(1) });
    const ended = sessionEvent({ end_time: 2_000 });
    const report = await sendOne(sender, { sessionId: SESSION_ID, session: ended, events: [] });
    assert.ok(report.sessionError);
    assert.deepEqual(
      report.undelivered.map((item) => [item.events.length, item.session, item.worthKeeping]),
      [[0, ended, true]],
    );
    fail = false;
    assert.equal(
      (await sendOne(sender, { sessionId: SESSION_ID, session: ended, events: [] })).sessionError,
      undefined,
    );
    assert.equal(fake.updates.length, 2);
  });

  describe('on v1', () => {
    it("puts the events of every session of an export, each new session's own event first, in one request", async () => {
      const fake = fakeApi();
      const sender = newSender(fake.api, { apiVersion: 'v1' });
      const reports = await sender.send(
        [
          { sessionId: SESSION_ID, session: sessionEvent(), events: events(2, 100, 'a') },
          {
            sessionId: OTHER_SESSION,
            session: sessionEvent({ session_id: OTHER_SESSION }),
            events: events(2, 100, 'b'),
          },
        ],
        call,
      );
      assert.deepEqual(
        reports.map((report) => report.sent),
        [2, 2],
      );
      assert.deepEqual(fake.ids(), [['session:6a1f', 'a0', 'a1', 'session:7b2e', 'b0', 'b1']]);
    });

    it('a batch created in part (500 listing the ids created) is resent without what was created', async () => {
      let first = true;
      const fake = fakeApi((jsons) => {
        if (!first) return { ok: true };
        first = false;
        // Created the first two of the request only.
        const created = jsons.slice(0, 2).map((json) => (JSON.parse(json) as { event_id: string }).event_id);
        const error = new HoneyHiveRequestError('failed http 500', { kind: 'http', status: 500 }, new Set(created));
        return { ok: false, error };
      });
      const sender = newSender(fake.api, { apiVersion: 'v1' });
      const reports = await sender.send(
        [
          { sessionId: SESSION_ID, session: sessionEvent(), events: events(2, 100, 'a') },
          { sessionId: OTHER_SESSION, session: undefined, events: events(2, 100, 'b') },
        ],
        call,
      );
      assert.deepEqual(fake.ids(), [
        ['session:6a1f', 'a0', 'a1', 'b0', 'b1'],
        ['a1', 'b0', 'b1'],
      ]);
      assert.deepEqual(
        reports.map((report) => [report.sent, report.undelivered.length]),
        [
          [2, 0],
          [2, 0],
        ],
      );
      assert.equal(sender.sessions.isCreated(SESSION_ID), true);
    });

    it('what a failed multi-session request leaves is reported per session, each session event with its own', async () => {
      const fake = fakeApi(() => failure({ kind: 'http', status: 503 }));
      const sender = newSender(fake.api, { apiVersion: 'v1' });
      const other = sessionEvent({ session_id: OTHER_SESSION });
      const reports = await sender.send(
        [
          { sessionId: SESSION_ID, session: undefined, events: events(1, 100, 'a') },
          { sessionId: OTHER_SESSION, session: other, events: events(2, 100, 'b') },
        ],
        call,
      );
      assert.deepEqual(
        reports.map((report) =>
          report.undelivered.map((item) => [item.events.map((event) => event.eventId), item.session?.session_id]),
        ),
        [[[['a0'], undefined]], [[['b0', 'b1'], OTHER_SESSION]]],
      );
    });
  });
});
