/**
 * The public API of honeyhive-otel-exporter. The local HoneyHive-compatible
 * server is a separate entry point, `honeyhive-otel-exporter/dev-server`, so an
 * app that only exports spans loads none of it.
 */
export { HoneyHiveSpanExporter, type FlushOptions } from './exporter';
export { HoneyHiveSpanProcessor, registeredProcessor, type HoneyHiveSpanProcessorOptions } from './processor';
export {
  HoneyHiveConfigError,
  DEFAULT_SERVER_URL,
  DEFAULT_TIMEOUT_MILLIS,
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  type HoneyHiveExporterOptions,
} from './config';
export type { FlushResult } from './delivery/flush-window';
export type { ExporterStats, FailureCause, DropReason } from './delivery/stats';
export type { EventMask } from './delivery/masking';
export type { Enrichment, EnrichResult } from './delivery/enrichment';
export type { Failure, Result, Success } from './result';
export type { ReplayReport } from './delivery/spool-replayer';
export {
  isLlmOrApplicationSpan,
  INFRASTRUCTURE_SCOPES,
  type SpanSelector,
  type TraceSelectionOption,
} from './delivery/trace-selection';
export {
  toHoneyHiveEvents,
  transformSpans,
  TransformMemory,
  DEFAULT_SOURCE,
  type TransformOptions,
  type TransformMemoryLimits,
  type TransformResult,
  type SessionGroup,
  type RejectedSpan,
  type ExportableSpan,
  type LegacyReadableSpan,
} from './transform';
export { eventIdForSpan, sessionIdForTrace, sessionIdForName } from './transform/ids';
export { HoneyHiveRequestError, type ApiVersion } from './transport/honeyhive-api';
export type { Compression } from './transport/compressing-transport';
export type { HttpFailure, HttpFailureKind } from './transport/http-transport';
export type * from './honeyhive-types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export {
  ExportResultCode,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
  type SpanExporter,
  type ExportResult,
  type TimedEvent,
} from './otel-sdk';
export {
  HoneyHiveSessionSpanProcessor,
  withSession,
  getActiveSession,
  SESSION_BAGGAGE_KEY,
  SESSION_ID_ATTRIBUTE,
  SESSION_NAME_ATTRIBUTE,
  type ActiveSession,
} from './context/session';
