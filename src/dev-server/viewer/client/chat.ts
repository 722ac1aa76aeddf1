/**
 * Conversations as HoneyHive's Chat History view shows them: one card per
 * message, labelled by role, with its tool calls and tool results.
 *
 * HoneyHive reads a model event's conversation from `inputs.chat_history` and
 * its answer from `outputs` (`{role, content, tool_calls?, finish_reason?}`,
 * tool calls `{id, type: 'function', function: {name, arguments}}`);
 * other places (`inputs.messages`, say) are plain data to it, so they stay JSON
 * here too.
 */
import type { JsonValue } from '../../../honeyhive-types';
import { h } from './dom.js';
import { jsonBlock, isJsonObject } from './json-view.js';

type Message = Record<string, JsonValue>;

const KNOWN_ROLES = ['system', 'user', 'assistant', 'tool'];

const isMessage = (value: unknown): value is Message => isJsonObject(value) && typeof value['role'] === 'string';

/** What a message card shows of a message; anything else in a model's outputs stays JSON beside the card. */
const MESSAGE_FIELDS = ['role', 'content', 'tool_calls', 'tool_call_id', 'name', 'reasoning', 'parts', 'finish_reason'];

export interface Conversation {
  messages: Message[];
  /** The field's other keys. */
  rest: Record<string, JsonValue>;
}

/** The conversation in an event's (or session's) `field`: `inputs.chat_history`, or `outputs` that are one message. */
export function conversationOf(field: string, value: unknown): Conversation | undefined {
  if (!isJsonObject(value)) return undefined;
  const history = value['chat_history'];
  if (field === 'inputs' && Array.isArray(history) && history.length > 0 && history.every(isMessage)) {
    const { chat_history: _history, ...rest } = value;
    return { messages: history, rest };
  }
  if (field === 'outputs' && isMessage(value)) {
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !MESSAGE_FIELDS.includes(key)));
    return { messages: [value], rest };
  }
  return undefined;
}

/** A tool result or argument string that holds JSON is shown as that JSON. */
function parsedJson(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

function textBlock(text: string): HTMLElement {
  const json = parsedJson(text);
  return json === undefined ? h('div', { class: 'message-text', text }) : jsonBlock(json, 'json message-json');
}

/** A message's content: text, a list of parts (text parts as text), or anything else as JSON. */
function contentBlocks(content: JsonValue | undefined): HTMLElement[] {
  if (content === undefined || content === null || content === '') return [];
  if (typeof content === 'string') return [textBlock(content)];
  if (Array.isArray(content)) {
    return content.map((part) =>
      isJsonObject(part) && typeof part['text'] === 'string' ? textBlock(part['text']) : jsonBlock(part),
    );
  }
  return [jsonBlock(content)];
}

/**
 * A tool call in the OpenAI shape HoneyHive renders (`{id, type, function:
 * {name, arguments}}`, arguments as JSON text); one of any other shape is
 * shown whole as JSON, unnamed.
 */
function toolCallBlock(call: JsonValue): HTMLElement {
  if (!isJsonObject(call)) return jsonBlock(call);
  const fn = call['function'];
  const name = isJsonObject(fn) && typeof fn['name'] === 'string' ? fn['name'] : '(unnamed tool)';
  const args = isJsonObject(fn) ? fn['arguments'] : call;
  return h(
    'div',
    { class: 'tool-call' },
    h(
      'div',
      { class: 'tool-call-head' },
      h('span', { class: 'tool-call-label', text: 'tool call' }),
      h('span', { class: 'tool-call-name', text: name }),
      typeof call['id'] === 'string' ? h('span', { class: 'tool-call-id', text: call['id'] }) : null,
    ),
    args === undefined ? null : typeof args === 'string' ? textBlock(args) : jsonBlock(args, 'json message-json'),
  );
}

function messageCard(message: Message): HTMLElement {
  const role = String(message['role']);
  const toolCalls = message['tool_calls'];
  const reasoning = message['reasoning'];
  const stringField = (key: string): string | undefined =>
    typeof message[key] === 'string' ? (message[key] as string) : undefined;
  const callId = stringField('tool_call_id');
  const finish = stringField('finish_reason');
  return h(
    'div',
    { class: `message role-${KNOWN_ROLES.includes(role) ? role : 'other'}`, 'data-role': role },
    h(
      'div',
      { class: 'message-head' },
      h('span', { class: 'message-role', text: role }),
      stringField('name') === undefined ? null : h('span', { class: 'message-name', text: stringField('name') }),
      callId === undefined ? null : h('span', { class: 'message-ref', text: `result of ${callId}` }),
      finish === undefined ? null : h('span', { class: 'message-finish', text: finish }),
    ),
    reasoning === undefined
      ? null
      : h(
          'details',
          { class: 'message-reasoning' },
          h('summary', { text: 'reasoning' }),
          ...contentBlocks(Array.isArray(reasoning) ? reasoning.join('\n') : reasoning),
        ),
    ...contentBlocks(message['content']),
    ...(Array.isArray(toolCalls) ? toolCalls.map(toolCallBlock) : []),
    message['parts'] === undefined ? null : jsonBlock(message['parts'], 'json message-json'),
  );
}

/** The messages as cards, then the field's other keys as JSON. */
export function conversationView({ messages, rest }: Conversation): HTMLElement {
  return h(
    'div',
    { class: 'chat-view' },
    h('div', { class: 'chat' }, messages.map(messageCard)),
    Object.keys(rest).length === 0 ? null : h('div', { class: 'chat-rest' }, jsonBlock(rest)),
  );
}
