/**
 * What an adversarial user or server does to the exporter, over real HTTP on
 * loopback: user code that misbehaves never takes the app down, no export,
 * flush or shutdown waits past its deadline whatever the server does, and
 * every loss is counted.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { HoneyHiveEvent, HoneyHiveExporterOptions, HoneyHiveSpanExporter } from '../../src';
import { MASK_FAILED_KEY, MASK_FAILED_MARKER } from '../../src/delivery/masking';
import { destinationDirName } from '../../src/delivery/spool';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { captureDiag, capturedLogLines, recordError, spoolDirUnderLeakRoot } from './leak-watch';
import { eventIdOf, failOnUnhandledRejections, makeSpans, suiteResources } from './harness';
import { startMisbehavingReceiver, type MisbehavingReceiver } from './misbehaving-receiver';

const SESSION = 'adversarial';

describe('reliability: hostile users and servers', function () {
  this.timeout(10_000);
  const resources = suiteResources();
  failOnUnhandledRejections();
  let receiver: MisbehavingReceiver;

  beforeEach(async () => {
    captureDiag();
    receiver = await startMisbehavingReceiver();
  });

  afterEach(() => receiver.close());

  function newExporter(options: HoneyHiveExporterOptions = {}): HoneyHiveSpanExporter {
    return resources.newExporter({ serverUrl: receiver.url, sessionId: SESSION, ...options });
  }

  function eventsReceived(): string[] {
    return receiver.requests.flatMap((request) => request.eventIds);
  }

  async function timed<T>(work: Promise<T>): Promise<{ value: T; millis: number }> {
    const start = Date.now();
    const value = await work;
    return { value, millis: Date.now() - start };
  }

  describe('an async mask', () => {
    for (const [what, mask] of [
      ['rejects', () => Promise.reject(new Error('secret content in the message'))],
      ['resolves', (event: HoneyHiveEvent) => Promise.resolve(event)],
    ] as const) {
      it(`that ${what}: refused as a mask failure, the event sent without content and marked, one warning, no crash`, async () => {
        const logStart = capturedLogLines.length;
        const exporter = newExporter({ mask: mask as unknown as HoneyHiveExporterOptions['mask'] });
        const first = makeSpans(2);
        const second = makeSpans(2, 'again');
        const results = [await exportSpans(exporter, first.spans), await exportSpans(exporter, second.spans)];
        assert.deepEqual(
          results.map((result) => result.code),
          [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS],
        );
        assert.deepEqual(eventsReceived().sort(), [...first.eventIds, ...second.eventIds].sort());
        for (const event of receiver.requests.flatMap((request) => request.events)) {
          assert.equal((event.metadata as Record<string, unknown>)[MASK_FAILED_KEY], MASK_FAILED_MARKER);
          assert.deepEqual(event.inputs, {});
        }
        assert.equal(exporter.getStats().maskFailures, 4);
        const lines = capturedLogLines.slice(logStart);
        const warnings = lines.filter((line) => line.includes('the mask returned a Promise'));
        assert.equal(warnings.filter((line) => line.includes('said once')).length, 1, warnings.join('\n'));
        assert.ok(!lines.some((line) => line.includes('secret content')));
      });
    }
  });

  describe('one bad span loses only itself, and the loss is counted', () => {
    /** A copy of `span` with `fields` in place of its own (the rest read through to the SDK's span). */
    function withFields(span: ReadableSpan, fields: Record<string, unknown>): ReadableSpan {
      return Object.create(span, Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, { value }])));
    }
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('resource attribute read');
        },
        ownKeys: () => {
          throw new Error('resource attribute keys');
        },
      },
    );

    it('odd parent ids, status messages and resources: 50 good spans arrive, odd values coerced, the unreadable one counted', async () => {
      const server = await resources.startServer();
      const exporter = resources.newExporter({ serverUrl: server.url, sessionId: SESSION });
      const good = makeSpans(50);
      const [parent, status, resource] = makeSpans(3, 'odd').spans;
      const spans = [
        ...good.spans,
        withFields(parent!, {
          parentSpanContext: { traceId: parent!.spanContext().traceId, spanId: 42, traceFlags: 1 },
        }),
        withFields(status!, { status: { code: 2, message: { reason: 'not a string' } } }),
        withFields(resource!, { resource: { attributes: throwing } }),
      ];
      const result = await exportSpans(exporter, spans);
      recordError(result.error);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
      const stored = server.store.events();
      assert.deepEqual(
        stored.map((event) => event.event_id).sort(),
        [...good.eventIds, eventIdOf(parent!), eventIdOf(status!)].sort(),
      );
      const withStatus = stored.find((event) => event.event_id === eventIdOf(status!))!;
      assert.equal(withStatus.error, '{"reason":"not a string"}');
      const orphan = stored.find((event) => event.event_id === eventIdOf(parent!))!;
      assert.equal(orphan.parent_id, orphan.session_id, 'a parent id that is not a string is no parent');
      const stats = exporter.getStats();
      assert.equal(stats.dropped.unreadableSpan, 1);
      assert.equal(stats.eventsSent, 52);
    });
  });

  describe('memory is bounded by configuration', () => {
    it('an export over maxPendingBytes is refused before its spans are transformed: counted, logged, nothing read', async () => {
      const server = await resources.startServer();
      server.faults.push({ path: /\/traces$/, delayMs: 300 });
      const exporter = resources.newExporter({
        serverUrl: server.url,
        sessionId: SESSION,
        maxPendingBytes: 8192,
        // Trace selection reads each span's trace id before anything else, by design; this is about the transform.
        traceSelection: 'all',
      });
      const held = makeSpans(8, 'held');
      let reads = 0;
      const refused = makeSpans(8, 'refused').spans.map(
        (span) =>
          Object.create(span, {
            spanContext: {
              value: () => {
                reads += 1;
                return span.spanContext();
              },
            },
          }) as ReadableSpan,
      );
      const [first, second] = await Promise.all([exportSpans(exporter, held.spans), exportSpans(exporter, refused)]);
      recordError(second.error);
      assert.equal(first.code, ExportResultCode.SUCCESS);
      assert.equal(second.code, ExportResultCode.FAILED);
      assert.match(second.error!.message, /would pass maxPendingBytes \(8192\): 8 events dropped/);
      assert.equal(reads, 0, 'the refused spans were never transformed');
      const stats = exporter.getStats();
      assert.equal(stats.dropped.overload, 8);
      assert.equal(stats.spansReceived, 16);
      assert.deepEqual(
        server.store
          .events()
          .map((event) => event.event_id)
          .sort(),
        [...held.eventIds].sort(),
      );
    });
  });

  it('a server answering 413 to everything: one descent of halves, not a request per event; the loss counted', async () => {
    receiver.on(/\/traces$/, { kind: 'answer', status: 413, body: '{"message":"too large"}' });
    const exporter = newExporter();
    const result = await exportSpans(exporter, makeSpans(50).spans);
    recordError(result.error);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /answered 413/);
    const eventRequests = receiver.requests.filter((request) => request.path.endsWith('/traces')).length;
    // 50, 25, 13, 7, 4, 2, 1: the halves left are not sent.
    assert.ok(eventRequests <= 8, `${eventRequests} requests for 50 events`);
    assert.equal(exporter.getStats().dropped.rejected, 50);
  });

  it('exports after shutdown() are refused and counted', async () => {
    const exporter = newExporter();
    await exporter.shutdown();
    const result = await exportSpans(exporter, makeSpans(3).spans);
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /shut down/);
    const stats = exporter.getStats();
    assert.equal(stats.spansReceived, 3);
    assert.equal(stats.dropped.afterShutdown, 3);
    assert.equal(receiver.requests.length, 0);
  });

  describe('the spool', () => {
    async function waitFor(condition: () => boolean | Promise<boolean>, what: string, millis = 4000): Promise<void> {
      const deadline = Date.now() + millis;
      while (!(await condition())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    /** Spools `sizes.length` batches (one file each) for `apiKey` while the server is down, then brings it back. */
    async function spoolWhileDown(spoolDir: string, sizes: number[], apiKey = TEST_API_KEY) {
      let server = await resources.startServer();
      const { port, url } = server;
      await server.close();
      const down = resources.newExporter({
        serverUrl: url,
        sessionId: SESSION,
        spoolDir,
        apiKey,
        exportTimeoutMillis: 200,
      });
      const batches = [];
      for (const [index, size] of sizes.entries()) {
        const batch = makeSpans(size, `spooled-${index}`);
        recordError((await exportSpans(down, batch.spans)).error);
        batches.push(batch);
      }
      await down.shutdown();
      server = await resources.startServer({ port });
      const dir = path.join(spoolDir, destinationDirName(url, apiKey));
      const files = (await fs.readdir(dir)).sort();
      assert.equal(files.length, sizes.length);
      return { server, dir, files, batches };
    }

    it('spooled under another API key: found at start, counted, warned about once, expired by age; resent by an exporter with that key', async () => {
      const spoolDir = spoolDirUnderLeakRoot('other-destination');
      const { server, batches } = await spoolWhileDown(spoolDir, [3], 'the-old-key');
      const oldDir = path.join(spoolDir, destinationDirName(server.url, 'the-old-key'));
      const threeDaysAgo = Date.now() - 3 * 24 * 3600_000;
      await fs.writeFile(path.join(oldDir, `${threeDaysAgo}-2-0123456789abcdef.json`), '{}');
      const logStart = capturedLogLines.length;

      const current = resources.newExporter({ serverUrl: server.url, sessionId: SESSION, spoolDir });
      await waitFor(() => current.getStats().eventsStranded === 3, 'the other destination to be counted');
      assert.equal(current.getStats().dropped.spoolExpired, 2);
      const warnings = capturedLogLines.slice(logStart).filter((line) => line.includes('other destination'));
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0]!,
        /3 events in 1 files for 1 other destination.*run an exporter with that serverUrl and API key on the same spoolDir/,
      );
      assert.equal(server.store.events().length, 0, 'never sent with the wrong key');

      // The advice: an exporter with the old key and URL on the same spool resends them.
      resources.newExporter({ serverUrl: server.url, sessionId: SESSION, spoolDir, apiKey: 'the-old-key' });
      await waitFor(() => server.store.events().length === 3, 'the old key to resend');
      assert.deepEqual(
        server.store
          .events()
          .map((event) => event.event_id)
          .sort(),
        [...batches[0]!.eventIds].sort(),
      );
    });

    it('after a crash: a stale claim is resent at start, a half-written file is deleted and counted, a directory does not stop the pass', async () => {
      const spoolDir = spoolDirUnderLeakRoot('after-a-crash');
      const { server, dir, files, batches } = await spoolWhileDown(spoolDir, [1, 2, 3]);
      const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000);
      // Claimed by a process that died mid-resend.
      await fs.rename(path.join(dir, files[0]!), path.join(dir, `${files[0]}.sending`));
      await fs.utimes(path.join(dir, `${files[0]}.sending`), fiveMinutesAgo, fiveMinutesAgo);
      // A write the process died in: only its temporary file is left.
      const temporary = path.join(dir, `${files[1]}.0123456789ab.tmp`);
      await fs.rename(path.join(dir, files[1]!), temporary);
      await fs.utimes(temporary, fiveMinutesAgo, fiveMinutesAgo);
      // Something else's directory, named like a spool file and older than every file.
      await fs.mkdir(path.join(dir, `${Date.now() - 60_000}-1-0123456789abcdef.json`));

      const exporter = resources.newExporter({ serverUrl: server.url, sessionId: SESSION, spoolDir });
      const expected = [...batches[0]!.eventIds, ...batches[2]!.eventIds].sort();
      await waitFor(() => server.store.events().length === expected.length, 'the spool to be resent');
      assert.deepEqual(
        server.store
          .events()
          .map((event) => event.event_id)
          .sort(),
        expected,
      );
      await waitFor(
        async () => !(await fs.readdir(dir)).some((name) => name.endsWith('.tmp')),
        'the temporary file to go',
      );
      await waitFor(() => exporter.getStats().dropped.spoolError === 2, 'the half-written batch to be counted lost');
    });
  });

  describe('server text in errors and log lines', () => {
    const hostile =
      '\u001b[31mstored nothing\u001b[0m\r\n2026-01-01 level=error msg="forged log line"\u0007\u202e' +
      'y'.repeat(20_000);
    for (const [what, body, contentType] of [
      ['a JSON message', JSON.stringify({ message: hostile }), 'application/json'],
      ['a plain-text page', hostile, 'text/plain'],
    ] as const) {
      it(`${what} with escapes, newlines and 20 KB: stripped of control characters, bounded, still useful`, async () => {
        receiver.on(/\/traces$/, { kind: 'answer', status: 400, body, contentType });
        const logStart = capturedLogLines.length;
        const exporter = newExporter();
        const result = await exportSpans(exporter, makeSpans(1).spans);
        recordError(result.error);
        const message = result.error!.message;
        assert.match(message, /answered 400 .*stored nothing 2026-01-01 level=error msg="forged log line" y+…/);
        assert.ok(message.length < 1000, `${message.length} characters`);
        const lines = [message, ...capturedLogLines.slice(logStart)];
        for (const line of lines) {
          // eslint-disable-next-line no-control-regex
          assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202e]/, JSON.stringify(line.slice(0, 200)));
        }
      });
    }
  });

  describe('the deadline holds whatever the server does', () => {
    it('a 200 whose body trickles in a byte at a time: the export ends by exportTimeoutMillis', async () => {
      receiver.on(/./, { kind: 'trickle', status: 200, everyMillis: 50 });
      const exporter = newExporter({ exportTimeoutMillis: 1000, timeoutMillis: 10_000 });
      const { spans } = makeSpans(3);
      const { value: result, millis } = await timed(exportSpans(exporter, spans));
      recordError(result.error);
      assert.ok(millis < 1500, `the export took ${millis} ms`);
      // HoneyHive said 200: the events were stored, however the body ends.
      assert.equal(result.code, ExportResultCode.SUCCESS);
      assert.equal(exporter.getStats().eventsSent, 3);
    });

    it('a 2xx whose body is larger than any response cap is a success, counted as sent', async () => {
      receiver.on(/\/traces$/, { kind: 'huge', status: 200, bytes: 6 * 1024 * 1024 });
      const exporter = newExporter();
      const { spans, eventIds } = makeSpans(3);
      const result = await exportSpans(exporter, spans);
      recordError(result.error);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
      assert.deepEqual(eventsReceived().sort(), [...eventIds].sort());
      const stats = exporter.getStats();
      assert.equal(stats.eventsSent, 3);
      assert.equal(stats.dropped.rejected, 0);
      assert.equal(stats.retries, 0);
    });

    it('a 503 whose body trickles: the export fails by its deadline, counted', async () => {
      receiver.on(/\/traces$/, { kind: 'trickle', status: 503, everyMillis: 50 });
      const exporter = newExporter({ exportTimeoutMillis: 1000, timeoutMillis: 10_000 });
      const { spans } = makeSpans(2);
      const { value: result, millis } = await timed(exportSpans(exporter, spans));
      recordError(result.error);
      assert.ok(millis < 1500, `the export took ${millis} ms`);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.match(result.error!.message, /answered 503/);
      assert.equal(exporter.getStats().dropped.undeliverable, 2);
    });

    it('through a BatchSpanProcessor: forceFlush and shutdown resolve by the deadline', async () => {
      receiver.on(/./, { kind: 'trickle', status: 200, everyMillis: 50 });
      const exporter = newExporter({ exportTimeoutMillis: 800, timeoutMillis: 10_000, flushTimeoutMillis: 300 });
      const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
      const tracer = provider.getTracer('trickle');
      tracer.startSpan('one').end();
      const flushed = await timed(provider.forceFlush());
      assert.ok(flushed.millis < 1300, `forceFlush took ${flushed.millis} ms`);
      tracer.startSpan('two').end();
      const shutdown = await timed(provider.shutdown());
      assert.ok(shutdown.millis < 1300, `shutdown took ${shutdown.millis} ms`);
    });

    it('shutdown while a body trickles: cancelled at flushTimeoutMillis', async () => {
      receiver.on(/\/traces$/, { kind: 'trickle', status: 503, everyMillis: 50 });
      const exporter = newExporter({ exportTimeoutMillis: 10_000, timeoutMillis: 10_000, flushTimeoutMillis: 200 });
      const pending = exportSpans(exporter, makeSpans(2).spans);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { millis } = await timed(exporter.shutdown());
      assert.ok(millis < 700, `shutdown took ${millis} ms`);
      const result = await pending;
      recordError(result.error);
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.equal(exporter.getStats().dropped.shutdown, 2);
    });
  });
});
