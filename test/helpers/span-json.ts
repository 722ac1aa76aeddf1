/**
 * A stable JSON form of finished spans, used by the recorded fixtures in
 * test/fixtures/recorded/*.json (see test/fixtures/README.md).
 *
 * `spanToJson` turns an SDK `ReadableSpan` into plain JSON (kind and status
 * code as their enum names, HrTime as `[seconds, nanos]`, the resource cut down
 * to `service.name` and `telemetry.sdk.*`); `spanFromJson` gives back an object
 * shaped like an SDK 2.x `ReadableSpan` (with a real `Resource`), so fixtures
 * can be fed straight into a `SpanExporter`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type AttributeValue,
  type HrTime,
  type Link,
  type SpanContext,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

export type SpanKindName = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';
export type JsonAttributes = Record<string, AttributeValue>;

export interface RecordedSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: string;
  isRemote?: boolean;
}

export interface RecordedEvent {
  name: string;
  time: HrTime;
  attributes: JsonAttributes;
  droppedAttributesCount: number;
}

export interface RecordedLink {
  context: RecordedSpanContext;
  attributes: JsonAttributes;
  droppedAttributesCount: number;
}

export interface RecordedSpan {
  name: string;
  kind: SpanKindName;
  spanContext: RecordedSpanContext;
  parentSpanContext: RecordedSpanContext | null;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: { code: StatusCodeName; message?: string };
  attributes: JsonAttributes;
  events: RecordedEvent[];
  links: RecordedLink[];
  resource: { attributes: JsonAttributes };
  instrumentationScope: { name: string; version?: string; schemaUrl?: string };
  ended: boolean;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}

export interface FixtureFile {
  /** `<instrumentation package>@<version>` that produced the spans */
  package: string;
  scenario: string;
  description?: string;
  recordedWith: Record<string, string>;
  /** anything odd the recorder noticed, e.g. spans that never ended */
  notes?: string[];
  spans: RecordedSpan[];
}

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'recorded');

/** The fake server's OS-assigned port is replaced by this one in recordings. */
export const FIXTURE_PORT = 65535;

const KIND_NAMES: Record<number, SpanKindName> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};
const STATUS_NAMES: Record<number, StatusCodeName> = {
  [SpanStatusCode.UNSET]: 'UNSET',
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

function attrsToJson(attrs: Attributes | undefined): JsonAttributes {
  const out: JsonAttributes = {};
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? ([...v] as AttributeValue) : v;
  }
  return out;
}

function contextToJson(ctx: SpanContext): RecordedSpanContext {
  const out: RecordedSpanContext = { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: ctx.traceFlags };
  const ts = ctx.traceState?.serialize();
  if (ts) out.traceState = ts;
  if (ctx.isRemote !== undefined) out.isRemote = ctx.isRemote;
  return out;
}

function contextFromJson(json: RecordedSpanContext): SpanContext {
  const ctx: SpanContext = { traceId: json.traceId, spanId: json.spanId, traceFlags: json.traceFlags };
  if (json.traceState) ctx.traceState = new TraceState(json.traceState);
  if (json.isRemote !== undefined) ctx.isRemote = json.isRemote;
  return ctx;
}

const hr = (t: HrTime): HrTime => [t[0], t[1]];

export function isResourceAttributeKept(key: string): boolean {
  return key === 'service.name' || key.startsWith('telemetry.sdk.');
}

export function spanToJson(span: ReadableSpan): RecordedSpan {
  const resourceAttrs = attrsToJson(span.resource.attributes);
  const status: RecordedSpan['status'] = { code: STATUS_NAMES[span.status.code] ?? 'UNSET' };
  if (span.status.message !== undefined) status.message = span.status.message;
  const scope: RecordedSpan['instrumentationScope'] = { name: span.instrumentationScope.name };
  if (span.instrumentationScope.version !== undefined) scope.version = span.instrumentationScope.version;
  if (span.instrumentationScope.schemaUrl !== undefined) scope.schemaUrl = span.instrumentationScope.schemaUrl;
  return {
    name: span.name,
    kind: KIND_NAMES[span.kind] ?? 'INTERNAL',
    spanContext: contextToJson(span.spanContext()),
    parentSpanContext: span.parentSpanContext ? contextToJson(span.parentSpanContext) : null,
    startTime: hr(span.startTime),
    endTime: hr(span.endTime),
    duration: hr(span.duration),
    status,
    attributes: attrsToJson(span.attributes),
    events: span.events.map((e) => ({
      name: e.name,
      time: hr(e.time),
      attributes: attrsToJson(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    links: span.links.map((l) => ({
      context: contextToJson(l.context),
      attributes: attrsToJson(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
    })),
    resource: {
      attributes: Object.fromEntries(Object.entries(resourceAttrs).filter(([k]) => isResourceAttributeKept(k))),
    },
    instrumentationScope: scope,
    ended: span.ended,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

const KIND_VALUES: Record<SpanKindName, SpanKind> = {
  INTERNAL: SpanKind.INTERNAL,
  SERVER: SpanKind.SERVER,
  CLIENT: SpanKind.CLIENT,
  PRODUCER: SpanKind.PRODUCER,
  CONSUMER: SpanKind.CONSUMER,
};
const STATUS_VALUES: Record<StatusCodeName, SpanStatusCode> = {
  UNSET: SpanStatusCode.UNSET,
  OK: SpanStatusCode.OK,
  ERROR: SpanStatusCode.ERROR,
};

/** Copies an attribute map, so a test that mutates a loaded span can't change the next one. */
function attrsFromJson(attrs: JsonAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = Array.isArray(v) ? ([...v] as AttributeValue) : v;
  return out;
}

export function spanFromJson(json: RecordedSpan): ReadableSpan {
  const ctx = contextFromJson(json.spanContext);
  const events: TimedEvent[] = json.events.map((e) => ({
    name: e.name,
    time: hr(e.time),
    attributes: attrsFromJson(e.attributes),
    droppedAttributesCount: e.droppedAttributesCount,
  }));
  const links: Link[] = json.links.map((l) => ({
    context: contextFromJson(l.context),
    attributes: attrsFromJson(l.attributes),
    droppedAttributesCount: l.droppedAttributesCount,
  }));
  const { name, version, schemaUrl } = json.instrumentationScope;
  const scope: ReadableSpan['instrumentationScope'] = {
    name,
    ...(version !== undefined ? { version } : {}),
    ...(schemaUrl !== undefined ? { schemaUrl } : {}),
  };
  const status: ReadableSpan['status'] = { code: STATUS_VALUES[json.status.code] };
  if (json.status.message !== undefined) status.message = json.status.message;
  const span: ReadableSpan = {
    name: json.name,
    kind: KIND_VALUES[json.kind],
    spanContext: () => ({ ...ctx }),
    startTime: hr(json.startTime),
    endTime: hr(json.endTime),
    duration: hr(json.duration),
    status,
    attributes: attrsFromJson(json.attributes),
    events,
    links,
    resource: resourceFromAttributes(attrsFromJson(json.resource.attributes)),
    instrumentationScope: scope,
    ended: json.ended,
    droppedAttributesCount: json.droppedAttributesCount,
    droppedEventsCount: json.droppedEventsCount,
    droppedLinksCount: json.droppedLinksCount,
  };
  if (json.parentSpanContext) {
    return { ...span, parentSpanContext: contextFromJson(json.parentSpanContext) };
  }
  return span;
}

// ---------------------------------------------------------------------------
// Normalising a recording so that re-recording gives small diffs

/** 2026-01-01T00:00:00Z: the first span of every fixture starts here. */
export const FIXTURE_EPOCH: HrTime = [1767225600, 0];

const NS = 1_000_000_000n;
const toNs = (t: HrTime): bigint => BigInt(t[0]) * NS + BigInt(t[1]);
const fromNs = (n: bigint): HrTime => [Number(n / NS), Number(n % NS)];

export interface NormaliseOptions {
  /** the fake server's real port, replaced by FIXTURE_PORT wherever it occurs in strings */
  port?: number;
  /** absolute paths replaced by a placeholder (e.g. the repo root -> `<repo>`) */
  paths?: Record<string, string>;
  /** shift all times so the earliest span start is FIXTURE_EPOCH (default true) */
  rebaseTimes?: boolean;
}

function mapStrings(attrs: JsonAttributes, f: (s: string) => string): JsonAttributes {
  const out: JsonAttributes = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'string') out[k] = f(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === 'string' ? f(x) : x)) as AttributeValue;
    else out[k] = v;
  }
  return out;
}

/**
 * Replaces what changes on every run but carries no meaning: the fake
 * server's port, absolute checkout paths (in stack traces) and the wall-clock
 * time (all spans shifted together, so durations and ordering are kept).
 * Trace and span ids stay as recorded.
 */
export function normaliseRecordedSpans(spans: RecordedSpan[], options: NormaliseOptions = {}): RecordedSpan[] {
  const replacements: [RegExp, string][] = [];
  if (options.port !== undefined) {
    replacements.push([
      new RegExp(`(127\\.0\\.0\\.1|localhost|\\[::1\\]):${options.port}(?!\\d)`, 'g'),
      `$1:${FIXTURE_PORT}`,
    ]);
  }
  for (const [from, to] of Object.entries(options.paths ?? {})) {
    replacements.push([new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'), to]);
  }
  const fixString = (s: string) => replacements.reduce((acc, [re, to]) => acc.replace(re, to), s);

  let shift = 0n;
  if (options.rebaseTimes !== false && spans.length > 0) {
    const earliest = spans.reduce(
      (min, s) => (toNs(s.startTime) < min ? toNs(s.startTime) : min),
      toNs(spans[0]!.startTime),
    );
    shift = toNs(FIXTURE_EPOCH) - earliest;
  }
  const move = (t: HrTime): HrTime => fromNs(toNs(t) + shift);

  return spans.map((s) => {
    const out: RecordedSpan = {
      ...s,
      name: fixString(s.name),
      startTime: move(s.startTime),
      endTime: move(s.endTime),
      attributes: mapStrings(s.attributes, fixString),
      events: s.events.map((e) => ({ ...e, time: move(e.time), attributes: mapStrings(e.attributes, fixString) })),
      links: s.links.map((l) => ({ ...l, attributes: mapStrings(l.attributes, fixString) })),
    };
    if (s.status.message !== undefined) out.status = { ...s.status, message: fixString(s.status.message) };
    return out;
  });
}

// ---------------------------------------------------------------------------
// Loading fixtures

export function fixturePath(name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new Error(`Bad fixture name: ${name}`);
  return path.join(FIXTURES_DIR, `${name}.json`);
}

/** Names of all recorded fixtures (file names without `.json`), sorted. */
export function listFixtures(): string[] {
  if (!fs.existsSync(FIXTURES_DIR)) return [];
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadFixtureFile(name: string): FixtureFile {
  return JSON.parse(fs.readFileSync(fixturePath(name), 'utf8')) as FixtureFile;
}

/** The spans of test/fixtures/recorded/<name>.json, in export order, as ReadableSpans. */
export function loadFixture(name: string): ReadableSpan[] {
  return loadFixtureFile(name).spans.map(spanFromJson);
}

/** `JSON.stringify(value, null, 2)`, with arrays of numbers (HrTimes, vectors) kept on one line. */
export function stringifyFixture(value: unknown): string {
  // only pretty-printed arrays match (a raw newline follows `[`), never text inside JSON strings
  const numbers = /\[\n\s*(-?\d[\d.eE+-]*(?:,\n\s*-?\d[\d.eE+-]*)*)\n\s*\]/g;
  return JSON.stringify(value, null, 2).replace(
    numbers,
    (_m, inner: string) => `[${inner.split(/,\n\s*/).join(', ')}]`,
  );
}

export function writeFixtureFile(name: string, file: FixtureFile): void {
  fs.mkdirSync(FIXTURES_DIR, { recursive: true });
  fs.writeFileSync(fixturePath(name), `${stringifyFixture(file)}\n`);
}
