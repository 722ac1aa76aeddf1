/**
 * Frameworks with attributes of their own: Genkit (`genkit:*`), recorded from
 * the real `genkit` with `@genkit-ai/compat-oai` (test/fixtures/record.ts),
 * plus what that plugin never reports, hand-built; LiveKit Agents (`lk.*`),
 * Google ADK (`gcp.vertex.agent.*`) and a GenAI agent span known only by its
 * conventional name (Strands), hand-built from their documented attributes
 * (their Node packages are not recorded here).
 */
import assert from 'node:assert/strict';
import { loadFixture } from '../helpers/span-json';
import {
  buildSpans,
  eventOfSpan,
  expectGolden,
  goldenGroups,
  json,
  recordedGoldens,
  sessionTokenTotals,
} from './golden-helpers';

describe('golden events: Genkit, LiveKit, Google ADK', () => {
  recordedGoldens('genkit-');

  it('Genkit, recorded (genkit-flow-tools): a flow, generate turns, model calls with a tool call, the tool', () => {
    const spans = loadFixture('genkit-flow-tools');
    const groups = goldenGroups(spans);
    const events = groups.flatMap((group) => group.events);
    const [first, second] = events.filter((event) => event.event_type === 'model');
    assert.equal(first!.config?.model, 'fakeai/gpt-4o-mini');
    assert.deepEqual(first!.inputs.chat_history, [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ]);
    assert.deepEqual(first!.outputs?.tool_calls, [
      { id: 'call_fake_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.deepEqual((second!.inputs.chat_history as unknown[])[3], {
      role: 'tool',
      content: '{"city":"Paris","temperatureC":18,"condition":"sunny"}',
      tool_call_id: 'call_fake_1',
      name: 'get_weather',
    });
    assert.deepEqual(first!.metadata['genkit:input'], { output: {} }, 'what no rule placed');
    const tool = eventOfSpan(groups, spans, 'get_weather');
    assert.equal(tool.event_type, 'tool');
    assert.deepEqual(tool.inputs, { city: 'Paris' });
    assert.deepEqual(tool.outputs, { city: 'Paris', temperatureC: 18, condition: 'sunny' });
    const turns = events.filter((event) => event.event_name === 'generate');
    assert.equal(turns.length, 2);
    for (const turn of turns) {
      assert.equal(turn.event_type, 'chain');
      assert.equal(turn.outputs?.role, 'assistant');
      assert.equal(turn.metadata.prompt_tokens, undefined, 'its usage repeats its model calls');
    }
    const flow = eventOfSpan(groups, spans, 'weatherFlow');
    assert.equal(flow.event_type, 'chain');
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 240, completion_tokens: 48, total_tokens: 288 });
  });

  it('Genkit, recorded (genkit-generate, genkit-error): settings in HoneyHive names; a failed call is an error', () => {
    const spans = loadFixture('genkit-generate');
    const model = eventOfSpan(goldenGroups(spans), spans, 'fakeai/gpt-4o-mini');
    assert.deepEqual(model.config?.hyperparameters, { temperature: 0.2, max_tokens: 128 });
    assert.equal(model.config?.tools, undefined, 'an empty tool list says nothing');
    for (const event of goldenGroups(loadFixture('genkit-error')).flatMap((group) => group.events))
      assert.match(String(event.error), /400 Invalid request/);
  });

  it("Genkit usage the recorded plugin does not report (hand-built from Genkit's GenerationUsage): reasoning tokens, the rest kept", () => {
    const request = { messages: [{ role: 'user', content: [{ text: 'Two days in Porto?' }] }], config: { topK: 3 } };
    const spans = buildSpans({
      name: 'googleai/gemini-2.5-flash',
      scope: { name: 'genkit-tracer', version: 'v1' },
      attributes: {
        'genkit:type': 'action',
        'genkit:metadata:subtype': 'model',
        'genkit:name': 'googleai/gemini-2.5-flash',
        'genkit:input': json(request),
        'genkit:output': json({
          message: { role: 'model', content: [{ text: 'Day 1: Ribeira.' }] },
          finishReason: 'stop',
          usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, thoughtsTokens: 5, inputCharacters: 60 },
          request,
        }),
      },
    });
    const groups = goldenGroups(spans);
    expectGolden('frameworks/genkit-usage', groups);
    const model = eventOfSpan(groups, spans, 'googleai/gemini-2.5-flash');
    assert.deepEqual(model.config?.hyperparameters, { top_k: 3 });
    assert.equal(model.metadata.reasoning_tokens, 5);
    assert.deepEqual(
      model.metadata['genkit:output'],
      { usage: { inputCharacters: 60 } },
      'its copy of the request dropped',
    );
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
