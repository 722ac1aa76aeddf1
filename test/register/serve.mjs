// What app.mjs and app.cjs serve, given what each imported its own way: on /ask
// it looks up the weather on its own /weather route (node:http's `get`) and asks
// a model through OpenAI's client, then answers. No tracing code.
export function serve({ createServer, get, OpenAI }) {
  const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: 'fake-model-key' });

  function weather(port) {
    return new Promise((resolve, reject) => {
      get(`http://127.0.0.1:${port}/weather`, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(body));
      }).on('error', reject);
    });
  }

  const server = createServer(async (request, response) => {
    if (request.url === '/weather') return response.end('sunny');
    // CLOSE_AFTER_ASK: the app ends by itself once it has answered, as a script would.
    if (process.env.CLOSE_AFTER_ASK) response.on('finish', () => server.close());
    // ENRICH_AFTER_ASK: once answered, feedback for the answer's session, through register's processor.
    if (process.env.ENRICH_AFTER_ASK) {
      const { trace } = await import('@opentelemetry/api');
      const traceId = trace.getActiveSpan()?.spanContext().traceId;
      response.on('finish', () => void enrich(traceId));
    }
    try {
      const forecast = await weather(server.address().port);
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `The weather is ${forecast}. What should I wear?` }],
      });
      response.end(completion.choices[0].message.content);
    } catch (error) {
      response.statusCode = 500;
      response.end(String(error));
    }
  });
  async function enrich(traceId) {
    const { registeredProcessor, sessionIdForTrace } = await import('honeyhive-otel-exporter');
    const processor = registeredProcessor();
    // The answer's spans go first, so HoneyHive has the session the feedback is for.
    await processor.forceFlush();
    const result = await processor.enrichSession(sessionIdForTrace(traceId), { feedback: { rating: 5 } });
    console.log(`enriched ${JSON.stringify(result)}`);
  }

  server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
}
