// The app the README's telemetry snippets are run with in the tests: a unit of
// work in a session, a child span that ends (and may be exported) before its root.
import { trace } from '@opentelemetry/api';
import { withSession } from 'honeyhive-otel-exporter';

const tracer = trace.getTracer('snippet-app');
await withSession({ sessionId: 'chat-1', sessionName: 'Support chat' }, () =>
  tracer.startActiveSpan('handle message', async (root) => {
    tracer.startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat' } }).end();
    await new Promise((resolve) => setTimeout(resolve, 10));
    root.end();
  }),
);
