/**
 * Timing on a shared, noisy machine: every candidate is measured against its
 * baseline in the same run, in many short repetitions interleaved (the order
 * rotates each round, so drift and neighbours hit all candidates alike), and
 * the median reported. No garbage is collected by force between timings: the
 * collector's background threads would still be sweeping during the next one,
 * and an app allocating steadily never sees an empty heap either.
 * In-process work is timed in CPU time (user + system, every thread of the
 * process, so garbage collection counts): the wall clock would also count the
 * time other processes held the cores.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function nowMillis(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time this process has used so far (user + system), in milliseconds. */
export function cpuMillis(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface Candidate {
  name: string;
  /** One unit of work (e.g. serialising a whole mix). */
  run(): void;
}

export interface InterleavedOptions {
  repetitions: number;
  /** Each timed repetition runs the unit enough times to last at least this long. */
  minMillisPerRepetition: number;
  /** Each candidate first runs untimed for this long, so the JIT has settled before anything counts. */
  warmUpMillis: number;
}

/** CPU milliseconds per unit of work, one entry per repetition, by candidate name. */
export type Timings = Record<string, number[]>;

function warmUp(candidate: Candidate, millis: number): void {
  const end = nowMillis() + millis;
  do candidate.run();
  while (nowMillis() < end);
}

function iterationsFor(candidate: Candidate, minMillis: number): number {
  // Grow until one batch of runs lasts long enough.
  let iterations = 1;
  for (;;) {
    const start = nowMillis();
    for (let i = 0; i < iterations; i++) candidate.run();
    const elapsed = nowMillis() - start;
    if (elapsed >= minMillis || iterations >= 1 << 20) return iterations;
    iterations =
      elapsed <= 0 ? iterations * 10 : Math.max(iterations + 1, Math.ceil((iterations * minMillis * 1.2) / elapsed));
  }
}

/** Times synchronous candidates, interleaved: round r runs them starting from candidate r mod n. */
export function measureInterleaved(candidates: readonly Candidate[], options: InterleavedOptions): Timings {
  for (const candidate of candidates) warmUp(candidate, options.warmUpMillis);
  const iterations = candidates.map((candidate) => iterationsFor(candidate, options.minMillisPerRepetition));
  const timings: Timings = Object.fromEntries(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < options.repetitions; round++) {
    for (let k = 0; k < candidates.length; k++) {
      const index = (round + k) % candidates.length;
      const candidate = candidates[index]!;
      const start = cpuMillis();
      for (let i = 0; i < iterations[index]!; i++) candidate.run();
      timings[candidate.name]!.push((cpuMillis() - start) / iterations[index]!);
    }
  }
  return timings;
}

export interface AsyncCandidate<T> {
  name: string;
  run(): Promise<T>;
}

/** Runs asynchronous candidates interleaved, one whole run each per round; returns each run's result by candidate. */
export async function runInterleaved<T>(
  candidates: readonly AsyncCandidate<T>[],
  repetitions: number,
): Promise<Record<string, T[]>> {
  const results: Record<string, T[]> = Object.fromEntries(candidates.map((candidate) => [candidate.name, []]));
  for (let round = 0; round < repetitions; round++) {
    for (let k = 0; k < candidates.length; k++) {
      const candidate = candidates[(round + k) % candidates.length]!;
      results[candidate.name]!.push(await candidate.run());
    }
  }
  return results;
}

/**
 * The median over repetitions of candidate / baseline, each pair taken from
 * the same round, so a slow moment of the machine cancels out.
 */
export function pairedRatio(candidate: readonly number[], baseline: readonly number[]): number {
  const count = Math.min(candidate.length, baseline.length);
  const ratios: number[] = [];
  for (let i = 0; i < count; i++) ratios.push(candidate[i]! / baseline[i]!);
  return median(ratios);
}
