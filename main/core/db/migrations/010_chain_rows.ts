// Chain format 2: every row of a record table is bound to the event that wrote it.
// - events.format (1: the first chain format, kept for the events written before; 2: from here on)
//   and events.records: the digests of the rows the event's transaction wrote.
// - chain_pending: a journal the database fills by trigger whenever a record row is inserted,
//   updated or deleted; appendEvent reads it, puts the rows' digests into the event and empties it, so
//   no write can forget to vouch for what it changed. On PostgreSQL the trigger keeps the row itself
//   (as JSON), so the event can digest it whatever rows the acting user may see.
// - Rows already in the tables are put in the journal now: the next event vouches for them.
// - A transaction that begins while the journal is not empty marks what it finds there as written
//   outside any event (chain_pending.outside, set by Store.tx): the next event names those rows as
//   found changed, so an edit made with the triggers in place is reported, never silently vouched.
// - users: only its record columns are journalled (the sign-in lockout counters are operational).
// The table list is frozen here; a later migration that adds a record table (or rebuilds one on
// SQLite, which drops its triggers) calls journalSqlite / journalPostgres for it.
export const version = 10;
export const name = 'chain_rows';

const KEYS: Record<string, string[]> = {
  agency: ['id'], users: ['id'], user_roles: ['user_id', 'role'], catalog_versions: ['version'], cases: ['id'],
  submissions: ['id'], submission_officers: ['submission_id', 'user_id'], blobs: ['sha256'],
  submission_attachments: ['submission_id', 'sha256', 'name'], review_rounds: ['id'], findings: ['review_id', 'criterion'],
  approvals: ['id'], settings: ['key'], calendar_overrides: ['id'], periods: ['id'], clocks: ['id'],
  rereview_requests: ['id'], escalations: ['id'], meetings: ['id'], meeting_attendees: ['meeting_id', 'user_id'],
  meeting_items: ['id'], meeting_stances: ['item_id', 'user_id'], meeting_amendments: ['id'],
  meeting_recusals: ['item_id', 'user_id'], template_overrides: ['id'], documents: ['id'], document_versions: ['id'],
  doc_serials: ['prefix', 'year'], clauses: ['id'], signing_identities: ['id'], issued_files: ['id'],
  expert_opinions: ['id'], endings: ['id'], ending_steps: ['id'], reviewer_exemptions: ['id'],
  extension_requests: ['id'], extension_decisions: ['id'],
};

/** users: updates of the lockout counters alone are operational, not journalled. */
const USERS_RECORD_COLUMNS = ['id', 'username', 'display_name', 'password_hash', 'active', 'cert_no', 'cert_expiry', 'qualification_no', 'created_at', 'must_change_password', 'password_reset_by', 'password_reset_at'];
const updateOf = (table: string) => (table === 'users' ? ` OF ${USERS_RECORD_COLUMNS.join(', ')}` : '');

// CAST: an integer compared with the TEXT key column would not use its index (a scan per write).
const sqliteKey = (row: 'NEW' | 'OLD', key: string[]) => `CAST(${key.map((k) => `${row}.${k}`).join(' || char(31) || ')} AS TEXT)`;

/** SQLite: journal triggers for one record table. */
export function journalSqlite(table: string, key: string[]): string {
  // Not INSERT OR IGNORE: an outer INSERT OR REPLACE / upsert would impose its own conflict rule on it.
  const put = (row: 'NEW' | 'OLD') =>
    `INSERT INTO chain_pending (tbl, key) SELECT '${table}', ${sqliteKey(row, key)} WHERE NOT EXISTS (SELECT 1 FROM chain_pending WHERE tbl = '${table}' AND key = ${sqliteKey(row, key)});`;
  return `
CREATE TRIGGER ${table}_chain_ins AFTER INSERT ON ${table} BEGIN ${put('NEW')} END;
CREATE TRIGGER ${table}_chain_upd AFTER UPDATE${updateOf(table)} ON ${table} BEGIN ${put('OLD')} ${put('NEW')} END;
CREATE TRIGGER ${table}_chain_del AFTER DELETE ON ${table} BEGIN ${put('OLD')} END;
INSERT OR IGNORE INTO chain_pending (tbl, key) SELECT '${table}', CAST(${key.join(' || char(31) || ')} AS TEXT) FROM ${table};`;
}

/** PostgreSQL: the journal trigger for one record table (the function is created below). */
export function journalPostgres(table: string, key: string[]): string {
  const args = key.map((k) => `'${k}'`).join(', ');
  const keyExpr = key.map((k) => `${k}::text`).join(` || chr(31) || `);
  return `
CREATE TRIGGER ${table}_chain AFTER INSERT OR DELETE OR UPDATE${updateOf(table)} ON ${table} FOR EACH ROW EXECUTE FUNCTION lrw_journal(${args});
INSERT INTO chain_pending (tbl, key, row_json) SELECT '${table}', ${keyExpr}, to_jsonb(x)::text FROM ${table} x ON CONFLICT DO NOTHING;`;
}

export const sqlite = `
ALTER TABLE events ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN records TEXT NOT NULL DEFAULT '';
CREATE TABLE chain_pending (
  tbl TEXT NOT NULL,
  key TEXT NOT NULL,
  outside INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tbl, key)
) WITHOUT ROWID;
${Object.entries(KEYS).map(([table, key]) => journalSqlite(table, key)).join('\n')}
`;

export const postgres = `
ALTER TABLE events ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN records TEXT NOT NULL DEFAULT '';
CREATE TABLE chain_pending (
  tbl TEXT NOT NULL,
  key TEXT NOT NULL,
  row_json TEXT,
  outside INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tbl, key)
);

-- TG_ARGV: the key columns. The row is kept as it now is (NULL once deleted).
CREATE FUNCTION lrw_journal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
  k text;
  old_k text;
  i int;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    r := to_jsonb(OLD);
    old_k := '';
    FOR i IN 0..TG_NARGS - 1 LOOP
      IF i > 0 THEN old_k := old_k || chr(31); END IF;
      old_k := old_k || (r ->> TG_ARGV[i]);
    END LOOP;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    r := to_jsonb(NEW);
    k := '';
    FOR i IN 0..TG_NARGS - 1 LOOP
      IF i > 0 THEN k := k || chr(31); END IF;
      k := k || (r ->> TG_ARGV[i]);
    END LOOP;
  END IF;
  IF old_k IS NOT NULL AND old_k IS DISTINCT FROM k THEN
    INSERT INTO chain_pending (tbl, key, row_json) VALUES (TG_TABLE_NAME, old_k, NULL)
      ON CONFLICT (tbl, key) DO UPDATE SET row_json = NULL;
  END IF;
  IF k IS NOT NULL THEN
    INSERT INTO chain_pending (tbl, key, row_json) VALUES (TG_TABLE_NAME, k, r::text)
      ON CONFLICT (tbl, key) DO UPDATE SET row_json = EXCLUDED.row_json;
  END IF;
  RETURN NULL;
END $$;

-- Verification reads every record row, past the row-level policies that serve requests.
CREATE FUNCTION lrw_record_rows(tbl text) RETURNS SETOF text LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE format('SELECT to_jsonb(x)::text FROM %I x', tbl);
END $$;
REVOKE EXECUTE ON FUNCTION lrw_record_rows(text) FROM PUBLIC;
${Object.entries(KEYS).map(([table, key]) => journalPostgres(table, key)).join('\n')}
`;
