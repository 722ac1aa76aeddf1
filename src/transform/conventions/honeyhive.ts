/**
 * HoneyHive's own span attributes, as its SDKs write them: scalars such as
 * `honeyhive_event_type`, and flattened prefixes such as
 * `honeyhive_inputs.messages.0.role`. They take precedence over every other
 * convention, since a user who writes them means them.
 */
import type { JsonObject } from '../../honeyhive-types';
import { isJsonObject, parseJsonLenient } from '../json-values';
import { nestFlattened } from '../nesting';
import { mergeIfAbsent, setIfAbsent, type EventDraft, type MappingContext } from '../event-draft';
import type { SpanAttributes } from '../span-attributes';
import { isSpanEventType } from '../event-type';
import type { ConventionFamily } from './family';

const HONEYHIVE_KEY_START = 'honeyhive_';

type DraftObjectField = 'inputs' | 'outputs' | 'config' | 'metadata' | 'metrics' | 'feedback' | 'userProperties';

const PREFIXED_FIELDS: ReadonlyArray<readonly [string, DraftObjectField]> = [
  ['honeyhive_inputs', 'inputs'],
  ['honeyhive_outputs', 'outputs'],
  ['honeyhive_config', 'config'],
  ['honeyhive_metadata', 'metadata'],
  ['honeyhive_metrics', 'metrics'],
  ['honeyhive_feedback', 'feedback'],
  ['honeyhive_user_properties', 'userProperties'],
];

/** Re-nests one prefix; a bare `honeyhive_inputs` holding a JSON object string is merged in as well. */
function nestedPrefix(attributes: SpanAttributes, prefix: string): JsonObject | undefined {
  const entries = attributes.takePrefixed(prefix);
  if (entries.length === 0) return undefined;
  const bare = entries.find(([key]) => key === '');
  const nested = nestFlattened(entries.filter(([key]) => key !== ''));
  if (bare) {
    const parsed = typeof bare[1] === 'string' ? parseJsonLenient(bare[1]) : bare[1];
    if (isJsonObject(parsed)) mergeIfAbsent(nested, parsed);
    else setIfAbsent(nested, 'value', parsed);
  }
  return nested;
}

export const honeyHiveConvention: ConventionFamily = {
  name: 'honeyhive',
  eventType(attributes) {
    const eventType = attributes.peek('honeyhive_event_type');
    return isSpanEventType(eventType) ? eventType : undefined;
  },
  sessionIdKeys: ['honeyhive_session_id', 'honeyhive.session_id'],
  sessionNameKeys: ['honeyhive_session_name', 'honeyhive.session_name'],
  projectKeys: ['honeyhive_project', 'honeyhive.project'],
  sourceKeys: ['honeyhive_source', 'honeyhive.source'],
  userIdKeys: ['honeyhive_user_id'],
  map({ attributes, draft }: MappingContext): void {
    // Every key read here starts so; most spans have none.
    if (!attributes.hasKeyStartingWith(HONEYHIVE_KEY_START)) return;
    if (isSpanEventType(attributes.peek('honeyhive_event_type'))) attributes.take('honeyhive_event_type');
    draft.eventName ??= attributes.takeString('honeyhive_event_name');
    draft.error ??= attributes.takeString('honeyhive_error');
    for (const [prefix, field] of PREFIXED_FIELDS) {
      const nested = nestedPrefix(attributes, prefix);
      if (nested) mergeIfAbsent(draft[field] as EventDraft[DraftObjectField], nested);
    }
  },
};
