import assert from 'node:assert/strict';
import sinon from 'sinon';
import { Semaphore } from '../../src/semaphore';
import { withLayers, type HttpResult, type HttpTransport } from '../../src/transport/http-transport';
import { limitedLayer } from '../../src/transport/limited-transport';
import { failed, OK } from './fake-transport';

/** A transport whose requests stay open until the test answers them. */
function heldTransport(): HttpTransport & { open: Array<(result: HttpResult) => void> } {
  const open: Array<(result: HttpResult) => void> = [];
  return {
    open,
    post: () => new Promise((resolve) => open.push(resolve)),
    shutdown() {},
  };
}

describe('limitedLayer (and the Semaphore it holds a slot of)', () => {
  it('keeps at most the cap in flight; the rest wait their turn, first come first served', async () => {
    const inner = heldTransport();
    const slots = new Semaphore(2);
    const transport = withLayers(inner, [limitedLayer(slots)]);
    const order: number[] = [];
    const results = [0, 1, 2, 3].map((index) =>
      transport
        .post({ path: `/${index}`, body: '', timeoutMillis: 1000 })
        .then((result) => (order.push(index), result)),
    );
    await new Promise(setImmediate);
    assert.equal(inner.open.length, 2, 'two sent, two waiting');
    assert.equal(slots.inUse, 2);
    inner.open[0]!(OK);
    await new Promise(setImmediate);
    assert.equal(inner.open.length, 3, 'the first waiter got the freed slot');
    inner.open[1]!(OK);
    inner.open[2]!(OK);
    await new Promise(setImmediate);
    inner.open[3]!(OK);
    assert.deepEqual(
      (await Promise.all(results)).map((result) => result.ok),
      [true, true, true, true],
    );
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(slots.inUse, 0);
  });

  it('gives up waiting at the deadline, and on cancel', async () => {
    const clock = sinon.useFakeTimers({ now: 5000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const inner = heldTransport();
      const transport = withLayers(inner, [limitedLayer(new Semaphore(1))]);
      void transport.post({ path: '/busy', body: '', timeoutMillis: 1000 });
      const late = transport.post({ path: '/late', body: '', timeoutMillis: 1000, deadline: 5300 });
      const cancel = new AbortController();
      const cancelled = transport.post({ path: '/cancelled', body: '', timeoutMillis: 1000, signal: cancel.signal });
      cancel.abort();
      assert.deepEqual(await cancelled, failed({ kind: 'aborted' }));
      await clock.tickAsync(300);
      assert.deepEqual(await late, failed({ kind: 'deadline' }));
      assert.equal(inner.open.length, 1);
      assert.equal(clock.countTimers(), 0);
    } finally {
      clock.restore();
    }
  });

  it('refuses a capacity below one', () => {
    assert.throws(() => new Semaphore(0), /capacity must be a positive integer/);
    assert.throws(() => new Semaphore(1.5), /capacity must be a positive integer/);
  });
});
