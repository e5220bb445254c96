import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../main/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../main/core/db/migrations';
import { tempDir } from '../helpers/fixture';

const dirs: string[] = [];
afterEach(async () => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'db.sqlite');
};

describe('migrations', () => {
  it('are numbered 1..N without gaps', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('001 creates the schema, WAL and foreign keys, and records user_version', async () => {
    const db = await openDb(file());
    expect(await schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = await db.column("SELECT name FROM sqlite_master WHERE type = 'table'");
    for (const t of ['agency', 'users', 'cases', 'submissions', 'review_rounds', 'findings', 'approvals', 'events', 'case_search']) {
      expect(tables).toContain(t);
    }
    (await expect((async () => await db.run('INSERT INTO user_roles (user_id, role) VALUES (999, ?)', ['handler']))())).rejects.toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('002 adds settings, calendar overrides (append-only), review periods and clocks', async () => {
    const db = await openDb(file());
    const tables = await db.column("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables).toEqual(expect.arrayContaining(['settings', 'calendar_overrides', 'periods', 'clocks']));
    const triggers = await db.column("SELECT name FROM sqlite_master WHERE type = 'trigger'");
    expect(triggers).toEqual(expect.arrayContaining(['calendar_overrides_no_update', 'calendar_overrides_no_delete']));
    db.close();
  });

  it('003 adds re-review requests, escalations and meetings with lock guards', async () => {
    const db = await openDb(file());
    const tables = await db.column("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables).toEqual(expect.arrayContaining(['rereview_requests', 'escalations', 'meetings', 'meeting_attendees', 'meeting_items', 'meeting_stances', 'meeting_amendments']));
    const cols = await db.column("SELECT name FROM pragma_table_info('approvals')");
    expect(cols).toContain('meeting_id');
    const triggers = await db.column("SELECT name FROM sqlite_master WHERE type = 'trigger'");
    expect(triggers).toEqual(expect.arrayContaining(['meeting_items_locked_update', 'meeting_stances_locked_insert', 'rereview_requests_no_update']));
    db.close();
  });

  it('004 adds documents, versions (append-only), serials, clauses, identities and issued files', async () => {
    const db = await openDb(file());
    const tables = await db.column("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables).toEqual(expect.arrayContaining(['template_overrides', 'documents', 'document_versions', 'doc_serials', 'clauses', 'signing_identities', 'issued_files']));
    const triggers = await db.column("SELECT name FROM sqlite_master WHERE type = 'trigger'");
    expect(triggers).toEqual(expect.arrayContaining(['document_versions_no_update', 'issued_files_no_delete', 'documents_number_once']));
    db.close();
  });

  it('re-opening applies nothing twice', async () => {
    const f = file();
    (await openDb(f)).close();
    const db = await openDb(f);
    expect(await schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('refuses a database from a newer version with a clear message and leaves it untouched', async () => {
    const f = file();
    const raw = new Database(f);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(f);
    (await expect((async () => await openDb(f))())).rejects.toThrow(/高于本程序支持的版本/);
    expect(fs.readFileSync(f).equals(before)).toBe(true);
  });

  it('a failing migration rolls back whole', async () => {
    const f = file();
    const raw = new Database(f);
    raw.exec('CREATE TABLE users (x)'); // collides with 001
    raw.close();
    (await expect((async () => await openDb(f))())).rejects.toThrow();
    const check = new Database(f);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'cases'").pluck().get()).toBe(0);
    check.close();
  });
});
