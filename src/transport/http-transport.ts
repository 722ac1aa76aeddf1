/**
 * The HTTP transport: one JSON POST, one plain result. The rest of the
 * exporter never sees an axios error (they carry request headers, and so the
 * API key); it sees {@link HttpResult}.
 */
import http from 'node:http';
import https from 'node:https';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import axios, { type AxiosInstance } from 'axios';

export type HttpResult = HttpSuccess | HttpFailure;

export interface HttpSuccess {
  ok: true;
  status: number;
  body: unknown;
}

export interface HttpFailure {
  ok: false;
  /** `http`: the server answered with a non-2xx status; `network`: no answer (refused, reset, DNS); `timeout`: no answer in time. */
  kind: 'http' | 'network' | 'timeout';
  /** The HTTP status, for `http` failures. */
  status?: number;
  /** The system error code for `network` failures (ECONNREFUSED, ECONNRESET, ...). */
  code?: string;
  /** The response body, for `http` failures. */
  body?: unknown;
  /** `Retry-After`, as given, for `http` failures. */
  retryAfter?: string;
}

export interface HttpTransport {
  /** POSTs a JSON body to a path under the server URL. Never rejects. */
  post(path: string, body: string, timeoutMillis: number): Promise<HttpResult>;
  /** Releases kept-alive sockets. */
  shutdown(): void;
}

export interface AxiosTransportOptions {
  serverUrl: string;
  /** Every request's headers, Authorization included. */
  headers: Record<string, string>;
}

/** Responses are read up to this size; HoneyHive's answers are small. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export function createAxiosTransport(options: AxiosTransportOptions): HttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  const client: AxiosInstance = axios.create({
    baseURL: options.serverUrl,
    headers: { ...options.headers, 'Content-Type': 'application/json' },
    httpAgent,
    httpsAgent,
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
    post(path: string, body: string, timeoutMillis: number): Promise<HttpResult> {
      // Requests may start from timers that lost the processor's context: suppress tracing here, always.
      return context.with(suppressTracing(context.active()), () =>
        client.post<string>(path, body, { timeout: timeoutMillis }).then(
          (response): HttpResult => {
            const parsed = parseBody(response.data);
            if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, body: parsed };
            const retryAfter = response.headers['retry-after'];
            return {
              ok: false,
              kind: 'http',
              status: response.status,
              body: parsed,
              ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
            };
          },
          (error: unknown): HttpResult => networkFailure(error),
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
