/**
 * HoneyHive's own span attributes, as its SDKs write them: scalars such as
 * `honeyhive_event_type`, and flattened prefixes such as
 * `honeyhive_inputs.messages.0.role`; and the dotted spelling of HoneyHive's
 * field registry (`honeyhive.event_type`, `honeyhive.inputs.chat_history`,
 * `honeyhive.config.template`, `honeyhive.metadata.<key>`, ...), read beside
 * it (the underscore spelling wins where both say something). They take
 * precedence over every other convention, since a user who writes them
 * means them. The registry's JSON fields (chat histories, tool calls, the
 * template, tools) arrive as JSON text over OTLP: they are parsed.
 * `honeyhive_event_id` and `honeyhive.parent_id` are ids, read where the
 * transform gives events theirs (see explicitEventId).
 */
import type { JsonObject, JsonValue, SpanEventType } from '../../honeyhive-types';
import { attributeToJson, getOwn, isJsonObject, jsonEqual, parseJsonObjectOrArray, setOwn } from '../json-values';
import { isUuid } from '../ids';
import { nestFlattenedKeys } from '../nesting';
import {
  mergeIfAbsent,
  setIfAbsent,
  type EventDraft,
  type MappingContext,
  type OptionalDraftField,
} from '../event-draft';
import type { SpanAttributes } from '../span-attributes';
import { isSpanEventType } from '../event-type';
import type { ConventionFamily } from './family';
import { KeyMemo } from '../key-memo';

/** Both spellings start so. */
const HONEYHIVE_KEY_START = 'honeyhive';

type DraftObjectField = 'inputs' | 'outputs' | 'config' | 'metadata' | 'metrics' | 'feedback' | 'userProperties';

const PREFIXED_FIELDS: ReadonlyArray<readonly [string, DraftObjectField]> = [
  ['honeyhive_inputs', 'inputs'],
  ['honeyhive.inputs', 'inputs'],
  ['honeyhive_outputs', 'outputs'],
  ['honeyhive.outputs', 'outputs'],
  ['honeyhive_config', 'config'],
  ['honeyhive.config', 'config'],
  ['honeyhive_metadata', 'metadata'],
  ['honeyhive.metadata', 'metadata'],
  ['honeyhive_metrics', 'metrics'],
  ['honeyhive.metrics', 'metrics'],
  ['honeyhive_feedback', 'feedback'],
  ['honeyhive.feedback', 'feedback'],
  ['honeyhive_user_properties', 'userProperties'],
  ['honeyhive.user_properties', 'userProperties'],
];

/** The registry's fields that hold JSON (a message list, tool calls, the template, tools), by draft field. */
const JSON_FIELDS: ReadonlyArray<readonly [DraftObjectField, string]> = [
  ['inputs', 'chat_history'],
  ['outputs', 'chat_history'],
  ['outputs', 'tool_calls'],
  ['config', 'template'],
  ['config', 'tools'],
];

const EVENT_TYPE_KEYS = ['honeyhive_event_type', 'honeyhive.event_type'];

/** The first of `keys` holding an event type HoneyHive takes. */
function namedEventType(attributes: SpanAttributes): [key: string, type: SpanEventType] | undefined {
  for (let keyIndex = 0, keyList = EVENT_TYPE_KEYS; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const value = attributes.peek(key);
    if (isSpanEventType(value)) return [key, value];
  }
  return undefined;
}

/**
 * The event id a span names itself (`honeyhive_event_id`, as HoneyHive's
 * SDKs set it), when it is a UUID; consumed. Lowercased, as HoneyHive's ids are.
 */
export function explicitEventId(attributes: SpanAttributes): string | undefined {
  return explicitId(attributes, 'honeyhive_event_id');
}

/** The parent event id a span names (`honeyhive.parent_id`, `honeyhive_parent_id`), when it is a UUID; consumed. */
export function explicitParentId(attributes: SpanAttributes): string | undefined {
  return explicitId(attributes, 'honeyhive.parent_id') ?? explicitId(attributes, 'honeyhive_parent_id');
}

function explicitId(attributes: SpanAttributes, key: string): string | undefined {
  const value = attributes.peek(key);
  if (typeof value !== 'string' || !isUuid(value.trim())) return undefined;
  attributes.take(key);
  return value.trim().toLowerCase();
}

/**
 * Re-nests one prefix (`under`: its keys, when the caller found them already);
 * a bare `honeyhive_inputs` holding a JSON object string is merged in as well.
 * Consumes what it reads.
 */
export function nestedPrefix(
  attributes: SpanAttributes,
  prefix: string,
  under: readonly string[] = attributes.keysUnder(prefix),
): JsonObject | undefined {
  const bare = attributes.take(prefix);
  // The values in a list made to size (a list's first push makes room for 17), the keys as they come.
  const values = new Array<JsonValue>(under.length);
  let count = 0;
  for (let i = 0; i < under.length; i++) {
    const value = attributes.take(under[i]!);
    if (value !== undefined) values[count++] = attributeToJson(value);
  }
  values.length = count;
  // A key without a value (rare) is left out of both.
  const keys = count === under.length ? under : under.filter((key) => attributes.peek(key) !== undefined);
  if (bare === undefined && count === 0) return undefined;
  // Nested from after `prefix.`, without slicing each key.
  const nested = nestFlattenedKeys(keys, values, prefix.length + 1);
  if (bare !== undefined) {
    const parsed = parseJsonObjectOrArray(attributeToJson(bare));
    if (isJsonObject(parsed)) mergeIfAbsent(nested, parsed);
    else setIfAbsent(nested, 'value', parsed);
  }
  return nested;
}

/**
 * The span's keys under each of PREFIXED_FIELDS, by position (a bare prefix
 * key makes its list, not listed in it), in the keys' order; undefined when
 * the span has none. One pass over the keys rather than a search per prefix,
 * each key's place looked up (see {@link prefixPlaceOf}).
 */
function keysByPrefix(attributes: SpanAttributes): Array<string[] | undefined> | undefined {
  let found: Array<string[] | undefined> | undefined;
  const keys = attributes.allKeys();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const place = prefixPlaces.get(key);
    if (place === NO_PREFIX) continue;
    const position = place >= BARE_PREFIX ? place - BARE_PREFIX : place;
    const list = ((found ??= new Array<string[] | undefined>(PREFIXED_FIELDS.length))[position] ??= []);
    if (place < BARE_PREFIX) list.push(key);
  }
  return found;
}

/** A key's place (see {@link prefixPlaceOf}): under none of PREFIXED_FIELDS. */
const NO_PREFIX = -1;
/** Added to a prefix's position for the bare prefix key itself (`honeyhive_inputs` holding JSON). */
const BARE_PREFIX = PREFIXED_FIELDS.length;

/** Each key's place, worked out once: a lookup costs a fraction of testing the key against the prefixes. */
const prefixPlaces = new KeyMemo(4096, prefixPlaceOf);

/**
 * The position in PREFIXED_FIELDS of the prefix a key is under (plus
 * BARE_PREFIX for the prefix itself), or NO_PREFIX: both spellings' prefixes
 * end at the first dot after `honeyhive_` or `honeyhive.`.
 */
function prefixPlaceOf(key: string): number {
  if (!key.startsWith(HONEYHIVE_KEY_START)) return NO_PREFIX;
  const dot = key.indexOf('.', HONEYHIVE_KEY_START.length + 1);
  const position = prefixPosition(key, dot === -1 ? key.length : dot);
  if (position === -1) return NO_PREFIX;
  return dot === -1 ? position + BARE_PREFIX : position;
}

/** The position in PREFIXED_FIELDS of the prefix `key` begins with and that ends at `end`, or -1 (compared in place: no slice). */
function prefixPosition(key: string, end: number): number {
  for (let i = 0; i < PREFIXED_FIELDS.length; i++) {
    const prefix = PREFIXED_FIELDS[i]![0];
    if (prefix.length === end && key.startsWith(prefix)) return i;
  }
  return -1;
}

export const honeyHiveConvention: ConventionFamily = {
  name: 'honeyhive',
  keyStarts: [HONEYHIVE_KEY_START],
  eventType: (attributes) => namedEventType(attributes)?.[1],
  sessionIdKeys: ['honeyhive_session_id', 'honeyhive.session_id'],
  sessionNameKeys: ['honeyhive_session_name', 'honeyhive.session_name'],
  projectKeys: ['honeyhive_project', 'honeyhive.project'],
  sourceKeys: ['honeyhive_source', 'honeyhive.source'],
  userIdKeys: ['honeyhive_user_id', 'honeyhive.user_id'],
  map({ attributes, draft }: MappingContext): void {
    // Every key read here starts so; most spans have none.
    if (!attributes.hasKeyStartingWith(HONEYHIVE_KEY_START)) return;
    const eventType = namedEventType(attributes);
    if (eventType) attributes.take(eventType[0]);
    draft.eventName ??= attributes.takeString('honeyhive_event_name') ?? attributes.takeString('honeyhive.event_name');
    draft.error ??= attributes.takeString('honeyhive_error') ?? attributes.takeString('honeyhive.error');
    const prefixedKeys = keysByPrefix(attributes);
    for (let prefixIndex = 0; prefixedKeys !== undefined && prefixIndex < PREFIXED_FIELDS.length; prefixIndex++) {
      const under = prefixedKeys[prefixIndex];
      if (under === undefined) continue;
      const prefix = PREFIXED_FIELDS[prefixIndex]![0];
      const field = PREFIXED_FIELDS[prefixIndex]![1];
      const nested = nestedPrefix(attributes, prefix, under);
      if (!nested) continue;
      const target = draft[field] as EventDraft[DraftObjectField];
      for (let keyIndex = 0, keyList = Object.keys(nested); keyIndex < keyList.length; keyIndex++) {
        const key = keyList[keyIndex]!;
        const existing = getOwn(target, key);
        if (existing === undefined) setOwn(target, key, nested[key]!);
        // The other spelling said otherwise: kept, under this one's name.
        else if (!jsonEqual(existing, nested[key])) setIfAbsent(draft.metadata, `${prefix}.${key}`, nested[key]);
      }
    }
    for (let fieldIndex = 0, fieldList = JSON_FIELDS; fieldIndex < fieldList.length; fieldIndex++) {
      const fieldItem = fieldList[fieldIndex]!;
      const field = fieldItem[0];
      const name = fieldItem[1];
      const target = field === 'inputs' ? draft.inputs : draft.written(field as OptionalDraftField);
      const value = target && getOwn(target, name);
      if (target && typeof value === 'string') setOwn(target, name, parseJsonObjectOrArray(value));
    }
  },
};
