import assert from 'node:assert/strict';
import sinon from 'sinon';
import { KeyMemo } from '../../src/transform/key-memo';

describe('KeyMemo', () => {
  it('works a key out once, then answers from memory', () => {
    const workOut = sinon.spy((key: string) => key.length);
    const memo = new KeyMemo(8, workOut);
    assert.equal(memo.get('abc'), 3);
    assert.equal(memo.get('abc'), 3);
    assert.equal(workOut.callCount, 1);
  });

  it('remembers a null answer too', () => {
    const workOut = sinon.spy((): string | null => null);
    const memo = new KeyMemo(8, workOut);
    memo.get('a');
    memo.get('a');
    assert.equal(workOut.callCount, 1);
  });

  it('starts over when full, so it never holds more than its bound, and answers the same after', () => {
    const workOut = sinon.spy((key: string) => `${key}!`);
    const memo = new KeyMemo(3, workOut);
    for (const key of ['a', 'b', 'c', 'd']) memo.get(key);
    assert.equal(workOut.callCount, 4);
    assert.equal(memo.get('d'), 'd!');
    assert.equal(workOut.callCount, 4, 'the key that started the new memory is in it');
    assert.equal(memo.get('a'), 'a!');
    assert.equal(workOut.callCount, 5, 'the keys before were forgotten');
  });
});
