/** The `honeyhive-otel-dev` command line, parsed by hand-sized rules. */
import { parseArgs } from 'node:util';

export const DEFAULT_CLI_PORT = 8787;

export const USAGE = `Usage: honeyhive-otel-dev [--port N] [--host HOST] [--events-file PATH] [--quiet]
                          [--accept-gzip]

A local HoneyHive-compatible server: it checks what the exporter sends as
strictly as HoneyHive's reference allows and prints each session as a tree.

Options:
  --port N             port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host HOST          address to bind (default 127.0.0.1, loopback only)
  --events-file PATH   append every received event to PATH as JSON lines
  --quiet              print session trees and warnings, not one line per request
  --accept-gzip        inflate bodies sent with Content-Encoding: gzip (default:
                       415, since HoneyHive does not document accepting gzip)
  -h, --help           show this help

Point the exporter at it:
  HH_API_URL=http://127.0.0.1:${DEFAULT_CLI_PORT} HH_API_KEY=anything node your-app.js

Session viewer: open http://127.0.0.1:${DEFAULT_CLI_PORT}/ in a browser
Read back: GET /sessions, GET /sessions/{id}, GET /healthz`;

export interface CliOptions {
  port: number;
  host: string;
  eventsFile?: string;
  quiet: boolean;
  acceptGzip: boolean;
  help: boolean;
}

/** Parses argv (without node and script); throws an Error whose message is fit for the user. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'events-file': { type: 'string' },
      quiet: { type: 'boolean' },
      'accept-gzip': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const port = values.port === undefined ? DEFAULT_CLI_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port?.trim() === '') {
    throw new Error(`--port must be an integer from 0 to 65535; got ${JSON.stringify(values.port)}`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    ...(values['events-file'] === undefined ? {} : { eventsFile: values['events-file'] }),
    quiet: values.quiet ?? false,
    acceptGzip: values['accept-gzip'] ?? false,
    help: values.help ?? false,
  };
}
