/**
 * An event as the configured API takes it. The v1 batch route rejects a
 * per-event `project` (the project comes from the API key there); the legacy
 * route takes it. Fresh events are shaped before they are serialised; a
 * spooled event is shaped again when it is resent, since the spool may have
 * been written while the other API was configured.
 */
import type { JsonObject } from '../honeyhive-types';
import { setOwn } from '../transform/json-values';
import { V1_REFUSED_EVENT_FIELDS, type ApiVersion } from '../transport/honeyhive-api';
import type { SerializedEvent } from './request-packing';

/** The event itself when it already suits the API, else a shallow copy without the fields it refuses. */
export function eventForApi<T extends object>(event: T, apiVersion: ApiVersion): T {
  if (apiVersion === 'legacy' || !V1_REFUSED_EVENT_FIELDS.some((field) => Object.hasOwn(event, field))) return event;
  // Copied without them rather than deleted from a copy: a deletion makes the object slow to walk and serialise.
  const copy: JsonObject = {};
  for (const field of Object.keys(event)) {
    if (!V1_REFUSED_EVENT_FIELDS.includes(field)) setOwn(copy, field, (event as JsonObject)[field]!);
  }
  return copy as T;
}

/** A serialised event for the API: the same object unless it carries a field the API refuses. */
export function serializedEventForApi(event: SerializedEvent, apiVersion: ApiVersion): SerializedEvent {
  // Every refused field name starts with "project": JSON without it needs no parsing.
  if (apiVersion === 'legacy' || !event.json.includes('"project')) return event;
  const parsed = JSON.parse(event.json) as object;
  const shaped = eventForApi(parsed, apiVersion);
  if (shaped === parsed) return event;
  const json = JSON.stringify(shaped);
  return { eventId: event.eventId, json, bytes: Buffer.byteLength(json, 'utf8') };
}
