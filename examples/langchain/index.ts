/**
 * LangChain.js traced by OpenInference (`@arizeai/openinference-instrumentation-langchain`),
 * exported to HoneyHive: a prompt | model | parser chain, then a tool-calling
 * round trip with `bindTools`, both turns in one session.
 *
 *   npm run example:langchain                                     # offline
 *   HH_API_KEY=... OPENAI_API_KEY=... npm run example:langchain
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain';
import * as CallbackManagerModule from '@langchain/core/callbacks/manager';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, withSession } from 'honeyhive-otel-exporter';
import { runExample } from '../shared/run-example';

const getWeather = tool(async ({ city }) => JSON.stringify({ city, temperatureC: 18, condition: 'sunny' }), {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  schema: z.object({ city: z.string().describe('City name') }),
});

runExample('langchain', async ({ honeyhive, model }) => {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'langchain-app' }),
    spanProcessors: [new HoneyHiveSessionSpanProcessor(), new BatchSpanProcessor(new HoneyHiveSpanExporter(honeyhive))],
  });
  provider.register();
  // LangChain reports runs through its callback manager, which must be patched explicitly.
  new LangChainInstrumentation({ tracerProvider: provider }).manuallyInstrument(CallbackManagerModule);

  const llm = new ChatOpenAI({
    model: 'gpt-4o-mini',
    temperature: 0.2,
    apiKey: model.apiKey,
    configuration: { baseURL: model.baseURL },
  });

  await withSession({ sessionId: 'langchain-chat-1', sessionName: 'LangChain chat' }, async () => {
    // Turn 1: a chain.
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are a concise assistant.'],
      ['human', '{question}'],
    ]);
    const chain = prompt.pipe(llm).pipe(new StringOutputParser());
    console.log(`chain: ${await chain.invoke({ question: 'What is the meaning of life?' })}`);

    // Turn 2, an agent step as a runnable of its own: the model asks for get_weather,
    // the tool runs, the model answers from its result.
    const llmWithTools = llm.bindTools([getWeather]);
    // Passing `config` on makes the inner runs its children.
    const weatherAgent = RunnableLambda.from(async (question: string, config) => {
      const messages: BaseMessage[] = [new HumanMessage(question)];
      const request = await llmWithTools.invoke(messages, config);
      messages.push(request);
      for (const call of request.tool_calls ?? []) messages.push(await getWeather.invoke(call, config));
      return String((await llmWithTools.invoke(messages, config)).content);
    }).withConfig({ runName: 'weather-agent' });
    console.log(`agent: ${await weatherAgent.invoke('What is the weather in Paris?')}`);
  });

  await provider.shutdown(); // flushes every span to HoneyHive
});
