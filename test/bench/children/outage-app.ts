/**
 * An app in its own process (a fresh heap, so its peak memory is its own)
 * producing spans at a steady rate while its receiver is down (nothing listens
 * on the port: every connection is refused). Reports peak RSS and heap, live
 * heap after the outage, CPU, and what the exporter saw.
 *
 * Arguments: <ours|otlp> <spans> <spans per second> <receiver url> <full|smoke>
 */
import { buildMixes } from '../mixes';
import { SpanReplay } from '../mixes/restamp';
import { nowMillis } from '../measure';
import { createPipeline, yieldToEventLoop } from '../pipeline';
import type { OutageRun } from '../results';
import { FULL, SMOKE } from '../settings';
import { reportFailure, type FromChild } from './protocol';

const SAMPLE_EVERY_MILLIS = 20;
const MEGABYTE = 1024 * 1024;

/** A full collection, when the process runs with `--expose-gc` (the npm script passes it): for the live heap after the outage. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const [kind, spanArg, rateArg, url, mode] = process.argv.slice(2) as [
    OutageRun['exporter'],
    string,
    string,
    string,
    string,
  ];
  const spans = Number(spanArg);
  const rate = Number(rateArg);
  const settings = mode === 'smoke' ? SMOKE : FULL;
  const mixes = buildMixes(settings);
  // Plain and LLM spans interleaved, as an app with both would produce them.
  const replay = new SpanReplay(mixes.filter((mix) => mix.name !== 'agent').flatMap((mix) => mix.spans));
  const { processor, counter } = createPipeline(kind, url);

  collectGarbage();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, SAMPLE_EVERY_MILLIS);

  const cpuStart = process.cpuUsage();
  const start = nowMillis();
  let produced = 0;
  while (produced < spans) {
    const due = Math.min(spans, Math.floor(((nowMillis() - start) / 1000) * rate));
    for (; produced < due; produced++) processor.onEnd(replay.next());
    await yieldToEventLoop();
  }
  await new Promise((resolve) => setTimeout(resolve, settings.outageSettleMillis));
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (nowMillis() - start) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  collectGarbage();
  const result: OutageRun = {
    exporter: kind,
    spansProduced: produced,
    seconds,
    peakRssMegabytes: peakRss / MEGABYTE,
    peakHeapUsedMegabytes: peakHeap / MEGABYTE,
    finalHeapUsedMegabytes: process.memoryUsage().heapUsed / MEGABYTE,
    cpuMillisPer1000Spans: ((cpu.user + cpu.system) / 1000 / produced) * 1000,
    exported: counter.exported,
    failed: counter.failed,
    dropped: produced - counter.handed,
  };
  process.send?.({ type: 'result', result } satisfies FromChild, () => process.exit(0));
}

main().catch(reportFailure);
