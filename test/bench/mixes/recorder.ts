/**
 * Spans for the mixes come from the real OpenTelemetry SDK (BasicTracerProvider
 * and an in-memory exporter, via test/helpers/sdk-spans.ts), with a resource
 * as NodeSDK's detectors fill it and a synthetic clock so durations look real.
 */
import type { Attributes, HrTime, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { spanRecorder, startChild, type SpanRecorder } from '../../helpers/sdk-spans';

/** What NodeSDK's default resource detectors typically report. */
export const BENCH_RESOURCE: Attributes = {
  'service.name': 'checkout-api',
  'service.version': '4.12.0',
  'deployment.environment.name': 'production',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.version': '2.12.1',
  'host.name': 'ip-10-0-12-34.eu-west-1.compute.internal',
  'host.arch': 'amd64',
  'os.type': 'linux',
  'process.pid': 4242,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '20.20.2',
  'process.executable.name': 'node',
  'process.command': '/app/dist/server.js',
};

export function benchRecorder(): SpanRecorder {
  return spanRecorder([], BENCH_RESOURCE);
}

/** A clock that only moves forward, in milliseconds, from 2026-01-01. */
export class SyntheticClock {
  private nanos = 1_767_225_600n * 1_000_000_000n;

  now(): HrTime {
    return [Number(this.nanos / 1_000_000_000n), Number(this.nanos % 1_000_000_000n)];
  }

  advance(millis: number): HrTime {
    this.nanos += BigInt(Math.round(millis * 1e6));
    return this.now();
  }
}

export interface SpanStart {
  kind?: SpanKind;
  attributes?: Attributes;
}

/** Starts a span at the clock's time (as a child of `parent`, or a root). */
export function startAt(
  tracer: Tracer,
  clock: SyntheticClock,
  name: string,
  parent: Span | undefined,
  start: SpanStart = {},
): Span {
  return startChild(tracer, name, parent, { ...start, startTime: clock.advance(0.2) });
}

/** Ends a span after `millis` more of the clock. */
export function endAfter(span: Span, clock: SyntheticClock, millis: number): void {
  span.end(clock.advance(millis));
}
