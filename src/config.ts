/**
 * The exporter's configuration: each option from code, else its `HH_`
 * environment variable, else its default. A bad value fails at construction
 * with a message naming the option (or variable) and what it expects; the API
 * key itself is never repeated in a message.
 */
import type { JsonValue } from './honeyhive-types';
import { DEFAULT_SOURCE } from './transform';

/** Options of {@link HoneyHiveSpanExporter}. Each falls back to an environment variable, then a default. */
export interface HoneyHiveExporterOptions {
  /** HoneyHive API key. Env `HH_API_KEY`. Required. */
  apiKey?: string;
  /** Base URL of HoneyHive's API. Env `HH_API_URL`. Default `https://api.honeyhive.ai`. */
  serverUrl?: string;
  /** Project name sent on every event and session. Env `HH_PROJECT`. Default: none (the API key's project). */
  project?: string;
  /** Environment label (`dev`, `staging`, `prod`, ...). Env `HH_SOURCE`. Default `dev`. */
  source?: string;
  /** Session for spans whose trace names none; not a UUID maps to one. Env `HH_SESSION_ID`. Default: one session per trace. */
  sessionId?: string;
  /** Name of every session started. Env `HH_SESSION_NAME`. Default: the trace's root span name, else the service name. */
  sessionName?: string;
  /** Timeout of one HTTP request, in milliseconds. Env `HH_TIMEOUT_MS`. Default 10000. */
  timeoutMillis?: number;
  /** Extra HTTP headers on every request. Env `HH_HEADERS` as `name=value,name2=value2`. Default none. */
  headers?: Record<string, string>;
  /** Start each session with `POST /session/start` before its first events. Env `HH_CREATE_SESSIONS`. Default true. */
  createSessions?: boolean;
}

export interface ExporterConfig {
  apiKey: string;
  serverUrl: string;
  project: string | undefined;
  source: string;
  sessionId: string | undefined;
  sessionName: string | undefined;
  timeoutMillis: number;
  headers: Record<string, string>;
  createSessions: boolean;
}

export const DEFAULT_SERVER_URL = 'https://api.honeyhive.ai';
export const DEFAULT_TIMEOUT_MILLIS = 10_000;
const MAX_TIMEOUT_MILLIS = 600_000;

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
function pick<T>(value: T | undefined, env: Environment, option: string, envVar: string): { value: T | string | undefined; origin: Origin } {
  if (value !== undefined) return { value, origin: { option, envVar, fromEnv: false } };
  const fromEnv = env[envVar];
  const present = fromEnv !== undefined && fromEnv.trim() !== '';
  return { value: present ? fromEnv.trim() : undefined, origin: { option, envVar, fromEnv: true } };
}

function optionalText(value: unknown, origin: Origin): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(origin, 'must be a non-empty string', typeof value === 'string' ? value : String(value));
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
  if (/[\s\u0000-\u001f\u007f]/.test(value)) fail(origin, 'must not contain spaces, line breaks or control characters');
  return value;
}

function resolveServerUrl(given: string | undefined, env: Environment): string {
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
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail(origin, expected, value);
  }
  return url.href.replace(/\/+$/, '');
}

function resolveTimeout(given: number | undefined, env: Environment): number {
  const { value, origin } = pick(given, env, 'timeoutMillis', 'HH_TIMEOUT_MS');
  if (value === undefined) return DEFAULT_TIMEOUT_MILLIS;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > MAX_TIMEOUT_MILLIS) {
    fail(origin, `must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MILLIS}`, typeof value === 'number' || typeof value === 'string' ? value : String(value));
  }
  return number;
}

function resolveBoolean(given: boolean | undefined, env: Environment, option: string, envVar: string, fallback: boolean): boolean {
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
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) fail(origin, 'must be an object of header names to string values');
  const result: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) fail(origin, 'must have valid HTTP header names', name);
    if (RESERVED_HEADERS.has(name.toLowerCase())) fail(origin, `must not set ${name}: the exporter sets it (use apiKey for Authorization)`);
    if (typeof headerValue !== 'string' || /[\r\n\u0000]/.test(headerValue)) {
      // Values may be secrets (tokens for a proxy): name the header, not its value.
      fail(origin, `must have a string value without line breaks for header ${name}`);
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
  return {
    apiKey: resolveApiKey(options.apiKey, env),
    serverUrl: resolveServerUrl(options.serverUrl, env),
    project: text(options.project, 'project', 'HH_PROJECT'),
    source: text(options.source, 'source', 'HH_SOURCE') ?? DEFAULT_SOURCE,
    sessionId: text(options.sessionId, 'sessionId', 'HH_SESSION_ID'),
    sessionName: text(options.sessionName, 'sessionName', 'HH_SESSION_NAME'),
    timeoutMillis: resolveTimeout(options.timeoutMillis, env),
    headers: resolveHeaders(options.headers, env),
    createSessions: resolveBoolean(options.createSessions, env, 'createSessions', 'HH_CREATE_SESSIONS', true),
  };
}
