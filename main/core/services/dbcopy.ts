// `lrw db copy`: moves a whole store (a desktop's SQLite file and its files) into another, normally the
// agency's PostgreSQL database. The target must be empty; every table is copied row for row, with its
// ids, in one target transaction (all or nothing), from one consistent snapshot of the source (the
// source is held in a write transaction too, so no use case can land half-way through the copy). The
// search index is rebuilt on the target, identity sequences are moved past the copied ids, every file
// is checked against its SHA-256 name while it is copied, and the result is verified on a fresh core:
// the audit chain, its length and last hash, the row counts and every recorded file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { AppError } from '../domain/errors';
import type { AuditVerifyView } from '../domain/views';
import { displayTarget, isPostgresUrl, openDb } from '../db/open';
import type { Store } from '../db/store';
import { lastEvent } from '../db/repos/events';
import { BlobStore } from '../files/blobStore';
import { verifyChain } from './audit';
import { refreshSearch } from './cases';
import { closeCore, openCore, type Core } from './core';

export interface CopyProgress {
  /** A table name; 'case_search' while the search index is rebuilt; 'files' while files are copied. */
  table: string;
  rows: number;
  total: number;
}

export interface CopyStoreOptions {
  /** Source: a SQLite file or a postgres:// URL. */
  from: string;
  /** Target: a SQLite file or a postgres:// URL; must hold no data. */
  to: string;
  /** The source's file store; default "<sqlite file>-files" (required for a PostgreSQL source). */
  fromFiles?: string;
  /** The target's file store. */
  toFiles: string;
  onProgress?: (p: CopyProgress) => void;
}

/** The target's verification: the chain (ok, count, firstBad as verifyChain gives them) and the rest. */
export interface CopyVerifyView extends AuditVerifyView {
  /** ok covers everything below; this is the audit chain alone. */
  chainOk: boolean;
  /** The source's last event hash, and the target's (they must be equal). */
  sourceLastHash: string | null;
  lastHash: string | null;
  sourceEvents: number;
  /** Tables whose row count on the target differs from what was copied. */
  countMismatches: { table: string; copied: number; target: number }[];
  /** Recorded files (blobs, issued files) absent from the target store or of another size. */
  missingFiles: string[];
  /** Source files whose content does not match their name: not copied. */
  corruptFiles: string[];
}

export interface CopyStoreResult {
  tables: { name: string; rows: number }[];
  /** Files now in the target store from the source (copied, or already there and checked). */
  files: number;
  verify: CopyVerifyView;
}

/**
 * Every table of the schema in foreign-key-safe order, with its primary key (the copy order).
 * meetings come before approvals (approvals.meeting_id); they are inserted unlocked and locked at
 * the end, since a locked meeting refuses new attendees, items and stances. The search index
 * (case_search) is not copied but rebuilt.
 */
export const COPY_TABLES: readonly { name: string; pk: readonly string[] }[] = [
  { name: 'agency', pk: ['id'] },
  { name: 'users', pk: ['id'] },
  { name: 'user_roles', pk: ['user_id', 'role'] },
  { name: 'catalog_versions', pk: ['version'] },
  { name: 'cases', pk: ['id'] },
  { name: 'submissions', pk: ['id'] },
  { name: 'submission_officers', pk: ['submission_id', 'user_id'] },
  { name: 'blobs', pk: ['sha256'] },
  { name: 'submission_attachments', pk: ['submission_id', 'sha256', 'name'] },
  { name: 'review_rounds', pk: ['id'] },
  { name: 'findings', pk: ['review_id', 'criterion'] },
  { name: 'review_drafts', pk: ['case_id', 'reviewer_id'] },
  { name: 'meetings', pk: ['id'] },
  { name: 'approvals', pk: ['id'] },
  { name: 'events', pk: ['seq'] },
  { name: 'drafts', pk: ['user_id', 'key'] },
  { name: 'settings', pk: ['key'] },
  { name: 'calendar_overrides', pk: ['id'] },
  { name: 'periods', pk: ['id'] },
  { name: 'clocks', pk: ['id'] },
  { name: 'rereview_requests', pk: ['id'] },
  { name: 'escalations', pk: ['id'] },
  { name: 'meeting_attendees', pk: ['meeting_id', 'user_id'] },
  { name: 'meeting_items', pk: ['id'] },
  { name: 'meeting_stances', pk: ['item_id', 'user_id'] },
  { name: 'meeting_amendments', pk: ['id'] },
  { name: 'template_overrides', pk: ['id'] },
  { name: 'documents', pk: ['id'] },
  { name: 'document_versions', pk: ['id'] },
  { name: 'doc_serials', pk: ['prefix', 'year'] },
  { name: 'clauses', pk: ['id'] },
  { name: 'signing_identities', pk: ['id'] },
  { name: 'issued_files', pk: ['id'] },
  { name: 'expert_opinions', pk: ['id'] },
  { name: 'endings', pk: ['id'] },
  { name: 'ending_steps', pk: ['id'] },
  { name: 'meeting_recusals', pk: ['item_id', 'user_id'] },
  { name: 'reviewer_exemptions', pk: ['id'] },
  { name: 'extension_requests', pk: ['id'] },
  { name: 'extension_decisions', pk: ['id'] },
  // Migration 011: record-signing public keys, then the checkpoints signed with them (the private key is
  // not in the database: after a copy, install it for the new store with lrw audit key import).
  { name: 'record_keys', pk: ['id'] },
  { name: 'checkpoints', pk: ['id'] },
  { name: 'audit_alarms', pk: ['id'] },
  { name: 'audit_alarm_acks', pk: ['id'] },
  // Migration 015 (services/versions.ts): which event last wrote each record row; the events keep their seq.
  { name: 'row_versions', pk: ['tbl', 'key'] },
  // Migration 016: certificates registered from desktops (the identities they belong to come first).
  { name: 'identity_certificates', pk: ['identity_id'] },
  // Migration 017: criminal referrals (after the reviews they come from), then their steps.
  { name: 'referrals', pk: ['id'] },
  { name: 'referral_steps', pk: ['id'] },
  // Migration 018: service and execution records (after the documents they name).
  { name: 'service_records', pk: ['id'] },
  { name: 'execution_records', pk: ['id'] },
  // Migration 019: the case file (after its stored files and its case), its receipt, its supplements.
  { name: 'case_files', pk: ['id'] },
  { name: 'case_file_receipts', pk: ['case_file_id'] },
  { name: 'case_file_supplements', pk: ['id'] },
  // Migration 020: case-file evaluations, then the replies.
  { name: 'inspections', pk: ['id'] },
  { name: 'inspection_replies', pk: ['inspection_id'] },
  { name: 'catalog_proposals', pk: ['id'] },
  { name: 'filings', pk: ['id'] },
  { name: 'filing_responses', pk: ['id'] },
  { name: 'filing_corrections', pk: ['response_id'] },
];

/**
 * Tables that are not data to copy: the search index (and SQLite's FTS5 shadow tables), the schema version,
 * work in flight (migration 014: uploads and verification jobs of the source's processes), and the
 * source server's sessions (migration 013: people sign in again on the target).
 */
const NOT_COPIED = (t: string) => t === 'chain_pending' || t === 'sessions' || t === 'uploads' || t === 'verify_jobs' || t === 'issue_requests' || t === 'case_search' || t.startsWith('case_search_') || t === 'lrw_schema' || t.startsWith('sqlite_');

const READ_PAGE = 1000;
const INSERT_BATCH = 200;
/** Both engines allow far more; this keeps a statement of wide rows well below either limit. */
const MAX_PARAMS = 30000;
const FILE_PROGRESS_EVERY = 100;
const SEARCH_PROGRESS_EVERY = 200;

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;
const SHA256_NAME = /^[0-9a-f]{64}$/;

export async function copyStore(opts: CopyStoreOptions): Promise<CopyStoreResult> {
  const progress = opts.onProgress ?? (() => {});
  const from = normalizeTarget(opts.from);
  const to = normalizeTarget(opts.to);
  if (sameStore(from, to)) throw new AppError('VALIDATION', `源数据库与目标数据库相同（${displayOf(from)}），无法复制到自身。`);
  if (!isPostgresUrl(from) && !fs.existsSync(from)) throw new AppError('VALIDATION', `源数据库文件“${from}”不存在。`);
  if (!opts.toFiles) throw new AppError('VALIDATION', '请指定目标的附件与文书文件目录。');
  if (isPostgresUrl(from) && !opts.fromFiles) {
    throw new AppError('FILES_DIR_REQUIRED', '源数据库为 PostgreSQL 时须指定其附件与文书文件目录（--files-from）。');
  }
  const fromFiles = path.resolve(opts.fromFiles ?? `${from}-files`);
  const toFiles = path.resolve(opts.toFiles);

  const source = await openDb(from);
  try {
    await assertKnownTables(source, '源');
    if (!(await source.value('SELECT 1 FROM agency'))) {
      throw new AppError('VALIDATION', `源数据库“${source.location}”尚未初始化（没有机关档案），没有可复制的数据。`);
    }
    // The refusal of a non-empty target comes before anything is written, the file store included.
    const probe = await openDb(to);
    try {
      await assertKnownTables(probe, '目标');
      await assertEmpty(probe);
    } finally {
      await probe.close();
    }

    const copied: { name: string; rows: number }[] = [];
    let files = 0;
    const corruptFiles: string[] = [];
    let sourceLastHash: string | null = null;
    let sourceEvents = 0;
    const core = await openCore({ dbPath: to, filesDir: toFiles });
    try {
      const target = core.db;
      // One snapshot of the source, one all-or-nothing transaction on the target.
      await source.tx(() =>
        target.tx(async () => {
          await assertEmpty(target);
          const locks: { id: number; locked_at: unknown; locked_by: unknown }[] = [];
          for (const t of COPY_TABLES) {
            const rows = await copyTable(source, target, t, progress, locks);
            copied.push({ name: t.name, rows });
          }
          // Lock the meetings last: their attendees, items and stances are in now.
          for (const m of locks) {
            await target.run('UPDATE meetings SET locked_at = ?, locked_by = ? WHERE id = ?', [m.locked_at, m.locked_by, m.id]);
          }
          if (target.engine === 'postgres') await resetSequences(target);
          // The copied events vouch for the copied rows; the journal the copy filled is not a write to report.
          await target.run('DELETE FROM chain_pending');
          await rebuildSearch(core, progress);
          sourceLastHash = (await lastEvent(source))?.hash ?? null;
          sourceEvents = Number(await source.value('SELECT COUNT(*) FROM events'));
          // Files inside the transaction: if the process dies half-way, the target database stays
          // empty and the copy can simply be run again (files are content-addressed, so harmless).
          const r = await copyFiles(fromFiles, core.blobs, progress);
          files = r.files;
          corruptFiles.push(...r.corrupt);
        }),
      );
    } catch (err) {
      throw explain(err);
    } finally {
      await closeCore(core);
    }

    const verify = await verifyTarget(to, toFiles, copied, { sourceLastHash, sourceEvents, corruptFiles });
    return { tables: copied, files, verify };
  } finally {
    await source.close();
  }
}

/** A file path made absolute; a URL as given. */
function normalizeTarget(t: string): string {
  if (!t || !t.trim()) throw new AppError('VALIDATION', '请指定源数据库和目标数据库。');
  return isPostgresUrl(t) ? t : path.resolve(t);
}

const displayOf = displayTarget;

/** The same file (also through a link), or the same database on the same server. */
function sameStore(a: string, b: string): boolean {
  const pa = isPostgresUrl(a);
  if (pa !== isPostgresUrl(b)) return false;
  if (!pa) {
    const real = (p: string) => {
      try {
        return fs.realpathSync(p);
      } catch {
        return p;
      }
    };
    return real(a) === real(b);
  }
  const key = (url: string) => {
    try {
      const u = new URL(url);
      const host = (u.searchParams.get('host') ?? u.hostname).toLowerCase().replace(/^localhost$/, '127.0.0.1');
      const user = decodeURIComponent(u.username) || '';
      const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || user;
      return `${host}:${u.port || '5432'}/${db}`;
    } catch {
      return url;
    }
  };
  return key(a) === key(b);
}

async function tablesOf(db: Store): Promise<string[]> {
  return db.engine === 'sqlite'
    ? await db.column<string>("SELECT name FROM sqlite_master WHERE type = 'table'")
    : await db.column<string>('SELECT tablename FROM pg_tables WHERE schemaname = current_schema()');
}

async function columnsOf(db: Store, table: string): Promise<Set<string>> {
  const cols = db.engine === 'sqlite'
    ? (await db.all<{ name: string }>(`PRAGMA table_info(${q(table)})`)).map((c) => c.name)
    : await db.column<string>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?', [table]);
  return new Set(cols);
}

/** Refuses a database with a table this program does not know to copy (it would be lost silently). */
async function assertKnownTables(db: Store, which: string): Promise<void> {
  const known = new Set(COPY_TABLES.map((t) => t.name));
  const tables = await tablesOf(db);
  const unknown = tables.filter((t) => !NOT_COPIED(t) && !known.has(t));
  if (unknown.length) {
    throw new AppError('VALIDATION', `${which}数据库“${db.location}”中有本程序未列入复制清单的表：${unknown.join('、')}，未作任何复制。请使用与数据库版本一致的程序。`);
  }
  const missing = COPY_TABLES.filter((t) => !tables.includes(t.name)).map((t) => t.name);
  if (missing.length) throw new AppError('VALIDATION', `${which}数据库“${db.location}”缺少表：${missing.join('、')}，未作任何复制。`);
}

async function assertEmpty(db: Store): Promise<void> {
  const full: string[] = [];
  for (const t of [...COPY_TABLES.map((x) => x.name), 'case_search']) {
    if (await db.value(`SELECT 1 FROM ${q(t)} LIMIT 1`)) {
      full.push(`${t}（${Number(await db.value(`SELECT COUNT(*) FROM ${q(t)}`))} 行）`);
    }
  }
  if (full.length) {
    throw new AppError('DB_NOT_EMPTY', `目标数据库已有数据，拒绝覆盖：${db.location} 中 ${full.join('、')}。请换用一个新建的空数据库，未作任何修改。`);
  }
}

/** Copies one table in primary-key order, a page at a time, in multi-row INSERTs; returns the row count. */
async function copyTable(
  source: Store,
  target: Store,
  t: { name: string; pk: readonly string[] },
  progress: (p: CopyProgress) => void,
  locks: { id: number; locked_at: unknown; locked_by: unknown }[],
): Promise<number> {
  const total = Number(await source.value(`SELECT COUNT(*) FROM ${q(t.name)}`));
  progress({ table: t.name, rows: 0, total });
  if (total === 0) return 0;
  const targetCols = await columnsOf(target, t.name);
  const order = t.pk.map(q).join(', ');
  const firstPage = `SELECT * FROM ${q(t.name)} ORDER BY ${order} LIMIT ?`;
  const nextPage = t.pk.length === 1
    ? `SELECT * FROM ${q(t.name)} WHERE ${q(t.pk[0])} > ? ORDER BY ${order} LIMIT ?`
    : `SELECT * FROM ${q(t.name)} WHERE (${order}) > (${t.pk.map(() => '?').join(', ')}) ORDER BY ${order} LIMIT ?`;
  let after: unknown[] | null = null;
  let done = 0;
  let cols: string[] | null = null;
  for (;;) {
    const page: Record<string, unknown>[] = after === null
      ? await source.all(firstPage, [READ_PAGE])
      : await source.all(nextPage, [...after, READ_PAGE]);
    if (page.length === 0) break;
    if (!cols) {
      cols = Object.keys(page[0]);
      const extra = cols.filter((c) => !targetCols.has(c));
      if (extra.length) throw new AppError('VALIDATION', `目标数据库的表 ${t.name} 缺少列：${extra.join('、')}，未作任何复制。`);
    }
    if (t.name === 'meetings') {
      for (const r of page) {
        if (r.locked_at !== null && r.locked_at !== undefined) locks.push({ id: Number(r.id), locked_at: r.locked_at, locked_by: r.locked_by });
      }
    }
    const rows: Record<string, unknown>[] = t.name === 'meetings' ? page.map((r) => ({ ...r, locked_at: null, locked_by: null })) : page;
    const batch = Math.max(1, Math.min(INSERT_BATCH, Math.floor(MAX_PARAMS / cols.length)));
    for (let i = 0; i < rows.length; i += batch) {
      const chunk = rows.slice(i, i + batch);
      const values: unknown[] = [];
      for (const r of chunk) for (const c of cols) values.push(r[c] ?? null);
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      const sql = `INSERT INTO ${q(t.name)} (${cols.map(q).join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`;
      try {
        await target.run(sql, values);
      } catch (err) {
        const first = t.pk.map((k) => `${k}=${String(chunk[0][k])}`).join(', ');
        throw wrap(err, `复制表 ${t.name} 时出错（自 ${first} 起的 ${chunk.length} 行）`);
      }
      done += chunk.length;
      progress({ table: t.name, rows: done, total: Math.max(total, done) });
    }
    const last = page[page.length - 1];
    after = t.pk.map((k) => last[k]);
    if (page.length < READ_PAGE) break;
  }
  return done;
}

/** PostgreSQL: identity columns continue after the copied ids (a copy sets them explicitly). */
async function resetSequences(target: Store): Promise<void> {
  for (const t of COPY_TABLES) {
    if (!(await columnsOf(target, t.name)).has('id')) continue;
    const seq = await target.value<string | null>('SELECT pg_get_serial_sequence(?, ?)', [t.name, 'id']);
    if (!seq) continue;
    await target.value(`SELECT setval(pg_get_serial_sequence('${t.name}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM ${q(t.name)}`);
  }
}

/** The search index is derived data: rebuilt from the copied submissions and reviews, case by case. */
async function rebuildSearch(core: Core, progress: (p: CopyProgress) => void): Promise<void> {
  const ids = await core.db.column<number>('SELECT id FROM cases ORDER BY id');
  progress({ table: 'case_search', rows: 0, total: ids.length });
  let n = 0;
  for (const id of ids) {
    await refreshSearch(core, Number(id));
    n++;
    if (n % SEARCH_PROGRESS_EVERY === 0 || n === ids.length) progress({ table: 'case_search', rows: n, total: ids.length });
  }
}

/** The source store's files: <root>/<aa>/<sha256>; the temp folder and anything else are not files of the store. */
function listBlobFiles(root: string): { file: string; sha256: string }[] {
  const out: { file: string; sha256: string }[] = [];
  if (!fs.existsSync(root)) return out;
  for (const d of fs.readdirSync(root, { withFileTypes: true })) {
    if (!d.isDirectory() || d.name === 'tmp' || !/^[0-9a-f]{2}$/.test(d.name)) continue;
    for (const e of fs.readdirSync(path.join(root, d.name), { withFileTypes: true })) {
      if (e.isFile() && SHA256_NAME.test(e.name) && e.name.startsWith(d.name)) out.push({ file: path.join(root, d.name, e.name), sha256: e.name });
    }
  }
  return out.sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
}

async function hashFile(file: string, copyTo?: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  if (!copyTo) {
    for await (const chunk of fs.createReadStream(file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  }
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(fs.createReadStream(file), tap, fs.createWriteStream(copyTo, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), size };
}

/** Copies every file, streaming through SHA-256: a file whose content does not match its name is not copied. */
async function copyFiles(fromRoot: string, blobs: BlobStore, progress: (p: CopyProgress) => void): Promise<{ files: number; corrupt: string[] }> {
  const list = listBlobFiles(fromRoot);
  const corrupt: string[] = [];
  let files = 0;
  let seen = 0;
  progress({ table: 'files', rows: 0, total: list.length });
  for (const { file, sha256 } of list) {
    const dest = blobs.pathOf(sha256);
    let present = false;
    if (path.resolve(file) === path.resolve(dest)) present = (await hashFile(file)).sha256 === sha256;
    else if (fs.existsSync(dest)) {
      // Left by an earlier attempt: kept when intact, replaced otherwise.
      if ((await hashFile(dest)).sha256 === sha256) present = true;
      else {
        fs.chmodSync(dest, 0o644);
        fs.rmSync(dest, { force: true });
      }
    }
    if (!present) {
      const tmp = blobs.newTempPath();
      try {
        const got = await hashFile(file, tmp);
        if (got.sha256 === sha256) {
          blobs.commitTemp(tmp, sha256, got.size);
          present = true;
        } else {
          fs.rmSync(tmp, { force: true });
        }
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw new AppError('VALIDATION', `复制文件“${file}”失败：${(err as Error).message}`);
      }
    }
    if (present) files++;
    else corrupt.push(sha256);
    seen++;
    if (seen % FILE_PROGRESS_EVERY === 0 || seen === list.length) progress({ table: 'files', rows: seen, total: list.length });
  }
  return { files, corrupt };
}

/** The target on a fresh core: the chain, its length and last hash, the row counts, every recorded file. */
async function verifyTarget(
  to: string,
  toFiles: string,
  copied: { name: string; rows: number }[],
  src: { sourceLastHash: string | null; sourceEvents: number; corruptFiles: string[] },
): Promise<CopyVerifyView> {
  const core = await openCore({ dbPath: to, filesDir: toFiles });
  try {
    const chain = await verifyChain(core);
    const lastHash = (await lastEvent(core.db))?.hash ?? null;
    const countMismatches: CopyVerifyView['countMismatches'] = [];
    for (const t of copied) {
      const n = Number(await core.db.value(`SELECT COUNT(*) FROM ${q(t.name)}`));
      if (n !== t.rows) countMismatches.push({ table: t.name, copied: t.rows, target: n });
    }
    const missingFiles: string[] = [];
    const check = (sha256: string, size: number | null) => {
      const p = core.blobs.pathOf(sha256);
      let ok = false;
      try {
        const st = fs.statSync(p);
        ok = st.isFile() && (size === null || st.size === size);
      } catch {
        ok = false;
      }
      if (!ok && !missingFiles.includes(sha256)) missingFiles.push(sha256);
    };
    let after = '';
    for (;;) {
      const page = await core.db.all<{ sha256: string; size: number }>('SELECT sha256, size FROM blobs WHERE sha256 > ? ORDER BY sha256 LIMIT ?', [after, READ_PAGE]);
      for (const b of page) check(b.sha256, Number(b.size));
      if (page.length < READ_PAGE) break;
      after = page[page.length - 1].sha256;
    }
    for (const s of await core.db.column<string>('SELECT DISTINCT sha256 FROM issued_files')) check(s, null);
    const ok = chain.ok && chain.count === src.sourceEvents && lastHash === src.sourceLastHash
      && countMismatches.length === 0 && missingFiles.length === 0 && src.corruptFiles.length === 0;
    return {
      ok,
      count: chain.count,
      firstBad: chain.firstBad,
      chainOk: chain.ok,
      sourceLastHash: src.sourceLastHash,
      lastHash,
      sourceEvents: src.sourceEvents,
      countMismatches,
      missingFiles,
      corruptFiles: src.corruptFiles,
    };
  } finally {
    await closeCore(core);
  }
}

function wrap(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  if (e?.code === '42501') {
    return new AppError('FORBIDDEN', `${what}：当前数据库角色权限不足，请以数据库属主运行 lrw db copy。目标数据库未作任何修改。`, { cause: msg });
  }
  return new AppError('INTERNAL', `${what}，目标数据库未作任何修改：${msg}`, { cause: msg });
}

function explain(err: unknown): unknown {
  return err instanceof AppError ? err : wrap(err, '复制失败');
}
