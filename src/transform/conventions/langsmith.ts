/**
 * LangSmith's OpenTelemetry export (`langsmith.*`): the run's kind and name,
 * its metadata and tags, and its inputs and outputs, which LangSmith writes
 * as JSON into `gen_ai.prompt` / `gen_ai.completion`. For an `llm` run those
 * hold messages (OpenAI-style, or LangChain's serialized ones) and are read
 * as a conversation; for any other run they are the inputs and outputs as
 * they are. Model, settings and usage are `gen_ai.*`, mapped by the GenAI
 * convention, with the token details LangSmith adds read here.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanEventType } from '../../honeyhive-types';
import { lookupEventType } from '../event-type';
import type { ConventionFamily } from './family';
import { GEN_AI_USAGE } from './genai';
import { getOwn, isJsonObject, parseJsonObjectOrArray } from '../json-values';
import { chatHistory, chatMessages, outputsFromMessages, type ChatMessage } from './messages';
import {
  numberValue,
  offerBlockFrom,
  offerEventName,
  offerFrom,
  offerWholeFrom,
  placeKeyedMetadata,
} from './placement';
import { addUsage, placeUsage, readUsage, type UsageField } from './usage';

const METADATA_PREFIX = 'langsmith.metadata';
const RUN_KIND = 'langsmith.span.kind';

/** Run kinds; any other (chain, prompt, parser, ...) is a chain. */
const KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  llm: 'model',
  tool: 'tool',
  retriever: 'tool',
  embedding: 'tool',
};

/** LangSmith's JSON usage objects, and what each (dotted) number in them is in HoneyHive's names. */
const INPUT_DETAILS = [
  ['cache_read', 'cache_read_input_tokens'],
  ['cache_creation', 'cache_write_input_tokens'],
  ['audio', 'audio_input_tokens'],
] as const;
const OUTPUT_DETAILS = [
  ['reasoning', 'reasoning_tokens'],
  ['audio', 'audio_output_tokens'],
] as const;
const JSON_USAGE: ReadonlyArray<readonly [key: string, fields: ReadonlyArray<readonly [string, UsageField]>]> = [
  ['gen_ai.usage.input_token_details', INPUT_DETAILS],
  ['gen_ai.usage.output_token_details', OUTPUT_DETAILS],
  [
    'langsmith.usage_metadata',
    [
      ['input_tokens', 'prompt_tokens'],
      ['output_tokens', 'completion_tokens'],
      ['total_tokens', 'total_tokens'],
      ...INPUT_DETAILS.map(([name, field]) => [`input_token_details.${name}`, field] as const),
      ...OUTPUT_DETAILS.map(([name, field]) => [`output_token_details.${name}`, field] as const),
    ],
  ],
];

/** The numbers of a JSON object, one level of nesting flattened to dotted names. */
function numbersOf(value: JsonObject): Map<string, number | undefined> {
  const numbers = new Map<string, number | undefined>();
  for (let nameIndex = 0, nameList = Object.keys(value); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const item = value[name]!;
    if (isJsonObject(item))
      for (let innerIndex = 0, innerList = Object.keys(item); innerIndex < innerList.length; innerIndex++) {
        const inner = innerList[innerIndex]!;
        const number = item[inner]!;
        numbers.set(`${name}.${inner}`, numberValue(number));
      }
    else numbers.set(name, numberValue(item));
  }
  return numbers;
}

function placeRun(context: MappingContext): void {
  const { attributes, draft } = context;
  offerEventName(context, 'langsmith.trace.name');
  // LangSmith writes a metadata value that is not a string, number or boolean as JSON text.
  placeKeyedMetadata(context, METADATA_PREFIX, undefined, true);
  const tags = attributes.peekJson('langsmith.span.tags');
  if (typeof tags === 'string')
    offerFrom(attributes, 'langsmith.span.tags', draft.metadata, 'tags', tags === '' ? [] : tags.split(', '));
  else if (tags !== undefined) offerFrom(attributes, 'langsmith.span.tags', draft.metadata, 'tags', tags);
}

/** A chat model's messages from an `llm` run's inputs: `messages` as a list, or LangChain's batch of lists. */
function runMessages(inputs: JsonObject): ChatMessage[] | undefined {
  const messages = getOwn(inputs, 'messages');
  const conversation = Array.isArray(messages) && Array.isArray(messages[0]) ? messages[0] : messages;
  return chatHistory(conversation);
}

/** A chat model's answer from an `llm` run's outputs: OpenAI-style `choices`, LangChain `generations`, or a message. */
function runAnswer(outputs: JsonObject): JsonObject | undefined {
  const choices = getOwn(outputs, 'choices');
  if (Array.isArray(choices)) {
    return outputsFromMessages(
      choices.flatMap((choice) => {
        if (!isJsonObject(choice)) return [];
        const message = getOwn(choice, 'message');
        const finishReason = getOwn(choice, 'finish_reason');
        return chatMessages(
          {
            ...(isJsonObject(message) ? message : {}),
            ...(finishReason !== undefined ? { finish_reason: finishReason } : {}),
          },
          'assistant',
        );
      }),
    );
  }
  const generations = getOwn(outputs, 'generations');
  if (Array.isArray(generations)) {
    const flat: JsonValue[] = generations.flatMap((generation) =>
      Array.isArray(generation) ? generation : [generation],
    );
    return outputsFromMessages(flat.flatMap(generationMessages));
  }
  return getOwn(outputs, 'role') !== undefined || getOwn(outputs, 'lc') !== undefined
    ? outputsFromMessages(chatMessages(outputs, 'assistant'))
    : undefined;
}

/** One LangChain generation: its message, or its text; with the finish reason from its generation info. */
function generationMessages(generation: JsonValue): ChatMessage[] {
  if (!isJsonObject(generation)) return [];
  const message = getOwn(generation, 'message');
  const messages = isJsonObject(message)
    ? chatMessages(message, 'assistant')
    : [{ role: 'assistant', content: String(getOwn(generation, 'text') ?? '') }];
  const info = getOwn(generation, 'generation_info');
  const finishReason = isJsonObject(info) ? getOwn(info, 'finish_reason') : undefined;
  const last = messages[messages.length - 1];
  if (last && finishReason !== undefined && last.finish_reason === undefined) last.finish_reason = finishReason;
  return messages;
}

function placeRunIo(context: MappingContext): void {
  const { attributes, draft } = context;
  const isLlm = attributes.peekJson(RUN_KIND) === 'llm';
  const inputs = parseJsonObjectOrArray(attributes.peekJson('gen_ai.prompt'));
  if (inputs !== undefined) {
    const history = isLlm && isJsonObject(inputs) ? runMessages(inputs) : undefined;
    if (history && isJsonObject(inputs)) {
      const { messages: _messages, ...rest } = inputs;
      offerBlockFrom(attributes, ['gen_ai.prompt'], draft.inputs, { chat_history: history, ...rest });
    } else {
      offerWholeFrom(attributes, ['gen_ai.prompt'], draft.inputs, inputs);
    }
  }
  const outputs = parseJsonObjectOrArray(attributes.peekJson('gen_ai.completion'));
  if (outputs !== undefined) {
    const answer = isLlm && isJsonObject(outputs) ? runAnswer(outputs) : undefined;
    if (answer) offerBlockFrom(attributes, ['gen_ai.completion'], draft.outputs, answer);
    else offerWholeFrom(attributes, ['gen_ai.completion'], draft.outputs, outputs);
  }
}

function placeRunUsage(context: MappingContext): void {
  const { attributes } = context;
  const reading = readUsage(attributes, GEN_AI_USAGE);
  for (let keyIndex = 0, keyList = JSON_USAGE; keyIndex < keyList.length; keyIndex++) {
    const keyItem = keyList[keyIndex]!;
    const key = keyItem[0];
    const fields = keyItem[1];
    const value = parseJsonObjectOrArray(attributes.peekJson(key));
    if (!isJsonObject(value)) continue;
    const numbers = numbersOf(value);
    // The JSON attribute is consumed only when every number in it is one we map.
    const whole = [...numbers.keys()].every((name) => fields.some(([known]) => known === name));
    for (let nameIndex = 0, nameList = fields; nameIndex < nameList.length; nameIndex++) {
      const nameItem = nameList[nameIndex]!;
      const name = nameItem[0];
      const field = nameItem[1];
      addUsage(reading, field, numbers.get(name), whole ? key : undefined);
    }
  }
  placeUsage(context, reading);
}

export const langSmithConvention: ConventionFamily = {
  name: 'langsmith',
  keyStarts: ['langsmith.'],
  eventType: (attributes) =>
    attributes.has(RUN_KIND) ? (lookupEventType(KIND_TYPES, attributes.peek(RUN_KIND)) ?? 'chain') : undefined,
  sessionIdKeys: ['langsmith.trace.session_id'],
  sessionNameKeys: ['langsmith.trace.session_name'],
  map(context: MappingContext): void {
    if (!context.attributes.hasPrefix('langsmith')) return;
    placeRun(context);
    placeRunIo(context);
    placeRunUsage(context);
  },
};
