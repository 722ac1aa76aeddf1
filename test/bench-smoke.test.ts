/**
 * The benchmarks are not tests, but they must not rot: run `npm run bench` in
 * its tiny `--smoke` mode and check it wrote a complete, well-formed result.
 * No figure is judged here (no timing assertion): only that each is there.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCHMARK_KEYS, RESULTS_SCHEMA_VERSION, type BenchResults } from './bench/results';
import { TARGET_RULES } from './bench/targets';

const RUNNER = path.join(__dirname, 'bench', 'run.ts');

function runSmoke(out: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '-r', 'tsx/cjs', RUNNER, '--smoke', '--out', out],
      { cwd: path.join(__dirname, '..') },
      (error, stdout, stderr) =>
        error ? reject(new Error(`bench --smoke failed: ${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

/** Every number in a value, with the path to it. */
function numbersIn(value: unknown, at = '$'): Array<[string, number]> {
  if (typeof value === 'number') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => numbersIn(item, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => numbersIn(item, `${at}.${key}`));
  return [];
}

describe('npm run bench -- --smoke', function () {
  this.timeout(180_000);
  let directory: string;
  let results: BenchResults;
  let stdout: string;

  before(async () => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const out = path.join(directory, 'results.json');
    ({ stdout } = await runSmoke(out));
    results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  it('writes a result with every benchmark present', () => {
    assert.equal(results.schemaVersion, RESULTS_SCHEMA_VERSION);
    assert.equal(results.mode, 'smoke');
    for (const key of BENCHMARK_KEYS) assert.ok(results[key] !== undefined, `missing ${key}`);
    const mixes = ['plain', 'llm', 'agent'];
    assert.deepEqual(
      results.serialize.map((entry) => entry.mix),
      mixes,
    );
    assert.deepEqual(
      results.gzip.map((entry) => entry.mix),
      mixes,
    );
    assert.deepEqual(
      results.allocation.map((entry) => entry.mix),
      mixes,
    );
    assert.deepEqual(
      results.endToEnd.map((entry) => entry.mix),
      mixes,
    );
    assert.deepEqual([...new Set(results.outage.runs.map((run) => run.exporter))].sort(), ['otlp', 'ours']);
    assert.ok(results.scale.traceSize.length > 0 && results.scale.contentSize.length > 0);
  });

  it('measures every figure: all numbers finite, every span of the end-to-end runs received', () => {
    const bad = numbersIn(results).filter(([, value]) => !Number.isFinite(value));
    assert.deepEqual(bad, []);
    for (const entry of results.endToEnd) {
      const sent = entry.spansPerRun * entry.sides[0]!.repetitionsCpuMillisPer1000.length;
      for (const side of entry.sides) {
        assert.equal(side.exported + side.failed, sent, `${entry.mix}, ${side.exporter}: every span's export finished`);
        if (side.delivery === undefined) continue;
        assert.equal(side.delivery.lost, 0, `${entry.mix}, ${side.exporter}: nothing lost`);
        assert.equal(side.delivery.duplicates, 0, `${entry.mix}, ${side.exporter}: nothing twice`);
      }
    }
  });

  it('judges every target and prints the tables', () => {
    assert.deepEqual(
      results.targets.map((target) => target.id),
      TARGET_RULES.map((rule) => rule.id),
    );
    for (const target of results.targets)
      assert.equal(typeof target.pass, target.limit === null ? 'object' : 'boolean', target.id);
    for (const heading of [
      'Transform + serialise',
      'Allocation per span',
      'gzip',
      'End to end',
      'Under outage',
      'Scale with size',
      'Targets',
    ]) {
      assert.ok(stdout.includes(heading), `the report has no "${heading}" section`);
    }
  });
});
