/**
 * HoneyHive's endpoints over an {@link HttpTransport}: start a session, add
 * events to it. Every failure becomes a {@link HoneyHiveRequestError} whose
 * message names the request, the status and HoneyHive's own reason, and says
 * what to fix.
 */
import type { AddEventsRequest, HoneyHiveEvent, HoneyHiveSession, StartSessionRequest } from '../honeyhive-types';
import { redactSecrets } from '../redact';
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

export interface HoneyHiveApi {
  startSession(session: HoneyHiveSession): Promise<void>;
  addEvents(sessionId: string, events: HoneyHiveEvent[]): Promise<void>;
}

export interface HoneyHiveApiOptions {
  serverUrl: string;
  timeoutMillis: number;
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
  413: 'the request was too large',
  429: 'HoneyHive is rate limiting this key',
};

export function createHoneyHiveApi(transport: HttpTransport, options: HoneyHiveApiOptions): HoneyHiveApi {
  async function post(path: string, body: unknown): Promise<void> {
    const result = await transport.post(path, JSON.stringify(body), options.timeoutMillis);
    if (result.ok) return;
    const { body: responseBody, ...failure } = result;
    const message = redactSecrets(describeFailure(`POST ${path}`, result, responseBody, options), options.secrets);
    throw new HoneyHiveRequestError(message, failure);
  }
  return {
    startSession(session: HoneyHiveSession): Promise<void> {
      const body: StartSessionRequest = { session };
      return post('/session/start', body);
    },
    addEvents(sessionId: string, events: HoneyHiveEvent[]): Promise<void> {
      const body: AddEventsRequest = { events };
      return post(`/session/${encodeURIComponent(sessionId)}/traces`, body);
    },
  };
}

function describeFailure(request: string, failure: HttpFailure, body: unknown, options: HoneyHiveApiOptions): string {
  if (failure.kind === 'timeout') return `HoneyHive did not answer ${request} within ${options.timeoutMillis} ms`;
  if (failure.kind === 'network') {
    return `could not reach HoneyHive at ${options.serverUrl} for ${request} (${failure.code ?? 'network error'})`;
  }
  const status = failure.status ?? 0;
  const reason = reasonFromBody(body);
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'HoneyHive had a server error' : undefined);
  const redirect = status >= 300 && status < 400 ? 'the server redirected; set serverUrl to the final URL' : undefined;
  return [`HoneyHive answered ${status} to ${request}`, reason, hint ?? redirect].filter(Boolean).join(': ');
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
