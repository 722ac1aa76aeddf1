import assert from 'node:assert/strict';
import { ExportResultCode } from '@opentelemetry/core';
import { HoneyHiveSpanExporter } from '../src';
import { startDevServer } from '../src/dev-server';
import { createRedactor, MIN_REDACTED_SECRET_LENGTH, redactSecrets } from '../src/redact';
import { exportSpans, TEST_API_KEY } from './helpers/export';
import { spanRecorder } from './helpers/sdk-spans';

describe('redaction', () => {
  it('replaces every occurrence of a key', () => {
    assert.equal(redactSecrets(`a ${TEST_API_KEY} b ${TEST_API_KEY}`, [TEST_API_KEY]), 'a [REDACTED] b [REDACTED]');
    assert.equal(createRedactor([TEST_API_KEY])(`Bearer ${TEST_API_KEY}`), 'Bearer [REDACTED]');
  });

  it('leaves text alone for a secret too short to search for without corrupting it', () => {
    const short = 'k'.repeat(MIN_REDACTED_SECRET_LENGTH - 1);
    assert.equal(redactSecrets(`{"feedback":"${short}"}`, [short]), `{"feedback":"${short}"}`);
    assert.equal(createRedactor(['k', ''])('{"feedback":{}}'), '{"feedback":{}}');
  });

  it('a short key (accepted by the local server) still sends intact events', async () => {
    const server = await startDevServer({ port: 0 });
    const exporter = new HoneyHiveSpanExporter({ apiKey: 'k', serverUrl: server.url, project: 'short-key' });
    try {
      const { tracer, take } = spanRecorder();
      tracer
        .startSpan('kept', { attributes: { 'honeyhive_feedback.rating': 5, 'honeyhive_metadata.kind': 'kiwi' } })
        .end();
      const result = await exportSpans(exporter, take());
      assert.equal(result.code, ExportResultCode.SUCCESS, result.error?.message);
      const [event] = server.store.events();
      assert.deepEqual(event?.feedback, { rating: 5 });
      assert.equal(event?.metadata?.kind, 'kiwi');
    } finally {
      await exporter.shutdown();
      await server.close();
    }
  });
});
