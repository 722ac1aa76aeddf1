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

/** The RFC 4122 variant nibble (`10xx`) for each hex digit of the digest: its low two bits kept. */
const VARIANT_DIGIT: Readonly<Record<string, string>> = Object.fromEntries(
  Array.from({ length: 16 }, (_, n) => [n.toString(16), ((n & 0x3) | 0x8).toString(16)]),
);

/**
 * A UUID with the version-4 nibble and the RFC 4122 variant, from the first 16
 * bytes of the SHA-1 digest of `namespace`, a NUL, and `name`. Works on the
 * digest's hex text: byte 6's high nibble becomes 4, byte 8's top bits 10.
 */
function uuidFromHash(namespace: string, name: string): string {
  const hex = sha1(`${namespace}\u0000${name}`, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${VARIANT_DIGIT[hex[16]!]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The event id of a span: a function of its trace id and span id only. */
export function eventIdForSpan(traceId: string, spanId: string): string {
  return uuidFromHash('honeyhive-otel-exporter/span', `${traceId.toLowerCase()}:${spanId.toLowerCase()}`);
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
