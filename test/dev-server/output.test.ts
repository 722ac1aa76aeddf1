import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatSessionTree,
  startDevServer,
  type DevServerHandle,
  type SessionDetails,
} from '../../src/dev-server/index';
import { makeEvent, makeSession, postJson, sleep, waitUntil } from './helpers';

describe('dev server: events file', () => {
  let directory: string;
  let server: DevServerHandle;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'hh-dev-server-'));
    server = await startDevServer({ eventsFile: join(directory, 'events.jsonl') });
  });

  afterEach(async () => {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('appends each stored event as one JSON line {received_at, session_id, event}', async () => {
    const sessionId = randomUUID();
    const first = makeEvent(sessionId);
    const second = makeEvent(sessionId);
    await postJson(server, `/session/${sessionId}/traces`, { events: [first] });
    await postJson(server, `/session/${sessionId}/traces`, { events: [second, first] }); // first is a duplicate
    await postJson(server, `/session/${sessionId}/traces`, { events: [{ event_type: 'llm' }] }); // rejected

    const lines = readFileSync(join(directory, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const records = lines.map(
      (line) => JSON.parse(line) as { received_at: string; session_id: string; event: unknown },
    );
    assert.deepEqual(
      records.map(({ session_id, event }) => ({ session_id, event })),
      [
        { session_id: sessionId, event: first },
        { session_id: sessionId, event: second },
      ],
    );
    for (const record of records) assert.ok(!Number.isNaN(Date.parse(record.received_at)), record.received_at);
  });
});

describe('dev server: printing', () => {
  it('prints each session tree once its events stop arriving, plus request lines and warnings', async () => {
    const lines: string[] = [];
    const server = await startDevServer({ print: (line) => lines.push(line), printDebounceMs: 50 });
    try {
      const session = makeSession({ session_name: 'demo-run' });
      const sessionId = session['session_id'] as string;
      await postJson(server, '/session/start', { session });
      const chain = makeEvent(sessionId, { event_type: 'chain', event_name: 'my-workflow', duration: 12.34 });
      const tool = makeEvent(sessionId, { event_name: 'retrieve', parent_id: chain['event_id'], duration: 2.1 });
      const model = makeEvent(sessionId, {
        event_type: 'model',
        event_name: 'chat',
        parent_id: chain['event_id'],
        start_time: 1_700_000_000_001,
        duration: 8,
        config: { model: 'gpt-4o' },
        metadata: { prompt_tokens: 12, completion_tokens: 34 },
        error: 'rate limited\nstack...',
      });
      await postJson(server, `/session/${sessionId}/traces`, { events: [tool, model] });
      await postJson(server, `/session/${sessionId}/traces`, { events: [chain] });
      await postJson(server, `/session/${sessionId}/traces`, { events: [{ event_type: 'llm' }] });

      await waitUntil(() => lines.some((line) => line.startsWith('session  demo-run')));
      await sleep(100); // nothing more should come
      const treeStart = lines.findIndex((line) => line.startsWith('session  demo-run'));
      assert.deepEqual(lines.slice(0, treeStart), [
        'POST /session/start -> 200',
        `POST /session/${sessionId}/traces -> 200, 2 event(s)`,
        `POST /session/${sessionId}/traces -> 200, 1 event(s)`,
        `POST /session/${sessionId}/traces -> 400, 1 event(s): VALIDATION_ERROR events[0].event_type must be one of session, model, tool, chain; got "llm"`,
      ]);
      assert.deepEqual(lines.slice(treeStart), [
        `session  demo-run  ${sessionId}  project demo, source dev, 3 events`,
        'chain  my-workflow  12.3 ms',
        '├─ tool  retrieve  2.1 ms',
        '└─ model  chat gpt-4o  8.0 ms  tokens 12/34  ERROR: rate limited',
      ]);
    } finally {
      await server.close();
    }
  });

  it('quiet leaves out request lines but still prints rejections and warnings', async () => {
    const lines: string[] = [];
    const server = await startDevServer({ print: (line) => lines.push(line), quiet: true, printDebounceMs: 10_000 });
    const sessionId = randomUUID();
    await postJson(server, `/session/${sessionId}/traces`, {
      events: [makeEvent(sessionId, { event_name: 'lonely' })],
    });
    await postJson(server, `/session/${sessionId}/traces`, {});
    await server.close(); // flushes the pending tree
    assert.deepEqual(lines, [
      `! session ${sessionId}: events arrived for session ${sessionId} before any start request for it; HoneyHive then fills the session's inputs and outputs from the first event it sees`,
      `POST /session/${sessionId}/traces -> 400: VALIDATION_ERROR request body must have exactly one of events, logs; got neither`,
      `session  (unnamed)  ${sessionId}  1 event, never started`,
      'tool  lonely  10.0 ms',
      `! events arrived for session ${sessionId} before any start request for it; HoneyHive then fills the session's inputs and outputs from the first event it sees`,
    ]);
  });
});

describe('formatSessionTree', () => {
  const sessionId = randomUUID();
  const event = (id: string, parent: string, fields: Record<string, unknown>) =>
    ({ event_id: id, session_id: sessionId, parent_id: parent, ...fields }) as SessionDetails['events'][number];

  it('indents nested children with connectors and marks dangling parents', () => {
    const [root, a, a1, a2, b, orphan] = ['r', 'a', 'a1', 'a2', 'b', 'o'];
    const events = {
      root: event(root, sessionId, { event_type: 'chain', event_name: 'root', start_time: 1, end_time: 4.5 }),
      a: event(a, root, { event_type: 'chain', event_name: 'a' }),
      a1: event(a1, a, { event_type: 'tool', event_name: 'a1', metadata: { completion_tokens: 5 } }),
      a2: event(a2, a, { event_type: 'tool', event_name: 'a2' }),
      b: event(b, root, { event_type: 'model', event_name: 'gpt-4o', config: { model: 'gpt-4o' } }),
      orphan: event(orphan, 'missing', { event_name: 'orphan' }),
    };
    const details: SessionDetails = {
      session: { session_id: sessionId, session_name: 'tree' },
      started: true,
      events: Object.values(events),
      tree: [
        {
          event: events.root,
          children: [
            {
              event: events.a,
              children: [
                { event: events.a1, children: [] },
                { event: events.a2, children: [] },
              ],
            },
            { event: events.b, children: [] },
          ],
        },
        { event: events.orphan, children: [] },
      ],
      warnings: [{ kind: 'dangling-parent', message: 'orphan has no parent', event_id: orphan }],
      duplicates: 0,
    };
    assert.equal(
      formatSessionTree(details),
      [
        `session  tree  ${sessionId}  6 events`,
        'chain  root  3.5 ms',
        '├─ chain  a',
        '│  ├─ tool  a1  tokens ?/5',
        '│  └─ tool  a2',
        '└─ model  gpt-4o',
        'event  orphan  (parent not received)',
        '! orphan has no parent',
      ].join('\n'),
    );
  });
});
