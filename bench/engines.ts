// Engines on realistic data (bench/realistic.ts: facts of 1,000–3,000 Chinese characters, 3–8 evidence
// items, 1–4 legal bases), SQLite and PostgreSQL side by side:
//   a) submissions per second through submitCase (one process), against raw better-sqlite3 writing the
//      same rows in one transaction per case; on PostgreSQL also 8 concurrent writers (8 cores);
//   b) bytes per realistic case on SQLite (file size, and per table through dbstat);
//   c) search p95 at N bulk-loaded cases for 1, 2, 3, 4 and 6 Chinese characters and a case number,
//      against a plain LIKE scan of the same text.
// PostgreSQL runs when LRW_PG_ADMIN_URL (or LRW_PG_URL) names a server whose role may create databases,
// e.g. `bash scripts/with-postgres.sh npm run bench`; each part gets a fresh database, dropped afterwards.
// Knobs: BENCH_SUBMIT_CASES (max cases per submit run, 2000), BENCH_SUBMIT_SECONDS (time cap per run, 8),
// BENCH_WRITERS (8), BENCH_SEARCH_CASES (N; see DEFAULT_SEARCH_CASES), BENCH_QUERY_SECONDS (time cap per
// query kind and variant, 4).
import { currentCatalog } from '../main/core/db/repos/catalog';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openCore, closeCore, type Actor, type Core } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import { createUser } from '../main/core/services/users';
import { submitCase, caseDetail } from '../main/core/services/cases';
import { insertCase, searchCases, setSearchText, SEARCH_COUNT_CAP } from '../main/core/db/repos/cases';
import { canonicalJson, eventHash, GENESIS_HASH, sha256Hex } from '../main/core/domain/audit';
import { parseYuan } from '../main/core/domain/money';
import { CaseInput } from '../preload/contract';
import { realisticCase, sampleTerms, searchBodyOf, type RealisticCase } from './realistic';

/**
 * 100,000 realistic cases do not fit the ~10 minute bench on a 2-core machine: measured here, the engines
 * section alone took 20.5 min at 100,000 (SQLite build 126 s; PostgreSQL 382 s, of which 285 s the GIN
 * trigram index; a 1–2 character search, or a common longer term, reads every case's ~2,700 characters:
 * 2–18 s a query). The default is the largest N that keeps `npm run bench` under ~10 minutes;
 * BENCH_SEARCH_CASES=100000 runs the full size (results kept as engines_100000).
 */
export const DEFAULT_SEARCH_CASES = 40_000;

const SUBMIT_CASES = Number(process.env.BENCH_SUBMIT_CASES ?? 2000);
const SUBMIT_SECONDS = Number(process.env.BENCH_SUBMIT_SECONDS ?? 8);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
export const SEARCH_CASES = Number(process.env.BENCH_SEARCH_CASES ?? DEFAULT_SEARCH_CASES);
const QUERY_SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 4);
const NOW = new Date('2026-11-23T02:00:00Z');
const PASSWORD = 'benchmark-pass';

const pgAdminUrl = (): string | undefined => process.env.LRW_PG_ADMIN_URL ?? process.env.LRW_PG_URL;

// ---------------------------------------------------------------------------------------------------------
// helpers

const fmt = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const ratio = (a: number | null | undefined, b: number | null | undefined): string => (a && b ? `${(a / b).toFixed(2)}×` : '—');
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (s = '') => console.log(s);

function table(head: string[], rows: (string | number)[][]): void {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_h, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const pad = (s: string, n: number, left: boolean) => {
    const len = [...s].reduce((k, ch) => k + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    return left ? s + ' '.repeat(Math.max(0, n - len)) : ' '.repeat(Math.max(0, n - len)) + s;
  };
  for (const [k, r] of cells.entries()) {
    log(`  ${r.map((c, i) => pad(c, w[i], i === 0)).join('  ')}`);
    if (k === 0) log(`  ${w.map((n) => '-'.repeat(n)).join('  ')}`);
  }
}

let pgSeq = 0;
async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>, db?: string): Promise<T> {
  return await pgAdminAt(pgAdminUrl()!, fn, db);
}

/** Runs fn on a client of the admin URL's server, on database db (default: the URL's own). */
export async function pgAdminAt<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>, db?: string): Promise<T> {
  const u = new URL(adminUrl);
  if (db) u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
/** A fresh database (with pg_trgm, which needs a superuser or a trusted extension) and its URL. */
async function freshPg(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lrw_bench_${process.pid}_${++pgSeq}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  await pgAdmin((c) => c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm'), name);
  const u = new URL(pgAdminUrl()!);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}

interface Office {
  core: Core;
  admin: Actor;
  handler: Actor;
  officer: Actor;
}

async function office(dbPath: string, filesDir: string): Promise<Office> {
  const core = await openCore({ dbPath, filesDir, now: () => NOW });
  const admin = await setup(core, { agencyName: '连云港市市场监督管理局', docPrefix: '连市监罚', admin: { username: 'admin', displayName: '管理员', password: PASSWORD } });
  const mk = async (username: string, displayName: string) => {
    const u = await createUser(core, admin, { username, displayName, password: PASSWORD, roles: ['handler'], certNo: `执法${username}`, certExpiry: '2028-12-31' });
    return { id: u.id, username: u.username, displayName: u.displayName, roles: u.roles } as Actor;
  };
  return { core, admin, handler: await mk('handler', '王明'), officer: await mk('officer', '赵丽') };
}

/** Submits cases from..from+max through submitCase one after another, for at most `seconds`. */
async function submitRun(o: Office, from: number, max: number, seconds: number): Promise<{ n: number; ms: number; errors: number; firstError?: string }> {
  const t0 = performance.now();
  let n = 0;
  let errors = 0;
  let firstError: string | undefined;
  while (n < max && performance.now() - t0 < seconds * 1000) {
    try {
      await submitCase(o.core, o.handler, realisticCase(from + n, [o.handler.id, o.officer.id]));
    } catch (err) {
      errors++;
      firstError ??= `${(err as Error).name}: ${(err as Error).message}`;
    }
    n++;
  }
  return { n, ms: performance.now() - t0, errors, firstError };
}

// ---------------------------------------------------------------------------------------------------------
// a) + b)

interface SubmitResults {
  sqlite: { perSec: number; cases: number; ms: number; caseDetailMs: number };
  rawSqlite: { perSec: number; cases: number; ms: number };
  rawSqliteWithSearch: { perSec: number; cases: number; ms: number };
  postgres: null | { perSec: number; cases: number; ms: number; caseDetailMs: number; errors: number };
  postgresConcurrent: null | { writers: number; perSec: number; cases: number; ms: number; errors: number; firstError?: string };
  bytes: BytesResults;
  postgresBytesPerCase: number | null;
}

interface BytesResults {
  cases: number;
  fileBytesPerCase: number;
  fileBytesPerCaseIncludingEmpty: number;
  groups: Record<'rows' | 'events' | 'searchIndex', number>;
  tables: { name: string; bytesPerCase: number }[];
  rawBaselineBytesPerCase: number;
}

const SEARCH_TABLE = /^case_search/;
const EVENTS_TABLE = /^(events|events_case)$/;

async function dbstat(db: Core['db']): Promise<Map<string, number>> {
  const rows = await db.all<{ name: string; b: number }>('SELECT name, SUM(pgsize) AS b FROM dbstat GROUP BY name');
  return new Map(rows.map((r) => [r.name, r.b]));
}

async function fileSize(core: Core, file: string): Promise<number> {
  await core.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  return fs.statSync(file).size;
}

/** Raw better-sqlite3: the rows submitCase writes for the case itself and its event, one transaction per case. */
function rawSqliteRun(file: string, cases: RealisticCase[], handler: Actor, officer: Actor, withSearch: boolean): { n: number; ms: number } {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = FULL');
  const insCase = raw.prepare(`INSERT INTO cases (case_no, kind, title, party_name, state, round, handler_id, catalog_version, catalog_item, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'submitted', 1, ?, ?, ?, ?, ?)`);
  const catalogVersion = (raw.prepare('SELECT MAX(version) FROM catalog_versions').pluck().get() as number) ?? 1;
  const insSub = raw.prepare('INSERT INTO submissions (case_id, round, payload_json, change_note, submitted_by, submitted_at) VALUES (?, 1, ?, NULL, ?, ?)');
  const insOff = raw.prepare('INSERT INTO submission_officers (submission_id, user_id) VALUES (?, ?)');
  const insEv = raw.prepare(`INSERT INTO events (seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insSearch = raw.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)');
  const last = raw.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
  // What submitCase stores: the parsed input without fineAmount, plus fineFen (prepared outside the clock).
  const payloads = cases.map((c) => {
    const { fineAmount, ...rest } = CaseInput.parse(c);
    return { ...rest, fineFen: fineAmount ? parseYuan(fineAmount) : null };
  });
  const bodies = cases.map(searchBodyOf);
  const actorName = `${handler.displayName}（${handler.username}）`;
  const one = raw.transaction((k: number) => {
    const at = NOW.toISOString();
    const c = cases[k];
    const caseId = Number(insCase.run(c.caseNo, c.kind, c.title, c.party.name, handler.id, catalogVersion, c.catalogItem, at, at).lastInsertRowid);
    const stored = canonicalJson(payloads[k]);
    const subId = Number(insSub.run(caseId, stored, handler.id, at).lastInsertRowid);
    insOff.run(subId, handler.id);
    insOff.run(subId, officer.id);
    if (withSearch) insSearch.run(caseId, bodies[k]);
    const prev = last.get() as { seq: number; hash: string } | undefined;
    const seq = (prev?.seq ?? 0) + 1;
    // As services/cases.ts submitCase writes it: the event binds the stored row by its digest.
    const payloadJson = canonicalJson({ round: 1, submissionId: subId, submissionDigest: sha256Hex(stored), catalogVersion });
    const payloadDigest = sha256Hex(payloadJson);
    const prevHash = prev?.hash ?? GENESIS_HASH;
    const hash = eventHash({ seq, at, actorId: handler.id, actorName, action: 'case.submit', caseId, payloadDigest, prevHash });
    insEv.run(seq, at, handler.id, actorName, 'case.submit', caseId, payloadJson, payloadDigest, prevHash, hash);
  });
  const t0 = performance.now();
  for (let k = 0; k < cases.length; k++) one.immediate(k);
  const ms = performance.now() - t0;
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return { n: cases.length, ms };
}

async function benchSubmit(dir: string): Promise<SubmitResults> {
  log(`\nengines a) submissions per second through submitCase, realistic cases (one process; at most ${SUBMIT_CASES} cases or ${SUBMIT_SECONDS} s a run)`);
  // SQLite through the core.
  const file = path.join(dir, 'submit.sqlite');
  const o = await office(file, `${file}-files`);
  const emptyBytes = await fileSize(o.core, file);
  await submitRun(o, 1_000_000, 20, 60); // warm-up: statement cache, JIT
  const warmBytes = await fileSize(o.core, file);
  const warmStat = await dbstat(o.core.db);
  const s = await submitRun(o, 0, SUBMIT_CASES, SUBMIT_SECONDS);
  if (s.errors) throw new Error(`SQLite submitCase failed ${s.errors} times: ${s.firstError}`);
  // caseDetail is part of every submitCase (it returns the case page): its share, measured on its own.
  const ids = await o.core.db.column<number>('SELECT id FROM cases ORDER BY id DESC LIMIT 200');
  let t0 = performance.now();
  for (const id of ids) await caseDetail(o.core, o.handler, id);
  const sqliteDetailMs = (performance.now() - t0) / ids.length;

  // b) bytes per case, from the same file.
  const afterBytes = await fileSize(o.core, file);
  const afterStat = await dbstat(o.core.db);
  const tables = [...afterStat.entries()]
    .map(([name, b]) => ({ name, bytesPerCase: (b - (warmStat.get(name) ?? 0)) / s.n }))
    .filter((t) => t.bytesPerCase > 0)
    .sort((a, b) => b.bytesPerCase - a.bytesPerCase);
  const groups = { rows: 0, events: 0, searchIndex: 0 };
  for (const t of tables) groups[SEARCH_TABLE.test(t.name) ? 'searchIndex' : EVENTS_TABLE.test(t.name) ? 'events' : 'rows'] += t.bytesPerCase;
  await closeCore(o.core);

  // Raw better-sqlite3 baselines on a file set up the same way (users, catalog, setup events).
  const rawRun = async (name: string, withSearch: boolean) => {
    const f = path.join(dir, name);
    const ro = await office(f, `${f}-files`);
    await closeCore(ro.core);
    const before = fs.statSync(f).size;
    const cases = Array.from({ length: s.n }, (_x, k) => realisticCase(k, [ro.handler.id, ro.officer.id]));
    const r = rawSqliteRun(f, cases, ro.handler, ro.officer, withSearch);
    return { ...r, bytesPerCase: (fs.statSync(f).size - before) / r.n };
  };
  const raw = await rawRun('raw.sqlite', false);
  const rawSearch = await rawRun('raw-search.sqlite', true);

  const sqlite = { perSec: (s.n / s.ms) * 1000, cases: s.n, ms: s.ms, caseDetailMs: sqliteDetailMs };
  const rawSqlite = { perSec: (raw.n / raw.ms) * 1000, cases: raw.n, ms: raw.ms };
  const rawSqliteWithSearch = { perSec: (rawSearch.n / rawSearch.ms) * 1000, cases: rawSearch.n, ms: rawSearch.ms };

  // PostgreSQL: one writer, then WRITERS cores in this process submitting at once.
  let postgres: SubmitResults['postgres'] = null;
  let postgresConcurrent: SubmitResults['postgresConcurrent'] = null;
  let postgresBytesPerCase: number | null = null;
  if (pgAdminUrl()) {
    const db = await freshPg();
    try {
      const po = await office(db.url, path.join(dir, 'pg-files'));
      await submitRun(po, 1_000_000, 20, 60);
      const sizeBefore = (await po.core.db.value<number>('SELECT pg_database_size(current_database())'))!;
      const r = await submitRun(po, 0, SUBMIT_CASES, SUBMIT_SECONDS);
      const sizeAfter = (await po.core.db.value<number>('SELECT pg_database_size(current_database())'))!;
      postgresBytesPerCase = (sizeAfter - sizeBefore) / r.n;
      const pids = await po.core.db.column<number>('SELECT id FROM cases ORDER BY id DESC LIMIT 200');
      t0 = performance.now();
      for (const id of pids) await caseDetail(po.core, po.handler, id);
      postgres = { perSec: (r.n / r.ms) * 1000, cases: r.n, ms: r.ms, caseDetailMs: (performance.now() - t0) / pids.length, errors: r.errors };
      if (r.errors) log(`  PostgreSQL single writer: ${r.errors} errors, first: ${r.firstError}`);
      // WRITERS cores, each its own pool, each submitting its own cases.
      const cores: Office[] = [];
      for (let w = 0; w < WRITERS; w++) cores.push({ ...po, core: await openCore({ dbPath: db.url, filesDir: path.join(dir, 'pg-files'), now: () => NOW }) });
      const per = Math.max(1, Math.floor(SUBMIT_CASES / WRITERS));
      t0 = performance.now();
      const runs = await Promise.all(cores.map((c, w) => submitRun(c, 2_000_000 + w * 100_000, per, SUBMIT_SECONDS)));
      const ms = performance.now() - t0;
      const n = runs.reduce((a, x) => a + x.n, 0);
      const errors = runs.reduce((a, x) => a + x.errors, 0);
      postgresConcurrent = { writers: WRITERS, perSec: ((n - errors) / ms) * 1000, cases: n, ms, errors, firstError: runs.find((x) => x.firstError)?.firstError };
      for (const c of cores) await closeCore(c.core);
      await closeCore(po.core);
    } finally {
      await db.drop();
    }
  }

  const GOAL_SQLITE = 2000;
  const GOAL_PG = 500;
  const goal = (v: number | undefined, g: number) => (v === undefined ? '—' : `${v >= g ? 'met' : 'MISSED'} (goal ≥ ${fmt(g)}/s)`);
  table(
    ['', 'cases', 'time', 'per second', 'vs raw SQLite', 'goal'],
    [
      ['raw better-sqlite3 (cases, submissions, officers, events + sha256 chain; 1 tx/case) — baseline', rawSqlite.cases, secs(rawSqlite.ms), fmt(rawSqlite.perSec), '1.00×', ''],
      ['raw better-sqlite3, same + the FTS5 trigram row', rawSqliteWithSearch.cases, secs(rawSqliteWithSearch.ms), fmt(rawSqliteWithSearch.perSec), ratio(rawSqliteWithSearch.perSec, rawSqlite.perSec), ''],
      ['SQLite submitCase (synchronous=FULL)', sqlite.cases, secs(sqlite.ms), fmt(sqlite.perSec), ratio(sqlite.perSec, rawSqlite.perSec), goal(sqlite.perSec, GOAL_SQLITE)],
      postgres
        ? ['PostgreSQL submitCase, 1 writer', postgres.cases, secs(postgres.ms), fmt(postgres.perSec), ratio(postgres.perSec, rawSqlite.perSec), goal(postgres.perSec, GOAL_PG)]
        : ['PostgreSQL: skipped (set LRW_PG_ADMIN_URL/LRW_PG_URL, e.g. bash scripts/with-postgres.sh npm run bench)', '', '', '', '', ''],
      ...(postgresConcurrent
        ? [[`PostgreSQL submitCase, ${postgresConcurrent.writers} writers (8 cores, one process)`, postgresConcurrent.cases, secs(postgresConcurrent.ms), fmt(postgresConcurrent.perSec), ratio(postgresConcurrent.perSec, rawSqlite.perSec), `${ratio(postgresConcurrent.perSec, postgres?.perSec)} of 1 writer; errors ${postgresConcurrent.errors}`]]
        : []),
    ],
  );
  log(`  SQLite vs PostgreSQL (1 writer): ${ratio(sqlite.perSec, postgres?.perSec)}; submitCase includes returning the case page (caseDetail alone: SQLite ${sqliteDetailMs.toFixed(2)} ms, PostgreSQL ${postgres ? postgres.caseDetailMs.toFixed(2) : '—'} ms a call)`);
  if (postgresConcurrent?.errors) log(`  concurrent writers: ${postgresConcurrent.errors} ERRORS, first: ${postgresConcurrent.firstError}`);

  const bytes: BytesResults = {
    cases: s.n,
    fileBytesPerCase: (afterBytes - warmBytes) / s.n,
    fileBytesPerCaseIncludingEmpty: afterBytes / s.n,
    groups,
    tables,
    rawBaselineBytesPerCase: raw.bytesPerCase,
  };
  log(`\nengines b) bytes per realistic case on SQLite (${s.n} cases through submitCase; empty database ${mb(emptyBytes)})`);
  table(
    ['', 'bytes per case', 'share'],
    [
      ['file size growth / cases', fmt(bytes.fileBytesPerCase), '100%'],
      ['  rows (cases, submissions, officers, periods, their indexes)', fmt(groups.rows), `${((groups.rows / bytes.fileBytesPerCase) * 100).toFixed(0)}%`],
      ['  events (audit chain + index)', fmt(groups.events), `${((groups.events / bytes.fileBytesPerCase) * 100).toFixed(0)}%`],
      ['  search index (FTS5 trigram: content + index)', fmt(groups.searchIndex), `${((groups.searchIndex / bytes.fileBytesPerCase) * 100).toFixed(0)}%`],
      ['raw better-sqlite3 baseline (no search index, no periods) / cases', fmt(bytes.rawBaselineBytesPerCase), ''],
      ...(postgresBytesPerCase !== null ? [['PostgreSQL: database size growth / cases (for comparison)', fmt(postgresBytesPerCase), '']] : []),
    ],
  );
  log(`  per table: ${tables.map((t) => `${t.name} ${fmt(t.bytesPerCase)}`).join(', ')}`);
  return { sqlite, rawSqlite, rawSqliteWithSearch, postgres, postgresConcurrent, bytes, postgresBytesPerCase };
}

// ---------------------------------------------------------------------------------------------------------
// c) search

interface Loaded {
  caseNo: string;
  title: string;
  party: string;
  catalogItem: string;
  body: string;
}

type QueryKind = '1 char' | '2 chars' | '3 chars' | '4 chars' | '6 chars' | 'case number';
const KINDS: QueryKind[] = ['1 char', '2 chars', '3 chars', '4 chars', '6 chars', 'case number'];

interface Cell {
  p95: number;
  median: number;
  samples: number;
  hits: number[];
  /** Median per term, in the order of the terms. */
  termMedians: number[];
}

interface EngineSearch {
  engine: 'sqlite' | 'postgres';
  n: number;
  buildMs: number;
  indexMs: number | null;
  bytes: number;
  app: Record<QueryKind, Cell>;
  likeScan: Record<QueryKind, Cell>;
}

function terms(n: number): Record<QueryKind, string[]> {
  const r = (k: number) => Math.floor(((k * 2654435761) % 4294967296) / 4294967296 * n);
  return {
    '1 char': sampleTerms(1, 4, n),
    '2 chars': sampleTerms(2, 4, n),
    '3 chars': sampleTerms(3, 4, n),
    '4 chars': sampleTerms(4, 4, n),
    '6 chars': sampleTerms(6, 4, n),
    'case number': [1, 2, 3, 4].map((k) => `连市监罚立〔2026〕${r(k) + 1}号`),
  };
}

const LIST_SELECT = `SELECT c.*, h.display_name AS handler_name, r.display_name AS reviewer_name
  FROM cases c JOIN users h ON h.id = c.handler_id LEFT JOIN users r ON r.id = c.reviewer_id`;

/**
 * The same answer as searchCases (the count up to SEARCH_COUNT_CAP, and the first page of 50 newest) from
 * a plain LIKE scan of the same text, no index.
 */
async function likeScan(core: Core, q: string): Promise<number> {
  const db = core.db;
  const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const from = db.engine === 'sqlite' ? 'SELECT id FROM case_search_content' : 'SELECT case_id FROM case_search';
  const col = db.engine === 'sqlite' ? 'c0' : 'body';
  const w = `WHERE c.id IN (${from} WHERE ${col} LIKE @like ESCAPE '\\')`;
  const run = async () => {
    const total = (await db.value<number>(`SELECT COUNT(*) FROM (SELECT 1 FROM cases c ${w} LIMIT ${SEARCH_COUNT_CAP + 1}) x`, { like }))!;
    await db.all(`${LIST_SELECT} ${w} ORDER BY c.updated_at DESC, c.id DESC LIMIT 50 OFFSET 0`, { like });
    return Math.min(total, SEARCH_COUNT_CAP);
  };
  if (db.engine === 'sqlite') return run();
  // PostgreSQL would use the trigram index: forbid it for this transaction only.
  return db.tx(async () => {
    await db.exec('SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
    return run();
  });
}

async function timeKind(fn: (q: string) => Promise<number>, qs: string[]): Promise<Cell> {
  await fn(qs[0]); // warm-up
  const times: number[] = [];
  const hits = new Map<string, number>();
  const per = new Map<string, number[]>(qs.map((q) => [q, []]));
  const t0 = performance.now();
  // Round-robin over the terms until the time cap (at least 1 round, at most 5).
  for (let round = 0; round < 5 && (round < 1 || performance.now() - t0 < QUERY_SECONDS * 1000); round++) {
    for (const q of qs) {
      const s = performance.now();
      hits.set(q, await fn(q));
      times.push(performance.now() - s);
      per.get(q)!.push(performance.now() - s);
    }
  }
  return { p95: pct(times, 95), median: pct(times, 50), samples: times.length, hits: qs.map((q) => hits.get(q)!), termMedians: qs.map((q) => pct(per.get(q)!, 50)) };
}

async function loadSearch(core: Core, data: Loaded[], handlerId: number): Promise<{ buildMs: number; indexMs: number | null }> {
  const base = Date.parse('2025-01-01T00:00:00Z');
  const t0 = performance.now();
  const pgDrop = core.db.engine === 'postgres';
  // PostgreSQL: maintaining the GIN index row by row is the slow part, so it is rebuilt once after the
  // load, with the same definition the migration creates.
  if (pgDrop) await core.db.exec('DROP INDEX case_search_trgm');
  const BATCH = 5000;
  const catalogVersion = (await currentCatalog(core.db))!.version;
  for (let s = 0; s < data.length; s += BATCH) {
    await core.db.tx(async () => {
      for (let i = s; i < Math.min(data.length, s + BATCH); i++) {
        const c = data[i];
        const at = new Date(base + i * 60_000).toISOString();
        const id = await insertCase(core.db, { case_no: c.caseNo, kind: 'penalty', title: c.title, party_name: c.party, handler_id: handlerId, catalog_version: catalogVersion, catalog_item: c.catalogItem }, at);
        await setSearchText(core.db, id, c.body);
      }
    });
  }
  const loadMs = performance.now() - t0;
  let indexMs: number | null = null;
  if (pgDrop) {
    const t1 = performance.now();
    await core.db.exec("SET maintenance_work_mem = '512MB'; CREATE INDEX case_search_trgm ON case_search USING gin (body gin_trgm_ops); RESET maintenance_work_mem");
    await core.db.exec('ANALYZE');
    indexMs = performance.now() - t1;
  }
  return { buildMs: loadMs + (indexMs ?? 0), indexMs };
}

/** Exact hits per term, counted in JS over the generated texts: the oracle both engines are checked against. */
function exactHits(data: Loaded[], qs: Record<QueryKind, string[]>): Record<QueryKind, number[]> {
  const out = {} as Record<QueryKind, number[]>;
  for (const k of KINDS) out[k] = qs[k].map((q) => data.reduce((n, d) => n + (d.body.includes(q) ? 1 : 0), 0));
  return out;
}

async function searchOn(core: Core, engine: 'sqlite' | 'postgres', data: Loaded[], qs: Record<QueryKind, string[]>, exact: Record<QueryKind, number[]>, handlerId: number, file?: string): Promise<EngineSearch> {
  const { buildMs, indexMs } = await loadSearch(core, data, handlerId);
  const bytes = engine === 'sqlite' ? await fileSize(core, file!) : (await core.db.value<number>('SELECT pg_database_size(current_database())'))!;
  log(`  ${engine}: ${fmt(data.length)} cases loaded in ${secs(buildMs)}${indexMs !== null ? ` (of which trigram index build + ANALYZE ${secs(indexMs)})` : ''}; ${mb(bytes)}`);
  const app = {} as Record<QueryKind, Cell>;
  const scan = {} as Record<QueryKind, Cell>;
  const wrong: string[] = [];
  for (const k of KINDS) {
    app[k] = await timeKind(async (q) => {
      const r = await searchCases(core.db, { query: q, limit: 50, offset: 0 });
      const want = exact[k][qs[k].indexOf(q)];
      // The app counts up to SEARCH_COUNT_CAP and says "1000+" past it.
      if (r.total !== Math.min(want, SEARCH_COUNT_CAP) || r.capped !== want > SEARCH_COUNT_CAP || r.rows.length !== Math.min(50, want)) {
        wrong.push(`“${q}”: ${r.total}${r.capped ? '+' : ''} hits, ${r.rows.length} rows; expected ${want}`);
      }
      return r.total;
    }, qs[k]);
    scan[k] = await timeKind((q) => likeScan(core, q), qs[k]);
  }
  if (wrong.length) log(`  ${engine}: WRONG RESULTS — ${[...new Set(wrong)].join('; ')}`);
  return { engine, n: data.length, buildMs, indexMs, bytes, app, likeScan: scan };
}

async function benchSearchEngines(dir: string): Promise<{ n: number; generateMs: number; terms: Record<QueryKind, string[]>; exactHits: Record<QueryKind, number[]>; countCap: number; sqlite: EngineSearch; postgres: EngineSearch | null }> {
  const n = SEARCH_CASES;
  log(`\nengines c) search at ${fmt(n)} realistic cases (bulk-loaded through the repositories in transactions of 5,000), p95 of searchCases (count + first page of 50)`);
  if (n < 100_000) log(`  (N = ${fmt(n)}: 100,000 realistic cases do not fit a ~10 minute bench on this machine; BENCH_SEARCH_CASES=100000 runs the full size)`);
  const t0 = performance.now();
  const data: Loaded[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = realisticCase(i, [2, 3]);
    data[i] = { caseNo: c.caseNo, title: c.title, party: c.party.name, catalogItem: c.catalogItem, body: searchBodyOf(c) };
  }
  const qs = terms(n);
  const exact = exactHits(data, qs);
  const generateMs = performance.now() - t0;
  const avgChars = data.slice(0, 2000).reduce((a, d) => a + d.body.length, 0) / Math.min(2000, n);
  log(`  generated in ${secs(generateMs)}; search text ≈ ${fmt(avgChars)} characters a case`);

  const file = path.join(dir, 'search.sqlite');
  const so = await office(file, `${file}-files`);
  const sqlite = await searchOn(so.core, 'sqlite', data, qs, exact, so.handler.id, file);
  await closeCore(so.core);
  fs.rmSync(file, { force: true });

  let postgres: EngineSearch | null = null;
  if (pgAdminUrl()) {
    const db = await freshPg();
    try {
      const po = await office(db.url, path.join(dir, 'pg-files'));
      postgres = await searchOn(po.core, 'postgres', data, qs, exact, po.handler.id);
      await closeCore(po.core);
    } finally {
      await db.drop();
    }
  } else {
    log('  PostgreSQL: skipped (set LRW_PG_ADMIN_URL/LRW_PG_URL, e.g. bash scripts/with-postgres.sh npm run bench)');
  }
  const rows = KINDS.map((k) => {
    const s = sqlite.app[k];
    const sl = sqlite.likeScan[k];
    const p = postgres?.app[k];
    const pl = postgres?.likeScan[k];
    return [
      `${k} (${qs[k].map((q) => `“${q}”`).join(' ')})`,
      exact[k].join('/'),
      fmt(s.p95, 1),
      fmt(sl.p95, 1),
      ratio(sl.p95, s.p95),
      p ? fmt(p.p95, 1) : '—',
      pl ? fmt(pl.p95, 1) : '—',
      ratio(pl?.p95, p?.p95),
      ratio(p?.p95, s.p95),
    ];
  });
  table(['query (terms)', 'exact hits per term', 'SQLite p95 ms', 'LIKE scan', 'scan/index', 'PostgreSQL p95 ms', 'LIKE scan', 'scan/index', 'PG/SQLite'], rows);
  log('  per term (hits: median ms SQLite / PostgreSQL):');
  for (const k of KINDS) {
    log(`    ${k}: ${qs[k].map((q, j) => `“${q}” ${exact[k][j]}: ${fmt(sqlite.app[k].termMedians[j], 1)}${postgres ? ` / ${fmt(postgres.app[k].termMedians[j], 1)}` : ''}`).join('; ')}`);
  }
  log(`  samples per cell: ${KINDS.map((k) => `${k} ${sqlite.app[k].samples}${postgres ? `/${postgres.app[k].samples}` : ''}`).join(', ')} (SQLite/PostgreSQL; ${QUERY_SECONDS} s cap per cell, ≥ 1 round of ${qs['1 char'].length} terms)`);
  log(`  every answer was checked against exact counts over the generated texts (the app counts up to ${SEARCH_COUNT_CAP}, then says ${SEARCH_COUNT_CAP}+; so does the LIKE scan baseline here).`);
  log('  app: searchCases as the core runs it (its strategy per engine and query length is described in main/core/db/repos/cases.ts).');
  log('  LIKE scan baseline: the same answer (count up to the cap, first page of 50 newest) with the LIKE on the plain text (SQLite: the FTS5 content table; PostgreSQL: case_search with index scans disabled).');
  return { n, generateMs, terms: qs, exactHits: exact, countCap: SEARCH_COUNT_CAP, sqlite, postgres };
}

// ---------------------------------------------------------------------------------------------------------

export async function benchEngines(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-engines-'));
  const t0 = performance.now();
  const pgVersion = pgAdminUrl() ? await pgAdmin((c) => c.query('SHOW server_version')).then((r) => r.rows[0].server_version as string).catch((e: Error) => `unavailable: ${e.message}`) : null;
  log(`\nengines: SQLite ${new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string}, PostgreSQL ${pgVersion ?? 'skipped (no LRW_PG_ADMIN_URL/LRW_PG_URL)'}; ${os.cpus().length} CPUs; temp dir ${dir}`);
  try {
    const submit = await benchSubmit(dir);
    const search = await benchSearchEngines(dir);
    const totalMs = performance.now() - t0;
    log(`\nengines: done in ${secs(totalMs)}`);
    return { sqliteVersion: new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get(), postgresVersion: pgVersion, cpus: os.cpus().length, totalMs, submit, search };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /bench[\\/]engines\.ts$/.test(process.argv[1])) {
  benchEngines().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
