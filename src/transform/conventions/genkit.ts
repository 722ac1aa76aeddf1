/**
 * Firebase Genkit (`genkit:*`, JS, Go and Python): every action is a span
 * named by `genkit:name` and typed by `genkit:type` and
 * `genkit:metadata:subtype` (model, tool, flow, prompt, embedder, retriever,
 * ...), with its input and output as JSON in `genkit:input` /
 * `genkit:output`. A model action's input is a GenerateRequest (messages,
 * config, tools) and its output a GenerateResponse (message, finish reason,
 * usage); those are read as a conversation, settings, an answer and usage,
 * the provider's response a plugin keeps in it (`raw`) is carried once
 * (raw-bodies.ts), and what no rule places stays under the attribute's name.
 * The `generate` utility spans around them (one per turn of a tool loop)
 * carry the same request and response, and are read alike, as chains. Any
 * other action's input and output are its inputs and outputs as they are.
 */
import type { JsonObject, JsonValue, SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { lookupEventType } from '../event-type';
import { getOwn, hasOwnKeys, isJsonObject, jsonEqual, parseJson, setOwn } from '../json-values';
import type { SpanAttributes } from '../span-attributes';
import type { ConventionFamily } from './family';
import { chatHistory, chatMessages, outputsFromMessages } from './messages';
import { hyperparameterName, placeHyperparameters } from './model-config';
import { addBodyUsage, responseBodyRemainder } from './raw-bodies';
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

/** The tool names a `generate` span's input lists, as the definitions its response's request copy holds (by key or name), or undefined. */
function toolDefinitions(names: JsonValue | undefined, definitions: JsonValue | undefined): JsonValue[] | undefined {
  if (!Array.isArray(names) || !Array.isArray(definitions) || names.length !== definitions.length) return undefined;
  const named = names.every((name, index) => {
    const definition = definitions[index];
    return (
      typeof name === 'string' &&
      isJsonObject(definition) &&
      (getOwn(definition, 'key') === name || getOwn(definition, 'name') === name)
    );
  });
  return named ? definitions : undefined;
}

/** True when `prefix` is the first messages of `messages` (a tool loop's conversation goes on from its input). */
function startsWith(messages: JsonValue | undefined, prefix: JsonValue | undefined): messages is JsonValue[] {
  return (
    Array.isArray(messages) &&
    Array.isArray(prefix) &&
    prefix.length <= messages.length &&
    prefix.every((message, index) => jsonEqual(message, messages[index]))
  );
}

/**
 * A GenerateRequest: messages to `inputs.chat_history`, config to
 * hyperparameters (in HoneyHive's names: `maxOutputTokens` as `max_tokens`),
 * tools to `config.tools` (an empty list says nothing), the model asked for
 * (GenerateActionOptions name it) to `config.model`. A `generate` span's
 * response holds a copy of its last turn's request: the conversation its
 * input begins (a tool loop's, with each call and result) and the
 * definitions of the tools its input names are placed from that copy
 * instead. Returns the request as carried, for that copy to be left out.
 */
function placeRequest(context: MappingContext, request: JsonObject, copy: JsonValue | undefined): JsonObject {
  const { attributes, draft } = context;
  const carried: JsonObject = { ...request };
  const remainder: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(request); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = request[name]!;
    const copied = isJsonObject(copy) ? getOwn(copy, name) : undefined;
    let placed = false;
    if (name === 'messages') {
      const whole = startsWith(copied, value) ? chatHistory(copied) : undefined;
      if (whole !== undefined && offer(draft.inputs, 'chat_history', whole)) {
        carried.messages = copied!;
        continue;
      }
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
      const definitions = toolDefinitions(value, copied);
      if (definitions !== undefined && offer(draft.config, 'tools', definitions)) {
        carried.tools = definitions;
        continue;
      }
      placed = (Array.isArray(value) && value.length === 0) || offer(draft.config, 'tools', value);
    } else if (name === 'model' && typeof value === 'string') {
      placed = offer(draft.config, 'model', value);
    }
    if (!placed) setOwn(remainder, name, value);
  }
  keepRemainder(context, INPUT, remainder);
  return carried;
}

/** The fields of a response's copy of the request that the event does not carry already (an empty tool list says nothing). */
function requestCopyRemainder(copy: JsonObject, carried: JsonObject): JsonObject {
  const rest: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(copy); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = copy[name]!;
    const said =
      jsonEqual(value, getOwn(carried, name)) || (name === 'tools' && Array.isArray(value) && value.length === 0);
    if (!said) setOwn(rest, name, value);
  }
  return rest;
}

/**
 * A GenerateResponse: the message and finish reason as the answer, usage,
 * latency; of its copy of the request, what the request as carried lacks;
 * of the provider's response (`raw`, an OpenAI-compatible plugin's), what
 * the event lacks (see raw-bodies.ts), its usage counted where Genkit's
 * misses a count (cached tokens).
 */
function placeResponse(context: MappingContext, response: JsonObject, carried: JsonObject | undefined): void {
  const { draft } = context;
  const remainder: JsonObject = {};
  const reading = emptyUsageReading();
  let raw: JsonObject | undefined;
  for (let nameIndex = 0, nameList = Object.keys(response); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = response[name]!;
    let rest: JsonValue | undefined = value;
    if (name === 'message') {
      const answer = outputsFromMessages(chatMessages(value, 'assistant'));
      if (answer !== undefined && offerBlock(draft.outputs, answer)) rest = undefined;
    } else if (name === 'finishReason') {
      if (offer(draft.outputs, 'finish_reason', value)) rest = undefined;
    } else if (name === 'usage' && isJsonObject(value)) {
      rest = addUsageObject(reading, value, USAGE_FIELDS);
    } else if (name === 'latencyMs') {
      if (offer(draft.metadata, 'latency_ms', value)) rest = undefined;
    } else if (name === 'request' && isJsonObject(value) && carried !== undefined) {
      const copy = requestCopyRemainder(value, carried);
      rest = hasOwnKeys(copy) ? copy : undefined;
    } else if (name === 'raw' && isJsonObject(value)) {
      // Read after the answer and Genkit's usage, whichever order the response lists them in.
      raw = value;
      rest = undefined;
    }
    if (rest !== undefined) setOwn(remainder, name, rest);
  }
  if (raw !== undefined) addBodyUsage(reading, getOwn(raw, 'usage'));
  placeUsage(context, reading);
  const outputs = draft.written('outputs');
  if (raw !== undefined) {
    const rest = outputs === undefined ? raw : responseBodyRemainder(context, outputs, raw);
    if (hasOwnKeys(rest)) setOwn(remainder, 'raw', rest);
  }
  keepRemainder(context, OUTPUT, remainder);
}

export const genkitConvention: ConventionFamily = {
  name: 'genkit',
  keyStarts: ['genkit:'],
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
      else if (model !== undefined && offer(draft.config, 'model', model)) attributes.take(NAME);
      const carried = isJsonObject(input)
        ? placeRequest(context, input, isJsonObject(output) ? getOwn(output, 'request') : undefined)
        : undefined;
      if (isJsonObject(output)) placeResponse(context, output, carried);
      return;
    }
    offerEventName(context, NAME);
    if (input !== undefined) offerWholeFrom(attributes, [INPUT], draft.inputs, input);
    if (output !== undefined) offerWholeFrom(attributes, [OUTPUT], draft.outputs, output);
  },
};
