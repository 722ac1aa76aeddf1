/**
 * A local HoneyHive-compatible server for developing and testing the exporter:
 * it validates what HoneyHive would reject, warns about what HoneyHive would
 * accept but mishandle, keeps everything in memory for tests to read back, and
 * can inject faults.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type FaultInjector } from './faults';
import { SessionTreePrinter, type PrintLine } from './printer';
import { createRequestListener } from './server';
import { DEFAULT_STORE_LIMITS, SessionStore, type DevServerStore } from './store';
import type { StoreLimits } from './types';

export { formatSessionTree, formatEventLine, buildSessionTree } from './tree';
export { ErrorCodes, MAX_JSON_DEPTH } from './http';
export { DEFAULT_STORE_LIMITS, DEV_SERVER_SCOPE } from './store';
export type { DevServerStore } from './store';
export type { FaultInjector } from './faults';
export type { PrintLine } from './printer';
export type * from './types';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface DevServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /** Append every stored event to this file as JSON lines `{received_at, session_id, event}`. */
  eventsFile?: string;
  /** Print session trees and warnings: true prints to stdout, a function receives each line. Default off. */
  print?: boolean | PrintLine;
  /** With print on, leave out the one line per request. */
  quiet?: boolean;
  /** Larger bodies get a 413, gzip bodies included once inflated. Default 5 MB. */
  maxBodyBytes?: number;
  /**
   * Inflate request bodies sent with `Content-Encoding: gzip` (any other
   * encoding still gets a 415). Default off: HoneyHive does not document
   * whether it accepts gzip, so by default the dev server refuses it, as the
   * strictest reading of HoneyHive would; turn it on to try an exporter's
   * opt-in compression locally.
   */
  acceptGzip?: boolean;
  /** How long a session must stay quiet before its tree is printed. Default 200 ms. */
  printDebounceMs?: number;
  /** How much the store keeps (`DEFAULT_STORE_LIMITS` for what is not given); past a bound the oldest is dropped and counted. */
  limits?: Partial<StoreLimits>;
}

export interface DevServerHandle {
  /** `http://host:port`, without a trailing slash: the value for HH_API_URL. The session viewer is at `${url}/`. */
  url: string;
  port: number;
  /** Stops listening and closes every connection, including keep-alive and hanging ones. */
  close(): Promise<void>;
  store: DevServerStore;
  faults: FaultInjector;
}

function printFunction(print: DevServerOptions['print']): PrintLine | undefined {
  if (typeof print === 'function') return print;
  return print === true ? (line) => process.stdout.write(`${line}\n`) : undefined;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const print = printFunction(options.print);
  const store = new SessionStore({ ...DEFAULT_STORE_LIMITS, ...options.limits }, (message) =>
    print?.(`! dev server: ${message}`),
  );
  const faults = new FaultQueue();
  const lifetime = new AbortController();
  const printer =
    print === undefined
      ? undefined
      : new SessionTreePrinter(print, (sessionId) => store.session(sessionId), options.printDebounceMs ?? 200);

  const server = createServer(
    createRequestListener({
      store,
      faults,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      acceptGzip: options.acceptGzip ?? false,
      ...(options.eventsFile === undefined ? {} : { eventsFile: options.eventsFile }),
      ...(print === undefined ? {} : { print }),
      printRequests: print !== undefined && options.quiet !== true,
      ...(printer === undefined ? {} : { printer }),
      lifetime: lifetime.signal,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    faults,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        lifetime.abort();
        printer?.flush();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // server.close() alone waits for busy keep-alive and hanging requests.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
