/** This package's name and version, for the User-Agent and the client headers. A test keeps them equal to package.json. */
export const PACKAGE_NAME = 'honeyhive-otel-exporter';
export const PACKAGE_VERSION = '0.1.0';

/**
 * How HoneyHive's own SDKs name themselves on every request (its TypeScript SDK sends `typescript` as the
 * language); HoneyHive reads these, beside the User-Agent, to tell clients apart.
 */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = {
  'hh-client-package': PACKAGE_NAME,
  'hh-client-version': PACKAGE_VERSION,
  'hh-client-language': 'typescript',
};
