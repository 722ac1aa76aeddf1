import assert from 'node:assert/strict';
import { FlushWindow, MAX_FLUSH_ERRORS } from '../../src/delivery/flush-window';
import { StatsRecorder } from '../../src/delivery/stats';

describe('FlushWindow', () => {
  it('is ok when nothing happened since the last close', () => {
    const window = new FlushWindow(new StatsRecorder());
    assert.deepEqual(window.close(0, false), {
      ok: true,
      timedOut: false,
      eventsSent: 0,
      eventsSpooled: 0,
      eventsDropped: 0,
      eventsPending: 0,
      errors: [],
    });
  });

  it('reports only what happened since the last close, and sent events alone keep it ok', () => {
    const stats = new StatsRecorder();
    const window = new FlushWindow(stats);
    stats.add('eventsSent', 4);
    stats.add('eventsSpooled', 2);
    stats.drop('masked', 1);
    const first = window.close(0, false);
    assert.equal(first.ok, false);
    assert.deepEqual([first.eventsSent, first.eventsSpooled, first.eventsDropped], [4, 2, 1]);

    stats.add('eventsSent', 3);
    const second = window.close(0, false);
    assert.equal(second.ok, true);
    assert.deepEqual([second.eventsSent, second.eventsSpooled, second.eventsDropped], [3, 0, 0]);
  });

  for (const [what, happen] of [
    ['a spooled event', (stats: StatsRecorder) => stats.add('eventsSpooled')],
    ['a dropped event', (stats: StatsRecorder) => stats.drop('overload', 1)],
  ] as const)
    it(`is not ok after ${what}`, () => {
      const stats = new StatsRecorder();
      const window = new FlushWindow(stats);
      happen(stats);
      assert.equal(window.close(0, false).ok, false);
    });

  it('is not ok with events still pending, and says when its time ran out', () => {
    const window = new FlushWindow(new StatsRecorder());
    const result = window.close(7, true);
    assert.equal(result.ok, false);
    assert.equal(result.eventsPending, 7);
    assert.equal(result.timedOut, true);
  });

  it('is not ok after an error, keeps each message once and at most MAX_FLUSH_ERRORS, and starts the next window empty', () => {
    const window = new FlushWindow(new StatsRecorder());
    window.recordError('server said 503');
    window.recordError('server said 503');
    for (let index = 0; index < MAX_FLUSH_ERRORS + 5; index++) window.recordError(`error ${index}`);
    const result = window.close(0, false);
    assert.equal(result.ok, false);
    assert.equal(result.errors.length, MAX_FLUSH_ERRORS);
    assert.equal(result.errors[0], 'server said 503');
    assert.equal(result.errors[1], 'error 0');
    assert.deepEqual(window.close(0, false).errors, []);
  });
});
