import fc from 'fast-check';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../src/honeyhive-types';
import { jsonEqual, parseJson, parseJsonObjectOrArray } from '../../src/transform/json-values';

/** JSON text with every object's keys sorted: equal for equal values, whatever their key order. */
function canonical(value: JsonValue): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}

describe('parsing JSON text', () => {
  it('parseJson parses any JSON text (a JSON-encoded string or number too); bad text and other values as they are', () => {
    assert.deepEqual(parseJson('{"a":[1]}'), { a: [1] });
    assert.equal(parseJson('"quoted"'), 'quoted');
    assert.equal(parseJson('42'), 42);
    assert.equal(parseJson('not json'), 'not json');
    assert.equal(parseJson(7), 7);
    assert.equal(parseJson(null), null);
    assert.equal(parseJson(undefined), undefined, 'an attribute the span lacks');
  });

  it('parseJsonObjectOrArray parses only text that opens an object or array; a number or word stays text', () => {
    assert.deepEqual(parseJsonObjectOrArray('[1,"x"]'), [1, 'x']);
    assert.deepEqual(parseJsonObjectOrArray('{"a":1}'), { a: 1 });
    assert.equal(parseJsonObjectOrArray('42'), '42');
    assert.equal(parseJsonObjectOrArray('"quoted"'), '"quoted"');
    assert.equal(parseJsonObjectOrArray('{broken'), '{broken');
    assert.equal(parseJsonObjectOrArray(undefined), undefined);
    assert.equal(parseJsonObjectOrArray(false), false);
  });
});

describe('jsonEqual', () => {
  // Keys that name Object.prototype's members, which a careless lookup would find on any object.
  const key = fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'),
  );
  const json = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom<JsonValue>(null, true, false, 0, 1, 'a', ''),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  /** The value as JSON.parse makes it (a `__proto__` key an own property), its keys in reverse order. */
  const reparsed = (value: JsonValue): JsonValue =>
    JSON.parse(
      JSON.stringify(value, (_key, inner: unknown) =>
        inner !== null && typeof inner === 'object' && !Array.isArray(inner)
          ? Object.fromEntries(Object.entries(inner).reverse())
          : inner,
      ),
    ) as JsonValue;

  it('agrees with comparing the values as text with sorted keys, for any two JSON values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const left = reparsed(a);
        assert.equal(jsonEqual(left, reparsed(a)), true, 'a value equals a copy with its keys reordered');
        assert.equal(jsonEqual(left, reparsed(b)), canonical(a) === canonical(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells apart objects that differ by a key only one of them has, whichever side has it', () => {
    const withProto = JSON.parse('{"a":1,"__proto__":2}') as JsonValue;
    assert.equal(jsonEqual({ a: 1 }, withProto), false);
    assert.equal(jsonEqual(withProto, { a: 1 }), false);
    assert.equal(jsonEqual({ a: 1, constructor: null }, { a: 1 }), false);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, toString: 'x' }), false);
    assert.equal(jsonEqual({}, []), false);
  });
});
