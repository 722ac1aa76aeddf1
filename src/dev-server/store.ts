/**
 * The dev server's memory: sessions, their events, the warnings HoneyHive
 * would not give, and a log of every request. Tests read it through
 * `DevServerStore`; only the server writes to it.
 */
import { randomUUID } from 'node:crypto';
import { analyseSessionTree } from './tree';
import type {
  DevServerWarning,
  RequestLogEntry,
  SessionDetails,
  SessionSummary,
  StoredEvent,
  StoredSession,
  TreeNode,
} from './types';
import { implausibleEpochMsUnit, type IncomingEvent, type Route } from './validation';

/** What tests may do with the store. Every answer is a copy: mutating it changes nothing. */
export interface DevServerStore {
  /** Every session seen (started, or only named by events), in order of first sight. */
  sessions(): SessionSummary[];
  session(sessionId: string): SessionDetails | undefined;
  /** One session's events, or every session's, in arrival order, duplicates dropped. */
  events(sessionId?: string): StoredEvent[];
  tree(sessionId: string): TreeNode[];
  /** Every request received, oldest first, including faulted and rejected ones; not the viewer's page and polling. */
  readonly requests: readonly RequestLogEntry[];
  warnings(sessionId: string): DevServerWarning[];
  /** Forget every session and request (pending faults are kept). */
  reset(): void;
}

interface SessionRecord {
  session: StoredSession;
  started: boolean;
  events: Map<string, StoredEvent>;
  /** event_id → how many extra copies arrived. */
  duplicateCounts: Map<string, number>;
  /** Warnings known when the request arrived; dangling parents and loops are computed on read. */
  arrivalWarnings: DevServerWarning[];
}

export interface AddEventsResult {
  /** The events stored by this request (duplicates excluded), ids filled in. */
  stored: StoredEvent[];
  duplicates: number;
  warnings: DevServerWarning[];
}

function timeWarnings(
  subject: { start_time?: number; end_time?: number },
  what: string,
  eventId?: string,
): DevServerWarning[] {
  const warnings: DevServerWarning[] = [];
  for (const field of ['start_time', 'end_time'] as const) {
    const time = subject[field];
    const unit = time === undefined ? undefined : implausibleEpochMsUnit(time);
    if (unit === undefined) continue;
    warnings.push({
      kind: 'suspicious-time',
      message: `${what} has ${field} ${time}, which looks like ${unit}, not Unix epoch milliseconds`,
      ...(eventId === undefined ? {} : { event_id: eventId }),
    });
  }
  return warnings;
}

function describeEvent(event: StoredEvent): string {
  return event.event_name === undefined ? `event ${event.event_id}` : `event ${event.event_id} ("${event.event_name}")`;
}

export class SessionStore implements DevServerStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly requestLog: RequestLogEntry[] = [];

  get requests(): readonly RequestLogEntry[] {
    return structuredClone(this.requestLog);
  }

  /** Keeps the entry itself so the server can fill in the status once it answers. */
  logRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
  }

  reset(): void {
    this.records.clear();
    this.requestLog.length = 0;
  }

  private recordFor(sessionId: string): SessionRecord {
    let record = this.records.get(sessionId);
    if (record === undefined) {
      record = {
        session: { session_id: sessionId },
        started: false,
        events: new Map(),
        duplicateCounts: new Map(),
        arrivalWarnings: [],
      };
      this.records.set(sessionId, record);
    }
    return record;
  }

  /**
   * Starts a session, or repeats a start. A repeat keeps the first start's fields
   * and merges metadata and user_properties (HoneyHive's v1 behaviour; the legacy
   * route is treated the same but warned about, since its behaviour is undocumented).
   */
  startSession(incoming: StoredSession, route: Route): { session: StoredSession; warnings: DevServerWarning[] } {
    const sessionId = incoming.session_id ?? randomUUID();
    const record = this.recordFor(sessionId);
    const warnings: DevServerWarning[] = timeWarnings(incoming, `session ${sessionId}`);
    if (!record.started) {
      record.session = { ...structuredClone(incoming), session_id: sessionId };
      record.started = true;
    } else {
      const merged = record.session;
      if (incoming.metadata !== undefined)
        merged.metadata = { ...merged.metadata, ...structuredClone(incoming.metadata) };
      if (incoming.user_properties !== undefined) {
        merged.user_properties = { ...merged.user_properties, ...structuredClone(incoming.user_properties) };
      }
      if (route === 'legacy') {
        warnings.push({
          kind: 'session-restarted',
          message: `session ${sessionId} was started again through POST /session/start, which HoneyHive does not document as idempotent`,
        });
      }
    }
    record.arrivalWarnings.push(...warnings);
    return { session: structuredClone(record.session), warnings };
  }

  /** Adds validated events to the path's session; the path's session id always wins. */
  addEvents(sessionId: string, incoming: readonly IncomingEvent[], route: Route): AddEventsResult {
    const isNewSession = !this.records.has(sessionId);
    const record = this.recordFor(sessionId);
    const warnings: DevServerWarning[] = [];
    if (isNewSession && incoming.length > 0) {
      warnings.push({
        kind: 'session-not-started',
        message: `events arrived for session ${sessionId} before any start request for it; HoneyHive then fills the session's inputs and outputs from the first event it sees`,
      });
    }
    const stored: StoredEvent[] = [];
    let duplicates = 0;
    for (const event of incoming) {
      if (route === 'v1' && event.session_id !== undefined && event.session_id !== sessionId) {
        warnings.push({
          kind: 'session-id-overridden',
          message: `event ${event.event_id ?? '(no id)'} named session ${event.session_id}; the path's session ${sessionId} was used`,
          ...(event.event_id === undefined ? {} : { event_id: event.event_id }),
        });
      }
      // HoneyHive generates a missing event_id; so does the store, so the event can be shown.
      const complete: StoredEvent = {
        ...structuredClone(event),
        event_id: event.event_id ?? randomUUID(),
        session_id: sessionId,
      };
      if (record.events.has(complete.event_id)) {
        duplicates += 1;
        record.duplicateCounts.set(complete.event_id, (record.duplicateCounts.get(complete.event_id) ?? 0) + 1);
        continue;
      }
      record.events.set(complete.event_id, complete);
      stored.push(structuredClone(complete));
      warnings.push(...timeWarnings(complete, describeEvent(complete), complete.event_id));
    }
    record.arrivalWarnings.push(...warnings);
    return { stored, duplicates, warnings };
  }

  sessions(): SessionSummary[] {
    return [...this.records.values()].map((record) => this.summarise(record));
  }

  private summarise(record: SessionRecord): SessionSummary {
    const events = [...record.events.values()];
    const { session } = record;
    const firstOf = (field: 'project' | 'source') => events.find((event) => event[field] !== undefined)?.[field];
    const starts = events.flatMap((event) => (event.start_time === undefined ? [] : [event.start_time]));
    const ends = events.flatMap((event) => (event.end_time === undefined ? [] : [event.end_time]));
    return {
      session_id: session.session_id,
      session_name: session.session_name ?? null,
      project: session.project ?? firstOf('project') ?? null,
      source: session.source ?? firstOf('source') ?? null,
      started: record.started,
      event_count: events.length,
      error_count: events.filter((event) => typeof event.error === 'string').length,
      start_time: session.start_time ?? (starts.length > 0 ? Math.min(...starts) : null),
      end_time: session.end_time ?? (ends.length > 0 ? Math.max(...ends) : null),
      warnings_count: this.warningsOf(record).length,
      duplicates: this.duplicatesOf(record),
    };
  }

  session(sessionId: string): SessionDetails | undefined {
    const record = this.records.get(sessionId);
    if (record === undefined) return undefined;
    return structuredClone({
      session: record.session,
      started: record.started,
      events: [...record.events.values()],
      tree: analyseSessionTree(sessionId, [...record.events.values()]).roots,
      warnings: this.warningsOf(record),
      duplicates: this.duplicatesOf(record),
    });
  }

  events(sessionId?: string): StoredEvent[] {
    const records = sessionId === undefined ? [...this.records.values()] : [this.records.get(sessionId)];
    return structuredClone(records.flatMap((record) => (record === undefined ? [] : [...record.events.values()])));
  }

  tree(sessionId: string): TreeNode[] {
    return this.session(sessionId)?.tree ?? [];
  }

  warnings(sessionId: string): DevServerWarning[] {
    const record = this.records.get(sessionId);
    return record === undefined ? [] : structuredClone(this.warningsOf(record));
  }

  private duplicatesOf(record: SessionRecord): number {
    return [...record.duplicateCounts.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Arrival warnings, then what only the whole session shows: duplicates, dangling parents, loops. */
  private warningsOf(record: SessionRecord): DevServerWarning[] {
    const sessionId = record.session.session_id;
    const warnings = [...record.arrivalWarnings];
    for (const [eventId, extraCopies] of record.duplicateCounts) {
      const event = record.events.get(eventId);
      warnings.push({
        kind: 'duplicate-event',
        message: `${event === undefined ? `event ${eventId}` : describeEvent(event)} was received ${extraCopies + 1} times; the first copy is kept`,
        event_id: eventId,
      });
    }
    const { danglingParents, parentCycles } = analyseSessionTree(sessionId, [...record.events.values()]);
    for (const event of danglingParents) {
      warnings.push({
        kind: 'dangling-parent',
        message: `${describeEvent(event)} has parent_id ${event.parent_id}, which is neither the session nor any event of it received so far`,
        event_id: event.event_id,
      });
    }
    for (const event of parentCycles) {
      warnings.push({
        kind: 'parent-cycle',
        message: `${describeEvent(event)} is part of a loop of parent_ids that never reaches the session`,
        event_id: event.event_id,
      });
    }
    return warnings;
  }
}
