/**
 * The exporter's configuration: each option from code, else its `HH_`
 * environment variable, else its default. A bad value fails at construction
 * with a message naming the option (or variable) and what it expects; the API
 * key itself is never repeated in a message.
 */
import path from 'node:path';
import type { EventMask } from './delivery/masking';
import type { JsonValue } from './honeyhive-types';
import { DEFAULT_SOURCE } from './transform';
import { COMPRESSIONS, type Compression } from './transport/compressing-transport';
import { API_VERSIONS, type ApiVersion } from './transport/honeyhive-api';
import { DEFAULT_MAX_CONCURRENT_REQUESTS } from './transport/limited-transport';
import { isLoopbackHost, proxyFromEnvironment, redactProxyUrl, type ProxySetting } from './transport/proxy-environment';
import { DEFAULT_INITIAL_BACKOFF_MILLIS, DEFAULT_MAX_RETRIES } from './transport/retry-policy';

/** Options of {@link HoneyHiveSpanExporter}. Each falls back to an environment variable, then a default. */
export interface HoneyHiveExporterOptions {
  /** HoneyHive API key. Env `HH_API_KEY`. Required. */
  apiKey?: string;
  /** Base URL of HoneyHive's API. Env `HH_API_URL`. Default `https://api.honeyhive.ai`. */
  serverUrl?: string;
  /**
   * Which of HoneyHive's ingestion APIs to send through: `legacy` (`POST /session/start`,
   * `POST /session/{id}/traces`) or `v1` (`POST /v1/sessions`, `POST /v1/sessions/{id}/events/batch`;
   * events go without their per-event project, which the API key decides there). Env `HH_API_VERSION`.
   * Default `legacy`.
   */
  apiVersion?: ApiVersion;
  /**
   * The HTTP(S) proxy to send through, as `http://[user:password@]host:port` (or `https://`); `false` to
   * connect directly whatever the environment says. Default: from `HTTPS_PROXY`/`https_proxy` (https
   * server) or `HTTP_PROXY`/`http_proxy` (http server), unless `NO_PROXY`/`no_proxy` lists the server or it
   * is this machine. An https server is reached through a CONNECT tunnel, so the proxy never sees the key.
   */
  proxyUrl?: string | false;
  /**
   * Project name, sent on the legacy routes only (every event and session start there). HoneyHive takes the
   * project from the API key; the v1 routes refuse a `project` field, so it is never sent there. Env
   * `HH_PROJECT`. Default: none (the API key's project).
   */
  project?: string;
  /** Environment label (`dev`, `staging`, `prod`, ...). Env `HH_SOURCE`. Default `dev`. */
  source?: string;
  /** Session for spans whose trace names none; not a UUID maps to one. Env `HH_SESSION_ID`. Default: one session per trace. */
  sessionId?: string;
  /** Name of every session started. Env `HH_SESSION_NAME`. Default: the trace's root span name, else the service name. */
  sessionName?: string;
  /** Timeout of one HTTP request, in milliseconds. Env `HH_TIMEOUT_MS`. Default 10000. */
  timeoutMillis?: number;
  /**
   * `gzip` compresses request bodies of 1 KiB or more (74-94% fewer bytes on the benchmark's spans, for
   * 10-22 µs of CPU per span, in zlib's thread pool). Off by default because HoneyHive does not document
   * whether it accepts compressed bodies; if the server answers 415, the exporter warns once, resends that
   * request uncompressed and stops compressing. Env `HH_COMPRESSION`. Default `none`.
   */
  compression?: Compression;
  /** Extra HTTP headers on every request. Env `HH_HEADERS` as `name=value,name2=value2`. Default none. */
  headers?: Record<string, string>;
  /** Start each session (`POST /session/start`, or `POST /v1/sessions`) before its first events. Env `HH_CREATE_SESSIONS`. Default true. */
  createSessions?: boolean;
  /**
   * The one deadline of an export, in milliseconds: waiting for a request slot, starting sessions, sending
   * events and every retry end within it; what is left then is spooled (with `spoolDir`) or reported failed.
   * Keep it below BatchSpanProcessor's `exportTimeoutMillis` (30 s). Env `HH_EXPORT_TIMEOUT_MS`. Default 20000.
   */
  exportTimeoutMillis?: number;
  /** Retries of a request after its first attempt (408, 429, 5xx, network errors, timeouts). Env `HH_MAX_RETRIES`. Default 5. */
  maxRetries?: number;
  /** The first wait before a retry, in milliseconds; each later wait doubles, up to 5 s, ±20% jitter. Env `HH_RETRY_DELAY_MS`. Default 1000. */
  retryDelayMillis?: number;
  /** Most events in one request. Env `HH_MAX_BATCH_EVENTS`. Default 100. */
  maxBatchEvents?: number;
  /** Most bytes in one request body; an event larger on its own has its largest values truncated. Env `HH_MAX_BATCH_BYTES`. Default 4194304 (4 MiB). */
  maxBatchBytes?: number;
  /** Most bytes of any one string value in an event (as JSON); longer ones are truncated with a marker. Env `HH_MAX_VALUE_BYTES`. Default 1048576 (1 MiB). */
  maxValueBytes?: number;
  /** Most HTTP requests in flight at once; more wait their turn. Env `HH_MAX_CONCURRENT_REQUESTS`. Default 8. */
  maxConcurrentRequests?: number;
  /** Most bytes of events held in memory by exports not yet finished; beyond it new batches are spooled or dropped (counted, logged). Env `HH_MAX_PENDING_BYTES`. Default 67108864 (64 MiB). */
  maxPendingBytes?: number;
  /** How long `forceFlush` and `shutdown` wait for exports in flight, in milliseconds. Env `HH_FLUSH_TIMEOUT_MS`. Default: exportTimeoutMillis + 1000. */
  flushTimeoutMillis?: number;
  /** A directory where batches that could not be delivered are kept and resent (created with mode 0700). Env `HH_SPOOL_DIR`. Default: none (no spool). */
  spoolDir?: string;
  /** Most bytes the spool keeps; the oldest files go first. Env `HH_SPOOL_MAX_BYTES`. Default 52428800 (50 MiB). */
  spoolMaxBytes?: number;
  /** Spooled files older than this are deleted unsent, in milliseconds. Env `HH_SPOOL_MAX_AGE_MS`. Default 172800000 (2 days). */
  spoolMaxAgeMillis?: number;
  /** How often the spool is resent, in milliseconds (also once at start). Env `HH_SPOOL_INTERVAL_MS`. Default 60000. */
  spoolIntervalMillis?: number;
  /** Allow plain `http://` to a host that is not loopback (the key would travel unencrypted). Env `HH_ALLOW_INSECURE_HTTP`. Default false. */
  allowInsecureHttp?: boolean;
  /**
   * Send prompt and completion content. When false, events keep their structure, timings, model names and
   * token counts, and lose inputs, outputs, text values and error messages. Env `HH_SEND_CONTENT`. Default true.
   */
  sendContent?: boolean;
  /**
   * Sees each event before it leaves the process: return it (changed or not) to send it, or null to drop it.
   * A mask that throws, or returns anything else, has the event's content removed with a marker. Default: none.
   */
  mask?: EventMask;
}

export interface ExporterConfig {
  apiKey: string;
  serverUrl: string;
  apiVersion: ApiVersion;
  /** Undefined when requests go directly. */
  proxy: ProxySetting | undefined;
  project: string | undefined;
  source: string;
  sessionId: string | undefined;
  sessionName: string | undefined;
  timeoutMillis: number;
  compression: Compression;
  headers: Record<string, string>;
  createSessions: boolean;
  exportTimeoutMillis: number;
  maxRetries: number;
  retryDelayMillis: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
  maxValueBytes: number;
  maxConcurrentRequests: number;
  maxPendingBytes: number;
  flushTimeoutMillis: number;
  spoolDir: string | undefined;
  spoolMaxBytes: number;
  spoolMaxAgeMillis: number;
  spoolIntervalMillis: number;
  allowInsecureHttp: boolean;
  sendContent: boolean;
  mask: EventMask | undefined;
}

export const DEFAULT_SERVER_URL = 'https://api.honeyhive.ai';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 20_000;
export const DEFAULT_MAX_BATCH_EVENTS = 100;
export const DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** The flush waits this much past the export deadline, time for a last spool write. */
export const FLUSH_GRACE_MILLIS = 1_000;
export const DEFAULT_SPOOL_MAX_BYTES = 50 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_AGE_MILLIS = 2 * 24 * 60 * 60 * 1000;
export const DEFAULT_SPOOL_INTERVAL_MILLIS = 60_000;
const MAX_TIMEOUT_MILLIS = 600_000;
/** Smallest request size allowed: an event's ids, names and times must fit with room to spare. */
const MIN_BATCH_BYTES = 4096;
const MAX_BYTES = 1024 * 1024 * 1024;

/** Headers the exporter sets itself; letting `headers` replace them would only break requests. */
const RESERVED_HEADERS = new Set(['authorization', 'content-type', 'content-length', 'host', 'user-agent']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class HoneyHiveConfigError extends Error {
  override readonly name = 'HoneyHiveConfigError';
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Where a value came from, for error messages. */
interface Origin {
  option: string;
  envVar: string;
  fromEnv: boolean;
}

function fail(origin: Origin, expected: string, got?: JsonValue): never {
  const where = origin.fromEnv ? `environment variable ${origin.envVar}` : `option "${origin.option}"`;
  const shown = got === undefined ? '' : `; got ${JSON.stringify(got)}`;
  throw new HoneyHiveConfigError(`HoneyHive exporter: ${where} ${expected}${shown}`);
}

/** The option if given, else the environment variable if set and non-blank. */
function pick<T>(
  value: T | undefined,
  env: Environment,
  option: string,
  envVar: string,
): { value: T | string | undefined; origin: Origin } {
  if (value !== undefined) return { value, origin: { option, envVar, fromEnv: false } };
  const fromEnv = env[envVar];
  const present = fromEnv !== undefined && fromEnv.trim() !== '';
  return { value: present ? fromEnv.trim() : undefined, origin: { option, envVar, fromEnv: true } };
}

function optionalText(value: unknown, origin: Origin): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    fail(origin, 'must be a non-empty string', typeof value === 'string' ? value : String(value));
  return value;
}

function resolveApiKey(given: string | undefined, env: Environment): string {
  const { value, origin } = pick(given, env, 'apiKey', 'HH_API_KEY');
  if (value === undefined) {
    throw new HoneyHiveConfigError(
      'HoneyHive exporter: no API key. Pass { apiKey } to HoneyHiveSpanExporter or set HH_API_KEY ' +
        '(for local work without an account, run `npx honeyhive-otel-dev` and use any key).',
    );
  }
  // The value is a secret: describe what is wrong with it, never show it.
  if (typeof value !== 'string' || value.trim() === '') fail(origin, 'must be a non-empty string');
  if (/[\s\p{Cc}]/u.test(value)) fail(origin, 'must not contain spaces, line breaks or control characters');
  return value;
}

function resolveServerUrl(given: string | undefined, env: Environment, allowInsecureHttp: boolean): string {
  const { value, origin } = pick(given, env, 'serverUrl', 'HH_API_URL');
  if (value === undefined) return DEFAULT_SERVER_URL;
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
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    fail(
      origin,
      `uses plain http:// to ${url.hostname}, which is not this machine, so the API key would cross the network unencrypted. ` +
        'Use https://, or set allowInsecureHttp: true (HH_ALLOW_INSECURE_HTTP=true) for a network you trust',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** One of a few names; an environment variable's value may be in any case. */
function resolveChoice<T extends string>(
  given: T | undefined,
  env: Environment,
  option: string,
  envVar: string,
  choices: readonly T[],
  fallback: T,
): T {
  const { value, origin } = pick(given, env, option, envVar);
  if (value === undefined) return fallback;
  const choice = origin.fromEnv && typeof value === 'string' ? value.toLowerCase() : value;
  if (!(choices as readonly unknown[]).includes(choice)) {
    fail(origin, `must be ${choices.map((name) => JSON.stringify(name)).join(' or ')}`, String(value));
  }
  return choice as T;
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

function resolveProxy(
  given: string | false | undefined,
  env: Environment,
  serverUrl: string,
): ProxySetting | undefined {
  if (given === false) return undefined;
  if (given !== undefined) {
    return { url: parseProxyUrl(given, { option: 'proxyUrl', envVar: 'proxyUrl', fromEnv: false }), from: 'proxyUrl' };
  }
  const found = proxyFromEnvironment(new URL(serverUrl), env);
  if (found === undefined) return undefined;
  const origin = { option: 'proxyUrl', envVar: found.envVar, fromEnv: true };
  return { url: parseProxyUrl(found.value, origin), from: found.envVar };
}

interface IntegerRange {
  min: number;
  max: number;
  /** What the number counts, for messages: `milliseconds`, `bytes`, ... */
  unit: string;
}

function resolveInteger(
  given: number | undefined,
  env: Environment,
  option: string,
  envVar: string,
  range: IntegerRange,
  fallback: number,
): number {
  const { value, origin } = pick(given, env, option, envVar);
  if (value === undefined) return fallback;
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

const MILLISECONDS: IntegerRange = { min: 1, max: MAX_TIMEOUT_MILLIS, unit: 'milliseconds' };

function resolveBoolean(
  given: boolean | undefined,
  env: Environment,
  option: string,
  envVar: string,
  fallback: boolean,
): boolean {
  const { value, origin } = pick(given, env, option, envVar);
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (origin.fromEnv && (text === 'true' || text === '1')) return true;
  if (origin.fromEnv && (text === 'false' || text === '0')) return false;
  return fail(origin, origin.fromEnv ? 'must be true, false, 1 or 0' : 'must be a boolean', String(value));
}

function parseHeaderList(text: string, origin: Origin): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) fail(origin, 'must be a comma-separated list of name=value pairs');
    headers[decodeURIComponent(pair.slice(0, equals).trim())] = decodeURIComponent(pair.slice(equals + 1).trim());
  }
  return headers;
}

function resolveHeaders(given: Record<string, string> | undefined, env: Environment): Record<string, string> {
  const { value, origin } = pick(given, env, 'headers', 'HH_HEADERS');
  if (value === undefined) return {};
  const headers = typeof value === 'string' ? parseHeaderList(value, origin) : value;
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

/** Merges options, environment and defaults into a validated configuration, or throws {@link HoneyHiveConfigError}. */
export function resolveConfig(options: HoneyHiveExporterOptions = {}, env: Environment = process.env): ExporterConfig {
  if (typeof options !== 'object' || options === null) {
    throw new HoneyHiveConfigError('HoneyHive exporter: options must be an object such as { project: "my-app" }');
  }
  const text = (value: string | undefined, option: string, envVar: string): string | undefined => {
    const picked = pick(value, env, option, envVar);
    return optionalText(picked.value, picked.origin);
  };
  const integer = (
    option: keyof HoneyHiveExporterOptions,
    envVar: string,
    range: IntegerRange,
    fallback: number,
  ): number => resolveInteger(options[option] as number | undefined, env, option, envVar, range, fallback);
  const bytes = (min: number): IntegerRange => ({ min, max: MAX_BYTES, unit: 'bytes' });
  const allowInsecureHttp = resolveBoolean(
    options.allowInsecureHttp,
    env,
    'allowInsecureHttp',
    'HH_ALLOW_INSECURE_HTTP',
    false,
  );
  const exportTimeoutMillis = integer(
    'exportTimeoutMillis',
    'HH_EXPORT_TIMEOUT_MS',
    MILLISECONDS,
    DEFAULT_EXPORT_TIMEOUT_MILLIS,
  );
  const spoolDir = text(options.spoolDir, 'spoolDir', 'HH_SPOOL_DIR');
  const serverUrl = resolveServerUrl(options.serverUrl, env, allowInsecureHttp);
  return {
    apiKey: resolveApiKey(options.apiKey, env),
    serverUrl,
    apiVersion: resolveChoice(options.apiVersion, env, 'apiVersion', 'HH_API_VERSION', API_VERSIONS, 'legacy'),
    proxy: resolveProxy(options.proxyUrl, env, serverUrl),
    project: text(options.project, 'project', 'HH_PROJECT'),
    source: text(options.source, 'source', 'HH_SOURCE') ?? DEFAULT_SOURCE,
    sessionId: text(options.sessionId, 'sessionId', 'HH_SESSION_ID'),
    sessionName: text(options.sessionName, 'sessionName', 'HH_SESSION_NAME'),
    timeoutMillis: integer('timeoutMillis', 'HH_TIMEOUT_MS', MILLISECONDS, DEFAULT_TIMEOUT_MILLIS),
    compression: resolveChoice(options.compression, env, 'compression', 'HH_COMPRESSION', COMPRESSIONS, 'none'),
    headers: resolveHeaders(options.headers, env),
    createSessions: resolveBoolean(options.createSessions, env, 'createSessions', 'HH_CREATE_SESSIONS', true),
    exportTimeoutMillis,
    maxRetries: integer('maxRetries', 'HH_MAX_RETRIES', { min: 0, max: 100, unit: 'retries' }, DEFAULT_MAX_RETRIES),
    retryDelayMillis: integer('retryDelayMillis', 'HH_RETRY_DELAY_MS', MILLISECONDS, DEFAULT_INITIAL_BACKOFF_MILLIS),
    maxBatchEvents: integer(
      'maxBatchEvents',
      'HH_MAX_BATCH_EVENTS',
      { min: 1, max: 100_000, unit: 'events' },
      DEFAULT_MAX_BATCH_EVENTS,
    ),
    maxBatchBytes: integer('maxBatchBytes', 'HH_MAX_BATCH_BYTES', bytes(MIN_BATCH_BYTES), DEFAULT_MAX_BATCH_BYTES),
    maxValueBytes: integer('maxValueBytes', 'HH_MAX_VALUE_BYTES', bytes(64), DEFAULT_MAX_VALUE_BYTES),
    maxConcurrentRequests: integer(
      'maxConcurrentRequests',
      'HH_MAX_CONCURRENT_REQUESTS',
      { min: 1, max: 1024, unit: 'requests' },
      DEFAULT_MAX_CONCURRENT_REQUESTS,
    ),
    maxPendingBytes: integer(
      'maxPendingBytes',
      'HH_MAX_PENDING_BYTES',
      bytes(MIN_BATCH_BYTES),
      DEFAULT_MAX_PENDING_BYTES,
    ),
    flushTimeoutMillis: integer(
      'flushTimeoutMillis',
      'HH_FLUSH_TIMEOUT_MS',
      MILLISECONDS,
      exportTimeoutMillis + FLUSH_GRACE_MILLIS,
    ),
    spoolDir: spoolDir === undefined ? undefined : path.resolve(spoolDir),
    spoolMaxBytes: integer('spoolMaxBytes', 'HH_SPOOL_MAX_BYTES', bytes(MIN_BATCH_BYTES), DEFAULT_SPOOL_MAX_BYTES),
    spoolMaxAgeMillis: integer(
      'spoolMaxAgeMillis',
      'HH_SPOOL_MAX_AGE_MS',
      { min: 1, max: 365 * 24 * 3_600_000, unit: 'milliseconds' },
      DEFAULT_SPOOL_MAX_AGE_MILLIS,
    ),
    spoolIntervalMillis: integer(
      'spoolIntervalMillis',
      'HH_SPOOL_INTERVAL_MS',
      { min: 10, max: 24 * 3_600_000, unit: 'milliseconds' },
      DEFAULT_SPOOL_INTERVAL_MILLIS,
    ),
    allowInsecureHttp,
    sendContent: resolveBoolean(options.sendContent, env, 'sendContent', 'HH_SEND_CONTENT', true),
    mask: resolveMask(options.mask),
  };
}

function resolveMask(mask: unknown): EventMask | undefined {
  if (mask === undefined) return undefined;
  if (typeof mask !== 'function')
    throw new HoneyHiveConfigError('HoneyHive exporter: option "mask" must be a function (event) => event | null');
  return mask as EventMask;
}
