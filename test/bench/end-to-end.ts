/**
 * Benchmark 2, end to end: spans handed to a BatchSpanProcessor as fast as the
 * pipeline takes them (never more outstanding than its 2,048-span queue, so
 * nothing is dropped), exported over HTTP to a receiver in a child process:
 * our exporter (defaults, and `apiVersion: 'v1'`) to the local HoneyHive dev
 * server, the OTLP HTTP exporter to a minimal OTLP sink, and a do-nothing
 * exporter for what producing spans costs anyway. Measured: spans per second,
 * this process's CPU per 1,000 spans, the requests each run made, and whether
 * every span arrived exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { median, nowMillis, pairedRatio, runInterleaved } from './measure';
import type { SpanMix } from './mixes';
import { SpanReplay } from './mixes/restamp';
import { forkChild, nextMessage, send, type ReceivedCount, type ReceiverKind } from './children/protocol';
import {
  BATCH_PROCESSOR_CONFIG,
  createPipeline,
  EXPORTER_DESCRIPTIONS,
  yieldToEventLoop,
  type ExporterKind,
} from './pipeline';
import type { Delivery, EndToEndResult, EndToEndSide } from './results';
import type { BenchSettings } from './settings';
import { HoneyHiveSpanExporter } from './subject';

export interface RunnningReceiver {
  child: ChildProcess;
  url: string;
}

export async function startReceiver(kind: ReceiverKind): Promise<RunnningReceiver> {
  const child = forkChild('receiver.ts', [kind]);
  const { url } = await nextMessage(child, 'ready');
  return { child, url };
}

/** What the receiver took in since it was last asked. */
async function takeReceived(receiver: RunnningReceiver): Promise<ReceivedCount> {
  const reply = nextMessage(receiver.child, 'count');
  send(receiver.child, { type: 'count' });
  return (await reply).received;
}

export async function stopReceiver(receiver: RunnningReceiver): Promise<void> {
  const exited = new Promise<void>((resolve) => receiver.child.once('exit', () => resolve()));
  send(receiver.child, { type: 'stop' });
  await exited;
}

interface RunOutcome {
  seconds: number;
  cpuMillis: number;
  exported: number;
  failed: number;
  received: ReceivedCount;
  /** Spans our exporter skipped on purpose (trace selection); 0 for the others. */
  skipped: number;
  /** How late the event loop ran a 1 ms timer during the run, in milliseconds: its 99th percentile and its worst. */
  loopDelay: { p99: number; max: number };
}

/** Sends `count` spans through a fresh processor and exporter; times from the first span to the last export's callback. */
async function runOnce(
  kind: ExporterKind,
  receiver: RunnningReceiver | undefined,
  replay: SpanReplay,
  count: number,
): Promise<RunOutcome> {
  const { processor, counter } = createPipeline(kind, receiver?.url ?? 'http://127.0.0.1:9');
  const maxOutstanding = BATCH_PROCESSOR_CONFIG.maxQueueSize - BATCH_PROCESSOR_CONFIG.maxExportBatchSize;
  const spans = Array.from({ length: count }, () => replay.next());
  // The producer yields after every 512 spans, so the loop's longest waits are what the exporter held it for.
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const cpuStart = process.cpuUsage();
  const start = nowMillis();
  let produced = 0;
  while (produced < count) {
    const chunkEnd = Math.min(count, produced + BATCH_PROCESSOR_CONFIG.maxExportBatchSize);
    for (; produced < chunkEnd; produced++) processor.onEnd(spans[produced]!);
    while (produced < count && produced - counter.finished > maxOutstanding) await counter.progress();
    await yieldToEventLoop();
  }
  while (counter.finished < count) await counter.progress();
  const seconds = (nowMillis() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  loopDelay.disable();
  await processor.shutdown();
  const received = receiver
    ? await takeReceived(receiver)
    : { spans: 0, events: 0, sessionStarts: 0, eventRequests: 0, sessions: 0 };
  const skipped = counter.inner instanceof HoneyHiveSpanExporter ? counter.inner.getStats().spansSkipped : 0;
  return {
    seconds,
    cpuMillis: (cpu.user + cpu.system) / 1000,
    exported: counter.exported,
    failed: counter.failed,
    received,
    skipped,
    loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
}

function delivery(outcomes: readonly RunOutcome[], count: number): Delivery {
  const sum = (pick: (outcome: RunOutcome) => number): number =>
    outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  const sent = count * outcomes.length;
  const skipped = sum((outcome) => outcome.skipped);
  const stored = sum((outcome) => outcome.received.spans);
  const sessions = sum((outcome) => outcome.received.sessions);
  const sessionStarts = sum((outcome) => outcome.received.sessionStarts);
  return {
    spansSkipped: skipped,
    spansStored: stored,
    eventsReceived: sum((outcome) => outcome.received.events),
    lost: sent - skipped - stored,
    duplicates: sum((outcome) => outcome.received.events) - stored,
    sessions,
    sessionStartsPer1000Spans: (sessionStarts * 1000) / sent,
    eventRequestsPer1000Spans: (sum((outcome) => outcome.received.eventRequests) * 1000) / sent,
    sessionStartsPerSession: sessions === 0 ? 0 : sessionStarts / sessions,
  };
}

function side(
  kind: ExporterKind,
  outcomes: Readonly<Record<string, RunOutcome[]>>,
  count: number,
  delivers: boolean,
): EndToEndSide {
  const own = outcomes[kind]!;
  const cpu = (name: string): number[] => outcomes[name]!.map((outcome) => outcome.cpuMillis);
  const net = (name: string): number[] => cpu(name).map((millis, i) => millis - cpu('noop')[i]!);
  const rate = (name: string): number[] => outcomes[name]!.map((outcome) => count / outcome.seconds);
  const cpuPer1000 = own.map((outcome) => (outcome.cpuMillis * 1000) / count);
  return {
    exporter: kind,
    description: EXPORTER_DESCRIPTIONS[kind],
    spansPerSecond: median(own.map((outcome) => count / outcome.seconds)),
    cpuMillisPer1000Spans: median(cpuPer1000),
    exported: own.reduce((sum, outcome) => sum + outcome.exported, 0),
    failed: own.reduce((sum, outcome) => sum + outcome.failed, 0),
    repetitionsCpuMillisPer1000: cpuPer1000,
    loopDelayMillis: {
      p99: median(own.map((outcome) => outcome.loopDelay.p99)),
      max: median(own.map((outcome) => outcome.loopDelay.max)),
    },
    vsOtlp: {
      cpu: pairedRatio(cpu(kind), cpu('otlp')),
      cpuNetOfNoop: pairedRatio(net(kind), net('otlp')),
      spansPerSecond: pairedRatio(rate(kind), rate('otlp')),
    },
    ...(delivers ? { delivery: delivery(own, count) } : {}),
  };
}

/** The exporters each mix runs, in their table order; selection off only matters where traces are skipped. */
export function endToEndKinds(mix: SpanMix['name']): ExporterKind[] {
  return mix === 'plain' ? ['ours', 'oursAllTraces', 'oursV1', 'otlp', 'noop'] : ['ours', 'oursV1', 'otlp', 'noop'];
}

export async function benchmarkEndToEnd(mixes: readonly SpanMix[], settings: BenchSettings): Promise<EndToEndResult[]> {
  const honeyHive = await startReceiver('honeyhive');
  const otlp = await startReceiver('otlp');
  const receiverOf = (kind: ExporterKind): RunnningReceiver | undefined =>
    kind === 'otlp' ? otlp : kind === 'noop' ? undefined : honeyHive;
  try {
    const results: EndToEndResult[] = [];
    for (const mix of mixes) {
      const count = settings.endToEndSpans[mix.name];
      const replay = new SpanReplay(mix.spans);
      const kinds = endToEndKinds(mix.name);
      // Unmeasured runs first, so the JIT, sockets and receivers have settled: a long-running app is measured.
      for (let run = 0; run < settings.endToEndWarmUpRuns; run++)
        for (const kind of kinds) await runOnce(kind, receiverOf(kind), replay, count);
      const outcomes = await runInterleaved(
        kinds.map((kind) => ({ name: kind, run: () => runOnce(kind, receiverOf(kind), replay, count) })),
        settings.endToEndRepetitions,
      );
      results.push({
        mix: mix.name,
        spansPerRun: count,
        sides: kinds.map((kind) => side(kind, outcomes, count, kind !== 'noop')),
      });
    }
    return results;
  } finally {
    await Promise.all([stopReceiver(honeyHive), stopReceiver(otlp)]);
  }
}
