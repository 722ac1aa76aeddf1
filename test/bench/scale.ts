/**
 * Benchmark 4, scale with size: time per span as one trace grows (exported as
 * one batch: the worst case for anything that is not linear in the batch) and
 * as message content grows (one model call per convention, its messages of the
 * given size), each point against the OTLP JSON serializer on the same spans.
 * The runner runs it in a process of its own (children/scale-app.ts).
 */
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { forkChild, nextMessage } from './children/protocol';
import { measureInterleaved, median, pairedRatio } from './measure';
import { agentTraceSpans } from './mixes/agent';
import { prose, seededRandom, type ChatMessage } from './mixes/content';
import { CONVENTION_NAMES, CONVENTION_SPANS } from './mixes/llm-attributes';
import { benchRecorder, endAfter, startAt, SyntheticClock } from './mixes/recorder';
import type { ScalePoint, ScaleResult } from './results';
import type { BenchSettings } from './settings';
import { honeyHiveWire, otlpWire } from './wire';

/** Messages in the trace-size series are short: that series is about the number of spans, not their size. */
const TRACE_SERIES_MESSAGE_BYTES = 60;

/** One model-call span per convention, with a user message and an answer of `bytes` each. */
export function contentSpans(bytes: number): ReadableSpan[] {
  const { tracer, take } = benchRecorder();
  const clock = new SyntheticClock();
  const random = seededRandom(bytes);
  const system: ChatMessage = { role: 'system', content: 'You are a support assistant.' };
  const user: ChatMessage = { role: 'user', content: prose(random, bytes) };
  const output: ChatMessage = { role: 'assistant', content: prose(random, bytes) };
  for (const convention of CONVENTION_NAMES) {
    const spans = CONVENTION_SPANS[convention];
    const call = {
      model: 'gpt-4o-mini',
      input: [system, user],
      output,
      inputTokens: bytes / 4,
      outputTokens: bytes / 4,
    };
    endAfter(
      startAt(tracer, clock, spans.model.name, undefined, {
        kind: SpanKind.CLIENT,
        attributes: spans.model.attributes(call),
      }),
      clock,
      500,
    );
  }
  return take();
}

function scalePoint(size: number, spans: ReadableSpan[], settings: BenchSettings): ScalePoint {
  const batch = [spans];
  const timings = measureInterleaved(
    [
      { name: 'ours', run: () => honeyHiveWire(batch) },
      { name: 'otlp', run: () => otlpWire(batch) },
    ],
    {
      repetitions: settings.scaleRepetitions,
      minMillisPerRepetition: settings.minMillisPerRepetition,
      warmUpMillis: settings.warmUpMillis,
    },
  );
  return {
    size,
    spans: spans.length,
    microsPerSpan: {
      ours: (median(timings.ours!) * 1000) / spans.length,
      otlp: (median(timings.otlp!) * 1000) / spans.length,
    },
    timeRatio: pairedRatio(timings.ours!, timings.otlp!),
  };
}

/**
 * How much the cost per unit rises as size grows, among the points of at least
 * `from`: the largest ratio of a point's cost to the cheapest smaller point's.
 * 1 or less means flat or falling (linear or better in total); a per-unit cost
 * that only falls (fixed costs spread thinner) is no growth.
 */
function growth(points: readonly ScalePoint[], from: number, perUnit: (point: ScalePoint) => number): number {
  const considered = points.filter((point) => point.size >= from);
  if (points.length < 2) return 1;
  let cheapest = Number.POSITIVE_INFINITY;
  let worst = 0;
  for (const point of considered.length > 1 ? considered : points) {
    const cost = perUnit(point);
    if (Number.isFinite(cheapest)) worst = Math.max(worst, cost / cheapest);
    cheapest = Math.min(cheapest, cost);
  }
  return worst;
}

export function benchmarkScale(settings: BenchSettings): ScaleResult {
  const traceSize = settings.traceSizes.map((size) =>
    scalePoint(size, agentTraceSpans(size, TRACE_SERIES_MESSAGE_BYTES), settings),
  );
  const contentSize = settings.contentSizes.map((size) => scalePoint(size, contentSpans(size), settings));
  return {
    traceSize,
    contentSize,
    growth: {
      traceSize: growth(traceSize, 1000, (point) => point.microsPerSpan.ours),
      contentSize: growth(contentSize, 10_000, (point) => point.microsPerSpan.ours / point.size),
    },
    otlpGrowth: {
      traceSize: growth(traceSize, 1000, (point) => point.microsPerSpan.otlp),
      contentSize: growth(contentSize, 10_000, (point) => point.microsPerSpan.otlp / point.size),
    },
  };
}

/** {@link benchmarkScale} in a fresh process: see children/scale-app.ts for why. */
export async function benchmarkScaleApart(settings: BenchSettings): Promise<ScaleResult> {
  const child = forkChild('scale-app.ts', [settings.mode]);
  return (await nextMessage(child, 'result')).result as ScaleResult;
}
