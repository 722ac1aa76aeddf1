/**
 * Deterministic, realistic-looking LLM content for the benchmark mixes: prose
 * of a chosen size, multi-turn chats with tool calls, and tool definitions.
 * Seeded, so every run measures the very same bytes.
 */

/** mulberry32: a tiny seeded PRNG, good enough to vary lengths and words. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the order shipment customer refund policy account invoice delivery warehouse tracking number ' +
  'please could you check whether my package arrived yesterday and why was I charged twice ' +
  'according to our records your request has been processed successfully within five business days ' +
  'we apologise for the inconvenience here is a summary of the relevant details below including ' +
  'weather forecast temperature humidity wind Paris London Tokyo tomorrow afternoon evening ' +
  'function result error retry latency database query index table schema migration deploy'
).split(' ');

/** Sentences of roughly `bytes` bytes (ASCII, with a quote and a newline now and then, as real text has). */
export function prose(random: () => number, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < bytes) {
    const sentenceWords = 6 + Math.floor(random() * 14);
    const words: string[] = [];
    for (let i = 0; i < sentenceWords; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    let sentence = words.join(' ');
    sentence = sentence[0]!.toUpperCase() + sentence.slice(1) + (random() < 0.1 ? ' "quoted".\n' : '. ');
    parts.push(sentence);
    length += sentence.length;
  }
  return parts.join('').slice(0, bytes);
}

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: a JSON string. */
  arguments: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: ToolCall[];
  /** For a `tool` message: the call it answers. */
  toolCallId?: string;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
      additionalProperties: false,
    },
  },
  {
    name: 'lookup_order',
    description: 'Look an order up by its number and return its status, items and shipping events',
    parameters: {
      type: 'object',
      properties: { order_number: { type: 'string' }, include_items: { type: 'boolean' } },
      required: ['order_number'],
      additionalProperties: false,
    },
  },
];

/** A tool's answer: a JSON document of about `bytes` bytes. */
export function toolResult(random: () => number, bytes: number): string {
  return JSON.stringify({
    status: 'ok',
    order_number: `A-${Math.floor(random() * 1e6)}`,
    items: [
      { sku: 'SKU-1042', quantity: 1, price: 19.99 },
      { sku: 'SKU-2210', quantity: 2, price: 5.5 },
    ],
    notes: prose(random, Math.max(0, bytes - 160)),
  });
}

export interface ChatTurn {
  user: ChatMessage;
  /** The assistant's tool call, when the turn needs one. */
  toolCall?: ToolCall;
  toolResult?: string;
  answer: ChatMessage;
}

/** One user/assistant exchange with message sizes drawn around `averageBytes`; with `useTool`, through a tool call. */
export function chatTurn(random: () => number, averageBytes: number, useTool: boolean): ChatTurn {
  const size = (): number => Math.round(averageBytes * (0.5 + random()));
  const user: ChatMessage = { role: 'user', content: prose(random, size()) };
  const answer: ChatMessage = { role: 'assistant', content: prose(random, size()) };
  if (!useTool) return { user, answer };
  const tool = TOOLS[Math.floor(random() * TOOLS.length)]!;
  const toolCall: ToolCall = {
    id: `call_${Math.floor(random() * 1e12).toString(36)}`,
    name: tool.name,
    arguments: JSON.stringify({ city: 'Paris', order_number: `A-${Math.floor(random() * 1e6)}` }),
  };
  return { user, toolCall, toolResult: toolResult(random, size()), answer };
}

/** The messages a turn adds to the conversation, in order. */
export function turnMessages(turn: ChatTurn): ChatMessage[] {
  if (!turn.toolCall) return [turn.user, turn.answer];
  return [
    turn.user,
    { role: 'assistant', content: '', toolCalls: [turn.toolCall] },
    { role: 'tool', content: turn.toolResult ?? '', toolCallId: turn.toolCall.id },
    turn.answer,
  ];
}

export function systemPrompt(random: () => number, bytes: number): ChatMessage {
  return { role: 'system', content: `You are a support assistant. ${prose(random, bytes)}` };
}
