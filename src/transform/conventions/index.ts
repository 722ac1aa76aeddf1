/**
 * The convention families, in order of precedence, and every precedence
 * derived from that one order: which family maps a field first, whose
 * markers decide the event type, whose attribute names the session, the
 * project, the source. The first to set a field owns it, and a later
 * family's differing value stays in metadata under its own attribute name
 * (see placement.ts), so a span that speaks several families gets one
 * consistent event. A new family is one module and one line here.
 *
 * 1. HoneyHive's own attributes: a user who writes them means them.
 * 2. Vercel AI SDK (`ai.*`): its own attributes are richer than the `gen_ai.*`
 *    it also writes on model calls.
 * 3. OpenInference: a span marked with its kind (by an instrumentation, or by
 *    OpenInference's span processor over another family's spans) carries
 *    complete messages.
 * 4. LangSmith: its `gen_ai.prompt` / `gen_ai.completion` are run inputs and
 *    outputs, to be read before the GenAI convention reads them as messages;
 *    and its run kind before `gen_ai.operation.name`, which LangSmith derives
 *    from it lossily (a `prompt` run is stamped `chat`, yet calls no model).
 * 5. OpenLLMetry / Traceloop: workflow entities and the flattened
 *    `gen_ai.prompt.{i}` style.
 * 6. pydantic-ai: agent runs and tool calls of its own names, over the GenAI
 *    attributes it also writes (its system instructions belong to the run).
 * 7. Genkit (`genkit:*`), which writes no `gen_ai.*`.
 * 8. LiveKit Agents (`lk.*`): turns, the LLM node, function tools, over the
 *    GenAI attributes of its provider calls.
 * 9. Google ADK (`gcp.vertex.agent.*`): whole requests and responses, over
 *    the GenAI attributes it also writes.
 * 10. OpenTelemetry GenAI: the standard, and the general fallback for every
 *    `gen_ai.*` attribute the others did not claim.
 */
import type { SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { inferEventType } from '../event-type';
import type { SpanAttributes } from '../span-attributes';
import type { SpanView } from '../span-view';
import type { ConventionFamily } from './family';
import { genAiConvention } from './genai';
import { genkitConvention } from './genkit';
import { googleAdkConvention } from './google-adk';
import { honeyHiveConvention } from './honeyhive';
import { langSmithConvention } from './langsmith';
import { liveKitConvention } from './livekit';
import { openInferenceConvention } from './openinference';
import { pydanticAiConvention } from './pydantic-ai';
import { offerAttribute } from './placement';
import { traceloopConvention } from './traceloop';
import { TOKEN_FIELDS } from './usage';
import { vercelAiConvention } from './vercel-ai';

export type { ConventionFamily } from './family';

export const CONVENTIONS: readonly ConventionFamily[] = [
  honeyHiveConvention,
  vercelAiConvention,
  openInferenceConvention,
  langSmithConvention,
  traceloopConvention,
  pydanticAiConvention,
  genkitConvention,
  liveKitConvention,
  googleAdkConvention,
  genAiConvention,
];

function keysOf(select: (family: ConventionFamily) => readonly string[] | undefined): readonly string[] {
  return CONVENTIONS.flatMap((family) => select(family) ?? []);
}

/** Attributes that name a span's session, first present wins. */
export const SESSION_ID_KEYS = keysOf((family) => family.sessionIdKeys);
/** Attributes that name a span's session, for the session's name. */
export const SESSION_NAME_KEYS = keysOf((family) => family.sessionNameKeys);
export const PROJECT_KEYS = keysOf((family) => family.projectKeys);
export const SOURCE_KEYS = keysOf((family) => family.sourceKeys);
/** Every family's token-count spellings: any of them present means the span reported usage. */
export const USAGE_EVIDENCE_KEYS = keysOf((family) =>
  family.usage?.filter(([field]) => TOKEN_FIELDS.has(field)).flatMap(([, keys]) => keys),
);
/** A model name or token counts mark a model call when no family's markers decided. */
const MODEL_EVIDENCE_KEYS = [...keysOf((family) => family.modelEvidence), ...USAGE_EVIDENCE_KEYS];

/** True when the span reports token usage of its own in any family's spelling. */
export function reportsTokenUsage(attributes: SpanAttributes): boolean {
  return attributes.hasAny(USAGE_EVIDENCE_KEYS);
}

/** The span's event type (see event-type.ts), by the families in their order. */
export function spanEventType(attributes: SpanAttributes, span: SpanView, hasChildren: boolean): SpanEventType {
  return inferEventType(CONVENTIONS, MODEL_EVIDENCE_KEYS, attributes, span, hasChildren);
}

/** Maps a span by every family in order: each one's user attributes, then the rest of what it knows. */
export function mapByConventions(context: MappingContext): void {
  const { attributes, draft } = context;
  for (let familyIndex = 0, familyList = CONVENTIONS; familyIndex < familyList.length; familyIndex++) {
    const family = familyList[familyIndex]!;
    if (family.userIdKeys) {
      for (let keyIndex = 0, keyList = family.userIdKeys; keyIndex < keyList.length; keyIndex++) {
        const key = keyList[keyIndex]!;
        offerAttribute(attributes, key, draft.userProperties, 'user_id', String);
      }
    }
    family.map(context);
  }
}
