// telemetry.mjs: load it before your app, `node --import ./telemetry.mjs app.mjs`
import { NodeSDK } from '@opentelemetry/sdk-node';
import { HoneyHiveSpanProcessor } from 'honeyhive-otel-exporter';

const sdk = new NodeSDK({
  serviceName: 'my-app',
  spanProcessors: [new HoneyHiveSpanProcessor({ project: 'my-app' })], // HH_API_KEY from the environment
  metricReaders: [], // no default OTLP metrics or logs to wait for at shutdown
  logRecordProcessors: [],
});
sdk.start();
const stop = () => sdk.shutdown().catch((error) => console.error('telemetry shutdown failed', error));
process.once('beforeExit', stop);
process.once('SIGTERM', () => stop().finally(() => process.exit(0)));
