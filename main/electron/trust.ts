// The app's notion of "our own page", as pure functions: no electron import, so every rule here is
// unit-tested in Node (test/unit/electron-trust.test.ts). The Electron glue only calls these.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const RENDERER_HOST = 'renderer';
export const RENDERER_ORIGIN = `${APP_SCHEME}://${RENDERER_HOST}`;
export const RENDERER_INDEX_URL = `${RENDERER_ORIGIN}/index.html`;

/** Sent with every file the app:// protocol serves (the page also carries a <meta> CSP; both apply). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** True only for URLs of the bundled renderer: app://renderer/… with no credentials and no port. */
export function isRendererUrl(url: string): boolean {
  if (typeof url !== 'string' || !url.startsWith(`${RENDERER_ORIGIN}/`)) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.hostname === RENDERER_HOST && u.port === '' && u.username === '' && u.password === '';
}

/** May a frame at `url` call the bridge? Only the main frame of our own renderer page. */
export function isTrustedSender(url: string, isMainFrame: boolean): boolean {
  return isMainFrame === true && isRendererUrl(url);
}

/**
 * Maps an app://renderer/… request URL to a file under `root` (the built renderer), or null when the
 * request must be refused: another scheme or host, malformed escapes, NUL bytes, or any path that
 * would leave `root` once decoded (`..`, `%2e%2e`, `%2f`, backslashes). "/" serves index.html.
 */
export function rendererFileFor(requestUrl: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.hostname !== RENDERER_HOST || u.port !== '' || u.username || u.password) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const segments = rel.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments.length === 0) segments.push('index.html');
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (!file.startsWith(base + path.sep)) return null;
  return file;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The only permission the app grants: notifications, and only to its own renderer (URL or bare origin). */
export function isAllowedPermission(permission: string, url: string): boolean {
  return permission === 'notifications' && isRendererUrl(url === RENDERER_ORIGIN ? `${url}/` : url);
}
