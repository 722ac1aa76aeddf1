/**
 * The user's `mask` hook: it sees each event before it leaves the process and
 * returns it (redacted or not) or null to drop it. A mask that throws, or
 * returns something else, fails closed: the event goes without its content,
 * with a marker saying why, and nothing the mask was meant to hide leaves.
 * An async mask (one returning a Promise) is refused the same way, its
 * rejection handled so it never reaches the process: masks run synchronously
 * while the export is prepared, so that an export's memory and deadline do not
 * depend on user code.
 */
import type { HoneyHiveEvent, JsonObject } from '../honeyhive-types';
import type { Result } from '../result';
import { isJsonObject, setOwn } from '../transform/json-values';
import { withoutContent } from './content-filter';

/** Return the event to send (the same object changed, or a new one), or null to drop it. */
export type EventMask = (event: HoneyHiveEvent) => HoneyHiveEvent | null;

/** Set in the metadata of an event whose mask failed. */
export const MASK_FAILED_KEY = 'mask_error';
export const MASK_FAILED_MARKER = '[mask failed: content removed]';

/** A mask that failed: the event to send in its place, and why. */
export interface MaskFailure {
  /** The event without its content, marked (see {@link MASK_FAILED_KEY}). */
  fallback: HoneyHiveEvent;
  /** What went wrong, without quoting the mask's error, which may hold the content. */
  reason: string;
}

/** The event to send, or null to drop it; or, when the mask failed, what to send instead. */
export type MaskOutcome = Result<HoneyHiveEvent | null, MaskFailure>;

/** The fields a mask may change. Everything else (ids, type, times, project, source) holds the event together. */
const CONTENT_OBJECT_FIELDS = [
  'inputs',
  'outputs',
  'config',
  'metadata',
  'metrics',
  'feedback',
  'user_properties',
] as const;

/** The fields a mask cannot change, read before the mask runs (it may mutate the event it is given). */
type FixedFields = Omit<HoneyHiveEvent, (typeof CONTENT_OBJECT_FIELDS)[number] | 'error' | 'event_name'>;

function fixedFieldsOf(event: HoneyHiveEvent): FixedFields {
  const {
    inputs: _i,
    outputs: _o,
    config: _c,
    metadata: _m,
    metrics: _x,
    feedback: _f,
    user_properties: _u,
    error: _e,
    event_name: _n,
    ...fixed
  } = event;
  if (fixed.children_ids !== undefined) fixed.children_ids = [...fixed.children_ids];
  return fixed;
}

/**
 * Rebuilds the event from what the mask returned: its content fields (a removed one is left out, or `{}` if always sent), its
 * error and name, on top of the fixed fields as they were. Unknown fields are left out, since HoneyHive would
 * refuse the whole request for them. Returns why the result is unusable, if it is.
 */
function eventFromMask(
  fixed: FixedFields,
  original: { event_name: string },
  result: JsonObject,
): HoneyHiveEvent | string {
  const name = result.event_name;
  const event: HoneyHiveEvent = {
    ...fixed,
    event_name: typeof name === 'string' && name !== '' ? name : original.event_name,
    inputs: {},
    metadata: {},
  };
  for (const field of CONTENT_OBJECT_FIELDS) {
    const value = result[field];
    if (value !== undefined && !isJsonObject(value))
      return `the mask set ${field} to ${Array.isArray(value) ? 'an array' : typeof value}`;
    if (value !== undefined) event[field] = value as JsonObject;
  }
  const error = result.error;
  if (error !== undefined && error !== null && typeof error !== 'string')
    return `the mask set error to ${typeof error}`;
  if (typeof error === 'string') event.error = error;
  return event;
}

export function applyMask(event: HoneyHiveEvent, mask: EventMask): MaskOutcome {
  const fixed = fixedFieldsOf(event);
  const original = { event_name: event.event_name };
  try {
    const result: unknown = mask(event);
    if (result === null) return { ok: true, value: null };
    if (isThenable(result)) {
      // Handled here, or a rejecting async mask would end the process as an unhandled rejection.
      Promise.resolve(result).catch(() => undefined);
      return failed(event, fixed, 'the mask returned a Promise: masks must be synchronous');
    }
    if (!isJsonObject(result)) {
      const got = Array.isArray(result) ? 'an array' : typeof result;
      return failed(event, fixed, `the mask returned ${got} instead of an event or null`);
    }
    const masked = eventFromMask(fixed, original, result);
    return typeof masked === 'string' ? failed(event, fixed, masked) : { ok: true, value: masked };
  } catch (error) {
    return failed(event, fixed, `the mask threw ${error instanceof Error ? error.name : typeof error}`);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function failed(event: HoneyHiveEvent, fixed: FixedFields, reason: string): MaskOutcome {
  // The mask may have mutated the event: keep its fixed fields as they were, and none of its content.
  const fallback = { ...withoutContent(event), ...fixed };
  setOwn(fallback.metadata, MASK_FAILED_KEY, MASK_FAILED_MARKER);
  return { ok: false, error: { fallback, reason } };
}
