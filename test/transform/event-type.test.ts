import assert from 'node:assert/strict';
import type { ConventionFamily } from '../../src/transform/conventions/family';
import { inferEventType, isSpanEventType, lookupEventType } from '../../src/transform/event-type';
import { SpanAttributes } from '../../src/transform/span-attributes';
import { viewSpan, type SpanView } from '../../src/transform/span-view';
import { spanRecorder } from '../helpers/sdk-spans';

function sdkSpan(name: string): SpanView {
  const recorder = spanRecorder();
  recorder.tracer.startSpan(name).end();
  return viewSpan(recorder.take()[0]!);
}

function family(name: string, eventType?: ConventionFamily['eventType']): ConventionFamily {
  return { name, keyStarts: [], eventType, map() {} };
}

describe('event type', () => {
  it('isSpanEventType accepts model, tool and chain only', () => {
    for (const value of ['model', 'tool', 'chain']) assert.equal(isSpanEventType(value), true, value);
    for (const value of ['session', 'Model', '', undefined, null, 1, {}]) assert.equal(isSpanEventType(value), false);
  });

  it("lookupEventType reads a table's own keys only, and only for strings", () => {
    const table = { llm: 'model', agent: 'chain' } as const;
    assert.equal(lookupEventType(table, 'llm'), 'model');
    assert.equal(lookupEventType(table, 'agent'), 'chain');
    assert.equal(lookupEventType(table, 'retriever'), undefined);
    assert.equal(lookupEventType(table, 'toString'), undefined, 'an inherited key is not a table entry');
    assert.equal(lookupEventType(table, '__proto__'), undefined);
    assert.equal(lookupEventType(table, ['llm']), undefined);
  });

  describe('inferEventType', () => {
    const span = sdkSpan('step');

    it('takes the first family (in order) whose markers decide, asking it with the attributes and the span', () => {
      const asked: string[] = [];
      const families = [
        family('silent', () => {
          asked.push('silent');
          return undefined;
        }),
        family('none'),
        family('first', (attributes, seen) => {
          asked.push('first');
          assert.equal(seen, span);
          return attributes.has('kind') ? 'tool' : undefined;
        }),
        family('second', () => {
          asked.push('second');
          return 'chain';
        }),
      ];
      const attributes = new SpanAttributes({ kind: 'x', 'llm.model': 'gpt' });
      assert.equal(inferEventType(families, ['llm.model'], attributes, span, true), 'tool');
      assert.deepEqual(asked, ['silent', 'first'], 'a later family is not asked once one decided');
    });

    it("falls back to any model evidence, which is weaker than every family's markers", () => {
      const attributes = new SpanAttributes({ 'gen_ai.usage.input_tokens': 3 });
      const evidence = ['llm.model', 'gen_ai.usage.input_tokens'];
      assert.equal(inferEventType([family('silent', () => undefined)], evidence, attributes, span, true), 'model');
      assert.equal(inferEventType([family('decides', () => 'chain')], evidence, attributes, span, false), 'chain');
    });

    it('without markers or evidence, makes a span with children a chain and a leaf a tool', () => {
      const attributes = new SpanAttributes({ 'http.method': 'GET' });
      assert.equal(inferEventType([], ['llm.model'], attributes, span, true), 'chain');
      assert.equal(inferEventType([], ['llm.model'], attributes, span, false), 'tool');
    });
  });
});
