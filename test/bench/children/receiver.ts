/**
 * A receiver in its own process, so its CPU is never counted in the app's:
 * `honeyhive` runs the local HoneyHive-compatible dev server; `otlp` a minimal
 * OTLP/HTTP JSON sink that counts spans and answers 200 to every POST. Each
 * `count` answers what arrived since the previous one and forgets it (the dev
 * server's store would otherwise hold every run's bodies).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevServer } from '../subject';
import { reportFailure, type FromChild, type ReceivedCount, type ReceiverKind, type ToChild } from './protocol';

interface Receiver {
  url: string;
  /** What arrived since the last call. */
  take(): ReceivedCount;
  close(): Promise<void>;
}

const SESSION_START_PATHS = new Set(['/session/start', '/v1/sessions']);

interface OtlpRequest {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
}

function countOtlpSpans(body: string): number {
  const request = JSON.parse(body) as OtlpRequest;
  let count = 0;
  for (const resource of request.resourceSpans ?? [])
    for (const scope of resource.scopeSpans ?? []) count += scope.spans?.length ?? 0;
  return count;
}

async function startOtlpSink(): Promise<Receiver> {
  let spans = 0;
  let requests = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        requests++;
        try {
          spans += countOtlpSpans(Buffer.concat(chunks).toString('utf8'));
        } catch {
          response.writeHead(400).end();
          return;
        }
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const count = { spans, events: spans, sessionStarts: 0, eventRequests: requests, sessions: 0 };
      spans = 0;
      requests = 0;
      return count;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sessionEventsIn(body: unknown): number {
  const events = (body as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) return 0;
  return events.filter((event) => (event as { event_type?: unknown } | null)?.event_type === 'session').length;
}

async function startHoneyHive(): Promise<Receiver> {
  // Counts are read from the request log, so it must keep every request and body of a run.
  const handle = await startDevServer({
    port: 0,
    limits: { maxLoggedRequests: Number.MAX_SAFE_INTEGER, maxLoggedBodyBytes: Number.MAX_SAFE_INTEGER },
  });
  return {
    url: handle.url,
    take: () => {
      const sessions = handle.store.sessions();
      const count: ReceivedCount = {
        spans: sessions.reduce((sum, session) => sum + session.event_count, 0),
        events: 0,
        sessionStarts: 0,
        eventRequests: 0,
        sessions: sessions.length,
      };
      for (const request of handle.store.requests) {
        // A session's update (PUT) is a request too; it carries no events.
        if (request.method === 'PUT') count.eventRequests++;
        if (request.method !== 'POST') continue;
        if (SESSION_START_PATHS.has(request.path.split('?')[0]!)) count.sessionStarts++;
        else count.eventRequests++;
        // A session's own event (type `session`) travels among the events: it creates the session, it is no span.
        const sessionEvents = sessionEventsIn(request.body);
        count.sessionStarts += sessionEvents;
        count.events += request.event_count - sessionEvents;
      }
      const drops = handle.store.dropped;
      if (drops.requests + drops.request_bodies + drops.events + drops.sessions > 0)
        throw new Error(
          `the bench receiver's store dropped part of a run (${JSON.stringify(drops)}): its counts would be wrong`,
        );
      handle.store.reset();
      return count;
    },
    close: () => handle.close(),
  };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ReceiverKind;
  const receiver = kind === 'honeyhive' ? await startHoneyHive() : await startOtlpSink();
  const reply = (message: FromChild): void => void process.send?.(message);
  process.on('message', (message: ToChild) => {
    if (message.type === 'count') reply({ type: 'count', received: receiver.take() });
    if (message.type === 'stop') void receiver.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', url: receiver.url });
}

main().catch(reportFailure);
