/**
 * The transport the exporter sends through: axios at the bottom, then the
 * connection breaker, a slot per request in flight, retries (which report each
 * attempt), and (when asked for) gzip on top, so a retry resends the bytes
 * already compressed.
 */
import { Semaphore } from '../semaphore';
import { compressingLayer, type Compression } from './compressing-transport';
import { ConnectionBreaker, gatedLayer } from './connection-breaker';
import {
  createAxiosTransport,
  withLayers,
  type HttpFailure,
  type HttpResult,
  type HttpTransport,
} from './http-transport';
import { limitedLayer } from './limited-transport';
import { retryingLayer } from './retrying-transport';
import type { RetryPolicy } from './retry-policy';

export interface TransportStackOptions {
  serverUrl: string;
  headers: Record<string, string>;
  /** The proxy to send through, credentials included; absent to connect directly. */
  proxyUrl: string | undefined;
  maxConcurrentRequests: number;
  retry: RetryPolicy;
  compression: Compression;
  /** The server refused a gzip body (415): compression is off from now on. */
  onCompressionRefused: () => void;
  /** Each attempt's result. */
  onAttempt: (result: HttpResult) => void;
  onRetry: (failure: HttpFailure, retry: number, delayMillis: number) => void;
}

export interface TransportStack {
  transport: HttpTransport;
  /** One per request on the wire (`inUse` is the requests in flight). */
  slots: Semaphore;
}

export function createTransportStack(options: TransportStackOptions): TransportStack {
  const slots = new Semaphore(options.maxConcurrentRequests);
  const axios = createAxiosTransport({
    serverUrl: options.serverUrl,
    headers: options.headers,
    ...(options.proxyUrl === undefined ? {} : { proxyUrl: options.proxyUrl }),
  });
  const transport = withLayers(axios, [
    gatedLayer(new ConnectionBreaker(options.retry)),
    limitedLayer(slots),
    retryingLayer({ policy: options.retry, onAttempt: options.onAttempt, onRetry: options.onRetry }),
    ...(options.compression === 'gzip' ? [compressingLayer({ onRefused: options.onCompressionRefused })] : []),
  ]);
  return { transport, slots };
}
