/**
 * OpenLLMetry / Traceloop: the recorded 0.22.5 spans (the flattened LLM
 * style; the 0.27 JSON style is in the GenAI goldens), and hand-built
 * workflow spans with entity inputs and outputs and association properties,
 * over a flattened LLM call with tool calls and content parts.
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
  sameInEitherKeyOrder,
} from './golden-helpers';

const ASSOCIATION = {
  'traceloop.association.properties.session_id': 'chat-session-3',
  'traceloop.association.properties.project': 'travel',
  'traceloop.association.properties.source': 'staging',
  'traceloop.association.properties.user_id': 'traveller-1',
  'traceloop.association.properties.run_id': 'run-5',
  'traceloop.association.properties.dataset_id': 'ds-2',
  'traceloop.association.properties.datapoint_id': 'dp-8',
};

describe('golden events: OpenLLMetry / Traceloop', () => {
  recordedGoldens('traceloop-legacy-');

  it('a workflow with a task, a tool and a flattened LLM call', () => {
    const spans = buildSpans({
      name: 'plan_trip.workflow',
      attributes: {
        ...ASSOCIATION,
        'traceloop.span.kind': 'workflow',
        'traceloop.workflow.name': 'plan_trip',
        'traceloop.entity.name': 'plan_trip',
        'traceloop.entity.path': '',
        'traceloop.entity.input': json({ args: [], kwargs: { city: 'Lisbon', days: 2 } }),
        'traceloop.entity.output': json('Day 1: Alfama. Day 2: Belém.'),
      },
      children: [
        {
          name: 'find_sights.task',
          attributes: {
            ...ASSOCIATION,
            'traceloop.span.kind': 'task',
            'traceloop.entity.name': 'find_sights',
            'traceloop.entity.input': json({ args: ['Lisbon'], kwargs: {} }),
            'traceloop.entity.output': json(['Alfama', 'Belém']),
          },
          children: [
            {
              name: 'openai.chat',
              options: { kind: 2 },
              attributes: {
                ...ASSOCIATION,
                'gen_ai.system': 'OpenAI',
                'llm.request.type': 'chat',
                'gen_ai.request.model': 'gpt-4o',
                'gen_ai.request.temperature': 0.7,
                'gen_ai.prompt.0.role': 'user',
                'gen_ai.prompt.0.content': json([{ type: 'text', text: 'Sights in Lisbon?' }]),
                'gen_ai.prompt.1.role': 'assistant',
                'gen_ai.prompt.1.tool_calls.0.id': 'call_3',
                'gen_ai.prompt.1.tool_calls.0.name': 'search',
                'gen_ai.prompt.1.tool_calls.0.arguments': json({ q: 'Lisbon sights' }),
                'gen_ai.prompt.2.role': 'tool',
                'gen_ai.prompt.2.content': 'Alfama, Belém',
                'gen_ai.prompt.2.tool_call_id': 'call_3',
                'gen_ai.completion.0.role': 'assistant',
                'gen_ai.completion.0.content': 'Alfama and Belém.',
                'gen_ai.completion.0.finish_reason': 'stop',
                'llm.request.functions.0.name': 'search',
                'llm.request.functions.0.description': 'Web search',
                'llm.request.functions.0.arguments': json({ type: 'object', properties: { q: { type: 'string' } } }),
                'gen_ai.response.model': 'gpt-4o-2024-08-06',
                'gen_ai.usage.prompt_tokens': 80,
                'gen_ai.usage.completion_tokens': 8,
                'llm.usage.total_tokens': 88,
                'gen_ai.usage.cache_read_input_tokens': 64,
              },
            },
            {
              name: 'search.tool',
              attributes: {
                ...ASSOCIATION,
                'traceloop.span.kind': 'tool',
                'traceloop.entity.name': 'search',
                'traceloop.entity.input': json({ args: [], kwargs: { q: 'Lisbon sights' } }),
                'traceloop.entity.output': json({ results: ['Alfama', 'Belém'] }),
              },
            },
          ],
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('traceloop/workflow-task-tool-llm', groups);
    const workflow = eventOfSpan(groups, spans, 'plan_trip.workflow');
    assert.equal(workflow.event_name, 'plan_trip');
    assert.equal(workflow.project, 'travel');
    assert.equal(workflow.source, 'staging');
    assert.deepEqual(workflow.inputs, { city: 'Lisbon', days: 2 });
    assert.deepEqual(workflow.user_properties, { user_id: 'traveller-1' });
    assert.equal(workflow.metadata.run_id, 'run-5');
  });

  it('reads a flattened conversation the same whether its keys come in order or not', () => {
    const conversation: Record<string, string> = {
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'Plan trips.',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.name': 'ana',
      'gen_ai.prompt.1.content': json([{ type: 'text', text: 'Sights in Lisbon?' }]),
      'gen_ai.prompt.2.role': 'assistant',
      'gen_ai.prompt.2.content': 'null',
      'gen_ai.prompt.2.tool_calls.0.id': 'call_3',
      'gen_ai.prompt.2.tool_calls.0.name': 'search',
      'gen_ai.prompt.2.tool_calls.0.arguments': json({ q: 'Lisbon sights' }),
      'gen_ai.prompt.2.tool_calls.1.name': 'weather',
      'gen_ai.prompt.3.role': 'tool',
      'gen_ai.prompt.3.tool_call_id': 'call_3',
      'gen_ai.prompt.3.content': 'Alfama, Belém',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'Alfama and Belém.',
      'gen_ai.completion.0.finish_reason': 'stop',
    };
    const mapped = sameInEitherKeyOrder('openai.chat', { 'llm.request.type': 'chat' }, conversation);
    assert.deepEqual((mapped.inputs.chat_history as unknown[])[2], {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_3', type: 'function', function: { name: 'search', arguments: json({ q: 'Lisbon sights' }) } },
        { type: 'function', function: { name: 'weather' } },
      ],
    });
    assert.equal(
      Object.keys(mapped.metadata).some((key) => key.startsWith('gen_ai.')),
      false,
      'every message attribute placed',
    );
  });

  recordedGoldens('cohere-');

  it("Cohere, recorded (@traceloop/instrumentation-cohere over cohere-ai): the chat's history, current message and search; the rerank's scores", () => {
    for (const name of ['cohere-chat', 'cohere-chat-stream']) {
      const spans = loadFixture(name);
      const chat = eventOfSpan(goldenGroups(spans), spans, 'cohere.chat');
      assert.equal(chat.event_type, 'model');
      assert.deepEqual(chat.inputs.chat_history, [
        { role: 'user', content: 'Who wrote Dom Casmurro?' },
        { role: 'assistant', content: 'Machado de Assis.' },
        { role: 'user', content: 'When was it published?' },
      ]);
      assert.equal(chat.outputs?.content, 'Dom Casmurro was published in 1899.');
      assert.equal(chat.metadata['gen_ai.completion.0.searchQuery'], 'Dom Casmurro publication year');
      assert.equal(chat.metadata['gen_ai.completion.0.searchResult.0.connector'], 'web-search');
      assert.equal(chat.metadata.total_tokens, 25);
    }
    const spans = loadFixture('cohere-rerank');
    const rerank = eventOfSpan(goldenGroups(spans), spans, 'cohere.rerank');
    assert.equal(rerank.event_type, 'tool');
    assert.deepEqual(rerank.inputs, { query: 'What is the capital of Brazil?' });
    assert.deepEqual((rerank.outputs?.documents as unknown[])[0], {
      content: 'Brasília is the capital of Brazil.',
      score: 0.833,
    });
    assert.equal(rerank.metadata['documents.2.index'], 'Porto is a city in Portugal.');
    const failed = goldenGroups(loadFixture('cohere-error'))[0]!.events[0]!;
    assert.match(String(failed.error), /Status code: 400/);
  });
});
