// 案卷评查 (000 四(二)2; 004 五(一)): an inspector (评查人员, from the government legal office or an internal
// one) opens archived case files read-only and records an evaluation: a result, the findings and the
// rectification requests (监督建议); the handling side's reply is tracked. Both are insert-only records in
// the chain; each is also appended to the case file as a supplement (补充归档), never changing the file.
// PostgreSQL: an inspector reads archived cases (lrw_acted_on_case, as services/cases.ts canRead does).
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgId, pgImmutable, sqliteImmutable } from './001_init';

export const version = 20;
export const name = 'inspections';

const tables = (id: string) => `
CREATE TABLE inspections (
  id ${id},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  case_file_id INTEGER NOT NULL REFERENCES case_files(id),
  inspector_id INTEGER NOT NULL REFERENCES users(id),
  result TEXT NOT NULL CHECK (result IN ('excellent', 'pass', 'fail')),
  findings TEXT NOT NULL,
  requests_json TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX inspections_case ON inspections(case_id, id);
CREATE TABLE inspection_replies (
  inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  text TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);`;

export const sqlite = `${tables('INTEGER PRIMARY KEY')}
${sqliteImmutable('inspections')}
${sqliteImmutable('inspection_replies')}
${journalSqlite('inspections', ['id'])}
${journalSqlite('inspection_replies', ['inspection_id'])}
`;

export const postgres = `${tables(pgId)}
${pgImmutable('inspections')}
${pgImmutable('inspection_replies')}
${journalPostgres('inspections', ['id'])}
${journalPostgres('inspection_replies', ['inspection_id'])}
CREATE OR REPLACE FUNCTION lrw_acted_on_case(c integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM cases x WHERE x.id = c AND x.handler_id = lrw_acting_user())
       OR EXISTS (SELECT 1 FROM submission_officers o JOIN submissions s ON s.id = o.submission_id
                  WHERE s.case_id = c AND o.user_id = lrw_acting_user())
       OR EXISTS (SELECT 1 FROM case_files f WHERE f.case_id = c AND f.custodian_id = lrw_acting_user())
       OR (EXISTS (SELECT 1 FROM cases x WHERE x.id = c AND x.state = 'archived')
           AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = lrw_acting_user() AND r.role = 'inspector')) $$;
ALTER TABLE inspections ENABLE ROW LEVEL SECURITY;
CREATE POLICY inspections_visible ON inspections
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
ALTER TABLE inspection_replies ENABLE ROW LEVEL SECURITY;
CREATE POLICY inspection_replies_visible ON inspection_replies
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
`;
