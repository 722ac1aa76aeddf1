/**
 * Vercel AI SDK: the recorded `ai` 6 spans, and hand-built spans for the
 * older spellings (v4's `promptTokens`, `maxTokens`, `args`/`result`, v3's
 * `ai.result.*`), `embedMany`, and v7's `OpenTelemetry` integration, which
 * writes OpenTelemetry GenAI spans with a few optional `ai.*` extras.
 */
import assert from 'node:assert/strict';
import {
  buildSpans,
  eventOfSpan,
  expectGolden,
  goldenGroups,
  json,
  recordedGoldens,
  sessionTokenTotals,
} from './golden-helpers';

const TELEMETRY = {
  'ai.telemetry.functionId': 'trip-bot',
  'ai.telemetry.metadata.sessionId': 'trip-1',
  'ai.telemetry.metadata.userId': 'u-5',
  'ai.telemetry.metadata.plan': 'pro',
};
const MODEL = { ...TELEMETRY, 'ai.model.provider': 'openai.chat', 'ai.model.id': 'gpt-4-turbo' };
/** What v7 writes on every chat call of an agent. */
const V7_CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-5',
  'gen_ai.response.model': 'gpt-5-2026-01-01',
};
const V7_EMBEDDINGS = {
  'gen_ai.operation.name': 'embeddings',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'text-embedding-3-small',
  'gen_ai.usage.input_tokens': 5,
  'ai.values': [json('rome'), json('paris')],
};

describe('golden events: Vercel AI SDK', () => {
  recordedGoldens('vercel-ai-');

  it('v4: streamText over doStream, with v4 usage and settings names and a tool call', () => {
    const spans = buildSpans({
      name: 'ai.streamText',
      attributes: {
        ...MODEL,
        'ai.operationId': 'ai.streamText',
        'ai.settings.maxTokens': 300,
        'ai.settings.temperature': 0.5,
        'ai.settings.maxRetries': 2,
        'ai.prompt': json({ system: 'Plan trips.', messages: [{ role: 'user', content: 'A day in Rome?' }] }),
        'ai.response.text': 'Colosseum, then Trastevere.',
        'ai.response.finishReason': 'stop',
        'ai.usage.promptTokens': 70,
        'ai.usage.completionTokens': 20,
        'ai.stream.msToFirstChunk': 180,
      },
      children: [
        {
          name: 'ai.streamText.doStream',
          attributes: {
            ...MODEL,
            'ai.operationId': 'ai.streamText.doStream',
            'ai.settings.maxTokens': 300,
            'ai.settings.temperature': 0.5,
            'ai.prompt.format': 'messages',
            'ai.prompt.messages': json([
              { role: 'system', content: 'Plan trips.' },
              { role: 'user', content: [{ type: 'text', text: 'A day in Rome?' }] },
              {
                role: 'assistant',
                content: [{ type: 'tool-call', toolCallId: 'tc-1', toolName: 'weather', args: { city: 'Rome' } }],
              },
              {
                role: 'tool',
                content: [{ type: 'tool-result', toolCallId: 'tc-1', toolName: 'weather', result: { sky: 'clear' } }],
              },
            ]),
            'ai.response.text': 'Colosseum, then Trastevere.',
            'ai.response.finishReason': 'stop',
            'ai.response.id': 'chatcmpl-9',
            'ai.response.model': 'gpt-4-turbo-2024-04-09',
            'ai.response.msToFirstChunk': 180,
            'ai.response.msToFinish': 900,
            'ai.response.avgCompletionTokensPerSecond': 22.2,
            'ai.usage.promptTokens': 70,
            'ai.usage.completionTokens': 20,
            'gen_ai.system': 'openai.chat',
            'gen_ai.request.model': 'gpt-4-turbo',
            'gen_ai.request.temperature': 0.5,
            'gen_ai.request.max_tokens': 300,
            'gen_ai.response.model': 'gpt-4-turbo-2024-04-09',
            'gen_ai.response.finish_reasons': ['stop'],
            'gen_ai.usage.input_tokens': 70,
            'gen_ai.usage.output_tokens': 20,
          },
          events: [
            { name: 'ai.stream.firstChunk', attributes: { 'ai.response.msToFirstChunk': 180 }, atMs: 5 },
            { name: 'ai.stream.finish', atMs: 9 },
          ],
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('vercel-ai/v4-stream-text', groups);
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 70, completion_tokens: 20, total_tokens: 90 });
    const call = eventOfSpan(groups, spans, 'ai.streamText.doStream');
    assert.equal(call.metrics?.time_to_first_token_ms, 180);
    assert.equal(call.metadata.events, undefined, 'the streaming events are the metrics: not listed again');
  });

  it('v3/v4: generateText with a tool call span and ai.result.* outputs', () => {
    const spans = buildSpans({
      name: 'ai.generateText',
      attributes: {
        ...MODEL,
        'ai.operationId': 'ai.generateText',
        'ai.prompt': json({ prompt: 'Weather in Rome?' }),
        'ai.result.text': 'Clear skies.',
        'ai.finishReason': 'stop',
      },
      children: [
        {
          name: 'ai.generateText.doGenerate',
          attributes: {
            ...MODEL,
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.prompt.messages': json([{ role: 'user', content: [{ type: 'text', text: 'Weather in Rome?' }] }]),
            'ai.result.toolCalls': json([{ toolCallId: 'tc-2', toolName: 'weather', args: '{"city":"Rome"}' }]),
            'ai.finishReason': 'tool-calls',
            'ai.usage.promptTokens': 40,
            'ai.usage.completionTokens': 9,
          },
        },
        {
          name: 'ai.toolCall',
          attributes: {
            ...TELEMETRY,
            'ai.operationId': 'ai.toolCall',
            'ai.toolCall.name': 'weather',
            'ai.toolCall.id': 'tc-2',
            'ai.toolCall.args': json({ city: 'Rome' }),
            'ai.toolCall.result': json('clear'),
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('vercel-ai/v3-generate-text-tool', groups);
    const tool = eventOfSpan(groups, spans, 'ai.toolCall');
    assert.equal(tool.event_name, 'weather');
    assert.deepEqual(tool.outputs, { value: 'clear' });
  });

  it('embedMany over two doEmbed calls: values in, vectors out, tokens counted once', () => {
    const spans = buildSpans({
      name: 'ai.embedMany',
      attributes: {
        ...TELEMETRY,
        'ai.operationId': 'ai.embedMany',
        'ai.model.provider': 'openai.embedding',
        'ai.model.id': 'text-embedding-3-small',
        'ai.values': [json('rome'), json('paris')],
        'ai.embeddings': [json([0.1, 0.2]), json([0.3, 0.4])],
        'ai.usage.tokens': 4,
      },
      children: ['rome', 'paris'].map((value, i) => ({
        name: 'ai.embedMany.doEmbed',
        attributes: {
          ...TELEMETRY,
          'ai.operationId': 'ai.embedMany.doEmbed',
          'ai.model.provider': 'openai.embedding',
          'ai.model.id': 'text-embedding-3-small',
          'ai.values': [json(value)],
          'ai.embeddings': [json([0.1 + 0.2 * i, 0.2 + 0.2 * i])],
          'ai.usage.tokens': 2,
        },
      })),
    });
    const groups = goldenGroups(spans);
    expectGolden('vercel-ai/embed-many', groups);
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 4, completion_tokens: 0, total_tokens: 4 });
  });

  it("v7's OpenTelemetry integration: agent, steps, chat calls, a tool, embeddings", () => {
    const spans = buildSpans(
      {
        name: 'invoke_agent gpt-5',
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-5',
          'gen_ai.agent.name': 'trip-bot',
          'gen_ai.system_instructions': json([{ type: 'text', content: 'Plan trips.' }]),
          'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Rome?' }] }]),
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 150,
          'gen_ai.usage.output_tokens': 30,
          'gen_ai.usage.cache_read.input_tokens': 64,
          'gen_ai.output.messages': json([
            { role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Clear, 24°C.' }] },
          ]),
          'ai.response.providerMetadata': json({ openai: { serviceTier: 'default' } }),
        },
        children: [
          {
            name: 'step 1',
            attributes: { 'gen_ai.operation.name': 'agent_step', 'ai.prompt.toolChoice': json({ type: 'auto' }) },
            children: [
              {
                name: 'chat gpt-5',
                options: { kind: 2 },
                attributes: {
                  ...V7_CHAT,
                  'gen_ai.system_instructions': json([{ type: 'text', content: 'Plan trips.' }]),
                  'gen_ai.input.messages': json([
                    { role: 'user', parts: [{ type: 'text', content: 'Weather in Rome?' }] },
                  ]),
                  'gen_ai.tool.definitions': json([
                    { type: 'function', name: 'weather', inputSchema: { type: 'object' } },
                  ]),
                  'gen_ai.client.operation.time_to_first_chunk': 0.4,
                  'gen_ai.client.operation.duration': 1.2,
                  'gen_ai.response.finish_reasons': ['tool-calls'],
                  'gen_ai.response.id': 'resp_1',
                  'gen_ai.usage.input_tokens': 60,
                  'gen_ai.usage.output_tokens': 10,
                  'gen_ai.usage.cache_read.input_tokens': 0,
                  'ai.usage.outputTokenDetails.reasoningTokens': 4,
                  'gen_ai.output.messages': json([
                    {
                      role: 'assistant',
                      finish_reason: 'tool-calls',
                      parts: [{ type: 'tool_call', id: 'tc-7', name: 'weather', arguments: { city: 'Rome' } }],
                    },
                  ]),
                },
              },
              {
                name: 'execute_tool weather',
                attributes: {
                  'gen_ai.operation.name': 'execute_tool',
                  'gen_ai.tool.name': 'weather',
                  'gen_ai.tool.call.id': 'tc-7',
                  'gen_ai.tool.type': 'function',
                  'gen_ai.tool.call.arguments': json({ city: 'Rome' }),
                  'gen_ai.tool.call.result': json({ sky: 'clear', temperatureC: 24 }),
                  'gen_ai.execute_tool.duration': 0.01,
                },
              },
            ],
          },
          {
            name: 'step 2',
            attributes: { 'gen_ai.operation.name': 'agent_step' },
            children: [
              {
                name: 'chat gpt-5',
                options: { kind: 2 },
                attributes: {
                  ...V7_CHAT,
                  'gen_ai.input.messages': json([
                    { role: 'user', parts: [{ type: 'text', content: 'Weather in Rome?' }] },
                    {
                      role: 'assistant',
                      parts: [{ type: 'tool_call', id: 'tc-7', name: 'weather', arguments: { city: 'Rome' } }],
                    },
                    {
                      role: 'tool',
                      parts: [{ type: 'tool_call_response', id: 'tc-7', response: { sky: 'clear', temperatureC: 24 } }],
                    },
                  ]),
                  'gen_ai.response.finish_reasons': ['stop'],
                  'gen_ai.usage.input_tokens': 90,
                  'gen_ai.usage.output_tokens': 20,
                  'gen_ai.usage.cache_read.input_tokens': 64,
                  'gen_ai.output.messages': json([
                    { role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Clear, 24°C.' }] },
                  ]),
                },
              },
            ],
          },
        ],
      },
      {
        name: 'embeddings text-embedding-3-small',
        options: { kind: 2 },
        attributes: V7_EMBEDDINGS,
        children: [
          {
            name: 'embeddings text-embedding-3-small',
            options: { kind: 2 },
            attributes: {
              ...V7_EMBEDDINGS,
              'ai.embeddings': [json([0.5, 0.1]), json([0.2, 0.7])],
            },
          },
        ],
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('vercel-ai/v7-gen-ai-integration', groups);
    // Only the two chat calls and the embedding call count; the agent and the embeddings wrapper keep theirs aside.
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 155, completion_tokens: 30, total_tokens: 185 });
  });

  it("cache writes and reads that only the provider's metadata carries; ai.usage.tokens is a total", () => {
    const spans = buildSpans(
      {
        name: 'ai.generateText.doGenerate',
        attributes: {
          'ai.operationId': 'ai.generateText.doGenerate',
          'ai.model.provider': 'anthropic.messages',
          'ai.model.id': 'claude-sonnet-4',
          'ai.usage.inputTokens': 2100,
          'ai.usage.outputTokens': 50,
          'ai.usage.cachedInputTokens': 2000,
          'ai.response.providerMetadata': json({
            anthropic: {
              usage: { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 2000 },
              cacheCreationInputTokens: 300,
            },
          }),
        },
      },
      {
        name: 'ai.generateText.doGenerate',
        attributes: {
          'ai.operationId': 'ai.generateText.doGenerate',
          'ai.model.provider': 'amazon-bedrock',
          'ai.model.id': 'anthropic.claude-3-5-sonnet',
          'gen_ai.usage.input_tokens': 900,
          'gen_ai.usage.output_tokens': 40,
          'ai.usage.tokens': 1340,
          'ai.response.providerMetadata': json({
            bedrock: {
              usage: { inputTokens: 900, outputTokens: 40, cacheReadInputTokens: 400, cacheWriteInputTokens: 0 },
            },
          }),
        },
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('vercel-ai/provider-metadata-usage', groups);
    const [anthropic, bedrock] = groups.flatMap((group) => group.events);
    assert.equal(anthropic!.metadata.cache_write_input_tokens, 300);
    assert.equal(anthropic!.metadata.cache_read_input_tokens, 2000);
    assert.equal(bedrock!.metadata.prompt_tokens, 900);
    assert.equal(bedrock!.metadata.total_tokens, 1340);
    assert.equal(bedrock!.metadata.cache_read_input_tokens, 400);
    assert.equal(
      typeof bedrock!.metadata['ai.response.providerMetadata'],
      'string',
      'kept: it carries more than usage',
    );
  });
  it('settings named like Object.prototype members keep their own names', () => {
    const spans = buildSpans({
      name: 'ai.generateText.doGenerate',
      attributes: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.settings.constructor': 1,
        'ai.settings.toString': 2,
        'ai.settings.maxOutputTokens': 100,
      },
    });
    const event = goldenGroups(spans)[0]!.events[0]!;
    assert.deepEqual(event.config?.hyperparameters, { constructor: 1, to_string: 2, max_tokens: 100 });
  });
});
