/**
 * Which proxy a request to HoneyHive goes through, as users behind corporate
 * proxies expect: `HTTPS_PROXY` / `https_proxy` for an https server,
 * `HTTP_PROXY` / `http_proxy` for an http one (lower case first), unless the
 * server is listed in `NO_PROXY` / `no_proxy` or is this machine. Pure
 * functions of the server URL and an environment object.
 */
import { BlockList, isIP } from 'node:net';

type Environment = Readonly<Record<string, string | undefined>>;

/** A proxy URL from the environment, and the variable it came from (for messages). */
export interface EnvironmentProxy {
  value: string;
  envVar: string;
}

const PROXY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'https:': ['https_proxy', 'HTTPS_PROXY'],
  'http:': ['http_proxy', 'HTTP_PROXY'],
};
const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY'];
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/** Hosts whose traffic never leaves the machine: plain http to them cannot expose the key, and no proxy could reach them. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function firstSet(env: Environment, names: readonly string[]): EnvironmentProxy | undefined {
  for (const envVar of names) {
    const value = env[envVar]?.trim();
    if (value) return { value, envVar };
  }
  return undefined;
}

/** The proxy the environment names for `serverUrl`, or undefined to connect directly. */
export function proxyFromEnvironment(serverUrl: URL, env: Environment): EnvironmentProxy | undefined {
  // A proxy on another host cannot reach this machine's servers (Go's rule too).
  if (isLoopbackHost(serverUrl.hostname)) return undefined;
  let names = PROXY_VARIABLES[serverUrl.protocol] ?? [];
  // Under CGI, HTTP_PROXY is set from the request's Proxy header ("httpoxy"): only the lower-case name is trusted.
  if (env['REQUEST_METHOD'] !== undefined) names = names.filter((name) => name !== 'HTTP_PROXY');
  const proxy = firstSet(env, names);
  if (proxy === undefined) return undefined;
  const noProxy = firstSet(env, NO_PROXY_VARIABLES);
  return noProxy !== undefined && isExcludedByNoProxy(serverUrl, noProxy.value) ? undefined : proxy;
}

/**
 * True when a `NO_PROXY` list names the server: `*`; a host name, which also covers its subdomains
 * (`example.com`, `.example.com` and `*.example.com` all cover `api.example.com`); an IP address or a
 * CIDR range (`10.0.0.0/8`); any of them with `:port` to match that port only. Entries are separated
 * by commas or spaces, case does not matter.
 */
export function isExcludedByNoProxy(serverUrl: URL, noProxy: string): boolean {
  const host = serverUrl.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = Number(serverUrl.port) || DEFAULT_PORTS[serverUrl.protocol] || 0;
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => entry !== '' && entryMatches(entry, host, port));
}

function entryMatches(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true;
  const { pattern, entryPort } = splitPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  const slash = pattern.indexOf('/');
  if (slash > 0) return inRange(host, pattern.slice(0, slash), Number(pattern.slice(slash + 1)));
  const domain = pattern.replace(/^\*/, '').replace(/^\./, '');
  return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
}

/** `host:port`, `[v6]:port`, or no port (a bare IPv6 address has colons of its own). */
function splitPort(entry: string): { pattern: string; entryPort: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { pattern: bracketed[1]!, entryPort: portOf(bracketed[2]) };
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort) return { pattern: withPort[1]!, entryPort: portOf(withPort[2]) };
  return { pattern: entry, entryPort: undefined };
}

function portOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

function inRange(host: string, network: string, prefix: number): boolean {
  const family = isIP(network);
  if (family === 0 || isIP(host) !== family || !Number.isInteger(prefix)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix < 0 || prefix > (family === 4 ? 32 : 128)) return false;
  const range = new BlockList();
  range.addSubnet(network, prefix, type);
  return range.check(host, type);
}

/**
 * The proxy URL with everything before its last `@` (user name and password) replaced, for messages.
 * Text rather than URL parsing, so a malformed value (a raw `/` or `@` in a password) is hidden too.
 */
export function redactProxyUrl(proxyUrl: string): string {
  return proxyUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1[REDACTED]@');
}

/** The proxy requests go through, as configured. */
export interface ProxySetting {
  /** The proxy's URL, credentials included: it is kept out of messages, logs and the exporter's fields. */
  url: string;
  /** Where it was set: the `proxyUrl` option or the environment variable's name. */
  from: string;
}

/** Names the proxy for messages, without its credentials. */
export function describeProxy(proxy: ProxySetting): string {
  return `the proxy ${redactProxyUrl(proxy.url)} (from ${proxy.from})`;
}
