/**
 * A transport that sends a failed request again, as {@link planRetry} decides:
 * retryable failures only, exponential backoff with jitter or the server's
 * Retry-After, and never a retry that could not be made before the request's
 * deadline. After a connection failure the wait is the connection breaker's,
 * shared by every request, when there is one. A wrapper around any
 * {@link HttpTransport}.
 */
import { abortableSleep } from './abortable-sleep';
import type { ConnectionBreaker } from './connection-breaker';
import type { HttpFailure, HttpRequest, HttpResult, HttpTransport } from './http-transport';
import { isConnectionFailure, planRetry, type RetryPolicy } from './retry-policy';

export interface RetryingTransportOptions {
  policy: RetryPolicy;
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
  /** Told before each wait: the failure, which retry comes next (1 for the first), and the wait. */
  onRetry?: (failure: HttpFailure, retry: number, delayMillis: number) => void;
  /** Paces the retries of connection failures: one wait for every request (the transport below must be gated by it). */
  breaker?: ConnectionBreaker;
}

export function createRetryingTransport(inner: HttpTransport, options: RetryingTransportOptions): HttpTransport {
  const random = options.random ?? Math.random;
  return {
    async post(request: HttpRequest): Promise<HttpResult> {
      for (let retriesDone = 0; ; retriesDone++) {
        const result = await inner.post(request);
        if (result.ok || request.answeredInPart?.(result)) return result;
        const now = Date.now();
        const shared = options.breaker !== undefined && isConnectionFailure(result);
        const decision = planRetry({
          failure: result,
          retriesDone,
          policy: options.policy,
          now,
          deadline: request.deadline,
          random: random(),
          ...(shared ? { delayMillis: options.breaker!.waitMillis(now) } : {}),
        });
        if (!decision.retry) return retriesDone > 0 ? { ...result, attempts: retriesDone + 1 } : result;
        options.onRetry?.(result, retriesDone + 1, decision.delayMillis);
        if (!(await abortableSleep(decision.delayMillis, request.signal))) {
          return { ok: false, kind: 'aborted', attempts: retriesDone + 1 };
        }
      }
    },
    shutdown(): void {
      inner.shutdown();
    },
  };
}
