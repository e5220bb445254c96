// PostgreSQL's second wall, part two: row-level security on case rows. Each request sets the acting
// user (lrw.user_id, see PostgresStore.actingAs); a case, its submissions and its search text are
// visible only to its handler, its officers and the roles that read every case (case.readAll in
// domain/permissions.ts: reviewer, legal office head, agency head, secretary) — the same rule as
// services/cases.ts canRead, so a bug in a service cannot leak a case. A role that may not write the
// record (the reader role for verification, copies and statistics) reads everything. The owner that
// runs migrations is not subject to these policies. SQLite has one user per file: no policies.
// Both engines: an index to page common search hits newest first without sorting them all.
export const version = 5;
export const name = 'row_security';

const recentIndex = 'CREATE INDEX cases_recent ON cases(updated_at, id);';

export const sqlite = recentIndex;

const caseTables = ['submissions', 'case_search'];

export const postgres = `
${recentIndex}

CREATE FUNCTION lrw_acting_user() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('lrw.user_id', true), '')::integer $$;

CREATE FUNCTION lrw_is_reader() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT NOT has_table_privilege(current_user, 'events', 'INSERT') $$;

CREATE FUNCTION lrw_reads_all_cases() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM user_roles WHERE user_id = lrw_acting_user()
                  AND role IN ('reviewer', 'legal_head', 'agency_head', 'secretary')) $$;

-- Handler or officer of any round. SECURITY DEFINER: it reads past the policies it serves.
CREATE FUNCTION lrw_acted_on_case(c integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM cases x WHERE x.id = c AND x.handler_id = lrw_acting_user())
       OR EXISTS (SELECT 1 FROM submission_officers o JOIN submissions s ON s.id = o.submission_id
                  WHERE s.case_id = c AND o.user_id = lrw_acting_user()) $$;

ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY cases_visible ON cases
  USING (lrw_is_reader() OR handler_id = lrw_acting_user() OR lrw_reads_all_cases() OR lrw_acted_on_case(id))
  WITH CHECK (true);
${caseTables
  .map(
    (t) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${t}_visible ON ${t}
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id))
  WITH CHECK (true);`,
  )
  .join('\n')}
`;
