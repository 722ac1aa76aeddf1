/**
 * Copies of recorded spans under fresh trace ids, so a mix can be replayed
 * many times (end to end, outage) and every replay is new to the receiver:
 * new traces, new sessions, no duplicate events.
 */
import type { SpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The first 8 hex digits of the trace id carry the replay round; span ids stay (they are unique within a trace). */
function restampedTraceId(traceId: string, round: number): string {
  return round.toString(16).padStart(8, '0').slice(-8) + traceId.slice(8);
}

function restampedContext(context: SpanContext, round: number): SpanContext {
  return { ...context, traceId: restampedTraceId(context.traceId, round) };
}

/** A plain ReadableSpan equal to `span` but in the trace ids of replay `round` (which must be below 2^32). */
export function restampSpan(span: ReadableSpan, round: number): ReadableSpan {
  const context = restampedContext(span.spanContext(), round);
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => context,
    ...(span.parentSpanContext ? { parentSpanContext: restampedContext(span.parentSpanContext, round) } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/** An endless supply of fresh spans: the mix, replayed round after round. */
export class SpanReplay {
  private round = 1;
  private index = 0;

  constructor(private readonly mix: readonly ReadableSpan[]) {
    if (mix.length === 0) throw new RangeError('cannot replay an empty mix');
  }

  next(): ReadableSpan {
    const span = restampSpan(this.mix[this.index]!, this.round);
    this.index += 1;
    if (this.index === this.mix.length) {
      this.index = 0;
      this.round += 1;
    }
    return span;
  }
}
