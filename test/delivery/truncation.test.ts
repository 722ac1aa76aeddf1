import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonBytes, jsonPrefix, truncateString } from '../../src/delivery/json-size';
import {
  fitEvent,
  fitUpdate,
  MAX_NESTING_DEPTH,
  TRUNCATED_VALUES_KEY,
  type FitLimits,
} from '../../src/delivery/truncation';
import type { HoneyHiveEvent, JsonObject, JsonValue } from '../../src/honeyhive-types';
import { createRedactor, withJsonForms } from '../../src/redact';
import { sampleEvent } from './event-fixture';

const limits = (overrides: Partial<FitLimits> = {}): FitLimits => ({
  maxValueBytes: 1024,
  maxEventBytes: 64 * 1024,
  redact: createRedactor(['sk-live-SECRET']),
  ...overrides,
});

describe('json-size', () => {
  it('cuts a string to fit its JSON size without splitting a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 40, max: 400 }), (text, max) => {
        const cut = truncateString(text, max);
        assert.ok(jsonBytes(cut) <= max || cut === text, `${jsonBytes(cut)} > ${max}`);
        if (cut !== text) {
          assert.match(cut, /…\[truncated \d+ bytes\]$/);
          const prefix = cut.slice(0, cut.lastIndexOf('…['));
          assert.ok(text.startsWith(prefix));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts escapes, multi-byte characters, pairs and lone surrogates as JSON does', () => {
    for (const text of ['"\\\n\u0001', 'é€😀', '\ud800x', 'a\udc00']) {
      for (let max = 2; max <= jsonBytes(text); max++) {
        const prefix = jsonPrefix(text, max);
        assert.ok(jsonBytes(prefix) <= max);
        assert.ok(text.startsWith(prefix));
      }
      assert.equal(jsonPrefix(text, jsonBytes(text)), text);
    }
    assert.equal(jsonPrefix('😀', 5), '', 'a pair is never split');
  });
});

describe('fitEvent', () => {
  it('leaves an event that fits as it is, and says nothing', () => {
    const event = sampleEvent();
    const fitted = fitEvent(event, limits());
    assert.deepEqual(JSON.parse(fitted.json), event);
    assert.equal(fitted.truncatedValues, 0);
    assert.equal(fitted.bytes, Buffer.byteLength(fitted.json));
  });

  it('serialises an event that is plain JSON and fits, once and without copying it', () => {
    const event = sampleEvent({ inputs: { long: 'x'.repeat(900) } });
    const fitted = fitEvent(event, limits());
    assert.equal(fitted.event, event, 'the event itself, not a copy');
    assert.equal(fitted.json, JSON.stringify(event));
  });

  it('copies whenever the event as it is would not be sent as the copy makes it', () => {
    const deep: JsonObject = {};
    let level = deep;
    for (let i = 0; i < MAX_NESTING_DEPTH + 2; i++) level = level.next = {};
    const variants: Array<[string, Partial<HoneyHiveEvent>, (event: HoneyHiveEvent) => void]> = [
      ['a non-finite number', { metrics: { score: Number.NaN } }, (e) => assert.equal(e.metrics?.score, 'NaN')],
      [
        'a date',
        { metadata: { at: new Date(0) as never } },
        (e) => assert.equal(e.metadata.at, '1970-01-01T00:00:00.000Z'),
      ],
      [
        'a class instance',
        { config: { model: new String('m') as never } },
        (e) => assert.deepEqual(e.config?.model, { 0: 'm' }),
      ],
      ['a missing inputs', { inputs: undefined as never }, (e) => assert.deepEqual(e.inputs, {})],
      ['a null optional object', { feedback: null as never }, (e) => assert.deepEqual(e.feedback, {})],
      ['an array for an object', { outputs: [] as never }, (e) => assert.deepEqual(e.outputs, {})],
      ['deep nesting', { inputs: deep }, (e) => assert.match(JSON.stringify(e.inputs), /nested deeper than/)],
      [
        'a secret',
        { inputs: { auth: 'Bearer sk-live-SECRET' } },
        (e) => assert.equal(e.inputs.auth, 'Bearer [REDACTED]'),
      ],
      [
        'a child id that is not a string',
        { children_ids: ['a', 1 as never] },
        (e) => assert.deepEqual(e.children_ids, ['a']),
      ],
      ['a time that is not a number', { end_time: 'soon' as never }, (e) => assert.equal(e.end_time, 0)],
      [
        'a value over maxValueBytes',
        { inputs: { big: 'y'.repeat(2000) } },
        (e) => assert.match(e.inputs.big as string, /truncated/),
      ],
    ];
    for (const [what, overrides, check] of variants) {
      const event = sampleEvent(overrides);
      const fitted = fitEvent(event, limits());
      assert.notEqual(fitted.event, event, what);
      check(JSON.parse(fitted.json));
    }
  });

  it('redacts a key JSON escapes when given its JSON forms, whichever path the event takes', () => {
    const key = 'sk-"quoted"\\key';
    for (const inputs of [{ auth: `Bearer ${key}` }, { auth: `Bearer ${key}`, nan: Number.NaN }] as JsonObject[]) {
      const fitted = fitEvent(sampleEvent({ inputs }), limits({ redact: createRedactor(withJsonForms([key])) }));
      assert.ok(!fitted.json.includes(JSON.stringify(key).slice(1, -1)) && !fitted.json.includes(key));
      assert.equal(JSON.parse(fitted.json).inputs.auth, 'Bearer [REDACTED]');
    }
  });

  it('always gives JSON within both limits, keeping every value that fits as it was', () => {
    const value = fc.letrec<{ json: JsonValue }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('json'), { maxKeys: 4 }),
      ),
    })).json;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), value, { maxKeys: 6 }),
        fc.integer({ min: 64, max: 2000 }),
        fc.integer({ min: 1500, max: 6000 }),
        (inputs, maxValueBytes, maxEventBytes) => {
          const event = sampleEvent({ inputs: inputs as JsonObject });
          const fitted = fitEvent(event, limits({ maxValueBytes, maxEventBytes }));
          const sent = JSON.parse(fitted.json) as HoneyHiveEvent;
          assert.ok(fitted.bytes <= maxEventBytes);
          assert.equal(fitted.bytes, Buffer.byteLength(fitted.json));
          const asItIs = JSON.stringify(event);
          if (fitted.truncatedValues === 0 && !/NaN|Infinity/.test(JSON.stringify(sent)))
            assert.equal(fitted.json, asItIs);
          if (Buffer.byteLength(asItIs) <= Math.min(maxValueBytes, maxEventBytes - 128))
            assert.equal(fitted.truncatedValues, 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('caps every string value, with a marker and a count in metadata', () => {
    const big = 'x'.repeat(5000);
    const fitted = fitEvent(
      sampleEvent({ inputs: { a: big, nested: { list: [big, 'short'] } }, event_name: big }),
      limits(),
    );
    const event = JSON.parse(fitted.json);
    for (const value of [event.inputs.a, event.inputs.nested.list[0], event.event_name]) {
      assert.ok(jsonBytes(value) <= 1024);
      assert.match(value, /^x+…\[truncated \d+ bytes\]$/);
    }
    assert.equal(event.inputs.nested.list[1], 'short');
    assert.equal(event.metadata[TRUNCATED_VALUES_KEY], 3);
    assert.equal(fitted.truncatedValues, 3);
  });

  it('cuts the largest values first when the whole event is too large', () => {
    const fitted = fitEvent(
      sampleEvent({ inputs: { huge: 'h'.repeat(60_000), medium: 'm'.repeat(3000), small: 's'.repeat(100) } }),
      limits({ maxValueBytes: 100_000, maxEventBytes: 8000 }),
    );
    const event = JSON.parse(fitted.json);
    assert.ok(fitted.bytes <= 8000, `${fitted.bytes}`);
    assert.match(event.inputs.huge, /…\[truncated \d+ bytes\]$/);
    assert.equal(event.inputs.small, 's'.repeat(100), 'small values stay whole');
    assert.ok(event.metadata[TRUNCATED_VALUES_KEY] >= 1);
  });

  it('replaces the largest entries when many small values are too many, keeping ids and times', () => {
    const metadata: JsonObject = {};
    for (let i = 0; i < 10_000; i++) metadata[`attr.${i}`] = i;
    const original = sampleEvent({ metadata });
    const fitted = fitEvent(original, limits({ maxEventBytes: 8000 }));
    const event = JSON.parse(fitted.json);
    assert.ok(fitted.bytes <= 8000);
    for (const field of [
      'event_id',
      'session_id',
      'parent_id',
      'start_time',
      'end_time',
      'duration',
      'event_type',
    ] as const) {
      assert.deepEqual(event[field], original[field]);
    }
    assert.match(JSON.stringify(event.metadata), /removed: \d+ bytes over the event size limit/);
    assert.ok(event.metadata[TRUNCATED_VALUES_KEY] > 0);
  });

  it('redacts the API key from values and keys, and makes the event JSON-safe', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const fitted = fitEvent(
      sampleEvent({
        inputs: {
          header: 'Bearer sk-live-SECRET',
          'sk-live-SECRET': 'as a key',
          nan: Number.NaN,
          inf: -Infinity,
          big: 10n as never,
          cyclic: cyclic as never,
        },
      }),
      limits(),
    );
    assert.ok(!fitted.json.includes('sk-live-SECRET'));
    const event = JSON.parse(fitted.json);
    assert.equal(event.inputs.header, 'Bearer [REDACTED]');
    assert.equal(event.inputs['[REDACTED]'], 'as a key');
    assert.equal(event.inputs.nan, 'NaN');
    assert.equal(event.inputs.inf, '-Infinity');
    assert.equal(event.inputs.big, '10');
    assert.match(JSON.stringify(event.inputs.cyclic), new RegExp(`nested deeper than ${MAX_NESTING_DEPTH} levels`));
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const inputs = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}');
    const fitted = fitEvent(sampleEvent({ inputs }), limits());
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(JSON.parse(fitted.json).inputs, inputs);
  });

  it("caps and redacts an update's fields the same way, keeping times as numbers and dropping what is not JSON", () => {
    const circular: Record<string, unknown> = { note: 'sk-live-SECRET' };
    circular.self = circular;
    const { update, truncatedValues } = fitUpdate(
      {
        feedback: { comment: 'n'.repeat(5000) },
        metadata: circular as JsonObject,
        end_time: 5,
        duration: Number.NaN,
      },
      limits(),
    );
    assert.ok(jsonBytes(update.feedback!.comment as string) <= 1024);
    assert.equal(update.metadata!.note, '[REDACTED]');
    assert.ok(truncatedValues >= 2, 'the long comment and the cycle');
    assert.equal(update.end_time, 5);
    assert.ok(!('duration' in update));
    assert.doesNotThrow(() => JSON.stringify(update));
  });
});
