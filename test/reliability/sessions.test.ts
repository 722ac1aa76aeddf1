/**
 * Complete sessions and enrichment over real HTTP against the local server:
 * a session's own event travels with its first events, a root exported later
 * ends it with one update, a session spanning many exports ends where its
 * latest root ends, nothing is sent again when nothing changed; and fields
 * added after the fact (enrichSession, enrichEvent) reach HoneyHive through
 * the same transport, on both APIs.
 */
import assert from 'node:assert/strict';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  HoneyHiveSessionSpanProcessor,
  withSession,
  type ApiVersion,
  type HoneyHiveSpanExporter,
  type HoneyHiveExporterOptions,
} from '../../src';
import type { DevServerHandle } from '../../src/dev-server';
import { sessionIdForName } from '../../src/transform/ids';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { spanRecorder, startChild } from '../helpers/sdk-spans';
import { eventIdOf, suiteResources } from './harness';

const UPDATE_PATHS = /^\/(v1\/)?events(\/[0-9a-f-]+)?$/;

for (const apiVersion of ['legacy', 'v1'] as const satisfies readonly ApiVersion[]) {
  describe(`complete sessions over real HTTP (${apiVersion})`, function () {
    this.timeout(20_000);
    const resources = suiteResources();
    let server: DevServerHandle;

    before(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    });
    after(() => {
      context.disable();
    });
    beforeEach(async () => {
      server = await resources.startServer();
    });

    function newExporter(options: HoneyHiveExporterOptions = {}): HoneyHiveSpanExporter {
      return resources.newExporter({ serverUrl: server.url, apiVersion, ...options });
    }

    async function send(exporter: HoneyHiveSpanExporter, spans: ReadableSpan[]): Promise<void> {
      const result = await exportSpans(exporter, spans);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
    }

    const updates = () => server.store.requests.filter((request) => request.method === 'PUT');

    it('the root in the batch: the session arrives complete with its events, in one request', async () => {
      const exporter = newExporter();
      const { tracer, take } = spanRecorder();
      const root = tracer.startSpan('agent', { attributes: { 'input.value': 'plan', 'output.value': 'a plan' } });
      startChild(tracer, 'llm', root, { attributes: { 'gen_ai.operation.name': 'chat' } }).end();
      root.end();
      const spans = take();
      await send(exporter, spans);
      assert.equal(server.store.requests.length, 1);
      const [summary] = server.store.sessions();
      const details = server.store.session(summary!.session_id)!;
      const rootEvent = details.events.find((event) => event.event_name === 'agent')!;
      assert.equal(details.started, true);
      assert.deepEqual(details.warnings, []);
      assert.equal(details.session.session_name ?? details.session.event_name, 'agent');
      assert.equal(details.session.end_time, rootEvent.end_time);
      assert.equal(details.session.duration, rootEvent.end_time! - rootEvent.start_time!);
      assert.deepEqual(details.session.inputs, rootEvent.inputs);
      assert.deepEqual(details.session.outputs, rootEvent.outputs);
      assert.equal(details.events.length, 2, 'the session event is the session, not one of its events');
    });

    it('the root exported later ends the session with one update; a resend changes nothing and costs nothing', async () => {
      const exporter = newExporter();
      const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
      const root = tracer.startSpan('workflow', {
        attributes: { 'session.id': `late-root-${apiVersion}`, 'output.value': 'finished' },
      });
      startChild(tracer, 'step', root).end();
      await send(exporter, take());
      root.end();
      const rootBatch = take();
      await send(exporter, rootBatch);
      await send(exporter, rootBatch);
      const sessionId = sessionIdForName(`late-root-${apiVersion}`);
      const details = server.store.session(sessionId)!;
      const rootEvent = details.events.find((event) => event.event_name === 'workflow')!;
      assert.equal(updates().length, 1, 'one update, none for the resend');
      assert.ok(UPDATE_PATHS.test(updates()[0]!.path));
      assert.equal(details.session.end_time, rootEvent.end_time);
      assert.deepEqual(details.session.outputs, rootEvent.outputs);
      assert.equal(details.session.duration, rootEvent.end_time! - details.session.start_time!);
      assert.deepEqual(
        details.warnings.map((warning) => warning.kind),
        ['duplicate-event'],
        'only the resent root itself',
      );
      assert.equal(exporter.getStats().updatesSent, 1);
    });

    it('a session spanning many exports ends where its latest root ends', async () => {
      const exporter = newExporter({ sessionId: `long-${apiVersion}` });
      const { tracer, take } = spanRecorder();
      const ends: number[] = [];
      for (let turn = 0; turn < 3; turn++) {
        tracer.startSpan(`turn-${turn}`, { attributes: { 'output.value': `answer ${turn}` } }).end();
        const spans = take();
        ends.push(spans[0]!.endTime[0] * 1000 + spans[0]!.endTime[1] / 1e6);
        await send(exporter, spans);
      }
      const details = server.store.session(sessionIdForName(`long-${apiVersion}`))!;
      assert.equal(details.events.length, 3);
      assert.ok(Math.abs(details.session.end_time! - ends[2]!) < 1);
      assert.deepEqual(details.session.outputs, details.events[2]!.outputs);
      assert.equal(updates().length, 2, 'one update per later root');
    });

    it("withSession's fields and experiment ids reach the session even when its children are exported first", async () => {
      const exporter = newExporter();
      const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
      await withSession(
        {
          sessionId: `eval-${apiVersion}`,
          sessionName: 'Eval case',
          inputs: { question: 'capital of France?' },
          metadata: { run_id: 'run-1', dataset_id: 'ds-1', datapoint_id: 'dp-1' },
          userProperties: { user_id: 'u-1' },
        },
        async () => {
          await tracer.startActiveSpan('case', async (root) => {
            tracer.startSpan('llm').end();
            await send(exporter, take());
            root.end();
          });
        },
      );
      await send(exporter, take());
      const details = server.store.session(sessionIdForName(`eval-${apiVersion}`))!;
      assert.deepEqual(details.session.inputs, { question: 'capital of France?' });
      assert.equal(details.session.metadata!.run_id, 'run-1');
      assert.equal(details.session.metadata!.datapoint_id, 'dp-1');
      assert.deepEqual(details.session.user_properties, { user_id: 'u-1' });
      assert.ok(details.session.end_time !== undefined, 'ended by its root');
      assert.deepEqual(details.warnings, []);
    });

    it('enrichSession: feedback, metrics, metadata, user properties and outputs added later, secrets redacted', async () => {
      const exporter = newExporter({ sessionId: `enrich-${apiVersion}` });
      const { tracer, take } = spanRecorder();
      tracer.startSpan('answer').end();
      await send(exporter, take());
      const result = await exporter.enrichSession(`enrich-${apiVersion}`, {
        feedback: { rating: 5, comment: `leaked ${TEST_API_KEY}` },
        metrics: { accuracy: 0.9 },
        metadata: { reviewed: true },
        userProperties: { plan: 'pro' },
        outputs: { content: 'final' },
      });
      assert.deepEqual(result, { ok: true });
      const session = server.store.session(sessionIdForName(`enrich-${apiVersion}`))!.session;
      assert.deepEqual(session.feedback, { rating: 5, comment: 'leaked [REDACTED]' });
      assert.deepEqual(session.metrics, { accuracy: 0.9 });
      assert.equal(session.metadata!.reviewed, true);
      assert.equal(session.user_properties!.plan, 'pro');
      assert.deepEqual(session.outputs, { content: 'final' });
      assert.ok(!JSON.stringify(server.store.requests).includes(TEST_API_KEY));
      assert.equal(exporter.getStats().updatesSent, 1);
    });

    it('enrichEvent updates one event; a 503 is retried; bad input is refused without a request', async () => {
      const exporter = newExporter();
      const { tracer, take } = spanRecorder();
      tracer.startSpan('judged').end();
      const spans = take();
      await send(exporter, spans);
      server.faults.push({ path: UPDATE_PATHS, status: 503 });
      assert.deepEqual(await exporter.enrichEvent(eventIdOf(spans[0]!), { feedback: { thumbs: 'up' } }), { ok: true });
      const event = server.store.events().find((candidate) => candidate.event_name === 'judged')!;
      assert.deepEqual(event.feedback, { thumbs: 'up' });
      assert.equal(exporter.getStats().retries, 1);

      const before = server.store.requests.length;
      const bad = await exporter.enrichEvent('not-an-id', { feedback: { x: 1 } });
      assert.equal(bad.ok, false);
      assert.match(!bad.ok ? bad.error.message : '', /eventId must be an event id/);
      const empty = await exporter.enrichSession('s', {});
      assert.match(!empty.ok ? empty.error.message : '', /nothing to send/);
      const notObject = await exporter.enrichSession('s', { metrics: 3 as never });
      assert.match(!notObject.ok ? notObject.error.message : '', /metrics must be an object/);
      assert.equal(server.store.requests.length, before);
    });

    it('an enrichment against a hanging server ends by the export deadline', async () => {
      const exporter = newExporter({ exportTimeoutMillis: 300, timeoutMillis: 200, maxRetries: 0 });
      server.faults.push({ path: UPDATE_PATHS, hang: true });
      const began = Date.now();
      const result = await exporter.enrichSession('slow', { feedback: { rating: 1 } });
      assert.equal(result.ok, false);
      assert.ok(Date.now() - began < 2000);
      assert.equal(exporter.getStats().updatesFailed, 1);
    });
  });
}
