/**
 * Sizes of every benchmark, for the full run (`npm run bench`, a few minutes
 * on two cores) and the CI smoke (`--smoke`, seconds: it proves the harness
 * still runs, and its figures mean nothing).
 */
export interface BenchSettings {
  mode: 'full' | 'smoke';
  /** Requests of the plain mix (about seven spans each). */
  plainTraces: number;
  llmConversations: number;
  llmTurns: number;
  agentTraceSpans: number;
  /** Timed repetitions of each in-process measurement. */
  repetitions: number;
  minMillisPerRepetition: number;
  /**
   * Untimed running of each candidate before its timings, long enough for the JIT to settle: our transform
   * reaches its steady cost on the LLM mix after about 1.3 s, and after 250 ms still cost 1.8x that.
   */
  warmUpMillis: number;
  /** Allocation: alternating rounds per side, and runs of the whole mix sampled per round. */
  allocationRounds: number;
  allocationRuns: number;
  /** Spans each end-to-end run sends, by mix. */
  endToEndSpans: { plain: number; llm: number; agent: number };
  endToEndRepetitions: number;
  /** Requests each request-cost repetition sends, one at a time, per client; and its repetitions. */
  requestCost: { requests: number; repetitions: number };
  /** Spans produced while the receiver is down: a short outage, and one ten times as long. */
  outageSpans: { short: number; long: number };
  /** How long the exporter keeps going (retrying, failing) after the last span, before the outage figures are read. */
  outageSettleMillis: number;
  /**
   * Unmeasured whole end-to-end runs of each exporter first, so the JIT, sockets and receivers are warm: our
   * code takes several runs of the LLM mix to reach its steady cost (one run of 2,048 spans left the first
   * measured runs up to 1.7x slower than the last).
   */
  endToEndWarmUpRuns: number;
  traceSizes: number[];
  contentSizes: number[];
  scaleRepetitions: number;
}

export const FULL: BenchSettings = {
  mode: 'full',
  plainTraces: 200,
  llmConversations: 40,
  llmTurns: 3,
  agentTraceSpans: 1000,
  repetitions: 21,
  minMillisPerRepetition: 20,
  warmUpMillis: 2000,
  allocationRounds: 3,
  allocationRuns: 5,
  endToEndSpans: { plain: 10_240, llm: 3_072, agent: 4_000 },
  endToEndRepetitions: 5,
  requestCost: { requests: 2_000, repetitions: 5 },
  outageSpans: { short: 100_000, long: 1_000_000 },
  outageSettleMillis: 1000,
  endToEndWarmUpRuns: 3,
  traceSizes: [10, 100, 1_000, 10_000, 100_000],
  contentSizes: [100, 1_000, 10_000, 100_000, 1_000_000],
  scaleRepetitions: 3,
};

export const SMOKE: BenchSettings = {
  mode: 'smoke',
  plainTraces: 5,
  llmConversations: 5,
  llmTurns: 2,
  agentTraceSpans: 60,
  repetitions: 2,
  minMillisPerRepetition: 1,
  warmUpMillis: 0,
  allocationRounds: 1,
  allocationRuns: 1,
  endToEndSpans: { plain: 300, llm: 100, agent: 120 },
  endToEndRepetitions: 1,
  requestCost: { requests: 20, repetitions: 1 },
  outageSpans: { short: 1_000, long: 5_000 },
  outageSettleMillis: 100,
  endToEndWarmUpRuns: 0,
  traceSizes: [10, 100],
  contentSizes: [100, 10_000],
  scaleRepetitions: 2,
};
