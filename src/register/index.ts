/**
 * `node --require honeyhive-otel-exporter/register app.js`: traces a CommonJS
 * app to HoneyHive from the `HH_*` environment (see ./start.ts and
 * docs/register.md). ES module apps use `--import`, whose entry also
 * registers the loader hook.
 */
import { startTracing } from './start';

startTracing('commonjs');
