/**
 * LLM spans with realistic content: multi-turn conversations of a few KB per
 * model call, tool calls, and every convention's JSON-string and flattened
 * attributes, one conversation per convention in turn; plus every recorded
 * fixture (real instrumentations' output).
 */
import type { Span, Tracer } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { listFixtures, loadFixture } from '../../helpers/span-json';
import { chatTurn, seededRandom, systemPrompt, turnMessages, type ChatMessage, type ChatTurn } from './content';
import { CONVENTION_NAMES, CONVENTION_SPANS, type ConventionSpans, type ModelCall } from './llm-attributes';
import { benchRecorder, endAfter, startAt, SyntheticClock } from './recorder';

/** Model calls see the system prompt and at most this many of the latest messages. */
const HISTORY_MESSAGES = 10;

/** Rough token count of messages (four characters a token). */
function tokens(messages: readonly ChatMessage[]): number {
  return Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
}

function modelCall(system: ChatMessage, history: readonly ChatMessage[], output: ChatMessage): ModelCall {
  const input = [system, ...history.slice(-HISTORY_MESSAGES)];
  return { model: 'gpt-4o-mini', input, output, inputTokens: tokens(input), outputTokens: tokens([output]) };
}

export interface TurnContext {
  tracer: Tracer;
  clock: SyntheticClock;
  spans: ConventionSpans;
  system: ChatMessage;
  sessionId: string;
}

/**
 * Records one turn under `parent`: a model call, and when the turn uses a tool,
 * the tool's span and a second model call. Returns the latest messages of the conversation.
 */
export function recordModelCalls(
  context: TurnContext,
  parent: Span,
  history: readonly ChatMessage[],
  turn: ChatTurn,
): ChatMessage[] {
  const { tracer, clock, spans, system } = context;
  const [user, toolRequest, toolAnswer, answer] = turnMessages(turn);
  let conversation = [...history, user!];
  const callModel = (output: ChatMessage): void => {
    const span = startAt(tracer, clock, spans.model.name, parent, {
      kind: SpanKind.CLIENT,
      attributes: spans.model.attributes(modelCall(system, conversation, output)),
    });
    endAfter(span, clock, 300 + output.content.length);
    conversation = [...conversation, output];
  };
  if (turn.toolCall && toolRequest && toolAnswer) {
    callModel(toolRequest);
    const tool = startAt(tracer, clock, spans.tool.name, parent, {
      attributes: spans.tool.attributes({ call: turn.toolCall, result: toolAnswer.content }),
    });
    endAfter(tool, clock, 40);
    conversation = [...conversation, toolAnswer];
  }
  callModel(answer ?? turn.answer);
  // Only the latest messages are ever sent again: keep the history from growing with the conversation.
  return conversation.slice(-HISTORY_MESSAGES);
}

/** One trace per turn: the convention's wrapper span over its model and tool spans. */
function recordTurn(context: TurnContext, history: readonly ChatMessage[], turn: ChatTurn): ChatMessage[] {
  const { tracer, clock, spans, sessionId } = context;
  const usage = { inputTokens: 2000, outputTokens: 300 };
  const wrapper = startAt(tracer, clock, spans.wrapper.name, undefined, {
    attributes: spans.wrapper.attributes({
      sessionId,
      userMessage: turn.user.content,
      answer: turn.answer.content,
      ...usage,
    }),
  });
  const conversation = recordModelCalls(context, wrapper, history, turn);
  endAfter(wrapper, clock, 5);
  return conversation;
}

/** `conversations` conversations of `turns` turns; messages average `messageBytes`. */
export function llmSpans(conversations: number, turns: number, messageBytes = 400): ReadableSpan[] {
  const { tracer, take } = benchRecorder();
  const clock = new SyntheticClock();
  const random = seededRandom(11);
  for (let c = 0; c < conversations; c++) {
    const convention = CONVENTION_NAMES[c % CONVENTION_NAMES.length]!;
    const context: TurnContext = {
      tracer,
      clock,
      spans: CONVENTION_SPANS[convention],
      system: systemPrompt(random, 600),
      sessionId: `conversation-${c}`,
    };
    let history: ChatMessage[] = [];
    for (let t = 0; t < turns; t++) history = recordTurn(context, history, chatTurn(random, messageBytes, t % 3 !== 2));
  }
  return [...take(), ...recordedFixtureSpans()];
}

/** Every recorded fixture's spans, as real instrumentations wrote them. */
export function recordedFixtureSpans(): ReadableSpan[] {
  return listFixtures().flatMap((name) => loadFixture(name));
}
