/**
 * The convention families, in order of precedence, and every precedence
 * derived from that one order: which family maps a field first, whose
 * markers decide the event type, whose attribute names the session, the
 * project, the source. The first to set a field owns it, and a later
 * family's differing value stays in metadata under its own attribute name
 * (see placement.ts), so a span that speaks several families gets one
 * consistent event. A new family is one module and one line here. Each
 * span is mapped only by the families whose keys it has (see
 * {@link recognisedFamilies}): a family says how its spans start
 * (`keyStarts`), and the rest are never asked.
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
import { KeyStarts, type SpanAttributes } from '../span-attributes';
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

type KeySelector = (family: ConventionFamily) => readonly string[] | undefined;

/**
 * Keys the families declare, in the families' order, each with the bit of the
 * family declaring it. A declared key is one of its family's key starts (see
 * familyKeyStarts), so a span with no key starting as the family's cannot have
 * it: {@link mayHave} leaves those keys out (worked out once per set of
 * families), so a span is not probed for the keys of families it does not speak.
 */
class DeclaredKeys {
  readonly all: readonly string[];
  private readonly familyBits: readonly number[];
  private readonly byFamilies = new Map<number, readonly string[]>();

  constructor(...selectors: KeySelector[]) {
    const keys: string[] = [];
    const familyBits: number[] = [];
    for (const select of selectors) {
      CONVENTIONS.forEach((family, i) => {
        for (const key of select(family) ?? []) {
          keys.push(key);
          familyBits.push(1 << i);
        }
      });
    }
    this.all = keys;
    this.familyBits = familyBits;
  }

  /** The keys the span may have, in order: the others it has not. */
  mayHave(attributes: SpanAttributes): readonly string[] {
    const found = attributes.startBits(FAMILY_KEY_STARTS);
    let keys = this.byFamilies.get(found);
    if (keys === undefined) {
      keys = this.keysOf(found);
      this.byFamilies.set(found, keys);
    }
    return keys;
  }

  // Apart from mayHave, so that no closure there holds its locals: V8 would make their context on every call.
  private keysOf(families: number): readonly string[] {
    return this.all.filter((_, i) => (this.familyBits[i]! & families) !== 0);
  }
}

const usageEvidence: KeySelector = (family) =>
  family.usage?.filter(([field]) => TOKEN_FIELDS.has(field)).flatMap(([, keys]) => keys);

/** The keys the families declare, by what they name (see {@link DeclaredKeys.mayHave}). */
export const DECLARED_KEYS = {
  /** Attributes that name a span's session, first present wins. */
  sessionId: new DeclaredKeys((family) => family.sessionIdKeys),
  /** Attributes that name a span's session, for the session's name. */
  sessionName: new DeclaredKeys((family) => family.sessionNameKeys),
  project: new DeclaredKeys((family) => family.projectKeys),
  source: new DeclaredKeys((family) => family.sourceKeys),
  /** Every family's token-count spellings: any of them present means the span reported usage. */
  usageEvidence: new DeclaredKeys(usageEvidence),
  /** A model name or token counts mark a model call when no family's markers decided. */
  modelEvidence: new DeclaredKeys((family) => family.modelEvidence, usageEvidence),
};

/** Attributes that name a span's session, first present wins. */
export const SESSION_ID_KEYS = DECLARED_KEYS.sessionId.all;
/** Attributes that name a span's session, for the session's name. */
export const SESSION_NAME_KEYS = DECLARED_KEYS.sessionName.all;
export const PROJECT_KEYS = DECLARED_KEYS.project.all;
export const SOURCE_KEYS = DECLARED_KEYS.source.all;
/** Every family's token-count spellings: any of them present means the span reported usage. */
export const USAGE_EVIDENCE_KEYS = DECLARED_KEYS.usageEvidence.all;

/** Every key a family's markers test or it declares starts with one of these (see ConventionFamily.keyStarts). */
function familyKeyStarts(family: ConventionFamily): readonly string[] {
  return [
    ...family.keyStarts,
    ...(family.modelEvidence ?? []),
    ...(family.sessionIdKeys ?? []),
    ...(family.sessionNameKeys ?? []),
    ...(family.projectKeys ?? []),
    ...(family.sourceKeys ?? []),
    ...(family.userIdKeys ?? []),
    ...(family.usage?.flatMap(([, keys]) => keys) ?? []),
  ];
}

// A span's families are a bit set in one 32-bit integer (`1 << 32` is `1` again): at most 32 families.
if (CONVENTIONS.length > 32) throw new Error('more than 32 convention families: widen the family bit set');

/** Bit i stands for CONVENTIONS[i]. */
const FAMILY_KEY_STARTS = new KeyStarts(
  CONVENTIONS.flatMap((family, i) => familyKeyStarts(family).map((start) => [start, 1 << i] as const)),
);

/**
 * The families a span may speak, recognised from one pass over its keys (and
 * the span itself, for the families that say how): bit i set for
 * CONVENTIONS[i]. Every other family would find none of its markers, so it is
 * not asked; a span of no family (plain HTTP, database) asks none.
 */
export function recognisedFamilies(attributes: SpanAttributes, span: SpanView): number {
  let bits = attributes.startBits(FAMILY_KEY_STARTS);
  for (let i = 0; i < CONVENTIONS.length; i++) {
    if ((bits & (1 << i)) === 0 && CONVENTIONS[i]!.speaksBySpan?.(span)) bits |= 1 << i;
  }
  return bits;
}

/**
 * False when no key of the span starts as any family's keys do: then it has
 * none of the keys the families declare (session, project, source, user,
 * usage, model evidence), and none of the HoneyHive attributes, so nothing
 * need look for them.
 */
export function hasConventionKeys(attributes: SpanAttributes): boolean {
  return attributes.startBits(FAMILY_KEY_STARTS) !== 0;
}

/** False when no key of the span starts as `family`'s keys do (see {@link hasConventionKeys}). */
export function hasKeysOf(attributes: SpanAttributes, family: ConventionFamily): boolean {
  return (attributes.startBits(FAMILY_KEY_STARTS) & (1 << CONVENTIONS.indexOf(family))) !== 0;
}

/** True when the span reports token usage of its own in any family's spelling. */
export function reportsTokenUsage(attributes: SpanAttributes): boolean {
  return hasConventionKeys(attributes) && attributes.hasAny(DECLARED_KEYS.usageEvidence.mayHave(attributes));
}

const NO_EVIDENCE: readonly string[] = [];

/** The span's event type (see event-type.ts), by the families in their order (`families`: see {@link recognisedFamilies}). */
export function spanEventType(
  attributes: SpanAttributes,
  span: SpanView,
  hasChildren: boolean,
  families = recognisedFamilies(attributes, span),
): SpanEventType {
  // A span of no family has none of their model evidence either.
  const evidence = families === 0 ? NO_EVIDENCE : DECLARED_KEYS.modelEvidence.mayHave(attributes);
  return inferEventType(CONVENTIONS, evidence, attributes, span, hasChildren, families);
}

/** Maps a span by every family it may speak (`families`: see {@link recognisedFamilies}), in order: each one's user attributes, then the rest of what it knows. */
export function mapByConventions(
  context: MappingContext,
  families = recognisedFamilies(context.attributes, context.span),
): void {
  const { attributes, draft } = context;
  for (let familyIndex = 0, familyList = CONVENTIONS; familyIndex < familyList.length; familyIndex++) {
    if ((families & (1 << familyIndex)) === 0) continue;
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
