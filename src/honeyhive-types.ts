/**
 * HoneyHive's wire format: the bodies this exporter sends and the answers it reads.
 *
 * Documented from HoneyHive's API reference and OpenAPI spec (v1.1.0): the
 * legacy `POST /session/{session_id}/traces`, its successor
 * `POST /v1/sessions/{session_id}/events/batch`, and the two ways of starting a
 * session. Where HoneyHive publishes no rule, the comments say what we assume.
 */

/** The only event types HoneyHive accepts. `session` is reserved for the session's own event. */
export type HoneyHiveEventType = 'session' | 'model' | 'tool' | 'chain';

/** The event types a span can become (a span never becomes a `session`). */
export type SpanEventType = Exclude<HoneyHiveEventType, 'session'>;

/** A JSON value as HoneyHive stores it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. Every structured event field is one. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * One event: the unit HoneyHive stores, one per OpenTelemetry span.
 *
 * Ids are lowercase RFC 4122 UUID strings. Times are Unix epoch milliseconds as
 * JSON numbers (HoneyHive silently replaces a string with "now").
 *
 * The optional fields are left out when empty (no children, no error, an empty
 * object): HoneyHive's legacy route takes every field as optional, and on plain
 * HTTP and database spans those empty fields were a tenth of each event's bytes.
 * `inputs` is always sent, as both routes' documentation asks.
 */
export interface HoneyHiveEvent {
  /** Project name, legacy routes only: HoneyHive ignores it there (the API key decides) and the v1 routes refuse it. */
  project?: string;
  /** Environment label, e.g. `dev`, `prod`. */
  source: string;
  event_name: string;
  event_type: SpanEventType;
  event_id: string;
  session_id: string;
  /** The parent event's id, or the session id for a top-level event. */
  parent_id: string;
  /** Ids of child events the exporter has seen; absent when it has seen none. */
  children_ids?: string[];
  /** Model settings: `model`, `provider`, `hyperparameters`, `template`, `type`. */
  config?: JsonObject;
  /** Always an object; a chat model call's conversation is `inputs.chat_history`. */
  inputs: JsonObject;
  /** For a model call `{role, content}` plus tool calls and finish reason where known. */
  outputs?: JsonObject;
  /** What went wrong; absent when the span did not fail (HoneyHive also takes null). */
  error?: string | null;
  start_time: number;
  end_time: number;
  /** Milliseconds, fractional. */
  duration: number;
  /** Everything else; HoneyHive's roll-ups read `prompt_tokens`, `completion_tokens`, `total_tokens`, `cost` here. */
  metadata: JsonObject;
  feedback?: JsonObject;
  metrics?: JsonObject;
  user_properties?: JsonObject;
}

/** The object fields of an event that are never left out: `inputs` (both routes want it) and `metadata` (our identity fields). */
export const ALWAYS_SENT_OBJECT_FIELDS: ReadonlySet<string> = new Set(['inputs', 'metadata']);

/** Body of `POST /session/{session_id}/traces` and `POST /v1/sessions/{session_id}/events/batch`. */
export interface AddEventsRequest {
  events: HoneyHiveEvent[];
}

/**
 * The session object of `POST /session/start` (wrapped as `{session: ...}`) and
 * `POST /v1/sessions` (unwrapped). The session is itself an event of type
 * `session` whose `event_id` equals its `session_id`.
 */
export interface HoneyHiveSession {
  session_id: string;
  session_name: string;
  /** Legacy route only; `POST /v1/sessions` refuses it. */
  project?: string;
  source: string;
  start_time: number;
  event_name?: string;
  end_time?: number;
  duration?: number;
  config?: JsonObject;
  inputs?: JsonObject;
  outputs?: JsonObject;
  metadata?: JsonObject;
  user_properties?: JsonObject;
}

/** Body of `POST /session/start`. */
export interface StartSessionRequest {
  session: HoneyHiveSession;
}

/** HoneyHive's answer to a successful add-events request. */
export interface SuccessResponse {
  success: true;
}

/** HoneyHive's error envelope. Load balancers and plain 404s may answer with other bodies. */
export interface ErrorResponse {
  statusCode: number;
  message: string;
  success: false;
  errorCode: string;
}
