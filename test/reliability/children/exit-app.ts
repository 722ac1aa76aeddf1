/**
 * An app that ends in one of the ways the README describes, for
 * process-exit.test.ts: `node --import tsx exit-app.ts <mode> <serverUrl>`.
 * It prints `ready` once its span has ended.
 *
 * - `idle-after-failed-export`: one export to a server that is down, not awaited; the app is done.
 * - `no-shutdown`: a BatchSpanProcessor, one span, and the app just ends.
 * - `before-exit`: the same, with `process.once('beforeExit', ...)` shutting the provider down.
 * - `sigterm`: a long-running app whose SIGTERM handler shuts the provider down, then exits.
 */
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter } from '../../../src';

const [mode, serverUrl] = process.argv.slice(2);
const exporter = new HoneyHiveSpanExporter({ apiKey: 'exit-app', serverUrl, sessionId: 'exit-app' });
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
const tracer = provider.getTracer('exit-app');

switch (mode) {
  case 'idle-after-failed-export': {
    const recorder = new InMemorySpanExporter();
    const recorded = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(recorder)] });
    recorded.getTracer('exit-app').startSpan('lost').end();
    // The export starts (it fails to connect, and would back off and retry); nothing awaits it.
    exporter.export(recorder.getFinishedSpans(), () => undefined);
    break;
  }
  case 'before-exit':
    process.once('beforeExit', () => void provider.shutdown());
    break;
  case 'sigterm': {
    const keepAlive = setInterval(() => undefined, 60_000);
    process.once('SIGTERM', () => {
      clearInterval(keepAlive);
      void provider.shutdown().finally(() => process.exit(0));
    });
    break;
  }
  case 'no-shutdown':
    break;
  default:
    throw new Error(`unknown mode ${mode}`);
}
if (mode !== 'idle-after-failed-export') tracer.startSpan(`handled by ${mode}`).end();
console.log('ready');
