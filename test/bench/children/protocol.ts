/**
 * Child processes of the bench (receivers, outage apps) talk to the runner
 * over Node's IPC channel with these messages. They run under the same
 * `node -r tsx/cjs` as the runner (fork inherits its execArgv).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export type ReceiverKind = 'honeyhive' | 'otlp';

/** What a receiver took in since it was last asked (each `count` starts the tally afresh). */
export interface ReceivedCount {
  /** Spans stored, each once (OTLP: spans in the requests). */
  spans: number;
  /** Events in the requests' bodies, resends and duplicates included (OTLP: as spans). */
  events: number;
  /** Requests that start a session (`POST /session/start`, `POST /v1/sessions`). */
  sessionStarts: number;
  /** Every other request: those that carry events (OTLP: every request). */
  eventRequests: number;
  /** Sessions stored (OTLP: 0). */
  sessions: number;
}

export type ToChild = { type: 'count' } | { type: 'stop' };

export type FromChild =
  | { type: 'ready'; url: string }
  | { type: 'count'; received: ReceivedCount }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

/** Forks a script of this folder. */
export function forkChild(script: string, args: string[]): ChildProcess {
  // 'inherit' for stderr, so a child's crash is visible; stdout stays quiet.
  return fork(path.join(__dirname, script), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

/** The next message of `type` from a child, or a rejection if it exits or reports an error first. */
export function nextMessage<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild): void => {
      if (message.type === 'error') finish(() => reject(new Error(`child process: ${message.message}`)));
      else if (message.type === type) finish(() => resolve(message as Extract<FromChild, { type: T }>));
    };
    const onExit = (code: number | null): void =>
      finish(() => reject(new Error(`child process exited (${code}) before sending '${type}'`)));
    const finish = (settle: () => void): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export function send(child: ChildProcess, message: ToChild): void {
  child.send(message);
}

/** In a child: report an uncaught failure to the runner, then exit. */
export function reportFailure(error: unknown): never {
  process.send?.({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies FromChild);
  process.exit(1);
}
