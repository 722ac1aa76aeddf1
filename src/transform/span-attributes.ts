/**
 * A span's attributes with a record of which ones a mapping rule consumed, so
 * whatever no rule used still reaches `metadata` under its OpenTelemetry name.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { JsonValue } from '../honeyhive-types';
import { attributeToJson } from './json-values';

export class SpanAttributes {
  private readonly consumed = new Set<string>();

  constructor(private readonly attributes: Attributes) {}

  /** Reads a value without consuming it (for decisions such as the event type). */
  peek(key: string): AttributeValue | undefined {
    return Object.prototype.hasOwnProperty.call(this.attributes, key) ? this.attributes[key] : undefined;
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

  /**
   * Every attribute whose key starts with `prefix + '.'`, consumed, as
   * `[rest of key, value]` pairs, plus the bare `prefix` key under `''` when present.
   */
  takePrefixed(prefix: string): Array<[string, JsonValue]> {
    const found: Array<[string, JsonValue]> = [];
    const dotted = `${prefix}.`;
    for (const key of Object.keys(this.attributes)) {
      if (key === prefix || key.startsWith(dotted)) {
        const value = this.attributes[key];
        if (value === undefined) continue;
        this.consumed.add(key);
        found.push([key === prefix ? '' : key.slice(dotted.length), attributeToJson(value)]);
      }
    }
    return found;
  }

  /** The attributes no rule consumed, in their original order. */
  unconsumed(): Array<[string, AttributeValue]> {
    const rest: Array<[string, AttributeValue]> = [];
    for (const key of Object.keys(this.attributes)) {
      const value = this.attributes[key];
      if (value !== undefined && !this.consumed.has(key)) rest.push([key, value]);
    }
    return rest;
  }
}

/** The first non-empty string among `keys` of raw attributes (no consumption tracking). */
export function firstStringAttribute(attributes: Attributes, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
