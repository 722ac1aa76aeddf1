/**
 * HTTP routing: HoneyHive's four ingestion routes, the dev server's read-back
 * routes, and injected faults. Checks run in the order a client would want to
 * fix them: route, auth, path id, media type, content encoding, size, JSON,
 * fields.
 */
import { appendFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SuccessResponse } from '../honeyhive-types';
import { decodeBody, isGzipAccepted, requireAcceptedEncoding, type DecodedBody } from './content-encoding';
import type { FaultQueue } from './faults';
import { ErrorCodes, HttpError, errorEnvelope, parseJsonBody, readBody, sendAnswer } from './http';
import type { PrintLine, SessionTreePrinter } from './printer';
import type { SessionStore } from './store';
import type { DevServerWarning, Fault, RequestLogEntry, StoredEvent } from './types';
import { VIEWER_REQUEST_HEADER, viewerAsset } from './viewer/assets';
import {
  isJsonObject,
  validateEventsBody,
  validatePathSessionId,
  validateSessionStartBody,
  validateV1SessionBody,
  type Route,
} from './validation';

export interface ServerContext {
  store: SessionStore;
  faults: FaultQueue;
  maxBodyBytes: number;
  /** Inflate `Content-Encoding: gzip` bodies instead of answering 415. */
  acceptGzip: boolean;
  /** Append every stored event here as JSON lines. */
  eventsFile?: string;
  /** Where warnings and request lines go; absent when printing is off. */
  print?: PrintLine;
  /** Print one line per request (off with `quiet`). */
  printRequests: boolean;
  printer?: SessionTreePrinter;
  /** Aborted by close(), so delayed answers stop waiting. */
  lifetime: AbortSignal;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type IngestRoute =
  { kind: 'session-start' } | { kind: 'v1-session' } | { kind: 'events'; route: Route; rawSessionId: string };

function matchIngestRoute(pathname: string): IngestRoute | undefined {
  if (pathname === '/session/start') return { kind: 'session-start' };
  if (pathname === '/v1/sessions') return { kind: 'v1-session' };
  const legacy = /^\/session\/([^/]+)\/traces$/.exec(pathname);
  if (legacy?.[1] !== undefined) return { kind: 'events', route: 'legacy', rawSessionId: decodePathPart(legacy[1]) };
  const v1 = /^\/v1\/sessions\/([^/]+)\/events\/batch$/.exec(pathname);
  if (v1?.[1] !== undefined) return { kind: 'events', route: 'v1', rawSessionId: decodePathPart(v1[1]) };
  return undefined;
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    redacted[name] = name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return redacted;
}

/** How many events a parsed body carries, for the request log. */
function countEvents(body: unknown): number {
  if (!isJsonObject(body)) return 0;
  const list = body['events'] ?? body['logs'];
  return Array.isArray(list) ? list.length : 0;
}

function requireBearerToken(headers: IncomingHttpHeaders): void {
  const header = headers.authorization;
  if (header === undefined) {
    throw new HttpError(
      401,
      ErrorCodes.unauthorized,
      'Authorization header is missing; send Authorization: Bearer <api key>',
    );
  }
  const match = /^(\S+)(?:\s+(.*))?$/.exec(header.trim());
  if (match?.[1]?.toLowerCase() !== 'bearer') {
    throw new HttpError(
      401,
      ErrorCodes.unauthorized,
      `Authorization header must use the Bearer scheme; got "${match?.[1] ?? ''}"`,
    );
  }
  if ((match[2] ?? '').trim() === '')
    throw new HttpError(401, ErrorCodes.unauthorized, 'Authorization header has an empty bearer token');
}

function requireJsonContent(headers: IncomingHttpHeaders): void {
  const mediaType = (headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(
      415,
      ErrorCodes.unsupportedMediaType,
      `Content-Type must be application/json; got ${JSON.stringify(headers['content-type'] ?? '')}`,
    );
  }
}

function requirePathSessionId(raw: string): string {
  const checked = validatePathSessionId(raw);
  if (!checked.ok) throw new HttpError(400, ErrorCodes.validation, checked.message);
  return checked.value;
}

function bodyOf(decoded: DecodedBody): unknown {
  if (!decoded.ok) throw decoded.error;
  return parseJsonBody(decoded.buffer);
}

function validOrThrow<T>(checked: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!checked.ok) throw new HttpError(400, ErrorCodes.validation, checked.message);
  return checked.value;
}

function appendToEventsFile(path: string, sessionId: string, events: readonly StoredEvent[]): void {
  if (events.length === 0) return;
  const receivedAt = new Date().toISOString();
  const lines = events.map((event) => JSON.stringify({ received_at: receivedAt, session_id: sessionId, event }));
  appendFileSync(path, `${lines.join('\n')}\n`);
}

function reportWarnings(ctx: ServerContext, sessionId: string, warnings: readonly DevServerWarning[]): void {
  for (const warning of warnings) ctx.print?.(`! session ${sessionId}: ${warning.message}`);
}

/** The four HoneyHive routes, once the request is known to be for one of them. */
function ingest(ctx: ServerContext, route: IngestRoute, req: IncomingMessage, decoded: DecodedBody): Answer {
  requireBearerToken(req.headers);
  const pathSessionId = route.kind === 'events' ? requirePathSessionId(route.rawSessionId) : undefined;
  requireJsonContent(req.headers);
  requireAcceptedEncoding(req.headers, ctx.acceptGzip);
  const body = bodyOf(decoded);

  if (route.kind === 'session-start' || route.kind === 'v1-session') {
    const isLegacy = route.kind === 'session-start';
    const incoming = validOrThrow(isLegacy ? validateSessionStartBody(body) : validateV1SessionBody(body));
    const { session, warnings } = ctx.store.startSession(incoming, isLegacy ? 'legacy' : 'v1');
    reportWarnings(ctx, session.session_id, warnings);
    ctx.printer?.sessionChanged(session.session_id);
    return { status: 200, body: isLegacy ? { session_id: session.session_id } : session };
  }

  const sessionId = pathSessionId as string;
  const { events } = validOrThrow(validateEventsBody(body, route.route, sessionId));
  const { stored, duplicates, warnings } = ctx.store.addEvents(sessionId, events, route.route);
  if (ctx.eventsFile !== undefined) appendToEventsFile(ctx.eventsFile, sessionId, stored);
  reportWarnings(ctx, sessionId, warnings);
  if (duplicates > 0)
    reportWarnings(ctx, sessionId, [
      { kind: 'duplicate-event', message: `${duplicates} duplicate event(s) received; first copies kept` },
    ]);
  ctx.printer?.sessionChanged(sessionId);
  const success: SuccessResponse = { success: true };
  return { status: 200, body: success };
}

/** The dev server's own routes and the viewer; they need no auth, so curl and browsers can use them. */
function readBack(ctx: ServerContext, pathname: string): Answer | undefined {
  const asset = viewerAsset(pathname);
  if (asset !== undefined) return { status: 200, body: asset.body, headers: asset.headers };
  if (pathname === '/healthz') return { status: 200, body: { success: true, status: 'ok' } };
  if (pathname === '/sessions') return { status: 200, body: { sessions: ctx.store.sessions() } };
  const sessionMatch = /^\/sessions\/([^/]+)$/.exec(pathname);
  if (sessionMatch?.[1] === undefined) return undefined;
  const sessionId = requirePathSessionId(decodePathPart(sessionMatch[1]));
  const details = ctx.store.session(sessionId);
  if (details === undefined)
    throw new HttpError(404, ErrorCodes.sessionNotFound, `no session ${sessionId} has been started or received events`);
  return { status: 200, body: details };
}

function faultAnswer(fault: Fault): Answer | undefined {
  if (fault.status === undefined && fault.body === undefined && fault.headers === undefined) return undefined;
  const status = fault.status ?? 500;
  const body =
    fault.body !== undefined
      ? fault.body
      : errorEnvelope(status, ErrorCodes.injectedFault, `injected fault: status ${status}`);
  return { status, body, ...(fault.headers === undefined ? {} : { headers: fault.headers }) };
}

function pathnameOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://dev-server').pathname;
}

/** The viewer's page, its files, and its polling (marked by a header): not what a developer is debugging. */
function isViewerRequest(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    (req.headers[VIEWER_REQUEST_HEADER] !== undefined || viewerAsset(pathnameOf(req)) !== undefined)
  );
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: RequestLogEntry,
): Promise<void> {
  const pathname = pathnameOf(req);
  const answer = (reply: Answer): void => {
    entry.status = reply.status;
    sendAnswer(res, reply.status, reply.body, reply.headers);
    if (isViewerRequest(req)) return;
    // Rejections are printed even when quiet: they are what a developer is looking for.
    const rejection = !entry.faulted && reply.status >= 400 ? rejectionText(reply.body) : undefined;
    if (ctx.printRequests || rejection !== undefined) {
      const events = entry.event_count > 0 ? `, ${entry.event_count} event(s)` : '';
      const gzip = isGzipAccepted(req.headers, ctx.acceptGzip) ? ', gzip' : '';
      const why = entry.faulted ? ' (injected fault)' : rejection === undefined ? '' : `: ${rejection}`;
      ctx.print?.(`${entry.method} ${entry.path} -> ${reply.status}${events}${gzip}${why}`);
    }
  };

  try {
    if (req.method === 'GET') {
      answer(readBack(ctx, pathname) ?? notFound(req.method, pathname));
      return;
    }
    const fault = req.method === 'POST' ? ctx.faults.take(pathname) : undefined;
    entry.faulted = fault !== undefined;
    const received = await readBody(req, ctx.maxBodyBytes);
    entry.body_bytes = received.bytes;
    const decoded = await decodeBody(received, req.headers, { limit: ctx.maxBodyBytes, acceptGzip: ctx.acceptGzip });
    if (decoded.ok) {
      try {
        entry.body = JSON.parse(decoded.buffer.toString('utf8')) as unknown;
        entry.event_count = countEvents(entry.body);
      } catch {
        // Unparsable bodies are answered below; the log just lacks them.
      }
    }

    if (fault?.destroy === true) {
      ctx.print?.(`${entry.method} ${entry.path} -> connection reset (injected fault)`);
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.hang === true) {
      ctx.print?.(`${entry.method} ${entry.path} -> hanging (injected fault)`);
      return; // close() destroys the connection
    }
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs, undefined, { signal: ctx.lifetime });
    const injected = fault === undefined ? undefined : faultAnswer(fault);
    if (injected !== undefined) {
      answer(injected);
      return;
    }

    const route = req.method === 'POST' ? matchIngestRoute(pathname) : undefined;
    answer(route === undefined ? notFound(req.method ?? '', pathname) : ingest(ctx, route, req, decoded));
  } catch (error) {
    if (ctx.lifetime.aborted || res.destroyed) return; // closing, or the client went away
    if (error instanceof HttpError) {
      answer({ status: error.status, body: errorEnvelope(error.status, error.errorCode, error.message) });
      return;
    }
    const message = `internal error in the dev server: ${(error as Error).message}`;
    ctx.print?.(`! ${message}`);
    answer({ status: 500, body: errorEnvelope(500, ErrorCodes.internal, message) });
  }
}

function rejectionText(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  return `${String(body['errorCode'])} ${String(body['message'])}`;
}

function notFound(method: string, pathname: string): Answer {
  return { status: 404, body: errorEnvelope(404, ErrorCodes.routeNotFound, `no route for ${method} ${pathname}`) };
}

export function createRequestListener(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const entry: RequestLogEntry = {
      received_at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      headers: redactHeaders(req.headers),
      status: null,
      event_count: 0,
      body_bytes: 0,
      faulted: false,
    };
    if (!isViewerRequest(req)) ctx.store.logRequest(entry);
    void handle(ctx, req, res, entry);
  };
}
