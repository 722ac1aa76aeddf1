import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { HoneyHiveSpanProcessor } from 'honeyhive-otel-exporter';

const provider = new NodeTracerProvider({ spanProcessors: [new HoneyHiveSpanProcessor({ project: 'my-app' })] });
provider.register();
process.once('beforeExit', () => provider.shutdown());
