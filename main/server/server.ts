// The agency server (issue 14): the third caller of the handler table, beside Electron's ipcMain and
// `lrw`. It holds no rule: every request goes through `dispatch` exactly as the desktop's do. What it
// adds is transport: sessions kept in the store (so several processes serve the same users), cookie
// sessions with CSRF protection for browsers and bearer tokens for desktops and `lrw`, rate and size
// limits, security headers, live updates, the renderer for browsers, a health check and an access log.
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { dispatch } from '../core/api';
import { closeCore, openCore, type Core } from '../core/services/core';
import { findSession, newSecret, sweepIdleSessions, withStoredSession, type SessionKind, type StoredSession } from '../core/services/sessions';
import { headSeq, PushAudience } from '../core/services/pushEvents';
import { isPostgresUrl } from '../core/db/open';
import type { SecretStore } from '../core/secrets';
import { startPush, type PushHub } from './push';
import { webShimSource } from './webShim';
import { securityHeaders } from './headers';
import { prewarmDocumentsSoon } from '../core/services/fonts';

export interface ServerOptions {
  /** A SQLite file or a postgres:// URL (with its password: the push listener connects with it). */
  db: string;
  /** Parse the document fonts in the background after start (`lrw serve` does; tests need not). */
  prewarmDocuments?: boolean;
  /** Where attachments and issued files live (shared storage when several processes run). */
  files?: string;
  listen?: { host: string; port: number };
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The built renderer (default dist/renderer beside the app). */
  staticDir?: string;
  recordKeyFile?: string;
  now?: () => Date;
  secrets?: SecretStore;
  /** One JSON line per request (default: standard output). */
  accessLog?: (line: string) => void;
  /** Requests per minute: per signed-in user, and per client address. */
  rateLimit?: { perUser?: number; perAddress?: number };
  /** Behind a reverse proxy: trust its X-Forwarded-For for the client address. */
  trustProxy?: boolean;
  /** How often SQLite's head is polled for live updates (ms). */
  pushPollMs?: number;
  /**
   * May a browser do the first setup (agency and first administrator)? Default: only when listening on
   * loopback (a trial on this machine); an intranet server is initialised with `lrw init`.
   */
  allowWebSetup?: boolean;
}

export interface RunningServer {
  url: string;
  core: Core;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** JSON bodies up to this size; attachments come in chunks (uploads.chunk: at most 2.8 MB of base64). */
const BODY_LIMIT = 4 * 1024 * 1024;
const SESSION_COOKIE = 'lrw_session';
const CSRF_COOKIE = 'lrw_csrf';

interface Auth {
  kind: SessionKind;
  token?: string;
  stored: StoredSession | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    lrwAuth?: Auth;
    lrwLog?: { user?: string | null; result?: string };
  }
}

const refusal = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim();
  return undefined;
}

const isTokenClient = (req: FastifyRequest): boolean => req.headers['x-lrw-client'] === 'token' || bearerOf(req) !== undefined;

/** Where the renderer was built to. */
function defaultStaticDir(): string {
  for (const c of [path.join(__dirname, '..', 'renderer'), path.join(__dirname, '..', '..', 'dist', 'renderer'), path.join(process.cwd(), 'dist', 'renderer')]) {
    if (fs.existsSync(path.join(c, 'index.html'))) return c;
  }
  return path.join(process.cwd(), 'dist', 'renderer');
}

export async function buildApp(core: Core, opts: ServerOptions, push: PushHub): Promise<FastifyInstance> {
  const tls = Boolean(opts.tls);
  const audience = new PushAudience(core);
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: opts.trustProxy ?? false,
    ...(opts.tls && { https: { cert: opts.tls.cert, key: opts.tls.key } }),
    // Closing waits for requests under way; idle keep-alive connections are closed at once.
    forceCloseConnections: 'idle',
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  const log = opts.accessLog ?? ((line: string) => process.stdout.write(line + '\n'));

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });

  const streams = new Set<import('node:http').ServerResponse>();
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: tls };

  // Who is asking: a bearer token (desktops, lrw) or the session cookie (browsers).
  app.addHook('onRequest', async (req) => {
    req.lrwLog = {};
    if (!req.url.startsWith('/api/')) return;
    const kind: SessionKind = isTokenClient(req) ? 'bearer' : 'cookie';
    const token = kind === 'bearer' ? bearerOf(req) : req.cookies[SESSION_COOKIE];
    const stored = await core.db.actingAs(null, async () => await findSession(core, token));
    // A token of the other kind is not accepted (a stolen cookie is not a bearer token and back).
    req.lrwAuth = { kind, token, stored: stored && stored.kind === kind ? stored : null };
    req.lrwLog.user = req.lrwAuth.stored?.username ?? null;
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(securityHeaders(tls))) reply.header(k, v);
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const url = req.routeOptions.url ?? '';
    if (!url.startsWith('/api/') && url !== '/healthz') return;
    const channel = url === '/api/:channel' ? (req.params as { channel?: string }).channel : url;
    log(JSON.stringify({
      t: new Date().toISOString(),
      addr: req.ip,
      user: req.lrwLog?.user ?? null,
      method: req.method,
      channel,
      status: reply.statusCode,
      result: req.lrwLog?.result ?? (reply.statusCode < 400 ? 'ok' : String(reply.statusCode)),
      ms: Math.round(reply.elapsedTime * 10) / 10,
    }));
  });

  app.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    const body =
      status === 413 ? refusal('TOO_LARGE', '请求内容过大。附件请分块上传。')
      : status === 429 ? refusal('RATE_LIMITED', '请求过于频繁，请稍候一分钟再试。')
      : status === 415 ? refusal('VALIDATION', '请求须为 JSON 格式。')
      : status >= 400 && status < 500 ? refusal('VALIDATION', '请求格式错误。')
      : refusal('INTERNAL', '服务器内部错误，操作未完成。');
    if (status >= 500) console.error('[lrw serve]', req.method, req.url, err);
    req.lrwLog = { ...req.lrwLog, result: body.error.code };
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  });

  const perUser = opts.rateLimit?.perUser ?? 600;
  const perAddress = opts.rateLimit?.perAddress ?? 1200;
  // Two limits on every API request: per client address, and per signed-in user (before sign-in the
  // address stands for the user; the core's lockout guards the passwords themselves).
  const byAddress = app.createRateLimit({ max: perAddress, timeWindow: 60_000, keyGenerator: (req) => `a:${req.ip}` });
  const byUser = app.createRateLimit({
    max: perUser,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.lrwAuth?.stored ? `u:${req.lrwAuth.stored.userId}` : `anon:${req.ip}`),
  });
  const limits = async (req: FastifyRequest, reply: FastifyReply) => {
    for (const limit of [byAddress, byUser]) {
      const r = await limit(req);
      if (!r.isAllowed && r.isExceeded) {
        req.lrwLog = { ...req.lrwLog, result: 'RATE_LIMITED' };
        return reply.code(429).header('retry-after', String(r.ttlInSeconds)).send(refusal('RATE_LIMITED', '请求过于频繁，请稍候一分钟再试。'));
      }
    }
  };

  app.get('/healthz', async () => ({ ok: true, engine: core.db.engine, head: await core.db.actingAs(null, async () => await headSeq(core)) }));

  app.post<{ Params: { channel: string } }>('/api/:channel', { preHandler: limits }, async (req, reply) => {
    const auth = req.lrwAuth!;
    if (auth.kind === 'cookie') {
      const problem = csrfProblem(req, auth);
      if (problem) {
        req.lrwLog = { ...req.lrwLog, result: 'CSRF' };
        return reply.code(403).send(refusal('CSRF', problem));
      }
    }
    const meta = { address: req.ip, userAgent: String(req.headers['user-agent'] ?? '') };
    const { result, change, userId } = await withStoredSession(core, auth.stored, auth.kind, meta, (session) =>
      dispatch(core, session, req.params.channel, req.body ?? {}),
    );
    req.lrwLog = { user: req.lrwLog?.user, result: result.ok ? 'ok' : result.error.code };
    if (change.kind === 'opened') {
      req.lrwLog.user = change.opened.username;
      if (auth.kind === 'bearer') reply.header('x-lrw-session', change.opened.token);
      else {
        reply.setCookie(SESSION_COOKIE, change.opened.token, { ...cookieBase, httpOnly: true });
        reply.setCookie(CSRF_COOKIE, change.opened.csrf!, { ...cookieBase, httpOnly: false });
      }
    } else if (change.kind === 'ended' && userId === null && auth.kind === 'cookie') {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    return reply.type('application/json; charset=utf-8').send(result);
  });

  app.get('/api/events', { preHandler: limits }, async (req, reply) => {
    const auth = req.lrwAuth!;
    if (!auth.stored) return reply.code(401).send(refusal('UNAUTHENTICATED', '请先登录。'));
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...securityHeaders(tls),
    });
    res.write('retry: 2000\n\n');
    const stored = auth.stored;
    // Only events this user may hear of (a case they may read), in order: each waits for the one before.
    let queue = Promise.resolve();
    const off = push.subscribe((e) => {
      const allowed = audience.mayHear(stored.userId, e);
      queue = queue.then(async () => {
        if ((await allowed) && !res.writableEnded) res.write(`data: ${JSON.stringify(e)}\n\n`);
      });
    });
    // A stream outlives neither its session (signed out, timed out, ended elsewhere) nor the server.
    const check = setInterval(() => {
      void core.db.actingAs(null, async () => await findSession(core, auth.token)).then(
        (s) => {
          if (!s || s.tokenHash !== stored.tokenHash) res.end();
          else res.write(': alive\n\n');
        },
        () => undefined,
      );
    }, 15_000);
    streams.add(res);
    const done = () => {
      clearInterval(check);
      off();
      streams.delete(res);
    };
    res.on('close', done);
  });

  // The UI for browsers: the built renderer, with the browser's window.api installed before it runs.
  const staticDir = path.resolve(opts.staticDir ?? defaultStaticDir());
  const indexFile = path.join(staticDir, 'index.html');
  const shim = webShimSource();
  app.get('/web-api.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(shim));
  const sendIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    let html: string;
    try {
      html = fs.readFileSync(indexFile, 'utf8');
    } catch {
      return reply.code(503).type('text/plain; charset=utf-8').send('界面尚未构建：请在服务器上运行 npm run build。');
    }
    // Before sign-in the page needs an anti-forgery value to echo; sign-in replaces it with the session's.
    if (!req.cookies[CSRF_COOKIE]) reply.setCookie(CSRF_COOKIE, newSecret(), { ...cookieBase, httpOnly: false });
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(html.replace('</head>', '    <script src="./web-api.js"></script>\n  </head>'));
  };
  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  if (fs.existsSync(staticDir)) await app.register(fastifyStatic, { root: staticDir, index: false, wildcard: true, dotfiles: 'deny' });

  // Dead sessions (idle past the timeout) are swept at start and every ten minutes.
  const sweep = () => void core.db.actingAs(null, async () => await sweepIdleSessions(core)).catch(() => undefined);
  sweep();
  const sweeper = setInterval(sweep, 10 * 60_000);
  sweeper.unref();
  // Open event streams would hold the close forever: they end before the listener stops (clients reconnect).
  app.addHook('preClose', async () => {
    clearInterval(sweeper);
    for (const s of streams) s.end();
  });
  return app;
}

/**
 * A browser's POST must come from our page: it echoes the anti-forgery cookie in a header (another
 * site can neither read the cookie nor set the header), and a signed-in session's value is its own.
 * Origin, where the browser sends it, must be this server.
 */
function csrfProblem(req: FastifyRequest, auth: Auth): string | null {
  const header = req.headers['x-lrw-csrf'];
  const cookie = req.cookies[CSRF_COOKIE];
  const refused = '请求来源无法确认（防跨站请求伪造校验未通过），已拒绝。请刷新页面后重试。';
  if (typeof header !== 'string' || !header || header !== cookie) return refused;
  if (auth.stored && auth.stored.csrf !== header) return refused;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const host = req.headers.host;
    try {
      if (new URL(origin).host !== host) return refused;
    } catch {
      return refused;
    }
  }
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return refused;
  return null;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

/** Opens the core and serves it. The SQLite default and PostgreSQL serve the same way. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const core = await openCore({
    dbPath: opts.db,
    signingHere: false,
    setupHere: opts.allowWebSetup ?? isLoopback((opts.listen ?? { host: '127.0.0.1' }).host),
    ...(opts.files && { filesDir: opts.files }),
    ...(opts.now && { now: opts.now }),
    ...(opts.secrets && { secrets: opts.secrets }),
    ...(opts.recordKeyFile && { recordKeyFile: opts.recordKeyFile }),
  });
  let push: PushHub | null = null;
  let app: FastifyInstance | null = null;
  try {
    push = await startPush(core, { ...(isPostgresUrl(opts.db) && { pgUrl: opts.db }), ...(opts.pushPollMs && { pollMs: opts.pushPollMs }) });
    app = await buildApp(core, opts, push);
    const listen = opts.listen ?? { host: '127.0.0.1', port: 0 };
    await app.listen({ host: listen.host, port: listen.port });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await push?.close().catch(() => undefined);
    await closeCore(core).catch(() => undefined);
    throw err;
  }
  // The first document someone issues is then as quick as the next (fonts parsed, PDF code warm).
  if (opts.prewarmDocuments) prewarmDocumentsSoon(core);
  const addr = app.server.address() as import('node:net').AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `${opts.tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`;
  let closing: Promise<void> | null = null;
  const running = app;
  const hub = push;
  return {
    url,
    core,
    app: running,
    close: () =>
      (closing ??= (async () => {
        await running.close();
        await hub.close();
        await closeCore(core);
      })()),
  };
}
