/**
 * The HTTP transport: one JSON POST, one plain result. The rest of the
 * exporter never sees an axios error (they carry request headers, and so the
 * API key); it sees {@link HttpResult}. Layers (retries, concurrency slots,
 * the connection breaker, gzip) wrap it through {@link withLayers}, each
 * stating only what it does to a request.
 */
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { suppressTracing } from '../otel-sdk';
import axios, { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import type { Result } from '../result';
import { createConnectionAgents } from './connection-agents';

export type HttpResult = Result<HttpSuccess, HttpFailure>;

/** A 2xx answer. Its body is left out: nothing depends on it, and waiting for it would let the server hold the export. */
export interface HttpSuccess {
  status: number;
}

/**
 * Why a request did not succeed:
 * - `http`: the server answered with a non-2xx status;
 * - `network`: no answer (refused, reset, DNS, unreachable);
 * - `timeout`: no answer within the request's time;
 * - `deadline`: the export's deadline left no time to send (or resend) it;
 * - `aborted`: the exporter is shutting down and cancelled it.
 */
export type HttpFailureKind = 'http' | 'network' | 'timeout' | 'deadline' | 'aborted';

export interface HttpFailure {
  kind: HttpFailureKind;
  /** The HTTP status, for `http` failures. */
  status?: number;
  /**
   * The system error code for `network` and `timeout` failures (ECONNREFUSED, ECONNRESET, ...); on a
   * `deadline` failure, the connection error that kept the request from being sent before its deadline.
   */
  code?: string;
  /** The response body, for `http` failures. */
  body?: unknown;
  /** `Retry-After`, as given, for `http` failures. */
  retryAfter?: string;
  /**
   * How long until the server may be tried again, when a layer knows it better than a backoff would: the
   * connection breaker's wait, shared by every request, after a connection failure.
   */
  retryInMillis?: number;
  /** How many times the request was sent, when the retrying layer sent it more than once. */
  attempts?: number;
}

export interface HttpRequest {
  /** `POST` unless given: HoneyHive's update routes take `PUT`. */
  method?: 'POST' | 'PUT';
  /** Path under the server URL, already encoded. */
  path: string;
  /** The JSON body, serialised; bytes when a layer encoded it (and said how in `contentEncoding`). */
  body: string | Buffer;
  /** The body's `Content-Encoding`, when it is not sent as it is. */
  contentEncoding?: 'gzip';
  /** The most one attempt may take, in milliseconds. */
  timeoutMillis: number;
  /** Epoch milliseconds (Date.now clock) after which nothing more may be sent; attempts are shortened to end by then. */
  deadline?: number;
  /** Cancels the request (and any wait for it). */
  signal?: AbortSignal;
  /**
   * True for a failure that is a partial success the caller resends in part itself (a 500 from
   * `POST /v1/events/batch` listing the events it did create): the retrying layer hands it back as it is.
   */
  answeredInPart?: (failure: HttpFailure) => boolean;
}

export interface HttpTransport {
  /** Sends a JSON body (POST, or the request's method). Never rejects. */
  post(request: HttpRequest): Promise<HttpResult>;
  /** Releases kept-alive sockets. */
  shutdown(): void;
}

/** What one layer does to a request: anything before and after `send`, which passes it on to the layer below. */
export type TransportLayer = (request: HttpRequest, send: HttpTransport['post']) => Promise<HttpResult>;

/** `bottom` wrapped in `layers`, the first innermost. Shutting down shuts down `bottom`. */
export function withLayers(bottom: HttpTransport, layers: readonly TransportLayer[]): HttpTransport {
  const post = layers.reduce<HttpTransport['post']>(
    (send, layer) => (request) => layer(request, send),
    (request) => bottom.post(request),
  );
  return { post, shutdown: () => bottom.shutdown() };
}

export interface AxiosTransportOptions {
  serverUrl: string;
  /** Every request's headers, Authorization included. */
  headers: Record<string, string>;
  /** The proxy to send through, credentials included; absent to connect directly. */
  proxyUrl?: string;
}

/**
 * A success's body is drained (up to this much, then the connection is closed) and waited for briefly: a
 * 2xx is a success however large or slow its body. Of a failure, enough is read to quote HoneyHive's reason.
 */
const MAX_SUCCESS_BODY_BYTES = 64 * 1024;
/** How long a success waits for its body to end (so its connection is reused) before it returns regardless. */
const SUCCESS_BODY_GRACE_MILLIS = 100;
const MAX_FAILURE_BODY_BYTES = 64 * 1024;

/** The time an attempt may take: its own timeout, shortened to end by the deadline; 0 when no time is left. */
export function attemptTimeout(request: Pick<HttpRequest, 'timeoutMillis' | 'deadline'>, now = Date.now()): number {
  if (request.deadline === undefined) return request.timeoutMillis;
  return Math.max(0, Math.min(request.timeoutMillis, request.deadline - now));
}

/**
 * Where each request runs: in no trace of the app's (a request may start from a timer, or inside whatever
 * span was active when an export began) and with tracing suppressed, so no instrumentation traces it.
 */
const UNTRACED = suppressTracing(ROOT_CONTEXT);

/** What axios's defaults sent, kept so the wire does not change. */
const ACCEPT = 'application/json, text/plain, */*';

export function createAxiosTransport(options: AxiosTransportOptions): HttpTransport {
  const { httpAgent, httpsAgent, proxy } = createConnectionAgents(options.serverUrl, options.proxyUrl);
  // axios's own HTTP adapter, called directly: the request pipeline around it (merging each request's
  // config into the instance defaults, validating options, flattening headers, transforming data, the
  // interceptor chain and its promise hops) does nothing for these requests, and costs each one CPU. The
  // adapter reads only the settings below.
  const sendRequest = axios.getAdapter('http');
  // Every request's headers, checked and normalised by axios once. An AxiosHeaders holds each header as an
  // own property (axios copies them so itself), so a request's own set is a copy of these, made without
  // checking them again.
  const headers = { ...new AxiosHeaders({ Accept: ACCEPT, ...options.headers, 'Content-Type': 'application/json' }) };
  const gzipHeaders = { ...new AxiosHeaders({ ...headers, 'Content-Encoding': 'gzip' }) };
  const validateStatus = (): boolean => true;
  // Written out whole for each request: on Node 20, spreading shared settings into a new object is slow.
  const configFor = (request: HttpRequest, attempt: AttemptTimer): InternalAxiosRequestConfig => ({
    baseURL: options.serverUrl,
    url: request.path,
    // Every path is under the server URL, even one that looks absolute.
    allowAbsoluteUrls: false,
    method: request.method ?? 'POST',
    data: request.body,
    // A new set each time: the adapter adds the request's own (Content-Length) to it.
    headers: Object.assign(new AxiosHeaders(), request.contentEncoding === 'gzip' ? gzipHeaders : headers),
    transport: attemptTransport(attempt),
    httpAgent,
    httpsAgent,
    proxy,
    // Following a redirect could carry the key to another host; a redirect is a misconfigured URL.
    maxRedirects: 0,
    maxBodyLength: Infinity,
    validateStatus,
    // The body is read here, bounded in size and by the attempt's timer (axios's timeout covers connecting
    // and idle sockets only, so a body trickling in would otherwise hold the attempt for ever).
    responseType: 'stream',
  });

  return {
    async post(request: HttpRequest): Promise<HttpResult> {
      const timeout = attemptTimeout(request);
      if (request.signal?.aborted) return { ok: false, error: { kind: 'aborted' } };
      if (timeout <= 0) return { ok: false, error: { kind: 'deadline' } };
      const attempt = new AttemptTimer(timeout, request.signal);
      try {
        // No axios timeout: its timer outlives a refused connection and would keep the process alive; the
        // attempt's own timer (unref'd) covers connecting, headers and body alike.
        const response = await context.with(UNTRACED, sendRequest, undefined, configFor(request, attempt));
        const body = response.data as Readable;
        if (response.status >= 200 && response.status < 300) {
          // A success is known from its status; its body is not waited for (it may be large, or trickle in).
          await drainBody(body, MAX_SUCCESS_BODY_BYTES, attempt);
          return { ok: true, value: { status: response.status } };
        }
        const read = await readBody(body, MAX_FAILURE_BODY_BYTES, attempt);
        const retryAfter = response.headers['retry-after'];
        return {
          ok: false,
          error: {
            kind: 'http',
            status: response.status,
            body: read.complete ? parseBody(read.text) : read.text,
            ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          },
        };
      } catch (error) {
        if (request.signal?.aborted) return { ok: false, error: { kind: 'aborted' } };
        if (attempt.expired) return { ok: false, error: { kind: 'timeout', code: 'ETIMEDOUT' } };
        return { ok: false, error: networkFailure(error) };
      } finally {
        if (!attempt.handedOver) attempt.dispose();
      }
    },
    shutdown(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** What an attempt waits on, ended by destroying it: the request until its answer comes, then the answer's body. */
interface Destroyable {
  destroy(error?: Error): unknown;
}

/**
 * Node's own request, as axios would make it (it chooses the options and agent), made known to the attempt
 * so the attempt can end it: axios takes this as its `transport`.
 */
function attemptTransport(attempt: AttemptTimer): {
  request(options: http.RequestOptions, onResponse?: (response: IncomingMessage) => void): http.ClientRequest;
} {
  return {
    request(options: http.RequestOptions, onResponse?: (response: IncomingMessage) => void): http.ClientRequest {
      const request = (options.protocol === 'https:' ? https : http).request(options, onResponse);
      attempt.waitOn(request);
      return request;
    },
  };
}

/**
 * One attempt's end: when its time is up (whatever the server is doing: connecting, sending headers or a
 * body byte by byte) or when the request's own signal aborts, what it waits on is destroyed. It needs no
 * AbortController of its own: on Node 20 a new one and its first listener are costly.
 * The timer never keeps the process alive by itself.
 */
class AttemptTimer {
  private readonly timer: NodeJS.Timeout;
  private readonly parent: AbortSignal | undefined;
  private readonly onParentAbort = (): void => this.end();
  private ended = false;
  private waitingOn: Destroyable | undefined;
  expired = false;
  /** True once a background read owns the timer (and disposes of it). */
  handedOver = false;

  constructor(millis: number, parent: AbortSignal | undefined) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.end();
    }, millis).unref();
    this.parent = parent;
    parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** The attempt now waits on `target`, which is destroyed at once if the attempt has already ended. */
  waitOn(target: Destroyable): void {
    if (this.ended) target.destroy(new Error(ATTEMPT_ENDED));
    else this.waitingOn = target;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.waitingOn = undefined;
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  private end(): void {
    this.ended = true;
    this.waitingOn?.destroy(new Error(ATTEMPT_ENDED));
  }
}

const ATTEMPT_ENDED = 'the attempt ended: its time was up or it was cancelled';

/**
 * Reads and discards a success's body, up to `maxBytes` and the attempt's time, then frees the timer.
 * Resolves when the body has been read (its connection is then free for the next request), or, while it is
 * still arriving, after {@link SUCCESS_BODY_GRACE_MILLIS} at most, the read going on in the background.
 */
function drainBody(stream: Readable, maxBytes: number, attempt: AttemptTimer): Promise<void> {
  attempt.handedOver = true;
  return new Promise((resolve) => {
    // A small answer comes whole with its headers: then reading it is all that is left, nothing to wait for.
    const grace = (stream as Partial<IncomingMessage>).complete
      ? undefined
      : setTimeout(resolve, SUCCESS_BODY_GRACE_MILLIS).unref();
    readStream(stream, maxBytes, attempt, undefined, () => {
      clearTimeout(grace);
      attempt.dispose();
      resolve();
    });
  });
}

/** Reads a response body up to `maxBytes`, or until the attempt ends; `complete` says whether it was read whole. */
function readBody(
  stream: Readable,
  maxBytes: number,
  attempt: AttemptTimer,
): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    readStream(
      stream,
      maxBytes,
      attempt,
      (chunk) => chunks.push(chunk),
      (complete) => resolve({ text: Buffer.concat(chunks).toString('utf8'), complete }),
    );
  });
}

/**
 * Reads `stream` until it ends, `maxBytes` have come (then it is destroyed), or the attempt ends (likewise),
 * handing each chunk, cut to `maxBytes` in all, to `onChunk`; calls `onEnd` once, saying whether it was read whole.
 */
function readStream(
  stream: Readable,
  maxBytes: number,
  attempt: AttemptTimer,
  onChunk: ((chunk: Buffer) => void) | undefined,
  onEnd: (complete: boolean) => void,
): void {
  let bytes = 0;
  let settled = false;
  const finish = (complete: boolean): void => {
    if (settled) return;
    settled = true;
    stream.off('data', onData);
    if (!complete) stream.destroy();
    onEnd(complete);
  };
  const onData = (chunk: Buffer): void => {
    const room = maxBytes - bytes;
    onChunk?.(chunk.length > room ? chunk.subarray(0, room) : chunk);
    bytes += chunk.length;
    if (bytes > maxBytes) finish(false);
  };
  // Kept after settling: a stream destroyed later may still emit an error, which must not go unheard.
  stream.on('error', () => finish(false));
  stream.on('close', () => finish(false));
  stream.on('end', () => finish(true));
  stream.on('data', onData);
  attempt.waitOn(stream);
  // The attempt may have ended its request after the answer came and before this read began: the stream,
  // destroyed with it, will say nothing more.
  if (stream.destroyed) finish(false);
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Keeps only the error's code: the axios error itself holds the request, headers and all. */
function networkFailure(error: unknown): HttpFailure {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return { kind: 'timeout', code };
  return { kind: 'network', ...(code !== undefined ? { code } : {}) };
}
