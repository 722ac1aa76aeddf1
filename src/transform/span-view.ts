/**
 * One read-only view over the spans of OpenTelemetry SDK 2.x
 * (`parentSpanContext`, `instrumentationScope`) and 1.x (`parentSpanId`,
 * `instrumentationLibrary`), so the rest of the transform never cares which
 * SDK made a span.
 */
import type { Attributes, HrTime, Link, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '../otel-sdk';

/** What the transform accepts: an SDK 2.x span, or a span of SDK 1.x with its older field names. */
export type ExportableSpan = ReadableSpan | LegacyReadableSpan;

/** The fields by which an SDK 1.x span differs from a 2.x one. */
export interface LegacyReadableSpan extends Omit<
  ReadableSpan,
  'parentSpanContext' | 'instrumentationScope' | 'resource'
> {
  parentSpanId?: string;
  instrumentationLibrary?: { name: string; version?: string; schemaUrl?: string };
  instrumentationScope?: { name: string; version?: string; schemaUrl?: string };
  resource: { attributes: Attributes };
}

export interface SpanView {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  kind: number;
  startTime: HrTime;
  endTime: HrTime;
  /** The SDK's own duration when present, else end minus start. */
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: readonly TimedEvent[];
  links: readonly Link[];
  resourceAttributes: Attributes;
  scopeName: string | undefined;
  scopeVersion: string | undefined;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

const ZERO_TIME: HrTime = [0, 0];

/** The statuses of OpenTelemetry's three codes, without a message; read-only, shared by every view. */
const STATUS_WITHOUT_MESSAGE: readonly SpanStatus[] = [0, 1, 2].map((code) => Object.freeze({ code }));

function isHrTime(value: unknown): value is HrTime {
  return Array.isArray(value) && value.length === 2 && Number.isFinite(value[0]) && Number.isFinite(value[1]);
}

function hrTimeDifference(end: HrTime, start: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/** A value HoneyHive takes as text: strings as they are, anything else as JSON (or its String form). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') {
    try {
      const json = JSON.stringify(value);
      if (typeof json === 'string') return json;
    } catch {
      // fall through to String
    }
  }
  return String(value);
}

/**
 * Reads a span of either SDK. Throws only when the span has no usable trace
 * and span id, since without them it cannot become an event. Values of the
 * wrong type are coerced to what the wire format allows.
 */
export function viewSpan(span: ExportableSpan): SpanView {
  const context = span.spanContext();
  const traceId = context?.traceId;
  const spanId = context?.spanId;
  if (typeof traceId !== 'string' || typeof spanId !== 'string' || traceId === '' || spanId === '') {
    throw new TypeError('span has no trace id or span id');
  }
  const modern = span as Partial<ReadableSpan>;
  const legacy = span as Partial<LegacyReadableSpan>;
  const scope = modern.instrumentationScope ?? legacy.instrumentationLibrary;
  const startTime = isHrTime(span.startTime) ? span.startTime : ZERO_TIME;
  const endTime = isHrTime(span.endTime) ? span.endTime : startTime;
  const parentSpanId = modern.parentSpanContext?.spanId ?? legacy.parentSpanId;
  const status = span.status;
  const code = typeof status?.code === 'number' ? status.code : 0;
  let viewStatus: SpanStatus;
  if (status?.message !== undefined && status.message !== null) {
    viewStatus = { code, message: textOf(status.message) };
  } else {
    // Most spans: one shared object per code rather than one per span.
    viewStatus = STATUS_WITHOUT_MESSAGE[code] ?? { code };
  }
  return {
    name: typeof span.name === 'string' ? span.name : String(span.name),
    traceId,
    spanId,
    // A parent id that is not a string names no span: the span is taken as a root.
    parentSpanId: typeof parentSpanId === 'string' && parentSpanId !== '' ? parentSpanId : undefined,
    kind: typeof span.kind === 'number' ? span.kind : 0,
    startTime,
    endTime,
    duration: isHrTime(span.duration) ? span.duration : hrTimeDifference(endTime, startTime),
    status: viewStatus,
    attributes: span.attributes ?? {},
    events: Array.isArray(span.events) ? span.events : [],
    links: Array.isArray(span.links) ? span.links : [],
    resourceAttributes: span.resource?.attributes ?? {},
    scopeName: scope?.name,
    scopeVersion: scope?.version,
    droppedAttributesCount: span.droppedAttributesCount ?? 0,
    droppedEventsCount: span.droppedEventsCount ?? 0,
    droppedLinksCount: span.droppedLinksCount ?? 0,
  };
}
