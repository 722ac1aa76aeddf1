/**
 * Sessions for the viewer's browser test and the README screenshot, sent
 * through the real HoneyHiveSpanExporter to a dev server: the recorded Vercel
 * AI SDK tool-calling agent, a hand-made support-ticket workflow with nesting,
 * token counts, a failing step and hostile markup in a tool output, and a
 * two-turn conversation whose turns are separate traces of one session.
 */
import { SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter } from '../../src/index';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { at, spanRecorder, startChild } from '../helpers/sdk-spans';
import { loadFixture } from '../helpers/span-json';

const ticketSessionName = (ticket: number): string => `Support ticket #${ticket}`;
export const SUPPORT_SESSION_NAME = ticketSessionName(4821);
/** The session recordLateSession adds. */
export const LATE_SESSION_NAME = ticketSessionName(4822);
/** The conversation of two turns, each its own trace. */
export const CONVERSATION_SESSION_NAME = 'Trip planner chat';
/** The recorded Vercel AI SDK session, named after its root span. */
export const AGENT_SESSION_NAME = 'ai.generateText';

/** Shown in a tool's output; the viewer must show it as text and never run it. */
export const HOSTILE_NOTE = 'Please hurry! <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">';

/** 2026-01-01T09:30:00Z, after the recorded fixture's spans. */
const BASE_SECONDS = 1_767_259_800;

/** Seconds after BASE_SECONDS, as an HrTime. */
function offset(seconds: number): [number, number] {
  const millis = Math.round(seconds * 1000);
  return at(BASE_SECONDS + Math.floor(millis / 1000), (millis % 1000) * 1_000_000);
}

function supportTicketSpans(ticket: number): ReadableSpan[] {
  const { tracer, take } = spanRecorder();
  const begin = (name: string, parent: Span | undefined, from: number, attributes: Attributes): Span =>
    startChild(tracer, name, parent, { startTime: offset(from), attributes });
  const leaf = (
    name: string,
    parent: Span,
    from: number,
    to: number,
    attributes: Attributes,
    failure?: string,
  ): void => {
    const span = begin(name, parent, from, attributes);
    if (failure !== undefined) {
      span.recordException({ name: 'SmtpError', message: failure });
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    }
    span.end(offset(to));
  };
  const question = 'My order #A-1043 arrived damaged. Can I get a replacement before Friday?';

  const root = begin('handle_ticket', undefined, 0, {
    honeyhive_session_id: `support-ticket-${ticket}`,
    honeyhive_session_name: ticketSessionName(ticket),
    honeyhive_event_type: 'chain',
    'honeyhive_inputs.ticket_id': ticket,
    'honeyhive_inputs.message': question,
    'honeyhive_outputs.status': 'reply drafted, email not sent',
  });
  leaf('classify_intent', root, 0.02, 0.41, {
    honeyhive_event_type: 'model',
    'honeyhive_config.model': 'gpt-4o-mini',
    'honeyhive_config.temperature': 0,
    'honeyhive_inputs.chat_history.0.role': 'user',
    'honeyhive_inputs.chat_history.0.content': question,
    'honeyhive_outputs.intent': 'replacement_request',
    'honeyhive_metadata.prompt_tokens': 182,
    'honeyhive_metadata.completion_tokens': 9,
    'honeyhive_metadata.total_tokens': 191,
  });
  leaf('lookup_order', root, 0.43, 0.61, {
    honeyhive_event_type: 'tool',
    'honeyhive_inputs.order_id': 'A-1043',
    'honeyhive_outputs.status': 'delivered',
    'honeyhive_outputs.delivered_at': '2025-12-29',
    'honeyhive_outputs.customer_note': HOSTILE_NOTE,
  });
  const draft = begin('draft_reply', root, 0.63, {
    honeyhive_event_type: 'chain',
    'honeyhive_inputs.intent': 'replacement_request',
  });
  leaf('search_policies', draft, 0.65, 0.83, {
    honeyhive_event_type: 'tool',
    'honeyhive_inputs.query': 'damaged item replacement window',
    'honeyhive_outputs.documents.0': 'Damaged items are replaced free of charge within 30 days.',
    'honeyhive_outputs.documents.1': 'Express shipping is offered for replacements.',
  });
  leaf('chat', draft, 0.85, 1.93, {
    honeyhive_event_type: 'model',
    'honeyhive_config.model': 'gpt-4o',
    'honeyhive_config.temperature': 0.3,
    'honeyhive_config.max_tokens': 400,
    'honeyhive_inputs.chat_history.0.role': 'system',
    'honeyhive_inputs.chat_history.0.content': 'You are a friendly support agent. Quote the policy you rely on.',
    'honeyhive_inputs.chat_history.1.role': 'user',
    'honeyhive_inputs.chat_history.1.content': question,
    'honeyhive_outputs.role': 'assistant',
    'honeyhive_outputs.content': 'Sorry about the damage! A replacement ships today by express and arrives Thursday.',
    'honeyhive_metadata.prompt_tokens': 612,
    'honeyhive_metadata.completion_tokens': 143,
    'honeyhive_metadata.total_tokens': 755,
  });
  draft.end(offset(1.95));
  leaf(
    'send_email',
    root,
    1.97,
    2.33,
    {
      honeyhive_event_type: 'tool',
      'honeyhive_inputs.to': 'customer@example.com',
      'honeyhive_inputs.subject': 'Your replacement for order #A-1043',
    },
    'SMTP 421: service not available, try again later',
  );
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'send_email failed' });
  root.end(offset(2.35));
  return take();
}

export const TRIP_SYSTEM_PROMPT = 'You plan trips. Check the weather with get_weather before you answer.';

/** One turn of the trip planner: an agent span around model calls (and a tool call on the first turn). */
function conversationTurn(tracer: Tracer, turn: 1 | 2, from: number): void {
  const base = {
    honeyhive_session_id: 'trip-planner-chat',
    honeyhive_session_name: CONVERSATION_SESSION_NAME,
  };
  const question = turn === 1 ? 'Is it a good week for Paris?' : 'And what should I pack?';
  const root = startChild(tracer, 'agent_turn', undefined, {
    startTime: offset(from),
    attributes: { ...base, honeyhive_event_type: 'chain', 'honeyhive_inputs.message': question },
  });
  const model = (name: string, start: number, end: number, attributes: Attributes): void => {
    const span = startChild(tracer, name, root, {
      startTime: offset(start),
      attributes: {
        honeyhive_event_type: 'model',
        'honeyhive_config.model': 'gpt-4o-mini',
        'honeyhive_inputs.chat_history.0.role': 'system',
        'honeyhive_inputs.chat_history.0.content': TRIP_SYSTEM_PROMPT,
        'honeyhive_inputs.chat_history.1.role': 'user',
        'honeyhive_inputs.chat_history.1.content': question,
        ...attributes,
      },
    });
    span.end(offset(end));
  };
  if (turn === 1) {
    model('chat', from + 0.01, from + 0.62, {
      'honeyhive_outputs.role': 'assistant',
      'honeyhive_outputs.content': '',
      'honeyhive_outputs.tool_calls.0.id': 'call_weather_1',
      'honeyhive_outputs.tool_calls.0.type': 'function',
      'honeyhive_outputs.tool_calls.0.function.name': 'get_weather',
      'honeyhive_outputs.tool_calls.0.function.arguments': '{"city":"Paris"}',
      'honeyhive_outputs.finish_reason': 'tool_calls',
      'honeyhive_metadata.prompt_tokens': 96,
      'honeyhive_metadata.completion_tokens': 18,
    });
    const tool = startChild(tracer, 'get_weather', root, {
      startTime: offset(from + 0.63),
      attributes: {
        honeyhive_event_type: 'tool',
        'honeyhive_inputs.city': 'Paris',
        'honeyhive_outputs.forecast': 'sunny, 18-22 °C all week',
      },
    });
    tool.end(offset(from + 0.81));
    model('chat', from + 0.82, from + 1.6, {
      'honeyhive_inputs.chat_history.2.role': 'assistant',
      'honeyhive_inputs.chat_history.2.content': '',
      'honeyhive_inputs.chat_history.2.tool_calls.0.id': 'call_weather_1',
      'honeyhive_inputs.chat_history.2.tool_calls.0.type': 'function',
      'honeyhive_inputs.chat_history.2.tool_calls.0.function.name': 'get_weather',
      'honeyhive_inputs.chat_history.2.tool_calls.0.function.arguments': '{"city":"Paris"}',
      'honeyhive_inputs.chat_history.3.role': 'tool',
      'honeyhive_inputs.chat_history.3.tool_call_id': 'call_weather_1',
      'honeyhive_inputs.chat_history.3.name': 'get_weather',
      'honeyhive_inputs.chat_history.3.content': '{"forecast":"sunny, 18-22 °C all week"}',
      'honeyhive_outputs.role': 'assistant',
      'honeyhive_outputs.content': 'Yes: sunny all week, 18-22 °C. A great week for Paris.',
      'honeyhive_outputs.finish_reason': 'stop',
      'honeyhive_metadata.prompt_tokens': 141,
      'honeyhive_metadata.completion_tokens': 22,
    });
    root.end(offset(from + 1.62));
  } else {
    model('chat', from + 0.01, from + 0.9, {
      'honeyhive_outputs.role': 'assistant',
      'honeyhive_outputs.content': 'Light layers, sunglasses and comfortable shoes.',
      'honeyhive_outputs.finish_reason': 'stop',
      'honeyhive_metadata.prompt_tokens': 64,
      'honeyhive_metadata.completion_tokens': 12,
    });
    root.end(offset(from + 0.92));
  }
}

/** Two turns, 5 s apart, each its own trace, in one session (named by honeyhive_session_id). */
function conversationSpans(): ReadableSpan[] {
  const { tracer, take } = spanRecorder();
  conversationTurn(tracer, 1, 10);
  conversationTurn(tracer, 2, 15);
  return take();
}

async function sendSpans(serverUrl: string, batches: ReadableSpan[][]): Promise<void> {
  const exporter = new HoneyHiveSpanExporter({ apiKey: TEST_API_KEY, serverUrl, project: 'viewer-demo' });
  try {
    for (const spans of batches) {
      const result = await exportSpans(exporter, spans);
      if (result.code !== ExportResultCode.SUCCESS) throw result.error ?? new Error('export failed');
    }
  } finally {
    await exporter.shutdown();
  }
}

/** Sends the recorded agent session, the conversation, then the support-ticket session, to the dev server at `serverUrl`. */
export function recordViewerSessions(serverUrl: string): Promise<void> {
  return sendSpans(serverUrl, [loadFixture('vercel-ai-tools'), conversationSpans(), supportTicketSpans(4821)]);
}

/** Sends one more support-ticket session, as an app still running would. */
export function recordLateSession(serverUrl: string): Promise<void> {
  return sendSpans(serverUrl, [supportTicketSpans(4822)]);
}
