import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REGISTER_PEERS } from '../src/register/start';
import { openTelemetryPackages, packInto, type NpmTree } from './helpers/npm';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version';

const run = promisify(execFile);

describe('the package', () => {
  const root = path.resolve(__dirname, '..');
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

  it('names itself in the User-Agent exactly as package.json does', () => {
    assert.equal(PACKAGE_NAME, manifest.name);
    assert.equal(PACKAGE_VERSION, manifest.version);
  });

  it('keeps @opentelemetry/api a peer dependency', () => {
    assert.ok((manifest.peerDependencies as Record<string, string>)['@opentelemetry/api']);
    assert.equal((manifest.dependencies as Record<string, string>)['@opentelemetry/api'], undefined);
  });

  it('declares what register needs as optional peers only, the ones register checks for', () => {
    const peers = Object.keys(manifest.peerDependencies as Record<string, string>).filter(
      (name) => name !== '@opentelemetry/api',
    );
    assert.deepEqual(peers.sort(), REGISTER_PEERS.map(({ name }) => name).sort());
    const meta = manifest.peerDependenciesMeta as Record<string, { optional?: boolean }>;
    assert.deepEqual(
      peers.filter((name) => meta[name]?.optional !== true),
      [],
    );
  });

  it('gives the public API when the checkout root is required (built by npm install)', () => {
    const api = require(root) as Record<string, unknown>;
    for (const name of [
      'HoneyHiveSpanExporter',
      'toHoneyHiveEvents',
      'HoneyHiveSpanProcessor',
      'HoneyHiveSessionSpanProcessor',
      'withSession',
    ]) {
      assert.equal(typeof api[name], 'function', `${name} is exported`);
    }
  });
});

describe('the packed tarball', function () {
  // Packs, installs into a fresh project (from the npm registry, like a user) and loads it both ways.
  this.timeout(180_000);
  const root = path.resolve(__dirname, '..');
  let project: string;
  let tarballFiles: string[];
  let installOutput: string;
  let workDirectory: string | undefined;

  // Output left in dist/ by an earlier run: API docs, and the build of a source since deleted.
  const leftovers = ['dist/docs/leftover.js', 'dist/transport/deleted-source.js', 'dist/transport/deleted-source.d.ts'];

  before(async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'hh-pack-'));
    workDirectory = work;
    for (const leftover of leftovers) {
      await mkdir(path.dirname(path.join(root, leftover)), { recursive: true });
      await writeFile(path.join(root, leftover), '// generated\n');
    }
    const packed = await packInto(work).finally(() =>
      Promise.all(leftovers.map((leftover) => rm(path.join(root, leftover), { force: true }))),
    );
    tarballFiles = packed.files;
    project = path.join(work, 'consumer');
    await mkdir(project);
    await writeFile(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
    );
    const api = JSON.parse(
      readFileSync(path.join(root, 'node_modules', '@opentelemetry', 'api', 'package.json'), 'utf8'),
    ) as { version: string };
    const installed = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', packed.tarball, `@opentelemetry/api@${api.version}`],
      { cwd: project },
    );
    installOutput = installed.stdout + installed.stderr;
  });

  after(async () => {
    if (workDirectory !== undefined) await rm(workDirectory, { recursive: true, force: true });
  });

  it('installs without a warning about its lifecycle scripts (it builds on prepack, not prepare)', () => {
    assert.doesNotMatch(installOutput, /install-scripts|honeyhive-otel-exporter.*(prepare|install)/i);
    const scripts = (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    assert.equal(scripts.prepare, undefined);
    assert.equal(scripts.prepack, 'npm run build');
  });

  it('ships nothing left in dist/ before packing: the build starts from an empty dist/', () => {
    assert.deepEqual(
      leftovers.filter((leftover) => tarballFiles.includes(leftover)),
      [],
    );
  });

  it('ships the build, README, LICENSE and CHANGELOG only: no sources of tests or examples', () => {
    assert.ok(tarballFiles.includes('dist/index.js') && tarballFiles.includes('dist/esm/index.mjs'));
    assert.ok(tarballFiles.includes('dist/index.d.ts') && tarballFiles.includes('dist/esm/index.d.mts'));
    const unexpected = tarballFiles.filter(
      (file) => !/^(dist\/.*\.(js|mjs|d\.ts|d\.mts)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(file),
    );
    assert.deepEqual(unexpected, []);
  });

  it('installs no OpenTelemetry package but the api peer (npm ls: one @opentelemetry/api, no SDK)', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: project });
    const found = openTelemetryPackages(JSON.parse(stdout) as NpmTree);
    assert.deepEqual(
      [...new Set(found.map((entry) => entry.split('@').slice(0, 2).join('@')))],
      ['@opentelemetry/api'],
    );
    assert.equal(new Set(found).size, 1, `one copy of @opentelemetry/api: ${found.join(', ')}`);
  });

  it('can be required and imported, giving the same classes', async () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "import * as esm from 'honeyhive-otel-exporter';",
      "import * as devServer from 'honeyhive-otel-exporter/dev-server';",
      'const requireCjs = createRequire(import.meta.url);',
      'const cjs = requireCjs("honeyhive-otel-exporter");',
      "if (esm.HoneyHiveSpanExporter !== cjs.HoneyHiveSpanExporter) throw new Error('two copies');",
      "const names = ['HoneyHiveSpanExporter', 'HoneyHiveSpanProcessor', 'toHoneyHiveEvents', 'withSession'];",
      "for (const name of names) if (typeof esm[name] !== 'function') throw new Error(name + ' missing');",
      "if (typeof devServer.startDevServer !== 'function') throw new Error('startDevServer missing');",
      "if (requireCjs('honeyhive-otel-exporter/dev-server').startDevServer !== devServer.startDevServer) throw new Error('two dev servers');",
      "console.log('ok');",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
    assert.equal(stdout.trim(), 'ok');
  });

  it('loads none of the dev server from the main entry point', async () => {
    const script =
      "require('honeyhive-otel-exporter'); console.log(Object.keys(require.cache).filter((f) => /dev-server/.test(f)).length)";
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: project });
    assert.equal(stdout.trim(), '0');
  });

  it('type-checks from TypeScript as both CommonJS and ES module consumers', async () => {
    await writeFile(
      path.join(project, 'use.cts'),
      "import { HoneyHiveSpanExporter, type HoneyHiveEvent } from 'honeyhive-otel-exporter';\nexport const e: HoneyHiveEvent | undefined = undefined;\nexport const x = HoneyHiveSpanExporter;\n",
    );
    await writeFile(
      path.join(project, 'use.mts'),
      "import { toHoneyHiveEvents, type HoneyHiveExporterOptions } from 'honeyhive-otel-exporter';\nexport const o: HoneyHiveExporterOptions = { project: 'p' };\nexport const f = toHoneyHiveEvents;\n",
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--skipLibCheck',
        'use.cts',
        'use.mts',
      ],
      { cwd: project },
    );
  });

  it('register without its optional peers: one line saying what to npm i, and the app runs untraced', async () => {
    const sdk2 = Number(process.versions.node.split('.')[0]) < 22;
    const needed =
      'it needs @opentelemetry/sdk-trace, @opentelemetry/context-async-hooks, @opentelemetry/core, ' +
      '@opentelemetry/instrumentation, @opentelemetry/instrumentation-http. Install them: npm i ' +
      (sdk2
        ? '@opentelemetry/sdk-trace@2 @opentelemetry/context-async-hooks@2 @opentelemetry/core@2 ' +
          '@opentelemetry/instrumentation@"<0.300" @opentelemetry/instrumentation-http@"<0.300"'
        : '@opentelemetry/sdk-trace @opentelemetry/context-async-hooks @opentelemetry/core ' +
          '@opentelemetry/instrumentation @opentelemetry/instrumentation-http');
    for (const flag of ['--require', '--import']) {
      const { stdout, stderr } = await run(
        process.execPath,
        [flag, 'honeyhive-otel-exporter/register', '-e', "console.log('the app ran')"],
        { cwd: project, env: { ...process.env, HH_API_KEY: 'test-key' } },
      );
      assert.equal(stdout, 'the app ran\n', flag);
      assert.equal(stderr, `honeyhive-otel-exporter/register: not tracing: ${needed}\n`, flag);
    }
  });

  it('installs the honeyhive-otel-dev command', async () => {
    const { stdout } = await run(path.join(project, 'node_modules', '.bin', 'honeyhive-otel-dev'), ['--help'], {
      cwd: project,
    });
    assert.match(stdout, /honeyhive-otel-dev/);
  });

  it("serves the session viewer's compiled browser modules from the installed package (no toolchain needed)", async () => {
    const installed = path.join(project, 'node_modules', PACKAGE_NAME, 'dist', 'dev-server');
    const script = [
      `const { startDevServer } = require(${JSON.stringify(path.join(installed, 'index.js'))});`,
      '(async () => {',
      '  const server = await startDevServer();',
      "  const answers = await Promise.all(['/', '/ui/viewer.js', '/ui/chat.js'].map((p) => fetch(server.url + p)));",
      "  console.log(JSON.stringify(await Promise.all(answers.map(async (a) => [a.status, a.headers.get('content-type'), (await a.text()).length]))));",
      '  await server.close();',
      '})();',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: project });
    const answers = JSON.parse(stdout) as Array<[number, string, number]>;
    assert.deepEqual(
      answers.map(([status, type]) => [status, type]),
      [
        [200, 'text/html; charset=utf-8'],
        [200, 'text/javascript; charset=utf-8'],
        [200, 'text/javascript; charset=utf-8'],
      ],
    );
    assert.equal(answers[1]?.[2], readFileSync(path.join(installed, 'viewer', 'client', 'viewer.js'), 'utf8').length);
  });
});
