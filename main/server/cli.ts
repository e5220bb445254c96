// `lrw serve`: the agency server from the command line (or a JSON config file), and
// `lrw serve --init-tls`: a self-signed certificate for a trial, with its fingerprint for the desktops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { defaultUserDataDir, resolveDbPath } from '../core/paths';
import { toErrorPayload } from '../core/domain/errors';
import { startServer, type RunningServer, type ServerOptions } from './server';
import { certificateFingerprint, createSelfSignedCertificate } from './tls';

export interface ServeIO {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

export const SERVE_USAGE = `lrw serve：本单位服务器（内网内各台电脑和浏览器共用同一份案件）

  lrw serve [--db postgres://用户:密码@主机/库 | --db 文件.sqlite] [--files 目录] [--listen 地址:端口]
            [--tls-cert cert.pem --tls-key key.pem] [--config 配置.json] [--trust-proxy]
            [--rate-per-user 每分钟次数] [--rate-per-address 每分钟次数]
  lrw serve --init-tls --host lrw.agency.local --out 目录     生成试用的自签名证书并显示其 SHA-256 指纹

  不指定 --db 时使用本机默认的 SQLite 数据库（小单位或试用）。--listen 默认 127.0.0.1:8443。
  未配置证书时以 HTTP 提供服务，仅适合本机试用；内网部署请配置 TLS 证书。
  配置文件为 JSON，键与参数同名：{"db": "...", "files": "...", "listen": "0.0.0.0:8443", "tlsCert": "...", "tlsKey": "..."}`;

export const ServeConfig = z
  .object({
    db: z.string().min(1).optional(),
    files: z.string().min(1).optional(),
    listen: z.string().min(1).optional(),
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    recordKeyFile: z.string().min(1).optional(),
    trustProxy: z.boolean().optional(),
    ratePerUser: z.number().int().positive().optional(),
    ratePerAddress: z.number().int().positive().optional(),
    static: z.string().min(1).optional(),
  })
  .strict();

function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:]+)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen 须为“地址:端口”，例如 0.0.0.0:8443（收到“${s}”）`);
  return { host: m[1] ?? m[2], port };
}

const readPem = (file: string, what: string): Buffer => {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`无法读取${what}“${file}”：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
};

export async function runServe(argv: string[], io: ServeIO): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        db: { type: 'string' }, files: { type: 'string' }, listen: { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
        config: { type: 'string' }, 'trust-proxy': { type: 'boolean' }, 'rate-per-user': { type: 'string' }, 'rate-per-address': { type: 'string' },
        static: { type: 'string' }, 'init-tls': { type: 'boolean' }, host: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    io.err(`用法错误：${(err as Error).message}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(SERVE_USAGE);
    return 0;
  }
  if (values['init-tls']) return initTls(values.host, values.out, io);

  let opts: ServerOptions;
  try {
    let cfg: z.infer<typeof ServeConfig> = {};
    if (values.config) {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(values.config, 'utf8'));
      } catch (err) {
        throw new Error(`无法读取配置文件“${values.config}”：${(err as Error).message}`);
      }
      const parsed = ServeConfig.safeParse(raw);
      if (!parsed.success) throw new Error(`配置文件“${values.config}”有误：${parsed.error.issues.map((i) => `${i.path.join('.') || '（整体）'} ${i.message}`).join('；')}`);
      cfg = parsed.data;
    }
    const num = (s: string | undefined, name: string) => {
      if (s === undefined) return undefined;
      const n = Number(s);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} 须为正整数（收到“${s}”）`);
      return n;
    };
    const dbArg = values.db ?? cfg.db;
    const db = resolveDbPath({ argv: dbArg ? ['--db', dbArg] : [], env: io.env, userDataDir: defaultUserDataDir(process.platform, io.env, os.homedir()) });
    const certFile = values['tls-cert'] ?? cfg.tlsCert;
    const keyFile = values['tls-key'] ?? cfg.tlsKey;
    if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('--tls-cert 与 --tls-key 须同时指定');
    const files = values.files ?? cfg.files ?? io.env.LRW_FILES;
    const recordKeyFile = cfg.recordKeyFile ?? io.env.LRW_RECORD_KEY_FILE;
    opts = {
      db,
      ...(files && { files: path.resolve(files) }),
      listen: parseListen(values.listen ?? cfg.listen ?? '127.0.0.1:8443'),
      ...(certFile && keyFile && { tls: { cert: readPem(certFile, '证书'), key: readPem(keyFile, '私钥') } }),
      ...(recordKeyFile && { recordKeyFile }),
      ...((values.static ?? cfg.static) && { staticDir: path.resolve((values.static ?? cfg.static)!) }),
      trustProxy: values['trust-proxy'] ?? cfg.trustProxy ?? false,
      rateLimit: {
        perUser: num(values['rate-per-user'], '--rate-per-user') ?? cfg.ratePerUser,
        perAddress: num(values['rate-per-address'], '--rate-per-address') ?? cfg.ratePerAddress,
      },
      accessLog: (line) => io.out(line),
    };
  } catch (err) {
    io.err(`用法错误：${(err as Error).message}`);
    return 2;
  }

  let server: RunningServer;
  try {
    server = await startServer({ ...opts, prewarmDocuments: true });
  } catch (err) {
    const e = toErrorPayload(err);
    const sys = (err as NodeJS.ErrnoException).code;
    io.err(`无法启动服务：${sys === 'EADDRINUSE' ? `端口 ${opts.listen!.port} 已被占用` : sys === 'EACCES' ? `无权监听 ${opts.listen!.host}:${opts.listen!.port}` : e.message}`);
    return 1;
  }
  const where = opts.tls ? server.url : `${server.url}（未配置证书：仅限本机试用）`;
  const fingerprint = opts.tls ? `\n证书指纹（SHA-256）：${certificateFingerprint(opts.tls.cert)}` : '';
  io.err(`法制审核工作台服务已启动：${where}，数据库 ${server.core.dbPath}（${server.core.db.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'}）。按 Ctrl+C 停止。${fingerprint}`);

  // Graceful shutdown: stop accepting, let requests under way finish, sign the head, close the store.
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.err(`收到 ${signal}，正在停止服务（等待进行中的请求完成）…`);
      server.close().then(
        () => {
          io.err('服务已停止。');
          resolve(0);
        },
        (err) => {
          io.err(`停止服务时出错：${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function initTls(host: string | undefined, out: string | undefined, io: ServeIO): number {
  if (!host || !out) {
    io.err('用法错误：--init-tls 须同时给出 --host 主机名 与 --out 目录');
    return 2;
  }
  const dir = path.resolve(out);
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (fs.existsSync(certFile) || fs.existsSync(keyFile)) {
    io.err(`目录“${dir}”中已有 cert.pem 或 key.pem，未覆盖。换用空目录，或先移走原文件。`);
    return 1;
  }
  const { certPem, keyPem, fingerprint } = createSelfSignedCertificate(host);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyFile, keyPem, { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(certFile, certPem, { mode: 0o644, flag: 'wx' });
  io.out(`已生成自签名证书（试用）：\n  证书 ${certFile}\n  私钥 ${keyFile}（仅服务账户可读）\n  主机名 ${host}\n  SHA-256 指纹 ${fingerprint}\n各台电脑首次连接时会显示此指纹，请信息化管理员核对一致后再确认。`);
  return 0;
}
