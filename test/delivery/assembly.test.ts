import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { resolveConfig, type HoneyHiveExporterOptions } from '../../src/config';
import { assembleDelivery, type Delivery } from '../../src/delivery/assembly';
import { startDevServer, type DevServerHandle } from '../../src/dev-server';
import { ExportResultCode } from '../../src/otel-sdk';
import { TEST_API_KEY } from '../helpers/export';
import { spanRecorder } from '../helpers/sdk-spans';
import { spoolDirUnderLeakRoot } from '../reliability/leak-watch';

describe('assembleDelivery', () => {
  let server: DevServerHandle;
  const assembled: Delivery[] = [];

  before(async () => {
    server = await startDevServer({ port: 0, quiet: true });
  });

  afterEach(async () => {
    for (const delivery of assembled.splice(0)) {
      await delivery.replayer?.stop();
      delivery.close();
    }
  });

  after(() => server.close());

  function assemble(options: HoneyHiveExporterOptions = {}): Delivery {
    const delivery = assembleDelivery(
      resolveConfig({ apiKey: TEST_API_KEY, serverUrl: server.url, project: 'assembly', ...options }, {}),
    );
    assembled.push(delivery);
    return delivery;
  }

  it('wires an export from the pipeline, through the tracker, to the server, counted in its stats', async () => {
    const delivery = assemble({ traceSelection: 'all' });
    const { tracer, take } = spanRecorder();
    tracer.startSpan('step').end();
    const spans = take();
    const result = await delivery.tracker.track(spans.length, (ticket) => delivery.pipeline.run(spans, ticket));
    assert.deepEqual(result, { code: ExportResultCode.SUCCESS });
    assert.equal(server.store.events().length, 1);
    const stats = delivery.stats.snapshot(delivery.gauges());
    assert.equal(stats.eventsSent, 1);
    assert.equal(stats.requests, 1);
    assert.deepEqual(delivery.gauges(), { requestsInFlight: 0, pendingBytes: 0 });
  });

  it('makes only the optional parts it is configured for: selection unless "all", a replayer with a spool', () => {
    const plain = assemble();
    assert.ok(plain.selection !== undefined, 'trace selection is on by default');
    assert.equal(plain.replayer, undefined);
    const everything = assemble({ traceSelection: 'all', spoolDir: spoolDirUnderLeakRoot('assembly') });
    assert.equal(everything.selection, undefined);
    assert.ok(everything.replayer !== undefined);
  });

  it('keeps the API key in no field: inspecting or serialising the parts never shows it, and redact removes it', () => {
    const delivery = assemble({ spoolDir: spoolDirUnderLeakRoot('assembly-key') });
    for (const text of [inspect(delivery, { depth: 12 }), JSON.stringify(delivery.stats.snapshot(delivery.gauges()))])
      assert.ok(!text.includes(TEST_API_KEY), text.slice(0, 200));
    assert.equal(delivery.redact(`key ${TEST_API_KEY}`), 'key [REDACTED]');
  });
});
