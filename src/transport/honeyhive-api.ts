/**
 * HoneyHive's endpoints over an {@link HttpTransport}: start a session, add
 * events to it. Every failure becomes a {@link HoneyHiveRequestError} whose
 * message names the request, the status and HoneyHive's own reason, and says
 * what to fix.
 */
import type { HoneyHiveSession, StartSessionRequest } from '../honeyhive-types';
import { redactSecrets } from '../redact';
import { isUuid } from '../transform/ids';
import type { HttpFailure, HttpTransport } from './http-transport';

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

export interface HoneyHiveApiOptions {
  serverUrl: string;
  timeoutMillis: number;
  /** The export deadline, named in the message when it runs out. */
  exportTimeoutMillis: number;
  /** Values scrubbed from every message (the API key). */
  secrets: readonly string[];
}

/** Longest piece of a response body quoted in an error message. */
const MAX_QUOTED_BODY = 500;

const STATUS_HINTS: Readonly<Record<number, string>> = {
  400: 'HoneyHive rejected the payload',
  401: 'check the API key (apiKey / HH_API_KEY)',
  403: 'the API key may not write to this project (check apiKey and project)',
  404: 'check the server URL (serverUrl / HH_API_URL)',
  413: 'the request was too large (lower maxBatchBytes / HH_MAX_BATCH_BYTES)',
  429: 'HoneyHive is rate limiting this key',
};

/** The path that adds events to a session; the id must be a UUID (the transform makes sure), and is encoded anyway. */
export function addEventsPath(sessionId: string): string {
  if (typeof sessionId !== 'string' || !isUuid(sessionId)) {
    throw new TypeError(
      `refusing to put session id ${JSON.stringify(String(sessionId).slice(0, 80))} in a URL: it is not a UUID`,
    );
  }
  return `/session/${encodeURIComponent(sessionId.toLowerCase())}/traces`;
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
      const body: StartSessionRequest = { session };
      return post('/session/start', JSON.stringify(body), call);
    },
    async addEvents(sessionId, eventJsons, call) {
      return post(addEventsPath(sessionId), `{"events":[${eventJsons.join(',')}]}`, call);
    },
  };
}

function describeFailure(request: string, failure: HttpFailure, body: unknown, options: HoneyHiveApiOptions): string {
  const attempts =
    failure.attempts !== undefined && failure.attempts > 1 ? ` (after ${failure.attempts} attempts)` : '';
  switch (failure.kind) {
    case 'timeout':
      return `HoneyHive did not answer ${request} within ${options.timeoutMillis} ms${attempts}`;
    case 'network':
      return `could not reach HoneyHive at ${options.serverUrl} for ${request} (${failure.code ?? 'network error'})${attempts}`;
    case 'deadline':
      return (
        `${request} ran out of time${attempts}: the export deadline of ${options.exportTimeoutMillis} ms ` +
        '(exportTimeoutMillis / HH_EXPORT_TIMEOUT_MS) passed before it could be sent'
      );
    case 'aborted':
      return `${request} was cancelled${attempts}: the exporter is shutting down`;
    case 'http':
      break;
  }
  const status = failure.status ?? 0;
  const reason = reasonFromBody(body);
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'HoneyHive had a server error' : undefined);
  const redirect = status >= 300 && status < 400 ? 'the server redirected; set serverUrl to the final URL' : undefined;
  return [`HoneyHive answered ${status} to ${request}${attempts}`, reason, hint ?? redirect].filter(Boolean).join(': ');
}

/** HoneyHive's envelope carries `message`; proxies answer with other bodies or plain text. */
function reasonFromBody(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message.slice(0, MAX_QUOTED_BODY);
    return JSON.stringify(body).slice(0, MAX_QUOTED_BODY);
  }
  if (typeof body === 'string' && body.trim() !== '') return body.trim().slice(0, MAX_QUOTED_BODY);
  return undefined;
}
