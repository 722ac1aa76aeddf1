/**
 * Making an event fit: every string value capped at a size, then, if the event
 * is still too large for a request, its largest values cut down to a common
 * size, and as a last resort its largest entries replaced by a marker. Never a
 * silent drop: each cut carries a visible marker and the event's metadata
 * counts them in `truncated_values`. The copy made on the way is also where
 * secrets are redacted and values JSON cannot carry are made safe.
 *
 * Most events need none of it: an event that is plain JSON already, holds no
 * secret and is smaller than both limits is serialised once, as it is, with no
 * copy (no value of it can be longer than the whole). Only the others take the
 * copy.
 */
import {
  ALWAYS_SENT_OBJECT_FIELDS,
  type HoneyHiveEvent,
  type JsonObject,
  type JsonValue,
  type UpdateEventRequest,
} from '../honeyhive-types';
import type { Redactor } from '../redact';
import { finiteTimes, getOwn, setOwn } from '../transform/json-values';
import { jsonBytes, truncateString } from './json-size';

/** Nesting deeper than this is replaced by a marker (it also stops cycles a mask may create). */
export const MAX_NESTING_DEPTH = 64;
/** No string is cut below this size when fitting an event; a cut marker takes about 30 bytes. */
const MIN_FITTED_VALUE_BYTES = 64;
/** Room kept below the limit for the `truncated_values` count and rounding. */
const FIT_SLACK_BYTES = 128;
/** Where the count of cut values goes in metadata. */
export const TRUNCATED_VALUES_KEY = 'truncated_values';

/** Event fields that hold user content, in the order entries are removed when nothing else helps. */
const CONTENT_FIELDS = ['metadata', 'inputs', 'outputs', 'config', 'user_properties', 'feedback', 'metrics'] as const;
const STRING_FIELDS = ['event_name', 'error', 'project', 'source'] as const;

export interface FitLimits {
  /** Most bytes of one string value as JSON. */
  maxValueBytes: number;
  /** Most bytes of the whole event as JSON. */
  maxEventBytes: number;
  /**
   * Replaces secrets (the API key) by `[REDACTED]` wherever they appear. Events are also redacted as JSON
   * text, so it must know each secret's JSON-escaped form too (see `withJsonForms` in redact.ts).
   */
  redact: Redactor;
}

export interface FittedEvent {
  event: HoneyHiveEvent;
  /** The event as JSON, at most `maxEventBytes` bytes. */
  json: string;
  bytes: number;
  /** Values cut or replaced. */
  truncatedValues: number;
}

interface StringSlot {
  holder: JsonObject | JsonValue[];
  key: string | number;
  bytes: number;
}

class Copier {
  truncated = 0;
  constructor(private readonly limits: FitLimits) {}

  string(text: string): string {
    const clean = this.limits.redact(text);
    const capped = truncateString(clean, this.limits.maxValueBytes);
    if (capped !== clean) this.truncated += 1;
    return capped;
  }

  /** A JSON-safe copy: secrets redacted, strings capped, non-finite numbers as text, depth bounded. */
  value(value: unknown, depth: number): JsonValue | undefined {
    if (typeof value === 'string') return this.string(value);
    if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object') return undefined;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (depth >= MAX_NESTING_DEPTH) {
      this.truncated += 1;
      return `[removed: nested deeper than ${MAX_NESTING_DEPTH} levels]`;
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1) ?? null);
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      const item = this.value((value as Record<string, unknown>)[key], depth + 1);
      if (item !== undefined) setOwn(copy, this.limits.redact(key), item);
    }
    return copy;
  }

  object(value: unknown): JsonObject {
    const copy = this.value(value, 1);
    return typeof copy === 'object' && copy !== null && !Array.isArray(copy) ? copy : {};
  }
}

/** A safe, capped copy of an event (ids and times kept as they are). */
function copyEvent(event: HoneyHiveEvent, copier: Copier): HoneyHiveEvent {
  const copy = { ...event } as HoneyHiveEvent;
  for (const field of CONTENT_FIELDS) {
    if (event[field] !== undefined || ALWAYS_SENT_OBJECT_FIELDS.has(field)) copy[field] = copier.object(event[field]);
  }
  for (const field of STRING_FIELDS) {
    const value = event[field];
    if (typeof value === 'string') (copy as unknown as Record<string, string>)[field] = copier.string(value);
  }
  if (Array.isArray(event.children_ids)) copy.children_ids = event.children_ids.filter((id) => typeof id === 'string');
  else delete copy.children_ids;
  // A time that overflowed becomes 0, not the string the copy would make of it.
  finiteTimes(copy);
  return copy;
}

function collectStrings(value: JsonValue | undefined, slots: StringSlot[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      typeof item === 'string'
        ? slots.push({ holder: value, key: index, bytes: jsonBytes(item) })
        : collectStrings(item, slots),
    );
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      const item = value[key]!;
      if (typeof item === 'string') slots.push({ holder: value, key, bytes: jsonBytes(item) });
      else collectStrings(item, slots);
    }
  }
}

/** The size every string above it is cut to, so that `excess` bytes go: the largest values lose most. */
function commonCap(sizes: readonly number[], excess: number): number {
  let sum = 0;
  for (let k = 0; k < sizes.length; k++) {
    sum += sizes[k]!;
    const next = sizes[k + 1] ?? 0;
    // Cutting the k+1 largest down to `next` saves sum - (k+1)*next.
    if (sum - (k + 1) * next >= excess) return Math.floor((sum - excess) / (k + 1));
  }
  return 0;
}

/** Cuts the largest strings of the event down to a common size. */
function cutLargestStrings(event: HoneyHiveEvent, excess: number, copier: Copier): void {
  const slots: StringSlot[] = [];
  const root = event as unknown as JsonObject;
  for (const field of STRING_FIELDS) {
    if (typeof event[field] === 'string') slots.push({ holder: root, key: field, bytes: jsonBytes(event[field]) });
  }
  for (const field of CONTENT_FIELDS) collectStrings(event[field], slots);
  slots.sort((a, b) => b.bytes - a.bytes);
  const cap = Math.max(
    MIN_FITTED_VALUE_BYTES,
    commonCap(
      slots.map((slot) => slot.bytes),
      excess,
    ),
  );
  for (const slot of slots) {
    if (slot.bytes <= cap) break;
    const holder = slot.holder as Record<string | number, JsonValue>;
    holder[slot.key] = truncateString(holder[slot.key] as string, cap);
    copier.truncated += 1;
  }
}

/** Last resort: replaces the largest entries of the content fields, then whole fields, by a marker. */
function removeLargestEntries(event: HoneyHiveEvent, limit: number, copier: Copier): void {
  let size = jsonBytes(event);
  const fields = CONTENT_FIELDS.filter((field) => event[field] !== undefined).sort(
    (a, b) => jsonBytes(event[b]) - jsonBytes(event[a]),
  );
  for (const field of fields) {
    const object = event[field]!;
    const entries = Object.keys(object)
      .map((key) => ({ key, bytes: jsonBytes(getOwn(object, key)) }))
      .sort((a, b) => b.bytes - a.bytes);
    for (const entry of entries) {
      if (size <= limit) return;
      const marker = removedMarker(entry.bytes);
      setOwn(object, entry.key, marker);
      size -= entry.bytes - jsonBytes(marker);
      copier.truncated += 1;
    }
    if (size <= limit) return;
    // Too many entries even as markers: the field goes whole.
    const replacement: JsonObject = { removed: removedMarker(jsonBytes(object)) };
    size -= jsonBytes(object) - jsonBytes(replacement);
    event[field] = replacement;
  }
  if (size > limit && event.children_ids !== undefined) {
    delete event.children_ids;
    copier.truncated += 1;
  }
}

function removedMarker(bytes: number): string {
  return `[removed: ${bytes} bytes over the event size limit]`;
}

/**
 * `event` (or a copy of it) that fits the limits, and its JSON. Strings over
 * `maxValueBytes` are cut; an event still over `maxEventBytes` has its largest
 * values cut further.
 */
export function fitEvent(event: HoneyHiveEvent, limits: FitLimits): FittedEvent {
  const limit = Math.max(0, limits.maxEventBytes - FIT_SLACK_BYTES);
  return asItIs(event, limits, limit) ?? fittedCopy(event, limits, limit);
}

/**
 * The event serialised as it is, when that is exactly what the copy would give: plain JSON values in the
 * shape the copy makes, no secret anywhere in its JSON, and no string over `maxValueBytes` (a string is
 * measured only when it is long enough to be, and the whole JSON is over it). Undefined when the copy is
 * needed.
 */
function asItIs(event: HoneyHiveEvent, limits: FitLimits, limit: number): FittedEvent | undefined {
  const scan: ShapeScan = { maxValueBytes: limits.maxValueBytes, longStrings: [] };
  if (!hasCopyShape(event, scan)) return undefined;
  let json: string;
  try {
    json = JSON.stringify(event);
  } catch {
    return undefined; // a getter that throws: the copy meets it again and says so
  }
  if (limits.redact(json) !== json) return undefined;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > limit) return undefined;
  if (bytes > limits.maxValueBytes && scan.longStrings.some((text) => jsonBytes(text) > limits.maxValueBytes))
    return undefined;
  return { event, json, bytes, truncatedValues: 0 };
}

interface ShapeScan {
  maxValueBytes: number;
  /** Strings that may be over `maxValueBytes`, to measure if the whole event is. */
  longStrings: string[];
}

/** No UTF-16 unit takes more than 6 bytes in JSON: most strings are known to fit without measuring them. */
function noteString(text: string, scan: ShapeScan): void {
  if (text.length * 6 + 2 > scan.maxValueBytes) scan.longStrings.push(text);
}

/** True for an object literal's kind of object (not a class instance, a Date or a Map). */
function hasPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True when the copy would leave the event's JSON unchanged: see {@link copyEvent} and {@link finiteTimes}. */
function hasCopyShape(event: HoneyHiveEvent, scan: ShapeScan): boolean {
  if (typeof event !== 'object' || event === null || !hasPlainPrototype(event)) return false;
  for (let i = 0; i < CONTENT_FIELDS.length; i++) {
    const field = CONTENT_FIELDS[i]!;
    const value: unknown = event[field];
    if (value === undefined && !ALWAYS_SENT_OBJECT_FIELDS.has(field)) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainJson(value, 1, scan))
      return false;
  }
  for (let i = 0; i < STRING_FIELDS.length; i++) {
    const value: unknown = event[STRING_FIELDS[i]!];
    if (typeof value === 'string') noteString(value, scan);
  }
  const children: unknown = event.children_ids;
  if (children !== undefined) {
    if (!Array.isArray(children)) return false;
    for (let i = 0; i < children.length; i++) if (typeof children[i] !== 'string') return false;
  }
  for (const field of ['start_time', 'end_time', 'duration'] as const) {
    if (field in event && !Number.isFinite(event[field])) return false;
  }
  return true;
}

/**
 * True when JSON.stringify gives what the copier's copy would: finite numbers, plain objects and arrays
 * within the nesting bound, no bigint, function, symbol, date or object of a class (the copier has its
 * own rules for those). Strings are not read, only their lengths noted.
 */
function isPlainJson(value: unknown, depth: number, scan: ShapeScan): boolean {
  switch (typeof value) {
    case 'string':
      noteString(value, scan);
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
    case 'undefined':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_NESTING_DEPTH) return false;
  if (Array.isArray(value)) {
    // Indexed: for..of would make an iterator per array of every event.
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1, scan)) return false;
    return true;
  }
  if (!hasPlainPrototype(value)) return false;
  for (const key in value) {
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1, scan)) return false;
  }
  return true;
}

/** The slow path: a safe, capped copy, cut further when too large, serialised once more only if it changed. */
function fittedCopy(event: HoneyHiveEvent, limits: FitLimits, limit: number): FittedEvent {
  const copier = new Copier(limits);
  const copy = copyEvent(event, copier);
  let json = JSON.stringify(copy);
  const excess = Buffer.byteLength(json, 'utf8') - limit;
  if (excess > 0) {
    cutLargestStrings(copy, excess, copier);
    if (jsonBytes(copy) > limit) removeLargestEntries(copy, limit, copier);
  }
  if (copier.truncated > 0) setOwn(copy.metadata, TRUNCATED_VALUES_KEY, copier.truncated);
  if (excess > 0 || copier.truncated > 0) json = JSON.stringify(copy);
  // Every string and key was redacted on the way; one pass over the result makes sure.
  json = limits.redact(json);
  return { event: copy, json, bytes: Buffer.byteLength(json, 'utf8'), truncatedValues: copier.truncated };
}

/**
 * A copy of an update's fields (a session's or an event's, from the application) that is plain JSON, with
 * its strings capped and secrets redacted; the object fields stay objects, and times stay numbers.
 */
export function fitUpdate(
  update: UpdateEventRequest,
  limits: FitLimits,
): { update: UpdateEventRequest; truncatedValues: number } {
  const copier = new Copier(limits);
  const copy: UpdateEventRequest = {};
  for (const field of UPDATE_OBJECT_FIELDS) {
    if (update[field] !== undefined) copy[field] = copier.object(update[field]);
  }
  for (const field of ['end_time', 'duration'] as const) {
    const value = update[field];
    if (typeof value === 'number' && Number.isFinite(value)) copy[field] = value;
  }
  return { update: copy, truncatedValues: copier.truncated };
}

const UPDATE_OBJECT_FIELDS = ['metadata', 'feedback', 'metrics', 'outputs', 'config', 'user_properties'] as const;
