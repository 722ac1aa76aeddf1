/**
 * A counting semaphore whose waiters give up at a deadline or on abort. A
 * waiter is served first come, first served; it is never refused just for
 * arriving in a burst.
 */

interface Waiter {
  grant: () => void;
}

export class Semaphore {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer; got ${capacity}`);
  }

  /** Permits held now. */
  get inUse(): number {
    return this.used;
  }

  /** Resolves with a release function once a permit is free, or with undefined at the deadline or on abort. */
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
      // Unref'd: waiting for a permit never keeps an otherwise finished process alive.
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
      // The permit passes straight to the next waiter, so `used` stays the same.
      if (next) next.grant();
      else this.used -= 1;
    };
  }
}
