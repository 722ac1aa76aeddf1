/**
 * Deciding `event_type`, first rule that matches (see the README's mapping
 * section): HoneyHive's own attribute, then the Vercel AI SDK's operation,
 * LangSmith's run kind, OpenTelemetry GenAI's operation, OpenInference's span
 * kind, Traceloop's kind, then the span's shape. Never anything but model,
 * tool or chain.
 *
 * LangSmith comes before `gen_ai.operation.name` (unlike the reference's
 * order) because LangSmith derives that operation from its run kind, lossily:
 * a `prompt` run is stamped `chat`, yet formats a prompt and calls no model.
 */
import type { SpanEventType } from '../honeyhive-types';
import type { SpanAttributes } from './span-attributes';

export function isSpanEventType(value: unknown): value is SpanEventType {
  return value === 'model' || value === 'tool' || value === 'chain';
}

const GEN_AI_OPERATION_TYPES: Readonly<Record<string, SpanEventType>> = {
  chat: 'model',
  text_completion: 'model',
  generate_content: 'model',
  execute_tool: 'tool',
  embeddings: 'tool',
  retrieval: 'tool',
  rerank: 'tool',
  invoke_agent: 'chain',
  create_agent: 'chain',
  invoke_workflow: 'chain',
  agent_step: 'chain',
  plan: 'chain',
};

const OPENINFERENCE_KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  LLM: 'model',
  CHAIN: 'chain',
  AGENT: 'chain',
  PROMPT: 'chain',
  EVALUATOR: 'chain',
  TOOL: 'tool',
  RETRIEVER: 'tool',
  EMBEDDING: 'tool',
  RERANKER: 'tool',
  GUARDRAIL: 'tool',
};

const TRACELOOP_KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'chain',
  session: 'chain',
  tool: 'tool',
};

const LANGSMITH_KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  llm: 'model',
  tool: 'tool',
  retriever: 'tool',
  embedding: 'tool',
};

/** Attributes whose presence marks a model call when no kind says otherwise. */
const MODEL_EVIDENCE_KEYS = [
  'gen_ai.request.model',
  'gen_ai.response.model',
  'llm.model_name',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.prompt',
  'llm.token_count.completion',
];

function lookup(table: Readonly<Record<string, SpanEventType>>, value: unknown): SpanEventType | undefined {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value) ? table[value] : undefined;
}

function vercelOperationType(operationId: unknown): SpanEventType | undefined {
  if (typeof operationId !== 'string' || !operationId.startsWith('ai.')) return undefined;
  if (operationId === 'ai.toolCall') return 'tool';
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doStream')) return 'model';
  if (operationId.endsWith('.doEmbed')) return 'tool';
  return 'chain';
}

/** The event type a span's attributes and shape imply, ignoring `honeyhive_event_type` (handled by its convention). */
export function inferEventType(attributes: SpanAttributes, hasChildren: boolean): SpanEventType {
  return (
    vercelOperationType(attributes.peek('ai.operationId')) ??
    (attributes.has('langsmith.span.kind')
      ? (lookup(LANGSMITH_KIND_TYPES, attributes.peek('langsmith.span.kind')) ?? 'chain')
      : undefined) ??
    lookup(GEN_AI_OPERATION_TYPES, attributes.peek('gen_ai.operation.name')) ??
    lookup(OPENINFERENCE_KIND_TYPES, attributes.peek('openinference.span.kind')) ??
    lookup(TRACELOOP_KIND_TYPES, attributes.peek('traceloop.span.kind')) ??
    (attributes.has('llm.request.type') ? 'model' : undefined) ??
    (attributes.hasAny(MODEL_EVIDENCE_KEYS) ? 'model' : undefined) ??
    (hasChildren ? 'chain' : 'tool')
  );
}
