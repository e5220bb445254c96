// Restoring a backup made by backupTo (services/backup.ts), checked before it is called a success:
// the manifest must be this system's, the SQLite file must pass PRAGMA integrity_check, every stored file
// must hash to its name and every file the database names must be there, the identities must match the
// manifest, the chain must verify (verifyChain) and reach the head the backup recorded. Everything is
// staged beside the target and moved into place only then; a failed restore leaves no target behind.
//
// PostgreSQL: the database part of a backup is pg_dump's, restored by the DBA with pg_restore into an
// empty database. `restoreFrom` then restores the files part (stored files and identities) into the
// files folder given, and runs the same checks against that database.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import type { AuditVerifyView } from '../domain/views';
import { displayTarget, isPostgresUrl, openDb } from '../db/open';
import type { SecretStore } from '../secrets';
import { verifyChain } from './audit';
import { BACKUP_FORMAT, backupLayout, copyHashed, fsyncPath, type BackupManifest } from './backup';
import { closeCore, openCore, type Core } from './core';

const SHA256_NAME = /^[0-9a-f]{64}$/;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface RestoreOptions {
  /** The backup: a SQLite backup file (with its -files, -keys, -backup.json) or a PostgreSQL backup folder. */
  from: string;
  /** The new SQLite file (must not exist), or the postgres:// URL of a database pg_restore has filled. */
  to: string;
  /** PostgreSQL only: the (new or empty) folder the stored files go to. */
  filesDir?: string;
  /** For the core the checks open (tests: a MemorySecretStore). */
  secrets?: SecretStore;
  recordKeyFile?: string;
  /** Progress lines in Chinese, for the command line. */
  onStep?: (line: string) => void;
}

export interface RestoreResult {
  database: 'restored' | 'pg_restore';
  /** The SQLite file, or the PostgreSQL URL without its password. */
  target: string;
  filesDir: string;
  keysDir: string;
  files: number;
  keys: number;
  integrity: 'ok' | 'pg_restore';
  backupHead: { seq: number; hash: string } | null;
  verify: AuditVerifyView;
}

/** The checks refused the backup: nothing was restored (exit code 4 in lrw). */
export class RestoreCheckFailed extends AppError {
  constructor(message: string, readonly verify?: AuditVerifyView) {
    super('VALIDATION', message, verify ? { verify } : undefined);
  }
}

export async function restoreFrom(opts: RestoreOptions): Promise<RestoreResult> {
  const step = opts.onStep ?? (() => {});
  const toPg = isPostgresUrl(opts.to);
  const from = path.resolve(opts.from);
  const manifest = readManifest(from);
  if (manifest.engine === 'sqlite' && toPg) {
    throw new AppError('VALIDATION', '这是 SQLite 数据库的备份，不能直接还原到 PostgreSQL：请先还原为 SQLite 文件（lrw restore --from 备份 --db 新文件），再用 lrw db copy 迁移。');
  }
  if (manifest.engine === 'postgres' && !toPg) {
    throw new AppError('VALIDATION', '这是 PostgreSQL 数据库的备份：其中只有附件、文书文件和签名证书，数据库部分须由数据库管理员用 pg_restore 还原；还原后再以 lrw restore --from 备份 --db postgres://… --files 目录 还原文件部分并校验。');
  }
  const src = backupLayout(from, manifest.engine);

  // Targets, which must not exist: a restore never overwrites.
  const target = toPg ? opts.to : path.resolve(opts.to);
  if (toPg && !opts.filesDir) throw new AppError('FILES_DIR_REQUIRED', '还原到 PostgreSQL 时须以 --files 指定附件与文书文件的存放目录（新目录或空目录）。');
  const filesDir = toPg ? path.resolve(opts.filesDir!) : `${target}-files`;
  const keysDir = `${toPg ? filesDir : target}-keys`;
  const finals = toPg ? [filesDir, keysDir] : [target, `${target}-wal`, `${target}-shm`, filesDir, keysDir];
  for (const p of finals) {
    const empty = toPg && p === filesDir && fs.existsSync(p) && fs.statSync(p).isDirectory() && fs.readdirSync(p).length === 0;
    if (fs.existsSync(p) && !empty) throw new AppError('CONFLICT', `还原目标“${p}”已存在，不覆盖：请指定一个新的位置。`);
  }
  if (!toPg && path.resolve(target) === src.dbFile) throw new AppError('VALIDATION', '还原目标不能是备份文件本身。');

  // Stage beside the target, so that the final step is a rename on one file system.
  const stageParent = path.dirname(toPg ? filesDir : target);
  fs.mkdirSync(stageParent, { recursive: true });
  const stage = path.join(stageParent, `.lrw-restore-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(stage);
  const stageDb = path.join(stage, 'lrw.sqlite');
  const stageFiles = path.join(stage, 'files');
  const stageKeys = path.join(stage, 'keys');
  let core: Core | undefined;
  const moved: [string, string][] = [];
  try {
    let integrity: RestoreResult['integrity'] = 'pg_restore';
    if (toPg) await assertPgRestored(opts.to, manifest);
    else {
      step('复制数据库文件……');
      fs.copyFileSync(src.dbFile, stageDb, fs.constants.COPYFILE_EXCL);
      if (fs.existsSync(`${src.dbFile}-wal`)) fs.copyFileSync(`${src.dbFile}-wal`, `${stageDb}-wal`, fs.constants.COPYFILE_EXCL);
      step('检查数据库完整性（PRAGMA integrity_check）……');
      integrity = await sqliteIntegrity(stageDb);
    }

    step('复制并核对附件与文书文件……');
    const files = copyStoredFiles(src.filesDir, stageFiles);
    if (files !== manifest.files) throw new RestoreCheckFailed(`备份中的附件与文书文件为 ${files} 个，与备份说明记载的 ${manifest.files} 个不符：备份不完整或被改动。`);
    step('复制并核对签名证书……');
    const keys = copyKeys(src.keysDir, stageKeys, manifest);

    step('打开还原后的数据库并校验全过程记录……');
    core = await openCore({
      dbPath: toPg ? opts.to : stageDb,
      filesDir: stageFiles,
      keysDir: stageKeys,
      ...(opts.secrets && { secrets: opts.secrets }),
      ...(opts.recordKeyFile && { recordKeyFile: opts.recordKeyFile }),
    });
    await checkNamedFiles(core);
    await checkBackupHead(core, manifest);
    const verify = await verifyChain(core);
    if (!verify.ok) {
      const why = verify.message ?? (verify.firstBad ? `第 ${verify.firstBad.seq} 号事件：${verify.firstBad.reason}` : '记录校验未通过');
      throw new RestoreCheckFailed(`还原后的全过程记录校验未通过：${why}`, verify);
    }
    await closeCore(core);
    core = undefined;

    // Into place: the database last, so that a store never appears without its files.
    const moves: [string, string][] = toPg
      ? [[stageFiles, filesDir], [stageKeys, keysDir]]
      : [[stageFiles, filesDir], [stageKeys, keysDir], ...(fs.existsSync(`${stageDb}-wal`) ? ([[`${stageDb}-wal`, `${target}-wal`]] as [string, string][]) : []), [stageDb, target]];
    for (const [a, b] of moves) {
      if (toPg && b === filesDir && fs.existsSync(b)) fs.rmdirSync(b); // the empty folder given
      fs.renameSync(a, b);
      moved.push([a, b]);
    }
    fs.rmSync(stage, { recursive: true, force: true });
    for (const [, b] of moves) fsyncPath(path.dirname(b));
    return {
      database: toPg ? 'pg_restore' : 'restored',
      target: toPg ? displayTarget(opts.to) : target,
      filesDir,
      keysDir,
      files,
      keys,
      integrity,
      backupHead: manifest.head,
      verify,
    };
  } catch (err) {
    if (core) await closeCore(core).catch(() => {});
    for (const [a, b] of moved.reverse()) {
      try {
        fs.renameSync(b, a);
      } catch {
        fs.rmSync(b, { recursive: true, force: true });
      }
    }
    fs.rmSync(stage, { recursive: true, force: true });
    if (err instanceof AppError) throw err;
    throw new AppError('INTERNAL', `还原失败：${(err as Error).message}`, { cause: (err as Error).message });
  }
}

/** On PostgreSQL the database must already be pg_restore's work: not empty, not in need of migration. */
async function assertPgRestored(url: string, m: BackupManifest): Promise<void> {
  const empty = () => new AppError('VALIDATION', `数据库“${displayTarget(url)}”中没有本系统的数据：请先由数据库管理员用 pg_restore 还原数据库转储，再还原文件部分。`);
  let db;
  try {
    db = await openDb(url, { migrate: false });
  } catch (err) {
    if (err instanceof AppError && err.code === 'DB_NEEDS_MIGRATION') throw empty();
    throw err;
  }
  try {
    const events = Number(await db.value('SELECT COUNT(*) FROM events'));
    if (events === 0 && m.events > 0) throw empty();
  } finally {
    await db.close();
  }
}

/** The manifest beside (SQLite) or inside (PostgreSQL) the backup; anything else is not a backup. */
function readManifest(from: string): BackupManifest {
  if (!fs.existsSync(from)) throw new AppError('VALIDATION', `备份“${from}”不存在。`);
  const isDir = fs.statSync(from).isDirectory();
  const file = backupLayout(from, isDir ? 'postgres' : 'sqlite').manifestFile;
  const notBackup = (why: string) => new AppError('VALIDATION', `“${from}”不是本系统的备份（${why}）：请给出 lrw backup --to 生成的备份。`);
  if (!fs.existsSync(file)) throw notBackup(`缺少备份说明文件 ${path.basename(file)}`);
  let m: BackupManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as BackupManifest;
  } catch {
    throw notBackup('备份说明文件无法读取');
  }
  if (m?.format !== BACKUP_FORMAT || (m.engine !== 'sqlite' && m.engine !== 'postgres') || !Array.isArray(m.keys) || typeof m.files !== 'number') {
    throw notBackup('备份说明文件格式不符');
  }
  if ((m.engine === 'postgres') !== isDir) throw notBackup('备份说明与备份的形式不符');
  if (m.engine === 'sqlite') {
    const head = Buffer.alloc(16);
    const fd = fs.openSync(from, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!head.equals(SQLITE_HEADER)) throw notBackup('文件不是 SQLite 数据库');
  }
  return m;
}

async function sqliteIntegrity(file: string): Promise<'ok'> {
  const Database = (await import('better-sqlite3')).default;
  let raw;
  try {
    raw = new Database(file, { fileMustExist: true });
  } catch (err) {
    throw new RestoreCheckFailed(`备份的数据库文件无法打开：${(err as Error).message}`);
  }
  try {
    const rows = raw.pragma('integrity_check') as { integrity_check: string }[];
    const bad = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (bad.length) throw new RestoreCheckFailed(`备份的数据库文件已损坏（PRAGMA integrity_check：${bad.slice(0, 3).join('；')}${bad.length > 3 ? `……共 ${bad.length} 处` : ''}）。`);
    const hasEvents = raw.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'").pluck().get();
    if (!hasEvents) throw new RestoreCheckFailed('备份的数据库文件不是本系统的数据库（没有全过程记录表）。');
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new RestoreCheckFailed(`备份的数据库文件已损坏：${(err as Error).message}`);
  } finally {
    raw.close();
  }
}

/** Copies <aa>/<sha256> files, each of which must hash to its name; anything else in the folder is refused. */
function copyStoredFiles(fromDir: string, toDir: string): number {
  fs.mkdirSync(toDir, { recursive: true });
  if (!fs.existsSync(fromDir)) return 0;
  let n = 0;
  for (const d of fs.readdirSync(fromDir, { withFileTypes: true })) {
    const sub = path.join(fromDir, d.name);
    if (!d.isDirectory() || !/^[0-9a-f]{2}$/.test(d.name)) throw new RestoreCheckFailed(`备份的文件目录中有不属于附件存储的“${d.name}”：备份被改动。`);
    for (const e of fs.readdirSync(sub, { withFileTypes: true })) {
      if (!e.isFile() || !SHA256_NAME.test(e.name) || !e.name.startsWith(d.name)) throw new RestoreCheckFailed(`备份的文件目录中有不属于附件存储的“${d.name}/${e.name}”：备份被改动。`);
      const dest = path.join(toDir, d.name, e.name);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      const got = copyHashed(path.join(sub, e.name), dest).sha256;
      if (got !== e.name) throw new RestoreCheckFailed(`备份中的文件 ${e.name} 与其 SHA-256 不符（实为 ${got}）：文件已损坏或被改动。`);
      fs.chmodSync(dest, 0o444);
      n++;
    }
  }
  return n;
}

function copyKeys(fromDir: string, toDir: string, m: BackupManifest): number {
  fs.mkdirSync(toDir, { recursive: true, mode: 0o700 });
  for (const k of m.keys) {
    const rel = k.name.split('/');
    if (rel.some((p) => p === '..' || p === '' || p === '.')) throw new RestoreCheckFailed(`备份说明中的证书文件名“${k.name}”无效。`);
    const src = path.join(fromDir, ...rel);
    if (!fs.existsSync(src)) throw new RestoreCheckFailed(`备份中缺少签名证书文件“${k.name}”。`);
    const dest = path.join(toDir, ...rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (copyHashed(src, dest).sha256 !== k.sha256) throw new RestoreCheckFailed(`备份中的签名证书文件“${k.name}”与备份说明记载的 SHA-256 不符：文件已被改动。`);
    fs.chmodSync(dest, 0o600);
  }
  return m.keys.length;
}

/** Every file the database names (the blobs table, issued files) is in the restored file store. */
async function checkNamedFiles(core: Core): Promise<void> {
  const named = new Set<string>([
    ...(await core.db.column<string>('SELECT sha256 FROM blobs')),
    ...(await core.db.column<string>('SELECT DISTINCT sha256 FROM issued_files')),
  ]);
  const missing = [...named].filter((s) => !fs.existsSync(core.blobs.pathOf(s)));
  if (missing.length) {
    throw new RestoreCheckFailed(`数据库登记的 ${missing.length} 个附件或文书文件不在备份中（如 ${missing.slice(0, 3).join('、')}）：${core.db.engine === 'postgres' ? '数据库转储（pg_dump）须早于 lrw backup，' : ''}备份不完整。`);
  }
}

/** The chain reaches the head the backup recorded, with the same hash: it is this backup's database. */
async function checkBackupHead(core: Core, m: BackupManifest): Promise<void> {
  if (!m.head) return;
  const row = await core.db.get<{ hash: string }>('SELECT hash FROM events WHERE seq = ?', [m.head.seq]);
  if (!row && core.db.engine === 'postgres') return; // the dump was taken before the file copy: checked by the files above
  if (!row) throw new RestoreCheckFailed(`还原后的数据库没有备份时记载的第 ${m.head.seq} 号事件：记录被截断，或不是这份备份的数据库。`);
  if (row.hash !== m.head.hash) throw new RestoreCheckFailed(`还原后的数据库第 ${m.head.seq} 号事件的哈希与备份时记载的不同：不是这份备份的数据库，或记录被改写。`);
}

