import assert from 'node:assert/strict';
import { MAX_SERVER_TEXT_CHARS, sanitizeServerText } from '../../src/transport/server-text';

describe('sanitizeServerText', () => {
  it('removes terminal escapes (CSI, OSC) and control characters, folding whitespace', () => {
    assert.equal(
      sanitizeServerText('\u001b[1;31mbad\u001b[0m request\r\n\tline two\u0007 \u001b]0;title\u0007end\u202e'),
      'bad request line two end',
    );
  });

  it('keeps ordinary text, quotes and non-Latin letters as they are', () => {
    assert.equal(
      sanitizeServerText('  "event_type" must be one of: model, tool — café  '),
      '"event_type" must be one of: model, tool — café',
    );
  });

  it('bounds the length and says it cut', () => {
    const cut = sanitizeServerText('z'.repeat(100_000));
    assert.equal(cut.length, MAX_SERVER_TEXT_CHARS + 1);
    assert.ok(cut.endsWith('…'));
    assert.equal(sanitizeServerText('short', 3), 'sho…');
  });
});
