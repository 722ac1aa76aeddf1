/**
 * Spans that speak several families at once, HoneyHive's own attributes over
 * the others, and hostile input: JSON that does not parse, and flattened keys
 * naming `__proto__`, `constructor` or `prototype`.
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { buildSpans, eventOfSpan, expectGolden, goldenGroups, json, sessionTokenTotals } from './golden-helpers';
import type { HoneyHiveEvent } from '../../src/honeyhive-types';

describe('golden events: mixed families and hostile input', () => {
  it("OpenInference's processor over Vercel AI SDK spans: one consistent event per span, usage counted once", () => {
    // What @arizeai/openinference-vercel adds to the AI SDK's spans: its kind, messages and token counts.
    const spans = buildSpans({
      name: 'ai.generateText',
      attributes: {
        'ai.operationId': 'ai.generateText',
        'ai.model.id': 'gpt-4o',
        'ai.model.provider': 'openai.chat',
        'ai.prompt': json({ prompt: 'Hi' }),
        'ai.response.text': 'Hello!',
        'ai.usage.inputTokens': 8,
        'ai.usage.outputTokens': 2,
        'openinference.span.kind': 'CHAIN',
        'input.value': 'Hi',
        'output.value': 'Hello!',
        'llm.token_count.prompt': 8,
        'llm.token_count.completion': 2,
        'session.id': 'mixed-1',
      },
      children: [
        {
          name: 'ai.generateText.doGenerate',
          attributes: {
            'ai.operationId': 'ai.generateText.doGenerate',
            'ai.model.id': 'gpt-4o',
            'ai.model.provider': 'openai.chat',
            'ai.prompt.messages': json([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]),
            'ai.response.text': 'Hello!',
            'ai.response.finishReason': 'stop',
            'ai.response.model': 'gpt-4o-2024-08-06',
            'ai.usage.inputTokens': 8,
            'ai.usage.outputTokens': 2,
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 8,
            'gen_ai.usage.output_tokens': 2,
            'openinference.span.kind': 'LLM',
            'llm.model_name': 'gpt-4o-2024-08-06',
            'llm.provider': 'openai',
            'llm.input_messages.0.message.role': 'user',
            'llm.input_messages.0.message.content': 'Hi',
            'llm.output_messages.0.message.role': 'assistant',
            'llm.output_messages.0.message.content': 'Hello!',
            'llm.token_count.prompt': 8,
            'llm.token_count.completion': 2,
            'llm.token_count.total': 10,
          },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('mixed/openinference-over-vercel-ai', groups);
    assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 });
    const call = eventOfSpan(groups, spans, 'ai.generateText.doGenerate');
    assert.equal(call.config?.provider, 'openai.chat', 'the higher-precedence family owns the field');
    assert.equal(
      call.metadata['llm.provider'],
      'openai',
      'the other family’s differing value is kept under its own name',
    );
    assert.equal(
      call.metadata['llm.input_messages.0.message.content'],
      undefined,
      'the same conversation is not repeated',
    );
  });

  it("HoneyHive's own attributes win over every convention", () => {
    const spans = buildSpans({
      name: 'chat',
      attributes: {
        honeyhive_event_type: 'tool',
        honeyhive_event_name: 'classify',
        'honeyhive_outputs.label': 'positive',
        'honeyhive_config.model': 'my-finetune',
        'honeyhive_metadata.prompt_tokens': 1,
        'honeyhive_feedback.correct': true,
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 30,
        'gen_ai.output.messages': json([{ role: 'assistant', parts: [{ type: 'text', content: 'positive' }] }]),
      },
    });
    expectGolden('mixed/honeyhive-over-genai', goldenGroups(spans));
  });

  it('JSON that does not parse stays a string, and nothing else is lost', () => {
    const spans = buildSpans(
      {
        name: 'chat',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"cut off',
          'gen_ai.output.messages': json([
            { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: '{"x":' }] },
          ]),
          'gen_ai.tool.definitions': '[not json',
        },
      },
      {
        name: 'ai.toolCall',
        attributes: {
          'ai.operationId': 'ai.toolCall',
          'ai.toolCall.name': 'f',
          'ai.toolCall.args': '{"x":',
          'ai.toolCall.result': 'plain text, not JSON',
        },
      },
      {
        name: 'tool',
        attributes: {
          'openinference.span.kind': 'TOOL',
          'input.value': '{"broken"',
          'input.mime_type': 'application/json',
          metadata: '{not an object',
        },
      },
    );
    const groups = goldenGroups(spans);
    expectGolden('mixed/malformed-json', groups);
    const chat = eventOfSpan(groups, spans, 'chat');
    assert.equal(chat.inputs.chat_history, undefined);
    assert.equal(chat.metadata['gen_ai.input.messages'], '[{"role":"user","parts":[{"type":"text","content":"cut off');
    assert.deepEqual((chat.outputs?.tool_calls as unknown[])[0], {
      id: 'c1',
      type: 'function',
      function: { name: 'f', arguments: '{"x":' },
    });
    assert.equal(chat.config?.tools, '[not json');
    assert.deepEqual(eventOfSpan(groups, spans, 'ai.toolCall').inputs, { value: '{"x":' });
  });

  it('flattened keys naming __proto__, constructor or prototype never build objects, and are kept flat', () => {
    const spans = buildSpans({
      name: 'hostile',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'hi',
        'llm.input_messages.0.message.__proto__.polluted': 'yes',
        'llm.input_messages.__proto__.role': 'system',
        'metadata.__proto__.polluted': 'yes',
        'metadata.constructor.prototype.polluted': 'yes',
        'metadata.safe': 'kept',
        'annotations.0.annotation.name': '__proto__',
        'annotations.0.annotation.score': 1,
        'traceloop.association.properties.__proto__': 'yes',
        'ai.telemetry.metadata.constructor': 'yes',
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.prototype.content': 'yes',
      },
    });
    const groups = goldenGroups(spans);
    expectGolden('mixed/prototype-keys', groups);
    const event = groups[0]!.events[0]!;
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
    assert.equal(Object.getPrototypeOf(event.metadata), Object.prototype);
    assert.equal(Object.getPrototypeOf(event.feedback), Object.prototype);
    assert.deepEqual(event.inputs.chat_history, [{ role: 'user', content: 'hi' }]);
    assert.equal(
      event.metadata['llm.input_messages.0.message.__proto__.polluted'],
      'yes',
      'an unsafe key stays under its flat name',
    );
    assert.equal(event.metadata.safe, 'kept');
    assert.ok(Object.prototype.hasOwnProperty.call(event.feedback, '__proto__'), 'a name read from data is an own key');
    // Survives the JSON round trip the exporter does.
    assert.equal(JSON.parse(JSON.stringify(event)).metadata['constructor.prototype.polluted'], 'yes');
  });

  it('names read from JSON that Object.prototype has (a role, a body field) are kept as given', () => {
    const spans = buildSpans(
      {
        name: 'chat',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.input.messages': json([
            { role: 'toString', parts: [{ type: 'text', content: 'hi' }] },
            { role: 'constructor', content: 'there' },
            { lc: 1, type: 'constructor', id: ['langchain', 'schema', 'constructor'], kwargs: { content: 'lc' } },
          ]),
        },
      },
      {
        name: 'call_llm',
        attributes: {
          'gcp.vertex.agent.llm_request':
            '{"model":"gemini","contents":[{"role":"user","parts":[{"text":"hi"}]}],"__proto__":{"x":1},"config":{"__proto__":{"y":2}}}',
          'gcp.vertex.agent.llm_response': '{"content":{"role":"model","parts":[{"text":"yo"}]},"__proto__":{"z":3}}',
        },
      },
      {
        name: 'generate',
        attributes: {
          'genkit:type': 'action',
          'genkit:metadata:subtype': 'model',
          'genkit:input': '{"messages":[{"role":"user","content":[{"text":"hi"}]}],"__proto__":{"x":1}}',
        },
      },
    );
    const groups = goldenGroups(spans);
    const chat = eventOfSpan(groups, spans, 'chat');
    assert.deepEqual(chat.inputs.chat_history, [
      { role: 'toString', content: 'hi' },
      { role: 'constructor', content: 'there' },
      { role: 'user', content: 'lc' },
    ]);
    const adk = JSON.parse(JSON.stringify(eventOfSpan(groups, spans, 'call_llm'))) as HoneyHiveEvent;
    assert.deepEqual(adk.metadata['gcp.vertex.agent.llm_request'], JSON.parse('{"__proto__":{"x":1}}'));
    assert.deepEqual(adk.metadata['gcp.vertex.agent.llm_response'], JSON.parse('{"__proto__":{"z":3}}'));
    assert.deepEqual(adk.config?.hyperparameters, JSON.parse('{"__proto__":{"y":2}}'));
    const genkit = JSON.parse(JSON.stringify(eventOfSpan(groups, spans, 'generate'))) as HoneyHiveEvent;
    assert.deepEqual(genkit.metadata['genkit:input'], JSON.parse('{"__proto__":{"x":1}}'));
  });

  it('flattened conversations map the same whether their keys come in order (read straight) or reversed (re-nested)', () => {
    const text = fc.constantFrom('hi', '', 'null', '[{"type":"text","text":"part"}]', 'two\nlines');
    const call = fc.record(
      { id: fc.constantFrom('call_1', 'call_2'), name: fc.constantFrom('lookup', 'toString'), arguments: text },
      { requiredKeys: [] },
    );
    const message = fc.record(
      {
        role: fc.constantFrom('system', 'user', 'assistant', 'tool', 'model', 'constructor'),
        content: text,
        name: fc.constantFrom('ana', 'bo'),
        tool_call_id: fc.constantFrom('call_1', 'call_3'),
        tool_calls: fc.array(call, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    /** Each family's keys for the conversation, in order: OpenInference's and Traceloop's. */
    const flattened = (messages: ReadonlyArray<Record<string, unknown>>): Array<Array<[string, string]>> => {
      const openInference: Array<[string, string]> = [['openinference.span.kind', 'LLM']];
      const traceloop: Array<[string, string]> = [['llm.request.type', 'chat']];
      messages.forEach((fields, i) => {
        const isOutput = i === messages.length - 1;
        const at = isOutput ? 'llm.output_messages.0.message' : `llm.input_messages.${i}.message`;
        const tlAt = isOutput ? 'gen_ai.completion.0' : `gen_ai.prompt.${i}`;
        for (const [field, value] of Object.entries(fields)) {
          if (field !== 'tool_calls') {
            openInference.push([`${at}.${field}`, value as string]);
            traceloop.push([`${tlAt}.${field}`, value as string]);
            continue;
          }
          (value as Array<Record<string, string>>).forEach((toolCall, j) => {
            for (const [callField, callValue] of Object.entries(toolCall)) {
              const oiField = callField === 'id' ? 'id' : `function.${callField}`;
              openInference.push([`${at}.tool_calls.${j}.tool_call.${oiField}`, callValue]);
              traceloop.push([`${tlAt}.tool_calls.${j}.${callField}`, callValue]);
            }
          });
        }
      });
      return [openInference, traceloop];
    };
    const mapped = (entries: Array<[string, string]>): unknown => {
      const event = goldenGroups(buildSpans({ name: 'chat', attributes: Object.fromEntries(entries) }))[0]!.events[0]!;
      return { inputs: event.inputs, outputs: event.outputs, metadata: event.metadata };
    };
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), (messages) => {
        for (const entries of flattened(messages)) assert.deepEqual(mapped([...entries].reverse()), mapped(entries));
      }),
      { numRuns: 150 },
    );
  });
});
