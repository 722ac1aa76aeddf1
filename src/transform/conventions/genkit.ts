/**
 * Firebase Genkit (`genkit:*`, JS, Go and Python): every action is a span
 * named by `genkit:name` and typed by `genkit:type` and
 * `genkit:metadata:subtype` (model, tool, flow, prompt, embedder, retriever,
 * ...), with its input and output as JSON in `genkit:input` /
 * `genkit:output`. A model action's input is a GenerateRequest (messages,
 * config, tools) and its output a GenerateResponse (message, finish reason,
 * usage); those are read as a conversation, settings, an answer and usage,
 * and what no rule places stays under the attribute's name. The `generate`
 * utility spans around them (one per turn of a tool loop) carry the same
 * request and response, and are read alike, as chains. Any other action's
 * input and output are its inputs and outputs as they are.
 */
import type { JsonObject, JsonValue, SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { lookupEventType } from '../event-type';
import { isJsonObject, jsonEqual, parseJson } from '../json-values';
import type { SpanAttributes } from '../span-attributes';
import type { ConventionFamily } from './family';
import { chatHistory, chatMessages, outputsFromMessages } from './messages';
import { hyperparameterName, placeHyperparameters } from './model-config';
import { keepRemainder, offer, offerBlock, offerEventName, offerWholeFrom, stringValue } from './placement';
import { addUsageObject, emptyUsageReading, placeUsage, type UsageField } from './usage';

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

/** `ai.generate`'s own span (`genkit:type` util): its input is GenerateActionOptions, its output a GenerateResponse. */
function isGenerateUtil(attributes: SpanAttributes): boolean {
  return attributes.peek(TYPE) === 'util' && attributes.peek(NAME) === 'generate';
}

function speaksGenkit(attributes: SpanAttributes): boolean {
  return attributes.has(TYPE) || attributes.has(NAME);
}

function eventType(attributes: SpanAttributes): SpanEventType | undefined {
  if (!speaksGenkit(attributes)) return undefined;
  return (
    lookupEventType(SUBTYPE_TYPES, attributes.peek(SUBTYPE)) ??
    (attributes.peek(TYPE) === 'flow' || attributes.peek(TYPE) === 'flowStep' || isGenerateUtil(attributes)
      ? 'chain'
      : undefined)
  );
}

/**
 * A GenerateRequest: messages to `inputs.chat_history`, config to
 * hyperparameters (in HoneyHive's names: `maxOutputTokens` as `max_tokens`),
 * tools to `config.tools` (an empty list says nothing), the model asked for
 * (GenerateActionOptions name it) to `config.model`.
 */
function placeRequest(context: MappingContext, request: JsonObject): void {
  const { attributes, draft } = context;
  const remainder: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(request); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = request[name]!;
    let placed = false;
    if (name === 'messages') {
      const history = chatHistory(value);
      placed = history !== undefined && offer(draft.inputs, 'chat_history', history);
    } else if (name === 'config' && isJsonObject(value)) {
      placeHyperparameters(
        attributes,
        draft.config,
        Object.entries(value).map(([setting, item]) => [INPUT, hyperparameterName(setting), item] as const),
      );
      placed = true;
    } else if (name === 'tools') {
      placed = (Array.isArray(value) && value.length === 0) || offer(draft.config, 'tools', value);
    } else if (name === 'model' && typeof value === 'string') {
      placed = offer(draft.config, 'model', value);
    }
    if (!placed) remainder[name] = value;
  }
  keepRemainder(context, INPUT, remainder);
}

/**
 * A GenerateResponse: the message and finish reason as the answer, usage,
 * latency; its copy of the request dropped when it is the input, else its
 * messages dropped when they are the input's (a `generate` span's copy names
 * the tools in full, its input by key) and the rest kept.
 */
function placeResponse(context: MappingContext, response: JsonObject, request: JsonValue | undefined): void {
  const { draft } = context;
  const remainder: JsonObject = {};
  const reading = emptyUsageReading();
  for (let nameIndex = 0, nameList = Object.keys(response); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = response[name]!;
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
      if (!placed && isJsonObject(value) && isJsonObject(request) && jsonEqual(value.messages, request.messages)) {
        const { messages: _messages, ...rest } = value;
        remainder[name] = rest;
        continue;
      }
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
    const input = parseJson(attributes.peekJson(INPUT));
    const output = parseJson(attributes.peekJson(OUTPUT));
    const generate = isGenerateUtil(attributes);
    if (attributes.peek(SUBTYPE) === 'model' || generate) {
      const model = stringValue(attributes.peekJson(NAME));
      if (generate) offerEventName(context, NAME);
      else if (model !== undefined && offer(draft.config, 'model', model)) attributes.consume([NAME]);
      if (isJsonObject(input)) placeRequest(context, input);
      if (isJsonObject(output)) placeResponse(context, output, input);
      return;
    }
    offerEventName(context, NAME);
    if (input !== undefined) offerWholeFrom(attributes, [INPUT], draft.inputs, input);
    if (output !== undefined) offerWholeFrom(attributes, [OUTPUT], draft.outputs, output);
  },
};
