/** Numbers, times and token counts as the viewer shows them. */
import type { SessionDetails, StoredEvent } from '../../types';

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
export const formatCount = (count: number): string => count.toLocaleString('en-US');

export function formatDuration(ms: number | undefined): string {
  if (!isNumber(ms)) return '';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/** For axis labels: no trailing zeros. */
export function formatTick(ms: number): string {
  if (ms === 0) return '0';
  return ms < 1000 ? `${Number(ms.toFixed(3))} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

const pad = (number: number, width = 2): string => String(number).padStart(width, '0');

/** Local time, 24-hour: 09:30:00. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Local date and time to the millisecond: 2026-01-01 09:30:00.850. */
export function formatDateTime(epochMs: number): string {
  const date = new Date(epochMs);
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day} ${formatClock(epochMs)}.${pad(date.getMilliseconds(), 3)}`;
}

/** The fields an event and a session share for timing. */
export interface Timed {
  start_time?: number;
  end_time?: number;
  duration?: number;
}

export function durationOf(item: Timed): number | undefined {
  if (isNumber(item.duration)) return item.duration;
  if (isNumber(item.start_time) && isNumber(item.end_time)) return item.end_time - item.start_time;
  return undefined;
}

/** When `item` ended; its start when nothing says how long it took. */
export function endOf(item: Timed & { start_time: number }): number {
  if (isNumber(item.end_time)) return item.end_time;
  return item.start_time + (durationOf(item) ?? 0);
}

export interface TimeRange {
  start: number;
  end: number;
}

/** From the earliest start to the latest end of `events`; null when none has a start. */
export function timeRange(events: readonly StoredEvent[]): TimeRange | null {
  let start = Infinity;
  let end = -Infinity;
  for (const event of events) {
    if (!isNumber(event.start_time)) continue;
    start = Math.min(start, event.start_time);
    end = Math.max(end, endOf({ ...event, start_time: event.start_time }));
  }
  return start === Infinity ? null : { start, end };
}

/** A time of a session: its own when it carries one, else worked out from its events (`derived`). */
export interface SessionTime {
  value: number;
  derived: boolean;
}

/** A session's start, end and duration, each its own or else its events'. */
export function sessionTimes(details: SessionDetails): Record<'start' | 'end' | 'duration', SessionTime | undefined> {
  const session = details.session;
  const range = timeRange(details.events);
  const pick = (own: number | undefined, fromEvents: number | undefined): SessionTime | undefined =>
    isNumber(own)
      ? { value: own, derived: false }
      : isNumber(fromEvents)
        ? { value: fromEvents, derived: true }
        : undefined;
  const start = pick(session.start_time, range?.start);
  const end = pick(session.end_time, range?.end);
  const ownDuration = durationOf(session);
  const duration = pick(ownDuration, start !== undefined && end !== undefined ? end.value - start.value : undefined);
  return { start, end, duration };
}

export interface Tokens {
  prompt?: number;
  completion?: number;
  total?: number;
}

/** Token counts from metadata, as HoneyHive reads them; undefined when there are none. */
export function tokensOf(event: StoredEvent): Tokens | undefined {
  const metadata = event.metadata ?? {};
  const read = (key: string): number | undefined => {
    const value = metadata[key];
    return isNumber(value) ? value : undefined;
  };
  const prompt = read('prompt_tokens');
  const completion = read('completion_tokens');
  let total = read('total_tokens');
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  if (total === undefined && prompt !== undefined && completion !== undefined) total = prompt + completion;
  return { prompt, completion, total };
}

export function describeTokens(tokens: Tokens): string {
  const parts: string[] = [];
  if (tokens.prompt !== undefined) parts.push(`prompt ${formatCount(tokens.prompt)}`);
  if (tokens.completion !== undefined) parts.push(`completion ${formatCount(tokens.completion)}`);
  if (tokens.total !== undefined) parts.push(`total ${formatCount(tokens.total)}`);
  return parts.join(' · ');
}

export function modelOf(event: StoredEvent): string | undefined {
  const model = event.config?.['model'];
  return typeof model === 'string' ? model : undefined;
}

/** The OpenTelemetry trace an event came from (the exporter's `metadata.trace_id`). */
export const traceIdOf = (event: StoredEvent): string | undefined => {
  const id = event.metadata?.['trace_id'];
  return typeof id === 'string' ? id : undefined;
};

export const EVENT_TYPES = ['model', 'tool', 'chain'];
export const typeOf = (event: StoredEvent): string =>
  typeof event.event_type === 'string' ? event.event_type : 'event';
export const typeClass = (type: string): string => `type-${EVENT_TYPES.includes(type) ? type : 'other'}`;
export const hasError = (event: StoredEvent): boolean => typeof event.error === 'string';
export const eventName = (event: StoredEvent): string =>
  typeof event.event_name === 'string' ? event.event_name : '(unnamed)';
