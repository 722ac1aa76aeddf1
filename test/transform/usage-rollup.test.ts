/**
 * Token counts are summed by HoneyHive over a session, so only the span that
 * made a call may carry them: a span above one that reported usage keeps its
 * own numbers under metadata.aggregated_usage, whatever the export order.
 */
import assert from 'node:assert/strict';
import { toHoneyHiveEvents, TransformMemory } from '../../src/transform';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { buildSpans, sessionTokenTotals } from './golden-helpers';

/** An OpenInference LLM span (LangChain's, say) over the OpenAI client's own LLM span: both report the same call. */
function nestedModelCalls(): ReadableSpan[] {
  const usage = { 'llm.token_count.prompt': 10, 'llm.token_count.completion': 5 };
  return buildSpans({
    name: 'outer',
    attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o', ...usage },
    children: [
      { name: 'inner', attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o', ...usage } },
    ],
  });
}

function eventNamed(groups: ReturnType<typeof toHoneyHiveEvents>, name: string) {
  return groups.flatMap((group) => group.events).find((event) => event.event_name === name)!;
}

describe('usage roll-up: each call counted once', () => {
  it('moves the usage of a span above another that reported usage, in one batch in either order', () => {
    for (const spans of [nestedModelCalls(), nestedModelCalls().reverse()]) {
      const groups = toHoneyHiveEvents(spans);
      assert.deepEqual(sessionTokenTotals(groups), { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
      const outer = eventNamed(groups, 'outer');
      assert.equal(outer.event_type, 'model', 'still a model event');
      assert.deepEqual(outer.metadata.aggregated_usage, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 });
    }
  });

  it('remembers across batches that a span below reported usage, up through a grandparent', () => {
    const memory = new TransformMemory();
    const spans = buildSpans({
      name: 'outer',
      attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.input_tokens': 4 },
      children: [
        {
          name: 'middle',
          children: [
            { name: 'inner', attributes: { 'gen_ai.operation.name': 'embeddings', 'gen_ai.usage.input_tokens': 4 } },
          ],
        },
      ],
    });
    const [inner, middle, outer] = spans;
    const first = toHoneyHiveEvents([inner!], { memory });
    toHoneyHiveEvents([middle!], { memory });
    const last = toHoneyHiveEvents([outer!], { memory });
    assert.equal(eventNamed(first, 'inner').metadata.prompt_tokens, 4);
    assert.equal(eventNamed(last, 'outer').metadata.prompt_tokens, undefined);
    assert.deepEqual(eventNamed(last, 'outer').metadata.aggregated_usage, { prompt_tokens: 4, total_tokens: 4 });
  });

  it('counts a lone span, and a parent whose children reported nothing', () => {
    const spans = buildSpans({
      name: 'call',
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 3, 'gen_ai.usage.output_tokens': 1 },
      children: [{ name: 'http' }],
    });
    assert.deepEqual(sessionTokenTotals(toHoneyHiveEvents(spans)), {
      prompt_tokens: 3,
      completion_tokens: 1,
      total_tokens: 4,
    });
  });
});
