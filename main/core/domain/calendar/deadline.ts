// Deadlines. Review periods are counted in working days by default (行政处罚法 第八十五条,
// 行政许可法 第八十二条: working days, statutory holidays excluded) with the day of receipt not
// counted; natural-day counting is a per-agency setting. Any result that depends on a year with no
// official schedule carries provisional: true (待官方安排确认).
import { addDays, diffDays, isWeekend, parseDate, yearOf, type DateString } from './cst';
import { CalendarError } from './errors';
import type { Calendar } from './holidays';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export const DAY_KIND_LABELS: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '休息日',
  holiday: '节假日',
  makeup_workday: '调休上班日',
};

export interface DayInfo {
  date: DateString;
  working: boolean;
  kind: DayKind;
  /** Festival name for holidays and make-up workdays (e.g. 国庆节). */
  name?: string;
  /** The year has no official schedule: the answer is a statutory-holiday estimate. */
  provisional: boolean;
}

export function dayInfo(date: DateString, cal: Calendar): DayInfo {
  const y = cal.year(parseDate(date).year);
  const provisional = !y.official;
  // Order matters: a listed make-up day is a working day although it is a weekend.
  const work = y.workdays.get(date);
  if (work !== undefined) return { date, working: true, kind: 'makeup_workday', name: work, provisional };
  const holiday = y.holidays.get(date);
  if (holiday !== undefined) return { date, working: false, kind: 'holiday', name: holiday, provisional };
  if (isWeekend(date)) return { date, working: false, kind: 'weekend', provisional };
  return { date, working: true, kind: 'workday', provisional };
}

export function isWorkingDay(date: DateString, cal: Calendar): boolean {
  return dayInfo(date, cal).working;
}

export function isProvisionalDate(date: DateString, cal: Calendar): boolean {
  return !cal.year(yearOf(date)).official;
}

/** True when any date in [from, to] (either order) lies in a year without an official schedule. */
export function isProvisionalRange(from: DateString, to: DateString, cal: Calendar): boolean {
  const [a, b] = from <= to ? [yearOf(from), yearOf(to)] : [yearOf(to), yearOf(from)];
  for (let y = a; y <= b; y++) if (!cal.year(y).official) return true;
  return false;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: DateString, cal: Calendar): DateString {
  let d = addDays(date, 1);
  while (!isWorkingDay(d, cal)) d = addDays(d, 1);
  return d;
}

export type CountMode = 'working' | 'natural';

export const COUNT_MODE_LABELS: Record<CountMode, string> = { working: '工作日', natural: '自然日' };

export interface PeriodResult {
  /** Last day of the period: the act is in time if done on or before this date (CST). */
  due: DateString;
  /** The days that counted, in order (start itself never counts). */
  counted: DateString[];
  provisional: boolean;
  /** Natural mode only: the uncorrected last day, when it fell on a non-working day and was moved. */
  postponedFrom?: DateString;
}

/** Generous upper bound; only guards against a runaway loop from a bad setting. */
export const MAX_PERIOD_DAYS = 3660;

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > MAX_PERIOD_DAYS) {
    throw new CalendarError('INVALID_PERIOD', `期限天数“${days}”无效，应为1至${MAX_PERIOD_DAYS}之间的整数。`, {
      value: days,
    });
  }
}

/**
 * `days` days after `start` (the day of receipt, not counted).
 * - working: counts working days only; 调休 Saturdays count, holidays and weekends do not.
 * - natural: counts calendar days; if the last day is not a working day (a holiday or weekend —
 *   法定休假日 as the courts read it) the period ends on the next working day instead, following the
 *   rule on periods in 民事诉讼法 第八十五条 ("期间届满的最后一日是法定休假日的，以法定休假日后的
 *   第一日为期间届满的日期"), which 行政诉讼法 and 行政复议法 apply as well.
 * An extension (延长三日) is `addPeriod(previousDue, 3, 'working', cal)`.
 */
export function addPeriod(start: DateString, days: number, mode: CountMode, cal: Calendar): PeriodResult {
  parseDate(start);
  checkDays(days);
  let provisional = false;
  const look = (d: DateString): DayInfo => {
    const info = dayInfo(d, cal);
    provisional ||= info.provisional;
    return info;
  };
  if (mode === 'working') {
    const counted: DateString[] = [];
    let d = start;
    while (counted.length < days) {
      d = addDays(d, 1);
      if (look(d).working) counted.push(d);
    }
    return { due: d, counted, provisional };
  }
  const counted = Array.from({ length: days }, (_, i) => addDays(start, i + 1));
  const last = counted[counted.length - 1];
  // Only the end matters in natural mode, so only the days looked at for the move decide `provisional`.
  let due = last;
  while (!look(due).working) due = addDays(due, 1);
  return due === last ? { due, counted, provisional } : { due, counted, provisional, postponedFrom: last };
}

/**
 * What is left until `due` as seen on `today`:
 * - working mode: working days in (today, due] — 0 on the due day, 1 on the working day before it;
 *   after `due`, minus the working days in (due, today], but at least −1: a weekend right after the
 *   due date is already overdue, so the number never reads 0 once the date has passed.
 * - natural mode: calendar days, same signs.
 */
export function workingDaysRemaining(today: DateString, due: DateString, mode: CountMode, cal: Calendar): number {
  parseDate(today);
  parseDate(due);
  if (mode === 'natural') return diffDays(today, due);
  const countWorking = (from: DateString, to: DateString): number => {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
    return n;
  };
  if (today <= due) return countWorking(today, due);
  return -Math.max(1, countWorking(due, today));
}

export type ClockState = 'ok' | 'due_soon' | 'overdue';

export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  ok: '正常',
  due_soon: '即将到期',
  overdue: '已逾期',
};

/** overdue once `today` is past `due`; due_soon when one (working or, in natural mode, calendar) day or less is left. */
export function clockState(today: DateString, due: DateString, mode: CountMode, cal: Calendar): ClockState {
  if (today > due) return 'overdue';
  return workingDaysRemaining(today, due, mode, cal) <= 1 ? 'due_soon' : 'ok';
}

// ---------- hour clocks (24 h filing of audio/video records, 24 h emergency reports) ----------

const HOUR_MS = 3_600_000;

function instantMs(d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new CalendarError('INVALID_INSTANT', '时间值无效。');
  return t;
}

/** Hour clocks run on elapsed time: holidays and time zones do not matter. */
export function addHours(instant: Date, hours: number): Date {
  if (!Number.isFinite(hours)) {
    throw new CalendarError('INVALID_HOURS', `小时数“${hours}”无效。`, { value: hours });
  }
  return new Date(instantMs(instant) + hours * HOUR_MS);
}

/** Hours left until `due` (fractional; negative when overdue). */
export function hoursRemaining(now: Date, due: Date): number {
  return (instantMs(due) - instantMs(now)) / HOUR_MS;
}

/** overdue after `due`; due_soon within `dueSoonHours` (default 4) of it, `due` itself included. */
export function hourClockState(now: Date, due: Date, dueSoonHours = 4): ClockState {
  const left = hoursRemaining(now, due);
  if (left < 0) return 'overdue';
  return left <= dueSoonHours ? 'due_soon' : 'ok';
}
