/**
 * The targets of issue 5, each a ratio measured in the same run, judged
 * PASS or MISS. Limits are inclusive.
 */
import type { BenchResults, TargetResult } from './results';

type Measured = Omit<BenchResults, 'targets'>;

interface TargetRule {
  id: string;
  description: string;
  limit: number;
  value(results: Measured): number | undefined;
}

/** Mixes whose spans are LLM spans: the looser time and byte limits apply to them. */
const LLM_MIXES = ['llm', 'agent'];

function serializeRules(mix: string): TargetRule[] {
  const llm = LLM_MIXES.includes(mix);
  const find = (results: Measured) => results.serialize.find((entry) => entry.mix === mix);
  return [
    {
      id: `serialize.${mix}.vs-otlp`,
      description: `transform + serialise time vs the OTLP JSON serializer, ${mix} spans`,
      limit: llm ? 1.5 : 1.0,
      value: (results) => find(results)?.timeRatio.vsOtlp,
    },
    {
      id: `serialize.${mix}.vs-floor`,
      description: `transform + serialise time vs JSON.stringify of the finished events, ${mix} spans`,
      limit: 2.0,
      value: (results) => find(results)?.timeRatio.vsFloor,
    },
    {
      id: `bytes.${mix}.vs-otlp`,
      description: `bytes on the wire vs OTLP JSON, ${mix} spans`,
      limit: llm ? 1.0 : 0.7,
      value: (results) => find(results)?.bytesRatio,
    },
  ];
}

function endToEndRule(mix: string): TargetRule {
  return {
    id: `end-to-end.${mix}.cpu-vs-otlp`,
    description: `app CPU per span, BatchSpanProcessor + our exporter vs + OTLP HTTP exporter, ${mix} spans`,
    limit: 1.0,
    value: (results) => results.endToEnd.find((entry) => entry.mix === mix)?.ratio.cpu,
  };
}

export const TARGET_RULES: readonly TargetRule[] = [
  ...['plain', 'llm', 'agent'].flatMap(serializeRules),
  ...['plain', 'llm', 'agent'].map(endToEndRule),
  {
    id: 'outage.rss-growth',
    description: 'peak RSS of a 10x longer outage vs a short one (bounded by configuration, not by the outage)',
    limit: 1.5,
    value: (results) => results.outage.rssGrowth.ours,
  },
  {
    id: 'scale.trace-size',
    description: 'rise in time per span as one trace grows from 1,000 spans up (1 = flat, linear in total)',
    limit: 2.0,
    value: (results) => results.scale.growth.traceSize,
  },
  {
    id: 'scale.content-size',
    description: 'rise in time per content byte as messages grow from 10 KB up (1 = flat, linear in total)',
    limit: 2.0,
    value: (results) => results.scale.growth.contentSize,
  },
];

export function judgeTargets(results: Measured): TargetResult[] {
  return TARGET_RULES.map((rule) => {
    const value = rule.value(results) ?? Number.NaN;
    return { id: rule.id, description: rule.description, value, limit: rule.limit, pass: value <= rule.limit };
  });
}
