/** Waits `millis`; resolves false at once if `signal` aborts first, so shutdown never waits out a backoff. */
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
    }, millis);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
