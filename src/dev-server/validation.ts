/**
 * Pure checks of request bodies, schema by schema as HoneyHive's Data Plane API
 * (OpenAPI 1.2.1) publishes them: what a schema refuses is refused, what it
 * accepts is accepted, and what HoneyHive accepts but mishandles (fields a
 * legacy schema does not list, fields an update ignores) comes back as a
 * warning. Where the document publishes no rule the check says what it assumes.
 *
 * Every message names the exact field (`events[3].event_type`), so a failing
 * exporter test says what to fix.
 */
import type { HoneyHiveEventType, JsonObject } from '../honeyhive-types';
import { isJsonObject } from '../transform/json-values';
import type { DevServerWarning, StoredEvent, StoredSession } from './types';

/** An event as received, after validation: typed fields, ids not yet filled in. */
export type IncomingEvent = Omit<StoredEvent, 'event_id' | 'session_id'> & {
  event_id?: string;
  session_id?: string;
};

/** A checked body, with the warnings about what HoneyHive accepts but mishandles in it. */
export type Validated<T> = { ok: true; value: T; warnings: DevServerWarning[] } | { ok: false; message: string };

const EVENT_TYPES: readonly HoneyHiveEventType[] = ['session', 'model', 'tool', 'chain'];

/**
 * A UUID as OpenAPI's `format: uuid` reads it (RFC 4122's syntax: 8-4-4-4-12
 * hex digits, either case). HoneyHive replaces a session id that is not one.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type FieldKind = 'string' | 'string[]' | 'object' | 'object|null' | 'number' | 'boolean' | 'string|null' | 'event_type';

interface Schema {
  /** The schema's name in HoneyHive's document, for messages. */
  name: string;
  fields: Readonly<Record<string, FieldKind>>;
  required?: readonly string[];
  /**
   * Fields the schema does not list: `refuse` (additionalProperties: false),
   * `accept` (passthrough: accepted, warned about as undocumented), `ignore`
   * (documented as accepted and silently ignored: warned about).
   */
  others: 'refuse' | 'accept' | 'ignore';
}

/** The event fields of `PostEventRequest` (v1); `LegacyEvent` adds `project`. */
const EVENT_FIELDS: Readonly<Record<string, FieldKind>> = {
  project_id: 'string',
  source: 'string',
  event_name: 'string',
  event_type: 'event_type',
  event_id: 'string',
  session_id: 'string',
  parent_id: 'string',
  children_ids: 'string[]',
  config: 'object',
  inputs: 'object',
  outputs: 'object',
  error: 'string|null',
  start_time: 'number',
  end_time: 'number',
  duration: 'number',
  metadata: 'object',
  feedback: 'object',
  metrics: 'object',
  user_properties: 'object',
};

/** `StartSessionRequest` (v1) and `LegacyStartSessionRequestSession` list the same fields. */
const SESSION_FIELDS: Readonly<Record<string, FieldKind>> = {
  session_id: 'string',
  session_name: 'string',
  event_name: 'string',
  source: 'string',
  start_time: 'number',
  end_time: 'number',
  duration: 'number',
  config: 'object',
  inputs: 'object',
  outputs: 'object',
  metadata: 'object',
  user_properties: 'object',
  children_ids: 'string[]',
};

/** `UpdateEventRequest`; `LegacyUpdateEventRequest` adds a required `event_id`. */
const UPDATE_FIELDS: Readonly<Record<string, FieldKind>> = {
  metadata: 'object',
  feedback: 'object',
  metrics: 'object',
  outputs: 'object|null',
  config: 'object',
  user_properties: 'object',
  duration: 'number',
  end_time: 'number',
  children_ids: 'string[]',
};

export const Schemas = {
  legacyEvent: { name: 'LegacyEvent', fields: { project: 'string', ...EVENT_FIELDS }, others: 'accept' },
  postEvent: { name: 'PostEventRequest', fields: EVENT_FIELDS, required: ['event_type', 'inputs'], others: 'refuse' },
  legacySession: { name: 'LegacyStartSessionRequestSession', fields: SESSION_FIELDS, others: 'accept' },
  startSession: { name: 'StartSessionRequest', fields: SESSION_FIELDS, others: 'refuse' },
  sessionProperties: {
    name: 'SessionProperties',
    fields: { session_name: 'string', start_time: 'number', user_properties: 'object', metadata: 'object' },
    others: 'accept',
  },
  updateEvent: { name: 'UpdateEventRequest', fields: UPDATE_FIELDS, others: 'ignore' },
  legacyUpdateEvent: {
    name: 'LegacyUpdateEventRequest',
    fields: { event_id: 'string', ...UPDATE_FIELDS },
    required: ['event_id'],
    others: 'ignore',
  },
} as const satisfies Record<string, Schema>;

/** Fields `LegacyEvent` and the legacy session start take without warning although HoneyHive ignores them. */
const KNOWN_IGNORED_LEGACY_FIELDS: ReadonlySet<string> = new Set(['project']);

const MAX_LISTED_PROBLEMS = 20;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A short, unambiguous rendering of a wrong value for an error message. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return String(value);
}

/** The message for a field of the wrong type, or undefined when it is right. */
function fieldProblem(kind: FieldKind, value: unknown, where: string): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `${where} must be a string; got ${describeValue(value)}`;
    case 'string|null':
      return typeof value === 'string' || value === null
        ? undefined
        : `${where} must be a string or null; got ${describeValue(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${where} must be a boolean; got ${describeValue(value)}`;
    case 'number':
      // JSON.parse turns 1e999 into Infinity, which no JSON number means.
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `${where} must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got ${describeValue(value)}`;
    case 'object':
      return isJsonObject(value) ? undefined : `${where} must be an object; got ${describeValue(value)}`;
    case 'object|null':
      return isJsonObject(value) || value === null
        ? undefined
        : `${where} must be an object or null; got ${describeValue(value)}`;
    case 'event_type':
      return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value)
        ? undefined
        : `${where} must be one of ${EVENT_TYPES.join(', ')}; got ${describeValue(value)}`;
    case 'string[]': {
      if (!Array.isArray(value)) return `${where} must be an array of strings; got ${describeValue(value)}`;
      const problems = value.flatMap((item, index) =>
        typeof item === 'string' ? [] : [`${where}[${index}] must be a string; got ${describeValue(item)}`],
      );
      return problems.length > 0 ? problems.join('; ') : undefined;
    }
  }
}

function refusalOf(schema: Schema, where: string, key: string): string {
  const hint = key === 'project' ? ' (the project comes from the API key)' : ', which takes no other fields';
  return `${where} is not a field of ${schema.name}${hint}`;
}

/** What checking one object against a schema found. */
interface ObjectCheck {
  problems: string[];
  /** Paths of fields the schema does not list but accepts (`accept` or `ignore`). */
  others: string[];
}

/** `prefix` is how the object is named in messages: `events[3].`, `session.`, or `` for the body. */
function checkObject(value: JsonObject, schema: Schema, prefix: string, check: ObjectCheck): void {
  for (const [key, fieldValue] of Object.entries(value)) {
    const where = `${prefix}${key}`;
    const kind = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
    if (kind === undefined) {
      if (schema.others === 'refuse') check.problems.push(refusalOf(schema, where, key));
      else if (!(schema.others === 'accept' && KNOWN_IGNORED_LEGACY_FIELDS.has(key))) check.others.push(where);
      continue;
    }
    const problem = fieldProblem(kind, fieldValue, where);
    if (problem !== undefined) check.problems.push(problem);
  }
  for (const required of schema.required ?? []) {
    if (!Object.hasOwn(value, required)) check.problems.push(`${prefix}${required} is required by ${schema.name}`);
  }
}

/** One warning naming every accepted-but-unlisted field of a request (field names grouped, at most 20 listed). */
function othersWarning(schema: Schema, paths: readonly string[]): DevServerWarning[] {
  if (paths.length === 0) return [];
  const listed = joinProblems([...paths]);
  return schema.others === 'ignore'
    ? [
        {
          kind: 'ignored-field',
          message: `${listed}: not field(s) of ${schema.name}; HoneyHive accepts and silently ignores them`,
        },
      ]
    : [
        {
          kind: 'unknown-field',
          message: `${listed}: not field(s) of ${schema.name}; HoneyHive accepts them without documenting what it does with them`,
        },
      ];
}

function joinProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function fail<T>(problems: string[]): Validated<T> {
  return { ok: false, message: joinProblems(problems) };
}

function newCheck(): ObjectCheck {
  return { problems: [], others: [] };
}

/** A path id the spec types `format: uuid` (the v1 routes). */
export function validateUuidPathId(raw: string, what: string): Validated<string> {
  return isUuid(raw)
    ? { ok: true, value: raw, warnings: [] }
    : fail([`the ${what} in the path must be a UUID (the route's format: uuid); got ${describeValue(raw)}`]);
}

function validateSessionObject(value: unknown, schema: Schema, name: string): Validated<StoredSession> {
  if (!isJsonObject(value))
    return fail([`${name || 'request body'} must be a JSON object; got ${describeValue(value)}`]);
  const check = newCheck();
  checkObject(value, schema, name === '' ? '' : `${name}.`, check);
  if (check.problems.length > 0) return fail(check.problems);
  return { ok: true, value: value as unknown as StoredSession, warnings: othersWarning(schema, check.others) };
}

/** `POST /session/start`: `LegacyStartSessionRequest`, `{session: {...}}`; other top-level fields are accepted. */
export function validateSessionStartBody(body: unknown): Validated<StoredSession> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  if (!Object.hasOwn(body, 'session')) return fail(['session is required by LegacyStartSessionRequest']);
  const checked = validateSessionObject(body['session'], Schemas.legacySession, 'session');
  if (!checked.ok) return checked;
  const topLevel = Object.keys(body).filter((key) => key !== 'session');
  const wrapper: Schema = { name: 'LegacyStartSessionRequest', fields: {}, others: 'accept' };
  return { ...checked, warnings: [...othersWarning(wrapper, topLevel), ...checked.warnings] };
}

/** `POST /v1/sessions`: `StartSessionRequest`, the bare session object; no other fields. */
export function validateV1SessionBody(body: unknown): Validated<StoredSession> {
  return validateSessionObject(body, Schemas.startSession, '');
}

export type Route = 'legacy' | 'v1';

export interface ValidatedEvents {
  /** Which key carried the events: `events`, or the legacy `logs`. */
  listName: 'events' | 'logs';
  events: IncomingEvent[];
}

function checkEvents(list: unknown, listName: string, schema: Schema, check: ObjectCheck): void {
  if (!Array.isArray(list)) {
    check.problems.push(`${listName} must be an array; got ${describeValue(list)}`);
    return;
  }
  list.forEach((event, index) => {
    const where = `${listName}[${index}]`;
    if (isJsonObject(event)) checkObject(event, schema, `${where}.`, check);
    else check.problems.push(`${where} must be an object; got ${describeValue(event)}`);
  });
}

/**
 * `POST /session/{id}/traces` (`AddSessionTracesRequest`, legacy): exactly one of
 * `events` and `logs`, `LegacyEvent`s with every field optional, other fields
 * accepted. `POST /v1/sessions/{id}/events/batch` (`SessionEventBatchRequest`):
 * only `events`, each a `PostEventRequest`.
 */
export function validateEventsBody(body: unknown, route: Route): Validated<ValidatedEvents> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const check = newCheck();
  if (route === 'v1') {
    const { events, ...rest } = body;
    checkObject(rest, { name: 'SessionEventBatchRequest', fields: {}, others: 'refuse' }, '', check);
    if (events === undefined) check.problems.push('events is required by SessionEventBatchRequest');
    else checkEvents(events, 'events', Schemas.postEvent, check);
    if (check.problems.length > 0) return fail(check.problems);
    return { ok: true, value: { listName: 'events', events: events as IncomingEvent[] }, warnings: [] };
  }
  const present = (['events', 'logs'] as const).filter((key) => Object.hasOwn(body, key));
  if (present.length !== 1) {
    return fail([
      `request body must have exactly one of events, logs; got ${present.length === 0 ? 'neither' : 'both'}`,
    ]);
  }
  const listName = present[0]!;
  const topLevel = Object.keys(body).filter((key) => key !== listName);
  checkEvents(body[listName], listName, Schemas.legacyEvent, check);
  if (check.problems.length > 0) return fail(check.problems);
  const wrapper: Schema = { name: 'AddSessionTracesRequest', fields: {}, others: 'accept' };
  return {
    ok: true,
    value: { listName, events: body[listName] as IncomingEvent[] },
    warnings: [...othersWarning(wrapper, topLevel), ...othersWarning(Schemas.legacyEvent, check.others)],
  };
}

/** `session_properties` of a multi-session batch: the single session's start fields. */
export interface SessionProperties {
  session_name?: string;
  start_time?: number;
  user_properties?: JsonObject;
  metadata?: JsonObject;
}

export interface ValidatedEventBatch {
  events: IncomingEvent[];
  singleSession: boolean;
  sessionProperties?: SessionProperties;
}

/** `POST /v1/events/batch`: `PostEventBatchRequest`, `{events, single_session?, session_properties?}`, nothing else. */
export function validateEventBatchBody(body: unknown): Validated<ValidatedEventBatch> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const check = newCheck();
  const wrapper: Schema = {
    name: 'PostEventBatchRequest',
    fields: { single_session: 'boolean', session_properties: 'object' },
    others: 'refuse',
  };
  const { events, session_properties: properties, ...rest } = body;
  checkObject(rest, wrapper, '', check);
  if (properties !== undefined) {
    if (isJsonObject(properties)) checkObject(properties, Schemas.sessionProperties, 'session_properties.', check);
    else check.problems.push(`session_properties must be an object; got ${describeValue(properties)}`);
  }
  if (events === undefined) check.problems.push('events is required by PostEventBatchRequest');
  else checkEvents(events, 'events', Schemas.postEvent, check);
  if (check.problems.length > 0) return fail(check.problems);
  return {
    ok: true,
    value: {
      events: events as IncomingEvent[],
      singleSession: body['single_session'] === true,
      ...(properties === undefined ? {} : { sessionProperties: properties as SessionProperties }),
    },
    warnings: othersWarning(Schemas.sessionProperties, check.others),
  };
}

/** The fields an update sets or merges (`UpdateEventRequest`). */
export interface EventUpdate {
  metadata?: JsonObject;
  feedback?: JsonObject;
  metrics?: JsonObject;
  /** Replaces the stored outputs; null keeps them. */
  outputs?: JsonObject | null;
  config?: JsonObject;
  user_properties?: JsonObject;
  duration?: number;
  end_time?: number;
  /** Replaces the stored list; an empty list is ignored. */
  children_ids?: string[];
}

/** Keeps only the fields an update applies; the others were warned about and are ignored. */
function updateFieldsOf(body: JsonObject): EventUpdate {
  const update: Record<string, unknown> = {};
  for (const key of Object.keys(UPDATE_FIELDS)) if (Object.hasOwn(body, key)) update[key] = body[key];
  return update as EventUpdate;
}

/** `PUT /v1/events/{event_id}`: `UpdateEventRequest`; unlisted fields are accepted and ignored. */
export function validateUpdateBody(body: unknown): Validated<EventUpdate> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const check = newCheck();
  checkObject(body, Schemas.updateEvent, '', check);
  if (check.problems.length > 0) return fail(check.problems);
  return { ok: true, value: updateFieldsOf(body), warnings: othersWarning(Schemas.updateEvent, check.others) };
}

/** `PUT /events` (legacy): `LegacyUpdateEventRequest`, the update with its required `event_id`. */
export function validateLegacyUpdateBody(body: unknown): Validated<{ eventId: string; update: EventUpdate }> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const check = newCheck();
  checkObject(body, Schemas.legacyUpdateEvent, '', check);
  if (check.problems.length > 0) return fail(check.problems);
  return {
    ok: true,
    value: { eventId: body['event_id'] as string, update: updateFieldsOf(body) },
    warnings: othersWarning(Schemas.legacyUpdateEvent, check.others),
  };
}

/**
 * A time HoneyHive would store but misread: epoch milliseconds for today are
 * about 1.7e12; seconds (1.7e9) or nanoseconds (1.7e18) are classic unit bugs.
 * Returns what it looks like, or undefined when plausible.
 */
export function implausibleEpochMsUnit(time: number): string | undefined {
  if (time < 1e11) return 'seconds';
  if (time >= 1e14) return 'microseconds or nanoseconds';
  return undefined;
}
