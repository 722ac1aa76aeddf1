import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version';

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

  it('gives the public API when the checkout root is required (built by npm install)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require(root) as Record<string, unknown>;
    for (const name of ['HoneyHiveSpanExporter', 'toHoneyHiveEvents', 'startDevServer', 'HoneyHiveSessionSpanProcessor', 'withSession']) {
      assert.equal(typeof api[name], 'function', `${name} is exported`);
    }
  });
});
