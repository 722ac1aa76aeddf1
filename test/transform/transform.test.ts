import assert from 'node:assert/strict';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider as BasicTracerProviderV1,
  InMemorySpanExporter as InMemorySpanExporterV1,
  SimpleSpanProcessor as SimpleSpanProcessorV1,
} from 'sdk-trace-base-v1';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  toHoneyHiveEvents,
  transformInSteps,
  transformSpans,
  TransformMemory,
  type ExportableSpan,
  type SessionGroup,
} from '../../src/transform';
import { eventIdForSpan, sessionIdForName, sessionIdForTrace } from '../../src/transform/ids';
import type { HoneyHiveEvent } from '../../src/honeyhive-types';
import { at, spanRecorder, startChild } from '../helpers/sdk-spans';

function onlyGroup(groups: SessionGroup[]): SessionGroup {
  assert.equal(groups.length, 1, `expected one session, got ${groups.length}`);
  return groups[0]!;
}

function eventNamed(groups: SessionGroup[], name: string): HoneyHiveEvent {
  const event = groups.flatMap((group) => group.events).find((candidate) => candidate.event_name === name);
  assert.ok(event, `no event named ${name}`);
  return event;
}

function idOf(span: ReadableSpan): string {
  return eventIdForSpan(span.spanContext().traceId, span.spanContext().spanId);
}

describe('toHoneyHiveEvents', () => {
  it('maps one span to one complete event with the fields HoneyHive expects, leaving out the empty optional ones', () => {
    const { tracer, take } = spanRecorder();
    const span = tracer.startSpan('lonely', {
      startTime: at(1_700_000_000, 250_000_000),
      kind: SpanKind.CLIENT,
      attributes: { 'http.method': 'GET' },
    });
    span.end(at(1_700_000_001, 500_000_000));
    const [finished] = take();
    const group = onlyGroup(toHoneyHiveEvents([finished!], { project: 'proj' }));
    const traceId = finished!.spanContext().traceId;
    assert.equal(group.sessionId, sessionIdForTrace(traceId));
    assert.deepEqual(group.events[0], {
      project: 'proj',
      source: 'dev',
      event_name: 'lonely',
      event_type: 'tool',
      event_id: idOf(finished!),
      session_id: group.sessionId,
      parent_id: group.sessionId,
      inputs: {},
      start_time: 1_700_000_000_250,
      end_time: 1_700_000_001_500,
      duration: 1250,
      metadata: {
        trace_id: traceId,
        span_id: finished!.spanContext().spanId,
        span_kind: 'CLIENT',
        scope_name: 'test-scope',
        scope_version: '1.2.3',
        service_name: 'test-service',
        'http.method': 'GET',
      },
    });
  });

  it('writes span kind and status into metadata only when they are not the defaults (INTERNAL, UNSET)', () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('internal').end();
    const failed = tracer.startSpan('failed', { kind: SpanKind.SERVER });
    failed.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    failed.end();
    const events = toHoneyHiveEvents(take()).flatMap((group) => group.events);
    const metadataOf = (name: string) => events.find((event) => event.event_name === name)!.metadata;
    assert.equal('span_kind' in metadataOf('internal'), false);
    assert.equal('status_code' in metadataOf('internal'), false);
    assert.equal(metadataOf('failed').span_kind, 'SERVER');
    assert.equal(metadataOf('failed').status_code, 'ERROR');
  });

  it('computes times in fractional milliseconds without rounding before subtracting', () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('precise', { startTime: at(1_700_000_000, 123_456_789) }).end(at(1_700_000_000, 124_000_000));
    const event = onlyGroup(toHoneyHiveEvents(take())).events[0]!;
    assert.equal(event.start_time, 1_700_000_000_123.4568);
    assert.equal(typeof event.end_time, 'number');
    assert.ok(Math.abs(event.duration - 0.543211) < 1e-9, `duration ${event.duration}`);
  });

  it('builds the tree across batches: parents list children exported earlier, never unseen ones', () => {
    const { tracer, take } = spanRecorder();
    const memory = new TransformMemory();
    const root = startChild(tracer, 'root');
    const child = startChild(tracer, 'child', root);
    const grandchild = startChild(tracer, 'grandchild', child);
    const sibling = startChild(tracer, 'sibling', root);
    grandchild.end();
    const batch1 = take();
    child.end();
    sibling.end();
    const batch2 = take();
    root.end();
    const batch3 = take();

    const first = onlyGroup(toHoneyHiveEvents(batch1, { memory }));
    const second = onlyGroup(toHoneyHiveEvents(batch2, { memory }));
    const third = onlyGroup(toHoneyHiveEvents(batch3, { memory }));
    const [rootSpan, childSpan, grandchildSpan, siblingSpan] = [batch3[0]!, batch2[0]!, batch1[0]!, batch2[1]!];

    assert.equal(first.events[0]!.parent_id, idOf(childSpan));
    assert.equal('children_ids' in first.events[0]!, false, 'no children: no children_ids');
    assert.equal(first.events[0]!.event_type, 'tool');
    assert.deepEqual(eventNamed([second], 'child').children_ids, [idOf(grandchildSpan)]);
    assert.equal(eventNamed([second], 'child').event_type, 'chain');
    assert.deepEqual(third.events[0]!.children_ids, [idOf(childSpan), idOf(siblingSpan)]);
    assert.equal(third.events[0]!.parent_id, third.sessionId);
    assert.equal(third.events[0]!.event_id, idOf(rootSpan));
    assert.equal(new Set([first.sessionId, second.sessionId, third.sessionId]).size, 1);

    // Without memory, each call stands alone and lists only what it saw.
    assert.equal(onlyGroup(toHoneyHiveEvents(batch3)).events[0]!.children_ids, undefined);
  });

  it('forgets the oldest parents beyond its bound', () => {
    const { tracer, take } = spanRecorder();
    const memory = new TransformMemory({ maxParents: 2 });
    const parents = [0, 1, 2].map((i) => startChild(tracer, `parent${i}`));
    parents.forEach((parent, i) => startChild(tracer, `child${i}`, parent).end());
    toHoneyHiveEvents(take(), { memory });
    parents.forEach((parent) => parent.end());
    const events = toHoneyHiveEvents(take(), { memory }).flatMap((group) => group.events);
    assert.deepEqual(
      events.map((event) => event.children_ids?.length ?? 0),
      [0, 1, 1],
    );
  });

  it('spends the parents bound only on parents still to come, not on those exported with their children', () => {
    const { tracer, take } = spanRecorder();
    const memory = new TransformMemory({ maxParents: 1 });
    const waiting = startChild(tracer, 'waiting');
    startChild(tracer, 'early', waiting).end();
    const [early] = take();
    toHoneyHiveEvents([early!], { memory });
    // A whole trace in one batch: its parent needs no memory, so it takes no place from the one waiting.
    const root = startChild(tracer, 'root');
    startChild(tracer, 'leaf', root).end();
    root.end();
    toHoneyHiveEvents(take(), { memory });
    waiting.end();
    assert.deepEqual(onlyGroup(toHoneyHiveEvents(take(), { memory })).events[0]!.children_ids, [idOf(early!)]);
  });

  it("lists a parent's children from earlier batches first, then this batch's, each once, at most maxChildrenPerParent", () => {
    const { tracer, take } = spanRecorder();
    const memory = new TransformMemory({ maxChildrenPerParent: 3 });
    const root = startChild(tracer, 'root');
    const crowded = startChild(tracer, 'crowded');
    for (const name of ['early1', 'early2']) startChild(tracer, name, root).end();
    const earlier = take();
    toHoneyHiveEvents(earlier, { memory });
    for (const name of ['late1', 'late2']) startChild(tracer, name, root).end();
    for (const name of ['c1', 'c2', 'c3', 'c4']) startChild(tracer, name, crowded).end();
    root.end();
    crowded.end();
    const later = take();
    // The first child again, exported a second time with its parent.
    const groups = toHoneyHiveEvents([earlier[0]!, ...later], { memory });
    const ids = (names: string[]): string[] =>
      names.map((name) => idOf([...earlier, ...later].find((span) => span.name === name)!));
    assert.deepEqual(eventNamed(groups, 'root').children_ids, ids(['early1', 'early2', 'late1']));
    assert.deepEqual(eventNamed(groups, 'crowded').children_ids, ids(['c1', 'c2', 'c3']));
  });

  it('lists a child once, and on every copy of its parent, when a batch holds spans twice', () => {
    const { tracer, take } = spanRecorder();
    const root = startChild(tracer, 'root');
    startChild(tracer, 'child', root).end();
    root.end();
    const [child, rootSpan] = take();
    const events = toHoneyHiveEvents([child!, rootSpan!, child!, rootSpan!]).flatMap((group) => group.events);
    const roots = events.filter((event) => event.event_name === 'root');
    assert.equal(roots.length, 2);
    for (const event of roots) assert.deepEqual(event.children_ids, [idOf(child!)]);
  });

  it('lists children in batch order when one names its parent and another finds it by span id', () => {
    const { tracer, take } = spanRecorder();
    const root = startChild(tracer, 'root');
    const other = startChild(tracer, 'other');
    startChild(tracer, 'by-span', root).end();
    startChild(tracer, 'named', other, {
      attributes: { 'honeyhive.parent_id': idOf(root as unknown as ReadableSpan) },
    }).end();
    startChild(tracer, 'by-span-again', root).end();
    root.end();
    other.end();
    const groups = toHoneyHiveEvents(take());
    const idsOf = (...names: string[]): string[] => names.map((name) => eventNamed(groups, name).event_id);
    assert.deepEqual(eventNamed(groups, 'root').children_ids, idsOf('by-span', 'named', 'by-span-again'));
    assert.equal(eventNamed(groups, 'other').children_ids, undefined);
  });

  describe('sessions', () => {
    // The families' order (conventions/index.ts): HoneyHive, Vercel AI, OpenInference, LangSmith, Traceloop, GenAI.
    const precedence = [
      'honeyhive_session_id',
      'honeyhive.session_id',
      'ai.telemetry.metadata.sessionId',
      'session.id',
      'langsmith.trace.session_id',
      'traceloop.association.properties.session_id',
      'gen_ai.conversation.id',
    ];

    it('takes the first session attribute in order of precedence, and keeps the others in metadata', () => {
      precedence.forEach((winner, position) => {
        const { tracer, take } = spanRecorder();
        const attributes = Object.fromEntries(precedence.slice(position).map((key) => [key, `session-from-${key}`]));
        tracer.startSpan('s', { attributes }).end();
        const group = onlyGroup(toHoneyHiveEvents(take(), { sessionId: 'option-session' }));
        assert.equal(group.sessionId, sessionIdForName(`session-from-${winner}`), winner);
        const metadata = group.events[0]!.metadata;
        assert.equal(metadata.original_session_id, `session-from-${winner}`);
        assert.equal(metadata[winner], undefined, 'the winning attribute is consumed');
        for (const other of precedence.slice(position + 1)) assert.equal(metadata[other], `session-from-${other}`);
      });
    });

    it('uses a UUID session as given (lowercased), then the sessionId option, then one derived from the trace', () => {
      const { tracer, take } = spanRecorder();
      tracer.startSpan('a', { attributes: { 'session.id': '3F2504E0-4F89-41D3-9A0C-0305E82C3301' } }).end();
      const named = onlyGroup(toHoneyHiveEvents(take()));
      assert.equal(named.sessionId, '3f2504e0-4f89-41d3-9a0c-0305e82c3301');
      assert.equal(named.events[0]!.metadata.original_session_id, undefined);

      tracer.startSpan('b').end();
      const spans = take();
      assert.equal(onlyGroup(toHoneyHiveEvents(spans, { sessionId: 'my-run' })).sessionId, sessionIdForName('my-run'));
      assert.equal(onlyGroup(toHoneyHiveEvents(spans)).sessionId, sessionIdForTrace(spans[0]!.spanContext().traceId));
    });

    it('puts a span that names no session into the session its trace names, in this batch or an earlier one', () => {
      const { tracer, take } = spanRecorder();
      const memory = new TransformMemory();
      const root = startChild(tracer, 'root', undefined, { attributes: { 'session.id': 'conversation-7' } });
      const early = startChild(tracer, 'early', root);
      early.end();
      const late = startChild(tracer, 'late', root);
      const lateChild = startChild(tracer, 'late-child', late);
      lateChild.end();
      late.end();
      const firstBatch = take();
      root.end();
      const secondBatch = take();
      const unrelated = startChild(tracer, 'other-trace');
      unrelated.end();
      const thirdBatch = take();

      // Children ended before the root: alone they cannot know the session...
      assert.notEqual(onlyGroup(toHoneyHiveEvents(firstBatch)).sessionId, sessionIdForName('conversation-7'));
      // ...with the root in the same batch they join it; and the root's trace is remembered for later batches.
      const together = onlyGroup(toHoneyHiveEvents([...firstBatch, ...secondBatch], { memory }));
      assert.equal(together.sessionId, sessionIdForName('conversation-7'));
      assert.equal(together.events.length, 4);
      const another = startChild(tracer, 'after', root);
      another.end();
      assert.equal(onlyGroup(toHoneyHiveEvents(take(), { memory })).sessionId, sessionIdForName('conversation-7'));
      assert.equal(
        onlyGroup(toHoneyHiveEvents(thirdBatch, { memory })).sessionId,
        sessionIdForTrace(thirdBatch[0]!.spanContext().traceId),
      );
    });

    it('lets a span inside a session-naming subtree follow its nearest named ancestor', () => {
      const { tracer, take } = spanRecorder();
      const root = startChild(tracer, 'root', undefined, { attributes: { 'session.id': 'outer' } });
      const inner = startChild(tracer, 'inner', root, { attributes: { 'session.id': 'inner' } });
      startChild(tracer, 'leaf', inner).end();
      inner.end();
      root.end();
      const groups = toHoneyHiveEvents(take());
      assert.equal(eventNamed(groups, 'leaf').session_id, sessionIdForName('inner'));
      assert.equal(eventNamed(groups, 'root').session_id, sessionIdForName('outer'));
      assert.equal(groups.length, 2);
    });

    it('groups events by session, one group per session, with the session described once', () => {
      const { tracer, take } = spanRecorder();
      tracer.startSpan('a1', { attributes: { 'session.id': 'A' }, startTime: at(200) }).end(at(201));
      tracer.startSpan('b1', { attributes: { 'session.id': 'B' } }).end();
      tracer.startSpan('a2', { attributes: { 'session.id': 'A' }, startTime: at(100) }).end(at(300));
      const groups = toHoneyHiveEvents(take(), { project: 'p', source: 'prod' });
      assert.deepEqual(
        groups.map((group) => group.events.map((event) => event.event_name)),
        [['a1', 'a2'], ['b1']],
      );
      const session = groups[0]!.session;
      assert.equal(session.session_id, sessionIdForName('A'));
      assert.equal(session.start_time, 100_000);
      assert.equal(session.project, 'p');
      assert.equal(session.source, 'prod');
      assert.deepEqual(session.metadata, {
        resource: { 'service.name': 'test-service', 'telemetry.sdk.language': 'nodejs', 'host.name': 'test-host' },
        original_session_id: 'A',
      });
      for (const event of groups.flatMap((group) => group.events)) {
        assert.equal(event.metadata['host.name'], undefined, 'the resource is not repeated on events');
        assert.equal(event.metadata.service_name, 'test-service');
      }
    });

    it('names the session: the sessionName option, a session name attribute, the root span, the service', () => {
      const { tracer, take } = spanRecorder();
      const root = startChild(tracer, 'workflow');
      startChild(tracer, 'step', root).end();
      const childOnly = take();
      root.end();
      const withRoot = [...childOnly, ...take()];
      assert.equal(onlyGroup(toHoneyHiveEvents(childOnly)).session.event_name, 'test-service');
      assert.equal(onlyGroup(toHoneyHiveEvents(withRoot)).session.event_name, 'workflow');
      assert.equal(onlyGroup(toHoneyHiveEvents(withRoot, { sessionName: 'fixed' })).session.event_name, 'fixed');
      tracer.startSpan('x', { attributes: { honeyhive_session_name: 'Named run' } }).end();
      const named = onlyGroup(toHoneyHiveEvents(take()));
      assert.equal(named.session.event_name, 'Named run');
      assert.equal(named.events[0]!.metadata.honeyhive_session_name, undefined);
    });
  });

  describe('the session event', () => {
    it("is ended by its root in the batch: the root's end, duration, inputs and outputs", () => {
      const { tracer, take } = spanRecorder();
      const root = tracer.startSpan('agent', {
        startTime: at(100),
        attributes: { 'input.value': 'plan a trip', 'output.value': 'done' },
      });
      startChild(tracer, 'step', root, { startTime: at(101) }).end(at(102));
      root.end(at(105));
      const group = onlyGroup(toHoneyHiveEvents(take()));
      const rootEvent = eventNamed([group], 'agent');
      assert.deepEqual(
        {
          type: group.session.event_type,
          id: group.session.event_id,
          end: group.session.end_time,
          duration: group.session.duration,
          inputs: group.session.inputs,
          outputs: group.session.outputs,
        },
        {
          type: 'session',
          id: group.sessionId,
          end: rootEvent.end_time,
          duration: 5000,
          inputs: rootEvent.inputs,
          outputs: rootEvent.outputs,
        },
      );
    });

    it('has no end while no root is in the batch', () => {
      const { tracer, take } = spanRecorder();
      const root = tracer.startSpan('agent');
      startChild(tracer, 'step', root).end();
      const group = onlyGroup(toHoneyHiveEvents(take()));
      assert.equal(group.session.end_time, undefined);
      assert.equal(group.session.duration, undefined);
      assert.deepEqual(group.session.inputs, {});
      root.end();
    });

    it('spanning many traces: ends with its latest root and its outputs, asked by its earliest root', () => {
      const { tracer, take } = spanRecorder();
      for (const [name, start, end] of [
        ['second', 200, 260],
        ['first', 100, 150],
        ['third', 300, 400],
      ] as const) {
        tracer
          .startSpan(name, {
            startTime: at(start),
            attributes: { 'session.id': 'chat-9', 'input.value': `in-${name}`, 'output.value': `out-${name}` },
          })
          .end(at(end));
      }
      const group = onlyGroup(toHoneyHiveEvents(take()));
      assert.equal(group.session.start_time, 100_000);
      assert.equal(group.session.end_time, 400_000);
      assert.equal(group.session.duration, 300_000);
      assert.deepEqual(group.session.inputs, eventNamed([group], 'first').inputs);
      assert.deepEqual(group.session.outputs, eventNamed([group], 'third').outputs);
    });

    it('takes the session-level fields spans set (honeyhive.session.*, flattened or JSON), which no event keeps', () => {
      const { tracer, take } = spanRecorder();
      const root = tracer.startSpan('agent', {
        attributes: { 'honeyhive.session.metadata': '{"tenant":"acme"}', 'honeyhive.session.metrics.turns': 3 },
      });
      startChild(tracer, 'judge', root, {
        attributes: {
          'honeyhive.session.feedback.rating': 5,
          'honeyhive.session.feedback.comment': 'great',
          'honeyhive.session.user_properties.user_id': 'u-9',
        },
      }).end();
      root.end();
      const group = onlyGroup(toHoneyHiveEvents(take()));
      assert.deepEqual(group.session.metadata.tenant, 'acme');
      assert.deepEqual(group.session.metrics, { turns: 3 });
      assert.deepEqual(group.session.feedback, { rating: 5, comment: 'great' });
      assert.deepEqual(group.session.user_properties, { user_id: 'u-9' });
      for (const event of group.events) {
        assert.ok(!JSON.stringify(event).includes('honeyhive.session'), `${event.event_name} keeps no session field`);
      }
    });

    it("carries an experiment's run_id, dataset_id and datapoint_id from any span (honeyhive_metadata.* or honeyhive.metadata.*) into the session's metadata", () => {
      const { tracer, take } = spanRecorder();
      const root = tracer.startSpan('eval-case');
      startChild(tracer, 'llm', root, {
        attributes: {
          'honeyhive_metadata.run_id': 'run-42',
          'honeyhive_metadata.dataset_id': 'ds-7',
          'honeyhive.metadata.datapoint_id': 'dp-1',
        },
      }).end();
      root.end();
      const group = onlyGroup(toHoneyHiveEvents(take()));
      assert.equal(group.session.metadata.run_id, 'run-42');
      assert.equal(group.session.metadata.dataset_id, 'ds-7');
      assert.equal(group.session.metadata.datapoint_id, 'dp-1');
      assert.equal(eventNamed([group], 'llm').metadata.run_id, 'run-42', 'the event keeps them too');
    });
  });

  describe('event name and type', () => {
    function typeOf(attributes: Record<string, string>): string {
      const { tracer, take } = spanRecorder();
      tracer.startSpan('span', { attributes }).end();
      return onlyGroup(toHoneyHiveEvents(take())).events[0]!.event_type;
    }

    it('honours honeyhive_event_name and a valid honeyhive_event_type, and ignores an invalid one', () => {
      const { tracer, take } = spanRecorder();
      tracer
        .startSpan('raw', { attributes: { honeyhive_event_name: 'Nice name', honeyhive_event_type: 'model' } })
        .end();
      tracer.startSpan('bad', { attributes: { honeyhive_event_type: 'session' } }).end();
      const [good, bad] = onlyGroup(toHoneyHiveEvents(take(), { sessionId: 'one' })).events;
      assert.equal(good!.event_name, 'Nice name');
      assert.equal(good!.event_type, 'model');
      assert.equal(bad!.event_type, 'tool');
      assert.equal(bad!.metadata.honeyhive_event_type, 'session', 'an unusable value is kept, not lost');
    });

    it("reads each family's markers in the families' order, then model evidence, then the shape", () => {
      assert.equal(typeOf({ 'gen_ai.operation.name': 'chat' }), 'model');
      assert.equal(typeOf({ 'gen_ai.operation.name': 'execute_tool' }), 'tool');
      assert.equal(typeOf({ 'gen_ai.operation.name': 'embeddings' }), 'tool');
      assert.equal(typeOf({ 'gen_ai.operation.name': 'invoke_agent' }), 'chain');
      assert.equal(typeOf({ 'openinference.span.kind': 'LLM' }), 'model');
      assert.equal(typeOf({ 'openinference.span.kind': 'RETRIEVER' }), 'tool');
      assert.equal(typeOf({ 'openinference.span.kind': 'AGENT' }), 'chain');
      assert.equal(typeOf({ 'gen_ai.operation.name': 'chat', 'openinference.span.kind': 'CHAIN' }), 'chain');
      assert.equal(typeOf({ 'ai.operationId': 'ai.generateText', 'gen_ai.operation.name': 'chat' }), 'chain');
      assert.equal(typeOf({ 'ai.operationId': 'ai.generateText.doGenerate' }), 'model');
      assert.equal(typeOf({ 'gen_ai.operation.name': 'something_new' }), 'tool');
      assert.equal(typeOf({ honeyhive_event_type: 'chain', 'gen_ai.operation.name': 'chat' }), 'chain');
    });
  });

  it("re-nests HoneyHive's own flattened attributes into their fields", () => {
    const { tracer, take } = spanRecorder();
    tracer
      .startSpan('hh', {
        attributes: {
          'honeyhive_inputs.chat_history.0.role': 'user',
          'honeyhive_inputs.chat_history.0.content': 'hello',
          'honeyhive_inputs.question': 'why?',
          'honeyhive_outputs.content': 'because',
          'honeyhive_config.model': 'gpt-4o',
          'honeyhive_config.hyperparameters.temperature': 0.2,
          'honeyhive_metadata.customer.tier': 'gold',
          'honeyhive_metrics.score': 0.9,
          'honeyhive_feedback.rating': 5,
          'honeyhive_user_properties.plan': 'pro',
          honeyhive_user_id: 'u-1',
          'honeyhive_inputs.__proto__.polluted': 'no',
        },
      })
      .end();
    const event = onlyGroup(toHoneyHiveEvents(take())).events[0]!;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(event.inputs, {
      chat_history: [{ role: 'user', content: 'hello' }],
      question: 'why?',
      '__proto__.polluted': 'no',
    });
    assert.deepEqual(event.outputs, { content: 'because' });
    assert.deepEqual(event.config, { model: 'gpt-4o', hyperparameters: { temperature: 0.2 } });
    assert.equal((event.metadata.customer as Record<string, unknown>).tier, 'gold');
    assert.deepEqual(event.metrics, { score: 0.9 });
    assert.deepEqual(event.feedback, { rating: 5 });
    assert.deepEqual(event.user_properties, { plan: 'pro', user_id: 'u-1' });
    assert.equal(
      Object.keys(event.metadata).some((key) => key.startsWith('honeyhive_')),
      false,
    );
  });

  it('keeps a HoneyHive key that is its prefix and a dot beside the bare prefix, under the key ""', () => {
    const { tracer, take } = spanRecorder();
    tracer
      .startSpan('hh', {
        attributes: {
          honeyhive_inputs: '{"question":"why?"}',
          'honeyhive_inputs.': 'trailing',
          'honeyhive.inputs.': 'x',
        },
      })
      .end();
    const event = onlyGroup(toHoneyHiveEvents(take())).events[0]!;
    assert.deepEqual(event.inputs, { '': 'trailing', question: 'why?' });
    // The dotted spelling's differing value stays, under its own name.
    assert.equal(event.metadata['honeyhive.inputs.'], 'x');
  });

  it('keeps what identifies the span: events, links, dropped counts, and every unconsumed attribute', () => {
    const { tracer, take } = spanRecorder();
    const linked = tracer.startSpan('linked');
    linked.end();
    const span = tracer.startSpan('rich', {
      attributes: { 'db.system': 'postgresql', 'weird.number': Number.NaN, list: ['a', 'b'] },
      links: [{ context: linked.spanContext(), attributes: { why: 'retry' } }],
    });
    span.addEvent('cache.miss', { key: 'k1' }, at(1_700_000_000, 5_000_000));
    span.end();
    const event = eventNamed(toHoneyHiveEvents(take()), 'rich');
    assert.equal(event.metadata['db.system'], 'postgresql');
    assert.equal(event.metadata['weird.number'], 'NaN');
    assert.deepEqual(event.metadata.list, ['a', 'b']);
    assert.deepEqual(event.metadata.events, [
      { name: 'cache.miss', time: 1_700_000_000_005, attributes: { key: 'k1' } },
    ]);
    assert.deepEqual(event.metadata.links, [
      { trace_id: linked.spanContext().traceId, span_id: linked.spanContext().spanId, attributes: { why: 'retry' } },
    ]);
  });

  describe('errors', () => {
    it('uses the status message of an ERROR span', () => {
      const { tracer, take } = spanRecorder();
      const span = tracer.startSpan('failing');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream 503' });
      span.end();
      const event = onlyGroup(toHoneyHiveEvents(take())).events[0]!;
      assert.equal(event.error, 'upstream 503');
      assert.equal(event.metadata.status_code, 'ERROR');
      assert.equal(event.metadata.status_message, 'upstream 503');
    });

    it("falls back to the last exception's type and message, keeping its stack trace in metadata", () => {
      const { tracer, take } = spanRecorder();
      const span = tracer.startSpan('throwing');
      span.recordException(new TypeError('first'));
      const second = new RangeError('second');
      span.recordException(second);
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      const event = onlyGroup(toHoneyHiveEvents(take())).events[0]!;
      assert.equal(event.error, 'RangeError: second');
      const exception = event.metadata.exception as Record<string, unknown>;
      assert.equal(exception.type, 'RangeError');
      assert.equal(exception.stacktrace, second.stack);
      const events = event.metadata.events as Array<Record<string, unknown>>;
      assert.deepEqual(
        events.map((e) => e.name),
        ['exception'],
        'the earlier exception stays among the events',
      );
    });

    it('leaves error out for a span that did not fail, even with a handled exception', () => {
      const { tracer, take } = spanRecorder();
      const span = tracer.startSpan('recovered');
      span.recordException(new Error('handled'));
      span.end();
      assert.equal('error' in onlyGroup(toHoneyHiveEvents(take())).events[0]!, false);
    });

    it('prefers honeyhive_error when present', () => {
      const { tracer, take } = spanRecorder();
      tracer.startSpan('hh-error', { attributes: { honeyhive_error: 'bad input' } }).end();
      assert.equal(onlyGroup(toHoneyHiveEvents(take())).events[0]!.error, 'bad input');
    });
  });

  it('sets project and source from options, with the span’s own honeyhive_source winning', () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('a').end();
    tracer.startSpan('b', { attributes: { honeyhive_source: 'eval', honeyhive_project: 'other' } }).end();
    const [a, b] = onlyGroup(toHoneyHiveEvents(take(), { project: 'p1', source: 'staging', sessionId: 'one' })).events;
    assert.equal(a!.project, 'p1');
    assert.equal(a!.source, 'staging');
    assert.equal(b!.source, 'eval');
    assert.equal(b!.project, 'other');
    assert.equal(b!.metadata.honeyhive_source, undefined);
  });

  it('maps HoneyHive prefixes the same before and after more distinct keys than it remembers', () => {
    const { tracer, take } = spanRecorder();
    tracer
      .startSpan('hh', {
        attributes: {
          'honeyhive_inputs.chat_history.0.role': 'user',
          'honeyhive_inputs.chat_history.0.content': 'hi',
          honeyhive_outputs: '{"content":"hello"}',
          'honeyhive.config.model': 'gpt',
          'honeyhive_metadata.tier': 'gold',
          'honeyhive_inputsx.y': 'not a prefix',
          honeyhive_other: 'no prefix',
        },
      })
      .end();
    const [span] = take();
    // Enough distinct keys for the memory of each key's prefix to start over (more than the SDK keeps on a span).
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`honeyhive_metrics.m${i}`, i]));
    const manyKeys = Object.create(span!, { attributes: { value: many } }) as ReadableSpan;
    const map = (): HoneyHiveEvent => onlyGroup(toHoneyHiveEvents([span!])).events[0]!;
    const before = map();
    assert.deepEqual(before.inputs, { chat_history: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual(before.outputs, { content: 'hello' });
    assert.deepEqual(before.config, { model: 'gpt' });
    assert.equal(before.metadata.tier, 'gold');
    assert.equal(before.metadata['honeyhive_inputsx.y'], 'not a prefix');
    assert.equal(before.metadata.honeyhive_other, 'no prefix');
    assert.equal(Object.keys(onlyGroup(toHoneyHiveEvents([manyKeys])).events[0]!.metrics!).length, 5000);
    assert.deepEqual(map(), before);
  });

  it('reads spans of OpenTelemetry SDK 1.x (parentSpanId, instrumentationLibrary)', () => {
    const exporter = new InMemorySpanExporterV1();
    const provider = new BasicTracerProviderV1();
    provider.addSpanProcessor(new SimpleSpanProcessorV1(exporter));
    const tracer = provider.getTracer('legacy-scope', '0.9.0');
    const root = tracer.startSpan('legacy-root');
    const child = tracer.startSpan('legacy-child', {}, trace.setSpan(context.active(), root));
    child.end();
    root.end();
    const spans = exporter.getFinishedSpans() as unknown as ExportableSpan[];
    assert.equal((spans[0] as { parentSpanId?: string }).parentSpanId, root.spanContext().spanId, 'really a 1.x span');
    const groups = toHoneyHiveEvents(spans);
    const childEvent = eventNamed(groups, 'legacy-child');
    const rootEvent = eventNamed(groups, 'legacy-root');
    assert.equal(childEvent.parent_id, rootEvent.event_id);
    assert.deepEqual(rootEvent.children_ids, [childEvent.event_id]);
    assert.equal(rootEvent.metadata.scope_name, 'legacy-scope');
    assert.equal(rootEvent.metadata.scope_version, '0.9.0');
    assert.equal(rootEvent.event_type, 'chain');
  });

  it('links each span to the parent of its own trace when two traces of one batch share span ids', () => {
    const { tracer, take } = spanRecorder();
    // The nearest ancestor's session wins: finding the parent matters beyond its id.
    const root = tracer.startSpan('root', { attributes: { 'session.id': 'outer' } });
    const middle = tracer.startSpan(
      'middle',
      { attributes: { 'session.id': 'inner' } },
      trace.setSpan(context.active(), root),
    );
    tracer.startSpan('child', {}, trace.setSpan(context.active(), middle)).end();
    middle.end();
    root.end();
    const spans = take();
    const otherTrace = 'f'.repeat(32);
    // The same spans under another trace id: objects inheriting from the real spans.
    const copies = spans.map(
      (span) =>
        Object.create(span, {
          spanContext: { value: () => ({ ...span.spanContext(), traceId: otherTrace }) },
        }) as ReadableSpan,
    );
    for (const batch of [
      [...spans, ...copies],
      [...copies, ...spans],
    ]) {
      const events = toHoneyHiveEvents(batch).flatMap((group) => group.events);
      for (const traceId of [spans[0]!.spanContext().traceId, otherTrace]) {
        const ofTrace = events.filter((event) => event.metadata.trace_id === traceId);
        const named = (name: string): HoneyHiveEvent => ofTrace.find((event) => event.event_name === name)!;
        assert.equal(named('child').parent_id, named('middle').event_id, traceId);
        assert.deepEqual(named('middle').children_ids, [named('child').event_id]);
        assert.equal(named('child').session_id, sessionIdForName('inner'), traceId);
      }
    }
  });

  it('rejects a span without ids and still maps the rest of the batch', () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('good').end();
    const [good] = take();
    // Objects inheriting from the real span, with a few fields broken.
    const override = (fields: Record<string, unknown>): ReadableSpan =>
      Object.create(
        good!,
        Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, { value }])),
      ) as ReadableSpan;
    const broken = override({
      spanContext: () => {
        throw new Error('boom');
      },
    });
    const noTimes = override({ name: 'no-times', startTime: undefined, endTime: 'soon', duration: null });
    const result = transformSpans([broken, good!, noTimes]);
    assert.deepEqual(result.rejected, [{ index: 0, reason: 'boom' }]);
    const events = result.groups.flatMap((group) => group.events);
    assert.deepEqual(
      events.map((event) => event.event_name),
      ['good', 'no-times'],
    );
    assert.equal(events[1]!.start_time, 0);
    assert.equal(events[1]!.duration, 0);
  });

  it('costs the batch nothing when any field of a span throws as it is read: that span alone is rejected or mapped', () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('good', { attributes: { 'gen_ai.operation.name': 'chat' } }).end();
    const [good] = take();
    const fields = [
      'name',
      'kind',
      'startTime',
      'endTime',
      'duration',
      'status',
      'attributes',
      'events',
      'links',
      'resource',
      'instrumentationScope',
      'parentSpanContext',
      'droppedAttributesCount',
      'droppedEventsCount',
      'droppedLinksCount',
    ];
    for (const field of fields) {
      const broken = Object.create(good!, {
        [field]: {
          get: () => {
            throw new Error(`boom: ${field}`);
          },
        },
      }) as ReadableSpan;
      const result = transformSpans([broken, good!]);
      const names = result.groups.flatMap((group) => group.events).map((event) => event.event_name);
      assert.ok(names.includes('good'), `${field}: the good span still maps`);
      const rejected = result.rejected.map((span) => span.index);
      assert.equal(rejected.length + names.length, 2, `${field}: the broken span is rejected or mapped, once`);
      assert.deepEqual(rejected, names.length === 2 ? [] : [0], field);
    }
  });
});

describe('transformInSteps', () => {
  it('pauses after each span it reads and each event it builds, and ends with what transformSpans returns', () => {
    const { tracer, take } = spanRecorder();
    const root = tracer.startSpan('agent', { attributes: { 'gen_ai.operation.name': 'invoke_agent' } });
    for (let i = 0; i < 3; i++) startChild(tracer, `step-${i}`, root).end();
    root.end();
    const spans = take();
    // A hole is no span: skipped, as transformSpans skips it.
    const withHole: ExportableSpan[] = [spans[0]!, spans[1]!];
    withHole[3] = spans[2]!;
    withHole.push(spans[3]!);
    const steps = transformInSteps(withHole, { memory: new TransformMemory() });
    let pauses = 0;
    let step = steps.next();
    for (; step.done !== true; step = steps.next()) pauses++;
    assert.equal(pauses, 2 * spans.length);
    assert.deepEqual(step.value, transformSpans(withHole, { memory: new TransformMemory() }));
    assert.deepEqual(step.value.rejected, []);
    assert.equal(onlyGroup(step.value.groups).events.length, 4);
  });
});
