/**
 * The machine-readable results `npm run bench` writes (to
 * `.bench-results/latest.json` unless `--out` says otherwise). Times are
 * CPU time of the process (in-process benchmarks) or wall time (throughput),
 * medians over repetitions; ratios are candidate / baseline, the median of
 * pairs measured back to back in the same run.
 */

export const RESULTS_SCHEMA_VERSION = 4;

/** Benchmark 1: transform + serialise against the OTLP JSON serializer, per span mix. */
export interface SerializeResult {
  mix: string;
  spans: number;
  /** CPU microseconds per span: ours (transform + JSON.stringify), the OTLP JSON serializer, and the floor (JSON.stringify of the finished events). */
  microsPerSpan: { ours: number; otlp: number; floor: number };
  spansPerSecond: { ours: number; otlp: number; floor: number };
  /** ours / otlp and ours / floor. */
  timeRatio: { vsOtlp: number; vsFloor: number };
  bytesPerSpan: { ours: number; otlp: number };
  /** ours / otlp. */
  bytesRatio: number;
  /** CPU milliseconds per whole mix, each repetition, for whoever wants to look at the spread. */
  repetitionsMillis: { ours: number[]; otlp: number[]; floor: number[] };
}

export interface GzipSide {
  bytesPerSpan: number;
  gzipBytesPerSpan: number;
  /** 1 - gzipped / plain. */
  saved: number;
  serialiseMicrosPerSpan: number;
  gzipMicrosPerSpan: number;
  /** Below this uplink speed (MB/s), sending the saved bytes takes longer than gzipping them: gzip pays. */
  breakEvenMegabytesPerSecond: number;
}

/** Whether gzip pays, per mix, on our bodies and on OTLP's. */
export interface GzipResult {
  mix: string;
  ours: GzipSide;
  otlp: GzipSide;
}

/** Benchmark 1b: bytes allocated per span, our transform + serialise against the OTLP JSON serializer. */
export interface AllocationResult {
  mix: string;
  spans: number;
  /** Estimated from V8's sampling heap profiler, collected objects included. */
  bytesPerSpan: { ours: number; otlp: number };
  /** ours / otlp. */
  ratio: number;
}

/** What reached the receiver over every repetition of one exporter's runs. */
export interface Delivery {
  /** Spans our exporter left out on purpose (trace selection), by its own stats. */
  spansSkipped: number;
  /** Spans the receiver stored, each once. */
  spansStored: number;
  /** Events in the request bodies, resends and duplicates included. */
  eventsReceived: number;
  /** Spans sent minus skipped minus stored: 0 when nothing was lost. */
  lost: number;
  /** Events received minus stored: 0 when each arrived exactly once. */
  duplicates: number;
  /** Sessions the receiver stored. */
  sessions: number;
  sessionStartsPer1000Spans: number;
  /** Requests that carried events (OTLP: all of its requests), per 1,000 spans sent. */
  eventRequestsPer1000Spans: number;
  /** Session starts per session stored (1 = one start per new session; 0 when sessions travel with their events). */
  sessionStartsPerSession: number;
}

export interface EndToEndSide {
  exporter: string;
  description: string;
  /** Spans per second from the first span handed to the processor to the last export's callback. */
  spansPerSecond: number;
  /** App-process CPU (user + system) per 1,000 spans, in milliseconds. */
  cpuMillisPer1000Spans: number;
  /** Spans whose export reported success / failure, summed over repetitions. */
  exported: number;
  failed: number;
  repetitionsCpuMillisPer1000: number[];
  /**
   * How long the app's event loop was held, in milliseconds, medians over repetitions of each run's 99th
   * percentile and worst delay of a 1 ms timer: what a request the app was serving at that moment waited.
   */
  loopDelayMillis: { p99: number; max: number };
  /** This side / the OTLP exporter, medians of paired repetitions: app CPU (total, and net of the no-op run), spans per second. */
  vsOtlp: { cpu: number; cpuNetOfNoop: number; spansPerSecond: number };
  /** Absent for the no-op exporter, which sends nothing. */
  delivery?: Delivery;
}

/** Benchmark 2: BatchSpanProcessor + exporter + HTTP to a receiver in a child process. */
export interface EndToEndResult {
  mix: string;
  spansPerRun: number;
  sides: EndToEndSide[];
}

/**
 * What one request costs the app: our HTTP transport (axios, as the exporter builds it) against a bare
 * `node:http` request on a keep-alive agent, the same small body to the same receiver, one at a time.
 */
export interface RequestCostResult {
  requestsPerRepetition: number;
  /** App CPU (user + system) per request, median over repetitions. */
  cpuMicrosPerRequest: { axios: number; nodeHttp: number };
  /** axios / node:http, median of paired repetitions. */
  ratio: number;
  repetitionsCpuMicros: { axios: number[]; nodeHttp: number[] };
}

export interface OutageRun {
  exporter: 'ours' | 'otlp';
  spansProduced: number;
  seconds: number;
  peakRssMegabytes: number;
  peakHeapUsedMegabytes: number;
  /** Heap used after the run, once garbage was collected. */
  finalHeapUsedMegabytes: number;
  cpuMillisPer1000Spans: number;
  /** Export callbacks: spans reported exported (should be none) and failed. */
  exported: number;
  failed: number;
  /** Spans the processor dropped (queue full), as produced minus handed to the exporter. */
  dropped: number;
}

/** Benchmark 3: the receiver is down while the app produces spans. */
export interface OutageResult {
  runs: OutageRun[];
  /** Peak RSS of the long outage over the short one (ten times fewer spans), ours and OTLP: about 1 when memory is bounded. */
  rssGrowth: { ours: number; otlp: number };
  /** ours / otlp, long outage. */
  ratio: { peakRss: number; cpuPerSpan: number };
}

export interface ScalePoint {
  /** Spans in the trace, or bytes per message. */
  size: number;
  spans: number;
  microsPerSpan: { ours: number; otlp: number };
  /** ours / otlp at this size. */
  timeRatio: number;
}

/** Benchmark 4: time per span as one trace grows, and as message content grows. */
export interface ScaleResult {
  traceSize: ScalePoint[];
  contentSize: ScalePoint[];
  /**
   * How much the cost per unit rises with size: for trace size, time per span from 1,000 spans up; for
   * content, time per content byte from 10 KB up; the largest ratio of a point's cost to a smaller point's.
   * 1 or less means flat or falling, linear or better in total.
   */
  growth: { traceSize: number; contentSize: number };
  /**
   * The same rise for the OTLP serializer on the same points: what memory and the collector do to any
   * linear serializer at these sizes on this machine, so ours can be read against it.
   */
  otlpGrowth: { traceSize: number; contentSize: number };
}

export interface TargetResult {
  id: string;
  description: string;
  value: number;
  unit: 'ratio' | 'count';
  /** null for a figure reported beside the targets without one of its own. */
  limit: number | null;
  pass: boolean | null;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  totalMemoryMegabytes: number;
  loadAverage: number[];
}

export interface BenchResults {
  schemaVersion: number;
  mode: 'full' | 'smoke';
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  serialize: SerializeResult[];
  allocation: AllocationResult[];
  gzip: GzipResult[];
  endToEnd: EndToEndResult[];
  requestCost: RequestCostResult;
  outage: OutageResult;
  scale: ScaleResult;
  targets: TargetResult[];
}

/** Every benchmark a complete result holds; the smoke test checks each is there. */
export const BENCHMARK_KEYS = [
  'serialize',
  'allocation',
  'gzip',
  'endToEnd',
  'requestCost',
  'outage',
  'scale',
  'targets',
] as const;
