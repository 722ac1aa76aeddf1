/**
 * What lets a user find an event's span elsewhere: its OpenTelemetry identity,
 * span events and links, dropped counts, and how it failed.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { hrTimeToMilliseconds, type TimedEvent } from '../otel-sdk';
import type { JsonObject, JsonValue } from '../honeyhive-types';
import { attributeToJson, getOwn, setOwn } from './json-values';
import type { SpanView } from './span-view';

const SPAN_KIND_NAMES: Readonly<Record<number, string>> = {
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};

const STATUS_NAMES: Readonly<Record<number, string>> = {
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

export function attributesToJson(attributes: Attributes | undefined): JsonObject {
  const result: JsonObject = {};
  if (!attributes) return result;
  for (let keyIndex = 0, keyList = Object.keys(attributes); keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const value = attributes[key];
    if (value !== undefined) setOwn(result, key, attributeToJson(value));
  }
  return result;
}

/** Identity fields written into every event's metadata. */
export function identityMetadata(span: SpanView): JsonObject {
  const metadata: JsonObject = {};
  addIdentityMetadata(metadata, span, true);
  return metadata;
}

/**
 * Writes the identity fields into `metadata` (span kind and status only when
 * not the default), each unless it already holds that key (a convention's own
 * value wins). `fresh`: nothing has written into `metadata`, so no key need be
 * looked for. The keys are constant, never `__proto__`: plain stores are safe.
 */
export function addIdentityMetadata(metadata: JsonObject, span: SpanView, fresh: boolean): void {
  if (fresh || absent(metadata, 'trace_id')) metadata.trace_id = span.traceId;
  if (fresh || absent(metadata, 'span_id')) metadata.span_id = span.spanId;
  // The defaults (INTERNAL, UNSET) are left out, as OTLP's JSON leaves them out: most spans have them.
  if (span.kind !== SpanKind.INTERNAL && (fresh || absent(metadata, 'span_kind'))) {
    metadata.span_kind = SPAN_KIND_NAMES[span.kind] ?? String(span.kind);
  }
  if (span.status.code !== SpanStatusCode.UNSET && (fresh || absent(metadata, 'status_code'))) {
    metadata.status_code = STATUS_NAMES[span.status.code] ?? String(span.status.code);
  }
  if (span.parentSpanId !== undefined && (fresh || absent(metadata, 'parent_span_id'))) {
    metadata.parent_span_id = span.parentSpanId;
  }
  if (span.status.message && (fresh || absent(metadata, 'status_message'))) {
    metadata.status_message = span.status.message;
  }
  if (span.scopeName !== undefined && (fresh || absent(metadata, 'scope_name'))) metadata.scope_name = span.scopeName;
  if (span.scopeVersion !== undefined && (fresh || absent(metadata, 'scope_version'))) {
    metadata.scope_version = span.scopeVersion;
  }
  const serviceName = span.resourceAttributes['service.name'];
  if (serviceName !== undefined && (fresh || absent(metadata, 'service_name'))) {
    metadata.service_name = attributeToJson(serviceName);
  }
  if (span.droppedAttributesCount > 0 && (fresh || absent(metadata, 'dropped_attributes_count'))) {
    metadata.dropped_attributes_count = span.droppedAttributesCount;
  }
  if (span.droppedEventsCount > 0 && (fresh || absent(metadata, 'dropped_events_count'))) {
    metadata.dropped_events_count = span.droppedEventsCount;
  }
  if (span.droppedLinksCount > 0 && (fresh || absent(metadata, 'dropped_links_count'))) {
    metadata.dropped_links_count = span.droppedLinksCount;
  }
}

function absent(metadata: JsonObject, key: string): boolean {
  return getOwn(metadata, key) === undefined;
}

export function spanEventToJson(event: TimedEvent): JsonObject {
  const json: JsonObject = { name: event.name, time: timeToMilliseconds(event.time) };
  if (event.attributes && Object.keys(event.attributes).length > 0)
    json.attributes = attributesToJson(event.attributes);
  return json;
}

export function linksToJson(span: SpanView): JsonValue[] {
  return span.links.map((link) => {
    const json: JsonObject = { trace_id: link.context.traceId, span_id: link.context.spanId };
    if (link.attributes && Object.keys(link.attributes).length > 0) json.attributes = attributesToJson(link.attributes);
    return json;
  });
}

function timeToMilliseconds(time: TimedEvent['time']): number {
  return Array.isArray(time) && Number.isFinite(time[0]) && Number.isFinite(time[1]) ? hrTimeToMilliseconds(time) : 0;
}

export interface SpanFailure {
  /** The event's `error`, or undefined when the span did not fail. */
  readonly error: string | undefined;
  /** The exception event the error was read from, to be kept in metadata rather than listed among events. */
  readonly exception: TimedEvent | undefined;
}

/** What most spans get: one object for all of them. */
const NOT_FAILED: SpanFailure = Object.freeze({ error: undefined, exception: undefined });

/**
 * How a span failed: the status message for status ERROR, or else the last
 * exception event's `type: message`, or else its `error.type` attribute.
 */
export function spanFailure(span: SpanView): SpanFailure {
  if (span.status.code !== SpanStatusCode.ERROR) return NOT_FAILED;
  let exception: TimedEvent | undefined;
  for (let i = span.events.length - 1; i >= 0 && !exception; i--) {
    if (span.events[i]!.name === 'exception') exception = span.events[i];
  }
  if (span.status.message) return { error: span.status.message, exception };
  if (exception) {
    const type = exception.attributes?.['exception.type'];
    const message = exception.attributes?.['exception.message'];
    const parts = [type, message].filter((part) => part !== undefined && part !== '').map(String);
    if (parts.length > 0) return { error: parts.join(': '), exception };
  }
  const errorType = span.attributes['error.type'];
  return { error: errorType !== undefined ? String(errorType) : 'Span status ERROR', exception };
}

/** The exception an error was read from, kept whole (with its stack trace) in metadata. */
export function exceptionMetadata(exception: TimedEvent): JsonObject {
  const attributes = exception.attributes ?? {};
  const json: JsonObject = {};
  for (const [from, to] of [
    ['exception.type', 'type'],
    ['exception.message', 'message'],
    ['exception.stacktrace', 'stacktrace'],
    ['exception.escaped', 'escaped'],
  ] as const) {
    if (attributes[from] !== undefined) json[to] = attributeToJson(attributes[from]);
  }
  return json;
}
