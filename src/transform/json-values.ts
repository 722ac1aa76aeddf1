/**
 * Converting OpenTelemetry attribute values and JSON strings into JSON values,
 * writing them under keys that come from user data without ever touching a
 * prototype, and keeping an event's times numbers.
 */
import type { AttributeValue } from '@opentelemetry/api';
import type { JsonObject, JsonValue } from '../honeyhive-types';

/**
 * Sets `target[key] = value` as an own property even when `key` is `__proto__`,
 * which plain assignment would treat as a prototype change.
 */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Reads an own property only, so `constructor` or `__proto__` never resolve to inherited objects. */
export function getOwn(target: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

/** NaN and the infinities are not JSON: keep what they were as text rather than let JSON turn them into null. */
function jsonNumber(value: number): JsonValue {
  return Number.isFinite(value) ? value : String(value);
}

const TIME_FIELDS = ['start_time', 'end_time', 'duration'] as const;

/** A time HoneyHive takes only as a number: one that overflowed (or was never a number) becomes 0. */
export function finiteTime(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Times HoneyHive takes only as numbers: a time that overflowed (or was never a number) becomes 0. */
export function finiteTimes(event: { start_time?: unknown; end_time?: unknown; duration?: unknown }): void {
  for (let fieldIndex = 0; fieldIndex < TIME_FIELDS.length; fieldIndex++) {
    const field = TIME_FIELDS[fieldIndex]!;
    if (field in event) event[field] = finiteTime(event[field]);
  }
}

/** An attribute value as JSON: holes in arrays become null, non-finite numbers become strings. */
export function attributeToJson(value: AttributeValue | undefined): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return jsonNumber(value);
  if (Array.isArray(value)) {
    return (value as ReadonlyArray<unknown>).map((item) =>
      item === undefined || item === null ? null : typeof item === 'number' ? jsonNumber(item) : (item as JsonValue),
    );
  }
  return value as JsonValue;
}

/**
 * A string parsed when it looks like a JSON object or array (text that may or
 * may not be JSON); a string that fails to parse, or any other value, comes
 * back as it is.
 */
export function parseJsonObjectOrArray(value: JsonValue): JsonValue;
export function parseJsonObjectOrArray(value: JsonValue | undefined): JsonValue | undefined;
export function parseJsonObjectOrArray(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  const first = value.charCodeAt(0);
  // Only '{' and '[' are worth trying: a bare number or word is more likely meant as text.
  return first === 0x7b || first === 0x5b ? parseJson(value) : value;
}

/**
 * A string that is JSON by contract, parsed (a JSON-encoded string or number
 * too); a string that is not valid JSON, or any other value, comes back as it is.
 */
export function parseJson(value: JsonValue): JsonValue;
export function parseJson(value: JsonValue | undefined): JsonValue | undefined;
export function parseJson(value: JsonValue | undefined): JsonValue | undefined {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** True when `object` has an own enumerable key (without listing them all). */
export function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // Loops, not every() with a closure: a closure holding `b` would make a context on every call.
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  // Own keys visited and counted with for-in, which lists a plain object's keys from its shape's
  // cache: Object.keys would make two lists per pair of objects compared.
  let unmatched = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    if (!jsonEqual(a[key], getOwn(b, key))) return false;
    unmatched++;
  }
  for (const key in b) if (Object.hasOwn(b, key)) unmatched--;
  return unmatched === 0;
}
