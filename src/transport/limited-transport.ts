/**
 * A cap on HTTP requests in flight. A request beyond the cap waits its turn
 * (first come, first served) until its deadline; it is never refused just for
 * arriving in a burst, as a BatchSpanProcessor flush or many small exports do.
 */
import type { Semaphore } from '../semaphore';
import type { TransportLayer } from './http-transport';

/** Requests in flight at once, by default. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

/** Each request holds one of `slots` while it is on the wire; waiting for one counts against its deadline. */
export function limitedLayer(slots: Semaphore): TransportLayer {
  return async (request, send) => {
    const release = await slots.acquire(request.deadline, request.signal);
    if (release === undefined) return { ok: false, error: { kind: request.signal?.aborted ? 'aborted' : 'deadline' } };
    try {
      return await send(request);
    } finally {
      release();
    }
  };
}
