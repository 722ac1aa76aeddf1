import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sinon from 'sinon';
import type { SessionBatch } from '../../src/delivery/session-sender';
import {
  destinationDirName,
  Spool,
  STALE_CLAIM_MILLIS,
  STALE_TEMPORARY_MILLIS,
  type SpoolLoss,
} from '../../src/delivery/spool';
import { TEST_API_KEY } from '../helpers/export';
import { spoolDirUnderLeakRoot } from '../reliability/leak-watch';
import { sampleEvent, SESSION_ID } from './event-fixture';

function batch(count: number, first = 0): SessionBatch {
  return {
    sessionId: SESSION_ID,
    session: {
      event_type: 'session',
      event_id: SESSION_ID,
      session_id: SESSION_ID,
      event_name: 'spooled',
      source: 'dev',
      start_time: 1,
      inputs: {},
      metadata: {},
    },
    events: Array.from({ length: count }, (_, i) => {
      const json = JSON.stringify(sampleEvent({}, first + i));
      return { eventId: sampleEvent({}, first + i).event_id, json, bytes: Buffer.byteLength(json) };
    }),
  };
}

/** Losses each spool reported (as they happened) and the test has not looked at yet. */
const reportedLosses = new WeakMap<Spool, SpoolLoss[]>();

function newSpool(overrides: { maxBytes?: number; maxAgeMillis?: number } = {}): Spool {
  const losses: SpoolLoss[] = [];
  const spool = new Spool({
    rootDir: spoolDirUnderLeakRoot('spool-unit'),
    destination: destinationDirName('http://127.0.0.1:1', TEST_API_KEY),
    maxBytes: overrides.maxBytes ?? 1_000_000,
    maxAgeMillis: overrides.maxAgeMillis ?? 60_000,
    onLoss: (loss) => losses.push(loss),
  });
  reportedLosses.set(spool, losses);
  return spool;
}

/** The events lost by reason since the last look, from the reports. */
function lossesSinceLastLook(spool: Spool): Record<SpoolLoss['reason'], number> {
  const losses = reportedLosses.get(spool)!;
  const totals = { full: 0, expired: 0, unreadable: 0 };
  for (const loss of losses.splice(0)) totals[loss.reason] += loss.events;
  return totals;
}

async function claimAll(spool: Spool) {
  const claimed = [];
  for (const entry of await spool.list()) claimed.push((await spool.claim(entry))!);
  return claimed;
}

describe('Spool', () => {
  it('writes one file per batch, owner-only, and reads back exactly what was written', async () => {
    const spool = newSpool();
    assert.deepEqual(await spool.write(batch(3)), { ok: true });
    const [entry] = await spool.list();
    assert.equal(entry!.events, 3);
    assert.equal((await fs.stat(spool.dir)).mode & 0o777, 0o700);
    assert.equal((await fs.stat(path.join(spool.dir, entry!.name))).mode & 0o777, 0o600);
    const claimed = await spool.claim(entry!);
    assert.deepEqual(await spool.read(claimed!), { ok: true, value: batch(3) });
  });

  it('says why a write failed by the error code alone, never the path holding the user name', async () => {
    const rootDir = spoolDirUnderLeakRoot('spool-not-a-directory');
    await fs.mkdir(path.dirname(rootDir), { recursive: true });
    await fs.writeFile(rootDir, 'a file where the spool directory should be');
    const spool = new Spool({
      rootDir,
      destination: destinationDirName('http://127.0.0.1:1', TEST_API_KEY),
      maxBytes: 1_000_000,
      maxAgeMillis: 60_000,
    });
    const written = await spool.write(batch(1));
    assert.ok(!written.ok, 'the write failed');
    const { reason, message } = written.error;
    assert.equal(reason, 'error');
    assert.match(message, /^could not write to the spool: E[A-Z]+$/);
    assert.ok(!message.includes(rootDir));
  });

  it('names its directory by a hash of destination and key, never the key', () => {
    const name = destinationDirName('https://api.honeyhive.ai', TEST_API_KEY);
    assert.match(name, /^[0-9a-f]{16}$/);
    assert.notEqual(name, destinationDirName('https://api.honeyhive.ai', 'another-key'));
    assert.notEqual(name, destinationDirName('http://127.0.0.1:8787', TEST_API_KEY));
  });

  it('lists oldest first, and a claimed file is not listed or claimed twice', async () => {
    const spool = newSpool();
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      await spool.write(batch(1, 0));
      clock.tick(5);
      await spool.write(batch(2, 10));
    } finally {
      clock.restore();
    }
    const entries = await spool.list();
    assert.deepEqual(
      entries.map((entry) => entry.events),
      [1, 2],
    );
    const claimed = await spool.claim(entries[0]!);
    assert.ok(claimed);
    assert.equal(await spool.claim(entries[0]!), undefined, 'another exporter got there first');
    assert.deepEqual(
      (await spool.list()).map((entry) => entry.events),
      [2],
    );
    await spool.release(claimed);
    assert.deepEqual(
      (await spool.list()).map((entry) => entry.events),
      [1, 2],
    );
  });

  it('deletes a file once complete, and keeps only what is left when released with fewer events', async () => {
    const spool = newSpool();
    await spool.write(batch(4));
    const [claimed] = await claimAll(spool);
    const rest = { ...batch(4), events: batch(4).events.slice(2), session: undefined };
    await spool.release(claimed!, rest);
    const [again] = await claimAll(spool);
    assert.deepEqual(await spool.read(again!), { ok: true, value: rest });
    await spool.complete(again!);
    assert.deepEqual(await fs.readdir(spool.dir), []);
  });

  it('evicts the oldest files to stay under its size, and refuses a batch larger than the whole spool', async () => {
    const one = Buffer.byteLength(JSON.stringify(batch(2)));
    const spool = newSpool({ maxBytes: Math.floor(one * 2.5) });
    await spool.write(batch(2, 0));
    await spool.write(batch(2, 10));
    await spool.write(batch(2, 20));
    const entries = await spool.list();
    assert.equal(entries.length, 2);
    assert.ok(entries.reduce((sum, entry) => sum + entry.bytes, 0) <= Math.floor(one * 2.5));
    assert.deepEqual(lossesSinceLastLook(spool), { full: 2, expired: 0, unreadable: 0 });
    const tooBig = await spool.write(batch(20));
    assert.equal(tooBig.ok, false);
    assert.deepEqual(lossesSinceLastLook(spool), { full: 20, expired: 0, unreadable: 0 });
  });

  it('deletes files older than its age limit, counting their events', async () => {
    const spool = newSpool({ maxAgeMillis: 1000 });
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      await spool.write(batch(3));
      clock.tick(1001);
      assert.deepEqual(await spool.list(), []);
    } finally {
      clock.restore();
    }
    assert.deepEqual(lossesSinceLastLook(spool), { full: 0, expired: 3, unreadable: 0 });
  });

  it('puts back a claim left by an exporter that died, once it is stale', async () => {
    const spool = newSpool();
    await spool.write(batch(1));
    const [claimed] = await claimAll(spool);
    assert.deepEqual(await spool.list(), []);
    const old = new Date(Date.now() - STALE_CLAIM_MILLIS - 1000);
    await fs.utimes(claimed!.claimPath, old, old);
    await spool.list();
    assert.equal((await spool.list()).length, 1);
  });

  it('reports a file it cannot trust, and discards it counting its events', async () => {
    const spool = newSpool();
    await spool.write(batch(2));
    const [claimed] = await claimAll(spool);
    for (const [content, why] of [
      ['not json', /not JSON/],
      ['{"version":99}', /not a spool file of this version/],
      ['{"version":1,"session_id":"../../etc","events":[]}', /no valid session id/],
      [`{"version":1,"session_id":"${SESSION_ID}","events":[{"event_id":"x"}]}`, /without a valid event_id/],
    ] as const) {
      await fs.writeFile(claimed!.claimPath, content);
      const read = await spool.read(claimed!);
      assert.equal(read.ok, false);
      if (!read.ok) assert.match(read.error, why);
    }
    await spool.discard(claimed!);
    assert.deepEqual(lossesSinceLastLook(spool), { full: 0, expired: 0, unreadable: 2 });
  });

  it('tightens the permissions of a directory it finds too open', async () => {
    const spool = newSpool();
    await fs.mkdir(spool.dir, { recursive: true, mode: 0o777 });
    await fs.chmod(spool.dir, 0o777);
    await spool.write(batch(1));
    assert.equal((await fs.stat(spool.dir)).mode & 0o777, 0o700);
  });

  it('counts a write in progress against its size, and deletes one a crash left behind, counting its events', async () => {
    const one = Buffer.byteLength(JSON.stringify(batch(2)));
    const spool = newSpool({ maxBytes: Math.floor(one * 2.5) });
    await spool.write(batch(2, 0));
    const [entry] = await spool.list();
    // Another process is writing a file this size right now.
    const inProgress = path.join(spool.dir, `${entry!.name}.aaaaaaaaaaaa.tmp`);
    await fs.writeFile(inProgress, 'x'.repeat(one));
    await spool.write(batch(2, 10));
    assert.deepEqual(lossesSinceLastLook(spool), { full: 2, expired: 0, unreadable: 0 }, 'the oldest file made room');
    const old = new Date(Date.now() - STALE_TEMPORARY_MILLIS - 1000);
    await fs.utimes(inProgress, old, old);
    await spool.list();
    assert.deepEqual(lossesSinceLastLook(spool), { full: 0, expired: 0, unreadable: 2 });
    assert.ok(!(await fs.readdir(spool.dir)).some((name) => name.endsWith('.tmp')));
  });

  it('leaves a directory in the spool alone, and lists the files beside it', async () => {
    const spool = newSpool();
    await spool.write(batch(1));
    await fs.mkdir(path.join(spool.dir, `${Date.now() - 1000}-3-0123456789abcdef.json`));
    assert.deepEqual(
      (await spool.list()).map((entry) => entry.events),
      [1],
    );
  });
});
