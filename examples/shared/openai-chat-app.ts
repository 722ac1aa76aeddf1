/**
 * The app of the two `openai` examples (openai-openinference, openai-openllmetry):
 * plain `openai` client code, identical under either instrumentation. Two turns
 * of a conversation: a chat, then a tool-calling round trip (the model asks for
 * get_weather, the app runs it, the model answers from the result) under an
 * app span. The tool run is the app's own span, described with OpenTelemetry's
 * GenAI attributes.
 */
import { trace } from '@opentelemetry/api';
import type OpenAI from 'openai';

const MODEL = 'gpt-4o-mini';

const getWeatherTool: OpenAI.Chat.ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};

const tracer = trace.getTracer('weather-app', '1.0.0');

function getWeather(city: string): { city: string; temperatureC: number; condition: string } {
  return tracer.startActiveSpan('execute_tool get_weather', (span) => {
    const result = { city, temperatureC: 18, condition: 'sunny' };
    span.setAttributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.arguments': JSON.stringify({ city }),
      'gen_ai.tool.call.result': JSON.stringify(result),
    });
    span.end();
    return result;
  });
}

async function chat(client: OpenAI, question: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a concise assistant.' },
      { role: 'user', content: question },
    ],
    temperature: 0.2,
  });
  return completion.choices[0]?.message.content ?? '';
}

async function weatherAgent(client: OpenAI, question: string): Promise<string> {
  return tracer.startActiveSpan('weather-agent', async (span) => {
    try {
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
      const first = await client.chat.completions.create({ model: MODEL, messages, tools: [getWeatherTool] });
      const request = first.choices[0]!.message;
      messages.push(request);
      for (const call of request.tool_calls ?? []) {
        if (call.type !== 'function') continue;
        const { city } = JSON.parse(call.function.arguments) as { city: string };
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(getWeather(city)) });
      }
      const final = await client.chat.completions.create({ model: MODEL, messages, tools: [getWeatherTool] });
      return final.choices[0]?.message.content ?? '';
    } finally {
      span.end();
    }
  });
}

/** Both turns; prints the answers. */
export async function runChatApp(client: OpenAI): Promise<void> {
  console.log(`chat: ${await chat(client, 'What is the meaning of life?')}`);
  console.log(`agent: ${await weatherAgent(client, 'What is the weather in Paris?')}`);
}
