/**
 * The kept-alive sockets a transport sends through: direct, or through a
 * proxy. To an https server the proxy gets a CONNECT tunnel (https-proxy-agent,
 * whose sockets are pooled like any agent's), so it sees the host name and
 * never the request, its headers or the API key. To a plain http server
 * (loopback, or allowInsecureHttp) axios's forward-proxy mode sends the
 * request to the proxy, which sees it as every hop does on plain http. Axios
 * is always told which proxy to use (`false` for none), so it never reads
 * proxy variables itself: the configuration alone decides.
 */
import http from 'node:http';
import https from 'node:https';
import type { AxiosProxyConfig } from 'axios';
import { HttpsProxyAgent } from 'https-proxy-agent';

/**
 * How long a kept-alive socket is idle before TCP's first keep-alive probe. axios sets this very delay on
 * each request's socket; a pooled socket left with the same one is not set again (Node skips a setting that
 * does not change), which saves two system calls a request.
 */
export const KEEP_ALIVE_PROBE_DELAY_MILLIS = 60_000;

const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: KEEP_ALIVE_PROBE_DELAY_MILLIS } as const;

export interface ConnectionAgents {
  httpAgent: http.Agent;
  httpsAgent: http.Agent;
  /** Axios's own proxy setting: forward mode for an http server behind a proxy, else false. */
  proxy: AxiosProxyConfig | false;
}

/** The proxy's credentials, decoded, or undefined when its URL has none. */
function proxyCredentials(proxy: URL): { username: string; password: string } | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  return { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) };
}

/**
 * The tunnelling agent for an https server. It is given the proxy's URL without credentials, which go
 * in the CONNECT request's Proxy-Authorization header only: the agent's debug output names its URL.
 */
export function createTunnelAgent(proxyUrl: string): HttpsProxyAgent<string> {
  const proxy = new URL(proxyUrl);
  const credentials = proxyCredentials(proxy);
  proxy.username = '';
  proxy.password = '';
  const headers: Record<string, string> = {};
  if (credentials) {
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
    headers['Proxy-Authorization'] = `Basic ${basic}`;
  }
  return new HttpsProxyAgent(proxy.href, { ...KEEP_ALIVE, headers });
}

/** The agents and axios proxy setting for requests to `serverUrl`, through `proxyUrl` when given. */
export function createConnectionAgents(serverUrl: string, proxyUrl: string | undefined): ConnectionAgents {
  const httpAgent = new http.Agent(KEEP_ALIVE);
  if (proxyUrl === undefined) return { httpAgent, httpsAgent: new https.Agent(KEEP_ALIVE), proxy: false };
  if (new URL(serverUrl).protocol === 'https:') {
    return { httpAgent, httpsAgent: createTunnelAgent(proxyUrl), proxy: false };
  }
  const proxy = new URL(proxyUrl);
  const credentials = proxyCredentials(proxy);
  return {
    httpAgent,
    // Used to reach an https:// proxy; the request inside is still the plain http one.
    httpsAgent: new https.Agent(KEEP_ALIVE),
    proxy: {
      protocol: proxy.protocol.slice(0, -1),
      host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
      ...(credentials ? { auth: credentials } : {}),
    },
  };
}
