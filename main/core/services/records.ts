// Binding every record row to the chain, and proving it. appendEvent takes the rows its transaction
// wrote from the journal (chain_pending, filled by triggers) and puts their digests into the event;
// verification walks the chain, then every record table and every stored file, and names the first
// thing that no event vouches for.
import { createHash, hash } from 'node:crypto';
import fs from 'node:fs';
import { ACTION_LABELS, eventHash, GENESIS_HASH, sha256Hex } from '../domain/audit';
import {
  displayKey, esc, eventHashV2, fieldHints, formatRecords, KEY_SEP, RECORD_TABLE, RECORD_TABLES,
  type RecordEntry, type RecordTable, rowDigest, unesc,
} from '../domain/records';
import type { AuditVerifyView, RecordMismatch, VerifyProgress, WitnessResult } from '../domain/views';
import { checkCheckpoints, checkRememberedHead, checkWitnesses, rememberVerifiedHead } from './checkpoints';
import type { SnapshotReader, Store } from '../db/store';
import { stampPendingRows } from '../db/repos/versions';
import type { Core } from './core';
import type { EventRow } from '../db/repos/events';
import type { SqliteStore } from '../db/sqlite';
import { type RowDigests, startRowWorker } from './rowWorker';
import { commitDigestSet, commitRowPages, type DigestSet, newDigestSet } from './digestSet';

/** The values of a row in the table's field order, from the JSON PostgreSQL's journal keeps. */
const fromJson = (rt: RecordTable, json: string): unknown[] => {
  const o = JSON.parse(json) as Record<string, unknown>;
  return rt.fields.map((f) => o[f] ?? null);
};

const selectFields = new Map<string, string>();
function readRowSql(rt: RecordTable): string {
  let sql = selectFields.get(rt.table);
  if (!sql) {
    sql = `SELECT ${rt.fields.join(', ')} FROM ${rt.table} WHERE ${rt.key.map((k) => `${k} = ?`).join(' AND ')}`;
    selectFields.set(rt.table, sql);
  }
  return sql;
}

/**
 * The rows written in the current transaction, as the event's records column; stamps them with the
 * event as their version and empties the journal. Call inside the transaction, just before the event is written.
 */
export async function collectPending(db: Store, stamp: { seq: number; actorId: number | null; at: string }): Promise<string> {
  const pg = db.engine === 'postgres';
  type Pending = { tbl: string; key: string; outside: number; row_json?: string | null };
  let pending: Pending[];
  if (pg) {
    // One statement under the chain lock: the journal emptied, its rows stamped with this event as their
    // version (services/versions.ts), and read back in the journal's order.
    pending = await db.all<Pending>(
      `WITH gone AS (DELETE FROM chain_pending RETURNING tbl, key, outside, row_json),
            stamped AS (INSERT INTO row_versions (tbl, key, seq, actor_id, at)
                          SELECT tbl, key, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS TEXT) FROM gone
                        ON CONFLICT (tbl, key) DO UPDATE SET seq = excluded.seq, actor_id = excluded.actor_id, at = excluded.at)
       SELECT tbl, key, outside, row_json FROM gone ORDER BY tbl, key`,
      [stamp.seq, stamp.actorId, stamp.at],
    );
  } else {
    await stampPendingRows(db, stamp.seq, stamp.actorId, stamp.at);
    pending = await db.all<Pending>('SELECT tbl, key, outside FROM chain_pending ORDER BY tbl, key');
  }
  if (pending.length === 0) return '';
  const entries: RecordEntry[] = [];
  for (const p of pending) {
    const rt = RECORD_TABLE.get(p.tbl);
    if (!rt) throw new Error(`chain_pending names a table that is not a record table: ${p.tbl}`);
    let values: unknown[] | null;
    if (pg) values = p.row_json == null ? null : fromJson(rt, p.row_json);
    else {
      const row = await db.all<Record<string, unknown>>(readRowSql(rt), p.key.split(KEY_SEP));
      values = row.length ? rt.fields.map((f) => row[0][f]) : null;
    }
    entries.push({
      table: rt.table, key: p.key, digest: values ? rowDigest(rt.table, values) : null, hints: values ? fieldHints(values) : '',
      ...(Number(p.outside) === 1 && { outside: true }),
    });
  }
  if (!pg) await db.run('DELETE FROM chain_pending');
  return formatRecords(entries);
}

export interface VerifyOptions {
  /** Skip re-hashing stored files (and say so). */
  quick?: boolean;
  onProgress?: (p: VerifyProgress) => void;
  /** Exported checkpoints and issued PDFs to check the chain against. */
  against?: string[];
  /** A desktop's own verification (lrw, the app): a full pass that holds is remembered as this machine's last verified head. */
  remember?: boolean;
}

/** What the chain says a row must be: the last event that wrote it. */
interface Vouch {
  digest: string | null;
  hints: string;
  seq: number;
  action: string;
}

/**
 * Everything verification learnt from the chain, for the later phases. Keys are the rows' keys as
 * the records column holds them (escaped), read as latin1 so no UTF-8 is decoded on the hot path.
 */
export interface ChainWalk {
  count: number;
  head: { seq: number; hash: string } | null;
  /** Each event's hash, 32 bytes at (seq - 1) * 32. */
  hashes: Buffer;
  /** table → key → the last event that wrote the row (the tables walked in full). */
  vouched: Map<string, Map<string, Vouch>>;
  /** table → the last digest of each row (the tables walked fast: compared by commitment). */
  sets: Map<string, DigestSet>;
  mismatch: RecordMismatch | null;
  /** The first row an event found changed outside any event (reported after the chain itself holds). */
  outside: RecordMismatch | null;
}

const label = (action: string) => ACTION_LABELS[action] ?? action;
const kindOf = (rt: RecordTable): RecordMismatch['kind'] => (rt.table === 'checkpoints' ? 'checkpoint' : rt.mutable ? 'state' : 'row');

/** A key as the records column holds it (escaped) back to what a person reads. */
const keyText = (key: string) => displayKey(unesc(key));

/** Text as read (SQLite gives numbers for integer columns, PostgreSQL strings for some). */
const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const eventSql = (upTo: number): string =>
  `SELECT seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash, format, records FROM events WHERE seq <= ${Math.floor(upTo)} ORDER BY seq`;

/** A format-1 event (before migration 010): its payload digest and its hash over the old fields. */
function legacyProblem(cols: (string | null)[], seq: number): string | null {
  const [at, actorId, actorName, action, caseId, payloadJson, payloadDigest, prevHash, hash] = cols;
  if (sha256Hex(payloadJson ?? '') !== payloadDigest) return '事件内容与其摘要不符（内容被修改）';
  const h = eventHash({
    seq, at: at!, actorId: actorId === null ? null : Number(actorId), actorName: actorName!, action: action!,
    caseId: caseId === null ? null : Number(caseId), payloadDigest: payloadDigest!, prevHash: prevHash!,
  });
  return h === hash ? null : '事件哈希不符（时间、操作人、操作、内容或所担保的记录被修改）';
}

/**
 * One event's own hash, as the chain walk checks it (no link to the one before): for a record extract
 * that holds only some events (services/caseFiles.ts). Null when it holds; else why not, in Chinese.
 */
export function eventRowProblem(e: EventRow): string | null {
  const seq = Number(e.seq);
  const format = Number(e.format ?? 1);
  if (format === 1 && !e.records) {
    return legacyProblem([e.at, e.actor_id === null ? null : String(e.actor_id), e.actor_name, e.action, e.case_id === null ? null : String(e.case_id), e.payload_json, e.payload_digest, e.prev_hash, e.hash], seq);
  }
  if (format !== 2) return `未知的记录格式 ${format}`;
  const h = eventHashV2({
    seq, at: e.at, actorId: e.actor_id === null ? null : Number(e.actor_id), actorName: e.actor_name, action: e.action,
    caseId: e.case_id === null ? null : Number(e.case_id), payloadJson: e.payload_json, payloadDigest: e.payload_digest, records: e.records ?? '', prevHash: e.prev_hash,
  });
  return h === e.hash ? null : '事件哈希不符（时间、操作人、操作、内容或所担保的记录被修改）';
}

/**
 * Phase 1: every event's hash and link, and what each event vouches for: in full (a Vouch per row,
 * to name a mismatch) or, for the tables in `fast`, only each row's last digest.
 */
async function walkChain(read: SnapshotReader, total: number, progress: (done: number) => void, fast: ReadonlySet<string> = new Set()): Promise<ChainWalk> {
  const hashes = Buffer.alloc(Math.max(total, 1) * 32);
  const vouched = new Map<string, Map<string, Vouch>>(RECORD_TABLES.filter((rt) => !fast.has(rt.table)).map((rt) => [rt.table, new Map()]));
  const sets = new Map<string, DigestSet>([...fast].map((t) => [t, newDigestSet()]));
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let head: ChainWalk['head'] = null;
  let outside: RecordMismatch | null = null;
  const bad = (seq: number, message: string): ChainWalk => ({
    count, head, hashes, vouched, sets, outside, mismatch: { kind: 'chain', table: 'events', tableLabel: '全过程记录', seq, message: `第 ${seq} 号事件：${message}` },
  });
  for await (const page of read.pages(eventSql(total))) {
    for (const r of page) {
      const seq = Number(r[0]);
      const action = r[4] as string;
      const format = Number(r[10]);
      const records = (r[11] as string | null) ?? '';
      count++;
      if (seq !== expectedSeq) return bad(seq, `序号不连续：应为 ${expectedSeq}，实为 ${seq}（有事件被删除或插入）`);
      const hash = r[9] as string;
      const prevHash = r[8] as string;
      if (prevHash !== expectedPrev) return bad(seq, '前一事件哈希不符（链条被改动）');
      if (format === 2) {
        const h = eventHashV2({
          seq, at: r[1] as string, actorId: r[2] === null ? null : Number(r[2]), actorName: r[3] as string, action,
          caseId: r[5] === null ? null : Number(r[5]), payloadJson: r[6] as string, payloadDigest: r[7] as string, records, prevHash,
        });
        if (h !== hash) return bad(seq, '事件哈希不符（时间、操作人、操作、内容或所担保的记录被修改）');
      } else if (format === 1 && !records) {
        const problem = legacyProblem(r.slice(1, 10).map(asText), seq);
        if (problem) return bad(seq, problem);
      } else return bad(seq, `未知的记录格式 ${format}`);
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return bad(seq, '事件哈希格式不符（被改动）');
      hashes.write(hash, (seq - 1) * 32, 'hex');
      head = { seq, hash };
      expectedPrev = hash;
      if (format === 2 && records) {
        for (const line of records.split('\n')) {
          const t1 = line.indexOf('\t');
          const t2 = line.indexOf('\t', t1 + 1);
          const t3 = line.indexOf('\t', t2 + 1);
          const isOutside = line.charCodeAt(0) === 33; // '!'
          const table = line.slice(isOutside ? 1 : 0, t1);
          const key = line.slice(t1 + 1, t2);
          const digest = line.slice(t2 + 1, t3);
          const m = vouched.get(table);
          if (m) m.set(key, { digest: digest === '-' ? null : digest, hints: line.slice(t3 + 1), seq, action });
          else {
            const set = sets.get(table);
            if (!set) return bad(seq, `所担保的记录指向未知的表“${table}”`);
            set.set(key, digest === '-' ? null : digest);
          }
          if (isOutside && !outside) {
            const rt = RECORD_TABLE.get(table)!;
            outside = {
              kind: kindOf(rt), table, tableLabel: rt.label, row: keyText(key), seq,
              message: `第 ${seq} 号事件（${label(action)}）发现表“${rt.label}”（${table}）中主键为 ${keyText(key)} 的行此前被未经任何事件的写入改动过。`,
            };
          }
        }
      }
      expectedSeq++;
    }
    progress(count);
  }
  return { count, head, hashes, vouched, sets, outside, mismatch: null };
}

/**
 * PostgreSQL: each row as JSON, past the row-level policies. SQLite: the key columns, then the row's
 * digest input built by SQLite itself (the same bytes as rowDigest's: the table name, then per field
 * NUL and "~", or NUL, its UTF-8 byte length, ":" and its text), so large text is never decoded here.
 */
function rowSql(db: Store, rt: RecordTable, as: 'blob' | 'text' = 'blob'): string {
  if (db.engine === 'postgres') return `SELECT r FROM lrw_record_rows('${rt.table}') r`;
  const enc = (f: string) => `CASE WHEN ${f} IS NULL THEN char(0) || '~' ELSE char(0) || length(CAST(${f} AS BLOB)) || ':' || ${f} END`;
  const input = `'${rt.table}' || ${rt.fields.map(enc).join(' || ')}`;
  return `SELECT ${rt.key.join(', ')}, ${as === 'blob' ? `CAST(${input} AS BLOB)` : input} FROM ${rt.table}`;
}

/** The first field whose hint differs (the digest already does), or null when the hints cannot tell. */
function changedField(rt: RecordTable, values: unknown[], hints: string): string | null {
  const now = fieldHints(values);
  for (let i = 0; i < rt.fields.length; i++) if (now.slice(i * 2, i * 2 + 2) !== hints.slice(i * 2, i * 2 + 2)) return rt.fields[i];
  return null;
}

/** A checkpoint row not yet vouched for by an event: any digest is accepted (its signature is checked later). */
const AWAITING: Vouch = { digest: '*', hints: '', seq: 0, action: '' };

/** Phase 2: every row of every record table against the last event that wrote it — the tables walked in full (all of them, or those the fast path does not cover). */
async function checkRows(
  db: Store, read: SnapshotReader, vouched: ChainWalk['vouched'], progress: (done: number, total: number) => void, total: number, rowsBefore = 0,
): Promise<{ rows: number; mismatch: RecordMismatch | null }> {
  let rows = rowsBefore;
  const pg = db.engine === 'postgres';
  // Checkpoints signed since the last event (at shutdown, say) await the next event; their signatures vouch for them.
  const awaiting = new Set<string>();
  for await (const page of read.pages("SELECT key FROM chain_pending WHERE tbl = 'checkpoints' AND outside = 0")) for (const r of page) awaiting.add(esc(String(r[0])));
  for (const rt of RECORD_TABLES) {
    const m = vouched.get(rt.table);
    if (!m) continue;
    if (rt.table === 'checkpoints') for (const k of awaiting) if (!m.has(k)) m.set(k, AWAITING);
    const where = (key: string) => `表“${rt.label}”（${rt.table}）中主键为 ${keyText(key)} 的行`;
    const keyIdx = rt.key.map((k) => rt.fields.indexOf(k));
    for await (const page of read.pages(rowSql(db, rt))) {
      for (const raw of page) {
        let key: string;
        let digest: string;
        let values: () => Promise<unknown[]>;
        if (pg) {
          const vs = fromJson(rt, raw[0] as string);
          key = esc(keyIdx.length === 1 ? String(vs[keyIdx[0]]) : keyIdx.map((i) => String(vs[i])).join(KEY_SEP));
          digest = rowDigest(rt.table, vs);
          values = async () => vs;
        } else {
          const n = rt.key.length;
          key = esc(n === 1 ? String(raw[0]) : raw.slice(0, n).map(String).join(KEY_SEP));
          digest = hash('sha256', raw[n] as Buffer, 'base64');
          // Only to name the field that changed (rare): the row's values, read by its key.
          const keyValues = raw.slice(0, n);
          values = async () => {
            const row = await db.get<Record<string, unknown>>(readRowSql(rt), keyValues);
            return rt.fields.map((f) => row?.[f] ?? null);
          };
        }
        const v = m.get(key);
        rows++;
        const base = { table: rt.table, tableLabel: rt.label, row: keyText(key) };
        if (!v || v.digest === null) {
          return {
            rows,
            mismatch: {
              kind: kindOf(rt), ...base, ...(v && { seq: v.seq }),
              message: v
                ? `${where(key)}已由第 ${v.seq} 号事件（${label(v.action)}）记为删除，现在却又存在（记录在事件之外被插入）。`
                : `${where(key)}没有任何事件为其担保（记录在事件之外被插入或篡改了主键）。`,
            },
          };
        }
        if (digest !== v.digest && v !== AWAITING) {
          const field = changedField(rt, await values(), v.hints);
          return {
            rows,
            mismatch: {
              kind: kindOf(rt), ...base, ...(field && { field }), seq: v.seq,
              message: `${where(key)}${field ? `的字段“${field}”` : ''}与第 ${v.seq} 号事件（${label(v.action)}）记载的不符（在事件之外被修改）。`,
            },
          };
        }
        m.delete(key);
      }
      progress(rows, total);
    }
    // What the chain vouches for and the table no longer holds: deleted rows.
    for (const [key, v] of m) {
      if (v.digest === null) continue;
      if (v === AWAITING) {
        return { rows, mismatch: { kind: 'checkpoint', table: rt.table, tableLabel: rt.label, row: keyText(key), message: `${where(key)}刚签署、尚待下一事件担保，现已不存在（检查点被删除）。` } };
      }
      return {
        rows,
        mismatch: {
          kind: kindOf(rt), table: rt.table, tableLabel: rt.label, row: keyText(key), seq: v.seq,
          message: `${where(key)}由第 ${v.seq} 号事件（${label(v.action)}）记入，现已不存在（记录被删除）。`,
        },
      };
    }
  }
  return { rows, mismatch: null };
}

/** Stored files the record names: attachments (blobs), issued files, expert opinions' files. */
async function recordedFiles(read: SnapshotReader, pg: boolean): Promise<Map<string, { size: number | null; table: string; label: string; row: string }>> {
  const files = new Map<string, { size: number | null; table: string; label: string; row: string }>();
  const sources: [string, string, string][] = [
    ['blobs', '存储的文件', pg ? "SELECT r::jsonb->>'sha256', r::jsonb->>'size', r::jsonb->>'sha256' FROM lrw_record_rows('blobs') r" : 'SELECT sha256, size, sha256 FROM blobs'],
    ['issued_files', '签发的文件', pg ? "SELECT r::jsonb->>'sha256', r::jsonb->>'size', r::jsonb->>'id' FROM lrw_record_rows('issued_files') r" : 'SELECT sha256, size, id FROM issued_files'],
    ['expert_opinions', '专家论证意见', pg ? "SELECT r::jsonb->>'file_sha256', NULL, r::jsonb->>'id' FROM lrw_record_rows('expert_opinions') r WHERE r::jsonb->>'file_sha256' IS NOT NULL" : 'SELECT file_sha256, NULL, id FROM expert_opinions WHERE file_sha256 IS NOT NULL'],
  ];
  for (const [table, label, sql] of sources) {
    for await (const page of read.pages(sql)) {
      for (const [sha, size, row] of page) {
        if (!files.has(sha as string)) files.set(sha as string, { size: size == null ? null : Number(size), table, label, row: String(row) });
      }
    }
  }
  return files;
}

async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Phase 3: every stored file re-hashed against the hash the record gives it. */
async function checkFiles(core: Core, read: SnapshotReader, progress: (done: number, total: number) => void): Promise<{ files: number; mismatch: RecordMismatch | null }> {
  const files = await recordedFiles(read, core.db.engine === 'postgres');
  let done = 0;
  for (const [sha, f] of files) {
    const file = core.blobs.pathOf(sha);
    const where = `表“${f.label}”（${f.table}）第 ${f.row} 行记载的文件 ${sha.slice(0, 12)}…`;
    const base = { kind: 'file' as const, table: f.table, tableLabel: f.label, row: f.row };
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return { files: done, mismatch: { ...base, message: `${where}在文件库中不存在（文件被删除或移走）。` } };
    }
    if (f.size !== null && st.size !== f.size) {
      return { files: done, mismatch: { ...base, message: `${where}大小不符：记载 ${f.size} 字节，实为 ${st.size} 字节（文件被改动或替换）。` } };
    }
    if ((await hashFile(file)) !== sha) return { files: done, mismatch: { ...base, message: `${where}的内容与其哈希不符（文件被改动或替换）。` } };
    done++;
    progress(done, files.size);
  }
  return { files: done, mismatch: null };
}

/** Counts for the progress bar (one cheap query per table). */
async function rowTotal(db: Store): Promise<number> {
  let n = 0;
  for (const rt of RECORD_TABLES) n += Number(await db.value(`SELECT COUNT(*) FROM ${rt.table}`).catch(() => 0));
  return n;
}

/** The tables the fast path covers: all but the checkpoints (a few rows, some awaiting their event). */
const FAST_TABLES = RECORD_TABLES.filter((rt) => rt.table !== 'checkpoints');

/** The rows of every fast table, as the worker committed to them, equal what the chain vouches for: how many. */
function agreesWithRows(sets: Map<string, DigestSet>, digests: RowDigests): number | false {
  let rows = 0;
  for (const [table, set] of sets) {
    const theirs = digests.get(table);
    const ours = commitDigestSet(set);
    if (!theirs || theirs.commitment !== ours.commitment || theirs.live !== ours.live) return false;
    rows += ours.live;
  }
  return rows;
}

/**
 * Two cores on a large SQLite file: a worker hashes the rows. LRW_VERIFY_WORKER=0 turns it off, =1 forces
 * it, =all forces it and leaves it every table (on a small store the main thread would otherwise take
 * them all before the worker has started: tests use it to prove the worker's own reading).
 */
const workerMode = (): string => process.env.LRW_VERIFY_WORKER ?? '';
const useWorker = (db: Store, events: number): boolean =>
  db.engine === 'sqlite' && !(db as SqliteStore).raw.memory && workerMode() !== '0' && (events >= 20_000 || workerMode() === '1' || workerMode() === 'all');

/** The whole verification: chain, rows and state, files, then the signed checkpoints and witnesses. */
export async function verifyRecords(core: Core, opts: VerifyOptions = {}): Promise<AuditVerifyView> {
  const db = core.db;
  const progress = (phase: VerifyProgress['phase'], done: number, total: number) => opts.onProgress?.({ phase, done, total });
  const totalRows = opts.onProgress ? await rowTotal(db) : 0;
  return await db.snapshot(async (read) => {
    // The head as this snapshot sees it; a writer may add events meanwhile, which this run leaves out.
    let upTo = 0;
    for await (const page of read.pages('SELECT COALESCE(MAX(seq), 0) FROM events')) upTo = Number(page[0][0]);
    progress('events', 0, upTo);
    // Two cores: the worker commits to what the tables hold while this thread walks the chain.
    const jobs = FAST_TABLES.map((rt) => ({ table: rt.table, sql: rowSql(db, rt, 'text'), keyColumns: rt.key.length }));
    let hashedRows = 0;
    const worker = useWorker(db, upTo) ? startRowWorker((db as SqliteStore).raw.name, jobs, (done) => void (hashedRows = done)) : null;
    const fast = new Set(worker ? FAST_TABLES.map((rt) => rt.table) : []);
    let walk = await walkChain(read, upTo, (done) => progress('events', done, upTo), fast);
    const view = (extra: Partial<AuditVerifyView>): AuditVerifyView => {
      const mismatch = extra.mismatch ?? null;
      return {
        ok: !mismatch,
        count: walk.count,
        firstBad: mismatch ? { seq: mismatch.seq ?? 0, reason: mismatch.message } : null,
        head: walk.head,
        filesSkipped: !!opts.quick,
        ...extra,
        mismatch,
        message: mismatch
          ? `记录校验未通过：${mismatch.message}`
          : `记录校验通过：共 ${walk.count} 条事件，${extra.rows ?? 0} 行记录${opts.quick ? '（未校验文件）' : `、${extra.files ?? 0} 个文件`}均与记录链相符${extra.checkpoints ? `；${extra.checkpoints} 个已签名检查点成立，最近一个在第 ${extra.latestCheckpointSeq} 号事件` : ''}${extra.witnesses?.length ? `；${extra.witnesses.length} 份外部见证相符` : ''}。`,
      };
    };
    if (walk.mismatch || walk.outside) {
      worker?.stop();
      return view({ mismatch: walk.mismatch ?? walk.outside });
    }
    progress('rows', hashedRows, totalRows);
    let rowsBefore = 0;
    if (worker) {
      // This thread takes the tables the worker has not reached yet, in this snapshot.
      const mine: RowDigests = new Map();
      for (let i = workerMode() === 'all' ? -1 : worker.claimFromEnd(); i >= 0; i = worker.claimFromEnd()) {
        mine.set(jobs[i].table, await commitRowPages(read.pages(rowSql(db, FAST_TABLES[i], 'blob')), jobs[i].keyColumns));
      }
      const theirs = await worker.result.catch(() => null);
      const digests = theirs && new Map([...theirs, ...mine]);
      const agreed = digests ? agreesWithRows(walk.sets, digests) : false;
      if (agreed !== false) rowsBefore = agreed;
      // A difference (or no answer): walk again in full in this snapshot, which names the row.
      else walk = await walkChain(read, upTo, (done) => progress('events', done, upTo));
    }
    const rows = await checkRows(db, read, walk.vouched, (d, t) => progress('rows', d, t), totalRows, rowsBefore);
    if (rows.mismatch) return view({ rows: rows.rows, mismatch: rows.mismatch });
    let files = 0;
    if (!opts.quick) {
      const f = await checkFiles(core, read, (d, t) => progress('files', d, t));
      if (f.mismatch) return view({ rows: rows.rows, files: f.files, mismatch: f.mismatch });
      files = f.files;
    }
    // The signed checkpoints, the witnesses from outside and what this desktop verified before.
    const hashAt = (seq: number) => (seq >= 1 && seq <= walk.count ? walk.hashes.toString('hex', (seq - 1) * 32, seq * 32) : undefined);
    progress('checkpoints', 0, 1);
    const cps = await checkCheckpoints(core, hashAt, walk.head);
    progress('checkpoints', 1, 1);
    const done = { rows: rows.rows, files, checkpoints: cps.count, latestCheckpointSeq: cps.latestSeq, warnings: cps.warnings };
    if (cps.mismatch) return view({ ...done, mismatch: cps.mismatch });
    let witnesses: WitnessResult[] | undefined;
    if (opts.against?.length) {
      progress('witnesses', 0, opts.against.length);
      const w = await checkWitnesses(core, opts.against, hashAt, walk.head);
      witnesses = w.results;
      if (w.mismatch) return view({ ...done, witnesses, mismatch: w.mismatch });
    }
    const remembered = await checkRememberedHead(core, hashAt, walk.head);
    if (remembered) return view({ ...done, ...(witnesses && { witnesses }), mismatch: remembered });
    if (opts.remember && !opts.quick && walk.head) await rememberVerifiedHead(core, walk.head);
    return view({ ...done, ...(witnesses && { witnesses }) });
  });
}
