import assert from 'node:assert/strict';
import type { HttpFailure } from '../../src/transport/http-transport';
import {
  BACKOFF_JITTER,
  backoffMillis,
  isConnectionFailure,
  isRetryable,
  isWorthKeeping,
  MAX_BACKOFF_MILLIS,
  MAX_RETRY_AFTER_MILLIS,
  MIN_ATTEMPT_MILLIS,
  parseRetryAfter,
  planRetry,
} from '../../src/transport/retry-policy';
import { DEFAULT_POLICY } from './fake-transport';

const http = (status: number, retryAfter?: string): HttpFailure => ({
  kind: 'http',
  status,
  ...(retryAfter ? { retryAfter } : {}),
});
const network = (code?: string): HttpFailure => ({ kind: 'network', ...(code ? { code } : {}) });

describe('retry policy', () => {
  describe('isRetryable', () => {
    it('retries request timeouts, rate limits and passing server errors, and nothing else the server says', () => {
      const retried = [100, 200, 301, 400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 501, 502, 503, 504, 505].filter(
        (status) => isRetryable(http(status)),
      );
      assert.deepEqual(retried, [408, 429, 500, 502, 503, 504]);
    });

    it('retries resets, refusals, DNS failures, unreachable networks and timeouts, not TLS errors', () => {
      for (const code of [
        'ECONNRESET',
        'ECONNREFUSED',
        'ENOTFOUND',
        'EAI_AGAIN',
        'EHOSTUNREACH',
        'ENETUNREACH',
        'EPIPE',
        'ETIMEDOUT',
      ]) {
        assert.equal(isRetryable(network(code)), true, code);
      }
      assert.equal(isRetryable(network()), true, 'a connection failure without a code');
      assert.equal(isRetryable(network('CERT_HAS_EXPIRED')), false);
      assert.equal(isRetryable(network('DEPTH_ZERO_SELF_SIGNED_CERT')), false);
      assert.equal(isRetryable({ kind: 'timeout', code: 'ETIMEDOUT' }), true);
    });

    it('calls a failure to connect a connection failure, never a timeout, a TLS error or an answer', () => {
      assert.equal(isConnectionFailure(network('ECONNREFUSED')), true);
      assert.equal(isConnectionFailure(network('ENOTFOUND')), true);
      assert.equal(isConnectionFailure(network()), true);
      assert.equal(isConnectionFailure(network('CERT_HAS_EXPIRED')), false);
      assert.equal(isConnectionFailure({ kind: 'timeout', code: 'ETIMEDOUT' }), false);
      assert.equal(isConnectionFailure(http(503)), false);
    });

    it('does not retry past the deadline or a cancel, but keeps both for the spool', () => {
      for (const kind of ['deadline', 'aborted'] as const) {
        assert.equal(isRetryable({ kind }), false);
        assert.equal(isWorthKeeping({ kind }), true);
      }
      assert.equal(isWorthKeeping(http(400)), false);
      assert.equal(isWorthKeeping(http(503)), true);
    });
  });

  describe('parseRetryAfter', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');

    it('reads seconds, fractional seconds and HTTP dates', () => {
      assert.equal(parseRetryAfter('3', now), 3000);
      assert.equal(parseRetryAfter(' 1.5 ', now), 1500);
      assert.equal(parseRetryAfter('0', now), 0);
      assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now), 7000);
    });

    it('never goes negative, never past the cap, and ignores what it cannot read', () => {
      assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('99999999', now), MAX_RETRY_AFTER_MILLIS);
      assert.equal(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now), MAX_RETRY_AFTER_MILLIS);
      for (const bad of [undefined, '', 'soon', '-5', '1e3', 'NaN'])
        assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
    });
  });

  describe('backoffMillis', () => {
    it('doubles from the first wait up to the cap', () => {
      const waits = [0, 1, 2, 3, 4, 5].map((retry) => backoffMillis(retry, DEFAULT_POLICY, 0.5));
      assert.deepEqual(waits, [1000, 2000, 4000, MAX_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS]);
    });

    it('moves each wait by at most the jitter, both ways', () => {
      assert.equal(backoffMillis(0, DEFAULT_POLICY, 0), 1000 * (1 - BACKOFF_JITTER));
      assert.equal(backoffMillis(0, DEFAULT_POLICY, 0.999999), Math.round(1000 * (1 + BACKOFF_JITTER * 0.999998)));
    });

    it('lets a configured first wait above the cap stand', () => {
      assert.equal(backoffMillis(3, { maxRetries: 5, retryDelayMillis: 8000 }, 0.5), 8000);
    });
  });

  describe('planRetry', () => {
    const base = { retriesDone: 0, policy: DEFAULT_POLICY, now: 1_000_000, deadline: 1_020_000, random: 0.5 };

    it('waits the backoff for a retryable failure', () => {
      assert.deepEqual(planRetry({ ...base, failure: http(503) }), { retry: true, delayMillis: 1000 });
      assert.deepEqual(planRetry({ ...base, retriesDone: 2, failure: network('ECONNRESET') }), {
        retry: true,
        delayMillis: 4000,
      });
    });

    it('waits what Retry-After says instead', () => {
      assert.deepEqual(planRetry({ ...base, failure: http(429, '7') }), { retry: true, delayMillis: 7000 });
    });

    it("waits the wait the failure carries (the connection breaker's) instead, within the deadline", () => {
      const failure = (retryInMillis: number): HttpFailure => ({ ...network('ECONNREFUSED'), retryInMillis });
      assert.deepEqual(planRetry({ ...base, failure: failure(0) }), { retry: true, delayMillis: 0 });
      assert.deepEqual(planRetry({ ...base, failure: failure(19_990) }), { retry: false, reason: 'deadline' });
    });

    it('says why it will not retry', () => {
      assert.deepEqual(planRetry({ ...base, failure: http(401) }), { retry: false, reason: 'not-retryable' });
      assert.deepEqual(planRetry({ ...base, retriesDone: 5, failure: http(503) }), {
        retry: false,
        reason: 'retries-exhausted',
      });
      assert.deepEqual(planRetry({ ...base, failure: http(429, '30') }), { retry: false, reason: 'deadline' });
    });

    it('makes no retry that could not start well before the deadline', () => {
      const failure = http(503);
      const justEnough = { ...base, deadline: base.now + 1000 + MIN_ATTEMPT_MILLIS };
      assert.equal(planRetry({ ...justEnough, failure }).retry, true);
      assert.equal(planRetry({ ...justEnough, deadline: justEnough.deadline - 1, failure }).retry, false);
      assert.equal(planRetry({ ...base, deadline: undefined, retriesDone: 4, failure }).retry, true);
    });
  });
});
