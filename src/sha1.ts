/** SHA-1 digests of text, never for security: ids derived from span ids, fingerprints of values sent. */
import * as crypto from 'node:crypto';

/** How a digest is written: hex, base64, or `binary` (latin1: one character a byte, for code that reads the bytes). */
export type DigestEncoding = 'hex' | 'base64' | 'binary';

type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: DigestEncoding) => string;

/** `crypto.hash` (Node 20.12+, 21.7+) skips the Hash object `createHash` makes for each digest. */
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/** The digest of `data`: a string (hashed as UTF-8) or its bytes. */
export function sha1(data: string | Uint8Array, encoding: DigestEncoding): string {
  return typeof oneShotHash === 'function'
    ? oneShotHash('sha1', data, encoding)
    : crypto.createHash('sha1').update(data).digest(encoding);
}
