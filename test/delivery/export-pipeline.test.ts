import assert from 'node:assert/strict';
import type { DiagLogger } from '@opentelemetry/api';
import sinon from 'sinon';
import type { PreparationOptions } from '../../src/delivery/event-preparation';
import { ExportPipeline, type ExportPipelineParts } from '../../src/delivery/export-pipeline';
import type { ExportTicket } from '../../src/delivery/export-tracker';
import { FlushWindow } from '../../src/delivery/flush-window';
import { MemoryBudget } from '../../src/delivery/memory-budget';
import { SessionSender } from '../../src/delivery/session-sender';
import { destinationDirName, Spool } from '../../src/delivery/spool';
import { StatsRecorder } from '../../src/delivery/stats';
import { ExportResultCode } from '../../src/otel-sdk';
import { createRedactor } from '../../src/redact';
import { TransformMemory } from '../../src/transform';
import type { HoneyHiveEvent } from '../../src/honeyhive-types';
import type { ApiOutcome, HoneyHiveApi } from '../../src/transport/honeyhive-api';
import { turnCounter } from '../helpers/event-loop-turns';
import { TEST_API_KEY } from '../helpers/export';
import { spanRecorder, startChild } from '../helpers/sdk-spans';
import { spoolDirUnderLeakRoot } from '../reliability/leak-watch';
import { apiFailure, fakeApi } from './fake-api';

function silentLog(): DiagLogger & Record<'warn' | 'error' | 'debug', sinon.SinonSpy> {
  return { error: sinon.spy(), warn: sinon.spy(), info: sinon.spy(), debug: sinon.spy(), verbose: sinon.spy() };
}

/** Spans of one trace made by the real SDK: a root with `children` children, each ended before it. */
function traceSpans(children = 1) {
  const { tracer, take } = spanRecorder();
  const root = tracer.startSpan('agent');
  for (let i = 0; i < children; i++) startChild(tracer, `step-${i}`, root).end();
  root.end();
  return take();
}

function ticket(events = 0): ExportTicket {
  return { events, signal: new AbortController().signal };
}

interface Setup {
  api?: HoneyHiveApi;
  spool?: Spool;
  maxPendingBytes?: number;
  preparation?: Partial<PreparationOptions>;
}

function newPipeline(setup: Setup = {}) {
  const stats = new StatsRecorder();
  const window = new FlushWindow(stats);
  const log = silentLog();
  const budget = new MemoryBudget(setup.maxPendingBytes ?? 10_000_000);
  const sender = new SessionSender(setup.api ?? fakeApi().api, {
    apiVersion: 'legacy',
    maxBatchEvents: 100,
    maxBatchBytes: 1_000_000,
    sessionsInParallel: 2,
    shrink: () => undefined,
  });
  const parts: ExportPipelineParts = {
    transform: { source: 'test', memory: new TransformMemory() },
    preparation: {
      sendContent: true,
      mask: undefined,
      maxValueBytes: 100_000,
      maxBatchBytes: 1_000_000,
      redact: createRedactor([TEST_API_KEY]),
      apiVersion: 'legacy',
      ...setup.preparation,
    },
    createSessions: true,
    sender,
    spool: setup.spool,
    budget,
    stats,
    log,
    window,
    exportTimeoutMillis: 5_000,
  };
  return { pipeline: new ExportPipeline(parts), stats, window, log, budget };
}

function newSpool(): Spool {
  return new Spool({
    rootDir: spoolDirUnderLeakRoot('export-pipeline'),
    destination: destinationDirName('http://127.0.0.1:1', TEST_API_KEY),
    maxBytes: 1_000_000,
    maxAgeMillis: 60_000,
  });
}

async function spooledEvents(spool: Spool): Promise<number> {
  return (await spool.list()).reduce((sum, entry) => sum + entry.events, 0);
}

describe('ExportPipeline', () => {
  it('transforms, prepares and sends a trace: its session event first, then one event per span', async () => {
    const { api, requests } = fakeApi();
    const { pipeline, stats, budget } = newPipeline({ api });
    const spans = traceSpans(2);
    const given = ticket(spans.length);
    const result = await pipeline.run(spans, given);
    assert.deepEqual(result, { code: ExportResultCode.SUCCESS });
    assert.equal(requests.length, 1);
    const types = requests[0]!.map((json) => (JSON.parse(json) as { event_type: string }).event_type);
    assert.equal(types[0], 'session');
    assert.equal(types.length, 4);
    assert.equal(given.events, 3, 'the ticket counts events once transformed');
    const counted = stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 });
    assert.equal(counted.spansReceived, 3);
    assert.equal(counted.eventsSent, 3);
    assert.equal(budget.heldBytes, 0, 'the memory it held is released');
  });

  it('succeeds on an empty batch without a request', async () => {
    const { api, requests } = fakeApi();
    const { pipeline } = newPipeline({ api });
    assert.deepEqual(await pipeline.run([], ticket()), { code: ExportResultCode.SUCCESS });
    assert.equal(requests.length, 0);
  });

  it('counts a span that cannot be read and sends the rest', async () => {
    const { api, requests } = fakeApi();
    const { pipeline, stats, log } = newPipeline({ api });
    const spans = traceSpans(1);
    const unreadable = {
      get spanContext(): never {
        throw new Error('broken span');
      },
    };
    const result = await pipeline.run([...spans, unreadable as never], ticket());
    assert.equal(result.code, ExportResultCode.SUCCESS);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.unreadableSpan, 1);
    assert.equal(requests[0]!.length, 3, 'session event and both readable spans');
    assert.match(String(log.warn.firstCall.args[0]), /dropped span 2 of the batch/);
  });

  it('fails an undeliverable export, counts its events lost without a spool, and records why for the flush', async () => {
    const { api } = fakeApi(() => apiFailure('http', 503));
    const { pipeline, stats, window } = newPipeline({ api });
    const result = await pipeline.run(traceSpans(1), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /2 events for session .* not sent: failed http 503/);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.undeliverable, 2);
    assert.deepEqual(window.close(0, false).errors, [result.error!.message]);
  });

  it('keeps an undeliverable export in the spool, session event included, and says so', async () => {
    const spool = newSpool();
    const { api } = fakeApi(() => apiFailure('network'));
    const { pipeline, stats } = newPipeline({ api, spool });
    const result = await pipeline.run(traceSpans(2), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /kept in the spool, to be resent/);
    assert.equal(await spooledEvents(spool), 3);
    const counted = stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 });
    assert.equal(counted.eventsSpooled, 3);
    assert.equal(stats.droppedTotal, 0);
    const [entry] = await spool.list();
    const claimed = await spool.claim(entry!);
    const read = await spool.read(claimed!);
    assert.ok(read.ok, 'the file reads back');
    assert.equal(read.value.session?.event_type, 'session', 'the session travels with its events');
  });

  it('counts events HoneyHive refused for good as rejected, never spooled', async () => {
    const spool = newSpool();
    const { api } = fakeApi(() => apiFailure('http', 400));
    const { pipeline, stats } = newPipeline({ api, spool });
    const result = await pipeline.run(traceSpans(1), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.rejected, 2);
    assert.equal(await spooledEvents(spool), 0);
  });

  it('over the memory bound, refuses a batch before transforming it: dropped without a spool, nothing sent', async () => {
    const { api, requests } = fakeApi();
    const { pipeline, stats, budget, log } = newPipeline({ api, maxPendingBytes: 1_000 });
    assert.ok(budget.tryReserve(900), 'another export holds most of the bound');
    const result = await pipeline.run(traceSpans(2), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /would pass maxPendingBytes \(1000\): 3 events dropped/);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.overload, 3);
    assert.equal(requests.length, 0);
    assert.equal(budget.heldBytes, 900, 'the refused batch holds nothing');
    assert.equal(log.warn.callCount, 1);
  });

  it('gives the event loop turns while it prepares a batch, once each slice of work is used up', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['performance'] });
    const turns = turnCounter();
    const seen: number[] = [];
    // Each event takes the mask 10 ms of the (fake) clock: more than a slice.
    const mask = (event: HoneyHiveEvent): HoneyHiveEvent => {
      seen.push(turns.count);
      clock.tick(10);
      return event;
    };
    const { pipeline } = newPipeline({ preparation: { mask } });
    try {
      assert.deepEqual(await pipeline.run(traceSpans(3), ticket()), { code: ExportResultCode.SUCCESS });
    } finally {
      turns.stop();
      clock.restore();
    }
    assert.ok(seen.length >= 4, `the mask saw every event: ${seen}`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `a turn before event ${i}: ${seen}`);
  });

  it('lets one export at a time transform, so the next reserves against the real size of the one before', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['performance'] });
    let answer!: (outcome: ApiOutcome) => void;
    const answered = new Promise<ApiOutcome>((resolve) => (answer = resolve));
    const { api, requests } = fakeApi(() => answered);
    // The first export's events fill the bound; its work gives the event loop turns, in which the second starts.
    const mask = (event: HoneyHiveEvent): HoneyHiveEvent => {
      clock.tick(10);
      return event;
    };
    const { pipeline, stats, budget } = newPipeline({ api, maxPendingBytes: 1_000, preparation: { mask } });
    try {
      const first = pipeline.run(traceSpans(2), ticket());
      const second = pipeline.run(traceSpans(2), ticket());
      const refused = await second;
      assert.equal(refused.code, ExportResultCode.FAILED);
      assert.match(refused.error!.message, /would pass maxPendingBytes \(1000\): 3 events dropped/);
      assert.ok(budget.heldBytes > 1_000, 'the first holds its events while their answer is awaited');
      answer({ ok: true });
      assert.deepEqual(await first, { code: ExportResultCode.SUCCESS });
    } finally {
      clock.restore();
    }
    assert.equal(requests.length, 1);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.overload, 3);
    assert.equal(budget.heldBytes, 0);
  });

  it('over the memory bound with a spool, writes the batch straight to the spool', async () => {
    const spool = newSpool();
    const { api, requests } = fakeApi();
    const { pipeline, stats, budget } = newPipeline({ api, spool, maxPendingBytes: 1_000 });
    budget.tryReserve(900);
    const result = await pipeline.run(traceSpans(2), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /3 events spooled/);
    assert.equal(await spooledEvents(spool), 3);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).eventsSpooled, 3);
    assert.equal(requests.length, 0);
  });

  it('when cancelled, stops sending and counts what it held as lost at shutdown (no spool)', async () => {
    const controller = new AbortController();
    const { api } = fakeApi(
      (_jsons, call) =>
        new Promise<ApiOutcome>((resolve) =>
          call.signal?.addEventListener('abort', () => resolve(apiFailure('aborted'))),
        ),
    );
    const { pipeline, stats } = newPipeline({ api });
    const running = pipeline.run(traceSpans(1), { events: 2, signal: controller.signal });
    await new Promise(setImmediate);
    controller.abort();
    const result = await running;
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 }).dropped.shutdown, 2);
  });

  it('counts events a mask drops, and warns of a failing mask once, then at debug', async () => {
    let calls = 0;
    const mask = (event: { event_name: string }) => {
      calls += 1;
      if (event.event_name === 'step-0') return null;
      throw new Error('secret content in the message');
    };
    const { api, requests } = fakeApi();
    const { pipeline, stats, log } = newPipeline({ api, preparation: { mask: mask as never } });
    await pipeline.run(traceSpans(1), ticket());
    await pipeline.run(traceSpans(1), ticket());
    assert.ok(calls > 0);
    const counted = stats.snapshot({ requestsInFlight: 0, pendingBytes: 0 });
    assert.equal(counted.dropped.masked, 2, 'step-0 of each export');
    assert.ok(counted.maskFailures >= 2);
    const warnings = log.warn.getCalls().map((call) => String(call.args[0]));
    assert.equal(warnings.filter((line) => line.includes('mask failed')).length, 1, 'warned once');
    assert.ok(log.debug.getCalls().some((call) => String(call.args[0]).includes('mask failed')));
    assert.ok(
      requests.flat().every((json) => !json.includes('secret content')),
      "the mask's message is never sent",
    );
  });

  it('resolves with a failure, never rejects, when something unexpected throws', async () => {
    const api: HoneyHiveApi = {
      addEvents: () => {
        throw new Error('unexpected');
      },
      updateEvent: () => Promise.resolve({ ok: true }),
    };
    const { pipeline, window } = newPipeline({ api });
    const result = await pipeline.run(traceSpans(1), ticket());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.equal(result.error!.message, 'export failed: unexpected');
    assert.deepEqual(window.close(0, false).errors, ['export failed: unexpected']);
  });
});
