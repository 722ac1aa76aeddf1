/**
 * The API key never leaves in a log line, an error or a spool file. A test
 * here provokes the worst case (the key inside span data and echoed back by
 * the server while the spool fills); a root-level after hook then scans
 * everything the delivery and reliability suites logged, failed with and
 * spooled (see leak-watch.ts), once every test of the run has finished.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { ExportResultCode } from '@opentelemetry/core';
import { HoneyHiveSpanExporter } from '../../src';
import { startDevServer } from '../../src/dev-server';
import { exportSpans, TEST_API_KEY } from '../helpers/export';
import { spanRecorder } from '../helpers/sdk-spans';
import {
  captureDiag,
  capturedErrors,
  capturedLogLines,
  LEAK_ROOT,
  recordError,
  spoolDirUnderLeakRoot,
} from './leak-watch';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('reliability: the API key never leaks', () => {
  beforeEach(captureDiag);

  it('not from span data, nor a server echoing it, into logs, errors, stats or the spool', async () => {
    const server = await startDevServer({ port: 0 });
    const spoolDir = spoolDirUnderLeakRoot('key-in-data');
    const exporter = new HoneyHiveSpanExporter({
      apiKey: TEST_API_KEY,
      serverUrl: server.url,
      spoolDir,
      maxRetries: 1,
      retryDelayMillis: 1,
      spoolIntervalMillis: 3_600_000,
    });
    try {
      const { tracer, take } = spanRecorder();
      tracer
        .startSpan('call', {
          attributes: {
            'http.request.header.authorization': `Bearer ${TEST_API_KEY}`,
            'input.value': `my key is ${TEST_API_KEY}`,
            [`weird.${TEST_API_KEY}`]: 'in a key',
          },
        })
        .end();
      server.faults.push({ status: 503, body: `upstream said Bearer ${TEST_API_KEY}`, times: Infinity });
      const result = await exportSpans(exporter, take());
      recordError(result.error);
      assert.equal(result.code, ExportResultCode.FAILED);
      recordError(inspect(exporter.getStats()));
      recordError(inspect(exporter, { depth: 10 }));
      const spooled = await filesUnder(spoolDir);
      assert.equal(spooled.length, 1, 'the batch was spooled');
      const content = await fs.readFile(spooled[0]!, 'utf8');
      assert.match(content, /Bearer \[REDACTED\]/, 'the key in span data was redacted, the rest kept');
      assert.ok(!content.includes(TEST_API_KEY));

      server.faults.clear();
      assert.equal((await exporter.resendSpool()).sent, 1);
      const [event] = server.store.events();
      assert.ok(!JSON.stringify(event).includes(TEST_API_KEY), 'nor sent to HoneyHive inside an event');
    } finally {
      await exporter.shutdown();
      await server.close();
    }
  });
});

// A root-level hook: it runs once, after every test of the run.
after(async function scanForTheKey() {
  this.timeout(30_000);
  const files = await filesUnder(LEAK_ROOT);
  const leaks: string[] = [];
  for (const line of capturedLogLines) if (line.includes(TEST_API_KEY)) leaks.push(`log: ${line.slice(0, 200)}`);
  for (const error of capturedErrors) if (error.includes(TEST_API_KEY)) leaks.push(`error: ${error.slice(0, 200)}`);
  for (const file of files) {
    if (file.includes(TEST_API_KEY) || (await fs.readFile(file, 'utf8')).includes(TEST_API_KEY))
      leaks.push(`file: ${file}`);
  }
  await fs.rm(LEAK_ROOT, { recursive: true, force: true });
  assert.deepEqual(leaks, [], 'the API key leaked');
  assert.ok(capturedLogLines.length > 0 && capturedErrors.length > 0, 'the scan had logs and errors to read');
});
