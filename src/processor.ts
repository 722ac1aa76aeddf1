/**
 * The one span processor to register: it stamps each span's session when the
 * span starts (what {@link HoneyHiveSessionSpanProcessor} does) and batches
 * ended spans to a {@link HoneyHiveSpanExporter}, as the SDK's
 * `BatchSpanProcessor` would. It needs no SDK class, so the same line works
 * with OpenTelemetry JS SDK 1.x, 2.x and 3.x, in `NodeSDK({ spanProcessors })`
 * or any tracer provider's `spanProcessors`.
 */
import { context, diag, TraceFlags, type Context } from '@opentelemetry/api';
import { HoneyHiveConfigError, type HoneyHiveExporterOptions } from './config';
import { HoneyHiveSessionSpanProcessor } from './context/session';
import type { Enrichment, EnrichResult } from './delivery/enrichment';
import { HoneyHiveSpanExporter } from './exporter';
import {
  ExportResultCode,
  suppressTracing,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from './otel-sdk';
import { PACKAGE_NAME } from './version';

export interface HoneyHiveSpanProcessorOptions extends HoneyHiveExporterOptions {
  /** Where batches go. Default: a {@link HoneyHiveSpanExporter} made from the other options. */
  exporter?: SpanExporter;
  /** Most ended spans held before export; past it new spans are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /** Most spans in one export, and the queue length that starts one at once. Default 512. */
  maxExportBatchSize?: number;
  /** How long an ended span may wait for its batch. Default 5000 ms. */
  scheduledDelayMillis?: number;
}

const DEFAULTS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000 };

function positiveInteger(name: keyof typeof DEFAULTS, value: number | undefined): number {
  if (value === undefined) return DEFAULTS[name];
  if (!Number.isInteger(value) || value < 1) {
    throw new HoneyHiveConfigError(`HoneyHiveSpanProcessor: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export class HoneyHiveSpanProcessor implements SpanProcessor {
  /** The exporter batches go to: call its `flush()` for what became of them (serverless). */
  readonly exporter: SpanExporter;
  private readonly sessions = new HoneyHiveSessionSpanProcessor();
  private readonly log = diag.createComponentLogger({ namespace: PACKAGE_NAME });
  private readonly maxQueueSize: number;
  private readonly maxExportBatchSize: number;
  private readonly scheduledDelayMillis: number;
  private queue: ReadableSpan[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The export running now, then each queued after it: one export at a time, in order. */
  private exports: Promise<void> = Promise.resolve();
  private droppedSpans = 0;
  /** Set at the first drop since the last export, so a full queue warns once, not once per span. */
  private dropping = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: HoneyHiveSpanProcessorOptions = {}) {
    const { exporter, maxQueueSize, maxExportBatchSize, scheduledDelayMillis, ...exporterOptions } = options;
    this.maxQueueSize = positiveInteger('maxQueueSize', maxQueueSize);
    this.maxExportBatchSize = Math.min(positiveInteger('maxExportBatchSize', maxExportBatchSize), this.maxQueueSize);
    this.scheduledDelayMillis = positiveInteger('scheduledDelayMillis', scheduledDelayMillis);
    this.exporter = exporter ?? new HoneyHiveSpanExporter(exporterOptions);
  }

  onStart(span: Span, parentContext: Context): void {
    this.sessions.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (this.shutdownPromise) return;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queue.length >= this.maxQueueSize) {
      this.droppedSpans++;
      if (!this.dropping) this.log.warn(`span queue full (${this.maxQueueSize} spans): dropping spans until it drains`);
      this.dropping = true;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.maxExportBatchSize) void this.exportQueued();
    else this.timer ??= setTimeout(() => void this.exportQueued(), this.scheduledDelayMillis).unref();
  }

  /** Exports every span ended so far and waits for the exporter's requests. Never rejects. */
  async forceFlush(): Promise<void> {
    await this.exportQueued();
    await this.exporter.forceFlush?.().catch((error: unknown) => this.log.warn(`forceFlush failed: ${String(error)}`));
  }

  /** Exports what is queued, then shuts the exporter down; later spans are ignored. Never rejects. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.exportQueued();
      await this.exporter.shutdown().catch((error: unknown) => this.log.warn(`shutdown failed: ${String(error)}`));
    })();
    return this.shutdownPromise;
  }

  /** {@link HoneyHiveSpanExporter.enrichSession} through this processor's exporter. Never rejects. */
  enrichSession(sessionId: string, enrichment: Enrichment): Promise<EnrichResult> {
    const exporter = this.honeyHiveExporter('enrichSession');
    return exporter instanceof Error
      ? Promise.resolve({ ok: false, error: exporter })
      : exporter.enrichSession(sessionId, enrichment);
  }

  /** {@link HoneyHiveSpanExporter.enrichEvent} through this processor's exporter. Never rejects. */
  enrichEvent(eventId: string, enrichment: Enrichment): Promise<EnrichResult> {
    const exporter = this.honeyHiveExporter('enrichEvent');
    return exporter instanceof Error
      ? Promise.resolve({ ok: false, error: exporter })
      : exporter.enrichEvent(eventId, enrichment);
  }

  /** Spans dropped because the queue was full, since the processor was made. */
  get droppedSpanCount(): number {
    return this.droppedSpans;
  }

  /** The exporter enrichments go through, or why there is none (an exporter of another kind was given). */
  private honeyHiveExporter(method: string): HoneyHiveSpanExporter | Error {
    if (this.exporter instanceof HoneyHiveSpanExporter) return this.exporter;
    return new Error(
      `${method}: this processor exports to an exporter that is not a HoneyHiveSpanExporter; call ${method} on a HoneyHiveSpanExporter`,
    );
  }

  private exportQueued(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.exports = this.exports.then(async () => {
      while (this.queue.length > 0) await this.exportBatch(this.queue.splice(0, this.maxExportBatchSize));
      if (this.dropping) this.log.warn(`${this.droppedSpans} spans dropped so far because the span queue was full`);
      this.dropping = false;
    });
    return this.exports;
  }

  private exportBatch(batch: ReadableSpan[]): Promise<void> {
    return new Promise((resolve) => {
      try {
        // As the SDK's processors do: nothing the exporter calls is traced.
        context.with(suppressTracing(context.active()), () =>
          this.exporter.export(batch, (result) => {
            if (result.code !== ExportResultCode.SUCCESS && !(this.exporter instanceof HoneyHiveSpanExporter)) {
              this.log.warn(`export of ${batch.length} spans failed: ${result.error?.message ?? 'no reason given'}`);
            }
            resolve();
          }),
        );
      } catch (error) {
        this.log.warn(`export of ${batch.length} spans threw: ${String(error)}`);
        resolve();
      }
    });
  }
}

/** Where register keeps the processor it started: on the global object, so every copy of this package finds it. */
const REGISTERED_PROCESSOR = Symbol.for(`${PACKAGE_NAME}/register.processor`);

/**
 * The {@link HoneyHiveSpanProcessor} that `honeyhive-otel-exporter/register` started, so an app started
 * with it can call `enrichSession`, `enrichEvent` or `forceFlush`; undefined when register is not tracing
 * (not loaded, or it printed why it is not).
 */
export function registeredProcessor(): HoneyHiveSpanProcessor | undefined {
  return (globalThis as { [REGISTERED_PROCESSOR]?: HoneyHiveSpanProcessor })[REGISTERED_PROCESSOR];
}

/** Makes `processor` the one {@link registeredProcessor} returns: register's, once it is tracing. */
export function rememberRegisteredProcessor(processor: HoneyHiveSpanProcessor): void {
  (globalThis as { [REGISTERED_PROCESSOR]?: HoneyHiveSpanProcessor })[REGISTERED_PROCESSOR] = processor;
}
