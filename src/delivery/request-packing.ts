/**
 * Bounding requests: a session's events go out in requests of at most a number
 * of events and bytes, and a request HoneyHive finds too large (413) is split
 * in halves. Pure functions over events already serialised.
 */

import type { EventJson } from '../transport/honeyhive-api';

/** One event as it will be sent: its JSON and size, and its id. */
export interface SerializedEvent extends EventJson {
  eventId: string;
}

/** Bytes of `{"events":[]}` around the events, and of each comma between them. */
export const EVENTS_ENVELOPE_BYTES = '{"events":[]}'.length;

/**
 * Events packed in order into requests of at most `maxEvents` events and
 * `maxBytes` bytes of body. An event too large on its own still gets a request
 * of its own (the caller fits events to the limit first).
 */
export function packRequests(
  events: readonly SerializedEvent[],
  maxEvents: number,
  maxBytes: number,
): SerializedEvent[][] {
  const requests: SerializedEvent[][] = [];
  let current: SerializedEvent[] = [];
  let currentBytes = EVENTS_ENVELOPE_BYTES;
  for (const event of events) {
    const added = event.bytes + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length >= maxEvents || currentBytes + added > maxBytes)) {
      requests.push(current);
      current = [];
      currentBytes = EVENTS_ENVELOPE_BYTES;
    }
    currentBytes += event.bytes + (current.length > 0 ? 1 : 0);
    current.push(event);
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** A request's events in two halves (the first one larger by one when odd); a single event cannot be split. */
export function splitInHalves<T>(events: readonly T[]): [T[], T[]] | undefined {
  if (events.length < 2) return undefined;
  const middle = Math.ceil(events.length / 2);
  return [events.slice(0, middle), events.slice(middle)];
}
