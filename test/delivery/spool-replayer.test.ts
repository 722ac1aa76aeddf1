import assert from 'node:assert/strict';
import sinon from 'sinon';
import { SessionSender, type SessionBatch } from '../../src/delivery/session-sender';
import { destinationDirName, Spool } from '../../src/delivery/spool';
import { SpoolReplayer, type ReplayReport, type SpoolReplayerOptions } from '../../src/delivery/spool-replayer';
import type { HoneyHiveEvent } from '../../src/honeyhive-types';
import type { ApiOutcome, HoneyHiveApi } from '../../src/transport/honeyhive-api';
import { TEST_API_KEY } from '../helpers/export';
import { spoolDirUnderLeakRoot } from '../reliability/leak-watch';
import { sampleEvent, SESSION_ID } from './event-fixture';
import { apiFailure, fakeApi } from './fake-api';

/** A batch of `count` events numbered from `first`, each with the fields `overrides` sets. */
function batch(count: number, first = 0, overrides: Partial<HoneyHiveEvent> = {}): SessionBatch {
  return {
    sessionId: SESSION_ID,
    session: undefined,
    events: Array.from({ length: count }, (_, i) => {
      const event = sampleEvent(overrides, first + i);
      const json = JSON.stringify(event);
      return { eventId: event.event_id, json, bytes: Buffer.byteLength(json) };
    }),
  };
}

function newSpool(): Spool {
  return new Spool({
    rootDir: spoolDirUnderLeakRoot('spool-replayer'),
    destination: destinationDirName('http://127.0.0.1:1', TEST_API_KEY),
    maxBytes: 1_000_000,
    maxAgeMillis: 60_000,
  });
}

async function spooled(spool: Spool): Promise<number[]> {
  return (await spool.list()).map((entry) => entry.events);
}

function replayerFor(
  spool: Spool,
  api: HoneyHiveApi,
  options: Partial<SpoolReplayerOptions> = {},
): { replayer: SpoolReplayer; reports: { report: ReplayReport; errors: string[] }[] } {
  const reports: { report: ReplayReport; errors: string[] }[] = [];
  const sender = new SessionSender(api, {
    apiVersion: options.apiVersion ?? 'legacy',
    maxBatchEvents: 100,
    maxBatchBytes: 1_000_000,
    sessionsInParallel: 1,
    shrink: () => undefined,
  });
  const replayer = new SpoolReplayer(spool, sender, {
    intervalMillis: 60_000,
    exportTimeoutMillis: 5_000,
    apiVersion: 'legacy',
    onReport: (report, errors) => reports.push({ report, errors }),
    ...options,
  });
  return { replayer, reports };
}

describe('SpoolReplayer', () => {
  it('resends every file, oldest first, and deletes each once HoneyHive accepted it', async () => {
    const spool = newSpool();
    await spool.write(batch(2, 0));
    await spool.write(batch(3, 10));
    const { api, requests } = fakeApi(() => ({ ok: true }));
    const { replayer, reports } = replayerFor(spool, api);
    assert.deepEqual(await replayer.replay(), { sent: 5, rejected: 0, remainingFiles: 0 });
    assert.deepEqual(
      requests.map((request) => request.length),
      [2, 3],
      'the older file first',
    );
    assert.deepEqual(await spooled(spool), []);
    assert.deepEqual(reports, [{ report: { sent: 5, rejected: 0, remainingFiles: 0 }, errors: [] }]);
  });

  it('writes back what is still undeliverable and stops the pass, the server being likely still down', async () => {
    const spool = newSpool();
    await spool.write(batch(2, 0));
    await spool.write(batch(3, 10));
    const { api, requests } = fakeApi(() => apiFailure('http', 503));
    const { replayer, reports } = replayerFor(spool, api);
    assert.deepEqual(await replayer.replay(), { sent: 0, rejected: 0, remainingFiles: 2 });
    assert.equal(requests.length, 1, 'the second file is not tried');
    assert.deepEqual(await spooled(spool), [2, 3], 'both files kept');
    assert.equal(reports[0]!.errors.length, 1);
    assert.match(reports[0]!.errors[0]!, /503/);
  });

  it('deletes events refused for good, counts them as rejected, and goes on with the next file', async () => {
    const spool = newSpool();
    await spool.write(batch(2, 0));
    await spool.write(batch(3, 10));
    const { api } = fakeApi((jsons) => (jsons.length === 2 ? apiFailure('http', 400) : { ok: true }));
    const { replayer } = replayerFor(spool, api);
    assert.deepEqual(await replayer.replay(), { sent: 3, rejected: 2, remainingFiles: 0 });
    assert.deepEqual(await spooled(spool), []);
  });

  it('joins a pass already running instead of starting a second one', async () => {
    const spool = newSpool();
    await spool.write(batch(2));
    const { api, requests } = fakeApi(() => ({ ok: true }));
    const { replayer, reports } = replayerFor(spool, api);
    const [first, second] = await Promise.all([replayer.replay(), replayer.replay()]);
    assert.deepEqual(first, second);
    assert.equal(requests.length, 1);
    assert.equal(reports.length, 1);
  });

  it('resends each file through the API configured now: a per-event project is removed for v1', async () => {
    const spool = newSpool();
    await spool.write(batch(1, 0, { project: 'written-for-legacy' }));
    const { api, requests } = fakeApi(() => ({ ok: true }));
    const { replayer } = replayerFor(spool, api, { apiVersion: 'v1' });
    assert.equal((await replayer.replay()).sent, 1);
    const sent = JSON.parse(requests[0]![0]!) as HoneyHiveEvent;
    assert.equal(sent.project, undefined);
    assert.equal(sent.event_name, 'chat', 'the rest of the event unchanged');
  });

  it('passes once soon after start, then once per interval, and never after stop', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const spool = newSpool();
      // An empty spool listed without I/O: each pass ends before the clock moves on, however slow the
      // disk, so a timer never finds a pass still running (it would join it, not start another).
      const list = sinon.stub(spool, 'list').resolves([]);
      const { api } = fakeApi(() => ({ ok: true }));
      const { replayer, reports } = replayerFor(spool, api, { intervalMillis: 1_000 });
      replayer.start();
      assert.equal(list.callCount, 0, 'not during start');
      await clock.tickAsync(0);
      assert.equal(list.callCount, 1, 'the first pass, soon after start');
      await clock.tickAsync(999);
      assert.equal(list.callCount, 1);
      assert.equal(reports.length, 1, 'the first pass ended before the interval');
      await clock.tickAsync(1);
      assert.equal(list.callCount, 2, 'one more pass per interval');
      await replayer.stop();
      assert.equal(reports.length, 2);
      await clock.tickAsync(5_000);
      assert.equal(list.callCount, 2, 'no pass after stop');
      assert.deepEqual(await replayer.replay(), { sent: 0, rejected: 0, remainingFiles: 0 });
      assert.equal(list.callCount, 2, 'replay after stop does nothing');
    } finally {
      clock.restore();
    }
  });

  it('stop() cancels a pass in progress and gives its file back', async () => {
    const spool = newSpool();
    await spool.write(batch(2));
    let reached!: () => void;
    const requestSent = new Promise<void>((resolve) => (reached = resolve));
    const { api } = fakeApi(
      (_jsons, call) =>
        new Promise<ApiOutcome>((resolve) => {
          reached();
          call.signal?.addEventListener('abort', () => resolve(apiFailure('aborted')));
        }),
    );
    const { replayer } = replayerFor(spool, api);
    const pass = replayer.replay();
    await requestSent;
    await replayer.stop();
    assert.deepEqual(await pass, { sent: 0, rejected: 0, remainingFiles: 1 });
    assert.deepEqual(await spooled(spool), [2], 'the file is kept for the next start');
  });

  it('reports an error thrown mid-pass and leaves the files for the next pass', async () => {
    const spool = newSpool();
    await spool.write(batch(2));
    sinon.stub(spool, 'claim').rejects(new Error('EIO: disk gone'));
    const { api, requests } = fakeApi(() => ({ ok: true }));
    const { replayer, reports } = replayerFor(spool, api);
    assert.deepEqual(await replayer.replay(), { sent: 0, rejected: 0, remainingFiles: 0 });
    assert.equal(requests.length, 0);
    assert.match(reports[0]!.errors[0]!, /the spool could not be resent: .*EIO: disk gone/);
    assert.deepEqual(await spooled(spool), [2]);
  });
});
