import assert from 'node:assert/strict';
import { CONTENT_OMITTED, CONTENT_OMITTED_KEY, withoutContent } from '../../src/delivery/content-filter';
import { prepareEvents, prepareSessionEvent, type PreparationOptions } from '../../src/delivery/event-preparation';
import { applyMask, MASK_FAILED_KEY, MASK_FAILED_MARKER, type EventMask } from '../../src/delivery/masking';
import type { HoneyHiveEvent, HoneyHiveSessionEvent } from '../../src/honeyhive-types';
import { createRedactor } from '../../src/redact';
import { sampleEvent, SESSION_ID } from './event-fixture';

const CONTENT = [
  'my secret question',
  'the private answer',
  'You are {{role}}',
  'free text',
  'alice@example.com',
  'boom: details',
];

function assertNoContent(json: string): void {
  for (const text of CONTENT) assert.ok(!json.includes(text), `content leaked: ${text}`);
}

describe('sendContent: false', () => {
  it('keeps ids, timings, model, provider and token counts, and drops every prompt, completion and free text', () => {
    const event = sampleEvent({
      error: 'boom: details',
      metadata: {
        ...sampleEvent().metadata,
        status_message: 'boom: details',
        exception: { type: 'RateLimitError', message: 'boom: details' },
      },
    });
    const stripped = withoutContent(event);
    assertNoContent(JSON.stringify(stripped));
    assert.deepEqual(stripped.inputs, {});
    assert.equal('outputs' in stripped, false);
    assert.deepEqual(stripped.config, { model: 'gpt-4o', provider: 'openai', hyperparameters: { temperature: 0.2 } });
    assert.equal(stripped.error, CONTENT_OMITTED);
    assert.deepEqual(stripped.metadata, {
      trace_id: event.metadata.trace_id,
      span_id: event.metadata.span_id,
      prompt_tokens: 12,
      completion_tokens: 7,
      'gen_ai.request.model': 'gpt-4o',
      exception: { type: 'RateLimitError' },
      [CONTENT_OMITTED_KEY]: true,
    });
    assert.deepEqual(stripped.user_properties, {});
    for (const field of [
      'event_id',
      'session_id',
      'parent_id',
      'event_name',
      'event_type',
      'start_time',
      'end_time',
      'duration',
    ] as const) {
      assert.equal(stripped[field], event[field]);
    }
  });

  it('leaves out an error the event did not have', () => {
    assert.equal('error' in withoutContent(sampleEvent()), false);
    assert.equal('error' in withoutContent(sampleEvent({ error: undefined })), false);
  });
});

describe('mask', () => {
  it('sends what the mask returns, with the ids it cannot change', () => {
    const mask: EventMask = (event) => ({ ...event, event_id: 'tampered', inputs: { chat_history: '[redacted]' } });
    const outcome = applyMask(sampleEvent(), mask);
    assert.ok(outcome.ok && outcome.value);
    assert.deepEqual(outcome.value.inputs, { chat_history: '[redacted]' });
    assert.equal(outcome.value.event_id, sampleEvent().event_id);
  });

  it('keeps the structure HoneyHive needs whatever the mask does to it, and leaves out fields HoneyHive does not know', () => {
    const mask = ((event: HoneyHiveEvent) => {
      const { inputs: _inputs, ...rest } = event;
      return {
        ...rest,
        event_type: 'llm',
        start_time: 'now',
        children_ids: ['x'],
        unknown_field: 1,
        outputs: { text: '[redacted]' },
      };
    }) as unknown as EventMask;
    const outcome = applyMask(sampleEvent(), mask);
    assert.ok(outcome.ok && outcome.value);
    const { inputs, outputs, ...rest } = outcome.value;
    const { inputs: _i, outputs: _o, ...original } = sampleEvent();
    assert.deepEqual(inputs, {}, 'a removed content field is sent empty');
    assert.deepEqual(outputs, { text: '[redacted]' });
    assert.deepEqual(rest, original);
  });

  it('fails closed when the mask gives a content field the wrong type, even after mutating the event', () => {
    const mask = ((event: HoneyHiveEvent) => {
      (event as unknown as Record<string, unknown>).event_type = 'llm';
      return { ...event, inputs: 'my secret question' };
    }) as unknown as EventMask;
    const outcome = applyMask(sampleEvent(), mask);
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.reason, 'the mask set inputs to string');
    assert.equal(outcome.error.fallback.event_type, sampleEvent().event_type);
    assertNoContent(JSON.stringify(outcome.error.fallback));
  });

  it('drops an event when the mask returns null', () => {
    assert.deepEqual(
      applyMask(sampleEvent(), () => null),
      { ok: true, value: null },
    );
  });

  const broken: Array<[string, EventMask]> = [
    [
      'throws',
      () => {
        throw new Error('failed on my secret question');
      },
    ],
    ['returns undefined', (() => undefined) as unknown as EventMask],
    ['returns a string', (() => 'nope') as unknown as EventMask],
    [
      'throws after changing part of the event',
      (event) => {
        event.outputs = { leaked: 'partial' };
        throw new TypeError('x');
      },
    ],
  ];
  for (const [what, mask] of broken) {
    it(`sends the event without content, marked, when the mask ${what}`, () => {
      const outcome = applyMask(sampleEvent(), mask);
      assert.ok(!outcome.ok);
      assertNoContent(JSON.stringify(outcome));
      assert.ok(!JSON.stringify(outcome).includes('partial'));
      assert.equal(outcome.error.fallback.metadata[MASK_FAILED_KEY], MASK_FAILED_MARKER);
      assert.equal(outcome.error.fallback.event_id, sampleEvent().event_id);
    });
  }
});

/** Preparation as the exporter configures it by default, with `overrides`. */
function preparationOptions(overrides: Partial<PreparationOptions> = {}): PreparationOptions {
  return {
    sendContent: true,
    mask: undefined,
    maxValueBytes: 4096,
    maxBatchBytes: 64 * 1024,
    redact: createRedactor(['KEY-123456']),
    apiVersion: 'legacy',
    ...overrides,
  };
}

describe('prepareEvents', () => {
  const events = (count: number): HoneyHiveEvent[] => Array.from({ length: count }, (_, i) => sampleEvent({}, i));

  it('serialises each event once, as sent', () => {
    const prepared = prepareEvents(events(3), preparationOptions());
    assert.deepEqual(
      prepared.events.map((event) => JSON.parse(event.json)),
      events(3),
    );
    assert.deepEqual(
      prepared.events.map((event) => event.eventId),
      events(3).map((event) => event.event_id),
    );
  });

  it('removes content before the mask sees the event', () => {
    const seen: string[] = [];
    prepareEvents(
      events(1),
      preparationOptions({ sendContent: false, mask: (event) => (seen.push(JSON.stringify(event)), event) }),
    );
    assertNoContent(seen[0]!);
  });

  it('counts what the mask dropped and where it failed, and what was truncated', () => {
    const mask: EventMask = (event) => {
      if (event.event_id.startsWith('00000000')) return null;
      if (event.event_id.startsWith('00000001')) throw new Error('bad');
      return { ...event, inputs: { big: 'b'.repeat(10_000) } };
    };
    const prepared = prepareEvents(events(3), preparationOptions({ mask }));
    assert.equal(prepared.events.length, 2);
    assert.equal(prepared.droppedByMask, 1);
    assert.deepEqual(prepared.maskFailures, ['the mask threw Error']);
    assert.equal(prepared.truncatedEvents, 1);
    assert.equal(prepared.truncatedValues, 1);
  });

  it('survives a mask returning an object whose fields throw when read', () => {
    const hostile = sampleEvent();
    Object.defineProperty(hostile, 'inputs', {
      enumerable: true,
      get: () => {
        throw new Error('trap');
      },
    });
    const prepared = prepareEvents(events(1), preparationOptions({ mask: () => hostile }));
    assert.equal(prepared.events.length, 1);
    assert.equal(JSON.parse(prepared.events[0]!.json).metadata[MASK_FAILED_KEY], MASK_FAILED_MARKER);
  });

  it('v1: sends no per-event project, even when the mask puts one back; legacy keeps it', () => {
    const withProject = [sampleEvent({ project: 'my-app' }, 0), sampleEvent({ project: 'my-app' }, 1)];
    const mask: EventMask = (event) => ({ ...event, project: 'from-mask', project_id: 'p1' }) as HoneyHiveEvent;
    const v1 = prepareEvents(withProject, preparationOptions({ apiVersion: 'v1', mask }));
    for (const event of v1.events) {
      const sent = JSON.parse(event.json);
      assert.ok(!('project' in sent), event.json);
      assert.equal(event.bytes, Buffer.byteLength(event.json));
    }
    assert.deepEqual(
      prepareEvents(withProject, preparationOptions()).events.map((event) => JSON.parse(event.json).project),
      ['my-app', 'my-app'],
    );
    // The mask's own failure path (content removed from the original) is shaped too.
    const failing = prepareEvents(
      withProject,
      preparationOptions({
        apiVersion: 'v1',
        mask: () => {
          throw new Error('x');
        },
      }),
    );
    assert.ok(failing.events.every((event) => !('project' in JSON.parse(event.json))));
  });
});

describe('prepareSessionEvent', () => {
  const session = (): HoneyHiveSessionEvent => {
    const { parent_id: _parent, ...event } = sampleEvent({ event_id: SESSION_ID });
    return { ...event, event_type: 'session', event_name: 'my session' } as unknown as HoneyHiveSessionEvent;
  };

  it('gives the prepared session and its JSON, serialised once and as sent, capped and redacted like any event', () => {
    const plain = prepareSessionEvent(session(), preparationOptions())!;
    assert.deepEqual(JSON.parse(plain.serialized.json), session());
    assert.equal(plain.serialized.json, JSON.stringify(plain.event));
    assert.equal(plain.serialized.eventId, SESSION_ID);
    const large = { ...session(), outputs: { content: `KEY-123456 ${'x'.repeat(10_000)}` } };
    const fitted = prepareSessionEvent(large, preparationOptions())!;
    assert.equal(fitted.serialized.bytes, Buffer.byteLength(fitted.serialized.json));
    assert.ok(fitted.serialized.json.length < 6000 && !fitted.serialized.json.includes('KEY-123456'));
    assert.deepEqual(JSON.parse(fitted.serialized.json), fitted.event);
  });

  it('keeps the session ids and type whatever the mask returns, in the object and in its JSON', () => {
    const mask: EventMask = (event) => ({ ...event, event_type: 'tool', event_id: 'other', session_id: 'other' });
    const prepared = prepareSessionEvent(session(), preparationOptions({ mask }))!;
    for (const sent of [prepared.event, JSON.parse(prepared.serialized.json) as HoneyHiveSessionEvent]) {
      assert.equal(sent.event_type, 'session');
      assert.equal(sent.event_id, SESSION_ID);
      assert.equal(sent.session_id, SESSION_ID);
    }
    assert.equal(prepared.serialized.bytes, Buffer.byteLength(prepared.serialized.json));
    assert.equal(prepareSessionEvent(session(), preparationOptions({ mask: () => null })), undefined);
  });
});
