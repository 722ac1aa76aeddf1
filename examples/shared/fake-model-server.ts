/**
 * A tiny, deterministic, OpenAI-compatible model server for the examples, tests and
 * recording span fixtures (see test/fixtures/record.ts). It listens on
 * 127.0.0.1 with an OS-assigned port and never talks to the network.
 *
 * Endpoints:
 *  - POST /v1/chat/completions  (JSON, or SSE when `stream: true`; a usage
 *    chunk is sent last when `stream_options.include_usage` is true)
 *  - POST /v1/responses         (the Responses API, JSON or SSE; the AI SDK's
 *    `@ai-sdk/openai` provider uses it by default)
 *  - POST /v1/embeddings        (`encoding_format` float or base64)
 *
 * Scripted replies, decided from the request alone:
 *  - the last user message contains "FAIL_500" -> HTTP 500 with an OpenAI error body
 *  - the last user message contains "FAIL"     -> HTTP 400 with an OpenAI error body
 *  - structured output was requested (json_schema) -> a JSON object built from the schema
 *  - tools are offered and the last message is from the user -> a tool call
 *    (`get_weather` with `{"city":"Paris"}` when that tool is offered, otherwise
 *    the first tool with arguments built from its schema)
 *  - the last message is a tool result -> a final answer quoting the result
 *  - otherwise a plain answer
 *
 * Ids (`chatcmpl-fake-1`, `resp_fake_1`, `call_fake_1`, ...) count up per
 * server instance, and `created` is fixed, so one server per scenario gives
 * byte-identical replies on every run.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface FakeModelServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url + '/v1'`, what OpenAI clients take as `baseURL` */
  baseURL: string;
  close(): Promise<void>;
  /** every request received, in order, with its parsed JSON body */
  requests: RecordedRequest[];
}

export interface FakeModelServerOptions {
  /** milliseconds before the first SSE event and between events (default 5) */
  streamDelayMs?: number;
}

/** 2026-01-01T00:00:00Z, used as `created` / `created_at` in every reply. */
export const FAKE_CREATED = 1767225600;

export const PLAIN_ANSWER = 'Hello! I am a fake model. The answer is 42.';
const WEATHER_ARGS = { city: 'Paris' };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tokens(v: unknown): number {
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? '');
  return Math.max(1, Math.ceil(s.length / 4));
}

/** A reply, independent of the wire format it is sent in. */
type Reply =
  | { kind: 'error'; status: number; message: string; type: string; code: string | null }
  | { kind: 'text'; text: string }
  | { kind: 'tool_call'; name: string; arguments: string };

interface NormalisedRequest {
  lastRole: 'user' | 'tool' | 'assistant' | 'system' | 'unknown';
  lastUserText: string;
  lastToolResult: string | undefined;
  tools: { name: string; parameters: unknown }[];
  jsonSchema: unknown;
  prompt: unknown;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isObj(p) && typeof p.text === 'string' ? p.text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

function normaliseChat(body: Obj): NormalisedRequest {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObj) : [];
  const last = messages[messages.length - 1];
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .filter(isObj)
    .map((t) => (isObj(t.function) ? t.function : t))
    .map((f) => ({ name: String(f.name), parameters: f.parameters }));
  const rf = isObj(body.response_format) ? body.response_format : undefined;
  const jsonSchema =
    rf?.type === 'json_schema' && isObj(rf.json_schema)
      ? rf.json_schema.schema
      : rf?.type === 'json_object'
        ? {}
        : undefined;
  const role = last?.role;
  return {
    lastRole: role === 'user' || role === 'tool' || role === 'assistant' || role === 'system' ? role : 'unknown',
    lastUserText: textOf(lastUser?.content),
    lastToolResult: role === 'tool' ? textOf(last?.content) : undefined,
    tools,
    jsonSchema,
    prompt: messages,
  };
}

function normaliseResponses(body: Obj): NormalisedRequest {
  const input: Obj[] =
    typeof body.input === 'string'
      ? [{ role: 'user', content: body.input }]
      : Array.isArray(body.input)
        ? body.input.filter(isObj)
        : [];
  const last = input[input.length - 1];
  const lastUser = [...input].reverse().find((m) => m.role === 'user');
  const tools = (Array.isArray(body.tools) ? body.tools : [])
    .filter(isObj)
    .filter((t) => t.type === 'function')
    .map((t) => ({ name: String(t.name), parameters: t.parameters }));
  const text = isObj(body.text) ? body.text : undefined;
  const format = text && isObj(text.format) ? text.format : undefined;
  const jsonSchema = format?.type === 'json_schema' ? format.schema : format?.type === 'json_object' ? {} : undefined;
  let lastRole: NormalisedRequest['lastRole'] = 'unknown';
  let lastToolResult: string | undefined;
  if (last?.type === 'function_call_output') {
    lastRole = 'tool';
    lastToolResult = typeof last.output === 'string' ? last.output : JSON.stringify(last.output);
  } else if (last?.role === 'user' || last?.role === 'system' || last?.role === 'assistant') {
    lastRole = last.role;
  } else if (last?.type === 'function_call' || last?.type === 'item_reference') {
    lastRole = 'assistant';
  }
  return { lastRole, lastUserText: textOf(lastUser?.content), lastToolResult, tools, jsonSchema, prompt: input };
}

/** A deterministic value that satisfies a (simple) JSON schema. */
export function sampleFromSchema(schema: unknown, key = 'value'): Json {
  if (!isObj(schema)) return 'sample';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] as Json;
  if ('const' in schema) return schema.const as Json;
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    const alts = schema[k];
    if (Array.isArray(alts) && alts.length > 0) return sampleFromSchema(alts[0], key);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: { [k: string]: Json } = {};
      const props = isObj(schema.properties) ? schema.properties : {};
      for (const [k, v] of Object.entries(props)) out[k] = sampleFromSchema(v, k);
      return out;
    }
    case 'array':
      return [sampleFromSchema(schema.items, key), sampleFromSchema(schema.items, key)];
    case 'integer':
      return 3;
    case 'number':
      return 4.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return key === 'city' ? 'Paris' : `sample ${key}`;
    default:
      return isObj(schema.properties) ? sampleFromSchema({ ...schema, type: 'object' }, key) : 'sample';
  }
}

function decide(req: NormalisedRequest): Reply {
  if (req.lastUserText.includes('FAIL_500')) {
    return {
      kind: 'error',
      status: 500,
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      code: null,
    };
  }
  if (req.lastUserText.includes('FAIL')) {
    return {
      kind: 'error',
      status: 400,
      message: "Invalid request: the fake model refuses prompts containing 'FAIL'.",
      type: 'invalid_request_error',
      code: 'invalid_prompt',
    };
  }
  if (req.lastRole === 'tool') {
    return {
      kind: 'text',
      text: `Based on the tool result (${req.lastToolResult ?? ''}), it is 18°C and sunny in Paris.`,
    };
  }
  if (req.jsonSchema !== undefined) {
    return { kind: 'text', text: JSON.stringify(sampleFromSchema(req.jsonSchema)) };
  }
  if (req.tools.length > 0 && req.lastRole === 'user') {
    const weather = req.tools.find((t) => t.name === 'get_weather');
    const tool = weather ?? req.tools[0]!;
    const args = weather ? WEATHER_ARGS : sampleFromSchema(tool.parameters);
    return { kind: 'tool_call', name: tool.name, arguments: JSON.stringify(args) };
  }
  return { kind: 'text', text: PLAIN_ANSWER };
}

/** Real OpenAI answers `gpt-4o-mini` with a dated snapshot name. */
function responseModel(requested: unknown): string {
  const m = typeof requested === 'string' && requested ? requested : 'gpt-4o-mini';
  return /\d{4}-\d{2}-\d{2}$/.test(m) ? m : `${m}-2024-07-18`;
}

function chunksOf(text: string): string[] {
  // split into word-ish pieces, keeping the spaces, so streams have several deltas
  return text.match(/\S+\s*/g) ?? [text];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startFakeModelServer(options: FakeModelServerOptions = {}): Promise<FakeModelServer> {
  const delay = options.streamDelayMs ?? 5;
  const requests: RecordedRequest[] = [];
  const counters = new Map<string, number>();
  const nextId = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}${n}`;
  };

  function sendJson(res: http.ServerResponse, status: number, body: unknown) {
    const data = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(data),
      'x-request-id': nextId('req_fake_'),
    });
    res.end(data);
  }

  function sendError(res: http.ServerResponse, reply: Extract<Reply, { kind: 'error' }>) {
    sendJson(res, reply.status, { error: { message: reply.message, type: reply.type, param: null, code: reply.code } });
  }

  async function sendSse(res: http.ServerResponse, events: { event?: string; data: unknown }[]) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const e of events) {
      await sleep(delay);
      const data = typeof e.data === 'string' ? e.data : JSON.stringify(e.data);
      res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`);
    }
    res.end();
  }

  async function chatCompletions(body: Obj, res: http.ServerResponse) {
    const req = normaliseChat(body);
    const reply = decide(req);
    if (reply.kind === 'error') return sendError(res, reply);
    const id = nextId('chatcmpl-fake-');
    const model = responseModel(body.model);
    const toolCall =
      reply.kind === 'tool_call'
        ? {
            id: nextId('call_fake_'),
            type: 'function' as const,
            function: { name: reply.name, arguments: reply.arguments },
          }
        : undefined;
    const text = reply.kind === 'text' ? reply.text : null;
    const promptTokens = tokens(req.prompt) + (req.tools.length ? tokens(body.tools) : 0);
    const completionTokens = tokens(text ?? reply);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: Math.floor(promptTokens / 2), audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const finishReason = toolCall ? 'tool_calls' : 'stop';
    const base = { id, created: FAKE_CREATED, model, system_fingerprint: 'fp_fake', service_tier: 'default' };

    if (body.stream !== true) {
      return sendJson(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: text,
              refusal: null,
              annotations: [],
              ...(toolCall ? { tool_calls: [toolCall] } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
    }

    const chunk = (choices: unknown[], extra: Obj = {}) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices,
      ...extra,
    });
    const includeUsage = isObj(body.stream_options) && body.stream_options.include_usage === true;
    const withUsage = includeUsage ? { usage: null } : {};
    const events: { data: unknown }[] = [];
    events.push({
      data: chunk(
        [
          {
            index: 0,
            delta: { role: 'assistant', content: toolCall ? null : '', refusal: null },
            logprobs: null,
            finish_reason: null,
          },
        ],
        withUsage,
      ),
    });
    if (toolCall) {
      events.push({
        data: chunk(
          [
            {
              index: 0,
              delta: {
                tool_calls: [
                  {
                    index: 0,
                    id: toolCall.id,
                    type: 'function',
                    function: { name: toolCall.function.name, arguments: '' },
                  },
                ],
              },
              logprobs: null,
              finish_reason: null,
            },
          ],
          withUsage,
        ),
      });
      const args = toolCall.function.arguments;
      for (const piece of [args.slice(0, Math.ceil(args.length / 2)), args.slice(Math.ceil(args.length / 2))]) {
        events.push({
          data: chunk(
            [
              {
                index: 0,
                delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
                logprobs: null,
                finish_reason: null,
              },
            ],
            withUsage,
          ),
        });
      }
    } else {
      for (const piece of chunksOf(text ?? '')) {
        events.push({
          data: chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], withUsage),
        });
      }
    }
    events.push({ data: chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }], withUsage) });
    if (includeUsage) events.push({ data: chunk([], { usage }) });
    events.push({ data: '[DONE]' });
    return sendSse(res, events);
  }

  async function responses(body: Obj, res: http.ServerResponse) {
    const req = normaliseResponses(body);
    const reply = decide(req);
    if (reply.kind === 'error') return sendError(res, reply);
    const id = nextId('resp_fake_');
    const model = responseModel(body.model);
    const inputTokens =
      tokens(req.prompt) + (req.tools.length ? tokens(body.tools) : 0) + tokens(body.instructions ?? '');
    const outputTokens = tokens(reply.kind === 'text' ? reply.text : reply);
    const usage = {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: Math.floor(inputTokens / 2) },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    };
    const item =
      reply.kind === 'tool_call'
        ? {
            type: 'function_call',
            id: nextId('fc_fake_'),
            call_id: nextId('call_fake_'),
            name: reply.name,
            arguments: reply.arguments,
            status: 'completed',
          }
        : {
            type: 'message',
            id: nextId('msg_fake_'),
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: reply.text, annotations: [], logprobs: [] }],
          };
    const response = (status: string, output: unknown[], u: unknown) => ({
      id,
      object: 'response',
      created_at: FAKE_CREATED,
      status,
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model,
      output,
      parallel_tool_calls: true,
      previous_response_id: body.previous_response_id ?? null,
      service_tier: 'default',
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: body.text ?? { format: { type: 'text' } },
      tool_choice: body.tool_choice ?? 'auto',
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: 'disabled',
      usage: u,
      metadata: {},
    });

    if (body.stream !== true) return sendJson(res, 200, response('completed', [item], usage));

    let seq = 0;
    const ev = (type: string, data: Obj) => ({ event: type, data: { type, sequence_number: seq++, ...data } });
    const events = [
      ev('response.created', { response: response('in_progress', [], null) }),
      ev('response.in_progress', { response: response('in_progress', [], null) }),
    ];
    if (item.type === 'function_call') {
      const args = String(item.arguments);
      events.push(
        ev('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }),
      );
      const half = Math.ceil(args.length / 2);
      for (const delta of [args.slice(0, half), args.slice(half)]) {
        events.push(ev('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta }));
      }
      events.push(ev('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: args }));
    } else {
      const text = reply.kind === 'text' ? reply.text : '';
      events.push(
        ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
      );
      events.push(
        ev('response.content_part.added', {
          item_id: item.id,
          output_index: 0,
          content_index: 0,
          part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
        }),
      );
      for (const delta of chunksOf(text)) {
        events.push(
          ev('response.output_text.delta', {
            item_id: item.id,
            output_index: 0,
            content_index: 0,
            delta,
            logprobs: [],
          }),
        );
      }
      events.push(
        ev('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text, logprobs: [] }),
      );
      events.push(
        ev('response.content_part.done', {
          item_id: item.id,
          output_index: 0,
          content_index: 0,
          part: { type: 'output_text', text, annotations: [], logprobs: [] },
        }),
      );
    }
    events.push(ev('response.output_item.done', { output_index: 0, item }));
    events.push(ev('response.completed', { response: response('completed', [item], usage) }));
    return sendSse(res, events);
  }

  function embeddings(body: Obj, res: http.ServerResponse) {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.some((i) => typeof i === 'string' && i.includes('FAIL'))) {
      return sendError(res, {
        kind: 'error',
        status: 400,
        message: "Invalid request: the fake model refuses inputs containing 'FAIL'.",
        type: 'invalid_request_error',
        code: 'invalid_input',
      });
    }
    const dims = typeof body.dimensions === 'number' ? body.dimensions : 8;
    const data = inputs.map((input, index) => {
      const s = typeof input === 'string' ? input : JSON.stringify(input);
      // deterministic vector: a few simple character statistics, rounded to 4 places
      const vec = Array.from({ length: dims }, (_, d) => {
        let acc = 0;
        for (let i = d; i < s.length; i += dims) acc += s.charCodeAt(i);
        return Math.round(((acc % 1000) / 1000 - 0.5) * 10000) / 10000;
      });
      const embedding =
        body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vec).buffer).toString('base64') : vec;
      return { object: 'embedding', index, embedding };
    });
    const promptTokens = inputs.reduce<number>((n, i) => n + tokens(i), 0);
    return sendJson(res, 200, {
      object: 'list',
      data,
      model: typeof body.model === 'string' ? body.model : 'text-embedding-3-small',
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text
      }
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push({ method: req.method ?? 'GET', path, body });
      const handle = async () => {
        if (req.method !== 'POST')
          return sendJson(res, 405, {
            error: { message: 'Method not allowed', type: 'invalid_request_error', param: null, code: null },
          });
        if (!isObj(body))
          return sendJson(res, 400, {
            error: { message: 'Expected a JSON object body', type: 'invalid_request_error', param: null, code: null },
          });
        switch (path) {
          case '/v1/chat/completions':
            return chatCompletions(body, res);
          case '/v1/responses':
            return responses(body, res);
          case '/v1/embeddings':
            return embeddings(body, res);
          default:
            return sendJson(res, 404, {
              error: {
                message: `Unknown path ${path}`,
                type: 'invalid_request_error',
                param: null,
                code: 'unknown_url',
              },
            });
        }
      };
      handle().catch((err: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { error: { message: String(err), type: 'server_error', param: null, code: null } });
        else res.destroy();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
