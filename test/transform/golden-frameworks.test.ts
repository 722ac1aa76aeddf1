/**
 * Frameworks with attributes of their own: Genkit (`genkit:*`), recorded from
 * the real `genkit` with `@genkit-ai/compat-oai` (test/fixtures/record.ts),
 * plus what that plugin never reports, hand-built; Google ADK
 * (`gcp.vertex.agent.*`), recorded from the real `@google/adk` against a fake
 * Gemini API, plus Python ADK's snake_case JSON, hand-built; LiveKit Agents
 * (`lk.*`), recorded from the real `@livekit/agents` (a text-only session, no
 * room) against the fake OpenAI server, plus the older unprefixed `lk.*`
 * content keys, hand-built; and a GenAI agent span known only by its
 * conventional name (Strands), hand-built from its documented attributes.
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
  recordedGoldens('google-adk-');
  recordedGoldens('livekit-');

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
      // Its input names the tools; its response's copy of the request defines them.
      assert.deepEqual(turn.config?.tools, first!.config?.tools);
      assert.deepEqual(turn.metadata['genkit:output'], { custom: {}, request: { output: {} } }, 'what no rule placed');
      assert.deepEqual(turn.inputs.chat_history, second!.inputs.chat_history, 'the whole conversation, in order');
    }
    const flow = eventOfSpan(groups, spans, 'weatherFlow');
    assert.equal(flow.event_type, 'chain');
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 240, completion_tokens: 48, total_tokens: 288 });
  });

  it("Genkit, recorded: the plugin's OpenAI response (raw) carries nothing twice; its cached tokens are counted", () => {
    const spans = loadFixture('genkit-flow-tools');
    const events = goldenGroups(spans).flatMap((group) => group.events);
    const [first, second] = events.filter((event) => event.event_type === 'model');
    assert.deepEqual(
      [first!.metadata.cache_read_input_tokens, second!.metadata.cache_read_input_tokens],
      [43, 76],
      "cached_tokens, which Genkit's usage leaves out",
    );
    assert.equal(first!.metadata.response_id, 'chatcmpl-fake-1');
    assert.equal(first!.metadata.openai_system_fingerprint, 'fp_fake');
    const raw = (first!.metadata['genkit:output'] as { raw: Record<string, unknown> }).raw;
    assert.deepEqual(raw.choices, [{ finish_reason: 'tool_calls' }], "OpenAI's finish reason, which Genkit names stop");
    assert.deepEqual(raw.usage, {
      completion_tokens_details: { accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    assert.equal(events.filter((event) => event.metadata.cache_read_input_tokens !== undefined).length, 2, 'once');
    for (const event of events) {
      const text = JSON.stringify(event);
      assert.ok(text.split('What is the weather in Paris?').length <= 2, `${event.event_name}: the question once`);
      assert.ok(text.split('it is 18°C and sunny').length <= 2, `${event.event_name}: the answer once`);
      assert.ok(text.split('Get the current weather').length <= 2, `${event.event_name}: the tool's definition once`);
    }
  });

  it("Genkit (hand-built): a generate span's request copy that does not continue its input stays; so does a raw count Genkit's usage contradicts", () => {
    const input = {
      model: 'fakeai/gpt-4o-mini',
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      tools: ['/tool/a'],
    };
    // Genkit put retrieved documents into the message it sent: the copy is not the input's conversation continued.
    const sent = [{ role: 'user', content: [{ text: 'Hi' }, { text: 'Context: doc 1' }] }];
    const tool = { name: 'b', key: '/tool/b', description: 'Not the tool the input names' };
    const message = { role: 'model', content: [{ text: 'Hello.' }] };
    const spans = buildSpans(
      {
        name: 'generate',
        scope: { name: 'genkit-tracer', version: 'v1' },
        attributes: {
          'genkit:type': 'util',
          'genkit:name': 'generate',
          'genkit:input': json(input),
          'genkit:output': json({ message, finishReason: 'stop', request: { messages: sent, tools: [tool] } }),
        },
      },
      {
        name: 'fakeai/gpt-4o-mini',
        scope: { name: 'genkit-tracer', version: 'v1' },
        attributes: {
          'genkit:type': 'action',
          'genkit:metadata:subtype': 'model',
          'genkit:name': 'fakeai/gpt-4o-mini',
          'genkit:input': json({ messages: sent }),
          'genkit:output': json({
            message,
            finishReason: 'stop',
            usage: { inputTokens: 9, outputTokens: 2 },
            raw: {
              choices: [
                { index: 0, message: { role: 'assistant', content: 'Hello.', refusal: 'none' }, finish_reason: 'stop' },
              ],
              usage: { prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4 } },
            },
          }),
        },
      },
    );
    const groups = goldenGroups(spans);
    const generate = eventOfSpan(groups, spans, 'generate');
    assert.deepEqual(generate.inputs.chat_history, [{ role: 'user', content: 'Hi' }]);
    assert.deepEqual(generate.config?.tools, ['/tool/a']);
    assert.deepEqual(generate.metadata['genkit:output'], { request: { messages: sent, tools: [tool] } });
    const model = eventOfSpan(groups, spans, 'fakeai/gpt-4o-mini');
    assert.deepEqual([model.metadata.prompt_tokens, model.metadata.cache_read_input_tokens], [9, 4]);
    assert.deepEqual(model.metadata['genkit:output'], {
      raw: { choices: [{ message: { refusal: 'none' } }], usage: { prompt_tokens: 10 } },
    });
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

  it('LiveKit Agents, recorded (livekit-agent-tools): turns, LLM nodes over GenAI requests, the tool, nothing twice', () => {
    const spans = loadFixture('livekit-agent-tools');
    const groups = goldenGroups(spans);
    const events = groups.flatMap((group) => group.events);
    const byName = (name: string) => events.filter((event) => event.event_name === name);
    const [firstNode, secondNode] = byName('llm_node');
    assert.deepEqual(firstNode!.inputs.chat_history, [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ]);
    assert.deepEqual(firstNode!.outputs?.tool_calls, [
      { id: 'call_fake_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.equal(
      (secondNode!.inputs.chat_history as Array<{ tool_call_id?: string }>)[3]!.tool_call_id,
      'call_fake_1',
      "the tool result names the provider's call id, as the call does",
    );
    assert.equal(secondNode!.outputs?.tool_calls, undefined, 'an empty list of calls is left out');
    const [first, second] = byName('llm_request');
    assert.equal(first!.event_type, 'model');
    assert.equal(first!.config?.model, 'gpt-4o-mini');
    assert.equal(first!.metadata.cache_read_input_tokens, 46);
    assert.equal(first!.metadata['gen_ai.usage.input_cached_tokens'], undefined, 'the same cache count once');
    assert.equal(second!.outputs?.finish_reason, 'stop');
    const tool = eventOfSpan(groups, spans, 'function_tool');
    assert.equal(tool.event_type, 'tool');
    assert.equal(tool.event_name, 'get_weather');
    assert.deepEqual(tool.inputs, { city: 'Paris' });
    assert.deepEqual(tool.outputs, { city: 'Paris', temperatureC: 18, condition: 'sunny' });
    const [turn1, turn2] = byName('agent_turn');
    assert.deepEqual(turn1!.inputs, { user_input: 'What is the weather in Paris?' });
    assert.match(String(turn2!.outputs?.content), /18°C and sunny in Paris/);
    for (const name of ['llm_request_run', 'on_enter', 'on_exit', 'start_agent_activity', 'agent_session'])
      assert.equal(byName(name)[0]!.event_type, 'chain', name);
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 252, completion_tokens: 48, total_tokens: 300 });
  });

  it('LiveKit Agents (older unprefixed lk.* content keys): a turn, its LLM node with the chat context, a function tool', () => {
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

  it('Google ADK, recorded (google-adk-agent-tools): camelCase request and response JSON, read whole, nothing twice', () => {
    const spans = loadFixture('google-adk-agent-tools');
    const groups = goldenGroups(spans);
    const events = groups.flatMap((group) => group.events);
    const [first, second] = events.filter((event) => event.event_type === 'model');
    assert.equal(first!.config?.model, 'gemini-2.5-flash');
    assert.equal((first!.inputs.chat_history as Array<{ role: string }>)[0]!.role, 'system', 'systemInstruction');
    assert.deepEqual(first!.config?.hyperparameters, { temperature: 0.2, max_tokens: 256 }, 'maxOutputTokens');
    assert.deepEqual(first!.outputs?.tool_calls, [
      { type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    assert.deepEqual((second!.inputs.chat_history as unknown[])[3], {
      role: 'tool',
      content: '{"city":"Paris","temperatureC":18,"condition":"sunny"}',
      name: 'get_weather',
    });
    assert.deepEqual(second!.outputs, {
      role: 'assistant',
      content: 'It is sunny and 18°C in Paris.',
      finish_reason: 'stop',
    });
    for (const model of [first!, second!]) {
      assert.equal(model.metadata['gcp.vertex.agent.llm_request'], undefined, 'all of the request placed');
      assert.equal(model.metadata['gcp.vertex.agent.llm_response'], undefined, 'finishReason and usageMetadata read');
      assert.equal(model.metadata['gen_ai.response.finish_reasons'], undefined, 'the same finish reason');
    }
    const tool = eventOfSpan(groups, spans, 'execute_tool get_weather');
    assert.equal(tool.event_type, 'tool');
    assert.equal(tool.event_name, 'get_weather');
    assert.deepEqual(tool.inputs, { city: 'Paris' });
    assert.deepEqual(tool.outputs, { city: 'Paris', temperatureC: 18, condition: 'sunny' });
    assert.equal(tool.metadata['gcp.vertex.agent.llm_request'], undefined, "a tool call's {} placeholder goes");
    assert.equal(eventOfSpan(groups, spans, 'invoke_agent weather_agent').event_type, 'chain');
    assert.equal(first!.metadata.original_session_id, 'demo-session');
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 91, completion_tokens: 28, total_tokens: 119 });
  });

  it("Google ADK (Python's snake_case JSON): a model call whose request and response are whole JSON, and a tool call", () => {
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
    assert.deepEqual(model.outputs, { role: 'assistant', content: 'Hello.', finish_reason: 'stop' });
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
