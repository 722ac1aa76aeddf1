/**
 * Deterministic ids. HoneyHive wants lowercase UUIDs; OpenTelemetry gives hex
 * trace and span ids. Hashing them gives the same event id for the same span in
 * any process and on any retry, so trees stay whole across batches and a resend
 * can never create a second copy of an event.
 */
import { sha1 } from '../sha1';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in 8-4-4-4-12 hex form, any case. */
export function isUuid(value: string): boolean {
  return value.length === 36 && UUID_PATTERN.test(value);
}

/** The character codes of the hex digits, by value. */
const HEX_CODES = new Uint8Array(16);
for (let n = 0; n < 16; n++) HEX_CODES[n] = n.toString(16).charCodeAt(0);

const DASH = 0x2d;
const FOUR = 0x34;

/**
 * A UUID with the version-4 nibble and the RFC 4122 variant, from the first 16
 * bytes of the SHA-1 digest of `namespace`, a NUL, and `name`.
 */
function uuidFromHash(namespace: string, name: string): string {
  return uuidFromDigest(sha1(namespace + '\u0000' + name, 'binary'));
}

/** The hex digit of a byte's high nibble (`digest` holds one byte a character). */
function high(digest: string, byte: number): number {
  return HEX_CODES[digest.charCodeAt(byte) >> 4]!;
}

/** The hex digit of a byte's low nibble. */
function low(digest: string, byte: number): number {
  return HEX_CODES[digest.charCodeAt(byte) & 0xf]!;
}

/**
 * The UUID of a SHA-1 digest's first 16 bytes (one byte a character: the
 * digest as latin1, half the length of its hex): byte 6's high nibble becomes
 * 4, byte 8's top bits 10. Built as one string from its character codes,
 * rather than from slices joined, which made a string per piece.
 */
function uuidFromDigest(d: string): string {
  // prettier-ignore
  return String.fromCharCode(
    high(d, 0), low(d, 0), high(d, 1), low(d, 1), high(d, 2), low(d, 2), high(d, 3), low(d, 3), DASH,
    high(d, 4), low(d, 4), high(d, 5), low(d, 5), DASH,
    FOUR, low(d, 6), high(d, 7), low(d, 7), DASH,
    HEX_CODES[((d.charCodeAt(8) >> 4) & 0x3) | 0x8]!, low(d, 8), high(d, 9), low(d, 9), DASH,
    high(d, 10), low(d, 10), high(d, 11), low(d, 11), high(d, 12), low(d, 12),
    high(d, 13), low(d, 13), high(d, 14), low(d, 14), high(d, 15), low(d, 15),
  );
}

const SPAN_NAMESPACE = 'honeyhive-otel-exporter/span';
const TRACE_ID_LENGTH = 32;
const SPAN_ID_LENGTH = 16;

/**
 * What a span's event id hashes, as bytes, for ids of OpenTelemetry's
 * lengths: the namespace, NUL and colon written once, each span's trace and
 * span id over the rest. Hashing bytes spares the strings that joining the
 * text, and the hash flattening it, make for every span.
 */
const spanIdBytes = Buffer.alloc(SPAN_NAMESPACE.length + 1 + TRACE_ID_LENGTH + 1 + SPAN_ID_LENGTH);
const TRACE_AT = spanIdBytes.write(SPAN_NAMESPACE + '\u0000', 0, 'latin1');
const SPAN_AT = TRACE_AT + TRACE_ID_LENGTH + 1;
spanIdBytes[SPAN_AT - 1] = 0x3a; // ':'

/** The trace id `spanIdBytes` holds (spans of a trace come together): written again only when it changes. */
let traceIdWritten: string | undefined;

/** The event id of a span: a function of its trace id and span id only, whatever their case. */
export function eventIdForSpan(traceId: string, spanId: string): string {
  if (traceId.length === TRACE_ID_LENGTH && spanId.length === SPAN_ID_LENGTH && writeTraceId(traceId)) {
    if (writeLowerCaseAscii(spanId, SPAN_AT)) return uuidFromDigest(sha1(spanIdBytes, 'binary'));
  }
  return uuidFromHash(SPAN_NAMESPACE, traceId.toLowerCase() + ':' + spanId.toLowerCase());
}

function writeTraceId(traceId: string): boolean {
  if (traceId === traceIdWritten) return true;
  const written = writeLowerCaseAscii(traceId, TRACE_AT);
  traceIdWritten = written ? traceId : undefined;
  return written;
}

/**
 * Writes `text` into `spanIdBytes` at `at`, lower-cased as `toLowerCase`
 * would, without making a string; false when it is not ASCII (then its bytes
 * are not its UTF-8, and the caller hashes the text instead). A loop: for
 * ids this short it costs less than a call to `Buffer.write`.
 */
function writeLowerCaseAscii(text: string, at: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return false;
    spanIdBytes[at + i] = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  }
  return true;
}

/** The session a trace falls into when nothing names one. */
export function sessionIdForTrace(traceId: string): string {
  return uuidFromHash('honeyhive-otel-exporter/trace-session', traceId.toLowerCase());
}

/** The UUID standing for a session named by a string that is not a UUID (same string, same UUID). */
export function sessionIdForName(name: string): string {
  return uuidFromHash('honeyhive-otel-exporter/session-name', name);
}

/** A session id as HoneyHive needs it, and the caller's original when it had to be mapped. */
export interface NormalizedSessionId {
  id: string;
  /** The value as given, when it was not a UUID and was mapped to one. */
  original?: string;
}

export function normalizeSessionId(value: string): NormalizedSessionId {
  const trimmed = value.trim();
  return isUuid(trimmed) ? { id: trimmed.toLowerCase() } : { id: sessionIdForName(value), original: value };
}
