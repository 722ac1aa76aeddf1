/**
 * Opt-in gzip (`compression: 'gzip'`). Each body is compressed once, in zlib's
 * thread pool rather than on the app's thread, and the retries below resend the
 * same bytes. HoneyHive does not say whether its routes accept compressed
 * bodies, so a 415 answer turns compression off for the rest of the exporter's
 * life and the request goes again as plain JSON: turning gzip on can cost one
 * round trip, never an event.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { TransportLayer } from './http-transport';

/** How request bodies are sent: as they are, or gzip-compressed. */
export type Compression = 'none' | 'gzip';
export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip'];

/** Bodies smaller than this go as they are: gzip's framing and the work would cost more than they save. */
export const MIN_COMPRESSED_BODY_BYTES = 1024;

const gzipAsync = promisify(gzip);

export interface CompressingLayerOptions {
  /** Called once, when the server refuses a compressed body (415) and compression is turned off. */
  onRefused(): void;
}

export function compressingLayer(options: CompressingLayerOptions): TransportLayer {
  let enabled = true;
  return async (request, send) => {
    if (!enabled || request.contentEncoding !== undefined || request.body.length < MIN_COMPRESSED_BODY_BYTES)
      return send(request);
    const body = await gzipAsync(request.body);
    const result = await send({ ...request, body, contentEncoding: 'gzip' });
    if (result.ok || result.error.kind !== 'http' || result.error.status !== 415) return result;
    if (enabled) {
      enabled = false;
      options.onRefused();
    }
    return send(request);
  };
}
