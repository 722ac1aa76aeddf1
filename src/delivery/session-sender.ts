/**
 * Sends the events of an export's sessions, and keeps each session complete.
 *
 * A session HoneyHive does not have yet travels as its own event (type
 * `session`, `event_id` = `session_id`) at the head of its events, in the same
 * request: no separate start request, so nothing waits on one. Once HoneyHive
 * has it, what a later batch adds (the end, duration and outputs of a later
 * root, session-level fields) goes as one update of the session's event, and
 * only what changed: the {@link SessionTracker} remembers what was sent.
 *
 * Events go in bounded requests: on the legacy API one session per request
 * (`POST /session/{id}/traces`); on v1 the events of every session of the
 * export together (`POST /v1/events/batch`). A request HoneyHive finds too
 * large (413) is split in halves down to single events, one half after the
 * other, and a single event still too large is shrunk (a server that refuses
 * even that, having taken nothing, is not sent the rest of the halves); when a
 * v1 batch was created only in part (500
 * listing the ids it created), only the rest is sent again. Reports what was
 * accepted and what was not, with why; deciding what to do with the rest is
 * the caller's.
 */
import type { HoneyHiveSession, HoneyHiveSessionEvent } from '../honeyhive-types';
import type { ApiCall, ApiVersion, HoneyHiveApi, HoneyHiveRequestError } from '../transport/honeyhive-api';
import { isWorthKeeping } from '../transport/retry-policy';
import { packRequests, splitInHalves, type SerializedEvent } from './request-packing';
import { mapWithLimit } from './limited-parallelism';
import { SessionTracker } from './session-tracker';

export interface SessionBatch {
  sessionId: string;
  /** The session's own event as this batch describes it, prepared for the wire; absent to send events only. */
  session: HoneyHiveSessionEvent | undefined;
  /** `session` as serialised when it was prepared, if it was (a batch read back from the spool is serialised when sent). */
  sessionJson?: SerializedEvent;
  events: SerializedEvent[];
}

export interface Undelivered {
  events: SerializedEvent[];
  /** The session's own event, when it was among what failed: it is kept with the events. */
  session: HoneyHiveSessionEvent | undefined;
  error: HoneyHiveRequestError;
  /** True when a later attempt may succeed (retryable, or cut short by the deadline or shutdown). */
  worthKeeping: boolean;
}

export interface SessionReport {
  /** Events of spans HoneyHive accepted (the session's own event is not counted). */
  sent: number;
  undelivered: Undelivered[];
  /** Why the session's update (its end, outputs, fields) failed, when it did; `undelivered` keeps the session then. */
  sessionError: HoneyHiveRequestError | undefined;
  /** True when an update of the session was sent and taken. */
  sessionUpdated: boolean;
}

export interface SessionSenderOptions {
  apiVersion: ApiVersion;
  maxBatchEvents: number;
  maxBatchBytes: number;
  /** Sessions of one export sent at once on the legacy API (each its own requests). */
  sessionsInParallel: number;
  /** A smaller version of an event HoneyHive found too large alone, or undefined when it cannot shrink further. */
  shrink: (event: SerializedEvent) => SerializedEvent | undefined;
}

/** Rounds of resending what a partly created v1 batch left out, before the rest counts as failed. */
const MAX_PARTIAL_ROUNDS = 3;

/** One request's events and what became of them. */
interface RequestOutcome {
  delivered: SerializedEvent[];
  failed: Array<{ events: SerializedEvent[]; error: HoneyHiveRequestError }>;
}

export class SessionSender {
  readonly sessions = new SessionTracker();

  constructor(
    private readonly api: HoneyHiveApi,
    private readonly options: SessionSenderOptions,
  ) {}

  /** Sends the batches of one export; one report per batch, in order. Never rejects for a request's failure. */
  async send(batches: readonly SessionBatch[], call: ApiCall): Promise<SessionReport[]> {
    const plans = batches.map((batch) => this.plan(batch));
    // Legacy: one session per request, each plan its own outcome. v1: one outcome, its failures sorted out by session.
    const outcomes =
      this.options.apiVersion === 'v1'
        ? splitBySession(
            await this.sendTogether(
              plans.flatMap((plan) => plan.events),
              call,
            ),
            plans,
          )
        : await mapWithLimit(plans, this.options.sessionsInParallel, (plan) =>
            this.sendTogether(plan.events, call, plan.batch.sessionId),
          );
    return Promise.all(plans.map((plan, index) => this.settle(plan, outcomes[index]!, call)));
  }

  /** The events to send for one batch: its session's own event first when HoneyHive may not have the session. */
  private plan(batch: SessionBatch): Plan {
    const created = batch.session !== undefined && this.sessions.claimCreation(batch.sessionId);
    const sessionEvent = created ? (batch.sessionJson ?? serializeSession(batch.session!)) : undefined;
    return {
      batch,
      sessionEvent,
      events: sessionEvent ? [sessionEvent, ...batch.events] : batch.events,
    };
  }

  /** What became of one batch: the session's creation recorded, its update sent when something changed. */
  private async settle(plan: Plan, outcome: RequestOutcome, call: ApiCall): Promise<SessionReport> {
    const { batch, sessionEvent } = plan;
    const sessionId = batch.sessionId;
    let sent = 0;
    for (const event of outcome.delivered) if (event.eventId !== sessionId || !sessionEvent) sent += 1;
    const undelivered: Undelivered[] = [];
    let sessionKept = false;
    for (const failure of outcome.failed) {
      // The session's event is the one whose id is the session's (a shrunk copy is a new object).
      const events = sessionEvent ? failure.events.filter((event) => event.eventId !== sessionId) : failure.events;
      const withSession = events.length < failure.events.length;
      sessionKept ||= withSession;
      undelivered.push({
        events,
        session: withSession ? batch.session : undefined,
        error: failure.error,
        worthKeeping: isWorthKeeping(failure.error.failure),
      });
    }
    if (sessionEvent) this.sessions.settleCreation(sessionId, sessionKept ? undefined : batch.session);
    let sessionError: HoneyHiveRequestError | undefined;
    let sessionUpdated = false;
    if (batch.session !== undefined && !sessionEvent) {
      const completed = await this.complete(batch.session, batch.sessionJson, call);
      sessionUpdated = completed === 'updated';
      sessionError = completed === 'updated' ? undefined : completed;
      if (sessionError) {
        undelivered.push({
          events: [],
          session: batch.session,
          error: sessionError,
          worthKeeping: isWorthKeeping(sessionError.failure),
        });
      }
    }
    return { sent, undelivered, sessionError, sessionUpdated };
  }

  /**
   * Brings a session HoneyHive may already have up to what `session` says: waits for a creation another
   * export has in flight, then sends the fields that changed as one update (`'updated'`), or, when the
   * session is still not created, its event on its own. The error when what it sent failed.
   */
  private async complete(
    session: HoneyHiveSessionEvent,
    sessionJson: SerializedEvent | undefined,
    call: ApiCall,
  ): Promise<HoneyHiveRequestError | 'updated' | undefined> {
    const sessionId = session.session_id;
    await this.sessions.creationSettled(sessionId, call);
    if (this.sessions.claimCreation(sessionId)) {
      const event = sessionJson ?? serializeSession(session);
      const outcome = await this.sendTogether([event], call, sessionId);
      const failure = outcome.failed[0];
      this.sessions.settleCreation(sessionId, failure ? undefined : session);
      return failure?.error;
    }
    const update = this.sessions.changes(session);
    if (update === undefined) return undefined;
    const outcome = await this.api.updateEvent(sessionId, update, call);
    if (!outcome.ok) return outcome.error;
    this.sessions.recordUpdate(sessionId, update);
    return 'updated';
  }

  /** Sends events in as few bounded requests as the limits allow, all at once. */
  private async sendTogether(events: SerializedEvent[], call: ApiCall, sessionId = ''): Promise<RequestOutcome> {
    const requests = packRequests(events, this.options.maxBatchEvents, this.options.maxBatchBytes);
    const outcomes = await Promise.all(requests.map((request) => this.sendRequest(sessionId, request, call, 0)));
    return {
      delivered: outcomes.flatMap((outcome) => outcome.delivered),
      failed: outcomes.flatMap((outcome) => outcome.failed),
    };
  }

  private async sendRequest(
    sessionId: string,
    events: SerializedEvent[],
    call: ApiCall,
    partialRounds: number,
    split: SplitState = { accepted: false, hopeless: false },
  ): Promise<RequestOutcome> {
    const outcome = await this.api.addEvents(sessionId, events, call);
    if (outcome.ok) {
      split.accepted = true;
      return { delivered: events, failed: [] };
    }
    const { error } = outcome;
    const { created } = error;
    if (created && partialRounds < MAX_PARTIAL_ROUNDS) {
      split.accepted = true;
      const delivered = events.filter((event) => created.has(event.eventId));
      const rest = events.filter((event) => !created.has(event.eventId));
      if (rest.length === 0) return { delivered, failed: [] };
      const retried = await this.sendRequest(sessionId, rest, call, partialRounds + 1, split);
      return { delivered: [...delivered, ...retried.delivered], failed: retried.failed };
    }
    if (error.failure.kind === 'http' && error.failure.status === 413 && !split.hopeless) {
      const halves = splitInHalves(events);
      if (halves) {
        // One half after the other: a server that refuses everything is found out after one descent.
        const first = await this.sendRequest(sessionId, halves[0], call, partialRounds, split);
        const second: RequestOutcome = split.hopeless
          ? { delivered: [], failed: [{ events: halves[1], error }] }
          : await this.sendRequest(sessionId, halves[1], call, partialRounds, split);
        return {
          delivered: [...first.delivered, ...second.delivered],
          failed: [...first.failed, ...second.failed],
        };
      }
      const smaller = this.options.shrink(events[0]!);
      if (smaller) return this.sendRequest(sessionId, [smaller], call, partialRounds, split);
      // A lone event at its smallest was refused, and nothing of this request was taken: stop splitting it.
      if (!split.accepted) split.hopeless = true;
    }
    return { delivered: [], failed: [{ events, error }] };
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

interface Plan {
  batch: SessionBatch;
  /** The session's own event, when it travels with this batch's events. */
  sessionEvent: SerializedEvent | undefined;
  events: SerializedEvent[];
}

/** One v1 outcome (the events of every session together) as one outcome per plan, in order. */
function splitBySession(outcome: RequestOutcome, plans: readonly Plan[]): RequestOutcome[] {
  if (plans.length === 1) return [outcome];
  // Nothing failed: every plan's events were taken (a shrunk copy keeps its event's id, and only ids are counted).
  if (outcome.failed.length === 0) return plans.map((plan) => ({ delivered: plan.events, failed: [] }));
  const index = new Map<string, number>();
  plans.forEach((plan, at) => {
    for (const event of plan.events) index.set(event.eventId, at);
  });
  const split = plans.map((): RequestOutcome => ({ delivered: [], failed: [] }));
  // By id: a shrunk event is a new object.
  for (const event of outcome.delivered) split[index.get(event.eventId) ?? 0]!.delivered.push(event);
  for (const failure of outcome.failed) {
    const parts = new Map<number, SerializedEvent[]>();
    for (const event of failure.events) {
      const at = index.get(event.eventId) ?? 0;
      let part = parts.get(at);
      if (!part) parts.set(at, (part = []));
      part.push(event);
    }
    for (const [at, events] of parts) split[at]!.failed.push({ events, error: failure.error });
  }
  return split;
}

function serializeSession(session: HoneyHiveSessionEvent): SerializedEvent {
  const json = JSON.stringify(session);
  return { eventId: session.event_id, json, bytes: Buffer.byteLength(json, 'utf8') };
}

/**
 * A session as an event, from a session start object an earlier version of the exporter spooled (or the
 * session event itself, unchanged).
 */
export function asSessionEvent(session: HoneyHiveSessionEvent | HoneyHiveSession): HoneyHiveSessionEvent {
  if ((session as HoneyHiveSessionEvent).event_type === 'session') return session as HoneyHiveSessionEvent;
  const { session_name: name, event_name: eventName, inputs, metadata, ...rest } = session as HoneyHiveSession;
  return {
    ...rest,
    event_type: 'session',
    event_id: session.session_id,
    event_name: name || eventName || '',
    inputs: inputs ?? {},
    metadata: metadata ?? {},
  };
}
