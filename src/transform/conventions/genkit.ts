/**
 * Firebase Genkit (`genkit:*`, JS, Go and Python): every action is a span
 * named by `genkit:name` and typed by `genkit:type` and
 * `genkit:metadata:subtype` (model, tool, flow, prompt, embedder, retriever,
 * ...), with its input and output as JSON in `genkit:input` /
 * `genkit:output`. A model action's input is a GenerateRequest (messages,
 * config, tools) and its output a GenerateResponse (message, finish reason,
 * usage); those are read as a conversation, settings, an answer and usage,
 * and what no rule places stays under the attribute's name. Any other
 * action's input and output are its inputs and outputs as they are.
 */
import type { JsonObject, JsonValue, SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { lookupEventType } from '../event-type';
import { isJsonObject, jsonEqual, parseJson } from '../json-values';
import type { SpanAttributes } from '../span-attributes';
import type { ConventionFamily } from './family';
import { chatHistory, chatMessages, outputsFromMessages } from './messages';
import { placeHyperparameters } from './model-config';
import { keepRemainder, offer, offerBlock, offerEventName, offerWholeFrom, stringValue } from './placement';
import { addUsageObject, placeUsage, type UsageField, type UsageReading } from './usage';

const NAME = 'genkit:name';
const TYPE = 'genkit:type';
const SUBTYPE = 'genkit:metadata:subtype';
const INPUT = 'genkit:input';
const OUTPUT = 'genkit:output';

const SUBTYPE_TYPES: Readonly<Record<string, SpanEventType>> = {
  model: 'model',
  'background-model': 'model',
  tool: 'tool',
  embedder: 'tool',
  retriever: 'tool',
  indexer: 'tool',
  reranker: 'tool',
  flow: 'chain',
  prompt: 'chain',
  'executable-prompt': 'chain',
  evaluator: 'chain',
};

/** GenerateResponse `usage`, in HoneyHive's names. */
const USAGE_FIELDS: ReadonlyArray<readonly [string, UsageField]> = [
  ['inputTokens', 'prompt_tokens'],
  ['outputTokens', 'completion_tokens'],
  ['totalTokens', 'total_tokens'],
  ['thoughtsTokens', 'reasoning_tokens'],
  ['cachedContentTokens', 'cache_read_input_tokens'],
];

function speaksGenkit(attributes: SpanAttributes): boolean {
  return attributes.has(TYPE) || attributes.has(NAME);
}

function eventType(attributes: SpanAttributes): SpanEventType | undefined {
  if (!speaksGenkit(attributes)) return undefined;
  return (
    lookupEventType(SUBTYPE_TYPES, attributes.peek(SUBTYPE)) ??
    (attributes.peek(TYPE) === 'flow' || attributes.peek(TYPE) === 'flowStep' ? 'chain' : undefined)
  );
}

function jsonAttribute(attributes: SpanAttributes, key: string): JsonValue | undefined {
  const value = attributes.peekJson(key);
  return value === undefined ? undefined : parseJson(value);
}

/** A GenerateRequest: messages to `inputs.chat_history`, config to hyperparameters, tools to `config.tools`. */
function placeRequest(context: MappingContext, request: JsonObject): void {
  const { attributes, draft } = context;
  const remainder: JsonObject = {};
  for (const [name, value] of Object.entries(request)) {
    let placed = false;
    if (name === 'messages') {
      const history = chatHistory(value);
      placed = history !== undefined && offer(draft.inputs, 'chat_history', history);
    } else if (name === 'config' && isJsonObject(value)) {
      placeHyperparameters(
        attributes,
        draft.config,
        Object.entries(value).map(([setting, item]) => [INPUT, setting, item] as const),
      );
      placed = true;
    } else if (name === 'tools') {
      placed = offer(draft.config, 'tools', value);
    }
    if (!placed) remainder[name] = value;
  }
  keepRemainder(context, INPUT, remainder);
}

/** A GenerateResponse: the message and finish reason as the answer, usage, latency; its copy of the request dropped. */
function placeResponse(context: MappingContext, response: JsonObject, request: JsonValue | undefined): void {
  const { draft } = context;
  const remainder: JsonObject = {};
  const reading: UsageReading = { values: {}, sources: {}, conflicting: [] };
  for (const [name, value] of Object.entries(response)) {
    let placed = true;
    if (name === 'message') {
      const answer = outputsFromMessages(chatMessages(value, 'assistant'));
      placed = answer !== undefined && offerBlock(draft.outputs, answer);
    } else if (name === 'finishReason') {
      placed = offer(draft.outputs, 'finish_reason', value);
    } else if (name === 'usage' && isJsonObject(value)) {
      const rest = addUsageObject(reading, value, USAGE_FIELDS);
      if (rest) remainder.usage = rest;
    } else if (name === 'latencyMs') {
      placed = offer(draft.metadata, 'latency_ms', value);
    } else if (name === 'request') {
      placed = jsonEqual(value, request);
    } else {
      placed = false;
    }
    if (!placed) remainder[name] = value;
  }
  placeUsage(context, reading);
  keepRemainder(context, OUTPUT, remainder);
}

export const genkitConvention: ConventionFamily = {
  name: 'genkit',
  eventType,
  sessionIdKeys: ['genkit:sessionId'],
  map(context: MappingContext): void {
    const { attributes, draft } = context;
    if (!speaksGenkit(attributes)) return;
    const input = jsonAttribute(attributes, INPUT);
    const output = jsonAttribute(attributes, OUTPUT);
    if (attributes.peek(SUBTYPE) === 'model') {
      const model = stringValue(attributes.peekJson(NAME));
      if (model !== undefined && offer(draft.config, 'model', model)) attributes.consume([NAME]);
      if (isJsonObject(input)) placeRequest(context, input);
      if (isJsonObject(output)) placeResponse(context, output, input);
      return;
    }
    offerEventName(context, NAME);
    if (input !== undefined) offerWholeFrom(attributes, [INPUT], draft.inputs, input);
    if (output !== undefined) offerWholeFrom(attributes, [OUTPUT], draft.outputs, output);
  },
};
