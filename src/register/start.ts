/**
 * Zero-code start: `node --import honeyhive-otel-exporter/register app.mjs`
 * (ES modules) or `node --require honeyhive-otel-exporter/register app.js`
 * (CommonJS) traces the app to HoneyHive from the `HH_*` environment: a
 * tracer provider with {@link HoneyHiveSpanProcessor} (sessions and
 * `withSession` included), HTTP, and the LLM instrumentations the app has
 * installed; flushed on SIGTERM, SIGINT and at exit. What it needs beyond the
 * exporter's dependencies are optional peers, loaded here by name so an app
 * that never uses register installs none of them. It never takes the app
 * down: anything missing or misconfigured prints one line and the app runs
 * untraced.
 */
import { createRequire, register as registerLoaderHook } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  context,
  diag,
  DiagConsoleLogger,
  DiagLogLevel,
  propagation,
  trace,
  type ContextManager,
  type DiagLogger,
  type TextMapPropagator,
  type TracerProvider,
} from '@opentelemetry/api';
import { DEFAULT_EXPORT_TIMEOUT_MILLIS } from '../config';
import { errorMessage } from '../error-message';
import type { SpanProcessor } from '../otel-sdk';
import { HoneyHiveSpanProcessor, rememberRegisteredProcessor } from '../processor';
import { PACKAGE_NAME } from '../version';
import { startLlmInstrumentations, type Loader } from './instrumentations';

/** How the app is loaded: `module` registers the ES module loader hook, so static imports are instrumented. */
export type ModuleSystem = 'commonjs' | 'module';

export const REGISTER_NAME = `${PACKAGE_NAME}/register`;

/** Register's optional peers, and the version of each for OpenTelemetry SDK 2 (Node before 22.15). */
export const REGISTER_PEERS = [
  { name: '@opentelemetry/sdk-trace', sdk2: '@2' },
  { name: '@opentelemetry/context-async-hooks', sdk2: '@2' },
  { name: '@opentelemetry/core', sdk2: '@2' },
  { name: '@opentelemetry/instrumentation', sdk2: '@"<0.300"' },
  { name: '@opentelemetry/instrumentation-http', sdk2: '@"<0.300"' },
] as const;

type PeerName = (typeof REGISTER_PEERS)[number]['name'];

/** The shapes register uses of its peers (the same in SDK 2 and 3). */
interface Peers {
  '@opentelemetry/sdk-trace': {
    TracerProvider: new (config: { spanProcessors: SpanProcessor[] }) => TracerProvider;
  };
  '@opentelemetry/context-async-hooks': { AsyncLocalStorageContextManager: new () => ContextManager };
  '@opentelemetry/core': {
    CompositePropagator: new (config: { propagators: TextMapPropagator[] }) => TextMapPropagator;
    W3CTraceContextPropagator: new () => TextMapPropagator;
    W3CBaggagePropagator: new () => TextMapPropagator;
  };
  '@opentelemetry/instrumentation': unknown;
  '@opentelemetry/instrumentation-http': { HttpInstrumentation: new () => unknown };
}

type ImportHook = new (
  modules: string[],
  options: { internals: boolean },
  hook: (exported: unknown) => void,
) => unknown;

const STARTED = Symbol.for(`${REGISTER_NAME}.started`);

/** Starts tracing once per process (register loaded twice, by `--require` and `--import`, starts once). */
export function startTracing(moduleSystem: ModuleSystem): void {
  const state = globalThis as { [STARTED]?: boolean };
  if (state[STARTED]) return;
  state[STARTED] = true;
  try {
    start(moduleSystem);
  } catch (error) {
    say(`not tracing: ${errorMessage(error)}`);
  }
}

function say(line: string): void {
  process.stderr.write(`${REGISTER_NAME}: ${line}\n`);
}

function start(moduleSystem: ModuleSystem): void {
  const diagnostics = useConsoleDiagnostics();
  const ownRequire = createRequire(__filename);
  const missing = REGISTER_PEERS.filter(({ name }) => !resolves(ownRequire, name));
  if (missing.length > 0) {
    say(`not tracing: it needs ${missing.map(({ name }) => name).join(', ')}. ${installCommand(missing)}`);
    return;
  }
  const load = <Name extends PeerName>(name: Name): Peers[Name] => ownRequire(name) as Peers[Name];
  // Made first: with no API key or a bad HH_API_URL it throws, before anything global is touched.
  const processor = new HoneyHiveSpanProcessor();
  // The hook and import-in-the-middle come from the HTTP instrumentation's own @opentelemetry/instrumentation:
  // its import hooks only see modules wrapped by that same copy.
  const httpPath = ownRequire.resolve('@opentelemetry/instrumentation-http');
  const hookPath = createRequire(httpPath).resolve('@opentelemetry/instrumentation/hook.mjs');
  const provider = new (load('@opentelemetry/sdk-trace').TracerProvider)({ spanProcessors: [processor] });
  if (!trace.setGlobalTracerProvider(provider)) {
    void processor.shutdown();
    say('not tracing: another tracer provider is already registered (is OpenTelemetry started twice?)');
    return;
  }
  if (moduleSystem === 'module') registerLoaderHook(pathToFileURL(hookPath).href);
  const contextManager = new (load('@opentelemetry/context-async-hooks').AsyncLocalStorageContextManager)();
  context.setGlobalContextManager(contextManager.enable());
  const core = load('@opentelemetry/core');
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );

  // Instrumentations enable themselves when made, with the global provider registered above.
  new (load('@opentelemetry/instrumentation-http').HttpInstrumentation)();
  diagnostics.quiet = true;
  const started = startLlmInstrumentations(appLoader());
  diagnostics.quiet = false;
  if (moduleSystem === 'module') {
    const { Hook } = createRequire(hookPath)('import-in-the-middle') as { Hook: ImportHook };
    instrumentImports(Hook, started);
  }
  shutDownOnExit(processor);
  rememberRegisteredProcessor(processor);
  diag.debug(
    `${REGISTER_NAME}: tracing to HoneyHive with HTTP${started.map(({ entry }) => `, ${entry.package}`).join('')}`,
  );
}

/**
 * An LLM instrumentation carries its own import-in-the-middle, which the loader hook registered here does
 * not serve; so, in an ES module app, each library is instrumented as it is imported, through the hook's
 * own copy and the instrumentation's `manuallyInstrument`.
 */
function instrumentImports(Hook: ImportHook, started: ReturnType<typeof startLlmInstrumentations>): void {
  for (const { entry, instance } of started) {
    const manuallyInstrument = instance.manuallyInstrument;
    if (!entry.esm || typeof manuallyInstrument !== 'function') continue;
    let warned = false;
    new Hook([entry.library], { internals: false }, (exported) => {
      try {
        manuallyInstrument.call(instance, exported);
      } catch (error) {
        if (!warned)
          diag.warn(`${REGISTER_NAME}: ${entry.package} could not instrument ${entry.library}: ${errorMessage(error)}`);
        warned = true;
      }
    });
  }
}

/** The app's own packages resolve from its entry script (its node_modules, not ours). */
function appLoader(): Loader {
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), 'index.js');
  const appRequire = createRequire(entry);
  return { isInstalled: (name) => resolves(appRequire, name), load: (name) => appRequire(name) };
}

function resolves(from: NodeJS.Require, name: string): boolean {
  try {
    from.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The `npm i` line for what is missing: SDK 3's current versions, or SDK 2's on a Node too old for SDK 3. */
export function installCommand(missing: ReadonlyArray<{ name: string; sdk2: string }>): string {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const sdk3 = major > 22 || (major === 22 && minor >= 15);
  return `Install them: npm i ${missing.map(({ name, sdk2 }) => (sdk3 ? name : name + sdk2)).join(' ')}`;
}

/**
 * OpenTelemetry's diagnostics on the console: warnings and errors, unless OTEL_LOG_LEVEL says otherwise.
 * While `quiet` is set, the "module has been loaded before" warning is left out: LLM instrumentations
 * require the library they patch when they load, so at start it is always true and never means the app
 * loaded its modules early (register runs before the app).
 */
function useConsoleDiagnostics(): { quiet: boolean } {
  const levels: Record<string, DiagLogLevel> = {
    NONE: DiagLogLevel.NONE,
    ERROR: DiagLogLevel.ERROR,
    WARN: DiagLogLevel.WARN,
    INFO: DiagLogLevel.INFO,
    DEBUG: DiagLogLevel.DEBUG,
    VERBOSE: DiagLogLevel.VERBOSE,
    ALL: DiagLogLevel.ALL,
  };
  const logLevel = levels[process.env.OTEL_LOG_LEVEL?.trim().toUpperCase() ?? ''] ?? DiagLogLevel.WARN;
  const state = { quiet: false };
  const consoleLogger = new DiagConsoleLogger();
  const logger: DiagLogger = {
    error: (message, ...args) => consoleLogger.error(message, ...args),
    warn: (message, ...args) => {
      // A component logger passes its namespace first and the text after it.
      const text = [message, ...args].join(' ');
      if (state.quiet && / has been loaded before .* so it might not work/.test(text)) return;
      consoleLogger.warn(message, ...args);
    },
    info: (message, ...args) => consoleLogger.info(message, ...args),
    debug: (message, ...args) => consoleLogger.debug(message, ...args),
    verbose: (message, ...args) => consoleLogger.verbose(message, ...args),
  };
  diag.setLogger(logger, { logLevel, suppressOverrideMessage: true });
  return state;
}

/** The exporter's own bounds on a shutdown (queued export, flush, enrichments), from the same environment. */
function shutdownBackstopMillis(env: NodeJS.ProcessEnv = process.env): number {
  const millis = (value: string | undefined) => {
    const parsed = Number(value);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : undefined;
  };
  const exportTimeout = millis(env.HH_EXPORT_TIMEOUT_MS) ?? DEFAULT_EXPORT_TIMEOUT_MILLIS;
  const flushTimeout = millis(env.HH_FLUSH_TIMEOUT_MS) ?? exportTimeout + 1000;
  return exportTimeout + 2 * flushTimeout + 1000;
}

/**
 * Flushes what is left when the process ends: at `beforeExit`, and on SIGTERM or SIGINT, after which the
 * signal is raised again so the process ends as it would have (a second signal ends it at once). When the
 * app handles the signal itself, it decides when to exit: the spans so far are flushed, and the rest at
 * `beforeExit`.
 */
function shutDownOnExit(processor: HoneyHiveSpanProcessor): void {
  let shutdown: Promise<void> | undefined;
  const shutDown = (): Promise<void> => {
    shutdown ??= new Promise<void>((resolve) => {
      const backstop = setTimeout(() => {
        diag.warn(`${REGISTER_NAME}: shutdown did not finish within ${backstopMillis} ms; exiting without it`);
        resolve();
      }, backstopMillis).unref();
      void processor.shutdown().then(() => {
        clearTimeout(backstop);
        resolve();
      });
    });
    return shutdown;
  };
  const backstopMillis = shutdownBackstopMillis();
  process.once('beforeExit', () => void shutDown());
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = (): void => {
      const reraise = () => {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      };
      if (signalled) return reraise();
      if (process.listenerCount(signal) > 1) {
        void processor.forceFlush();
        return;
      }
      signalled = true;
      void shutDown().then(reraise);
    };
    process.on(signal, onSignal);
  }
}
