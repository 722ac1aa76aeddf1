/** A scripted HttpTransport for the layer tests: answers from a list, records each request. */
import type { HttpFailure, HttpRequest, HttpResult, HttpTransport } from '../../src/transport/http-transport';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DELAY_MILLIS, type RetryPolicy } from '../../src/transport/retry-policy';

export interface ScriptedTransport extends HttpTransport {
  requests: HttpRequest[];
  /** Times (Date.now) at which each request arrived. */
  times: number[];
}

/** Answers with `results` in turn, then keeps answering with the last one. */
export function scriptedTransport(results: HttpResult[]): ScriptedTransport {
  const requests: HttpRequest[] = [];
  const times: number[] = [];
  return {
    requests,
    times,
    async post(request) {
      requests.push(request);
      times.push(Date.now());
      return results[Math.min(requests.length - 1, results.length - 1)]!;
    },
    shutdown() {},
  };
}

/** The exporter's defaults (`maxRetries`, `retryDelayMillis`). */
export const DEFAULT_POLICY: RetryPolicy = {
  maxRetries: DEFAULT_MAX_RETRIES,
  retryDelayMillis: DEFAULT_RETRY_DELAY_MILLIS,
};

export const OK: HttpResult = { ok: true, value: { status: 200 } };

export const failed = (error: HttpFailure): HttpResult => ({ ok: false, error });

export const status = (code: number, retryAfter?: string): HttpResult =>
  failed({ kind: 'http', status: code, ...(retryAfter ? { retryAfter } : {}) });
