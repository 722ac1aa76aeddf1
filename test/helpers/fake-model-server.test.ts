import { strict as assert } from 'node:assert';
import { startFakeModelServer, PLAIN_ANSWER, type FakeModelServer } from '../../examples/shared/fake-model-server';

async function post(server: FakeModelServer, path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const TOOLS = [
  {
    type: 'function',
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

describe('fake model server', () => {
  let server: FakeModelServer;
  beforeEach(async () => {
    server = await startFakeModelServer({ streamDelayMs: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('listens on loopback and records requests', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.baseURL, `${server.url}/v1`);
    await post(server, '/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(server.requests.length, 1);
    assert.deepEqual(server.requests[0], {
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
    });
  });

  it('answers chat completions with usage', async () => {
    const { status, text } = await post(server, '/chat/completions', {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(status, 200);
    const body = JSON.parse(text);
    assert.equal(body.id, 'chatcmpl-fake-1');
    assert.equal(body.model, 'gpt-4o-mini-2024-07-18');
    assert.equal(body.choices[0].message.content, PLAIN_ANSWER);
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    assert.equal(typeof body.usage.prompt_tokens_details.cached_tokens, 'number');
  });

  it('calls get_weather when tools are offered, then answers from the tool result', async () => {
    const first = JSON.parse(
      (
        await post(server, '/chat/completions', {
          model: 'm',
          messages: [{ role: 'user', content: 'weather?' }],
          tools: TOOLS,
        })
      ).text,
    );
    const call = first.choices[0].message.tool_calls[0];
    assert.equal(first.choices[0].finish_reason, 'tool_calls');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
    const second = JSON.parse(
      (
        await post(server, '/chat/completions', {
          model: 'm',
          tools: TOOLS,
          messages: [
            { role: 'user', content: 'weather?' },
            first.choices[0].message,
            { role: 'tool', tool_call_id: call.id, content: '{"temperatureC":18}' },
          ],
        })
      ).text,
    );
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.match(second.choices[0].message.content, /temperatureC/);
  });

  it('streams SSE chunks with a final usage chunk', async () => {
    const { status, text } = await post(server, '/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(status, 200);
    const events = text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''));
    assert.equal(events[events.length - 1], '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), PLAIN_ANSWER);
    assert.deepEqual(chunks[chunks.length - 1].choices, []);
    assert.equal(typeof chunks[chunks.length - 1].usage.total_tokens, 'number');
  });

  it('fails with OpenAI error bodies on FAIL', async () => {
    const bad = await post(server, '/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'please FAIL' }],
    });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.text).error.type, 'invalid_request_error');
    const down = await post(server, '/responses', { model: 'm', input: 'please FAIL_500' });
    assert.equal(down.status, 500);
    assert.equal(JSON.parse(down.text).error.type, 'server_error');
  });

  it('serves the Responses API and embeddings', async () => {
    const r = JSON.parse(
      (await post(server, '/responses', { model: 'm', input: [{ role: 'user', content: 'hi' }] })).text,
    );
    assert.equal(r.object, 'response');
    assert.equal(r.output[0].content[0].text, PLAIN_ANSWER);
    assert.equal(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens);
    const e = JSON.parse(
      (await post(server, '/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'] })).text,
    );
    assert.equal(e.data.length, 2);
    assert.equal(e.data[0].embedding.length, 8);
    const b64 = JSON.parse(
      (await post(server, '/embeddings', { model: 'x', input: 'a', encoding_format: 'base64' })).text,
    );
    assert.equal(Buffer.from(b64.data[0].embedding, 'base64').length, 8 * 4);
  });
});
