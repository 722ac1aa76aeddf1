/**
 * The exporter's counters, readable with `getStats()`, and the outcome of a
 * flush. Counters only grow; `requestsInFlight` and `pendingBytes` are gauges.
 */
import type { DiagLogger } from '@opentelemetry/api';
import type { HttpFailure, HttpResult } from '../transport/http-transport';
import type { SpoolLoss } from './spool';

/** Why a request failed. */
export type FailureCause =
  | 'timeout'
  | 'network'
  | 'rateLimited'
  | 'serverError'
  | 'payloadTooLarge'
  | 'unauthorized'
  | 'notFound'
  | 'rejected'
  | 'deadline'
  | 'aborted';

/** Why events were not delivered and will not be (spooled events are counted apart, as they may still be). */
export type DropReason =
  /** Spans without trace or span id: they never became events. */
  | 'unreadableSpan'
  /** The mask returned null. */
  | 'masked'
  /** HoneyHive refused them for good (400, 401, 403, 404, or 413 for one event that could not shrink). */
  | 'rejected'
  /** Retries and the deadline ran out, and no spool was configured. */
  | 'undeliverable'
  /** The memory bound was reached and no spool was configured. */
  | 'overload'
  /** Still being sent when shutdown's deadline passed, and no spool was configured. */
  | 'shutdown'
  /** Handed to export() after shutdown(): refused. */
  | 'afterShutdown'
  /** The spool was full: a batch too large for it, or the oldest files evicted. */
  | 'spoolFull'
  /** Spooled longer than spoolMaxAgeMillis. */
  | 'spoolExpired'
  /** A spool file that could not be read or written. */
  | 'spoolError';

export interface ExporterStats {
  spansReceived: number;
  /** Spans left out by trace selection (the `traceSelection` option), and the traces they belonged to. */
  spansSkipped: number;
  tracesSkipped: number;
  /** Events HoneyHive accepted, including those resent from the spool. */
  eventsSent: number;
  /** Events written to the spool. */
  eventsSpooled: number;
  /** Events sent from the spool (also counted in eventsSent). */
  eventsResent: number;
  /**
   * Events found at start in the spool directories of other destinations (another `serverUrl` or API key),
   * which this exporter does not resend; see the docs for how to resend them.
   */
  eventsStranded: number;
  /** HTTP requests that reached the network (every attempt counts). */
  requests: number;
  retries: number;
  /** Failed requests (attempts), by cause. */
  failures: Record<FailureCause, number>;
  /** Events lost, by reason. */
  dropped: Record<DropReason, number>;
  /** Events that had at least one value truncated, and values truncated in all. */
  truncatedEvents: number;
  truncatedValues: number;
  /** Events whose mask threw or returned something other than an event or null. */
  maskFailures: number;
  /** Updates of a session or event HoneyHive accepted (a session completed by a later root, enrichments), and those that failed. */
  updatesSent: number;
  updatesFailed: number;
  /** Gauges: requests on the wire now, and bytes of events held by unfinished exports. */
  requestsInFlight: number;
  pendingBytes: number;
}

const FAILURE_CAUSES: readonly FailureCause[] = [
  'timeout',
  'network',
  'rateLimited',
  'serverError',
  'payloadTooLarge',
  'unauthorized',
  'notFound',
  'rejected',
  'deadline',
  'aborted',
];
const DROP_REASONS: readonly DropReason[] = [
  'unreadableSpan',
  'masked',
  'rejected',
  'undeliverable',
  'overload',
  'shutdown',
  'afterShutdown',
  'spoolFull',
  'spoolExpired',
  'spoolError',
];

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

export function failureCause(failure: HttpFailure): FailureCause {
  switch (failure.kind) {
    case 'timeout':
    case 'network':
    case 'deadline':
    case 'aborted':
      return failure.kind;
    case 'http':
      break;
  }
  const status = failure.status ?? 0;
  if (status === 429) return 'rateLimited';
  if (status === 408 || status >= 500) return 'serverError';
  if (status === 413) return 'payloadTooLarge';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'notFound';
  return 'rejected';
}

/** Mutable counters shared by the parts of one exporter. */
export class StatsRecorder {
  private readonly counters: Omit<ExporterStats, 'requestsInFlight' | 'pendingBytes'> = {
    spansReceived: 0,
    spansSkipped: 0,
    tracesSkipped: 0,
    eventsSent: 0,
    eventsSpooled: 0,
    eventsResent: 0,
    eventsStranded: 0,
    requests: 0,
    retries: 0,
    failures: zeroes(FAILURE_CAUSES),
    dropped: zeroes(DROP_REASONS),
    truncatedEvents: 0,
    truncatedValues: 0,
    maskFailures: 0,
    updatesSent: 0,
    updatesFailed: 0,
  };

  add(
    counter:
      | 'spansReceived'
      | 'spansSkipped'
      | 'tracesSkipped'
      | 'eventsSent'
      | 'eventsSpooled'
      | 'eventsResent'
      | 'eventsStranded'
      | 'retries'
      | 'truncatedEvents'
      | 'truncatedValues'
      | 'maskFailures'
      | 'updatesSent'
      | 'updatesFailed',
    amount = 1,
  ): void {
    this.counters[counter] += amount;
  }

  drop(reason: DropReason, events: number): void {
    if (events > 0) this.counters.dropped[reason] += events;
  }

  /** Counts one attempt's result: a request if it reached the network, a failure by cause if it failed. */
  request(result: HttpResult): void {
    const kind = result.ok ? undefined : result.error.kind;
    if (kind === undefined || kind === 'http' || kind === 'network' || kind === 'timeout') this.counters.requests += 1;
    if (!result.ok) this.counters.failures[failureCause(result.error)] += 1;
  }

  get droppedTotal(): number {
    return Object.values(this.counters.dropped).reduce((sum, count) => sum + count, 0);
  }

  snapshot(gauges: Pick<ExporterStats, 'requestsInFlight' | 'pendingBytes'>): ExporterStats {
    return {
      ...this.counters,
      failures: { ...this.counters.failures },
      dropped: { ...this.counters.dropped },
      ...gauges,
    };
  }
}

const SPOOL_DROP_REASONS: Readonly<Record<SpoolLoss['reason'], DropReason>> = {
  full: 'spoolFull',
  expired: 'spoolExpired',
  unreadable: 'spoolError',
};

/** Counts each loss the spool reports as it happens, with a warning for what the configuration decides. */
export function spoolLossReporter(stats: StatsRecorder, log: DiagLogger): (loss: SpoolLoss) => void {
  return ({ reason, events }) => {
    stats.drop(SPOOL_DROP_REASONS[reason], events);
    if (reason === 'full') log.warn(`the spool is full (spoolMaxBytes): ${events} events were not kept`);
    if (reason === 'expired')
      log.warn(`${events} spooled events were older than spoolMaxAgeMillis and were deleted unsent`);
  };
}
