/**
 * What is worth sending again, and when: pure functions of a failure, the
 * retries already made, the clock and the deadline. The retrying transport
 * asks; nothing here waits or sends.
 */
import type { HttpFailure } from './http-transport';

/** Statuses that say "later": request timeout, rate limit, and server errors that pass. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** System error codes of a connection that failed but may work next time: reset, refused, DNS, unreachable, timed out. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ERR_NETWORK',
]);

/** Retries after the first attempt, by default. */
export const DEFAULT_MAX_RETRIES = 5;
/** The first wait, by default; each later one doubles. */
export const DEFAULT_RETRY_DELAY_MILLIS = 1_000;
export const BACKOFF_MULTIPLIER = 2;
/** No computed wait is longer (unless the first wait itself is configured longer). */
export const MAX_BACKOFF_MILLIS = 5_000;
/** Each wait is moved at random by up to this fraction, so many clients do not retry in step. */
export const BACKOFF_JITTER = 0.2;
/** A server's Retry-After is honoured up to this long, so a bad header cannot park a request (or overflow a timer). */
export const MAX_RETRY_AFTER_MILLIS = 5 * 60_000;
/** A retry is only worth making if at least this much of the deadline is left once the wait is over. */
export const MIN_ATTEMPT_MILLIS = 50;

/** The options `maxRetries` and `retryDelayMillis`. */
export interface RetryPolicy {
  maxRetries: number;
  /** The first wait; each later one doubles. */
  retryDelayMillis: number;
}

/** True when sending the same request again may succeed. `deadline` and `aborted` are not: there is no time, or no wish. */
export function isRetryable(failure: HttpFailure): boolean {
  switch (failure.kind) {
    case 'http':
      return failure.status !== undefined && RETRYABLE_STATUSES.has(failure.status);
    case 'timeout':
      return true;
    case 'network':
      // A connection failure without a code is still a connection failure; TLS and protocol errors carry codes not listed.
      return failure.code === undefined || RETRYABLE_NETWORK_CODES.has(failure.code);
    default:
      return false;
  }
}

/**
 * True when no answer came because the connection failed (refused, reset, DNS, unreachable): the server,
 * not this request, is the problem, so every request to it may as well wait (see ConnectionBreaker).
 */
export function isConnectionFailure(failure: HttpFailure): boolean {
  return failure.kind === 'network' && isRetryable(failure);
}

/** True when the batch should be kept (spooled) for later rather than given up: retryable, or cut short by the deadline or shutdown. */
export function isWorthKeeping(failure: HttpFailure): boolean {
  return isRetryable(failure) || failure.kind === 'deadline' || failure.kind === 'aborted';
}

/**
 * `Retry-After` as milliseconds from `now`: a number of seconds, or an HTTP
 * date. Undefined when absent or unreadable; never negative, never above
 * {@link MAX_RETRY_AFTER_MILLIS}.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  let millis: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    millis = Number(text) * 1000;
  } else {
    // An HTTP date names its month; this keeps Date.parse from reading "-5" as a year.
    if (!/[a-z]{3}/i.test(text)) return undefined;
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    millis = date - now;
  }
  return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, Math.ceil(millis)));
}

/** The wait before retry number `retry` (0 for the first), with jitter from `random` in [0, 1). */
export function backoffMillis(retry: number, policy: RetryPolicy, random: number): number {
  const cap = Math.max(MAX_BACKOFF_MILLIS, policy.retryDelayMillis);
  const base = Math.min(cap, policy.retryDelayMillis * BACKOFF_MULTIPLIER ** retry);
  const jitter = 1 + BACKOFF_JITTER * (2 * random - 1);
  return Math.max(0, Math.round(base * jitter));
}

export type RetryDecision =
  { retry: true; delayMillis: number } | { retry: false; reason: 'not-retryable' | 'retries-exhausted' | 'deadline' };

export interface RetryQuestion {
  failure: HttpFailure;
  /** Retries already made for this request. */
  retriesDone: number;
  policy: RetryPolicy;
  now: number;
  /** Epoch milliseconds by which everything must be over; undefined for none. */
  deadline: number | undefined;
  /** A number in [0, 1) for the jitter. */
  random: number;
}

/** Whether to send a failed request again, and after how long; never a retry that could not start well before the deadline. */
export function planRetry(question: RetryQuestion): RetryDecision {
  const { failure, retriesDone, policy, now, deadline } = question;
  if (!isRetryable(failure)) return { retry: false, reason: 'not-retryable' };
  if (retriesDone >= policy.maxRetries) return { retry: false, reason: 'retries-exhausted' };
  const delayMillis =
    failure.retryInMillis ??
    parseRetryAfter(failure.retryAfter, now) ??
    backoffMillis(retriesDone, policy, question.random);
  if (deadline !== undefined && now + delayMillis + MIN_ATTEMPT_MILLIS > deadline)
    return { retry: false, reason: 'deadline' };
  return { retry: true, delayMillis };
}
