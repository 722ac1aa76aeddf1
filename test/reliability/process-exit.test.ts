/**
 * How an app's process ends, in child processes: an idle exporter never keeps
 * it alive, and the README's advice for apps that exit (beforeExit, a signal
 * handler) delivers what a bare exit loses.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { suiteResources } from './harness';

const APP = path.join(__dirname, 'children', 'exit-app.ts');
const ROOT = path.resolve(__dirname, '../..');

interface AppRun {
  /** Milliseconds from `ready` to the exit. */
  exitedAfterReady: number;
  code: number | null;
  stderr: string;
}

/** Runs the app; calls `onReady` when it printed `ready`; kills it (and says so) after `limitMillis`. */
function runApp(
  mode: string,
  serverUrl: string,
  limitMillis: number,
  onReady?: (pid: number) => void,
): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', APP, mode, serverUrl], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let readyAt: number | undefined;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (readyAt === undefined && chunk.toString().includes('ready')) {
        readyAt = Date.now();
        onReady?.(child.pid!);
      }
    });
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${mode} app was still running after ${limitMillis} ms: ${stderr}`));
    }, limitMillis);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ exitedAfterReady: readyAt === undefined ? -1 : Date.now() - readyAt, code, stderr });
    });
  });
}

describe('reliability: how the process ends', function () {
  this.timeout(30_000);
  const resources = suiteResources();

  it('an export failing against a server that is down never keeps the finished app alive', async () => {
    const down = await resources.startServer();
    await down.close();
    const run = await runApp('idle-after-failed-export', down.url, 15_000);
    assert.equal(run.code, 0, run.stderr);
    // Retries would otherwise hold it for their backoff (about 17 s with the defaults).
    assert.ok(
      run.exitedAfterReady >= 0 && run.exitedAfterReady < 3000,
      `exited ${run.exitedAfterReady} ms after ready`,
    );
  });

  it('without shutdown(), what is still queued is lost; beforeExit and a SIGTERM handler deliver it', async () => {
    const server = await resources.startServer();
    const [bare, beforeExit, sigterm] = await Promise.all([
      runApp('no-shutdown', server.url, 20_000),
      runApp('before-exit', server.url, 20_000),
      runApp('sigterm', server.url, 20_000, (pid) => process.kill(pid, 'SIGTERM')),
    ]);
    for (const run of [bare, beforeExit, sigterm]) assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      server.store
        .events()
        .map((event) => event.event_name)
        .sort(),
      ['handled by before-exit', 'handled by sigterm'],
    );
  });
});
