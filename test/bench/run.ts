/**
 * `npm run bench`: every benchmark of issues 5 and 14 in one offline run, each
 * figure against its baseline in the same run. Prints a table per benchmark
 * and the targets (PASS/MISS), and writes the figures as JSON. It measures the
 * built `dist/` (see subject.ts): the npm script builds first.
 *
 *   npm run bench                       full run, a few minutes on two cores
 *   npm run bench -- --smoke            seconds: proves the harness runs (CI); figures meaningless
 *   npm run bench -- --out <file.json>  where the JSON goes (default .bench-results/latest.json)
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
import { formatReport } from './report';
import { RESULTS_SCHEMA_VERSION, type BenchResults, type MachineInfo } from './results';
import { benchmarkScale } from './scale';
import { benchmarkGzip, benchmarkSerialize } from './serialize';
import { FULL, SMOKE } from './settings';
import { staleBuild } from './subject';
import { judgeTargets } from './targets';

export const DEFAULT_RESULTS_FILE = path.resolve(__dirname, '..', '..', '.bench-results', 'latest.json');

interface Arguments {
  smoke: boolean;
  out: string;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { smoke: false, out: DEFAULT_RESULTS_FILE };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    if (argument === '--smoke') parsed.smoke = true;
    else if (argument === '--out' && argv[i + 1] !== undefined) parsed.out = path.resolve(argv[++i]!);
    else throw new Error(`unknown argument ${argument}; expected --smoke and/or --out <file.json>`);
  }
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
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
    progress('run with --expose-gc for the live heap after an outage');

  progress(`building the span mixes (${settings.mode})`);
  const mixes = buildMixes(settings);
  const serialize = mixes.map((mix) => {
    progress(`1. transform + serialise: ${mix.name} (${mix.spans.length} spans)`);
    return benchmarkSerialize(mix, settings);
  });
  progress('   allocation per span');
  const allocation = await benchmarkAllocation(mixes, settings);
  progress('   gzip');
  const gzip = mixes.map((mix, i) => benchmarkGzip(mix, serialize[i]!, settings));
  progress('2. end to end (receivers in child processes)');
  const endToEnd = await benchmarkEndToEnd(mixes, settings);
  progress('   what one request costs: axios (our transport) against node:http');
  const requestCost = await benchmarkRequestCost(settings);
  progress(
    `3. under outage (${settings.outageSpans.short} and ${settings.outageSpans.long} spans, apps in child processes)`,
  );
  const outage = await benchmarkOutage(settings);
  progress(
    `4. scale with size (traces of ${settings.traceSizes.join(', ')} spans; messages of ${settings.contentSizes.join(', ')} bytes)`,
  );
  const scale = benchmarkScale(settings);

  const measured = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    mode: settings.mode,
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: machineInfo(),
    serialize,
    allocation,
    gzip,
    endToEnd,
    requestCost,
    outage,
    scale,
  };
  const results: BenchResults = { ...measured, targets: judgeTargets(measured) };
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(formatReport(results));
  progress(`results written to ${path.relative(process.cwd(), args.out) || args.out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
