// After the decision: service and execution (送达、执行; 000 第五章 第二十四至三十二条). Each service of a
// decision document — direct, by post, left at the residence, entrusted or forwarded, by public notice —
// is one row with what its article requires (the particulars in details_json, the receipt and other proofs
// as stored files); each fact of execution — payment, performance, a rectification checked, the 催告
// served, the party's statement reviewed, an enforcement measure, the application to the court and its
// result — is one row too. Both are insert-only records (domain/records.ts): a correction is a further
// record. The clocks (service within 7 days, payment within 15, the court application window) live in
// `clocks` like every other statutory clock.
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgId, pgImmutable, sqliteImmutable } from './001_init';

export const version = 18;
export const name = 'enforcement';

const tables = (id: string) => `
CREATE TABLE service_records (
  id ${id},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  document_id INTEGER REFERENCES documents(id),
  document_name TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('direct', 'post', 'left', 'entrusted', 'notice')),
  recipient TEXT NOT NULL,
  served_on TEXT NOT NULL,
  details_json TEXT NOT NULL,
  files_json TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX service_records_case ON service_records(case_id, id);
CREATE TABLE execution_records (
  id ${id},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  step TEXT NOT NULL CHECK (step IN ('paid', 'performed', 'rectification', 'reminder', 'statement', 'enforced', 'court_applied', 'court_result')),
  on_date TEXT NOT NULL,
  amount_fen INTEGER,
  measure TEXT,
  text TEXT NOT NULL,
  files_json TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX execution_records_case ON execution_records(case_id, id);`;

export const sqlite = `${tables('INTEGER PRIMARY KEY')}
${sqliteImmutable('service_records')}
${sqliteImmutable('execution_records')}
${journalSqlite('service_records', ['id'])}
${journalSqlite('execution_records', ['id'])}
`;

export const postgres = `${tables(pgId)}
${pgImmutable('service_records')}
${pgImmutable('execution_records')}
${journalPostgres('service_records', ['id'])}
${journalPostgres('execution_records', ['id'])}
-- Case contents: the same row-level rule as the case (migration 005).
ALTER TABLE service_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY service_records_visible ON service_records
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
ALTER TABLE execution_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY execution_records_visible ON execution_records
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
`;
