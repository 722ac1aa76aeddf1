import fc from 'fast-check';
import assert from 'node:assert/strict';
import { firstString, SpanAttributes } from '../../src/transform/span-attributes';

function unconsumedKeys(attributes: SpanAttributes): string[] {
  const keys: string[] = [];
  attributes.forEachUnconsumed((key) => keys.push(key));
  return keys;
}

describe('SpanAttributes prefix lookups', () => {
  const make = (): SpanAttributes =>
    new SpanAttributes({
      llm: 'bare',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.0.message.role': 'user',
      'llm.model_name': 'gpt',
      'llm.token_count.prompt_details.cache_read': 3,
      'llmx.other': 1,
      'a.b.c.d.e': 5,
      'a.b.c.x': 6,
    });

  it('finds the keys under a prefix at any depth, in their original order, never a sibling that merely starts alike', () => {
    const attributes = make();
    assert.deepEqual(attributes.keysUnder('llm'), [
      'llm.input_messages.1.message.role',
      'llm.input_messages.0.message.role',
      'llm.model_name',
      'llm.token_count.prompt_details.cache_read',
    ]);
    assert.deepEqual(attributes.keysUnder('llm.input_messages'), [
      'llm.input_messages.1.message.role',
      'llm.input_messages.0.message.role',
    ]);
    assert.deepEqual(attributes.keysUnder('llm.token_count.prompt_details'), [
      'llm.token_count.prompt_details.cache_read',
    ]);
    assert.deepEqual(
      attributes.keysUnder('a.b.c.d'),
      ['a.b.c.d.e'],
      'deeper than the index: scanned under its indexed ancestor',
    );
    assert.deepEqual(attributes.keysUnder('nothing'), []);
    assert.equal(attributes.hasPrefix('llm.input_messages.0'), true);
    assert.equal(attributes.hasPrefix('llm.model_name'), false, 'a key is not a prefix of itself');
    assert.equal(attributes.hasKeyStartingWith('llmx.'), true);
    assert.equal(attributes.hasKeyStartingWith('a.b.c.d.e'), true, 'a whole key starts with itself');
    assert.equal(attributes.hasKeyStartingWith('llm_'), false);
  });

  it('peeks without consuming and takes with consuming, the bare key under ""', () => {
    const attributes = make();
    assert.deepEqual(attributes.peekPrefixed('llm.input_messages.0'), [['message.role', 'user']]);
    assert.equal(unconsumedKeys(attributes).length, 8);
    assert.deepEqual(
      attributes.takePrefixed('llm').map(([rest]) => rest),
      [
        '',
        'input_messages.1.message.role',
        'input_messages.0.message.role',
        'model_name',
        'token_count.prompt_details.cache_read',
      ],
    );
    attributes.consume(['a.b.c.x', 'not-there']);
    assert.deepEqual(unconsumedKeys(attributes), ['llmx.other', 'a.b.c.d.e']);
  });

  it('agrees with a plain scan of every key, for any keys and any order of prefix queries', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', 'gen_ai', 'llm', '0', '1', '');
    const dotted = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(dotted, { maxLength: 30 }), fc.array(dotted, { maxLength: 20 }), (keys, prefixes) => {
        const attributes = new SpanAttributes(Object.fromEntries(keys.map((key, i) => [key, i])));
        for (const prefix of prefixes) {
          const expected = keys.filter((key) => key.startsWith(`${prefix}.`));
          assert.deepEqual(attributes.keysUnder(prefix), expected, `prefix ${JSON.stringify(prefix)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('SpanAttributes: the first of these keys', () => {
  const raw = { empty: '', count: 3, name: 'answer', other: 'later' };

  it('firstKey returns the first key present, and consumes nothing', () => {
    const attributes = new SpanAttributes(raw);
    assert.equal(attributes.firstKey(['missing', 'empty', 'name']), 'empty');
    assert.equal(attributes.firstKey(['count', 'name']), 'count');
    assert.equal(attributes.firstKey(['missing']), undefined);
    assert.equal(unconsumedKeys(attributes).length, 4);
  });

  it('firstStringKey and firstString pass over empty and non-string values', () => {
    const attributes = new SpanAttributes(raw);
    assert.equal(attributes.firstStringKey(['empty', 'count', 'name', 'other']), 'name');
    assert.deepEqual(firstString(raw, ['empty', 'count', 'other']), ['other', 'later']);
    assert.equal(firstString(raw, ['empty', 'count', 'missing']), undefined);
    assert.equal(unconsumedKeys(attributes).length, 4);
  });

  it('takeFirstString consumes the string it returns and the empty ones passed over, never a later key', () => {
    const attributes = new SpanAttributes(raw);
    assert.equal(attributes.takeFirstString(['count', 'empty', 'name', 'other']), 'answer');
    assert.deepEqual(unconsumedKeys(attributes), ['count', 'other']);
  });
});

describe('SpanAttributes: what is consumed', () => {
  it('leaves for metadata exactly the keys not consumed, in order, whatever the number of keys and the keys consumed', () => {
    // Sizes around the bookkeeping's boundaries: one word of positions, several, and a span too large to position.
    const size = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 250, max: 300 }));
    fc.assert(
      fc.property(
        size.chain((count) => fc.tuple(fc.constant(count), fc.array(fc.nat(count + 5), { maxLength: count + 10 }))),
        ([count, consumed]) => {
          const keys = Array.from({ length: count }, (_, i) => `key.${i}`);
          const attributes = new SpanAttributes(Object.fromEntries(keys.map((key, i) => [key, i])));
          // Indexes past the last key name keys the span lacks: ignored.
          for (const index of consumed) attributes.take(`key.${index}`);
          const taken = new Set(consumed.map((index) => `key.${index}`));
          assert.deepEqual(
            unconsumedKeys(attributes),
            keys.filter((key) => !taken.has(key)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a key the span holds but does not list (not enumerable) is read, and never reaches metadata', () => {
    const raw: Record<string, string> = { a: '1', b: '2' };
    Object.defineProperty(raw, 'hidden', { value: 'h', enumerable: false });
    const attributes = new SpanAttributes(raw);
    assert.equal(attributes.take('hidden'), 'h');
    attributes.take('b');
    assert.deepEqual(unconsumedKeys(attributes), ['a']);
  });
});
