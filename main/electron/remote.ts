// The desktop's team mode, transport half (issue 14, point 2): forwards any contract channel to the
// agency server as `POST /api/<channel>` with the body as JSON, and hands back the server's Result as
// is. Trust is either a pinned SHA-256 fingerprint of the server's certificate (the IT officer
// confirmed it at first start) or an imported agency CA (PEM). No electron import: everything here is
// tested in Node against a real TLS server (test/integration/desk-remote.test.ts).
//
// Pinning: the TLS socket is handed to the HTTP request only after its certificate's fingerprint was
// compared (http.Agent's createConnection callback form), so not one byte of a request, and never a
// bearer token, reaches a server that presents another certificate.
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../core/domain/errors';
import type { Result } from '../../preload/contract';

/** Sent on every request: the server treats the caller as a desktop (bearer token, no cookies, no CSRF). */
export const CLIENT_HEADER = 'x-lrw-client';
/** The reply header of a successful auth.signIn / app.setup that carries the new session's token. */
export const SESSION_HEADER = 'x-lrw-session';
/** On a replayed offline change: when it was made at the desk (the server may log it). */
export const DESK_TIME_HEADER = 'x-lrw-desk-time';

export type Trust = { fingerprint: string } | { caPem: string };

/** What a desktop remembers of one sign-in: the bearer token, or null when signed out. */
export interface RemoteSession {
  token: string | null;
}

export interface CallOptions {
  /** For a replayed offline change: the desk time it was made, sent as x-lrw-desk-time. */
  deskTime?: string;
}

/** A Result plus what the transport saw: the server's Date header (its receipt time) when there was a reply. */
export type RemoteResult = Result<unknown> & { serverDate?: string };

const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

// ---------------------------------------------------------------------------------------------
// Fingerprints

/** "ab:CD:…", "abcd…" or with spaces → 64 lower-case hex digits; null when it is not a SHA-256 fingerprint. */
export function normalizeFingerprint(input: string): string | null {
  if (typeof input !== 'string') return null;
  const hex = input.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** The way people read fingerprints (and `openssl x509 -fingerprint -sha256` prints them): AB:CD:…. */
export function formatFingerprint(hex: string): string {
  return (normalizeFingerprint(hex) ?? hex).toUpperCase().match(/.{2}/g)!.join(':');
}

function peerFingerprint(socket: tls.TLSSocket): string | null {
  const cert = socket.getPeerCertificate();
  return cert && cert.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : null;
}

export function mismatchMessage(expected: string, actual: string | null): string {
  return (
    `服务器出示的证书与本机已确认的证书指纹不一致，已拒绝连接（可能有人冒充本单位服务器，或服务器更换了证书）。` +
    `已确认的指纹：${formatFingerprint(expected)}；服务器出示的指纹：${actual ? formatFingerprint(actual) : '无'}。请与信息管理员核对后重新设置。`
  );
}

class TrustError extends Error {
  constructor(
    readonly code: 'CERT_MISMATCH' | 'CERT_UNTRUSTED',
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// URLs

/** Checks the server address a person typed: https only, no credentials, no path beyond "/". */
export function parseServerUrl(input: string): { ok: true; url: URL } | { ok: false; message: string } {
  let u: URL;
  try {
    u = new URL(String(input ?? '').trim());
  } catch {
    return { ok: false, message: '服务器地址无效，应为 https://主机名:端口 的形式，例如 https://lrw.agency.local:8443' };
  }
  if (u.protocol !== 'https:') return { ok: false, message: '服务器地址必须以 https:// 开头（与服务器的连接必须加密）。' };
  if (u.username || u.password) return { ok: false, message: '服务器地址中不能包含用户名或密码。' };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return { ok: false, message: '服务器地址只需填写 https://主机名:端口，不要带路径。' };
  return { ok: true, url: u };
}

// ---------------------------------------------------------------------------------------------
// Agents

type ConnectCallback = (err: Error | null, socket?: Duplex) => void;

/**
 * An https.Agent that accepts exactly one certificate: the one whose SHA-256 fingerprint was pinned.
 * The chain is not checked against any CA (a self-signed trial certificate is the common case); the
 * fingerprint is the identity. The socket reaches the request only once it passed.
 */
class PinnedAgent extends https.Agent {
  constructor(
    private readonly pin: string,
    private readonly handshakeMs: number,
  ) {
    super({ keepAlive: true, maxSockets: 8 });
  }

  override createConnection(options: tls.ConnectionOptions, callback: ConnectCallback): undefined {
    let done = false;
    const finish = (err: Error | null, socket?: Duplex) => {
      if (done) return;
      done = true;
      callback(err, socket);
    };
    const socket = tls.connect({ ...options, rejectUnauthorized: false, ca: undefined, checkServerIdentity: () => undefined });
    socket.once('secureConnect', () => {
      const actual = peerFingerprint(socket);
      if (actual !== this.pin) {
        socket.destroy();
        finish(new TrustError('CERT_MISMATCH', mismatchMessage(this.pin, actual)));
        return;
      }
      finish(null, socket);
    });
    socket.once('error', (err) => finish(err));
    // A peer that accepts TCP but never completes the handshake must not hold the socket forever.
    const timer = setTimeout(() => {
      if (done) return;
      socket.destroy();
      finish(Object.assign(new Error('TLS handshake timeout'), { code: 'ETIMEDOUT' }));
    }, this.handshakeMs);
    socket.once('secureConnect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return undefined;
  }
}

function agentFor(trust: Trust, timeoutMs: number): https.Agent {
  if ('fingerprint' in trust) {
    const pin = normalizeFingerprint(trust.fingerprint);
    if (!pin) throw new Error('证书指纹无效，应为64位十六进制数字（SHA-256）。');
    return new PinnedAgent(pin, timeoutMs);
  }
  // An imported agency CA: the usual chain and host-name checks, against that CA only.
  return new https.Agent({ keepAlive: true, maxSockets: 8, ca: trust.caPem, rejectUnauthorized: true });
}

const CERT_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** Why a request got no reply, in words for the person at the desk (and the banner). */
function transportFailure(err: unknown, url: string): Result<never> {
  if (err instanceof TrustError) return fail(err.code, err.message);
  const code = (err as { code?: string } | null)?.code ?? '';
  if (CERT_ERRORS.has(code)) {
    const why = code === 'CERT_HAS_EXPIRED' ? '证书已过期' : code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? '证书上的主机名与服务器地址不符' : '证书不是由已导入的本单位根证书签发的';
    return fail('CERT_UNTRUSTED', `服务器证书不受信任（${why}），已拒绝连接。请与信息管理员核对证书或重新导入本单位根证书。`);
  }
  return fail('SERVER_UNREACHABLE', `无法连接本单位服务器（${url}）${code ? `：${code}` : ''}。请检查网络，或请信息管理员确认服务器已启动。`);
}

// ---------------------------------------------------------------------------------------------
// The caller

export interface RemoteCallerOptions {
  url: string;
  trust: Trust;
  /** Per request, in ms (default 15 s): a server that accepts but never answers counts as unreachable. */
  timeoutMs?: number;
  /** Told each time reachability changes: false with the reason, or true when a reply came back. */
  onReachability?: (reachable: boolean, error?: { code: ErrorCode; message: string }) => void;
}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Is this Result a transport failure (no reply from the server, or the server is not who it should be)? */
export function isTransportFailure(res: Result<unknown>): boolean {
  return !res.ok && (res.error.code === 'SERVER_UNREACHABLE' || res.error.code === 'CERT_MISMATCH' || res.error.code === 'CERT_UNTRUSTED');
}

export class RemoteCaller {
  readonly url: string;
  private readonly base: URL;
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;
  private reachable: boolean | null = null;

  constructor(private readonly opts: RemoteCallerOptions) {
    const parsed = parseServerUrl(opts.url);
    if (!parsed.ok) throw new Error(parsed.message);
    this.base = parsed.url;
    this.url = parsed.url.origin;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.agent = agentFor(opts.trust, this.timeoutMs);
  }

  /** The last known reachability: null before the first request. */
  get isReachable(): boolean | null {
    return this.reachable;
  }

  private note(res: Result<unknown>): void {
    const now = !isTransportFailure(res);
    if (now === this.reachable) return;
    this.reachable = now;
    this.opts.onReachability?.(now, res.ok || now ? undefined : res.error);
  }

  private request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          protocol: 'https:',
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || 443,
          servername: /^[\d.]+$|:/.test(this.base.hostname) ? undefined : this.base.hostname,
          method,
          path,
          agent: this.agent,
          headers: { [CLIENT_HEADER]: 'token', accept: 'application/json', ...headers, ...(body !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      // The whole exchange, handshake included (a pinned socket reaches the request only after it).
      const deadline = setTimeout(() => {
        const err = Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
        reject(err);
        req.destroy(err);
      }, this.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Sends one contract channel. The reply is the server's Result as is (whatever its status, when it
   * is a Result); no reply, a refused certificate or a reply that is not a Result become a Result with
   * SERVER_UNREACHABLE / CERT_MISMATCH / CERT_UNTRUSTED. A new session token (auth.signIn, app.setup)
   * is stored into `session`; auth.signOut and an UNAUTHENTICATED reply clear it.
   */
  async call(channel: string, input: unknown, session: RemoteSession, options: CallOptions = {}): Promise<RemoteResult> {
    let reply: RawReply;
    const headers: Record<string, string> = {};
    if (session.token) headers.authorization = `Bearer ${session.token}`;
    if (options.deskTime) headers[DESK_TIME_HEADER] = options.deskTime;
    try {
      reply = await this.request('POST', `/api/${encodeURIComponent(channel).replace(/%2E/gi, '.')}`, headers, JSON.stringify(input ?? {}));
    } catch (err) {
      const res = transportFailure(err, this.url);
      this.note(res);
      return res;
    }
    let res: RemoteResult;
    try {
      const parsed = JSON.parse(reply.body) as Result<unknown>;
      if (!parsed || typeof parsed !== 'object' || typeof parsed.ok !== 'boolean') throw new Error('not a Result');
      res = parsed;
    } catch {
      // A proxy's error page or a half-started server: no answer from the application.
      res =
        reply.status >= 500
          ? fail('SERVER_UNREACHABLE', `本单位服务器暂时无法处理请求（HTTP ${reply.status}），请稍后再试或联系信息管理员。`)
          : fail('INTERNAL', `服务器返回了无法识别的答复（HTTP ${reply.status}），操作未完成。`);
    }
    const date = reply.headers.date;
    if (typeof date === 'string' && !Number.isNaN(Date.parse(date))) res.serverDate = new Date(date).toISOString();
    if (res.ok && (channel === 'auth.signIn' || channel === 'app.setup' || channel === 'auth.changePassword')) {
      const token = reply.headers[SESSION_HEADER];
      if (typeof token === 'string' && token) session.token = token;
    }
    if (channel === 'auth.signOut' && res.ok) session.token = null;
    if (!res.ok && res.error.code === 'UNAUTHENTICATED') session.token = null;
    this.note(res);
    return res;
  }

  /** GET /healthz: true when the server answers {ok:true}. Updates reachability like any request. */
  async health(): Promise<Result<{ engine?: string; head?: number }>> {
    let res: Result<{ engine?: string; head?: number }>;
    try {
      const reply = await this.request('GET', '/healthz', {});
      const body = JSON.parse(reply.body) as { ok?: boolean; engine?: string; head?: number };
      res = body && body.ok === true ? { ok: true, value: { engine: body.engine, head: body.head } } : fail('SERVER_UNREACHABLE', `本单位服务器未就绪（HTTP ${reply.status}）。`);
    } catch (err) {
      res = err instanceof SyntaxError ? fail('SERVER_UNREACHABLE', '本单位服务器未就绪。') : transportFailure(err, this.url);
    }
    this.note(res);
    return res;
  }

  /**
   * GET /api/events with the session's token: calls `onEvent` with each pushed event (the JSON of a
   * `data:` line) until the stream ends (signed out, server gone), then `onEnd` once. Returns stop().
   * Trust is the same as for requests (the same agent).
   */
  events(session: RemoteSession, onEvent: (event: unknown) => void, onEnd: (status: number | null) => void): () => void {
    let ended = false;
    const end = (status: number | null) => {
      if (ended) return;
      ended = true;
      onEnd(status);
    };
    const req = https.request(
      {
        protocol: 'https:',
        hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
        port: this.base.port || 443,
        servername: /^[\d.]+$|:/.test(this.base.hostname) ? undefined : this.base.hostname,
        method: 'GET',
        path: '/api/events',
        agent: this.agent,
        headers: { [CLIENT_HEADER]: 'token', accept: 'text/event-stream', ...(session.token && { authorization: `Bearer ${session.token}` }) },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          res.on('end', () => end(res.statusCode ?? null));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (!data) continue;
            try {
              onEvent(JSON.parse(data));
            } catch {
              // a malformed push is ignored
            }
          }
        });
        res.on('end', () => end(200));
        res.on('close', () => end(200));
        res.on('error', () => end(null));
      },
    );
    req.on('error', (err) => {
      this.note(transportFailure(err, this.url));
      end(null);
    });
    req.end();
    return () => {
      req.destroy();
      end(null);
    };
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Probe: what the first-start screen shows the IT officer before anything is pinned.

export interface ProbedCertificate {
  /** 64 lower-case hex digits. */
  fingerprint: string;
  /** AB:CD:… for display. */
  fingerprintDisplay: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  altNames: string;
  /** Would the system's CAs (plus NODE_EXTRA_CA_CERTS) trust it as is? */
  trustedBySystem: boolean;
}

/**
 * Connects once to the server, sends nothing, and returns the certificate it presents, so a person
 * can compare the fingerprint with the one `lrw serve --init-tls` printed before it is pinned.
 */
export function probeCertificate(url: string, timeoutMs = 10_000): Promise<Result<ProbedCertificate>> {
  const parsed = parseServerUrl(url);
  if (!parsed.ok) return Promise.resolve(fail('VALIDATION', parsed.message));
  const u = parsed.url;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Result<ProbedCertificate>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = tls.connect({
      host,
      port: Number(u.port || 443),
      servername: /^[\d.]+$|:/.test(u.hostname) ? undefined : u.hostname,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => done(transportFailure(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), u.origin)), timeoutMs);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const fp = cert && cert.fingerprint256 ? normalizeFingerprint(cert.fingerprint256) : null;
      if (!cert || !fp) return done(fail('CERT_UNTRUSTED', '服务器没有出示证书，无法建立加密连接。'));
      const name = (o: Record<string, unknown> | undefined) =>
        o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : '';
      done({
        ok: true,
        value: {
          fingerprint: fp,
          fingerprintDisplay: formatFingerprint(fp),
          subject: name(cert.subject as unknown as Record<string, unknown>),
          issuer: name(cert.issuer as unknown as Record<string, unknown>),
          validFrom: new Date(cert.valid_from).toISOString(),
          validTo: new Date(cert.valid_to).toISOString(),
          altNames: cert.subjectaltname ?? '',
          trustedBySystem: socket.authorized,
        },
      });
    });
    socket.once('error', (err) => done(transportFailure(err, u.origin)));
  });
}
