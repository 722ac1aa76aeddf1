/**
 * The transport the exporter sends through: axios at the bottom, then the
 * connection breaker, a slot per request in flight, the counters, retries,
 * and (when asked for) gzip on top, so a retry resends the bytes already compressed. Each layer is a wrapper around the same {@link HttpTransport}
 * interface.
 */
import { createCompressingTransport, type Compression } from './compressing-transport';
import { ConnectionBreaker, createGatedTransport } from './connection-breaker';
import { createAxiosTransport, type HttpFailure, type HttpResult, type HttpTransport } from './http-transport';
import { createLimitedTransport, RequestSlots } from './limited-transport';
import { createObservedTransport } from './observed-transport';
import { createRetryingTransport } from './retrying-transport';
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
  slots: RequestSlots;
}

export function createTransportStack(options: TransportStackOptions): TransportStack {
  const slots = new RequestSlots(options.maxConcurrentRequests);
  const axios = createAxiosTransport({
    serverUrl: options.serverUrl,
    headers: options.headers,
    ...(options.proxyUrl === undefined ? {} : { proxyUrl: options.proxyUrl }),
  });
  const breaker = new ConnectionBreaker(options.retry);
  const gated = createGatedTransport(axios, breaker);
  const observed = createObservedTransport(createLimitedTransport(gated, slots), options.onAttempt);
  const retrying = createRetryingTransport(observed, { policy: options.retry, onRetry: options.onRetry, breaker });
  const transport =
    options.compression === 'gzip'
      ? createCompressingTransport(retrying, { onRefused: options.onCompressionRefused })
      : retrying;
  return { transport, slots };
}
