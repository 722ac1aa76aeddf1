/**
 * What every example needs beside its own code: where to send events, which
 * model to call, and showing what HoneyHive received. Offline by default:
 *
 *  - `HH_API_KEY` unset: a local HoneyHive-compatible server on loopback (see
 *    local-honeyhive.ts); the session trees it received are printed at the end.
 *    Set: HoneyHive itself (`HH_API_URL`, `HH_PROJECT` as the exporter reads them).
 *  - `OPENAI_API_KEY` unset: the fake OpenAI-compatible model server on loopback.
 *    Set: OpenAI (or `OPENAI_BASE_URL`).
 */
import type { HoneyHiveExporterOptions } from 'honeyhive-otel-exporter';
import { formatSessionTree } from 'honeyhive-otel-exporter/dev-server';
import { startFakeModelServer } from './fake-model-server';
import { startLocalHoneyHive, type SessionDetails } from './local-honeyhive';

export interface ExampleBackends {
  /** Options for `new HoneyHiveSpanExporter(...)`. */
  honeyhive: HoneyHiveExporterOptions;
  /** For an OpenAI-compatible client: `new OpenAI(model)`, `createOpenAI(model)`. */
  model: { baseURL: string | undefined; apiKey: string };
  /** What the local server has received so far; undefined when sending to HoneyHive. */
  receivedSessions(): Promise<SessionDetails[] | undefined>;
}

/**
 * Starts the backends, runs the example, then (even when it failed) prints the
 * sessions received and stops the backends. `example` must shut down (or flush)
 * its tracer provider before it returns, so everything has been sent.
 */
export function runExample(project: string, example: (backends: ExampleBackends) => Promise<void>): void {
  run(project, example).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

async function run(project: string, example: (backends: ExampleBackends) => Promise<void>): Promise<void> {
  const local = process.env.HH_API_KEY ? undefined : await startLocalHoneyHive();
  const fakeModel = process.env.OPENAI_API_KEY ? undefined : await startFakeModelServer();
  try {
    await example({
      honeyhive: {
        project: process.env.HH_PROJECT ?? project,
        ...(local ? { apiKey: 'local-dev-key', serverUrl: local.url } : {}),
      },
      model: fakeModel
        ? { baseURL: fakeModel.baseURL, apiKey: 'fake-model-key' }
        : { baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY! },
      receivedSessions: async () => local?.sessions(),
    });
  } finally {
    try {
      if (local) printSessions(await local.sessions());
      else console.log(`\nSent to HoneyHive: open project ${process.env.HH_PROJECT ?? project} to see the sessions.`);
    } finally {
      await fakeModel?.close();
      await local?.close();
    }
  }
}

function printSessions(sessions: SessionDetails[]): void {
  console.log('\nSessions as HoneyHive received them (local server, no HH_API_KEY set):\n');
  for (const session of sessions) console.log(`${formatSessionTree(session)}\n`);
}
