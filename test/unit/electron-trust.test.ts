// The Electron glue's trust rules, proven in Node (main/electron/trust.ts has no electron import).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isRendererUrl,
  isTrustedSender,
  mimeTypeFor,
  rendererFileFor,
} from '../../main/electron/trust';

describe('isTrustedSender', () => {
  it('accepts the main frame of the bundled renderer', async () => {
    expect(isTrustedSender('app://renderer/', true)).toBe(true);
    expect(isTrustedSender('app://renderer/index.html', true)).toBe(true);
    expect(isTrustedSender('app://renderer/index.html#/case/12/review', true)).toBe(true);
  });

  it('refuses a subframe, even of our own page', async () => {
    expect(isTrustedSender('app://renderer/index.html', false)).toBe(false);
  });

  it('refuses foreign origins', async () => {
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('https://evil.example/app://renderer/', true)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', true)).toBe(false);
  });

  it('refuses look-alike hosts and authorities', async () => {
    expect(isTrustedSender('app://renderer.evil/index.html', true)).toBe(false);
    expect(isTrustedSender('app://renderer.evil.example/', true)).toBe(false);
    expect(isTrustedSender('app://rendererx/', true)).toBe(false);
    expect(isTrustedSender('app://renderer@evil/', true)).toBe(false);
    expect(isTrustedSender('app://renderer:8080/', true)).toBe(false);
    expect(isTrustedSender('app://evil/renderer/', true)).toBe(false);
    expect(isTrustedSender('app://renderer', true)).toBe(false);
    expect(isTrustedSender('APP://RENDERER/', true)).toBe(false);
  });

  it('refuses file://, about:blank, data: and empty URLs', async () => {
    expect(isTrustedSender('file:///opt/lrw/resources/app.asar/dist/renderer/index.html', true)).toBe(false);
    expect(isTrustedSender('file://renderer/index.html', true)).toBe(false);
    expect(isTrustedSender('about:blank', true)).toBe(false);
    expect(isTrustedSender('data:text/html,<h1>app://renderer/</h1>', true)).toBe(false);
    expect(isTrustedSender('', true)).toBe(false);
  });
});

describe('isRendererUrl (navigation guard)', () => {
  it('allows in-app navigation and refuses everything else', async () => {
    expect(isRendererUrl('app://renderer/index.html#/search')).toBe(true);
    expect(isRendererUrl('https://www.gov.cn/')).toBe(false);
    expect(isRendererUrl('app://renderer.evil/')).toBe(false);
    expect(isRendererUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('rendererFileFor (app:// protocol)', () => {
  const root = path.resolve('/srv/lrw/dist/renderer');

  it('maps app://renderer/ paths into the renderer directory', async () => {
    expect(rendererFileFor('app://renderer/', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor('app://renderer/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(rendererFileFor('app://renderer/assets/index-abc123.js', root)).toBe(path.join(root, 'assets', 'index-abc123.js'));
    expect(rendererFileFor('app://renderer/assets/%E5%9B%BE.png?v=1#x', root)).toBe(path.join(root, 'assets', '图.png'));
  });

  it('refuses path traversal in every spelling', async () => {
    for (const url of [
      'app://renderer/..%2f..%2fetc%2fpasswd',
      'app://renderer/assets/..%2F..%2F..%2Fsecret',
      'app://renderer/..%5c..%5cwindows',
      'app://renderer/assets%5c..%5c..%5cx',
      'app://renderer/a%00.html',
      'app://renderer/%E0%A4%A', // malformed escape
    ]) {
      expect(rendererFileFor(url, root), url).toBeNull();
    }
    // The URL parser already folds literal and %2e dot segments; what is left must stay inside root.
    for (const url of ['app://renderer/../../etc/passwd', 'app://renderer/%2e%2e/%2e%2e/etc/passwd', 'app://renderer/assets/.%2e/.%2e/.%2e/x']) {
      const file = rendererFileFor(url, root);
      expect(file === null || file.startsWith(root + path.sep), `${url} -> ${file}`).toBe(true);
    }
  });

  it('refuses other schemes and hosts', async () => {
    expect(rendererFileFor('app://other/index.html', root)).toBeNull();
    expect(rendererFileFor('file:///srv/lrw/dist/renderer/index.html', root)).toBeNull();
    expect(rendererFileFor('https://renderer/index.html', root)).toBeNull();
    expect(rendererFileFor('not a url', root)).toBeNull();
  });

  it('serves modules with a JavaScript MIME type (module scripts require one)', async () => {
    expect(mimeTypeFor('/x/assets/index.js')).toMatch(/^text\/javascript/);
    expect(mimeTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(mimeTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });
});

describe('Content-Security-Policy header', () => {
  it('is the strict policy', async () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });
});

describe('isAllowedPermission', () => {
  it('grants notifications to the app itself and nothing else', async () => {
    const { isAllowedPermission } = await import('../../main/electron/trust');
    expect(isAllowedPermission('notifications', 'app://renderer/index.html')).toBe(true);
    expect(isAllowedPermission('notifications', 'app://renderer')).toBe(true);
    expect(isAllowedPermission('notifications', 'https://evil.example/')).toBe(false);
    expect(isAllowedPermission('notifications', 'app://renderer.evil/')).toBe(false);
    expect(isAllowedPermission('media', 'app://renderer/index.html')).toBe(false);
    expect(isAllowedPermission('geolocation', 'app://renderer')).toBe(false);
  });
});
