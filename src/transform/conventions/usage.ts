/**
 * Token counts and cost, read from each family's spellings into HoneyHive's
 * names: `prompt_tokens`, `completion_tokens`, `total_tokens` (the sum when
 * only the parts are given), `cache_read_input_tokens`,
 * `cache_write_input_tokens`, `reasoning_tokens`, `audio_*_tokens`, `cost`.
 *
 * HoneyHive sums `metadata.*_tokens` and `metadata.cost` over a session, so
 * they are written only for the event that made the call. A chain event
 * (workflow, agent, wrapper) or an event with a span below it that reported
 * usage repeats that usage: its numbers go to `metadata.aggregated_usage`,
 * which nothing sums, so they are kept without being counted twice.
 */
import type { JsonObject } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanAttributes } from '../span-attributes';
import { hasOwnKeys, setOwn } from '../json-values';
import { numberValue, objectField, offer } from './placement';

/** Where a wrapper's usage goes: under metadata, but not where HoneyHive's roll-ups read. */
export const AGGREGATED_USAGE = 'aggregated_usage';

/** HoneyHive's names, in the order they are written. */
const USAGE_FIELDS = [
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cache_read_input_tokens',
  'cache_write_input_tokens',
  'reasoning_tokens',
  'audio_input_tokens',
  'audio_output_tokens',
  'cost',
  'prompt_cost',
  'completion_cost',
] as const;

export type UsageField = (typeof USAGE_FIELDS)[number];

/** For each field, the attributes that spell it, in order of preference. */
export type UsageSpellings = ReadonlyArray<readonly [UsageField, readonly string[]]>;

/** The fields that count tokens (not their details, not cost): any of them present means the span reported usage. */
export const TOKEN_FIELDS: ReadonlySet<UsageField> = new Set(['prompt_tokens', 'completion_tokens', 'total_tokens']);

/**
 * Usage numbers and the attributes each was read from. A reading is made per
 * span and convention, and most find nothing: the list is made with the first
 * source, with room for a few.
 */
export interface UsageReading {
  values: Partial<Record<UsageField, number>>;
  /** The attributes the values were read from, each followed by the field it gave: `[key, field, key, field, ...]`. */
  sources: string[] | undefined;
  /** How many `[key, field]` pairs of `sources` are in use (the list has room beyond them). */
  sourceCount: number;
  /** Attributes that disagreed with a number already read for the same field: never consumed. */
  conflicting: string[] | undefined;
}

/**
 * Room for this many sources in a new reading's list, made once: a span
 * rarely spells more than three token counts, and a list grown by a push
 * makes room for 17 more.
 */
const SOURCE_ROOM = 3;

/** A reading with nothing in it yet, for {@link addUsage}. */
export function emptyUsageReading(): UsageReading {
  return { values: {}, sources: undefined, sourceCount: 0, conflicting: undefined };
}

/**
 * Reads every field from its first spelling present; other spellings of the
 * same field holding the same number count as read too (they say the same).
 */
export function readUsage(attributes: SpanAttributes, spellings: UsageSpellings): UsageReading {
  const reading = emptyUsageReading();
  // Indexed loops: iterating and destructuring made an iterator and a result object per step, per span.
  for (let i = 0; i < spellings.length; i++) {
    const spelling = spellings[i]!;
    const field = spelling[0];
    const keys = spelling[1];
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      addUsage(reading, field, numberValue(attributes.peekJson(key)), key);
    }
  }
  return reading;
}

/** Adds one number to a reading (from `key`, when it came from an attribute); a different second number is ignored. */
export function addUsage(reading: UsageReading, field: UsageField, value: number | undefined, key?: string): void {
  if (value === undefined) return;
  const existing = reading.values[field];
  if (existing !== undefined && existing !== value) {
    if (key !== undefined) (reading.conflicting ??= []).push(key);
    return;
  }
  reading.values[field] = value;
  if (key === undefined) return;
  const sources = (reading.sources ??= new Array<string>(2 * SOURCE_ROOM));
  sources[2 * reading.sourceCount] = key;
  sources[2 * reading.sourceCount + 1] = field;
  reading.sourceCount++;
}

/**
 * Adds a usage object's numbers (a response body's `usage`) to a reading, by
 * `fields` (`[its spelling, HoneyHive's name]`); the entries it does not know
 * come back, to be kept. Nothing is consumed: the object is part of a larger
 * attribute.
 */
export function addUsageObject(
  reading: UsageReading,
  usage: JsonObject,
  fields: ReadonlyArray<readonly [string, UsageField]>,
): JsonObject | undefined {
  let rest: JsonObject | undefined;
  for (let spellingIndex = 0, spellingList = Object.keys(usage); spellingIndex < spellingList.length; spellingIndex++) {
    const spelling = spellingList[spellingIndex]!;
    const value = usage[spelling]!;
    const field = usageFieldOf(fields, spelling);
    const number = numberValue(value);
    if (field !== undefined && number !== undefined) addUsage(reading, field, number);
    else setOwn((rest ??= {}), spelling, value);
  }
  return rest;
}

/** HoneyHive's name for `spelling` in `fields`, or undefined (an indexed search: no closure per entry). */
function usageFieldOf(fields: ReadonlyArray<readonly [string, UsageField]>, spelling: string): UsageField | undefined {
  for (let i = 0; i < fields.length; i++) if (fields[i]![0] === spelling) return fields[i]![1];
  return undefined;
}

/** True when this event's usage is its own call's, so HoneyHive may sum it. */
export function countsTokens(context: MappingContext): boolean {
  return context.eventType() !== 'chain' && !context.usageReportedBelow;
}

/** Writes a reading into the draft (see the file comment for where), computing totals from their parts. */
export function placeUsage(context: MappingContext, reading: UsageReading): void {
  const { values } = reading;
  if (!hasOwnKeys(values)) return;
  sumWhenMissing(reading, 'total_tokens', 'prompt_tokens', 'completion_tokens');
  sumWhenMissing(reading, 'cost', 'prompt_cost', 'completion_cost');
  const target: JsonObject | undefined = countsTokens(context)
    ? context.draft.metadata
    : objectField(context.draft.metadata, AGGREGATED_USAGE);
  if (!target) return;
  // Bit i set: USAGE_FIELDS[i] is represented in the target.
  let represented = 0;
  for (let i = 0; i < USAGE_FIELDS.length; i++) {
    const value = values[USAGE_FIELDS[i]!];
    if (value !== undefined && offer(target, USAGE_FIELDS[i]!, value)) represented |= 1 << i;
  }
  consumeRepresented(context, reading, represented);
}

/**
 * Consumes the attributes the represented fields were read from. An attribute
 * may feed several fields (a JSON object of details): it is consumed only when
 * all of them are represented, and never when it disagreed.
 */
function consumeRepresented(context: MappingContext, reading: UsageReading, represented: number): void {
  const { sources, conflicting } = reading;
  if (sources === undefined) return;
  const end = 2 * reading.sourceCount;
  for (let i = 0; i < end; i += 2) {
    const key = sources[i]!;
    if (!isRepresented(represented, sources[i + 1]!) || conflicting?.includes(key)) continue;
    let everyFieldRepresented = true;
    for (let j = 0; j < end; j += 2) {
      if (sources[j] === key && !isRepresented(represented, sources[j + 1]!)) everyFieldRepresented = false;
    }
    if (everyFieldRepresented) context.attributes.take(key);
  }
}

/** True when `field`'s bit is set in `represented` (bit i: USAGE_FIELDS[i]). */
function isRepresented(represented: number, field: string): boolean {
  return (represented & (1 << USAGE_FIELDS.indexOf(field as UsageField))) !== 0;
}

function sumWhenMissing(reading: UsageReading, total: UsageField, first: UsageField, second: UsageField): void {
  const { values } = reading;
  const a = values[first];
  const b = values[second];
  if (values[total] !== undefined || a === undefined || b === undefined) return;
  values[total] = a + b;
}
