/**
 * The HTTP transport: one JSON POST, one plain result. The rest of the
 * exporter never sees an axios error (they carry request headers, and so the
 * API key); it sees {@link HttpResult}. Wrappers (retries, concurrency slots)
 * implement the same {@link HttpTransport} interface around it.
 */
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import axios, { type AxiosInstance } from 'axios';
import { createConnectionAgents } from './connection-agents';

export type HttpResult = HttpSuccess | HttpFailure;

export interface HttpSuccess {
  ok: true;
  status: number;
  body: unknown;
}

/**
 * Why a request did not succeed:
 * - `http`: the server answered with a non-2xx status;
 * - `network`: no answer (refused, reset, DNS, unreachable);
 * - `timeout`: no answer within the request's time;
 * - `deadline`: the export's deadline left no time to send (or resend) it;
 * - `aborted`: the exporter is shutting down and cancelled it.
 */
export type HttpFailureKind = 'http' | 'network' | 'timeout' | 'deadline' | 'aborted';

export interface HttpFailure {
  ok: false;
  kind: HttpFailureKind;
  /** The HTTP status, for `http` failures. */
  status?: number;
  /**
   * The system error code for `network` and `timeout` failures (ECONNREFUSED, ECONNRESET, ...); on a
   * `deadline` failure, the connection error that kept the request from being sent before its deadline.
   */
  code?: string;
  /** The response body, for `http` failures. */
  body?: unknown;
  /** `Retry-After`, as given, for `http` failures. */
  retryAfter?: string;
  /** How many times the request was sent, when a retrying wrapper sent it more than once. */
  attempts?: number;
}

export interface HttpRequest {
  /** Path under the server URL, already encoded. */
  path: string;
  /** The JSON body, serialised; bytes when a wrapper encoded it (and said how in `contentEncoding`). */
  body: string | Buffer;
  /** The body's `Content-Encoding`, when it is not sent as it is. */
  contentEncoding?: 'gzip';
  /** The most one attempt may take, in milliseconds. */
  timeoutMillis: number;
  /** Epoch milliseconds (Date.now clock) after which nothing more may be sent; attempts are shortened to end by then. */
  deadline?: number;
  /** Cancels the request (and any wait for it). */
  signal?: AbortSignal;
}

export interface HttpTransport {
  /** POSTs a JSON body. Never rejects. */
  post(request: HttpRequest): Promise<HttpResult>;
  /** Releases kept-alive sockets. */
  shutdown(): void;
}

export interface AxiosTransportOptions {
  serverUrl: string;
  /** Every request's headers, Authorization included. */
  headers: Record<string, string>;
  /** The proxy to send through, credentials included; absent to connect directly. */
  proxyUrl?: string;
}

/** Responses are read up to this size; HoneyHive's answers are small. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** The time an attempt may take: its own timeout, shortened to end by the deadline; 0 when no time is left. */
export function attemptTimeout(request: Pick<HttpRequest, 'timeoutMillis' | 'deadline'>, now = Date.now()): number {
  if (request.deadline === undefined) return request.timeoutMillis;
  return Math.max(0, Math.min(request.timeoutMillis, request.deadline - now));
}

export function createAxiosTransport(options: AxiosTransportOptions): HttpTransport {
  const { httpAgent, httpsAgent, proxy } = createConnectionAgents(options.serverUrl, options.proxyUrl);
  const client: AxiosInstance = axios.create({
    baseURL: options.serverUrl,
    headers: { ...options.headers, 'Content-Type': 'application/json' },
    httpAgent,
    httpsAgent,
    proxy,
    // Following a redirect could carry the key to another host; a redirect is a misconfigured URL.
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: Infinity,
    validateStatus: () => true,
    // We hand axios a string already serialised; stop it from re-processing it.
    transformRequest: [(data: unknown) => data],
    responseType: 'text',
    transitional: { clarifyTimeoutError: true },
  });

  return {
    async post(request: HttpRequest): Promise<HttpResult> {
      const timeout = attemptTimeout(request);
      if (request.signal?.aborted) return { ok: false, kind: 'aborted' };
      if (timeout <= 0) return { ok: false, kind: 'deadline' };
      // Requests may start from timers that lost the processor's context: suppress tracing here, always.
      return context.with(suppressTracing(context.active()), () =>
        client
          .post<string>(request.path, request.body, {
            timeout,
            ...(request.signal ? { signal: request.signal } : {}),
            ...(request.contentEncoding ? { headers: { 'Content-Encoding': request.contentEncoding } } : {}),
          })
          .then(
            (response): HttpResult => {
              const parsed = parseBody(response.data);
              if (response.status >= 200 && response.status < 300)
                return { ok: true, status: response.status, body: parsed };
              const retryAfter = response.headers['retry-after'];
              return {
                ok: false,
                kind: 'http',
                status: response.status,
                body: parsed,
                ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
              };
            },
            (error: unknown): HttpResult =>
              request.signal?.aborted ? { ok: false, kind: 'aborted' } : networkFailure(error),
          ),
      );
    },
    shutdown(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Keeps only the error's code: the axios error itself holds the request, headers and all. */
function networkFailure(error: unknown): HttpFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return { ok: false, kind: 'timeout', code };
  return { ok: false, kind: 'network', ...(code !== undefined ? { code } : {}) };
}
