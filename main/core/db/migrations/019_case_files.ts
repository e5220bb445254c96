// Case file and archive (案卷、归档; 000 第三十三条, 001 附件2 第三十一条). 归档 assembles the case file
// once, from the record, into stored files (the bookmarked PDF and the record extract) and a manifest of
// every file it holds with its SHA-256; the row is insert-only, so an archived case file's content is
// frozen. The named custodian's receipt and every later supplement (补充归档: a correction order, a
// withdrawal, an inspection finding) are rows of their own, each with its own index entry.
// Roles: 档案管理员 (custodian) receives case files; 评查人员 (inspector) is allowed by the constraint now
// so that the oversight work of the same issue needs no second rebuild of user_roles on SQLite.
// PostgreSQL: the custodian named on a case's file reads that case (lrw_acted_on_case, as services/cases.ts
// canRead does).
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgId, pgImmutable, sqliteImmutable } from './001_init';

export const version = 19;
export const name = 'case_files';

const ROLE_CHECK = "role IN ('handler','reviewer','legal_head','agency_head','secretary','sys_admin','sec_admin','audit_admin','custodian','inspector')";

const tables = (id: string) => `
CREATE TABLE case_files (
  id ${id},
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  custodian_id INTEGER NOT NULL REFERENCES users(id),
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  pdf_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  record_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  manifest_json TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE TABLE case_file_receipts (
  case_file_id INTEGER PRIMARY KEY REFERENCES case_files(id),
  custodian_id INTEGER NOT NULL REFERENCES users(id),
  note TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE case_file_supplements (
  id ${id},
  case_file_id INTEGER NOT NULL REFERENCES case_files(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind IN ('correction', 'withdrawal', 'inspection', 'other')),
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  files_json TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX case_file_supplements_case ON case_file_supplements(case_id, id);`;

const TABLES = ['case_files', 'case_file_receipts', 'case_file_supplements'];
const KEYS: Record<string, string[]> = { case_files: ['id'], case_file_receipts: ['case_file_id'], case_file_supplements: ['id'] };

// The rebuilt user_roles holds the same rows, which the chain already vouches for: only its journal
// triggers are made again (without putting the rows in the journal, which would report them as written
// outside any event). DROP TABLE fires no triggers.
const userRolesTriggers = journalSqlite('user_roles', ['user_id', 'role']).split('\n').filter((l) => l.startsWith('CREATE TRIGGER')).join('\n');

export const sqlite = `
CREATE TABLE user_roles_v19 (
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (${ROLE_CHECK}),
  PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_v19 (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_v19 RENAME TO user_roles;
${userRolesTriggers}
${tables('INTEGER PRIMARY KEY')}
${TABLES.map(sqliteImmutable).join('\n')}
${TABLES.map((t) => journalSqlite(t, KEYS[t])).join('\n')}
`;

export const postgres = `
ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (${ROLE_CHECK});
${tables(pgId)}
${TABLES.map(pgImmutable).join('\n')}
${TABLES.map((t) => journalPostgres(t, KEYS[t])).join('\n')}
CREATE OR REPLACE FUNCTION lrw_acted_on_case(c integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM cases x WHERE x.id = c AND x.handler_id = lrw_acting_user())
       OR EXISTS (SELECT 1 FROM submission_officers o JOIN submissions s ON s.id = o.submission_id
                  WHERE s.case_id = c AND o.user_id = lrw_acting_user())
       OR EXISTS (SELECT 1 FROM case_files f WHERE f.case_id = c AND f.custodian_id = lrw_acting_user()) $$;
ALTER TABLE case_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_files_visible ON case_files
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
ALTER TABLE case_file_supplements ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_file_supplements_visible ON case_file_supplements
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
`;
