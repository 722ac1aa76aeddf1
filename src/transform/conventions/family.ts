/**
 * What a convention family declares: how to recognise its spans' event type,
 * which of its attributes name the session, project, source and user, how it
 * spells token usage, and how it maps everything else. The registry
 * (conventions/index.ts) lists the families in one order, from which every
 * precedence is derived.
 */
import type { SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanAttributes } from '../span-attributes';
import type { SpanView } from '../span-view';
import type { UsageSpellings } from './usage';

export interface ConventionFamily {
  readonly name: string;
  /**
   * How the family's spans are recognised without asking it: every attribute
   * its markers test (what `map` checks before it reads anything, and what
   * `eventType` reads) starts with one of these. The keys it declares below
   * count too, without being listed here. A span with no key so starting (and
   * not recognised by {@link speaksBySpan}) is not the family's: its `map`
   * and `eventType` are not called.
   */
  readonly keyStarts: readonly string[];
  /** Recognises the family's spans by something other than attributes (the instrumentation scope, span events). */
  speaksBySpan?(span: SpanView): boolean;
  /**
   * The event type the family's own markers imply (its kind, its operation),
   * or undefined when it says nothing. Reads attributes only, never what was
   * consumed: it is asked before mapping.
   */
  eventType?(attributes: SpanAttributes, span: SpanView): SpanEventType | undefined;
  /** Attributes whose presence marks a model call when no family's markers decided (weaker than every `eventType`). */
  readonly modelEvidence?: readonly string[];
  /** Attributes naming the span's session, first present wins. */
  readonly sessionIdKeys?: readonly string[];
  /** Attributes naming the session, for the session's name. */
  readonly sessionNameKeys?: readonly string[];
  /** Attributes naming the event's project. */
  readonly projectKeys?: readonly string[];
  /** Attributes naming the event's source (environment). */
  readonly sourceKeys?: readonly string[];
  /** Attributes naming the user, to `user_properties.user_id`. */
  readonly userIdKeys?: readonly string[];
  /** How the family spells token counts and cost; its token fields also say the span reported usage. */
  readonly usage?: UsageSpellings;
  /** Maps what the family knows into the draft (see placement.ts for how families share fields). */
  map(context: MappingContext): void;
}
