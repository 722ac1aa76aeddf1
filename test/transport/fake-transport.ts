/** A scripted HttpTransport for the wrapper tests: answers from a list, records each request. */
import type { HttpRequest, HttpResult, HttpTransport } from '../../src/transport/http-transport';

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

export const OK: HttpResult = { ok: true, status: 200, body: { success: true } };
export const status = (code: number, retryAfter?: string): HttpResult => ({
  ok: false,
  kind: 'http',
  status: code,
  ...(retryAfter ? { retryAfter } : {}),
});
