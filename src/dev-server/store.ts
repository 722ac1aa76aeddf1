/**
 * The dev server's memory: sessions, their events, the warnings HoneyHive
 * would not give, and a log of every request. Tests read it through
 * `DevServerStore`; only the server writes to it. Everything it keeps is
 * bounded (`StoreLimits`): past a bound the oldest goes, and `dropped` counts it.
 * A write prepares (copies, checks) everything before it changes anything.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../honeyhive-types';
import { MAX_TREE_DEPTH, analyseSessionTree } from './tree';
import type {
  DevServerWarning,
  RequestLogEntry,
  SessionDetails,
  SessionStartAnswer,
  SessionSummary,
  StoreDrops,
  StoreLimits,
  StoredEvent,
  StoredSession,
  TreeNode,
} from './types';
import {
  describeValue,
  implausibleEpochMsUnit,
  isUuid,
  type EventUpdate,
  type IncomingEvent,
  type Route,
} from './validation';
import { isJsonObject } from '../transform/json-values';

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
  /** What the store dropped to stay within its limits. */
  readonly dropped: StoreDrops;
  /** Forget every session and request, and the drop counts (pending faults are kept). */
  reset(): void;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  maxSessions: 10_000,
  maxEvents: 200_000,
  maxLoggedRequests: 1_000,
  maxLoggedBodyBytes: 64 * 1024 * 1024,
};

/** The dev server's organisation, workspace and project, answered where HoneyHive answers the API key's. */
export const DEV_SERVER_SCOPE = {
  org_id: 'dev-server-org',
  workspace_id: 'dev-server-workspace',
  project_id: 'dev-server-project',
} as const;

/** Warnings one session keeps; past it one `warnings-dropped` warning counts the rest. */
const MAX_WARNINGS_PER_SESSION = 1_000;

/** Fields an update or a session event merges into the stored ones instead of replacing them. */
const MERGED_FIELDS: ReadonlySet<string> = new Set(['metadata', 'user_properties', 'metrics', 'feedback', 'config']);

/** Event fields that are not the session's own when a session event carries them. */
const EVENT_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'event_type',
  'event_id',
  'session_id',
  'parent_id',
  'project_id',
]);

interface SessionRecord {
  session: StoredSession;
  started: boolean;
  /** When a start (or session event) first arrived: the answered start_time when the session has none. */
  startedAt: number | undefined;
  events: Map<string, StoredEvent>;
  /** event_id → how many extra copies arrived. */
  duplicateCounts: Map<string, number>;
  /** Warnings known when the request arrived; dangling parents and loops are computed on read. */
  arrivalWarnings: DevServerWarning[];
  droppedWarnings: number;
  /** Bumped by every change, so what is computed on read is computed once per change. */
  revision: number;
  computedWarnings?: { revision: number; warnings: DevServerWarning[] };
}

export interface AddEventsResult {
  /** The ids of the events taken (in request order, duplicates included), generated where missing. */
  eventIds: string[];
  /** The events stored by this request (duplicates and session events excluded), ids filled in; the store's own objects, not to be changed. */
  stored: readonly StoredEvent[];
  duplicates: number;
  warnings: DevServerWarning[];
}

function timeWarnings(
  subject: { start_time?: number; end_time?: number },
  describe: string | (() => string),
  eventId?: string,
): DevServerWarning[] {
  const warnings: DevServerWarning[] = [];
  for (const field of ['start_time', 'end_time'] as const) {
    const time = subject[field];
    const unit = time === undefined ? undefined : implausibleEpochMsUnit(time);
    if (unit === undefined) continue;
    warnings.push({
      kind: 'suspicious-time',
      message: `${typeof describe === 'string' ? describe : describe()} has ${field} ${time}, which looks like ${unit}, not Unix epoch milliseconds`,
      ...(eventId === undefined ? {} : { event_id: eventId }),
    });
  }
  return warnings;
}

/** Ids the legacy routes take as any string but that HoneyHive's `format: uuid` routes cannot name. */
function idWarnings(event: StoredEvent, given: IncomingEvent): DevServerWarning[] {
  // The session's own id is warned about once, for the whole request.
  const otherThanSession = (id: string | undefined) => (id === event.session_id ? undefined : id);
  const ids: Array<[string, unknown]> = [
    ['event_id', given.event_id],
    ['session_id', otherThanSession(given.session_id)],
    ['parent_id', otherThanSession(given.parent_id)],
    ...(given.children_ids ?? []).map((id, index): [string, unknown] => [`children_ids[${index}]`, id]),
  ];
  return ids.flatMap(([field, id]) =>
    id === undefined || isUuid(id)
      ? []
      : [
          {
            kind: 'non-uuid-id' as const,
            message: `${describeEvent(event)} has ${field} ${describeValue(id)}, which is not a UUID; HoneyHive takes it, but its v1 routes (format: uuid) cannot name it`,
            event_id: event.event_id,
          },
        ],
  );
}

function describeEvent(event: StoredEvent): string {
  return event.event_name === undefined ? `event ${event.event_id}` : `event ${event.event_id} ("${event.event_name}")`;
}

/** Sets each given field, merging the object fields HoneyHive merges. */
function applyFields(target: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const current = target[key];
    target[key] =
      MERGED_FIELDS.has(key) && isJsonObject(value) && isJsonObject(current) ? { ...current, ...value } : value;
  }
}

/** An update as HoneyHive applies it: objects merged, outputs replaced (null keeps them), an empty children_ids ignored. */
function applyUpdate(target: Record<string, unknown>, update: EventUpdate): void {
  const { outputs, children_ids: childrenIds, ...rest } = update;
  applyFields(target, {
    ...rest,
    ...(outputs === null || outputs === undefined ? {} : { outputs }),
    ...(childrenIds === undefined || childrenIds.length === 0 ? {} : { children_ids: childrenIds }),
  });
}

/** The session's own fields of a session event (its event_id is the session id). */
function sessionFieldsOf(event: StoredEvent): Record<string, unknown> {
  const fields = Object.fromEntries(Object.entries(event).filter(([key]) => !EVENT_ONLY_FIELDS.has(key)));
  // A session's name is its event's name (PostEventRequest has no session_name).
  if (fields.session_name === undefined && typeof event.event_name === 'string') fields.session_name = event.event_name;
  return fields;
}

function isSessionEvent(event: StoredEvent, sessionId: string): boolean {
  return event.event_type === 'session' && event.event_id === sessionId;
}

function minMax(values: Iterable<number | undefined>): { min: number | null; max: number | null } {
  let min: number | null = null;
  let max: number | null = null;
  for (const value of values) {
    if (value === undefined) continue;
    if (min === null || value < min) min = value;
    if (max === null || value > max) max = value;
  }
  return { min, max };
}

function jsonOr(value: JsonObject | undefined): JsonObject {
  return value ?? {};
}

/** Called the first time the store drops something of a kind, with a line saying what and why. */
export type DropNotice = (message: string) => void;

export class SessionStore implements DevServerStore {
  private readonly records = new Map<string, SessionRecord>();
  /** event_id → the session holding it, for updates. */
  private readonly eventIndex = new Map<string, string>();
  private eventTotal = 0;
  private readonly requestLog: RequestLogEntry[] = [];
  /** Log entries holding a body, oldest first, with the body's size. */
  private readonly loggedBodies = new Map<RequestLogEntry, number>();
  private loggedBodyBytes = 0;
  private drops: StoreDrops = { sessions: 0, events: 0, requests: 0, request_bodies: 0 };
  private readonly noticed = new Set<keyof StoreDrops>();

  constructor(
    private readonly limits: StoreLimits = DEFAULT_STORE_LIMITS,
    private readonly onDrop: DropNotice = () => undefined,
  ) {}

  get requests(): readonly RequestLogEntry[] {
    return structuredClone(this.requestLog);
  }

  get dropped(): StoreDrops {
    return { ...this.drops };
  }

  /** Keeps the entry itself so the server can fill in the status once it answers. */
  logRequest(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    while (this.requestLog.length > this.limits.maxLoggedRequests) {
      const oldest = this.requestLog.shift()!;
      this.forgetBody(oldest);
      this.countDrop('requests', `the request log keeps the last ${this.limits.maxLoggedRequests} requests`);
    }
  }

  /** Keeps a logged request's parsed body, within the log's byte bound (oldest bodies go first). */
  attachBody(entry: RequestLogEntry, body: unknown, bytes: number): void {
    const why = `the request log keeps at most ${this.limits.maxLoggedBodyBytes} bytes of bodies`;
    if (bytes > this.limits.maxLoggedBodyBytes || !this.requestLog.includes(entry)) {
      this.countDrop('request_bodies', why);
      return;
    }
    entry.body = body;
    this.loggedBodies.set(entry, bytes);
    this.loggedBodyBytes += bytes;
    for (const oldest of this.loggedBodies.keys()) {
      if (this.loggedBodyBytes <= this.limits.maxLoggedBodyBytes) break;
      this.forgetBody(oldest);
      this.countDrop('request_bodies', why);
    }
  }

  private forgetBody(entry: RequestLogEntry): void {
    const bytes = this.loggedBodies.get(entry);
    if (bytes === undefined) return;
    this.loggedBodies.delete(entry);
    this.loggedBodyBytes -= bytes;
    delete entry.body;
  }

  reset(): void {
    this.records.clear();
    this.eventIndex.clear();
    this.eventTotal = 0;
    this.requestLog.length = 0;
    this.loggedBodies.clear();
    this.loggedBodyBytes = 0;
    this.drops = { sessions: 0, events: 0, requests: 0, request_bodies: 0 };
    this.noticed.clear();
  }

  private countDrop(kind: keyof StoreDrops, why: string, count = 1): void {
    this.drops[kind] += count;
    if (this.noticed.has(kind)) return;
    this.noticed.add(kind);
    this.onDrop(
      `${why}; dropping the oldest (${kind.replace('_', ' ')} dropped are counted in GET /sessions "dropped")`,
    );
  }

  private recordFor(sessionId: string): SessionRecord {
    let record = this.records.get(sessionId);
    if (record === undefined) {
      record = {
        session: { session_id: sessionId },
        started: false,
        startedAt: undefined,
        events: new Map(),
        duplicateCounts: new Map(),
        arrivalWarnings: [],
        droppedWarnings: 0,
        revision: 0,
      };
      this.records.set(sessionId, record);
    }
    return record;
  }

  private addWarnings(record: SessionRecord, warnings: readonly DevServerWarning[]): void {
    record.revision += 1;
    const room = Math.max(0, MAX_WARNINGS_PER_SESSION - record.arrivalWarnings.length);
    record.arrivalWarnings.push(...warnings.slice(0, room));
    record.droppedWarnings += Math.max(0, warnings.length - room);
  }

  private markStarted(record: SessionRecord): void {
    record.started = true;
    record.startedAt ??= Date.now();
  }

  /**
   * Starts a session, or repeats a start. A session_id that is not a UUID is
   * replaced by a new one, as HoneyHive does. A repeat keeps the first start's
   * fields and merges metadata and user_properties (HoneyHive's documented v1
   * behaviour; the legacy route is treated the same but warned about, since its
   * behaviour is undocumented).
   */
  startSession(
    incoming: StoredSession,
    route: Route,
    requestWarnings: readonly DevServerWarning[] = [],
  ): { session: StoredSession; answer: SessionStartAnswer; warnings: DevServerWarning[] } {
    const warnings: DevServerWarning[] = [...requestWarnings];
    let sessionId = incoming.session_id as string | undefined;
    if (sessionId !== undefined && !isUuid(sessionId)) {
      const replacement = randomUUID();
      warnings.push({
        kind: 'session-id-replaced',
        message: `the session start's session_id ${describeValue(sessionId)} is not a UUID; as HoneyHive does, a new one (${replacement}) was generated and answered, and events sent under the old id do not join this session`,
      });
      sessionId = replacement;
    }
    sessionId ??= randomUUID();
    const fields = { ...structuredClone(incoming), session_id: sessionId };
    warnings.push(...timeWarnings(fields, `session ${sessionId}`));

    const record = this.recordFor(sessionId);
    if (!record.started) {
      applyFields(record.session as unknown as Record<string, unknown>, fields);
      this.markStarted(record);
    } else {
      applyFields(record.session as unknown as Record<string, unknown>, {
        metadata: fields.metadata,
        user_properties: fields.user_properties,
      });
      if (route === 'legacy') {
        warnings.push({
          kind: 'session-restarted',
          message: `session ${sessionId} was started again through POST /session/start, which HoneyHive does not document as idempotent`,
        });
      }
    }
    this.addWarnings(record, warnings);
    this.enforceLimits(sessionId);
    return { session: structuredClone(record.session), answer: this.startAnswer(record), warnings };
  }

  /** The session's own event as HoneyHive answers a session start (`PostSessionStartResponse`). */
  private startAnswer(record: SessionRecord): SessionStartAnswer {
    const { session } = record;
    return structuredClone({
      event_id: session.session_id,
      session_id: session.session_id,
      parent_id: null,
      children_ids: session.children_ids ?? [],
      event_type: 'session',
      event_name: session.event_name ?? session.session_name ?? 'unknown',
      config: jsonOr(session.config),
      inputs: jsonOr(session.inputs),
      outputs: jsonOr(session.outputs),
      error: session.error ?? null,
      source: session.source ?? 'unknown',
      duration: session.duration ?? null,
      user_properties: jsonOr(session.user_properties),
      metrics: jsonOr(session.metrics),
      feedback: jsonOr(session.feedback),
      metadata: jsonOr(session.metadata),
      ...DEV_SERVER_SCOPE,
      start_time: session.start_time ?? record.startedAt ?? Date.now(),
      end_time: session.end_time ?? null,
    });
  }

  /**
   * Adds validated events to a session (the per-session routes' path id, which
   * always wins). A `session` event whose event_id is the session id is the
   * session itself: it starts the session, or updates it once started.
   * With `limit`, only the first `limit` events are taken (a partial fault).
   */
  addEvents(
    sessionId: string,
    incoming: readonly IncomingEvent[],
    route: Route,
    requestWarnings: readonly DevServerWarning[] = [],
    limit?: number,
  ): AddEventsResult {
    const taken = limit === undefined ? incoming : incoming.slice(0, limit);
    const warnings: DevServerWarning[] = [...requestWarnings];
    // One copy made before anything changes, so a failure leaves the store as it was.
    const prepared = structuredClone(taken) as StoredEvent[];
    prepared.forEach((complete, index) => {
      const given = taken[index]!;
      if (given.session_id !== undefined && given.session_id !== sessionId) {
        warnings.push({
          kind: 'session-id-overridden',
          message: `event ${given.event_id ?? '(no id)'} named session ${given.session_id}; the request's session ${sessionId} was used${route === 'legacy' ? ' (HoneyHive does not document which wins on the legacy route)' : ''}`,
          ...(given.event_id === undefined ? {} : { event_id: given.event_id }),
        });
      }
      // HoneyHive generates a missing event_id; so does the store, so the event can be shown.
      complete.event_id = given.event_id ?? randomUUID();
      complete.session_id = sessionId;
      warnings.push(...idWarnings(complete, given));
    });
    if (!isUuid(sessionId) && prepared.length > 0) {
      warnings.push({
        kind: 'non-uuid-id',
        message: `session id ${describeValue(sessionId)} is not a UUID; HoneyHive's legacy route takes it, but its v1 routes (format: uuid) cannot name it and a session start would replace it`,
      });
    }

    const isNewSession = !this.records.has(sessionId);
    const record = this.recordFor(sessionId);
    if (isNewSession && prepared.length > 0 && !prepared.some((event) => isSessionEvent(event, sessionId))) {
      warnings.push({
        kind: 'session-not-started',
        message: `events arrived for session ${sessionId} before any start request for it; HoneyHive then fills the session's inputs and outputs from the first event it sees`,
      });
    }
    const stored: StoredEvent[] = [];
    let duplicates = 0;
    for (const complete of prepared) {
      if (isSessionEvent(complete, sessionId)) {
        applyFields(record.session as unknown as Record<string, unknown>, sessionFieldsOf(complete));
        this.markStarted(record);
        warnings.push(...timeWarnings(complete, `session ${sessionId}`));
        continue;
      }
      if (record.events.has(complete.event_id)) {
        duplicates += 1;
        record.duplicateCounts.set(complete.event_id, (record.duplicateCounts.get(complete.event_id) ?? 0) + 1);
        continue;
      }
      record.events.set(complete.event_id, complete);
      if (!this.eventIndex.has(complete.event_id)) this.eventIndex.set(complete.event_id, sessionId);
      this.eventTotal += 1;
      stored.push(complete);
      warnings.push(...timeWarnings(complete, () => describeEvent(complete), complete.event_id));
    }
    this.addWarnings(record, warnings);
    this.enforceLimits(sessionId);
    return { eventIds: prepared.map((event) => event.event_id), stored, duplicates, warnings };
  }

  /**
   * Applies an update to the session whose id this is, or to the event with this
   * id. Undefined when neither is known (nothing changes).
   */
  updateEvent(
    eventId: string,
    update: EventUpdate,
    requestWarnings: readonly DevServerWarning[] = [],
  ): { sessionId: string; warnings: DevServerWarning[] } | undefined {
    const sessionId = this.records.has(eventId) ? eventId : this.eventIndex.get(eventId);
    const record = sessionId === undefined ? undefined : this.records.get(sessionId);
    if (sessionId === undefined || record === undefined) return undefined;
    const target = sessionId === eventId ? record.session : record.events.get(eventId);
    if (target === undefined) return undefined;
    const copy = structuredClone(update);
    applyUpdate(target as unknown as Record<string, unknown>, copy);
    const warnings = [
      ...requestWarnings,
      ...timeWarnings(
        copy,
        sessionId === eventId ? `the update of session ${sessionId}` : `the update of event ${eventId}`,
      ),
    ];
    this.addWarnings(record, warnings);
    return { sessionId, warnings };
  }

  /** Drops the oldest sessions (never `current`), then `current`'s oldest events, until within the limits. */
  private enforceLimits(current: string): void {
    const { maxSessions, maxEvents } = this.limits;
    for (const [sessionId, record] of this.records) {
      if (this.records.size <= maxSessions && this.eventTotal <= maxEvents) break;
      if (sessionId === current) continue;
      this.dropSession(sessionId, record);
    }
    const record = this.records.get(current);
    if (record === undefined || this.eventTotal <= maxEvents) return;
    let dropped = 0;
    for (const eventId of record.events.keys()) {
      if (this.eventTotal <= maxEvents) break;
      this.forgetEvent(current, record, eventId);
      dropped += 1;
    }
    if (dropped > 0) this.countDrop('events', `the store keeps at most ${maxEvents} events`, dropped);
  }

  private dropSession(sessionId: string, record: SessionRecord): void {
    const events = record.events.size;
    for (const eventId of [...record.events.keys()]) this.forgetEvent(sessionId, record, eventId);
    this.records.delete(sessionId);
    this.countDrop(
      'sessions',
      `the store keeps at most ${this.limits.maxSessions} sessions and ${this.limits.maxEvents} events`,
    );
    if (events > 0) this.countDrop('events', `the store keeps at most ${this.limits.maxEvents} events`, events);
  }

  private forgetEvent(sessionId: string, record: SessionRecord, eventId: string): void {
    record.revision += 1;
    record.events.delete(eventId);
    record.duplicateCounts.delete(eventId);
    if (this.eventIndex.get(eventId) === sessionId) this.eventIndex.delete(eventId);
    this.eventTotal -= 1;
  }

  sessions(): SessionSummary[] {
    return [...this.records.values()].map((record) => this.summarise(record));
  }

  private summarise(record: SessionRecord): SessionSummary {
    const { session } = record;
    let project: string | undefined;
    let source: string | undefined;
    let errors = 0;
    for (const event of record.events.values()) {
      project ??= event.project;
      source ??= event.source;
      if (typeof event.error === 'string') errors += 1;
    }
    const starts = minMax(Array.from(record.events.values(), (event) => event.start_time));
    const ends = minMax(Array.from(record.events.values(), (event) => event.end_time));
    const startTime = session.start_time ?? starts.min;
    const endTime = session.end_time ?? ends.max;
    return {
      session_id: session.session_id,
      session_name: session.session_name ?? session.event_name ?? null,
      project: session.project ?? project ?? null,
      source: session.source ?? source ?? null,
      started: record.started,
      event_count: record.events.size,
      error_count: errors,
      start_time: startTime,
      end_time: endTime,
      duration: session.duration ?? (startTime !== null && endTime !== null ? endTime - startTime : null),
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
    let sum = 0;
    for (const count of record.duplicateCounts.values()) sum += count;
    return sum;
  }

  /** Arrival warnings, then what only the whole session shows: duplicates, dangling parents, loops. */
  private warningsOf(record: SessionRecord): DevServerWarning[] {
    if (record.computedWarnings?.revision !== record.revision) {
      record.computedWarnings = { revision: record.revision, warnings: this.computeWarnings(record) };
    }
    return record.computedWarnings.warnings;
  }

  private computeWarnings(record: SessionRecord): DevServerWarning[] {
    const sessionId = record.session.session_id;
    const warnings = [...record.arrivalWarnings];
    if (record.droppedWarnings > 0) {
      warnings.push({
        kind: 'warnings-dropped',
        message: `${record.droppedWarnings} more warning(s) arrived for this session; the dev server keeps the first ${MAX_WARNINGS_PER_SESSION}`,
      });
    }
    for (const [eventId, extraCopies] of record.duplicateCounts) {
      const event = record.events.get(eventId);
      warnings.push({
        kind: 'duplicate-event',
        message: `${event === undefined ? `event ${eventId}` : describeEvent(event)} was received ${extraCopies + 1} times; the first copy is kept`,
        event_id: eventId,
      });
    }
    const { danglingParents, parentCycles, tooDeep } = analyseSessionTree(sessionId, [...record.events.values()]);
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
    for (const event of tooDeep) {
      warnings.push({
        kind: 'tree-too-deep',
        message: `${describeEvent(event)} is more than ${MAX_TREE_DEPTH} parents below the session; the tree shows it at the top`,
        event_id: event.event_id,
      });
    }
    return warnings;
  }
}
