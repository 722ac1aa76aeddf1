/** The three span mixes every benchmark shares, built once per run. */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { BenchSettings } from '../settings';
import { agentTraceSpans } from './agent';
import { llmSpans } from './llm';
import { plainSpans } from './plain';

export interface SpanMix {
  name: 'plain' | 'llm' | 'agent';
  description: string;
  spans: ReadableSpan[];
}

export function buildMixes(settings: BenchSettings): SpanMix[] {
  return [
    {
      name: 'plain',
      description: 'HTTP server, Express, pg, Redis and HTTP client spans',
      spans: plainSpans(settings.plainTraces),
    },
    {
      name: 'llm',
      description:
        'agent turns in the GenAI, OpenInference, Traceloop, Vercel AI and HoneyHive conventions, plus the recorded fixtures',
      spans: llmSpans(settings.llmConversations, settings.llmTurns),
    },
    {
      name: 'agent',
      description: `one ${settings.agentTraceSpans}-span agent trace (GenAI convention)`,
      spans: agentTraceSpans(settings.agentTraceSpans),
    },
  ];
}
