import assert from 'node:assert/strict';
import sinon from 'sinon';
import { withLayers, type HttpTransport } from '../../src/transport/http-transport';
import { retryingLayer, type RetryingLayerOptions } from '../../src/transport/retrying-transport';
import { DEFAULT_POLICY, failed, OK, scriptedTransport, status } from './fake-transport';

function retrying(inner: HttpTransport, options: Partial<RetryingLayerOptions> = {}): HttpTransport {
  return withLayers(inner, [retryingLayer({ policy: DEFAULT_POLICY, random: () => 0.5, ...options })]);
}

describe('retryingLayer', () => {
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
    const onAttempt = sinon.spy();
    const transport = retrying(inner, { onRetry, onAttempt });
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
    assert.deepEqual(
      onAttempt.args.map(([result]) => result),
      [status(503), status(503), OK],
      'every attempt reported as it came',
    );
  });

  it('waits what the layer below says (retryInMillis), in place of the backoff', async () => {
    const inner = scriptedTransport([failed({ kind: 'network', code: 'ECONNREFUSED', retryInMillis: 300 }), OK]);
    const result = retrying(inner).post(request());
    await clock.tickAsync(300);
    assert.deepEqual(await result, OK);
    assert.deepEqual(
      inner.times.map((time) => time - 1_000_000),
      [0, 300],
    );
  });

  it('hands back a partial success as it is, for the caller to resend the rest', async () => {
    const inner = scriptedTransport([status(500)]);
    const result = await retrying(inner).post({ ...request(), answeredInPart: (failure) => failure.status === 500 });
    assert.deepEqual(result, status(500));
    assert.equal(inner.requests.length, 1);
  });

  it('waits what Retry-After says', async () => {
    const inner = scriptedTransport([status(429, '4'), OK]);
    const transport = retrying(inner);
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
    const result = await retrying(inner).post(request());
    assert.deepEqual(result, status(400));
    assert.equal(inner.requests.length, 1);
  });

  it('gives up when the next wait would end past the deadline, saying how many attempts it made', async () => {
    const inner = scriptedTransport([status(503)]);
    const transport = retrying(inner);
    const result = transport.post(request(5000));
    await clock.tickAsync(5000);
    // Waits 1 s and 2 s fit in 5 s; the third (4 s) would not.
    assert.deepEqual(await result, failed({ kind: 'http', status: 503, attempts: 3 }));
    assert.equal(inner.requests.length, 3);
  });

  it('stops after maxRetries', async () => {
    const inner = scriptedTransport([status(502)]);
    const transport = retrying(inner, { policy: { maxRetries: 2, retryDelayMillis: 10 } });
    const result = transport.post(request());
    await clock.tickAsync(100);
    assert.equal((await result).ok, false);
    assert.equal(inner.requests.length, 3);
  });

  it('stops waiting at once when the request is cancelled', async () => {
    const inner = scriptedTransport([status(503)]);
    const cancel = new AbortController();
    const transport = retrying(inner);
    const result = transport.post({ ...request(), signal: cancel.signal });
    await clock.tickAsync(10);
    cancel.abort();
    assert.deepEqual(await result, failed({ kind: 'aborted', attempts: 1 }));
    assert.equal(clock.countTimers(), 0, 'no backoff timer left behind');
  });
});
