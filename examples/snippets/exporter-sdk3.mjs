import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace'; // SDK 2: from '@opentelemetry/sdk-trace-base'
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter } from 'honeyhive-otel-exporter';

const sdk = new NodeSDK({
  spanProcessors: [
    new HoneyHiveSessionSpanProcessor(), // stamps sessions at span start, for withSession
    new BatchSpanProcessor({ exporter: new HoneyHiveSpanExporter({ project: 'my-app' }) }), // SDK 2: (exporter)
  ],
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();
process.once('beforeExit', () => sdk.shutdown().catch(console.error));
