/**
 * HTTP routing: the HoneyHive routes an exporter uses (both session starts, both
 * per-session event routes, the multi-session batch, both updates), the dev
 * server's read-back routes, and injected faults. Checks run in the order a
 * client would want to fix them: route, auth, path id, media type, content
 * encoding, size, JSON, fields.
 */
import { randomUUID } from 'node:crypto';
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
  validateEventBatchBody,
  validateEventsBody,
  validateLegacyUpdateBody,
  validateSessionStartBody,
  validateUpdateBody,
  validateUuidPathId,
  validateV1SessionBody,
  type EventUpdate,
  type IncomingEvent,
  type Route,
  type Validated,
} from './validation';
import { isJsonObject } from '../transform/json-values';
import type { Result } from '../result';

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
  | { kind: 'session-start'; route: Route }
  | { kind: 'events'; route: Route; rawSessionId: string }
  | { kind: 'event-batch' }
  | { kind: 'update'; route: 'legacy' }
  | { kind: 'update'; route: 'v1'; rawEventId: string };

/** The methods HoneyHive's ingestion routes use; only these are faulted. */
const INGEST_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT']);

function matchIngestRoute(method: string, pathname: string): IngestRoute | undefined {
  if (method === 'PUT') {
    if (pathname === '/events') return { kind: 'update', route: 'legacy' };
    const update = /^\/v1\/events\/([^/]+)$/.exec(pathname);
    return update?.[1] === undefined
      ? undefined
      : { kind: 'update', route: 'v1', rawEventId: decodePathPart(update[1]) };
  }
  if (method !== 'POST') return undefined;
  if (pathname === '/session/start') return { kind: 'session-start', route: 'legacy' };
  if (pathname === '/v1/sessions') return { kind: 'session-start', route: 'v1' };
  if (pathname === '/v1/events/batch') return { kind: 'event-batch' };
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

/** A body as read: parsed, or the error its answer is (thrown only once the earlier checks passed). */
type ParsedBody = Result<unknown, HttpError>;

function parseBody(decoded: DecodedBody): ParsedBody {
  if (!decoded.ok) return decoded;
  try {
    return { ok: true, value: parseJsonBody(decoded.value) };
  } catch (error) {
    if (error instanceof HttpError) return { ok: false, error };
    throw error;
  }
}

function validOrThrow<T>(checked: Validated<T>): { value: T; warnings: DevServerWarning[] } {
  if (!checked.ok) throw new HttpError(400, ErrorCodes.validation, checked.message);
  return checked;
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

/**
 * HoneyHive's "Events partially added" answer, after a `partial` fault stored only some. On
 * `POST /v1/events/batch` it lists the ids it created (`{event_ids, errors, success: false}`, as HoneyHive
 * answers there), so a client can resend only the rest.
 */
function partialAnswer(stored: number, sent: number, createdIds?: readonly string[]): Answer {
  const message = `injected fault: events partially added (${stored} of ${sent} taken)`;
  const envelope = errorEnvelope(500, ErrorCodes.eventsPartiallyAdded, message);
  if (createdIds === undefined) return { status: 500, body: envelope };
  return { status: 500, body: { ...envelope, event_ids: [...createdIds], errors: [message] } };
}

/** Stores one session's events and says so (events file, printed warnings, the tree printer). */
function storeEvents(
  ctx: ServerContext,
  sessionId: string,
  events: readonly IncomingEvent[],
  route: Route,
  warnings: readonly DevServerWarning[],
  limit?: number,
): string[] {
  const result = ctx.store.addEvents(sessionId, events, route, warnings, limit);
  if (ctx.eventsFile !== undefined) appendToEventsFile(ctx.eventsFile, sessionId, result.stored);
  reportWarnings(ctx, sessionId, result.warnings);
  if (result.duplicates > 0)
    reportWarnings(ctx, sessionId, [
      { kind: 'duplicate-event', message: `${result.duplicates} duplicate event(s) received; first copies kept` },
    ]);
  ctx.printer?.sessionChanged(sessionId);
  return result.eventIds;
}

/**
 * `POST /v1/events/batch`: events of any sessions, each in its own
 * `session_id` (HoneyHive generates one where missing; a session event's own
 * id is its session), or all in one new session made from `session_properties`
 * when `single_session` is true.
 */
function ingestEventBatch(ctx: ServerContext, body: unknown, limit: number | undefined): Answer {
  const { value, warnings } = validOrThrow(validateEventBatchBody(body));
  const taken = limit === undefined ? value.events : value.events.slice(0, limit);
  const requestWarnings = [...warnings];
  let singleSessionId: string | undefined;
  if (value.singleSession) {
    const started = ctx.store.startSession(
      { ...structuredClone(value.sessionProperties ?? {}), session_id: randomUUID() },
      'v1',
      requestWarnings.splice(0),
    );
    singleSessionId = started.session.session_id;
    reportWarnings(ctx, singleSessionId, started.warnings);
  } else if (value.sessionProperties !== undefined) {
    requestWarnings.push({
      kind: 'ignored-field',
      message: 'session_properties was sent without single_session: true; HoneyHive uses it only for a single session',
    });
  }
  const bySession = new Map<string, IncomingEvent[]>();
  const eventIds = taken.map((event) => {
    const eventId = event.event_id ?? randomUUID();
    const ownSession = event.event_type === 'session' ? (event.session_id ?? eventId) : event.session_id;
    const sessionId = singleSessionId ?? ownSession ?? randomUUID();
    const group = bySession.get(sessionId) ?? [];
    group.push({ ...event, event_id: eventId });
    bySession.set(sessionId, group);
    return eventId;
  });
  for (const [sessionId, events] of bySession) storeEvents(ctx, sessionId, events, 'v1', requestWarnings.splice(0));
  if (limit !== undefined) return partialAnswer(taken.length, value.events.length, eventIds);
  return {
    status: 200,
    body: {
      event_ids: eventIds,
      ...(singleSessionId === undefined ? {} : { session_id: singleSessionId }),
      success: true,
    },
  };
}

/** The update an update request asks for: the v1 path's id, or the legacy body's `event_id`. */
function updateRequest(
  route: 'legacy' | 'v1',
  pathId: string | undefined,
  body: unknown,
): { eventId: string; update: EventUpdate; warnings: DevServerWarning[] } {
  if (route === 'v1') {
    const { value, warnings } = validOrThrow(validateUpdateBody(body));
    return { eventId: pathId as string, update: value, warnings };
  }
  const { value, warnings } = validOrThrow(validateLegacyUpdateBody(body));
  return { ...value, warnings };
}

/** HoneyHive's routes, once the request is known to be for one of them. */
function ingest(
  ctx: ServerContext,
  route: IngestRoute,
  req: IncomingMessage,
  parsed: ParsedBody,
  fault: Fault | undefined,
): Answer {
  requireBearerToken(req.headers);
  const pathId =
    route.kind === 'events' && route.route === 'v1'
      ? validOrThrow(validateUuidPathId(route.rawSessionId, 'session id')).value
      : route.kind === 'update' && route.route === 'v1'
        ? validOrThrow(validateUuidPathId(route.rawEventId, 'event id')).value
        : undefined;
  requireJsonContent(req.headers);
  requireAcceptedEncoding(req.headers, ctx.acceptGzip);
  if (!parsed.ok) throw parsed.error;
  const body = parsed.value;
  const limit = fault?.partial;
  if (limit !== undefined && route.kind !== 'events' && route.kind !== 'event-batch') {
    throw new HttpError(
      500,
      ErrorCodes.injectedFault,
      'injected fault: status 500 (partial applies to event routes only)',
    );
  }

  switch (route.kind) {
    case 'session-start': {
      const isLegacy = route.route === 'legacy';
      const { value, warnings } = validOrThrow(isLegacy ? validateSessionStartBody(body) : validateV1SessionBody(body));
      const { session, answer, warnings: all } = ctx.store.startSession(value, route.route, warnings);
      reportWarnings(ctx, session.session_id, all);
      ctx.printer?.sessionChanged(session.session_id);
      return { status: 200, body: answer };
    }
    case 'events': {
      const sessionId = pathId ?? route.rawSessionId;
      const { value, warnings } = validOrThrow(validateEventsBody(body, route.route));
      storeEvents(ctx, sessionId, value.events, route.route, warnings, limit);
      if (limit !== undefined) return partialAnswer(Math.min(limit, value.events.length), value.events.length);
      const success: SuccessResponse = { success: true };
      return { status: 200, body: success };
    }
    case 'event-batch':
      return ingestEventBatch(ctx, body, limit);
    case 'update': {
      const { eventId, update, warnings } = updateRequest(route.route, pathId, body);
      const applied = ctx.store.updateEvent(eventId, update, warnings);
      if (applied === undefined) {
        throw new HttpError(
          404,
          ErrorCodes.eventNotFound,
          `no session or event ${eventId} has been received, so there is nothing to update`,
        );
      }
      reportWarnings(ctx, applied.sessionId, applied.warnings);
      ctx.printer?.sessionChanged(applied.sessionId);
      const success: SuccessResponse = { success: true };
      return { status: 200, body: success };
    }
  }
}

/** The dev server's own routes and the viewer; they need no auth, so curl and browsers can use them. */
function readBack(ctx: ServerContext, pathname: string): Answer | undefined {
  const asset = viewerAsset(pathname);
  if (asset !== undefined) return { status: 200, body: asset.body, headers: asset.headers };
  if (pathname === '/healthz') return { status: 200, body: { success: true, status: 'ok' } };
  if (pathname === '/sessions') {
    return { status: 200, body: { sessions: ctx.store.sessions(), dropped: ctx.store.dropped } };
  }
  const sessionMatch = /^\/sessions\/([^/]+)$/.exec(pathname);
  if (sessionMatch?.[1] === undefined) return undefined;
  // Any string: the legacy route stores sessions under ids that are not UUIDs.
  const sessionId = decodePathPart(sessionMatch[1]);
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
    const method = req.method ?? '';
    const fault = INGEST_METHODS.has(method) ? ctx.faults.take(pathname) : undefined;
    entry.faulted = fault !== undefined;
    const received = await readBody(req, ctx.maxBodyBytes);
    entry.body_bytes = received.bytes;
    const decoded = await decodeBody(received, req.headers, { limit: ctx.maxBodyBytes, acceptGzip: ctx.acceptGzip });
    const parsed = parseBody(decoded);
    if (parsed.ok && decoded.ok) {
      ctx.store.attachBody(entry, parsed.value, decoded.value.length);
      entry.event_count = countEvents(parsed.value);
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

    const route = matchIngestRoute(method, pathname);
    answer(route === undefined ? notFound(method, pathname) : ingest(ctx, route, req, parsed, fault));
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
