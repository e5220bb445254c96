// `lrw --server`: the real bundled CLI in child processes, speaking the contract over HTTPS to a real
// `startServer` on 127.0.0.1 (the server's own self-signed certificate), on SQLite and on PostgreSQL.
// No --db for these commands: the database is the server's. Refusals come back with the core's code,
// Chinese message and exit code, exactly as on --db.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../main/server/server';
import { createSelfSignedCertificate } from '../../main/server/tls';
import { tempDir } from '../helpers/fixture';
import { createPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let dir: string;
let cli: string;
let store: string;
let filesDir: string;
let keyFile: string;
let cert: string;
let server: RunningServer;
const accessLog: string[] = [];
const examples = path.resolve('docs/examples');

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** lrw in a child process, asynchronously (the server answers on this process's event loop). */
function lrwRaw(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      // LRW_DB names a database that does not exist: with --server none is opened.
      env: { ...process.env, LRW_PASSWORD: 'Passw0rd!init', LRW_DB: path.join(dir, 'no-such-dir', 'none.sqlite'), LRW_FILES: '', NODE_EXTRA_CA_CERTS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** lrw against the server, trusting its certificate with --ca. */
const lrw = (args: string[], env: Record<string, string> = {}) => lrwRaw([...args, '--server', server.url, '--ca', cert], env);
const ok = async (args: string[], env: Record<string, string> = {}) => {
  const r = await lrw(args, env);
  expect(r.code, `${args.join(' ')}\n${r.out}\n${r.err}`).toBe(0);
  return r.out;
};

async function sql(text: string): Promise<unknown[]> {
  if (onPostgres) {
    const c = new pg.Client({ connectionString: store });
    await c.connect();
    try {
      return (await c.query({ text, rowMode: 'array' })).rows.map((r: unknown[]) => r[0]);
    } finally {
      await c.end();
    }
  }
  const raw = new Database(store, { readonly: true });
  try {
    return raw.prepare(text).pluck().all() as unknown[];
  } finally {
    raw.close();
  }
}

function example(name: string, patch: Record<string, unknown> = {}): string {
  const data = { ...JSON.parse(fs.readFileSync(path.join(examples, name), 'utf8')), ...patch };
  if ('password' in data) data.password = 'Passw0rd!init';
  const out = path.join(dir, name);
  fs.writeFileSync(out, JSON.stringify(data));
  return out;
}

beforeAll(async () => {
  dir = tempDir('lrw-server-');
  cli = path.resolve('node_modules/.cache/lrw-test', `lrw-server-${process.pid}.cjs`);
  buildSync({ entryPoints: ['main/cli/lrw.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, external: ['better-sqlite3', 'keytar'], logLevel: 'error', absWorkingDir: process.cwd(), nodePaths: [path.resolve('node_modules')] });
  store = onPostgres ? await createPgDatabase(uniqueDbName('lrw_srv')) : path.join(dir, 'lrw.sqlite');
  filesDir = path.join(dir, 'files');
  keyFile = path.join(dir, 'keys', 'record-key.pem');
  fs.copyFileSync(path.join(examples, '现场检查笔录.txt'), path.join(dir, '现场检查笔录.txt'));
  // The database is set up where it lives (init is a command on the database itself), then served.
  const init = await lrwRaw(['init', '--agency', '某市市场监督管理局', '--prefix', '某市监罚', '--admin', 'admin', '--name', '管理员', '--db', store], { LRW_FILES: filesDir, LRW_RECORD_KEY_FILE: keyFile });
  expect(init.code, init.err).toBe(0);
  const tls = createSelfSignedCertificate('127.0.0.1');
  cert = path.join(dir, 'cert.pem');
  fs.writeFileSync(cert, tls.certPem);
  server = await startServer({ db: store, files: filesDir, recordKeyFile: keyFile, tls: { cert: tls.certPem, key: tls.keyPem }, accessLog: (l) => accessLog.push(l), staticDir: path.join(dir, 'no-ui') });
  expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cli, { force: true });
});

describe('lrw --server', () => {
  it('walks users → submit (with an attachment) → take → review → approve by 案件编号 → show over HTTPS, with no database', async () => {
    for (const f of ['user-handler.json', 'user-officer.json', 'user-reviewer.json', 'user-head.json']) await ok(['user', 'add', '--file', example(f), '--as', 'admin']);
    const c = JSON.parse(await ok(['case', 'submit', '--file', example('case.json'), '--as', 'zhang', '--json']));
    // The attachment went up in chunks through uploads.* and is stored on the server's side.
    expect(c.submissions[0].attachments[0].name).toBe('现场检查笔录.txt');
    expect((await sql('SELECT COUNT(*) FROM blobs'))[0]).toBe(1);
    expect(await ok(['case', 'take', String(c.id), '--as', 'wang'])).toContain(`已领取案件 ${c.id}`);
    expect(await ok(['review', String(c.id), '--file', example('review.json'), '--as', 'wang'])).toContain('同意');
    // A case named by its number is found through cases.byNo.
    expect(await ok(['approve', '某市监罚立〔2026〕101号', '--decision', 'approve', '--opinion', '同意', '--as', 'zhao'])).toContain(`案件 ${c.id}：已批准`);
    const shown = JSON.parse(await ok(['case', 'show', '某市监罚立〔2026〕101号', '--json', '--as', 'wang']));
    expect(shown).toMatchObject({ id: c.id, state: 'approved', responsible: { handler: '张承办', reviewer: '王审核', approver: '赵局长' } });
    expect(await ok(['case', 'show', String(c.id), '--as', 'wang'])).toContain('执法主体是否合法');
    // The server's access log names each channel lrw used and who, never the password.
    const lines = accessLog.map((l) => JSON.parse(l) as { channel: string; user: string | null; result: string });
    expect(lines.some((l) => l.channel === 'cases.byNo' && l.user === 'zhao' && l.result === 'ok')).toBe(true);
    expect(lines.some((l) => l.channel === 'uploads.chunk' && l.user === 'zhang')).toBe(true);
    expect(accessLog.join('\n')).not.toContain('Passw0rd!init');
    // Each command signs out at its end: no bearer session is left open on the server.
    expect(Number((await sql('SELECT COUNT(*) FROM sessions'))[0])).toBe(0);
  });

  it('renders a PDF draft through documents.render, and lists the audit log', async () => {
    const pdf = path.join(dir, 'draft.pdf');
    const r = await lrw(['render', 'review-opinion', '--case', '1', '--pdf', '--out', pdf, '--as', 'wang']);
    expect(r.code, r.err).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const text = await ok(['render', 'review-opinion', '--case', '1', '--as', 'wang']);
    expect(text).toContain('法制审核意见书');
    expect(await ok(['audit', 'log', '--action', 'case.', '--as', 'admin'])).toContain('送审');
  });

  it('refuses a wrong password (exit 3) and passes a refusal through with its Chinese message (exit 1), changing nothing', async () => {
    const events = async () => Number((await sql('SELECT COUNT(*) FROM events'))[0]);
    const n = await events();
    const wrong = await lrw(['queue', '--as', 'zhang'], { LRW_PASSWORD: 'wrong-password' });
    expect(wrong.code).toBe(3);
    expect(wrong.err).toContain('错误（UNAUTHENTICATED）：用户名或密码不正确');
    expect(await events()).toBe(n);
    expect(Number((await sql("SELECT failed_attempts FROM users WHERE username = 'zhang'"))[0])).toBe(1);
    const before = await sql('SELECT state FROM cases WHERE id = 1');
    const refused = await lrw(['case', 'close', '1', '--as', 'wang']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^错误（FORBIDDEN）：.*[\u4e00-\u9fff]/m);
    expect(await sql('SELECT state FROM cases WHERE id = 1')).toEqual(before);
    const unknown = await lrw(['case', 'show', '某市监罚立〔2026〕999号', '--as', 'wang']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('找不到案件编号为“某市监罚立〔2026〕999号”的案件。');
    const badId = await lrw(['case', 'submit', '--file', example('case.json', { caseNo: 'BAD-1', party: { type: 'organization', name: '某公司', idNumber: '91110105MA01ABCD1X', address: '某路' } }), '--as', 'zhang']);
    expect(badId.code).toBe(1);
    expect(badId.err).toContain('统一社会信用代码');
    // Refused before any file went up (cases.check), so no second blob.
    expect((await sql('SELECT COUNT(*) FROM blobs'))[0]).toBe(1);
  });

  it('answers public reckoning signed out; keeps commands on the database itself local', async () => {
    expect((await ok(['deadline', '--from', '2026-09-28', '--days', '5']))).toContain('届满日 2026年10月10日');
    const local = await lrw(['backup', '--to', path.join(dir, 'b')]);
    expect(local.code).toBe(2);
    expect(local.err).toContain('须在数据库所在的机器上');
    const against = await lrw(['audit', 'verify', '--against', cert, '--as', 'admin']);
    expect(against.code).toBe(2);
    const both = await lrw(['queue', '--as', 'zhang', '--db', store]);
    expect(both.code).toBe(2);
    // The whole-store verification runs as a job on the server for an administrator.
    const v = await ok(['audit', 'verify', '--quick', '--as', 'admin']);
    expect(v).toContain('校验通过');
  });

  it('trusts the server only through --ca or NODE_EXTRA_CA_CERTS; an unreachable server is exit 5', async () => {
    const untrusted = await lrwRaw(['queue', '--as', 'zhang', '--server', server.url]);
    expect(untrusted.code).toBe(5);
    expect(untrusted.err).toContain('证书不受信任');
    expect(untrusted.err).toContain('--ca');
    const viaEnv = await lrwRaw(['queue', '--as', 'zhang', '--server', server.url], { NODE_EXTRA_CA_CERTS: cert });
    expect(viaEnv.code, viaEnv.err).toBe(0);
    const other = createSelfSignedCertificate('127.0.0.1');
    const otherFile = path.join(dir, 'other.pem');
    fs.writeFileSync(otherFile, other.certPem);
    expect((await lrwRaw(['queue', '--as', 'zhang', '--server', server.url, '--ca', otherFile])).code).toBe(5);
    const gone = await lrwRaw(['queue', '--as', 'zhang', '--server', 'https://127.0.0.1:1', '--ca', cert]);
    expect(gone.code).toBe(5);
    expect(gone.err).toContain('无法连接服务器 https://127.0.0.1:1');
    expect((await lrwRaw(['queue', '--as', 'zhang', '--server', 'ftp://x'])).code).toBe(1);
  });
  it('signs with this machine’s key: identity trial registers only the public certificate; issue signs what the server rendered', async () => {
    const keys = path.join(dir, 'wang-keys');
    const env = { LRW_KEYS_DIR: keys };
    expect(await ok(['identity', 'trial', '--as', 'wang'], env)).toContain('已生成试用签名证书：王审核');
    // The key is here (the .p12 in LRW_KEYS_DIR, its passphrase in this machine's keychain); the server has the certificate.
    expect(fs.readdirSync(keys).filter((n) => n.endsWith('.p12'))).toHaveLength(1);
    expect(Number((await sql('SELECT COUNT(*) FROM identity_certificates'))[0])).toBe(1);
    expect(await ok(['finalize', 'review-opinion', '--case', '1', '--as', 'wang'], env)).toContain('已定稿');
    // Another machine of the same person, without the key: refused, nothing issued.
    const elsewhere = await lrw(['issue', 'review-opinion', '--case', '1', '--as', 'wang'], { LRW_KEYS_DIR: path.join(dir, 'no-keys') });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toContain('私钥不在这台电脑上');
    expect(Number((await sql('SELECT COUNT(*) FROM issued_files'))[0])).toBe(0);
    const out = path.join(dir, 'issued');
    expect(await ok(['issue', 'review-opinion', '--case', '1', '--out', out, '--as', 'wang'], env)).toContain('已签发');
    const pdf = fs.readdirSync(out).find((n) => n.endsWith('.pdf'))!;
    const checked = await ok(['verify', path.join(out, pdf)]);
    expect(checked).toContain('签名有效');
    expect(checked).toContain('王审核');
    expect(spawnSync('pdfsig', [path.join(out, pdf)], { encoding: 'utf8' }).stdout).toContain('Signature is Valid');
  });
});
