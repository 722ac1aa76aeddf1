#!/usr/bin/env node
/** `honeyhive-otel-dev`: runs the dev server until Ctrl-C. */
import { parseCliArgs, USAGE, type CliOptions } from './cli-args';
import { startDevServer } from './index';

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`honeyhive-otel-dev: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const server = await startDevServer({
    port: options.port,
    host: options.host,
    print: true,
    quiet: options.quiet,
    acceptGzip: options.acceptGzip,
    ...(options.eventsFile === undefined ? {} : { eventsFile: options.eventsFile }),
  });
  process.stdout.write(
    [
      `HoneyHive dev server listening on ${server.url}`,
      `Session viewer:  open ${server.url}/ in a browser`,
      `Point the exporter at it:  HH_API_URL=${server.url} HH_API_KEY=anything <your command>`,
      `Read back:  curl ${server.url}/sessions`,
      ...(options.eventsFile === undefined ? [] : [`Appending events to ${options.eventsFile}`]),
      ...(options.acceptGzip ? ['Accepting gzip-compressed bodies (Content-Encoding: gzip)'] : []),
      '',
    ].join('\n'),
  );

  const stop = (signal: NodeJS.Signals): void => {
    process.stdout.write(`\n${signal}: closing\n`);
    server.close().then(
      () => {
        process.stdout.write('closed\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`honeyhive-otel-dev: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'EADDRINUSE' ? ' (the port is taken; try --port 0 or another port)' : '';
  process.stderr.write(`honeyhive-otel-dev: ${(error as Error).message}${hint}\n`);
  process.exit(1);
});
