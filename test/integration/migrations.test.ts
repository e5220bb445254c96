import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../main/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../main/core/db/migrations';
import { tempDir } from '../helpers/fixture';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const file = () => {
  const d = tempDir();
  dirs.push(d);
  return path.join(d, 'db.sqlite');
};

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_m, i) => i + 1));
  });

  it('001 creates the schema, WAL and foreign keys, and records user_version', () => {
    const db = openDb(file());
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['agency', 'users', 'cases', 'submissions', 'review_rounds', 'findings', 'approvals', 'events', 'case_search']) {
      expect(tables).toContain(t);
    }
    expect(() => db.prepare('INSERT INTO user_roles (user_id, role) VALUES (999, ?)').run('handler')).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('002 adds settings, calendar overrides (append-only), review periods and clocks', () => {
    const db = openDb(file());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['settings', 'calendar_overrides', 'periods', 'clocks']));
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers).toEqual(expect.arrayContaining(['calendar_overrides_no_update', 'calendar_overrides_no_delete']));
    db.close();
  });

  it('003 adds re-review requests, escalations and meetings with lock guards', () => {
    const db = openDb(file());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['rereview_requests', 'escalations', 'meetings', 'meeting_attendees', 'meeting_items', 'meeting_stances', 'meeting_amendments']));
    const cols = db.prepare("SELECT name FROM pragma_table_info('approvals')").pluck().all();
    expect(cols).toContain('meeting_id');
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers).toEqual(expect.arrayContaining(['meeting_items_locked_update', 'meeting_stances_locked_insert', 'rereview_requests_no_update']));
    db.close();
  });

  it('004 adds documents, versions (append-only), serials, clauses, identities and issued files', () => {
    const db = openDb(file());
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['template_overrides', 'documents', 'document_versions', 'doc_serials', 'clauses', 'signing_identities', 'issued_files']));
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers).toEqual(expect.arrayContaining(['document_versions_no_update', 'issued_files_no_delete', 'documents_number_once']));
    db.close();
  });

  it('re-opening applies nothing twice', () => {
    const f = file();
    openDb(f).close();
    const db = openDb(f);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
  });

  it('refuses a database from a newer version with a clear message and leaves it untouched', () => {
    const f = file();
    const raw = new Database(f);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(f);
    expect(() => openDb(f)).toThrow(/高于本程序支持的版本/);
    expect(fs.readFileSync(f).equals(before)).toBe(true);
  });

  it('a failing migration rolls back whole', () => {
    const f = file();
    const raw = new Database(f);
    raw.exec('CREATE TABLE users (x)'); // collides with 001
    raw.close();
    expect(() => openDb(f)).toThrow();
    const check = new Database(f);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'cases'").pluck().get()).toBe(0);
    check.close();
  });
});
