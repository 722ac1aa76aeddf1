/**
 * Quickstart: an LLM-style workflow traced with OpenTelemetry and exported to
 * HoneyHive. Runs offline: with no HH_API_KEY it starts the local
 * HoneyHive-compatible server and prints the sessions as HoneyHive receives them.
 *
 *   npm run demo                     # local server, no account needed
 *   HH_API_KEY=... npm run demo      # your HoneyHive project
 */
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { HoneyHiveSessionSpanProcessor, HoneyHiveSpanExporter, withSession } from 'honeyhive-otel-exporter';
import { formatSessionTree, startDevServer } from 'honeyhive-otel-exporter/dev-server';

const tracer = trace.getTracer('quickstart');

/** A stand-in for a vector store: no network, same answer every time. */
function retrieveDocuments(query: string): Array<{ id: string; score: number; content: string }> {
  return tracer.startActiveSpan('retrieve_documents', (span) => {
    const documents = [
      { id: 'doc-1', score: 0.91, content: 'OpenTelemetry spans become HoneyHive events.' },
      { id: 'doc-2', score: 0.74, content: 'Events are grouped into sessions.' },
    ];
    span.setAttributes({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': query,
      'retrieval.documents.0.document.id': documents[0]!.id,
      'retrieval.documents.0.document.score': documents[0]!.score,
      'retrieval.documents.0.document.content': documents[0]!.content,
      'retrieval.documents.1.document.id': documents[1]!.id,
      'retrieval.documents.1.document.score': documents[1]!.score,
      'retrieval.documents.1.document.content': documents[1]!.content,
    });
    span.end();
    return documents;
  });
}

/** A stand-in for a chat model call, described with OpenTelemetry GenAI attributes. */
async function chat(question: string, context: string, fail: boolean): Promise<string> {
  return tracer.startActiveSpan('chat gpt-4o-mini', async (span: Span) => {
    span.setAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: `Answer from this context: ${context}` }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: question }] }]),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (fail) throw new Error('model timed out after 20 ms');
      const answer = 'Each span becomes an event, grouped into a session.';
      span.setAttributes({
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' },
        ]),
        'gen_ai.usage.input_tokens': 42,
        'gen_ai.usage.output_tokens': 12,
      });
      return answer;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The workflow: a chain that retrieves, then asks the model. */
async function answerQuestion(question: string, fail = false): Promise<string> {
  return tracer.startActiveSpan('answer_question', async (span) => {
    try {
      const documents = retrieveDocuments(question);
      return await chat(question, documents.map((document) => document.content).join(' '), fail);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      return 'Sorry, something went wrong.';
    } finally {
      span.end();
    }
  });
}

async function main(): Promise<void> {
  const apiKey = process.env.HH_API_KEY;
  const local = apiKey ? undefined : await startDevServer({ port: 0 });
  const exporter = new HoneyHiveSpanExporter({
    project: process.env.HH_PROJECT ?? 'quickstart',
    ...(local ? { apiKey: 'local-dev-key', serverUrl: local.url } : {}),
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'quickstart' }),
    spanProcessors: [new HoneyHiveSessionSpanProcessor(), new BatchSpanProcessor(exporter)],
  });
  provider.register();

  const good = await withSession({ sessionId: 'quickstart-ok', sessionName: 'Quickstart: a good run' }, () =>
    answerQuestion('How do spans reach HoneyHive?'),
  );
  console.log(`Good run, the answer: ${good}`);
  const failed = await withSession({ sessionId: 'quickstart-failing', sessionName: 'Quickstart: a failing run' }, () =>
    answerQuestion('And when the model fails?', true),
  );
  console.log(`Failing run (its model call fails on purpose), the app's fallback answer: ${failed}`);

  // Flushes the batch processor and the exporter; nothing is left behind.
  await provider.shutdown();

  if (!local) {
    console.log('Sent to HoneyHive: open your project to see the two sessions.');
    return;
  }
  console.log(`\nSent to the local server at ${local.url} (no HH_API_KEY set), as HoneyHive would receive them:\n`);
  for (const summary of local.store.sessions()) {
    console.log(formatSessionTree(local.store.session(summary.session_id)!));
    console.log();
  }
  const model = local.store.events().find((event) => event.event_type === 'model' && !event.error);
  if (model) {
    console.log('The model event, in full:');
    console.log(
      JSON.stringify(
        { inputs: model.inputs, outputs: model.outputs, config: model.config, metadata: model.metadata },
        null,
        2,
      ),
    );
  }
  await local.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
