// Which days are holidays and make-up workdays (调休上班日) in a given year, from three layers:
//   1. an administrator's override (YearSchedule) — replaces everything else for that year;
//   2. the official State Council schedule shipped in chinese-days (SHIPPED_FIRST_YEAR…SHIPPED_LAST_YEAR);
//   3. otherwise a provisional fallback: the fixed statutory holidays only, no 调休, flagged
//      provisional (待官方安排确认) — never silently treated as ordinary weeks.

// The prebuilt JSON, not the runtime API: chinese-days builds its in-memory tables at load time by
// formatting UTC-parsed dates with local getters, so west of UTC every entry is one day early
// (2026-10-10 turns into 2026-10-09). The JSON was generated once by the maintainer and is exact.
import shippedData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { addDays, dayOfWeek, isValidDate, WEEKDAY_NAMES, type DateString } from './cst';
import { CalendarError } from './errors';
import { lunarAnchors, qingmingDate } from './lunar';

export interface ScheduleEntry {
  date: DateString;
  name: string;
}

export interface YearSchedule {
  year: number;
  holidays: ScheduleEntry[];
  /** 调休上班日: weekend days that are working days. */
  workdays: ScheduleEntry[];
  /** Where it comes from, e.g. the notice number 国办发明电〔2026〕×号. */
  source: string;
}

/** Years whose official notice is in the pinned chinese-days 1.5.7 (checked: 2004–2026, no 2027). */
export const SHIPPED_FIRST_YEAR = 2004;
export const SHIPPED_LAST_YEAR = 2026;
/** The lunar table (and so the fallback) covers these years; anything else is refused. */
export const MIN_SUPPORTED_YEAR = 1901;
export const MAX_SUPPORTED_YEAR = 2099;

export const PROVISIONAL_LABEL = '待官方安排确认';
/** What the user reads as the origin of a shipped year: the State Council's notices, and the last year they cover. */
export const SHIPPED_SOURCE = '国务院办公厅节假日安排';
export const FALLBACK_SOURCE = `按《全国年节及纪念日放假办法》法定节日推算，未含调休（${PROVISIONAL_LABEL}）`;

export type YearOrigin = 'override' | 'shipped' | 'provisional';

export interface ResolvedYear {
  year: number;
  origin: YearOrigin;
  /** True when the schedule is an official notice (shipped, or entered by an administrator). */
  official: boolean;
  source: string;
  holidays: ReadonlyMap<DateString, string>;
  workdays: ReadonlyMap<DateString, string>;
}

export function assertSupportedYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_SUPPORTED_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new CalendarError(
      'YEAR_UNSUPPORTED',
      `不支持${year}年的日期计算（支持${MIN_SUPPORTED_YEAR}年至${MAX_SUPPORTED_YEAR}年）。`,
      { year },
    );
  }
}

// ---------- shipped data ----------

// chinese-days labels entries "English,中文,n"; its short names are expanded to the notice's wording.
const NAME_FIX: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

const chineseName = (label: string): string => {
  const zh = label.split(',')[1] ?? label;
  return NAME_FIX[zh] ?? zh;
};

const shippedCache = new Map<number, ResolvedYear>();

function shippedYear(year: number): ResolvedYear | undefined {
  if (year < SHIPPED_FIRST_YEAR || year > SHIPPED_LAST_YEAR) return undefined;
  const hit = shippedCache.get(year);
  if (hit) return hit;
  const pick = (table: Record<string, string>): Map<DateString, string> =>
    new Map(
      Object.entries(table)
        .filter(([date]) => date.startsWith(`${year}-`))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([date, label]) => [date, chineseName(label)]),
    );
  const data = shippedData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const resolved: ResolvedYear = {
    year,
    origin: 'shipped',
    official: true,
    source: `${SHIPPED_SOURCE}（${year}年；内置安排收录至${SHIPPED_LAST_YEAR}年）`,
    holidays: pick(data.holidays),
    workdays: pick(data.workdays),
  };
  shippedCache.set(year, resolved);
  return resolved;
}

// ---------- provisional fallback ----------

const fallbackCache = new Map<number, ResolvedYear>();

/**
 * The statutory holidays of 《全国年节及纪念日放假办法》 (as amended 2024, in force 2025): 元旦 1 day,
 * 春节 4 days (除夕–正月初三), 清明 1, 劳动节 2 (5/1–5/2), 端午 1, 中秋 1, 国庆 3 (10/1–10/3).
 * Weekends stay non-working and nothing is moved: the real notice usually adds bridge days and
 * make-up Saturdays that cannot be predicted.
 */
function fallbackYear(year: number): ResolvedYear {
  const hit = fallbackCache.get(year);
  if (hit) return hit;
  const holidays = new Map<DateString, string>();
  // Two festivals can meet (e.g. 中秋 on 10-03 in 2028): keep both names.
  const add = (date: DateString, name: string) => {
    const prev = holidays.get(date);
    holidays.set(date, prev && prev !== name ? `${prev}、${name}` : name);
  };
  const lunar = lunarAnchors(year);
  add(`${year}-01-01`, '元旦');
  add(lunar.newYearsEve, '春节');
  for (let i = 0; i < 3; i++) add(addDays(lunar.newYear, i), '春节');
  add(qingmingDate(year), '清明节');
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  add(lunar.dragonBoat, '端午节');
  // 国庆 first so a shared day reads 国庆节、中秋节, as in the 2025 notice.
  for (const d of ['01', '02', '03']) add(`${year}-10-${d}`, '国庆节');
  add(lunar.midAutumn, '中秋节');
  const resolved: ResolvedYear = {
    year,
    origin: 'provisional',
    official: false,
    source: FALLBACK_SOURCE,
    holidays: new Map([...holidays].sort(([a], [b]) => a.localeCompare(b))),
    workdays: new Map(),
  };
  fallbackCache.set(year, resolved);
  return resolved;
}

// ---------- administrator overrides ----------

const LIST_LABEL = { holidays: '节假日', workdays: '调休上班日' } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkEntries(list: 'holidays' | 'workdays', raw: unknown, year: number): ScheduleEntry[] {
  const label = LIST_LABEL[list];
  if (!Array.isArray(raw)) {
    throw new CalendarError('SCHEDULE_MALFORMED', `${year}年节假日安排的“${label}”必须是列表。`, { field: list });
  }
  const seen = new Set<string>();
  return raw.map((item: unknown, i): ScheduleEntry => {
    const where = `${label}第${i + 1}项`;
    if (!isRecord(item) || typeof item.date !== 'string') {
      throw new CalendarError('SCHEDULE_ENTRY_MALFORMED', `${where}格式不正确，应包含日期和名称。`, { field: list, index: i });
    }
    const date = item.date.trim();
    if (!isValidDate(date)) {
      throw new CalendarError(
        'SCHEDULE_DATE_INVALID',
        `${where}的日期“${item.date}”不是有效日期，应为“YYYY-MM-DD”格式。`,
        { field: list, index: i, date: item.date },
      );
    }
    if (!date.startsWith(`${year}-`)) {
      throw new CalendarError('SCHEDULE_DATE_OUTSIDE_YEAR', `${where}的日期“${date}”不在${year}年内。`, {
        field: list,
        index: i,
        date,
      });
    }
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    if (!name) {
      throw new CalendarError('SCHEDULE_NAME_EMPTY', `${where}（${date}）缺少节日名称。`, { field: list, index: i, date });
    }
    if (seen.has(date)) {
      throw new CalendarError('SCHEDULE_DUPLICATE_DATE', `日期“${date}”在${label}中重复出现。`, { field: list, date });
    }
    seen.add(date);
    if (list === 'workdays') {
      const dow = dayOfWeek(date);
      // 调休 only ever turns a Saturday or Sunday into a working day; a weekday here is a typo.
      if (dow !== 0 && dow !== 6) {
        throw new CalendarError(
          'SCHEDULE_WORKDAY_NOT_WEEKEND',
          `调休上班日“${date}”是${WEEKDAY_NAMES[dow]}，调休上班日只能是星期六或星期日。`,
          { field: list, index: i, date },
        );
      }
    }
    return { date, name };
  });
}

/**
 * Checks an administrator's schedule (any shape, e.g. parsed JSON from the DB or the CLI) and
 * returns a clean copy sorted by date. Throws CalendarError with a Chinese message.
 */
export function validateYearSchedule(input: unknown): YearSchedule {
  if (!isRecord(input)) {
    throw new CalendarError('SCHEDULE_MALFORMED', '节假日安排格式不正确。');
  }
  const year = input.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < MIN_SUPPORTED_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new CalendarError(
      'SCHEDULE_YEAR_INVALID',
      `节假日安排的年份“${String(year)}”无效，应为${MIN_SUPPORTED_YEAR}至${MAX_SUPPORTED_YEAR}之间的整数。`,
      { year },
    );
  }
  const source = typeof input.source === 'string' ? input.source.trim() : '';
  if (!source) {
    throw new CalendarError('SCHEDULE_SOURCE_EMPTY', `请填写${year}年节假日安排的来源（如国务院办公厅通知文号）。`, { year });
  }
  const holidays = checkEntries('holidays', input.holidays, year);
  const workdays = checkEntries('workdays', input.workdays ?? [], year);
  if (holidays.length === 0) {
    throw new CalendarError('SCHEDULE_NO_HOLIDAYS', `${year}年节假日安排中没有任何节假日。`, { year });
  }
  const holidayDates = new Set(holidays.map((h) => h.date));
  const clash = workdays.find((w) => holidayDates.has(w.date));
  if (clash) {
    throw new CalendarError(
      'SCHEDULE_HOLIDAY_WORKDAY_CONFLICT',
      `日期“${clash.date}”不能同时是节假日和调休上班日。`,
      { year, date: clash.date },
    );
  }
  const byDate = (a: ScheduleEntry, b: ScheduleEntry) => a.date.localeCompare(b.date);
  return { year, holidays: [...holidays].sort(byDate), workdays: [...workdays].sort(byDate), source };
}

// ---------- the calendar ----------

/**
 * A holiday calendar: shipped data plus the administrator's overrides. Immutable once built
 * (resolved years are memoised), so build a new one whenever the stored overrides change.
 */
export class Calendar {
  readonly overrides: ReadonlyMap<number, YearSchedule>;
  private readonly resolved = new Map<number, ResolvedYear>();

  constructor(overrides: ReadonlyMap<number, YearSchedule>) {
    this.overrides = overrides;
  }

  year(year: number): ResolvedYear {
    assertSupportedYear(year);
    const hit = this.resolved.get(year);
    if (hit) return hit;
    const o = this.overrides.get(year);
    const r: ResolvedYear = o
      ? {
          year,
          origin: 'override',
          official: true,
          source: o.source,
          holidays: new Map(o.holidays.map((e) => [e.date, e.name])),
          workdays: new Map(o.workdays.map((e) => [e.date, e.name])),
        }
      : (shippedYear(year) ?? fallbackYear(year));
    this.resolved.set(year, r);
    return r;
  }
}

/** Builds a calendar; every override is validated, and at most one per year is allowed. */
export function buildCalendar(overrides: readonly YearSchedule[] = []): Calendar {
  const map = new Map<number, YearSchedule>();
  for (const raw of overrides) {
    // Re-validated even though typed: rows come from the DB or an import file.
    const s = validateYearSchedule(raw as unknown);
    if (map.has(s.year)) {
      throw new CalendarError('SCHEDULE_DUPLICATE_YEAR', `${s.year}年的节假日安排重复提供，每年只能有一份。`, {
        year: s.year,
      });
    }
    map.set(s.year, s);
  }
  return new Calendar(map);
}

export interface CalendarYearInfo {
  year: number;
  official: boolean;
  provisional: boolean;
  origin: YearOrigin;
  source: string;
  holidays: ScheduleEntry[];
  workdays: ScheduleEntry[];
}

/** Everything `calendar show YEAR` prints. */
export function calendarYearInfo(year: number, cal: Calendar): CalendarYearInfo {
  const r = cal.year(year);
  const list = (m: ReadonlyMap<DateString, string>) =>
    [...m].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
  return {
    year,
    official: r.official,
    provisional: !r.official,
    origin: r.origin,
    source: r.source,
    holidays: list(r.holidays),
    workdays: list(r.workdays),
  };
}
