/** The mapping context of one span, as the conventions see it. */
import type { TimedEvent } from '../otel-sdk';
import type { SpanEventType } from '../honeyhive-types';
import { mapByConventions, recognisedFamilies, spanEventType } from './conventions';
import { EventDraft, type MappingContext } from './event-draft';
import type { SpanAttributes } from './span-attributes';
import type { SpanView } from './span-view';

/** Methods rather than closures, so a span costs one object. */
export class SpanMapping implements MappingContext {
  readonly draft = new EventDraft();
  private mappedEvents: Set<TimedEvent> | undefined = undefined;
  private inferredType: SpanEventType | undefined = undefined;
  /** The families the span may speak (see recognisedFamilies), worked out once for mapping and typing. */
  private readonly families: number;

  constructor(
    readonly span: SpanView,
    readonly attributes: SpanAttributes,
    private readonly hasChildren: boolean,
    readonly usageReportedBelow: boolean,
  ) {
    this.families = recognisedFamilies(attributes, span);
  }

  /** Maps the span by the families it may speak. */
  map(): void {
    mapByConventions(this, this.families);
  }

  consumeEvent(event: TimedEvent): void {
    (this.mappedEvents ??= new Set()).add(event);
  }

  /** True when a rule mapped this span event (see {@link consumeEvent}). */
  isEventMapped(event: TimedEvent): boolean {
    return this.mappedEvents?.has(event) ?? false;
  }

  eventType(): SpanEventType {
    // It depends on the attributes only, never on what was consumed: worked out once.
    return (this.inferredType ??= spanEventType(this.attributes, this.span, this.hasChildren, this.families));
  }
}
