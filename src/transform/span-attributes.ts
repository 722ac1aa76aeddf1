/**
 * A span's attributes with a record of which ones a mapping rule consumed, so
 * whatever no rule used still reaches `metadata` under its OpenTelemetry name.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { JsonValue } from '../honeyhive-types';
import { attributeToJson } from './json-values';

export class SpanAttributes {
  private readonly consumed = new Set<string>();
  private prefixIndex: Map<string, readonly string[]> | undefined;

  constructor(private readonly attributes: Attributes) {}

  /** Reads a value without consuming it (for decisions such as the event type). */
  peek(key: string): AttributeValue | undefined {
    return Object.prototype.hasOwnProperty.call(this.attributes, key) ? this.attributes[key] : undefined;
  }

  /** Reads a value as JSON without consuming it. */
  peekJson(key: string): JsonValue | undefined {
    const value = this.peek(key);
    return value === undefined ? undefined : attributeToJson(value);
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** Reads a value and marks it consumed. */
  take(key: string): AttributeValue | undefined {
    const value = this.peek(key);
    if (value !== undefined) this.consumed.add(key);
    return value;
  }

  /** Reads a string value and marks it consumed; other types are left alone. */
  takeString(key: string): string | undefined {
    const value = this.peek(key);
    if (typeof value !== 'string') return undefined;
    this.consumed.add(key);
    return value;
  }

  /** The first string among `keys`, consumed; the others stay for metadata. */
  takeFirstString(keys: readonly string[]): string | undefined {
    for (const key of keys) {
      const value = this.takeString(key);
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  }

  /** Marks keys consumed (keys the span does not have are ignored). */
  consume(keys: Iterable<string>): void {
    for (const key of keys) this.take(key);
  }

  /**
   * The keys that start with `prefix + '.'`, in their original order. Served
   * from an index built once per span (keys by their first segment) and
   * remembered per prefix, so conventions may ask for many prefixes without
   * rescanning every key each time.
   */
  keysUnder(prefix: string): readonly string[] {
    const index = (this.prefixIndex ??= indexByFirstSegment(Object.keys(this.attributes)));
    const known = index.get(prefix);
    if (known !== undefined) return known;
    const dot = prefix.indexOf('.');
    if (dot === -1) return NO_KEYS; // a first segment no key has
    const bucket = index.get(prefix.slice(0, dot));
    const dotted = `${prefix}.`;
    const keys = bucket === undefined ? NO_KEYS : bucket.filter((key) => key.startsWith(dotted));
    // A dotted prefix cannot be mistaken for a first segment, which has no dot.
    index.set(prefix, keys);
    return keys;
  }

  /** True when some key starts with `prefix + '.'`. */
  hasPrefix(prefix: string): boolean {
    return this.keysUnder(prefix).length > 0;
  }

  /**
   * Every attribute whose key starts with `prefix + '.'`, as
   * `[rest of key, value]` pairs, plus the bare `prefix` key under `''` when
   * present; nothing is consumed.
   */
  peekPrefixed(prefix: string): Array<[string, JsonValue]> {
    const found: Array<[string, JsonValue]> = [];
    const bare = this.peek(prefix);
    if (bare !== undefined) found.push(['', attributeToJson(bare)]);
    const start = prefix.length + 1;
    for (const key of this.keysUnder(prefix)) {
      const value = this.attributes[key];
      if (value !== undefined) found.push([key.slice(start), attributeToJson(value)]);
    }
    return found;
  }

  /** Like {@link peekPrefixed}, and marks what it returns consumed. */
  takePrefixed(prefix: string): Array<[string, JsonValue]> {
    const found = this.peekPrefixed(prefix);
    for (const [rest] of found) this.consumed.add(rest === '' ? prefix : `${prefix}.${rest}`);
    return found;
  }

  /** The attributes no rule consumed, in their original order. */
  unconsumed(): Array<[string, AttributeValue]> {
    const rest: Array<[string, AttributeValue]> = [];
    this.forEachUnconsumed((key, value) => rest.push([key, value]));
    return rest;
  }

  /** Visits the attributes no rule consumed, in their original order, without building a pair for each. */
  forEachUnconsumed(visit: (key: string, value: AttributeValue) => void): void {
    for (const key of Object.keys(this.attributes)) {
      const value = this.attributes[key];
      if (value !== undefined && !this.consumed.has(key)) visit(key, value);
    }
  }
}

const NO_KEYS: readonly string[] = [];

/** Each dotted key listed under its first segment (`a` for `a.b.c`). */
function indexByFirstSegment(keys: readonly string[]): Map<string, readonly string[]> {
  const index = new Map<string, string[]>();
  for (const key of keys) {
    const dot = key.indexOf('.');
    if (dot === -1) continue;
    const first = key.slice(0, dot);
    const bucket = index.get(first);
    if (bucket) bucket.push(key);
    else index.set(first, [key]);
  }
  return index;
}

/** The first non-empty string among `keys` of raw attributes (no consumption tracking). */
export function firstStringAttribute(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
