/**
 * Sends one session's events: starts the session once (shared by concurrent
 * exports; a failed start is forgotten so a later export tries again, and
 * never stops the events), packs the events into bounded requests, and splits
 * a request HoneyHive finds too large (413) in halves down to single events,
 * shrinking a single event that is still too large; a server that refuses even
 * that, having taken nothing, is not sent the rest of the halves. Reports what was accepted
 * and what was not, with why; deciding what to do with the rest is the
 * caller's.
 */
import { BoundedMap } from '../bounded-map';
import type { HoneyHiveSession } from '../honeyhive-types';
import type { ApiCall, HoneyHiveApi, HoneyHiveRequestError } from '../transport/honeyhive-api';
import { isWorthKeeping } from '../transport/retry-policy';
import { packRequests, splitInHalves, type SerializedEvent } from '../transport/request-splitter';

/** Sessions remembered as started, so each is started once. */
const MAX_STARTED_SESSIONS = 10_000;

export interface SessionBatch {
  sessionId: string;
  /** The session to start first, when it may not have been started yet; absent to send events only. */
  session: HoneyHiveSession | undefined;
  events: SerializedEvent[];
}

export interface Undelivered {
  events: SerializedEvent[];
  error: HoneyHiveRequestError;
  /** True when a later attempt may succeed (retryable, or cut short by the deadline or shutdown). */
  worthKeeping: boolean;
}

export interface SessionReport {
  sent: number;
  undelivered: Undelivered[];
  /** Why the session could not be started, when it could not (its events were sent anyway). */
  startError: HoneyHiveRequestError | undefined;
}

export interface SessionSenderOptions {
  maxBatchEvents: number;
  maxBatchBytes: number;
  /** A smaller version of an event HoneyHive found too large alone, or undefined when it cannot shrink further. */
  shrink: (event: SerializedEvent) => SerializedEvent | undefined;
}

export class SessionSender {
  /** A session's start, shared by concurrent exports; kept once it succeeded. */
  private readonly starts = new BoundedMap<string, Promise<HoneyHiveRequestError | undefined>>(MAX_STARTED_SESSIONS);

  constructor(
    private readonly api: HoneyHiveApi,
    private readonly options: SessionSenderOptions,
  ) {}

  async send(batch: SessionBatch, call: ApiCall): Promise<SessionReport> {
    const startError = batch.session === undefined ? undefined : await this.startOnce(batch.session, call);
    const requests = packRequests(batch.events, this.options.maxBatchEvents, this.options.maxBatchBytes);
    const reports = await Promise.all(requests.map((events) => this.sendRequest(batch.sessionId, events, call)));
    return {
      sent: reports.reduce((sum, report) => sum + report.sent, 0),
      undelivered: reports.flatMap((report) => report.undelivered),
      startError,
    };
  }

  /** Starts a session once; resolves to the error when it could not be started. */
  private async startOnce(session: HoneyHiveSession, call: ApiCall): Promise<HoneyHiveRequestError | undefined> {
    let start = this.starts.get(session.session_id);
    if (!start) {
      start = this.api.startSession(session, call).then((outcome) => (outcome.ok ? undefined : outcome.error));
      this.starts.set(session.session_id, start);
    }
    const error = await start;
    if (error !== undefined && this.starts.get(session.session_id) === start) this.starts.delete(session.session_id);
    return error;
  }

  private async sendRequest(
    sessionId: string,
    events: SerializedEvent[],
    call: ApiCall,
    split: SplitState = { accepted: false, hopeless: false },
  ): Promise<Omit<SessionReport, 'startError'>> {
    const outcome = await this.api.addEvents(
      sessionId,
      events.map((event) => event.json),
      call,
    );
    if (outcome.ok) {
      split.accepted = true;
      return { sent: events.length, undelivered: [] };
    }
    const { error } = outcome;
    if (error.failure.kind === 'http' && error.failure.status === 413 && !split.hopeless) {
      const halves = splitInHalves(events);
      if (halves) {
        // One half after the other: a server that refuses everything is found out after one descent.
        const first = await this.sendRequest(sessionId, halves[0], call, split);
        const second = split.hopeless
          ? { sent: 0, undelivered: [{ events: halves[1], error, worthKeeping: false }] }
          : await this.sendRequest(sessionId, halves[1], call, split);
        return { sent: first.sent + second.sent, undelivered: [...first.undelivered, ...second.undelivered] };
      }
      const smaller = this.options.shrink(events[0]!);
      if (smaller) return this.sendRequest(sessionId, [smaller], call, split);
      // A lone event at its smallest was refused, and nothing of this request was taken: stop splitting it.
      if (!split.accepted) split.hopeless = true;
    }
    return { sent: 0, undelivered: [{ events, error, worthKeeping: isWorthKeeping(error.failure) }] };
  }
}

/**
 * The splitting of one request refused as too large (413): whether any part of it was taken, and whether
 * the server refuses even a lone event at its smallest with nothing taken, so splitting further is futile.
 */
interface SplitState {
  accepted: boolean;
  hopeless: boolean;
}
