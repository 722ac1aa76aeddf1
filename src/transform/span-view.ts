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
const NONE: readonly never[] = Object.freeze([]);
const NO_ATTRIBUTES: Attributes = Object.freeze({});

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
  const parentSpanId =
    (span as Partial<ReadableSpan>).parentSpanContext?.spanId ?? (span as Partial<LegacyReadableSpan>).parentSpanId;
  return new SdkSpanView(
    span,
    traceId,
    spanId,
    // A parent id that is not a string names no span: the span is taken as a root.
    typeof parentSpanId === 'string' && parentSpanId !== '' ? parentSpanId : undefined,
    statusOf(span),
  );
}

function statusOf(span: ExportableSpan): SpanStatus {
  const status = span.status;
  const code = typeof status?.code === 'number' ? status.code : 0;
  if (status?.message !== undefined && status.message !== null) return { code, message: textOf(status.message) };
  // Most spans: one shared object per code rather than one per span.
  return STATUS_WITHOUT_MESSAGE[code] ?? { code };
}

/**
 * The ids and status, read once (the ids decide whether the span is an event
 * at all), and every other field read from the span when asked: a view per
 * span costs a small object rather than a copy of each field. The span has ended, so what
 * it reads never changes.
 */
class SdkSpanView implements SpanView {
  constructor(
    private readonly span: ExportableSpan,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    readonly status: SpanStatus,
  ) {}

  get name(): string {
    const name = this.span.name;
    return typeof name === 'string' ? name : String(name);
  }
  get kind(): number {
    const kind = this.span.kind;
    return typeof kind === 'number' ? kind : 0;
  }
  get startTime(): HrTime {
    const startTime = this.span.startTime;
    return isHrTime(startTime) ? startTime : ZERO_TIME;
  }
  get endTime(): HrTime {
    const endTime = this.span.endTime;
    return isHrTime(endTime) ? endTime : this.startTime;
  }
  get duration(): HrTime {
    const duration = this.span.duration;
    return isHrTime(duration) ? duration : hrTimeDifference(this.endTime, this.startTime);
  }
  get attributes(): Attributes {
    return this.span.attributes ?? NO_ATTRIBUTES;
  }
  get events(): readonly TimedEvent[] {
    const events = this.span.events;
    return Array.isArray(events) ? events : NONE;
  }
  get links(): readonly Link[] {
    const links = this.span.links;
    return Array.isArray(links) ? links : NONE;
  }
  get resourceAttributes(): Attributes {
    return this.span.resource?.attributes ?? NO_ATTRIBUTES;
  }
  get scopeName(): string | undefined {
    return this.scope?.name;
  }
  get scopeVersion(): string | undefined {
    return this.scope?.version;
  }
  get droppedAttributesCount(): number {
    return this.span.droppedAttributesCount ?? 0;
  }
  get droppedEventsCount(): number {
    return this.span.droppedEventsCount ?? 0;
  }
  get droppedLinksCount(): number {
    return this.span.droppedLinksCount ?? 0;
  }

  private get scope(): { name: string; version?: string } | undefined {
    return (
      (this.span as Partial<ReadableSpan>).instrumentationScope ??
      (this.span as LegacyReadableSpan).instrumentationLibrary
    );
  }
}
