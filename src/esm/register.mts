/**
 * `node --import honeyhive-otel-exporter/register app.mjs`: traces an ES
 * module app to HoneyHive from the `HH_*` environment, registering the loader
 * hook first so the app's static imports (`openai`, `node:http`) are
 * instrumented (see ../register/start.ts and docs/register.md).
 */
import { startTracing } from '../register/start.js';

startTracing('module');
