/** Small HTTP plumbing: reading a bounded body, answering JSON, HoneyHive's error envelope. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorResponse } from '../honeyhive-types';

/** The errorCode of every error the dev server answers with. */
export const ErrorCodes = {
  unauthorized: 'UNAUTHORIZED',
  routeNotFound: 'ROUTE_NOT_FOUND',
  sessionNotFound: 'SESSION_NOT_FOUND',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  unsupportedContentEncoding: 'UNSUPPORTED_CONTENT_ENCODING',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  invalidJson: 'INVALID_JSON',
  jsonTooDeep: 'JSON_TOO_DEEP',
  eventNotFound: 'EVENT_NOT_FOUND',
  eventsPartiallyAdded: 'EVENTS_PARTIALLY_ADDED',
  invalidGzip: 'INVALID_GZIP',
  validation: 'VALIDATION_ERROR',
  injectedFault: 'INJECTED_FAULT',
  internal: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Thrown by route code; answered as HoneyHive's error envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorEnvelope(status: number, errorCode: string, message: string): ErrorResponse {
  return { statusCode: status, message, success: false, errorCode };
}

export interface ReceivedBody {
  /** Bytes received, all of them, even past the limit. */
  bytes: number;
  /** The body, or undefined when it was larger than the limit (then it was read and dropped). */
  buffer: Buffer | undefined;
}

/**
 * Reads the whole body, keeping at most `limit` bytes. Past the limit the rest
 * is still read and dropped, so the client finishes sending and sees the 413
 * rather than a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      ended = true;
      resolve({ bytes, buffer: bytes <= limit ? Buffer.concat(chunks) : undefined });
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!ended) reject(new Error('the client closed the connection before sending the whole body'));
    });
  });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How deep a body may nest objects and arrays. HoneyHive publishes no limit;
 * this one keeps every later copy and rendering of a stored body within the
 * stack, and is far above what an exporter sends (ours caps a field's value
 * at 64 levels).
 */
export const MAX_JSON_DEPTH = 128;

/** Whether JSON text nests deeper than `limit`, found by a scan (no recursion, no parse). */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}

/** Parses a JSON body, or throws the 400 that says why not. */
export function parseJsonBody(buffer: Buffer): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(buffer);
  } catch {
    throw new HttpError(400, ErrorCodes.invalidJson, 'request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new HttpError(400, ErrorCodes.invalidJson, 'request body is empty; expected JSON');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new HttpError(
      400,
      ErrorCodes.jsonTooDeep,
      `request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels, the dev server's limit`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, ErrorCodes.invalidJson, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Writes a JSON (or, for a string body, plain text) answer unless the connection is already gone. */
export function sendAnswer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}
