/**
 * A model call's raw request and response bodies (OpenInference's
 * `input.value` / `output.value`, the provider response Genkit keeps as
 * `raw`), carried once: what the mapping placed from them or from structured
 * attributes (the conversation, the answer, the model, tools, settings, ids,
 * usage) leaves them, and their remainder is what stays in metadata.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { getOwn, hasOwnKeys, isJsonObject, jsonEqual, setOwn } from '../json-values';
import { chatHistory, chatMessages } from './messages';
import { numberValue, offer } from './placement';
import { AGGREGATED_USAGE, addUsage, countsTokens, type UsageField, type UsageReading } from './usage';

/** Request fields the conversation carries, once it is in `inputs.chat_history`. */
const CONVERSATION_FIELDS: ReadonlySet<string> = new Set(['messages', 'system', 'prompt', 'input', 'contents']);
/** Response fields the answer carries, once it is in `outputs` as the body has it. */
const ANSWER_FIELDS: ReadonlySet<string> = new Set(['choices', 'content', 'role', 'type', 'message']);
/** Response fields naming why the answer ended. */
const FINISH_FIELDS: ReadonlySet<string> = new Set(['stop_reason', 'finish_reason', 'stop_sequence']);
/** The fields of an answer message that {@link chatMessages} reads. */
const MESSAGE_FIELDS: ReadonlySet<string> = new Set([
  'role',
  'content',
  'parts',
  'tool_calls',
  'function_call',
  'tool_call_id',
  'name',
  'finish_reason',
]);

/**
 * Usage counts in a body (OpenAI Chat Completions' and Responses',
 * Anthropic's, Bedrock's spellings), by their path in its `usage` object.
 */
const BODY_USAGE: ReadonlyMap<string, UsageField> = new Map<string, UsageField>([
  ['prompt_tokens', 'prompt_tokens'],
  ['completion_tokens', 'completion_tokens'],
  ['total_tokens', 'total_tokens'],
  ['prompt_tokens_details.cached_tokens', 'cache_read_input_tokens'],
  ['prompt_tokens_details.audio_tokens', 'audio_input_tokens'],
  ['completion_tokens_details.reasoning_tokens', 'reasoning_tokens'],
  ['completion_tokens_details.audio_tokens', 'audio_output_tokens'],
  ['input_tokens', 'prompt_tokens'],
  ['output_tokens', 'completion_tokens'],
  ['input_tokens_details.cached_tokens', 'cache_read_input_tokens'],
  ['output_tokens_details.reasoning_tokens', 'reasoning_tokens'],
  ['cache_read_input_tokens', 'cache_read_input_tokens'],
  ['cache_creation_input_tokens', 'cache_write_input_tokens'],
  ['inputTokens', 'prompt_tokens'],
  ['outputTokens', 'completion_tokens'],
  ['totalTokens', 'total_tokens'],
]);

/** A request body's fields that the draft does not carry already: the conversation when it is the one placed (see {@link requestFieldPlaced}). */
export function requestBodyRemainder(
  config: JsonObject,
  history: JsonValue | undefined,
  request: JsonObject,
): JsonObject {
  const remainder: JsonObject = {};
  // Whether the body's conversation is the one placed, worked out for its first conversation field.
  let conversationPlaced: boolean | undefined;
  for (let nameIndex = 0, nameList = Object.keys(request); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = request[name]!;
    const placed = CONVERSATION_FIELDS.has(name)
      ? (conversationPlaced ??= jsonEqual(bodyConversation(request), history))
      : requestFieldPlaced(config, name, value);
    if (!placed) setOwn(remainder, name, value);
  }
  return remainder;
}

/**
 * Adds a response body's usage counts to a reading (one that already holds
 * the structured counts: a different body count is not read, and stays in
 * the body's remainder).
 */
export function addBodyUsage(reading: UsageReading, usage: JsonValue | undefined, path = ''): void {
  if (!isJsonObject(usage)) return;
  for (let nameIndex = 0, nameList = Object.keys(usage); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = usage[name]!;
    const at = path === '' ? name : `${path}.${name}`;
    if (isJsonObject(value)) addBodyUsage(reading, value, at);
    const field = BODY_USAGE.get(at);
    if (field !== undefined) addUsage(reading, field, numberValue(value));
  }
}

/**
 * A response body's fields that the draft does not carry already: the answer
 * (one choice's message, or the body as the message) when it is the one in
 * `outputs`, its finish reason, model, id and system fingerprint, and each
 * usage count the event holds (call after its usage is placed).
 */
export function responseBodyRemainder(context: MappingContext, outputs: JsonObject, response: JsonObject): JsonObject {
  const { draft } = context;
  const answered = answerPlaced(outputs, response);
  const usage = placedUsage(context);
  const remainder: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(response); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = response[name]!;
    let rest: JsonValue | undefined = value;
    if (ANSWER_FIELDS.has(name) && answered) {
      rest =
        name === 'choices' && Array.isArray(value)
          ? listOrNothing(choiceRemainder(outputs, value[0]!))
          : name === 'message'
            ? messageRemainder(value)
            : undefined;
    } else if (
      (FINISH_FIELDS.has(name) && (value === null || offer(outputs, 'finish_reason', value))) ||
      (name === 'model' && isModel(draft.config, value)) ||
      (name === 'id' && offer(draft.metadata, 'response_id', value)) ||
      (name === 'system_fingerprint' && offer(draft.metadata, 'openai_system_fingerprint', value))
    ) {
      rest = undefined;
    } else if (name === 'usage') {
      rest = usageRemainder(value, usage);
    }
    if (rest !== undefined) setOwn(remainder, name, rest);
  }
  return remainder;
}

/** Where the event's usage was placed: metadata when it counts tokens, else `metadata.aggregated_usage`. */
function placedUsage(context: MappingContext): JsonObject | undefined {
  const { metadata } = context.draft;
  if (countsTokens(context)) return metadata;
  const aggregated = getOwn(metadata, AGGREGATED_USAGE);
  return isJsonObject(aggregated) ? aggregated : undefined;
}

/** A request body's conversation in the shared shape: its system prompt (Anthropic's `system`) and messages. */
function bodyConversation(request: JsonObject): JsonValue[] | undefined {
  const messages = chatHistory(getOwn(request, 'messages') ?? getOwn(request, 'input') ?? getOwn(request, 'contents'));
  if (!messages) return undefined;
  const system = getOwn(request, 'system');
  if (system === undefined) return messages;
  return [...chatMessages(typeof system === 'string' ? system : { content: system }, 'system'), ...messages];
}

/** The answer message of a response body: its one choice's message, its `message`, or the body itself. */
function answerMessage(response: JsonObject): JsonValue | undefined {
  const choices = getOwn(response, 'choices');
  if (Array.isArray(choices)) {
    const first = choices.length === 1 ? choices[0] : undefined;
    return isJsonObject(first) ? getOwn(first, 'message') : undefined;
  }
  return getOwn(response, 'message') ?? response;
}

/**
 * True when a response body's answer is the one placed (its text, tool calls
 * and reasoning); a choice's finish reason is offered as the answer's too.
 */
function answerPlaced(outputs: JsonObject, response: JsonObject): boolean {
  const message = answerMessage(response);
  const answer = message === undefined ? [] : chatMessages(message, 'assistant');
  if (answer.length !== 1 || !sameAnswer(outputs, answer[0]!)) return false;
  const choices = getOwn(response, 'choices');
  const choice = Array.isArray(choices) ? choices[0] : undefined;
  const finish = isJsonObject(choice) ? getOwn(choice, 'finish_reason') : undefined;
  if (finish !== undefined && finish !== null) offer(outputs, 'finish_reason', finish);
  return true;
}

/** True when the outputs hold the answer message, their finish reason and choices and its finish reason left out. */
function sameAnswer(outputs: JsonObject, answer: JsonObject): boolean {
  let compared = 0;
  for (let nameIndex = 0, nameList = Object.keys(outputs); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    if (name === 'finish_reason' || name === 'choices') continue;
    if (!jsonEqual(outputs[name], getOwn(answer, name))) return false;
    compared++;
  }
  let expected = 0;
  for (let nameIndex = 0, nameList = Object.keys(answer); nameIndex < nameList.length; nameIndex++) {
    if (nameList[nameIndex] !== 'finish_reason') expected++;
  }
  return compared === expected;
}

/** What of the placed answer's choice the outputs do not carry: a finish reason they name otherwise, log probabilities, ... */
function choiceRemainder(outputs: JsonObject, choice: JsonValue): JsonValue | undefined {
  if (!isJsonObject(choice)) return undefined;
  const rest: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(choice); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = choice[name]!;
    const kept =
      name === 'message'
        ? messageRemainder(value)
        : name === 'index' || (name === 'finish_reason' && jsonEqual(value, getOwn(outputs, 'finish_reason')))
          ? undefined
          : carriesNothing(value)
            ? undefined
            : value;
    if (kept !== undefined) setOwn(rest, name, kept);
  }
  return hasOwnKeys(rest) ? rest : undefined;
}

/** The placed answer message's fields that no chat message field holds (a refusal, annotations), or undefined. */
function messageRemainder(message: JsonValue): JsonValue | undefined {
  if (!isJsonObject(message)) return undefined;
  const rest: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(message); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = message[name]!;
    if (!MESSAGE_FIELDS.has(name) && !carriesNothing(value)) setOwn(rest, name, value);
  }
  return hasOwnKeys(rest) ? rest : undefined;
}

/** Null or an empty list: a field saying there is none. */
function carriesNothing(value: JsonValue): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

function listOrNothing(item: JsonValue | undefined): JsonValue[] | undefined {
  return item === undefined ? undefined : [item];
}

function isModel(config: JsonObject, value: JsonValue): boolean {
  return value === getOwn(config, 'model') || value === getOwn(config, 'request_model');
}

/**
 * True when a request field other than the conversation is placed. (The
 * conversation is when it is the one placed: the structured messages an
 * instrumentation writes can miss a part the body has, a tool result or an
 * image, and then the body's stay.)
 */
function requestFieldPlaced(config: JsonObject, name: string, value: JsonValue): boolean {
  if (name === 'model') return isModel(config, value);
  if (name === 'tools') return getOwn(config, 'tools') !== undefined || offer(config, 'tools', value);
  const hyperparameters = getOwn(config, 'hyperparameters');
  return isJsonObject(hyperparameters) && jsonEqual(getOwn(hyperparameters, name), value);
}

/** The counts of a body's usage that the event does not hold (OpenAI's accepted predictions, say), or undefined. */
function usageRemainder(value: JsonValue, placed: JsonObject | undefined, path = ''): JsonValue | undefined {
  if (!isJsonObject(value)) return value;
  const rest: JsonObject = {};
  for (let nameIndex = 0, nameList = Object.keys(value); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const item = value[name]!;
    const at = path === '' ? name : `${path}.${name}`;
    const field = BODY_USAGE.get(at);
    const kept = isJsonObject(item)
      ? usageRemainder(item, placed, at)
      : field !== undefined && placed !== undefined && numberValue(item) === getOwn(placed, field)
        ? undefined
        : item;
    if (kept !== undefined) setOwn(rest, name, kept);
  }
  return hasOwnKeys(rest) ? rest : undefined;
}
