/**
 * Benchmark 2, end to end: spans handed to a BatchSpanProcessor as fast as the
 * pipeline takes them (never more outstanding than its 2,048-span queue, so
 * nothing is dropped), exported over HTTP to a receiver in a child process:
 * our exporter to the local HoneyHive dev server, the OTLP HTTP exporter to a
 * minimal OTLP sink, and a do-nothing exporter for what producing spans costs
 * anyway. Measured: spans per second, and this process's CPU per 1,000 spans.
 */
import type { ChildProcess } from 'node:child_process';
import { median, nowMillis, pairedRatio, runInterleaved } from './measure';
import type { SpanMix } from './mixes';
import { SpanReplay } from './mixes/restamp';
import { forkChild, nextMessage, send, type ReceiverKind } from './children/protocol';
import { BATCH_PROCESSOR_CONFIG, createPipeline, yieldToEventLoop, type ExporterKind } from './pipeline';
import type { EndToEndResult, EndToEndSide } from './results';
import type { BenchSettings } from './settings';

export interface RunnningReceiver {
  child: ChildProcess;
  url: string;
}

export async function startReceiver(kind: ReceiverKind): Promise<RunnningReceiver> {
  const child = forkChild('receiver.ts', [kind]);
  const { url } = await nextMessage(child, 'ready');
  return { child, url };
}

async function receivedSpans(receiver: RunnningReceiver): Promise<number> {
  const reply = nextMessage(receiver.child, 'count');
  send(receiver.child, { type: 'count' });
  return (await reply).spans;
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
}

/** Sends `count` spans through a fresh processor and exporter; times from the first span to the last export's callback. */
async function runOnce(kind: ExporterKind, url: string, replay: SpanReplay, count: number): Promise<RunOutcome> {
  const { processor, counter } = createPipeline(kind, url);
  const maxOutstanding = BATCH_PROCESSOR_CONFIG.maxQueueSize - BATCH_PROCESSOR_CONFIG.maxExportBatchSize;
  const spans = Array.from({ length: count }, () => replay.next());
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
  await processor.shutdown();
  return { seconds, cpuMillis: (cpu.user + cpu.system) / 1000, exported: counter.exported, failed: counter.failed };
}

function side(outcomes: readonly RunOutcome[], count: number): EndToEndSide {
  const cpuPer1000 = outcomes.map((outcome) => (outcome.cpuMillis * 1000) / count);
  return {
    spansPerSecond: median(outcomes.map((outcome) => count / outcome.seconds)),
    cpuMillisPer1000Spans: median(cpuPer1000),
    exported: outcomes.reduce((sum, outcome) => sum + outcome.exported, 0),
    failed: outcomes.reduce((sum, outcome) => sum + outcome.failed, 0),
    repetitionsCpuMillisPer1000: cpuPer1000,
  };
}

export async function benchmarkEndToEnd(mixes: readonly SpanMix[], settings: BenchSettings): Promise<EndToEndResult[]> {
  const honeyHive = await startReceiver('honeyhive');
  const otlp = await startReceiver('otlp');
  try {
    const results: EndToEndResult[] = [];
    for (const mix of mixes) {
      const count = settings.endToEndSpans[mix.name];
      const replay = new SpanReplay(mix.spans);
      const urls: Record<ExporterKind, string> = {
        ours: honeyHive.url,
        oursOneSession: honeyHive.url,
        otlp: otlp.url,
        noop: honeyHive.url,
      };
      const kinds: ExporterKind[] = ['ours', 'oursOneSession', 'otlp', 'noop'];
      // One unmeasured run each first: JIT, sockets and the receivers warm up.
      if (settings.endToEndWarmUp)
        for (const kind of kinds) await runOnce(kind, urls[kind], replay, Math.min(count, 2048));
      const before = { ours: await receivedSpans(honeyHive), otlp: await receivedSpans(otlp) };
      const outcomes = await runInterleaved(
        kinds.map((kind) => ({ name: kind, run: () => runOnce(kind, urls[kind], replay, count) })),
        settings.endToEndRepetitions,
      );
      const received = {
        ours: (await receivedSpans(honeyHive)) - before.ours,
        otlp: (await receivedSpans(otlp)) - before.otlp,
      };
      const cpu = (kind: ExporterKind): number[] => outcomes[kind]!.map((outcome) => outcome.cpuMillis);
      const net = (kind: ExporterKind): number[] => cpu(kind).map((millis, i) => millis - cpu('noop')[i]!);
      const rate = (kind: ExporterKind): number[] => outcomes[kind]!.map((outcome) => count / outcome.seconds);
      results.push({
        mix: mix.name,
        spansPerRun: count,
        ours: side(outcomes.ours!, count),
        oursOneSession: side(outcomes.oursOneSession!, count),
        otlp: side(outcomes.otlp!, count),
        noop: side(outcomes.noop!, count),
        received,
        ratio: {
          cpu: pairedRatio(cpu('ours'), cpu('otlp')),
          cpuOneSession: pairedRatio(cpu('oursOneSession'), cpu('otlp')),
          cpuNetOfNoop: pairedRatio(net('ours'), net('otlp')),
          spansPerSecond: pairedRatio(rate('ours'), rate('otlp')),
        },
      });
    }
    return results;
  } finally {
    await Promise.all([stopReceiver(honeyHive), stopReceiver(otlp)]);
  }
}
