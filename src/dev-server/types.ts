/**
 * Types of the dev server's own answers and of its test-facing store.
 * The wire types HoneyHive defines live in `../honeyhive-types`; these are only
 * what the dev server adds on top (read-back, warnings, request log, faults).
 */
import type { HoneyHiveEvent, HoneyHiveEventType, HoneyHiveSession, JsonObject } from '../honeyhive-types';

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
 * A session as the dev server stored it. Sessions that only ever received
 * events (never started) have just `session_id`. Beside the fields of
 * HoneyHiveSession, HoneyHive's own session-start schema also takes
 * `children_ids`, `error`, `metrics` and `feedback`.
 */
export type StoredSession = Partial<HoneyHiveSession> & {
  session_id: string;
  children_ids?: string[];
  error?: string | null;
  metrics?: JsonObject;
  feedback?: JsonObject;
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
  | 'suspicious-time';

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
  /** The session's own times when it was started with them, else the earliest/latest event times. */
  start_time: number | null;
  end_time: number | null;
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
  /** The parsed JSON body (inflated first, for an accepted gzip body), when it parsed. */
  body?: unknown;
  /** True when an injected fault decided the answer. */
  faulted: boolean;
}

/**
 * A fault to inject into the next matching POST requests. The read-back routes
 * (`GET /sessions...`, `/healthz`) are never faulted.
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
  /** How many matching requests this fault applies to. Default 1; Infinity for all. */
  times?: number;
}
