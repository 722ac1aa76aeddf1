import assert from 'node:assert/strict';
import { nestFlattened, VALUE_OF_PARENT_KEY } from '../../src/transform/nesting';

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
});
