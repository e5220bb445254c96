import type { YearSchedule } from '../../domain/calendar';
import type { Db } from '../open';
import { idChunks } from '../store';

export async function getSetting<T>(
  db: Db, key: string): Promise<T | undefined> {
  const v = await db.value('SELECT value_json FROM settings WHERE key = ?', [key]) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

export async function setSetting(
  db: Db, key: string, value: unknown, at: string): Promise<void> {
  await db.run(`INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`, [key, JSON.stringify(value), at]);
}

/** The schedule in force for each year: the newest entry per year. */
export async function currentOverrides(
  db: Db): Promise<YearSchedule[]> {
  return (
    await db.column(`SELECT schedule_json FROM calendar_overrides o
         WHERE id = (SELECT MAX(id) FROM calendar_overrides WHERE year = o.year) ORDER BY year`) as string[]
  ).map((j) => JSON.parse(j) as YearSchedule);
}

export async function insertOverride(
  db: Db, s: YearSchedule, by: number, at: string): Promise<void> {
  await db.run('INSERT INTO calendar_overrides (year, schedule_json, entered_by, entered_at) VALUES (?, ?, ?, ?)', [s.year,
    JSON.stringify(s),
    by,
    at,]);
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

export async function insertPeriod(
  db: Db,
  p: Pick<PeriodRow, 'case_id' | 'round' | 'kind' | 'start_date' | 'days' | 'mode' | 'due_date' | 'provisional'>,
): Promise<number> {
  return await db.insert(`INSERT INTO periods (case_id, round, kind, start_date, days, mode, due_date, provisional)
       VALUES (@case_id, @round, @kind, @start_date, @days, @mode, @due_date, @provisional)`, p) as number;
}

const PERIOD_SELECT = 'SELECT p.*, u.display_name AS extended_by_name FROM periods p LEFT JOIN users u ON u.id = p.extended_by';

export const openPeriodOf = async (db: Db, caseId: number): Promise<PeriodRow | undefined> =>
  await db.get(`${PERIOD_SELECT} WHERE p.case_id = ? AND p.ended_at IS NULL ORDER BY p.id DESC LIMIT 1`, [caseId]) as PeriodRow | undefined;

/** openPeriodOf for many cases: the latest open period of each case that has one. */
export async function openPeriodsOfCases(db: Db, caseIds: readonly number[]): Promise<Map<number, PeriodRow>> {
  const out = new Map<number, PeriodRow>();
  for (const { marks, params } of idChunks(caseIds)) {
    const rows = (await db.all(`${PERIOD_SELECT} WHERE p.case_id IN (${marks}) AND p.ended_at IS NULL ORDER BY p.id DESC`, params)) as PeriodRow[];
    for (const r of rows) if (!out.has(Number(r.case_id))) out.set(Number(r.case_id), r);
  }
  return out;
}

export const periodsOf = async (db: Db, caseId: number): Promise<PeriodRow[]> =>
  await db.all(`${PERIOD_SELECT} WHERE p.case_id = ? ORDER BY p.id`, [caseId]) as PeriodRow[];

export const openPeriods = async (db: Db): Promise<PeriodRow[]> =>
  await db.all(`${PERIOD_SELECT} WHERE p.ended_at IS NULL ORDER BY COALESCE(p.extended_due, p.due_date)`) as PeriodRow[];

export async function extendPeriod(db: Db, id: number, f: { days: number; due: string; by: number; at: string; reason: string; provisional: boolean }): Promise<void> {
  await db.run(`UPDATE periods SET extension_days = ?, extended_due = ?, extended_by = ?, extended_at = ?, extension_reason = ?,
       provisional = CASE WHEN provisional = 1 THEN 1 ELSE ? END WHERE id = ? AND extension_days IS NULL`, [f.days, f.due, f.by, f.at, f.reason, f.provisional ? 1 : 0, id]);
}

export async function endPeriod(
  db: Db, id: number, at: string, reason: string): Promise<void> {
  await db.run('UPDATE periods SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL', [at, reason, id]);
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

export async function upsertClock(
  db: Db, c: Omit<ClockRow, 'id' | 'done_at'>): Promise<void> {
  await db.run(`INSERT INTO clocks (case_id, kind, started_at, due, unit, provisional) VALUES (@case_id, @kind, @started_at, @due, @unit, @provisional)
     ON CONFLICT (case_id, kind) DO NOTHING`, c);
}

export const clocksOf = async (db: Db, caseId: number): Promise<ClockRow[]> =>
  await db.all('SELECT * FROM clocks WHERE case_id = ? ORDER BY id', [caseId]) as ClockRow[];

/** The clocks not yet completed of many cases, in one statement per chunk (a case without any maps to []). */
export async function runningClocksOfCases(db: Db, caseIds: readonly number[]): Promise<Map<number, ClockRow[]>> {
  const out = new Map<number, ClockRow[]>(caseIds.map((id) => [id, []]));
  for (const { marks, params } of idChunks(caseIds)) {
    const rows = (await db.all(`SELECT * FROM clocks WHERE case_id IN (${marks}) AND done_at IS NULL ORDER BY id`, params)) as ClockRow[];
    for (const r of rows) out.get(Number(r.case_id))?.push(r);
  }
  return out;
}

export async function completeClock(
  db: Db, caseId: number, kind: string, at: string, by: number): Promise<number> {
  return await db.run('UPDATE clocks SET done_at = ?, done_by = ? WHERE case_id = ? AND kind = ? AND done_at IS NULL', [at, by, caseId, kind]);
}
