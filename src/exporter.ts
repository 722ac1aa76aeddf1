/**
 * HoneyHiveSpanExporter: the thin part that wires configuration, the pure
 * transform and the HTTP client together, and keeps the SpanExporter contract:
 * `export` never throws and calls back exactly once; an empty batch succeeds
 * without a request; `forceFlush` waits for what is in flight; after
 * `shutdown`, every export fails.
 */
import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BoundedMap } from './bounded-map';
import { resolveConfig, type ExporterConfig, type HoneyHiveExporterOptions } from './config';
import { redactSecrets } from './redact';
import { TransformMemory, transformSpans, type ExportableSpan, type SessionGroup } from './transform';
import { createHoneyHiveApi, type HoneyHiveApi } from './transport/honeyhive-api';
import { createAxiosTransport, type HttpTransport } from './transport/http-transport';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/** Sessions remembered as started, so each is started once. */
const MAX_STARTED_SESSIONS = 10_000;

export class HoneyHiveSpanExporter implements SpanExporter {
  /** The configuration without the API key: the key lives only in closures, so inspecting the exporter cannot show it. */
  private readonly config: Omit<ExporterConfig, 'apiKey'>;
  private readonly scrubSecrets: (text: string) => string;
  private readonly transport: HttpTransport;
  private readonly api: HoneyHiveApi;
  private readonly memory = new TransformMemory();
  /** A session's start request, shared by concurrent exports; kept once it succeeded. */
  private readonly sessionStarts = new BoundedMap<string, Promise<void>>(MAX_STARTED_SESSIONS);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly log = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: HoneyHiveExporterOptions = {}) {
    const { apiKey, ...config } = resolveConfig(options);
    this.config = config;
    this.scrubSecrets = (text) => redactSecrets(text, [apiKey]);
    this.transport = createAxiosTransport({
      serverUrl: this.config.serverUrl,
      headers: {
        ...this.config.headers,
        Authorization: `Bearer ${apiKey}`,
        'User-Agent': `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`,
      },
    });
    this.api = createHoneyHiveApi(this.transport, {
      serverUrl: this.config.serverUrl,
      timeoutMillis: this.config.timeoutMillis,
      secrets: [apiKey],
    });
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        this.log.error('the export result callback threw', this.scrub(error));
      }
    };
    if (this.isShutdown) {
      done({ code: ExportResultCode.FAILED, error: new Error('HoneyHive exporter is shut down') });
      return;
    }
    const work = this.exportSpans(spans).then(done, (error: unknown) =>
      done({ code: ExportResultCode.FAILED, error: new Error(this.scrub(error)) }),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves once every export in flight has finished. */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Refuses new exports, waits for those in flight, then releases the HTTP agents. */
  shutdown(): Promise<void> {
    this.isShutdown = true;
    this.shutdownPromise ??= this.forceFlush().then(() => this.transport.shutdown());
    return this.shutdownPromise;
  }

  private async exportSpans(spans: readonly ExportableSpan[]): Promise<ExportResult> {
    if (!Array.isArray(spans) || spans.length === 0) return { code: ExportResultCode.SUCCESS };
    const { groups, rejected } = transformSpans(spans, {
      project: this.config.project,
      source: this.config.source,
      sessionId: this.config.sessionId,
      sessionName: this.config.sessionName,
      memory: this.memory,
    });
    for (const span of rejected) this.log.warn(`dropped span ${span.index} of the batch: ${span.reason}`);
    const failures = (await Promise.all(groups.map((group) => this.deliver(group)))).filter(
      (failure): failure is string => failure !== undefined,
    );
    if (failures.length === 0) return { code: ExportResultCode.SUCCESS };
    return { code: ExportResultCode.FAILED, error: new Error(failures.join('; ')) };
  }

  /** Sends one session's events, starting the session first if needed. Resolves to an error message, or undefined. */
  private async deliver(group: SessionGroup): Promise<string | undefined> {
    if (this.config.createSessions) await this.startSessionOnce(group);
    try {
      await this.api.addEvents(group.sessionId, group.events);
      this.log.debug(`sent ${group.events.length} events to session ${group.sessionId}`);
      return undefined;
    } catch (error) {
      const message = `${group.events.length} events for session ${group.sessionId} not sent: ${this.scrub(error)}`;
      this.log.warn(message);
      return message;
    }
  }

  /**
   * Starts a session once. A failed start is forgotten (so a later export tries
   * again) and does not stop the events: HoneyHive accepts events for a session
   * it has not seen.
   */
  private async startSessionOnce(group: SessionGroup): Promise<void> {
    let start = this.sessionStarts.get(group.sessionId);
    if (!start) {
      start = this.api.startSession(group.session);
      this.sessionStarts.set(group.sessionId, start);
    }
    try {
      await start;
    } catch (error) {
      if (this.sessionStarts.get(group.sessionId) === start) this.sessionStarts.delete(group.sessionId);
      this.log.warn(`could not start session ${group.sessionId}; sending its events anyway: ${this.scrub(error)}`);
    }
  }

  private scrub(error: unknown): string {
    return this.scrubSecrets(error instanceof Error ? error.message : String(error));
  }
}
