/**
 * OpenTelemetry GenAI (`gen_ai.*`), current and older forms: JSON messages
 * with typed parts (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`), request settings, response, usage, tools,
 * retrieval; the older `gen_ai.content.prompt` / `gen_ai.content.completion`
 * span events and the deprecated per-message events. Also the general
 * `user.id` / `enduser.id`. Runs last: the other families may write `gen_ai.*`
 * too (the Vercel AI SDK, LangSmith, OpenLLMetry), and what they mapped first
 * is only confirmed here.
 */
import type { TimedEvent } from '../../otel-sdk';
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanView } from '../span-view';
import type { SpanEventType } from '../../honeyhive-types';
import { lookupEventType } from '../event-type';
import type { ConventionFamily } from './family';
import { attributesToJson } from '../otel-metadata';
import { attributeToJson, getOwn, isJsonObject, jsonEqual, parseJsonObjectOrArray } from '../json-values';
import { SpanAttributes } from '../span-attributes';
import { addChatMessages, chatHistory, chatMessages, outputsFromMessages, type ChatMessage } from './messages';
import { placeHyperparameters, placeModelName, placeProvider } from './model-config';
import {
  numberValue,
  offer,
  offerBlockFrom,
  offerAttribute,
  offerBlock,
  offerEventName,
  offerFrom,
  offerWholeJson,
  objectField,
} from './placement';
import { addUsage, placeUsage, readUsage, type UsageSpellings } from './usage';
import { KeyMemo } from '../key-memo';

const GEN_AI = 'gen_ai';
const INFERENCE_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

const OPERATION_TYPES: Readonly<Record<string, SpanEventType>> = {
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

/** Current and deprecated names, the underscore cache spellings (OpenLLMetry, Strands, LiveKit), and OpenLit's cost. */
export const GEN_AI_USAGE: UsageSpellings = [
  ['prompt_tokens', ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens']],
  ['completion_tokens', ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens']],
  ['total_tokens', ['gen_ai.usage.total_tokens']],
  [
    'cache_read_input_tokens',
    [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      // LiveKit Agents writes it beside the current name
      'gen_ai.usage.input_cached_tokens',
    ],
  ],
  [
    'cache_write_input_tokens',
    [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
      'gen_ai.usage.cache_write_input_tokens',
    ],
  ],
  ['reasoning_tokens', ['gen_ai.usage.reasoning.output_tokens']],
  ['cost', ['gen_ai.usage.cost']],
];
const USAGE_PREFIX = 'gen_ai.usage';
const REQUEST_PREFIX = 'gen_ai.request';
const NOT_HYPERPARAMETERS = new Set(['gen_ai.request.model']);
const SECONDS_TO_FIRST_CHUNK = ['gen_ai.response.time_to_first_chunk', 'gen_ai.client.operation.time_to_first_chunk'];

/** What the older events carry; an event with anything else is mapped but stays listed, so that is not lost. */
const KNOWN_EVENT_ATTRIBUTES = new Set([
  'gen_ai.system',
  'gen_ai.provider.name',
  'gen_ai.event.content',
  'gen_ai.prompt',
  'gen_ai.completion',
  'role',
  'content',
  'id',
  'tool_calls',
  'message',
  'finish_reason',
  'index',
]);

/** The deprecated per-message events, and the role each stands for. */
const MESSAGE_EVENT_ROLES: Readonly<Record<string, string>> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

/** True when one of the span's events is a GenAI event (asked of every span no family's keys claimed). */
function hasGenAiEvent(span: SpanView): boolean {
  for (let eventIndex = 0, eventList = span.events; eventIndex < eventList.length; eventIndex++) {
    if (eventList[eventIndex]!.name.startsWith('gen_ai.')) return true;
  }
  return false;
}

function speaksGenAi({ attributes, span }: MappingContext): boolean {
  return attributes.hasPrefix(GEN_AI) || hasGenAiEvent(span);
}

const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system'];
const RESPONSE_MODEL_KEYS = ['gen_ai.response.model'];
const REQUEST_MODEL_KEYS = ['gen_ai.request.model'];

/**
 * Each `gen_ai.request.*` key's hyperparameter name (`gen_ai.request.top_k` -> `top_k`), remembered: spans
 * carry the same few, so each is sliced once. Bounded, since the keys are the user's.
 */
const requestSettingNames = new KeyMemo(256, (key) => key.slice(REQUEST_PREFIX.length + 1).replaceAll('.', '_'));

function placeRequest({ attributes, draft }: MappingContext): void {
  placeProvider(attributes, draft.config, PROVIDER_KEYS);
  placeModelName(attributes, draft.config, RESPONSE_MODEL_KEYS, REQUEST_MODEL_KEYS);
  // Offered as they are read: no [key, name, value] list per span.
  let hyperparameters: JsonObject | undefined;
  for (let keyIndex = 0, keyList = attributes.keysUnder(REQUEST_PREFIX); keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    if (NOT_HYPERPARAMETERS.has(key)) continue;
    hyperparameters ??= objectField(draft.config, 'hyperparameters');
    if (hyperparameters === undefined) break;
    offerFrom(attributes, key, hyperparameters, requestSettingNames.get(key), attributes.peekJson(key)!);
  }
  const topK = attributes.peekJson('gen_ai.retrieval.top_k');
  if (topK !== undefined) placeHyperparameters(attributes, draft.config, [['gen_ai.retrieval.top_k', 'top_k', topK]]);
  offerAttribute(attributes, 'gen_ai.tool.definitions', draft.config, 'tools', parseJsonObjectOrArray);
}

/** The agent's identity, under the metadata names HoneyHive's trajectory view reads (its registry's `metadata.agent_*`). */
const AGENT_METADATA: ReadonlyArray<readonly [string, string]> = [
  ['gen_ai.agent.name', 'agent_name'],
  ['gen_ai.agent.id', 'agent_id'],
  ['gen_ai.agent.description', 'agent_description'],
];

function placeResponse({ attributes, draft }: MappingContext): void {
  offerAttribute(attributes, 'gen_ai.response.id', draft.metadata, 'response_id');
  for (let keyIndex = 0, keyList = AGENT_METADATA; keyIndex < keyList.length; keyIndex++) {
    const keyItem = keyList[keyIndex]!;
    const key = keyItem[0];
    const name = keyItem[1];
    offerAttribute(attributes, key, draft.metadata, name);
  }
  for (let keyIndex = 0, keyList = SECONDS_TO_FIRST_CHUNK; keyIndex < keyList.length; keyIndex++) {
    const key = keyList[keyIndex]!;
    const seconds = numberValue(attributes.peekJson(key));
    if (seconds !== undefined) offerFrom(attributes, [key], draft.metrics, 'time_to_first_token_ms', seconds * 1000);
  }
}

/** Usage; an embeddings call's input tokens are its total. */
function placeGenAiUsage(context: MappingContext): void {
  // Every spelling is under gen_ai.usage: a span with none (a tool, an agent step) has nothing to read.
  if (!context.attributes.hasPrefix(USAGE_PREFIX)) return;
  const reading = readUsage(context.attributes, GEN_AI_USAGE);
  if (
    context.attributes.peekJson('gen_ai.operation.name') === 'embeddings' &&
    reading.values.completion_tokens === undefined
  ) {
    addUsage(reading, 'total_tokens', reading.values.prompt_tokens);
  }
  placeUsage(context, reading);
}

const INSTRUCTIONS = 'gen_ai.system_instructions';
const INPUT_MESSAGES = 'gen_ai.input.messages';
const INSTRUCTIONS_ONLY = [INSTRUCTIONS];
const INPUT_MESSAGES_ONLY = [INPUT_MESSAGES];
const INSTRUCTIONS_AND_INPUT_MESSAGES = [INSTRUCTIONS, INPUT_MESSAGES];
const OUTPUT_MESSAGES_KEYS = ['gen_ai.output.messages'];
const COMPLETION_KEYS = ['gen_ai.completion'];

/** `gen_ai.system_instructions` (parts, or plain text) followed by `gen_ai.input.messages`. */
function placeInputMessages({ attributes, draft }: Pick<MappingContext, 'attributes' | 'draft'>): void {
  const instructions = attributes.peekJson(INSTRUCTIONS);
  const messages = parseJsonObjectOrArray(attributes.peekJson(INPUT_MESSAGES));
  if (instructions === undefined && !Array.isArray(messages)) return;
  const history: ChatMessage[] = [];
  if (instructions !== undefined) {
    const value = parseJsonObjectOrArray(instructions);
    addChatMessages(
      Array.isArray(value) ? { role: 'system', parts: value } : { role: 'system', content: value ?? '' },
      'user',
      history,
    );
  }
  // The messages follow the instructions in the same list.
  const hasMessages = chatHistory(messages, 'user', history) !== undefined;
  const keys =
    instructions === undefined
      ? INPUT_MESSAGES_ONLY
      : hasMessages
        ? INSTRUCTIONS_AND_INPUT_MESSAGES
        : INSTRUCTIONS_ONLY;
  if (history.length > 0) offerFrom(attributes, keys, draft.inputs, 'chat_history', history);
}

function placeOutputMessages({ attributes, draft }: Pick<MappingContext, 'attributes' | 'draft'>): void {
  const messages = chatHistory(parseJsonObjectOrArray(attributes.peekJson('gen_ai.output.messages')), 'assistant');
  const outputs = messages && outputsFromMessages(messages);
  if (outputs) offerBlockFrom(attributes, OUTPUT_MESSAGES_KEYS, draft.outputs, outputs);
  placeFinishReasons(attributes, draft.outputs);
}

const FINISH_REASONS = 'gen_ai.response.finish_reasons';

/**
 * Several finish reasons as `finish_reasons`, one as `finish_reason`: an
 * array attribute (its one reason read in place: the array is copied as JSON
 * only when kept whole), or (on span events, which some SDKs write as text)
 * its JSON.
 */
function placeFinishReasons(attributes: SpanAttributes, outputs: JsonObject): void {
  const given = attributes.peek(FINISH_REASONS);
  if (given === undefined) return;
  if (Array.isArray(given)) {
    if (given.length > 1) offerFrom(attributes, FINISH_REASONS, outputs, 'finish_reasons', attributeToJson(given));
    else if (given.length === 1)
      offerFrom(attributes, FINISH_REASONS, outputs, 'finish_reason', attributeToJson(given[0] ?? undefined));
    return;
  }
  const reasons = parseJsonObjectOrArray(attributeToJson(given));
  if (Array.isArray(reasons) && reasons.length > 1)
    offerFrom(attributes, FINISH_REASONS, outputs, 'finish_reasons', reasons);
  else offerFrom(attributes, FINISH_REASONS, outputs, 'finish_reason', Array.isArray(reasons) ? reasons[0] : reasons);
}

/** `gen_ai.prompt` / `gen_ai.completion` as span attributes holding message lists (what LangSmith has not claimed). */
function placeOlderContentAttributes({ attributes, draft }: MappingContext): void {
  const prompt = chatHistory(parseJsonObjectOrArray(attributes.peekJson('gen_ai.prompt')));
  if (prompt) offerFrom(attributes, 'gen_ai.prompt', draft.inputs, 'chat_history', prompt);
  const completion = completionMessages(parseJsonObjectOrArray(attributes.peekJson('gen_ai.completion')));
  const outputs = completion && outputsFromMessages(completion);
  if (outputs) offerBlockFrom(attributes, COMPLETION_KEYS, draft.outputs, outputs);
}

/** The fields of a deprecated event that may hold JSON text. */
const JSON_EVENT_FIELDS = ['message', 'tool_calls'];

/** A deprecated event's body: `gen_ai.event.content` JSON when present, else its attributes with JSON values parsed. */
function eventBody(event: TimedEvent): JsonObject {
  const attributes = attributesToJson(event.attributes);
  const content = getOwn(attributes, 'gen_ai.event.content');
  if (typeof content === 'string') {
    const body = parseJsonObjectOrArray(content);
    if (isJsonObject(body)) return body;
  }
  for (let keyIndex = 0; keyIndex < JSON_EVENT_FIELDS.length; keyIndex++) {
    const key = JSON_EVENT_FIELDS[keyIndex]!;
    const value = getOwn(attributes, key);
    if (typeof value === 'string') attributes[key] = parseJsonObjectOrArray(value);
  }
  return attributes;
}

/**
 * A completion in any of its older forms: a list of messages, plain text
 * (OpenLit), `{text, finish_reason}`, or one message.
 */
function completionMessages(value: JsonValue | undefined): ChatMessage[] | undefined {
  if (typeof value === 'string') return [{ role: 'assistant', content: value }];
  if (!isJsonObject(value)) return chatHistory(value, 'assistant');
  const text = getOwn(value, 'text');
  if (typeof text !== 'string' || getOwn(value, 'content') !== undefined)
    return getOwn(value, 'role') !== undefined || getOwn(value, 'content') !== undefined
      ? chatMessages(value, 'assistant')
      : undefined;
  const { text: _text, ...rest } = value;
  return chatMessages({ ...rest, content: text }, 'assistant');
}

/** A line that starts a message in OpenLit's plain-text prompt (`user: ...`). */
const ROLE_LINE = /^(system|user|assistant|tool|developer|function): /;

/**
 * OpenLit's plain-text prompt: its messages as `role: content`, one after
 * another (a message's content may span lines). Text in no such form is one
 * user message.
 */
function promptText(text: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let lineIndex = 0, lineList = text.split('\n'); lineIndex < lineList.length; lineIndex++) {
    const line = lineList[lineIndex]!;
    const role = ROLE_LINE.exec(line);
    const last = messages[messages.length - 1];
    if (role) messages.push({ role: role[1]!, content: line.slice(role[0].length) });
    else if (last) last.content = `${String(last.content)}\n${line}`;
    else messages.push({ role: 'user', content: line });
  }
  return messages;
}

/** The messages one span event carries, as input (`history`) or output (`choices`), or neither. */
function eventMessages(event: TimedEvent): {
  history?: ChatMessage[];
  choices?: Array<{ index: number; messages: ChatMessage[] }>;
} {
  if (event.name === 'gen_ai.content.prompt') {
    const prompt = attributesToJson(event.attributes)['gen_ai.prompt'];
    return {
      history:
        chatHistory(parseJsonObjectOrArray(prompt)) ?? (typeof prompt === 'string' ? promptText(prompt) : undefined),
    };
  }
  if (event.name === 'gen_ai.content.completion') {
    const completion = completionMessages(
      parseJsonObjectOrArray(attributesToJson(event.attributes)['gen_ai.completion']),
    );
    return completion ? { choices: [{ index: 0, messages: completion }] } : {};
  }
  const role = MESSAGE_EVENT_ROLES[event.name];
  if (role !== undefined) return { history: chatMessages(eventBody(event), role) };
  if (event.name === 'gen_ai.choice') {
    const body = eventBody(event);
    const message = getOwn(body, 'message');
    const choice: JsonObject = { ...(isJsonObject(message) ? message : { content: message ?? '' }) };
    const finishReason = getOwn(body, 'finish_reason');
    if (finishReason !== undefined) choice.finish_reason = finishReason;
    return {
      choices: [{ index: numberValue(getOwn(body, 'index')) ?? 0, messages: chatMessages(choice, 'assistant') }],
    };
  }
  return {};
}

/**
 * The current GenAI event `gen_ai.client.inference.operation.details`: the
 * conversation's attributes, as a span would carry them. Mapped like the
 * span's own; the event is then not listed when all else it carries is on
 * the span too.
 */
function placeInferenceDetails(context: MappingContext, event: TimedEvent): void {
  const details = new SpanAttributes(event.attributes ?? {});
  placeInputMessages({ attributes: details, draft: context.draft });
  placeOutputMessages({ attributes: details, draft: context.draft });
  let elsewhere = true;
  details.forEachUnconsumed((key, value) => {
    if (!jsonEqual(attributeToJson(value), context.attributes.peekJson(key))) elsewhere = false;
  });
  if (elsewhere) context.consumeEvent(event);
}

/** The older span events: offered like the attributes, and marked mapped when represented. */
function placeContentEvents(context: MappingContext): void {
  const { span, draft } = context;
  if (span.events.length === 0) return;
  const historyEvents: TimedEvent[] = [];
  const choiceEvents: TimedEvent[] = [];
  const history: ChatMessage[] = [];
  const choices: Array<{ index: number; messages: ChatMessage[] }> = [];
  for (let eventIndex = 0, eventList = span.events; eventIndex < eventList.length; eventIndex++) {
    const event = eventList[eventIndex]!;
    if (!event.name.startsWith('gen_ai.')) continue;
    if (event.name === INFERENCE_DETAILS_EVENT) {
      placeInferenceDetails(context, event);
      continue;
    }
    const found = eventMessages(event);
    if (found.history) {
      history.push(...found.history);
      historyEvents.push(event);
    }
    if (found.choices) {
      choices.push(...found.choices);
      choiceEvents.push(event);
    }
  }
  const consume = (events: TimedEvent[]): void => {
    for (const event of events)
      if (Object.keys(event.attributes ?? {}).every((key) => KNOWN_EVENT_ATTRIBUTES.has(key)))
        context.consumeEvent(event);
  };
  if (history.length > 0 && offer(draft.inputs, 'chat_history', history)) consume(historyEvents);
  choices.sort((a, b) => a.index - b.index);
  const outputs = outputsFromMessages(choices.flatMap((choice) => choice.messages));
  if (outputs && offerBlock(draft.outputs, outputs)) consume(choiceEvents);
}

/** An `execute_tool` span: the tool's name names the event; its arguments are the inputs, its result the outputs. */
function placeToolCall(context: MappingContext): void {
  const { attributes, draft } = context;
  if (context.eventType() === 'tool') offerEventName(context, 'gen_ai.tool.name');
  offerAttribute(attributes, 'gen_ai.tool.call.id', draft.metadata, 'tool_call_id');
  // Some instrumentations write a tool's arguments and result as plain `input` / `output`.
  const isTool = attributes.peek('gen_ai.operation.name') === 'execute_tool';
  if (!placeValue(context, 'gen_ai.tool.call.arguments', draft.inputs) && isTool)
    placeValue(context, 'input', draft.inputs);
  if (!placeValue(context, 'gen_ai.tool.call.result', draft.outputs) && isTool)
    placeValue(context, 'output', draft.outputs);
}

/** An attribute holding JSON (or, from some instrumentations, plain text) as a whole inputs or outputs object. */
function placeValue({ attributes }: MappingContext, key: string, target: JsonObject): boolean {
  return offerWholeJson(attributes, key, target);
}

function placeRetrieval({ attributes, draft }: MappingContext): void {
  offerAttribute(attributes, 'gen_ai.retrieval.query.text', draft.inputs, 'query');
  const documents: JsonValue | undefined = parseJsonObjectOrArray(attributes.peekJson('gen_ai.retrieval.documents'));
  if (documents !== undefined)
    offerFrom(attributes, 'gen_ai.retrieval.documents', draft.outputs, 'documents', documents);
}

export const genAiConvention: ConventionFamily = {
  name: 'opentelemetry-genai',
  keyStarts: [`${GEN_AI}.`],
  speaksBySpan: hasGenAiEvent,
  eventType: (attributes, span) =>
    lookupEventType(OPERATION_TYPES, attributes.peek('gen_ai.operation.name')) ??
    // The span name the convention gives (`{operation} {model or name}`), when the operation attribute is missing.
    (attributes.hasPrefix(GEN_AI) ? lookupEventType(OPERATION_TYPES, span.name.split(' ', 1)[0]) : undefined),
  modelEvidence: ['gen_ai.request.model', 'gen_ai.response.model'],
  sessionIdKeys: ['gen_ai.conversation.id'],
  // The general OpenTelemetry user attributes, which any span may carry.
  userIdKeys: ['user.id', 'enduser.id'],
  usage: GEN_AI_USAGE,
  map(context: MappingContext): void {
    if (!speaksGenAi(context)) return;
    placeRequest(context);
    placeResponse(context);
    placeGenAiUsage(context);
    placeInputMessages(context);
    placeOutputMessages(context);
    placeOlderContentAttributes(context);
    placeContentEvents(context);
    placeToolCall(context);
    placeRetrieval(context);
  },
};
