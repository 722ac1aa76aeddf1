/**
 * What a session is, as far as one batch shows it: the session's own event
 * ({@link HoneyHiveSessionEvent}) built from the spans of the batch that belong
 * to it. Its name and start come from every span; its end, duration, inputs and
 * outputs from its roots (events whose parent is the session: a trace's local
 * root, for a session per trace); experiment ids (`run_id`, `dataset_id`,
 * `datapoint_id`) from any event's metadata; and the session-level fields spans
 * set for it under `honeyhive.session.<field>` (what `withSession` stamps).
 */
import type { HoneyHiveEvent, HoneyHiveSessionEvent, JsonObject } from '../honeyhive-types';
import { nestedPrefix } from './conventions/honeyhive';
import { mergeIfAbsent, setIfAbsent } from './event-draft';
import { getOwn } from './json-values';
import type { SpanAttributes } from './span-attributes';

/** The session's object fields a span may set, each under `honeyhive.session.<field>`. */
export const SESSION_OBJECT_FIELDS = [
  'inputs',
  'config',
  'metadata',
  'user_properties',
  'feedback',
  'metrics',
] as const;

export type SessionObjectField = (typeof SESSION_OBJECT_FIELDS)[number];

/** Session-level fields one span carries. */
export type SessionFields = Partial<Record<SessionObjectField, JsonObject>>;

/** The attribute prefix of the session-level fields: `honeyhive.session.metadata.tenant`, or `honeyhive.session.metadata` as a JSON object. */
export const SESSION_FIELD_PREFIX = 'honeyhive.session';

/** Metadata keys that link a session to an evaluation run: they reach the session's metadata from any of its events. */
export const EXPERIMENT_METADATA_KEYS = ['run_id', 'dataset_id', 'datapoint_id'] as const;

/** Reads (and consumes) the session-level fields a span sets; undefined when it sets none (most spans). */
export function takeSessionFields(attributes: SpanAttributes): SessionFields | undefined {
  if (!attributes.hasPrefix(SESSION_FIELD_PREFIX)) return undefined;
  let fields: SessionFields | undefined;
  for (let fieldIndex = 0, fieldList = SESSION_OBJECT_FIELDS; fieldIndex < fieldList.length; fieldIndex++) {
    const field = fieldList[fieldIndex]!;
    const nested = nestedPrefix(attributes, `${SESSION_FIELD_PREFIX}.${field}`);
    if (nested) (fields ??= {})[field] = nested;
  }
  return fields;
}

/** Builds one session's event from the spans of a batch, one span at a time. */
export class SessionEventBuilder {
  /** Start of the root whose inputs the session took; undefined before any root. */
  private rootStart: number | undefined = undefined;
  /** True once a span named the session's inputs itself: they win over any root's. */
  private namedInputs = false;

  constructor(readonly session: HoneyHiveSessionEvent) {}

  /** Folds in one event of the session, whether it is a root, and the session-level fields its span set. */
  add(event: HoneyHiveEvent, isRoot: boolean, fields: SessionFields | undefined): void {
    const session = this.session;
    if (event.start_time < session.start_time) session.start_time = event.start_time;
    if (isRoot) this.addRoot(event);
    for (let keyIndex = 0, keyList = EXPERIMENT_METADATA_KEYS; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      const value = getOwn(event.metadata, key);
      if (typeof value === 'string' || typeof value === 'number') setIfAbsent(session.metadata, key, value);
    }
    if (fields) this.addFields(fields);
  }

  /** The session event, its duration worked out. */
  build(): HoneyHiveSessionEvent {
    const session = this.session;
    if (session.end_time !== undefined) session.duration = Math.max(0, session.end_time - session.start_time);
    return session;
  }

  private addRoot(event: HoneyHiveEvent): void {
    const session = this.session;
    // The latest root ends the session, and its outputs are the session's.
    if (session.end_time === undefined || event.end_time >= session.end_time) {
      session.end_time = event.end_time;
      if (event.outputs !== undefined) session.outputs = event.outputs;
    }
    // The earliest root's inputs are what the session was asked.
    if (!this.namedInputs && (this.rootStart === undefined || event.start_time < this.rootStart)) {
      this.rootStart = event.start_time;
      session.inputs = event.inputs;
    }
  }

  private addFields(fields: SessionFields): void {
    const session = this.session;
    for (let fieldIndex = 0, fieldList = SESSION_OBJECT_FIELDS; fieldIndex < fieldList.length; fieldIndex++) {
      const field = fieldList[fieldIndex]!;
      const value = fields[field];
      if (value === undefined) continue;
      if (field === 'inputs') {
        if (!this.namedInputs) session.inputs = {};
        this.namedInputs = true;
      }
      const target = (session[field] ??= {});
      mergeIfAbsent(target, value);
    }
  }
}
