/**
 * The exporter's collaborators, built and wired from one resolved
 * configuration: the transport stack and HoneyHive's API over it, trace
 * selection, the per-export pipeline and the tracker of exports in flight,
 * the session sender, the spool and its replayer, enrichment, and the stats
 * they all count into. The API key, the mask and the proxy URL are used here
 * and kept only inside the parts that need them, never in a field of their
 * own.
 */
import { diag, type DiagLogger } from '@opentelemetry/api';
import type { ExporterConfig } from '../config';
import { createRedactor, withJsonForms, type Redactor } from '../redact';
import { TransformMemory } from '../transform';
import { createHoneyHiveApi } from '../transport/honeyhive-api';
import { describeProxy } from '../transport/proxy-environment';
import { createTransportStack } from '../transport/transport-stack';
import { CLIENT_HEADERS, PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { Enricher } from './enrichment';
import { withEventRequestsInTurn } from './event-request-gate';
import { fitLimits, type PreparationOptions } from './event-preparation';
import { ExportPipeline } from './export-pipeline';
import { ExportTracker } from './export-tracker';
import { FlushWindow } from './flush-window';
import { MemoryBudget } from './memory-budget';
import type { SerializedEvent } from './request-packing';
import { SessionSender } from './session-sender';
import { destinationDirName, Spool, STALE_CLAIM_MILLIS } from './spool';
import { SpoolReplayer, type ReplayReport } from './spool-replayer';
import { spoolLossReporter, StatsRecorder, type ExporterStats } from './stats';
import { createTraceSelection, type TraceSelection } from './trace-selection';
import { fitEvent } from './truncation';

/** A single event HoneyHive finds too large is shrunk by half each time, down to this size. */
const MIN_SHRUNK_EVENT_BYTES = 2048;

export interface Delivery {
  readonly log: DiagLogger;
  /** Removes the API key from text (also in its JSON-escaped forms). */
  readonly redact: Redactor;
  readonly stats: StatsRecorder;
  /** Undefined when every trace is exported (`traceSelection: 'all'`). */
  readonly selection: TraceSelection | undefined;
  readonly pipeline: ExportPipeline;
  readonly tracker: ExportTracker;
  readonly enricher: Enricher;
  /** Undefined without a spool. */
  readonly replayer: SpoolReplayer | undefined;
  /** The gauges of {@link ExporterStats}: requests on the wire, bytes held by unfinished exports. */
  gauges(): Pick<ExporterStats, 'requestsInFlight' | 'pendingBytes'>;
  /** Cancels enrichments still in flight and releases the HTTP agents; last step of shutdown. */
  close(): void;
}

export function assembleDelivery(resolved: ExporterConfig): Delivery {
  const { apiKey, mask, proxyUrl: proxy, ...config } = resolved;
  const log = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  const stats = new StatsRecorder();
  // Events are redacted as JSON text too, where a key with a quote or backslash would appear escaped.
  const redact = createRedactor(withJsonForms([apiKey]));
  const proxyDescription = proxy && describeProxy(proxy);
  if (proxyDescription) log.debug(`sending to ${config.serverUrl} through ${proxyDescription}`);
  const { transport, slots } = createTransportStack({
    serverUrl: config.serverUrl,
    proxyUrl: proxy?.url,
    headers: {
      ...config.headers,
      ...CLIENT_HEADERS,
      Authorization: `Bearer ${apiKey}`,
      'User-Agent': `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`,
    },
    maxConcurrentRequests: config.maxConcurrentRequests,
    retry: { maxRetries: config.maxRetries, retryDelayMillis: config.retryDelayMillis },
    compression: config.compression,
    onCompressionRefused: () =>
      log.warn(
        `${config.serverUrl} refused a gzip-compressed body (415): sending uncompressed from now on. ` +
          "Set compression: 'none' (HH_COMPRESSION=none) to skip the refused try.",
      ),
    onAttempt: (result) => stats.request(result),
    onRetry: () => stats.add('retries'),
  });
  const api = createHoneyHiveApi(transport, {
    serverUrl: config.serverUrl,
    apiVersion: config.apiVersion,
    ...(proxyDescription ? { proxyDescription } : {}),
    timeoutMillis: config.timeoutMillis,
    exportTimeoutMillis: config.exportTimeoutMillis,
    secrets: [apiKey],
  });
  const preparation: PreparationOptions = {
    sendContent: config.sendContent,
    mask,
    maxValueBytes: config.maxValueBytes,
    maxBatchBytes: config.maxBatchBytes,
    redact,
    apiVersion: config.apiVersion,
  };
  /** A smaller version of one event HoneyHive refused as too large, or undefined when it cannot shrink further. */
  const shrink = (event: SerializedEvent): SerializedEvent | undefined => {
    const limits = fitLimits(preparation, Math.floor(event.bytes / 2));
    if (limits.maxEventBytes < MIN_SHRUNK_EVENT_BYTES) return undefined;
    const fitted = fitEvent(JSON.parse(event.json), limits);
    stats.add('truncatedValues', fitted.truncatedValues);
    return { eventId: event.eventId, json: fitted.json, bytes: fitted.bytes };
  };
  const sender = new SessionSender(withEventRequestsInTurn(api, config.maxConcurrentRequests), {
    apiVersion: config.apiVersion,
    sessionsInParallel: config.maxConcurrentRequests,
    maxBatchEvents: config.maxBatchEvents,
    maxBatchBytes: config.maxBatchBytes,
    shrink,
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
          onLoss: spoolLossReporter(stats, log),
        });
  const stopEnrichments = new AbortController();
  const enricher = new Enricher({
    api,
    limits: fitLimits(preparation),
    sendContent: config.sendContent,
    exportTimeoutMillis: config.exportTimeoutMillis,
    stats,
    log,
    signal: stopEnrichments.signal,
  });
  const budget = new MemoryBudget(config.maxPendingBytes);
  const window = new FlushWindow(stats);
  const pipeline = new ExportPipeline({
    transform: {
      // v1 refuses a per-event project (the API key decides it): not written only to be removed again.
      project: config.apiVersion === 'v1' ? undefined : config.project,
      source: config.source,
      sessionId: config.sessionId,
      sessionName: config.sessionName,
      memory: new TransformMemory(),
    },
    preparation,
    createSessions: config.createSessions,
    sender,
    spool,
    budget,
    stats,
    log,
    window,
    exportTimeoutMillis: config.exportTimeoutMillis,
  });
  let replayer: SpoolReplayer | undefined;
  if (spool) {
    replayer = new SpoolReplayer(spool, sender, {
      intervalMillis: config.spoolIntervalMillis,
      exportTimeoutMillis: config.exportTimeoutMillis,
      apiVersion: config.apiVersion,
      onReport: (report, errors) => recordReplay(report, errors, stats, log, redact),
    });
    replayer.start();
    void reportOtherDestinations(spool, stats, log);
  }
  return {
    log,
    redact,
    stats,
    selection: createTraceSelection(config.traceSelection, { stats, log, redact }),
    pipeline,
    tracker: new ExportTracker(window),
    enricher,
    replayer,
    gauges: () => ({ requestsInFlight: slots.inUse, pendingBytes: budget.heldBytes }),
    close() {
      stopEnrichments.abort();
      transport.shutdown();
    },
  };
}

function recordReplay(
  report: ReplayReport,
  errors: readonly string[],
  stats: StatsRecorder,
  log: DiagLogger,
  redact: Redactor,
): void {
  stats.add('eventsSent', report.sent);
  stats.add('eventsResent', report.sent);
  stats.drop('rejected', report.rejected);
  if (report.sent > 0) log.info(`resent ${report.sent} spooled events`);
  for (const error of errors) log.warn(`spool: ${redact(error)}`);
}

/** Says (once, at start) what is spooled for other destinations, which this exporter will not send. */
async function reportOtherDestinations(spool: Spool, stats: StatsRecorder, log: DiagLogger): Promise<void> {
  const found = await spool.surveyOtherDestinations();
  if (found.events === 0) return;
  stats.add('eventsStranded', found.events);
  log.warn(
    `the spool holds ${found.events} events in ${found.files} files for ${found.directories} other destination(s) ` +
      '(another serverUrl or API key), which this exporter does not send: to resend them, run an exporter with ' +
      'that serverUrl and API key on the same spoolDir; they are deleted once older than spoolMaxAgeMillis',
  );
}
