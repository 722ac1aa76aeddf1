/**
 * Frameworks with attributes of their own, hand-built from their documented
 * attributes (no Node recording here: recording them needs packages this
 * project does not depend on): Genkit (`genkit:*`), LiveKit Agents (`lk.*`),
 * Google ADK (`gcp.vertex.agent.*`), and a GenAI agent span known only by
 * its conventional name (Strands).
 */
import assert from 'node:assert/strict';
import { buildSpans, eventOfSpan, expectGolden, goldenGroups, json, sessionTokenTotals } from './golden-helpers';

describe('golden events: Genkit, LiveKit, Google ADK', () => {
  it('Genkit: a flow calling a model action and a tool action; the request and response read, the rest kept', () => {
    const request = {
      messages: [
        { role: 'system', content: [{ text: 'You plan trips.' }] },
        { role: 'user', content: [{ text: 'Two days in Porto?' }] },
      ],
      config: { temperature: 0.2 },
      tools: ['lookupWeather'],
      output: { format: 'text' },
    };
    const spans = buildSpans({
      name: 'planTrip',
      scope: { name: 'genkit-tracer', version: 'v1' },
      attributes: {
        'genkit:type': 'action',
        'genkit:metadata:subtype': 'flow',
        'genkit:name': 'planTrip',
        'genkit:isRoot': true,
        'genkit:input': json({ city: 'Porto', days: 2 }),
        'genkit:output': json('Day 1: Ribeira. Day 2: Serralves.'),
        'genkit:state': 'success',
      },
      children: [
        {
          name: 'googleai/gemini-2.5-flash',
          scope: { name: 'genkit-tracer', version: 'v1' },
          attributes: {
            'genkit:type': 'action',
            'genkit:metadata:subtype': 'model',
            'genkit:name': 'googleai/gemini-2.5-flash',
            'genkit:input': json(request),
            'genkit:output': json({
              message: {
                role: 'model',
                content: [{ toolRequest: { ref: 't1', name: 'lookupWeather', input: { city: 'Porto' } } }],
              },
              finishReason: 'stop',
              usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, thoughtsTokens: 5, inputCharacters: 60 },
              latencyMs: 812.5,
              request,
            }),
          },
        },
        {
          name: 'lookupWeather',
          scope: { name: 'genkit-tracer', version: 'v1' },
          attributes: {
            'genkit:type': 'action',
            'genkit:metadata:subtype': 'tool',
            'genkit:name': 'lookupWeather',
            'genkit:input': json({ city: 'Porto' }),
            'genkit:output': json({ forecast: 'sun' }),
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('frameworks/genkit-flow-model-tool', groups);
    const model = eventOfSpan(groups, spans, 'googleai/gemini-2.5-flash');
    assert.equal(model.event_type, 'model');
    assert.equal(model.config?.model, 'googleai/gemini-2.5-flash');
    assert.deepEqual(model.config?.hyperparameters, { temperature: 0.2 });
    assert.deepEqual(model.inputs.chat_history, [
      { role: 'system', content: 'You plan trips.' },
      { role: 'user', content: 'Two days in Porto?' },
    ]);
    assert.deepEqual(model.outputs?.tool_calls, [
      { id: 't1', type: 'function', function: { name: 'lookupWeather', arguments: '{"city":"Porto"}' } },
    ]);
    assert.deepEqual(model.metadata['genkit:input'], { output: { format: 'text' } }, 'what no rule placed');
    assert.deepEqual(
      model.metadata['genkit:output'],
      { usage: { inputCharacters: 60 } },
      'its copy of the request dropped',
    );
    const tool = eventOfSpan(groups, spans, 'lookupWeather');
    assert.equal(tool.event_type, 'tool');
    assert.deepEqual(tool.outputs, { forecast: 'sun' });
    const flow = eventOfSpan(groups, spans, 'planTrip');
    assert.equal(flow.event_type, 'chain');
    assert.deepEqual(flow.inputs, { city: 'Porto', days: 2 });
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 });
  });

  it('LiveKit Agents: a turn, its LLM node with the chat context, a function tool', () => {
    const spans = buildSpans({
      name: 'agent_turn',
      scope: { name: 'livekit-agents' },
      attributes: { 'lk.user_input': 'Is it raining in Lagos?', 'lk.agent_name': 'weather-bot' },
      children: [
        {
          name: 'llm_node',
          scope: { name: 'livekit-agents' },
          attributes: {
            'lk.chat_ctx': json({
              items: [
                { type: 'message', role: 'system', content: ['You report the weather.'] },
                { type: 'message', role: 'user', content: ['Is it raining in Lagos?'] },
              ],
            }),
            'lk.function_tools': ['get_weather'],
            'lk.response.function_calls': json([
              { call_id: 'fc_1', name: 'get_weather', arguments: '{"city":"Lagos"}' },
            ]),
            'lk.response.ttft': 0.42,
          },
        },
        {
          name: 'function_tool',
          scope: { name: 'livekit-agents' },
          attributes: {
            'lk.function_tool.id': 'fc_1',
            'lk.function_tool.name': 'get_weather',
            'lk.function_tool.arguments': json({ city: 'Lagos' }),
            'lk.function_tool.output': json({ raining: true }),
            'lk.function_tool.is_error': false,
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('frameworks/livekit-turn', groups);
    const turn = eventOfSpan(groups, spans, 'agent_turn');
    assert.equal(turn.event_type, 'chain');
    assert.deepEqual(turn.inputs, { user_input: 'Is it raining in Lagos?' });
    const node = eventOfSpan(groups, spans, 'llm_node');
    assert.equal((node.inputs.chat_history as unknown[]).length, 2);
    assert.equal(node.metrics?.time_to_first_token_ms, 420);
    const tool = eventOfSpan(groups, spans, 'function_tool');
    assert.equal(tool.event_type, 'tool');
    assert.equal(tool.event_name, 'get_weather');
    assert.deepEqual(tool.outputs, { raining: true });
  });

  it('Google ADK: a model call whose request and response are whole JSON, and a tool call', () => {
    const spans = buildSpans(
      {
        name: 'call_llm',
        scope: { name: 'gcp.vertex.agent', version: '1.2.0' },
        attributes: {
          'gen_ai.system': 'gcp.vertex.agent',
          'gen_ai.request.model': 'gemini-2.5-flash',
          'gen_ai.usage.input_tokens': 900,
          'gen_ai.usage.output_tokens': 30,
          'gcp.vertex.agent.invocation_id': 'inv-1',
          'gcp.vertex.agent.session_id': 'adk-session-7',
          'gcp.vertex.agent.llm_request': json({
            model: 'gemini-2.5-flash',
            config: { system_instruction: 'You are terse.', temperature: 0.1 },
            contents: [{ role: 'user', parts: [{ text: 'Hi there' }] }],
          }),
          'gcp.vertex.agent.llm_response': json({
            content: { role: 'model', parts: [{ text: 'Hello.' }] },
            finish_reason: 'STOP',
            usage_metadata: {
              prompt_token_count: 900,
              candidates_token_count: 30,
              cached_content_token_count: 600,
              total_token_count: 930,
            },
          }),
        },
      },
      {
        name: 'execute_tool get_time',
        scope: { name: 'gcp.vertex.agent', version: '1.2.0' },
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_time',
          'gen_ai.tool.call.id': 'adk-1',
          'gcp.vertex.agent.tool_call_args': json({ zone: 'UTC' }),
          'gcp.vertex.agent.tool_response': json({ time: '12:00' }),
          'gcp.vertex.agent.llm_request': '{}',
          'gcp.vertex.agent.llm_response': '{}',
        },
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('frameworks/google-adk-model-tool', groups);
    const model = eventOfSpan(groups, spans, 'call_llm');
    assert.equal(model.event_type, 'model');
    assert.deepEqual(model.inputs.chat_history, [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi there' },
    ]);
    assert.deepEqual(model.outputs, { role: 'assistant', content: 'Hello.', finish_reason: 'STOP' });
    assert.equal(model.metadata.cache_read_input_tokens, 600);
    assert.equal(model.metadata['gcp.vertex.agent.llm_request'], undefined, 'all of it placed');
    assert.equal(model.metadata.original_session_id, 'adk-session-7');
    const tool = eventOfSpan(groups, spans, 'execute_tool get_time');
    assert.equal(tool.event_type, 'tool');
    assert.deepEqual(tool.inputs, { zone: 'UTC' });
    assert.deepEqual(tool.outputs, { time: '12:00' });
  });

  it('a GenAI agent span known only by its conventional name (`invoke_agent {name}`, as Strands writes it)', () => {
    const spans = buildSpans({
      name: 'invoke_agent travel_agent',
      attributes: { 'gen_ai.provider.name': 'strands-agents', 'gen_ai.agent.name': 'travel_agent' },
    });
    assert.equal(goldenGroups(spans)[0]!.events[0]!.event_type, 'chain');
  });
});
