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

/** The RFC 4122 variant digit (`10xx`) for each hex digit's character code: its low two bits kept. */
const VARIANT_CODE = new Uint8Array(128);
for (let n = 0; n < 16; n++) VARIANT_CODE[n.toString(16).charCodeAt(0)] = ((n & 0x3) | 0x8).toString(16).charCodeAt(0);

const DASH = 0x2d;
const FOUR = 0x34;

/**
 * A UUID with the version-4 nibble and the RFC 4122 variant, from the first 16
 * bytes of the SHA-1 digest of `namespace`, a NUL, and `name`.
 */
function uuidFromHash(namespace: string, name: string): string {
  return uuidFromDigest(sha1(namespace + '\u0000' + name, 'hex'));
}

/**
 * The UUID of a hex SHA-1 digest: byte 6's high nibble becomes 4, byte 8's
 * top bits 10. Built as one string from its character codes, rather than from
 * slices joined, which made a string per piece.
 */
function uuidFromDigest(h: string): string {
  // prettier-ignore
  return String.fromCharCode(
    h.charCodeAt(0), h.charCodeAt(1), h.charCodeAt(2), h.charCodeAt(3),
    h.charCodeAt(4), h.charCodeAt(5), h.charCodeAt(6), h.charCodeAt(7), DASH,
    h.charCodeAt(8), h.charCodeAt(9), h.charCodeAt(10), h.charCodeAt(11), DASH,
    FOUR, h.charCodeAt(13), h.charCodeAt(14), h.charCodeAt(15), DASH,
    VARIANT_CODE[h.charCodeAt(16)]!, h.charCodeAt(17), h.charCodeAt(18), h.charCodeAt(19), DASH,
    h.charCodeAt(20), h.charCodeAt(21), h.charCodeAt(22), h.charCodeAt(23),
    h.charCodeAt(24), h.charCodeAt(25), h.charCodeAt(26), h.charCodeAt(27),
    h.charCodeAt(28), h.charCodeAt(29), h.charCodeAt(30), h.charCodeAt(31),
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
    if (writeLowerCaseAscii(spanId, SPAN_AT)) return uuidFromDigest(sha1(spanIdBytes, 'hex'));
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
