/**
 * HoneyHive's endpoints over an {@link HttpTransport}: add events (with a new
 * session's own event among them) through the legacy per-session route
 * (`POST /session/{id}/traces`) or the v1 multi-session one
 * (`POST /v1/events/batch`), and change an existing event, a session's, through
 * `PUT /events` (legacy) or `PUT /v1/events/{id}`. Every failure becomes a
 * {@link HoneyHiveRequestError} whose message names the request, the status
 * and HoneyHive's own reason, and says what to fix.
 */
import type { LegacyUpdateEventRequest, UpdateEventRequest } from '../honeyhive-types';
import { redactSecrets } from '../redact';
import type { Result } from '../result';
import { isUuid } from '../transform/ids';
import type { HttpFailure, HttpTransport } from './http-transport';
import { sanitizeServerText } from './server-text';

export class HoneyHiveRequestError extends Error {
  override readonly name = 'HoneyHiveRequestError';

  constructor(
    message: string,
    /** What went wrong, without the response body. */
    readonly failure: Omit<HttpFailure, 'body'>,
    /** The ids (lower case) of the events a v1 batch created although it failed (a 500 that lists them): only the rest is sent again. */
    readonly created?: ReadonlySet<string>,
  ) {
    super(message);
  }
}

export type ApiOutcome = Result<void, HoneyHiveRequestError>;

/** Limits of one call: everything it does (waiting for a slot, retries) ends by `deadline`. */
export interface ApiCall {
  /** Epoch milliseconds. */
  deadline: number;
  signal?: AbortSignal;
}

/** One event as JSON (one object), and its size, measured when it was serialised. */
export interface EventJson {
  json: string;
  /** UTF-8 bytes of `json`. */
  bytes: number;
}

export interface HoneyHiveApi {
  /**
   * Sends events already serialised as one request: on the legacy API to their session's traces route, on
   * v1 to `POST /v1/events/batch` (where they may belong to any sessions).
   */
  addEvents(sessionId: string, events: readonly EventJson[], call: ApiCall): Promise<ApiOutcome>;
  /** Changes fields of an existing event (a session's own, to complete or enrich it). */
  updateEvent(eventId: string, update: UpdateEventRequest, call: ApiCall): Promise<ApiOutcome>;
}

/**
 * Which of HoneyHive's ingestion APIs to use. Both take `{"events": [...]}`; v1 refuses a per-event
 * `project` (see `V1_REFUSED_EVENT_FIELDS`) and takes the events of many sessions in one request.
 */
export type ApiVersion = 'legacy' | 'v1';

export const API_VERSIONS: readonly ApiVersion[] = ['legacy', 'v1'];

/** Event fields the v1 routes reject (`PostEventRequest` takes `project_id`, not `project`): the API key decides the project. */
export const V1_REFUSED_EVENT_FIELDS: readonly string[] = ['project'];

/** The v1 route that takes the events of any number of sessions at once. */
export const V1_EVENT_BATCH_PATH = '/v1/events/batch';

export interface HoneyHiveApiOptions {
  serverUrl: string;
  apiVersion: ApiVersion;
  /** How the proxy requests go through is named in network errors, credentials already removed; absent when direct. */
  proxyDescription?: string;
  timeoutMillis: number;
  /** The export deadline, named in the message when it runs out. */
  exportTimeoutMillis: number;
  /** Values redacted from every message (the API key). */
  secrets: readonly string[];
}

const STATUS_HINTS: Readonly<Record<number, string>> = {
  400: 'HoneyHive rejected the payload',
  401: 'check the API key (apiKey / HH_API_KEY)',
  403: 'the API key may not write to this project (check apiKey and project)',
  404: 'check the server URL (serverUrl / HH_API_URL)',
  407: 'the proxy wants credentials: put them in its URL (http://user:password@proxy:port)',
  413: 'the request was too large (lower maxBatchBytes / HH_MAX_BATCH_BYTES)',
  429: 'HoneyHive is rate limiting this key',
};

/** A 404 on v1 may also mean a server without the v1 API. */
const V1_NOT_FOUND_HINT = `${STATUS_HINTS[404]}, or whether it serves the v1 API (apiVersion / HH_API_VERSION)`;

/** An id made safe for a URL path: it must be a UUID (the transform makes sure), and is encoded anyway. */
function idInPath(id: string, what: string): string {
  if (typeof id !== 'string' || !isUuid(id)) {
    throw new TypeError(
      `refusing to put ${what} ${JSON.stringify(String(id).slice(0, 80))} in a URL: it is not a UUID`,
    );
  }
  return encodeURIComponent(id.toLowerCase());
}

/** The legacy path that adds events to a session. */
export function addEventsPath(sessionId: string): string {
  return `/session/${idInPath(sessionId, 'session id')}/traces`;
}

/** The ids a 500 from `POST /v1/events/batch` says were created, when it lists any. */
export function createdEventIds(failure: HttpFailure): string[] | undefined {
  if (failure.kind !== 'http' || failure.status !== 500) return undefined;
  const ids = (failure.body as { event_ids?: unknown } | undefined)?.event_ids;
  if (!Array.isArray(ids) || ids.length === 0) return undefined;
  return ids.filter((id): id is string => typeof id === 'string');
}

export function createHoneyHiveApi(transport: HttpTransport, options: HoneyHiveApiOptions): HoneyHiveApi {
  async function send(
    method: 'POST' | 'PUT',
    path: string,
    body: string | Buffer,
    call: ApiCall,
    partial = false,
  ): Promise<ApiOutcome> {
    const result = await transport.post({
      ...(method === 'PUT' ? { method } : {}),
      path,
      body,
      timeoutMillis: options.timeoutMillis,
      deadline: call.deadline,
      ...(call.signal ? { signal: call.signal } : {}),
      ...(partial ? { answeredInPart: (failure: HttpFailure) => createdEventIds(failure) !== undefined } : {}),
    });
    if (result.ok) return { ok: true };
    const { body: responseBody, ...failure } = result.error;
    const request = `${method} ${path}`;
    const message = redactSecrets(describeFailure(request, failure, responseBody, options), options.secrets);
    const created = partial ? createdEventIds(result.error) : undefined;
    const error = new HoneyHiveRequestError(
      message,
      failure,
      created && new Set(created.map((id) => id.toLowerCase())),
    );
    return { ok: false, error };
  }
  const v1 = options.apiVersion === 'v1';
  return {
    addEvents(sessionId, events, call) {
      const body = eventsBody(events);
      if (v1) return send('POST', V1_EVENT_BATCH_PATH, body, call, true);
      return send('POST', addEventsPath(sessionId), body, call);
    },
    updateEvent(eventId, update, call) {
      if (v1) return send('PUT', `/v1/events/${idInPath(eventId, 'event id')}`, JSON.stringify(update), call);
      const body: LegacyUpdateEventRequest = { event_id: eventId.toLowerCase(), ...update };
      return send('PUT', '/events', JSON.stringify(body), call);
    },
  };
}

const EVENTS_OPEN = '{"events":[';
const EVENTS_CLOSE = ']}';
const COMMA = 0x2c;

/**
 * `{"events":[...]}` as the UTF-8 bytes sent, each event's JSON written straight into one buffer of the size
 * the events' byte counts add up to: joining the strings first would copy a body of up to `maxBatchBytes`
 * twice more (the join, then its encoding). Each count must be its JSON's UTF-8 length, as measured when it
 * was serialised (a count equal to the JSON's length means all ASCII, written as Latin-1, one byte a
 * character); a count that does not match the bytes written is caught and the body is made from measured
 * counts, so no uninitialised byte is ever sent.
 */
export function eventsBody(events: readonly EventJson[]): Buffer {
  return writtenBody(events) ?? writtenBody(events.map(({ json }) => ({ json, bytes: Buffer.byteLength(json) })))!;
}

function writtenBody(events: readonly EventJson[]): Buffer | undefined {
  let size = EVENTS_OPEN.length + EVENTS_CLOSE.length + Math.max(0, events.length - 1);
  for (let i = 0; i < events.length; i++) size += events[i]!.bytes;
  const body = Buffer.allocUnsafe(size);
  let at = body.write(EVENTS_OPEN, 0, 'latin1');
  for (let i = 0; i < events.length; i++) {
    const { json, bytes } = events[i]!;
    if (i > 0 && at < size) body[at++] = COMMA;
    if (at + bytes > size) return undefined;
    // As many bytes as characters: all ASCII, which Latin-1 writes as UTF-8 would, only faster.
    const written = body.write(json, at, bytes === json.length ? 'latin1' : 'utf8');
    if (written !== bytes) return undefined;
    at += written;
  }
  at += body.write(EVENTS_CLOSE, at, 'latin1');
  return at === size ? body : undefined;
}

function describeFailure(request: string, failure: HttpFailure, body: unknown, options: HoneyHiveApiOptions): string {
  const attempts =
    failure.attempts !== undefined && failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
  const unreachable = (): string => {
    const via = options.proxyDescription === undefined ? '' : ` through ${options.proxyDescription}`;
    return `could not reach HoneyHive at ${options.serverUrl}${via} for ${request} (${failure.code ?? 'network error'})${attempts}`;
  };
  const deadline = `the export deadline of ${options.exportTimeoutMillis} ms (exportTimeoutMillis / HH_EXPORT_TIMEOUT_MS)`;
  switch (failure.kind) {
    case 'timeout':
      return `HoneyHive did not answer ${request} within ${options.timeoutMillis} ms${attempts}`;
    case 'network':
      return unreachable();
    case 'deadline':
      // With a code, the connection breaker held it back: HoneyHive stayed unreachable.
      if (failure.code !== undefined) return `${unreachable()}, and the next try would come after ${deadline}`;
      return `${request} ran out of time${attempts}: ${deadline} passed before it could be sent`;
    case 'aborted':
      return `${request} was cancelled${attempts}: the exporter is shutting down`;
    case 'http':
      break;
  }
  const status = failure.status ?? 0;
  const reason = reasonFromBody(body);
  const hint =
    (status === 404 && options.apiVersion === 'v1' ? V1_NOT_FOUND_HINT : STATUS_HINTS[status]) ??
    (status >= 500 ? 'HoneyHive had a server error' : undefined);
  const redirect = status >= 300 && status < 400 ? 'the server redirected; set serverUrl to the final URL' : undefined;
  return [`HoneyHive answered ${status} to ${request}${attempts}`, reason, hint ?? redirect].filter(Boolean).join(': ');
}

/** HoneyHive's envelope carries `message`; proxies answer with other bodies or plain text. Either way it is the server's text: sanitised. */
function reasonFromBody(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') return sanitizeServerText(message);
    return sanitizeServerText(JSON.stringify(body));
  }
  if (typeof body === 'string' && body.trim() !== '') return sanitizeServerText(body) || undefined;
  return undefined;
}
