/**
 * Serverless (AWS Lambda, Google Cloud Functions, Vercel functions...): the
 * platform may freeze or end the process as soon as the handler returns, so
 * nothing may wait in a batch. Spans are exported as they end
 * (SimpleSpanProcessor), and every invocation awaits `forceFlush()` before it
 * returns, so its events are at HoneyHive when the function is frozen.
 *
 * Each invocation is its own trace; the conversation id in the request puts
 * invocations of the same conversation in one session.
 *
 *   npm run example:serverless                                   # offline
 *   HH_API_KEY=... OPENAI_API_KEY=... npm run example:serverless
 */
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import OpenAI from 'openai';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, withSession } from 'honeyhive-otel-exporter';
import { runExample } from '../shared/run-example';

interface ChatRequest {
  conversationId: string;
  message: string;
}

runExample('serverless', async ({ honeyhive, model, receivedSessions }) => {
  // --- init phase: once per cold start -------------------------------------
  const exporter = new HoneyHiveSpanExporter(honeyhive);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'chat-function', 'faas.name': 'chat-function' }),
    spanProcessors: [new HoneyHiveSessionSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  // `openai` was imported above, before the instrumentation existed: patch it explicitly.
  new OpenAIInstrumentation({ tracerProvider: provider }).manuallyInstrument(OpenAI);
  const client = new OpenAI(model);
  const tracer = trace.getTracer('chat-function');
  let coldStart = true;

  // --- the handler: once per invocation --------------------------------------
  /** The function's work: a span around the model call. */
  function answer(request: ChatRequest, invocationId: string): Promise<string> {
    const attributes = { 'faas.invocation_id': invocationId, 'faas.coldstart': coldStart };
    return tracer.startActiveSpan('chat-function invoke', { attributes }, async (span) => {
      try {
        const messages = [{ role: 'user' as const, content: request.message }];
        const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
        return completion.choices[0]?.message.content ?? '';
      } finally {
        span.end();
      }
    });
  }

  async function handler(request: ChatRequest, invocationId: string): Promise<{ reply: string }> {
    const session = { sessionId: request.conversationId, sessionName: `Conversation ${request.conversationId}` };
    try {
      return { reply: await withSession(session, () => answer(request, invocationId)) };
    } finally {
      coldStart = false;
      // Before returning: SimpleSpanProcessor has handed every span to the exporter;
      // forceFlush waits until they are sent. The provider's reaches the exporter's
      // through the processor; calling the exporter's as well makes the wait explicit
      // whatever the processor does, and costs nothing once it is idle.
      await provider.forceFlush();
      await exporter.forceFlush();
    }
  }

  // --- the platform invoking the function a few times ------------------------
  const invocations: ChatRequest[] = [
    { conversationId: 'conversation-a', message: 'Hello!' },
    { conversationId: 'conversation-b', message: 'What can you do?' },
    { conversationId: 'conversation-a', message: 'Tell me more.' },
  ];
  for (const [index, request] of invocations.entries()) {
    const { reply } = await handler(request, `invocation-${index + 1}`);
    // Nothing is left in memory: what HoneyHive has now is all the function will ever send.
    const received = await receivedSessions();
    const events = received?.reduce((count, session) => count + session.events.length, 0);
    console.log(
      `invocation ${index + 1} (${request.conversationId}): ${reply}${events === undefined ? '' : `  [events received so far: ${events}]`}`,
    );
  }

  // The simulation ends here; a real function is frozen instead, never shut down.
  await provider.shutdown();
});
