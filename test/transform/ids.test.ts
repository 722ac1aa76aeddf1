import assert from 'node:assert/strict';
import {
  eventIdForSpan,
  isUuid,
  normalizeSessionId,
  sessionIdForName,
  sessionIdForTrace,
} from '../../src/transform/ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('deterministic ids', () => {
  it('derives a lowercase version-4 RFC 4122 UUID from trace id and span id', () => {
    const id = eventIdForSpan(TRACE, 'b7ad6b7169203331');
    assert.match(id, UUID_V4);
    assert.equal(id, eventIdForSpan(TRACE, 'b7ad6b7169203331'));
    assert.equal(id, eventIdForSpan(TRACE.toUpperCase(), 'B7AD6B7169203331'), 'case of the hex ids does not matter');
  });

  it('gives the ids every earlier version gave (they name events already sent)', () => {
    assert.equal(eventIdForSpan(TRACE, 'b7ad6b7169203331'), 'aa6a293f-ade2-46e0-81ae-34108a6b3fed');
    assert.equal(sessionIdForTrace(TRACE), '53dc8cf5-f030-4fbb-9d61-ae41bd99b1a9');
    assert.equal(sessionIdForName('chat-42'), 'c3d4eb19-0482-4ade-8bd7-6197cafe9293');
    const variants = Array.from({ length: 16 }, (_, i) => eventIdForSpan(TRACE, i.toString(16).padStart(16, '0'))[19]);
    assert.equal(variants.join(''), '9a89889a88b9bb8b');
  });

  it('gives ids of other lengths, or not ASCII, the ids of the same text', () => {
    assert.equal(eventIdForSpan('abc', 'DEF'), '2bc0b14b-973a-4151-ad50-e5e603b67d5a');
    assert.equal(eventIdForSpan('é' + 'a'.repeat(31), 'b'.repeat(16)), 'bac85dd0-a686-48bc-8c5f-d3b65b235272');
    // Two bytes of the last but one character fill the span id's length, and the last is left out.
    assert.equal(eventIdForSpan('a'.repeat(32), 'b'.repeat(14) + 'éx'), '677acc03-661d-4446-9c80-9b4cbca51250');
  });

  it('gives a span the same id whatever was hashed before it', () => {
    eventIdForSpan('é' + TRACE.slice(1), 'b7ad6b7169203331');
    assert.equal(eventIdForSpan(TRACE, 'b7ad6b7169203331'), 'aa6a293f-ade2-46e0-81ae-34108a6b3fed');
    eventIdForSpan(TRACE, 'é' + 'b7ad6b716920333');
    eventIdForSpan('1' + TRACE.slice(1), '0000000000000000');
    assert.equal(eventIdForSpan(TRACE.toUpperCase(), 'b7ad6b7169203331'), 'aa6a293f-ade2-46e0-81ae-34108a6b3fed');
    assert.equal(eventIdForSpan(TRACE, 'b7ad6b7169203331'), 'aa6a293f-ade2-46e0-81ae-34108a6b3fed');
  });

  it('gives different spans different ids, including the same span id in another trace', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) ids.add(eventIdForSpan(TRACE, i.toString(16).padStart(16, '0')));
    ids.add(eventIdForSpan('1' + TRACE.slice(1), '0000000000000000'));
    assert.equal(ids.size, 2001);
  });

  it('keeps span, trace-session and named-session ids apart', () => {
    assert.notEqual(sessionIdForTrace(TRACE), eventIdForSpan(TRACE, '0000000000000000'));
    assert.notEqual(sessionIdForName(TRACE), sessionIdForTrace(TRACE));
    assert.match(sessionIdForTrace(TRACE), UUID_V4);
  });

  it('keeps a UUID session id (lowercased) and maps any other string to a stable UUID', () => {
    assert.deepEqual(normalizeSessionId('3F2504E0-4F89-41D3-9A0C-0305E82C3301'), {
      id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    });
    const mapped = normalizeSessionId('chat-42');
    assert.equal(mapped.original, 'chat-42');
    assert.match(mapped.id, UUID_V4);
    assert.equal(normalizeSessionId('chat-42').id, mapped.id);
    assert.notEqual(normalizeSessionId('chat-43').id, mapped.id);
    assert.equal(isUuid('not-a-uuid'), false);
  });
});
