/**
 * One agent trace of a fixed number of spans (1,000 in the mix): an
 * `invoke_agent` root over steps, each a model call, or a model call, a tool
 * and a second model call with the tool's HTTP and database spans, in the
 * OpenTelemetry GenAI convention. The conversation grows step after step.
 */
import { SpanKind, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { chatTurn, seededRandom, systemPrompt, type ChatMessage } from './content';
import { recordModelCalls, type TurnContext } from './llm';
import { CONVENTION_SPANS } from './llm-attributes';
import { benchRecorder, endAfter, startAt, SyntheticClock } from './recorder';

/** Spans of a step that uses a tool: the step, two model calls, the tool, its HTTP call and its query. */
const TOOL_STEP_SPANS = 6;
/** Spans of a step without a tool: the step and one model call. */
const PLAIN_STEP_SPANS = 2;

function toolSideEffects(context: TurnContext, step: Span): void {
  const { tracer, clock } = context;
  const http = startAt(tracer, clock, 'GET', step, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'GET',
      'url.full': 'https://orders.internal/v1/orders/A-1042',
      'server.address': 'orders.internal',
      'http.response.status_code': 200,
    },
  });
  endAfter(http, clock, 12);
  const query = startAt(tracer, clock, 'pg.query:SELECT orders', step, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.namespace': 'orders',
      'db.query.text': 'SELECT * FROM order_events WHERE order_id = $1 ORDER BY at',
    },
  });
  endAfter(query, clock, 3);
}

/** One trace of exactly `spanCount` spans (at least 2); messages average `messageBytes`. */
export function agentTraceSpans(spanCount: number, messageBytes = 300): ReadableSpan[] {
  if (spanCount < 2) throw new RangeError(`an agent trace needs at least 2 spans; got ${spanCount}`);
  const { tracer, take } = benchRecorder();
  const clock = new SyntheticClock();
  const random = seededRandom(23);
  const context: TurnContext = {
    tracer,
    clock,
    spans: CONVENTION_SPANS.genai,
    system: systemPrompt(random, messageBytes * 2),
    sessionId: 'agent-run-1',
  };
  const root = startAt(tracer, clock, 'invoke_agent research-agent', undefined, {
    attributes: CONVENTION_SPANS.genai.wrapper.attributes({
      sessionId: context.sessionId,
      userMessage: '',
      answer: '',
      inputTokens: 0,
      outputTokens: 0,
    }),
  });
  let history: ChatMessage[] = [];
  let remaining = spanCount - 1;
  if (remaining % PLAIN_STEP_SPANS !== 0) {
    // Steps come in even sizes: one memory lookup makes the count come out exact.
    endAfter(
      startAt(tracer, clock, 'retrieve_memory', root, {
        attributes: { 'gen_ai.operation.name': 'retrieval', 'gen_ai.data_source.id': 'memory' },
      }),
      clock,
      2,
    );
    remaining -= 1;
  }
  for (let stepIndex = 0; remaining > 0; stepIndex++) {
    const useTool = remaining >= TOOL_STEP_SPANS && stepIndex % 3 !== 2;
    const step = startAt(tracer, clock, `agent_step ${stepIndex}`, root, {
      attributes: { 'gen_ai.operation.name': 'agent_step', 'gen_ai.agent.name': 'research-agent' },
    });
    history = recordModelCalls(context, step, history, chatTurn(random, messageBytes, useTool));
    if (useTool) toolSideEffects(context, step);
    endAfter(step, clock, 1);
    remaining -= useTool ? TOOL_STEP_SPANS : PLAIN_STEP_SPANS;
  }
  endAfter(root, clock, 1);
  const spans = take();
  if (spans.length !== spanCount) throw new Error(`agent trace has ${spans.length} spans, expected ${spanCount}`);
  return spans;
}
