// One test per migration, on the engine the suite runs on (LRW_TEST_ENGINE), plus the refusals.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../main/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../main/core/db/migrations';
import * as m008 from '../../main/core/db/migrations/008_gate_inputs';
import { CATALOG_V2_ITEMS } from '../../main/core/domain/catalog';
import type { Store } from '../../main/core/db/store';
import { tempDir } from '../helpers/fixture';
import { freshTarget, onPostgres } from '../helpers/engine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function target(): Promise<string> {
  const d = tempDir();
  const t = await freshTarget(d, 'db.sqlite');
  cleanups.push(async () => {
    await t.drop();
    fs.rmSync(d, { recursive: true, force: true });
  });
  return t.target;
}
/** A store migrated only up to `upTo`, then `statements` run on it as an older version would have: it opens at the latest. */
async function legacyStore(upTo: number, statements: string[]): Promise<string> {
  const t = await target();
  const ms = MIGRATIONS.filter((m) => m.version <= upTo);
  if (onPostgres) {
    const c = new pg.Client({ connectionString: t });
    await c.connect();
    await c.query('CREATE TABLE lrw_schema (version INTEGER NOT NULL)');
    for (const m of ms) {
      await c.query(m.postgres);
      await c.query('INSERT INTO lrw_schema (version) VALUES ($1)', [m.version]);
    }
    for (const q of statements) await c.query(q);
    await c.end();
  } else {
    const raw = new Database(t);
    for (const m of ms) raw.exec(m.sqlite);
    raw.pragma(`user_version = ${upTo}`);
    for (const q of statements) raw.exec(q);
    raw.close();
  }
  return t;
}
async function open(): Promise<Store> {
  const db = await openDb(await target());
  cleanups.unshift(() => db.close());
  return db;
}
const tables = (db: Store) =>
  db.column<string>(
    db.engine === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'table'" : 'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
  );
const triggers = (db: Store) =>
  db.column<string>(db.engine === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'trigger'" : 'SELECT tgname FROM pg_trigger WHERE NOT tgisinternal');
const columns = (db: Store, table: string) =>
  db.column<string>(
    db.engine === 'sqlite' ? `SELECT name FROM pragma_table_info('${table}')` : `SELECT column_name FROM information_schema.columns WHERE table_name = '${table}'`,
  );

describe(`migrations (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('are numbered 1..N without gaps, each with SQL for both engines', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
    for (const m of MIGRATIONS) {
      expect(m.sqlite.trim().length).toBeGreaterThan(0);
      expect(m.postgres.trim().length).toBeGreaterThan(0);
    }
  });

  it('001 creates the schema and foreign keys hold, and the version is recorded', async () => {
    const db = await open();
    expect(await schemaVersion(db)).toBe(LATEST_VERSION);
    if (db.engine === 'sqlite') {
      expect(await db.value('PRAGMA journal_mode')).toBe('wal');
      expect(await db.value('PRAGMA foreign_keys')).toBe(1);
      expect(await db.value('PRAGMA synchronous')).toBe(2); // FULL
    }
    const t = await tables(db);
    for (const name of ['agency', 'users', 'cases', 'submissions', 'review_rounds', 'findings', 'approvals', 'events', 'case_search']) {
      expect(t).toContain(name);
    }
    await expect(db.run('INSERT INTO user_roles (user_id, role) VALUES (999, ?)', ['handler'])).rejects.toThrow(/FOREIGN KEY|foreign key/);
    await expect(db.run("INSERT INTO events (seq, at, actor_name, action, payload_json, payload_digest, prev_hash, hash) VALUES (1,'','','','{}','','','')")).resolves.toBe(1);
    await expect(db.run("UPDATE events SET action = 'x'")).rejects.toThrow(/IMMUTABLE/);
    await expect(db.run('DELETE FROM events')).rejects.toThrow(/IMMUTABLE/);
  });

  it('002 adds settings, calendar overrides (append-only), review periods and clocks', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['settings', 'calendar_overrides', 'periods', 'clocks']));
    expect(await triggers(db)).toEqual(expect.arrayContaining(['calendar_overrides_no_update', 'calendar_overrides_no_delete']));
  });

  it('003 adds re-review requests, escalations and meetings with lock guards', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['rereview_requests', 'escalations', 'meetings', 'meeting_attendees', 'meeting_items', 'meeting_stances', 'meeting_amendments']),
    );
    expect(await columns(db, 'approvals')).toContain('meeting_id');
    const expected = db.engine === 'sqlite' ? ['meeting_items_locked_update', 'meeting_stances_locked_insert'] : ['meeting_items_locked', 'meeting_stances_locked'];
    expect(await triggers(db)).toEqual(expect.arrayContaining([...expected, 'rereview_requests_no_update']));
  });

  it('004 adds documents, versions (append-only), serials, clauses, identities and issued files', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(
      expect.arrayContaining(['template_overrides', 'documents', 'document_versions', 'doc_serials', 'clauses', 'signing_identities', 'issued_files']),
    );
    expect(await triggers(db)).toEqual(expect.arrayContaining(['document_versions_no_update', 'issued_files_no_delete', 'documents_number_once']));
  });

  it('005 adds the newest-first index, and on PostgreSQL row-level security on case rows', async () => {
    const db = await open();
    const indexes = await db.column<string>(
      db.engine === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'index'" : 'SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()',
    );
    expect(indexes).toContain('cases_recent');
    if (db.engine === 'postgres') {
      const rls = await db.column<string>('SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY relname');
      expect(rls).toEqual(expect.arrayContaining(['case_search', 'cases', 'submissions']));
      expect(await db.column<string>('SELECT policyname FROM pg_policies ORDER BY policyname')).toEqual(expect.arrayContaining(['case_search_visible', 'cases_visible', 'submissions_visible']));
    }
  });

  it('008 adds reviewer exemptions and extension requests/decisions (append-only), and catalog version 2 to databases that hold a catalog', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['reviewer_exemptions', 'extension_requests', 'extension_decisions']));
    expect(await triggers(db)).toEqual(expect.arrayContaining(['reviewer_exemptions_no_update', 'extension_requests_no_delete', 'extension_decisions_no_update']));
    // A fresh database has no catalog yet: setup writes version 2 itself.
    expect(await db.value('SELECT COUNT(*) FROM catalog_versions')).toBe(0);
    // An existing database: its catalog version 1 and the cases it classified stay; version 2 is added after it.
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '旧版', ?, '2026-01-01T00:00:00.000Z')", [
      JSON.stringify([{ code: 'coercion.seal', kind: 'coercion', label: '查封、扣押场所设施300平方米以上或财物价值10万元以上' }]),
    ]);
    await db.exec(m008.catalogUpgrade(db.engine === 'sqlite' ? m008.SQLITE_NOW : m008.PG_NOW));
    const rows = await db.all<{ version: number; items_json: string; created_at: string }>('SELECT version, items_json, created_at FROM catalog_versions ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
    expect(JSON.parse(rows[0].items_json)).toHaveLength(1);
    expect(JSON.parse(rows[1].items_json)).toEqual(CATALOG_V2_ITEMS);
    expect(rows[1].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.parse(rows[1].items_json).find((i: { code: string }) => i.code === 'coercion.seal').seal).toEqual({ minAreaM2: 300, minValueFen: 10_000_000 });
    expect(m008.sqlite).toContain(m008.catalogUpgrade(m008.SQLITE_NOW).trim());
    expect(m008.postgres).toContain(m008.catalogUpgrade(m008.PG_NOW).trim());
  });

  it('009 adds expert opinions (append-only, row security on PostgreSQL) and the minutes’ recorder', async () => {
    const db = await open();
    expect(await tables(db)).toContain('expert_opinions');
    expect(await columns(db, 'expert_opinions')).toEqual(
      expect.arrayContaining(['case_id', 'round', 'review_kind', 'experts_json', 'held_on', 'opinion', 'file_sha256', 'file_name', 'added_by', 'added_at']),
    );
    expect(await columns(db, 'meetings')).toContain('recorded_by');
    expect(await triggers(db)).toEqual(expect.arrayContaining(['expert_opinions_no_update', 'expert_opinions_no_delete']));
    if (db.engine === 'postgres') {
      expect(await db.column<string>('SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY relname')).toEqual(['case_file_supplements', 'case_files', 'case_search', 'cases', 'ending_steps', 'endings', 'execution_records', 'expert_opinions', 'extension_decisions', 'extension_requests', 'filing_corrections', 'filing_responses', 'filings', 'inspection_replies', 'inspections', 'referral_steps', 'referrals', 'service_records', 'submissions']);
      expect(await db.column<string>("SELECT policyname FROM pg_policies WHERE tablename = 'expert_opinions'")).toEqual(['expert_opinions_visible']);
    }
    // Append-only on both engines.
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('r', '审核', 'x', '2026-01-01T00:00:00Z')");
    const c = await db.insert(
      "INSERT INTO cases (case_no, kind, title, party_name, state, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'under_review', ?, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      [u],
    );
    await db.run(
      "INSERT INTO expert_opinions (case_id, round, review_kind, experts_json, held_on, opinion, added_by, added_at) VALUES (?, 1, 'review', '[\"甲\"]', '2026-01-01', '意见', ?, '2026-01-01T00:00:00Z')",
      [c, u],
    );
    await expect(db.run("UPDATE expert_opinions SET opinion = 'x'")).rejects.toThrow(/IMMUTABLE|refuse/i);
    await expect(db.run('DELETE FROM expert_opinions')).rejects.toThrow(/IMMUTABLE|refuse/i);
  });

  it('011 adds record-signing public keys (journalled for the chain) and signed checkpoints, both append-only, with no column for a private key', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['record_keys', 'checkpoints']));
    expect((await columns(db, 'record_keys')).sort()).toEqual(['algorithm', 'created_at', 'created_by', 'fingerprint', 'id', 'public_key_pem']);
    expect((await columns(db, 'checkpoints')).sort()).toEqual(['at', 'hash', 'id', 'key_id', 'prev', 'reason', 'seq', 'signature']);
    expect(await triggers(db)).toEqual(expect.arrayContaining(['record_keys_no_update', 'record_keys_no_delete', 'checkpoints_no_update', 'checkpoints_no_delete']));
    const k = await db.insert("INSERT INTO record_keys (algorithm, public_key_pem, fingerprint, created_at) VALUES ('ed25519', 'PEM', 'fp1', '2026-01-01T00:00:00Z')");
    // The key row waits in the journal for the event that vouches for it (migration 010).
    expect(await db.value("SELECT COUNT(*) FROM chain_pending WHERE tbl = 'record_keys'")).toBe(1);
    await expect(db.insert("INSERT INTO record_keys (algorithm, public_key_pem, fingerprint, created_at) VALUES ('rsa', 'PEM', 'fp2', '2026-01-01T00:00:00Z')")).rejects.toThrow();
    await expect(db.insert("INSERT INTO record_keys (algorithm, public_key_pem, fingerprint, created_at) VALUES ('sm2', 'PEM', 'fp1', '2026-01-01T00:00:00Z')")).rejects.toThrow();
    await db.run("INSERT INTO checkpoints (seq, hash, at, key_id, reason, prev, signature) VALUES (1, 'h', '2026-01-01T00:00:00Z', ?, 'interval', 'p', 's')", [k]);
    await expect(db.run("INSERT INTO checkpoints (seq, hash, at, key_id, reason, prev, signature) VALUES (2, 'h', '2026-01-01T00:00:00Z', ?, 'whenever', 'p', 's')", [k])).rejects.toThrow();
    await expect(db.run("INSERT INTO checkpoints (seq, hash, at, key_id, reason, prev, signature) VALUES (2, 'h', '2026-01-01T00:00:00Z', 999, 'issue', 'p', 's')")).rejects.toThrow();
    for (const t of ['record_keys', 'checkpoints']) {
      await expect(db.run(`UPDATE ${t} SET id = id`)).rejects.toThrow(/IMMUTABLE|refuse/i);
      await expect(db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE|refuse/i);
    }
  });

  it('012 adds verification alarms and their acknowledgements (append-only, one acknowledgement per alarm, journalled for the chain)', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['audit_alarms', 'audit_alarm_acks']));
    expect(await columns(db, 'audit_alarms')).toEqual(
      expect.arrayContaining(['id', 'raised_at', 'raised_by', 'raised_through', 'quick', 'event_count', 'mismatch_kind', 'first_bad_seq', 'message', 'summary_json']),
    );
    expect(await columns(db, 'audit_alarm_acks')).toEqual(expect.arrayContaining(['id', 'alarm_id', 'acknowledged_by', 'acknowledged_at', 'reason']));
    expect(await triggers(db)).toEqual(expect.arrayContaining(['audit_alarms_no_update', 'audit_alarms_no_delete', 'audit_alarm_acks_no_update', 'audit_alarm_acks_no_delete']));
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '法制', 'x', '2026-01-01T00:00:00Z')");
    const alarm = (through: string) =>
      db.insert(
        "INSERT INTO audit_alarms (raised_at, raised_by, raised_through, quick, event_count, mismatch_kind, first_bad_seq, message, summary_json) VALUES ('2026-01-01T00:00:00Z', NULL, ?, 0, 5, 'chain', 3, '第 3 号事件不符', '{}')",
        [through],
      );
    const a = await alarm('lrw');
    await expect(alarm('email')).rejects.toThrow();
    const ack = (alarmId: number) =>
      db.run("INSERT INTO audit_alarm_acks (alarm_id, acknowledged_by, acknowledged_at, reason) VALUES (?, ?, '2026-01-02T00:00:00Z', '已核对无误')", [alarmId, u]);
    await ack(a);
    await expect(ack(a)).rejects.toThrow();
    await expect(ack(a + 1)).rejects.toThrow();
    for (const t of ['audit_alarms', 'audit_alarm_acks']) {
      await expect(db.run(`UPDATE ${t} SET id = id`)).rejects.toThrow(/IMMUTABLE/);
      await expect(db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE/);
    }
    // Record tables: the journal of migration 010 holds both rows for the next event to vouch for.
    expect(await db.column<string>("SELECT tbl FROM chain_pending WHERE tbl LIKE 'audit_alarm%' ORDER BY tbl")).toEqual(['audit_alarm_acks', 'audit_alarms']);
  });

  it('017 adds criminal referrals and their steps: append-only, one referral per case, each step once, journalled, row security on PostgreSQL', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['referrals', 'referral_steps']));
    expect((await columns(db, 'referrals')).sort()).toEqual(['case_id', 'id', 'opened_at', 'review_id']);
    expect((await columns(db, 'referral_steps')).sort()).toEqual(['at', 'by_id', 'decision', 'id', 'organs_json', 'referral_id', 'step', 'text']);
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '承办', 'x', '2026-01-01T00:00:00Z')");
    const c = await db.insert(
      "INSERT INTO cases (case_no, kind, title, party_name, state, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'reviewed', ?, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      [u],
    );
    const rv = await db.insert("INSERT INTO review_rounds (case_id, round, kind, reviewer_id, outcome, opinion, requests_json, suggestions, issued_at) VALUES (?, 1, 'review', ?, 'disagree', '涉嫌犯罪', '[]', '', '2026-01-01T00:00:00Z')", [c, u]);
    const ref = await db.insert("INSERT INTO referrals (case_id, review_id, opened_at) VALUES (?, ?, '2026-01-01T00:00:00Z')", [c, rv]);
    await expect(db.insert("INSERT INTO referrals (case_id, review_id, opened_at) VALUES (?, ?, '2026-01-02T00:00:00Z')", [c, rv])).rejects.toThrow();
    const step = (s: string, decision: string | null = null) =>
      db.insert("INSERT INTO referral_steps (referral_id, step, decision, text, by_id, at) VALUES (?, ?, ?, '报告', ?, '2026-01-01T00:00:00Z')", [ref, s, decision, u]);
    await step('report');
    await expect(step('report')).rejects.toThrow();
    await expect(step('appeal')).rejects.toThrow();
    await expect(step('decision', 'maybe')).rejects.toThrow();
    for (const t of ['referrals', 'referral_steps']) {
      await expect(db.run(`UPDATE ${t} SET id = id`)).rejects.toThrow(/IMMUTABLE|refuse/i);
      await expect(db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE|refuse/i);
    }
    expect(await db.column<string>("SELECT tbl FROM chain_pending WHERE tbl LIKE 'referral%' ORDER BY tbl")).toEqual(['referral_steps', 'referrals']);
    if (db.engine === 'postgres') {
      expect((await db.column<string>("SELECT policyname FROM pg_policies WHERE tablename IN ('referrals', 'referral_steps') ORDER BY policyname"))).toEqual(['referral_steps_visible', 'referrals_visible']);
    }
  });

  it('018 adds service and execution records: append-only, methods and steps checked, journalled, row security on PostgreSQL', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['service_records', 'execution_records']));
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '承办', 'x', '2026-01-01T00:00:00Z')");
    const c = await db.insert(
      "INSERT INTO cases (case_no, kind, title, party_name, state, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'approved', ?, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      [u],
    );
    const serve = (method: string) => db.insert("INSERT INTO service_records (case_id, document_id, document_name, method, recipient, served_on, details_json, files_json, by_id, at) VALUES (?, NULL, '决定书', ?, 'p', '2026-01-02', '{}', '[]', ?, '2026-01-02T00:00:00Z')", [c, method, u]);
    const exec = (step: string) => db.insert("INSERT INTO execution_records (case_id, step, on_date, amount_fen, measure, text, files_json, by_id, at) VALUES (?, ?, '2026-01-03', NULL, NULL, '履行', '[]', ?, '2026-01-03T00:00:00Z')", [c, step, u]);
    await serve('direct');
    await expect(serve('telepathy')).rejects.toThrow();
    await exec('performed');
    await expect(exec('forgiven')).rejects.toThrow();
    for (const t of ['service_records', 'execution_records']) {
      await expect(db.run(`UPDATE ${t} SET id = id`)).rejects.toThrow(/IMMUTABLE|refuse/i);
      await expect(db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE|refuse/i);
    }
    expect(await db.column<string>("SELECT tbl FROM chain_pending WHERE tbl IN ('service_records', 'execution_records') ORDER BY tbl")).toEqual(['execution_records', 'service_records']);
    if (db.engine === 'postgres') {
      expect((await db.column<string>("SELECT policyname FROM pg_policies WHERE tablename IN ('service_records', 'execution_records') ORDER BY policyname"))).toEqual(['execution_records_visible', 'service_records_visible']);
    }
  });

  it('019 keeps every role through the user_roles rebuild (still journalled, none re-journalled), allows custodian and inspector, and adds the frozen case files', async () => {
    const legacy = [
      "INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '承办', 'x', '2026-01-01')",
      "INSERT INTO user_roles (user_id, role) VALUES (1, 'handler')",
      "INSERT INTO user_roles (user_id, role) VALUES (1, 'sys_admin')",
      'DELETE FROM chain_pending',
    ];
    const t = await legacyStore(18, legacy);
    const db = await openDb(t);
    cleanups.unshift(() => db.close());
    expect(await db.column<string>('SELECT role FROM user_roles ORDER BY role')).toEqual(['handler', 'sys_admin']);
    expect(Number(await db.value("SELECT COUNT(*) FROM chain_pending WHERE tbl = 'user_roles'"))).toBe(0);
    await db.run("INSERT INTO user_roles (user_id, role) VALUES (1, 'custodian')");
    await db.run("INSERT INTO user_roles (user_id, role) VALUES (1, 'inspector')");
    await expect(db.run("INSERT INTO user_roles (user_id, role) VALUES (1, 'janitor')")).rejects.toThrow();
    expect(await db.column<string>("SELECT key FROM chain_pending WHERE tbl = 'user_roles' ORDER BY key")).toEqual([`1${String.fromCharCode(31)}custodian`, `1${String.fromCharCode(31)}inspector`]);
    expect(await tables(db)).toEqual(expect.arrayContaining(['case_files', 'case_file_receipts', 'case_file_supplements']));
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    await db.run("INSERT INTO cases (case_no, kind, title, party_name, state, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'archived', 1, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    await db.run(`INSERT INTO blobs (sha256, size, stored_at) VALUES ('${'a'.repeat(64)}', 1, '2026-01-01T00:00:00Z')`);
    await db.run(`INSERT INTO case_files (case_id, custodian_id, head_seq, head_hash, pdf_sha256, record_sha256, manifest_json, by_id, at) VALUES (1, 1, 1, 'h', '${'a'.repeat(64)}', '${'a'.repeat(64)}', '{}', 1, '2026-01-02T00:00:00Z')`);
    // One case file per case; a stored file it names must exist.
    await expect(db.run(`INSERT INTO case_files (case_id, custodian_id, head_seq, head_hash, pdf_sha256, record_sha256, manifest_json, by_id, at) VALUES (1, 1, 1, 'h', '${'a'.repeat(64)}', '${'a'.repeat(64)}', '{}', 1, '2026-01-02T00:00:00Z')`)).rejects.toThrow();
    await db.run("INSERT INTO case_file_receipts (case_file_id, custodian_id, note, at) VALUES (1, 1, '', '2026-01-03T00:00:00Z')");
    await db.run("INSERT INTO case_file_supplements (case_file_id, case_id, kind, title, text, files_json, by_id, at) VALUES (1, 1, 'correction', 't', 'x', '[]', 1, '2026-01-04T00:00:00Z')");
    await expect(db.run("INSERT INTO case_file_supplements (case_file_id, case_id, kind, title, text, files_json, by_id, at) VALUES (1, 1, 'rewrite', 't', 'x', '[]', 1, '2026-01-04T00:00:00Z')")).rejects.toThrow();
    for (const tb of ['case_files', 'case_file_receipts', 'case_file_supplements']) {
      await expect(db.run(`UPDATE ${tb} SET at = at`)).rejects.toThrow(/IMMUTABLE|refuse/i);
      await expect(db.run(`DELETE FROM ${tb}`)).rejects.toThrow(/IMMUTABLE|refuse/i);
    }
    expect(await db.column<string>("SELECT tbl FROM chain_pending WHERE tbl LIKE 'case_file%' ORDER BY tbl")).toEqual(['case_file_receipts', 'case_file_supplements', 'case_files']);
    if (db.engine === 'postgres') {
      expect((await db.column<string>("SELECT policyname FROM pg_policies WHERE tablename LIKE 'case_file%' ORDER BY policyname"))).toEqual(['case_file_supplements_visible', 'case_files_visible']);
    }
  });

  it('020 adds case-file evaluations and their replies: append-only, results checked, one reply each, journalled, row security on PostgreSQL', async () => {
    const db = await open();
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('i', '评查', 'x', '2026-01-01T00:00:00Z')");
    await db.run("INSERT INTO cases (case_no, kind, title, party_name, state, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'archived', ?, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", [u]);
    await db.run(`INSERT INTO blobs (sha256, size, stored_at) VALUES ('${'a'.repeat(64)}', 1, '2026-01-01T00:00:00Z')`);
    await db.run(`INSERT INTO case_files (case_id, custodian_id, head_seq, head_hash, pdf_sha256, record_sha256, manifest_json, by_id, at) VALUES (1, ?, 1, 'h', '${'a'.repeat(64)}', '${'a'.repeat(64)}', '{}', ?, '2026-01-02T00:00:00Z')`, [u, u]);
    const ins = (result: string) => db.run("INSERT INTO inspections (case_id, case_file_id, inspector_id, result, findings, requests_json, at) VALUES (1, 1, ?, ?, 'f', '[]', '2026-01-03T00:00:00Z')", [u, result]);
    await ins('pass');
    await expect(ins('perfect')).rejects.toThrow();
    const reply = () => db.run("INSERT INTO inspection_replies (inspection_id, case_id, text, by_id, at) VALUES (1, 1, 'r', ?, '2026-01-04T00:00:00Z')", [u]);
    await reply();
    await expect(reply()).rejects.toThrow();
    for (const t of ['inspections', 'inspection_replies']) {
      await expect(db.run(`UPDATE ${t} SET at = at`)).rejects.toThrow(/IMMUTABLE|refuse/i);
      await expect(db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE|refuse/i);
    }
    expect(await db.column<string>("SELECT tbl FROM chain_pending WHERE tbl LIKE 'inspection%' ORDER BY tbl")).toEqual(['inspection_replies', 'inspections']);
    if (db.engine === 'postgres') {
      expect((await db.column<string>("SELECT policyname FROM pg_policies WHERE tablename LIKE 'inspection%' ORDER BY policyname"))).toEqual(['inspection_replies_visible', 'inspections_visible']);
    }
  });

  it('013 adds server sessions (operational: no journal; one row per token digest) and, on PostgreSQL, announces every event', async () => {
    const db = await open();
    expect(await tables(db)).toContain('sessions');
    expect(await columns(db, 'sessions')).toEqual(expect.arrayContaining(['token_hash', 'user_id', 'username', 'kind', 'csrf', 'created_at', 'last_activity_ms']));
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('s', '会话', 'x', '2026-01-01T00:00:00Z')");
    const add = (hash: string, kind: string) =>
      db.run("INSERT INTO sessions (token_hash, user_id, username, kind, created_at, last_activity_ms) VALUES (?, ?, 's', ?, '2026-01-01T00:00:00Z', 1798761600000)", [hash, u, kind]);
    await add('h1', 'bearer');
    await expect(add('h1', 'cookie')).rejects.toThrow();
    await expect(add('h2', 'carrier-pigeon')).rejects.toThrow();
    // Milliseconds since 1970 do not fit 32 bits: the column keeps them whole.
    expect(Number(await db.value("SELECT last_activity_ms FROM sessions WHERE token_hash = 'h1'"))).toBe(1798761600000);
    expect(Number(await db.value("SELECT COUNT(*) FROM chain_pending WHERE tbl = 'sessions'"))).toBe(0);
    await db.run("DELETE FROM sessions WHERE token_hash = 'h1'");
    if (db.engine === 'postgres') expect(await triggers(db)).toContain('events_announce');
  });

  it('015 adds row versions (one per record row, operational: no journal, no trigger) and counts review-draft saves', async () => {
    const db = await open();
    expect(await tables(db)).toContain('row_versions');
    expect(await columns(db, 'row_versions')).toEqual(expect.arrayContaining(['tbl', 'key', 'seq', 'actor_id', 'at']));
    expect(await columns(db, 'review_drafts')).toContain('version');
    await db.run("INSERT INTO row_versions (tbl, key, seq, actor_id, at) VALUES ('cases', '1', 3, NULL, '2026-01-01T00:00:00Z')");
    // One version per row: the primary key refuses a second.
    await expect(db.run("INSERT INTO row_versions (tbl, key, seq, actor_id, at) VALUES ('cases', '1', 4, NULL, '2026-01-01T00:00:00Z')")).rejects.toThrow();
    expect(await triggers(db)).not.toEqual(expect.arrayContaining([expect.stringMatching(/^row_versions/)]));
    expect(Number(await db.value("SELECT COUNT(*) FROM chain_pending WHERE tbl = 'row_versions'"))).toBe(0);
    // A draft saved before the migration (or without a version) counts as its first save.
    await db.run("INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初版', '[]', '2026-01-01T00:00:00.000Z')");
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('r', '审核', 'x', '2026-01-01T00:00:00Z')");
    const c = await db.insert("INSERT INTO cases (case_no, kind, title, party_name, state, round, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('M15', 'penalty', 't', 'p', 'under_review', 1, ?, 1, 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", [u]);
    await db.run("INSERT INTO review_drafts (case_id, reviewer_id, draft_json, updated_at) VALUES (?, ?, '{}', '2026-01-01T00:00:00Z')", [c, u]);
    expect(Number(await db.value('SELECT version FROM review_drafts WHERE case_id = ?', [c]))).toBe(1);
  });

  it('006 keeps existing re-review requests and escalations as cycle 1, allows one per later cycle, and adds endings and recusals (append-only)', async () => {
    const legacy = [
      "INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '承办', 'x', '2026-01-01')",
      "INSERT INTO catalog_versions (version, note, items_json, created_at) VALUES (1, '初始', '[]', '2026-01-01')",
      "INSERT INTO cases (case_no, kind, title, party_name, state, round, handler_id, catalog_version, catalog_item, created_at, updated_at) VALUES ('C-1', 'penalty', 't', 'p', 'in_discussion', 1, 1, 1, 'penalty.other', '2026-01-01', '2026-01-01')",
      "INSERT INTO review_rounds (case_id, round, kind, reviewer_id, outcome, opinion, requests_json, suggestions, issued_at) VALUES (1, 1, 'review', 1, 'disagree', 'o', '[]', '', '2026-01-01')",
      "INSERT INTO rereview_requests (case_id, reasons, requested_by, requested_at, against_review_id) VALUES (1, '理由', 1, '2026-01-02', 1)",
      "INSERT INTO escalations (case_id, reasons, escalated_by, escalated_at) VALUES (1, '仍有异议', 1, '2026-01-03')",
    ];
    const t = await legacyStore(5, legacy);
    const db = await openDb(t);
    cleanups.unshift(() => db.close());
    expect(await db.get('SELECT cycle, reasons FROM rereview_requests')).toEqual({ cycle: 1, reasons: '理由' });
    expect(await db.get('SELECT cycle, kind FROM escalations')).toEqual({ cycle: 1, kind: 'dispute' });
    expect(await db.value('SELECT cycle FROM cases WHERE id = 1')).toBe(1);
    // One request per cycle: a second in cycle 1 is refused, one in cycle 2 is taken.
    await expect(db.run("INSERT INTO rereview_requests (case_id, cycle, reasons, requested_by, requested_at, against_review_id) VALUES (1, 1, 'x', 1, '2026-01-04', 1)")).rejects.toThrow();
    await db.run("INSERT INTO rereview_requests (case_id, cycle, reasons, requested_by, requested_at, against_review_id) VALUES (1, 2, 'x', 1, '2026-01-04', 1)");
    // Still append-only after the SQLite table rebuild.
    await expect(db.run("UPDATE rereview_requests SET reasons = 'y'")).rejects.toThrow();
    await expect(db.run('DELETE FROM escalations')).rejects.toThrow();
    expect(await tables(db)).toEqual(expect.arrayContaining(['endings', 'ending_steps', 'meeting_recusals']));
    await db.run("INSERT INTO endings (case_id, cycle, kind, reason, proposed_by, proposed_at) VALUES (1, 1, 'no_penalty', '理由', 1, '2026-01-05')");
    await expect(db.run("UPDATE endings SET reason = 'z'")).rejects.toThrow();
    for (const c of ['agenda_confirmed_at', 'agenda_confirmed_by']) expect(await columns(db, 'meetings')).toContain(c);
    expect(await columns(db, 'approvals')).toContain('responsible_json');
  });

  it('007 splits the old admin role into the three administrator roles and adds the sign-in columns', async () => {
    const t = await target();
    const upTo6 = MIGRATIONS.filter((m) => m.version <= 6);
    const legacy = [
      "INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('boss', '老管理员', 'x', '2026-01-01')",
      "INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('rev', '审核员', 'x', '2026-01-01')",
      "INSERT INTO user_roles (user_id, role) VALUES (1, 'admin')",
      "INSERT INTO user_roles (user_id, role) VALUES (2, 'reviewer')",
    ];
    if (onPostgres) {
      const c = new pg.Client({ connectionString: t });
      await c.connect();
      await c.query('CREATE TABLE lrw_schema (version INTEGER NOT NULL)');
      for (const m of upTo6) {
        await c.query(m.postgres);
        await c.query('INSERT INTO lrw_schema (version) VALUES ($1)', [m.version]);
      }
      for (const q of legacy) await c.query(q);
      await c.end();
    } else {
      const raw = new Database(t);
      for (const m of upTo6) raw.exec(m.sqlite);
      raw.pragma('user_version = 6');
      for (const q of legacy) raw.exec(q);
      raw.close();
    }
    const db = await openDb(t);
    cleanups.unshift(() => db.close());
    expect(await db.column<string>('SELECT role FROM user_roles WHERE user_id = 1 ORDER BY role')).toEqual(['audit_admin', 'sec_admin', 'sys_admin']);
    expect(await db.column<string>('SELECT role FROM user_roles WHERE user_id = 2')).toEqual(['reviewer']);
    expect(await db.value('SELECT COUNT(*) FROM user_roles WHERE role = ?', ['admin'])).toBe(0);
    await expect(db.run("INSERT INTO user_roles (user_id, role) VALUES (2, 'admin')")).rejects.toThrow();
    const cols = await columns(db, 'users');
    for (const c of ['failed_attempts', 'locked_until', 'must_change_password', 'password_reset_by', 'password_reset_at']) expect(cols).toContain(c);
    expect(await db.get('SELECT failed_attempts AS f, must_change_password AS m FROM users WHERE id = 2')).toEqual({ f: 0, m: 0 });
  });

  it('014 adds uploads in flight and verification jobs: operational (no journal, no guard triggers), with their checks', async () => {
    const db = await open();
    expect(await tables(db)).toEqual(expect.arrayContaining(['uploads', 'verify_jobs']));
    expect((await columns(db, 'uploads')).sort()).toEqual(['expected_size', 'id', 'name', 'owner_id', 'received', 'started_at', 'tmp_name', 'touched_at']);
    expect((await columns(db, 'verify_jobs')).sort()).toEqual(
      ['actor_id', 'alarm_id', 'done', 'error_json', 'finished_at', 'heartbeat_at', 'id', 'progress_json', 'quick', 'result_json', 'started_at'],
    );
    const u = await db.insert("INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('h', '承办', 'x', '2026-01-01T00:00:00Z')");
    const up = (id: string, size: number, tmp: string, owner: number = u) =>
      db.run("INSERT INTO uploads (id, owner_id, name, expected_size, received, tmp_name, started_at, touched_at) VALUES (?, ?, 'a.pdf', ?, 0, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", [id, owner, size, tmp]);
    // Sizes past 2 GiB fit (the default cap is 2 GiB, an agency may allow more).
    await up('u1', 5 * 1024 ** 3, 't1');
    await db.run("UPDATE uploads SET received = ? WHERE id = 'u1'", [3 * 1024 ** 3]);
    expect(Number(await db.value("SELECT received FROM uploads WHERE id = 'u1'"))).toBe(3 * 1024 ** 3);
    await expect(db.run("UPDATE uploads SET received = expected_size + 1 WHERE id = 'u1'")).rejects.toThrow();
    await expect(up('u2', -1, 't2')).rejects.toThrow();
    await expect(up('u3', 1, 't1')).rejects.toThrow(); // one temp file per upload
    await expect(up('u4', 1, 't4', u + 99)).rejects.toThrow(); // an owner that exists
    const job = (id: string, quick: number, actor: number = u) =>
      db.run("INSERT INTO verify_jobs (id, actor_id, quick, started_at, heartbeat_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')", [id, actor, quick]);
    await job('j1', 1);
    expect(await db.get("SELECT done, finished_at AS \"finishedAt\" FROM verify_jobs WHERE id = 'j1'")).toEqual({ done: 0, finishedAt: null });
    await expect(job('j2', 2)).rejects.toThrow();
    await expect(job('j3', 0, u + 99)).rejects.toThrow();
    await expect(db.run("UPDATE verify_jobs SET alarm_id = 12345 WHERE id = 'j1'")).rejects.toThrow(); // an alarm that exists
    // Operational: changed and removed freely, never journalled for the chain.
    await db.run("UPDATE verify_jobs SET done = 1 WHERE id = 'j1'");
    await db.run('DELETE FROM uploads');
    await db.run('DELETE FROM verify_jobs');
    expect(Number(await db.value("SELECT COUNT(*) FROM chain_pending WHERE tbl IN ('uploads', 'verify_jobs')"))).toBe(0);
    expect((await triggers(db)).filter((t) => /^(uploads|verify_jobs)_/.test(t))).toEqual([]);
  });

  it('re-opening applies nothing twice', async () => {
    const t = await target();
    await (await openDb(t)).close();
    const db = await openDb(t);
    expect(await schemaVersion(db)).toBe(LATEST_VERSION);
    await db.close();
  });

  it('refuses a database from a newer version with a clear message and leaves it untouched', async () => {
    const t = await target();
    if (onPostgres) {
      const c = new pg.Client({ connectionString: t });
      await c.connect();
      await c.query('CREATE TABLE lrw_schema (version INTEGER NOT NULL)');
      await c.query('INSERT INTO lrw_schema VALUES ($1)', [LATEST_VERSION + 1]);
      await expect(openDb(t)).rejects.toThrow(/高于本程序支持的版本/);
      const n = await c.query("SELECT COUNT(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      expect(n.rows[0].n).toBe(1);
      await c.end();
    } else {
      const raw = new Database(t);
      raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
      raw.close();
      const before = fs.readFileSync(t);
      await expect(openDb(t)).rejects.toThrow(/高于本程序支持的版本/);
      expect(fs.readFileSync(t).equals(before)).toBe(true);
    }
  });

  it('a failing migration rolls back whole', async () => {
    const t = await target();
    if (onPostgres) {
      const c = new pg.Client({ connectionString: t });
      await c.connect();
      await c.query('CREATE TABLE users (x int)'); // collides with 001
      await expect(openDb(t)).rejects.toThrow();
      const r = await c.query("SELECT COUNT(*)::int AS n FROM pg_tables WHERE tablename IN ('cases', 'agency')");
      expect(r.rows[0].n).toBe(0);
      await c.end();
    } else {
      const raw = new Database(t);
      raw.exec('CREATE TABLE users (x)');
      raw.close();
      await expect(openDb(t)).rejects.toThrow();
      const check = new Database(t);
      expect(check.pragma('user_version', { simple: true })).toBe(0);
      expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'cases'").pluck().get()).toBe(0);
      check.close();
    }
  });

  it.skipIf(!onPostgres)('PostgreSQL: the application role may not UPDATE or DELETE records, the reader role may only read', async () => {
    const t = await target();
    await (await openDb(t)).close();
    const as = (role: string) => {
      const u = new URL(t);
      u.username = role;
      return u.toString();
    };
    const app = new pg.Client({ connectionString: as('lrw_app') });
    await app.connect();
    await app.query("INSERT INTO events (seq, at, actor_name, action, payload_json, payload_digest, prev_hash, hash) VALUES (1,'','','','{}','','','')");
    await expect(app.query("UPDATE events SET action = 'x'")).rejects.toThrow(/permission denied/);
    await expect(app.query('DELETE FROM events')).rejects.toThrow(/permission denied/);
    await expect(app.query('DELETE FROM cases')).rejects.toThrow(/permission denied/);
    await app.query("UPDATE settings SET value_json = '{}' WHERE key = 'none'");
    await app.end();
    const reader = new pg.Client({ connectionString: as('lrw_reader') });
    await reader.connect();
    expect((await reader.query('SELECT COUNT(*)::int AS n FROM events')).rows[0].n).toBe(1);
    await expect(reader.query("INSERT INTO settings VALUES ('k', '1', '')")).rejects.toThrow(/permission denied/);
    await reader.end();
  });
});
void path;
