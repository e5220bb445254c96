// Backup and restore (issue 11, point 7): the backup holds the database (SQLite), every stored file and
// the signing identities, never the record-signing private key; restore checks integrity, every file's
// hash and the whole chain before it says so, and a failed restore leaves nothing behind.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backupLayout, backupTo, type BackupManifest } from '../../main/core/services/backup';
import { restoreFrom, RestoreCheckFailed } from '../../main/core/services/restore';
import { closeCore, openCore } from '../../main/core/services/core';
import { verifyChain } from '../../main/core/services/audit';
import { submitCase } from '../../main/core/services/cases';
import { storeFile } from '../../main/core/services/uploads';
import { createTrialIdentity } from '../../main/core/documents/identity';
import { MemorySecretStore } from '../../main/core/secrets';
import { caseInput, makeFixture, tempDir, type Fixture } from '../helpers/fixture';
import { createPgDatabase, dropPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

let f: Fixture;
let out: string;
let recordPem: string;
const secrets = new MemorySecretStore();

beforeEach(async () => {
  f = await makeFixture();
  out = tempDir('lrw-restore-');
  // Two cases with attachments (stored files), and a signing identity (.p12 in core.keysDir).
  for (const [i, text] of ['现场检查笔录', '抽样检验报告'].entries()) {
    const src = path.join(f.dir, `${i}.txt`);
    fs.writeFileSync(src, `${text} ${i} ${'内容'.repeat(1000)}`);
    const a = await storeFile(f.core, f.handler, src, `${text}.txt`);
    await submitCase(f.core, f.handler, caseInput(f, { caseNo: `某市监罚立〔2026〕${200 + i}号`, attachments: [{ sha256: a.sha256, name: a.name }] }));
  }
  await createTrialIdentity({ signerName: '王审核', agency: '某市市场监督管理局', keysDir: f.core.keysDir, store: secrets });
  // The record-signing private key in a key file inside the identities' folder (a server's careless
  // layout), plus a hard link to it under another name and a plain copy of the PEM.
  recordPem = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const keyFile = path.join(f.core.keysDir, 'record-key.pem');
  fs.writeFileSync(keyFile, recordPem, { mode: 0o600 });
  fs.linkSync(keyFile, path.join(f.core.keysDir, 'alias.bin'));
  fs.writeFileSync(path.join(f.core.keysDir, 'exported-copy.txt'), `备份\n${recordPem}`);
  f.core.recordKeyFile = keyFile;
});

afterEach(async () => {
  await f?.close();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

/** Every file under a folder, recursively. */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const everythingUnder = (target: string) => [target, `${target}-files`, `${target}-keys`, `${target}-backup.json`].flatMap((p) => (fs.existsSync(p) && fs.statSync(p).isFile() ? [p] : walk(p)));

describe('backup', () => {
  it('holds every stored file and the identities, never the record-signing private key', async () => {
    const target = path.join(out, 'b', 'lrw-backup.sqlite');
    const r = await backupTo(f.core, target);
    const layout = backupLayout(target, f.core.db.engine);
    const stored = (await f.core.db.column<string>('SELECT sha256 FROM blobs')).sort();
    expect(stored.length).toBe(2);
    expect(r.files).toBe(2);
    for (const sha of stored) expect(fs.readFileSync(path.join(layout.filesDir, sha.slice(0, 2), sha)).equals(fs.readFileSync(f.core.blobs.pathOf(sha)))).toBe(true);
    const p12s = fs.readdirSync(f.core.keysDir).filter((n) => n.endsWith('.p12'));
    expect(p12s.length).toBe(1);
    expect(fs.readdirSync(layout.keysDir)).toEqual(expect.arrayContaining(p12s));
    // Not the key file, not its hard link, not the copied PEM: nowhere in the backup.
    const all = onPostgres ? walk(layout.dbFile) : everythingUnder(target);
    expect(all.length).toBeGreaterThan(3);
    const leaked = all.filter((p) => fs.readFileSync(p).includes(Buffer.from(recordPem.split('\n')[1])));
    expect(leaked).toEqual([]);
    expect(r.excluded.map((x) => path.basename(x.path)).sort()).toEqual(['alias.bin', 'exported-copy.txt', 'record-key.pem']);
    const m = JSON.parse(fs.readFileSync(layout.manifestFile, 'utf8')) as BackupManifest;
    expect(m).toMatchObject({ format: 'lrw-backup/1', engine: f.core.db.engine, files: 2 });
    expect(m.keys.map((k) => k.name)).toEqual(p12s);
    expect(m.head?.seq).toBe(Number(await f.core.db.value('SELECT MAX(seq) FROM events')));
    expect(r.database).toBe(onPostgres ? 'pg_dump' : 'copied');
  });

  it('never copies the key file named by LRW_RECORD_KEY_FILE either, when the core was not told', async () => {
    const keyFile = f.core.recordKeyFile!;
    delete f.core.recordKeyFile;
    fs.rmSync(path.join(f.core.keysDir, 'alias.bin'));
    fs.rmSync(path.join(f.core.keysDir, 'exported-copy.txt'));
    // Not recognisable by its content: only its name says what it is.
    fs.writeFileSync(keyFile, Buffer.from(recordPem.split('\n')[1], 'base64'));
    const prev = process.env.LRW_RECORD_KEY_FILE;
    process.env.LRW_RECORD_KEY_FILE = keyFile;
    try {
      const r = await backupTo(f.core, path.join(out, 'env.sqlite'));
      expect(r.excluded.map((x) => x.path)).toEqual([keyFile]);
      expect(fs.existsSync(path.join(r.keysDir, 'record-key.pem'))).toBe(false);
    } finally {
      if (prev === undefined) delete process.env.LRW_RECORD_KEY_FILE;
      else process.env.LRW_RECORD_KEY_FILE = prev;
    }
  });

  it('refuses an existing target and leaves it alone', async () => {
    const target = path.join(out, 'exists.sqlite');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, 'keep');
    await expect(backupTo(f.core, target)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(target, 'utf8')).toBe('keep');
  });
});

describe.skipIf(onPostgres)('restore (SQLite)', () => {
  let backup: string;
  beforeEach(async () => {
    backup = path.join(out, 'b', 'lrw-backup.sqlite');
    await backupTo(f.core, backup);
  });

  const nothingAt = (target: string) => {
    for (const p of [target, `${target}-files`, `${target}-keys`, `${target}-wal`]) expect(fs.existsSync(p), p).toBe(false);
    const parent = path.dirname(target);
    expect(fs.existsSync(parent) ? fs.readdirSync(parent).filter((n) => n.startsWith('.lrw-restore-')) : []).toEqual([]);
  };

  it('restores, and the restored store opens with its files, identities and a verified chain', async () => {
    const target = path.join(out, 'r', 'restored.sqlite');
    const r = await restoreFrom({ from: backup, to: target, secrets });
    expect(r).toMatchObject({ database: 'restored', integrity: 'ok', files: 2, keys: 1 });
    expect(r.verify.ok).toBe(true);
    const events = Number(await f.core.db.value('SELECT COUNT(*) FROM events'));
    expect(r.verify.count).toBe(events);
    const core = await openCore({ dbPath: target, secrets });
    try {
      expect(core.keysDir).toBe(`${target}-keys`);
      expect((await verifyChain(core)).ok).toBe(true);
      for (const sha of await core.db.column<string>('SELECT sha256 FROM blobs')) expect(core.blobs.has(sha)).toBe(true);
      expect(fs.readdirSync(core.keysDir).filter((n) => n.endsWith('.p12')).length).toBe(1);
      expect(await core.db.column('SELECT case_no FROM cases ORDER BY case_no')).toEqual(['某市监罚立〔2026〕200号', '某市监罚立〔2026〕201号']);
    } finally {
      await closeCore(core);
    }
    expect(fs.readdirSync(path.dirname(target)).filter((n) => n.startsWith('.lrw-restore-'))).toEqual([]);
  });

  it('refuses an existing target, and what is not a backup', async () => {
    const target = path.join(out, 'r', 'exists.sqlite');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, 'keep');
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(target, 'utf8')).toBe('keep');
    const fresh = path.join(out, 'r2', 'x.sqlite');
    // The live database itself (no manifest), a text file with a manifest beside it, nothing at all.
    await expect(restoreFrom({ from: f.dbPath, to: fresh, secrets })).rejects.toThrow(/不是本系统的备份/);
    const fake = path.join(out, 'fake.sqlite');
    fs.writeFileSync(fake, 'not a database');
    fs.copyFileSync(`${backup}-backup.json`, `${fake}-backup.json`);
    await expect(restoreFrom({ from: fake, to: fresh, secrets })).rejects.toThrow(/不是 SQLite 数据库/);
    await expect(restoreFrom({ from: path.join(out, 'none.sqlite'), to: fresh, secrets })).rejects.toThrow(/不存在/);
    nothingAt(fresh);
  });

  it('refuses a backup with a changed stored file, a missing one, or a changed identity, leaving nothing', async () => {
    const target = path.join(out, 'r', 'bad.sqlite');
    const [sha] = await f.core.db.column<string>('SELECT sha256 FROM blobs');
    const file = path.join(`${backup}-files`, sha.slice(0, 2), sha);
    const original = fs.readFileSync(file);
    const flipped = Buffer.from(original);
    flipped[10] ^= 1;
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, flipped);
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(/与其 SHA-256 不符/);
    nothingAt(target);
    fs.rmSync(file);
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(RestoreCheckFailed);
    nothingAt(target);
    fs.writeFileSync(file, original);
    const p12 = walk(`${backup}-keys`).find((p) => p.endsWith('.p12'))!;
    const id = fs.readFileSync(p12);
    id[id.length - 5] ^= 1;
    fs.writeFileSync(p12, id);
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(/签名证书文件.*不符/);
    nothingAt(target);
  });

  it('refuses a damaged database file (integrity_check) and a rewritten record (chain), leaving nothing', async () => {
    const target = path.join(out, 'r', 'bad.sqlite');
    const good = fs.readFileSync(backup);
    // Damage the cell pointers of the events table's root page (a torn or rotted disk block).
    const probe = new Database(backup, { readonly: true });
    const pageSize = Number(probe.pragma('page_size', { simple: true }));
    const root = Number(probe.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'events'").pluck().get());
    probe.close();
    const damaged = Buffer.from(good);
    for (let i = 12; i < 200; i++) damaged[(root - 1) * pageSize + i] = 0x07;
    fs.writeFileSync(backup, damaged);
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(/损坏|integrity_check|无法/);
    nothingAt(target);
    // A record changed with plain SQL (the attacker dropped the trigger): the chain does not verify.
    fs.writeFileSync(backup, good);
    const raw = new Database(backup);
    raw.exec('DROP TRIGGER IF EXISTS events_no_update');
    raw.prepare("UPDATE events SET actor_name = '伪造者' WHERE seq = (SELECT MAX(seq) FROM events)").run();
    raw.close();
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(/全过程记录校验未通过|哈希/);
    nothingAt(target);
  });

  it('refuses a backup whose database is not the one the manifest recorded', async () => {
    const target = path.join(out, 'r', 'swapped.sqlite');
    const m = JSON.parse(fs.readFileSync(`${backup}-backup.json`, 'utf8')) as BackupManifest;
    m.head = { seq: m.head!.seq, hash: '0'.repeat(64) };
    fs.writeFileSync(`${backup}-backup.json`, JSON.stringify(m));
    await expect(restoreFrom({ from: backup, to: target, secrets })).rejects.toThrow(/不是这份备份的数据库/);
    nothingAt(target);
  });
});

describe.skipIf(!onPostgres)('restore (PostgreSQL: the files part, after pg_restore)', () => {
  it('refuses a SQLite target, then restores the files into a pg_restored database and verifies', async () => {
    const backup = path.join(out, 'pg-backup');
    const r = await backupTo(f.core, backup);
    expect(r.database).toBe('pg_dump');
    await expect(restoreFrom({ from: backup, to: path.join(out, 'x.sqlite'), secrets })).rejects.toThrow(/pg_restore/);
    // The DBA's part: pg_dump the store, pg_restore into an empty database.
    const dump = path.join(out, 'lrw.dump');
    execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, f.dbPath]);
    const name = uniqueDbName('lrw_restored');
    const url = await createPgDatabase(name);
    try {
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, dump], { stdio: 'pipe' });
      const filesDir = path.join(out, 'restored-files');
      await expect(restoreFrom({ from: backup, to: url, secrets })).rejects.toMatchObject({ code: 'FILES_DIR_REQUIRED' });
      const done = await restoreFrom({ from: backup, to: url, filesDir, secrets });
      expect(done).toMatchObject({ database: 'pg_restore', files: 2, keys: 1 });
      expect(done.verify.ok).toBe(true);
      expect(fs.readdirSync(`${filesDir}-keys`).filter((n) => n.endsWith('.p12')).length).toBe(1);
      // A second restore into the same folder is refused.
      await expect(restoreFrom({ from: backup, to: url, filesDir, secrets })).rejects.toMatchObject({ code: 'CONFLICT' });
    } finally {
      await dropPgDatabase(name);
    }
  });
});
