/**
 * A measurement, not a test: peak RSS while 200 exports of 512 spans each are
 * handed to one exporter at once, against a receiver that answers every
 * request after 200 ms. Memory bounded by configuration means the peak stays
 * near the process's own size plus maxPendingBytes, however many exports
 * arrive at once.
 *
 *   npx tsx test/reliability/memory-under-load.ts [path to the exporter's src directory]
 *
 * Given another checkout's src (say, main's), it measures that code in the same way, so two runs side
 * by side compare before and after.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import type * as Exporter from '../../src';
import { spanRecorder } from '../helpers/sdk-spans';

const EXPORTS = 200;
const SPANS_PER_EXPORT = 512;
const ANSWER_AFTER_MILLIS = 200;

async function slowReceiver(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), ANSWER_AFTER_MILLIS),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function llmSpans(count: number): ReturnType<ReturnType<typeof spanRecorder>['take']> {
  const { tracer, take } = spanRecorder();
  const prompt = 'What is the capital of France? '.repeat(32);
  for (let i = 0; i < count; i++) {
    tracer
      .startSpan(`chat ${i}`, {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 40,
          'input.value': `${prompt} #${i}`,
          'output.value': `Paris. ${prompt}`,
        },
      })
      .end();
  }
  return take();
}

async function main(): Promise<void> {
  const srcDir = path.resolve(process.argv[2] ?? path.join(__dirname, '../../src'));
  const { HoneyHiveSpanExporter } = (await import(path.join(srcDir, 'index.ts'))) as typeof Exporter;
  const { url, server } = await slowReceiver();
  const spans = llmSpans(SPANS_PER_EXPORT);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  const exporter = new HoneyHiveSpanExporter({ apiKey: 'memory-under-load', serverUrl: url, sessionId: 'load' });
  let peak = baseline;
  let peakHeap = 0;
  let peakExternal = 0;
  let peakPending = 0;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakExternal = Math.max(peakExternal, usage.external);
    peakPending = Math.max(peakPending, exporter.getStats().pendingBytes);
  }, 5);
  const started = Date.now();
  const results = await Promise.all(
    Array.from(
      { length: EXPORTS },
      () => new Promise<ExportResult>((resolve) => exporter.export(spans, (result) => resolve(result))),
    ),
  );
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const stats = exporter.getStats();
  await exporter.shutdown();
  server.close();
  const megabytes = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
  console.log(
    JSON.stringify({
      src: srcDir,
      exports: EXPORTS,
      spansPerExport: SPANS_PER_EXPORT,
      baselineRssMegabytes: Number(megabytes(baseline)),
      peakRssMegabytes: Number(megabytes(peak)),
      peakHeapUsedMegabytes: Number(megabytes(peakHeap)),
      peakExternalMegabytes: Number(megabytes(peakExternal)),
      peakPendingMegabytes: Number(megabytes(peakPending)),
      seconds: (Date.now() - started) / 1000,
      succeeded: results.filter((result) => result.code === 0).length,
      eventsSent: stats.eventsSent,
      failures: Object.fromEntries(Object.entries(stats.failures).filter(([, count]) => count > 0)),
      requests: stats.requests,
      dropped: Object.fromEntries(Object.entries(stats.dropped).filter(([, count]) => count > 0)),
    }),
  );
}

void main();
