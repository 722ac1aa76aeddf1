/**
 * The pure transform: OpenTelemetry spans in, HoneyHive events grouped by
 * session out. No I/O, no environment, no logging; the only state is the
 * optional `memory` the caller passes to connect batches.
 */
import { hrTimeToMilliseconds } from '../otel-sdk';
import { errorMessage } from '../error-message';
import { runSteps } from '../steps';
import type { HoneyHiveEvent, HoneyHiveSessionEvent, JsonObject, JsonValue } from '../honeyhive-types';
import { DECLARED_KEYS, hasConventionKeys, hasKeysOf, reportsTokenUsage } from './conventions';
import { explicitEventId, explicitParentId, honeyHiveConvention } from './conventions/honeyhive';
import { setIfAbsent } from './event-draft';
import { eventIdForSpan } from './ids';
import { finiteTime, hasOwnKeys } from './json-values';
import { TransformMemory } from './memory';
import {
  addIdentityMetadata,
  attributesToJson,
  exceptionMetadata,
  identityMetadata,
  linksToJson,
  spanEventToJson,
  spanFailure,
} from './otel-metadata';
import { SessionEventBuilder, takeSessionFields, type SessionFields } from './session-fields';
import { ownSession, resolveSessions, type SpanSession } from './sessions';
import { firstString, SpanAttributes } from './span-attributes';
import { SpanMapping } from './span-mapping';
import { viewSpan, type ExportableSpan, type SpanView } from './span-view';

export { TransformMemory, type TransformMemoryLimits } from './memory';
export type { ExportableSpan, LegacyReadableSpan } from './span-view';

/** The source events get when neither the options nor the span name one. */
export const DEFAULT_SOURCE = 'dev';

export interface TransformOptions {
  /** Project on every event. HoneyHive's API key is per project, so this may be left out. */
  project?: string;
  /** Environment label on every event, unless a span's `honeyhive_source` says otherwise. Default `dev`. */
  source?: string;
  /** Session for spans whose trace names none. Not a UUID? It maps to one deterministically. */
  sessionId?: string;
  /** Name given to every session; else a span's session name attribute, the trace's root span name, or the service name. */
  sessionName?: string;
  /** What to remember between calls (children, sessions of traces). Without it, each call stands alone. */
  memory?: TransformMemory;
}

/** The events of one session, and the session's own event as far as this batch describes it. */
export interface SessionGroup {
  sessionId: string;
  events: HoneyHiveEvent[];
  session: HoneyHiveSessionEvent;
}

/** A span that could not become an event at all (it had no usable ids, or reading it threw). */
export interface RejectedSpan {
  index: number;
  reason: string;
}

export interface TransformResult {
  groups: SessionGroup[];
  rejected: RejectedSpan[];
}

interface PreparedSpan {
  index: number;
  view: SpanView;
  attributes: SpanAttributes;
  /** False for a span with no key of any convention family (see hasConventionKeys): nothing need look for theirs. */
  conventionKeys: boolean;
  own: ReturnType<typeof ownSession>;
  eventId: string;
  /** The id derived from the span's ids, when the span named its own event id (`honeyhive_event_id`). */
  derivedEventId: string | undefined;
  /** The parent event id the span names itself (`honeyhive.parent_id`). */
  namedParentId: string | undefined;
  parentEventId: string | undefined;
  /** The parent span when it is in this batch. */
  parent: PreparedSpan | undefined;
  /** Children in this batch that found this span as their parent by span id (see listChildren). */
  childrenInBatch: string[] | undefined;
  /** Session-level fields the span set (`honeyhive.session.*`), read while mapping it. */
  sessionFields: SessionFields | undefined;
}

/** Spans in, events grouped by session out. */
export function toHoneyHiveEvents(spans: readonly ExportableSpan[], options: TransformOptions = {}): SessionGroup[] {
  return transformSpans(spans, options).groups;
}

/** Like {@link toHoneyHiveEvents}, and also reports the spans that could not be read at all. */
export function transformSpans(spans: readonly ExportableSpan[], options: TransformOptions = {}): TransformResult {
  return runSteps(transformInSteps(spans, options));
}

/**
 * The same transform as {@link transformSpans}, paused after each span it reads and each event it builds,
 * so that whoever drives it can let other work run in between (the exporter gives the app's event loop a
 * turn every few milliseconds). The memory must not be used by anything else until it is done.
 */
export function* transformInSteps(
  spans: readonly ExportableSpan[],
  options: TransformOptions = {},
): Generator<undefined, TransformResult, undefined> {
  const memory = options.memory ?? new TransformMemory();
  const rejected: RejectedSpan[] = [];
  const prepared: PreparedSpan[] = [];
  // Whether a span names its own event id or its parent's (see listChildren).
  let namesIds = false;
  for (let index = 0; index < spans.length; index++) {
    const span = spans[index];
    // A hole in a sparse list is no span (forEach would skip it too).
    if (span === undefined && !(index in spans)) continue;
    try {
      const view = viewSpan(span);
      const attributes = new SpanAttributes(view.attributes);
      const conventionKeys = hasConventionKeys(attributes);
      const derived = eventIdForSpan(view.traceId, view.spanId);
      // The ids a span names for itself are HoneyHive attributes.
      const honeyHiveKeys = conventionKeys && hasKeysOf(attributes, honeyHiveConvention);
      const named = honeyHiveKeys ? explicitEventId(attributes) : undefined;
      if (named !== undefined) memory.rememberEventId(derived, named);
      const namedParentId = honeyHiveKeys ? explicitParentId(attributes) : undefined;
      if (named !== undefined || namedParentId !== undefined) namesIds = true;
      prepared.push({
        index,
        view,
        attributes,
        conventionKeys,
        own: conventionKeys ? ownSession(attributes) : undefined,
        eventId: named ?? derived,
        derivedEventId: named === undefined ? undefined : derived,
        namedParentId,
        parentEventId: undefined,
        parent: undefined,
        childrenInBatch: undefined,
        sessionFields: undefined,
      });
    } catch (error) {
      rejected.push({ index, reason: errorMessage(error) });
    }
    yield;
  }
  const spansRepeat = linkParents(prepared, memory);
  // Children first, so a parent in this batch lists children exported with it.
  listChildren(prepared, namesIds, spansRepeat, memory);
  markUsageAncestors(prepared, memory);
  const sessions = resolveSessions(prepared, options.sessionId, memory);

  const groups = new Map<string, SessionBuilder>();
  for (let i = 0; i < prepared.length; i++) {
    const span = prepared[i]!;
    // Everything read from one span is read under this guard: a span that breaks it is reported, never the batch.
    try {
      addToSession(groups, span, sessions[i]!, options, memory);
    } catch (error) {
      rejected.push({ index: span.index, reason: errorMessage(error) });
    }
    yield;
  }
  const built = [...groups.values()].map((builder) => {
    builder.group.session = builder.session.build();
    return builder.group;
  });
  return { groups: built, rejected };
}

/** Builds the span's event (or its fallback) and adds it to its session; changes nothing when it throws. */
function addToSession(
  groups: Map<string, SessionBuilder>,
  span: PreparedSpan,
  session: SpanSession,
  options: TransformOptions,
  memory: TransformMemory,
): void {
  let event: HoneyHiveEvent;
  try {
    event = buildEvent(span, session, options, memory);
  } catch (error) {
    event = buildFallbackEvent(span, session, options, memory, error);
  }
  let builder = groups.get(session.id);
  if (!builder) {
    const described = new SessionEventBuilder(newSession(session, span, event, options));
    builder = {
      group: { sessionId: session.id, events: [], session: described.session },
      session: described,
      nameRank: 0,
    };
  }
  describeSession(builder, span, event, options);
  groups.set(session.id, builder);
  builder.group.events.push(event);
}

function buildEvent(
  span: PreparedSpan,
  session: SpanSession,
  options: TransformOptions,
  memory: TransformMemory,
): HoneyHiveEvent {
  const { view, attributes } = span;
  let childrenIds = memory.childrenOf(span.eventId, span.childrenInBatch);
  // Children exported before a span that names its own id were linked to the derived one.
  if (span.derivedEventId !== undefined) {
    const linkedToDerived = memory.childrenOf(span.derivedEventId);
    if (linkedToDerived) childrenIds = childrenIds ? childrenIds.concat(linkedToDerived) : linkedToDerived;
  }
  const context = new SpanMapping(view, attributes, childrenIds !== undefined, memory.hasUsageBelow(span.eventId));
  const { draft } = context;
  context.map();

  const failure = spanFailure(view);
  let project = options.project;
  let source = options.source ?? DEFAULT_SOURCE;
  if (span.conventionKeys) {
    project = attributes.takeFirstString(DECLARED_KEYS.project.mayHave(attributes)) ?? project;
    source = attributes.takeFirstString(DECLARED_KEYS.source.mayHave(attributes)) ?? source;
    attributes.takeFirstString(DECLARED_KEYS.sessionName.mayHave(attributes));
    span.sessionFields = takeSessionFields(attributes);
  }

  const fresh = draft.metadataUntouched;
  const metadata = draft.metadata;
  addIdentityMetadata(metadata, view, fresh);
  if (session.original !== undefined) setIfAbsent(metadata, 'original_session_id', session.original);
  if (failure.exception) {
    context.consumeEvent(failure.exception);
    setIfAbsent(metadata, 'exception', exceptionMetadata(failure.exception));
  }
  if (view.events.length > 0) {
    const otherEvents = unmappedEvents(context);
    if (otherEvents.length > 0) setIfAbsent(metadata, 'events', otherEvents);
  }
  if (view.links.length > 0) setIfAbsent(metadata, 'links', linksToJson(view));
  keepUnconsumedAttributes(metadata, attributes);

  const eventName = draft.eventName ?? view.name;
  const event = assembleEvent(span, session, source, eventName, context.eventType(), draft.inputs, metadata);
  setIfFilled(event, 'children_ids', childrenIds);
  setIfFilled(event, 'config', draft.written('config'));
  setIfFilled(event, 'outputs', draft.written('outputs'));
  setError(event, draft.error ?? failure.error);
  setIfFilled(event, 'feedback', draft.written('feedback'));
  setIfFilled(event, 'metrics', draft.written('metrics'));
  setIfFilled(event, 'user_properties', draft.written('userProperties'));
  return withProject(event, project);
}

/**
 * The span events no rule mapped, as JSON. Apart from buildEvent so that no
 * closure there holds its locals: V8 would make their context on every call.
 */
function unmappedEvents(context: SpanMapping): JsonValue[] {
  return context.span.events.filter((event) => !context.isEventMapped(event)).map(spanEventToJson);
}

/**
 * Sets each span's parent, and its parent event id: taken from the parent when
 * it is in the batch (hashing is what an id costs), else derived from the
 * parent's span id. Spans are found by trace, then span id: no key is built
 * per span. True when the batch holds a span more than once.
 */
function linkParents(prepared: readonly PreparedSpan[], memory: TransformMemory): boolean {
  const spansByTrace = new Map<string, Map<string, PreparedSpan>>();
  for (let spanIndex = 0, spanList = prepared; spanIndex < spanList.length; spanIndex++) {
    const span = spanList[spanIndex]!;
    let spans = spansByTrace.get(span.view.traceId);
    if (!spans) {
      spans = new Map();
      spansByTrace.set(span.view.traceId, spans);
    }
    spans.set(span.view.spanId, span);
  }
  for (let spanIndex = 0, spanList = prepared; spanIndex < spanList.length; spanIndex++) {
    const span = spanList[spanIndex]!;
    const { traceId, parentSpanId } = span.view;
    if (parentSpanId !== undefined) {
      span.parent = spansByTrace.get(traceId)!.get(parentSpanId);
      if (span.parent) {
        span.parentEventId = span.parent.eventId;
      } else {
        // A parent exported earlier may have named its own event id.
        const derived = eventIdForSpan(traceId, parentSpanId);
        span.parentEventId = memory.eventIdFor(derived) ?? derived;
      }
    }
    if (span.namedParentId !== undefined) span.parentEventId = span.namedParentId;
  }
  let distinctSpans = 0;
  for (const spans of spansByTrace.values()) distinctSpans += spans.size;
  return distinctSpans < prepared.length;
}

/**
 * Gives each parent in the batch the children exported with it, in batch
 * order; remembers the others for the batch their parent comes in. A child
 * found its parent by span id lists itself there, unless spans in the batch
 * name ids or come twice: then any parent may be known by another id, or listed
 * twice, and every child goes through the memory, which sorts that out.
 */
function listChildren(
  prepared: readonly PreparedSpan[],
  namesIds: boolean,
  spansRepeat: boolean,
  memory: TransformMemory,
): void {
  const byParentSpan = !namesIds && !spansRepeat;
  for (let spanIndex = 0; spanIndex < prepared.length; spanIndex++) {
    const span = prepared[spanIndex]!;
    if (byParentSpan && span.parent !== undefined) (span.parent.childrenInBatch ??= []).push(span.eventId);
    else if (span.parentEventId !== undefined) memory.addChild(span.parentEventId, span.eventId);
  }
}

/**
 * Marks every ancestor of a span that reports token usage (or has a
 * descendant that did, in an earlier batch), walking up through the batch:
 * those ancestors' own usage repeats it, so they must not count it again.
 */
function markUsageAncestors(prepared: readonly PreparedSpan[], memory: TransformMemory): void {
  // Made when a first span reports usage: most plain batches have none.
  let byEventId: Map<string, PreparedSpan> | undefined;
  for (let spanIndex = 0, spanList = prepared; spanIndex < spanList.length; spanIndex++) {
    const span = spanList[spanIndex]!;
    if (!reportsTokenUsage(span.attributes) && !memory.hasUsageBelow(span.eventId)) continue;
    byEventId ??= spansByEventId(prepared);
    let parentId = span.parentEventId;
    // The bound guards against malformed spans whose parents form a cycle.
    for (let depth = 0; parentId !== undefined && depth < 1000 && !memory.hasUsageBelow(parentId); depth++) {
      memory.markUsageBelow(parentId);
      parentId = byEventId.get(parentId)?.parentEventId;
    }
  }
}

function spansByEventId(prepared: readonly PreparedSpan[]): Map<string, PreparedSpan> {
  const byEventId = new Map<string, PreparedSpan>();
  for (let spanIndex = 0; spanIndex < prepared.length; spanIndex++) {
    const span = prepared[spanIndex]!;
    byEventId.set(span.eventId, span);
  }
  return byEventId;
}

/** Every attribute no rule consumed, under its OpenTelemetry name; a clash with a field we wrote goes under `attributes`. */
function keepUnconsumedAttributes(metadata: JsonObject, attributes: SpanAttributes): void {
  const clashes = attributes.addUnconsumed(metadata);
  if (clashes) setIfAbsent(metadata, 'attributes', clashes);
}

/**
 * A mapping rule failed on this span (it should not; this is the safety net):
 * send what identifies it and all its raw attributes, and say why.
 */
function buildFallbackEvent(
  span: PreparedSpan,
  session: SpanSession,
  options: TransformOptions,
  memory: TransformMemory,
  error: unknown,
): HoneyHiveEvent {
  const { view } = span;
  const childrenIds = memory.childrenOf(span.eventId, span.childrenInBatch);
  const metadata: JsonObject = {
    ...identityMetadata(view),
    mapping_error: errorMessage(error),
    attributes: attributesToJson(view.attributes),
  };
  const event = assembleEvent(
    span,
    session,
    options.source ?? DEFAULT_SOURCE,
    view.name,
    childrenIds !== undefined ? 'chain' : 'tool',
    {},
    metadata,
  );
  setIfFilled(event, 'children_ids', childrenIds);
  setError(event, spanFailure(view).error);
  return withProject(event, options.project);
}

/**
 * The span's event as far as every event has it: its ids, under its session
 * and parent, and its times, always numbers. The optional fields follow, then
 * `project`, in the order they are sent.
 */
function assembleEvent(
  span: PreparedSpan,
  session: SpanSession,
  source: string,
  eventName: string,
  eventType: HoneyHiveEvent['event_type'],
  inputs: JsonObject,
  metadata: JsonObject,
): HoneyHiveEvent {
  const { view } = span;
  return {
    source,
    event_name: eventName,
    event_type: eventType,
    event_id: span.eventId,
    session_id: session.id,
    parent_id: span.parentEventId ?? session.id,
    inputs,
    start_time: finiteTime(hrTimeToMilliseconds(view.startTime)),
    end_time: finiteTime(hrTimeToMilliseconds(view.endTime)),
    duration: finiteTime(hrTimeToMilliseconds(view.duration)),
    metadata,
  };
}

type OptionalEventField = 'children_ids' | 'config' | 'outputs' | 'feedback' | 'metrics' | 'user_properties';

/** Sets an optional field only when it holds something: a list or object with an entry (see {@link HoneyHiveEvent}). */
function setIfFilled<K extends OptionalEventField>(
  event: HoneyHiveEvent,
  key: K,
  value: HoneyHiveEvent[K] | undefined,
): void {
  if (value !== undefined && value !== null && (Array.isArray(value) ? value.length > 0 : hasOwnKeys(value))) {
    event[key] = value;
  }
}

/** Sets `error` when it is text: HoneyHive refuses a whole request for an error that is not. */
function setError(event: HoneyHiveEvent, error: unknown): void {
  if (typeof error === 'string') event.error = error;
}

/**
 * Sets `project` when there is one. Added after the object literal rather than
 * spread into its start: V8 builds a literal that begins with a conditional
 * spread many times slower.
 */
function withProject<T extends { project?: string }>(target: T, project: string | undefined): T {
  if (project !== undefined) target.project = project;
  return target;
}

interface SessionBuilder {
  group: SessionGroup;
  session: SessionEventBuilder;
  /** How good the session's name is so far: 3 named by an attribute, 2 a root span's name, 1 the service name. */
  nameRank: number;
}

function newSession(
  session: SpanSession,
  span: PreparedSpan,
  event: HoneyHiveEvent,
  options: TransformOptions,
): HoneyHiveSessionEvent {
  const metadata: JsonObject = { resource: attributesToJson(span.view.resourceAttributes) };
  if (session.original !== undefined) metadata.original_session_id = session.original;
  const started: HoneyHiveSessionEvent = {
    event_type: 'session',
    event_id: session.id,
    session_id: session.id,
    event_name: options.sessionName ?? '',
    source: event.source,
    start_time: event.start_time,
    inputs: {},
    metadata,
  };
  return withProject(started, event.project);
}

/** Folds one more span into its session's description: times, roots, fields, and the best name seen so far. */
function describeSession(
  builder: SessionBuilder,
  span: PreparedSpan,
  event: HoneyHiveEvent,
  options: TransformOptions,
): void {
  const session = builder.group.session;
  // Read first, so a span whose attributes throw leaves the session as it was.
  const named =
    options.sessionName === undefined && span.conventionKeys
      ? firstString(span.view.attributes, DECLARED_KEYS.sessionName.mayHave(span.attributes))?.[1]
      : undefined;
  builder.session.add(event, span.parentEventId === undefined, span.sessionFields);
  const rank = named !== undefined ? 3 : span.view.parentSpanId === undefined ? 2 : 1;
  const candidate =
    options.sessionName === undefined ? (named ?? (rank === 2 ? span.view.name : serviceName(span.view))) : undefined;
  if (rank > builder.nameRank && candidate) {
    session.event_name = candidate;
    builder.nameRank = rank;
  }
}

function serviceName(view: SpanView): string {
  const value = view.resourceAttributes['service.name'];
  return typeof value === 'string' && value !== '' ? value : 'unknown_service';
}
