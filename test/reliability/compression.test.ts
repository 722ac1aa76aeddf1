/**
 * `compression: 'gzip'` end to end over real HTTP: against a server that
 * takes gzip, bodies go compressed and arrive whole; against the strict local
 * server (HoneyHive's own answer is unknown, and it refuses encoded bodies),
 * the first refusal turns compression off and nothing is lost.
 */
import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import type { HoneyHiveExporterOptions } from '../../src';
import type { DevServerHandle, DevServerOptions } from '../../src/dev-server';
import { TEST_API_KEY, exportSpans } from '../helpers/export';
import { suiteResources, makeSpans } from './harness';
import { captureDiag, capturedLogLines } from './leak-watch';

const EVENTS_PATH = /^\/session\/[0-9a-f-]+\/traces$/;

describe('compression: gzip over real HTTP', function () {
  this.timeout(20_000);
  const resources = suiteResources();
  let server: DevServerHandle;

  beforeEach(() => captureDiag());

  async function sendThrough(serverOptions: DevServerOptions, options: HoneyHiveExporterOptions = {}) {
    server = await resources.startServer(serverOptions);
    const exporter = resources.newExporter({ serverUrl: server.url, compression: 'gzip', sessionId: 'gz', ...options });
    const first = makeSpans(40, 'first');
    const second = makeSpans(40, 'second');
    assert.equal((await exportSpans(exporter, first.spans)).code, ExportResultCode.SUCCESS);
    assert.equal((await exportSpans(exporter, second.spans)).code, ExportResultCode.SUCCESS);
    const stored = server.store.events().map((event) => event.event_id);
    assert.deepEqual(stored.sort(), [...first.eventIds, ...second.eventIds].sort(), 'every event arrived, once');
    return server.store.requests.filter((request) => EVENTS_PATH.test(request.path));
  }

  it('sends event bodies gzip-compressed to a server that takes them', async () => {
    const requests = await sendThrough({ acceptGzip: true });
    assert.ok(requests.length >= 2);
    for (const request of requests) {
      assert.equal(request.status, 200);
      assert.equal(request.headers['content-encoding'], 'gzip');
    }
  });

  it('turns compression off at the first 415 and resends that body plain, warning once without the key', async () => {
    const warningsBefore = capturedLogLines.length;
    const requests = await sendThrough({});
    assert.deepEqual(
      requests.map((request) => [request.headers['content-encoding'] ?? 'none', request.status]),
      [
        ['gzip', 415],
        ['none', 200],
        ['none', 200],
      ],
    );
    const warnings = capturedLogLines.slice(warningsBefore).filter((line) => line.includes('refused a gzip'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /HH_COMPRESSION=none/);
    assert.ok(!warnings[0]!.includes(TEST_API_KEY));
  });
});
