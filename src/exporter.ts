/**
 * HoneyHiveSpanExporter: the thin part that wires configuration, the pure
 * transform, delivery and the HTTP client together, and keeps the
 * SpanExporter contract: `export` never throws and calls back exactly once; an
 * empty batch succeeds without a request; `forceFlush` waits (within its time)
 * for what is in flight and says what became of it; after `shutdown`, every
 * export fails.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from './otel-sdk';
import { resolveConfig, type ExporterConfig, type HoneyHiveExporterOptions } from './config';
import { withEventRequestsInTurn } from './delivery/event-request-gate';
import { Enricher, type Enrichment, type EnrichResult } from './delivery/enrichment';
import { ExportPipeline } from './delivery/export-pipeline';
import { errorMessage } from './error-message';
import type { FlushResult } from './delivery/flush-window';
import { MemoryBudget } from './delivery/memory-budget';
import { SessionSender } from './delivery/session-sender';
import { destinationDirName, Spool, STALE_CLAIM_MILLIS } from './delivery/spool';
import { SpoolReplayer, type ReplayReport } from './delivery/spool-replayer';
import { spoolLossReporter, StatsRecorder, type ExporterStats } from './delivery/stats';
import { createTraceSelection, type TraceSelection } from './delivery/trace-selection';
import { fitEvent } from './delivery/truncation';
import { fitLimits } from './delivery/event-preparation';
import { createRedactor, withJsonForms, type Redactor } from './redact';
import { TransformMemory } from './transform';
import { createHoneyHiveApi } from './transport/honeyhive-api';
import type { HttpTransport } from './transport/http-transport';
import type { RequestSlots } from './transport/limited-transport';
import type { SerializedEvent } from './delivery/request-packing';
import { describeProxy } from './transport/proxy-environment';
import { createTransportStack } from './transport/transport-stack';
import { CLIENT_HEADERS, PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** A single event HoneyHive finds too large is shrunk by half each time, down to this size. */
const MIN_SHRUNK_EVENT_BYTES = 2048;

export interface FlushOptions {
  /** How long to wait for exports in flight. Default: the `flushTimeoutMillis` option. */
  timeoutMillis?: number;
}

export class HoneyHiveSpanExporter implements SpanExporter {
  /**
   * The configuration without the API key, the mask or the proxy (whose URL may hold credentials): they live
   * only in closures, so inspecting the exporter cannot show them.
   */
  private readonly config: Omit<ExporterConfig, 'apiKey' | 'mask' | 'proxyUrl'>;
  private readonly redact: Redactor;
  private readonly transport: HttpTransport;
  private readonly slots: RequestSlots;
  private readonly stats = new StatsRecorder();
  private readonly budget: MemoryBudget;
  private readonly pipeline: ExportPipeline;
  private readonly replayer: SpoolReplayer | undefined;
  private readonly selection: TraceSelection | undefined;
  private readonly enricher: Enricher;
  private readonly stopEnrichments = new AbortController();
  private readonly log = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private lastFlush: FlushResult | undefined;

  constructor(options: HoneyHiveExporterOptions = {}) {
    const { apiKey, mask, proxyUrl: proxy, ...config } = resolveConfig(options);
    this.config = config;
    // Events are redacted as JSON text too, where a key with a quote or backslash would appear escaped.
    this.redact = createRedactor(withJsonForms([apiKey]));
    const proxyDescription = proxy && describeProxy(proxy);
    if (proxyDescription) this.log.debug(`sending to ${config.serverUrl} through ${proxyDescription}`);
    ({ transport: this.transport, slots: this.slots } = createTransportStack({
      serverUrl: config.serverUrl,
      proxyUrl: proxy?.url,
      headers: {
        ...config.headers,
        ...CLIENT_HEADERS,
        Authorization: `Bearer ${apiKey}`,
        'User-Agent': `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`,
      },
      maxConcurrentRequests: config.maxConcurrentRequests,
      retry: { maxRetries: config.maxRetries, initialBackoffMillis: config.retryDelayMillis },
      compression: config.compression,
      onCompressionRefused: () =>
        this.log.warn(
          `${config.serverUrl} refused a gzip-compressed body (415): sending uncompressed from now on. ` +
            "Set compression: 'none' (HH_COMPRESSION=none) to skip the refused try.",
        ),
      onAttempt: (result) => this.stats.request(result),
      onRetry: () => this.stats.add('retries'),
    }));
    const api = createHoneyHiveApi(this.transport, {
      serverUrl: config.serverUrl,
      apiVersion: config.apiVersion,
      ...(proxyDescription ? { proxyDescription } : {}),
      timeoutMillis: config.timeoutMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
      secrets: [apiKey],
    });
    const preparation = {
      sendContent: config.sendContent,
      mask,
      maxValueBytes: config.maxValueBytes,
      maxBatchBytes: config.maxBatchBytes,
      redact: this.redact,
      apiVersion: config.apiVersion,
    };
    // Twice the wire's slots: the next requests are ready when a slot frees, and no more bodies than that exist.
    const sender = new SessionSender(withEventRequestsInTurn(api, config.maxConcurrentRequests), {
      apiVersion: config.apiVersion,
      sessionsInParallel: config.maxConcurrentRequests,
      maxBatchEvents: config.maxBatchEvents,
      maxBatchBytes: config.maxBatchBytes,
      shrink: (event) => this.shrink(event, fitLimits(preparation, Math.floor(event.bytes / 2))),
    });
    const spool =
      config.spoolDir === undefined
        ? undefined
        : new Spool({
            rootDir: config.spoolDir,
            destination: destinationDirName(config.serverUrl, apiKey),
            maxBytes: config.spoolMaxBytes,
            maxAgeMillis: config.spoolMaxAgeMillis,
            // A resend lasts one export deadline at most: a claim older than two belongs to a process that died.
            staleClaimMillis: Math.max(STALE_CLAIM_MILLIS, 2 * config.exportTimeoutMillis),
            onLoss: spoolLossReporter(this.stats, this.log),
          });
    this.selection = createTraceSelection(config.traceSelection, {
      stats: this.stats,
      log: this.log,
      redact: this.redact,
    });
    this.enricher = new Enricher({
      api,
      limits: fitLimits(preparation),
      sendContent: config.sendContent,
      exportTimeoutMillis: config.exportTimeoutMillis,
      stats: this.stats,
      log: this.log,
      signal: this.stopEnrichments.signal,
    });
    this.budget = new MemoryBudget(config.maxPendingBytes);
    this.pipeline = new ExportPipeline({
      transform: {
        project: config.project,
        source: config.source,
        sessionId: config.sessionId,
        sessionName: config.sessionName,
        memory: new TransformMemory(),
      },
      preparation,
      createSessions: config.createSessions,
      sender,
      spool,
      budget: this.budget,
      stats: this.stats,
      log: this.log,
      exportTimeoutMillis: config.exportTimeoutMillis,
    });
    if (spool) {
      this.replayer = new SpoolReplayer(spool, sender, {
        intervalMillis: config.spoolIntervalMillis,
        exportTimeoutMillis: config.exportTimeoutMillis,
        apiVersion: config.apiVersion,
        onReport: (report, errors) => this.recordReplay(report, errors),
      });
      this.replayer.start();
      void this.reportOtherDestinations(spool);
    }
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        this.log.error('the export result callback threw', this.redactedMessage(error));
      }
    };
    if (this.isShutdown) {
      const count = Array.isArray(spans) ? spans.length : 0;
      this.stats.add('spansReceived', count);
      this.stats.drop('afterShutdown', count);
      done({ code: ExportResultCode.FAILED, error: new Error('HoneyHive exporter is shut down') });
      return;
    }
    const selected = this.selection && Array.isArray(spans) ? this.selection.select(spans) : spans;
    if (selected !== spans && selected.length === 0) {
      done({ code: ExportResultCode.SUCCESS });
      return;
    }
    void this.pipeline
      .run(selected)
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
    return this.enricher.enrichSession(sessionId, enrichment);
  }

  /** Like {@link enrichSession}, for one event: `eventId` is {@link eventIdForSpan} of its span. */
  enrichEvent(eventId: string, enrichment: Enrichment): Promise<EnrichResult> {
    return this.enricher.enrichEvent(eventId, enrichment);
  }

  /**
   * Waits for the exports in flight (at most `flushTimeoutMillis`, or the given time) and resolves with what
   * became of everything exported since the previous `flush()`: sent, spooled, dropped or still pending.
   * Never rejects. Serverless: `await provider.forceFlush()` (hands every ended span over), then
   * `await exporter.flush()` and read the result.
   */
  async flush(options: FlushOptions = {}): Promise<FlushResult> {
    this.lastFlush = await this.pipeline.flush(options.timeoutMillis ?? this.config.flushTimeoutMillis);
    return this.lastFlush;
  }

  /**
   * The SpanExporter's flush: waits for the exports in flight, at most `flushTimeoutMillis`, and never rejects.
   * It leaves the outcome for {@link flush} to report, so a processor calling it (SimpleSpanProcessor does)
   * does not take the report from under the application.
   */
  async forceFlush(): Promise<void> {
    await this.pipeline.waitForExports(this.config.flushTimeoutMillis);
  }

  /**
   * Refuses new exports, waits for those in flight (at most `flushTimeoutMillis`), cancels what is still
   * running (spooling it when a spool is configured), then releases the HTTP agents. Never rejects; the
   * outcome is in {@link lastFlushResult}.
   */
  shutdown(): Promise<void> {
    this.isShutdown = true;
    this.shutdownPromise ??= (async () => {
      this.selection?.close();
      await this.replayer?.stop();
      this.lastFlush = await this.pipeline.flush(this.config.flushTimeoutMillis, true);
      await this.enricher.settle(this.config.flushTimeoutMillis);
      this.stopEnrichments.abort();
      this.transport.shutdown();
    })();
    return this.shutdownPromise;
  }

  /** The outcome of the last {@link flush} or {@link shutdown}; undefined before the first. */
  get lastFlushResult(): FlushResult | undefined {
    return this.lastFlush;
  }

  /** Counters since the exporter was created; see {@link ExporterStats}. */
  getStats(): ExporterStats {
    return this.stats.snapshot({ requestsInFlight: this.slots.inUse, pendingBytes: this.budget.heldBytes });
  }

  /** Resends the spool now (it also is on a timer); resolves with what was sent. Without a spool, nothing to do. */
  async resendSpool(): Promise<ReplayReport> {
    return (await this.replayer?.replay()) ?? { sent: 0, rejected: 0, remainingFiles: 0 };
  }

  private recordReplay(report: ReplayReport, errors: string[]): void {
    this.stats.add('eventsSent', report.sent);
    this.stats.add('eventsResent', report.sent);
    this.stats.drop('rejected', report.rejected);
    if (report.sent > 0) this.log.info(`resent ${report.sent} spooled events`);
    for (const error of errors) this.log.warn(`spool: ${this.redact(error)}`);
  }

  /** Says (once, at start) what is spooled for other destinations, which this exporter will not send. */
  private async reportOtherDestinations(spool: Spool): Promise<void> {
    const found = await spool.surveyOtherDestinations();
    if (found.events === 0) return;
    this.stats.add('eventsStranded', found.events);
    this.log.warn(
      `the spool holds ${found.events} events in ${found.files} files for ${found.directories} other destination(s) ` +
        '(another serverUrl or API key), which this exporter does not send: to resend them, run an exporter with ' +
        'that serverUrl and API key on the same spoolDir; they are deleted once older than spoolMaxAgeMillis',
    );
  }

  /** A smaller version of one event HoneyHive refused as too large, or undefined when it cannot shrink further. */
  private shrink(event: SerializedEvent, limits: ReturnType<typeof fitLimits>): SerializedEvent | undefined {
    if (limits.maxEventBytes < MIN_SHRUNK_EVENT_BYTES) return undefined;
    const fitted = fitEvent(JSON.parse(event.json), limits);
    this.stats.add('truncatedValues', fitted.truncatedValues);
    return { eventId: event.eventId, json: fitted.json, bytes: fitted.bytes };
  }

  private redactedMessage(error: unknown): string {
    return this.redact(errorMessage(error));
  }
}
