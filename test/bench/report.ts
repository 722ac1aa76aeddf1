/** The human-readable report of a run: one table per benchmark, then the targets, PASS or MISS. */
import type { BenchResults } from './results';

type Cell = string | number;

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const ratio = (value: number): string => `${formatNumber(value)}x`;
const percent = (value: number): string => `${(value * 100).toFixed(0)}%`;

/** A Markdown table (so the README can take it as printed), columns padded for the terminal. */
export function table(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = headers.map((header, i) => Math.max(header.length, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, i) => (i === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}

/** The report's first lines: the run and the machine. */
function header(results: Pick<BenchResults, 'mode' | 'startedAt' | 'seconds' | 'machine'>): string {
  const { machine } = results;
  return (
    `honeyhive-otel-exporter bench (${results.mode}), ${results.startedAt}, ${results.seconds.toFixed(0)} s\n` +
    `machine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}, load ${machine.loadAverage.map((load) => load.toFixed(2)).join(' ')}`
  );
}

/** Each benchmark's section of the report, by the results key it reads. */
const SECTIONS: {
  readonly [K in Exclude<keyof BenchResults, 'schemaVersion' | 'mode' | 'startedAt' | 'seconds' | 'machine'>]: (
    results: Pick<BenchResults, K>,
  ) => string;
} = {
  serialize: (results) =>
    '### 1. Transform + serialise (CPU µs per span, median; ratios are ours / baseline, median of paired repetitions)\n\n' +
    table(
      [
        'mix',
        'spans',
        'ours µs',
        'OTLP µs',
        'floor µs',
        'ours/OTLP',
        'ours/floor',
        'ours B/span',
        'OTLP B/span',
        'bytes ours/OTLP',
      ],
      results.serialize.map((entry) => [
        entry.mix,
        entry.spans,
        entry.microsPerSpan.ours,
        entry.microsPerSpan.otlp,
        entry.microsPerSpan.floor,
        ratio(entry.timeRatio.vsOtlp),
        ratio(entry.timeRatio.vsFloor),
        entry.bytesPerSpan.ours,
        entry.bytesPerSpan.otlp,
        ratio(entry.bytesRatio),
      ]),
    ),
  allocation: (results) =>
    '### Allocation per span: transform + serialise vs the OTLP JSON serializer (V8 sampling heap profiler, collected objects included)\n\n' +
    table(
      ['mix', 'spans', 'ours B/span', 'OTLP B/span', 'ours/OTLP'],
      results.allocation.map((entry) => [
        entry.mix,
        entry.spans,
        entry.bytesPerSpan.ours,
        entry.bytesPerSpan.otlp,
        ratio(entry.ratio),
      ]),
    ),
  gzip: (results) =>
    '### gzip (level 6): bytes saved vs CPU spent; it pays on an uplink slower than the break-even speed\n\n' +
    table(
      ['mix', 'side', 'B/span', 'gzip B/span', 'saved', 'serialise µs', 'gzip µs', 'break-even MB/s'],
      results.gzip.flatMap((entry) =>
        (['ours', 'otlp'] as const).map((side) => [
          entry.mix,
          side === 'ours' ? 'ours' : 'OTLP',
          entry[side].bytesPerSpan,
          entry[side].gzipBytesPerSpan,
          percent(entry[side].saved),
          entry[side].serialiseMicrosPerSpan,
          entry[side].gzipMicrosPerSpan,
          entry[side].breakEvenMegabytesPerSecond,
        ]),
      ),
    ),
  endToEnd: (results) =>
    '### 2. End to end: BatchSpanProcessor → exporter → receiver in a child process (app CPU ms per 1,000 spans, median; ratios vs OTLP, median of paired repetitions)\n\n' +
    table(
      [
        'mix',
        'exporter',
        'spans/run',
        'spans/s',
        'CPU',
        'CPU vs OTLP',
        'net of no-op',
        'loop delay p99 / max ms',
        'event req/1k spans',
        'starts/1k spans',
        'sessions',
        'skipped',
        'lost',
        'dup',
        'failed',
      ],
      results.endToEnd.flatMap((entry) =>
        entry.sides.map((side) => [
          entry.mix,
          side.description,
          entry.spansPerRun,
          side.spansPerSecond,
          side.cpuMillisPer1000Spans,
          side.exporter === 'otlp' ? '' : ratio(side.vsOtlp.cpu),
          side.exporter === 'otlp' || side.exporter === 'noop' ? '' : ratio(side.vsOtlp.cpuNetOfNoop),
          `${formatNumber(side.loopDelayMillis.p99)} / ${formatNumber(side.loopDelayMillis.max)}`,
          side.delivery?.eventRequestsPer1000Spans ?? '',
          side.delivery?.sessionStartsPer1000Spans ?? '',
          side.delivery?.sessions ?? '',
          side.delivery?.spansSkipped ?? '',
          side.delivery?.lost ?? '',
          side.delivery?.duplicates ?? '',
          side.failed,
        ]),
      ),
    ),
  requestCost: (results) =>
    `One request's app CPU, one at a time, small body: our transport (axios) ` +
    `${formatNumber(results.requestCost.cpuMicrosPerRequest.axios)} µs, bare node:http ` +
    `${formatNumber(results.requestCost.cpuMicrosPerRequest.nodeHttp)} µs (${ratio(results.requestCost.ratio)}).`,
  outage: (results) =>
    '### 3. Under outage: receiver down (connection refused), spans produced at a steady rate\n\n' +
    table(
      [
        'exporter',
        'spans',
        'seconds',
        'peak RSS MB',
        'peak heap MB',
        'heap after MB',
        'CPU ms/1k spans',
        'handed to exporter',
        'dropped by BSP',
      ],
      results.outage.runs.map((run) => [
        run.exporter === 'ours' ? 'ours' : 'OTLP',
        run.spansProduced,
        run.seconds,
        run.peakRssMegabytes,
        run.peakHeapUsedMegabytes,
        run.finalHeapUsedMegabytes,
        run.cpuMillisPer1000Spans,
        run.spansProduced - run.dropped,
        run.dropped,
      ]),
    ) +
    `\n\npeak RSS, long outage / short: ours ${ratio(results.outage.rssGrowth.ours)}, OTLP ${ratio(results.outage.rssGrowth.otlp)}; ` +
    `long outage, ours / OTLP: peak RSS ${ratio(results.outage.ratio.peakRss)}, CPU per span ${ratio(results.outage.ratio.cpuPerSpan)}`,
  scale: (results) =>
    '### 4. Scale with size (CPU µs per span, median)\n\n' +
    table(
      ['spans in the trace', 'ours µs', 'OTLP µs', 'ours/OTLP'],
      results.scale.traceSize.map((point) => [
        point.size,
        point.microsPerSpan.ours,
        point.microsPerSpan.otlp,
        ratio(point.timeRatio),
      ]),
    ) +
    '\n\n' +
    table(
      ['bytes per message', 'ours µs', 'OTLP µs', 'ours/OTLP', 'ours ns/byte'],
      results.scale.contentSize.map((point) => [
        point.size,
        point.microsPerSpan.ours,
        point.microsPerSpan.otlp,
        ratio(point.timeRatio),
        (point.microsPerSpan.ours * 1000) / point.size,
      ]),
    ) +
    `\n\nrise in cost per unit with size (1 = flat, linear in total): per span with trace size ${ratio(results.scale.growth.traceSize)} (OTLP serializer ${ratio(results.scale.otlpGrowth.traceSize)}), per byte with content size ${ratio(results.scale.growth.contentSize)} (OTLP serializer ${ratio(results.scale.otlpGrowth.contentSize)})`,
  targets: (results) =>
    '### Targets\n\n' +
    table(
      ['target', 'measured', 'limit', ''],
      results.targets.map((target) => {
        const shown = (value: number): string => (target.unit === 'ratio' ? ratio(value) : formatNumber(value));
        return [
          target.id,
          shown(target.value),
          target.limit === null ? 'reported' : `≤ ${shown(target.limit)}`,
          target.pass === null ? '' : target.pass ? 'PASS' : 'MISS',
        ];
      }),
    ),
};

export type BenchmarkKey = keyof typeof SECTIONS;

export function formatReport(results: BenchResults): string {
  return formatPartialReport(results, Object.keys(SECTIONS) as BenchmarkKey[]);
}

/** The report of a run of some benchmarks only (`--only`): the header and the sections of those measured. */
export function formatPartialReport(
  results: Pick<BenchResults, 'mode' | 'startedAt' | 'seconds' | 'machine'> & Partial<BenchResults>,
  keys: readonly BenchmarkKey[],
): string {
  const sections = [header(results)];
  for (const key of keys) {
    if (results[key] !== undefined)
      sections.push((SECTIONS[key] as (results: Partial<BenchResults>) => string)(results));
  }
  return `${sections.join('\n\n')}\n`;
}
