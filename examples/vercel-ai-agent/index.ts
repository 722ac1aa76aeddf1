/**
 * The Vercel AI SDK (`ai`) with a tool-using agent, traced by the SDK itself:
 * `experimental_telemetry: { isEnabled: true }` makes every call emit spans
 * (the call, each model step, each tool call) to the registered tracer
 * provider. `metadata.sessionId` puts both turns of the conversation (two
 * traces) into one HoneyHive session, and `metadata.userId` sets its user.
 *
 *   npm run example:vercel-ai-agent                               # offline
 *   HH_API_KEY=... OPENAI_API_KEY=... npm run example:vercel-ai-agent
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { HoneyHiveSpanExporter } from 'honeyhive-otel-exporter';
import { runExample } from '../shared/run-example';

const getWeather = tool({
  description: 'Get the current weather for a city',
  inputSchema: z.object({ city: z.string().describe('City name') }),
  execute: async ({ city }) => ({ city, temperatureC: 18, condition: 'sunny' }),
});

runExample('vercel-ai-agent', async ({ honeyhive, model }) => {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'weather-agent' }),
    spanProcessors: [new BatchSpanProcessor(new HoneyHiveSpanExporter(honeyhive))],
  });
  provider.register();
  const openai = createOpenAI(model);
  const telemetry = (functionId: string) => ({
    isEnabled: true,
    functionId,
    metadata: { sessionId: 'weather-chat-7', userId: 'user-42' },
  });

  // Turn 1: the agent calls get_weather, then answers from its result.
  const agentRun = await generateText({
    model: openai('gpt-4o-mini'),
    system: 'You are a concise travel assistant.',
    prompt: 'What is the weather in Paris?',
    tools: { get_weather: getWeather },
    stopWhen: stepCountIs(3),
    experimental_telemetry: telemetry('weather-agent'),
  });
  console.log(`agent (${agentRun.steps.length} steps): ${agentRun.text}`);

  // Turn 2, same conversation: another trace, the same session.
  const followUp = await generateText({
    model: openai('gpt-4o-mini'),
    messages: [...agentRun.response.messages, { role: 'user', content: 'Should I pack an umbrella?' }],
    experimental_telemetry: telemetry('follow-up'),
  });
  console.log(`follow-up: ${followUp.text}`);

  await provider.shutdown(); // flushes every span to HoneyHive
});
