// 备案 (000 四(一)4; 001 附件3 第八条; 004 五(一)): major decisions and catalog changes are filed with the
// government's legal office and the competent department. A case's filing rests on its issued 备案报告
// (the signed package); a catalog change is a proposal that takes effect, as a new catalog version, only
// once its filing is recorded. Each recipient's response (accepted, ordered to correct, revoked) is a
// record; a correction order stays open on the case until the handling side records the correction.
// All insert-only, journalled; PostgreSQL row security follows the case where there is one.
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgId, pgImmutable, sqliteImmutable } from './001_init';

export const version = 21;
export const name = 'filings';

const tables = (id: string) => `
CREATE TABLE catalog_proposals (
  id ${id},
  base_version INTEGER NOT NULL REFERENCES catalog_versions(version),
  items_json TEXT NOT NULL,
  note TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE TABLE filings (
  id ${id},
  subject TEXT NOT NULL CHECK (subject IN ('case', 'catalog')),
  case_id INTEGER REFERENCES cases(id),
  proposal_id INTEGER REFERENCES catalog_proposals(id),
  package_issued_id INTEGER REFERENCES issued_files(id),
  catalog_version INTEGER REFERENCES catalog_versions(version),
  filed_on TEXT NOT NULL,
  recipients_json TEXT NOT NULL,
  note TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  CHECK ((subject = 'case' AND case_id IS NOT NULL AND package_issued_id IS NOT NULL AND proposal_id IS NULL)
      OR (subject = 'catalog' AND proposal_id IS NOT NULL AND catalog_version IS NOT NULL AND case_id IS NULL))
);
CREATE INDEX filings_case ON filings(case_id, id);
CREATE UNIQUE INDEX filings_package ON filings(package_issued_id);
CREATE UNIQUE INDEX filings_proposal ON filings(proposal_id);
CREATE TABLE filing_responses (
  id ${id},
  filing_id INTEGER NOT NULL REFERENCES filings(id),
  case_id INTEGER REFERENCES cases(id),
  recipient TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('accepted', 'correct', 'revoked')),
  received_on TEXT NOT NULL,
  text TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  UNIQUE (filing_id, recipient)
);
CREATE TABLE filing_corrections (
  response_id INTEGER PRIMARY KEY REFERENCES filing_responses(id),
  case_id INTEGER REFERENCES cases(id),
  text TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);`;

const TABLES = [['catalog_proposals', ['id']], ['filings', ['id']], ['filing_responses', ['id']], ['filing_corrections', ['response_id']]] as const;

export const sqlite = `${tables('INTEGER PRIMARY KEY')}
${TABLES.map(([t]) => sqliteImmutable(t)).join('\n')}
${TABLES.map(([t, k]) => journalSqlite(t, [...k])).join('\n')}
`;

const visible = (t: string) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${t}_visible ON ${t}
  USING (case_id IS NULL OR lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);`;

export const postgres = `${tables(pgId)}
${TABLES.map(([t]) => pgImmutable(t)).join('\n')}
${TABLES.map(([t, k]) => journalPostgres(t, [...k])).join('\n')}
${visible('filings')}
${visible('filing_responses')}
${visible('filing_corrections')}
`;
