/**
 * The user's `mask` hook: it sees each event before it leaves the process and
 * returns it (redacted or not) or null to drop it. A mask that throws, or
 * returns something else, fails closed: the event goes without its content,
 * with a marker saying why, and nothing the mask was meant to hide leaves.
 */
import type { HoneyHiveEvent } from '../honeyhive-types';
import { setOwn } from '../transform/json-values';
import { withoutContent } from './content-filter';

/** Return the event to send (the same object changed, or a new one), or null to drop it. */
export type EventMask = (event: HoneyHiveEvent) => HoneyHiveEvent | null;

/** Set in the metadata of an event whose mask failed. */
export const MASK_FAILED_KEY = 'mask_error';
export const MASK_FAILED_MARKER = '[mask failed: content removed]';

export type MaskOutcome =
  | { kind: 'kept'; event: HoneyHiveEvent }
  | { kind: 'dropped' }
  /** `reason` names what went wrong without quoting the mask's error, which may hold the content. */
  | { kind: 'failed'; event: HoneyHiveEvent; reason: string };

export function applyMask(event: HoneyHiveEvent, mask: EventMask): MaskOutcome {
  const identity = { event_id: event.event_id, session_id: event.session_id, parent_id: event.parent_id };
  let result: unknown;
  try {
    result = mask(event);
    if (result === null) return { kind: 'dropped' };
    if (typeof result !== 'object' || result === undefined || Array.isArray(result)) {
      return failed(
        event,
        `the mask returned ${Array.isArray(result) ? 'an array' : typeof result} instead of an event or null`,
      );
    }
    // A mask edits content; the ids that hold the tree together stay as they were.
    return { kind: 'kept', event: { ...(result as HoneyHiveEvent), ...identity } };
  } catch (error) {
    return failed(event, `the mask threw ${error instanceof Error ? error.name : typeof error}`);
  }
}

function failed(event: HoneyHiveEvent, reason: string): MaskOutcome {
  const safe = withoutContent(event);
  setOwn(safe.metadata, MASK_FAILED_KEY, MASK_FAILED_MARKER);
  return { kind: 'failed', event: safe, reason };
}
