/**
 * The convention registry and what it derives from the families' one order:
 * event types, session keys, project and source keys, usage evidence; and
 * the usage reading every family shares.
 */
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import {
  CONVENTIONS,
  DECLARED_KEYS,
  hasConventionKeys,
  PROJECT_KEYS,
  recognisedFamilies,
  reportsTokenUsage,
  SESSION_ID_KEYS,
  SESSION_NAME_KEYS,
  SOURCE_KEYS,
  spanEventType,
  USAGE_EVIDENCE_KEYS,
} from '../../src/transform/conventions';
import { addUsageObject, emptyUsageReading, readUsage, TOKEN_FIELDS } from '../../src/transform/conventions/usage';
import { sessionIdForName, sessionIdForTrace } from '../../src/transform/ids';
import { TransformMemory } from '../../src/transform/memory';
import { ownSession, resolveSessions } from '../../src/transform/sessions';
import { KeyStarts, SpanAttributes } from '../../src/transform/span-attributes';
import { SpanMapping } from '../../src/transform/span-mapping';
import { viewSpan } from '../../src/transform/span-view';
import { listFixtures, loadFixture } from '../helpers/span-json';
import { buildSpans } from './golden-helpers';

function typeOf(attributes: Attributes, options: { name?: string; hasChildren?: boolean } = {}): string {
  const [span] = buildSpans({ name: options.name ?? 'span', attributes });
  return spanEventType(new SpanAttributes(span!.attributes), viewSpan(span!), options.hasChildren ?? false);
}

describe('convention registry', () => {
  it('lists each family once, HoneyHive first and GenAI (the general fallback) last', () => {
    const names = CONVENTIONS.map((family) => family.name);
    assert.equal(new Set(names).size, names.length);
    assert.equal(names[0], 'honeyhive');
    assert.equal(names[names.length - 1], 'opentelemetry-genai');
  });

  it("derives the session, project and source keys from the families, in the families' order", () => {
    for (const [derived, select] of [
      [SESSION_ID_KEYS, (f: (typeof CONVENTIONS)[number]) => f.sessionIdKeys],
      [SESSION_NAME_KEYS, (f: (typeof CONVENTIONS)[number]) => f.sessionNameKeys],
      [PROJECT_KEYS, (f: (typeof CONVENTIONS)[number]) => f.projectKeys],
      [SOURCE_KEYS, (f: (typeof CONVENTIONS)[number]) => f.sourceKeys],
    ] as const) {
      assert.deepEqual(
        derived,
        CONVENTIONS.flatMap((family) => select(family) ?? []),
      );
    }
    assert.equal(SESSION_ID_KEYS[0], 'honeyhive_session_id');
    assert.ok(SESSION_ID_KEYS.indexOf('session.id') < SESSION_ID_KEYS.indexOf('gen_ai.conversation.id'));
    assert.deepEqual(PROJECT_KEYS, [
      'honeyhive_project',
      'honeyhive.project',
      'traceloop.association.properties.project',
    ]);
  });

  it("takes usage evidence from every family's token spellings, not their details or cost", () => {
    for (const family of CONVENTIONS) {
      for (const [field, keys] of family.usage ?? []) {
        for (const key of keys) assert.equal(USAGE_EVIDENCE_KEYS.includes(key), TOKEN_FIELDS.has(field), key);
      }
    }
    assert.ok(reportsTokenUsage(new SpanAttributes({ 'ai.usage.promptTokens': 3 })));
    assert.ok(reportsTokenUsage(new SpanAttributes({ 'llm.usage.total_tokens': 3 })));
    assert.ok(!reportsTokenUsage(new SpanAttributes({ 'llm.cost.total': 0.1, 'gen_ai.request.model': 'm' })));
  });
});

describe('event type', () => {
  it("reads each family's own markers", () => {
    assert.equal(typeOf({ honeyhive_event_type: 'tool', 'gen_ai.operation.name': 'chat' }), 'tool');
    assert.equal(typeOf({ 'ai.operationId': 'ai.streamText' }), 'chain');
    assert.equal(typeOf({ 'ai.operationId': 'ai.streamText.doStream' }), 'model');
    assert.equal(typeOf({ 'ai.operationId': 'ai.embed.doEmbed' }), 'tool');
    assert.equal(typeOf({ 'ai.operationId': 'ai.toolCall' }), 'tool');
    assert.equal(typeOf({ 'openinference.span.kind': 'RERANKER' }), 'tool');
    assert.equal(typeOf({ 'langsmith.span.kind': 'llm' }), 'model');
    assert.equal(typeOf({ 'langsmith.span.kind': 'parser' }), 'chain', 'any other run kind is a chain');
    assert.equal(typeOf({ 'traceloop.span.kind': 'task' }), 'chain');
    assert.equal(typeOf({ 'llm.request.type': 'chat' }), 'model');
    assert.equal(typeOf({ 'llm.request.type': 'embedding' }), 'tool');
    assert.equal(typeOf({ 'gen_ai.operation.name': 'retrieval' }), 'tool');
  });

  it("lets the earlier family's marker win when two disagree", () => {
    assert.equal(typeOf({ 'ai.operationId': 'ai.generateText', 'gen_ai.operation.name': 'chat' }), 'chain');
    assert.equal(typeOf({ 'langsmith.span.kind': 'prompt', 'gen_ai.operation.name': 'chat' }), 'chain');
    assert.equal(typeOf({ 'openinference.span.kind': 'TOOL', 'gen_ai.operation.name': 'chat' }), 'tool');
  });

  it('falls back to model evidence, then the shape; an unknown marker says nothing', () => {
    assert.equal(typeOf({ 'gen_ai.request.model': 'm' }), 'model');
    assert.equal(typeOf({ 'llm.model_name': 'm' }), 'model');
    assert.equal(typeOf({ 'llm.token_count.prompt': 1 }), 'model');
    assert.equal(typeOf({ 'gen_ai.operation.name': 'something_new' }), 'tool');
    assert.equal(typeOf({ 'openinference.span.kind': 'UNKNOWN' }, { hasChildren: true }), 'chain');
    assert.equal(typeOf({ 'http.method': 'GET' }), 'tool');
  });
});

describe('usage reading', () => {
  const spellings = [
    ['prompt_tokens', ['a.input', 'a.prompt']],
    ['completion_tokens', ['a.output']],
  ] as const;

  it('reads the first spelling present, numeric strings as numbers, and counts agreeing spellings as read', () => {
    const reading = readUsage(new SpanAttributes({ 'a.input': '12', 'a.prompt': 12, 'a.output': 4 }), spellings);
    assert.deepEqual(reading.values, { prompt_tokens: 12, completion_tokens: 4 });
    assert.deepEqual(reading.sources, [
      'a.input',
      'prompt_tokens',
      'a.prompt',
      'prompt_tokens',
      'a.output',
      'completion_tokens',
    ]);
    assert.equal(reading.sourceCount, 3);
    assert.equal(reading.conflicting, undefined);
  });

  it('reads a usage object by its spellings and returns the rest, a `__proto__` entry as its own key', () => {
    const reading = emptyUsageReading();
    const rest = addUsageObject(reading, JSON.parse('{"in":7,"__proto__":{"x":1},"note":"n"}'), [
      ['in', 'prompt_tokens'],
    ]);
    assert.deepEqual(reading.values, { prompt_tokens: 7 });
    assert.equal(JSON.stringify(rest), '{"__proto__":{"x":1},"note":"n"}');
    assert.equal(Object.getPrototypeOf(rest), Object.prototype);
  });

  it('keeps a disagreeing spelling out of the reading, listed as conflicting', () => {
    const reading = readUsage(new SpanAttributes({ 'a.input': 12, 'a.prompt': 13, 'a.output': 'many' }), spellings);
    assert.deepEqual(reading.values, { prompt_tokens: 12 });
    assert.deepEqual(reading.conflicting, ['a.prompt']);
  });
});

describe('sessions', () => {
  function spansOf(...attributes: Attributes[]) {
    const spans = buildSpans({
      name: 'root',
      attributes: attributes[0],
      children: attributes.slice(1).map((child, i) => ({ name: `child-${i}`, attributes: child })),
    });
    // Children end first: the root is last.
    const root = spans[spans.length - 1]!;
    const prepared = spans.map((span) => {
      const view = viewSpan(span);
      return { view, own: ownSession(new SpanAttributes(span.attributes)), parent: undefined as unknown };
    });
    const rootPrepared = prepared[prepared.length - 1]!;
    for (const span of prepared) if (span !== rootPrepared) span.parent = rootPrepared;
    return { prepared: prepared as Parameters<typeof resolveSessions>[0], root };
  }

  it("reads the first of the families' session keys a span has, and maps a non-UUID one to a UUID", () => {
    const session = ownSession(new SpanAttributes({ 'gen_ai.conversation.id': 'later', 'session.id': 'first' }));
    assert.deepEqual(session, { id: sessionIdForName('first'), original: 'first' });
    const uuid = 'A0B1C2D3-E4F5-4A6B-8C7D-9E8F7A6B5C4D';
    assert.deepEqual(ownSession(new SpanAttributes({ 'genkit:sessionId': uuid })), { id: uuid.toLowerCase() });
    assert.equal(ownSession(new SpanAttributes({ 'http.method': 'GET' })), undefined);
  });

  it('puts a span in its own session, else its ancestor’s, else the remembered trace’s, else the option, else the trace’s', () => {
    const memory = new TransformMemory();
    const named = spansOf({ 'session.id': 'chat-1' }, {}, { 'session.id': 'side' });
    const [first, second, root] = resolveSessions(named.prepared, undefined, memory);
    assert.equal(root!.id, sessionIdForName('chat-1'));
    assert.equal(first!.id, sessionIdForName('chat-1'), 'the ancestor names it');
    assert.equal(second!.id, sessionIdForName('side'), 'its own wins');
    const traceId = named.root.spanContext().traceId;
    assert.equal(memory.sessionOfTrace(traceId), sessionIdForName('chat-1'), 'remembered for later batches');

    const plain = spansOf({}, {});
    assert.equal(resolveSessions(plain.prepared, 'option', new TransformMemory())[0]!.id, sessionIdForName('option'));
    const derived = resolveSessions(plain.prepared, undefined, new TransformMemory());
    assert.equal(derived[0]!.id, sessionIdForTrace(plain.root.spanContext().traceId));
    assert.equal(derived[0], derived[1], 'spans of one trace share the derived session');
  });
});

describe('recognising the families from the keys', () => {
  const bitOf = (name: string): number => 1 << CONVENTIONS.findIndex((family) => family.name === name);
  function recognised(attributes: Attributes, options: { scope?: string; events?: string[] } = {}): number {
    const [span] = buildSpans({
      name: 'span',
      attributes,
      ...(options.scope === undefined ? {} : { scope: { name: options.scope } }),
      events: (options.events ?? []).map((name) => ({ name })),
    });
    return recognisedFamilies(new SpanAttributes(span!.attributes), viewSpan(span!));
  }

  it('finds the starts the keys begin with, in one pass, whatever their first characters', () => {
    const starts = new KeyStarts([
      ['gen_ai.', 1],
      ['genkit:', 2],
      ['honeyhive', 4],
      ['http.', 8],
    ]);
    assert.equal(starts.bitsOf(['genkit:type', 'gen_ai.system', 'honeyhive_event_type']), 7);
    assert.equal(
      starts.bitsOf(['gen_ai', 'genkit', 'hone', 'url.full']),
      0,
      'a key shorter than a start is not under it',
    );
    assert.throws(() => new KeyStarts([['', 1]]), /empty/);
  });

  it('gives the same bits when a start is listed twice or lies under another start of the same bits', () => {
    const starts = new KeyStarts([
      ['gen_ai.', 1],
      ['gen_ai.usage.input_tokens', 1],
      ['gen_ai.usage.details.', 2],
      ['gen_ai.usage.details.', 4],
      ['gen_ai.usage.details.cache', 4],
    ]);
    assert.equal(starts.bitsOf(['gen_ai.usage.input_tokens']), 1);
    assert.equal(starts.bitsOf(['gen_ai.usage.details.cache_read']), 7);
    assert.equal(starts.bitsOf(['gen_ai.usage.details']), 1);
  });

  it('answers the same for a key asked again, and after more distinct keys than it remembers', () => {
    const starts = new KeyStarts([
      ['gen_ai.', 1],
      ['genkit:', 2],
    ]);
    const keys = ['gen_ai.system', 'genkit:type', 'gen', 'other'];
    assert.equal(starts.bitsOf(keys), 3);
    assert.equal(starts.bitsOf(keys), 3);
    for (let i = 0; i < 10_000; i++) {
      assert.equal(starts.bitsOf([`gen_ai.k${i}`, `x${i}`]), 1);
      assert.equal(starts.bitsOf([`genkit:${i}`]), 2);
    }
    assert.equal(starts.bitsOf(keys), 3);
    assert.equal(starts.bitsOf(['gen']), 0);
  });

  it('probes a span only for the declared keys of the families its keys start as: on every recorded span, the keys found are the same', () => {
    let spans = 0;
    for (const fixture of listFixtures()) {
      for (const span of loadFixture(fixture)) {
        const attributes = new SpanAttributes(span.attributes);
        for (const [name, declared] of Object.entries(DECLARED_KEYS)) {
          const has = (key: string): boolean => Object.hasOwn(span.attributes, key);
          assert.deepEqual(declared.mayHave(attributes).filter(has), declared.all.filter(has), `${fixture}: ${name}`);
        }
        spans++;
      }
    }
    assert.ok(spans > 0);
  });

  it('asks no family about a span with none of their keys (plain HTTP, a database call)', () => {
    const attributes = { 'http.request.method': 'GET', 'url.full': 'http://x', 'db.system': 'postgresql' };
    assert.equal(recognised(attributes), 0);
    const [span] = buildSpans({ name: 'GET /', attributes });
    assert.equal(hasConventionKeys(new SpanAttributes(span!.attributes)), false);
  });

  it('recognises a family by its markers, its declared keys, its scope or its span events', () => {
    assert.equal(recognised({ 'ai.operationId': 'ai.generateText' }), bitOf('vercel-ai'));
    assert.equal(recognised({ 'gen_ai.system': 'openai' }), bitOf('opentelemetry-genai'));
    assert.equal(
      recognised({ 'gen_ai.prompt.0.content': 'hi' }),
      bitOf('opentelemetry-genai') | bitOf('traceloop'),
      "Traceloop's flattened messages",
    );
    assert.equal(recognised({ 'session.id': 's' }), bitOf('openinference'), 'a declared session key');
    assert.equal(recognised({ 'enduser.id': 'u' }), bitOf('opentelemetry-genai'), 'a declared user key');
    assert.equal(recognised({ 'genkit:type': 'flow' }), bitOf('genkit'));
    assert.equal(recognised({}, { scope: 'pydantic-ai' }), bitOf('pydantic-ai'));
    assert.equal(recognised({}, { events: ['gen_ai.user.message'] }), bitOf('opentelemetry-genai'));
  });

  it('leaves out only families that would map nothing: on every recorded span, each one left out writes and consumes nothing', () => {
    const fixtures = listFixtures();
    assert.ok(fixtures.length > 0, 'the recorded fixtures are in the repository');
    let checked = 0;
    for (const fixture of fixtures) {
      for (const span of loadFixture(fixture)) {
        const view = viewSpan(span);
        const families = recognisedFamilies(new SpanAttributes(view.attributes), view);
        CONVENTIONS.forEach((family, i) => {
          if ((families & (1 << i)) !== 0) return;
          const attributes = new SpanAttributes(view.attributes);
          const context = new SpanMapping(view, attributes, false, false);
          assert.equal(
            family.eventType?.(attributes, view),
            undefined,
            `${fixture}: ${family.name} types ${view.name}`,
          );
          family.map(context);
          const { draft } = context;
          const wrote = [
            draft.inputs,
            draft.metadata,
            ...(['outputs', 'config', 'metrics', 'feedback', 'userProperties'] as const).map(
              (field) => draft.written(field) ?? {},
            ),
          ];
          assert.ok(
            draft.eventName === undefined &&
              draft.error === undefined &&
              wrote.every((field) => Object.keys(field).length === 0),
            `${fixture}: ${family.name}, left out, would map ${view.name}`,
          );
          let unconsumed = 0;
          attributes.forEachUnconsumed(() => unconsumed++);
          assert.equal(
            unconsumed,
            Object.keys(view.attributes).length,
            `${fixture}: ${family.name} consumes from ${view.name}`,
          );
          checked++;
        });
      }
    }
    assert.ok(checked > 100, `checked ${checked} family-span pairs`);
  });
});
