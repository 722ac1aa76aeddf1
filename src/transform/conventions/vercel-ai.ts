/**
 * The Vercel AI SDK's `ai.*` spans (v3 to v6, and v7's legacy integration):
 * wrappers (`ai.generateText`, `ai.streamText`, `ai.generateObject`, ...),
 * the model calls under them (`*.doGenerate`, `*.doStream`), `ai.toolCall`,
 * embeddings (`ai.embed*`), with every usage spelling and the streaming
 * timings. v7's `OpenTelemetry` integration writes `gen_ai.*` instead (the
 * GenAI convention), plus a few optional `ai.*` extras read here too.
 *
 * The wrappers repeat their model calls' usage; usage.ts keeps it under
 * `metadata.aggregated_usage` for them (they are chain events).
 */
import type { AttributeValue } from '@opentelemetry/api';
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanEventType } from '../../honeyhive-types';
import type { ConventionFamily } from './family';
import { attributeToJson, getOwn, isJsonObject, parseJson, parseJsonObjectOrArray } from '../json-values';
import { chatHistory, normalizeToolCall, type ChatMessage } from './messages';
import { hyperparameterName, placeModelName, placeProvider } from './model-config';
import {
  numberValue,
  objectField,
  offerBlock,
  offerAttribute,
  offerEventName,
  offerFrom,
  placeKeyedMetadata,
  offerWholeJson,
} from './placement';
import { addUsage, placeUsage, readUsage, type UsageField, type UsageSpellings } from './usage';

const METADATA_PREFIX = 'ai.telemetry.metadata';
const SESSION_ID_KEY = 'ai.telemetry.metadata.sessionId';
const SETTINGS_PREFIX = 'ai.settings';
/** Telemetry metadata read elsewhere: the session (sessions.ts, by `sessionIdKeys`). */
const METADATA_HANDLED_ELSEWHERE = new Set(['sessionId']);
/** Settings whose HoneyHive name is not simply their snake_case name. */
/** Each output field, with its spellings across versions (v3 wrote `ai.result.*` and `ai.finishReason`). */
const RESPONSE_TEXT = ['ai.response.text', 'ai.result.text'];
const RESPONSE_OBJECT = ['ai.response.object', 'ai.result.object'];
const RESPONSE_TOOL_CALLS = ['ai.response.toolCalls', 'ai.result.toolCalls'];
const RESPONSE_REASONING = ['ai.response.reasoning', 'ai.response.reasoningText'];
const FINISH_REASON = ['ai.response.finishReason', 'ai.finishReason'];

/** Streaming timings (milliseconds) as metrics, and the span events that carry them again. */
const STREAM_METRICS: ReadonlyArray<readonly [metric: string, keys: readonly string[], event?: string]> = [
  ['time_to_first_token_ms', ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'], 'ai.stream.firstChunk'],
  ['time_to_finish_ms', ['ai.response.msToFinish', 'ai.stream.msToFinish'], 'ai.stream.finish'],
  [
    'tokens_per_second',
    [
      'ai.response.avgOutputTokensPerSecond',
      'ai.response.avgCompletionTokensPerSecond',
      'ai.stream.avgCompletionTokensPerSecond',
    ],
  ],
];

/** v4's prompt/completion names, v5+'s input/output names and details, embeddings' `tokens`. */
const VERCEL_AI_USAGE: UsageSpellings = [
  ['prompt_tokens', ['ai.usage.inputTokens', 'ai.usage.promptTokens']],
  ['completion_tokens', ['ai.usage.outputTokens', 'ai.usage.completionTokens']],
  // `tokens` is a total (an embedding's are all input: see placeVercelUsage).
  ['total_tokens', ['ai.usage.totalTokens', 'ai.usage.tokens']],
  ['cache_read_input_tokens', ['ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.cachedInputTokens']],
  ['cache_write_input_tokens', ['ai.usage.inputTokenDetails.cacheWriteTokens']],
  ['reasoning_tokens', ['ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.reasoningTokens']],
];

/** Cache and reasoning counts that only the provider's own metadata carries: `[provider, path, field]`. */
const PROVIDER_USAGE: ReadonlyArray<readonly [string, readonly string[], UsageField]> = [
  ['anthropic', ['cacheCreationInputTokens'], 'cache_write_input_tokens'],
  ['anthropic', ['usage', 'cache_creation_input_tokens'], 'cache_write_input_tokens'],
  ['anthropic', ['usage', 'cache_read_input_tokens'], 'cache_read_input_tokens'],
  ['bedrock', ['usage', 'cacheReadInputTokens'], 'cache_read_input_tokens'],
  ['bedrock', ['usage', 'cacheWriteInputTokens'], 'cache_write_input_tokens'],
  ['openai', ['cachedPromptTokens'], 'cache_read_input_tokens'],
  ['openai', ['reasoningTokens'], 'reasoning_tokens'],
  ['google', ['usageMetadata', 'cachedContentTokenCount'], 'cache_read_input_tokens'],
  ['google', ['usageMetadata', 'thoughtsTokenCount'], 'reasoning_tokens'],
];

/**
 * Usage; an embedding's `ai.usage.tokens` are its input tokens too; what the
 * usage attributes lack is read from `ai.response.providerMetadata` (which
 * stays in metadata: it carries more than usage).
 */
function placeVercelUsage(context: MappingContext): void {
  const { attributes } = context;
  const reading = readUsage(attributes, VERCEL_AI_USAGE);
  const operation = attributes.peek('ai.operationId');
  if (typeof operation === 'string' && operation.includes('embed') && reading.values.prompt_tokens === undefined)
    addUsage(reading, 'prompt_tokens', numberValue(attributes.peekJson('ai.usage.tokens')), 'ai.usage.tokens');
  const metadata = parseJsonObjectOrArray(attributes.peekJson('ai.response.providerMetadata'));
  if (isJsonObject(metadata)) {
    for (let providerIndex = 0, providerList = PROVIDER_USAGE; providerIndex < providerList.length; providerIndex++) {
      const providerItem = providerList[providerIndex]!;
      const provider = providerItem[0];
      const path = providerItem[1];
      const field = providerItem[2];
      if (reading.values[field] !== undefined) continue;
      let value: JsonValue | undefined = getOwn(metadata, provider);
      for (let nameIndex = 0, nameList = path; nameIndex < nameList.length; nameIndex++) {
        const name = nameList[nameIndex]!;
        value = isJsonObject(value) ? getOwn(value, name) : undefined;
      }
      addUsage(reading, field, numberValue(value));
    }
  }
  placeUsage(context, reading);
}

const BARE_OPERATIONS: ReadonlySet<string> = new Set([
  'generateText',
  'streamText',
  'generateObject',
  'streamObject',
  'embed',
  'embedMany',
  'rerank',
  'toolCall',
]);

/** `ai.toolCall` is a tool, the provider calls (`*.doGenerate`, `*.doStream`) model calls, `*.doEmbed` a tool, the wrappers chains. */
function operationType(given: unknown): SpanEventType | undefined {
  if (typeof given !== 'string') return undefined;
  // The SDK writes `ai.generateText`; some tests and bridges write the bare function name.
  const operationId = given.startsWith('ai.') ? given : BARE_OPERATIONS.has(given.split('.')[0]!) ? `ai.${given}` : '';
  if (operationId === '') return undefined;
  if (operationId === 'ai.toolCall') return 'tool';
  if (operationId.endsWith('.doGenerate') || operationId.endsWith('.doStream')) return 'model';
  if (operationId.endsWith('.doEmbed')) return 'tool';
  return 'chain';
}

function placeModelSettings({ attributes, draft }: MappingContext): void {
  placeModelName(attributes, draft.config, ['ai.response.model'], ['ai.model.id']);
  placeProvider(attributes, draft.config, ['ai.model.provider']);
  const settings = attributes.keysUnder(SETTINGS_PREFIX);
  const hyperparameters = settings.length > 0 ? objectField(draft.config, 'hyperparameters') : undefined;
  for (let i = 0; hyperparameters !== undefined && i < settings.length; i++) {
    const key = settings[i]!;
    const name = hyperparameterName(key.slice(SETTINGS_PREFIX.length + 1));
    offerFrom(attributes, key, hyperparameters, name, attributes.peekJson(key));
  }
  const tools = attributes.peek('ai.prompt.tools');
  if (tools !== undefined) {
    // A list of JSON texts, one per tool, each parsed as it is read (no copy of the list as JSON first).
    const definitions = Array.isArray(tools)
      ? tools.map((tool: unknown) => parseJsonObjectOrArray(attributeToJson(tool as AttributeValue)))
      : parseJsonObjectOrArray(attributeToJson(tools));
    offerFrom(attributes, 'ai.prompt.tools', draft.config, 'tools', definitions);
  }
  offerAttribute(attributes, 'ai.prompt.toolChoice', draft.config, 'tool_choice', parseJsonObjectOrArray);
}

/**
 * The conversation: a model call's `ai.prompt.messages`, or a wrapper's
 * `ai.prompt` (`{system, prompt, messages}`, where `prompt` is text or, from
 * v5, a list of messages).
 */
function placePrompt({ attributes, draft }: MappingContext): void {
  const messages = chatHistory(parseJsonObjectOrArray(attributes.peekJson('ai.prompt.messages')));
  if (messages) {
    offerFrom(attributes, 'ai.prompt.messages', draft.inputs, 'chat_history', messages);
    return;
  }
  const prompt = parseJsonObjectOrArray(attributes.peekJson('ai.prompt'));
  if (!isJsonObject(prompt)) return;
  const history: ChatMessage[] = [];
  const system = getOwn(prompt, 'system');
  if (typeof system === 'string') history.push({ role: 'system', content: system });
  const text = getOwn(prompt, 'prompt');
  if (typeof text === 'string') history.push({ role: 'user', content: text });
  else chatHistory(text, 'user', history);
  chatHistory(getOwn(prompt, 'messages'), 'user', history);
  if (history.length > 0) offerFrom(attributes, 'ai.prompt', draft.inputs, 'chat_history', history);
}

/** `ai.response.toolCalls`: JSON `[{toolCallId, toolName, input | args}]`, where `input` is JSON again. */
function toolCallsOf(value: JsonValue): JsonValue {
  const calls = parseJsonObjectOrArray(value);
  return Array.isArray(calls) ? calls.map((call) => normalizeToolCall(call) ?? call) : (calls ?? null);
}

/** The answer: text (or the generated object's JSON text), tool calls, reasoning, finish reason. */
function placeResponse(context: MappingContext): void {
  const { attributes, draft } = context;
  const text = attributes.firstKey(RESPONSE_TEXT) ?? attributes.firstKey(RESPONSE_OBJECT);
  const toolCalls = attributes.firstKey(RESPONSE_TOOL_CALLS);
  const reasoning = attributes.firstKey(RESPONSE_REASONING);
  const finishReason = attributes.firstKey(FINISH_REASON);
  if (text !== undefined || toolCalls !== undefined || reasoning !== undefined || finishReason !== undefined) {
    const outputs: JsonObject = {};
    if (text !== undefined || toolCalls !== undefined || reasoning !== undefined) {
      outputs.role = 'assistant';
      outputs.content = text === undefined ? '' : String(attributes.peekJson(text));
    }
    if (toolCalls !== undefined) outputs.tool_calls = toolCallsOf(attributes.peekJson(toolCalls)!);
    if (reasoning !== undefined) outputs.reasoning = attributes.peekJson(reasoning)!;
    if (finishReason !== undefined) outputs.finish_reason = attributes.peekJson(finishReason)!;
    if (offerBlock(draft.outputs, outputs)) {
      if (text !== undefined) attributes.take(text);
      if (toolCalls !== undefined) attributes.take(toolCalls);
      if (reasoning !== undefined) attributes.take(reasoning);
      if (finishReason !== undefined) attributes.take(finishReason);
    }
  }
  offerAttribute(attributes, 'ai.response.id', draft.metadata, 'response_id');
}

function placeStreamMetrics(context: MappingContext): void {
  for (let metricIndex = 0, metricList = STREAM_METRICS; metricIndex < metricList.length; metricIndex++) {
    const metricItem = metricList[metricIndex]!;
    const metric = metricItem[0];
    const keys = metricItem[1];
    const eventName = metricItem[2];
    const found = context.attributes.firstKey(keys);
    const value = found === undefined ? undefined : numberValue(context.attributes.peekJson(found));
    if (value === undefined || !offerFrom(context.attributes, found!, context.draft.metrics, metric, value)) continue;
    const event =
      eventName === undefined ? undefined : context.span.events.find((candidate) => candidate.name === eventName);
    if (event) context.consumeEvent(event);
  }
}

/** `ai.toolCall`: the tool's name names the event; its arguments are the inputs, its result the outputs. */
function placeToolCall(context: MappingContext): void {
  const { attributes, draft } = context;
  offerEventName(context, 'ai.toolCall.name');
  offerAttribute(attributes, 'ai.toolCall.id', draft.metadata, 'tool_call_id');
  // JSON by contract (`JSON.stringify` of the arguments and result): a JSON-encoded string is parsed too.
  offerWholeJson(attributes, 'ai.toolCall.args', draft.inputs);
  // Outputs are made only for a span that has some.
  if (attributes.has('ai.toolCall.result')) offerWholeJson(attributes, 'ai.toolCall.result', draft.outputs);
}

/** A list of JSON texts (`ai.values`, `ai.embeddings`), or one (`ai.value`, `ai.embedding`), as a list of values (each embedded value is JSON text, `"\"sunny day\""`). */
function jsonList(value: JsonValue): JsonValue[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => parseJson(item));
}

/** Where embeddings' and reranking's attributes go: `[their keys, inputs or outputs, field]`. */
const EMBEDDING_AND_RANKING: ReadonlyArray<readonly [readonly string[], 'inputs' | 'outputs', string]> = [
  [['ai.values', 'ai.value'], 'inputs', 'input'],
  [['ai.embeddings', 'ai.embedding'], 'outputs', 'embeddings'],
  [['ai.documents'], 'inputs', 'documents'],
  [['ai.ranking'], 'outputs', 'ranking'],
];

/** Embeddings: the values embedded are the inputs, the vectors the outputs; reranking's documents and ranking alike. */
function placeEmbeddingsAndRanking(context: MappingContext): void {
  const { attributes, draft } = context;
  for (let i = 0; i < EMBEDDING_AND_RANKING.length; i++) {
    const entry = EMBEDDING_AND_RANKING[i]!;
    const found = attributes.firstKey(entry[0]);
    if (found === undefined) continue;
    const target = entry[1] === 'inputs' ? draft.inputs : draft.outputs;
    offerFrom(attributes, found, target, entry[2], jsonList(attributes.peekJson(found)!));
  }
  offerAttribute(attributes, 'ai.ranking.type', draft.config, 'ranking_type');
}

export const vercelAiConvention: ConventionFamily = {
  name: 'vercel-ai',
  keyStarts: ['ai.'],
  eventType: (attributes) => operationType(attributes.peek('ai.operationId')),
  sessionIdKeys: [SESSION_ID_KEY],
  usage: VERCEL_AI_USAGE,
  map(context: MappingContext): void {
    if (!context.attributes.hasPrefix('ai')) return;
    placeKeyedMetadata(context, METADATA_PREFIX, METADATA_HANDLED_ELSEWHERE);
    placeModelSettings(context);
    placeVercelUsage(context);
    placePrompt(context);
    placeResponse(context);
    placeStreamMetrics(context);
    placeToolCall(context);
    placeEmbeddingsAndRanking(context);
  },
};
