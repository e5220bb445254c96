// Criminal referral (两法衔接; 《行政执法机关移送涉嫌犯罪案件的规定》 第五条, 004 三(六)): a review that finds
// criterion 7 不符合 (涉嫌犯罪，应当移送) opens one referral for its case; the handler's written report, the
// principal head's decision (批准移送 / 不批准, within 3 days of the report) and the transfer to the public
// security organ (within 24 hours of the approval, a copy to the procuratorate and, where applicable, the
// supervisory organ) are its steps. Both tables are insert-only records (domain/records.ts); the two clocks
// live in `clocks` (kinds referral_decision, referral_transfer) like every other statutory clock.
import { journalPostgres, journalSqlite } from './010_chain_rows';
import { pgId, pgImmutable, sqliteImmutable } from './001_init';

export const version = 17;
export const name = 'referrals';

const tables = (id: string) => `
CREATE TABLE referrals (
  id ${id},
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  review_id INTEGER NOT NULL REFERENCES review_rounds(id),
  opened_at TEXT NOT NULL
);
CREATE TABLE referral_steps (
  id ${id},
  referral_id INTEGER NOT NULL REFERENCES referrals(id),
  step TEXT NOT NULL CHECK (step IN ('report', 'decision', 'transfer')),
  decision TEXT CHECK (decision IN ('approve', 'reject')),
  text TEXT NOT NULL,
  organs_json TEXT,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL,
  UNIQUE (referral_id, step)
);`;

export const sqlite = `${tables('INTEGER PRIMARY KEY')}
${sqliteImmutable('referrals')}
${sqliteImmutable('referral_steps')}
${journalSqlite('referrals', ['id'])}
${journalSqlite('referral_steps', ['id'])}
`;

export const postgres = `${tables(pgId)}
${pgImmutable('referrals')}
${pgImmutable('referral_steps')}
${journalPostgres('referrals', ['id'])}
${journalPostgres('referral_steps', ['id'])}
-- Case contents: the same row-level rule as the case (migration 005).
ALTER TABLE referrals ENABLE ROW LEVEL SECURITY;
CREATE POLICY referrals_visible ON referrals
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id)) WITH CHECK (true);
ALTER TABLE referral_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY referral_steps_visible ON referral_steps
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case((SELECT r.case_id FROM referrals r WHERE r.id = referral_id))) WITH CHECK (true);
`;
