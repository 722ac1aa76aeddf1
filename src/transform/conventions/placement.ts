/**
 * How a convention writes into the draft without contradicting an earlier,
 * higher-precedence one: a value is *offered* for a field. An empty field
 * takes it; a field already holding the same value counts it as represented;
 * a field holding something else keeps its value. Only a represented value
 * consumes its attributes, so a contradicting one still reaches `metadata`
 * under its OpenTelemetry name: nothing is merged, nothing is lost.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { getOwn, hasOwnKeys, isJsonObject, jsonEqual, parseJson, parseJsonObjectOrArray, setOwn } from '../json-values';
import { nestFlattenedKeys } from '../nesting';
import type { SpanAttributes } from '../span-attributes';

/** Offers `value` for `target[field]`; true when the field now holds it (set now, or equal already). */
export function offer(target: JsonObject, field: string, value: JsonValue | undefined): boolean {
  if (value === undefined) return false;
  const existing = getOwn(target, field);
  if (existing === undefined) {
    setOwn(target, field, value);
    return true;
  }
  return jsonEqual(existing, value);
}

/** Offers `value` and, when it is represented, consumes the attributes it came from (one key, or a list). */
export function offerFrom(
  attributes: SpanAttributes,
  keys: string | readonly string[],
  target: JsonObject,
  field: string,
  value: JsonValue | undefined,
): boolean {
  const represented = offer(target, field, value);
  if (represented) consumeKeys(attributes, keys);
  return represented;
}

/** Consumes one key or a list of them (one key needs no list made per call). */
function consumeKeys(attributes: SpanAttributes, keys: string | readonly string[]): void {
  if (typeof keys === 'string') attributes.take(keys);
  else attributes.consume(keys);
}

/**
 * Offers the attribute `key` (as JSON, through `convert` when given) for
 * `target[field]`, consuming it when represented; false when the span lacks it.
 */
export function offerAttribute(
  attributes: SpanAttributes,
  key: string,
  target: JsonObject,
  field: string,
  convert?: (value: JsonValue) => JsonValue | undefined,
): boolean {
  const value = attributes.peekJson(key);
  if (value === undefined) return false;
  return offerFrom(attributes, key, target, field, convert ? convert(value) : value);
}

/**
 * Offers `fields` as one block (a message, a document): when a field the
 * target already holds disagrees, nothing is set; otherwise the missing fields
 * are added. True when the block is represented.
 */
export function offerBlock(target: JsonObject, fields: JsonObject): boolean {
  const names = Object.keys(fields);
  for (let i = 0; i < names.length; i++) {
    const existing = getOwn(target, names[i]!);
    if (existing !== undefined && !jsonEqual(existing, fields[names[i]!])) return false;
  }
  for (let i = 0; i < names.length; i++) offer(target, names[i]!, fields[names[i]!]);
  return true;
}

/** {@link offerBlock}, consuming `keys` when the block is represented. */
export function offerBlockFrom(
  attributes: SpanAttributes,
  keys: readonly string[],
  target: JsonObject,
  fields: JsonObject,
): boolean {
  const represented = offerBlock(target, fields);
  if (represented) attributes.consume(keys);
  return represented;
}

/**
 * Offers a whole inputs or outputs value (a tool's arguments, a chain's
 * input): an object as it is, anything else under `value`. An empty target
 * takes it; a target another family filled only counts it as represented
 * when it already holds the same, so two families' views never mix.
 */
export function offerWholeFrom(
  attributes: SpanAttributes,
  keys: string | readonly string[],
  target: JsonObject,
  value: JsonValue,
): boolean {
  const represented = offerWhole(target, value);
  if (represented) consumeKeys(attributes, keys);
  return represented;
}

/** {@link offerWholeFrom} without consuming: true when the target holds the value. */
function offerWhole(target: JsonObject, value: JsonValue): boolean {
  const fields = asObject(value);
  if (!hasOwnKeys(target)) return offerBlock(target, fields);
  const names = Object.keys(fields);
  for (let i = 0; i < names.length; i++) {
    if (!jsonEqual(getOwn(target, names[i]!), fields[names[i]!])) return false;
  }
  return true;
}

/** `target[field]` as an object, created when absent; undefined when the field holds something else. */
export function objectField(target: JsonObject, field: string): JsonObject | undefined {
  const existing = getOwn(target, field);
  if (existing === undefined) {
    const created: JsonObject = {};
    setOwn(target, field, created);
    return created;
  }
  return isJsonObject(existing) ? existing : undefined;
}

/** An object as it is; anything else under `value`, so every inputs or outputs stays an object. */
export function asObject(value: JsonValue): JsonObject {
  return isJsonObject(value) ? value : { value };
}

/** Offers the attribute `key`, JSON by contract (or plain text), as a whole inputs or outputs object; true when the span has it. */
export function offerWholeJson(attributes: SpanAttributes, key: string, target: JsonObject): boolean {
  const value = attributes.peekJson(key);
  if (value === undefined) return false;
  offerWholeFrom(attributes, key, target, parseJson(value));
  return true;
}

/** A finite number, or a numeric string read as one; anything else is undefined. */
export function numberValue(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}

/** A non-empty string, or undefined. */
export function stringValue(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The items of a flattened list (`prefix.0.x`, `prefix.1.x`, ...) in index order, and the keys they were read from. */
export interface FlattenedList {
  readonly items: readonly JsonValue[];
  readonly keys: readonly string[];
}

/** What most spans have under most prefixes asked: one object for all of them. */
const NO_LIST: FlattenedList = Object.freeze({ items: [], keys: [] });

/**
 * Re-nests the attributes under `prefix` into a list, safely (see
 * {@link nestFlattenedKeys}). Indexes with gaps keep their order; a key that does
 * not fit the list (a `__proto__` segment, a non-numeric index) is left out
 * and not listed in `keys`, so it stays in metadata.
 */
export function peekFlattenedList(attributes: SpanAttributes, prefix: string): FlattenedList {
  // The keys as the span has them (not rebuilt from prefix and rest), nested from after `prefix.`.
  const under = attributes.keysUnder(prefix);
  if (under.length === 0) return NO_LIST;
  const values: JsonValue[] = [];
  // The keys holding a value: a list of their own only once a key holds none (undefined in the span's attributes).
  let holding: string[] | undefined;
  for (let i = 0; i < under.length; i++) {
    const value = attributes.peekJson(under[i]!);
    if (value === undefined) {
      holding ??= under.slice(0, i);
      continue;
    }
    holding?.push(under[i]!);
    values.push(value);
  }
  const keys = holding ?? under;
  if (keys.length === 0) return NO_LIST;
  const start = prefix.length + 1;
  const nested = nestFlattenedKeys(keys, values, start) as JsonValue;
  if (Array.isArray(nested)) return { items: nested, keys };
  const root = nested as JsonObject;
  const indexes = Object.keys(root).filter(isIndex);
  const kept = new Set(indexes);
  indexes.sort((a, b) => Number(a) - Number(b));
  // A key kept flat at the root (unsafe or colliding) is not part of any item.
  const inItems = (rest: string): boolean =>
    kept.has(rest.slice(0, indexOrEnd(rest))) && (isIndex(rest) || getOwn(root, rest) === undefined);
  return {
    items: indexes.map((index) => root[index]!),
    keys: keys.filter((key) => inItems(key.slice(start))),
  };
}

/**
 * How a family writes its flattened messages (`prefix.{i}.…`), for
 * {@link peekFlattenedMessages}: `{i}.{itemAt}<field>` for each field of
 * `fields`, and tool calls as `{i}.{itemAt}tool_calls.{j}.{toolCallAt}…`.
 */
export interface FlattenedMessages {
  readonly itemAt: string;
  /** The message's fields that hold plain values. */
  readonly fields: readonly string[];
  readonly toolCallAt: string;
  /** Sets a tool call's field (the key read from `at`, after `toolCallAt`); false for a field it does not know. */
  readonly setToolCallField: (call: JsonObject, key: string, at: number, value: JsonValue) => boolean;
  /** A re-nested item as the message it stands for, when the family's items need reshaping. */
  readonly fromNested?: (item: JsonValue) => JsonValue;
}

/**
 * A list of flattened messages: read straight from the keys when each is
 * written the way `shape` describes and each list's items come in order from
 * 0 with their keys together (the items re-nesting would make, without
 * nesting them); otherwise re-nested, each item through `shape.fromNested`.
 */
export function peekFlattenedMessages(
  attributes: SpanAttributes,
  prefix: string,
  shape: FlattenedMessages,
): FlattenedList {
  const keys = attributes.keysUnder(prefix);
  const plain = keys.length === 0 ? undefined : plainMessages(attributes, keys, prefix.length + 1, shape);
  if (plain !== undefined) return { items: plain, keys };
  const list = peekFlattenedList(attributes, prefix);
  const { fromNested } = shape;
  return fromNested === undefined || list.items.length === 0
    ? list
    : { items: list.items.map(fromNested), keys: list.keys };
}

const TOOL_CALLS_AT = 'tool_calls.';

/** The messages of the keys under a prefix (read from `start`, after `prefix.`), or undefined for a key `shape` does not describe, a gap, a key out of order or one without a value. */
function plainMessages(
  attributes: SpanAttributes,
  keys: readonly string[],
  start: number,
  shape: FlattenedMessages,
): JsonObject[] | undefined {
  const messages: JsonObject[] = [];
  let toolCalls: JsonObject[] | undefined;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    const key = keys[keyIndex]!;
    const value = attributes.peekJson(key);
    const indexEnd = key.indexOf('.', start);
    const index = plainIndex(key, start, indexEnd);
    if (value === undefined || index === -1 || !key.startsWith(shape.itemAt, indexEnd + 1)) return undefined;
    if (index === messages.length) {
      messages.push({});
      toolCalls = undefined;
    } else if (index !== messages.length - 1) return undefined;
    const message = messages[index]!;
    const fieldStart = indexEnd + 1 + shape.itemAt.length;
    const field = fieldAt(key, fieldStart, shape.fields);
    if (field !== undefined) {
      message[field] = value;
      continue;
    }
    if (!key.startsWith(TOOL_CALLS_AT, fieldStart)) return undefined;
    const callStart = fieldStart + TOOL_CALLS_AT.length;
    const callEnd = key.indexOf('.', callStart);
    const callIndex = plainIndex(key, callStart, callEnd);
    if (callIndex === -1 || !key.startsWith(shape.toolCallAt, callEnd + 1)) return undefined;
    toolCalls ??= message.tool_calls = [];
    if (callIndex === toolCalls.length) toolCalls.push({});
    else if (callIndex !== toolCalls.length - 1) return undefined;
    if (!shape.setToolCallField(toolCalls[callIndex]!, key, callEnd + 1 + shape.toolCallAt.length, value))
      return undefined;
  }
  return messages;
}

const FUNCTION_AT = 'function.';
const FUNCTION_FIELDS = ['name', 'arguments'];

/** Sets a flattened OpenAI-style tool call's `id`, `function.name` or `function.arguments` (the key read from `at`). */
export function setOpenAiToolCallField(call: JsonObject, key: string, at: number, value: JsonValue): boolean {
  if (key.length - at === 2 && key.startsWith('id', at)) {
    call.id = value;
    return true;
  }
  const field = key.startsWith(FUNCTION_AT, at) ? fieldAt(key, at + FUNCTION_AT.length, FUNCTION_FIELDS) : undefined;
  if (field === undefined) return false;
  ((call.function ??= {}) as JsonObject)[field] = value;
  return true;
}

/** The one of `fields` that `key` ends with from `at`, or undefined. */
export function fieldAt(key: string, at: number, fields: readonly string[]): string | undefined {
  const length = key.length - at;
  for (let fieldIndex = 0; fieldIndex < fields.length; fieldIndex++) {
    const field = fields[fieldIndex]!;
    if (field.length === length && key.startsWith(field, at)) return field;
  }
  return undefined;
}

/** The list index written in `key` from `start` to `end` (`0`, `12`; not `01`), or -1 when it is not one. */
function plainIndex(key: string, start: number, end: number): number {
  const length = end - start;
  if (length <= 0 || length > 9 || (length > 1 && key.charCodeAt(start) === 0x30)) return -1;
  let index = 0;
  for (let at = start; at < end; at++) {
    const digit = key.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    index = index * 10 + digit;
  }
  return index;
}

/**
 * The keys of a flattened list whose item field (`prefix.{i}.<field>...`) is
 * one of `fields`: what a rule that reads only those fields consumes, so the
 * others stay in metadata. Fields are compared in place (no string made per
 * key), and a list that keeps every key is given back as it is.
 */
export function fieldKeys(list: FlattenedList, prefix: string, fields: readonly string[]): readonly string[] {
  const start = prefix.length + 1;
  const keys = list.keys;
  let kept: string[] | undefined;
  for (let keyIndex = 0; keyIndex < keys.length; keyIndex++) {
    const key = keys[keyIndex]!;
    if (hasItemField(key, start, fields)) kept?.push(key);
    else kept ??= keys.slice(0, keyIndex);
  }
  return kept ?? keys;
}

/** True when the field after the item index (`{i}.<field>`, read from `start`) is one of `fields`. */
function hasItemField(key: string, start: number, fields: readonly string[]): boolean {
  const fieldStart = key.indexOf('.', start) + 1;
  if (fieldStart === 0) return false;
  const dot = key.indexOf('.', fieldStart);
  const length = (dot === -1 ? key.length : dot) - fieldStart;
  for (let fieldIndex = 0; fieldIndex < fields.length; fieldIndex++) {
    const field = fields[fieldIndex]!;
    if (field.length === length && key.startsWith(field, fieldStart)) return true;
  }
  return false;
}

function indexOrEnd(rest: string): number {
  const dot = rest.indexOf('.');
  return dot === -1 ? rest.length : dot;
}

function isIndex(segment: string): boolean {
  if (segment === '' || segment.length > 9) return false;
  for (const char of segment) if (char < '0' || char > '9') return false;
  return true;
}

/**
 * Names the event after the string attribute `key` (a tool's or a run's
 * name) unless a higher-precedence rule named it already; consumed when the
 * event carries that name.
 */
export function offerEventName({ attributes, draft }: MappingContext, key: string): void {
  const name = stringValue(attributes.peekJson(key));
  if (name === undefined) return;
  draft.eventName ??= name;
  if (draft.eventName === name) attributes.take(key);
}

/**
 * Carrying a raw request or response once: `key` (a whole request's JSON,
 * say) is consumed, since a rule placed what it used; what no rule placed
 * (`remainder`) stays in metadata under the attribute's name.
 */
export function keepRemainder({ attributes, draft }: MappingContext, key: string, remainder: JsonObject): void {
  attributes.take(key);
  if (hasOwnKeys(remainder) && getOwn(draft.metadata, key) === undefined) setOwn(draft.metadata, key, remainder);
}

/** Keys that name the user in free-form metadata, by common convention. */
const USER_ID_KEYS = new Set(['user_id', 'userId']);
const NOTHING_SKIPPED: ReadonlySet<string> = new Set();

/**
 * Free-form metadata a family writes under a prefix
 * (`ai.telemetry.metadata.<key>`, `traceloop.association.properties.<key>`,
 * `langsmith.metadata.<key>`): a user id to `user_properties.user_id`, every
 * other key to `metadata` under its own name (JSON text parsed when `parse`),
 * except the `skip`ped keys another rule reads.
 */
export function placeKeyedMetadata(
  { attributes, draft }: MappingContext,
  prefix: string,
  skip = NOTHING_SKIPPED,
  parse = false,
): void {
  // The keys as the span has them: each name is sliced from its key, never a key rebuilt from its name.
  const keys = attributes.keysUnder(prefix);
  const nameStart = prefix.length + 1;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = attributes.peekJson(key);
    const name = key.slice(nameStart);
    if (value === undefined || name === '' || skip.has(name)) continue;
    if (USER_ID_KEYS.has(name)) offerFrom(attributes, key, draft.userProperties, 'user_id', String(value));
    else offerFrom(attributes, key, draft.metadata, name, parse ? parseJsonObjectOrArray(value) : value);
  }
}
