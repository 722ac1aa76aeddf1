import assert from 'node:assert/strict';
import { Semaphore } from '../src/semaphore';

describe('Semaphore', () => {
  it('a release called twice frees one permit', async () => {
    const semaphore = new Semaphore(2);
    const release = (await semaphore.acquire(undefined))!;
    await semaphore.acquire(undefined);
    release();
    release();
    assert.equal(semaphore.inUse, 1);
  });

  it('a freed permit skips a waiter that gave up and goes to the next, first come first served', async () => {
    const semaphore = new Semaphore(1);
    const release = (await semaphore.acquire(undefined))!;
    const cancel = new AbortController();
    const cancelled = semaphore.acquire(undefined, cancel.signal);
    const next = semaphore.acquire(undefined);
    cancel.abort();
    assert.equal(await cancelled, undefined);
    release();
    const granted = await next;
    assert.equal(typeof granted, 'function');
    assert.equal(semaphore.inUse, 1, 'the permit passed on, not freed');
    granted!();
    assert.equal(semaphore.inUse, 0);
  });

  it('answers at once when the deadline has passed or the signal has aborted, and grants a free permit regardless of the deadline', async () => {
    const semaphore = new Semaphore(1);
    assert.equal(typeof (await semaphore.acquire(Date.now() - 1)), 'function', 'a free permit is granted');
    assert.equal(await semaphore.acquire(Date.now() - 1), undefined);
    assert.equal(await semaphore.acquire(undefined, AbortSignal.abort()), undefined);
  });
});
