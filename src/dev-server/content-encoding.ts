/**
 * Request bodies and their Content-Encoding: identity always, gzip only when
 * the server was started with `acceptGzip` (HoneyHive does not say whether it
 * accepts compressed bodies, so by default an exporter must not send them). Inflating is bounded by the body
 * limit, so a small gzip bomb cannot make the server allocate more than that.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ErrorCodes, HttpError, type ReceivedBody } from './http';
import type { Result } from '../result';

const gunzipBounded = promisify(gunzip);

/** The request's Content-Encoding, lower-cased and trimmed; undefined when absent, empty or identity. */
function contentEncodingOf(headers: IncomingHttpHeaders): string | undefined {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  return encoding === undefined || encoding === '' || encoding === 'identity' ? undefined : encoding;
}

/** True when the body arrived gzip-compressed and the server inflates such bodies. */
export function isGzipAccepted(headers: IncomingHttpHeaders, acceptGzip: boolean): boolean {
  return acceptGzip && contentEncodingOf(headers) === 'gzip';
}

/** Throws the 415 for an encoding the server does not take, saying which it does. */
export function requireAcceptedEncoding(headers: IncomingHttpHeaders, acceptGzip: boolean): void {
  const encoding = contentEncodingOf(headers);
  if (encoding === undefined || isGzipAccepted(headers, acceptGzip)) return;
  const accepted = acceptGzip
    ? 'send the body uncompressed or with Content-Encoding: gzip'
    : 'send the body uncompressed';
  throw new HttpError(
    415,
    ErrorCodes.unsupportedContentEncoding,
    `Content-Encoding ${JSON.stringify(encoding)} is not supported; ${accepted}`,
  );
}

/** A body ready for JSON parsing, or the error that stops it; the error is thrown once the earlier checks pass. */
export type DecodedBody = Result<Buffer, HttpError>;

/**
 * The body as the client meant it: inflated when it is gzip and gzip is
 * accepted, as received otherwise (an unaccepted encoding gets its 415 later).
 * Either way it must fit in `limit` bytes.
 */
export async function decodeBody(
  received: ReceivedBody,
  headers: IncomingHttpHeaders,
  options: { limit: number; acceptGzip: boolean },
): Promise<DecodedBody> {
  const { limit } = options;
  if (received.buffer === undefined) {
    return { ok: false, error: tooLarge(`request body is ${received.bytes} bytes; the limit is ${limit} bytes`) };
  }
  if (!isGzipAccepted(headers, options.acceptGzip)) return { ok: true, value: received.buffer };
  const inflatesTooLarge: DecodedBody = {
    ok: false,
    error: tooLarge(
      `request body inflates to more than the limit of ${limit} bytes (it is ${received.bytes} bytes gzip-compressed)`,
    ),
  };
  let inflated: Buffer;
  try {
    // zlib stops inflating (and fails) once the output would pass maxOutputLength, which must be at least 1.
    inflated = await gunzipBounded(received.buffer, { maxOutputLength: Math.max(limit, 1) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return inflatesTooLarge;
    const message = `request body is not valid gzip: ${(error as Error).message}`;
    return { ok: false, error: new HttpError(400, ErrorCodes.invalidGzip, message) };
  }
  return inflated.length > limit ? inflatesTooLarge : { ok: true, value: inflated };
}

function tooLarge(message: string): HttpError {
  return new HttpError(413, ErrorCodes.payloadTooLarge, message);
}
