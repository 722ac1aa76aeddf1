/**
 * The event under construction. Convention mappers fill it in order of
 * precedence; the first family to set a field owns it, so a span speaking two
 * conventions gets one consistent event rather than a merge of contradictions.
 */
import type { TimedEvent } from '../otel-sdk';
import type { JsonObject, JsonValue, SpanEventType } from '../honeyhive-types';
import { getOwn, setOwn } from './json-values';
import type { SpanAttributes } from './span-attributes';
import type { SpanView } from './span-view';

/** The draft's object fields that an event may leave out when empty. */
export type OptionalDraftField = 'outputs' | 'config' | 'metrics' | 'feedback' | 'userProperties';

/**
 * The draft's fields. Each optional object is made when a rule first reads it
 * to write into it: most spans fill none of them, so none is allocated for them.
 */
export class EventDraft {
  eventName: string | undefined = undefined;
  error: string | undefined = undefined;
  readonly inputs: JsonObject = {};
  private madeMetadata: JsonObject | undefined = undefined;
  private madeOutputs: JsonObject | undefined = undefined;
  private madeConfig: JsonObject | undefined = undefined;
  private madeMetrics: JsonObject | undefined = undefined;
  private madeFeedback: JsonObject | undefined = undefined;
  private madeUserProperties: JsonObject | undefined = undefined;

  get metadata(): JsonObject {
    return (this.madeMetadata ??= {});
  }
  /** True while no rule has read `metadata` (so none wrote into it). */
  get metadataUntouched(): boolean {
    return this.madeMetadata === undefined;
  }
  get outputs(): JsonObject {
    return (this.madeOutputs ??= {});
  }
  get config(): JsonObject {
    return (this.madeConfig ??= {});
  }
  get metrics(): JsonObject {
    return (this.madeMetrics ??= {});
  }
  get feedback(): JsonObject {
    return (this.madeFeedback ??= {});
  }
  get userProperties(): JsonObject {
    return (this.madeUserProperties ??= {});
  }

  /** An optional field as written so far, without making it: undefined when no rule asked for it. */
  written(field: OptionalDraftField): JsonObject | undefined {
    switch (field) {
      case 'outputs':
        return this.madeOutputs;
      case 'config':
        return this.madeConfig;
      case 'metrics':
        return this.madeMetrics;
      case 'feedback':
        return this.madeFeedback;
      case 'userProperties':
        return this.madeUserProperties;
    }
  }
}

/** What a convention mapper works on: the span, its attributes (tracking what is consumed), and the draft. */
export interface MappingContext {
  readonly span: SpanView;
  readonly attributes: SpanAttributes;
  readonly draft: EventDraft;
  /** Marks a span event as mapped, so it is not also listed in `metadata.events`. */
  consumeEvent(event: TimedEvent): void;
  /** The event's type, from the span's attributes and shape (see event-type.ts). */
  eventType(): SpanEventType;
  /**
   * True when a span below this one (exported in this batch or an earlier one)
   * reported token usage, so any usage on this span repeats theirs.
   */
  readonly usageReportedBelow: boolean;
}

/** Sets `target[key]` unless an earlier, higher-precedence rule already did. */
export function setIfAbsent(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined || getOwn(target, key) !== undefined) return;
  setOwn(target, key, value);
}

/** Copies every key of `source` that `target` does not have yet. */
export function mergeIfAbsent(target: JsonObject, source: JsonObject): void {
  for (let keyIndex = 0, keyList = Object.keys(source); keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    setIfAbsent(target, key, source[key]);
  }
}
