/**
 * Waits `millis`; resolves false at once if `signal` aborts first, so shutdown never waits out a backoff.
 * The timer is unref'd: a backoff never keeps an otherwise finished process alive.
 */
export function abortableSleep(millis: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, millis).unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
