/**
 * HoneyHive's wire format: the bodies this exporter sends and the answers it reads.
 *
 * Documented from HoneyHive's Data Plane API (OpenAPI 1.2.1): the legacy
 * `POST /session/{session_id}/traces` (`AddSessionTracesRequest` of
 * `LegacyEvent`s) and its update route `PUT /events`
 * (`LegacyUpdateEventRequest`); the v1 `POST /v1/events/batch`
 * (`PostEventBatchRequest` of `PostEventRequest`s, answered with
 * `PostEventBatchResponse`) and `PUT /v1/events/{event_id}`
 * (`UpdateEventRequest`); and the session object of the two session starts
 * (`POST /session/start`, `POST /v1/sessions`), which the exporter does not
 * send but spool files of earlier versions may hold.
 * Where HoneyHive publishes no rule, the comments say what we assume.
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
 * object): HoneyHive's legacy route takes every field as optional, and most
 * plain HTTP and database spans would otherwise send mostly empty fields.
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

/**
 * A session as an event: HoneyHive stores each session as the event of type `session` whose `event_id` is
 * the `session_id` (`POST /v1/sessions` "creates a session event and returns it"), and both event routes take
 * `session` among their event types, so a new session travels as this event in the same request as its first
 * events. Its name is `event_name` (`PostEventRequest` has no `session_name`, and refuses unknown fields); it
 * has no parent. `end_time`, `duration` and `outputs` are the latest root event's once a root (an event whose
 * parent is the session) has ended; `inputs` the earliest root's, unless the spans named the session's own.
 */
export interface HoneyHiveSessionEvent {
  event_type: 'session';
  /** Equal to `session_id`. */
  event_id: string;
  session_id: string;
  /** The session's name. */
  event_name: string;
  /** Legacy route only, like an event's. */
  project?: string;
  source: string;
  start_time: number;
  end_time?: number;
  duration?: number;
  /** Always an object, as for an event. */
  inputs: JsonObject;
  outputs?: JsonObject;
  config?: JsonObject;
  /** The resource, the original session id when it was not a UUID, experiment ids (`run_id`, `dataset_id`, `datapoint_id`), and what spans set for the session. */
  metadata: JsonObject;
  user_properties?: JsonObject;
  feedback?: JsonObject;
  metrics?: JsonObject;
}

/** Any event the exporter sends: one per span, and a session's own. */
export type WireEvent = HoneyHiveEvent | HoneyHiveSessionEvent;

/** Body of `POST /session/{session_id}/traces` (legacy `events` spelling; `logs` is its deprecated twin). */
export interface AddEventsRequest {
  events: WireEvent[];
}

/**
 * Body of `POST /v1/events/batch`: events of any number of sessions, each naming its own. The route's
 * `single_session` / `session_properties` (one session for the whole batch) are not used: each session
 * travels as its own `session` event instead.
 */
export interface PostEventBatchRequest {
  events: WireEvent[];
}

/**
 * HoneyHive's answer to `POST /v1/events/batch`: the ids it created. A 500 means only some were created;
 * its body then lists those it created in `event_ids` (and why the others failed in `errors`), so only the
 * rest is sent again.
 */
export interface PostEventBatchResponse {
  event_ids: string[];
  session_id?: string;
  success: boolean;
  errors?: unknown;
}

/**
 * Body of `PUT /v1/events/{event_id}` (`UpdateEventRequest`): the fields to change on an existing event,
 * here a session's. The object fields are merged into the stored ones; `outputs` replaces them. There is no
 * way to change `inputs`, `start_time` or the name after the fact.
 */
export interface UpdateEventRequest {
  metadata?: JsonObject;
  feedback?: JsonObject;
  metrics?: JsonObject;
  outputs?: JsonObject;
  config?: JsonObject;
  user_properties?: JsonObject;
  duration?: number;
  end_time?: number;
}

/** Body of the legacy `PUT /events` (`LegacyUpdateEventRequest`): the same, naming the event in the body. */
export interface LegacyUpdateEventRequest extends UpdateEventRequest {
  event_id: string;
}

/**
 * The session object of `POST /session/start` (wrapped as `{session: ...}`) and
 * `POST /v1/sessions` (unwrapped). The exporter does not start sessions this
 * way (see {@link HoneyHiveSessionEvent}); spool files written by earlier
 * versions may hold one, which is resent as the session's event.
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
