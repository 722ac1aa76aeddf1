import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createRetryingTransport } from '../../src/transport/retrying-transport';
import { DEFAULT_RETRY_POLICY } from '../../src/transport/retry-policy';
import { OK, scriptedTransport, status } from './fake-transport';

describe('createRetryingTransport', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  const request = (deadlineIn = 20_000) => ({
    path: '/p',
    body: '{}',
    timeoutMillis: 10_000,
    deadline: Date.now() + deadlineIn,
  });

  it('sends a 503 again after exponential waits until it succeeds, and reports each retry', async () => {
    const inner = scriptedTransport([status(503), status(503), OK]);
    const onRetry = sinon.spy();
    const transport = createRetryingTransport(inner, { policy: DEFAULT_RETRY_POLICY, random: () => 0.5, onRetry });
    const result = transport.post(request());
    await clock.tickAsync(3000);
    assert.deepEqual(await result, OK);
    assert.deepEqual(
      inner.times.map((time) => time - 1_000_000),
      [0, 1000, 3000],
    );
    assert.deepEqual(
      onRetry.args.map(([failure, retry, delay]) => [failure.status, retry, delay]),
      [
        [503, 1, 1000],
        [503, 2, 2000],
      ],
    );
  });

  it('waits what Retry-After says', async () => {
    const inner = scriptedTransport([status(429, '4'), OK]);
    const transport = createRetryingTransport(inner, { policy: DEFAULT_RETRY_POLICY, random: () => 0.5 });
    const result = transport.post(request());
    await clock.tickAsync(4000);
    assert.equal((await result).ok, true);
    assert.deepEqual(
      inner.times.map((time) => time - 1_000_000),
      [0, 4000],
    );
  });

  it('sends a 400 once and returns it', async () => {
    const inner = scriptedTransport([status(400)]);
    const result = await createRetryingTransport(inner, { policy: DEFAULT_RETRY_POLICY }).post(request());
    assert.deepEqual(result, status(400));
    assert.equal(inner.requests.length, 1);
  });

  it('gives up when the next wait would end past the deadline, saying how many attempts it made', async () => {
    const inner = scriptedTransport([status(503)]);
    const transport = createRetryingTransport(inner, { policy: DEFAULT_RETRY_POLICY, random: () => 0.5 });
    const result = transport.post(request(5000));
    await clock.tickAsync(5000);
    // Waits 1 s and 2 s fit in 5 s; the third (4 s) would not.
    assert.deepEqual(await result, { ...status(503), attempts: 3 });
    assert.equal(inner.requests.length, 3);
  });

  it('stops after maxRetries', async () => {
    const inner = scriptedTransport([status(502)]);
    const transport = createRetryingTransport(inner, {
      policy: { maxRetries: 2, initialBackoffMillis: 10 },
      random: () => 0.5,
    });
    const result = transport.post(request());
    await clock.tickAsync(100);
    assert.equal((await result).ok, false);
    assert.equal(inner.requests.length, 3);
  });

  it('stops waiting at once when the request is cancelled', async () => {
    const inner = scriptedTransport([status(503)]);
    const cancel = new AbortController();
    const transport = createRetryingTransport(inner, { policy: DEFAULT_RETRY_POLICY, random: () => 0.5 });
    const result = transport.post({ ...request(), signal: cancel.signal });
    await clock.tickAsync(10);
    cancel.abort();
    assert.deepEqual(await result, { ok: false, kind: 'aborted', attempts: 1 });
    assert.equal(clock.countTimers(), 0, 'no backoff timer left behind');
  });
});
