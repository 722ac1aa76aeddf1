/**
 * Golden tests: whole transform results compared with JSON files under
 * test/transform/golden/. Run with `UPDATE_GOLDEN=1` to rewrite them, then
 * read the diff: a golden that enshrines a wrong mapping is a bug.
 *
 * Hand-built spans come from the real SDK with a counting id generator and
 * explicit times, so their events are as deterministic as the recordings.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Attributes, Span, SpanOptions, TimeInput } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type IdGenerator,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { toHoneyHiveEvents, type ExportableSpan, type SessionGroup } from '../../src/transform';
import type { HoneyHiveEvent, JsonObject } from '../../src/honeyhive-types';
import { at, startChild, TEST_RESOURCE } from '../helpers/sdk-spans';
import { listFixtures, loadFixture, loadFixtureFile } from '../helpers/span-json';

const GOLDEN_DIR = path.resolve(__dirname, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** The transform as the goldens see it: one fresh memory per scenario, a fixed project. */
export function goldenGroups(spans: readonly ExportableSpan[]): SessionGroup[] {
  return toHoneyHiveEvents(spans, { project: 'golden' });
}

/** Compares `value` (as JSON) with test/transform/golden/<name>.json, or rewrites that file under UPDATE_GOLDEN=1. */
export function expectGolden(name: string, value: unknown): void {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  const actual = JSON.parse(JSON.stringify(value)) as unknown;
  if (UPDATE) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  assert.ok(
    fs.existsSync(file),
    `no golden file ${path.relative(process.cwd(), file)}: run the test with UPDATE_GOLDEN=1 and review it`,
  );
  assert.deepStrictEqual(
    actual,
    JSON.parse(fs.readFileSync(file, 'utf8')),
    `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`,
  );
}

/** Ids counting up from 1, so spans made in the same order get the same ids on every run. */
class CountingIdGenerator implements IdGenerator {
  private next = 1;
  generateTraceId(): string {
    return (this.next++).toString(16).padStart(32, '0');
  }
  generateSpanId(): string {
    return (this.next++).toString(16).padStart(16, '0');
  }
}

/** A span to build: name, attributes, optional parent, events, times in whole seconds after the scenario's start. */
export interface SpanPlan {
  name: string;
  attributes?: Attributes;
  events?: Array<{ name: string; attributes?: Attributes; atMs?: number }>;
  /** Children, started after and ended before this span. */
  children?: SpanPlan[];
  options?: Omit<SpanOptions, 'attributes' | 'startTime'>;
  /** Marks the span failed with this message (and an exception event). */
  error?: string;
  /** The instrumentation scope that makes the span; `golden-scope` 1.0.0 when left out. */
  scope?: { name: string; version?: string };
}

const SCENARIO_START = 1_767_225_600; // 2026-01-01T00:00:00Z, as the recordings

/**
 * Builds spans with the real SDK from a plan: each span starts 10 ms after
 * its parent, children one after another, and ends 10 ms after its last
 * child. Returns the finished spans in the order they ended (children first).
 */
export function buildSpans(...plans: SpanPlan[]): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(TEST_RESOURCE),
    idGenerator: new CountingIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  let clockMs = 0;
  const time = (ms: number): TimeInput => at(SCENARIO_START + Math.floor(ms / 1000), (ms % 1000) * 1_000_000);
  const build = (plan: SpanPlan, parent?: Span): void => {
    clockMs += 10;
    const startMs = clockMs;
    const tracer = provider.getTracer(plan.scope?.name ?? 'golden-scope', plan.scope?.version ?? '1.0.0');
    const span = startChild(tracer, plan.name, parent, {
      ...plan.options,
      attributes: plan.attributes,
      startTime: time(startMs),
    });
    for (const event of plan.events ?? [])
      span.addEvent(event.name, event.attributes ?? {}, time(startMs + (event.atMs ?? 1)));
    for (const child of plan.children ?? []) build(child, span);
    clockMs += 10;
    if (plan.error !== undefined) {
      span.recordException({ name: 'Error', message: plan.error }, time(clockMs));
      span.setStatus({ code: 2, message: plan.error });
    }
    span.end(time(clockMs));
  };
  for (const plan of plans) build(plan);
  return exporter.getFinishedSpans();
}

/** The event made from the span named `name` (its event_name may differ). */
export function eventOfSpan(groups: SessionGroup[], spans: readonly ReadableSpan[], name: string): HoneyHiveEvent {
  const span = spans.find((candidate) => candidate.name === name);
  assert.ok(span, `no span named ${name}`);
  const event = groups
    .flatMap((group) => group.events)
    .find((candidate) => candidate.metadata.span_id === span.spanContext().spanId);
  assert.ok(event, `no event for span ${name}`);
  return event;
}

/** What a span's event carries, as compared between two orders of its attribute keys. */
export type EventContent = Pick<HoneyHiveEvent, 'inputs' | 'outputs' | 'metadata'>;

/**
 * The event content of one span named `name` with `attributes` then `conversation`'s keys in their order,
 * and with those keys reversed: a mapping must not depend on the order an instrumentation set them in.
 * Asserts the two are equal and returns the content.
 */
export function sameInEitherKeyOrder(
  name: string,
  attributes: Attributes,
  conversation: Readonly<Record<string, string>>,
): EventContent {
  const inOrder = Object.entries(conversation);
  const [forward, reversed] = [inOrder, [...inOrder].reverse()].map((entries) => {
    const spans = buildSpans({ name, attributes: { ...attributes, ...Object.fromEntries(entries) } });
    const { inputs, outputs, metadata } = goldenGroups(spans)[0]!.events[0]!;
    return { inputs, outputs, metadata };
  });
  assert.deepEqual(reversed, forward);
  return forward!;
}

/** JSON text of a value, as instrumentations write it into attributes. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** The token counts HoneyHive would sum over a session. */
export function sessionTokenTotals(groups: SessionGroup[]): JsonObject {
  const totals = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  for (const event of groups.flatMap((group) => group.events)) {
    for (const key of Object.keys(totals) as Array<keyof typeof totals>) {
      const value = event.metadata[key];
      if (typeof value === 'number') totals[key] += value;
    }
  }
  return totals;
}

/**
 * Defines one golden test per recorded fixture whose name starts with
 * `prefix`; a fixture without spans (the openai-package instrumentations never
 * end a span whose request failed, see test/fixtures/README.md) must map to nothing.
 */
export function recordedGoldens(prefix: string): void {
  for (const name of listFixtures().filter((fixture) => fixture.startsWith(prefix))) {
    if (loadFixtureFile(name).spans.length === 0) {
      it(`${name}: no span to map (a failed request's span is never ended by that instrumentation)`, () => {
        assert.deepEqual(goldenGroups(loadFixture(name)), []);
      });
    } else {
      it(`${name}: whole events as recorded`, () => {
        expectGolden(`recorded/${name}`, goldenGroups(loadFixture(name)));
      });
    }
  }
}
