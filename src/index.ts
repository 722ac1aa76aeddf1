/** The public API of honeyhive-otel-exporter. */
export { HoneyHiveSpanExporter } from './exporter';
export { HoneyHiveConfigError, DEFAULT_SERVER_URL, DEFAULT_TIMEOUT_MILLIS, type HoneyHiveExporterOptions } from './config';
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
export { HoneyHiveRequestError } from './transport/honeyhive-api';
export type * from './honeyhive-types';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version';
export {
  HoneyHiveSessionSpanProcessor,
  withSession,
  getActiveSession,
  SESSION_BAGGAGE_KEY,
  SESSION_ID_ATTRIBUTE,
  SESSION_NAME_ATTRIBUTE,
  type ActiveSession,
} from './context/session';
export { startDevServer, formatSessionTree, type DevServerOptions, type DevServerHandle } from './dev-server';
