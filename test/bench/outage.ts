/**
 * Benchmark 3, under outage: the receiver is down (connections refused) while
 * an app produces spans at a steady rate, for a short outage and one ten times
 * as long, each app in a fresh child process. Memory bounded by configuration
 * means the long outage peaks about where the short one does.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { forkChild, nextMessage } from './children/protocol';
import type { OutageResult, OutageRun } from './results';
import type { BenchSettings } from './settings';

/** Spans per second the app produces during the outage. */
export const OUTAGE_SPANS_PER_SECOND = 100_000;

/** A loopback URL nothing listens on: a port the OS handed out, then closed. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function outageRun(
  exporter: 'ours' | 'otlp',
  spans: number,
  url: string,
  settings: BenchSettings,
): Promise<OutageRun> {
  const child = forkChild('outage-app.ts', [
    exporter,
    String(spans),
    String(OUTAGE_SPANS_PER_SECOND),
    url,
    settings.mode,
  ]);
  return (await nextMessage(child, 'result')).result as OutageRun;
}

export async function benchmarkOutage(settings: BenchSettings): Promise<OutageResult> {
  const url = await refusedUrl();
  const { short, long } = settings.outageSpans;
  const runs: OutageRun[] = [];
  // Alternate the exporters so a busy moment of the machine does not fall on one side only.
  for (const spans of [short, long]) {
    for (const exporter of ['ours', 'otlp'] as const) runs.push(await outageRun(exporter, spans, url, settings));
  }
  const find = (exporter: 'ours' | 'otlp', spans: number): OutageRun =>
    runs.find((run) => run.exporter === exporter && run.spansProduced === spans)!;
  const growth = (exporter: 'ours' | 'otlp'): number =>
    find(exporter, long).peakRssMegabytes / find(exporter, short).peakRssMegabytes;
  return {
    runs,
    rssGrowth: { ours: growth('ours'), otlp: growth('otlp') },
    ratio: {
      peakRss: find('ours', long).peakRssMegabytes / find('otlp', long).peakRssMegabytes,
      cpuPerSpan: find('ours', long).cpuMillisPer1000Spans / find('otlp', long).cpuMillisPer1000Spans,
    },
  };
}
