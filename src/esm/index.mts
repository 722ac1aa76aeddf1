/**
 * The ES module entry point. It re-exports the CommonJS build rather than
 * duplicating it, so an app that both imports and requires this package still
 * gets one exporter module with one set of state (Node's "ES module wrapper"
 * approach to the dual-package hazard).
 */
export * from '../index.js';
