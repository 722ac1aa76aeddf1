/**
 * Fault injection over real HTTP against the local server: each case says
 * exactly what arrived (every event once, none missing), that no promise was
 * left rejected unhandled, and that the counters agree.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  type HoneyHiveSpanExporter,
  toHoneyHiveEvents,
  type ExporterStats,
  type FlushResult,
  type HoneyHiveExporterOptions,
} from '../../src';
import type { DevServerHandle, DevServerOptions } from '../../src/dev-server';
import { sessionIdForName } from '../../src/transform/ids';
import { exportSpans } from '../helpers/export';
import { spanRecorder } from '../helpers/sdk-spans';
import { captureDiag, capturedLogLines, recordError, spoolDirUnderLeakRoot } from './leak-watch';
import { failOnUnhandledRejections, makeSpans, suiteResources } from './harness';

const SESSION = 'reliability';
const SESSION_ID = sessionIdForName(SESSION);
const TRACES = /\/traces$/;

describe('reliability: faults over real HTTP', function () {
  this.timeout(20_000);
  const resources = suiteResources();
  failOnUnhandledRejections();
  let server: DevServerHandle;

  beforeEach(async () => {
    captureDiag();
    server = await startServer();
  });

  const startServer = (options: DevServerOptions = {}): Promise<DevServerHandle> => resources.startServer(options);

  function newExporter(options: HoneyHiveExporterOptions = {}): HoneyHiveSpanExporter {
    return resources.newExporter({ serverUrl: server.url, sessionId: SESSION, ...options });
  }

  async function run(exporter: HoneyHiveSpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
    const result = await exportSpans(exporter, spans);
    recordError(result.error);
    return result;
  }

  /** Exports `count` spans through a new exporter, asserts they all arrived once despite the faults queued, and returns its counters. */
  async function deliveredDespiteFaults(count: number, options: HoneyHiveExporterOptions = {}): Promise<ExporterStats> {
    const exporter = newExporter(options);
    const { spans, eventIds } = makeSpans(count);
    assert.equal((await run(exporter, spans)).code, ExportResultCode.SUCCESS);
    assertArrivedOnce(server, eventIds);
    return exporter.getStats();
  }

  /** Every event arrived exactly once, and nothing else did. */
  function assertArrivedOnce(handle: DevServerHandle, eventIds: readonly string[]): void {
    assert.deepEqual(
      handle.store
        .events()
        .map((event) => event.event_id)
        .sort(),
      [...eventIds].sort(),
    );
    const duplicates = handle.store.sessions().reduce((sum, session) => sum + session.duplicates, 0);
    assert.equal(duplicates, 0, 'no event stored twice');
  }

  function requestsTo(handle: DevServerHandle, path: RegExp | string): number {
    return handle.store.requests.filter((request) =>
      typeof path === 'string' ? request.path === path : path.test(request.path),
    ).length;
  }

  async function waitFor(
    condition: () => boolean | Promise<boolean>,
    what: string,
    timeoutMillis = 10_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function filesIn(dir: string): Promise<string[]> {
    const found: string[] = [];
    for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (entry.isFile()) found.push(entry.name);
    }
    return found;
  }

  it('503 three times, then 200: retried, every event once, counters agree', async () => {
    server.faults.push({ path: TRACES, status: 503, times: 3 });
    const stats = await deliveredDespiteFaults(5);
    assert.equal(stats.retries, 3);
    assert.equal(stats.failures.serverError, 3);
    assert.equal(stats.requests, requestsTo(server, /./));
    assert.equal(stats.requests, 4, 'four event requests, the session travelling in the first');
    assert.equal(stats.eventsSent, 5);
    assert.equal(stats.spansReceived, 5);
  });

  it('429 with Retry-After: waits what the server says rather than the backoff', async () => {
    // A backoff of a minute would not fit the deadline: only honouring Retry-After (1 s) lets the retry happen.
    server.faults.push({ path: TRACES, status: 429, headers: { 'retry-after': '1' } });
    const stats = await deliveredDespiteFaults(2, { retryDelayMillis: 60_000 });
    assert.equal(stats.failures.rateLimited, 1);
    assert.equal(stats.retries, 1);
  });

  it('429 with a Retry-After past the deadline: no retry, the batch fails at once and is counted', async () => {
    server.faults.push({ path: TRACES, status: 429, headers: { 'retry-after': '120' }, times: Infinity });
    const exporter = newExporter({ exportTimeoutMillis: 2000 });
    const { spans } = makeSpans(2);
    const result = await run(exporter, spans);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /answered 429 .*rate limiting/);
    assert.equal(requestsTo(server, TRACES), 1);
    assert.equal(exporter.getStats().dropped.undeliverable, 2);
  });

  it('a server that hangs past the request timeout: the attempt times out and the retry delivers', async () => {
    server.faults.push({ path: TRACES, hang: true });
    const stats = await deliveredDespiteFaults(3, { timeoutMillis: 200 });
    assert.equal(stats.failures.timeout, 1);
  });

  it('a connection reset mid-request: retried, every event once', async () => {
    server.faults.push({ path: TRACES, destroy: true, times: 2 });
    const stats = await deliveredDespiteFaults(4);
    assert.equal(stats.failures.network, 2);
    assert.equal(stats.retries, 2);
  });

  it('a dead server fails the export within its deadline, retries included', async () => {
    server.faults.push({ status: 503, times: Infinity });
    const exporter = newExporter({ exportTimeoutMillis: 400, retryDelayMillis: 50 });
    const { spans } = makeSpans(2);
    const result = await run(exporter, spans);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /answered 503 to POST/);
    const stats = exporter.getStats();
    assert.ok(stats.retries >= 1);
    assert.equal(stats.requests, requestsTo(server, /./));
    assert.equal(stats.dropped.undeliverable, 2);
    assert.equal(stats.eventsSent, 0);
  });

  for (const [status, what] of [
    [400, /HoneyHive rejected the payload/],
    [401, /check the API key \(apiKey \/ HH_API_KEY\)/],
    [403, /may not write to this project/],
  ] as const) {
    it(`${status}: not retried, not spooled, fails saying what to fix`, async () => {
      server.faults.push({ path: TRACES, status, times: Infinity });
      const spoolDir = spoolDirUnderLeakRoot(`refused-${status}`);
      const exporter = newExporter({ spoolDir });
      const { spans } = makeSpans(3);
      const result = await run(exporter, spans);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.match(result.error!.message, new RegExp(`answered ${status} to POST /session/${SESSION_ID}/traces`));
      assert.match(result.error!.message, what);
      assert.equal(requestsTo(server, TRACES), 1);
      assert.equal(exporter.getStats().retries, 0);
      assert.equal(exporter.getStats().dropped.rejected, 3);
      assert.deepEqual(await filesIn(spoolDir), []);
    });
  }

  it('413: the request is split in halves until HoneyHive takes it, every event once', async () => {
    // The server takes bodies of about ten events; the exporter sends fifty at once.
    const { spans, eventIds } = makeSpans(50);
    const oneEvent = JSON.stringify(toHoneyHiveEvents(spans.slice(0, 1), { sessionId: SESSION })[0]!.events[0]).length;
    server = await startServer({ maxBodyBytes: oneEvent * 10 });
    const exporter = newExporter();
    assert.equal((await run(exporter, spans)).code, ExportResultCode.SUCCESS);
    assertArrivedOnce(server, eventIds);
    const stats = exporter.getStats();
    assert.ok(stats.failures.payloadTooLarge >= 3);
    assert.equal(
      stats.failures.payloadTooLarge,
      server.store.requests.filter((request) => request.status === 413).length,
    );
    assert.equal(stats.retries, 0, 'a split is not a retry');
  });

  it('413 for one event alone: it is shrunk, visibly, and delivered', async () => {
    server = await startServer({ maxBodyBytes: 20_000 });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('huge', { attributes: { 'input.value': 'x'.repeat(100_000) } }).end();
    const spans = take();
    const exporter = newExporter();
    assert.equal((await run(exporter, spans)).code, ExportResultCode.SUCCESS);
    const [event] = server.store.events();
    assert.match(JSON.stringify(event), /…\[truncated \d+ bytes\]/);
    assert.ok((event!.metadata!.truncated_values as number) >= 1);
    assert.ok(exporter.getStats().truncatedValues >= 1);
  });

  it('100 concurrent exports: they wait their turn within the cap, and every event arrives once', async () => {
    server.faults.push({ path: TRACES, delayMs: 10, times: Infinity });
    const exporter = newExporter({ maxConcurrentRequests: 4 });
    const batches = Array.from({ length: 100 }, (_, i) => makeSpans(1 + (i % 3), `burst-${i}`));
    let mostInFlight = 0;
    const sampler = setInterval(() => {
      mostInFlight = Math.max(mostInFlight, exporter.getStats().requestsInFlight);
    }, 1);
    try {
      const results = await Promise.all(batches.map((batch) => run(exporter, batch.spans)));
      assert.deepEqual(new Set(results.map((result) => result.code)), new Set([ExportResultCode.SUCCESS]));
    } finally {
      clearInterval(sampler);
    }
    assertArrivedOnce(
      server,
      batches.flatMap((batch) => batch.eventIds),
    );
    assert.ok(mostInFlight <= 4 && mostInFlight >= 2, `at most 4 requests in flight, saw ${mostInFlight}`);
    assert.equal(
      exporter.getStats().eventsSent,
      batches.reduce((sum, batch) => sum + batch.eventIds.length, 0),
    );
    assert.equal(requestsTo(server, '/session/start'), 0, 'the session travels with its events');
    assert.equal(server.store.session(SESSION_ID)!.started, true);
  });

  it('at the memory bound, new batches are shed: counted and logged without a spool, spooled and resent with one', async () => {
    server.faults.push({ path: TRACES, delayMs: 200 });
    const first = makeSpans(5, 'first');
    const second = makeSpans(5, 'second');
    const exporter = newExporter({ maxPendingBytes: 4096, maxConcurrentRequests: 1 });
    const [held, shed] = await Promise.all([run(exporter, first.spans), run(exporter, second.spans)]);
    assert.equal(held.code, ExportResultCode.SUCCESS);
    assert.equal(shed.code, ExportResultCode.FAILED);
    assert.match(shed.error!.message, /would pass maxPendingBytes \(4096\): 5 events dropped/);
    assert.equal(exporter.getStats().dropped.overload, 5);
    assert.ok(capturedLogLines.some((line) => line.includes('maxPendingBytes')));
    assertArrivedOnce(server, first.eventIds);

    server.faults.push({ path: TRACES, delayMs: 200 });
    const spooling = newExporter({ maxPendingBytes: 4096, spoolDir: spoolDirUnderLeakRoot('overload') });
    const third = makeSpans(5, 'third');
    const fourth = makeSpans(5, 'fourth');
    await Promise.all([run(spooling, third.spans), run(spooling, fourth.spans)]);
    assert.equal(spooling.getStats().eventsSpooled, 5);
    assert.equal(spooling.getStats().dropped.overload, 0);
    await spooling.resendSpool();
    await waitFor(() => spooling.getStats().eventsResent === 5, 'the shed batch to be resent');
    assertArrivedOnce(server, [...first.eventIds, ...third.eventIds, ...fourth.eventIds]);
  });

  it('server down, then up: the batch is spooled, and the spool timer resends it once', async () => {
    const { port } = server;
    const spoolDir = spoolDirUnderLeakRoot('down-then-up');
    const exporter = newExporter({ spoolDir, spoolIntervalMillis: 25, exportTimeoutMillis: 300 });
    await server.close();
    const { spans, eventIds } = makeSpans(6);
    const result = await run(exporter, spans);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /ECONNREFUSED.*kept in the spool, to be resent/);
    assert.equal(exporter.getStats().eventsSpooled, 6);
    assert.equal((await filesIn(spoolDir)).length, 1);

    server = await startServer({ port });
    await waitFor(() => server.store.events().length === 6, 'the spool timer to resend');
    await waitFor(async () => (await filesIn(spoolDir)).length === 0, 'the spool file to be deleted');
    assertArrivedOnce(server, eventIds);
    assert.equal(
      server.store.session(SESSION_ID)!.started,
      true,
      'the session that could not be started was started on resend',
    );
    const stats = exporter.getStats();
    assert.equal(stats.eventsResent, 6);
    assert.equal(stats.eventsSent, 6);
    assert.equal(stats.dropped.undeliverable, 0);
  });

  describe('an outage: one backoff for every request of every export', () => {
    /** A server that accepts each connection and closes it at once (a reset before any answer), counting them. */
    async function droppingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
      let connections = 0;
      const dropping: Server = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
      return {
        port: (dropping.address() as AddressInfo).port,
        connections: () => connections,
        close: () => new Promise((resolve) => dropping.close(() => resolve())),
      };
    }

    const SLOTS = 4;

    it('server dropping connections, then up: one attempt per slot, then one probe at a time; every event once after', async () => {
      await server.close();
      const dropping = await droppingServer();
      const exporter = resources.newExporter({
        serverUrl: `http://127.0.0.1:${dropping.port}`,
        maxConcurrentRequests: SLOTS,
        retryDelayMillis: 100,
        exportTimeoutMillis: 15_000,
      });
      // Each span is its own trace, so its own session: a session start and an events request each.
      const first = makeSpans(30, 'first');
      const second = makeSpans(10, 'second');
      const results = [run(exporter, first.spans)];
      await waitFor(() => dropping.connections() >= SLOTS, 'the first attempts');
      // A later export joins the backoff under way.
      results.push(run(exporter, second.spans));
      // Half a second down: time for probes after about 0.1 and 0.3 s; 80 requests on their own would make dozens.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await dropping.close();
      server = await startServer({ port: dropping.port });

      const outcomes = await Promise.all(results);
      assert.deepEqual(
        outcomes.map((outcome) => outcome.code),
        [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS],
      );
      assertArrivedOnce(server, [...first.eventIds, ...second.eventIds]);
      assert.ok(dropping.connections() <= SLOTS + 3, `${dropping.connections()} connections while down`);
      const stats = exporter.getStats();
      assert.equal(stats.eventsSent, 40);
      // Each dropped connection failed an attempt (and a try between the swap's close and listen may be refused).
      assert.ok(stats.failures.network >= dropping.connections());
      assert.equal(
        Object.values(stats.dropped).reduce((sum, count) => sum + count, 0),
        0,
      );
    });

    it('server down past the deadline: the requests give up together after the last try, spooled, resent once after', async () => {
      const { port } = server;
      await server.close();
      const spoolDir = spoolDirUnderLeakRoot('outage-together');
      const exporter = resources.newExporter({
        serverUrl: server.url,
        maxConcurrentRequests: SLOTS,
        retryDelayMillis: 100,
        exportTimeoutMillis: 1500,
        spoolDir,
      });
      const { spans, eventIds } = makeSpans(20);
      const result = await run(exporter, spans);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.match(
        result.error!.message,
        /could not reach HoneyHive at .* \(ECONNREFUSED\).*the next try would come after the export deadline of 1500 ms.*kept in the spool/,
      );
      const stats = exporter.getStats();
      // Probes after 0.1, 0.3 and 0.7 s (each ±20%), and perhaps 1.5 s: 40 requests, one attempt per slot, then 4 at most.
      assert.ok(stats.requests <= SLOTS + 4, `${stats.requests} attempts`);
      assert.equal(stats.failures.network, stats.requests);
      assert.equal(stats.eventsSpooled, 20);
      assert.equal(
        Object.values(stats.dropped).reduce((sum, count) => sum + count, 0),
        0,
      );

      server = await startServer({ port });
      // A resend whose deadline comes before the breaker's next try gives up at once; a later one makes it.
      let resent = 0;
      await waitFor(async () => (resent += (await exporter.resendSpool()).sent) === 20, 'the spool to be resent');
      assertArrivedOnce(server, eventIds);
      assert.equal(server.store.sessions().filter((session) => session.started).length, 20);
    });
  });

  it('shutdown while requests are in flight: cancelled at its deadline, spooled, reported, and resent by the next exporter', async () => {
    server.faults.push({ path: TRACES, hang: true, times: Infinity });
    const spoolDir = spoolDirUnderLeakRoot('shutdown-in-flight');
    const exporter = newExporter({
      spoolDir,
      timeoutMillis: 10_000,
      exportTimeoutMillis: 15_000,
      flushTimeoutMillis: 100,
    });
    const { spans, eventIds } = makeSpans(4);
    const pending = run(exporter, spans);
    await waitFor(() => requestsTo(server, TRACES) > 0, 'the events request to be on the wire');
    await exporter.shutdown();
    const result = await pending;
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /cancelled: the exporter is shutting down.*kept in the spool/);
    assert.deepEqual(exporter.lastFlushResult, {
      ok: false,
      timedOut: true,
      eventsSent: 0,
      eventsSpooled: 4,
      eventsDropped: 0,
      eventsPending: 0,
      errors: exporter.lastFlushResult!.errors,
    });
    assert.equal(exporter.lastFlushResult!.errors.length, 1);

    server.faults.clear();
    newExporter({ spoolDir });
    await waitFor(() => server.store.events().length === 4, 'the next exporter to resend at start');
    assertArrivedOnce(server, eventIds);
  });

  it('shutdown while in flight without a spool: the events are counted as dropped by shutdown', async () => {
    server.faults.push({ path: TRACES, hang: true, times: Infinity });
    const exporter = newExporter({ timeoutMillis: 10_000, exportTimeoutMillis: 15_000, flushTimeoutMillis: 50 });
    const { spans } = makeSpans(3);
    const pending = run(exporter, spans);
    await waitFor(() => requestsTo(server, TRACES) > 0, 'the events request to be on the wire');
    await exporter.shutdown();
    assert.equal((await pending).code, ExportResultCode.FAILED);
    assert.equal(exporter.getStats().dropped.shutdown, 3);
    assert.equal(exporter.lastFlushResult!.eventsDropped, 3);
  });

  it('restart with a non-empty spool: the new exporter resends at start, once, and deletes the files', async () => {
    const spoolDir = spoolDirUnderLeakRoot('restart');
    const { port } = server;
    await server.close();
    const before = newExporter({ spoolDir, exportTimeoutMillis: 200 });
    const batches = [makeSpans(3, 'a'), makeSpans(2, 'b')];
    for (const batch of batches) await run(before, batch.spans);
    await before.shutdown();
    assert.equal((await filesIn(spoolDir)).length, 2);

    server = await startServer({ port });
    const after = newExporter({ spoolDir });
    await waitFor(() => server.store.events().length === 5, 'the resend at start');
    await waitFor(async () => (await filesIn(spoolDir)).length === 0, 'the spool files to be deleted');
    assertArrivedOnce(
      server,
      batches.flatMap((batch) => batch.eventIds),
    );
    assert.equal(after.getStats().eventsResent, 5);
    // A second pass finds nothing to send again.
    assert.deepEqual(await after.resendSpool(), { sent: 0, rejected: 0, remainingFiles: 0 });
    assertArrivedOnce(
      server,
      batches.flatMap((batch) => batch.eventIds),
    );
  });

  it('flush says what became of an invocation’s spans: all sent, or not', async () => {
    const exporter = newExporter();
    const ok = makeSpans(3);
    void run(exporter, ok.spans);
    const sent = await exporter.flush();
    assert.deepEqual(sent, {
      ok: true,
      timedOut: false,
      eventsSent: 3,
      eventsSpooled: 0,
      eventsDropped: 0,
      eventsPending: 0,
      errors: [],
    });

    server.faults.push({ path: TRACES, status: 400, times: Infinity });
    void run(exporter, makeSpans(2).spans);
    // A SimpleSpanProcessor calls forceFlush() itself: that waits, and leaves the report to flush().
    await exporter.forceFlush();
    const failed = await exporter.flush();
    assert.deepEqual(exporter.lastFlushResult, failed);
    assert.equal(failed.ok, false);
    assert.equal(failed.eventsDropped, 2);
    assert.match(failed.errors[0]!, /answered 400/);
  });

  it('a serverless invocation: provider.forceFlush() then exporter.flush() tells what became of its spans', async () => {
    const exporter = newExporter({ exportTimeoutMillis: 300 });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('lambda');
    const invoke = async (): Promise<FlushResult> => {
      tracer.startSpan('handler').end();
      // With a SimpleSpanProcessor, the provider's flush rejects when an export failed; flush() says what happened.
      await provider.forceFlush().catch(() => undefined);
      return exporter.flush();
    };
    assert.deepEqual(await invoke(), {
      ok: true,
      timedOut: false,
      eventsSent: 1,
      eventsSpooled: 0,
      eventsDropped: 0,
      eventsPending: 0,
      errors: [],
    });
    server.faults.push({ path: TRACES, status: 503, times: Infinity });
    const failed = await invoke();
    assert.equal(failed.ok, false);
    assert.equal(failed.eventsDropped, 1);
    assert.match(failed.errors[0]!, /answered 503/);
    await provider.shutdown();
  });
});
