// Alarms of failed verification (issue 11, point 5): every verification of the full-process record that
// fails (the app's 记录校验 and `lrw audit verify`) raises one alarm, shown to the system administrator
// and the legal office head until one of them acknowledges it with a reason.
// - audit_alarms: one row per failed verification, with the result's summary. Append-only.
// - audit_alarm_acks: the acknowledgement of an alarm (at most one per alarm: UNIQUE), with who, when and
//   why. Append-only, so an acknowledgement is never changed or withdrawn and an alarm row never changes.
// Both rows are written in the same transaction as their event ('audit.alarm', 'audit.alarm_ack'), and
// both are record tables (domain/records.ts): the journal triggers of migration 010 bind each row to it.
import { pgId, pgImmutable } from './001_init';
import { journalPostgres, journalSqlite } from './010_chain_rows';

export const version = 12;
export const name = 'alarms';

const tables = (idCol: string) => `
CREATE TABLE audit_alarms (
  id ${idCol},
  raised_at TEXT NOT NULL,
  raised_by INTEGER REFERENCES users(id),
  raised_through TEXT NOT NULL CHECK (raised_through IN ('app', 'lrw')),
  quick INTEGER NOT NULL CHECK (quick IN (0, 1)),
  event_count INTEGER NOT NULL,
  mismatch_kind TEXT,
  first_bad_seq INTEGER,
  message TEXT NOT NULL,
  summary_json TEXT NOT NULL
);

CREATE TABLE audit_alarm_acks (
  id ${idCol},
  alarm_id INTEGER NOT NULL UNIQUE REFERENCES audit_alarms(id),
  acknowledged_by INTEGER NOT NULL REFERENCES users(id),
  acknowledged_at TEXT NOT NULL,
  reason TEXT NOT NULL
);
`;

const APPEND_ONLY = ['audit_alarms', 'audit_alarm_acks'];

export const sqlite = `
${tables('INTEGER PRIMARY KEY')}
${APPEND_ONLY.map(
  (t) => `CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;
CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'IMMUTABLE:${t}'); END;`,
).join('\n')}
${APPEND_ONLY.map((t) => journalSqlite(t, ['id'])).join('\n')}
`;

export const postgres = `
${tables(pgId)}
${APPEND_ONLY.map((t) => pgImmutable(t)).join('\n')}
${APPEND_ONLY.map((t) => journalPostgres(t, ['id'])).join('\n')}
`;
