/**
 * pydantic-ai (instrumented with `Agent.instrument_all()` or Logfire): its
 * model calls are OpenTelemetry GenAI (`chat {model}` spans, mapped by that
 * family). What is its own: the agent run (`{agent} run`) with the whole
 * conversation in `pydantic_ai.all_messages` (GenAI messages with typed
 * parts), its answer in `final_result`, the run's summed usage; tool calls
 * (`running tool`) with `tool_arguments` / `tool_response` (releases before
 * the GenAI `gen_ai.tool.call.*` names); and usage details
 * `gen_ai.usage.details.*`. These bare names are read only on spans of
 * pydantic-ai's instrumentation scope, or spans carrying `pydantic_ai.*`.
 */
import type { SpanEventType } from '../../honeyhive-types';
import { setIfAbsent, type MappingContext } from '../event-draft';
import { getOwn, parseJsonObjectOrArray } from '../json-values';
import type { SpanAttributes } from '../span-attributes';
import type { SpanView } from '../span-view';
import type { ConventionFamily } from './family';
import { chatHistory, chatMessages, type ChatMessage } from './messages';
import { offerAttribute, offerFrom, offerWholeFrom, offerWholeJson } from './placement';
import { placeUsage, readUsage, type UsageSpellings } from './usage';

const SCOPE = 'pydantic-ai';
const ALL_MESSAGES = 'pydantic_ai.all_messages';
const FINAL_RESULT = 'final_result';
const TOOL_ARGUMENTS = 'tool_arguments';
const TOOL_RESPONSE = 'tool_response';
const SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
const AGENT_NAME_KEYS = ['gen_ai.agent.name', 'agent_name'];

/** `RunUsage` details, as `gen_ai.usage.details.<name>`. */
const PYDANTIC_AI_USAGE: UsageSpellings = [
  ['cache_read_input_tokens', ['gen_ai.usage.details.cache_read_tokens']],
  ['cache_write_input_tokens', ['gen_ai.usage.details.cache_write_tokens']],
  ['reasoning_tokens', ['gen_ai.usage.details.reasoning_tokens']],
  ['audio_input_tokens', ['gen_ai.usage.details.input_audio_tokens']],
  ['audio_output_tokens', ['gen_ai.usage.details.output_audio_tokens']],
];

function speaksPydanticAi(attributes: SpanAttributes, span: SpanView): boolean {
  return span.scopeName === SCOPE || attributes.hasPrefix('pydantic_ai');
}

/** An agent run is a chain, a tool call a tool; a model call says so itself (`gen_ai.operation.name`). */
function eventType(attributes: SpanAttributes, span: SpanView): SpanEventType | undefined {
  if (attributes.has('gen_ai.operation.name') || !speaksPydanticAi(attributes, span)) return undefined;
  if (attributes.has(ALL_MESSAGES) || attributes.has(FINAL_RESULT) || attributes.hasAny(AGENT_NAME_KEYS))
    return 'chain';
  if (attributes.has(TOOL_ARGUMENTS) || attributes.has(TOOL_RESPONSE)) return 'tool';
  return undefined;
}

/** The run's conversation: the system instructions first when the messages carry none. */
function placeConversation({ attributes, draft }: MappingContext, answer: string | undefined): void {
  const messages = chatHistory(parseJsonObjectOrArray(attributes.peekJson(ALL_MESSAGES)));
  if (!messages) return;
  const keys = [ALL_MESSAGES];
  const history: ChatMessage[] = [];
  const instructions = parseJsonObjectOrArray(attributes.peekJson(SYSTEM_INSTRUCTIONS));
  if (instructions !== undefined && !messages.some((message) => message.role === 'system')) {
    history.push(
      ...chatMessages(
        Array.isArray(instructions)
          ? { role: 'system', parts: instructions }
          : { role: 'system', content: instructions },
      ),
    );
    keys.push(SYSTEM_INSTRUCTIONS);
  }
  history.push(...messages);
  // The last message is the answer, which `outputs` carries: carried once.
  const last = history[history.length - 1];
  if (last && answer !== undefined && isAnswer(last, answer)) {
    history.pop();
    setIfAbsent(draft.outputs, 'finish_reason', getOwn(last, 'finish_reason'));
  }
  offerFrom(attributes, keys, draft.inputs, 'chat_history', history);
}

function isAnswer(message: ChatMessage, answer: string): boolean {
  return (
    message.role === 'assistant' &&
    getOwn(message, 'content') === answer &&
    message.tool_calls === undefined &&
    message.parts === undefined
  );
}

/** `final_result`: text as the assistant's answer, a structured result (JSON) as it is. */
function placeFinalResult({ attributes, draft }: MappingContext): string | undefined {
  const result = attributes.peekJson(FINAL_RESULT);
  if (result === undefined) return undefined;
  const value = parseJsonObjectOrArray(result);
  if (typeof value === 'string') {
    offerWholeFrom(attributes, [FINAL_RESULT], draft.outputs, { role: 'assistant', content: value });
    return value;
  }
  offerWholeFrom(attributes, [FINAL_RESULT], draft.outputs, value);
  return undefined;
}

function placeToolCall({ attributes, draft }: MappingContext): void {
  offerWholeJson(attributes, TOOL_ARGUMENTS, draft.inputs);
  offerWholeJson(attributes, TOOL_RESPONSE, draft.outputs);
}

export const pydanticAiConvention: ConventionFamily = {
  name: 'pydantic-ai',
  keyStarts: ['pydantic_ai.'],
  speaksBySpan: (span) => span.scopeName === SCOPE,
  eventType,
  usage: PYDANTIC_AI_USAGE,
  map(context: MappingContext): void {
    const { attributes, draft } = context;
    if (!speaksPydanticAi(attributes, context.span)) return;
    placeConversation(context, placeFinalResult(context));
    placeToolCall(context);
    for (let keyIndex = 0, keyList = AGENT_NAME_KEYS; keyIndex < keyList.length; keyIndex++) {
      const key = keyList[keyIndex]!;
      offerAttribute(attributes, key, draft.metadata, 'agent_name');
    }
    offerAttribute(attributes, 'model_name', draft.config, 'model');
    placeUsage(context, readUsage(attributes, PYDANTIC_AI_USAGE));
  },
};
