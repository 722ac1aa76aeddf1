/**
 * LangSmith's OpenTelemetry export, hand-built as its translator writes it
 * (`js/src/experimental/otel/translator.ts` of langsmith-sdk): run kind and
 * name, metadata, tags, run inputs and outputs as JSON in `gen_ai.prompt` /
 * `gen_ai.completion`, usage with token detail objects.
 */
import assert from 'node:assert/strict';
import { buildSpans, eventOfSpan, expectGolden, goldenGroups, json } from './golden-helpers';

const RUN = {
  'langsmith.trace.session_id': 'thread-11',
  'langsmith.trace.session_name': 'support-bot',
  'langsmith.metadata.user_id': 'agent-user',
  'langsmith.metadata.ls_provider': 'openai',
};

const langChainMessage = (kind: string, kwargs: Record<string, unknown>) => ({
  lc: 1,
  type: 'constructor',
  id: ['langchain_core', 'messages', kind],
  kwargs,
});

describe('golden events: LangSmith', () => {
  it('a chain with a prompt, an llm run with LangChain messages, and a tool run', () => {
    const spans = buildSpans({
      name: 'AgentExecutor',
      attributes: {
        ...RUN,
        'langsmith.span.kind': 'chain',
        'gen_ai.operation.name': 'chain',
        'langsmith.trace.name': 'AgentExecutor',
        'langsmith.span.tags': 'prod, v2',
        'langsmith.metadata.revision': json({ id: 'r7' }),
        'gen_ai.prompt': json({ input: 'Refund order 5?' }),
        'gen_ai.completion': json({ output: 'Refund issued.' }),
      },
      children: [
        {
          name: 'ChatPromptTemplate',
          attributes: {
            ...RUN,
            'langsmith.span.kind': 'prompt',
            'gen_ai.operation.name': 'chat',
            'langsmith.trace.name': 'ChatPromptTemplate',
            'gen_ai.prompt': json({ input: 'Refund order 5?' }),
            'gen_ai.completion': json({ output: 'System: be kind\nHuman: Refund order 5?' }),
          },
        },
        {
          name: 'ChatOpenAI',
          attributes: {
            ...RUN,
            'langsmith.span.kind': 'llm',
            'gen_ai.operation.name': 'chat',
            'langsmith.trace.name': 'ChatOpenAI',
            'gen_ai.system': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.request.temperature': 0,
            'gen_ai.prompt': json({
              messages: [
                [
                  langChainMessage('SystemMessage', { content: 'be kind' }),
                  langChainMessage('HumanMessage', { content: 'Refund order 5?' }),
                ],
              ],
            }),
            'gen_ai.completion': json({
              generations: [
                [
                  {
                    text: '',
                    generation_info: { finish_reason: 'tool_calls' },
                    message: langChainMessage('AIMessageChunk', {
                      content: '',
                      tool_calls: [{ id: 'call_r', name: 'refund', args: { order: 5 } }],
                    }),
                  },
                ],
              ],
            }),
            'gen_ai.response.id': 'chatcmpl-77',
            'gen_ai.response.finish_reasons': 'tool_calls',
            'gen_ai.usage.input_tokens': 44,
            'gen_ai.usage.output_tokens': 12,
            'gen_ai.usage.total_tokens': 56,
            'gen_ai.usage.input_token_details': json({ cache_read: 32, audio: 0 }),
            'gen_ai.usage.output_token_details': json({ reasoning: 0 }),
            'langsmith.usage_metadata': json({ input_tokens: 44, output_tokens: 12, total_tokens: 56 }),
          },
        },
        {
          name: 'refund',
          attributes: {
            ...RUN,
            'langsmith.span.kind': 'tool',
            'gen_ai.operation.name': 'execute_tool',
            'langsmith.trace.name': 'refund',
            'gen_ai.tool.name': 'refund',
            'gen_ai.prompt': json({ input: '{"order": 5}' }),
            'gen_ai.completion': json({ output: 'Refund issued.' }),
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('langsmith/chain-prompt-llm-tool', groups);
    assert.equal(groups[0]!.session.event_name, 'support-bot');
    assert.equal(
      eventOfSpan(groups, spans, 'ChatPromptTemplate').event_type,
      'chain',
      'a prompt run formats a prompt: LangSmith stamps it chat, but no model runs',
    );
    const llm = eventOfSpan(groups, spans, 'ChatOpenAI');
    assert.equal(llm.event_type, 'model');
    assert.equal(llm.metadata.cache_read_input_tokens, 32);
  });
});
