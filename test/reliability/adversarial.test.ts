/**
 * What an adversarial user or server does to the exporter, over real HTTP on
 * loopback: user code that misbehaves never takes the app down, no export,
 * flush or shutdown waits past its deadline whatever the server does, and
 * every loss is counted.
 */
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { HoneyHiveEvent, HoneyHiveExporterOptions, HoneyHiveSpanExporter } from '../../src';
import { MASK_FAILED_KEY, MASK_FAILED_MARKER } from '../../src/delivery/masking';
import { exportSpans } from '../helpers/export';
import { captureDiag, capturedLogLines, recordError } from './leak-watch';
import { makeSpans, suiteResources } from './harness';
import { startMisbehavingReceiver, type MisbehavingReceiver } from './misbehaving-receiver';

const SESSION = 'adversarial';

describe('reliability: hostile users and servers', function () {
  this.timeout(10_000);
  const resources = suiteResources();
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  let receiver: MisbehavingReceiver;

  before(() => process.on('unhandledRejection', onRejection));
  after(() => process.off('unhandledRejection', onRejection));

  beforeEach(async () => {
    captureDiag();
    receiver = await startMisbehavingReceiver();
  });

  afterEach(async () => {
    await receiver.close();
    // Give a rejection from the test's last ticks the chance to surface.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(rejections.splice(0), [], 'no unhandled rejection');
  });

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
