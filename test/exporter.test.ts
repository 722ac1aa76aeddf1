import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace, type DiagLogger } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExportResultCode } from '@opentelemetry/core';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import sinon from 'sinon';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from '../src';
import { startDevServer, type DevServerHandle } from '../src/dev-server';
import { eventIdForSpan, sessionIdForName } from '../src/transform/ids';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version';
import { exportSpans, TEST_API_KEY } from './helpers/export';
import { spanRecorder, startChild } from './helpers/sdk-spans';

describe('HoneyHiveSpanExporter against the local server', () => {
  let server: DevServerHandle;
  const exporters: HoneyHiveSpanExporter[] = [];

  function newExporter(options: HoneyHiveExporterOptions = {}): HoneyHiveSpanExporter {
    const exporter = new HoneyHiveSpanExporter({
      apiKey: TEST_API_KEY,
      serverUrl: server.url,
      project: 'test-project',
      ...options,
    });
    exporters.push(exporter);
    return exporter;
  }

  function traceRequests(): string[] {
    return server.store.requests.map((request) => `${request.method} ${request.path}`);
  }

  /** The session events (type `session`) in the bodies the server received, by session id. */
  function sessionEventsSent(): string[] {
    return server.store.requests.flatMap((request) => {
      const events = (request.body as { events?: Array<{ event_type?: string; event_id: string }> } | undefined)
        ?.events;
      return (events ?? []).filter((event) => event.event_type === 'session').map((event) => event.event_id);
    });
  }

  beforeEach(async () => {
    server = await startDevServer({ port: 0 });
  });

  afterEach(async () => {
    await Promise.all(exporters.splice(0).map((exporter) => exporter.shutdown()));
    await server.close();
    sinon.restore();
    diag.disable();
  });

  it('delivers the spans of a NodeTracerProvider with a BatchSpanProcessor as one session tree', async () => {
    const exporter = newExporter();
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'quick-app' }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('app');
    const root = startChild(tracer, 'workflow');
    const retrieve = startChild(tracer, 'retrieve', root);
    retrieve.end();
    const chat = startChild(tracer, 'chat', root, {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
    });
    chat.end();
    root.end();
    await provider.shutdown();

    const [summary] = server.store.sessions();
    assert.ok(summary, 'a session arrived');
    assert.equal(summary.event_count, 3);
    assert.equal(summary.started, true);
    assert.equal(summary.session_name, 'workflow');
    assert.equal(summary.project, 'test-project');
    const details = server.store.session(summary.session_id)!;
    assert.deepEqual(details.warnings, []);
    assert.equal(details.tree.length, 1);
    assert.equal(details.tree[0]!.event.event_name, 'workflow');
    assert.equal(details.tree[0]!.event.event_type, 'chain');
    assert.deepEqual(
      details.tree[0]!.children.map((node) => [node.event.event_name, node.event.event_type]),
      [
        ['retrieve', 'tool'],
        ['chat', 'model'],
      ],
    );
    assert.deepEqual(
      traceRequests(),
      [`POST /session/${summary.session_id}/traces`],
      'the session travels with its events',
    );
    assert.deepEqual(sessionEventsSent(), [summary.session_id]);
  });

  it('sends the documented headers: Bearer key, JSON, a User-Agent and the hh-client-* headers naming the package, extra headers', async () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const result = await exportSpans(newExporter({ headers: { 'x-team': 'llm' } }), take());
    assert.equal(result.code, ExportResultCode.SUCCESS);
    const request = server.store.requests.at(-1)!;
    assert.equal(request.headers['content-type'], 'application/json');
    assert.match(
      request.headers['user-agent']!,
      new RegExp(`^${PACKAGE_NAME}/${PACKAGE_VERSION.replace(/\./g, '\\.')} `),
    );
    assert.equal(request.headers['x-team'], 'llm');
    for (const logged of server.store.requests) {
      assert.equal(logged.headers['hh-client-package'], PACKAGE_NAME);
      assert.equal(logged.headers['hh-client-version'], PACKAGE_VERSION);
      assert.equal(logged.headers['hh-client-language'], 'typescript');
    }
  });

  it('authenticates with the API key as a Bearer token', async () => {
    // The local server redacts the key in its request log, so a bare listener reads the header itself.
    const seen: string[] = [];
    const listener = http.createServer((request, response) => {
      seen.push(request.headers.authorization ?? '');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      const { tracer, take } = spanRecorder();
      tracer.startSpan('one').end();
      const exporter = newExporter({ serverUrl: `http://127.0.0.1:${port}` });
      assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
      await exporter.shutdown();
      assert.deepEqual(seen, [`Bearer ${TEST_API_KEY}`]);
    } finally {
      listener.closeAllConnections();
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('keeps the tree whole across batches, creates each session once and ends it when its root arrives', async () => {
    const exporter = newExporter();
    // The session processor stamps the root's session on children that end (and are exported) before it.
    const { tracer, take } = spanRecorder([new HoneyHiveSessionSpanProcessor()]);
    const root = startChild(tracer, 'root', undefined, { attributes: { 'session.id': 'conversation-1' } });
    const child = startChild(tracer, 'child', root);
    startChild(tracer, 'grandchild', child).end();
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    child.end();
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    root.end();
    const [rootSpan] = take() as [ReadableSpan];
    assert.equal((await exportSpans(exporter, [rootSpan])).code, ExportResultCode.SUCCESS);

    const sessionId = sessionIdForName('conversation-1');
    const details = server.store.session(sessionId)!;
    assert.ok(details, 'the root named the session, and the children exported before it joined it');
    assert.equal(details.events.length, 3);
    assert.deepEqual(details.warnings, []);
    const rootEvent = details.events.find((event) => event.event_name === 'root')!;
    assert.equal(rootEvent.event_id, eventIdForSpan(rootSpan.spanContext().traceId, rootSpan.spanContext().spanId));
    assert.equal(rootEvent.children_ids!.length, 1);
    assert.equal(details.tree[0]!.children[0]!.children[0]!.event.event_name, 'grandchild');
    assert.deepEqual(sessionEventsSent(), [sessionId], 'the session event went once, with the first batch');
    // The root came last: one update gave the session its end, from the legacy update route.
    assert.deepEqual(
      traceRequests().filter((line) => !line.endsWith('/traces')),
      ['PUT /events'],
    );
    assert.equal(details.session.end_time, rootEvent.end_time);
    assert.equal(details.session.duration, rootEvent.end_time! - details.session.start_time!);
  });

  it('sends no session event when createSessions is false', async () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    assert.equal((await exportSpans(newExporter({ createSessions: false }), take())).code, ExportResultCode.SUCCESS);
    assert.equal(traceRequests().length, 1);
    assert.match(traceRequests()[0]!, /^POST \/session\/[0-9a-f-]+\/traces$/);
    assert.deepEqual(sessionEventsSent(), []);
  });

  it('legacy: one request per session of an export, the session’s own event first and complete', async () => {
    const exporter = newExporter({ maxConcurrentRequests: 2 });
    const { tracer, take } = spanRecorder();
    // Twelve traces: twelve sessions, each one request carrying the session and its event.
    for (let i = 0; i < 12; i++) tracer.startSpan(`trace-${i}`, { attributes: { 'input.value': `q${i}` } }).end();
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    assert.equal(traceRequests().length, 12);
    for (const request of server.store.requests) {
      const [session, event] = (request.body as { events: Array<Record<string, unknown>> }).events;
      assert.equal(session!.event_type, 'session');
      assert.equal(session!.event_id, event!.session_id);
      assert.equal(session!.event_name, event!.event_name, 'named after its root span');
      assert.deepEqual(
        [session!.start_time, session!.end_time, session!.inputs],
        [event!.start_time, event!.end_time, event!.inputs],
        'ended with its root, whose inputs it has',
      );
    }
    assert.equal(server.store.sessions().filter((summary) => summary.started).length, 12);
  });

  it('succeeds on an empty batch without a request', async () => {
    assert.equal((await exportSpans(newExporter(), [])).code, ExportResultCode.SUCCESS);
    assert.equal(server.store.requests.length, 0);
  });

  it('handles concurrent exports: every event stored once, the shared session created once', async () => {
    const exporter = newExporter({ sessionId: 'shared' });
    const { tracer, take } = spanRecorder();
    const batches = Array.from({ length: 20 }, (_, i) => {
      tracer.startSpan(`span-${i}`).end();
      return take();
    });
    const results = await Promise.all(batches.map((batch) => exportSpans(exporter, batch)));
    assert.deepEqual(
      results.map((result) => result.code),
      Array(20).fill(ExportResultCode.SUCCESS),
    );
    assert.equal(server.store.events(sessionIdForName('shared')).length, 20);
    assert.deepEqual(sessionEventsSent(), [sessionIdForName('shared')]);
  });

  it('fails with the status and HoneyHive’s message on a non-2xx answer', async () => {
    server.faults.push({
      path: /\/traces$/,
      status: 401,
      body: { statusCode: 401, message: 'Invalid API key', success: false, errorCode: 'UNAUTHORIZED' },
    });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const result = await exportSpans(newExporter(), take());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(
      result.error!.message,
      /HoneyHive answered 401 to POST \/session\/[0-9a-f-]+\/traces: Invalid API key: check the API key/,
    );
  });

  it('quotes a plain-text error body from a proxy', async () => {
    server.faults.push({ path: /\/traces$/, status: 502, body: 'Bad Gateway from proxy', times: Infinity });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const result = await exportSpans(newExporter({ maxRetries: 0 }), take());
    assert.match(result.error!.message, /502 .*Bad Gateway from proxy/);
  });

  it('a hanging or failing session-start route holds nothing up: no start request is made, the session travels with its events', async () => {
    for (const path of ['/session/start', '/v1/sessions']) server.faults.push({ path, hang: true, times: Infinity });
    for (const apiVersion of ['legacy', 'v1'] as const) {
      const exporter = newExporter({ apiVersion, sessionId: `no-start-${apiVersion}`, exportTimeoutMillis: 2000 });
      const { tracer, take } = spanRecorder();
      for (let i = 0; i < 10; i++) tracer.startSpan(`span-${i}`).end();
      const began = Date.now();
      assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
      assert.ok(Date.now() - began < 1000, 'nothing waited for a start');
      const details = server.store.session(sessionIdForName(`no-start-${apiVersion}`))!;
      assert.equal(details.events.length, 10);
      assert.equal(details.started, true);
      assert.deepEqual(details.warnings, []);
    }
    assert.ok(!traceRequests().some((line) => line.endsWith('/session/start') || line.endsWith('/v1/sessions')));
  });

  it('a failed request takes the session event with its events, and the retry brings the session', async () => {
    server.faults.push({ path: /\/traces$/, status: 503 });
    const exporter = newExporter({ sessionId: 'retry-session', retryDelayMillis: 1 });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('first').end();
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    const bodies = server.store.requests.map((request) => JSON.stringify(request.body));
    assert.equal(bodies.length, 2);
    assert.equal(bodies[0], bodies[1], 'the same body, session event included');
    assert.equal(server.store.session(sessionIdForName('retry-session'))!.started, true);
  });

  it('fails, naming the address, when the server is down', async () => {
    const exporter = newExporter({ maxRetries: 1, retryDelayMillis: 1 });
    await server.close();
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const result = await exportSpans(exporter, take());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(
      result.error!.message,
      new RegExp(
        `could not reach HoneyHive at ${server.url.replace(/\./g, '\\.')} .*ECONNREFUSED\\) \\(after 2 attempts\\)`,
      ),
    );
  });

  it('fails after the request timeout when the server hangs', async () => {
    server.faults.push({ hang: true, times: 2 });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const result = await exportSpans(newExporter({ timeoutMillis: 150, maxRetries: 0 }), take());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(result.error!.message, /did not answer POST \/session\/[0-9a-f-]+\/traces within 150 ms/);
  });

  it('forceFlush waits for exports in flight', async () => {
    server.faults.push({ path: /\/traces$/, delayMs: 150 });
    const exporter = newExporter();
    const { tracer, take } = spanRecorder();
    tracer.startSpan('slow').end();
    const callback = sinon.spy();
    exporter.export(take(), callback);
    assert.equal(callback.callCount, 0);
    await exporter.forceFlush();
    assert.equal(callback.callCount, 1);
    assert.equal(callback.firstCall.args[0].code, ExportResultCode.SUCCESS);
  });

  it('shutdown flushes what is in flight, then every later export fails without a request', async () => {
    server.faults.push({ path: /\/traces$/, delayMs: 100 });
    const exporter = newExporter();
    const { tracer, take } = spanRecorder();
    tracer.startSpan('before').end();
    const inFlight = exportSpans(exporter, take());
    await exporter.shutdown();
    assert.equal((await inFlight).code, ExportResultCode.SUCCESS);
    const requestsBefore = server.store.requests.length;
    tracer.startSpan('after').end();
    const late = await exportSpans(exporter, take());
    assert.equal(late.code, ExportResultCode.FAILED);
    assert.match(late.error!.message, /shut down/);
    assert.equal(server.store.requests.length, requestsBefore);
    await exporter.shutdown();
  });

  it('never throws from export and calls back once, even when the callback throws', async () => {
    const exporter = newExporter();
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    const callback = sinon.stub().throws(new Error('callback exploded'));
    assert.doesNotThrow(() => exporter.export(take(), callback));
    assert.doesNotThrow(() => exporter.export(null as unknown as ReadableSpan[], callback));
    await exporter.forceFlush();
    assert.equal(callback.callCount, 2);
  });

  /** Runs `body` with HTTP instrumentation on and a registered provider, after proving an ordinary request is traced. */
  async function withTracedHttp(
    body: (traced: InMemorySpanExporter, provider: NodeTracerProvider) => Promise<void>,
  ): Promise<void> {
    const traced = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(traced)] });
    provider.register();
    const instrumentation = new HttpInstrumentation();
    instrumentation.setTracerProvider(provider);
    instrumentation.enable();
    try {
      // Proof the instrumentation works here (requiring http after enable() patches it): an ordinary request is traced.
      await new Promise<void>((resolve, reject) => {
        require('node:http')
          .get(`${server.url}/healthz`, (response: http.IncomingMessage) => response.resume().on('end', resolve))
          .on('error', reject);
      });
      assert.equal(traced.getFinishedSpans().length, 2, 'client and server span of the ordinary request');
      traced.reset();
      await body(traced, provider);
    } finally {
      instrumentation.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
    }
  }

  it('never traces its own requests, even with HTTP instrumentation on and no suppressed context', async () => {
    await withTracedHttp(async (traced, provider) => {
      const { tracer, take } = spanRecorder();
      tracer.startSpan('one').end();
      const spans = take();
      const exporter = newExporter();
      // Export from an active, unsuppressed span context, as a timer-driven caller would.
      await provider.getTracer('caller').startActiveSpan('caller', async (caller) => {
        assert.equal((await exportSpans(exporter, spans)).code, ExportResultCode.SUCCESS);
        caller.end();
      });
      // The local server runs in this process, so its incoming requests are traced (as SERVER spans);
      // the exporter's outgoing requests must not be.
      const kinds = traced.getFinishedSpans().map((span) => `${SpanKind[span.kind]} ${span.name}`);
      assert.deepEqual(kinds, ['SERVER POST', 'INTERNAL caller']);
      assert.equal(server.store.requests.filter((request) => request.path.endsWith('/traces')).length, 1);
    });
  });

  it('sends structure, timings and token counts without any content when sendContent is false', async () => {
    const { tracer, take } = spanRecorder();
    const span = tracer.startSpan('chat', {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'PRIVATE PROMPT' }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: 'PRIVATE ANSWER' }] },
        ]),
        'input.value': 'PRIVATE INPUT',
      },
    });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed on PRIVATE PROMPT' });
    span.end();
    const exporter = newExporter({ sendContent: false });
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    const sent = JSON.stringify(server.store.requests.map((request) => request.body));
    assert.ok(!/PRIVATE/.test(sent), sent);
    const [event] = server.store.events();
    assert.equal(event!.event_type, 'model');
    assert.equal(event!.metadata!.content_omitted, true);
    assert.ok(sent.includes('gpt-4o') && sent.includes('12') && event!.duration! >= 0);
    assert.equal(event!.error, '[content omitted]');
  });

  it("lets a mask redact or drop each event (and each session's own event) before it leaves; a mask that throws sends no content", async () => {
    const { tracer, take } = spanRecorder();
    for (const name of ['redact-me', 'drop-me', 'break-me'])
      tracer.startSpan(name, { attributes: { 'input.value': `secret of ${name}` } }).end();
    const exporter = newExporter({
      mask: (event) => {
        if (event.event_name === 'drop-me') return null;
        if (event.event_name === 'break-me') throw new Error('mask bug');
        return { ...event, inputs: { redacted: true } };
      },
    });
    assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.SUCCESS);
    const events = server.store.events();
    assert.deepEqual(events.map((event) => event.event_name).sort(), ['break-me', 'redact-me']);
    assert.ok(!JSON.stringify(events).includes('secret of'));
    assert.ok(!JSON.stringify(server.store.requests).includes('secret of'), 'nor the sessions, which copy their root');
    assert.deepEqual(events.find((event) => event.event_name === 'redact-me')!.inputs, { redacted: true });
    assert.equal(
      events.find((event) => event.event_name === 'break-me')!.metadata!.mask_error,
      '[mask failed: content removed]',
    );
    const stats = exporter.getStats();
    assert.equal(stats.dropped.masked, 1, 'events of spans only');
    assert.equal(stats.maskFailures, 1, 'events of spans only');
  });

  it('counts what it did in getStats()', async () => {
    const { tracer, take } = spanRecorder();
    tracer.startSpan('one').end();
    tracer.startSpan('two').end();
    const exporter = newExporter({ sessionId: 'counted' });
    await exportSpans(exporter, take());
    const stats = exporter.getStats();
    assert.equal(stats.spansReceived, 2);
    assert.equal(stats.eventsSent, 2);
    assert.equal(stats.requests, 1, 'one request: the session and both events');
    assert.equal(stats.retries, 0);
    assert.equal(stats.requestsInFlight, 0);
    assert.equal(stats.pendingBytes, 0);
    assert.deepEqual(Object.values(stats.dropped), Array(Object.keys(stats.dropped).length).fill(0));
  });

  it('resends its spool from an unref’d timer, never tracing those requests', async () => {
    const intervals = sinon.spy(global, 'setInterval');
    const spoolDir = await mkdtemp(path.join(tmpdir(), 'hh-exporter-spool-'));
    try {
      await withTracedHttp(async (traced) => {
        const { port } = server;
        await server.close();
        const { tracer, take } = spanRecorder();
        tracer.startSpan('spooled').end();
        const exporter = newExporter({
          spoolDir,
          spoolIntervalMillis: 20,
          exportTimeoutMillis: 200,
          retryDelayMillis: 1,
        });
        assert.equal(intervals.returnValues.at(-1)!.hasRef(), false, 'the spool timer does not keep the process alive');
        assert.equal((await exportSpans(exporter, take())).code, ExportResultCode.FAILED);
        traced.reset();
        server = await startDevServer({ port });
        while (server.store.events().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        await exporter.shutdown();
        const clientSpans = traced.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
        assert.deepEqual(
          clientSpans.map((span) => span.name),
          [],
          'the resend was not traced',
        );
      });
    } finally {
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('never shows the API key in logs, errors, the exporter itself or its stats', async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]): void => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 5 }))).join(' '));
    };
    const logger: DiagLogger = { error: capture, warn: capture, info: capture, debug: capture, verbose: capture };
    diag.setLogger(logger, DiagLogLevel.ALL);
    const exporter = newExporter({ maxRetries: 0 });
    // A hostile or buggy server echoing the key back must not get it into our messages.
    server.faults.push({
      path: /\/traces$/,
      status: 400,
      body: { statusCode: 400, message: `bad key ${TEST_API_KEY}`, success: false, errorCode: 'X' },
    });
    server.faults.push({ path: /\/traces$/, status: 500, body: `oops Bearer ${TEST_API_KEY}` });
    const { tracer, take } = spanRecorder();
    const errors: string[] = [];
    for (let i = 0; i < 3; i++) {
      const span = tracer.startSpan(`span-${i}`);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      span.end();
      const result = await exportSpans(exporter, take());
      if (result.error) errors.push(`${result.error.message} ${inspect(result.error)}`);
    }
    await server.close();
    tracer.startSpan('down').end();
    const down = await exportSpans(exporter, take());
    errors.push(inspect(down.error));
    assert.equal(errors.length, 3);
    assert.ok(lines.length > 0, 'the exporter logged its failures');
    assert.ok(
      lines.some((line) => line.includes('[REDACTED]')),
      'the echoed key was redacted',
    );
    for (const text of [
      ...lines,
      ...errors,
      inspect(exporter, { depth: 10 }),
      JSON.stringify(exporter),
      JSON.stringify(exporter.getStats()),
    ]) {
      assert.ok(!text.includes(TEST_API_KEY), `key leaked in: ${text.slice(0, 200)}`);
    }
  });
});
