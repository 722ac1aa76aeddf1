/**
 * LiveKit Agents (`lk.*`, Python and Node): a voice agent's session and
 * turns (`agent_session`, `agent_turn`, `user_turn`), the LLM node with its
 * chat context and response (`llm_node`; the provider call under it,
 * `llm_request`, is GenAI), function tools (`function_tool`), and the
 * speech nodes. Releases that mark personal data write `lk.pii.*` for the
 * same content; both spellings are read. Metrics and timings stay in
 * metadata under their names.
 */
import type { JsonValue, SpanEventType } from '../../honeyhive-types';
import type { MappingContext } from '../event-draft';
import { getOwn, isJsonObject, parseJson } from '../json-values';
import type { SpanAttributes } from '../span-attributes';
import type { SpanView } from '../span-view';
import type { ConventionFamily } from './family';
import { chatHistory, normalizeToolCall } from './messages';
import { numberValue, offerAttribute, offerBlockFrom, offerEventName, offerFrom, offerWholeJson } from './placement';

const SPAN_TYPES: Readonly<Record<string, SpanEventType>> = {
  agent_session: 'chain',
  agent_turn: 'chain',
  user_turn: 'chain',
  llm_node: 'chain',
  // an agent's lifecycle and one attempt of an LLM request (under llm_request): steps, not tool calls
  start_agent_activity: 'chain',
  drain_agent_activity: 'chain',
  on_enter: 'chain',
  on_exit: 'chain',
  llm_request_run: 'chain',
  function_tool: 'tool',
  tts_node: 'tool',
  tts_request: 'tool',
  stt_request: 'tool',
};

/** `[current key, older key]` of each content attribute. */
const USER_INPUT = ['lk.pii.user_input', 'lk.user_input'];
const USER_TRANSCRIPT = ['lk.pii.user_transcript', 'lk.user_transcript'];
const INPUT_TEXT = ['lk.pii.input_text', 'lk.input_text'];
const INSTRUCTIONS = ['lk.pii.instructions', 'lk.instructions'];
const CHAT_CTX = ['lk.pii.chat_ctx', 'lk.chat_ctx'];
const RESPONSE_TEXT = ['lk.pii.response.text', 'lk.response.text'];
const RESPONSE_CALLS = ['lk.pii.response.function_calls', 'lk.response.function_calls'];
const TOOL_ARGUMENTS = ['lk.pii.function_tool.arguments', 'lk.function_tool.arguments'];
const TOOL_OUTPUT = ['lk.pii.function_tool.output', 'lk.function_tool.output'];

function eventType(attributes: SpanAttributes, span: SpanView): SpanEventType | undefined {
  if (!attributes.hasPrefix('lk')) return undefined;
  return lookupSpanType(span.name) ?? (attributes.has('lk.function_tool.name') ? 'tool' : undefined);
}

function lookupSpanType(name: string): SpanEventType | undefined {
  return Object.prototype.hasOwnProperty.call(SPAN_TYPES, name) ? SPAN_TYPES[name] : undefined;
}

/** A ChatContext's items (`message`, `function_call`, `function_call_output`) in the shared message shape. */
function chatContext(value: JsonValue): JsonValue[] | undefined {
  const parsed = parseJson(value);
  const items = isJsonObject(parsed) ? getOwn(parsed, 'items') : parsed;
  if (!Array.isArray(items)) return undefined;
  // an agent_config_update item repeats the instructions (the system message) and the tool names (lk.function_tools)
  return items
    .filter((item) => !isJsonObject(item) || getOwn(item, 'type') !== 'agent_config_update')
    .map((item) => {
      if (!isJsonObject(item)) return item;
      const type = getOwn(item, 'type');
      if (type === 'function_call') return { role: 'assistant', content: [item] };
      if (type === 'function_call_output') return { role: 'tool', content: [item] };
      return item;
    });
}

/** A turn's inputs: each field, by the keys that spell it. */
const TURN_INPUTS: ReadonlyArray<readonly [keys: readonly string[], field: string]> = [
  [USER_INPUT, 'user_input'],
  [USER_TRANSCRIPT, 'user_transcript'],
  [INPUT_TEXT, 'text'],
  [INSTRUCTIONS, 'instructions'],
];

function placeTurn({ attributes, draft }: MappingContext): void {
  // Indexed: iterating and destructuring made an iterator and a result object per step, per span.
  for (let i = 0; i < TURN_INPUTS.length; i++) {
    const found = attributes.firstKey(TURN_INPUTS[i]![0]);
    if (found !== undefined) offerFrom(attributes, found, draft.inputs, TURN_INPUTS[i]![1], attributes.peekJson(found));
  }
  const context = attributes.firstKey(CHAT_CTX);
  const history = context !== undefined && chatHistory(chatContext(attributes.peekJson(context)!));
  if (context !== undefined && history) offerFrom(attributes, context, draft.inputs, 'chat_history', history);
}

function placeResponse({ attributes, draft }: MappingContext): void {
  const text = attributes.firstKey(RESPONSE_TEXT);
  const calls = attributes.firstKey(RESPONSE_CALLS);
  if (text === undefined && calls === undefined) return;
  const answer: Record<string, JsonValue> = {
    role: 'assistant',
    content: text === undefined ? '' : String(attributes.peekJson(text)),
  };
  const keys = text === undefined ? [] : [text];
  if (calls !== undefined) {
    const list = parseJson(attributes.peekJson(calls)!);
    if (Array.isArray(list)) {
      // an answer without calls writes [] (read, and left out)
      if (list.length > 0) answer.tool_calls = list.map((call) => normalizeToolCall(call) ?? call);
      keys.push(calls);
    }
  }
  offerBlockFrom(attributes, keys, draft.outputs, answer);
}

function placeFunctionTool(context: MappingContext): void {
  const { attributes, draft } = context;
  offerEventName(context, 'lk.function_tool.name');
  offerAttribute(attributes, 'lk.function_tool.id', draft.metadata, 'tool_call_id');
  const args = attributes.firstKey(TOOL_ARGUMENTS);
  if (args !== undefined) offerWholeJson(attributes, args, draft.inputs);
  const output = attributes.firstKey(TOOL_OUTPUT);
  if (output !== undefined) offerWholeJson(attributes, output, draft.outputs);
  if (attributes.peek('lk.function_tool.is_error') === true && draft.error === undefined) {
    draft.error = 'function tool failed';
  }
}

export const liveKitConvention: ConventionFamily = {
  name: 'livekit',
  keyStarts: ['lk.'],
  eventType,
  map(context: MappingContext): void {
    const { attributes, draft } = context;
    if (!attributes.hasPrefix('lk')) return;
    placeTurn(context);
    placeResponse(context);
    placeFunctionTool(context);
    offerAttribute(attributes, 'lk.agent_name', draft.metadata, 'agent_name');
    offerAttribute(attributes, 'lk.function_tools', draft.config, 'tools');
    const ttft = numberValue(attributes.peekJson('lk.response.ttft'));
    if (ttft !== undefined)
      offerFrom(attributes, 'lk.response.ttft', draft.metrics, 'time_to_first_token_ms', ttft * 1000);
  },
};
