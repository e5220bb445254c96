import type { YearSchedule } from '../../domain/calendar';
import type { Db } from '../open';

export function getSetting<T>(db: Db, key: string): T | undefined {
  const v = db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

export function setSetting(db: Db, key: string, value: unknown, at: string): void {
  db.prepare(
    `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), at);
}

/** The schedule in force for each year: the newest entry per year. */
export function currentOverrides(db: Db): YearSchedule[] {
  return (
    db
      .prepare(
        `SELECT schedule_json FROM calendar_overrides o
         WHERE id = (SELECT MAX(id) FROM calendar_overrides WHERE year = o.year) ORDER BY year`,
      )
      .pluck()
      .all() as string[]
  ).map((j) => JSON.parse(j) as YearSchedule);
}

export function insertOverride(db: Db, s: YearSchedule, by: number, at: string): void {
  db.prepare('INSERT INTO calendar_overrides (year, schedule_json, entered_by, entered_at) VALUES (?, ?, ?, ?)').run(
    s.year,
    JSON.stringify(s),
    by,
    at,
  );
}

export interface PeriodRow {
  id: number;
  case_id: number;
  round: number;
  kind: 'review' | 'rereview';
  start_date: string;
  days: number;
  mode: 'working' | 'natural';
  due_date: string;
  provisional: number;
  extension_days: number | null;
  extended_due: string | null;
  extended_by: number | null;
  extended_by_name?: string | null;
  extended_at: string | null;
  extension_reason: string | null;
  ended_at: string | null;
  end_reason: string | null;
}

export function insertPeriod(
  db: Db,
  p: Pick<PeriodRow, 'case_id' | 'round' | 'kind' | 'start_date' | 'days' | 'mode' | 'due_date' | 'provisional'>,
): number {
  return db
    .prepare(
      `INSERT INTO periods (case_id, round, kind, start_date, days, mode, due_date, provisional)
       VALUES (@case_id, @round, @kind, @start_date, @days, @mode, @due_date, @provisional)`,
    )
    .run(p).lastInsertRowid as number;
}

const PERIOD_SELECT = 'SELECT p.*, u.display_name AS extended_by_name FROM periods p LEFT JOIN users u ON u.id = p.extended_by';

export const openPeriodOf = (db: Db, caseId: number): PeriodRow | undefined =>
  db.prepare(`${PERIOD_SELECT} WHERE p.case_id = ? AND p.ended_at IS NULL ORDER BY p.id DESC LIMIT 1`).get(caseId) as PeriodRow | undefined;

export const periodsOf = (db: Db, caseId: number): PeriodRow[] =>
  db.prepare(`${PERIOD_SELECT} WHERE p.case_id = ? ORDER BY p.id`).all(caseId) as PeriodRow[];

export const openPeriods = (db: Db): PeriodRow[] =>
  db.prepare(`${PERIOD_SELECT} WHERE p.ended_at IS NULL ORDER BY COALESCE(p.extended_due, p.due_date)`).all() as PeriodRow[];

export function extendPeriod(db: Db, id: number, f: { days: number; due: string; by: number; at: string; reason: string; provisional: boolean }): void {
  db.prepare(
    `UPDATE periods SET extension_days = ?, extended_due = ?, extended_by = ?, extended_at = ?, extension_reason = ?,
       provisional = MAX(provisional, ?) WHERE id = ? AND extension_days IS NULL`,
  ).run(f.days, f.due, f.by, f.at, f.reason, f.provisional ? 1 : 0, id);
}

export function endPeriod(db: Db, id: number, at: string, reason: string): void {
  db.prepare('UPDATE periods SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL').run(at, reason, id);
}

export interface ClockRow {
  id: number;
  case_id: number;
  kind: string;
  started_at: string;
  due: string;
  unit: 'working' | 'natural' | 'hours';
  provisional: number;
  done_at: string | null;
}

export function upsertClock(db: Db, c: Omit<ClockRow, 'id' | 'done_at'>): void {
  db.prepare(
    `INSERT INTO clocks (case_id, kind, started_at, due, unit, provisional) VALUES (@case_id, @kind, @started_at, @due, @unit, @provisional)
     ON CONFLICT (case_id, kind) DO NOTHING`,
  ).run(c);
}

export const clocksOf = (db: Db, caseId: number): ClockRow[] =>
  db.prepare('SELECT * FROM clocks WHERE case_id = ? ORDER BY id').all(caseId) as ClockRow[];

export function completeClock(db: Db, caseId: number, kind: string, at: string, by: number): number {
  return db.prepare('UPDATE clocks SET done_at = ?, done_by = ? WHERE case_id = ? AND kind = ? AND done_at IS NULL').run(at, by, caseId, kind).changes;
}
