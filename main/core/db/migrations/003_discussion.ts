// Dissent, one re-review, and collective discussion (001 附件3 第十二条; 003 第十九条).
import { pgId, pgImmutable } from './001_init';

export const version = 3;
export const name = 'discussion';

const lockedGuard = (table: string, meetingExpr: string) => `
CREATE TRIGGER ${table}_locked_update BEFORE UPDATE ON ${table}
  WHEN (SELECT locked_at FROM meetings WHERE id = ${meetingExpr.replace(/NEW|OLD/g, 'OLD')}) IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'LOCKED:${table}'); END;
CREATE TRIGGER ${table}_locked_delete BEFORE DELETE ON ${table}
  WHEN (SELECT locked_at FROM meetings WHERE id = ${meetingExpr.replace(/NEW|OLD/g, 'OLD')}) IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'LOCKED:${table}'); END;
CREATE TRIGGER ${table}_locked_insert BEFORE INSERT ON ${table}
  WHEN (SELECT locked_at FROM meetings WHERE id = ${meetingExpr.replace(/NEW|OLD/g, 'NEW')}) IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'LOCKED:${table}'); END;`;

export const sqlite = `
-- A collective decision is recorded as an approval by the chair, linked to its meeting.
ALTER TABLE approvals ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);

-- The handling unit's written request for re-review: at most one per case.
CREATE TABLE rereview_requests (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  reasons TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL,
  against_review_id INTEGER NOT NULL REFERENCES review_rounds(id)
);
CREATE TRIGGER rereview_requests_no_update BEFORE UPDATE ON rereview_requests BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:rereview_requests'); END;
CREATE TRIGGER rereview_requests_no_delete BEFORE DELETE ON rereview_requests BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:rereview_requests'); END;

-- The handling unit still disagrees after re-review: the case goes to the heads' meeting.
CREATE TABLE escalations (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  reasons TEXT NOT NULL,
  escalated_by INTEGER NOT NULL REFERENCES users(id),
  escalated_at TEXT NOT NULL
);
CREATE TRIGGER escalations_no_update BEFORE UPDATE ON escalations BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:escalations'); END;
CREATE TRIGGER escalations_no_delete BEFORE DELETE ON escalations BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:escalations'); END;

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  scheduled_at TEXT NOT NULL,
  place TEXT NOT NULL,
  chair_id INTEGER NOT NULL REFERENCES users(id),
  quorum_rule TEXT NOT NULL CHECK (quorum_rule IN ('half', 'two_thirds')),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  started_at TEXT,
  locked_at TEXT,
  locked_by INTEGER REFERENCES users(id)
);
CREATE TRIGGER meetings_locked_update BEFORE UPDATE ON meetings WHEN OLD.locked_at IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'LOCKED:meetings'); END;
CREATE TRIGGER meetings_no_delete BEFORE DELETE ON meetings BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:meetings'); END;

CREATE TABLE meeting_attendees (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  present INTEGER,
  absence_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, user_id)
);
${lockedGuard('meeting_attendees', 'NEW.meeting_id')}

CREATE TABLE meeting_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  handling_statement TEXT NOT NULL DEFAULT '',
  legal_statement TEXT NOT NULL DEFAULT '',
  dissent TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  decision TEXT CHECK (decision IN ('approve', 'reject')),
  decision_text TEXT NOT NULL DEFAULT '',
  decided_at TEXT,
  UNIQUE (meeting_id, case_id)
);
${lockedGuard('meeting_items', 'NEW.meeting_id')}

CREATE TABLE meeting_stances (
  item_id INTEGER NOT NULL REFERENCES meeting_items(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  stance TEXT NOT NULL CHECK (stance IN ('agree', 'disagree', 'abstain')),
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, user_id)
);
${lockedGuard('meeting_stances', '(SELECT meeting_id FROM meeting_items WHERE id = NEW.item_id)')}

CREATE TABLE meeting_amendments (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  text TEXT NOT NULL,
  reason TEXT NOT NULL,
  amended_by INTEGER NOT NULL REFERENCES users(id),
  amended_at TEXT NOT NULL
);
CREATE TRIGGER meeting_amendments_no_update BEFORE UPDATE ON meeting_amendments BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:meeting_amendments'); END;
CREATE TRIGGER meeting_amendments_no_delete BEFORE DELETE ON meeting_amendments BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:meeting_amendments'); END;
`;

/** PostgreSQL: one guard function; the meeting is found from the row (items and attendees) or its item (stances). */
const pgLocked = (table: string, meetingOf: string) => `
CREATE FUNCTION ${table}_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r RECORD; m INTEGER;
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN r := OLD; ELSE r := NEW; END IF;
  m := ${meetingOf};
  IF (SELECT locked_at FROM meetings WHERE id = m) IS NOT NULL THEN RAISE EXCEPTION 'LOCKED:${table}'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER ${table}_locked BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_locked();`;

export const postgres = `
CREATE TABLE rereview_requests (
  id ${pgId},
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  reasons TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at TEXT NOT NULL,
  against_review_id INTEGER NOT NULL REFERENCES review_rounds(id)
);
${pgImmutable('rereview_requests')}

CREATE TABLE escalations (
  id ${pgId},
  case_id INTEGER NOT NULL UNIQUE REFERENCES cases(id),
  reasons TEXT NOT NULL,
  escalated_by INTEGER NOT NULL REFERENCES users(id),
  escalated_at TEXT NOT NULL
);
${pgImmutable('escalations')}

CREATE TABLE meetings (
  id ${pgId},
  title TEXT NOT NULL,
  scheduled_at TEXT NOT NULL,
  place TEXT NOT NULL,
  chair_id INTEGER NOT NULL REFERENCES users(id),
  quorum_rule TEXT NOT NULL CHECK (quorum_rule IN ('half', 'two_thirds')),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  started_at TEXT,
  locked_at TEXT,
  locked_by INTEGER REFERENCES users(id)
);
CREATE FUNCTION meetings_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'IMMUTABLE:meetings'; END IF;
  IF OLD.locked_at IS NOT NULL THEN RAISE EXCEPTION 'LOCKED:meetings'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER meetings_locked BEFORE UPDATE OR DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION meetings_locked();

ALTER TABLE approvals ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);

CREATE TABLE meeting_attendees (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  present INTEGER,
  absence_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (meeting_id, user_id)
);
${pgLocked('meeting_attendees', 'r.meeting_id')}

CREATE TABLE meeting_items (
  id ${pgId},
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  handling_statement TEXT NOT NULL DEFAULT '',
  legal_statement TEXT NOT NULL DEFAULT '',
  dissent TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  decision TEXT CHECK (decision IN ('approve', 'reject')),
  decision_text TEXT NOT NULL DEFAULT '',
  decided_at TEXT,
  UNIQUE (meeting_id, case_id)
);
${pgLocked('meeting_items', 'r.meeting_id')}

CREATE TABLE meeting_stances (
  item_id INTEGER NOT NULL REFERENCES meeting_items(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  stance TEXT NOT NULL CHECK (stance IN ('agree', 'disagree', 'abstain')),
  reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (item_id, user_id)
);
${pgLocked('meeting_stances', '(SELECT meeting_id FROM meeting_items WHERE id = r.item_id)')}

CREATE TABLE meeting_amendments (
  id ${pgId},
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  text TEXT NOT NULL,
  reason TEXT NOT NULL,
  amended_by INTEGER NOT NULL REFERENCES users(id),
  amended_at TEXT NOT NULL
);
${pgImmutable('meeting_amendments')}
`;
