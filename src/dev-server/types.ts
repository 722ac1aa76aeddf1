/**
 * Types of the dev server's own answers and of its test-facing store.
 * The wire types HoneyHive defines live in `../honeyhive-types`; these are only
 * what the dev server adds on top (read-back, warnings, request log, faults).
 */
import type { HoneyHiveEvent, HoneyHiveEventType, JsonObject } from '../honeyhive-types';

/**
 * An event as the dev server stored it: whatever fields the client sent (all
 * optional on the legacy route), with `event_id` and `session_id` always filled.
 * `event_type` may be `session` here, which HoneyHive accepts on ingestion.
 */
export type StoredEvent = Partial<Omit<HoneyHiveEvent, 'event_type'>> & {
  event_id: string;
  session_id: string;
  event_type?: HoneyHiveEventType;
  project_id?: string;
};

/**
 * A session as the dev server stored it: the fields its start carried (as
 * sent, defaults not filled in), then whatever updates and session events
 * applied. A session that only ever received events has just `session_id`
 * until something updates it. A legacy start may also carry fields HoneyHive's
 * schema does not list; they are kept as sent.
 */
// A type, not an interface, so it reads as Record<string, unknown> (the viewer lists whatever fields it holds).
export type StoredSession = {
  session_id: string;
  session_name?: string;
  event_name?: string;
  source?: string;
  /** Only a legacy start carries it; HoneyHive ignores it (the API key decides the project). */
  project?: string;
  start_time?: number;
  /** From the start, an update (`PUT /v1/events/{session_id}`, `PUT /events`) or a session event. */
  end_time?: number;
  /** Milliseconds. */
  duration?: number;
  config?: JsonObject;
  inputs?: JsonObject;
  outputs?: JsonObject;
  metadata?: JsonObject;
  user_properties?: JsonObject;
  /** Only from updates and session events: HoneyHive's session starts take no metrics. */
  metrics?: JsonObject;
  /** Only from updates and session events: HoneyHive's session starts take no feedback. */
  feedback?: JsonObject;
  children_ids?: string[];
  /** Only from a session event. */
  error?: string | null;
};

export type WarningKind =
  /** Events arrived for a session no start request had created (yet). */
  | 'session-not-started'
  /** A session was started again through the legacy route, which is not documented as idempotent. */
  | 'session-restarted'
  /** An event's parent_id names neither the session nor any event of it (computed at read time). */
  | 'dangling-parent'
  /** Events whose parents form a loop, so no chain of parents reaches the session. */
  | 'parent-cycle'
  /** The same event_id was sent again; the first copy is kept. */
  | 'duplicate-event'
  /** On the v1 batch route an event's own session_id was replaced by the path's. */
  | 'session-id-overridden'
  /** A time that is not plausibly Unix epoch milliseconds (seconds or nanoseconds sent by mistake). */
  | 'suspicious-time'
  /** An id HoneyHive takes as a string but that is not a UUID (v1 paths, which are `format: uuid`, cannot name it). */
  | 'non-uuid-id'
  /** A session start's session_id was not a UUID, so (as HoneyHive does) a new one was generated and answered. */
  | 'session-id-replaced'
  /** Fields a legacy schema does not list: HoneyHive accepts them without documenting what it does with them. */
  | 'unknown-field'
  /** Fields an update does not list (`inputs`, say): HoneyHive accepts and silently ignores them. */
  | 'ignored-field'
  /** The session had more warnings than the store keeps for one session; this one counts the rest. */
  | 'warnings-dropped'
  /** An event more than MAX_TREE_DEPTH parents below the session, shown at the top of the tree (computed at read time). */
  | 'tree-too-deep';

/** Something HoneyHive would accept but mishandle. */
export interface DevServerWarning {
  kind: WarningKind;
  message: string;
  event_id?: string;
}

/** A node of a session's event tree: an event and the events whose parent it is. */
export interface TreeNode {
  event: StoredEvent;
  children: TreeNode[];
}

/**
 * HoneyHive's `PostSessionStartResponse`, the answer of both session starts:
 * the session's own event, defaults filled in (`event_name` falls back to
 * `session_name`, then `"unknown"`; `source` to `"unknown"`; `start_time` to
 * when the session was first started). The dev server's scope ids are fixed
 * (`DEV_SERVER_SCOPE`).
 */
export interface SessionStartAnswer {
  event_id: string;
  session_id: string;
  parent_id: null;
  children_ids: string[];
  event_type: 'session';
  event_name: string;
  config: JsonObject;
  inputs: JsonObject;
  outputs: JsonObject;
  error: string | null;
  source: string;
  duration: number | null;
  user_properties: JsonObject;
  metrics: JsonObject;
  feedback: JsonObject;
  metadata: JsonObject;
  org_id: string;
  workspace_id: string;
  project_id: string;
  start_time: number;
  end_time: number | null;
}

/** One row of `GET /sessions`. */
export interface SessionSummary {
  session_id: string;
  session_name: string | null;
  project: string | null;
  source: string | null;
  /** False when events arrived but no start request ever did. */
  started: boolean;
  event_count: number;
  /** Events whose `error` is a string. */
  error_count: number;
  /** The session's own times when it has them (start, update or session event), else the earliest/latest event times. */
  start_time: number | null;
  end_time: number | null;
  /** The session's own duration (milliseconds) when it has one, else end_time - start_time when both are known. */
  duration: number | null;
  warnings_count: number;
  duplicates: number;
}

/** The answer of `GET /sessions/{id}`; also what `formatSessionTree` prints. */
export interface SessionDetails {
  session: StoredSession;
  started: boolean;
  /** In arrival order, duplicates dropped. */
  events: StoredEvent[];
  /** Events whose parent is the session (or missing, or unknown) at the top. */
  tree: TreeNode[];
  warnings: DevServerWarning[];
  duplicates: number;
}

/** One entry of the request log. */
export interface RequestLogEntry {
  received_at: number;
  method: string;
  /** The path with its query string, as received. */
  path: string;
  /** Lower-cased header names; `authorization`, when present, reads `[redacted]`. */
  headers: Record<string, string>;
  /** The status answered; null when the request was never answered (hang, destroy, server closed). */
  status: number | null;
  /** Events in the body (`events` or `logs`), 0 when none or unparsable. */
  event_count: number;
  /** Size of the body in bytes as received (compressed, for a gzip body; its `content-encoding` header says so). */
  body_bytes: number;
  /**
   * The parsed JSON body (inflated first, for an accepted gzip body); absent when it
   * did not parse, was nested too deep, or was dropped to keep the log within its bytes.
   */
  body?: unknown;
  /** True when an injected fault decided the answer. */
  faulted: boolean;
}

/**
 * A fault to inject into the next matching POST or PUT requests. The read-back
 * routes (`GET /sessions...`, `/healthz`) are never faulted.
 */
export interface Fault {
  /** Pathname to match: a string matches exactly, a RegExp is tested. Absent: every POST. */
  path?: RegExp | string;
  /** Answer with this status (default 500 when `body` or `headers` is given). */
  status?: number;
  /** Answer body: a string is sent as text/plain, anything else as JSON. Default: HoneyHive's error envelope. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long first; alone, the request is then handled (and stored) normally. */
  delayMs?: number;
  /** Never answer; the connection is closed by `close()`. */
  hang?: boolean;
  /** Destroy the socket without answering (the client sees a connection reset). */
  destroy?: boolean;
  /**
   * On an event route, store only the first `partial` events of the (valid)
   * request, then answer 500: HoneyHive's "Events partially added" answer.
   */
  partial?: number;
  /** How many matching requests this fault applies to. Default 1; Infinity for all. */
  times?: number;
}

/** How much the store keeps; past a bound it drops the oldest and counts what it dropped. */
export interface StoreLimits {
  /** Sessions kept; the oldest (by first sight) is dropped whole past it. Default 10,000. */
  maxSessions: number;
  /** Events kept across all sessions; the oldest sessions' events go first. Default 500,000. */
  maxEvents: number;
  /** Request log entries kept. Default 1,000. */
  maxLoggedRequests: number;
  /** Bytes of request bodies the request log keeps; older entries lose their body first. Default 64 MiB. */
  maxLoggedBodyBytes: number;
}

/** What the store dropped to stay within its limits (`GET /sessions` answers it too). */
export interface StoreDrops {
  sessions: number;
  events: number;
  requests: number;
  /** Request log entries whose body was dropped (the entry itself kept). */
  request_bodies: number;
}
