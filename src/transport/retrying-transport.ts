/**
 * Sending a failed request again, as {@link planRetry} decides: retryable
 * failures only, exponential backoff with jitter, the server's Retry-After or
 * the wait a layer below gives (the connection breaker's), and never a retry
 * that could not be made before the request's deadline. It decides from the
 * results alone, so it wraps any transport.
 */
import { abortableSleep } from './abortable-sleep';
import type { HttpFailure, HttpResult, TransportLayer } from './http-transport';
import { planRetry, type RetryPolicy } from './retry-policy';

export interface RetryingLayerOptions {
  policy: RetryPolicy;
  /** Jitter source, [0, 1). Default Math.random. */
  random?: () => number;
  /** Told each attempt's result, as it comes. */
  onAttempt?: (result: HttpResult) => void;
  /** Told before each wait: the failure, which retry comes next (1 for the first), and the wait. */
  onRetry?: (failure: HttpFailure, retry: number, delayMillis: number) => void;
}

export function retryingLayer(options: RetryingLayerOptions): TransportLayer {
  const random = options.random ?? Math.random;
  return async (request, send) => {
    for (let retriesDone = 0; ; retriesDone++) {
      const result = await send(request);
      options.onAttempt?.(result);
      if (result.ok || request.answeredInPart?.(result.error)) return result;
      const decision = planRetry({
        failure: result.error,
        retriesDone,
        policy: options.policy,
        now: Date.now(),
        deadline: request.deadline,
        random: random(),
      });
      if (!decision.retry) {
        return retriesDone > 0 ? { ok: false, error: { ...result.error, attempts: retriesDone + 1 } } : result;
      }
      options.onRetry?.(result.error, retriesDone + 1, decision.delayMillis);
      if (!(await abortableSleep(decision.delayMillis, request.signal))) {
        return { ok: false, error: { kind: 'aborted', attempts: retriesDone + 1 } };
      }
    }
  };
}
