/**
 * Enrichment after the fact: fields the application learns once a session or
 * event was sent (user feedback minutes later, an evaluator's metrics), sent
 * as an update of that session's or event's record, as HoneyHive's own
 * `enrich_session` does (`PUT /v1/events/{id}`, or the legacy `PUT /events`).
 * Through the exporter's transport (retries, request slots, stats), under the
 * export deadline, values capped and secrets redacted like any event's. Never
 * rejects: bad input and failures come back as the result, and are logged.
 */
import type { DiagLogger } from '@opentelemetry/api';
import { errorMessage } from '../error-message';
import type { JsonObject, UpdateEventRequest } from '../honeyhive-types';
import { isUuid, normalizeSessionId } from '../transform/ids';
import type { HoneyHiveApi } from '../transport/honeyhive-api';
import type { StatsRecorder } from './stats';
import { fitUpdate, type FitLimits } from './truncation';
import type { Result } from '../result';

/** What may be added to a session or an event later. Each is an object; HoneyHive merges all but `outputs`, which it replaces. */
export interface Enrichment {
  feedback?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  userProperties?: Record<string, unknown>;
  /** Replaces the outputs (left out when `sendContent` is false). */
  outputs?: Record<string, unknown>;
}

/** What became of an enrichment: sent, or the error that stopped it (never thrown). */
export type EnrichResult = Result<void, Error>;

/** Each option and the update field it becomes. */
const ENRICHMENT_FIELDS = [
  ['feedback', 'feedback'],
  ['metrics', 'metrics'],
  ['metadata', 'metadata'],
  ['userProperties', 'user_properties'],
  ['outputs', 'outputs'],
] as const;

export interface EnricherOptions {
  api: HoneyHiveApi;
  limits: FitLimits;
  sendContent: boolean;
  exportTimeoutMillis: number;
  stats: StatsRecorder;
  log: DiagLogger;
  /** Cancels enrichments in flight when the exporter shuts down. */
  signal: AbortSignal;
}

export class Enricher {
  private readonly inFlight = new Set<Promise<EnrichResult>>();

  constructor(private readonly options: EnricherOptions) {}

  /** Adds fields to a session: its id as given to the exporter (`sessionId`, `withSession`, `session.id`; mapped to a UUID the same way). */
  enrichSession(sessionId: unknown, enrichment: Enrichment): Promise<EnrichResult> {
    if (typeof sessionId !== 'string' || sessionId.trim() === '') {
      return this.refuse('enrichSession: sessionId must be a non-empty string');
    }
    return this.enrich('session', normalizeSessionId(sessionId).id, enrichment);
  }

  /** Adds fields to an event, by its id (a UUID: {@link eventIdForSpan} of its span). */
  enrichEvent(eventId: unknown, enrichment: Enrichment): Promise<EnrichResult> {
    if (typeof eventId !== 'string' || !isUuid(eventId)) {
      return this.refuse('enrichEvent: eventId must be an event id (a UUID; eventIdForSpan gives a span’s)');
    }
    return this.enrich('event', eventId.toLowerCase(), enrichment);
  }

  /** Waits for the enrichments in flight, at most `timeoutMillis`. */
  async settle(timeoutMillis: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMillis).unref()));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  private enrich(what: 'session' | 'event', id: string, enrichment: Enrichment): Promise<EnrichResult> {
    const update = this.updateOf(what, enrichment);
    if (update instanceof Error) return this.refuse(update.message);
    const work = this.send(what, id, update);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  private async send(what: string, id: string, update: UpdateEventRequest): Promise<EnrichResult> {
    const { api, stats, log } = this.options;
    if (this.options.signal.aborted) return this.refuse(`enrich ${what} ${id}: the exporter is shut down`);
    try {
      const outcome = await api.updateEvent(id, update, {
        deadline: Date.now() + this.options.exportTimeoutMillis,
        signal: this.options.signal,
      });
      if (outcome.ok) {
        stats.add('updatesSent');
        return { ok: true };
      }
      stats.add('updatesFailed');
      const message = `could not enrich ${what} ${id}: ${outcome.error.message}`;
      log.warn(message);
      return { ok: false, error: new Error(message) };
    } catch (error) {
      stats.add('updatesFailed');
      return { ok: false, error: new Error(`could not enrich ${what} ${id}: ${errorMessage(error)}`) };
    }
  }

  /** The update the enrichment makes, fitted and redacted; an Error naming what is wrong with it. */
  private updateOf(what: string, enrichment: Enrichment): UpdateEventRequest | Error {
    if (typeof enrichment !== 'object' || enrichment === null) {
      return new Error(`enrich ${what}: give an object such as { feedback: { rating: 5 } }`);
    }
    const update: UpdateEventRequest = {};
    for (const [option, field] of ENRICHMENT_FIELDS) {
      const value = enrichment[option];
      if (value === undefined) continue;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return new Error(`enrich ${what}: ${option} must be an object such as { key: 'value' }`);
      }
      if (field === 'outputs' && !this.options.sendContent) continue;
      update[field] = value as JsonObject;
    }
    if (Object.keys(update).length === 0) {
      return new Error(`enrich ${what}: nothing to send (give feedback, metrics, metadata, userProperties or outputs)`);
    }
    const fitted = fitUpdate(update, this.options.limits);
    this.options.stats.add('truncatedValues', fitted.truncatedValues);
    return fitted.update;
  }

  private refuse(message: string): Promise<EnrichResult> {
    this.options.log.warn(message);
    return Promise.resolve({ ok: false, error: new Error(message) });
  }
}
