/**
 * HoneyHive's endpoints over an {@link HttpTransport}: start a session, add
 * events to it, through the legacy routes (`POST /session/start`,
 * `POST /session/{id}/traces`) or the v1 ones (`POST /v1/sessions`,
 * `POST /v1/sessions/{id}/events/batch`). Every failure becomes a
 * {@link HoneyHiveRequestError} whose message names the request, the status
 * and HoneyHive's own reason, and says what to fix.
 */
import type { HoneyHiveSession, StartSessionRequest } from '../honeyhive-types';
import { redactSecrets } from '../redact';
import { isUuid } from '../transform/ids';
import type { HttpFailure, HttpTransport } from './http-transport';
import { sanitizeServerText } from './server-text';

export class HoneyHiveRequestError extends Error {
  override readonly name = 'HoneyHiveRequestError';

  constructor(
    message: string,
    /** What went wrong, without the response body. */
    readonly failure: Omit<HttpFailure, 'body'>,
  ) {
    super(message);
  }
}

export type ApiOutcome = { ok: true } | { ok: false; error: HoneyHiveRequestError };

/** Limits of one call: everything it does (waiting for a slot, retries) ends by `deadline`. */
export interface ApiCall {
  /** Epoch milliseconds. */
  deadline: number;
  signal?: AbortSignal;
}

export interface HoneyHiveApi {
  startSession(session: HoneyHiveSession, call: ApiCall): Promise<ApiOutcome>;
  /** Sends events already serialised (one JSON object each), as one request. */
  addEvents(sessionId: string, eventJsons: readonly string[], call: ApiCall): Promise<ApiOutcome>;
}

/**
 * Which of HoneyHive's ingestion APIs to use. Both take the same `{"events": [...]}` body; v1 refuses a
 * per-event `project` (see `V1_REFUSED_EVENT_FIELDS`) and takes the session start unwrapped.
 */
export type ApiVersion = 'legacy' | 'v1';

export const API_VERSIONS: readonly ApiVersion[] = ['legacy', 'v1'];

/** Event fields the v1 batch route rejects: the project comes from the API key there. */
export const V1_REFUSED_EVENT_FIELDS: readonly string[] = ['project', 'project_id'];

export interface HoneyHiveApiOptions {
  serverUrl: string;
  apiVersion: ApiVersion;
  /** How the proxy requests go through is named in network errors, credentials already removed; absent when direct. */
  proxyDescription?: string;
  timeoutMillis: number;
  /** The export deadline, named in the message when it runs out. */
  exportTimeoutMillis: number;
  /** Values scrubbed from every message (the API key). */
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

/** The path that adds events to a session; the id must be a UUID (the transform makes sure), and is encoded anyway. */
export function addEventsPath(sessionId: string, apiVersion: ApiVersion = 'legacy'): string {
  if (typeof sessionId !== 'string' || !isUuid(sessionId)) {
    throw new TypeError(
      `refusing to put session id ${JSON.stringify(String(sessionId).slice(0, 80))} in a URL: it is not a UUID`,
    );
  }
  const id = encodeURIComponent(sessionId.toLowerCase());
  return apiVersion === 'v1' ? `/v1/sessions/${id}/events/batch` : `/session/${id}/traces`;
}

/**
 * The fields `POST /v1/sessions` takes (its schema refuses any other, `project` included: the API key
 * decides the project there).
 */
export const V1_SESSION_FIELDS: readonly string[] = [
  'session_id',
  'session_name',
  'event_name',
  'source',
  'start_time',
  'end_time',
  'duration',
  'config',
  'inputs',
  'outputs',
  'metadata',
  'user_properties',
  'children_ids',
];

/** The session as `POST /v1/sessions` takes it: its own fields only. */
export function sessionForV1(session: HoneyHiveSession): HoneyHiveSession {
  const shaped: Record<string, unknown> = {};
  for (const field of V1_SESSION_FIELDS) {
    const value = (session as unknown as Record<string, unknown>)[field];
    if (value !== undefined) shaped[field] = value;
  }
  return shaped as unknown as HoneyHiveSession;
}

/** The path and body that start a session: wrapped as `{session}` on the legacy route, the object itself on v1. */
function startSessionRequest(session: HoneyHiveSession, apiVersion: ApiVersion): { path: string; body: string } {
  if (apiVersion === 'v1') return { path: '/v1/sessions', body: JSON.stringify(sessionForV1(session)) };
  const body: StartSessionRequest = { session };
  return { path: '/session/start', body: JSON.stringify(body) };
}

export function createHoneyHiveApi(transport: HttpTransport, options: HoneyHiveApiOptions): HoneyHiveApi {
  async function post(path: string, body: string, call: ApiCall): Promise<ApiOutcome> {
    const result = await transport.post({
      path,
      body,
      timeoutMillis: options.timeoutMillis,
      deadline: call.deadline,
      ...(call.signal ? { signal: call.signal } : {}),
    });
    if (result.ok) return { ok: true };
    const { body: responseBody, ...failure } = result;
    const message = redactSecrets(describeFailure(`POST ${path}`, result, responseBody, options), options.secrets);
    return { ok: false, error: new HoneyHiveRequestError(message, failure) };
  }
  return {
    startSession(session, call) {
      const request = startSessionRequest(session, options.apiVersion);
      return post(request.path, request.body, call);
    },
    async addEvents(sessionId, eventJsons, call) {
      return post(addEventsPath(sessionId, options.apiVersion), `{"events":[${eventJsons.join(',')}]}`, call);
    },
  };
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
