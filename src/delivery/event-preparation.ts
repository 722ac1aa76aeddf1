/**
 * From transformed events to what is sent: content removed when
 * `sendContent` is false, the user's mask applied, the fields the API
 * refuses removed, values capped, the event fitted to a request, secrets
 * redacted, and serialised once.
 */
import type { HoneyHiveEvent, HoneyHiveSessionEvent } from '../honeyhive-types';
import type { Redactor } from '../redact';
import { runSteps } from '../steps';
import { setOwn } from '../transform/json-values';
import type { ApiVersion } from '../transport/honeyhive-api';
import { EVENTS_ENVELOPE_BYTES, type SerializedEvent } from './request-packing';
import { eventForApi } from './api-event-fields';
import { withoutContent } from './content-filter';
import { applyMask, MASK_FAILED_KEY, MASK_FAILED_MARKER, type EventMask } from './masking';
import { fitEvent, type FitLimits } from './truncation';

export interface PreparationOptions {
  sendContent: boolean;
  mask: EventMask | undefined;
  maxValueBytes: number;
  /** The largest request body; an event must fit in one alone. */
  maxBatchBytes: number;
  redact: Redactor;
  /** The API the events go to; v1 refuses a per-event project (removed after the mask, so a mask cannot put it back). */
  apiVersion: ApiVersion;
}

export interface PreparedEvents {
  events: SerializedEvent[];
  /** Events the mask dropped on purpose. */
  droppedByMask: number;
  /** Why the mask failed, once per failure (never the mask's own message). */
  maskFailures: string[];
  /** Events with at least one value cut, and how many values in all. */
  truncatedEvents: number;
  truncatedValues: number;
}

export function fitLimits(
  options: Pick<PreparationOptions, 'maxValueBytes' | 'maxBatchBytes' | 'redact'>,
  maxEventBytes?: number,
): FitLimits {
  return {
    maxValueBytes: options.maxValueBytes,
    maxEventBytes: maxEventBytes ?? options.maxBatchBytes - EVENTS_ENVELOPE_BYTES,
    redact: options.redact,
  };
}

export function prepareEvents(events: readonly HoneyHiveEvent[], options: PreparationOptions): PreparedEvents {
  return runSteps(prepareEventsInSteps(events, options));
}

/** The same as {@link prepareEvents}, paused after each event, so whoever drives it can let other work run in between. */
export function* prepareEventsInSteps(
  events: readonly HoneyHiveEvent[],
  options: PreparationOptions,
): Generator<undefined, PreparedEvents, undefined> {
  const prepared: PreparedEvents = {
    events: [],
    droppedByMask: 0,
    maskFailures: [],
    truncatedEvents: 0,
    truncatedValues: 0,
  };
  const limits = fitLimits(options);
  for (const original of events) {
    const fitted = prepareOne(original, options, limits, prepared);
    if (fitted) prepared.events.push({ eventId: fitted.event.event_id, json: fitted.json, bytes: fitted.bytes });
    yield;
  }
  return prepared;
}

/** A session's own event ready for the wire: the object, and its JSON. */
export interface PreparedSession {
  event: HoneyHiveSessionEvent;
  serialized: SerializedEvent;
}

/**
 * A session's own event made ready like any event (content, mask, API fields, limits, secrets), as an
 * object (what a later batch adds to the session is worked out from it) and as the JSON that creates it.
 * Undefined when the mask dropped it. Its inputs and outputs are its root's, so the mask must see it; but
 * it is not a span's event, so nothing about it is counted (a failing mask fails closed here too, and is
 * counted on the events themselves).
 */
export function prepareSessionEvent(
  session: HoneyHiveSessionEvent,
  options: PreparationOptions,
): PreparedSession | undefined {
  const uncounted: PreparedEvents = {
    events: [],
    droppedByMask: 0,
    maskFailures: [],
    truncatedEvents: 0,
    truncatedValues: 0,
  };
  // The mask and filters read it as an event: it has every field one has, with type `session` and no parent.
  const fitted = prepareOne(session as unknown as HoneyHiveEvent, options, fitLimits(options), uncounted);
  if (!fitted) return undefined;
  const prepared = fitted.event as unknown as HoneyHiveSessionEvent;
  // Its ids and type are what make it the session's; a mask may not change them (its JSON is made again if it did).
  const intact =
    prepared.event_type === 'session' &&
    prepared.event_id === session.session_id &&
    prepared.session_id === session.session_id;
  prepared.event_type = 'session';
  prepared.event_id = session.session_id;
  prepared.session_id = session.session_id;
  const json = intact ? fitted.json : JSON.stringify(prepared);
  const bytes = intact ? fitted.bytes : Buffer.byteLength(json, 'utf8');
  return { event: prepared, serialized: { eventId: prepared.event_id, json, bytes } };
}

function prepareOne(
  original: HoneyHiveEvent,
  options: PreparationOptions,
  limits: FitLimits,
  counts: PreparedEvents,
): ReturnType<typeof fitEvent> | undefined {
  let event = options.sendContent ? original : withoutContent(original);
  if (options.mask) {
    const masked = applyMask(event, options.mask);
    if (!masked.ok) {
      counts.maskFailures.push(masked.error.reason);
      event = masked.error.fallback;
    } else if (masked.value === null) {
      counts.droppedByMask += 1;
      return undefined;
    } else {
      event = masked.value;
    }
  }
  let fitted;
  try {
    fitted = fitEvent(eventForApi(event, options.apiVersion), limits);
  } catch {
    // A mask may hand back something no walk can read (a getter that throws): send the structure, marked.
    const safe = withoutContent(original);
    setOwn(safe.metadata, MASK_FAILED_KEY, MASK_FAILED_MARKER);
    counts.maskFailures.push('the masked event could not be read');
    fitted = fitEvent(eventForApi(safe, options.apiVersion), limits);
  }
  if (fitted.truncatedValues > 0) {
    counts.truncatedEvents += 1;
    counts.truncatedValues += fitted.truncatedValues;
  }
  return fitted;
}
