/**
 * The local HoneyHive-compatible server (`startDevServer`) for the examples,
 * started in a worker thread of the example's process.
 *
 * Why a worker: the real HoneyHive is another machine, so none of the app's
 * instrumentations ever see its side of the exporter's requests. In the same
 * thread, HTTP instrumentation (patched onto every `http.Server`) would trace
 * the local server answering the exporter, and those spans would be exported
 * in turn. A worker has its own modules, so nothing patched in the app
 * reaches the server. Sessions are read back over its HTTP routes.
 */
import { Worker } from 'node:worker_threads';
import type { DevServerHandle, formatSessionTree } from 'honeyhive-otel-exporter/dev-server';

/** What `GET /sessions/{id}` answers, and what `formatSessionTree` prints. */
export type SessionDetails = Parameters<typeof formatSessionTree>[0];
type SessionSummary = ReturnType<DevServerHandle['store']['sessions']>[number];

export interface LocalHoneyHive {
  /** `http://127.0.0.1:<port>`: the exporter's `serverUrl`. */
  url: string;
  /** Every session received so far, with its events and tree, in order of first sight. */
  sessions(): Promise<SessionDetails[]>;
  close(): Promise<void>;
}

// Plain JavaScript, loaded without tsx: the worker only needs the built package.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { startDevServer } = require(workerData.entry);
startDevServer({ port: 0 }).then(
  (server) => parentPort.postMessage({ url: server.url }),
  (error) => parentPort.postMessage({ error: String(error) }),
);
`;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function startLocalHoneyHive(): Promise<LocalHoneyHive> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { entry: require.resolve('honeyhive-otel-exporter/dev-server') },
  });
  // An example that fails half-way must still exit.
  worker.unref();
  const started = await new Promise<{ url?: string; error?: string }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (started.url === undefined) throw new Error(`the local HoneyHive server did not start: ${started.error}`);
  const url = started.url;

  return {
    url,
    async sessions() {
      const { sessions } = await getJson<{ sessions: SessionSummary[] }>(`${url}/sessions`);
      return Promise.all(sessions.map((summary) => getJson<SessionDetails>(`${url}/sessions/${summary.session_id}`)));
    },
    async close() {
      await worker.terminate();
    },
  };
}
