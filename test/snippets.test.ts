/**
 * The README's setup snippets are files in examples/snippets/, copied into the
 * README verbatim (each block follows a `<!-- snippet: path -->` marker). This
 * runs the SDK 2 ones on this machine's Node, each loaded before a small app
 * as the README says (`node --import ./telemetry.mjs app.mjs`); the SDK 3 ones
 * run on Node 22 and 24 in test/sdk3.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startDevServer } from '../src/dev-server';
import { ROOT, run } from './helpers/npm';

const SNIPPETS = path.join(ROOT, 'examples', 'snippets');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README snippets', function () {
  this.timeout(60_000);

  it('are the files in examples/snippets/, verbatim, and every setup block is one of them', () => {
    const marked = [...readme.matchAll(/<!-- snippet: (\S+) -->\n```js\n([\s\S]*?)```/g)];
    assert.ok(marked.length >= 4, 'the README shows its snippets');
    for (const [, file, code] of marked) assert.equal(code, readFileSync(path.join(ROOT, file!), 'utf8'), file);
    const setups = [...readme.matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].filter(([, code]) =>
      /new HoneyHive\w*(Processor|Exporter)\(/.test(code!),
    );
    assert.equal(setups.length, marked.length, 'a README block that sets up tracing is not a tested snippet');
  });

  for (const snippet of ['nodesdk.mjs', 'tracer-provider-sdk2.mjs']) {
    it(`${snippet} on OpenTelemetry SDK 2: one session for a withSession unit of work, and the app exits`, async () => {
      const server = await startDevServer({ port: 0 });
      try {
        await run(process.execPath, ['--import', `./${snippet}`, './app.mjs'], {
          cwd: SNIPPETS,
          env: { ...process.env, HH_API_KEY: 'test-key', HH_API_URL: server.url },
          timeout: 30_000,
        });
        assert.deepEqual(
          server.store.sessions().map((session) => [session.session_name, session.event_count]),
          [['Support chat', 2]],
        );
      } finally {
        await server.close();
      }
    });
  }
});
