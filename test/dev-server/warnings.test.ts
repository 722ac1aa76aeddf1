import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { getJson, makeEvent, makeSession, makeV1Session, postJson, useDevServer } from './helpers';

describe('dev server: warnings (accepted, but HoneyHive would mishandle)', () => {
  const ctx = useDevServer();

  it('warns about events for a session that was never started', async () => {
    const sessionId = randomUUID();
    const answer = await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [makeEvent(sessionId)] });
    assert.equal(answer.status, 200);
    const warnings = ctx.server.store.warnings(sessionId);
    assert.deepEqual(
      warnings.map((warning) => warning.kind),
      ['session-not-started'],
    );
    assert.match(
      warnings[0]?.message ?? '',
      new RegExp(`^events arrived for session ${sessionId} before any start request`),
    );
    const [summary] = (await getJson(ctx.server, '/sessions')).body.sessions;
    assert.equal(summary.started, false);
    assert.equal(summary.session_name, null);
    assert.equal(summary.warnings_count, 1);
    assert.equal(summary.project, null, 'events without a project leave it unknown');
  });

  it('keeps that warning after a late start, and takes the late start’s fields', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [makeEvent(sessionId)] });
    await postJson(ctx.server, '/v1/sessions', makeV1Session({ session_id: sessionId, session_name: 'late' }));
    const details = ctx.server.store.session(sessionId);
    assert.equal(details?.started, true);
    assert.equal(details?.session.session_name, 'late');
    assert.deepEqual(
      details?.warnings.map((warning) => warning.kind),
      ['session-not-started'],
    );
  });

  it('resolves a dangling parent once the parent arrives', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    const parent = makeEvent(sessionId, { event_type: 'chain' });
    const child = makeEvent(sessionId, { parent_id: parent['event_id'], event_name: 'child' });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [child] });

    const before = await getJson(ctx.server, `/sessions/${sessionId}`);
    assert.deepEqual(before.body.warnings, [
      {
        kind: 'dangling-parent',
        message: `event ${child['event_id']} ("child") has parent_id ${parent['event_id']}, which is neither the session nor any event of it received so far`,
        event_id: child['event_id'],
      },
    ]);
    assert.deepEqual(before.body.tree, [{ event: child, children: [] }], 'a dangling event is shown at the top');

    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [parent] });
    const after = await getJson(ctx.server, `/sessions/${sessionId}`);
    assert.deepEqual(after.body.warnings, []);
    assert.deepEqual(after.body.tree, [{ event: parent, children: [{ event: child, children: [] }] }]);
  });

  it('reports a parent that never arrives, and a parent in another session', async () => {
    const sessionId = randomUUID();
    const otherSessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: otherSessionId }) });
    const elsewhere = makeEvent(otherSessionId);
    await postJson(ctx.server, `/session/${otherSessionId}/traces`, { events: [elsewhere] });
    const orphan = makeEvent(sessionId, { parent_id: randomUUID() });
    const crossSession = makeEvent(sessionId, { parent_id: elsewhere['event_id'] });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [orphan, crossSession] });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [makeEvent(sessionId)] });
    const warnings = ctx.server.store.warnings(sessionId);
    assert.deepEqual(
      warnings.map((warning) => [warning.kind, warning.event_id]),
      [
        ['dangling-parent', orphan['event_id']],
        ['dangling-parent', crossSession['event_id']],
      ],
    );
    assert.equal(ctx.server.store.sessions().find((s) => s.session_id === sessionId)?.warnings_count, 2);
  });

  it('keeps one copy of a duplicate event id and counts the duplicates', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    const event = makeEvent(sessionId, { event_name: 'once' });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [event] });
    // A resend (say, after a timeout) and a duplicate inside one batch.
    const changed = { ...event, event_name: 'changed' };
    assert.equal(
      (await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [changed, changed] })).status,
      200,
    );

    assert.deepEqual(ctx.server.store.events(sessionId), [event], 'the first copy is kept');
    const details = (await getJson(ctx.server, `/sessions/${sessionId}`)).body;
    assert.equal(details.duplicates, 2);
    assert.deepEqual(details.warnings, [
      {
        kind: 'duplicate-event',
        message: `event ${event['event_id']} ("once") was received 3 times; the first copy is kept`,
        event_id: event['event_id'],
      },
    ]);
    assert.equal(ctx.server.store.sessions()[0]?.duplicates, 2);
  });

  it('warns about times that look like seconds or nanoseconds', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    const event = makeEvent(sessionId, { start_time: 1_700_000_000, end_time: 1_700_000_000_000_000_000 });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [event] });
    assert.deepEqual(
      ctx.server.store.warnings(sessionId).map((warning) => warning.message),
      [
        `event ${event['event_id']} ("step") has start_time 1700000000, which looks like seconds, not Unix epoch milliseconds`,
        `event ${event['event_id']} ("step") has end_time 1700000000000000000, which looks like microseconds or nanoseconds, not Unix epoch milliseconds`,
      ],
    );
  });

  it('warns when the legacy start route starts a session twice', async () => {
    const session = makeSession();
    await postJson(ctx.server, '/session/start', { session });
    await postJson(ctx.server, '/session/start', { session });
    assert.deepEqual(
      ctx.server.store.warnings(session['session_id'] as string).map((warning) => warning.kind),
      ['session-restarted'],
    );
  });

  it('cuts a loop of parent ids so every event still shows', async () => {
    const sessionId = randomUUID();
    await postJson(ctx.server, '/session/start', { session: makeSession({ session_id: sessionId }) });
    const [a, b] = [randomUUID(), randomUUID()];
    const eventA = makeEvent(sessionId, { event_id: a, parent_id: b, start_time: 1_700_000_000_000 });
    const eventB = makeEvent(sessionId, { event_id: b, parent_id: a, start_time: 1_700_000_000_001 });
    await postJson(ctx.server, `/session/${sessionId}/traces`, { events: [eventA, eventB] });
    const details = ctx.server.store.session(sessionId);
    assert.equal(details?.tree.length, 1);
    assert.equal(details?.tree[0]?.children.length, 1);
    assert.deepEqual(
      details?.warnings.map((warning) => warning.kind),
      ['parent-cycle'],
    );
  });
});
