import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ExportTracker, type ExportTicket } from '../../src/delivery/export-tracker';
import { FlushWindow } from '../../src/delivery/flush-window';
import { StatsRecorder } from '../../src/delivery/stats';

/** An export the test settles by hand, with the ticket the tracker gave it. */
function heldExport(tracker: ExportTracker, events: number) {
  let settle!: (value: string) => void;
  let ticket!: ExportTicket;
  const result = tracker.track(events, (given) => {
    ticket = given;
    return new Promise<string>((resolve) => {
      settle = resolve;
      // What an export does when cancelled: it stops and settles.
      given.signal.addEventListener('abort', () => resolve('cancelled'));
    });
  });
  return { result, settle, ticket };
}

describe('ExportTracker', () => {
  let clock: sinon.SinonFakeTimers;
  let stats: StatsRecorder;
  let window: FlushWindow;
  let tracker: ExportTracker;

  beforeEach(() => {
    clock = sinon.useFakeTimers();
    stats = new StatsRecorder();
    window = new FlushWindow(stats);
    tracker = new ExportTracker(window);
  });

  afterEach(() => clock.restore());

  it('hands back what the export resolves with, and forgets it once settled', async () => {
    const running = heldExport(tracker, 3);
    running.settle('done');
    assert.equal(await running.result, 'done');
    assert.equal(await tracker.waitForExports(0), true);
  });

  it('passes an export that rejects on to its caller, and forgets it too', async () => {
    const failing = tracker.track(1, () => Promise.reject(new Error('broken')));
    await assert.rejects(failing, /broken/);
    assert.equal(await tracker.waitForExports(0), true);
  });

  it('waitForExports resolves true as soon as every export settled', async () => {
    const first = heldExport(tracker, 1);
    const second = heldExport(tracker, 1);
    let settled: boolean | undefined;
    const waiting = tracker.waitForExports(10_000).then((value) => (settled = value));
    first.settle('a');
    await clock.tickAsync(0);
    assert.equal(settled, undefined, 'one export still runs');
    second.settle('b');
    await clock.tickAsync(0);
    assert.equal(await waiting, true);
    assert.equal(clock.now, 0, 'no time had to pass');
  });

  it('waitForExports resolves false at its deadline with an export still running, which keeps running', async () => {
    const running = heldExport(tracker, 1);
    const waiting = tracker.waitForExports(500);
    await clock.tickAsync(499);
    await clock.tickAsync(1);
    assert.equal(await waiting, false);
    assert.equal(running.ticket.signal.aborted, false);
    running.settle('later');
    assert.equal(await running.result, 'later');
  });

  it('flush reports the events of exports still running at its deadline, as the export last counted them', async () => {
    const running = heldExport(tracker, 10);
    running.ticket.events = 7; // transformed: 10 spans became 7 events
    window.recordError('something failed');
    const flushing = tracker.flush(200);
    await clock.tickAsync(200);
    const result = await flushing;
    assert.equal(result.timedOut, true);
    assert.equal(result.eventsPending, 7);
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors, ['something failed']);
    assert.equal(running.ticket.signal.aborted, false, 'a flush never cancels');
    running.settle('done');
    await running.result;
    const next = await tracker.flush(200);
    assert.deepEqual(
      { ok: next.ok, timedOut: next.timedOut, pending: next.eventsPending, errors: next.errors },
      { ok: true, timedOut: false, pending: 0, errors: [] },
      'a new window, nothing pending',
    );
  });

  it('flushThenCancel cancels only what still runs at its deadline, and waits for it to settle', async () => {
    const running = heldExport(tracker, 4);
    const flushing = tracker.flushThenCancel(1_000);
    await clock.tickAsync(999);
    assert.equal(running.ticket.signal.aborted, false, 'not before the deadline');
    await clock.tickAsync(1);
    const result = await flushing;
    assert.equal(running.ticket.signal.aborted, true);
    assert.equal(await running.result, 'cancelled');
    assert.equal(result.timedOut, true);
    assert.equal(result.eventsPending, 0, 'the cancelled export settled before the report');
  });

  it('flushThenCancel cancels nothing when every export settles in time', async () => {
    const running = heldExport(tracker, 2);
    const flushing = tracker.flushThenCancel(1_000);
    running.settle('done');
    const result = await flushing;
    assert.equal(running.ticket.signal.aborted, false);
    assert.equal(result.timedOut, false);
    assert.equal(result.ok, true);
  });
});
