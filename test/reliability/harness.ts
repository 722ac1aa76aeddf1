/**
 * What the reliability suites share: dev servers and exporters that are
 * closed after each test, quick-failing exporter options, and numbered spans
 * with their event ids.
 */
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from '../../src';
import { startDevServer, type DevServerHandle, type DevServerOptions } from '../../src/dev-server';
import { eventIdForSpan } from '../../src/transform/ids';
import { TEST_API_KEY } from '../helpers/export';
import { spanRecorder } from '../helpers/sdk-spans';

/** Short waits and timeouts, and a spool timer that never fires by itself during a test. */
export const FAST_EXPORTER_OPTIONS: HoneyHiveExporterOptions = {
  apiKey: TEST_API_KEY,
  retryDelayMillis: 5,
  timeoutMillis: 2000,
  exportTimeoutMillis: 5000,
  spoolIntervalMillis: 3_600_000,
};

export interface SuiteResources {
  /** A dev server on a free port, closed after the test. */
  startServer(options?: DevServerOptions): Promise<DevServerHandle>;
  /** An exporter with {@link FAST_EXPORTER_OPTIONS} and these, shut down after the test. */
  newExporter(options: HoneyHiveExporterOptions): HoneyHiveSpanExporter;
}

/** Call inside a `describe`: registers the afterEach that shuts the test's exporters down, then closes its servers. */
export function suiteResources(): SuiteResources {
  const servers: DevServerHandle[] = [];
  const exporters: HoneyHiveSpanExporter[] = [];
  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((exporter) => exporter.shutdown()));
    await Promise.all(servers.splice(0).map((handle) => handle.close()));
  });
  return {
    async startServer(options = {}) {
      const handle = await startDevServer({ port: 0, ...options });
      servers.push(handle);
      return handle;
    },
    newExporter(options) {
      const exporter = new HoneyHiveSpanExporter({ ...FAST_EXPORTER_OPTIONS, ...options });
      exporters.push(exporter);
      return exporter;
    },
  };
}

export function eventIdOf(span: ReadableSpan): string {
  return eventIdForSpan(span.spanContext().traceId, span.spanContext().spanId);
}

/** `count` finished spans and the event ids they become. */
export function makeSpans(count: number, prefix = 'span'): { spans: ReadableSpan[]; eventIds: string[] } {
  const { tracer, take } = spanRecorder();
  for (let i = 0; i < count; i++)
    tracer.startSpan(`${prefix}-${i}`, { attributes: { 'input.value': `question ${i}` } }).end();
  const spans = take();
  return { spans, eventIds: spans.map(eventIdOf) };
}

/**
 * Call inside a `describe`: fails each test after which a promise was left rejected unhandled (the
 * exporter must never let one reach the process).
 */
export function failOnUnhandledRejections(): void {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  before(() => process.on('unhandledRejection', onRejection));
  after(() => process.off('unhandledRejection', onRejection));
  afterEach(async () => {
    // Give a rejection from the test's last ticks the chance to surface.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(rejections.splice(0), [], 'no unhandled rejection');
  });
}
