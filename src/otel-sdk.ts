/**
 * The little this package takes from the OpenTelemetry trace SDK, declared
 * here by shape instead of imported, so the package runs with SDK 1.x and 2.x
 * (`@opentelemetry/sdk-trace-base`, `@opentelemetry/core` 1 or 2) and 3.x
 * (`@opentelemetry/sdk-trace`, `@opentelemetry/core` 3) alike and installs
 * none of them: `@opentelemetry/api` (a peer) is its only OpenTelemetry
 * package. Each type is the subset of the SDK's own that this package reads,
 * so every SDK's spans, processors and exporters fit it.
 */
import {
  createContextKey,
  type Attributes,
  type Context,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
} from '@opentelemetry/api';

/** A span event: the SDK's `TimedEvent`. */
export interface TimedEvent {
  time: HrTime;
  name: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}

/** An ended span as SDK 2.x and 3.x hand it to exporters (`ReadableSpan`). */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: { readonly attributes: Attributes };
  readonly instrumentationScope: { name: string; version?: string; schemaUrl?: string };
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}

/** A span as a processor's `onStart` sees it: still open, attributes writable. */
export interface Span {
  readonly attributes: Attributes;
  setAttribute(key: string, value: string): unknown;
}

/** The SDK's `SpanProcessor`. */
export interface SpanProcessor {
  onStart(span: Span, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** `ExportResultCode` of `@opentelemetry/core` (the same numbers in every major). */
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];

/** What an export calls back with: the SDK's `ExportResult`. */
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/** The SDK's `SpanExporter`. */
export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/**
 * The key `@opentelemetry/core` marks a context with so instrumentations make
 * no spans in it. `createContextKey` is `Symbol.for(description)`, so this is
 * the very key every copy and major of core reads.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** `suppressTracing` of `@opentelemetry/core`: the context with tracing suppressed. */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}

/** `hrTimeToMilliseconds` of `@opentelemetry/core`. */
export function hrTimeToMilliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}
