/**
 * OpenLLMetry / Traceloop: workflow spans (`traceloop.span.kind`,
 * `traceloop.entity.name|input|output`), association properties, and the
 * flattened LLM style of releases before 0.23 (`gen_ai.prompt.{i}.*`,
 * `gen_ai.completion.{i}.*`, `llm.request.functions.{i}.*`). Their model,
 * settings and usage (`gen_ai.request.*`, `gen_ai.usage.*`,
 * `llm.usage.total_tokens`) are the GenAI convention's; from 0.23 on, LLM
 * spans are the GenAI JSON form altogether.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanEventType } from '../../honeyhive-types';
import { lookupEventType } from '../event-type';
import type { ConventionFamily } from './family';
import { placeUsage, readUsage, type UsageSpellings } from './usage';
import { getOwn, isJsonObject, parseJson, parseJsonObjectOrArray } from '../json-values';
import { addChatMessages, outputsFromMessages, type ChatMessage } from './messages';
import {
  asObject,
  offerBlockFrom,
  offerEventName,
  offerFrom,
  offerWholeFrom,
  peekFlattenedList,
  peekFlattenedMessages,
  fieldAt,
  fieldKeys,
  type FlattenedMessages,
  placeKeyedMetadata,
  type FlattenedList,
} from './placement';

const ASSOCIATION_PREFIX = 'traceloop.association.properties';
const PROMPT = 'gen_ai.prompt';
const COMPLETION = 'gen_ai.completion';
const QUERY_FIELDS = ['role', 'user', 'content'];
/** Association properties read elsewhere: the session, its name, project and source (by the family's keys). */
const ASSOCIATION_HANDLED_ELSEWHERE = new Set(['session_id', 'session_name', 'project', 'source']);

const KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'chain',
  session: 'chain',
  tool: 'tool',
};

/** `llm.request.type`, on every LLM span of releases before 0.23 ("unknown" says nothing). */
const REQUEST_TYPES: Readonly<Record<string, SpanEventType>> = {
  chat: 'model',
  completion: 'model',
  embedding: 'tool',
  rerank: 'tool',
};

/** Its total beside the GenAI parts it also writes (which the GenAI family maps). */
const TRACELOOP_USAGE: UsageSpellings = [['total_tokens', ['llm.usage.total_tokens']]];

function speaksTraceloop({ attributes }: MappingContext): boolean {
  return (
    attributes.hasPrefix('traceloop') ||
    attributes.hasPrefix('gen_ai.prompt') ||
    attributes.hasPrefix('gen_ai.completion') ||
    attributes.hasPrefix('llm.request.functions')
  );
}

/**
 * `traceloop.entity.input`, JSON `{args: [...], kwargs: {...}}`: the keyword
 * arguments become the inputs, positional ones (when any) `args`.
 */
function entityInputs(value: JsonValue): JsonObject {
  if (!isJsonObject(value)) return asObject(value);
  for (const name in value) if (Object.hasOwn(value, name) && name !== 'args' && name !== 'kwargs') return value;
  const args = getOwn(value, 'args');
  const kwargs = getOwn(value, 'kwargs');
  if (kwargs !== undefined && !isJsonObject(kwargs)) return value;
  // The keyword arguments' object was parsed for this span alone: it becomes the inputs, not a copy of it.
  const inputs: JsonObject = kwargs ?? {};
  if (!(Array.isArray(args) && args.length === 0) && args !== undefined) inputs.args = args;
  return inputs;
}

function placeEntity(context: MappingContext): void {
  const { attributes, draft } = context;
  if (attributes.has('traceloop.span.kind')) offerEventName(context, 'traceloop.entity.name');
  // Both are JSON by contract: a JSON-encoded string or number is parsed too.
  const input = attributes.peekJson('traceloop.entity.input');
  if (input !== undefined)
    offerWholeFrom(attributes, ['traceloop.entity.input'], draft.inputs, entityInputs(parseJson(input)));
  const output = attributes.peekJson('traceloop.entity.output');
  if (output !== undefined) offerWholeFrom(attributes, ['traceloop.entity.output'], draft.outputs, parseJson(output));
}

/**
 * One flattened `{role, content, tool_calls, tool_call_id}` item, as a message
 * to read. Content that is a JSON list of parts is read as parts; releases
 * before 0.23 write an assistant message's missing content as the text
 * `"null"`, which means none.
 */
function flattenedMessage(item: JsonValue): JsonValue {
  if (!isJsonObject(item)) return item;
  const content = getOwn(item, 'content');
  if (content === 'null' && getOwn(item, 'role') === 'assistant') return { ...item, content: '' };
  if (typeof content === 'string' && content.startsWith('[')) {
    const parts = parseJsonObjectOrArray(content);
    if (Array.isArray(parts)) return { ...item, content: parts };
  }
  return item;
}

function flattenedMessages(list: FlattenedList, defaultRole: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let itemIndex = 0, items = list.items; itemIndex < items.length; itemIndex++)
    addChatMessages(flattenedMessage(items[itemIndex]!), defaultRole, messages);
  return messages;
}

/** The message fields the flattened form writes that a chat message carries; any other stays in metadata. */
const MESSAGE_FIELDS = ['role', 'content', 'tool_calls', 'tool_call_id', 'name', 'finish_reason', 'user'];

/**
 * The flattened prompt's messages. Cohere's instrumentation writes the
 * current user message's text as `gen_ai.prompt.{i}.user` (a rerank's query
 * too): read as its content.
 */
function promptMessages(prompt: FlattenedList): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (let itemIndex = 0, items = prompt.items; itemIndex < items.length; itemIndex++)
    addChatMessages(flattenedMessage(userAsContent(items[itemIndex]!)), 'user', messages);
  return messages;
}

function userAsContent(item: JsonValue): JsonValue {
  if (!isJsonObject(item) || getOwn(item, 'content') !== undefined) return item;
  const user = getOwn(item, 'user');
  if (user === undefined) return item;
  const { user: _user, ...rest } = item;
  return { ...rest, content: user };
}

const TOOL_CALL_FIELDS = ['id', 'name', 'arguments'];

/** Traceloop's flattened messages: `{i}.<field>` and `{i}.tool_calls.{j}.<id | name | arguments>`. */
const TRACELOOP_MESSAGES: FlattenedMessages = {
  itemAt: '',
  fields: ['role', 'content', 'tool_call_id', 'name', 'finish_reason', 'user'],
  toolCallAt: '',
  setToolCallField(call: JsonObject, key: string, at: number, value: JsonValue): boolean {
    const field = fieldAt(key, at, TOOL_CALL_FIELDS);
    if (field !== undefined) call[field] = value;
    return field !== undefined;
  },
};

function placeFlattenedLlm(context: MappingContext): void {
  const { attributes, draft } = context;
  const prompt = peekFlattenedMessages(attributes, PROMPT, TRACELOOP_MESSAGES);
  const completion = peekFlattenedMessages(attributes, COMPLETION, TRACELOOP_MESSAGES);
  if (attributes.peek('llm.request.type') === 'rerank') {
    placeRerank(context, prompt, completion);
  } else {
    if (prompt.items.length > 0)
      offerFrom(
        attributes,
        fieldKeys(prompt, PROMPT, MESSAGE_FIELDS),
        draft.inputs,
        'chat_history',
        promptMessages(prompt),
      );
    const outputs = outputsFromMessages(flattenedMessages(completion, 'assistant'));
    if (outputs) offerBlockFrom(attributes, fieldKeys(completion, COMPLETION, MESSAGE_FIELDS), draft.outputs, outputs);
  }
  const functions = peekFlattenedList(attributes, 'llm.request.functions');
  if (functions.items.length > 0) {
    const tools: JsonValue[] = [];
    for (let itemIndex = 0, items = functions.items; itemIndex < items.length; itemIndex++) {
      const item = items[itemIndex]!;
      // An item is the list's own object (nested for this span): kept as it is when there is nothing to rename.
      if (!isJsonObject(item) || getOwn(item, 'arguments') === undefined) {
        tools.push(item);
        continue;
      }
      const { arguments: parameters, ...rest } = item;
      tools.push({ ...rest, parameters: parseJsonObjectOrArray(parameters!) });
    }
    offerFrom(attributes, functions.keys, draft.config, 'tools', tools);
  }
}

/** A rerank (Cohere's): the query is the inputs, the ranked documents with their relevance scores the outputs. */
function placeRerank({ attributes, draft }: MappingContext, prompt: FlattenedList, completion: FlattenedList): void {
  const query = promptMessages(prompt).find((message) => message.role === 'user')?.content;
  if (typeof query === 'string' && query !== '')
    offerFrom(attributes, fieldKeys(prompt, PROMPT, QUERY_FIELDS), draft.inputs, 'query', query);
  if (completion.items.length === 0) return;
  const documents = completion.items.map((item) => {
    if (!isJsonObject(item)) return item;
    const { relevanceScore, ...rest } = item;
    return relevanceScore === undefined ? rest : { ...rest, score: relevanceScore };
  });
  offerFrom(attributes, completion.keys, draft.outputs, 'documents', documents);
}

export const traceloopConvention: ConventionFamily = {
  name: 'traceloop',
  // What speaksTraceloop and the event type test (a GenAI span without the flattened messages is not asked).
  keyStarts: ['traceloop.', `${PROMPT}.`, `${COMPLETION}.`, 'llm.'],
  eventType: (attributes) =>
    lookupEventType(KIND_TYPES, attributes.peek('traceloop.span.kind')) ??
    lookupEventType(REQUEST_TYPES, attributes.peek('llm.request.type')),
  sessionIdKeys: [`${ASSOCIATION_PREFIX}.session_id`],
  sessionNameKeys: [`${ASSOCIATION_PREFIX}.session_name`],
  projectKeys: [`${ASSOCIATION_PREFIX}.project`],
  sourceKeys: [`${ASSOCIATION_PREFIX}.source`],
  usage: TRACELOOP_USAGE,
  map(context: MappingContext): void {
    if (!speaksTraceloop(context)) return;
    // The user to `user_properties`, the rest (run, dataset, datapoint, ...) to `metadata`.
    placeKeyedMetadata(context, ASSOCIATION_PREFIX, ASSOCIATION_HANDLED_ELSEWHERE);
    placeEntity(context);
    placeFlattenedLlm(context);
    placeUsage(context, readUsage(context.attributes, TRACELOOP_USAGE));
  },
};
