/**
 * The session viewer's files: one HTML page, its stylesheet and its script,
 * served as strings (the build is plain `tsc`, which copies no static files).
 * The page reads the read-back routes (`GET /sessions`, `GET /sessions/{id}`)
 * and renders every value with textContent, so event content is never markup.
 */
import { VIEWER_HTML } from './page';
import { VIEWER_SCRIPT } from './script';
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

const ASSETS: ReadonlyMap<string, ViewerAsset> = new Map([
  ['/', asset(VIEWER_HTML, 'text/html')],
  ['/ui/viewer.css', asset(VIEWER_CSS, 'text/css')],
  ['/ui/viewer.js', asset(VIEWER_SCRIPT, 'text/javascript')],
]);

/** The viewer file served at `pathname`, if any. */
export function viewerAsset(pathname: string): ViewerAsset | undefined {
  return ASSETS.get(pathname);
}
