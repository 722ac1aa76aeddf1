import fc from 'fast-check';
import assert from 'node:assert/strict';
import type { JsonObject, JsonValue } from '../../src/honeyhive-types';
import { nestFlattened, nestFlattenedKeys, VALUE_OF_PARENT_KEY } from '../../src/transform/nesting';

describe('nestFlattened', () => {
  it('re-nests dotted keys into objects and numeric indexes into arrays, in any order', () => {
    const nested = nestFlattened([
      ['messages.1.role', 'assistant'],
      ['messages.0.role', 'user'],
      ['messages.0.content', 'hi'],
      ['model', 'gpt'],
      ['deep.a.b.c', 1],
    ]);
    assert.deepEqual(nested, {
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant' }],
      model: 'gpt',
      deep: { a: { b: { c: 1 } } },
    });
  });

  it('keeps a sparse or huge index as an object instead of allocating an array', () => {
    assert.deepEqual(nestFlattened([['list.99999999', 'x']]), { list: { '99999999': 'x' } });
  });

  it('never walks into __proto__, constructor or prototype, and keeps those values under their flat key', () => {
    const nested = nestFlattened([
      ['__proto__.polluted', 'yes'],
      ['constructor.prototype.polluted', 'yes'],
      ['a.__proto__.polluted', 'yes'],
      ['__proto__', 'bare'],
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(nested), Object.prototype);
    assert.equal(nested['__proto__.polluted'], 'yes');
    assert.equal(nested['constructor.prototype.polluted'], 'yes');
    assert.equal(nested['a.__proto__.polluted'], 'yes');
    assert.ok(Object.prototype.hasOwnProperty.call(nested, '__proto__'));
    assert.match(JSON.stringify(nested), /"__proto__":"bare"/);
  });

  it('loses nothing when a key is both a value and a parent', () => {
    assert.deepEqual(
      nestFlattened([
        ['a.b', 1],
        ['a', 2],
      ]),
      { a: { b: 1, [VALUE_OF_PARENT_KEY]: 2 } },
    );
    assert.deepEqual(
      nestFlattened([
        ['a', 2],
        ['a.b', 1],
      ]),
      { a: 2, 'a.b': 1 },
    );
    assert.deepEqual(
      nestFlattened([
        ['a..b', 1],
        ['.c', 2],
      ]),
      { 'a..b': 1, '.c': 2 },
    );
  });

  it('walks afresh after a value placed flat merged into a container the previous key walked through', () => {
    assert.deepEqual(
      nestFlattened([
        ['a.b.c', 1],
        ['a', { b: 5 }],
        ['a.b.d', 2],
      ]),
      { a: { b: 5 }, 'a.b.d': 2 },
    );
  });

  it('reads a key the same from wherever it starts, however often it was read before', () => {
    const keys = ['llm.input_messages.0.message.role'];
    for (let round = 0; round < 2; round++) {
      assert.deepEqual(nestFlattenedKeys(keys, ['user'], 'llm.'.length), {
        input_messages: [{ message: { role: 'user' } }],
      });
      assert.deepEqual(nestFlattenedKeys(keys, ['user'], 'llm.input_messages.'.length), [
        { message: { role: 'user' } },
      ]);
    }
  });

  it('places every key as walking each from the root would, whatever the keys and their order', () => {
    // Few keys that overlap, so parents, collisions and merges come often.
    const key = fc.constantFrom('a', 'b', 'a.b', 'a.0', 'a.b.0', 'a.b.a', 'b.a.0', '0', '0.a', 'a..b', '__proto__.a');
    const value = fc.oneof(fc.integer(), fc.constantFrom<JsonValue>({ b: 1 }, { 0: 'x' }, { a: { b: 2 } }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        const fresh = (): Array<[string, JsonValue]> => entries.map(([k, v]) => [k, structuredClone(v)]);
        assert.deepEqual(nestFlattened(fresh()), nestFromRoot(fresh()));
      }),
      { numRuns: 2000 },
    );
  });

  it('makes the same lists from indexes in order, out of order, with gaps or beside other keys, and values that are lists', () => {
    // No value is an object, so every list comes from indexes: keys that make one, and keys that keep an object.
    const key = fc.constantFrom(
      'a.0',
      'a.1',
      'a.2',
      'a.0.b',
      'a.1.b',
      'a.0.0',
      'a.0.1',
      'a.1.0',
      'a.x',
      'a.01',
      'a.length',
      'a',
      '0',
      '1',
      '0.a',
      'b.0',
      'b.0.0',
      '2',
      '0.0',
      'x',
    );
    const value = fc.oneof(fc.integer(), fc.constantFrom<JsonValue>([1], [], 'text'));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        const fresh = (): Array<[string, JsonValue]> => entries.map(([k, v]) => [k, structuredClone(v)]);
        assert.deepEqual(nestFlattened(fresh()), nestFromRoot(fresh()));
      }),
      { numRuns: 3000 },
    );
    assert.deepEqual(
      nestFlattened([
        ['a.0.b', 1],
        ['a.1.b', 2],
        ['a.0.c', 3],
      ]),
      { a: [{ b: 1, c: 3 }, { b: 2 }] },
    );
  });
});

/** The reference: each key walked from the root (what nestFlattened did before it reused the previous key's walk). */
function nestFromRoot(entries: ReadonlyArray<readonly [string, JsonValue]>): JsonValue {
  const own = (object: JsonObject, key: string): JsonValue | undefined =>
    Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  const isObject = (item: JsonValue | undefined): item is JsonObject =>
    typeof item === 'object' && item !== null && !Array.isArray(item);
  const put = (object: JsonObject, key: string, item: JsonValue): void => {
    Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
  };
  const root: JsonObject = {};
  const placeFlat = (key: string, item: JsonValue): void => {
    const existing = own(root, key);
    if (existing === undefined) put(root, key, item);
    else if (isObject(existing)) {
      if (isObject(item)) Object.assign(existing, item);
      else put(existing, VALUE_OF_PARENT_KEY, item);
    }
  };
  for (const [key, item] of entries) {
    const segments = key.split('.');
    if (segments.length === 1 || segments.some((s) => ['', '__proto__', 'constructor', 'prototype'].includes(s))) {
      placeFlat(key, item);
      continue;
    }
    let container: JsonObject | undefined = root;
    for (const segment of segments.slice(0, -1)) {
      const existing: JsonValue | undefined = own(container, segment);
      if (existing === undefined) put(container, segment, (container = {}));
      else if (isObject(existing)) container = existing;
      else {
        container = undefined;
        break;
      }
    }
    const leaf = segments[segments.length - 1]!;
    if (container && own(container, leaf) === undefined) put(container, leaf, item);
    else placeFlat(key, item);
  }
  const arrays = (item: JsonValue): JsonValue => {
    if (!isObject(item)) return item;
    const keys = Object.keys(item);
    for (const key of keys) put(item, key, arrays(item[key]!));
    return keys.length > 0 && keys.every((key, i) => key === String(i)) ? keys.map((key) => item[key]!) : item;
  };
  return arrays(root);
}
