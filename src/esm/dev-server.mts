/**
 * The ES module entry of `honeyhive-otel-exporter/dev-server`, re-exporting
 * the CommonJS build as the main entry does (one module, one set of state).
 */
export * from '../dev-server/index.js';
