/**
 * Running app.mjs / app.cjs under `honeyhive-otel-exporter/register` and
 * checking what HoneyHive received, for test/register.test.ts (this machine's
 * Node, SDK 2) and test/sdk3/register.test.mjs (Node 22 and 24, SDK 3, which
 * load this file with Node's own type stripping: erasable syntax only, and
 * type-only imports of the repository).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { DevServerStore } from '../../src/dev-server';
import type { TreeNode } from '../../src/dev-server/types';

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningApp {
  /** The app's answer to GET /ask. */
  answer: string;
  /** Resolves when the app has exited, however. */
  exited: Promise<AppExit>;
  /** Sends the signal and resolves when the app has exited. */
  stop(signal: NodeJS.Signals): Promise<AppExit>;
  /** Resolves with the match once the app's output matches `pattern`; rejects if it exits first. */
  output(pattern: RegExp): Promise<RegExpExecArray>;
}

export interface AppRun {
  flag: '--import' | '--require';
  /** The app's path. */
  app: string;
  cwd: string;
  /** Added to this process's environment, less its HH_*, OTEL_* and OPENAI_* variables. */
  env: Record<string, string>;
  node?: string;
}

/** Starts the app under register, asks it once on /ask, and hands back how it ends. */
export async function runApp({ flag, app, cwd, env, node = process.execPath }: AppRun): Promise<RunningApp> {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(HH_|OTEL_|OPENAI_)/.test(name));
  const child = spawn(node, [flag, 'honeyhive-otel-exporter/register', app], {
    cwd,
    env: { ...Object.fromEntries(inherited), ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<AppExit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const listening = /listening (\d+)/.exec(stdout);
      if (listening) resolve(Number(listening[1]));
    });
    void exited.then((exit) => reject(new Error(`the app exited before listening: ${JSON.stringify(exit)}`)));
  });
  const response = await fetch(`http://127.0.0.1:${port}/ask`);
  const answer = await response.text();
  assert.equal(response.status, 200, answer);
  const output = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        const match = pattern.exec(stdout);
        if (match) resolve(match);
      };
      child.stdout.on('data', look);
      look();
      void exited.then((exit) =>
        reject(new Error(`the app exited before printing ${pattern}: ${JSON.stringify(exit)}`)),
      );
    });
  return {
    answer,
    exited,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
    output,
  };
}

type Shape = [name: string, scope: string, children: Shape[]];

function shapeOf(node: TreeNode): Shape {
  return [String(node.event.event_name), String(node.event.metadata?.scope_name), node.children.map(shapeOf)];
}

const HTTP = '@opentelemetry/instrumentation-http';

/**
 * One session, the app's answer to /ask: its server span over the app's own GET /weather (client, then
 * server) and the model call.
 */
export function assertOneAskSession(store: DevServerStore): void {
  const sessions = store.sessions();
  assert.deepEqual(
    sessions.map((session) => [session.session_name, session.event_count]),
    [['GET', 4]],
  );
  const tree = store.session(sessions[0]!.session_id)!.tree;
  assert.deepEqual(tree.map(shapeOf), [
    [
      'GET',
      HTTP,
      [
        ['GET', HTTP, [['GET', HTTP, []]]],
        ['OpenAI Chat Completions', '@arizeai/openinference-instrumentation-openai', []],
      ],
    ],
  ]);
  assert.equal(tree[0]!.children[1]!.event.event_type, 'model');
}
