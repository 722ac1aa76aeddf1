/**
 * Manual spans with HoneyHive's own attributes, and several requests of one
 * conversation grouped into one HoneyHive session.
 *
 * Each message a user sends is handled as its own request (its own trace).
 * `withSession` names the conversation's session around each request, and
 * `HoneyHiveSessionSpanProcessor` stamps it on every span as it starts, so all
 * three requests land in the same session, whatever order their spans end in.
 * The `honeyhive_*` attributes say exactly what each event is: its type,
 * inputs, outputs, config, metadata and user. The session has fields of its
 * own (metadata, user properties), and the user's rating, which arrives after
 * the conversation, is added to it with `enrichSession`.
 *
 *   npm run example:manual-sessions                               # offline
 *   HH_API_KEY=... OPENAI_API_KEY=... npm run example:manual-sessions
 */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, withSession } from 'honeyhive-otel-exporter';
import { runExample } from '../shared/run-example';

const tracer = trace.getTracer('support-bot', '1.0.0');

/** Runs `fn` in an active span carrying `attributes`; a failure becomes the event's error. */
async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      // honeyhive_error is the event's error as written; the ERROR status marks the span for any backend.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      span.setAttribute('honeyhive_error', message);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A stand-in for an order database: a tool event. */
function lookUpOrder(orderId: string): Promise<{ orderId: string; status: string; eta: string }> {
  return inSpan(
    'look_up_order',
    { honeyhive_event_type: 'tool', 'honeyhive_inputs.order_id': orderId },
    async (span) => {
      const order = { orderId, status: 'shipped', eta: '2026-01-03' };
      span.setAttributes({ 'honeyhive_outputs.status': order.status, 'honeyhive_outputs.eta': order.eta });
      return order;
    },
  );
}

/** The model call, described by hand: a model event with its config, messages and token counts. */
function askModel(client: OpenAI, messages: Array<{ role: 'system' | 'user'; content: string }>): Promise<string> {
  const model = 'gpt-4o-mini';
  const attributes: Attributes = {
    honeyhive_event_type: 'model',
    'honeyhive_config.model': model,
    'honeyhive_config.temperature': 0.2,
  };
  messages.forEach((message, index) => {
    attributes[`honeyhive_inputs.chat_history.${index}.role`] = message.role;
    attributes[`honeyhive_inputs.chat_history.${index}.content`] = message.content;
  });
  return inSpan('chat_completion', attributes, async (span) => {
    const completion = await client.chat.completions.create({ model, messages, temperature: 0.2 });
    const answer = completion.choices[0]?.message.content ?? '';
    span.setAttributes({
      'honeyhive_outputs.role': 'assistant',
      'honeyhive_outputs.content': answer,
      'honeyhive_metadata.prompt_tokens': completion.usage?.prompt_tokens ?? 0,
      'honeyhive_metadata.completion_tokens': completion.usage?.completion_tokens ?? 0,
      'honeyhive_metadata.total_tokens': completion.usage?.total_tokens ?? 0,
    });
    return answer;
  });
}

/** One request of the conversation: a chain event around the tool and the model. */
function handleMessage(client: OpenAI, userId: string, turn: number, message: string): Promise<string> {
  const attributes: Attributes = {
    honeyhive_event_type: 'chain',
    honeyhive_user_id: userId,
    'honeyhive_inputs.message': message,
    'honeyhive_metadata.turn': turn,
    'honeyhive_metadata.channel': 'web',
  };
  return inSpan('handle_message', attributes, async (span) => {
    const orderId = /order (\w+)/.exec(message)?.[1];
    const order = orderId ? await lookUpOrder(orderId) : undefined;
    const context = order ? `Order ${order.orderId} is ${order.status}, arriving ${order.eta}.` : 'No order mentioned.';
    const reply = await askModel(client, [
      { role: 'system', content: `You are a support assistant. ${context}` },
      { role: 'user', content: message },
    ]);
    span.setAttribute('honeyhive_outputs.reply', reply);
    return reply;
  });
}

runExample('manual-sessions', async ({ honeyhive, model, receivedSessions }) => {
  const exporter = new HoneyHiveSpanExporter(honeyhive);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
    spanProcessors: [new HoneyHiveSessionSpanProcessor(), new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const client = new OpenAI(model);

  // Three requests of one conversation, e.g. three HTTP calls to your chat endpoint.
  const conversation = {
    sessionId: 'support-chat-1042',
    sessionName: 'Support chat #1042',
    metadata: { channel: 'web' },
    userProperties: { user_id: 'user-7' },
  };
  const messages = ['Hi, where is my order A1042?', 'When will order A1042 arrive?', 'Thanks, that is all.'];
  for (const [index, message] of messages.entries()) {
    const reply = await withSession(conversation, () => handleMessage(client, 'user-7', index + 1, message));
    console.log(`user: ${message}\nbot:  ${reply}`);
  }

  await provider.forceFlush(); // hands every ended span to the exporter
  // The user rates the conversation afterwards: added to the session HoneyHive already has.
  const rated = await exporter.enrichSession(conversation.sessionId, { feedback: { rating: 5, resolved: true } });
  console.log(rated.ok ? 'rating added to the session' : `rating not added: ${rated.error.message}`);
  await provider.shutdown(); // flushes every span to HoneyHive

  // The flattened honeyhive_* attributes arrive as nested fields.
  const [received] = (await receivedSessions()) ?? [];
  if (received) console.log(`\nThe session's feedback: ${JSON.stringify(received.session.feedback)}`);
  const modelEvent = received?.events.find((event) => event.event_type === 'model');
  if (modelEvent) {
    const { inputs, outputs, config } = modelEvent;
    console.log(
      `\nThe first model event, as HoneyHive received it:\n${JSON.stringify({ inputs, outputs, config }, null, 2)}`,
    );
  }
});
