/**
 * The part to copy: NodeSDK with every auto-instrumentation (HTTP included)
 * and the HoneyHive exporter. In your app, start it before anything else is
 * loaded, e.g. `node --require ./telemetry.js app.js`, so the modules it
 * instruments are patched when the app first loads them.
 */
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from 'honeyhive-otel-exporter';

/** With `HH_API_KEY` (and `HH_PROJECT`) in the environment, `honeyhive` can be `{}`. */
export function startTelemetry(honeyhive: HoneyHiveExporterOptions): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: 'trip-planner',
    spanProcessors: [new BatchSpanProcessor(new HoneyHiveSpanExporter(honeyhive))],
    instrumentations: [getNodeAutoInstrumentations()],
    // Traces only: left unset, NodeSDK would also export metrics and logs over OTLP to localhost:4318.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
