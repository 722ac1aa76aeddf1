/**
 * Re-nesting flattened attribute keys (`messages.0.role`) into objects and
 * arrays, safely: a key with a `__proto__`, `constructor` or `prototype`
 * segment is never walked into; its value is kept under its flat key instead.
 */
import type { JsonObject, JsonValue } from '../honeyhive-types';
import { getOwn, isJsonObject, setOwn } from './json-values';

/** Where a value lands when its key is also the parent of other keys. */
export const VALUE_OF_PARENT_KEY = '_value';

/** Compared one by one rather than looked up in a Set: a lookup hashes every new segment string. */
function isSafeSegment(segment: string): boolean {
  return segment !== '' && segment !== '__proto__' && segment !== 'constructor' && segment !== 'prototype';
}

/**
 * Builds one object from `[flattened key, value]` pairs. Objects whose keys are
 * exactly `0..n-1` become arrays. When a key collides with a value already
 * placed (`a` and `a.b`), the later one is kept under its flat key, so nothing
 * is lost.
 */
export function nestFlattened(entries: Iterable<readonly [string, JsonValue]>): JsonObject {
  const root: JsonObject = {};
  // The previous key's segments and the containers it walked through: keys come grouped
  // (`0.message.role`, `0.message.content`), so the next key mostly walks the same way.
  let walkedSegments: readonly string[] = [];
  const walkedContainers: JsonObject[] = [root];
  for (const [key, value] of entries) {
    const segments = key.split('.');
    if (segments.length === 1 || !segments.every(isSafeSegment)) {
      placeFlat(root, key, value);
      // Placing flat may merge into a container already walked: walk afresh.
      walkedSegments = [];
      continue;
    }
    let depth = 0;
    while (
      depth < segments.length - 1 &&
      depth < walkedSegments.length - 1 &&
      segments[depth] === walkedSegments[depth]
    ) {
      depth++;
    }
    let container = walkedContainers[depth]!;
    let placed = true;
    for (let i = depth; i < segments.length - 1; i++) {
      const segment = segments[i]!;
      const existing = getOwn(container, segment);
      if (existing === undefined) {
        const child: JsonObject = {};
        setOwn(container, segment, child);
        container = child;
      } else if (isJsonObject(existing)) {
        container = existing;
      } else {
        placed = false;
        break;
      }
      walkedContainers[i + 1] = container;
    }
    const leaf = segments[segments.length - 1]!;
    if (placed && getOwn(container, leaf) === undefined) {
      setOwn(container, leaf, value);
      walkedSegments = segments;
    } else {
      placeFlat(root, key, value);
      walkedSegments = [];
    }
  }
  return arraysFromIndexedObjects(root) as JsonObject;
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
  for (const key of keys) {
    const child = value[key]!;
    const converted = arraysFromIndexedObjects(child);
    if (converted !== child) setOwn(value, key, converted);
  }
  if (keys.length === 0) return value;
  // Object.keys lists integer keys first, ascending: the keys are exactly 0..n-1 when each is its own position.
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== String(i)) return value;
  }
  return keys.map((key) => value[key]!);
}
