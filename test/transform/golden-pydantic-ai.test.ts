/**
 * pydantic-ai (Python; its spans reach this exporter through a bridge or a
 * collector): hand-built from its documented attributes. An agent run over
 * two GenAI model calls and a tool call of the older `tool_arguments` /
 * `tool_response` names, with usage details.
 */
import assert from 'node:assert/strict';
import { buildSpans, eventOfSpan, expectGolden, goldenGroups, json, sessionTokenTotals } from './golden-helpers';

const SCOPE = { name: 'pydantic-ai', version: '1.66.0' };
const QUESTION = 'Put my money on square eighteen';
const ANSWER = 'You won: square eighteen came up.';
/** What each of the run's model calls says of itself. */
const CHAT = { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o' };

describe('golden events: pydantic-ai', () => {
  it('an agent run over model and tool calls: the conversation once, the answer, usage counted once', () => {
    const call = { type: 'tool_call', id: 'call_1', name: 'roulette_wheel', arguments: { square: 18 } };
    const spans = buildSpans({
      name: 'roulette_agent run',
      scope: SCOPE,
      attributes: {
        'gen_ai.agent.name': 'roulette_agent',
        agent_name: 'roulette_agent',
        model_name: 'gpt-4o',
        'logfire.msg': 'roulette_agent run',
        'gen_ai.system_instructions': json([{ type: 'text', content: 'Call roulette_wheel with the square.' }]),
        'pydantic_ai.all_messages': json([
          { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
          { role: 'assistant', parts: [call], finish_reason: 'tool_call' },
          {
            role: 'user',
            parts: [{ type: 'tool_call_response', id: 'call_1', name: 'roulette_wheel', result: 'winner' }],
          },
          { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
        ]),
        final_result: ANSWER,
        'gen_ai.usage.input_tokens': 300,
        'gen_ai.usage.output_tokens': 40,
      },
      children: [
        {
          name: 'chat gpt-4o',
          scope: SCOPE,
          attributes: {
            ...CHAT,
            'gen_ai.input.messages': json([{ role: 'user', parts: [{ type: 'text', content: QUESTION }] }]),
            'gen_ai.output.messages': json([{ role: 'assistant', parts: [call], finish_reason: 'tool_call' }]),
            'gen_ai.usage.input_tokens': 140,
            'gen_ai.usage.output_tokens': 15,
            'gen_ai.usage.details.cache_read_tokens': 100,
            'gen_ai.usage.details.input_audio_tokens': 4,
          },
        },
        {
          name: 'running tool',
          scope: SCOPE,
          attributes: {
            'gen_ai.tool.name': 'roulette_wheel',
            'gen_ai.tool.call.id': 'call_1',
            tool_arguments: json({ square: 18 }),
            tool_response: 'winner',
            'logfire.msg': 'running tool: roulette_wheel',
          },
        },
        {
          name: 'chat gpt-4o',
          scope: SCOPE,
          attributes: {
            ...CHAT,
            'gen_ai.output.messages': json([
              { role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' },
            ]),
            'gen_ai.usage.input_tokens': 160,
            'gen_ai.usage.output_tokens': 25,
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('pydantic-ai/agent-run-tools', groups);

    const run = eventOfSpan(groups, spans, 'roulette_agent run');
    assert.equal(run.event_type, 'chain');
    const history = run.inputs.chat_history as Array<{ role: string; content: string }>;
    assert.deepEqual(
      history.map((message) => message.role),
      ['system', 'user', 'assistant', 'tool'],
      'instructions first; the answer is the outputs, not repeated in the history',
    );
    assert.deepEqual(run.outputs, { role: 'assistant', content: ANSWER, finish_reason: 'stop' });
    assert.equal(run.metadata.agent_name, 'roulette_agent');
    assert.equal(run.metadata.final_result, undefined, 'the raw copy leaves once mapped');

    const tool = eventOfSpan(groups, spans, 'running tool');
    assert.equal(tool.event_type, 'tool');
    assert.equal(tool.event_name, 'roulette_wheel');
    assert.deepEqual(tool.inputs, { square: 18 });
    assert.deepEqual(tool.outputs, { value: 'winner' });
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 300, completion_tokens: 40, total_tokens: 340 });
  });
});
