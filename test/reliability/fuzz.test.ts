/**
 * Property-based: random, hostile spans never make the transform throw, never
 * touch a prototype, and what the exporter sends for them the local server
 * (strict, like HoneyHive) accepts.
 */
import assert from 'node:assert/strict';
import type { AttributeValue, Attributes, HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { HoneyHiveSpanExporter, transformSpans } from '../../src';
import { startDevServer, type DevServerHandle } from '../../src/dev-server';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { captureDiag, recordError } from './leak-watch';

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Strings that break naive code: lone surrogates, control characters, JSON that almost parses, prototype names. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\ud800',
    'a\udfffb',
    '\u0000',
    '\u2028',
    '"',
    '\\',
    '{"a":',
    '[1,2',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    'null',
    'NaN',
  ),
  fc.json({ maxDepth: 4 }),
  fc.integer({ min: 1, max: 200_000 }).map((length) => 'x'.repeat(length)),
);

const nastyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.integer(),
);

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.array(nastyString, { maxLength: 5 }),
  fc.array(nastyNumber, { maxLength: 5 }),
  fc.array(fc.oneof(nastyNumber, fc.constant(null), fc.constant(undefined)), {
    maxLength: 5,
  }) as fc.Arbitrary<AttributeValue>,
);

/** Keys: empty, dotted, prototype names, the conventions' own prefixes, deep flattened paths. */
const attributeKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '',
    '.',
    '..',
    'a.',
    '.a',
    '__proto__',
    'constructor',
    'prototype',
    'a.__proto__.b',
    'constructor.prototype.polluted',
  ),
  fc
    .constantFrom(
      'honeyhive_inputs',
      'honeyhive_outputs',
      'honeyhive_metadata',
      'gen_ai.input.messages',
      'gen_ai.prompt',
      'llm.input_messages',
      'input.value',
      'ai.prompt.messages',
      'traceloop.entity.input',
      'gen_ai.usage.input_tokens',
      'session.id',
      'honeyhive_event_type',
      'openinference.span.kind',
    )
    .chain((prefix) =>
      fc
        .array(fc.oneof(fc.nat(3).map(String), fc.constantFrom('role', 'content', '__proto__', '', 'message')), {
          maxLength: 4,
        })
        .map((rest) => [prefix, ...rest].join('.')),
    ),
  fc.integer({ min: 50, max: 400 }).map((depth) => Array.from({ length: depth }, (_, i) => `k${i % 3}`).join('.')),
);

/** `count` attributes, some sharing flattened prefixes, half strings and half numbers. */
function manyAttributes(count: number): Array<[string, AttributeValue]> {
  return Array.from({ length: count }, (_, i) => [`attr.${i % 97}.${i}`, i % 2 ? `v${i}` : i]);
}

const attributes: fc.Arbitrary<Attributes> = fc
  .oneof(
    { weight: 5, arbitrary: fc.array(fc.tuple(attributeKey, attributeValue), { maxLength: 25 }) },
    // Many attributes at once (the SDK's default limit is 128; a custom one can be anything).
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }).map(manyAttributes) },
  )
  .map((entries) => {
    const object: Attributes = {};
    for (const [key, value] of entries)
      Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    return object;
  });

const hrTime: fc.Arbitrary<HrTime> = fc.oneof(
  fc.tuple(fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }), fc.integer({ min: 0, max: 999_999_999 })),
  fc.tuple(nastyNumber, nastyNumber),
);

const span: fc.Arbitrary<ReadableSpan> = fc
  .record({
    name: nastyString,
    kind: fc.integer({ min: -1, max: 6 }),
    traceId: hex(32),
    spanId: hex(16),
    parentSpanId: fc.option(hex(16), { nil: undefined }),
    startTime: hrTime,
    endTime: hrTime,
    statusCode: fc.integer({ min: 0, max: 3 }),
    statusMessage: fc.option(nastyString, { nil: undefined }),
    attributes,
    events: fc.array(fc.record({ name: nastyString, time: hrTime, attributes }), { maxLength: 3 }),
    resource: attributes,
  })
  .map(
    (s) =>
      ({
        name: s.name,
        kind: s.kind,
        spanContext: () => ({ traceId: s.traceId, spanId: s.spanId, traceFlags: 1 }),
        ...(s.parentSpanId ? { parentSpanContext: { traceId: s.traceId, spanId: s.parentSpanId, traceFlags: 1 } } : {}),
        startTime: s.startTime,
        endTime: s.endTime,
        duration: [0, 0],
        status: { code: s.statusCode, ...(s.statusMessage !== undefined ? { message: s.statusMessage } : {}) },
        attributes: s.attributes,
        links: [],
        events: s.events,
        resource: { attributes: s.resource },
        instrumentationScope: { name: 'fuzz' },
        ended: true,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      }) as unknown as ReadableSpan,
  );

const batch = fc.array(span, { minLength: 1, maxLength: 4 });

function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  assert.equal(typeof probe.constructor, 'function');
}

describe('reliability: hostile spans (fast-check)', function () {
  this.timeout(60_000);

  it('the transform never throws and never touches a prototype', () => {
    fc.assert(
      fc.property(batch, (spans) => {
        const result = transformSpans(spans, { sessionId: 'fuzz' });
        assert.equal(result.rejected.length, 0);
        assert.equal(
          result.groups.reduce((sum, group) => sum + group.events.length, 0),
          spans.length,
        );
        assertNoPollution();
      }),
      { numRuns: 100 },
    );
  });

  describe('over real HTTP', () => {
    let server: DevServerHandle;
    let exporter: HoneyHiveSpanExporter;

    before(async () => {
      server = await startDevServer({ port: 0 });
      exporter = new HoneyHiveSpanExporter({
        apiKey: TEST_API_KEY,
        serverUrl: server.url,
        maxRetries: 0,
        maxValueBytes: 16 * 1024,
        maxBatchBytes: 256 * 1024,
      });
    });
    beforeEach(captureDiag);
    after(async () => {
      await exporter.shutdown();
      await server.close();
    });

    it('the local server accepts everything the exporter sends for them, and every event arrives', async () => {
      await fc.assert(
        fc.asyncProperty(batch, async (spans) => {
          server.store.reset();
          const result = await exportSpans(exporter, spans);
          recordError(result.error);
          assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
          const rejected = server.store.requests.filter((request) => request.status !== 200);
          assert.deepEqual(
            rejected.map((request) => `${request.status} ${JSON.stringify(request.body).slice(0, 200)}`),
            [],
          );
          const expected = new Set(
            transformSpans(spans).groups.flatMap((group) => group.events.map((event) => event.event_id)),
          );
          assert.equal(server.store.events().length, expected.size);
          assertNoPollution();
        }),
        { numRuns: 20 },
      );
    });

    it('delivers a span with 10,000 attributes and a 1,000-level flattened key', async () => {
      const attrs = Object.fromEntries(manyAttributes(10_000));
      attrs[`honeyhive_inputs.${Array.from({ length: 1000 }, (_, i) => `k${i}`).join('.')}`] = 'deep';
      attrs['honeyhive_metadata.__proto__.polluted'] = true;
      const [sample] = fc.sample(span, { numRuns: 1, seed: 42 });
      const hostile = {
        ...sample!,
        attributes: attrs,
        events: [],
        resource: { attributes: {} },
      } as unknown as ReadableSpan;
      server.store.reset();
      const result = await exportSpans(exporter, [hostile]);
      recordError(result.error);
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
      assert.equal(server.store.events().length, 1);
      assertNoPollution();
    });
  });
});
