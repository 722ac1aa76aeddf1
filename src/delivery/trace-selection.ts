/**
 * Which traces are worth sending: by default every trace that holds LLM or
 * application work, whole (its HTTP root and database spans included, so the
 * tree stays), and none made only of spans from known infrastructure
 * instrumentations (health checks, static files, background polling).
 * HoneyHive bills per event, and an auto-instrumented app makes far more of
 * those spans than LLM spans.
 *
 * A trace is decided by its spans: one span of LLM or application work keeps
 * it (see {@link isLlmOrApplicationSpan}); its local root ending without one
 * skips it. Most batches hold the answer (a root ends after its children);
 * the spans of a trace not yet decided are held, bounded in number and time,
 * until a later batch decides it.
 */
import type { DiagLogger } from '@opentelemetry/api';
import type { ReadableSpan } from '../otel-sdk';
import { BoundedMap } from '../bounded-map';
import { errorMessage } from '../error-message';
import { SESSION_ID_KEYS } from '../transform/conventions';
import type { ExportableSpan, LegacyReadableSpan } from '../transform';
import type { StatsRecorder } from './stats';

/** Says whether one span is LLM or application work, so that its trace is worth exporting. */
export type SpanSelector = (span: ReadableSpan) => boolean;

/**
 * `'application'` (the default): export traces that hold LLM or application work, whole, and skip those made
 * only of infrastructure instrumentation spans. `'all'`: export every trace. A function: it decides, span by
 * span, what counts as work worth a trace; a trace with any span it accepts is exported whole.
 */
export type TraceSelectionOption = 'application' | 'all' | SpanSelector;

/** The selections named by a string (`HH_TRACE_SELECTION`). */
export const TRACE_SELECTIONS: readonly ('application' | 'all')[] = ['application', 'all'];

/**
 * Instrumentation scopes whose spans are infrastructure: a trace made only of these is skipped by default.
 * (OpenTelemetry's own LLM instrumentations, such as `@opentelemetry/instrumentation-openai`, are not here;
 * an AWS SDK span calling Bedrock carries `gen_ai.*` attributes, which decide on their own.)
 */
export const INFRASTRUCTURE_SCOPES: ReadonlySet<string> = new Set(
  [
    'amqplib',
    'aws-lambda',
    'aws-sdk',
    'cassandra-driver',
    'connect',
    'cucumber',
    'dataloader',
    'dns',
    'document-load',
    'express',
    'fastify',
    'fetch',
    'fs',
    'generic-pool',
    'graphql',
    'grpc',
    'hapi',
    'http',
    'ioredis',
    'kafkajs',
    'knex',
    'koa',
    'lru-memoizer',
    'memcached',
    'mongodb',
    'mongoose',
    'mysql',
    'mysql2',
    'nestjs-core',
    'net',
    'oracledb',
    'pg',
    'redis',
    'redis-4',
    'restify',
    'router',
    'socket.io',
    'tedious',
    'undici',
    'user-interaction',
    'xml-http-request',
  ].map((name) => `@opentelemetry/instrumentation-${name}`),
);

/**
 * Attribute names or prefixes of the LLM convention families (OpenTelemetry GenAI, OpenInference,
 * OpenLLMetry / Traceloop, Vercel AI SDK, LangSmith) and of HoneyHive's own attributes.
 */
const LLM_ATTRIBUTE_PREFIXES: readonly string[] = [
  'gen_ai.',
  'llm.',
  'ai.',
  'openinference.',
  'input.value',
  'output.value',
  'embedding.',
  'retrieval.',
  'reranker.',
  'tool.name',
  'traceloop.',
  'langsmith.',
  'honeyhive',
];

function scopeName(span: ExportableSpan): string | undefined {
  return (
    (span as Partial<ReadableSpan>).instrumentationScope?.name ??
    (span as Partial<LegacyReadableSpan>).instrumentationLibrary?.name
  );
}

function hasLlmOrSessionAttribute(span: ExportableSpan): boolean {
  const attributes = span.attributes;
  if (attributes === undefined || attributes === null) return false;
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    for (const prefix of LLM_ATTRIBUTE_PREFIXES) if (key.startsWith(prefix)) return true;
  }
  for (const key of SESSION_ID_KEYS) if (Object.hasOwn(attributes, key)) return true;
  return false;
}

/**
 * The default rule: a span of an LLM convention family, a span with HoneyHive or session attributes, or a
 * span from a tracer that is not a known infrastructure instrumentation (the application's own, or an LLM
 * framework's). Users who replace the rule can build on it.
 */
export function isLlmOrApplicationSpan(span: ReadableSpan): boolean {
  const scope = scopeName(span);
  if (scope === undefined || !INFRASTRUCTURE_SCOPES.has(scope)) return true;
  return hasLlmOrSessionAttribute(span);
}

/** A span with no parent, or whose parent lives in another process: the last span of its trace here to end, usually. */
function isLocalRoot(span: ExportableSpan): boolean {
  const modern = span as Partial<ReadableSpan>;
  if (modern.parentSpanContext !== undefined) return modern.parentSpanContext.isRemote === true;
  return !(span as Partial<LegacyReadableSpan>).parentSpanId;
}

/** Undefined for a span that cannot say (the transform reports it as unreadable). */
function traceIdOf(span: ExportableSpan): string | undefined {
  try {
    const traceId = span.spanContext().traceId;
    return typeof traceId === 'string' && traceId !== '' ? traceId : undefined;
  } catch {
    return undefined;
  }
}

export interface TraceSelectionLimits {
  /** Spans of undecided traces held at most; beyond it the oldest held traces are skipped. */
  maxHeldSpans: number;
  /** How long a trace stays undecided before its held spans are skipped. */
  maxHoldMillis: number;
  /** Decisions remembered, so later spans of a decided trace follow it. */
  maxRememberedTraces: number;
}

export const DEFAULT_SELECTION_LIMITS: TraceSelectionLimits = {
  maxHeldSpans: 4096,
  maxHoldMillis: 30_000,
  maxRememberedTraces: 10_000,
};

/** Why spans were skipped, for the one debug line that explains it. */
export type SkipReason = 'infrastructure-only' | 'held-too-long' | 'held-too-many' | 'shutdown';

export interface TraceSelectionHooks {
  /** Spans (and the traces they first skipped) left out. */
  onSkipped(spans: number, traces: number, reason: SkipReason): void;
  /** The user's selector threw; the span counts as selected. */
  onSelectorError(error: unknown): void;
}

interface HeldTrace {
  spans: ExportableSpan[];
  deadline: number;
}

type Decision = 'keep' | 'skip';

export class TraceSelection {
  private readonly decisions: BoundedMap<string, Decision>;
  /** Undecided traces in the order they were first held, so the oldest is first. */
  private readonly held = new Map<string, HeldTrace>();
  private heldSpans = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly selector: SpanSelector,
    private readonly hooks: TraceSelectionHooks,
    private readonly limits: TraceSelectionLimits = DEFAULT_SELECTION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.decisions = new BoundedMap(limits.maxRememberedTraces);
  }

  /** Spans of undecided traces held now. */
  get heldSpanCount(): number {
    return this.heldSpans;
  }

  /**
   * The spans to export now: this batch's spans of kept traces, with the spans held earlier for the traces
   * this batch decided. The rest is held or skipped.
   */
  select(batch: readonly ExportableSpan[]): ExportableSpan[] {
    const byTrace = new Map<string, ExportableSpan[]>();
    const selected: ExportableSpan[] = [];
    for (const span of batch) {
      const traceId = traceIdOf(span);
      // The transform reports a span it cannot read; selection is not the place to lose it quietly.
      if (traceId === undefined) selected.push(span);
      else {
        const group = byTrace.get(traceId);
        if (group === undefined) byTrace.set(traceId, [span]);
        else group.push(span);
      }
    }
    for (const [traceId, spans] of byTrace) this.decide(traceId, spans, selected);
    this.evictOverLimit();
    this.schedule();
    return selected;
  }

  /** Skips everything still held (at shutdown: no later span can decide it). */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const traceId of [...this.held.keys()]) this.skipHeld(traceId, 'shutdown');
  }

  private decide(traceId: string, spans: ExportableSpan[], selected: ExportableSpan[]): void {
    const decision = this.decisions.get(traceId);
    if (decision === 'keep') {
      for (const span of spans) selected.push(span);
      return;
    }
    if (spans.some((span) => this.isWork(span))) {
      this.decisions.set(traceId, 'keep');
      const held = this.release(traceId);
      if (held !== undefined) for (const span of held) selected.push(span);
      for (const span of spans) selected.push(span);
      return;
    }
    if (decision === 'skip') {
      this.hooks.onSkipped(spans.length, 0, 'infrastructure-only');
      return;
    }
    if (spans.some(isLocalRoot)) {
      const held = this.release(traceId);
      this.decisions.set(traceId, 'skip');
      this.hooks.onSkipped(spans.length + (held?.length ?? 0), 1, 'infrastructure-only');
      return;
    }
    const held = this.held.get(traceId);
    if (held === undefined)
      this.held.set(traceId, { spans: [...spans], deadline: this.now() + this.limits.maxHoldMillis });
    else for (const span of spans) held.spans.push(span);
    this.heldSpans += spans.length;
  }

  private isWork(span: ExportableSpan): boolean {
    try {
      return this.selector(span as ReadableSpan) === true;
    } catch (error) {
      this.hooks.onSelectorError(error);
      return true;
    }
  }

  private release(traceId: string): ExportableSpan[] | undefined {
    const held = this.held.get(traceId);
    if (held === undefined) return undefined;
    this.held.delete(traceId);
    this.heldSpans -= held.spans.length;
    return held.spans;
  }

  /** A trace held too long or crowded out: skipped as far as it is known, and decided afresh by its later spans. */
  private skipHeld(traceId: string, reason: SkipReason): void {
    const held = this.release(traceId);
    if (held !== undefined) this.hooks.onSkipped(held.length, 1, reason);
  }

  private evictOverLimit(): void {
    for (const traceId of this.held.keys()) {
      if (this.heldSpans <= this.limits.maxHeldSpans) return;
      this.skipHeld(traceId, 'held-too-many');
    }
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    for (const [traceId, held] of this.held) {
      if (held.deadline > now) break;
      this.skipHeld(traceId, 'held-too-long');
    }
    this.schedule();
  }

  /** One timer, for the oldest held trace's deadline; unref'd, so held spans never keep the process alive. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    const oldest = this.held.values().next().value;
    if (oldest === undefined) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest.deadline - this.now()));
    this.timer.unref();
  }
}

/** Where a selection reports: the exporter's counters and logger. */
export interface SelectionReporting {
  stats: StatsRecorder;
  log: DiagLogger;
  /** Removes secrets from what a user's selector threw, before it is logged. */
  redact(message: string): string;
}

const SKIP_EXPLANATIONS: Readonly<Record<SkipReason, string>> = {
  'infrastructure-only': 'it holds only spans of infrastructure instrumentations (HTTP, Express, pg, Redis, fs, DNS…)',
  'held-too-long': 'no span of LLM or application work came before the time limit for undecided traces',
  'held-too-many': 'too many spans of undecided traces were held at once',
  shutdown: 'the exporter shut down before the trace was decided',
};

/**
 * The selection an option asks for, counting what it skips in the exporter's stats and explaining it once in
 * a debug line; undefined for `'all'`, which exports every span.
 */
export function createTraceSelection(
  option: TraceSelectionOption,
  reporting: SelectionReporting,
): TraceSelection | undefined {
  if (option === 'all') return undefined;
  const selector = option === 'application' ? isLlmOrApplicationSpan : option;
  let explained = false;
  let selectorFailed = false;
  return new TraceSelection(selector, {
    onSkipped(spans, traces, reason) {
      reporting.stats.add('spansReceived', spans);
      reporting.stats.add('spansSkipped', spans);
      reporting.stats.add('tracesSkipped', traces);
      if (explained) return;
      explained = true;
      reporting.log.debug(
        `skipped a trace of ${spans} span(s): ${SKIP_EXPLANATIONS[reason]}. HoneyHive bills per event, so by default ` +
          "only traces with LLM or application work are exported (counted in getStats().spansSkipped); set traceSelection: 'all' " +
          '(HH_TRACE_SELECTION=all) to export every trace. This line is logged once.',
      );
    },
    onSelectorError(error) {
      if (selectorFailed) return;
      selectorFailed = true;
      reporting.log.warn(
        `the traceSelection function threw (${reporting.redact(errorMessage(error))}); spans it fails on count as work and are exported. Logged once.`,
      );
    },
  });
}
