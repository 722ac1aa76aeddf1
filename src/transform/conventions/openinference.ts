/**
 * OpenInference (Arize, Phoenix): `openinference.span.kind`, flattened
 * `llm.input_messages.{i}.message.*` / `llm.output_messages.*` with tool calls
 * and multi-part contents, invocation parameters, token counts and costs,
 * retrieval documents, embeddings, rerankers, prompt templates, and the
 * context attributes (`user.id`, `metadata`, `tag.tags`, annotations and
 * evaluations as feedback).
 *
 * `input.value` / `output.value` (parsed when their mime type is JSON) are
 * the inputs and outputs of chains, agents and tools. Where a kind has a
 * structured form (an LLM's messages, a retriever's documents, an embedder's
 * embeddings, a reranker's documents) that form wins, and the raw value is
 * used only when the structured one is missing; otherwise it stays in
 * metadata under its own name.
 */
import { hrTimeToMilliseconds, type TimedEvent } from '../../otel-sdk';
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import type { SpanEventType } from '../../honeyhive-types';
import { lookupEventType } from '../event-type';
import type { ConventionFamily } from './family';
import { getOwn, isJsonObject, parseJson, parseJsonObjectOrArray, setOwn } from '../json-values';
import { nestFlattened } from '../nesting';
import { chatHistory, outputsFromMessages } from './messages';
import { placeHyperparameters, placeModelName, placeProvider } from './model-config';
import {
  keepRemainder,
  objectField,
  offer,
  offerBlockFrom,
  offerAttribute,
  offerBlock,
  offerEventName,
  offerFrom,
  offerWholeFrom,
  peekFlattenedList,
  peekFlattenedMessages,
  setOpenAiToolCallField,
  stringValue,
  type FlattenedMessages,
} from './placement';
import { addBodyUsage, requestBodyRemainder, responseBodyRemainder } from './raw-bodies';
import { emptyUsageReading, placeUsage, readUsage, type UsageSpellings } from './usage';

const INPUT = { value: 'input.value', mimeType: 'input.mime_type', keys: ['input.value', 'input.mime_type'] } as const;
const OUTPUT = {
  value: 'output.value',
  mimeType: 'output.mime_type',
  keys: ['output.value', 'output.mime_type'],
} as const;
const MODEL_NAME_KEYS = ['llm.model_name', 'embedding.model_name', 'reranker.model_name'];
const PROVIDER_KEYS = ['llm.provider', 'llm.system'];
const NO_KEYS: readonly string[] = [];
const KIND_TYPES: Readonly<Record<string, SpanEventType>> = {
  LLM: 'model',
  CHAIN: 'chain',
  AGENT: 'chain',
  PROMPT: 'chain',
  EVALUATOR: 'chain',
  TOOL: 'tool',
  RETRIEVER: 'tool',
  EMBEDDING: 'tool',
  RERANKER: 'tool',
  GUARDRAIL: 'tool',
};

const OPENINFERENCE_USAGE: UsageSpellings = [
  ['prompt_tokens', ['llm.token_count.prompt']],
  ['completion_tokens', ['llm.token_count.completion']],
  ['total_tokens', ['llm.token_count.total']],
  ['cache_read_input_tokens', ['llm.token_count.prompt_details.cache_read']],
  ['cache_write_input_tokens', ['llm.token_count.prompt_details.cache_write']],
  ['audio_input_tokens', ['llm.token_count.prompt_details.audio']],
  ['reasoning_tokens', ['llm.token_count.completion_details.reasoning']],
  ['audio_output_tokens', ['llm.token_count.completion_details.audio']],
  ['cost', ['llm.cost.total']],
  ['prompt_cost', ['llm.cost.prompt']],
  ['completion_cost', ['llm.cost.completion']],
];

/** Python instrumentations mark the first streamed token with this span event. */
const FIRST_TOKEN_EVENT = 'First Token Stream Event';

function speaksOpenInference({ attributes }: MappingContext): boolean {
  return (
    attributes.has('openinference.span.kind') ||
    attributes.has(INPUT.value) ||
    attributes.has(OUTPUT.value) ||
    attributes.hasPrefix('llm.input_messages') ||
    attributes.hasPrefix('llm.output_messages') ||
    attributes.has('llm.model_name') ||
    attributes.hasPrefix('llm.token_count') ||
    attributes.hasPrefix('retrieval.documents') ||
    attributes.hasPrefix('embedding.embeddings') ||
    attributes.hasPrefix('reranker')
  );
}

/**
 * `input.value` or `output.value`: JSON when its mime type says so, plain
 * text when it says so, and without a mime type parsed only when it looks
 * like a JSON object or list. A bad JSON string stays a string.
 */
function ioValue({ attributes }: MappingContext, io: typeof INPUT | typeof OUTPUT): JsonValue | undefined {
  const value = attributes.peekJson(io.value);
  if (typeof value !== 'string') return value;
  const mimeType = attributes.peekJson(io.mimeType);
  if (mimeType === 'application/json') return parseJson(value);
  return mimeType === undefined ? parseJsonObjectOrArray(value) : value;
}

/** Places `input.value` / `output.value` as a whole inputs or outputs object. */
function placeIoValue(context: MappingContext, io: typeof INPUT | typeof OUTPUT, target: JsonObject): void {
  const value = ioValue(context, io);
  if (value !== undefined) offerWholeFrom(context.attributes, io.keys, target, value);
}

/** One `llm.*_messages.{i}` item (`{message: {role, content, contents, tool_calls, ...}}`) in the shared message shape. */
function messageOf(item: JsonValue): JsonValue {
  const message = isJsonObject(item) ? getOwn(item, 'message') : undefined;
  if (!isJsonObject(message)) return null;
  const contents = listItems(getOwn(message, 'contents'));
  const toolCalls = listItems(getOwn(message, 'tool_calls'));
  // Most messages are a role and a text: nothing to reshape.
  if (!contents && !toolCalls) return message;
  const raw: JsonObject = { ...message };
  if (contents) {
    delete raw.contents;
    raw.content = contents.map(contentPart);
  }
  if (toolCalls)
    raw.tool_calls = toolCalls.map((call) => (isJsonObject(call) ? (getOwn(call, 'tool_call') ?? call) : call));
  return raw;
}

/**
 * A re-nested list: an array, or (when an index is missing: a message with
 * part 1 but no part 0) an object of indexes, in index order.
 */
function listItems(value: JsonValue | undefined): JsonValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isJsonObject(value)) return undefined;
  const indexes = Object.keys(value);
  if (indexes.length === 0 || !indexes.every((index) => /^\d{1,9}$/.test(index))) return undefined;
  // Integer keys are listed ascending.
  return indexes.map((index) => value[index]!);
}

/** `{message_content: {type: 'text', text}}` or `{message_content: {type: 'image', image: {image: {url}}}}`. */
function contentPart(item: JsonValue): JsonValue {
  const part = isJsonObject(item) ? getOwn(item, 'message_content') : undefined;
  if (!isJsonObject(part)) return item;
  const image = getOwn(part, 'image');
  const inner = isJsonObject(image) ? getOwn(image, 'image') : undefined;
  if (getOwn(part, 'type') === 'image' && isJsonObject(inner))
    return { type: 'image', url: getOwn(inner, 'url') ?? null };
  return part;
}

/**
 * OpenInference's flattened messages: `{i}.message.<field>` and
 * `{i}.message.tool_calls.{j}.tool_call.<id | function.name | function.arguments>`;
 * any other shape (parts, images) is re-nested and reshaped by {@link messageOf}.
 */
const OPENINFERENCE_MESSAGES: FlattenedMessages = {
  itemAt: 'message.',
  fields: ['role', 'content', 'tool_call_id', 'name'],
  toolCallAt: 'tool_call.',
  setToolCallField: setOpenAiToolCallField,
  fromNested: messageOf,
};

function placeLlm(context: MappingContext): void {
  const { attributes, draft } = context;
  const input = peekFlattenedMessages(attributes, 'llm.input_messages', OPENINFERENCE_MESSAGES);
  const prompts = peekFlattenedList(attributes, 'llm.prompts');
  if (input.items.length > 0) {
    offerFrom(attributes, input.keys, draft.inputs, 'chat_history', chatHistory(input.items, 'user'));
  } else if (prompts.items.length > 0) {
    const history = prompts.items.map((item) => ({ role: 'user', content: textAt(item, 'prompt') }));
    offerFrom(attributes, prompts.keys, draft.inputs, 'chat_history', history);
  } else {
    // No structured messages: an OpenAI-style request body still has them.
    const body = ioValue(context, INPUT);
    const history = isJsonObject(body) ? chatHistory(getOwn(body, 'messages')) : undefined;
    if (history) offerFrom(attributes, NO_KEYS, draft.inputs, 'chat_history', history);
  }

  const output = peekFlattenedMessages(attributes, 'llm.output_messages', OPENINFERENCE_MESSAGES);
  const choices = peekFlattenedList(attributes, 'llm.choices');
  let outputs: JsonObject | undefined;
  let keys: readonly string[] = [];

  if (output.items.length > 0) {
    outputs = outputsFromMessages(chatHistory(output.items, 'assistant')!);
    keys = output.keys;
  } else if (choices.items.length > 0) {
    outputs = outputsFromMessages(
      choices.items.map((item) => ({ role: 'assistant', content: textAt(item, 'completion') })),
    );
    keys = choices.keys;
  }
  if (outputs) offerBlockFrom(attributes, keys, draft.outputs, outputs);
  // A streamed answer's text/plain output.value is the answer's text: it confirms the content, or is the only content.
  const text = attributes.peekJson(OUTPUT.value);
  if (typeof text === 'string' && attributes.peekJson(OUTPUT.mimeType) === 'text/plain') {
    offerBlockFrom(
      attributes,
      OUTPUT.keys,
      draft.outputs,
      outputs ? { content: text } : { role: 'assistant', content: text },
    );
  }
  offerAttribute(attributes, 'llm.finish_reason', draft.outputs, 'finish_reason');
}

/**
 * The raw request and response bodies (`input.value` / `output.value`) of a
 * model call, carried once (see raw-bodies.ts): the response's usage counts
 * are counted where the token attributes lack them.
 */
function placeRawBodies(context: MappingContext): void {
  const { attributes, draft } = context;
  // Each body parsed only when there is a conversation or an answer to carry it with.
  const history = getOwn(draft.inputs, 'chat_history');
  const request = history === undefined ? undefined : ioValue(context, INPUT);
  if (isJsonObject(request) && history !== undefined) {
    keepRemainder(context, INPUT.value, requestBodyRemainder(draft.config, history, request));
    attributes.take(INPUT.mimeType);
  }
  const outputs = draft.written('outputs');
  const answered = outputs !== undefined && getOwn(outputs, 'role') !== undefined;
  const response = answered ? ioValue(context, OUTPUT) : undefined;
  if (isJsonObject(response) && outputs !== undefined) {
    const reading = emptyUsageReading();
    addBodyUsage(reading, getOwn(response, 'usage'));
    placeUsage(context, reading);
    keepRemainder(context, OUTPUT.value, responseBodyRemainder(context, outputs, response));
    attributes.take(OUTPUT.mimeType);
  }
}

/** `{prompt: {text}}` / `{completion: {text}}` of the legacy completion lists. */
function textAt(item: JsonValue, field: string): string {
  const inner = isJsonObject(item) ? getOwn(item, field) : undefined;
  const text = isJsonObject(inner) ? getOwn(inner, 'text') : undefined;
  return typeof text === 'string' ? text : '';
}

/** Model, provider, settings, tool definitions and the prompt template. */
function placeModelConfig({ attributes, draft }: MappingContext): void {
  const { config } = draft;
  placeModelName(attributes, config, MODEL_NAME_KEYS, NO_KEYS);
  placeProvider(attributes, config, PROVIDER_KEYS);
  const tools = peekFlattenedList(attributes, 'llm.tools');
  if (tools.items.length > 0) {
    const schemas = tools.items.map((item) => {
      const tool = isJsonObject(item) ? getOwn(item, 'tool') : undefined;
      return parseJsonObjectOrArray(isJsonObject(tool) ? (getOwn(tool, 'json_schema') ?? tool) : item);
    });
    offerFrom(attributes, tools.keys, config, 'tools', schemas);
  }
  placeInvocationParameters(attributes, config);
  offerAttribute(attributes, 'llm.prompt_template.template', config, 'template');
  offerAttribute(attributes, 'llm.prompt_template.version', config, 'template_version');
  const variables = parseJsonObjectOrArray(attributes.peekJson('llm.prompt_template.variables'));
  if (isJsonObject(variables)) offerBlockFrom(attributes, ['llm.prompt_template.variables'], draft.inputs, variables);
  const topK = attributes.peekJson('reranker.top_k');
  if (topK !== undefined) placeHyperparameters(attributes, config, [['reranker.top_k', 'top_k', topK]]);
}

/** `llm.invocation_parameters` (JSON): its model is the one asked for, its tools the definitions, the rest hyperparameters. */
function placeInvocationParameters(attributes: MappingContext['attributes'], config: JsonObject): void {
  const key = 'llm.invocation_parameters';
  const parameters = parseJsonObjectOrArray(attributes.peekJson(key));
  if (!isJsonObject(parameters)) return;
  const { model, tools } = parameters;
  let settings: JsonObject | undefined;
  for (let nameIndex = 0, nameList = Object.keys(parameters); nameIndex < nameList.length; nameIndex++) {
    const name = nameList[nameIndex]!;
    if (name !== 'model' && name !== 'tools') setOwn((settings ??= {}), name, parameters[name]!);
  }
  // Every part offered, each whether or not an earlier one was represented.
  let represented = true;
  if (typeof model === 'string') {
    const field = config.model === undefined || config.model === model ? 'model' : 'request_model';
    if (!offer(config, field, model)) represented = false;
  }
  if (tools !== undefined && !offer(config, 'tools', tools)) represented = false;
  if (settings !== undefined) {
    const hyperparameters = objectField(config, 'hyperparameters');
    if (hyperparameters === undefined || !offerBlock(hyperparameters, settings)) represented = false;
  }
  if (represented) attributes.take(key);
}

/**
 * `retrieval.documents.{i}.document.*` and the reranker's lists, as
 * `{id, content, score, metadata}`; true when the span has such a list.
 */
function documentsAt(context: MappingContext, prefix: string, target: JsonObject, field: string): boolean {
  const list = peekFlattenedList(context.attributes, prefix);
  if (list.items.length === 0) return false;
  const documents = list.items.map((item) => {
    const document = isJsonObject(item) ? getOwn(item, 'document') : undefined;
    if (!isJsonObject(document)) return item;
    const metadata = getOwn(document, 'metadata');
    return metadata === undefined ? document : { ...document, metadata: parseJsonObjectOrArray(metadata) };
  });
  offerFrom(context.attributes, list.keys, target, field, documents);
  return true;
}

function placeRetrieval(context: MappingContext): void {
  const { draft } = context;
  const query = stringValue(ioValue(context, INPUT) as JsonValue | undefined);
  if (query !== undefined) offerFrom(context.attributes, INPUT.keys, draft.inputs, 'query', query);
  else placeIoValue(context, INPUT, draft.inputs);
  if (!documentsAt(context, 'retrieval.documents', draft.outputs, 'documents'))
    placeIoValue(context, OUTPUT, draft.outputs);
}

function placeReranker(context: MappingContext): void {
  const { attributes, draft } = context;
  const hasQuery = attributes.has('reranker.query');
  offerAttribute(attributes, 'reranker.query', draft.inputs, 'query');
  const hasInput = documentsAt(context, 'reranker.input_documents', draft.inputs, 'documents') || hasQuery;
  if (!hasInput) placeIoValue(context, INPUT, draft.inputs);
  if (!documentsAt(context, 'reranker.output_documents', draft.outputs, 'documents'))
    placeIoValue(context, OUTPUT, draft.outputs);
}

function placeEmbedding(context: MappingContext): void {
  const { attributes, draft } = context;
  const list = peekFlattenedList(attributes, 'embedding.embeddings');
  const embeddings = list.items.map((item) => (isJsonObject(item) ? getOwn(item, 'embedding') : undefined));
  const field = (name: string): JsonValue[] =>
    embeddings.map((embedding) => (isJsonObject(embedding) ? (getOwn(embedding, name) ?? null) : null));
  const textKeys = list.keys.filter((key) => key.endsWith('.embedding.text'));
  const vectorKeys = list.keys.filter((key) => key.endsWith('.embedding.vector'));
  if (textKeys.length > 0) offerFrom(attributes, textKeys, draft.inputs, 'input', field('text'));
  // input.value is the list of texts again: it confirms them, or stands in for them.
  const input = ioValue(context, INPUT);
  if (input !== undefined) offerFrom(attributes, INPUT.keys, draft.inputs, 'input', input);
  if (vectorKeys.length > 0) offerFrom(attributes, vectorKeys, draft.outputs, 'embeddings', field('vector'));
  else placeIoValue(context, OUTPUT, draft.outputs);
}

function placeTool(context: MappingContext): void {
  const { draft } = context;
  offerEventName(context, 'tool.name');
  placeIoValue(context, INPUT, draft.inputs);
  placeIoValue(context, OUTPUT, draft.outputs);
}

/** `metadata` (JSON, or flattened `metadata.<key>`), `tag.tags`. */
function placeContext({ attributes, draft }: MappingContext): void {
  const metadata = parseJsonObjectOrArray(attributes.peekJson('metadata'));
  if (isJsonObject(metadata)) offerBlockFrom(attributes, ['metadata'], draft.metadata, metadata);
  const flattened = attributes.hasPrefix('metadata')
    ? attributes.peekPrefixed('metadata').filter(([rest]) => rest !== '')
    : [];
  if (flattened.length > 0) {
    offerBlockFrom(
      attributes,
      flattened.map(([rest]) => `metadata.${rest}`),
      draft.metadata,
      nestFlattened(flattened),
    );
  }
  offerAttribute(attributes, 'tag.tags', draft.metadata, 'tags');
}

/** `annotations.{i}.annotation.*` and `evaluations.{i}.evaluation.*`: feedback named by each one's name. */
function placeFeedback(context: MappingContext): void {
  placeFeedbackList(context, 'annotations', 'annotation');
  placeFeedbackList(context, 'evaluations', 'evaluation');
}

function placeFeedbackList({ attributes, draft }: MappingContext, prefix: string, field: string): void {
  const list = peekFlattenedList(attributes, prefix);
  if (list.items.length === 0) return;
  const feedback: JsonObject = {};
  list.items.forEach((item, index) => {
    const entry = isJsonObject(item) ? getOwn(item, field) : undefined;
    if (!isJsonObject(entry)) return;
    const { name, ...rest } = entry;
    setOwn(feedback, typeof name === 'string' && name !== '' ? name : `${field}_${index}`, rest);
  });
  offerBlockFrom(attributes, list.keys, draft.feedback, feedback);
}

/** Time to first token, from the span event Python instrumentations add when streaming. */
function placeFirstToken(context: MappingContext): void {
  const event: TimedEvent | undefined = context.span.events.find((candidate) => candidate.name === FIRST_TOKEN_EVENT);
  if (!event) return;
  const milliseconds = hrTimeToMilliseconds(event.time) - hrTimeToMilliseconds(context.span.startTime);
  if (offerBlock(context.draft.metrics, { time_to_first_token_ms: milliseconds })) context.consumeEvent(event);
}

export const openInferenceConvention: ConventionFamily = {
  name: 'openinference',
  // What speaksOpenInference tests.
  keyStarts: ['openinference.', INPUT.value, OUTPUT.value, 'llm.', 'retrieval.', 'embedding.', 'reranker.'],
  eventType: (attributes) => lookupEventType(KIND_TYPES, attributes.peek('openinference.span.kind')),
  modelEvidence: ['llm.model_name'],
  sessionIdKeys: ['session.id'],
  userIdKeys: ['user.id'],
  usage: OPENINFERENCE_USAGE,
  map(context: MappingContext): void {
    if (!speaksOpenInference(context)) return;
    const kind = context.attributes.peekJson('openinference.span.kind');
    placeContext(context);
    placeFeedback(context);
    placeModelConfig(context);
    placeUsage(context, readUsage(context.attributes, OPENINFERENCE_USAGE));
    switch (kind) {
      case 'LLM':
        placeLlm(context);
        placeFirstToken(context);
        placeRawBodies(context);
        return;
      case 'RETRIEVER':
        placeRetrieval(context);
        return;
      case 'RERANKER':
        placeReranker(context);
        return;
      case 'EMBEDDING':
        placeEmbedding(context);
        return;
      case 'TOOL':
        placeTool(context);
        return;
      default:
        if (context.attributes.hasPrefix('llm.input_messages') || context.attributes.hasPrefix('llm.output_messages')) {
          placeLlm(context);
          placeRawBodies(context);
        }
        placeIoValue(context, INPUT, context.draft.inputs);
        placeIoValue(context, OUTPUT, context.draft.outputs);
    }
  },
};
