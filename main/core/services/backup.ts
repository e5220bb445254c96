// Online backup: SQLite's backup API copies a consistent snapshot while the app may be writing;
// attachments and issued files are immutable, content-addressed files (<aa>/<sha256>), each re-hashed
// while it is copied. The signing identities' folder (core.keysDir: the .p12 files; their passphrases
// stay in the keychain) is copied too. The record-signing private key never is: whoever held a backup
// with it could sign a rewritten chain (it is exported on its own, passphrase-protected, with
// `lrw audit key export`). A manifest (lrw-backup/1) says what the backup holds; `lrw restore` reads it.
//
// Layout. SQLite: FILE (the database), FILE-files/, FILE-keys/, FILE-backup.json — restoring to TARGET gives
// TARGET, TARGET-files, TARGET-keys, where openCore looks for them. PostgreSQL: the database is the
// DBA's (pg_dump); FILE is a folder holding files/, keys/ and lrw-backup.json.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import type { Core } from './core';
import type { SqliteStore } from '../db/sqlite';

export const BACKUP_FORMAT = 'lrw-backup/1';
const SHA256_NAME = /^[0-9a-f]{64}$/;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  engine: 'sqlite' | 'postgres';
  /** The store backed up (a file path, or a URL without its password). */
  source: string;
  /** The chain in the backed-up database at the snapshot (SQLite); on PostgreSQL, at the time of the file copy. */
  events: number;
  head: { seq: number; hash: string } | null;
  /** Stored files (attachments and issued files), by SHA-256 (their names). */
  files: number;
  filesBytes: number;
  /** Files of the store whose content no longer matches their name (copied, and named here). */
  corruptFiles: string[];
  /** The identities' folder: relative path, SHA-256 and size of each file copied. */
  keys: { name: string; sha256: string; size: number }[];
  /** Files deliberately not copied, with the reason in Chinese (the record-signing private key). */
  excluded: { path: string; reason: string }[];
}

export interface BackupResult {
  /** SQLite: the database copy. PostgreSQL: the backup folder. */
  dbFile: string;
  filesDir: string;
  keysDir: string;
  manifestFile: string;
  files: number;
  keys: number;
  database: 'copied' | 'pg_dump';
  excluded: BackupManifest['excluded'];
  corruptFiles: string[];
}

/** Where a backup at `target` keeps its parts (see the layout above). */
export function backupLayout(target: string, engine: 'sqlite' | 'postgres'): { dbFile: string; filesDir: string; keysDir: string; manifestFile: string } {
  const t = path.resolve(target);
  return engine === 'sqlite'
    ? { dbFile: t, filesDir: `${t}-files`, keysDir: `${t}-keys`, manifestFile: `${t}-backup.json` }
    : { dbFile: t, filesDir: path.join(t, 'files'), keysDir: path.join(t, 'keys'), manifestFile: path.join(t, 'lrw-backup.json') };
}

const RECORD_KEY_REASON = '记录签名私钥不随备份保存（持有备份者不得能伪造记录）：请用 lrw audit key export 另行导出并妥善保管。';

/**
 * Backs up the store to `target`. On SQLite the database file is copied too; on PostgreSQL only the file
 * store and the identities are (the database is the DBA's: `pg_dump`), and `database` says which.
 */
export async function backupTo(core: Core, target: string): Promise<BackupResult> {
  const engine = core.db.engine;
  const layout = backupLayout(target, engine);
  if (engine === 'sqlite' && path.resolve(core.dbPath) === layout.dbFile) throw new AppError('VALIDATION', '备份目标不能是当前数据库文件。');
  for (const p of engine === 'sqlite' ? [layout.dbFile, layout.filesDir, layout.keysDir, layout.manifestFile] : [layout.dbFile]) {
    if (fs.existsSync(p)) throw new AppError('CONFLICT', `备份目标“${p}”已存在，请换一个文件名。`);
  }
  const inside = (dir: string) => {
    const rel = path.relative(path.resolve(dir), layout.dbFile);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (inside(core.blobs.root) || inside(core.keysDir)) throw new AppError('VALIDATION', '备份目标不能位于附件目录或签名证书目录之内。');
  fs.mkdirSync(path.dirname(layout.dbFile), { recursive: true });
  const made: string[] = [];
  try {
    let events = 0;
    let head: BackupManifest['head'] = null;
    if (engine === 'sqlite') {
      made.push(layout.dbFile);
      await (core.db as SqliteStore).raw.backup(layout.dbFile);
      // The chain as the snapshot holds it (not as the live store holds it a moment later).
      const Database = (await import('better-sqlite3')).default;
      const snap = new Database(layout.dbFile, { readonly: true });
      try {
        const row = snap.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
        events = Number(snap.prepare('SELECT COUNT(*) FROM events').pluck().get());
        head = row ? { seq: Number(row.seq), hash: row.hash } : null;
      } finally {
        snap.close();
      }
    } else {
      made.push(layout.dbFile);
      fs.mkdirSync(layout.dbFile, { recursive: true });
      const row = await core.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
      events = Number(await core.db.value('SELECT COUNT(*) FROM events'));
      head = row ? { seq: Number(row.seq), hash: row.hash } : null;
    }
    const excluded: BackupManifest['excluded'] = [];
    const isRecordKey = recordKeyMatcher(core);

    // The file store: every content-addressed file, re-hashed as it is copied.
    made.push(layout.filesDir);
    fs.mkdirSync(layout.filesDir, { recursive: true });
    let files = 0;
    let filesBytes = 0;
    const corruptFiles: string[] = [];
    for (const d of fs.readdirSync(core.blobs.root, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name === 'tmp') continue;
      for (const e of fs.readdirSync(path.join(core.blobs.root, d.name), { withFileTypes: true })) {
        const src = path.join(core.blobs.root, d.name, e.name);
        if (isRecordKey(src)) {
          excluded.push({ path: src, reason: RECORD_KEY_REASON });
          continue;
        }
        if (!e.isFile() || !SHA256_NAME.test(e.name) || !e.name.startsWith(d.name)) continue;
        const dest = path.join(layout.filesDir, d.name, e.name);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const got = copyHashed(src, dest);
        if (got.sha256 !== e.name) corruptFiles.push(e.name);
        files++;
        filesBytes += got.size;
      }
    }

    // The identities' folder, but never the record-signing private key.
    made.push(layout.keysDir);
    fs.mkdirSync(layout.keysDir, { recursive: true });
    const keys: BackupManifest['keys'] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const src = path.join(dir, e.name);
        const rel = path.relative(core.keysDir, src);
        if (e.isDirectory()) {
          walk(src);
          continue;
        }
        if (!e.isFile()) continue;
        if (isRecordKey(src) || holdsPemPrivateKey(src)) {
          excluded.push({ path: src, reason: RECORD_KEY_REASON });
          continue;
        }
        const dest = path.join(layout.keysDir, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const got = copyHashed(src, dest);
        fs.chmodSync(dest, 0o600);
        keys.push({ name: rel.split(path.sep).join('/'), ...got });
      }
    };
    walk(core.keysDir);

    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: core.now().toISOString(),
      engine,
      source: core.dbPath,
      events,
      head,
      files,
      filesBytes,
      corruptFiles,
      keys,
      excluded,
    };
    made.push(layout.manifestFile);
    fs.writeFileSync(layout.manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    // The backup on disk before it is reported: the database copy, the manifest and their folders.
    if (engine === 'sqlite') fsyncPath(layout.dbFile);
    fsyncPath(layout.manifestFile);
    for (const d of new Set([path.dirname(layout.dbFile), path.dirname(layout.manifestFile), layout.filesDir, layout.keysDir])) fsyncPath(d);
    return {
      ...layout,
      files,
      keys: keys.length,
      database: engine === 'sqlite' ? 'copied' : 'pg_dump',
      excluded,
      corruptFiles,
    };
  } catch (err) {
    // A failed backup leaves nothing that could be mistaken for a backup.
    for (const p of made.reverse()) fs.rmSync(p, { recursive: true, force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('INTERNAL', `备份失败：${(err as Error).message}`, { cause: (err as Error).message });
  }
}

/** fsync a file or a folder (a folder's entries: new names survive a power cut). */
export function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a folder (Windows): the files themselves were synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Copies a file, hashing the bytes it writes; never overwrites (backup and restore). */
export function copyHashed(src: string, dest: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const fdIn = fs.openSync(src, 'r');
  const fdOut = fs.openSync(dest, 'wx');
  const buf = Buffer.allocUnsafe(1 << 20);
  let size = 0;
  try {
    for (;;) {
      const n = fs.readSync(fdIn, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      let off = 0;
      while (off < n) off += fs.writeSync(fdOut, buf, off, n - off);
      size += n;
    }
    fs.fsyncSync(fdOut);
  } finally {
    fs.closeSync(fdIn);
    fs.closeSync(fdOut);
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * The record-signing key file (core.recordKeyFile, or env LRW_RECORD_KEY_FILE) wherever it sits: by path,
 * by real path and by inode, so a link or a second name of it is not copied either.
 */
function recordKeyMatcher(core: Core): (file: string) => boolean {
  const candidates = [core.recordKeyFile, process.env.LRW_RECORD_KEY_FILE].filter((f): f is string => !!f).map((f) => path.resolve(f));
  const paths = new Set<string>();
  const inodes = new Set<string>();
  for (const f of candidates) {
    paths.add(f);
    try {
      paths.add(fs.realpathSync(f));
      const st = fs.statSync(f);
      inodes.add(`${st.dev}:${st.ino}`);
    } catch {
      // Not there (yet): its path is still never copied.
    }
  }
  return (file: string) => {
    const abs = path.resolve(file);
    if (paths.has(abs)) return true;
    try {
      if (paths.has(fs.realpathSync(abs))) return true;
      const st = fs.statSync(abs);
      return inodes.has(`${st.dev}:${st.ino}`);
    } catch {
      return false;
    }
  };
}

/** A PEM private key (PKCS#8, encrypted or not, or a traditional one): never part of the identities. */
function holdsPemPrivateKey(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(fs.fstatSync(fd).size, 64 * 1024));
    fs.readSync(fd, buf, 0, buf.length, 0);
    return /-----BEGIN (?:[A-Z0-9 ]+ )?PRIVATE KEY-----/.test(buf.toString('latin1'));
  } finally {
    fs.closeSync(fd);
  }
}
