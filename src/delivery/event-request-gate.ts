/**
 * Event requests are built only when they can go: a request's body (every
 * event of it written into one buffer) is made once it holds one of a fixed
 * number of turns, so a burst of exports waiting for the wire holds its
 * events once, not twice. Updates of a session or event are small and pass straight through.
 */
import type { HoneyHiveApi } from '../transport/honeyhive-api';
import { Semaphore } from '../semaphore';

export function withEventRequestsInTurn(api: HoneyHiveApi, turns: number): HoneyHiveApi {
  const requestTurns = new Semaphore(turns);
  return {
    updateEvent: (eventId, update, call) => api.updateEvent(eventId, update, call),
    async addEvents(sessionId, events, call) {
      // Without a turn by the deadline (or once cancelled), the request fails below as it would have.
      const release = await requestTurns.acquire(call.deadline, call.signal);
      try {
        return await api.addEvents(sessionId, events, call);
      } finally {
        release?.();
      }
    },
  };
}
