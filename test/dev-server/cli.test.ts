import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { parseCliArgs, DEFAULT_CLI_PORT } from '../../src/dev-server/cli-args';
import { AUTH_HEADERS, makeEvent, makeSession } from './helpers';

describe('honeyhive-otel-dev arguments', () => {
  it('defaults to port 8787 on 127.0.0.1, not quiet', () => {
    assert.deepEqual(parseCliArgs([]), {
      port: DEFAULT_CLI_PORT,
      host: '127.0.0.1',
      quiet: false,
      acceptGzip: false,
      help: false,
    });
    assert.equal(DEFAULT_CLI_PORT, 8787);
  });

  it('reads every flag', () => {
    assert.deepEqual(
      parseCliArgs(['--port', '0', '--host', '0.0.0.0', '--events-file', 'e.jsonl', '--quiet', '--accept-gzip', '-h']),
      {
        port: 0,
        host: '0.0.0.0',
        eventsFile: 'e.jsonl',
        quiet: true,
        acceptGzip: true,
        help: true,
      },
    );
  });

  it('rejects a bad port and unknown flags', () => {
    assert.throws(() => parseCliArgs(['--port', 'abc']), /--port must be an integer from 0 to 65535; got "abc"/);
    assert.throws(() => parseCliArgs(['--port', '70000']), /--port must be an integer/);
    assert.throws(() => parseCliArgs(['--port', '']), /--port must be an integer/);
    assert.throws(() => parseCliArgs(['--verbose']), /Unknown option '--verbose'/);
  });
});

/** Runs the CLI through npx tsx, in its own process group so the whole group can be signalled. */
function runCli(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('npx', ['tsx', 'src/dev-server/cli.ts', ...args], {
    cwd: `${__dirname}/../..`,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForOutput(output: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output());
    if (match !== null) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('honeyhive-otel-dev command', function () {
  this.timeout(20_000);
  let running: ChildProcess | undefined;

  afterEach(() => {
    // Only if a test failed before stopping it: end the group this test started.
    if (running?.pid !== undefined && running.exitCode === null && running.signalCode === null) {
      process.kill(-running.pid, 'SIGKILL');
    }
    running = undefined;
  });

  it('--port 0 prints the real URL, serves HoneyHive routes, prints the tree, and closes cleanly on SIGTERM', async () => {
    const { child, output } = runCli(['--port', '0']);
    running = child;
    const [, url] = await waitForOutput(output, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    assert.ok(url !== undefined && !url.endsWith(':0'), url);
    assert.match(output(), new RegExp(`HH_API_URL=${url} HH_API_KEY=anything`));
    assert.match(output(), new RegExp(`Session viewer: {2}open ${url}/ in a browser`));
    const viewer = await fetch(`${url}/`);
    assert.equal(viewer.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await viewer.text(), /<title>Sessions · HoneyHive local server<\/title>/);

    const session = makeSession({ session_name: 'cli-run' });
    const sessionId = session['session_id'] as string;
    const started = await fetch(`${url}/session/start`, {
      method: 'POST',
      headers: AUTH_HEADERS,
      body: JSON.stringify({ session }),
    });
    assert.equal(started.status, 200);
    const sent = await fetch(`${url}/session/${sessionId}/traces`, {
      method: 'POST',
      headers: AUTH_HEADERS,
      body: JSON.stringify({ events: [makeEvent(sessionId, { event_name: 'cli-step' })] }),
    });
    assert.equal(sent.status, 200);
    await waitForOutput(output, /session {2}cli-run .*\ntool {2}cli-step {2}10\.0 ms/);

    // npx does not forward signals, so signal the whole group; the CLI itself must close and say so.
    // Its stdout closes only once every process holding it (the CLI's node above all) has exited.
    const stdoutClosed = once(child.stdout as NodeJS.ReadableStream, 'close');
    process.kill(-(child.pid as number), 'SIGTERM');
    await stdoutClosed;
    assert.match(output(), /SIGTERM: closing\nclosed\n$/);
  });

  it('--help prints the usage and exits 0; a bad flag exits 2', async () => {
    const help = runCli(['--help']);
    running = help.child;
    const [helpCode] = (await once(help.child, 'exit')) as [number | null];
    assert.equal(helpCode, 0);
    assert.match(help.output(), /Usage: honeyhive-otel-dev \[--port N\]/);
    assert.match(help.output(), /default 8787/);
    assert.match(help.output(), /--accept-gzip +inflate bodies sent with Content-Encoding: gzip/);

    const bad = runCli(['--port', 'x']);
    running = bad.child;
    const [badCode] = (await once(bad.child, 'exit')) as [number | null];
    assert.equal(badCode, 2);
    assert.match(bad.output(), /honeyhive-otel-dev: --port must be an integer from 0 to 65535; got "x"/);
  });
});
