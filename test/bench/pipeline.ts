/**
 * The app side of the end-to-end and outage benchmarks: a BatchSpanProcessor
 * (BSP defaults except a short schedule delay, so a run's tail is not five
 * seconds of waiting) in front of our exporter, the OTLP HTTP exporter, or an
 * exporter that does nothing; and an exporter wrapper counting what finished.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from './subject';

/**
 * Our exporter with its defaults (`ours`), with trace selection off, or with `apiVersion: 'v1'`; the OTLP HTTP exporter; an exporter
 * that does nothing (what producing and queueing spans costs the app anyway).
 */
export type ExporterKind = 'ours' | 'oursAllTraces' | 'oursV1' | 'otlp' | 'noop';

export const EXPORTER_DESCRIPTIONS: Readonly<Record<ExporterKind, string>> = {
  ours: 'ours, defaults (legacy routes)',
  oursAllTraces: "ours, traceSelection 'all'",
  oursV1: "ours, apiVersion 'v1'",
  otlp: 'OTLP HTTP exporter',
  noop: 'no-op exporter',
};

const OUR_OPTIONS: Readonly<Record<Exclude<ExporterKind, 'otlp' | 'noop'>, HoneyHiveExporterOptions>> = {
  ours: {},
  oursAllTraces: { traceSelection: 'all' },
  oursV1: { apiVersion: 'v1' },
};

export const BATCH_PROCESSOR_CONFIG = {
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 20,
  exportTimeoutMillis: 30_000,
};

/** `baseUrl` is the receiver's `http://host:port`. */
export function createExporter(kind: ExporterKind, baseUrl: string): SpanExporter {
  if (kind === 'otlp') return new OTLPTraceExporter({ url: `${baseUrl}/v1/traces` });
  if (kind === 'noop')
    return { export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }), shutdown: () => Promise.resolve() };
  return new HoneyHiveSpanExporter({
    apiKey: 'bench-api-key',
    serverUrl: baseUrl,
    project: 'bench',
    ...OUR_OPTIONS[kind],
  });
}

/** Counts the spans whose export finished, and lets the producer wait for progress. */
export class CountingExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  /** Spans handed to the inner exporter (the rest were dropped by the processor). */
  handed = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly inner: SpanExporter) {}

  get finished(): number {
    return this.exported + this.failed;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.handed += spans.length;
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else this.failed += spans.length;
      resultCallback(result);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Resolves at the next finished export, or rejects after `timeoutMillis` without one. */
  progress(timeoutMillis = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no export finished within ${timeoutMillis} ms`)), timeoutMillis);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export interface Pipeline {
  processor: BatchSpanProcessor;
  counter: CountingExporter;
}

export function createPipeline(kind: ExporterKind, baseUrl: string): Pipeline {
  const counter = new CountingExporter(createExporter(kind, baseUrl));
  return { processor: new BatchSpanProcessor(counter, BATCH_PROCESSOR_CONFIG), counter };
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
