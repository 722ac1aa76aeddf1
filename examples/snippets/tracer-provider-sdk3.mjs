import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { HoneyHiveSpanProcessor } from 'honeyhive-otel-exporter';

const provider = new TracerProvider({ spanProcessors: [new HoneyHiveSpanProcessor({ project: 'my-app' })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager());
trace.setGlobalTracerProvider(provider);
process.once('beforeExit', () => provider.shutdown());
