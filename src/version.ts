/** This package's name and version, for the User-Agent. A test keeps them equal to package.json. */
export const PACKAGE_NAME = 'honeyhive-otel-exporter';
export const PACKAGE_VERSION = '0.1.0';
