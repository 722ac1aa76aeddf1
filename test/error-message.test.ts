import assert from 'node:assert/strict';
import { errorMessage } from '../src/error-message';

describe('errorMessage', () => {
  it("is an Error's message, without its name or stack", () => {
    assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
  });

  it('is the string form of anything else thrown', () => {
    assert.equal(errorMessage('plain text'), 'plain text');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage({ toString: () => 'custom' }), 'custom');
  });
});
