import assert from 'node:assert/strict';
import { parseJson, parseJsonObjectOrArray } from '../../src/transform/json-values';

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
