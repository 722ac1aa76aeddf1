/**
 * One backoff for the whole exporter while HoneyHive cannot be reached. The
 * first attempt that fails to connect (refused, reset, DNS, unreachable) opens
 * the breaker: from then on no request goes out until the shared wait is over,
 * when one request alone tries (the probe) while the others wait for its
 * outcome. A probe that fails to connect makes the next wait longer (the
 * ladder a single request climbs, jittered, but at most about a second, so a
 * server that is back is found again quickly); any answer from
 * the server closes the breaker and lets every waiting request go. A request
 * whose deadline comes before the next try gives up at once instead of waiting
 * for nothing, so the requests of an export fail (to the spool) together.
 *
 * Timeouts and HTTP errors never open it: the server was reached, and each
 * request retries those on its own.
 */
import type { HttpFailure, HttpResult, TransportLayer } from './http-transport';
import {
  BACKOFF_JITTER,
  backoffMillis,
  isConnectionFailure,
  MIN_ATTEMPT_MILLIS,
  type RetryPolicy,
} from './retry-policy';

/**
 * The longest wait between probes (jittered): once HoneyHive is back, exports find out within about a
 * second, not after a backoff grown through a long outage. A probe is one connection attempt.
 */
export const MAX_PROBE_INTERVAL_MILLIS = 1_000;

/** Leave to send one attempt, given by {@link ConnectionBreaker.admit}. */
export interface Admission {
  /** True for the one attempt that tries the connection while the breaker is open. */
  probe: boolean;
  /** The breaker's state when the attempt was let through, so a late failure of an earlier one is recognised. */
  generation: number;
}

export class ConnectionBreaker {
  /** Probes (the opening failure included) that failed in a row; 0 while closed. */
  private failures = 0;
  /** While open: when the next probe may go (Date.now clock). */
  private retryAt = 0;
  private probing = false;
  /** Counts every opening and closing. */
  private generation = 0;
  private code: string | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** The error code of the failure that opened (or kept open) the breaker. */
  get lastCode(): string | undefined {
    return this.code;
  }

  /** How long until the next probe may go; 0 while closed, or while a probe is out (its outcome decides). */
  waitMillis(now = Date.now()): number {
    return this.failures > 0 && !this.probing ? Math.max(0, this.retryAt - now) : 0;
  }

  /**
   * Resolves when an attempt may be sent: at once while closed; while open, as the probe once the wait is
   * over, or when a probe reached the server. Resolves undefined when `signal` aborts, or at once when the
   * next try could not start well before `deadline` (or when the deadline passes waiting for a probe).
   */
  async admit(deadline: number | undefined, signal?: AbortSignal): Promise<Admission | undefined> {
    for (;;) {
      if (signal?.aborted) return undefined;
      if (this.failures === 0) return { probe: false, generation: this.generation };
      const now = Date.now();
      if (!this.probing && now >= this.retryAt) {
        this.probing = true;
        return { probe: true, generation: this.generation };
      }
      if (
        deadline !== undefined &&
        (now >= deadline || (!this.probing && this.retryAt + MIN_ATTEMPT_MILLIS > deadline))
      )
        return undefined;
      const until = this.probing ? deadline : this.retryAt;
      await this.nextChange(until === undefined ? undefined : until - now, signal);
    }
  }

  /** Told the result of every admitted attempt. */
  record(admission: Admission, result: HttpResult): void {
    if (result.ok || result.error.kind === 'http') {
      if (this.failures > 0) this.change(() => ((this.failures = 0), (this.generation += 1)));
      return;
    }
    const failure = result.error;
    if (isConnectionFailure(failure)) {
      // An attempt let through before the breaker opened (or after an earlier opening) changes nothing.
      const opens = this.failures === 0 && admission.generation === this.generation;
      if (opens || admission.probe) this.change(() => this.failed(failure, opens));
      return;
    }
    // Timed out, cancelled, or a failure that says nothing of the connection: the next waiter tries now.
    if (admission.probe) this.change(() => undefined);
  }

  private failed(failure: HttpFailure, opens: boolean): void {
    if (opens) this.generation += 1;
    const random = this.random();
    const cap = MAX_PROBE_INTERVAL_MILLIS * (1 + BACKOFF_JITTER * (2 * random - 1));
    this.retryAt = Date.now() + Math.round(Math.min(cap, backoffMillis(this.failures, this.policy, random)));
    this.failures += 1;
    this.code = failure.code;
  }

  /** Applies a change of state (the probe is over either way) and wakes every waiter to look again. */
  private change(apply: () => void): void {
    apply();
    this.probing = false;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves on the next change of state, after `millis` (if given), or on abort. */
  private nextChange(millis: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      // Unref'd: waiting for HoneyHive never keeps an otherwise finished process alive.
      const timer = millis === undefined ? undefined : setTimeout(wake, Math.max(0, millis)).unref();
      signal?.addEventListener('abort', wake, { once: true });
      this.waiters.add(wake);
    });
  }
}

/**
 * Each attempt asks the breaker first and tells it the result. An attempt the breaker holds back fails as
 * `deadline` (carrying the connection error's code) or `aborted`, without reaching the network. A
 * connection failure carries the breaker's wait (`retryInMillis`), so a retry above waits with every other
 * request. It sits inside the request slots, so a request that waited for a slot still meets an outage
 * that began meanwhile.
 */
export function gatedLayer(breaker: ConnectionBreaker): TransportLayer {
  return async (request, send) => {
    const admission = await breaker.admit(request.deadline, request.signal);
    if (admission === undefined) {
      if (request.signal?.aborted) return { ok: false, error: { kind: 'aborted' } };
      const code = breaker.lastCode;
      return { ok: false, error: { kind: 'deadline', ...(code === undefined ? {} : { code }) } };
    }
    const result = await send(request);
    breaker.record(admission, result);
    if (result.ok || !isConnectionFailure(result.error)) return result;
    return { ok: false, error: { ...result.error, retryInMillis: breaker.waitMillis() } };
  };
}
