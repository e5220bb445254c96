// The app:// scheme: the renderer is served from dist/renderer as app://renderer/…, never from file://,
// so the page has a real origin ('self' in the CSP) and cannot read arbitrary files.
import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, mimeTypeFor, rendererFileFor } from './trust';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-cache',
};

function refusal(status: 403 | 404, body: string): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Serves files of `rendererRoot` (dist/renderer). Call after app 'ready'. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(403, '不允许的请求。');
    const file = rendererFileFor(request.url, rendererRoot);
    if (!file) return refusal(403, '拒绝访问。');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return refusal(404, '未找到。');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(file) },
    });
  });
}
