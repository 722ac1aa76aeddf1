/** Promise wrappers so exporter tests await their results and can fail. */
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Runs one export and resolves with its result; rejects if the callback is called twice. */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    let calls = 0;
    exporter.export(spans, (result) => {
      calls += 1;
      if (calls > 1) reject(new Error('export called back more than once'));
      else setImmediate(() => (calls === 1 ? resolve(result) : reject(new Error('export called back more than once'))));
    });
  });
}

/** A test key that is easy to spot if it ever leaks. */
export const TEST_API_KEY = 'hh-test-key-DO-NOT-LEAK-4242';
