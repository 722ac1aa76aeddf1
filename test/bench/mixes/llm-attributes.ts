/**
 * One model call written the way each LLM convention's instrumentations write
 * it (see /work/shared/reference/llm-conventions.md): OpenTelemetry GenAI JSON
 * messages, OpenInference flattened messages plus whole request/response
 * bodies, Traceloop's legacy flattened prompts, the Vercel AI SDK's `ai.*`
 * JSON strings, and HoneyHive's own flattened attributes.
 */
import type { Attributes } from '@opentelemetry/api';
import { TOOLS, type ChatMessage, type ToolCall } from './content';

export interface ModelCall {
  model: string;
  input: readonly ChatMessage[];
  output: ChatMessage;
  inputTokens: number;
  outputTokens: number;
}

export type ConventionName = 'genai' | 'openinference' | 'traceloop' | 'vercel' | 'honeyhive';

export const CONVENTION_NAMES: readonly ConventionName[] = [
  'genai',
  'openinference',
  'traceloop',
  'vercel',
  'honeyhive',
];

/** A plain `{role, content, tool_calls}` message in OpenAI's request shape. */
function openAiMessage(message: ChatMessage): Record<string, unknown> {
  return {
    role: message.role,
    content: message.content === '' ? null : message.content,
    ...(message.toolCalls
      ? {
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
        }
      : {}),
    ...(message.toolCallId ? { tool_call_id: message.toolCallId } : {}),
  };
}

function genAiParts(message: ChatMessage): Array<Record<string, unknown>> {
  if (message.role === 'tool')
    return [{ type: 'tool_call_response', id: message.toolCallId, response: message.content }];
  const parts: Array<Record<string, unknown>> =
    message.content === '' ? [] : [{ type: 'text', content: message.content }];
  for (const call of message.toolCalls ?? [])
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: JSON.parse(call.arguments) });
  return parts;
}

export function genAiAttributes(call: ModelCall): Attributes {
  const [system, ...rest] = call.input;
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': call.model,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.response.id': `chatcmpl-${call.inputTokens}`,
    'gen_ai.response.model': `${call.model}-2024-07-18`,
    'gen_ai.response.finish_reasons': [call.output.toolCalls ? 'tool_calls' : 'stop'],
    'gen_ai.usage.input_tokens': call.inputTokens,
    'gen_ai.usage.output_tokens': call.outputTokens,
    'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: system?.content ?? '' }]),
    'gen_ai.input.messages': JSON.stringify(
      rest.map((message) => ({ role: message.role, parts: genAiParts(message) })),
    ),
    'gen_ai.output.messages': JSON.stringify([
      {
        role: 'assistant',
        parts: genAiParts(call.output),
        finish_reason: call.output.toolCalls ? 'tool_call' : 'stop',
      },
    ]),
    'gen_ai.tool.definitions': JSON.stringify(TOOLS.map((tool) => ({ type: 'function', ...tool }))),
  };
}

function flattenOpenInferenceMessage(attributes: Attributes, prefix: string, message: ChatMessage): void {
  attributes[`${prefix}.message.role`] = message.role;
  if (message.content !== '') attributes[`${prefix}.message.content`] = message.content;
  if (message.toolCallId) attributes[`${prefix}.message.tool_call_id`] = message.toolCallId;
  message.toolCalls?.forEach((call, j) => {
    attributes[`${prefix}.message.tool_calls.${j}.tool_call.id`] = call.id;
    attributes[`${prefix}.message.tool_calls.${j}.tool_call.function.name`] = call.name;
    attributes[`${prefix}.message.tool_calls.${j}.tool_call.function.arguments`] = call.arguments;
  });
}

/** As the OpenInference OpenAI instrumentation writes it: flattened messages, and the whole request and response bodies. */
export function openInferenceAttributes(call: ModelCall): Attributes {
  const invocation = { model: call.model, temperature: 0.2, max_tokens: 1024 };
  const attributes: Attributes = {
    'openinference.span.kind': 'LLM',
    'llm.system': 'openai',
    'llm.provider': 'openai',
    'llm.model_name': `${call.model}-2024-07-18`,
    'llm.invocation_parameters': JSON.stringify(invocation),
    'input.mime_type': 'application/json',
    'input.value': JSON.stringify({
      ...invocation,
      messages: call.input.map(openAiMessage),
      tools: TOOLS.map((tool) => ({ type: 'function', function: tool })),
    }),
    'output.mime_type': 'application/json',
    'output.value': JSON.stringify({
      id: `chatcmpl-${call.inputTokens}`,
      object: 'chat.completion',
      model: `${call.model}-2024-07-18`,
      choices: [
        { index: 0, message: openAiMessage(call.output), finish_reason: call.output.toolCalls ? 'tool_calls' : 'stop' },
      ],
      usage: {
        prompt_tokens: call.inputTokens,
        completion_tokens: call.outputTokens,
        total_tokens: call.inputTokens + call.outputTokens,
      },
    }),
    'llm.token_count.prompt': call.inputTokens,
    'llm.token_count.completion': call.outputTokens,
    'llm.token_count.total': call.inputTokens + call.outputTokens,
    'llm.token_count.prompt_details.cache_read': 0,
  };
  call.input.forEach((message, i) => flattenOpenInferenceMessage(attributes, `llm.input_messages.${i}`, message));
  flattenOpenInferenceMessage(attributes, 'llm.output_messages.0', call.output);
  TOOLS.forEach(
    (tool, i) => (attributes[`llm.tools.${i}.tool.json_schema`] = JSON.stringify({ type: 'function', function: tool })),
  );
  return attributes;
}

/** Traceloop's instrumentations before 0.23: `gen_ai.prompt.{i}.*` and `gen_ai.completion.{i}.*`. */
export function traceloopAttributes(call: ModelCall): Attributes {
  const attributes: Attributes = {
    'llm.request.type': 'chat',
    'gen_ai.system': 'OpenAI',
    'gen_ai.request.model': call.model,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.response.model': `${call.model}-2024-07-18`,
    'gen_ai.usage.prompt_tokens': call.inputTokens,
    'gen_ai.usage.completion_tokens': call.outputTokens,
    'llm.usage.total_tokens': call.inputTokens + call.outputTokens,
    'llm.is_streaming': false,
  };
  call.input.forEach((message, i) => {
    attributes[`gen_ai.prompt.${i}.role`] = message.role;
    attributes[`gen_ai.prompt.${i}.content`] = message.content;
    if (message.toolCallId) attributes[`gen_ai.prompt.${i}.tool_call_id`] = message.toolCallId;
  });
  attributes['gen_ai.completion.0.role'] = 'assistant';
  attributes['gen_ai.completion.0.content'] = call.output.content;
  attributes['gen_ai.completion.0.finish_reason'] = call.output.toolCalls ? 'tool_calls' : 'stop';
  call.output.toolCalls?.forEach((toolCall, j) => {
    attributes[`gen_ai.completion.0.tool_calls.${j}.name`] = toolCall.name;
    attributes[`gen_ai.completion.0.tool_calls.${j}.arguments`] = toolCall.arguments;
  });
  TOOLS.forEach((tool, i) => {
    attributes[`llm.request.functions.${i}.name`] = tool.name;
    attributes[`llm.request.functions.${i}.description`] = tool.description;
    attributes[`llm.request.functions.${i}.parameters`] = JSON.stringify(tool.parameters);
  });
  return attributes;
}

function vercelMessage(message: ChatMessage): Record<string, unknown> {
  if (message.role === 'tool') {
    return {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: message.toolCallId,
          toolName: 'lookup_order',
          output: { type: 'text', value: message.content },
        },
      ],
    };
  }
  if (message.role === 'system') return { role: 'system', content: message.content };
  const parts: Array<Record<string, unknown>> = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  for (const call of message.toolCalls ?? [])
    parts.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: JSON.parse(call.arguments) });
  return { role: message.role, content: parts };
}

/** The `doGenerate` span of the Vercel AI SDK (v5/v6): `ai.prompt.messages` JSON, JSON-in-JSON tool calls. */
export function vercelAttributes(call: ModelCall): Attributes {
  return {
    'operation.name': 'ai.generateText.doGenerate support-agent',
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.telemetry.functionId': 'support-agent',
    'ai.model.provider': 'openai.chat',
    'ai.model.id': call.model,
    'ai.settings.maxRetries': 2,
    'ai.prompt.messages': JSON.stringify(call.input.map(vercelMessage)),
    'ai.prompt.tools': TOOLS.map((tool) =>
      JSON.stringify({
        type: 'function',
        name: tool.name,
        description: tool.description,
        inputSchema: tool.parameters,
      }),
    ),
    'ai.prompt.toolChoice': '{"type":"auto"}',
    'ai.response.finishReason': call.output.toolCalls ? 'tool-calls' : 'stop',
    'ai.response.text': call.output.content,
    ...(call.output.toolCalls
      ? {
          'ai.response.toolCalls': JSON.stringify(
            call.output.toolCalls.map((toolCall) => ({
              toolCallId: toolCall.id,
              toolName: toolCall.name,
              input: toolCall.arguments,
            })),
          ),
        }
      : {}),
    'ai.response.id': `chatcmpl-${call.inputTokens}`,
    'ai.response.model': `${call.model}-2024-07-18`,
    'ai.response.timestamp': '2026-01-01T00:00:00.000Z',
    'ai.usage.inputTokens': call.inputTokens,
    'ai.usage.outputTokens': call.outputTokens,
    'ai.usage.totalTokens': call.inputTokens + call.outputTokens,
    'gen_ai.system': 'openai.chat',
    'gen_ai.request.model': call.model,
    'gen_ai.response.finish_reasons': [call.output.toolCalls ? 'tool-calls' : 'stop'],
    'gen_ai.response.id': `chatcmpl-${call.inputTokens}`,
    'gen_ai.response.model': `${call.model}-2024-07-18`,
    'gen_ai.usage.input_tokens': call.inputTokens,
    'gen_ai.usage.output_tokens': call.outputTokens,
  };
}

/** HoneyHive's SDKs: `honeyhive_inputs.chat_history.{i}.*` flattened, config and metadata alongside. */
export function honeyHiveAttributes(call: ModelCall): Attributes {
  const attributes: Attributes = {
    honeyhive_event_type: 'model',
    'honeyhive_config.model': call.model,
    'honeyhive_config.provider': 'openai',
    'honeyhive_config.hyperparameters.temperature': 0.2,
    'honeyhive_outputs.role': 'assistant',
    'honeyhive_outputs.content': call.output.content,
    'honeyhive_metadata.prompt_tokens': call.inputTokens,
    'honeyhive_metadata.completion_tokens': call.outputTokens,
    'honeyhive_metadata.total_tokens': call.inputTokens + call.outputTokens,
  };
  call.input.forEach((message, i) => {
    attributes[`honeyhive_inputs.chat_history.${i}.role`] = message.role;
    attributes[`honeyhive_inputs.chat_history.${i}.content`] = message.content;
  });
  return attributes;
}

/** One agent turn: the user's message, the conversation's session, the final answer. */
export interface AgentTurn {
  sessionId: string;
  userMessage: string;
  answer: string;
  inputTokens: number;
  outputTokens: number;
}

export interface ToolRun {
  call: ToolCall;
  result: string;
}

/** How one convention names and describes the spans of an agent turn. */
export interface ConventionSpans {
  wrapper: { name: string; attributes(turn: AgentTurn): Attributes };
  model: { name: string; attributes(call: ModelCall): Attributes };
  tool: { name: string; attributes(run: ToolRun): Attributes };
}

export const CONVENTION_SPANS: Readonly<Record<ConventionName, ConventionSpans>> = {
  genai: {
    wrapper: {
      name: 'invoke_agent support-agent',
      attributes: (turn) => ({
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support-agent',
        'gen_ai.conversation.id': turn.sessionId,
        'gen_ai.usage.input_tokens': turn.inputTokens,
        'gen_ai.usage.output_tokens': turn.outputTokens,
      }),
    },
    model: { name: 'chat gpt-4o-mini', attributes: genAiAttributes },
    tool: {
      name: 'execute_tool',
      attributes: ({ call, result }) => ({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': call.name,
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.id': call.id,
        'gen_ai.tool.call.arguments': call.arguments,
        'gen_ai.tool.call.result': result,
      }),
    },
  },
  openinference: {
    wrapper: {
      name: 'AgentExecutor',
      attributes: (turn) => ({
        'openinference.span.kind': 'CHAIN',
        'session.id': turn.sessionId,
        'input.value': JSON.stringify({ input: turn.userMessage }),
        'input.mime_type': 'application/json',
        'output.value': JSON.stringify({ output: turn.answer }),
        'output.mime_type': 'application/json',
        metadata: JSON.stringify({ ls_run_depth: 0, thread_id: turn.sessionId }),
      }),
    },
    model: { name: 'ChatCompletion', attributes: openInferenceAttributes },
    tool: {
      name: 'lookup_order',
      attributes: ({ call, result }) => ({
        'openinference.span.kind': 'TOOL',
        'tool.name': call.name,
        'tool.description': 'Look an order up by its number',
        'input.value': call.arguments,
        'input.mime_type': 'application/json',
        'output.value': result,
        'output.mime_type': 'application/json',
      }),
    },
  },
  traceloop: {
    wrapper: {
      name: 'support_agent.workflow',
      attributes: (turn) => ({
        'traceloop.span.kind': 'workflow',
        'traceloop.workflow.name': 'support_agent',
        'traceloop.entity.name': 'support_agent',
        'traceloop.entity.path': '',
        'traceloop.association.properties.session_id': turn.sessionId,
        'traceloop.association.properties.user_id': 'user-42',
        'traceloop.entity.input': JSON.stringify({ args: [turn.userMessage], kwargs: {} }),
        'traceloop.entity.output': JSON.stringify(turn.answer),
      }),
    },
    model: { name: 'openai.chat', attributes: traceloopAttributes },
    tool: {
      name: 'lookup_order.tool',
      attributes: ({ call, result }) => ({
        'traceloop.span.kind': 'tool',
        'traceloop.entity.name': call.name,
        'traceloop.entity.path': 'support_agent',
        'traceloop.entity.input': JSON.stringify({ args: [], kwargs: JSON.parse(call.arguments) }),
        'traceloop.entity.output': result,
      }),
    },
  },
  vercel: {
    wrapper: {
      name: 'ai.generateText',
      attributes: (turn) => ({
        'operation.name': 'ai.generateText support-agent',
        'ai.operationId': 'ai.generateText',
        'ai.telemetry.functionId': 'support-agent',
        'ai.telemetry.metadata.sessionId': turn.sessionId,
        'ai.telemetry.metadata.userId': 'user-42',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'gpt-4o-mini',
        'ai.prompt': JSON.stringify({ system: 'You are a support assistant.', prompt: turn.userMessage }),
        'ai.response.text': turn.answer,
        'ai.response.finishReason': 'stop',
        'ai.usage.inputTokens': turn.inputTokens,
        'ai.usage.outputTokens': turn.outputTokens,
      }),
    },
    model: { name: 'ai.generateText.doGenerate', attributes: vercelAttributes },
    tool: {
      name: 'ai.toolCall',
      attributes: ({ call, result }) => ({
        'operation.name': 'ai.toolCall support-agent',
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': call.name,
        'ai.toolCall.id': call.id,
        'ai.toolCall.args': call.arguments,
        'ai.toolCall.result': result,
      }),
    },
  },
  honeyhive: {
    wrapper: {
      name: 'support_agent',
      attributes: (turn) => ({
        honeyhive_event_type: 'chain',
        honeyhive_session_id: turn.sessionId,
        'honeyhive_inputs.query': turn.userMessage,
        'honeyhive_outputs.answer': turn.answer,
        'honeyhive_metadata.customer_tier': 'gold',
      }),
    },
    model: { name: 'openai.chat', attributes: honeyHiveAttributes },
    tool: {
      name: 'lookup_order',
      attributes: ({ call, result }) => ({
        honeyhive_event_type: 'tool',
        'honeyhive_inputs.arguments': call.arguments,
        'honeyhive_outputs.result': result,
      }),
    },
  },
};
