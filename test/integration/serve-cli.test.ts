// `lrw serve` as an IT officer runs it: the bundled CLI in a child process, a trial certificate from
// `--init-tls`, HTTPS with that certificate trusted, a config file, refusals of bad options, and a
// graceful stop on SIGTERM. On PostgreSQL the same with a postgres:// URL and --files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/fixture';
import { createPgDatabase, dropPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';
import { ServeConfig } from '../../main/server/cli';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let dir: string;
let cli: string;
let db: string;
let pgName: string | null = null;
const children: ChildProcess[] = [];

const env = () => ({ ...process.env, LRW_PASSWORD: 'Passw0rd!init', LRW_DB: '', LRW_FILES: path.join(dir, 'files') });

beforeAll(async () => {
  dir = tempDir('lrw-serve-');
  // Inside the project so the bundle resolves its native modules and the server framework from node_modules.
  cli = path.resolve('node_modules/.cache/lrw-test', `lrw-serve-${process.pid}.cjs`);
  buildSync({ entryPoints: ['main/cli/lrw.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, external: ['better-sqlite3', 'keytar', 'fastify', '@fastify/cookie', '@fastify/rate-limit', '@fastify/static'], logLevel: 'error', absWorkingDir: process.cwd(), nodePaths: [path.resolve('node_modules')] });
  if (onPostgres) {
    pgName = uniqueDbName('lrw_serve');
    db = await createPgDatabase(pgName);
  } else db = path.join(dir, 'lrw.sqlite');
  const init = spawnSync(process.execPath, [cli, 'init', '--db', db, '--agency', '某市市场监督管理局', '--prefix', '某市监罚', '--admin', 'admin', '--name', '管理员'], { encoding: 'utf8', env: env() });
  expect(init.status, init.stderr).toBe(0);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (pgName) await dropPgDatabase(pgName);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cli, { force: true });
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Starts `lrw serve`, resolves once it says it listens (or rejects with what it printed). */
function serve(args: string[]): Promise<{ child: ChildProcess; err: () => string; out: () => string }> {
  const child = spawn(process.execPath, [cli, 'serve', ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      err += d;
      if (err.includes('服务已启动')) resolve({ child, err: () => err, out: () => out });
    });
    child.on('exit', (code) => reject(new Error(`lrw serve exited ${code}: ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (c) => r(c))));

function httpsJson(url: string, ca: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', ca, headers: { 'content-type': 'application/json', ...init.headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: res.headers }));
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(JSON.stringify(init.body));
    req.end();
  });
}

describe('lrw serve', () => {
  it('writes a trial certificate, serves HTTPS with it, signs in over it, and stops gracefully on SIGTERM', async () => {
    const tls = path.join(dir, 'tls');
    const init = spawnSync(process.execPath, [cli, 'serve', '--init-tls', '--host', 'localhost', '--out', tls], { encoding: 'utf8', env: env() });
    expect(init.status, init.stderr).toBe(0);
    const fingerprint = /SHA-256 指纹 ([0-9A-F:]{95})/.exec(init.stdout)![1];
    expect((fs.statSync(path.join(tls, 'key.pem')).mode & 0o777).toString(8)).toBe('600');
    // A second run refuses to overwrite the key.
    expect(spawnSync(process.execPath, [cli, 'serve', '--init-tls', '--host', 'localhost', '--out', tls], { encoding: 'utf8', env: env() }).status).toBe(1);

    const port = await freePort();
    const s = await serve(['--db', db, '--files', path.join(dir, 'files'), '--listen', `127.0.0.1:${port}`, '--tls-cert', path.join(tls, 'cert.pem'), '--tls-key', path.join(tls, 'key.pem')]);
    expect(s.err()).toContain(fingerprint);
    const ca = fs.readFileSync(path.join(tls, 'cert.pem'), 'utf8');
    const base = `https://localhost:${port}`;
    const health = await httpsJson(`${base}/healthz`, ca);
    expect(health.body).toMatchObject({ ok: true, engine: onPostgres ? 'postgres' : 'sqlite' });
    expect(health.headers['strict-transport-security']).toBeDefined();
    const signIn = await httpsJson(`${base}/api/auth.signIn`, ca, { method: 'POST', body: { username: 'admin', password: 'Passw0rd!init' }, headers: { 'x-lrw-client': 'token' } });
    expect(signIn.body.ok).toBe(true);
    expect(signIn.headers['x-lrw-session']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // An untrusted certificate is refused by the client (no silent trust).
    await expect(new Promise((resolve, reject) => https.get(`${base}/healthz`, resolve).on('error', reject))).rejects.toThrow();

    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);
    expect(s.err()).toContain('服务已停止');
    const log = s.out().trim().split('\n').map((l) => JSON.parse(l));
    expect(log.find((l) => l.channel === 'auth.signIn')).toMatchObject({ user: 'admin', result: 'ok', status: 200 });
    expect(s.out()).not.toContain('Passw0rd!init');
  });

  it('accepts the README\'s example config and systemd unit as shipped', () => {
    expect(ServeConfig.safeParse(JSON.parse(fs.readFileSync('docs/server/serve.example.json', 'utf8'))).success).toBe(true);
    const unit = fs.readFileSync('docs/server/lrw.service', 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/lrw\/bin\/lrw\.js serve --config \/etc\/lrw\/serve\.json$/m);
    expect(unit).toMatch(/^StandardInput=null$/m);
  });

  it('takes a config file, and refuses bad options and a port in use with a clear message', async () => {
    const port = await freePort();
    const cfg = path.join(dir, 'lrw-serve.json');
    fs.writeFileSync(cfg, JSON.stringify({ db, files: path.join(dir, 'files'), listen: `127.0.0.1:${port}` }));
    const s = await serve(['--config', cfg]);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect((await res.json()).ok).toBe(true);

    const busy = spawnSync(process.execPath, [cli, 'serve', '--config', cfg], { encoding: 'utf8', env: env() });
    expect(busy.status).toBe(1);
    expect(busy.stderr).toContain(`端口 ${port} 已被占用`);
    s.child.kill('SIGTERM');
    expect(await exited(s.child)).toBe(0);

    fs.writeFileSync(cfg, JSON.stringify({ db, listen: 'nowhere' }));
    const bad = spawnSync(process.execPath, [cli, 'serve', '--config', cfg], { encoding: 'utf8', env: env() });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--listen 须为“地址:端口”');
    fs.writeFileSync(cfg, JSON.stringify({ db, colour: 'blue' }));
    const unknown = spawnSync(process.execPath, [cli, 'serve', '--config', cfg], { encoding: 'utf8', env: env() });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('配置文件');
    const half = spawnSync(process.execPath, [cli, 'serve', '--db', db, '--tls-cert', 'cert.pem'], { encoding: 'utf8', env: env() });
    expect(half.status).toBe(2);
    expect(half.stderr).toContain('--tls-cert 与 --tls-key 须同时指定');
  });
});
