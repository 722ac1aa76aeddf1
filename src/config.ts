/**
 * The exporter's configuration: each option from code, else its environment
 * variable, else its default, every option declared once in {@link OPTIONS}.
 *
 * A bad value passed in code throws HoneyHiveConfigError at construction,
 * naming the option and what it expects: the caller can fix it. A bad
 * environment value warns once through `diag` (naming the variable and what it
 * expects) and uses the default, as OpenTelemetry treats its own variables, so
 * a typo in a deployment cannot stop the app over its telemetry. Where falling
 * back would be unsafe the entry says what happens instead (`whenEnvIsBad`):
 * the API key has no default, a default `HH_API_URL` would send events to
 * HoneyHive's cloud rather than the server you chose, and a default
 * `HH_SEND_CONTENT` would send the content you meant to withhold. Secrets (the
 * key, header values, proxy credentials) never appear in a message.
 *
 * Adding an option: one entry in OPTIONS (the resolved type, the environment
 * reading, the default and the options table row follow from it); the same key
 * with its TypeDoc comment in HoneyHiveExporterOptions (the compiler refuses
 * keys or types that differ from OPTIONS); and its row in docs/options.md's
 * table (links relative to docs/), which test/config.test.ts renders from
 * OPTIONS and compares, checking also that the TypeDoc comment names the
 * variable and the default. The README's table holds a few of those rows.
 */
import path from 'node:path';
import { diag } from '@opentelemetry/api';
import type { EventMask } from './delivery/masking';
import { TRACE_SELECTIONS, type TraceSelectionOption } from './delivery/trace-selection';
import type { JsonValue } from './honeyhive-types';
import { DEFAULT_SOURCE } from './transform';
import { COMPRESSIONS, type Compression } from './transport/compressing-transport';
import { API_VERSIONS, type ApiVersion } from './transport/honeyhive-api';
import { DEFAULT_MAX_CONCURRENT_REQUESTS } from './transport/limited-transport';
import {
  isLoopbackHost,
  proxyFromEnvironment,
  redactProxyUrl,
  type EnvironmentProxy,
  type ProxySetting,
} from './transport/proxy-environment';
import { DEFAULT_RETRY_DELAY_MILLIS, DEFAULT_MAX_RETRIES } from './transport/retry-policy';

/**
 * Options of {@link HoneyHiveSpanExporter}. Each falls back to an environment variable, then a default.
 *
 * A bad option throws {@link HoneyHiveConfigError} from the constructor. A bad environment variable logs a
 * warning through OpenTelemetry's `diag` and uses the default instead, except `HH_API_KEY` and `HH_API_URL`,
 * which still throw (there is no safe default to send to), and `HH_SEND_CONTENT`, which falls back to `false`.
 */
export interface HoneyHiveExporterOptions {
  /** HoneyHive API key, required: without one in code or env, the constructor throws. Env `HH_API_KEY`. */
  apiKey?: string;
  /** Base URL of HoneyHive's API. Env `HH_API_URL`. Default `https://api.honeyhive.ai`. */
  serverUrl?: string;
  /**
   * Which of HoneyHive's ingestion APIs to send through: `legacy` (`POST /session/{id}/traces`, one
   * request per session of an export, and `PUT /events`) or `v1` (`POST /v1/events/batch`, the events of
   * every session of an export in as few requests as the size limits allow, and `PUT /v1/events/{id}`;
   * events go without their per-event project, which the API key decides there). Env `HH_API_VERSION`.
   * Default `legacy`.
   */
  apiVersion?: ApiVersion;
  /**
   * The HTTP(S) proxy to send through, as `http://[user:password@]host:port` (or `https://`); `false` to
   * connect directly whatever the environment says. Default none, unless `HTTPS_PROXY`/`https_proxy` (https
   * server) or `HTTP_PROXY`/`http_proxy` (http server) names one and `NO_PROXY`/`no_proxy` does not list the
   * server, nor is it this machine. An https server is reached through a CONNECT tunnel, so the proxy never
   * sees the key.
   */
  proxyUrl?: string | false;
  /**
   * Project name, sent on the legacy routes only (every event and session there). HoneyHive takes the
   * project from the API key; the v1 routes refuse a `project` field, so it is never sent there. Env
   * `HH_PROJECT`. Default none (the key's project).
   */
  project?: string;
  /** Environment label (`dev`, `staging`, `prod`, ...). Env `HH_SOURCE`. Default `dev`. */
  source?: string;
  /** Session for spans whose trace names none; not a UUID maps to one. Env `HH_SESSION_ID`. Default one session per trace. */
  sessionId?: string;
  /** Name of every session. Env `HH_SESSION_NAME`. Default root span name, else service name. */
  sessionName?: string;
  /**
   * Which traces are exported. `application`: every trace that holds LLM or application work (a span of an
   * LLM convention, a span with HoneyHive or session attributes, or a span from a tracer that is not a known
   * infrastructure instrumentation), whole, its infrastructure spans included; traces made only of spans from
   * infrastructure instrumentations (HTTP, Express, pg, Redis, fs, DNS…) are skipped and counted in
   * `getStats().spansSkipped`. `all`: every trace. A function `(span) => boolean` replaces the rule: a trace
   * with any span it accepts is exported whole (`isLlmOrApplicationSpan` is the default rule, to build on). Env `HH_TRACE_SELECTION` (`application` or `all`). Default `application`.
   */
  traceSelection?: TraceSelectionOption;
  /** Timeout of one HTTP request, in milliseconds. Env `HH_TIMEOUT_MS`. Default `10000`. */
  timeoutMillis?: number;
  /**
   * `gzip` compresses request bodies of 1 KiB or more (most of the bytes of LLM spans saved, for some CPU
   * per span in zlib's thread pool: see docs/performance.md). Off by default because HoneyHive does not document
   * whether it accepts compressed bodies; if the server answers 415, the exporter warns once, resends that
   * request uncompressed and stops compressing. Env `HH_COMPRESSION`. Default `none`.
   */
  compression?: Compression;
  /** Extra HTTP headers on every request. Env `HH_HEADERS` as `name=value,name2=value2`. Default none. */
  headers?: Record<string, string>;
  /**
   * Send each session's own event (type `session`) with its first events, and complete it (end, duration,
   * inputs, outputs, session-level fields) as its roots end. Env `HH_CREATE_SESSIONS`. Default `true`.
   */
  createSessions?: boolean;
  /**
   * The one deadline of an export, in milliseconds: waiting for a request slot, sending events, updating
   * sessions and every retry end within it; what is left then is spooled (with `spoolDir`) or reported failed.
   * Keep it below BatchSpanProcessor's `exportTimeoutMillis` (30 s). Env `HH_EXPORT_TIMEOUT_MS`. Default `20000`.
   */
  exportTimeoutMillis?: number;
  /** Retries of a request after its first attempt (408, 429, 5xx, network errors, timeouts). Env `HH_MAX_RETRIES`. Default `5`. */
  maxRetries?: number;
  /** The first wait before a retry, in milliseconds; each later wait doubles, up to 5 s, ±20% jitter. Env `HH_RETRY_DELAY_MS`. Default `1000`. */
  retryDelayMillis?: number;
  /** Most events in one request. Env `HH_MAX_BATCH_EVENTS`. Default `500`. */
  maxBatchEvents?: number;
  /** Most bytes in one request body; an event larger on its own has its largest values truncated. Env `HH_MAX_BATCH_BYTES`. Default `4194304` (4 MiB). */
  maxBatchBytes?: number;
  /** Most bytes of any one string value in an event (as JSON); longer ones are truncated with a marker. Env `HH_MAX_VALUE_BYTES`. Default `1048576` (1 MiB). */
  maxValueBytes?: number;
  /** Most HTTP requests in flight at once; more wait their turn. Env `HH_MAX_CONCURRENT_REQUESTS`. Default `8`. */
  maxConcurrentRequests?: number;
  /** Most bytes of events held in memory by exports not yet finished; beyond it new batches are spooled or dropped (counted, logged). Env `HH_MAX_PENDING_BYTES`. Default `67108864` (64 MiB). */
  maxPendingBytes?: number;
  /** How long `forceFlush` and `shutdown` wait for exports in flight, in milliseconds. Env `HH_FLUSH_TIMEOUT_MS`. Default `exportTimeoutMillis` + 1000. */
  flushTimeoutMillis?: number;
  /** A directory where batches that could not be delivered are kept and resent (created with mode 0700). Env `HH_SPOOL_DIR`. Default none (no spool). */
  spoolDir?: string;
  /** Most bytes the spool keeps; the oldest files go first. Env `HH_SPOOL_MAX_BYTES`. Default `52428800` (50 MiB). */
  spoolMaxBytes?: number;
  /** Spooled files older than this are deleted unsent, in milliseconds. Env `HH_SPOOL_MAX_AGE_MS`. Default `172800000` (2 days). */
  spoolMaxAgeMillis?: number;
  /** How often the spool is resent, in milliseconds (also once at start). Env `HH_SPOOL_INTERVAL_MS`. Default `60000`. */
  spoolIntervalMillis?: number;
  /** Allow plain `http://` to a host that is not loopback (the key would travel unencrypted). Env `HH_ALLOW_INSECURE_HTTP`. Default `false`. */
  allowInsecureHttp?: boolean;
  /**
   * Send prompt and completion content. When false, events keep their structure, timings, model names and
   * token counts, and lose inputs, outputs, text values and error messages. Env `HH_SEND_CONTENT`. Default `true`.
   */
  sendContent?: boolean;
  /**
   * Sees each event before it leaves the process: return it (changed or not) to send it, or null to drop it.
   * It must be synchronous: a mask that returns a Promise, throws, or returns anything else has the event's
   * content removed with a marker. Default none.
   */
  mask?: EventMask;
}

export const DEFAULT_SERVER_URL = 'https://api.honeyhive.ai';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 20_000;
/** The flush waits this much past the export deadline, time for a last spool write. */
const FLUSH_GRACE_MILLIS = 1_000;
const MAX_TIMEOUT_MILLIS = 600_000;
/** Smallest request size allowed: an event's ids, names and times must fit with room to spare. */
const MIN_BATCH_BYTES = 4096;
const MAX_BYTES = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;

/** Headers the exporter sets itself; letting `headers` replace them would only break requests. */
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'user-agent']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class HoneyHiveConfigError extends Error {
  override readonly name = 'HoneyHiveConfigError';
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Where a value came from, for messages. */
interface Origin {
  option: string;
  /** The variable it was read from, when it came from the environment. */
  envVar: string | undefined;
}

function fail(origin: Origin, expected: string, got?: JsonValue): never {
  const where = origin.envVar === undefined ? `option "${origin.option}"` : `environment variable ${origin.envVar}`;
  const shown = got === undefined ? '' : `; got ${JSON.stringify(got)}`;
  throw new HoneyHiveConfigError(`HoneyHive exporter: ${where} ${expected}${shown}`);
}

/** The options other options' parsing or defaults depend on (resolved first, on demand). */
interface Dependencies {
  allowInsecureHttp: boolean;
  serverUrl: string;
  exportTimeoutMillis: number;
}
type Lookup = <K extends keyof Dependencies>(name: K) => Dependencies[K];

/** One option: how it is read, checked and defaulted, and its README row. */
interface OptionSpec<Given, Value> {
  /** The environment variable read when the option is not given; none for options set only in code. */
  readonly env?: string;
  /** Reads the environment where one variable will not do (proxies). */
  readonly readEnv?: (env: Environment, get: Lookup) => EnvironmentProxy | undefined;
  /** Checks and normalises a value given in code, or an environment variable's (trimmed, non-blank) text. */
  readonly parse: (value: Given | string, origin: Origin, get: Lookup) => Value;
  /** The value when neither is set. */
  readonly fallback: (get: Lookup) => Value;
  /** What a bad environment value leads to when the default is unsafe: an error, or this value. */
  readonly whenEnvIsBad?: 'throw' | { use: Value; described: string };
  /** README columns: the variable (when it is not just `env`), the default, the meaning. */
  readonly envDoc?: string;
  readonly defaultDoc: string;
  readonly doc: string;
  /** Makes the spec invariant in Given, so the compiler checks it is exactly the interface's type. */
  readonly given?: (given: Given) => Given;
}

/** An entry written out in full; its explicit types are what the compiler compares with the interface. */
function option<Given, Value>(spec: OptionSpec<Given, Value>): OptionSpec<Given, Value> {
  return spec;
}

interface Docs {
  env: string;
  doc: string;
  /** Said after the default value in the README, such as `(4 MiB)`. */
  note?: string;
}

function literal(value: string | number | boolean, note?: string): string {
  return `\`${value}\`${note === undefined ? '' : ` ${note}`}`;
}

function nonEmptyText(value: unknown, origin: Origin): string {
  if (typeof value !== 'string' || value.trim() === '')
    fail(origin, 'must be a non-empty string', typeof value === 'string' ? value : String(value));
  return value;
}

function text(docs: Docs & { defaultDoc: string }): OptionSpec<string, string | undefined> {
  return { ...docs, parse: nonEmptyText, fallback: () => undefined };
}

function textOr(fallback: string, docs: Docs): OptionSpec<string, string> {
  return { ...docs, parse: nonEmptyText, fallback: () => fallback, defaultDoc: literal(fallback, docs.note) };
}

interface IntegerRange {
  min: number;
  max: number;
  /** What the number counts, for messages: `milliseconds`, `bytes`, ... */
  unit: string;
}

const MILLISECONDS: IntegerRange = { min: 1, max: MAX_TIMEOUT_MILLIS, unit: 'milliseconds' };
const bytesFrom = (min: number): IntegerRange => ({ min, max: MAX_BYTES, unit: 'bytes' });

function parseInteger(value: number | string, origin: Origin, range: IntegerRange): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < range.min || number > range.max) {
    fail(
      origin,
      `must be a whole number of ${range.unit} from ${range.min} to ${range.max}`,
      typeof value === 'number' || typeof value === 'string' ? value : String(value),
    );
  }
  return number;
}

function integer(
  range: IntegerRange,
  fallback: number | ((get: Lookup) => number),
  docs: Docs & { /** How a computed default is described. */ defaultDoc?: string },
): OptionSpec<number, number> {
  return {
    ...docs,
    parse: (value, origin) => parseInteger(value, origin, range),
    fallback: typeof fallback === 'number' ? () => fallback : fallback,
    defaultDoc: typeof fallback === 'number' ? literal(fallback, docs.note) : (docs.defaultDoc ?? ''),
  };
}

function boolean(fallback: boolean, docs: Docs): OptionSpec<boolean, boolean> {
  return {
    ...docs,
    parse: (value, origin) => {
      if (typeof value === 'boolean') return value;
      const text = String(value).toLowerCase();
      if (origin.envVar !== undefined && (text === 'true' || text === '1')) return true;
      if (origin.envVar !== undefined && (text === 'false' || text === '0')) return false;
      return fail(
        origin,
        origin.envVar === undefined ? 'must be a boolean' : 'must be true, false, 1 or 0',
        String(value),
      );
    },
    fallback: () => fallback,
    defaultDoc: literal(fallback),
  };
}

/** One of a few names; an environment variable's value may be in any case. */
function choice<T extends string>(choices: readonly T[], fallback: T, docs: Docs): OptionSpec<T, T> {
  return {
    ...docs,
    parse: (value, origin) => {
      const picked = origin.envVar !== undefined && typeof value === 'string' ? value.toLowerCase() : value;
      if (!(choices as readonly unknown[]).includes(picked)) {
        fail(origin, `must be ${choices.map((name) => JSON.stringify(name)).join(' or ')}`, String(value));
      }
      return picked as T;
    },
    fallback: () => fallback,
    defaultDoc: literal(fallback),
  };
}

/** The trace selections an environment variable can name (a function is given in code only). */
const NAMED_SELECTIONS = choice(TRACE_SELECTIONS, 'application', { env: 'HH_TRACE_SELECTION', doc: '' });

function parseApiKey(value: unknown, origin: Origin): string {
  // The value is a secret: describe what is wrong with it, never show it.
  if (typeof value !== 'string' || value.trim() === '') fail(origin, 'must be a non-empty string');
  if (/[\s\p{Cc}]/u.test(value)) fail(origin, 'must not contain spaces, line breaks or control characters');
  return value;
}

function noApiKey(): never {
  throw new HoneyHiveConfigError(
    // The environment first: it is the one way that also works for the zero-code register.
    'HoneyHive exporter: no API key. Set HH_API_KEY, or pass { apiKey } to HoneyHiveSpanProcessor or ' +
      'HoneyHiveSpanExporter (for local work without an account, run `npx honeyhive-otel-dev` and use any key).',
  );
}

function parseServerUrl(value: unknown, origin: Origin, get: Lookup): string {
  const expected = 'must be an http(s) URL such as https://api.honeyhive.ai, with no query or fragment';
  if (typeof value !== 'string') fail(origin, expected, String(value));
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(origin, expected, value);
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== ''
  ) {
    fail(origin, expected, value);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !get('allowInsecureHttp')) {
    fail(
      origin,
      `uses plain http:// to ${url.hostname}, which is not this machine, so the API key would cross the network unencrypted. ` +
        'Use https://, or set allowInsecureHttp: true (HH_ALLOW_INSECURE_HTTP=true) for a network you trust',
    );
  }
  return url.href.replace(/\/+$/, '');
}

const PROXY_EXPECTED =
  'must be an http:// or https:// proxy URL such as http://proxy.example:3128 (SOCKS proxies are not supported)';

/** A proxy URL checked and normalised; a scheme-less `host:port` means http, as curl reads it. Shown only redacted. */
function parseProxyUrl(value: unknown, origin: Origin): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail(origin, `${PROXY_EXPECTED}, or false to ignore the proxy environment variables`, String(value));
  }
  const text = value.trim();
  const shown = redactProxyUrl(text);
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    fail(origin, PROXY_EXPECTED, shown);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    fail(origin, PROXY_EXPECTED, shown);
  }
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    fail(origin, 'has credentials that are not valid percent-encoding (encode @ as %40, : as %3A)', shown);
  }
  return url.href;
}

function parseProxy(value: string | false, origin: Origin): ProxySetting | undefined {
  if (value === false) return undefined;
  return { url: parseProxyUrl(value, origin), from: origin.envVar ?? 'proxyUrl' };
}

function parseHeaderList(text: string, origin: Origin): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) fail(origin, 'must be a comma-separated list of name=value pairs');
    try {
      headers[decodeURIComponent(pair.slice(0, equals).trim())] = decodeURIComponent(pair.slice(equals + 1).trim());
    } catch {
      fail(origin, 'must be percent-encoded where it is not plain text (encode , as %2C, = as %3D, % as %25)');
    }
  }
  return headers;
}

function parseHeaders(value: Record<string, string> | string, origin: Origin): Record<string, string> {
  const headers: unknown = typeof value === 'string' ? parseHeaderList(value, origin) : value;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    fail(origin, 'must be an object of header names to string values');
  const result: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) fail(origin, 'must have valid HTTP header names', name);
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      fail(origin, `must not set ${name}: the exporter sets it (use apiKey for Authorization)`);
    // A tab is the one control character a header value may hold.
    if (typeof headerValue !== 'string' || /(?!\t)\p{Cc}/u.test(headerValue)) {
      // Values may be secrets (tokens for a proxy): name the header, not its value.
      fail(origin, `must have a string value without line breaks or control characters for header ${name}`);
    }
    result[name] = headerValue;
  }
  return result;
}

function parseMask(value: unknown, origin: Origin): EventMask {
  if (typeof value !== 'function') fail(origin, 'must be a function (event) => event | null');
  return value as EventMask;
}

/** Every option, in the README's order. Its keys and given types are exactly HoneyHiveExporterOptions'. */
export const OPTIONS = {
  apiKey: option<string, string>({
    env: 'HH_API_KEY',
    parse: parseApiKey,
    fallback: noApiKey,
    whenEnvIsBad: 'throw',
    defaultDoc: 'required',
    doc: 'HoneyHive API key, sent as `Authorization: Bearer …`',
  }),
  serverUrl: option<string, string>({
    env: 'HH_API_URL',
    parse: parseServerUrl,
    fallback: () => DEFAULT_SERVER_URL,
    whenEnvIsBad: 'throw',
    defaultDoc: literal(DEFAULT_SERVER_URL),
    doc: "HoneyHive's API base URL (http or https, no query)",
  }),
  apiVersion: choice(API_VERSIONS, 'legacy', {
    env: 'HH_API_VERSION',
    doc: "`legacy` (`/session/{id}/traces`, a request per session of an export) or `v1` (`/v1/events/batch`, every session of an export together); see [HoneyHive's v1 API](#honeyhives-v1-api)",
  }),
  proxyUrl: option<string | false, ProxySetting | undefined>({
    readEnv: (env, get) => proxyFromEnvironment(new URL(get('serverUrl')), env),
    parse: parseProxy,
    fallback: () => undefined,
    envDoc: "`HTTPS_PROXY` / `HTTP_PROXY` (by the server's scheme), `NO_PROXY`",
    defaultDoc: 'none',
    doc: 'HTTP(S) proxy to send through, `http://[user:password@]host:port`; `false` ignores the environment; see [Proxies](#proxies)',
  }),
  project: text({
    env: 'HH_PROJECT',
    defaultDoc: "none (the key's project)",
    doc: 'project on every event and session, legacy routes only (v1 refuses it)',
  }),
  source: textOr(DEFAULT_SOURCE, {
    env: 'HH_SOURCE',
    doc: "environment label on every event; a span's `honeyhive_source` wins",
  }),
  sessionId: text({
    env: 'HH_SESSION_ID',
    defaultDoc: 'one session per trace',
    doc: 'session for spans whose trace names none',
  }),
  sessionName: text({
    env: 'HH_SESSION_NAME',
    defaultDoc: 'root span name, else service name',
    doc: 'name of every session',
  }),
  traceSelection: option<TraceSelectionOption, TraceSelectionOption>({
    env: 'HH_TRACE_SELECTION',
    parse: (value, origin, get) => (typeof value === 'function' ? value : NAMED_SELECTIONS.parse(value, origin, get)),
    fallback: () => 'application',
    defaultDoc: literal('application'),
    doc: '`application` exports every trace with LLM or application work, whole, and skips traces made only of infrastructure instrumentation spans (counted); `all` exports every trace; a function `(span) => boolean` replaces the rule; see [Choosing traces](#choosing-traces)',
  }),
  timeoutMillis: integer(MILLISECONDS, DEFAULT_TIMEOUT_MILLIS, {
    env: 'HH_TIMEOUT_MS',
    doc: 'timeout of one HTTP request',
  }),
  compression: choice(COMPRESSIONS, 'none', {
    env: 'HH_COMPRESSION',
    doc: '`gzip` compresses request bodies of 1 KiB or more; on a 415 it warns once, resends plain and stops (see [Performance](performance.md))',
  }),
  headers: option<Record<string, string>, Record<string, string>>({
    env: 'HH_HEADERS',
    parse: parseHeaders,
    fallback: () => ({}),
    envDoc: '`HH_HEADERS` (`a=1,b=2`)',
    defaultDoc: 'none',
    doc: "extra headers on every request (not `Authorization`; every request also names this package in `User-Agent` and in `hh-client-package`, `hh-client-version`, `hh-client-language: typescript`, as HoneyHive's SDKs do)",
  }),
  createSessions: boolean(true, {
    env: 'HH_CREATE_SESSIONS',
    doc: "send each session's own event with its first events, and complete it as its roots end ([How sessions travel](sessions.md#how-sessions-travel))",
  }),
  exportTimeoutMillis: integer(MILLISECONDS, DEFAULT_EXPORT_TIMEOUT_MILLIS, {
    env: 'HH_EXPORT_TIMEOUT_MS',
    doc: "the one deadline of an export: slots, event requests, session updates and retries all end within it (keep it under `BatchSpanProcessor`'s 30 s)",
  }),
  maxRetries: integer({ min: 0, max: 100, unit: 'retries' }, DEFAULT_MAX_RETRIES, {
    env: 'HH_MAX_RETRIES',
    doc: 'retries of a request after its first attempt (408, 429, 500, 502, 503, 504, network errors, timeouts)',
  }),
  retryDelayMillis: integer(MILLISECONDS, DEFAULT_RETRY_DELAY_MILLIS, {
    env: 'HH_RETRY_DELAY_MS',
    doc: 'first wait before a retry; doubles each time up to 5 s, ±20% jitter; `Retry-After` wins',
  }),
  maxBatchEvents: integer({ min: 1, max: 100_000, unit: 'events' }, 500, {
    env: 'HH_MAX_BATCH_EVENTS',
    doc: 'most events in one request',
  }),
  maxBatchBytes: integer(bytesFrom(MIN_BATCH_BYTES), 4 * MIB, {
    env: 'HH_MAX_BATCH_BYTES',
    note: '(4 MiB)',
    doc: 'most bytes in one request body (at least 4096); a larger event has its largest values truncated',
  }),
  maxValueBytes: integer(bytesFrom(64), MIB, {
    env: 'HH_MAX_VALUE_BYTES',
    note: '(1 MiB)',
    doc: 'most bytes of one string value; longer ones are cut, with a marker',
  }),
  maxConcurrentRequests: integer({ min: 1, max: 1024, unit: 'requests' }, DEFAULT_MAX_CONCURRENT_REQUESTS, {
    env: 'HH_MAX_CONCURRENT_REQUESTS',
    doc: 'HTTP requests in flight at once; more wait their turn',
  }),
  maxPendingBytes: integer(bytesFrom(MIN_BATCH_BYTES), 64 * MIB, {
    env: 'HH_MAX_PENDING_BYTES',
    note: '(64 MiB)',
    doc: 'events held by unfinished exports; past it new batches are spooled, or dropped and counted',
  }),
  flushTimeoutMillis: integer(MILLISECONDS, (get) => get('exportTimeoutMillis') + FLUSH_GRACE_MILLIS, {
    env: 'HH_FLUSH_TIMEOUT_MS',
    defaultDoc: `\`exportTimeoutMillis\` + ${FLUSH_GRACE_MILLIS}`,
    doc: 'how long `flush`, `forceFlush` and `shutdown` wait for exports in flight',
  }),
  spoolDir: option<string, string | undefined>({
    ...text({
      env: 'HH_SPOOL_DIR',
      defaultDoc: 'none (no spool)',
      doc: 'directory where batches that could not be delivered are kept and resent',
    }),
    parse: (value, origin) => path.resolve(nonEmptyText(value, origin)),
  }),
  spoolMaxBytes: integer(bytesFrom(MIN_BATCH_BYTES), 50 * MIB, {
    env: 'HH_SPOOL_MAX_BYTES',
    note: '(50 MiB)',
    doc: 'most bytes the spool keeps; the oldest files make room',
  }),
  spoolMaxAgeMillis: integer({ min: 1, max: 365 * 24 * 3_600_000, unit: 'milliseconds' }, 2 * 24 * 3_600_000, {
    env: 'HH_SPOOL_MAX_AGE_MS',
    note: '(2 days)',
    doc: 'spooled files older than this are deleted unsent (counted)',
  }),
  spoolIntervalMillis: integer({ min: 10, max: 24 * 3_600_000, unit: 'milliseconds' }, 60_000, {
    env: 'HH_SPOOL_INTERVAL_MS',
    doc: 'how often the spool is resent (also once at start)',
  }),
  allowInsecureHttp: boolean(false, {
    env: 'HH_ALLOW_INSECURE_HTTP',
    doc: 'allow plain `http://` to a host that is not loopback',
  }),
  sendContent: option<boolean, boolean>({
    ...boolean(true, {
      env: 'HH_SEND_CONTENT',
      doc: '`false` sends structure, timings, models and token counts without prompts, completions or other text',
    }),
    whenEnvIsBad: { use: false, described: 'false (no content sent), the safe side' },
  }),
  mask: option<EventMask, EventMask | undefined>({
    parse: parseMask,
    fallback: () => undefined,
    envDoc: '(code only)',
    defaultDoc: 'none',
    doc: '`(event) => event \\| null`, synchronous: sees each event before it leaves; return it (redacted) or `null` to drop it',
  }),
} satisfies {
  [K in keyof HoneyHiveExporterOptions]-?: OptionSpec<Exclude<HoneyHiveExporterOptions[K], undefined>, unknown>;
};

type OptionName = keyof typeof OPTIONS;

/** The resolved configuration: every option's checked value, or its default. */
export type ExporterConfig = { [K in OptionName]: ReturnType<(typeof OPTIONS)[K]['parse']> };

/** The variable's trimmed value, when it is set and not blank. */
function readVariable(env: Environment, envVar: string | undefined): EnvironmentProxy | undefined {
  const value = envVar === undefined ? undefined : env[envVar]?.trim();
  return envVar !== undefined && value ? { value, envVar } : undefined;
}

/** Merges options, environment and defaults into a checked configuration, or throws {@link HoneyHiveConfigError}. */
export function resolveConfig(options: HoneyHiveExporterOptions = {}, env: Environment = process.env): ExporterConfig {
  if (typeof options !== 'object' || options === null) {
    throw new HoneyHiveConfigError('HoneyHive exporter: options must be an object such as { project: "my-app" }');
  }
  const resolved = new Map<OptionName, unknown>();
  const get = <K extends OptionName>(name: K): ExporterConfig[K] => {
    if (!resolved.has(name)) resolved.set(name, resolveOption(name));
    return resolved.get(name) as ExporterConfig[K];
  };
  const resolveOption = (name: OptionName): unknown => {
    // Each entry's types were checked against the interface above; here they are one loop over all of them.
    const spec = OPTIONS[name] as unknown as OptionSpec<unknown, unknown>;
    const given = options[name];
    if (given !== undefined) return spec.parse(given, { option: name, envVar: undefined }, get);
    const found = spec.readEnv ? spec.readEnv(env, get) : readVariable(env, spec.env);
    if (found === undefined) return spec.fallback(get);
    try {
      return spec.parse(found.value, { option: name, envVar: found.envVar }, get);
    } catch (error) {
      if (!(error instanceof HoneyHiveConfigError) || spec.whenEnvIsBad === 'throw') throw error;
      const instead = spec.whenEnvIsBad ?? { use: spec.fallback(get), described: `the default, ${spec.defaultDoc}` };
      diag.warn(`${error.message}. Ignoring it and using ${instead.described.replaceAll('`', '')}.`);
      return instead.use;
    }
  };
  return Object.fromEntries((Object.keys(OPTIONS) as OptionName[]).map((name) => [name, get(name)])) as ExporterConfig;
}
