import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import sinon from 'sinon';
import {
  isLlmOrApplicationSpan,
  TraceSelection,
  type SkipReason,
  type SpanSelector,
  type TraceSelectionLimits,
} from '../../src/delivery/trace-selection';
import { spanRecorder, startChild, type SpanRecorder } from '../helpers/sdk-spans';

const HTTP = '@opentelemetry/instrumentation-http';
const PG = '@opentelemetry/instrumentation-pg';

interface Skipped {
  spans: number;
  traces: number;
  reasons: SkipReason[];
}

function selection(
  selector: SpanSelector = isLlmOrApplicationSpan,
  limits: Partial<TraceSelectionLimits> = {},
): { selection: TraceSelection; skipped: Skipped; selectorErrors: unknown[] } {
  const skipped: Skipped = { spans: 0, traces: 0, reasons: [] };
  const selectorErrors: unknown[] = [];
  const made = new TraceSelection(
    selector,
    {
      onSkipped(spans, traces, reason) {
        skipped.spans += spans;
        skipped.traces += traces;
        skipped.reasons.push(reason);
      },
      onSelectorError: (error) => selectorErrors.push(error),
    },
    { maxHeldSpans: 100, maxHoldMillis: 1000, maxRememberedTraces: 100, ...limits },
  );
  return { selection: made, skipped, selectorErrors };
}

/** An auto-instrumented request: an HTTP server root, a pg query, and optionally an LLM call made by the app. */
function request(recorder: SpanRecorder, withLlm: boolean): { root: Span; query: Span; llm?: Span } {
  const http = recorder.tracerFor(HTTP);
  const pg = recorder.tracerFor(PG);
  const root = http.startSpan('GET /chat', { kind: SpanKind.SERVER });
  const query = startChild(pg, 'pg.query:SELECT', root, { kind: SpanKind.CLIENT });
  const llm = withLlm
    ? startChild(http, 'POST', root, { kind: SpanKind.CLIENT, attributes: { 'gen_ai.request.model': 'gpt-4o' } })
    : undefined;
  return { root, query, ...(llm ? { llm } : {}) };
}

function ids(spans: readonly { name: string }[]): string[] {
  return spans.map((span) => span.name).sort();
}

describe('trace selection: isLlmOrApplicationSpan', () => {
  const recorder = spanRecorder();
  const one = (tracer: Tracer, attributes: Record<string, string> = {}): ReadableSpan => {
    tracer.startSpan('s', { attributes }).end();
    return recorder.take()[0]!;
  };

  it('a span of a known infrastructure instrumentation is not work; one from any other tracer is', () => {
    assert.equal(isLlmOrApplicationSpan(one(recorder.tracerFor(HTTP))), false);
    assert.equal(isLlmOrApplicationSpan(one(recorder.tracerFor('@opentelemetry/instrumentation-ioredis'))), false);
    assert.equal(isLlmOrApplicationSpan(one(recorder.tracerFor('checkout-service'))), true);
    assert.equal(
      isLlmOrApplicationSpan(one(recorder.tracerFor('@arizeai/openinference-instrumentation-openai'))),
      true,
    );
    assert.equal(isLlmOrApplicationSpan(one(recorder.tracerFor('@opentelemetry/instrumentation-openai'))), true);
  });

  it('an infrastructure span with LLM-convention, HoneyHive or session attributes is work', () => {
    const http = recorder.tracerFor(HTTP);
    for (const key of [
      'gen_ai.request.model',
      'llm.model_name',
      'ai.model.id',
      'openinference.span.kind',
      'input.value',
      'traceloop.span.kind',
      'langsmith.span.kind',
      'honeyhive_event_type',
      'honeyhive_session_id',
      'session.id',
    ]) {
      assert.equal(isLlmOrApplicationSpan(one(http, { [key]: 'x' })), true, key);
    }
    assert.equal(isLlmOrApplicationSpan(one(http, { 'http.route': '/health', 'url.path': '/health' })), false);
  });
});

describe('trace selection: TraceSelection', () => {
  let recorder: SpanRecorder;
  beforeEach(() => {
    recorder = spanRecorder();
  });

  it('keeps a trace with LLM work whole, infrastructure spans included, decided within the batch', () => {
    const { selection: select, skipped } = selection();
    const { root, query, llm } = request(recorder, true);
    query.end();
    llm!.end();
    root.end();
    const batch = recorder.take();
    assert.deepEqual(ids(select.select(batch)), ['GET /chat', 'POST', 'pg.query:SELECT']);
    assert.deepEqual(skipped, { spans: 0, traces: 0, reasons: [] });
    assert.equal(select.heldSpanCount, 0);
  });

  it('skips a trace made only of infrastructure spans once its local root ends, and counts it', () => {
    const { selection: select, skipped } = selection();
    const { root, query } = request(recorder, false);
    query.end();
    root.end();
    assert.deepEqual(select.select(recorder.take()), []);
    assert.deepEqual(skipped, { spans: 2, traces: 1, reasons: ['infrastructure-only'] });
  });

  it('holds an undecided trace across batches, then sends its held spans with the span that decides it', () => {
    const { selection: select, skipped } = selection();
    const { root, query, llm } = request(recorder, true);
    query.end();
    assert.deepEqual(select.select(recorder.take()), []);
    assert.equal(select.heldSpanCount, 1);
    llm!.end();
    assert.deepEqual(ids(select.select(recorder.take())), ['POST', 'pg.query:SELECT']);
    assert.equal(select.heldSpanCount, 0);
    root.end();
    assert.deepEqual(ids(select.select(recorder.take())), ['GET /chat'], 'later spans follow the decision');
    assert.equal(skipped.spans, 0);
  });

  it('skips held spans with their root when it ends in a later batch, and later stragglers too', () => {
    const { selection: select, skipped } = selection();
    const { root, query } = request(recorder, false);
    const late = startChild(recorder.tracerFor(PG), 'pg.query:late', root);
    query.end();
    select.select(recorder.take());
    root.end();
    assert.deepEqual(select.select(recorder.take()), []);
    late.end();
    assert.deepEqual(select.select(recorder.take()), []);
    assert.deepEqual(skipped, { spans: 3, traces: 1, reasons: ['infrastructure-only', 'infrastructure-only'] });
  });

  it('a work span after its trace was skipped is still sent (the rest of the trace was gone already)', () => {
    const { selection: select } = selection();
    const { root, query, llm } = request(recorder, true);
    query.end();
    root.end();
    assert.deepEqual(select.select(recorder.take()), []);
    llm!.end();
    assert.deepEqual(ids(select.select(recorder.take())), ['POST']);
  });

  it('a root whose parent is remote is a local root: its trace is decided when it ends', () => {
    const { selection: select, skipped } = selection();
    const http = recorder.tracerFor(HTTP);
    const remoteParent = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    };
    http.startSpan('GET /health', { kind: SpanKind.SERVER }, trace.setSpanContext(ROOT_CONTEXT, remoteParent)).end();
    assert.deepEqual(select.select(recorder.take()), []);
    assert.equal(skipped.traces, 1);
    assert.equal(select.heldSpanCount, 0);
  });

  it('skips held spans after the time limit, on an unref’d timer', () => {
    const clock = sinon.useFakeTimers({ now: 1_000_000 });
    try {
      const { selection: select, skipped } = selection(isLlmOrApplicationSpan, { maxHoldMillis: 1000 });
      const { query } = request(recorder, false);
      query.end();
      select.select(recorder.take());
      assert.equal(select.heldSpanCount, 1);
      clock.tick(999);
      assert.equal(select.heldSpanCount, 1);
      clock.tick(1);
      assert.equal(select.heldSpanCount, 0);
      assert.deepEqual(skipped, { spans: 1, traces: 1, reasons: ['held-too-long'] });
    } finally {
      clock.restore();
    }
  });

  it('holds at most maxHeldSpans: the oldest undecided traces are skipped first', () => {
    const { selection: select, skipped } = selection(isLlmOrApplicationSpan, { maxHeldSpans: 2 });
    const open: Span[] = [];
    for (let i = 0; i < 3; i++) {
      const { root, query } = request(recorder, false);
      open.push(root);
      query.end();
      select.select(recorder.take());
    }
    assert.equal(select.heldSpanCount, 2);
    assert.deepEqual(skipped, { spans: 1, traces: 1, reasons: ['held-too-many'] });
    for (const root of open) root.end();
  });

  it('close() skips whatever is still held', () => {
    const { selection: select, skipped } = selection();
    const { query } = request(recorder, false);
    query.end();
    select.select(recorder.take());
    select.close();
    assert.equal(select.heldSpanCount, 0);
    assert.deepEqual(skipped, { spans: 1, traces: 1, reasons: ['shutdown'] });
  });

  it('a user selector replaces the rule; one that throws counts its span as work and is reported', () => {
    const byName = selection((span) => span.name === 'GET /chat');
    const first = request(recorder, false);
    first.query.end();
    first.root.end();
    assert.deepEqual(ids(byName.selection.select(recorder.take())), ['GET /chat', 'pg.query:SELECT']);

    const throwing = selection(() => {
      throw new Error('selector bug');
    });
    const second = request(recorder, false);
    second.query.end();
    second.root.end();
    assert.equal(throwing.selection.select(recorder.take()).length, 2);
    assert.equal(throwing.selectorErrors.length > 0, true);
  });

  it('spans of several traces in one batch are each decided on their own', () => {
    const { selection: select, skipped } = selection();
    const withLlm = request(recorder, true);
    const without = request(recorder, false);
    for (const span of [withLlm.query, withLlm.llm!, without.query, withLlm.root, without.root]) span.end();
    const kept = select.select(recorder.take());
    assert.equal(kept.length, 3);
    assert.ok(kept.every((span) => span.spanContext().traceId === withLlm.root.spanContext().traceId));
    assert.deepEqual(skipped, { spans: 2, traces: 1, reasons: ['infrastructure-only'] });
  });
});
