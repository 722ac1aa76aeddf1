/**
 * The event under construction. Convention mappers fill it in order of
 * precedence; the first family to set a field owns it, so a span speaking two
 * conventions gets one consistent event rather than a merge of contradictions.
 */
import type { TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { JsonObject, JsonValue, SpanEventType } from '../honeyhive-types';
import { getOwn, setOwn } from './json-values';
import type { SpanAttributes } from './span-attributes';
import type { SpanView } from './span-view';

export interface EventDraft {
  eventName?: string;
  eventType?: SpanEventType;
  error?: string;
  inputs: JsonObject;
  outputs: JsonObject;
  config: JsonObject;
  metadata: JsonObject;
  metrics: JsonObject;
  feedback: JsonObject;
  userProperties: JsonObject;
}

export function emptyDraft(): EventDraft {
  return { inputs: {}, outputs: {}, config: {}, metadata: {}, metrics: {}, feedback: {}, userProperties: {} };
}

/** What a convention mapper works on: the span, its attributes (tracking what is consumed), and the draft. */
export interface MappingContext {
  readonly span: SpanView;
  readonly attributes: SpanAttributes;
  readonly draft: EventDraft;
  /** Marks a span event as mapped, so it is not also listed in `metadata.events`. */
  consumeEvent(event: TimedEvent): void;
  /** The event's type: HoneyHive's own attribute once its convention has run, else what the span implies. */
  eventType(): SpanEventType;
  /**
   * True when a span below this one (exported in this batch or an earlier one)
   * reported token usage, so any usage on this span repeats theirs.
   */
  readonly usageReportedBelow: boolean;
}

/** One family of span attributes (HoneyHive's own, OpenTelemetry GenAI, OpenInference, ...). */
export interface SpanConvention {
  readonly name: string;
  map(context: MappingContext): void;
}

/** Sets `target[key]` unless an earlier, higher-precedence rule already did. */
export function setIfAbsent(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined || getOwn(target, key) !== undefined) return;
  setOwn(target, key, value);
}

/** Copies every key of `source` that `target` does not have yet. */
export function mergeIfAbsent(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) setIfAbsent(target, key, source[key]);
}
