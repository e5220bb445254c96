// The decision gate (issue 10): proposal cycles, persistent dissent and proposals for collective
// discussion, ending a matter after a rejection, and 回避 at the heads' meeting.
// A revision after a rejection is a new proposal (cases.cycle): its opinion may again be disputed
// once, so a re-review request and an escalation are unique per case and cycle, not per case.
import { pgId, pgImmutable } from './001_init';

export const version = 6;
export const name = 'gate';

const sqliteImmutable = (t: string) => `
CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;
CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;`;

/** The new tables, the same on both engines but for the id column. */
const newTables = (id: string) => `
CREATE TABLE endings (
  id ${id},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  cycle INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('no_penalty', 'withdraw', 'other')),
  reason TEXT NOT NULL,
  proposed_by INTEGER NOT NULL REFERENCES users(id),
  proposed_at TEXT NOT NULL
);
CREATE TABLE ending_steps (
  id ${id},
  ending_id INTEGER NOT NULL REFERENCES endings(id),
  step TEXT NOT NULL CHECK (step IN ('review', 'approval')),
  outcome TEXT NOT NULL CHECK (outcome IN ('agree', 'disagree')),
  opinion TEXT NOT NULL,
  by_id INTEGER NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
-- 回避 (行政处罚法 第四十三条): a head with a conflict of interest on one item, declared or applied for.
CREATE TABLE meeting_recusals (
  item_id INTEGER NOT NULL REFERENCES meeting_items(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  source TEXT NOT NULL CHECK (source IN ('self', 'party')),
  reason TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (item_id, user_id)
);
-- The chair sets the agenda (the secretary prepares it).
ALTER TABLE meetings ADD COLUMN agenda_confirmed_at TEXT;
ALTER TABLE meetings ADD COLUMN agenda_confirmed_by INTEGER REFERENCES users(id);
-- A meeting's departure from the legal opinion is recorded against each head who voted for it (第十七条).
ALTER TABLE approvals ADD COLUMN responsible_json TEXT;
`;

export const sqlite = `
ALTER TABLE cases ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;

DROP TRIGGER rereview_requests_no_update;
DROP TRIGGER rereview_requests_no_delete;
CREATE TABLE rereview_requests_v6 (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  cycle INTEGER NOT NULL DEFAULT 1,
  reasons TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL,
  against_review_id INTEGER NOT NULL REFERENCES review_rounds(id),
  UNIQUE (case_id, cycle)
);
INSERT INTO rereview_requests_v6 (id, case_id, cycle, reasons, requested_by, requested_at, against_review_id)
  SELECT id, case_id, 1, reasons, requested_by, requested_at, against_review_id FROM rereview_requests;
DROP TABLE rereview_requests;
ALTER TABLE rereview_requests_v6 RENAME TO rereview_requests;
${sqliteImmutable('rereview_requests')}

-- 提请集体讨论: kind dispute (第十二条, after the re-review) or proposal (any reviewed major case).
DROP TRIGGER escalations_no_update;
DROP TRIGGER escalations_no_delete;
CREATE TABLE escalations_v6 (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  cycle INTEGER NOT NULL DEFAULT 1,
  kind TEXT NOT NULL DEFAULT 'dispute' CHECK (kind IN ('dispute', 'proposal')),
  reasons TEXT NOT NULL,
  escalated_by INTEGER NOT NULL REFERENCES users(id),
  escalated_at TEXT NOT NULL,
  UNIQUE (case_id, cycle)
);
INSERT INTO escalations_v6 (id, case_id, cycle, kind, reasons, escalated_by, escalated_at)
  SELECT id, case_id, 1, 'dispute', reasons, escalated_by, escalated_at FROM escalations;
DROP TABLE escalations;
ALTER TABLE escalations_v6 RENAME TO escalations;
${sqliteImmutable('escalations')}

${newTables('INTEGER PRIMARY KEY')}
${['endings', 'ending_steps', 'meeting_recusals'].map(sqliteImmutable).join('\n')}
CREATE TRIGGER meeting_recusals_locked_insert BEFORE INSERT ON meeting_recusals
  WHEN (SELECT locked_at FROM meetings WHERE id = (SELECT meeting_id FROM meeting_items WHERE id = NEW.item_id)) IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'LOCKED:meeting_recusals'); END;
`;

export const postgres = `
ALTER TABLE cases ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;

ALTER TABLE rereview_requests ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;
ALTER TABLE rereview_requests DROP CONSTRAINT rereview_requests_case_id_key;
ALTER TABLE rereview_requests ADD CONSTRAINT rereview_requests_case_cycle UNIQUE (case_id, cycle);

ALTER TABLE escalations ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;
ALTER TABLE escalations ADD COLUMN kind TEXT NOT NULL DEFAULT 'dispute' CHECK (kind IN ('dispute', 'proposal'));
ALTER TABLE escalations DROP CONSTRAINT escalations_case_id_key;
ALTER TABLE escalations ADD CONSTRAINT escalations_case_cycle UNIQUE (case_id, cycle);

${newTables(pgId)}
${['endings', 'ending_steps', 'meeting_recusals'].map(pgImmutable).join('\n')}
CREATE FUNCTION meeting_recusals_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT locked_at FROM meetings WHERE id = (SELECT meeting_id FROM meeting_items WHERE id = NEW.item_id)) IS NOT NULL
    THEN RAISE EXCEPTION 'LOCKED:meeting_recusals'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER meeting_recusals_locked BEFORE INSERT ON meeting_recusals FOR EACH ROW EXECUTE FUNCTION meeting_recusals_locked();

-- An ending's reasons and opinions are case contents: the same row-level rule as the case (migration 005).
ALTER TABLE endings ENABLE ROW LEVEL SECURITY;
CREATE POLICY endings_visible ON endings
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case(case_id));
ALTER TABLE ending_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY ending_steps_visible ON ending_steps
  USING (lrw_is_reader() OR lrw_reads_all_cases() OR lrw_acted_on_case((SELECT e.case_id FROM endings e WHERE e.id = ending_id)));
`;
