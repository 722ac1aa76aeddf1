/**
 * HoneyHiveSpanExporter: the SpanExporter contract over the delivery that
 * src/delivery/assembly.ts wires from the configuration. `export` never
 * throws and calls back exactly once; an empty batch succeeds without a
 * request; `forceFlush` waits (within its time) for what is in flight;
 * `flush` also says what became of it; after `shutdown`, every export fails.
 */
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from './otel-sdk';
import { resolveConfig, type HoneyHiveExporterOptions } from './config';
import { assembleDelivery, type Delivery } from './delivery/assembly';
import type { Enrichment, EnrichResult } from './delivery/enrichment';
import type { FlushResult } from './delivery/flush-window';
import type { ReplayReport } from './delivery/spool-replayer';
import type { ExporterStats } from './delivery/stats';
import { errorMessage } from './error-message';

export interface FlushOptions {
  /** How long to wait for exports in flight. Default: the `flushTimeoutMillis` option. */
  timeoutMillis?: number;
}

export class HoneyHiveSpanExporter implements SpanExporter {
  /** Everything but the contract: see src/delivery/assembly.ts. The API key, mask and proxy are not kept in fields. */
  private readonly delivery: Delivery;
  private readonly flushTimeoutMillis: number;
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private lastFlush: FlushResult | undefined;

  constructor(options: HoneyHiveExporterOptions = {}) {
    const config = resolveConfig(options);
    this.flushTimeoutMillis = config.flushTimeoutMillis;
    this.delivery = assembleDelivery(config);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        this.delivery.log.error('the export result callback threw', this.redactedMessage(error));
      }
    };
    const { stats, selection, pipeline, tracker } = this.delivery;
    if (this.isShutdown) {
      const count = Array.isArray(spans) ? spans.length : 0;
      stats.add('spansReceived', count);
      stats.drop('afterShutdown', count);
      done({ code: ExportResultCode.FAILED, error: new Error('HoneyHive exporter is shut down') });
      return;
    }
    const selected = selection && Array.isArray(spans) ? selection.select(spans) : spans;
    if (selected !== spans && selected.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    const events = Array.isArray(selected) ? selected.length : 0;
    void tracker
      .track(events, (ticket) => pipeline.run(selected, ticket))
      .then((result) =>
        done(result.error ? { code: result.code, error: new Error(this.redactedMessage(result.error)) } : result),
      );
  }

  /**
   * Adds fields to a session HoneyHive has (or will have): user feedback that arrives later, an
   * evaluator's metrics, metadata, user properties, outputs. `sessionId` as the exporter knows it
   * (`sessionId`, `withSession`, `session.id`; a non-UUID maps to the same UUID). Sent at once as one update
   * through the exporter's transport (retries, the export deadline, secrets redacted, counted in stats);
   * resolves with the outcome, never rejects.
   */
  enrichSession(sessionId: string, enrichment: Enrichment): Promise<EnrichResult> {
    return this.delivery.enricher.enrichSession(sessionId, enrichment);
  }

  /** Like {@link enrichSession}, for one event: `eventId` is {@link eventIdForSpan} of its span. */
  enrichEvent(eventId: string, enrichment: Enrichment): Promise<EnrichResult> {
    return this.delivery.enricher.enrichEvent(eventId, enrichment);
  }

  /**
   * Waits for the exports in flight (at most `flushTimeoutMillis`, or the given time) and resolves with what
   * became of everything exported since the previous `flush()`: sent, spooled, dropped or still pending.
   * Never rejects. Serverless: `await provider.forceFlush()` (hands every ended span over), then
   * `await exporter.flush()` and read the result.
   */
  async flush(options: FlushOptions = {}): Promise<FlushResult> {
    this.lastFlush = await this.delivery.tracker.flush(options.timeoutMillis ?? this.flushTimeoutMillis);
    return this.lastFlush;
  }

  /**
   * The SpanExporter's flush: waits for the exports in flight, at most `flushTimeoutMillis`, and never rejects.
   * It leaves the outcome for {@link flush} to report, so a processor calling it (SimpleSpanProcessor does)
   * does not take the report from under the application.
   */
  async forceFlush(): Promise<void> {
    await this.delivery.tracker.waitForExports(this.flushTimeoutMillis);
  }

  /**
   * Refuses new exports, waits for those in flight (at most `flushTimeoutMillis`), cancels what is still
   * running (spooling it when a spool is configured), then releases the HTTP agents. Never rejects; the
   * outcome is in {@link lastFlushResult}.
   */
  shutdown(): Promise<void> {
    this.isShutdown = true;
    this.shutdownPromise ??= (async () => {
      const { selection, replayer, tracker, enricher } = this.delivery;
      selection?.close();
      await replayer?.stop();
      this.lastFlush = await tracker.flushThenCancel(this.flushTimeoutMillis);
      await enricher.settle(this.flushTimeoutMillis);
      this.delivery.close();
    })();
    return this.shutdownPromise;
  }

  /** The outcome of the last {@link flush} or {@link shutdown}; undefined before the first. */
  get lastFlushResult(): FlushResult | undefined {
    return this.lastFlush;
  }

  /** Counters since the exporter was created; see {@link ExporterStats}. */
  getStats(): ExporterStats {
    return this.delivery.stats.snapshot(this.delivery.gauges());
  }

  /** Resends the spool now (it also is on a timer); resolves with what was sent. Without a spool, nothing to do. */
  async resendSpool(): Promise<ReplayReport> {
    return (await this.delivery.replayer?.replay()) ?? { sent: 0, rejected: 0, remainingFiles: 0 };
  }

  private redactedMessage(error: unknown): string {
    return this.delivery.redact(errorMessage(error));
  }
}
