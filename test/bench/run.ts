/**
 * `npm run bench`: every benchmark of issues 5 and 14 in one offline run, each
 * figure against its baseline in the same run. Prints a table per benchmark
 * and the targets (PASS/MISS), and writes the figures as JSON. It measures the
 * built `dist/` (see subject.ts): the npm script builds first.
 *
 *   npm run bench                       full run, a few minutes on two cores
 *   npm run bench -- --smoke            seconds: proves the harness runs (CI); figures meaningless
 *   npm run bench -- --out <file.json>  where the JSON goes (default .bench-results/latest.json)
 *   npm run bench -- --only serialize,allocation [--mixes llm,agent]
 *                                       some benchmarks (and mixes) only, for working on one figure: prints
 *                                       their tables, judges no targets, writes JSON only to an --out named
 *
 * Run with `--expose-gc` (the npm script does): the outage benchmark reads the live heap after a full collection.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchmarkAllocation } from './allocation';
import { benchmarkEndToEnd } from './end-to-end';
import { buildMixes } from './mixes';
import { benchmarkOutage } from './outage';
import { benchmarkRequestCost } from './request-cost';
import { formatPartialReport, formatReport, type BenchmarkKey } from './report';
import { RESULTS_SCHEMA_VERSION, type BenchResults, type MachineInfo } from './results';
import { benchmarkScaleApart } from './scale';
import { benchmarkGzip, benchmarkSerialize } from './serialize';
import { FULL, SMOKE } from './settings';
import { staleBuild } from './subject';
import { judgeTargets } from './targets';

export const DEFAULT_RESULTS_FILE = path.resolve(__dirname, '..', '..', '.bench-results', 'latest.json');

/** What `--only` may name: each benchmark, as its results key. */
const BENCHMARKS = ['serialize', 'allocation', 'gzip', 'endToEnd', 'requestCost', 'outage', 'scale'] as const;
type Benchmark = (typeof BENCHMARKS)[number];
const MIX_NAMES = ['plain', 'llm', 'agent'] as const;

interface Arguments {
  smoke: boolean;
  /** Undefined when no --out was given. */
  out: string | undefined;
  /** Every benchmark unless --only named some. */
  only: ReadonlySet<Benchmark> | undefined;
  mixes: ReadonlySet<string> | undefined;
}

/** A comma-separated list, each item one of `allowed`. */
function listArgument<T extends string>(option: string, value: string | undefined, allowed: readonly T[]): Set<T> {
  const items = (value ?? '').split(',').filter((item) => item !== '');
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (items.length === 0 || unknown.length > 0)
    throw new Error(`${option} takes a comma-separated list of ${allowed.join(', ')}; got ${value ?? 'nothing'}`);
  return new Set(items as T[]);
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { smoke: false, out: undefined, only: undefined, mixes: undefined };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--smoke') parsed.smoke = true;
    else if (argument === '--out' && argv[i + 1] !== undefined) parsed.out = path.resolve(argv[++i]!);
    else if (argument === '--only') parsed.only = listArgument('--only', argv[++i], BENCHMARKS);
    else if (argument === '--mixes') parsed.mixes = listArgument('--mixes', argv[++i], MIX_NAMES);
    else
      throw new Error(
        `unknown argument ${argument}; expected --smoke, --out <file.json>, --only <benchmarks>, --mixes <mixes>`,
      );
  }
  // gzip's table reads serialise's figures.
  if (parsed.only?.has('gzip')) parsed.only = new Set([...parsed.only, 'serialize']);
  return parsed;
}

function machineInfo(): MachineInfo {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemoryMegabytes: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: os.loadavg(),
  };
}

const started = Date.now();

function progress(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const settings = args.smoke ? SMOKE : FULL;
  const startedAt = new Date();
  const stale = staleBuild();
  // A full run on stale code would publish figures of code that is not there; the smoke only proves the harness.
  if (stale !== undefined && !args.smoke) throw new Error(stale);
  if (stale !== undefined) progress(`warning: ${stale}`);
  const runs = (benchmark: Benchmark): boolean => args.only === undefined || args.only.has(benchmark);
  if (runs('outage') && typeof (globalThis as { gc?: unknown }).gc !== 'function')
    progress('run with --expose-gc for the live heap after an outage');

  progress(`building the span mixes (${settings.mode})`);
  const mixes = buildMixes(settings).filter((mix) => args.mixes === undefined || args.mixes.has(mix.name));
  const measured: Partial<Omit<BenchResults, 'targets'>> = {};
  if (runs('serialize')) {
    measured.serialize = mixes.map((mix) => {
      progress(`1. transform + serialise: ${mix.name} (${mix.spans.length} spans)`);
      return benchmarkSerialize(mix, settings);
    });
  }
  if (runs('allocation')) {
    progress('   allocation per span');
    measured.allocation = await benchmarkAllocation(mixes, settings);
  }
  if (runs('gzip')) {
    progress('   gzip');
    measured.gzip = mixes.map((mix, i) => benchmarkGzip(mix, measured.serialize![i]!, settings));
  }
  if (runs('endToEnd')) {
    progress('2. end to end (receivers in child processes)');
    measured.endToEnd = await benchmarkEndToEnd(mixes, settings);
  }
  if (runs('requestCost')) {
    progress('   what one request costs: axios (our transport) against node:http');
    measured.requestCost = await benchmarkRequestCost(settings);
  }
  if (runs('outage')) {
    progress(
      `3. under outage (${settings.outageSpans.short} and ${settings.outageSpans.long} spans, apps in child processes)`,
    );
    measured.outage = await benchmarkOutage(settings);
  }
  if (runs('scale')) {
    progress(
      `4. scale with size (traces of ${settings.traceSizes.join(', ')} spans; messages of ${settings.contentSizes.join(', ')} bytes; in a child process)`,
    );
    measured.scale = await benchmarkScaleApart(settings);
  }

  const run = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: machineInfo(),
  };
  if (args.only !== undefined || args.mixes !== undefined) {
    // Part of a run: its figures, and no targets (they are judged on a whole run).
    const partial = { ...run, ...measured };
    if (args.out !== undefined) writeResults(args.out, partial);
    process.stdout.write(formatPartialReport(partial, [...BENCHMARKS] as BenchmarkKey[]));
    return;
  }
  const complete = { ...run, ...(measured as Omit<BenchResults, keyof typeof run | 'targets'>) };
  const results: BenchResults = { ...complete, targets: judgeTargets(complete) };
  writeResults(args.out ?? DEFAULT_RESULTS_FILE, results);
  process.stdout.write(formatReport(results));
}

function writeResults(file: string, results: object): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  progress(`results written to ${path.relative(process.cwd(), file) || file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
