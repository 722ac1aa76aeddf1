/**
 * Re-nesting flattened attribute keys (`messages.0.role`) into objects and
 * arrays, safely: a key with a `__proto__`, `constructor` or `prototype`
 * segment is never walked into; its value is kept under its flat key instead.
 */
import type { JsonObject, JsonValue } from '../honeyhive-types';
import { getOwn, isJsonObject, setOwn } from './json-values';

/** Where a value lands when its key is also the parent of other keys. */
export const VALUE_OF_PARENT_KEY = '_value';

/**
 * True when `key[start, end)` is a segment that may be walked into: not empty, not `__proto__`,
 * `constructor` or `prototype`. Compared in place, so no segment string is made to check it.
 */
function isSafeSegment(key: string, start: number, end: number): boolean {
  switch (end - start) {
    case 0:
      return false;
    case 9:
      return !key.startsWith('__proto__', start) && !key.startsWith('prototype', start);
    case 11:
      return !key.startsWith('constructor', start);
    default:
      return true;
  }
}

/** True when the key (read from `from`) has a dot and every one of its segments is safe to walk into. */
function isWalkable(key: string, from: number): boolean {
  let start = from;
  let dot = key.indexOf('.', from);
  if (dot === -1) return false;
  for (;;) {
    const end = dot === -1 ? key.length : dot;
    if (!isSafeSegment(key, start, end)) return false;
    if (dot === -1) return true;
    start = dot + 1;
    dot = key.indexOf('.', start);
  }
}

/** A walkable key's segments (read from `from`), remembered: see {@link segmentsOf}. */
interface KeyPath {
  readonly from: number;
  /** Null when the key is not walkable. */
  readonly segments: readonly string[] | null;
}

const keyPaths = new Map<string, KeyPath>();
/** Paths remembered before the memory starts over: bounded, since keys come from data. */
const MAX_REMEMBERED_PATHS = 2048;

/**
 * The segments of `key` from character `from` (`0.message.role`: `0`,
 * `message`, `role`), or null when the key is not walkable. Spans of one
 * instrumentation repeat the same keys, so each is split once: walking with
 * the same segment strings every time costs a fraction of slicing them
 * afresh (each new string is hashed again to be a property name).
 */
function segmentsOf(key: string, from: number): readonly string[] | null {
  const known = keyPaths.get(key);
  if (known !== undefined && known.from === from) return known.segments;
  let segments: string[] | null = null;
  if (isWalkable(key, from)) {
    segments = [];
    let start = from;
    for (let dot = key.indexOf('.', start); dot !== -1; dot = key.indexOf('.', start)) {
      segments.push(key.slice(start, dot));
      start = dot + 1;
    }
    segments.push(key.slice(start));
  }
  if (keyPaths.size >= MAX_REMEMBERED_PATHS) keyPaths.clear();
  keyPaths.set(key, { from, segments });
  return segments;
}

/** How many leading parent segments (all but the leaf) two keys' paths share. */
function sharedParents(path: readonly string[], previous: readonly string[]): number {
  const limit = Math.min(path.length, previous.length) - 1;
  let depth = 0;
  while (depth < limit && path[depth] === previous[depth]) depth++;
  return depth;
}

/**
 * Builds one object from `[flattened key, value]` pairs. Objects whose keys are
 * exactly `0..n-1` become arrays. When a key collides with a value already
 * placed (`a` and `a.b`), the later one is kept under its flat key, so nothing
 * is lost.
 */
export function nestFlattened(entries: ReadonlyArray<readonly [string, JsonValue]>): JsonObject {
  const keys: string[] = [];
  const values: JsonValue[] = [];
  for (let i = 0; i < entries.length; i++) {
    keys.push(entries[i]![0]);
    values.push(entries[i]![1]);
  }
  return nestFlattenedKeys(keys, values, 0);
}

/**
 * The containers a walk went through, by depth: one list for every call
 * (nesting calls nothing that could nest again), so none is made and grown
 * per call.
 */
const walkedContainers: JsonObject[] = [];
const NOTHING_WALKED: JsonObject = Object.freeze({});

/**
 * {@link nestFlattened} of `keys[i]` (read from character `from`: the keys of
 * one prefix, `prefix.` skipped without slicing each key) and `values[i]`.
 */
export function nestFlattenedKeys(keys: readonly string[], values: readonly JsonValue[], from: number): JsonObject {
  const root: JsonObject = {};
  // The previous key walked and the containers it walked through: keys come grouped
  // (`0.message.role`, `0.message.content`), so the next key mostly walks the same way.
  let walked: readonly string[] | null = null;
  walkedContainers[0] = root;
  let deepest = 0;
  // Below the root, only a container given a `0` may become a list: those, so the others are never listed again.
  let candidates: ListCandidate[] | undefined;
  // An object value may hold indexed objects of its own: then every object is looked at.
  let objectValues = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = values[i]!;
    if (isJsonObject(value)) objectValues = true;
    const path = segmentsOf(key, from);
    if (path === null) {
      placeFlat(root, from === 0 ? key : key.slice(from), value);
      // Placing flat may merge into a container already walked: walk afresh.
      walked = null;
      continue;
    }
    let depth = walked === null ? 0 : sharedParents(path, walked);
    let container = walkedContainers[depth]!;
    let placed = true;
    const leafDepth = path.length - 1;
    while (depth < leafDepth) {
      const segment = path[depth]!;
      const existing = getOwn(container, segment);
      if (existing === undefined) {
        const child: JsonObject = {};
        setOwn(container, segment, child);
        if (segment === '0' && depth > 0) (candidates ??= []).push(listCandidate(walkedContainers, path, depth));
        container = child;
      } else if (isJsonObject(existing)) {
        container = existing;
      } else {
        placed = false;
        break;
      }
      walkedContainers[++depth] = container;
      if (depth > deepest) deepest = depth;
    }
    const leaf = path[leafDepth]!;
    if (placed && getOwn(container, leaf) === undefined) {
      setOwn(container, leaf, value);
      if (leaf === '0' && leafDepth > 0) (candidates ??= []).push(listCandidate(walkedContainers, path, leafDepth));
      walked = path;
    } else {
      placeFlat(root, from === 0 ? key : key.slice(from), value);
      walked = null;
    }
  }
  // Nothing of this call stays reachable from the shared list.
  for (let depth = 0; depth <= deepest; depth++) walkedContainers[depth] = NOTHING_WALKED;
  if (objectValues) return arraysFromIndexedObjects(root) as JsonObject;
  if (candidates !== undefined) listsInPlace(candidates);
  return (listOf(root) ?? root) as JsonObject;
}

/** A container that holds a `0`, where it hangs, and how deep. */
interface ListCandidate {
  readonly container: JsonObject;
  readonly parent: JsonObject;
  readonly field: string;
  readonly depth: number;
}

/** The container at `depth` of the walk, which has just been given a `0`. */
function listCandidate(walkedContainers: readonly JsonObject[], path: readonly string[], depth: number): ListCandidate {
  return { container: walkedContainers[depth]!, parent: walkedContainers[depth - 1]!, field: path[depth - 1]!, depth };
}

/** Replaces each candidate that is a list, deepest first, so a list made above holds the lists below it. */
function listsInPlace(candidates: ListCandidate[]): void {
  // Usually they come deepest first already (a message's tool calls, one per message): sorted only when not.
  if (!deepestFirst(candidates)) candidates.sort((a, b) => b.depth - a.depth);
  for (let i = 0; i < candidates.length; i++) {
    const { container, parent, field } = candidates[i]!;
    const list = listOf(container);
    if (list !== undefined) setOwn(parent, field, list);
  }
}

function deepestFirst(candidates: readonly ListCandidate[]): boolean {
  for (let i = 1; i < candidates.length; i++) if (candidates[i]!.depth > candidates[i - 1]!.depth) return false;
  return true;
}

/** An object's values as a list when its keys are exactly `0..n-1`; otherwise undefined. */
function listOf(value: JsonObject): JsonValue[] | undefined {
  // Most objects asked (the root of a prefix's keys: `model`, `provider`) have no `0`: no list of their keys made.
  if (!Object.hasOwn(value, '0')) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0) return undefined;
  // Object.keys lists integer keys first, ascending: the keys are exactly 0..n-1 when each is its own position.
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== String(i)) return undefined;
  }
  return keys.map((key) => value[key]!);
}

function placeFlat(root: JsonObject, key: string, value: JsonValue): void {
  const existing = getOwn(root, key);
  if (existing === undefined) {
    setOwn(root, key, value);
  } else if (isJsonObject(existing)) {
    // `a` arrived after `a.b`: keep it inside the object rather than drop either.
    if (isJsonObject(value)) Object.assign(existing, value);
    else setOwn(existing, VALUE_OF_PARENT_KEY, value);
  }
}

function arraysFromIndexedObjects(value: JsonValue): JsonValue {
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  for (let keyIndex = 0, keyList = keys; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const child = value[key]!;
    const converted = arraysFromIndexedObjects(child);
    if (converted !== child) setOwn(value, key, converted);
  }
  return listOf(value) ?? value;
}
