/**
 * HoneyHive's v1 API end to end over real HTTP against the local server, which
 * validates the v1 routes strictly (no per-event project, event_type and
 * inputs required, unknown fields refused): the tree arrives whole through
 * POST /v1/events/batch with its session's own event, the events of many
 * sessions share requests, a partly created batch is resent only in part, and
 * retries, 413 splits and the spool behave as on the legacy routes.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type HoneyHiveSpanExporter, toHoneyHiveEvents, type HoneyHiveExporterOptions } from '../../src';
import type { DevServerHandle } from '../../src/dev-server';
import { sessionIdForName } from '../../src/transform/ids';
import { exportSpans } from '../helpers/export';
import { spanRecorder, startChild } from '../helpers/sdk-spans';
import { captureDiag, capturedLogLines, recordError, spoolDirUnderLeakRoot } from './leak-watch';
import { eventIdOf, makeSpans, suiteResources } from './harness';

const SESSION = 'v1-api';
const SESSION_ID = sessionIdForName(SESSION);
const BATCH = '/v1/events/batch';
const PROJECT = 'v1-project';

describe('HoneyHive v1 API over real HTTP', function () {
  this.timeout(20_000);
  const resources = suiteResources();
  let server: DevServerHandle;

  beforeEach(async () => {
    captureDiag();
    server = await resources.startServer();
  });

  function newExporter(options: HoneyHiveExporterOptions = {}): HoneyHiveSpanExporter {
    const v1 = { serverUrl: server.url, apiVersion: 'v1', project: PROJECT, sessionId: SESSION } as const;
    return resources.newExporter({ ...v1, ...options });
  }

  async function run(exporter: HoneyHiveSpanExporter, spans: ReadableSpan[]): Promise<ExportResultCode> {
    const result = await exportSpans(exporter, spans);
    recordError(result.error);
    return result.code;
  }

  /** Every event arrived once, through the v1 routes only, without a per-event project, and the server warned of nothing. */
  function assertDeliveredOverV1(eventIds: readonly string[]): void {
    const stored = server.store.events();
    assert.deepEqual(stored.map((event) => event.event_id).sort(), [...eventIds].sort());
    assert.ok(
      stored.every((event) => !('project' in event)),
      'no event carries a project',
    );
    const details = server.store.session(SESSION_ID)!;
    assert.equal(details.started, true, 'the session was created');
    assert.equal(details.duplicates, 0);
    assert.deepEqual(details.warnings, []);
    for (const request of server.store.requests) {
      assert.ok(request.path === BATCH || request.path.startsWith('/v1/events/'), `a v1 route: ${request.path}`);
    }
  }

  it('delivers a session tree through POST /v1/events/batch, the session as its own event in the same request', async () => {
    const exporter = newExporter();
    const { tracer, take } = spanRecorder();
    const root = tracer.startSpan('agent', { attributes: { 'input.value': 'plan a trip' } });
    const child = startChild(tracer, 'llm', root, {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
    });
    child.end();
    root.end();
    const spans = take();
    assert.equal(await run(exporter, spans), ExportResultCode.SUCCESS);

    assertDeliveredOverV1(spans.map(eventIdOf));
    const details = server.store.session(SESSION_ID)!;
    assert.equal(details.session.project, undefined, 'the session start carries no project either');
    assert.deepEqual(
      details.tree.map((node) => [node.event.event_name, node.children.map((leaf) => leaf.event.event_type)]),
      [['agent', ['model']]],
    );
    assert.equal(server.store.requests.length, 1);
    const [sessionEvent] = (server.store.requests[0]!.body as { events: Array<Record<string, unknown>> }).events;
    assert.deepEqual([sessionEvent!.event_type, sessionEvent!.event_id], ['session', SESSION_ID]);
    assert.ok(!('project' in sessionEvent!), 'the v1 routes refuse project');
    assert.ok(server.store.requests.every((request) => request.status === 200));
  });

  it('retries a 503 and a connection reset on the batch route, every event once', async () => {
    server.faults.push({ path: BATCH, status: 503 }, { path: BATCH, destroy: true });
    const exporter = newExporter();
    const { spans, eventIds } = makeSpans(4);
    assert.equal(await run(exporter, spans), ExportResultCode.SUCCESS);
    assertDeliveredOverV1(eventIds);
    const stats = exporter.getStats();
    assert.equal(stats.retries, 2);
    assert.equal(stats.failures.serverError, 1);
    assert.equal(stats.failures.network, 1);
  });

  it('puts the events of many sessions in one request: 1,000 spans of 100 traces cost a handful of requests', async () => {
    const exporter = newExporter({ sessionId: undefined });
    const { tracer, take } = spanRecorder();
    for (let trace = 0; trace < 100; trace++) {
      const root = tracer.startSpan(`trace-${trace}`, { attributes: { 'input.value': `q${trace}` } });
      for (let child = 0; child < 9; child++) startChild(tracer, `step-${child}`, root).end();
      root.end();
    }
    const spans = take();
    assert.equal(spans.length, 1000);
    for (let at = 0; at < spans.length; at += 512) {
      assert.equal(await run(exporter, spans.slice(at, at + 512)), ExportResultCode.SUCCESS);
    }
    const posts = server.store.requests.filter((request) => request.method === 'POST');
    const updates = server.store.requests.filter((request) => request.method === 'PUT');
    assert.ok(posts.length <= 10, `${posts.length} event requests`);
    assert.ok(posts.every((request) => request.path === BATCH));
    // A trace cut by the export boundary: its session was created with its children, ended by its root's update.
    assert.ok(updates.length <= 2, `${updates.length} updates`);
    const sessions = server.store.sessions();
    assert.equal(sessions.length, 100);
    assert.ok(sessions.every((session) => session.started && session.event_count === 10 && session.end_time !== null));
    assert.equal(server.store.events().length, 1000);
  });

  it('a batch created in part (500 listing what was created) is resent without what was created', async () => {
    const { spans, eventIds } = makeSpans(6);
    // The session's own event and the first three are created; the answer lists them.
    server.faults.push({ path: BATCH, partial: 4 });
    const exporter = newExporter();
    assert.equal(await run(exporter, spans), ExportResultCode.SUCCESS);
    const resent = (server.store.requests[1]!.body as { events: Array<{ event_id: string }> }).events;
    assert.deepEqual(
      resent.map((event) => event.event_id),
      eventIds.slice(3),
      'only what was not created',
    );
    assertDeliveredOverV1(eventIds);
    assert.equal(exporter.getStats().retries, 0, 'a partial answer is not a blind retry');
  });

  it('413: splits the batch in halves until the server takes it', async () => {
    const { spans, eventIds } = makeSpans(40);
    const oneEvent = JSON.stringify(toHoneyHiveEvents(spans.slice(0, 1), { sessionId: SESSION })[0]!.events[0]).length;
    server = await resources.startServer({ maxBodyBytes: oneEvent * 10 });
    const exporter = newExporter();
    assert.equal(await run(exporter, spans), ExportResultCode.SUCCESS);
    assertDeliveredOverV1(eventIds);
    const tooLarge = server.store.requests.filter((request) => request.status === 413).length;
    assert.ok(tooLarge >= 3);
    assert.equal(exporter.getStats().failures.payloadTooLarge, tooLarge);
    assert.equal(exporter.getStats().retries, 0, 'a split is not a retry');
  });

  it('resends on v1 a spool written while the legacy API was configured, dropping the per-event project', async () => {
    const spoolDir = spoolDirUnderLeakRoot('v1-replay');
    server.faults.push({ status: 503, times: Infinity });
    const legacy = newExporter({ apiVersion: 'legacy', spoolDir, maxRetries: 0 });
    const { spans, eventIds } = makeSpans(3);
    assert.equal(await run(legacy, spans), ExportResultCode.FAILED);
    await legacy.shutdown();
    const files = (await fs.readdir(spoolDir, { recursive: true })).filter((name) => name.endsWith('.json'));
    assert.equal(files.length, 1, 'the batch was spooled');
    const spooled = JSON.parse(await fs.readFile(path.join(spoolDir, files[0]!), 'utf8')) as { events: object[] };
    assert.ok(
      spooled.events.every((event) => 'project' in event),
      'spooled for legacy, with the per-event project',
    );
    server.faults.clear();
    server.store.reset();

    const v1 = newExporter({ spoolDir });
    await v1.resendSpool();
    assertDeliveredOverV1(eventIds);
    assert.equal(v1.getStats().eventsResent, 3);
    assert.deepEqual(await v1.resendSpool(), { sent: 0, rejected: 0, remainingFiles: 0 });
    assert.ok(!capturedLogLines.some((line) => line.includes('is not allowed on the v1 route')));
  });

  it('spools what a v1 outage left undelivered and resends it through v1', async () => {
    const spoolDir = spoolDirUnderLeakRoot('v1-outage');
    server.faults.push({ path: BATCH, status: 503, times: Infinity });
    const exporter = newExporter({ spoolDir, maxRetries: 1 });
    const { spans, eventIds } = makeSpans(3);
    assert.equal(await run(exporter, spans), ExportResultCode.FAILED);
    assert.equal(exporter.getStats().eventsSpooled, 3);
    server.faults.clear();
    assert.equal((await exporter.resendSpool()).sent, 3);
    assertDeliveredOverV1(eventIds);
  });
});
