/**
 * The session viewer's files: one HTML page and its stylesheet (strings here),
 * and its browser modules, compiled from `./client` by `npm run build` into
 * `dist/dev-server/viewer/client` and read from there once, on first use.
 * The page reads the read-back routes (`GET /sessions`, `GET /sessions/{id}`)
 * and renders every value with textContent, so event content is never markup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VIEWER_HTML } from './page';
import { VIEWER_CSS } from './styles';

/**
 * The viewer sends this header with its polling requests, so they are neither
 * printed nor kept in the request log (every 2 s, they would drown both).
 */
export const VIEWER_REQUEST_HEADER = 'x-honeyhive-viewer';

export interface ViewerAsset {
  body: string;
  headers: Record<string, string>;
}

/**
 * Defence in depth behind textContent: no inline script, no plugin, no frame,
 * nothing loaded from anywhere but this server.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(body: string, contentType: string): ViewerAsset {
  return {
    body,
    headers: {
      'content-type': `${contentType}; charset=utf-8`,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      // The viewer changes with the package; never let a browser keep an old copy.
      'cache-control': 'no-store',
    },
  };
}

/**
 * Where the build puts the browser modules. This file runs from `src/` (tests,
 * tsx) or from `dist/`, both one level under the package root, so one path
 * serves both.
 */
export const VIEWER_CLIENT_DIR = path.resolve(__dirname, '..', '..', '..', 'dist', 'dev-server', 'viewer', 'client');

const NOT_BUILT = `The session viewer is not built: ${path.join(VIEWER_CLIENT_DIR, 'viewer.js')} is missing. Run "npm run build".\n`;

/** The compiled modules, each at /ui/<name>.js (they import one another by those names); none when not built. */
function clientModules(): Array<[string, ViewerAsset]> {
  let names: string[];
  try {
    names = readdirSync(VIEWER_CLIENT_DIR).filter((name) => name.endsWith('.js'));
  } catch {
    return [];
  }
  return names.map((name) => [
    `/ui/${name}`,
    asset(readFileSync(path.join(VIEWER_CLIENT_DIR, name), 'utf8'), 'text/javascript'),
  ]);
}

let assets: ReadonlyMap<string, ViewerAsset> | undefined;

function loadAssets(): ReadonlyMap<string, ViewerAsset> {
  const modules = clientModules();
  const built = modules.some(([pathname]) => pathname === '/ui/viewer.js');
  return new Map([
    ['/', built ? asset(VIEWER_HTML, 'text/html') : asset(NOT_BUILT, 'text/plain')],
    ['/ui/viewer.css', asset(VIEWER_CSS, 'text/css')],
    ...modules,
  ]);
}

/** The viewer file served at `pathname`, if any. */
export function viewerAsset(pathname: string): ViewerAsset | undefined {
  assets ??= loadAssets();
  return assets.get(pathname);
}
