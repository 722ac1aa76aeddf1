/**
 * Google's Agent Development Kit (`gcp.vertex.agent.*`, Python, Java and
 * TypeScript): beside the GenAI attributes it writes, a model call
 * (`call_llm`) carries the whole request and response as JSON
 * (`llm_request`: model, contents, config; `llm_response`: content, finish
 * reason, usage metadata) and a tool call its arguments and response. The
 * contents are Gemini messages (`{role, parts: [{text}, {function_call}, ...]}`).
 * Python writes the JSON's names in snake_case, TypeScript in camelCase
 * (`systemInstruction`, `finishReason`, `usageMetadata`); both are read.
 * What a rule used leaves the raw JSON; the rest stays under its name.
 */
import type { JsonObject, JsonValue, SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { getOwn, isJsonObject, parseJson, setOwn } from '../json-values';
import { hyperparameterName } from './model-config';
import type { SpanAttributes } from '../span-attributes';
import type { ConventionFamily } from './family';
import { chatHistory, chatMessages, outputsFromMessages, type ChatMessage } from './messages';
import { keepRemainder, objectField, offer, offerBlock, offerWholeJson } from './placement';
import { addUsageObject, emptyUsageReading, placeUsage, type UsageField } from './usage';

const PREFIX = 'gcp.vertex.agent';
const LLM_REQUEST = 'gcp.vertex.agent.llm_request';
const LLM_RESPONSE = 'gcp.vertex.agent.llm_response';
const TOOL_ARGUMENTS = 'gcp.vertex.agent.tool_call_args';
const TOOL_RESPONSE = 'gcp.vertex.agent.tool_response';

/** `usage_metadata`, in HoneyHive's names. */
const USAGE_FIELDS: ReadonlyArray<readonly [string, UsageField]> = [
  ['prompt_token_count', 'prompt_tokens'],
  ['candidates_token_count', 'completion_tokens'],
  ['total_token_count', 'total_tokens'],
  ['cached_content_token_count', 'cache_read_input_tokens'],
  ['thoughts_token_count', 'reasoning_tokens'],
  ['promptTokenCount', 'prompt_tokens'],
  ['candidatesTokenCount', 'completion_tokens'],
  ['totalTokenCount', 'total_tokens'],
  ['cachedContentTokenCount', 'cache_read_input_tokens'],
  ['thoughtsTokenCount', 'reasoning_tokens'],
];

/** The request's and response's camelCase names (TypeScript ADK) by their snake_case ones (Python ADK). */
const SNAKE_CASE_NAMES: Readonly<Record<string, string>> = {
  systemInstruction: 'system_instruction',
  finishReason: 'finish_reason',
  usageMetadata: 'usage_metadata',
};

const snakeCaseName = (name: string): string => (getOwn(SNAKE_CASE_NAMES, name) as string | undefined) ?? name;

/** A JSON object attribute with something in it (ADK writes `{}` where a span has no request). */
function jsonObject(attributes: SpanAttributes, key: string): JsonObject | undefined {
  const parsed = parseJson(attributes.peekJson(key));
  return isJsonObject(parsed) && Object.keys(parsed).length > 0 ? parsed : undefined;
}

/** A JSON object attribute, consumed when it is `{}`: ADK's placeholder for its own UI carries nothing to keep. */
function placedJsonObject(attributes: SpanAttributes, key: string): JsonObject | undefined {
  const found = jsonObject(attributes, key);
  if (!found && attributes.peekJson(key) === '{}') attributes.take(key);
  return found;
}

function eventType(attributes: SpanAttributes): SpanEventType | undefined {
  if (!attributes.hasPrefix(PREFIX)) return undefined;
  if (jsonObject(attributes, LLM_REQUEST) || jsonObject(attributes, LLM_RESPONSE)) return 'model';
  return attributes.has(TOOL_ARGUMENTS) || attributes.has(TOOL_RESPONSE) ? 'tool' : undefined;
}

/** The system instruction (text, or a Content of parts) as a system message. */
function systemMessages(instruction: JsonValue | undefined): ChatMessage[] {
  if (instruction === undefined || instruction === null) return [];
  if (typeof instruction === 'string') return [{ role: 'system', content: instruction }];
  return chatMessages({ ...(isJsonObject(instruction) ? instruction : { parts: instruction }), role: 'system' });
}

function placeRequest(context: MappingContext, request: JsonObject): void {
  const { draft } = context;
  const remainder: JsonObject = {};
  const config = getOwn(request, 'config');
  const settings: JsonObject = {};
  let instruction: JsonValue | undefined;
  if (isJsonObject(config)) {
    for (let nameIndex = 0, nameList = Object.keys(config); nameIndex < nameList.length; nameIndex++) {
      const name = nameList[nameIndex]!;
      const value = config[name]!;
      if (snakeCaseName(name) === 'system_instruction') instruction = value;
      else if (name === 'tools') {
        if (!offer(draft.config, 'tools', value)) setOwn(settings, name, value);
      } else if (value !== null) setOwn(settings, hyperparameterName(name), value);
    }
  }
  for (let nameIndex = 0, nameList = Object.keys(request); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = request[name]!;
    if (name === 'config') continue;
    if (name === 'model' && typeof value === 'string' && offer(draft.config, 'model', value)) continue;
    if (name === 'contents') {
      const history = chatHistory(value);
      if (history && offer(draft.inputs, 'chat_history', [...systemMessages(instruction), ...history])) {
        instruction = undefined;
        continue;
      }
    }
    setOwn(remainder, name, value);
  }
  if (instruction !== undefined) settings.system_instruction = instruction;
  if (Object.keys(settings).length > 0) {
    const hyperparameters = objectField(draft.config, 'hyperparameters');
    if (!hyperparameters || !offerBlock(hyperparameters, settings)) remainder.config = settings;
  }
  keepRemainder(context, LLM_REQUEST, remainder);
}

function placeResponse(context: MappingContext, response: JsonObject): void {
  const { draft } = context;
  const remainder: JsonObject = {};
  const reading = emptyUsageReading();
  for (let nameIndex = 0, nameList = Object.keys(response); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    const value = response[name]!;
    const field = snakeCaseName(name);
    if (name === 'content') {
      const answer = outputsFromMessages(chatMessages(value, 'assistant'));
      if (answer && offerBlock(draft.outputs, answer)) continue;
    } else if (field === 'finish_reason' && typeof value === 'string') {
      // Lowercased, as ADK's own gen_ai.response.finish_reasons spells it, so the two copies agree.
      if (offer(draft.outputs, 'finish_reason', value.toLowerCase())) continue;
    } else if (field === 'usage_metadata' && isJsonObject(value)) {
      const rest = addUsageObject(reading, value, USAGE_FIELDS);
      if (rest) setOwn(remainder, name, rest);
      continue;
    }
    setOwn(remainder, name, value);
  }
  placeUsage(context, reading);
  keepRemainder(context, LLM_RESPONSE, remainder);
}

export const googleAdkConvention: ConventionFamily = {
  name: 'google-adk',
  keyStarts: [`${PREFIX}.`],
  eventType,
  sessionIdKeys: ['gcp.vertex.agent.session_id'],
  map(context: MappingContext): void {
    const { attributes, draft } = context;
    if (!attributes.hasPrefix(PREFIX)) return;
    const request = placedJsonObject(attributes, LLM_REQUEST);
    if (request) placeRequest(context, request);
    const response = placedJsonObject(attributes, LLM_RESPONSE);
    if (response) placeResponse(context, response);
    offerWholeJson(attributes, TOOL_ARGUMENTS, draft.inputs);
    offerWholeJson(attributes, TOOL_RESPONSE, draft.outputs);
  },
};
