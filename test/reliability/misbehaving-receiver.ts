/**
 * A small HTTP receiver that misbehaves the way the dev server's faults
 * cannot: answers whose body trickles in a byte at a time, 2xx answers larger
 * than any cap, server text with escapes in it. Each POST is answered by the
 * first behaviour whose path matches; the rest get `200 {}`. It records every
 * request's path and the event ids it carried.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  /** Sends the status and headers, then the body one byte every `everyMillis`, without end. */
  | { kind: 'trickle'; status: number; everyMillis: number }
  /** Answers `status` with a body of `bytes` bytes (a JSON string), sent at once. */
  | { kind: 'huge'; status: number; bytes: number }
  /** Answers `status` with this body as it is. */
  | { kind: 'answer'; status: number; body: string; contentType?: string }
  /** Reads the request and never answers. */
  | { kind: 'hang' };

export interface ReceivedRequest {
  path: string;
  /** The events the body carried, as sent. */
  events: Array<Record<string, unknown>>;
  eventIds: string[];
}

export interface MisbehavingReceiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Answers requests whose path matches with `behaviour`, in place of `200 {}`. */
  on(path: RegExp, behaviour: Behaviour): void;
  close(): Promise<void>;
}

export async function startMisbehavingReceiver(): Promise<MisbehavingReceiver> {
  const routes: Array<{ path: RegExp; behaviour: Behaviour }> = [];
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const respond = (request: IncomingMessage, response: ServerResponse, body: string): void => {
    const path = request.url ?? '/';
    const events = eventsIn(body);
    // A session's own event (type `session`) travels among the events; it is no span's.
    const spanEvents = events.filter((event) => event.event_type !== 'session');
    requests.push({ path, events, eventIds: spanEvents.map((event) => String(event.event_id)) });
    const behaviour = routes.find((route) => route.path.test(path))?.behaviour;
    if (behaviour === undefined) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'answer':
        response
          .writeHead(behaviour.status, { 'content-type': behaviour.contentType ?? 'application/json' })
          .end(behaviour.body);
        return;
      case 'huge':
        response
          .writeHead(behaviour.status, { 'content-type': 'application/json' })
          .end(`"${'x'.repeat(Math.max(0, behaviour.bytes - 2))}"`);
        return;
      case 'trickle': {
        response.writeHead(behaviour.status, { 'content-type': 'application/json' });
        response.write('{');
        const timer = setInterval(() => {
          if (response.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
          } else {
            response.write(' ');
          }
        }, behaviour.everyMillis);
        timers.add(timer);
        return;
      }
    }
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => respond(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    on(path, behaviour) {
      routes.push({ path, behaviour });
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function eventsIn(body: string): Array<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(body) as { events?: unknown };
    return Array.isArray(parsed.events) ? (parsed.events as Array<Record<string, unknown>>) : [];
  } catch {
    return [];
  }
}
