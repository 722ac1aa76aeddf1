/**
 * A cap on HTTP requests in flight. A request beyond the cap waits its turn
 * (first come, first served) until its deadline; it is never refused just for
 * arriving in a burst, as a BatchSpanProcessor flush or many small exports do.
 */
import type { HttpRequest, HttpResult, HttpTransport } from './http-transport';

/** Requests in flight at once, by default. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

interface Waiter {
  grant: () => void;
}

/** A counting semaphore whose waiters give up at a deadline or on abort. */
export class RequestSlots {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer; got ${capacity}`);
  }

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with a release function once a slot is free, or with undefined at the deadline or on abort. */
  acquire(deadline: number | undefined, signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    if (this.used < this.capacity) {
      this.used += 1;
      return Promise.resolve(this.releaser());
    }
    if (deadline !== undefined && deadline <= Date.now()) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const giveUp = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        cleanup();
        resolve(undefined);
      };
      // Unref'd: waiting for a slot never keeps an otherwise finished process alive.
      const timer = deadline === undefined ? undefined : setTimeout(giveUp, deadline - Date.now()).unref();
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
      };
      const waiter: Waiter = {
        grant: () => {
          cleanup();
          resolve(this.releaser());
        },
      };
      signal?.addEventListener('abort', giveUp, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `used` stays the same.
      if (next) next.grant();
      else this.used -= 1;
    };
  }
}

/** Each request takes a slot for the time it is on the wire; waiting for one counts against its deadline. */
export function createLimitedTransport(inner: HttpTransport, slots: RequestSlots): HttpTransport {
  return {
    async post(request: HttpRequest): Promise<HttpResult> {
      const release = await slots.acquire(request.deadline, request.signal);
      if (release === undefined) return { ok: false, kind: request.signal?.aborted ? 'aborted' : 'deadline' };
      try {
        return await inner.post(request);
      } finally {
        release();
      }
    },
    shutdown(): void {
      inner.shutdown();
    },
  };
}
