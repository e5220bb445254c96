// Deadline engine: agency settings, administrator-entered calendar years, review periods and other clocks.
import { pgId, pgImmutable } from './001_init';

export const version = 2;
export const name = 'deadlines';

export const sqlite = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Each entry is kept; the newest per year is in force (an older one is history, not overwritten).
CREATE TABLE calendar_overrides (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL,
  schedule_json TEXT NOT NULL,
  entered_by INTEGER NOT NULL REFERENCES users(id),
  entered_at TEXT NOT NULL
);
CREATE INDEX calendar_overrides_year ON calendar_overrides(year, id);
CREATE TRIGGER calendar_overrides_no_update BEFORE UPDATE ON calendar_overrides BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:calendar_overrides'); END;
CREATE TRIGGER calendar_overrides_no_delete BEFORE DELETE ON calendar_overrides BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:calendar_overrides'); END;

-- One row per review or re-review period of a case; a return stops it, a resubmission opens a new one.
CREATE TABLE periods (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  round INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('review', 'rereview')),
  start_date TEXT NOT NULL,
  days INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('working', 'natural')),
  due_date TEXT NOT NULL,
  provisional INTEGER NOT NULL,
  extension_days INTEGER,
  extended_due TEXT,
  extended_by INTEGER REFERENCES users(id),
  extended_at TEXT,
  extension_reason TEXT,
  ended_at TEXT,
  end_reason TEXT
);
CREATE INDEX periods_open ON periods(ended_at, case_id);
CREATE INDEX periods_case ON periods(case_id, id);

-- Other statutory clocks (publication, archive, audio-visual records, emergency report).
CREATE TABLE clocks (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  started_at TEXT NOT NULL,
  due TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('working', 'natural', 'hours')),
  provisional INTEGER NOT NULL,
  done_at TEXT,
  done_by INTEGER REFERENCES users(id),
  UNIQUE (case_id, kind)
);
`;

export const postgres = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE calendar_overrides (
  id ${pgId},
  year INTEGER NOT NULL,
  schedule_json TEXT NOT NULL,
  entered_by INTEGER NOT NULL REFERENCES users(id),
  entered_at TEXT NOT NULL
);
CREATE INDEX calendar_overrides_year ON calendar_overrides(year, id);
${pgImmutable('calendar_overrides')}

CREATE TABLE periods (
  id ${pgId},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  round INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('review', 'rereview')),
  start_date TEXT NOT NULL,
  days INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('working', 'natural')),
  due_date TEXT NOT NULL,
  provisional INTEGER NOT NULL,
  extension_days INTEGER,
  extended_due TEXT,
  extended_by INTEGER REFERENCES users(id),
  extended_at TEXT,
  extension_reason TEXT,
  ended_at TEXT,
  end_reason TEXT
);
CREATE INDEX periods_open ON periods(ended_at, case_id);
CREATE INDEX periods_case ON periods(case_id, id);

CREATE TABLE clocks (
  id ${pgId},
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  started_at TEXT NOT NULL,
  due TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('working', 'natural', 'hours')),
  provisional INTEGER NOT NULL,
  done_at TEXT,
  done_by INTEGER REFERENCES users(id),
  UNIQUE (case_id, kind)
);
`;
