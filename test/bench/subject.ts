/**
 * The code under measurement: the built `dist/`, as users run it, never the
 * TypeScript sources (tsx's compiled imports put a getter call on every
 * cross-module access, which would measure the loader, not the exporter).
 * Only the harness runs through tsx; every benchmark takes the exporter, the
 * transform, the transport and the dev server from here.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const SRC = path.join(ROOT, 'src');

function newestModification(directory: string, extension: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestModification(full, extension));
    else if (entry.name.endsWith(extension)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Why `dist/` cannot be measured (missing, or older than a source file), or undefined when it is current.
 * `npm run bench` builds first; a runner started by hand may not have.
 */
export function staleBuild(): string | undefined {
  let built: number;
  try {
    built = statSync(path.join(DIST, 'index.js')).mtimeMs;
  } catch {
    return 'dist/ is not built: run `npm run build` (npm run bench does)';
  }
  const edited = newestModification(SRC, '.ts');
  return edited > built ? 'dist/ is older than src/: run `npm run build` (npm run bench does)' : undefined;
}

export { HoneyHiveSpanExporter, type HoneyHiveExporterOptions } from '../../dist';
export { TransformMemory, transformSpans, type SessionGroup } from '../../dist/transform';
export { createTransportStack } from '../../dist/transport/transport-stack';
export { CLIENT_HEADERS, PACKAGE_NAME, PACKAGE_VERSION } from '../../dist/version';
export { startDevServer } from '../../dist/dev-server';
