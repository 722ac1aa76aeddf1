/**
 * Which session a span belongs to. In order: a session the span names itself;
 * the session its nearest ancestor in the batch names; the session another span
 * of its trace named (this batch, or remembered from an earlier one); the
 * exporter's `sessionId` option; a session derived from the trace id.
 */
import { DECLARED_KEYS, SESSION_ID_KEYS, SESSION_NAME_KEYS } from './conventions';
import { normalizeSessionId, sessionIdForTrace, type NormalizedSessionId } from './ids';
import type { SpanAttributes } from './span-attributes';
import type { SpanView } from './span-view';
import type { TransformMemory } from './memory';
import { KeyMemo } from './key-memo';

/** Attributes that name a span's session, first match wins (each family declares its own: see conventions/index.ts). */
export const SESSION_ID_ATTRIBUTES: readonly string[] = SESSION_ID_KEYS;

/** Attributes that name a span's session, for the session's name. */
export const SESSION_NAME_ATTRIBUTES: readonly string[] = SESSION_NAME_KEYS;

export interface SpanSession extends NormalizedSessionId {
  /** True when the span or another span of its trace named the session. */
  named: boolean;
}

/**
 * Session ids as normalised, by the value spans named: the spans of a
 * conversation name the same session, and mapping a name costs a hash.
 * Started over when full, so it stays small whatever the names.
 */
const normalizedSessions = new KeyMemo(1024, normalizeSessionId);

/** Reads (and consumes) the session a span names itself. */
export function ownSession(attributes: SpanAttributes): NormalizedSessionId | undefined {
  const value = attributes.takeFirstString(DECLARED_KEYS.sessionId.mayHave(attributes));
  if (value === undefined) return undefined;
  return normalizedSessions.get(value);
}

interface SpanWithOwnSession {
  view: SpanView;
  own: NormalizedSessionId | undefined;
  /** The parent span when it is in the batch. */
  parent: SpanWithOwnSession | undefined;
}

/**
 * Resolves the session of every span of a batch, and remembers each trace's
 * named session for later batches.
 */
export function resolveSessions(
  spans: readonly SpanWithOwnSession[],
  fallbackSessionId: string | undefined,
  memory: TransformMemory,
): SpanSession[] {
  const namedByTrace = new Map<string, NormalizedSessionId>();
  for (let spanIndex = 0, spanList = spans; spanIndex < spanList.length; spanIndex++) {
    const span = spanList[spanIndex]!;
    if (span.own && !namedByTrace.has(span.view.traceId)) namedByTrace.set(span.view.traceId, span.own);
  }
  // A root span's session describes its trace better than whichever child came first.
  for (let spanIndex = 0, spanList = spans; spanIndex < spanList.length; spanIndex++) {
    const span = spanList[spanIndex]!;
    if (span.own && span.view.parentSpanId === undefined) namedByTrace.set(span.view.traceId, span.own);
  }
  const fallback: SpanSession | undefined =
    fallbackSessionId === undefined ? undefined : { ...normalizeSessionId(fallbackSessionId), named: false };
  // Derived once per trace, not per span: hashing is what an id costs. Spans of one trace share the object.
  const derivedByTrace = new Map<string, SpanSession>();
  const derivedSession = (traceId: string): SpanSession => {
    let session = derivedByTrace.get(traceId);
    if (session === undefined) {
      session = { id: sessionIdForTrace(traceId), named: false };
      derivedByTrace.set(traceId, session);
    }
    return session;
  };

  const ancestors: AncestorSessions = new Map();
  // Spans naming the same session share one object, made once.
  const namedSessions = new Map<NormalizedSessionId, SpanSession>();
  const resolved = spans.map((span): SpanSession => {
    const traceNamed = namedByTrace.get(span.view.traceId);
    // In a trace no span of the batch names, no ancestor does either: nothing to walk.
    const named = span.own ?? (traceNamed && nearestAncestorSession(span, ancestors)) ?? traceNamed;
    if (named) {
      let session = namedSessions.get(named);
      if (session === undefined) namedSessions.set(named, (session = { ...named, named: true }));
      return session;
    }
    const remembered = memory.sessionOfTrace(span.view.traceId);
    if (remembered) return { id: remembered, named: true };
    return fallback ?? derivedSession(span.view.traceId);
  });
  for (const [traceId, session] of namedByTrace) memory.rememberTraceSession(traceId, session.id);
  return resolved;
}

/** What each span's nearest named ancestor in the batch names (null: none), once known. */
type AncestorSessions = Map<SpanWithOwnSession, NormalizedSessionId | null>;

/** The session the nearest ancestor in the batch names; every span walked through remembers the answer, so a deep trace is walked once. */
function nearestAncestorSession(span: SpanWithOwnSession, known: AncestorSessions): NormalizedSessionId | undefined {
  const walked: SpanWithOwnSession[] = [];
  let found: NormalizedSessionId | null = null;
  let parent = span.parent;
  // The bound guards against malformed spans whose parents form a cycle.
  for (let depth = 0; parent !== undefined && depth < 1000; depth++) {
    if (parent.own) {
      found = parent.own;
      break;
    }
    const answer = known.get(parent);
    if (answer !== undefined) {
      found = answer;
      break;
    }
    walked.push(parent);
    parent = parent.parent;
  }
  for (let ancestorIndex = 0, ancestorList = walked; ancestorIndex < ancestorList.length; ancestorIndex++) {
    const ancestor = ancestorList[ancestorIndex]!;
    known.set(ancestor, found);
  }
  return found ?? undefined;
}
