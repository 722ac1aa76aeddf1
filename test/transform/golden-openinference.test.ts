/**
 * OpenInference: the recorded `@arizeai/openinference-instrumentation-openai`
 * spans, and hand-built spans for the kinds and context attributes they do
 * not show: agents, tools, multi-part contents, prompt templates, costs,
 * retrievers, rerankers, legacy completions, metadata, tags and feedback.
 */
import assert from 'node:assert/strict';
import {
  buildSpans,
  eventOfSpan,
  expectGolden,
  goldenGroups,
  json,
  recordedGoldens,
  sameInEitherKeyOrder,
  sessionTokenTotals,
} from './golden-helpers';

describe('golden events: OpenInference', () => {
  recordedGoldens('openinference-');

  it('an agent calling a model with multi-part contents and a tool: context, feedback, costs', () => {
    const spans = buildSpans({
      name: 'support-agent',
      attributes: {
        'openinference.span.kind': 'AGENT',
        'input.value': 'Is my order late? Here is a photo.',
        'input.mime_type': 'text/plain',
        'output.value': json({ answer: 'It arrives tomorrow.', confidence: 0.8 }),
        'output.mime_type': 'application/json',
        'session.id': 'support-42',
        'user.id': 'customer-9',
        metadata: json({ tier: 'gold', region: 'eu' }),
        'tag.tags': ['support', 'orders'],
        'llm.token_count.prompt': 210,
        'llm.token_count.completion': 25,
        'llm.token_count.total': 235,
        'annotations.0.annotation.name': 'helpfulness',
        'annotations.0.annotation.score': 0.9,
        'annotations.0.annotation.label': 'helpful',
        'annotations.0.annotation.explanation': 'answered the question',
        'annotations.1.annotation.score': 1,
      },
      children: [
        {
          name: 'ChatOpenAI',
          attributes: {
            'openinference.span.kind': 'LLM',
            'llm.model_name': 'gpt-4o-2024-08-06',
            'llm.provider': 'openai',
            'llm.system': 'openai',
            'llm.invocation_parameters': json({ model: 'gpt-4o', temperature: 0, max_tokens: 256 }),
            'llm.prompt_template.template': 'Answer about order {order_id}.',
            'llm.prompt_template.variables': json({ order_id: 'A-17' }),
            'llm.prompt_template.version': 'v3',
            'llm.input_messages.0.message.role': 'system',
            'llm.input_messages.0.message.content': 'Answer about order A-17.',
            'llm.input_messages.1.message.role': 'user',
            'llm.input_messages.1.message.contents.0.message_content.type': 'text',
            'llm.input_messages.1.message.contents.0.message_content.text': 'Is my order late? Here is a photo.',
            'llm.input_messages.1.message.contents.1.message_content.type': 'image',
            'llm.input_messages.1.message.contents.1.message_content.image.image.url': 'https://example.com/box.jpg',
            'llm.output_messages.0.message.role': 'assistant',
            'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_7',
            'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'track_order',
            'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': json({ order_id: 'A-17' }),
            'llm.token_count.prompt': 210,
            'llm.token_count.completion': 25,
            'llm.token_count.prompt_details.cache_write': 200,
            'llm.cost.prompt': 0.0021,
            'llm.cost.completion': 0.0005,
          },
        },
        {
          name: 'track_order',
          attributes: {
            'openinference.span.kind': 'TOOL',
            'tool.name': 'track_order',
            'tool.description': 'Where an order is',
            'input.value': json({ order_id: 'A-17' }),
            'input.mime_type': 'application/json',
            'output.value': 'Arrives tomorrow',
            'output.mime_type': 'text/plain',
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('openinference/agent-llm-tool', groups);
    assert.deepEqual(
      sessionTokenTotals(groups),
      { prompt_tokens: 210, completion_tokens: 25, total_tokens: 235 },
      'the agent repeats its model call: counted once',
    );
    const llm = eventOfSpan(groups, spans, 'ChatOpenAI');
    assert.ok(Math.abs((llm.metadata.cost as number) - 0.0026) < 1e-12, 'cost is summed from its parts');
  });

  it('a retriever and a reranker: query in, documents with ids, scores and contents out', () => {
    const spans = buildSpans(
      {
        name: 'retrieve',
        attributes: {
          'openinference.span.kind': 'RETRIEVER',
          'input.value': 'refund policy',
          'retrieval.documents.0.document.id': 'kb-12',
          'retrieval.documents.0.document.score': 0.82,
          'retrieval.documents.0.document.content': 'Refunds within 30 days.',
          'retrieval.documents.0.document.metadata': json({ source: 'policy.md' }),
          'retrieval.documents.1.document.id': 'kb-40',
          'retrieval.documents.1.document.score': 0.41,
          'retrieval.documents.1.document.content': 'Shipping is free.',
        },
      },
      {
        name: 'rerank',
        attributes: {
          'openinference.span.kind': 'RERANKER',
          'reranker.query': 'refund policy',
          'reranker.model_name': 'rerank-v3',
          'reranker.top_k': 1,
          'reranker.input_documents.0.document.id': 'kb-12',
          'reranker.input_documents.0.document.content': 'Refunds within 30 days.',
          'reranker.input_documents.1.document.id': 'kb-40',
          'reranker.input_documents.1.document.content': 'Shipping is free.',
          'reranker.output_documents.0.document.id': 'kb-12',
          'reranker.output_documents.0.document.score': 0.97,
          'reranker.output_documents.0.document.content': 'Refunds within 30 days.',
        },
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('openinference/retriever-reranker', groups);
    assert.deepEqual(eventOfSpan(groups, spans, 'retrieve').inputs, { query: 'refund policy' });
  });

  it('legacy completions, flattened metadata, evaluations and a first-token event', () => {
    const spans = buildSpans({
      name: 'completion',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'davinci-002',
        'llm.prompts.0.prompt.text': 'Once upon a time',
        'llm.choices.0.completion.text': ' there was a fox.',
        'llm.token_count.prompt': 4,
        'llm.token_count.completion': 6,
        'metadata.team': 'stories',
        'metadata.flags.beta': true,
        'evaluations.0.evaluation.name': 'coherence',
        'evaluations.0.evaluation.score': 4,
      },
      events: [{ name: 'First Token Stream Event', atMs: 3 }],
    });
    const groups = goldenGroups(spans);
    expectGolden('openinference/legacy-completions', groups);
    assert.equal(groups[0]!.events[0]!.metrics?.time_to_first_token_ms, 3);
  });

  it('a message with part 1 but no part 0 (a tool-result turn whose result part was not written) keeps its text', () => {
    const spans = buildSpans({
      name: 'bedrock.invoke_model',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'claude-3-haiku',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'Weather in Quito?',
        'llm.input_messages.1.message.role': 'assistant',
        'llm.input_messages.1.message.tool_calls.0.tool_call.id': 'toolu_9',
        'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'get_weather',
        'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': json({ city: 'Quito' }),
        'llm.input_messages.2.message.role': 'user',
        'llm.input_messages.2.message.tool_call_id': 'toolu_9',
        'llm.input_messages.2.message.contents.1.message_content.type': 'text',
        'llm.input_messages.2.message.contents.1.message_content.text': 'And tomorrow?',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Rain, then sun.',
      },
    });
    const event = goldenGroups(spans)[0]!.events[0]!;
    assert.deepEqual((event.inputs.chat_history as unknown[])[2], {
      role: 'user',
      content: 'And tomorrow?',
      tool_call_id: 'toolu_9',
    });
    assert.equal(
      Object.keys(event.metadata).some((key) => key.startsWith('llm.input_messages')),
      false,
      'every message attribute placed',
    );
  });

  it('reads a conversation the same whether its message keys come in order or not', () => {
    const conversation: Record<string, string> = {
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Answer about orders.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.name': 'ana',
      'llm.input_messages.1.message.content': 'Where are A-17 and A-18?',
      'llm.input_messages.2.message.role': 'assistant',
      'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call_1',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'track_order',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': json({ order_id: 'A-17' }),
      'llm.input_messages.2.message.tool_calls.1.tool_call.function.name': 'track_order',
      'llm.input_messages.2.message.tool_calls.1.tool_call.id': 'call_2',
      'llm.input_messages.3.message.role': 'tool',
      'llm.input_messages.3.message.tool_call_id': 'call_1',
      'llm.input_messages.3.message.content': 'in transit',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'A-17 is in transit.',
    };
    const mapped = sameInEitherKeyOrder('openai.chat', { 'openinference.span.kind': 'LLM' }, conversation);
    assert.deepEqual((mapped.inputs.chat_history as unknown[])[2], {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'track_order', arguments: json({ order_id: 'A-17' }) } },
        { id: 'call_2', type: 'function', function: { name: 'track_order' } },
      ],
    });
    assert.equal(
      Object.keys(mapped.metadata).some((key) => key.startsWith('llm.')),
      false,
      'every message attribute placed',
    );
  });

  it('carries content once: the raw request and response leave once mapped, what no rule placed stays under their names', () => {
    const request = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      response_format: { type: 'json_object' },
    };
    const response = {
      id: 'chatcmpl-9',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: '{"hello":true}' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
    };
    const structured = {
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.invocation_parameters': json({ model: 'gpt-4o-mini', temperature: 0.5 }),
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': '{"hello":true}',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 4,
      'llm.token_count.total': 9,
      'input.value': json(request),
      'input.mime_type': 'application/json',
      'output.value': json(response),
      'output.mime_type': 'application/json',
    };
    const spans = buildSpans(
      {
        name: 'complete',
        attributes: {
          ...structured,
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
        },
      },
      {
        // The structured messages miss the tool result the body carries: the body's conversation stays.
        name: 'incomplete',
        attributes: {
          ...structured,
          'input.value': json({
            ...request,
            messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'It rains.' }] }],
          }),
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.tool_call_id': 't1',
        },
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('openinference/content-once', groups);
    const complete = eventOfSpan(groups, spans, 'complete');
    assert.deepEqual(complete.metadata['input.value'], { response_format: { type: 'json_object' } });
    assert.deepEqual(complete.metadata['output.value'], { object: 'chat.completion' });
    assert.equal(complete.metadata.response_id, 'chatcmpl-9');
    assert.equal(complete.metadata['input.mime_type'], undefined);
    const incomplete = eventOfSpan(groups, spans, 'incomplete');
    assert.deepEqual(Object.keys(incomplete.metadata['input.value'] as object), ['messages', 'response_format']);
  });

  it("a response body's counts the token attributes lack are counted, one they contradict stays; its choice keeps what the outputs lack", () => {
    const logprobs = { content: [{ token: 'Hi', logprob: -0.1 }] };
    const spans = buildSpans({
      name: 'complete',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Hi',
        'llm.token_count.prompt': 5,
        'llm.token_count.completion': 1,
        'output.value': json({
          choices: [
            { index: 0, message: { role: 'assistant', content: 'Hi', refusal: null }, logprobs, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 6, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 3 } },
        }),
        'output.mime_type': 'application/json',
      },
    });
    const event = eventOfSpan(goldenGroups(spans), spans, 'complete');
    assert.deepEqual(
      [event.metadata.prompt_tokens, event.metadata.completion_tokens, event.metadata.cache_read_input_tokens],
      [5, 1, 3],
    );
    assert.equal(event.outputs?.finish_reason, 'stop');
    assert.deepEqual(event.metadata['output.value'], { choices: [{ logprobs }], usage: { prompt_tokens: 6 } });
  });
});
