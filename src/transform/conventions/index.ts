/**
 * The convention families, in order of precedence: the first to set a field
 * owns it, and a later family's differing value stays in metadata under its
 * own attribute name (see placement.ts), so a span that speaks several
 * families gets one consistent event.
 *
 * 1. HoneyHive's own attributes: a user who writes them means them.
 * 2. Vercel AI SDK (`ai.*`): its own attributes are richer than the `gen_ai.*`
 *    it also writes on model calls.
 * 3. OpenInference: a span marked with its kind (by an instrumentation, or by
 *    OpenInference's span processor over another family's spans) carries
 *    complete messages.
 * 4. LangSmith: its `gen_ai.prompt` / `gen_ai.completion` are run inputs and
 *    outputs, to be read before the GenAI convention reads them as messages.
 * 5. OpenLLMetry / Traceloop: workflow entities and the flattened
 *    `gen_ai.prompt.{i}` style.
 * 6. OpenTelemetry GenAI: the standard, and the general fallback for every
 *    `gen_ai.*` attribute the others did not claim.
 */
import type { SpanConvention } from '../event-draft';
import { genAiConvention } from './genai';
import { honeyHiveConvention } from './honeyhive';
import { langSmithConvention } from './langsmith';
import { openInferenceConvention } from './openinference';
import { traceloopConvention } from './traceloop';
import { vercelAiConvention } from './vercel-ai';

export const CONVENTIONS: readonly SpanConvention[] = [
  honeyHiveConvention,
  vercelAiConvention,
  openInferenceConvention,
  langSmithConvention,
  traceloopConvention,
  genAiConvention,
];
