import assert from 'node:assert/strict';
import { chatHistory, chatMessages, outputsFromMessages } from '../../src/transform/conventions/messages';
import type { JsonObject, JsonValue } from '../../src/honeyhive-types';

describe('chat messages of every family', () => {
  it('reads OpenAI-style messages: tool calls with their arguments text as given, tool results with their call id, the legacy function_call', () => {
    assert.deepEqual(
      chatHistory([
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'done' },
        { role: 'assistant', content: 'x', function_call: { name: 'g', arguments: '{' } },
      ]),
      [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        { role: 'tool', content: 'done', tool_call_id: 'c1' },
        {
          role: 'assistant',
          content: 'x',
          tool_calls: [{ type: 'function', function: { name: 'g', arguments: '{' } }],
        },
      ],
    );
  });

  it('splits a message carrying several tool results into one tool message each, in order', () => {
    assert.deepEqual(
      chatMessages({
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'a', toolName: 'f', output: { type: 'json', value: { ok: true } } },
          { type: 'tool-result', toolCallId: 'b', toolName: 'g', output: { type: 'text', value: 'plain' } },
        ],
      }),
      [
        { role: 'tool', content: '{"ok":true}', tool_call_id: 'a', name: 'f' },
        { role: 'tool', content: 'plain', tool_call_id: 'b', name: 'g' },
      ],
    );
  });

  it('reads Anthropic-style parts and LangChain messages, keeping parts it cannot fold', () => {
    assert.deepEqual(
      chatMessages({
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: '42' },
          { type: 'text', text: 'and also' },
          { type: 'image', source: { type: 'base64', data: 'AAAA' } },
        ],
      }),
      [
        { role: 'tool', content: '42', tool_call_id: 't1' },
        { role: 'user', content: 'and also', parts: [{ type: 'image', source: { type: 'base64', data: 'AAAA' } }] },
      ],
    );
    assert.deepEqual(
      chatMessages({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'hmm' },
          { type: 'tool_use', id: 't2', name: 'f', input: { q: 1 } },
        ],
      }),
      [
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 't2', type: 'function', function: { name: 'f', arguments: '{"q":1}' } }],
          reasoning: 'hmm',
        },
      ],
    );
    assert.deepEqual(chatMessages({ type: 'human', data: { content: 'hi' } }), [{ role: 'user', content: 'hi' }]);
    assert.deepEqual(
      chatMessages({
        lc: 1,
        type: 'constructor',
        id: ['langchain_core', 'messages', 'ToolMessage'],
        kwargs: { content: 'r', tool_call_id: 'c9' },
      }),
      [{ role: 'tool', content: 'r', tool_call_id: 'c9' }],
    );
    assert.deepEqual(chatMessages('plain text'), [{ role: 'user', content: 'plain text' }]);
    assert.deepEqual(chatMessages(42), []);
    assert.equal(chatHistory('not a list'), undefined);
  });

  it('puts the first output at the top of outputs, and every one under choices when there are several', () => {
    const one = { role: 'assistant', content: 'a', finish_reason: 'stop' };
    const two = { role: 'assistant', content: 'b', finish_reason: 'length' };
    assert.deepEqual(outputsFromMessages([one]), one);
    assert.deepEqual(outputsFromMessages([one, two]), { ...one, choices: [one, two] });
    assert.equal(outputsFromMessages([]), undefined);
  });

  it("reads a tool call part in any family's field spelling, whichever part type names it", () => {
    const expected = [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }];
    const parts: JsonObject[] = [
      { type: 'tool_call', id: 'c1', name: 'lookup', arguments: { q: 'x' } },
      { type: 'tool_call', toolCallId: 'c1', toolName: 'lookup', input: { q: 'x' } },
      { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', input: { q: 'x' } },
      { type: 'tool_use', id: 'c1', name: 'lookup', input: { q: 'x' } },
      { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{"q":"x"}' },
    ];
    for (const part of parts) {
      assert.deepEqual(
        chatMessages({ role: 'assistant', content: [part] })[0]!.tool_calls,
        expected,
        String(part.type),
      );
    }
  });

  it('writes arguments as JSON text: a string as given (JSON or not), any other value as its JSON text, no arguments when none are given', () => {
    const callOf = (args?: JsonValue): JsonObject[] => {
      const part: JsonObject = { type: 'tool_call', id: 'c', name: 'f' };
      if (args !== undefined) part.arguments = args;
      return chatMessages({ role: 'assistant', content: [part] })[0]!.tool_calls as JsonObject[];
    };
    assert.deepEqual(callOf('{ "spaced" : true }')[0]!.function, { name: 'f', arguments: '{ "spaced" : true }' });
    assert.deepEqual(callOf('Paris, please')[0]!.function, { name: 'f', arguments: 'Paris, please' });
    assert.deepEqual(callOf([1, 'two'])[0]!.function, { name: 'f', arguments: '[1,"two"]' });
    assert.deepEqual(callOf(7)[0]!.function, { name: 'f', arguments: '7' });
    assert.deepEqual(callOf()[0]!.function, { name: 'f' });
  });
});
