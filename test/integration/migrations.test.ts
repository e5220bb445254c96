// One test per migration, on the engine the suite runs on (LRW_TEST_ENGINE), plus the refusals.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../main/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../main/core/db/migrations';
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
      expect(rls).toEqual(['case_search', 'cases', 'submissions']);
      expect(await db.column<string>('SELECT policyname FROM pg_policies ORDER BY policyname')).toEqual(['case_search_visible', 'cases_visible', 'submissions_visible']);
    }
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
