/**
 * What one HTTP request costs the app, apart from what it carries: our
 * transport (axios, as the exporter builds it: issue #2's choice, with its
 * layers, its headers and the exporter's cancel signal) against a bare
 * `node:http` request on a keep-alive agent, each posting the same small JSON
 * body to the OTLP sink in a child process, one request at a time. The
 * end-to-end figures on plain spans are mostly requests; this says how much of
 * each request is the client library.
 */
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import { CLIENT_HEADERS, createTransportStack, PACKAGE_NAME, PACKAGE_VERSION } from './subject';
import { startReceiver, stopReceiver } from './end-to-end';
import { median, pairedRatio, runInterleaved } from './measure';
import type { RequestCostResult } from './results';
import type { BenchSettings } from './settings';

const BODY = JSON.stringify({ resourceSpans: [] });
const PATH = '/v1/traces';
const WARM_UP_REQUESTS = 200;

function nodeHttpPost(baseUrl: URL, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: baseUrl.hostname,
        port: baseUrl.port,
        path: PATH,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(BODY),
          Authorization: 'Bearer bench-api-key',
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`sink answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(BODY);
  });
}

/** App CPU per request, in microseconds, over `count` requests sent one after another. */
async function cpuMicrosPerRequest(send: () => Promise<void>, count: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await send();
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / count;
}

export async function benchmarkRequestCost(settings: BenchSettings): Promise<RequestCostResult> {
  const receiver = await startReceiver('otlp');
  const { transport } = createTransportStack({
    serverUrl: receiver.url,
    proxyUrl: undefined,
    // What the exporter sends on every request (src/delivery/assembly.ts).
    headers: {
      ...CLIENT_HEADERS,
      Authorization: 'Bearer bench-api-key',
      'User-Agent': `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`,
    },
    maxConcurrentRequests: 8,
    retry: { maxRetries: 0, retryDelayMillis: 1_000 },
    compression: 'none',
    onCompressionRefused: () => undefined,
    onAttempt: () => undefined,
    onRetry: () => undefined,
  });
  // Every request of the exporter carries its cancel signal, one for its whole life.
  const cancel = new AbortController();
  setMaxListeners(0, cancel.signal);
  const agent = new http.Agent({ keepAlive: true });
  const viaAxios = async (): Promise<void> => {
    const result = await transport.post({ path: PATH, body: BODY, timeoutMillis: 10_000, signal: cancel.signal });
    if (!result.ok) throw new Error(`our transport failed: ${result.error.kind} ${result.error.status ?? ''}`);
  };
  const viaNodeHttp = (): Promise<void> => nodeHttpPost(new URL(receiver.url), agent);
  try {
    const { requests, repetitions } = settings.requestCost;
    for (const send of [viaAxios, viaNodeHttp]) await cpuMicrosPerRequest(send, Math.min(requests, WARM_UP_REQUESTS));
    const outcomes = await runInterleaved(
      [
        { name: 'axios', run: () => cpuMicrosPerRequest(viaAxios, requests) },
        { name: 'nodeHttp', run: () => cpuMicrosPerRequest(viaNodeHttp, requests) },
      ],
      repetitions,
    );
    return {
      requestsPerRepetition: requests,
      cpuMicrosPerRequest: { axios: median(outcomes.axios!), nodeHttp: median(outcomes.nodeHttp!) },
      ratio: pairedRatio(outcomes.axios!, outcomes.nodeHttp!),
      repetitionsCpuMicros: { axios: outcomes.axios!, nodeHttp: outcomes.nodeHttp! },
    };
  } finally {
    transport.shutdown();
    agent.destroy();
    await stopReceiver(receiver);
  }
}
