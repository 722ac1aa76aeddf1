/**
 * Deciding `event_type`: the first family (in the registry's order) whose
 * own markers imply a type, then any family's evidence of a model call (a
 * model name, token counts), then the span's shape: children make a chain,
 * a leaf is a tool. Never anything but model, tool or chain.
 */
import type { SpanEventType } from '../honeyhive-types';
import type { ConventionFamily } from './conventions/family';
import type { SpanAttributes } from './span-attributes';
import type { SpanView } from './span-view';

export function isSpanEventType(value: unknown): value is SpanEventType {
  return value === 'model' || value === 'tool' || value === 'chain';
}

/** `table[value]` when `value` is one of its own keys. */
export function lookupEventType(
  table: Readonly<Record<string, SpanEventType>>,
  value: unknown,
): SpanEventType | undefined {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
}

/** The event type `families` (in order) imply for a span, else what its shape implies. */
export function inferEventType(
  families: readonly ConventionFamily[],
  modelEvidence: readonly string[],
  attributes: SpanAttributes,
  span: SpanView,
  hasChildren: boolean,
  /** Bit i set: the span may speak `families[i]`; the others are not asked. Every family unless given. */
  recognised = -1,
): SpanEventType {
  for (let familyIndex = 0, familyList = families; familyIndex < familyList.length; familyIndex++) {
    if ((recognised & (1 << familyIndex)) === 0) continue;
    const family = familyList[familyIndex]!;
    const type = family.eventType?.(attributes, span);
    if (type !== undefined) return type;
  }
  if (attributes.hasAny(modelEvidence)) return 'model';
  return hasChildren ? 'chain' : 'tool';
}
