// How `lrw` speaks the contract (preload/contract.ts): to a core it opens on the database (the same
// `dispatch` the app's window goes through), or to an agency server over HTTPS (the server's protocol:
// `POST /api/<channel>` with the channel's input as JSON, the Result as the reply; a bearer token from
// the `x-lrw-session` header of a successful sign-in). Either way lrw holds no rule and no query: it
// signs in as the --as user and calls channels; a refusal comes back as the core's AppError.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Channel, Input, Outputs, Result } from '../../preload/contract';
import { dispatch, type Session } from '../core/api';
import { AppError, type ErrorCode } from '../core/domain/errors';
import type { SessionView } from '../core/domain/views';
import type { Core } from '../core/services/core';
import { SIGNED_AT_DESK, type DeskSigner } from '../core/services/signAtDesk';

export interface Caller {
  /** Where the channels go: the database (as lrw shows it) or the server's URL. */
  readonly where: string;
  readonly remote: boolean;
  /** One channel; the value, or the refusal thrown as an AppError with the core's code and message. */
  call<C extends Channel>(channel: C, input: Input<C>): Promise<Outputs[C]>;
  /** auth.signIn; afterwards every call acts as that user. */
  signIn(username: string, password: string): Promise<SessionView>;
  /** Ends the session (auth.signOut) if one was started. */
  close(): Promise<void>;
}

const unwrap = <T>(r: Result<T>): T => {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.details);
};

/** The contract on a core lrw opened itself: one session, like one window of the app. */
export class LocalCaller implements Caller {
  readonly remote = false;
  private readonly session: Session = { userId: null };
  constructor(readonly core: Core, readonly where: string = core.dbPath) {}

  async call<C extends Channel>(channel: C, input: Input<C>): Promise<Outputs[C]> {
    return unwrap(await dispatch(this.core, this.session, channel, input)) as Outputs[C];
  }

  async signIn(username: string, password: string): Promise<SessionView> {
    return await this.call('auth.signIn', { username, password });
  }

  async close(): Promise<void> {
    if (this.session.userId !== null) await this.call('auth.signOut', {});
  }
}

export interface RemoteOptions {
  /** A PEM file of the CA (or the self-signed certificate) the server's certificate chains to. */
  caFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Per request (ms); a server that does not answer by then is reported unreachable. */
  timeoutMs?: number;
  /**
   * Signs with keys held on this machine (services/signAtDesk.ts): the server holds no private key, so
   * identity trial / identity import / issue are answered here and registered or completed on the server.
   */
  signer?: DeskSigner;
}

/** Where Debian/Ubuntu, Fedora/RHEL and Alpine keep the system's trusted CAs (one PEM bundle). */
const SYSTEM_CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

const readPem = (file: string, what: string): string => {
  try {
    const pem = fs.readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
    return pem;
  } catch {
    throw new AppError('VALIDATION', `无法读取${what}“${file}”（应为 PEM 格式的证书）。`);
  }
};

/**
 * The CAs lrw trusts for --server: Node's roots, the system's bundle, NODE_EXTRA_CA_CERTS and --ca.
 * (Passing `ca` to TLS replaces Node's defaults, so each is listed here.)
 */
export function trustedCas(opts: RemoteOptions): string[] {
  const env = opts.env ?? process.env;
  const cas = [...tls.rootCertificates];
  const system = SYSTEM_CA_BUNDLES.find((f) => fs.existsSync(f));
  if (system) {
    try {
      cas.push(fs.readFileSync(system, 'utf8'));
    } catch {
      // An unreadable system bundle leaves Node's roots.
    }
  }
  if (env.NODE_EXTRA_CA_CERTS) cas.push(readPem(env.NODE_EXTRA_CA_CERTS, ' NODE_EXTRA_CA_CERTS 指定的证书文件'));
  if (opts.caFile) cas.push(readPem(opts.caFile, ' --ca 证书文件'));
  return cas;
}

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_REJECTED',
]);

/** The contract over HTTP(S) to an agency server (`lrw serve`), as a bearer client. */
export class RemoteCaller implements Caller {
  readonly remote = true;
  readonly where: string;
  private token: string | null = null;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(server: string, private readonly opts: RemoteOptions = {}) {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      throw new AppError('VALIDATION', `服务器地址“${server}”无效，应为 https://主机:端口 的形式。`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('VALIDATION', `服务器地址“${server}”无效，应以 https:// 开头。`);
    if (url.username || url.password) throw new AppError('VALIDATION', '服务器地址中不能含用户名或密码：请以 --as 与 LRW_PASSWORD 登录。');
    this.base = new URL(url.pathname.endsWith('/') ? url.href : `${url.href}/`);
    this.where = url.origin + (url.pathname === '/' ? '' : url.pathname);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.agent = url.protocol === 'https:' ? new https.Agent({ ca: trustedCas(opts), keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  async call<C extends Channel>(channel: C, input: Input<C>): Promise<Outputs[C]> {
    if (this.opts.signer && SIGNED_AT_DESK.has(channel)) {
      return unwrap(await this.opts.signer.handle(channel, input, (ch, i) => this.result(ch as Channel, i as never))) as Outputs[C];
    }
    return await this.send(channel, input);
  }

  /** One channel as its Result (what the desk signer expects); transport failures still throw. */
  private async result(channel: Channel, input: never): Promise<Result<unknown>> {
    try {
      return { ok: true, value: await this.send(channel, input) };
    } catch (err) {
      if (err instanceof AppError && err.code !== 'SERVER_UNREACHABLE' && err.code !== 'CERT_UNTRUSTED') return { ok: false, error: { code: err.code, message: err.message, details: err.details } };
      throw err;
    }
  }

  private async send<C extends Channel>(channel: C, input: Input<C>): Promise<Outputs[C]> {
    const { status, headers, body } = await this.post(`api/${channel}`, JSON.stringify(input ?? {}));
    let result: Result<Outputs[C]>;
    try {
      result = JSON.parse(body) as Result<Outputs[C]>;
    } catch {
      throw new AppError('SERVER_UNREACHABLE', `服务器 ${this.where} 的回复无法识别（HTTP ${status}）：它是法制审核工作台的服务器吗？`);
    }
    if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
      throw new AppError('SERVER_UNREACHABLE', `服务器 ${this.where} 的回复无法识别（HTTP ${status}）：它是法制审核工作台的服务器吗？`);
    }
    const session = headers['x-lrw-session'];
    if (result.ok && typeof session === 'string' && session) this.token = session;
    if (channel === 'auth.signOut' && result.ok) this.token = null;
    return unwrap(result);
  }

  async signIn(username: string, password: string): Promise<SessionView> {
    return await this.call('auth.signIn', { username, password });
  }

  async close(): Promise<void> {
    try {
      if (this.token) await this.call('auth.signOut', {});
    } catch {
      // The session ends by the idle timeout anyway.
    } finally {
      this.token = null;
      this.agent.destroy();
    }
  }

  private post(pathname: string, body: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    const url = new URL(pathname, this.base);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      accept: 'application/json',
      'x-lrw-client': 'token',
      ...(this.token && { authorization: `Bearer ${this.token}` }),
    };
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method: 'POST', headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(this.transportError(err)));
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.transportError(err)));
      req.end(body);
    });
  }

  private transportError(err: Error & { code?: string }): AppError {
    const code = err.code ?? '';
    if (TLS_TRUST_CODES.has(code)) {
      return new AppError('CERT_UNTRUSTED', `服务器 ${this.where} 的证书不受信任（${code}）：请以 --ca 指定本单位的 CA 证书（或 lrw serve --init-tls 生成的 cert.pem），或设置环境变量 NODE_EXTRA_CA_CERTS。`, { cause: err.message });
    }
    const why: Record<string, string> = {
      ECONNREFUSED: '连接被拒绝（服务未启动或端口不对）',
      ENOTFOUND: '找不到该主机名',
      EAI_AGAIN: '暂时无法解析该主机名',
      ETIMEDOUT: '连接超时',
      ECONNRESET: '连接被中断',
      EHOSTUNREACH: '主机不可达',
      ENETUNREACH: '网络不可达',
    };
    return new AppError('SERVER_UNREACHABLE' as ErrorCode, `无法连接服务器 ${this.where}：${why[code] ?? '网络错误'}。`, { cause: err.message });
  }
}
