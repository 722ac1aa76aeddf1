/**
 * One chat message shape for every family: HoneyHive's
 * `{role, content, tool_calls?: [{id, type: 'function', function: {name, arguments}}], tool_call_id?, name?, reasoning?, parts?, finish_reason?}`.
 *
 * Accepted inputs: OpenTelemetry GenAI `{role, parts}` with typed parts;
 * OpenAI-style `{role, content, tool_calls: [{id, function: {name, arguments}}]}`
 * with string or part-array content; Vercel AI SDK parts (`tool-call`,
 * `tool-result`); Anthropic-style parts (`tool_use`, `tool_result`);
 * LangChain messages (serialized `{lc, id, kwargs}` or `{type: 'human', ...}`).
 * Text parts fold into `content`; reasoning into `reasoning`; tool calls into
 * `tool_calls` with their arguments as JSON text; each tool result becomes its own
 * `tool` message carrying `tool_call_id`; any other part (images, files) is
 * kept, in order, under `parts`.
 */
import type { JsonObject, JsonValue } from '../../honeyhive-types';
import { getOwn, isJsonObject } from '../json-values';
import { stringValue } from './placement';

export type ChatMessage = JsonObject;

/** LangChain message kinds, by `type` or by the class name that ends a serialized message's `id`. */
const LANGCHAIN_ROLES: Readonly<Record<string, string>> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'function',
  HumanMessage: 'user',
  AIMessage: 'assistant',
  SystemMessage: 'system',
  ToolMessage: 'tool',
  FunctionMessage: 'function',
};

/** Other providers' names for the roles HoneyHive renders (Cohere's upper case and `CHATBOT`, Gemini's `model`). */
const ROLE_ALIASES: Readonly<Record<string, string>> = {
  USER: 'user',
  SYSTEM: 'system',
  TOOL: 'tool',
  CHATBOT: 'assistant',
  model: 'assistant',
};

/**
 * A tool call in the OpenAI shape HoneyHive's registry names for
 * `outputs.tool_calls` and chat messages: `{id, type: 'function', function:
 * {name, arguments}}`, `arguments` a string. A string is kept as given (JSON
 * or not); any other value is written as its JSON text.
 */
export function toolCall(
  id: JsonValue | undefined,
  name: JsonValue | undefined,
  args: JsonValue | undefined,
): JsonObject {
  const fn: JsonObject = {};
  if (name !== undefined && name !== null) fn.name = String(name);
  if (args !== undefined) fn.arguments = typeof args === 'string' ? args : JSON.stringify(args);
  return id !== undefined && id !== null
    ? { id: String(id), type: 'function', function: fn }
    : { type: 'function', function: fn };
}

/** Tool calls of any family's shape: `{id, function: {name, arguments}}`, `{toolCallId, toolName, input}`, `{call_id | id, name, arguments|args|input}`. */
export function normalizeToolCall(raw: JsonValue): JsonObject | undefined {
  if (!isJsonObject(raw)) return undefined;
  const fn = getOwn(raw, 'function');
  if (isJsonObject(fn)) return toolCall(getOwn(raw, 'id'), getOwn(fn, 'name'), getOwn(fn, 'arguments'));
  if (getOwn(raw, 'toolCallId') !== undefined || getOwn(raw, 'toolName') !== undefined) {
    return toolCall(getOwn(raw, 'toolCallId'), getOwn(raw, 'toolName'), getOwn(raw, 'input') ?? getOwn(raw, 'args'));
  }
  // with both (LiveKit, OpenAI Responses), call_id is the one the tool's result names; id names the item
  return toolCall(
    getOwn(raw, 'call_id') ?? getOwn(raw, 'id'),
    getOwn(raw, 'name'),
    getOwn(raw, 'arguments') ?? getOwn(raw, 'args') ?? getOwn(raw, 'input'),
  );
}

/**
 * What a message's parts fold into: texts and reasoning joined with newlines
 * as they come (most messages are one text, which is then kept as it is),
 * each list made with its first item, and each tool result added as its own
 * message to the messages being read (before the message that carries it).
 */
interface FoldedContent {
  text?: string;
  reasoning?: string;
  toolCalls?: JsonObject[];
  others?: JsonValue[];
  /** The messages being read, and how many tool results this message added to them. */
  into: ChatMessage[];
  toolResults: number;
}

type FoldedText = 'text' | 'reasoning';
type FoldedList = 'toolCalls' | 'others';

/** Adds one more text to `folded[name]`, after a newline when there is one already. */
function foldText(folded: FoldedContent, name: FoldedText, text: string): void {
  const before = folded[name];
  folded[name] = before === undefined ? text : `${before}\n${text}`;
}

/** Adds `item` to the list `folded[name]`, making the list when it is the first (as `[item]`: sized for one). */
function fold<K extends FoldedList>(folded: FoldedContent, name: K, item: NonNullable<FoldedContent[K]>[number]): void {
  const list = folded[name] as Array<typeof item> | undefined;
  if (list) list.push(item);
  else folded[name] = [item] as FoldedContent[K];
}

/** Adds a tool result, as its own `tool` message, to the messages being read. */
function foldToolResult(
  folded: FoldedContent,
  id: JsonValue | undefined,
  result: JsonValue | undefined,
  name?: JsonValue,
): void {
  const content = contentText(result);
  // The usual result names its call: one literal, made at its size.
  const message: ChatMessage =
    id !== undefined && id !== null ? { role: 'tool', content, tool_call_id: String(id) } : { role: 'tool', content };
  if (typeof name === 'string') message.name = name;
  folded.into.push(message);
  folded.toolResults++;
}

/** A tool result as message content: text as it is, anything else as its JSON text. */
function contentText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The Vercel AI SDK wraps tool output as `{type: 'json' | 'text' | 'error-text' | ..., value}`. */
function vercelToolOutput(output: JsonValue | undefined): JsonValue | undefined {
  return isJsonObject(output) && typeof getOwn(output, 'type') === 'string' && getOwn(output, 'value') !== undefined
    ? getOwn(output, 'value')
    : output;
}

/** The first of the fields holding a string (named one by one: a rest parameter would make an array per part). */
function textOf(part: JsonObject, first: string, second: string, third?: string): string | undefined {
  const value = getOwn(part, first);
  if (typeof value === 'string') return value;
  const next = getOwn(part, second);
  if (typeof next === 'string') return next;
  const last = third === undefined ? undefined : getOwn(part, third);
  return typeof last === 'string' ? last : undefined;
}

/**
 * Parts named by their one key rather than a `type`: Gemini's (Google ADK:
 * `{text}`, `{text, thought: true}`, `{function_call}`, `{function_response}`,
 * camelCase too) and Genkit's (`{text}`, `{reasoning}`, `{toolRequest}`,
 * `{toolResponse}`). False for a part of neither kind.
 */
function foldUntypedPart(part: JsonObject, folded: FoldedContent): boolean {
  const text = getOwn(part, 'text');
  if (typeof text === 'string') {
    foldText(folded, getOwn(part, 'thought') === true ? 'reasoning' : 'text', text);
    return true;
  }
  const reasoning = getOwn(part, 'reasoning');
  if (typeof reasoning === 'string') {
    foldText(folded, 'reasoning', reasoning);
    return true;
  }
  const call = getOwn(part, 'function_call') ?? getOwn(part, 'functionCall');
  if (isJsonObject(call)) {
    fold(folded, 'toolCalls', toolCall(getOwn(call, 'id'), getOwn(call, 'name'), getOwn(call, 'args')));
    return true;
  }
  const response = getOwn(part, 'function_response') ?? getOwn(part, 'functionResponse');
  if (isJsonObject(response)) {
    const id = getOwn(response, 'id');
    foldToolResult(folded, id, getOwn(response, 'response'), getOwn(response, 'name'));
    return true;
  }
  const request = getOwn(part, 'toolRequest');
  if (isJsonObject(request)) {
    fold(folded, 'toolCalls', toolCall(getOwn(request, 'ref'), getOwn(request, 'name'), getOwn(request, 'input')));
    return true;
  }
  const result = getOwn(part, 'toolResponse');
  if (isJsonObject(result)) {
    foldToolResult(folded, getOwn(result, 'ref'), getOwn(result, 'output'), getOwn(result, 'name'));
    return true;
  }
  return false;
}

function foldPart(part: JsonValue, folded: FoldedContent): void {
  if (typeof part === 'string') {
    foldText(folded, 'text', part);
    return;
  }
  if (!isJsonObject(part)) {
    if (part !== null) fold(folded, 'others', part);
    return;
  }
  const type = getOwn(part, 'type');
  if (type === undefined && foldUntypedPart(part, folded)) return;
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text': {
      const text = textOf(part, 'content', 'text');
      if (text !== undefined) foldText(folded, 'text', text);
      else fold(folded, 'others', part);
      return;
    }
    case 'reasoning':
    case 'thinking': {
      const text = textOf(part, 'content', 'text', 'thinking');
      if (text !== undefined) foldText(folded, 'reasoning', text);
      else fold(folded, 'others', part);
      return;
    }
    case 'tool_call':
    case 'tool-call':
    case 'tool_use':
      // Each family's spelling (`{id, name, arguments}`, `{toolCallId, toolName, input}`, `{id, name, input}`), whichever part type names it.
      fold(folded, 'toolCalls', normalizeToolCall(part)!);
      return;
    case 'function_call':
      fold(
        folded,
        'toolCalls',
        toolCall(getOwn(part, 'call_id') ?? getOwn(part, 'id'), getOwn(part, 'name'), getOwn(part, 'arguments')),
      );
      return;
    case 'tool_call_response':
      foldToolResult(
        folded,
        getOwn(part, 'id'),
        getOwn(part, 'response') ?? getOwn(part, 'result'),
        getOwn(part, 'name'),
      );
      return;
    case 'tool-result':
      foldToolResult(
        folded,
        getOwn(part, 'toolCallId'),
        vercelToolOutput(getOwn(part, 'output')) ?? getOwn(part, 'result'),
        getOwn(part, 'toolName'),
      );
      return;
    case 'tool_result':
      foldToolResult(folded, getOwn(part, 'tool_use_id'), getOwn(part, 'content'));
      return;
    case 'function_call_output':
      foldToolResult(folded, getOwn(part, 'call_id'), getOwn(part, 'output'));
      return;
    default:
      fold(folded, 'others', part);
  }
}

/**
 * The one record every message folds into, emptied first: a message is folded
 * and read before the next is (folding a part never folds a message), and its
 * lists then belong to the message.
 */
const folding: FoldedContent = {
  text: undefined,
  reasoning: undefined,
  toolCalls: undefined,
  others: undefined,
  into: [],
  toolResults: 0,
};

/** Folds a message's content, its tool results added to `into`. */
function foldContent(content: JsonValue | undefined, into: ChatMessage[]): FoldedContent {
  const folded = folding;
  folded.text = undefined;
  folded.reasoning = undefined;
  folded.toolCalls = undefined;
  folded.others = undefined;
  folded.into = into;
  folded.toolResults = 0;
  if (Array.isArray(content))
    for (let partIndex = 0, partList = content; partIndex < partList.length; partIndex++) {
      const part = partList[partIndex]!;
      foldPart(part, folded);
    }
  else if (content !== undefined && content !== null) foldPart(content, folded);
  return folded;
}

/** A serialized LangChain message (`{lc, id: [..., 'HumanMessage'], kwargs}`): its kwargs, else undefined. */
function serializedLangChainFields(raw: JsonObject): JsonObject | undefined {
  if (getOwn(raw, 'lc') === undefined) return undefined;
  const kwargs = getOwn(raw, 'kwargs');
  return isJsonObject(kwargs) && Array.isArray(getOwn(raw, 'id')) ? kwargs : undefined;
}

/** The role of a LangChain message kind (a name like `toString` is none). */
function langChainRole(kind: string): string | undefined {
  return getOwn(LANGCHAIN_ROLES, kind) as string | undefined;
}

/** True for a LangChain message by `type` (`{type: 'human', data}`) that names no role of its own. */
function isTypedLangChain(raw: JsonObject): boolean {
  const type = getOwn(raw, 'type');
  return typeof type === 'string' && langChainRole(type) !== undefined && getOwn(raw, 'role') === undefined;
}

/**
 * A LangChain message's fields (`serialized`: its kwargs; `typed`: by its
 * `type`), or the message itself when it is not one (the role comes from
 * {@link givenRole}: two functions rather than one returning a pair, which
 * would be an object per message).
 */
function messageFields(raw: JsonObject, serialized: JsonObject | undefined, typed: boolean): JsonObject {
  if (serialized !== undefined) return serialized;
  if (!typed) return raw;
  const data = getOwn(raw, 'data');
  return isJsonObject(data) ? data : raw;
}

/** The role a message names (a LangChain message by its kwargs, class or type). */
function givenRole(raw: JsonObject, serialized: JsonObject | undefined, typed: boolean): string | undefined {
  if (serialized !== undefined) {
    const id = getOwn(raw, 'id') as JsonValue[];
    const last = String(id[id.length - 1] ?? '');
    const className = last.endsWith('Chunk') ? last.slice(0, -'Chunk'.length) : last;
    return stringValue(getOwn(serialized, 'role')) ?? langChainRole(className);
  }
  if (typed) return langChainRole(getOwn(raw, 'type') as string);
  return stringValue(getOwn(raw, 'role'));
}

/**
 * One message of any family's shape, as HoneyHive chat messages: usually one,
 * more when it carries several tool results (each becomes a `tool` message).
 */
export function chatMessages(raw: JsonValue, defaultRole = 'user'): ChatMessage[] {
  const messages: ChatMessage[] = [];
  addChatMessages(raw, defaultRole, messages);
  return messages;
}

/** {@link chatMessages}, added to `into` (no list made per message). */
export function addChatMessages(raw: JsonValue, defaultRole: string, into: ChatMessage[]): void {
  if (typeof raw === 'string') {
    into.push({ role: defaultRole, content: raw });
    return;
  }
  if (!isJsonObject(raw)) return;
  const serialized = serializedLangChainFields(raw);
  const typed = serialized === undefined && isTypedLangChain(raw);
  const fields = messageFields(raw, serialized, typed);
  const named = givenRole(raw, serialized, typed);
  const role =
    (named !== undefined ? (getOwn(ROLE_ALIASES, named) as string | undefined) : undefined) ?? named ?? defaultRole;
  const folded = foldContent(getOwn(fields, 'parts') ?? getOwn(fields, 'content'), into);
  const toolCalls = getOwn(fields, 'tool_calls');
  if (Array.isArray(toolCalls)) {
    for (let callIndex = 0, callList = toolCalls; callIndex < callList.length; callIndex++) {
      const call = callList[callIndex]!;
      const normalized = normalizeToolCall(call);
      if (normalized) fold(folded, 'toolCalls', normalized);
    }
  }
  const functionCall = getOwn(fields, 'function_call');
  if (isJsonObject(functionCall))
    fold(folded, 'toolCalls', toolCall(undefined, getOwn(functionCall, 'name'), getOwn(functionCall, 'arguments')));

  // A message that carried only tool results is those results, each its own `tool` message.
  const carriesOnlyToolResults =
    folded.toolResults > 0 &&
    (folded.text === undefined || folded.text === '') &&
    folded.toolCalls === undefined &&
    folded.others === undefined &&
    folded.reasoning === undefined;
  if (carriesOnlyToolResults) return;

  const content = folded.text ?? '';
  const givenCallId =
    getOwn(fields, 'tool_call_id') ??
    getOwn(fields, 'toolCallId') ??
    (role === 'tool' ? getOwn(fields, 'id') : undefined);
  const toolCallId = givenCallId === undefined || givenCallId === null ? undefined : String(givenCallId);
  // Made at its size in the usual shapes: a text, a text and its calls, a tool's answer to a call.
  let message: ChatMessage;
  if (folded.toolCalls) {
    message = { role, content, tool_calls: folded.toolCalls };
    if (toolCallId !== undefined) message.tool_call_id = toolCallId;
  } else {
    message = toolCallId === undefined ? { role, content } : { role, content, tool_call_id: toolCallId };
  }
  const name = getOwn(fields, 'name');
  if (typeof name === 'string') message.name = name;
  if (folded.reasoning !== undefined) message.reasoning = folded.reasoning;
  if (folded.others) message.parts = folded.others;
  const finishReason = getOwn(fields, 'finish_reason');
  if (finishReason !== undefined && finishReason !== null) message.finish_reason = finishReason;
  into.push(message);
}

/** A list of messages of any family's shape, in order, added to `into` when given; undefined when `raw` is not a list. */
export function chatHistory(
  raw: JsonValue | readonly JsonValue[] | undefined,
  defaultRole = 'user',
  into: ChatMessage[] = [],
): ChatMessage[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  for (let messageIndex = 0, messageList = raw; messageIndex < messageList.length; messageIndex++) {
    const message = messageList[messageIndex]!;
    addChatMessages(message, defaultRole, into);
  }
  return into;
}

/**
 * A model's output messages as the fields of HoneyHive `outputs`, to offer as
 * a block: the first message's fields, and every message under `choices` when
 * there are several. One message is its own fields (not copied).
 */
export function outputsFromMessages(messages: readonly ChatMessage[]): JsonObject | undefined {
  const first = messages[0];
  if (!first) return undefined;
  return messages.length > 1 ? { ...first, choices: [...messages] } : first;
}
