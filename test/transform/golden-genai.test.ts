/**
 * OpenTelemetry GenAI: the recorded OpenLLMetry 0.27 spans (the 2026 JSON
 * form), and hand-built spans for what they do not show: typed parts of
 * every kind, tool, agent and retrieval spans, the older span events and
 * the deprecated per-message events.
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

describe('golden events: OpenTelemetry GenAI', () => {
  recordedGoldens('traceloop-openai-');

  it('a chat span with JSON messages: every part type, settings, usage details, time to first token', () => {
    const spans = buildSpans({
      name: 'chat claude-sonnet',
      options: { kind: 2 },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet',
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.max_tokens': 512,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.stop_sequences': ['END'],
        'gen_ai.response.model': 'claude-sonnet-20260101',
        'gen_ai.response.id': 'msg_01',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.response.time_to_first_chunk': 0.25,
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 40,
        'gen_ai.usage.cache_read.input_tokens': 100,
        'gen_ai.usage.cache_creation.input_tokens': 20,
        'gen_ai.usage.reasoning.output_tokens': 12,
        'gen_ai.system_instructions': json([{ type: 'text', content: 'Answer briefly.' }]),
        'gen_ai.input.messages': json([
          {
            role: 'user',
            parts: [
              { type: 'text', content: 'What is in this picture, and the weather there?' },
              { type: 'uri', modality: 'image', uri: 'https://example.com/paris.png' },
            ],
          },
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
          },
          { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: { temperatureC: 18 } }] },
        ]),
        'gen_ai.output.messages': json([
          {
            role: 'assistant',
            finish_reason: 'stop',
            parts: [
              { type: 'reasoning', content: 'The tool said 18C.' },
              { type: 'text', content: 'The Eiffel Tower; 18°C.' },
            ],
          },
        ]),
        'user.id': 'user-7',
        'server.address': 'api.anthropic.com',
      },
    });
    const groups = goldenGroups(spans);
    expectGolden('genai/chat-json-messages', groups);
    const event = groups[0]!.events[0]!;
    assert.equal(event.metadata.total_tokens, 160, 'the total is computed from its parts');
    assert.equal(event.metrics?.time_to_first_token_ms, 250);
  });

  it('an agent with a chat call, a tool call and a retrieval: the agent keeps its usage aside', () => {
    const spans = buildSpans({
      name: 'invoke_agent planner',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'planner',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 10,
      },
      children: [
        {
          name: 'retrieval docs',
          attributes: {
            'gen_ai.operation.name': 'retrieval',
            'gen_ai.data_source.id': 'kb-1',
            'gen_ai.retrieval.top_k': 2,
            'gen_ai.retrieval.query.text': 'opening hours',
            'gen_ai.retrieval.documents': json([
              { id: 'doc-1', score: 0.9, content: 'Open 9 to 5.' },
              { id: 'doc-2', score: 0.4, content: 'Closed on Sundays.' },
            ]),
          },
        },
        {
          name: 'chat gpt-4o',
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 50,
            'gen_ai.usage.output_tokens': 10,
            'gen_ai.usage.total_tokens': 60,
            'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: 'When are you open?' }] }]),
            'gen_ai.output.messages': json([
              {
                role: 'assistant',
                finish_reason: 'tool_call',
                parts: [{ type: 'tool_call', id: 'call_9', name: 'lookup_hours', arguments: '{"day":"monday"}' }],
              },
            ]),
          },
        },
        {
          name: 'execute_tool lookup_hours',
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'lookup_hours',
            'gen_ai.tool.call.id': 'call_9',
            'gen_ai.tool.type': 'function',
            'gen_ai.tool.call.arguments': json({ day: 'monday' }),
            'gen_ai.tool.call.result': json({ open: '09:00', close: '17:00' }),
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('genai/agent-tool-retrieval', groups);
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 });
    const tool = eventOfSpan(groups, spans, 'execute_tool lookup_hours');
    assert.equal(tool.event_name, 'lookup_hours');
    assert.deepEqual(tool.inputs, { day: 'monday' });
  });

  it('the deprecated per-message events become the conversation and the answer', () => {
    const spans = buildSpans({
      name: 'chat gpt-4',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4',
        'gen_ai.usage.prompt_tokens': 30,
        'gen_ai.usage.completion_tokens': 5,
      },
      events: [
        { name: 'gen_ai.system.message', attributes: { 'gen_ai.system': 'openai', content: 'Be terse.' } },
        { name: 'gen_ai.user.message', attributes: { 'gen_ai.system': 'openai', content: 'Weather in Oslo?' } },
        {
          name: 'gen_ai.assistant.message',
          attributes: {
            'gen_ai.system': 'openai',
            tool_calls: json([
              { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
            ]),
          },
        },
        {
          name: 'gen_ai.tool.message',
          attributes: { 'gen_ai.system': 'openai', id: 'call_2', content: '{"temperatureC":-3}' },
        },
        // Azure's instrumentations put the whole body in one JSON attribute.
        {
          name: 'gen_ai.choice',
          attributes: {
            'gen_ai.system': 'openai',
            'gen_ai.event.content': json({ index: 0, finish_reason: 'stop', message: { content: 'Cold: -3°C.' } }),
          },
        },
        { name: 'cache.lookup', attributes: { hit: false } },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('genai/deprecated-message-events', groups);
    const event = groups[0]!.events[0]!;
    assert.deepEqual(
      (event.metadata.events as Array<{ name: string }>).map((e) => e.name),
      ['cache.lookup'],
      'only events no rule mapped stay listed',
    );
  });

  it('the older gen_ai.content.prompt / gen_ai.content.completion events', () => {
    const spans = buildSpans({
      name: 'openai.chat',
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-3.5-turbo',
        'gen_ai.usage.input_tokens': 9,
        'gen_ai.usage.output_tokens': 3,
      },
      events: [
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': json([{ role: 'user', content: 'Say hi' }]) } },
        {
          name: 'gen_ai.content.completion',
          attributes: { 'gen_ai.completion': json([{ role: 'assistant', content: 'Hi!' }]) },
        },
      ],
    });
    expectGolden('genai/older-content-events', goldenGroups(spans));
  });

  it('attributes win over events that disagree, and the events stay listed', () => {
    const spans = buildSpans({
      name: 'chat',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: 'from attributes' }] }]),
      },
      events: [{ name: 'gen_ai.user.message', attributes: { content: 'from an event' } }],
    });
    const event = goldenGroups(spans)[0]!.events[0]!;
    assert.deepEqual(event.inputs.chat_history, [{ role: 'user', content: 'from attributes' }]);
    assert.deepEqual(
      (event.metadata.events as Array<{ name: string }>).map((e) => e.name),
      ['gen_ai.user.message'],
    );
  });

  it('the current inference-details event carries the conversation: mapped, and not listed when the span repeats the rest', () => {
    const spans = buildSpans({
      name: 'chat gpt-4o-mini',
      options: { kind: 2 },
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 2,
      },
      events: [
        {
          name: 'gen_ai.client.inference.operation.details',
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.system_instructions': 'Answer with one word.',
            'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: 'Capital of Peru?' }] }]),
            'gen_ai.output.messages': json([
              { role: 'assistant', parts: [{ type: 'text', content: 'Lima' }], finish_reason: 'stop' },
            ]),
            'gen_ai.response.finish_reasons': json(['stop']),
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('genai/inference-details-event', groups);
    const event = groups[0]!.events[0]!;
    assert.deepEqual(event.inputs.chat_history, [
      { role: 'system', content: 'Answer with one word.' },
      { role: 'user', content: 'Capital of Peru?' },
    ]);
    assert.equal(event.outputs?.content, 'Lima');
    assert.equal(event.metadata.events, undefined, 'carried once');
  });

  it("OpenLit's plain-text prompt and completion events, its cost, and the underscore cache-write spelling", () => {
    const spans = buildSpans({
      name: 'openai.chat.completions',
      options: { kind: 2 },
      scope: { name: 'openlit.otel.tracing' },
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 30,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.usage.cache_write_input_tokens': 16,
        'gen_ai.usage.cost': 0.00042,
      },
      events: [
        {
          name: 'gen_ai.content.prompt',
          attributes: { 'gen_ai.prompt': 'system: Be brief.\nuser: What is tracing?\nAnswer in a line.' },
        },
        { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': 'Following a request end to end.' } },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('genai/openlit-plain-text-events', groups);
    const event = groups[0]!.events[0]!;
    assert.deepEqual(event.inputs.chat_history, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is tracing?\nAnswer in a line.' },
    ]);
    assert.equal(event.outputs?.content, 'Following a request end to end.');
    assert.equal(event.metadata.cost, 0.00042);
    assert.equal(event.metadata.cache_write_input_tokens, 16);
  });

  it('the older gen_ai.completion object form ({text, finish_reason})', () => {
    const spans = buildSpans({
      name: 'chat gpt-4',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.prompt': json([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Oslo?' }] }]),
        'gen_ai.completion': json({ text: 'Snowing, -3°C.', finish_reason: 'stop' }),
      },
    });
    const event = goldenGroups(spans)[0]!.events[0]!;
    assert.deepEqual(event.outputs, { role: 'assistant', content: 'Snowing, -3°C.', finish_reason: 'stop' });
    assert.equal(event.metadata['gen_ai.completion'], undefined);
  });

  it('finish reasons: several as a list, one as itself, none left out, JSON text read as its list', () => {
    const outputsOf = (reasons: string | string[]) =>
      goldenGroups(
        buildSpans({
          name: 'chat gpt-4o',
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.response.finish_reasons': reasons },
        }),
      )[0]!.events[0]!;
    assert.deepEqual(outputsOf(['stop', 'length']).outputs, { finish_reasons: ['stop', 'length'] });
    assert.deepEqual(outputsOf(['stop']).outputs, { finish_reason: 'stop' });
    const none = outputsOf([]);
    assert.equal(none.outputs, undefined);
    assert.deepEqual(none.metadata['gen_ai.response.finish_reasons'], [], 'an empty list stays in metadata');
    assert.deepEqual(outputsOf(json(['stop', 'tool_calls'])).outputs, { finish_reasons: ['stop', 'tool_calls'] });
    assert.deepEqual(outputsOf(json(['stop'])).outputs, { finish_reason: 'stop' });
    assert.deepEqual(outputsOf('stop').outputs, { finish_reason: 'stop' });
  });

  it('a tool span with plain input / output attributes', () => {
    const spans = buildSpans({
      name: 'execute_tool get_weather',
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'call_7',
        input: json({ city: 'Quito' }),
        output: json({ forecast: 'rain' }),
      },
    });
    const event = goldenGroups(spans)[0]!.events[0]!;
    assert.equal(event.event_name, 'get_weather');
    assert.deepEqual(event.inputs, { city: 'Quito' });
    assert.deepEqual(event.outputs, { forecast: 'rain' });
    assert.equal(event.metadata.tool_call_id, 'call_7');
  });
});
