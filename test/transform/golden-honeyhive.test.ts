/**
 * HoneyHive's own attributes as its SDKs set them: the underscore spelling,
 * the dotted spelling of HoneyHive's field registry beside it, the registry's
 * JSON fields parsed, and the ids a span names for itself and its parent.
 */
import assert from 'node:assert/strict';
import { toHoneyHiveEvents, TransformMemory } from '../../src/transform';
import { eventIdForSpan } from '../../src/transform/ids';
import { buildSpans, eventOfSpan, expectGolden, goldenGroups, json } from './golden-helpers';

const RUN_ID = '0f8b3c1e-2a4d-4e6f-8a9b-1c2d3e4f5a6b';
const TOOL_ID = '7d6c5b4a-3e2f-4a1b-9c8d-7e6f5a4b3c2d';

describe("golden events: HoneyHive's own attributes", () => {
  it("the registry's dotted namespace beside the underscore spelling, its JSON fields parsed, named event ids", () => {
    const spans = buildSpans({
      name: 'answer-question',
      attributes: {
        honeyhive_event_id: RUN_ID.toUpperCase(),
        'honeyhive.event_type': 'chain',
        'honeyhive.event_name': 'Answer a question',
        'honeyhive.session_name': 'support chat',
        'honeyhive.inputs.question': 'Where is my parcel?',
        'honeyhive.metadata.run_id': 'run-12',
        'honeyhive.metadata.dataset_id': 'ds-3',
        'honeyhive_metadata.tier': 'gold',
        'honeyhive.metadata.tier': 'silver',
      },
      children: [
        {
          name: 'llm',
          attributes: {
            'honeyhive.event_type': 'model',
            'honeyhive.inputs.chat_history': json([
              { role: 'system', content: 'Hello {{user_name}}.' },
              { role: 'user', content: 'Where is my parcel?' },
            ]),
            'honeyhive.config.model': 'gpt-4o',
            'honeyhive.config.provider': 'openai',
            'honeyhive.config.template': json([{ role: 'system', content: 'Hello {{user_name}}.' }]),
            'honeyhive.inputs.user_name': 'Ana',
            'honeyhive.outputs.role': 'assistant',
            'honeyhive.outputs.content': 'It arrives today.',
            'honeyhive.outputs.tool_calls.0.id': 'call_1',
            'honeyhive.outputs.tool_calls.0.function.name': 'track',
            'honeyhive.metrics.score': 0.9,
            'honeyhive.user_properties.plan': 'pro',
            'honeyhive.user_id': 'ana-1',
          },
        },
        {
          name: 'tool',
          attributes: { honeyhive_event_id: TOOL_ID, 'honeyhive.parent_id': RUN_ID, 'honeyhive.error': 'timed out' },
        },
      ],
    });
    const groups = goldenGroups(spans);
    expectGolden('honeyhive/dotted-registry-and-ids', groups);

    const run = eventOfSpan(groups, spans, 'answer-question');
    assert.equal(run.event_id, RUN_ID, 'a UUID honeyhive_event_id is the event id, lowercased');
    assert.equal(run.event_name, 'Answer a question');
    assert.equal(run.event_type, 'chain');
    assert.deepEqual(run.inputs, { question: 'Where is my parcel?' });
    assert.equal(run.metadata.tier, 'gold', 'the underscore spelling wins');
    assert.equal(run.metadata['honeyhive.metadata.tier'], 'silver', 'the other kept under its name');
    assert.equal(run.metadata.run_id, 'run-12');
    assert.equal(groups[0]!.session.event_name, 'support chat');

    const llm = eventOfSpan(groups, spans, 'llm');
    assert.equal(llm.parent_id, RUN_ID, "a child points at its parent's named id");
    assert.equal(llm.event_type, 'model');
    assert.ok(Array.isArray(llm.inputs.chat_history), 'JSON text parsed');
    assert.deepEqual(llm.config?.template, [{ role: 'system', content: 'Hello {{user_name}}.' }]);
    assert.deepEqual(llm.outputs?.tool_calls, [{ id: 'call_1', function: { name: 'track' } }]);
    assert.deepEqual(llm.user_properties, { plan: 'pro', user_id: 'ana-1' });

    const tool = eventOfSpan(groups, spans, 'tool');
    assert.equal(tool.event_id, TOOL_ID);
    assert.equal(tool.parent_id, RUN_ID);
    assert.equal(tool.error, 'timed out');
    assert.ok(run.children_ids?.includes(TOOL_ID) && run.children_ids.includes(llm.event_id));
  });

  it('a named event id that is not a UUID is kept in metadata; children in a later batch still find a named parent', () => {
    const spans = buildSpans({
      name: 'parent',
      attributes: { honeyhive_event_id: RUN_ID },
      children: [{ name: 'child', attributes: { honeyhive_event_id: 'not-a-uuid' } }],
    });
    const [child, parent] = spans;
    const memory = new TransformMemory();
    const first = toHoneyHiveEvents([parent!], { memory }).flatMap((group) => group.events);
    const second = toHoneyHiveEvents([child!], { memory }).flatMap((group) => group.events);
    assert.equal(first[0]!.event_id, RUN_ID);
    assert.equal(second[0]!.parent_id, RUN_ID);
    assert.equal(second[0]!.event_id, eventIdForSpan(child!.spanContext().traceId, child!.spanContext().spanId));
    assert.equal(second[0]!.metadata.honeyhive_event_id, 'not-a-uuid');
  });
});
