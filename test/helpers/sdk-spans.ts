/**
 * Spans made by the real OpenTelemetry SDK (2.x, and 1.x for the older
 * field names), collected in memory for the transform and exporter tests.
 */
import { context, trace, type Attributes, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export const TEST_RESOURCE: Attributes = {
  'service.name': 'test-service',
  'telemetry.sdk.language': 'nodejs',
  'host.name': 'test-host',
};

export interface SpanRecorder {
  tracer: Tracer;
  /** A tracer of the same provider under another instrumentation scope (e.g. `@opentelemetry/instrumentation-http`). */
  tracerFor(scope: string, version?: string): Tracer;
  /** Finished spans in the order they ended, and forgets them. */
  take(): ReadableSpan[];
}

export function spanRecorder(
  extraProcessors: SpanProcessor[] = [],
  resource: Attributes = TEST_RESOURCE,
): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [...extraProcessors, new SimpleSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer('test-scope', '1.2.3'),
    tracerFor: (scope, version) => provider.getTracer(scope, version),
    take(): ReadableSpan[] {
      const spans = exporter.getFinishedSpans();
      exporter.reset();
      return spans;
    },
  };
}

/** Starts a span as a child of `parent` (or a root), without needing a global context manager. */
export function startChild(tracer: Tracer, name: string, parent?: Span, options: SpanOptions = {}): Span {
  const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
  return tracer.startSpan(name, options, parentContext);
}

/** A fixed clock for spans: seconds since the epoch plus a fraction. */
export function at(seconds: number, nanos = 0): [number, number] {
  return [seconds, nanos];
}
