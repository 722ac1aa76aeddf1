/**
 * A span's attributes with a record of which ones a mapping rule consumed, so
 * whatever no rule used still reaches `metadata` under its OpenTelemetry name.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { JsonObject, JsonValue } from '../honeyhive-types';
import { attributeToJson, getOwn, setOwn } from './json-values';
import { KeyMemo } from './key-memo';

export class SpanAttributes {
  /**
   * The keys consumed, by their position in {@link allKeys}: bit i of word
   * i / 30 for key i (30 bits a word keep each a small integer, which is
   * stored without allocating); words past the first are made when needed.
   * A span of more than {@link MAX_POSITIONED_KEYS} keys, where finding a
   * key's position would cost more than a lookup, keeps a Set of them instead.
   */
  private consumedFirstWord = 0;
  private consumedWords: number[] | undefined;
  private consumedSet: Set<string> | undefined;
  private keys: readonly string[] | undefined;
  private prefixIndex: PrefixIndex | undefined;
  private startsRead: KeyStarts | undefined;
  private startsFound = 0;

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

  /** True when the span has any of `keys`. */
  hasAny(keys: readonly string[]): boolean {
    for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      if (this.has(key)) return true;
    }
    return false;
  }

  /** Reads a value and marks it consumed. */
  take(key: string): AttributeValue | undefined {
    const value = this.peek(key);
    if (value !== undefined) this.markConsumed(key);
    return value;
  }

  /** Reads a string value and marks it consumed; other types are left alone. */
  takeString(key: string): string | undefined {
    const value = this.peek(key);
    if (typeof value !== 'string') return undefined;
    this.markConsumed(key);
    return value;
  }

  /** The first of `keys` the span has (to read with {@link peekJson}); nothing is consumed. */
  firstKey(keys: readonly string[]): string | undefined {
    for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      if (this.has(key)) return key;
    }
    return undefined;
  }

  /** The first of `keys` holding a non-empty string; nothing is consumed. */
  firstStringKey(keys: readonly string[]): string | undefined {
    for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      const value = this.peek(key);
      if (typeof value === 'string' && value !== '') return key;
    }
    return undefined;
  }

  /** The first non-empty string among `keys`, consumed (an empty one passed over is consumed too); the others stay for metadata. */
  takeFirstString(keys: readonly string[]): string | undefined {
    for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      const value = this.takeString(key);
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  }

  /** Marks keys consumed (keys the span does not have are ignored). */
  consume(keys: readonly string[]): void {
    for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      this.take(key);
    }
  }

  /**
   * The keys that start with `prefix + '.'`, in their original order, from an
   * index built as conventions ask (see {@link PrefixIndex}), so they may try
   * many prefixes without rescanning every key each time.
   */
  keysUnder(prefix: string): readonly string[] {
    return (this.prefixIndex ??= new PrefixIndex(this.allKeys())).keysUnder(prefix);
  }

  /** The bits of the starts in `starts` that some key begins with (worked out once per span). */
  startBits(starts: KeyStarts): number {
    if (this.startsRead !== starts) {
      this.startsFound = starts.bitsOf(this.allKeys());
      this.startsRead = starts;
    }
    return this.startsFound;
  }

  /** Every key, in the span's order (read once; consumed ones too). */
  allKeys(): readonly string[] {
    return (this.keys ??= Object.keys(this.attributes));
  }

  /** True when some key starts with `text` (a plain scan: for a convention whose keys all start alike, one check for the span). */
  hasKeyStartingWith(text: string): boolean {
    for (let keyIndex = 0, keyList = this.allKeys(); keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      if (key.startsWith(text)) return true;
    }
    return false;
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
    for (let keyIndex = 0, keyList = this.keysUnder(prefix); keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      const value = this.attributes[key];
      if (value !== undefined) found.push([key.slice(start), attributeToJson(value)]);
    }
    return found;
  }

  /** Like {@link peekPrefixed}, and marks what it returns consumed. */
  takePrefixed(prefix: string): Array<[string, JsonValue]> {
    const found = this.peekPrefixed(prefix);
    if (found.length === 0) return found;
    // The keys as the span has them, not rebuilt from prefix and rest.
    this.take(prefix);
    for (let keyIndex = 0, keyList = this.keysUnder(prefix); keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      this.take(key);
    }
    return found;
  }

  /** Visits the attributes no rule consumed, in their original order, without building a pair for each. */
  forEachUnconsumed(visit: (key: string, value: AttributeValue) => void): void {
    const keys = this.allKeys();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = this.attributes[key];
      if (value !== undefined && !this.isConsumed(key, i)) visit(key, value);
    }
  }

  /**
   * Writes the attributes no rule consumed into `target` as JSON, in their
   * original order, each unless `target` has its key already; those it has
   * come back in an object of their own (undefined when none).
   */
  addUnconsumed(target: JsonObject): JsonObject | undefined {
    let clashes: JsonObject | undefined;
    const keys = this.allKeys();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = this.attributes[key];
      if (value === undefined || this.isConsumed(key, i)) continue;
      const json = attributeToJson(value);
      if (getOwn(target, key) === undefined) {
        setOwn(target, key, json);
      } else {
        clashes ??= {};
        setOwn(clashes, key, json);
      }
    }
    return clashes;
  }

  private markConsumed(key: string): void {
    const keys = this.allKeys();
    if (keys.length > MAX_POSITIONED_KEYS) {
      (this.consumedSet ??= new Set()).add(key);
      return;
    }
    // A key read but not listed is not enumerable: never written to metadata, nothing to record.
    const position = keys.indexOf(key);
    if (position === -1) return;
    const bit = 1 << (position % BITS_PER_WORD);
    if (position < BITS_PER_WORD) {
      this.consumedFirstWord |= bit;
      return;
    }
    const words = (this.consumedWords ??= new Array<number>(Math.ceil(keys.length / BITS_PER_WORD) - 1).fill(0));
    words[Math.floor(position / BITS_PER_WORD) - 1]! |= bit;
  }

  /** Whether `key`, at `position` in {@link allKeys}, was consumed. */
  private isConsumed(key: string, position: number): boolean {
    if (this.consumedSet !== undefined) return this.consumedSet.has(key);
    const bit = 1 << (position % BITS_PER_WORD);
    if (position < BITS_PER_WORD) return (this.consumedFirstWord & bit) !== 0;
    return (
      this.consumedWords !== undefined && (this.consumedWords[Math.floor(position / BITS_PER_WORD) - 1]! & bit) !== 0
    );
  }
}

/** Consumed keys recorded by position for spans of up to this many keys. */
const MAX_POSITIONED_KEYS = 256;
/** Bits of a consumed-keys word: 30, so every word is a small integer. */
const BITS_PER_WORD = 30;

const NO_KEYS: readonly string[] = [];

/**
 * Key starts (`gen_ai.`, `honeyhive`, `genkit:`), each with bits that stand
 * for it, and which of them a span's keys begin with, found in one pass over
 * the keys: each key is tested only against the starts that share its first
 * character.
 */
export class KeyStarts {
  /** By first character code: an array for ASCII (a key's first character is looked up on every key), a Map beyond. */
  private readonly asciiFirst: Array<Array<readonly [start: string, bits: number]> | undefined> = new Array(128).fill(
    undefined,
  );
  private readonly otherFirst = new Map<number, Array<readonly [start: string, bits: number]>>();
  /**
   * Each key's bits, worked out once: spans of one instrumentation repeat the
   * same keys, and a lookup costs less than testing the key against every
   * start that shares its first character.
   */
  private readonly bitsByKey = new KeyMemo(4096, (key) => this.bitsOfKey(key));

  constructor(starts: ReadonlyArray<readonly [start: string, bits: number]>) {
    const needed = withoutRedundantStarts(starts);
    for (let i = 0; i < needed.length; i++) {
      const entry = needed[i]!;
      const first = entry[0].charCodeAt(0);
      let list = this.candidatesFor(first);
      if (list === undefined) {
        list = [];
        if (first < 128) this.asciiFirst[first] = list;
        else this.otherFirst.set(first, list);
      }
      list.push(entry);
    }
  }

  private candidatesFor(first: number): Array<readonly [start: string, bits: number]> | undefined {
    return first < 128 ? this.asciiFirst[first] : this.otherFirst.get(first);
  }

  /** The bits of every start some key begins with; 0 when none does. */
  bitsOf(keys: readonly string[]): number {
    let bits = 0;
    for (let i = 0; i < keys.length; i++) bits |= this.bitsByKey.get(keys[i]!);
    return bits;
  }

  private bitsOfKey(key: string): number {
    let bits = 0;
    // An empty key's NaN finds nothing either way.
    const candidates = this.candidatesFor(key.charCodeAt(0));
    if (candidates === undefined) return 0;
    for (let k = 0; k < candidates.length; k++) {
      const candidate = candidates[k]!;
      if ((bits & candidate[1]) !== candidate[1] && key.startsWith(candidate[0])) bits |= candidate[1];
    }
    return bits;
  }
}

/**
 * The starts whose bits some key could get from no other start: the same start
 * listed twice becomes one with both bits, and a start under another with at
 * least its bits (`gen_ai.usage.input_tokens` under `gen_ai.`) is left out,
 * since every key it finds, the shorter one finds too.
 */
function withoutRedundantStarts(
  starts: ReadonlyArray<readonly [start: string, bits: number]>,
): ReadonlyArray<readonly [start: string, bits: number]> {
  const merged = new Map<string, number>();
  for (const [start, bits] of starts) {
    if (start === '') throw new Error('a key start cannot be empty');
    merged.set(start, (merged.get(start) ?? 0) | bits);
  }
  const entries = [...merged];
  return entries.filter(
    ([start, bits]) =>
      !entries.some(([other, otherBits]) => other !== start && start.startsWith(other) && (bits & ~otherBits) === 0),
  );
}

/** The first word's bit for the segment `text.slice(0, end)`: from its first and last characters and length. */
function firstHashBit(text: string, end: number): number {
  return end === 0 ? 1 : 1 << ((text.charCodeAt(0) * 7 + text.charCodeAt(end - 1) * 3 + end) & 31);
}

/** The second word's bit: from its middle and last characters and length. */
function secondHashBit(text: string, end: number): number {
  return end === 0 ? 1 : 1 << ((text.charCodeAt(end >> 1) * 5 + text.charCodeAt(end - 1) + end * 11) & 31);
}

/**
 * Each prefix's parent (`a.b.c` -> `a.b`, `a` -> null), remembered: the
 * conventions ask for the same few prefixes on every span, so each is sliced
 * once. Bounded, in case a caller ever passes prefixes built from data.
 */
const parentPrefixes = new KeyMemo<string | null>(1024, (prefix) => {
  const dot = prefix.lastIndexOf('.');
  return dot === -1 ? null : prefix.slice(0, dot);
});

/**
 * The keys under each prefix asked, found by a scan and remembered. A prefix
 * below another (`llm.input_messages` below `llm`) scans only its parent's
 * keys, found the same way, so the conventions may try many prefixes without
 * rescanning every key each time; and nothing is sliced or grouped for
 * prefixes no one asks about.
 *
 * Most spans carry none of the prefixes asked: a 64-bit Bloom filter of the
 * keys' first segments (`gen_ai` of `gen_ai.usage.input_tokens`) answers those
 * without a scan. Its two 32-bit words are each set by its own hash of a
 * segment's length and a few of its characters, so nothing is sliced; a
 * prefix whose first segment misses either word is under no key. A false
 * positive (about one query in twenty on a span of eight segments) only costs
 * the scan.
 */
class PrefixIndex {
  private readonly firstWord: number;
  private readonly secondWord: number;
  /*
   * The prefixes scanned and the keys under each: the first four in fields,
   * any further ones in a list. A span asks a few, and a Map or a list made
   * for them would make room for many more.
   */
  private prefixA: string | undefined;
  private keysA: readonly string[] = NO_KEYS;
  private prefixB: string | undefined;
  private keysB: readonly string[] = NO_KEYS;
  private prefixC: string | undefined;
  private keysC: readonly string[] = NO_KEYS;
  private prefixD: string | undefined;
  private keysD: readonly string[] = NO_KEYS;
  /** Prefixes past the fourth, each followed by its keys. */
  private more: Array<string | readonly string[]> | undefined;

  constructor(private readonly keys: readonly string[]) {
    let first = 0;
    let second = 0;
    for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
      const key = keys[keyIndex]!;
      const dot = key.indexOf('.');
      if (dot === -1) continue;
      first |= firstHashBit(key, dot);
      second |= secondHashBit(key, dot);
    }
    this.firstWord = first;
    this.secondWord = second;
  }

  keysUnder(prefix: string): readonly string[] {
    const dot = prefix.indexOf('.');
    const end = dot === -1 ? prefix.length : dot;
    if ((this.firstWord & firstHashBit(prefix, end)) === 0 || (this.secondWord & secondHashBit(prefix, end)) === 0) {
      return NO_KEYS;
    }
    return this.scanned(prefix);
  }

  private scanned(prefix: string): readonly string[] {
    if (prefix === this.prefixA) return this.keysA;
    if (prefix === this.prefixB) return this.keysB;
    if (prefix === this.prefixC) return this.keysC;
    if (prefix === this.prefixD) return this.keysD;
    const more = this.more;
    if (more !== undefined) {
      for (let i = 0; i < more.length; i += 2) if (more[i] === prefix) return more[i + 1] as readonly string[];
    }
    const parent = parentPrefixes.get(prefix);
    const candidates = parent === null ? this.keys : this.scanned(parent);
    const under = candidates.length === 0 ? NO_KEYS : keysStartingWith(candidates, prefix);
    this.remember(prefix, under);
    return under;
  }

  private remember(prefix: string, under: readonly string[]): void {
    if (this.prefixA === undefined) {
      this.prefixA = prefix;
      this.keysA = under;
    } else if (this.prefixB === undefined) {
      this.prefixB = prefix;
      this.keysB = under;
    } else if (this.prefixC === undefined) {
      this.prefixC = prefix;
      this.keysC = under;
    } else if (this.prefixD === undefined) {
      this.prefixD = prefix;
      this.keysD = under;
    } else {
      (this.more ??= []).push(prefix, under);
    }
  }
}

/** The keys among `keys` that start with `prefix + '.'`, in order, without building that string. */
function keysStartingWith(keys: readonly string[], prefix: string): readonly string[] {
  // Counted first, so the list is made to size: a list's first push makes room for 17 keys.
  let first = -1;
  let last = -1;
  let count = 0;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    if (isUnder(keys[keyIndex]!, prefix)) {
      if (first === -1) first = keyIndex;
      last = keyIndex;
      count++;
    }
  }
  if (count === 0) return NO_KEYS;
  // Flattened keys come grouped: then the keys under the prefix are one run of the span's keys (often all of them).
  if (count === keys.length) return keys;
  if (count === last - first + 1) return keys.slice(first, last + 1);
  const under: string[] = new Array<string>(count);
  for (let keyIndex = first, found = 0; found < count; keyIndex++) {
    const key = keys[keyIndex]!;
    if (isUnder(key, prefix)) under[found++] = key;
  }
  return under;
}

/** True when `key` starts with `prefix` and a dot. */
function isUnder(key: string, prefix: string): boolean {
  const dot = prefix.length;
  return key.length > dot && key.charCodeAt(dot) === 0x2e && key.startsWith(prefix);
}

/**
 * The first of `keys` holding a non-empty string, with that key: for
 * attributes no {@link SpanAttributes} wraps (a span being started).
 */
export function firstString(attributes: Attributes, keys: readonly string[]): [key: string, value: string] | undefined {
  for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return [key, value];
  }
  return undefined;
}
