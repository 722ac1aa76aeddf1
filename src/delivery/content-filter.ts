/**
 * `sendContent: false`: an event keeps its structure, timings, model names and
 * token counts, and loses every prompt, completion and free-text value.
 */
import type { HoneyHiveEvent, JsonObject, JsonValue } from '../honeyhive-types';
import { isJsonObject, setOwn } from '../transform/json-values';
import { MAX_NESTING_DEPTH } from './truncation';

/** What a removed error message reads. */
export const CONTENT_OMITTED = '[content omitted]';
/** Set in the metadata of an event whose content was removed. */
export const CONTENT_OMITTED_KEY = 'content_omitted';

/** Metadata strings that identify the span, never content. */
const IDENTITY_KEYS = new Set([
  'trace_id',
  'span_id',
  'parent_span_id',
  'span_kind',
  'status_code',
  'scope_name',
  'scope_version',
  'service_name',
  'original_session_id',
]);

/** Strings under these names describe the call (which model, which provider, why it stopped), not what was said. */
const DESCRIPTIVE_KEY =
  /(^|[._])(model|model_name|model\.id|model_id|provider|provider\.name|system|type|operation\.name|finish_reasons?|kind)$/i;

function keepsString(key: string): boolean {
  return IDENTITY_KEYS.has(key) || DESCRIPTIVE_KEY.test(key);
}

/** The fields whose structure is kept (inputs and outputs go whole). */
const STRUCTURED_FIELDS = ['config', 'metrics', 'feedback', 'user_properties'] as const;

/** Numbers, booleans and nulls at any depth; strings only under descriptive keys. */
function valueWithoutContent(value: JsonValue, key: string, depth: number): JsonValue | undefined {
  if (typeof value === 'string') return keepsString(key) ? value : undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_NESTING_DEPTH) return undefined;
  if (Array.isArray(value)) {
    return value
      .map((item) => valueWithoutContent(item, key, depth + 1))
      .filter((item): item is JsonValue => item !== undefined);
  }
  return objectWithoutContent(value, depth + 1);
}

function objectWithoutContent(object: JsonObject | undefined, depth = 0): JsonObject {
  const kept: JsonObject = {};
  if (!isJsonObject(object)) return kept;
  for (const key of Object.keys(object)) {
    const value = valueWithoutContent(object[key]!, key, depth);
    if (value !== undefined) setOwn(kept, key, value);
  }
  return kept;
}

/** The event without its content: inputs and outputs empty, text values and the error message removed. */
export function withoutContent(event: HoneyHiveEvent): HoneyHiveEvent {
  const metadata = objectWithoutContent(event.metadata);
  setOwn(metadata, CONTENT_OMITTED_KEY, true);
  const stripped: HoneyHiveEvent = { ...event, inputs: {}, metadata };
  delete stripped.outputs;
  for (const field of STRUCTURED_FIELDS) {
    if (event[field] !== undefined) stripped[field] = objectWithoutContent(event[field]);
  }
  if (typeof event.error === 'string') stripped.error = CONTENT_OMITTED;
  else delete stripped.error;
  return stripped;
}
