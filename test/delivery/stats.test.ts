import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { DiagLogger } from '@opentelemetry/api';
import { StatsRecorder, failureCause, spoolLossReporter } from '../../src/delivery/stats';
import type { HttpFailure } from '../../src/transport/http-transport';

const gauges = { requestsInFlight: 2, pendingBytes: 300 };

function httpFailure(status: number): HttpFailure {
  return { kind: 'http', status };
}

describe('StatsRecorder', () => {
  it('starts every counter, failure cause and drop reason at zero, and reports the gauges it is given', () => {
    const snapshot = new StatsRecorder().snapshot(gauges);
    assert.equal(snapshot.eventsSent, 0);
    assert.ok(Object.values(snapshot.failures).every((count) => count === 0));
    assert.ok(Object.values(snapshot.dropped).every((count) => count === 0));
    assert.equal(Object.keys(snapshot.dropped).length, 10);
    assert.equal(Object.keys(snapshot.failures).length, 10);
    assert.equal(snapshot.requestsInFlight, 2);
    assert.equal(snapshot.pendingBytes, 300);
  });

  it('adds to counters by one or by an amount, and totals drops over reasons, ignoring empty drops', () => {
    const stats = new StatsRecorder();
    stats.add('eventsSent', 5);
    stats.add('eventsSent');
    stats.add('retries');
    stats.drop('masked', 2);
    stats.drop('spoolFull', 3);
    stats.drop('rejected', 0);
    const snapshot = stats.snapshot(gauges);
    assert.equal(snapshot.eventsSent, 6);
    assert.equal(snapshot.retries, 1);
    assert.equal(snapshot.dropped.masked, 2);
    assert.equal(snapshot.dropped.spoolFull, 3);
    assert.equal(snapshot.dropped.rejected, 0);
    assert.equal(stats.droppedTotal, 5);
  });

  it('counts a request only when it reached the network, and every failure by its cause', () => {
    const stats = new StatsRecorder();
    stats.request({ ok: true, value: { status: 200 } });
    stats.request({ ok: false, error: httpFailure(503) });
    stats.request({ ok: false, error: { kind: 'network' } });
    stats.request({ ok: false, error: { kind: 'timeout' } });
    stats.request({ ok: false, error: { kind: 'deadline' } });
    stats.request({ ok: false, error: { kind: 'aborted' } });
    const snapshot = stats.snapshot(gauges);
    assert.equal(snapshot.requests, 4, 'deadline and aborted attempts never reached the network');
    assert.deepEqual(Object.fromEntries(Object.entries(snapshot.failures).filter(([, count]) => count > 0)), {
      serverError: 1,
      network: 1,
      timeout: 1,
      deadline: 1,
      aborted: 1,
    });
  });

  it('gives snapshots that later counting does not change', () => {
    const stats = new StatsRecorder();
    const before = stats.snapshot(gauges);
    stats.drop('overload', 4);
    stats.request({ ok: false, error: httpFailure(429) });
    stats.add('spansReceived');
    assert.equal(before.dropped.overload, 0);
    assert.equal(before.failures.rateLimited, 0);
    assert.equal(before.spansReceived, 0);
  });
});

describe('failureCause', () => {
  it('names an HTTP failure by its status, and any other failure by its kind', () => {
    const byStatus: Record<number, string> = {
      400: 'rejected',
      401: 'unauthorized',
      403: 'unauthorized',
      404: 'notFound',
      408: 'serverError',
      413: 'payloadTooLarge',
      422: 'rejected',
      429: 'rateLimited',
      500: 'serverError',
      503: 'serverError',
    };
    for (const [status, cause] of Object.entries(byStatus))
      assert.equal(failureCause(httpFailure(Number(status))), cause, `status ${status}`);
    for (const kind of ['timeout', 'network', 'deadline', 'aborted'] as const)
      assert.equal(failureCause({ kind }), kind);
  });
});

describe('spoolLossReporter', () => {
  it('counts each loss under its drop reason, and warns for the losses the configuration decides', () => {
    const stats = new StatsRecorder();
    const warn = sinon.spy();
    const ignore = (): void => {};
    const log: DiagLogger = { warn, debug: ignore, info: ignore, error: ignore, verbose: ignore };
    const report = spoolLossReporter(stats, log);
    report({ reason: 'full', events: 3 });
    report({ reason: 'expired', events: 2 });
    report({ reason: 'unreadable', events: 1 });
    const { dropped } = stats.snapshot(gauges);
    assert.equal(dropped.spoolFull, 3);
    assert.equal(dropped.spoolExpired, 2);
    assert.equal(dropped.spoolError, 1);
    assert.equal(warn.callCount, 2);
    assert.match(String(warn.firstCall.args[0]), /spoolMaxBytes.*3 events/);
    assert.match(String(warn.secondCall.args[0]), /2 spooled events.*spoolMaxAgeMillis/);
  });
});
