/** SHA-1 digests of text, never for security: ids derived from span ids, fingerprints of values sent. */
import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string | Uint8Array, outputEncoding: 'hex' | 'base64') => string;

/** `crypto.hash` (Node 20.12+, 21.7+) skips the Hash object `createHash` makes for each digest. */
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/** The digest of `data`: a string (hashed as UTF-8) or its bytes. */
export function sha1(data: string | Uint8Array, encoding: 'hex' | 'base64'): string {
  return typeof oneShotHash === 'function'
    ? oneShotHash('sha1', data, encoding)
    : crypto.createHash('sha1').update(data).digest(encoding);
}
