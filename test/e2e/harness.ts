// E2E harness: the real core behind a tiny HTTP server, so a plain Chromium can drive the built renderer.
//   GET  /...              -> static files from dist/renderer
//   POST /__api/<channel>  -> await dispatch(core, session, channel, JSON body) -> JSON Result
//   POST /__test/clock     -> { at: ISO instant }: the core's clock jumps there and runs on (testClock only)
// The page gets `window.api` from await apiInitScript() (injected with page.addInitScript before any page script),
// which forwards every channel of the contract to the POST endpoint. One Session for the whole harness,
// like one Electron window.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CHANNELS } from '../../preload/contract';
import { dispatch, type Session } from '../../main/core/api';
import { closeCore, openCore, type Core } from '../../main/core/services/core';

export interface Harness {
  url: string;
  core: Core;
  session: Session;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** A SQLite file or a postgres:// URL. */
  dbPath: string;
  /** The file store (required with PostgreSQL). */
  filesDir?: string;
  port?: number;
  /** Defaults to <repo>/dist/renderer. */
  staticDir?: string;
  /**
   * Gives the core a movable clock and answers POST /__test/clock {"at": "2026-09-28T09:00:00+08:00"}:
   * from then on core.now() runs on from that instant. Deadline specs use it to reach due and overdue
   * days. The page's own clock (Date.now in the browser) is not touched.
   */
  testClock?: boolean;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const staticDir = path.resolve(opts.staticDir ?? path.join(__dirname, '..', '..', 'dist', 'renderer'));
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`${staticDir}/index.html not found: build the renderer first (npx vite build)`);
  }
  let clockOffset = 0;
  const core = await openCore({ dbPath: opts.dbPath, ...(opts.filesDir && { filesDir: opts.filesDir }), ...(opts.testClock && { now: () => new Date(Date.now() + clockOffset) }) });
  const session: Session = { userId: null };
  // Requests are handled one at a time, in arrival order, like IPC messages on one window.
  let queue: Promise<unknown> = Promise.resolve();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (opts.testClock && url.pathname === '/__test/clock' && req.method === 'POST') {
      readBody(req).then(
        (raw) => {
          let at = NaN;
          try {
            at = Date.parse((JSON.parse(raw || '{}') as { at?: string }).at ?? '');
          } catch {
            /* answered 400 below */
          }
          if (Number.isNaN(at)) return send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ ok: false }));
          // Queued like API calls, so the jump lands between requests in the order they were sent.
          queue = queue.then(() => {
            clockOffset = at - Date.now();
          });
          void queue.then(() => send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ ok: true, now: core.now().toISOString() })));
        },
        () => send(res, 413, 'text/plain; charset=utf-8', 'too large'),
      );
      return;
    }
    if (url.pathname.startsWith('/__api/')) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST only');
      const channel = decodeURIComponent(url.pathname.slice('/__api/'.length));
      readBody(req).then(
        (raw) => {
          let input: unknown;
          try {
            input = raw ? JSON.parse(raw) : {};
          } catch {
            return send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ ok: false, error: { code: 'VALIDATION', message: '请求格式错误。' } }));
          }
          const run = queue.then(() => dispatch(core, session, channel, input));
          queue = run.catch(() => undefined);
          run.then(
            (result) => send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result)),
            () => send(res, 500, 'application/json; charset=utf-8', JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: '系统内部错误。' } })),
          );
        },
        () => send(res, 413, 'text/plain; charset=utf-8', 'too large'),
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'GET only');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(staticDir, `.${rel}`);
    if (!file.startsWith(staticDir + path.sep)) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden');
    fs.readFile(file, (err, data) => {
      if (err) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
      send(res, 200, MIME[path.extname(file)] ?? 'application/octet-stream', data);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    core,
    session,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue;
      await closeCore(core);
    },
  };
}

/**
 * JavaScript source that installs `window.api` in the page: one function per contract channel, each
 * POSTing its input to the harness and resolving to the Result. Inject with page.addInitScript.
 */
export function apiInitScript(baseUrl: string): string {
  return `(() => {
  const base = ${JSON.stringify(baseUrl.replace(/\/$/, ''))};
  const channels = ${JSON.stringify(CHANNELS)};
  const api = {};
  for (const channel of channels) {
    api[channel] = async (input) => {
      try {
        const res = await fetch(base + '/__api/' + encodeURIComponent(channel), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input === undefined ? {} : input),
        });
        return await res.json();
      } catch (e) {
        return { ok: false, error: { code: 'INTERNAL', message: '无法连接测试服务：' + String(e) } };
      }
    };
  }
  Object.defineProperty(window, 'api', { value: Object.freeze(api), writable: false, configurable: false });
})();`;
}
