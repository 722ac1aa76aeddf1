import assert from 'node:assert/strict';
import { sha1 } from '../src/sha1';

describe('sha1', () => {
  it('gives the standard digest of text, in hex, base64 or binary (latin1: a character a byte)', () => {
    assert.equal(sha1('abc', 'hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(sha1('abc', 'base64'), 'qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
    assert.equal(
      Buffer.from(sha1('abc', 'binary'), 'latin1').toString('hex'),
      'a9993e364706816aba3e25717850c26c9cd0d89d',
    );
    assert.equal(sha1('', 'hex'), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});
