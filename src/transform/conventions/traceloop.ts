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
import { getOwn, isJsonObject, parseJsonLenient } from '../json-values';
import { chatMessages, outputsFromMessages, type ChatMessage } from './messages';
import {
  asObject,
  offerAllFrom,
  offerEventName,
  offerFrom,
  offerWholeFrom,
  parsed,
  parseJsonText,
  peekFlattenedList,
  placeKeyedMetadata,
  type FlattenedList,
} from './placement';

const ASSOCIATION_PREFIX = 'traceloop.association.properties';
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
  const names = Object.keys(value);
  const args = getOwn(value, 'args');
  const kwargs = getOwn(value, 'kwargs');
  if (!names.every((name) => name === 'args' || name === 'kwargs') || (kwargs !== undefined && !isJsonObject(kwargs)))
    return value;
  const inputs: JsonObject = { ...(kwargs ?? {}) };
  if (!(Array.isArray(args) && args.length === 0) && args !== undefined) inputs.args = args;
  return inputs;
}

function jsonText(value: JsonValue): JsonValue {
  return typeof value === 'string' ? parseJsonText(value) : value;
}

function placeEntity(context: MappingContext): void {
  const { attributes, draft } = context;
  if (attributes.has('traceloop.span.kind')) offerEventName(context, 'traceloop.entity.name');
  // Both are JSON by contract: a JSON-encoded string or number is parsed too.
  const input = attributes.peekJson('traceloop.entity.input');
  if (input !== undefined)
    offerWholeFrom(attributes, ['traceloop.entity.input'], draft.inputs, entityInputs(jsonText(input)));
  const output = attributes.peekJson('traceloop.entity.output');
  if (output !== undefined) offerWholeFrom(attributes, ['traceloop.entity.output'], draft.outputs, jsonText(output));
}

/**
 * One flattened `{role, content, tool_calls, tool_call_id}` item. Content that
 * is a JSON list of parts is read as parts; releases before 0.23 write an
 * assistant message's missing content as the text `"null"`, which means none.
 */
function flattenedMessages(list: FlattenedList, defaultRole: string): ChatMessage[] {
  return list.items.flatMap((item) => {
    if (!isJsonObject(item)) return chatMessages(item, defaultRole);
    const content = getOwn(item, 'content');
    if (content === 'null' && getOwn(item, 'role') === 'assistant')
      return chatMessages({ ...item, content: '' }, defaultRole);
    if (typeof content === 'string' && content.startsWith('[')) {
      const parts = parseJsonLenient(content);
      if (Array.isArray(parts)) return chatMessages({ ...item, content: parts }, defaultRole);
    }
    return chatMessages(item, defaultRole);
  });
}

function placeFlattenedLlm({ attributes, draft }: MappingContext): void {
  const prompt = peekFlattenedList(attributes, 'gen_ai.prompt');
  if (prompt.items.length > 0)
    offerFrom(attributes, prompt.keys, draft.inputs, 'chat_history', flattenedMessages(prompt, 'user'));
  const completion = peekFlattenedList(attributes, 'gen_ai.completion');
  const outputs = outputsFromMessages(flattenedMessages(completion, 'assistant'));
  if (outputs) offerAllFrom(attributes, completion.keys, draft.outputs, outputs);
  const functions = peekFlattenedList(attributes, 'llm.request.functions');
  if (functions.items.length > 0) {
    const tools = functions.items.map((item) => {
      if (!isJsonObject(item)) return item;
      const { arguments: parameters, ...rest } = item;
      return parameters === undefined ? rest : { ...rest, parameters: parsed(parameters) ?? null };
    });
    offerFrom(attributes, functions.keys, draft.config, 'tools', tools);
  }
}

export const traceloopConvention: ConventionFamily = {
  name: 'traceloop',
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
