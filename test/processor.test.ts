import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { context, diag, trace, TraceFlags, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BasicTracerProvider as BasicTracerProviderV1 } from 'sdk-trace-base-v1';
import sinon from 'sinon';
import { eventIdForSpan, HoneyHiveConfigError, HoneyHiveSpanProcessor, withSession } from '../src';
import { startDevServer, type DevServerHandle } from '../src/dev-server';
import { TEST_API_KEY } from './helpers/export';

const run = promisify(execFile);

/** An exporter that records each batch and answers as told. */
class RecordingExporter implements SpanExporter {
  batches: ReadableSpan[][] = [];
  answer: ExportResult = { code: ExportResultCode.SUCCESS };
  shutdowns = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans);
    setImmediate(() => done(this.answer));
  }
  shutdown(): Promise<void> {
    this.shutdowns += 1;
    return Promise.resolve();
  }
}

function captureWarnings(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: (...args) => warnings.push(args.join(' ')),
    warn: (...args) => warnings.push(args.join(' ')),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger);
  return { warnings, restore: () => diag.disable() };
}

describe('HoneyHiveSpanProcessor', () => {
  let server: DevServerHandle;
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(() => context.disable());
  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('alone in NodeTracerProvider puts a withSession unit of work, children exported first, in one session', async () => {
    const processor = new HoneyHiveSpanProcessor({ apiKey: TEST_API_KEY, serverUrl: server.url, project: 'p' });
    const provider = new NodeTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('app');
    await withSession({ sessionId: 'chat-42', sessionName: 'Support chat' }, async () => {
      await tracer.startActiveSpan('handle request', async (root) => {
        tracer.startSpan('llm call', { attributes: { 'gen_ai.operation.name': 'chat' } }).end();
        await processor.forceFlush(); // the child goes out before its root
        root.end();
      });
    });
    await provider.shutdown();

    const sessions = server.store.sessions();
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]!.session_name, 'Support chat');
    assert.equal(sessions[0]!.event_count, 2);
    const tree = server.store.session(sessions[0]!.session_id)!.tree;
    assert.equal(tree[0]!.event.event_name, 'handle request');
    assert.equal(tree[0]!.children[0]!.event.event_type, 'model');
  });

  it('alone in NodeSDK({ spanProcessors }) does the same, and shutdown waits on nothing else', async () => {
    const processor = new HoneyHiveSpanProcessor({ apiKey: TEST_API_KEY, serverUrl: server.url });
    const sdk = new NodeSDK({ spanProcessors: [processor], metricReaders: [], logRecordProcessors: [] });
    sdk.start();
    try {
      const tracer = trace.getTracer('app');
      withSession('conversation-7', () => {
        tracer.startActiveSpan('turn 1', (span) => span.end());
        tracer.startActiveSpan('turn 2', (span) => span.end());
      });
    } finally {
      const started = Date.now();
      await sdk.shutdown();
      assert.ok(Date.now() - started < 2000, `shutdown took ${Date.now() - started} ms`);
    }
    const sessions = server.store.sessions();
    assert.equal(sessions.length, 1, 'two traces, one session');
    assert.equal(sessions[0]!.event_count, 2);
  });

  it('enriches a session and an event through its exporter, so the one registration also serves feedback', async () => {
    const processor = new HoneyHiveSpanProcessor({ apiKey: TEST_API_KEY, serverUrl: server.url });
    const provider = new NodeTracerProvider({ spanProcessors: [processor] });
    let eventId = '';
    withSession('rated-chat', () =>
      provider.getTracer('app').startActiveSpan('turn', (span) => {
        const { traceId, spanId } = span.spanContext();
        eventId = eventIdForSpan(traceId, spanId);
        span.end();
      }),
    );
    await processor.forceFlush();
    const sessionId = server.store.sessions()[0]!.session_id;

    assert.deepEqual(await processor.enrichSession('rated-chat', { feedback: { rating: 5 } }), { ok: true });
    assert.deepEqual(await processor.enrichEvent(eventId, { metrics: { latency_score: 0.8 } }), { ok: true });
    await provider.shutdown();
    const stored = server.store.session(sessionId)!;
    assert.deepEqual(stored.session.feedback, { rating: 5 });
    assert.deepEqual(stored.tree[0]!.event.metrics, { latency_score: 0.8 });
  });

  it('answers an enrichment with an error, never a rejection, when its exporter is not ours', async () => {
    const processor = new HoneyHiveSpanProcessor({ exporter: new RecordingExporter() });
    const result = await processor.enrichSession('s', { feedback: { rating: 1 } });
    assert.match(!result.ok ? result.error.message : '', /enrichSession: .*not a HoneyHiveSpanExporter/);
    const event = await processor.enrichEvent('00000000-0000-4000-8000-000000000000', { metrics: { m: 1 } });
    assert.match(!event.ok ? event.error.message : '', /enrichEvent: /);
    await processor.shutdown();
  });

  it('registers in an SDK 1.x tracer provider too', async () => {
    const processor = new HoneyHiveSpanProcessor({ apiKey: TEST_API_KEY, serverUrl: server.url });
    const provider = new BasicTracerProviderV1();
    provider.addSpanProcessor(processor as unknown as Parameters<BasicTracerProviderV1['addSpanProcessor']>[0]);
    const tracer = provider.getTracer('legacy');
    withSession({ sessionId: 'legacy-session', sessionName: 'Legacy' }, () => {
      tracer.startSpan('first').end();
      tracer.startSpan('second').end();
    });
    await provider.shutdown();
    const sessions = server.store.sessions();
    assert.deepEqual(
      sessions.map((session) => [session.session_name, session.event_count]),
      [['Legacy', 2]],
    );
  });

  describe('batching', () => {
    let clock: sinon.SinonFakeTimers;
    afterEach(() => clock?.restore());

    function provided(options: ConstructorParameters<typeof HoneyHiveSpanProcessor>[0]) {
      const exporter = new RecordingExporter();
      const processor = new HoneyHiveSpanProcessor({ ...options, exporter });
      const provider = new NodeTracerProvider({ spanProcessors: [processor] });
      return { exporter, processor, provider, tracer: provider.getTracer('batching') };
    }

    it('exports a batch once the scheduled delay has passed, not before', async () => {
      clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const { exporter, tracer } = provided({ scheduledDelayMillis: 1000 });
      tracer.startSpan('a').end();
      tracer.startSpan('b').end();
      await clock.tickAsync(999);
      assert.equal(exporter.batches.length, 0);
      await clock.tickAsync(1);
      clock.restore();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        exporter.batches.map((batch) => batch.map((span) => span.name)),
        [['a', 'b']],
      );
    });

    it('exports at once when a full batch is queued, in batches of maxExportBatchSize', async () => {
      const { exporter, processor, tracer } = provided({ maxExportBatchSize: 2 });
      for (const name of ['a', 'b', 'c']) tracer.startSpan(name).end();
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        exporter.batches[0]!.map((span) => span.name),
        ['a', 'b'],
      );
      await processor.forceFlush();
      assert.deepEqual(
        exporter.batches.map((batch) => batch.length),
        [2, 1],
      );
    });

    it('drops spans past maxQueueSize, counts them and warns once', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const { exporter, processor, tracer } = provided({ maxQueueSize: 2, scheduledDelayMillis: 60_000 });
        for (const name of ['a', 'b', 'c', 'd']) tracer.startSpan(name).end();
        assert.equal(processor.droppedSpanCount, 2);
        assert.equal(warnings.filter((line) => /queue full/.test(line)).length, 1);
        await processor.forceFlush();
        assert.deepEqual(
          exporter.batches.flat().map((span) => span.name),
          ['a', 'b'],
        );
      } finally {
        restore();
      }
    });

    it('leaves out spans that were not sampled', async () => {
      const { exporter, processor } = provided({});
      const unsampled = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 0 });
      processor.onEnd({ spanContext: () => unsampled.spanContext() } as unknown as ReadableSpan);
      await processor.forceFlush();
      assert.equal(exporter.batches.length, 0);
      assert.equal(TraceFlags.NONE, 0);
    });

    it('survives an exporter that fails or throws: flush and shutdown resolve, a warning says what failed', async () => {
      const { warnings, restore } = captureWarnings();
      try {
        const { exporter, processor, tracer } = provided({});
        exporter.answer = { code: ExportResultCode.FAILED, error: new Error('backend down') };
        tracer.startSpan('a').end();
        await processor.forceFlush();
        exporter.export = () => {
          throw new Error('exporter bug');
        };
        exporter.shutdown = () => Promise.reject(new Error('shutdown bug'));
        tracer.startSpan('b').end();
        await processor.shutdown();
        assert.ok(warnings.some((line) => /failed: backend down/.test(line)));
        assert.ok(warnings.some((line) => /threw: Error: exporter bug/.test(line)));
        assert.ok(warnings.some((line) => /shutdown failed: Error: shutdown bug/.test(line)));
      } finally {
        restore();
      }
    });

    it('on shutdown exports what is queued, shuts the exporter down once and ignores later spans', async () => {
      const { exporter, processor, tracer } = provided({ scheduledDelayMillis: 60_000 });
      tracer.startSpan('before').end();
      await Promise.all([processor.shutdown(), processor.shutdown()]);
      tracer.startSpan('after').end();
      await processor.forceFlush();
      assert.deepEqual(
        exporter.batches.flat().map((span) => span.name),
        ['before'],
      );
      assert.equal(exporter.shutdowns, 1);
    });
  });

  it('refuses a bad batching option with a HoneyHiveConfigError naming it', () => {
    assert.throws(
      () => new HoneyHiveSpanProcessor({ exporter: new RecordingExporter(), maxExportBatchSize: 0 }),
      (error: unknown) => error instanceof HoneyHiveConfigError && /maxExportBatchSize/.test(error.message),
    );
  });

  it('with no API key anywhere, says to set HH_API_KEY or pass { apiKey } to it', () => {
    const env = sinon.stub(process, 'env').value({});
    try {
      assert.throws(
        () => new HoneyHiveSpanProcessor(),
        (error: unknown) =>
          error instanceof HoneyHiveConfigError &&
          /Set HH_API_KEY, or pass \{ apiKey \} to HoneyHiveSpanProcessor/.test(error.message),
      );
    } finally {
      env.restore();
    }
  });
});

describe('withSession without a session-stamping processor', function () {
  this.timeout(30_000);
  // Run in a fresh process: this one has made processors already.
  async function warningsOf(setup: string): Promise<string[]> {
    const script = [
      "const { diag } = require('@opentelemetry/api');",
      "const hh = require('./src');",
      'const lines = [];',
      'const keep = (...args) => lines.push(args.join(" "));',
      'diag.setLogger({ warn: keep, error: keep, info() {}, debug() {}, verbose() {} });',
      setup,
      "hh.withSession('a', () => {});",
      "hh.withSession('b', () => {});",
      'console.log(JSON.stringify(lines));',
    ].join('\n');
    const root = path.resolve(__dirname, '..');
    const { stdout } = await run(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root });
    return JSON.parse(stdout) as string[];
  }

  it('warns once through diag, saying what to register', async () => {
    const warnings = await warningsOf('');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /withSession: no HoneyHiveSpanProcessor .* Register new HoneyHiveSpanProcessor\(\)/);
  });

  it('stays quiet once a HoneyHiveSpanProcessor or HoneyHiveSessionSpanProcessor exists', async () => {
    assert.deepEqual(await warningsOf("new hh.HoneyHiveSpanProcessor({ apiKey: 'k' });"), []);
    assert.deepEqual(await warningsOf('new hh.HoneyHiveSessionSpanProcessor();'), []);
  });
});
