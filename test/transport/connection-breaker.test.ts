import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Semaphore } from '../../src/semaphore';
import { ConnectionBreaker, gatedLayer, MAX_PROBE_INTERVAL_MILLIS } from '../../src/transport/connection-breaker';
import { withLayers, type HttpResult } from '../../src/transport/http-transport';
import { limitedLayer } from '../../src/transport/limited-transport';
import { retryingLayer } from '../../src/transport/retrying-transport';
import { DEFAULT_POLICY, failed, OK, scriptedTransport, status } from './fake-transport';

const REFUSED = failed({ kind: 'network', code: 'ECONNREFUSED' });
const TIMEOUT = failed({ kind: 'timeout', code: 'ETIMEDOUT' });
const START = 1_000_000;

describe('ConnectionBreaker', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  const breaker = (): ConnectionBreaker => new ConnectionBreaker(DEFAULT_POLICY, () => 0.5);

  /** The exporter's stack without axios: retries over slots over the breaker's gate. */
  function stack(results: HttpResult[], capacity: number) {
    const inner = scriptedTransport(results);
    const onRetry = sinon.spy();
    const transport = withLayers(inner, [
      gatedLayer(breaker()),
      limitedLayer(new Semaphore(capacity)),
      retryingLayer({ policy: DEFAULT_POLICY, random: () => 0.5, onRetry }),
    ]);
    const post = (index: number, deadlineIn = 20_000): Promise<HttpResult> =>
      transport.post({ path: `/${index}`, body: '{}', timeoutMillis: 10_000, deadline: Date.now() + deadlineIn });
    return { inner, post, onRetry };
  }

  it('lets every request through at once while the server can be reached; timeouts and HTTP errors never open it', async () => {
    const shared = breaker();
    const admissions = await Promise.all([1, 2, 3].map(() => shared.admit(START + 20_000)));
    assert.deepEqual(
      admissions.map((admission) => admission?.probe),
      [false, false, false],
    );
    shared.record(admissions[0]!, TIMEOUT);
    shared.record(admissions[1]!, status(503));
    shared.record(admissions[2]!, failed({ kind: 'network', code: 'CERT_HAS_EXPIRED' }));
    assert.equal(shared.waitMillis(), 0);
    assert.equal(
      (await shared.admit(START))?.probe,
      false,
      'still closed: the next attempt goes at once, not as a probe',
    );
  });

  it('during an outage, the requests of every caller share one retry ladder: one probe at a time', async () => {
    const { inner, post, onRetry } = stack([REFUSED], 4);
    const results = Array.from({ length: 20 }, (_, index) => post(index));
    await clock.tickAsync(20_000);
    const outcomes = await Promise.all(results);
    // One attempt per slot before the first failure is known, then a probe every second (the ladder capped
    // at MAX_PROBE_INTERVAL_MILLIS, so a server that is back is found again within about a second).
    assert.deepEqual(
      inner.times.map((time) => time - START),
      [0, 0, 0, 0, ...Array.from({ length: 19 }, (_, i) => (i + 1) * MAX_PROBE_INTERVAL_MILLIS)],
    );
    assert.ok(outcomes.every((outcome) => !outcome.ok));
    // The next probe (20 s) would come at the deadline: everything gave up together after the last.
    const held = outcomes.filter((outcome) => !outcome.ok && outcome.error.kind === 'deadline');
    assert.ok(held.length >= 11, `${held.length} requests held back`);
    assert.ok(held.every((outcome) => !outcome.ok && outcome.error.code === 'ECONNREFUSED'));
    assert.ok(onRetry.args.every(([, , delay]) => delay <= MAX_PROBE_INTERVAL_MILLIS));
  });

  it('the first answer closes it, and every request held back goes', async () => {
    const { inner, post } = stack([REFUSED, REFUSED, REFUSED, OK], 2);
    const results = Array.from({ length: 6 }, (_, index) => post(index));
    await clock.tickAsync(3000);
    assert.ok((await Promise.all(results)).every((result) => result.ok));
    assert.deepEqual(
      inner.times.map((time) => time - START),
      [0, 0, 1000, 2000, 2000, 2000, 2000, 2000, 2000],
    );
  });

  it('a request that arrives during the backoff waits for it instead of trying', async () => {
    const { inner, post } = stack([REFUSED, OK], 8);
    const first = post(0);
    await clock.tickAsync(400);
    const late = post(1);
    await clock.tickAsync(600);
    assert.deepEqual(await Promise.all([first, late]), [OK, OK]);
    assert.deepEqual(
      inner.times.map((time) => time - START),
      [0, 1000, 1000],
    );
  });

  it('gives up at once when the next try would come after the deadline, and on cancel', async () => {
    const shared = breaker();
    shared.record((await shared.admit(undefined))!, REFUSED);
    assert.equal(shared.waitMillis(), 1000);
    assert.equal(await shared.admit(START + 800), undefined, 'no waiting for a try that cannot be made in time');
    const cancel = new AbortController();
    const cancelled = shared.admit(START + 20_000, cancel.signal);
    cancel.abort();
    assert.equal(await cancelled, undefined);
    assert.equal(clock.countTimers(), 0, 'no timer left behind');
  });

  it('a late failure of an attempt let through before it opened changes nothing', async () => {
    const shared = breaker();
    const [early, late] = await Promise.all([shared.admit(undefined), shared.admit(undefined)]);
    shared.record(early!, REFUSED);
    await clock.tickAsync(100);
    shared.record(late!, REFUSED);
    assert.equal(shared.waitMillis(), 900, 'the ladder did not climb');
  });

  it('waits for the probe: its answer releases everyone, its timeout lets the next one try', async () => {
    const shared = breaker();
    shared.record((await shared.admit(undefined))!, REFUSED);
    await clock.tickAsync(1000);
    const probe = await shared.admit(undefined);
    assert.equal(probe?.probe, true);
    const waiting = [shared.admit(START + 20_000), shared.admit(START + 20_000)];
    shared.record(probe!, TIMEOUT);
    const next = await Promise.race(waiting);
    assert.equal(next?.probe, true, 'a waiter became the probe');
    shared.record(next!, status(500));
    assert.deepEqual(
      (await Promise.all(waiting)).map((admission) => admission?.probe),
      [true, false],
    );
    assert.equal((await shared.admit(START))?.probe, false, 'closed: the next attempt goes at once, not as a probe');
  });

  it('a request held back fails as the deadline, naming the connection error, without reaching the network', async () => {
    const inner = scriptedTransport([REFUSED]);
    const shared = breaker();
    const gated = withLayers(inner, [gatedLayer(shared)]);
    const request = { path: '/p', body: '{}', timeoutMillis: 1000, deadline: START + 500 };
    assert.deepEqual(
      await gated.post(request),
      failed({ kind: 'network', code: 'ECONNREFUSED', retryInMillis: 1000 }),
      'a connection failure says when the breaker lets the next try go',
    );
    assert.deepEqual(await gated.post(request), failed({ kind: 'deadline', code: 'ECONNREFUSED' }));
    assert.equal(inner.requests.length, 1);
  });
});
