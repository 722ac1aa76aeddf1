/**
 * Pure checks of request bodies, as strict as HoneyHive's published reference
 * allows: where a rule is not published, the strictest reading wins, so an
 * exporter that passes here does not rely on server-side leniency.
 *
 * Every check returns messages naming the exact field (`events[3].event_type`),
 * so a failing exporter test says what to fix.
 */
import type { HoneyHiveEventType, JsonObject } from '../honeyhive-types';
import type { StoredEvent, StoredSession } from './types';

/** An event as received, after validation: known fields, right types, ids not yet filled in. */
export type IncomingEvent = Omit<StoredEvent, 'event_id' | 'session_id'> & {
  event_id?: string;
  session_id?: string;
};

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const EVENT_TYPES: readonly HoneyHiveEventType[] = ['session', 'model', 'tool', 'chain'];

/**
 * Lowercase RFC 4122 / 9562 UUID: version 1-8, variant 10xx. HoneyHive replaces
 * a session id it deems invalid with a random one, so only ids that any UUID
 * validator accepts are safe.
 */
const LOWERCASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type FieldKind = 'string' | 'uuid' | 'uuid[]' | 'object' | 'number' | 'string|null' | 'event_type';

/** The event fields HoneyHive documents; anything else is rejected. */
const EVENT_FIELDS: Record<string, FieldKind> = {
  project: 'string',
  project_id: 'string',
  source: 'string',
  event_name: 'string',
  event_type: 'event_type',
  event_id: 'uuid',
  session_id: 'uuid',
  parent_id: 'uuid',
  children_ids: 'uuid[]',
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

/** The session-start fields: the reference's list plus the four HoneyHive's session-start schema also takes. */
const SESSION_FIELDS: Record<string, FieldKind> = {
  session_id: 'uuid',
  session_name: 'string',
  event_name: 'string',
  source: 'string',
  project: 'string',
  start_time: 'number',
  end_time: 'number',
  duration: 'number',
  config: 'object',
  inputs: 'object',
  outputs: 'object',
  metadata: 'object',
  user_properties: 'object',
  children_ids: 'uuid[]',
  error: 'string|null',
  metrics: 'object',
  feedback: 'object',
};

/** Fields a session must carry (HoneyHive's session-start schema requires them; `project` can come from the key). */
const REQUIRED_SESSION_FIELDS = ['session_name', 'source'] as const;

const MAX_LISTED_PROBLEMS = 20;

export function isLowercaseUuid(value: unknown): value is string {
  return typeof value === 'string' && LOWERCASE_UUID.test(value);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

function uuidProblem(value: unknown, where: string): string | undefined {
  if (isLowercaseUuid(value)) return undefined;
  const upperCaseHint = typeof value === 'string' && LOWERCASE_UUID.test(value.toLowerCase()) ? ' (upper case)' : '';
  return `${where} must be a lowercase RFC 4122 UUID; got ${describeValue(value)}${upperCaseHint}`;
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
    case 'number':
      // JSON.parse turns 1e999 into Infinity, so finiteness is checked too.
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `${where} must be a finite number (Unix epoch milliseconds, or milliseconds for duration); got ${describeValue(value)}`;
    case 'object':
      return isJsonObject(value) ? undefined : `${where} must be an object; got ${describeValue(value)}`;
    case 'event_type':
      return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value)
        ? undefined
        : `${where} must be one of ${EVENT_TYPES.join(', ')}; got ${describeValue(value)}`;
    case 'uuid':
      return uuidProblem(value, where);
    case 'uuid[]': {
      if (!Array.isArray(value)) return `${where} must be an array of UUIDs; got ${describeValue(value)}`;
      const problems = value.map((id, index) => uuidProblem(id, `${where}[${index}]`)).filter(isDefined);
      return problems.length > 0 ? problems.join('; ') : undefined;
    }
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** Checks an object's fields against a field table; `prefix` is how the object is named in messages. */
function objectFieldProblems(value: JsonObject, fields: Record<string, FieldKind>, prefix: string): string[] {
  const problems: string[] = [];
  for (const [key, fieldValue] of Object.entries(value)) {
    const where = `${prefix}${key}`;
    const kind = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (kind === undefined) problems.push(`${where} is not a known field`);
    else {
      const problem = fieldProblem(kind, fieldValue, where);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return problems;
}

function joinProblems(problems: string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

function fail<T>(problems: string[]): Validated<T> {
  return { ok: false, message: joinProblems(problems) };
}

export function validatePathSessionId(raw: string): Validated<string> {
  const problem = uuidProblem(raw, 'the session id in the path');
  return problem === undefined ? { ok: true, value: raw } : fail([problem]);
}

function validateSessionObject(value: unknown, name: string): Validated<StoredSession> {
  const prefix = name === '' ? '' : `${name}.`;
  if (!isJsonObject(value))
    return fail([`${name || 'request body'} must be a JSON object; got ${describeValue(value)}`]);
  const problems = objectFieldProblems(value, SESSION_FIELDS, prefix);
  for (const field of REQUIRED_SESSION_FIELDS) {
    if (!Object.hasOwn(value, field)) problems.push(`${prefix}${field} is required`);
  }
  // session_id is optional: HoneyHive generates one, and so does the store.
  return problems.length > 0 ? fail(problems) : { ok: true, value: value as StoredSession };
}

/** `POST /session/start`: `{session: {...}}` and nothing else. */
export function validateSessionStartBody(body: unknown): Validated<StoredSession> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const unknownKeys = Object.keys(body).filter((key) => key !== 'session');
  if (unknownKeys.length > 0) {
    return fail(unknownKeys.map((key) => `${key} is not a known field of the request body (expected only session)`));
  }
  if (!Object.hasOwn(body, 'session')) return fail(['session is required']);
  return validateSessionObject(body['session'], 'session');
}

/** `POST /v1/sessions`: the session object itself. */
export function validateV1SessionBody(body: unknown): Validated<StoredSession> {
  return validateSessionObject(body, '');
}

export type Route = 'legacy' | 'v1';

/** Checks one event; `where` is how it is named in messages (`events[3]`). */
function eventProblems(event: unknown, where: string, route: Route, pathSessionId: string): string[] {
  if (!isJsonObject(event)) return [`${where} must be an object; got ${describeValue(event)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    const field = `${where}.${key}`;
    if (route === 'v1' && (key === 'project' || key === 'project_id')) {
      problems.push(`${field} is not allowed on the v1 route (the project comes from the API key)`);
      continue;
    }
    const kind = Object.hasOwn(EVENT_FIELDS, key) ? EVENT_FIELDS[key] : undefined;
    if (kind === undefined) {
      problems.push(`${field} is not a known event field`);
      continue;
    }
    const problem = fieldProblem(kind, value, field);
    if (problem !== undefined) problems.push(problem);
    // On the legacy route an event naming another session is a client bug we refuse
    // rather than guess which session wins (HoneyHive does not say).
    else if (key === 'session_id' && route === 'legacy' && value !== pathSessionId) {
      problems.push(`${field} must equal the session id in the path (${pathSessionId}); got ${describeValue(value)}`);
    }
  }
  if (route === 'v1') {
    for (const required of ['event_type', 'inputs']) {
      if (!Object.hasOwn(event, required)) problems.push(`${where}.${required} is required on the v1 route`);
    }
  }
  return problems;
}

export interface ValidatedEvents {
  /** Which key carried the events: `events`, or the legacy `logs`. */
  listName: 'events' | 'logs';
  events: IncomingEvent[];
}

/**
 * `POST /session/{id}/traces` (legacy) and `POST /v1/sessions/{id}/events/batch` (v1).
 * Legacy: exactly one of `events` and `logs`, every field optional, an event's
 * session_id must equal the path's. v1: only `events`; `event_type` and `inputs`
 * required; no per-event project; an event's session_id is overridden by the path's.
 */
export function validateEventsBody(body: unknown, route: Route, pathSessionId: string): Validated<ValidatedEvents> {
  if (!isJsonObject(body)) return fail([`request body must be a JSON object; got ${describeValue(body)}`]);
  const allowedKeys = route === 'legacy' ? ['events', 'logs'] : ['events'];
  const expected = allowedKeys.join(' or ');
  const unknownKeys = Object.keys(body).filter((key) => !allowedKeys.includes(key));
  if (unknownKeys.length > 0) {
    return fail(
      unknownKeys.map((key) => `${key} is not a known field of the request body (expected only ${expected})`),
    );
  }
  const present = allowedKeys.filter((key) => Object.hasOwn(body, key));
  if (present.length !== 1) {
    const got = present.length === 0 ? 'neither' : 'both';
    return fail([
      route === 'legacy' ? `request body must have exactly one of events, logs; got ${got}` : 'events is required',
    ]);
  }
  const listName = present[0] as 'events' | 'logs';
  const list = body[listName];
  if (!Array.isArray(list)) return fail([`${listName} must be an array; got ${describeValue(list)}`]);
  const problems = list.flatMap((event, index) => eventProblems(event, `${listName}[${index}]`, route, pathSessionId));
  if (problems.length > 0) return fail(problems);
  return { ok: true, value: { listName, events: list as IncomingEvent[] } };
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
