/**
 * The `openai` client traced by OpenInference
 * (`@arizeai/openinference-instrumentation-openai`), exported to HoneyHive.
 * The app (examples/shared/openai-chat-app.ts) is plain `openai` code: a chat,
 * then a tool-calling round trip, both turns in one session.
 *
 *   npm run example:openai-openinference                          # offline
 *   HH_API_KEY=... OPENAI_API_KEY=... npm run example:openai-openinference
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import OpenAI from 'openai';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, withSession } from 'honeyhive-otel-exporter';
import { runChatApp } from '../shared/openai-chat-app';
import { runExample } from '../shared/run-example';

runExample('openai-openinference', async ({ honeyhive, model }) => {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'weather-app' }),
    spanProcessors: [new HoneyHiveSessionSpanProcessor(), new BatchSpanProcessor(new HoneyHiveSpanExporter(honeyhive))],
  });
  provider.register();
  // `openai` is imported above, before the instrumentation exists (as with ES modules and
  // bundlers), so the module hook would never see it: patch the client class explicitly.
  new OpenAIInstrumentation({ tracerProvider: provider }).manuallyInstrument(OpenAI);

  await withSession({ sessionId: 'openinference-chat-1', sessionName: 'OpenAI chat (OpenInference)' }, () =>
    runChatApp(new OpenAI(model)),
  );

  await provider.shutdown(); // flushes every span to HoneyHive
});
