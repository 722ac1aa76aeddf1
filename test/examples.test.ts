import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');

describe('examples', () => {
  it('quickstart runs offline against the embedded local server and prints both session trees', async () => {
    const env = { ...process.env };
    delete env.HH_API_KEY;
    delete env.HH_API_URL;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/quickstart/index.ts'], { cwd: root, env, timeout: 60_000 });
    assert.match(stdout, /session {2}Quickstart: a good run {2}[0-9a-f-]{36} {2}project quickstart, source dev, 3 events/);
    assert.match(stdout, /chain {2}answer_question .*\n├─ tool {2}retrieve_documents .*\n└─ model {2}chat gpt-4o-mini/);
    assert.match(stdout, /ERROR: model timed out after 20 ms/);
  });
});
