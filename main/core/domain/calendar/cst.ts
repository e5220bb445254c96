// Dates in China Standard Time (UTC+8, no DST), independent of the process time zone.
// A calendar date is always a 'YYYY-MM-DD' string; arithmetic on it is done on UTC midnights, where
// every day is exactly 86 400 000 ms, so neither the machine's zone nor its DST rules can shift a day.
import { CalendarError } from './errors';

export type DateString = string;

export interface DateParts {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const WEEKDAY_NAMES = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

function tryParse(s: unknown): DateParts | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC silently rolls 02-30 into March; a round trip catches it.
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** True for a real calendar date written exactly as 'YYYY-MM-DD'. */
export function isValidDate(s: unknown): s is DateString {
  return tryParse(s) !== null;
}

/** Parses 'YYYY-MM-DD' strictly (zero-padded, real date); throws CalendarError otherwise. */
export function parseDate(s: string): DateParts {
  const parts = tryParse(s);
  if (!parts) {
    throw new CalendarError('INVALID_DATE', `日期“${String(s)}”无效，应为“YYYY-MM-DD”格式的真实日期。`, { value: s });
  }
  return parts;
}

const toUtcMs = (date: DateString): number => {
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day);
};

const fromUtcMs = (ms: number): DateString => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
};

export function yearOf(date: DateString): number {
  return parseDate(date).year;
}

export function addDays(date: DateString, days: number): DateString {
  if (!Number.isInteger(days)) {
    throw new CalendarError('INVALID_PERIOD', `天数“${days}”必须是整数。`, { value: days });
  }
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/**
 * The same day `months` months later; a month without that day ends the period on its last day
 * (民法典 第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日).
 */
export function addMonths(date: DateString, months: number): DateString {
  const { year, month, day } = parseDate(date);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function diffDays(from: DateString, to: DateString): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay, but for the date itself rather than a local instant. */
export function dayOfWeek(date: DateString): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function isWeekend(date: DateString): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

function checkInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(t)) throw new CalendarError('INVALID_INSTANT', '时间值无效。');
  return t;
}

/** The CST calendar date of an instant: what a clock in Beijing shows. */
export function cstDate(instant: Date): DateString {
  return fromUtcMs(checkInstant(instant) + CST_OFFSET_MS);
}

/** 'YYYY-MM-DD HH:mm' (or with ':ss') in CST. */
export function cstDateTime(instant: Date, opts: { seconds?: boolean } = {}): string {
  const d = new Date(checkInstant(instant) + CST_OFFSET_MS);
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const base = `${fromUtcMs(d.getTime())} ${hm}`;
  return opts.seconds ? `${base}:${pad2(d.getUTCSeconds())}` : base;
}

/** The instant at which `date` (at `time`, 'HH:mm', default 00:00) begins in CST. */
export function cstInstant(date: DateString, time = '00:00'): Date {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (!(h >= 0 && h <= 23 && min >= 0 && min <= 59)) {
    throw new CalendarError('INVALID_TIME', `时间“${time}”无效，应为“HH:mm”格式。`, { value: time });
  }
  return new Date(toUtcMs(date) - CST_OFFSET_MS + (h * 60 + min) * 60_000);
}

/** '2026-11-23' → '2026年11月23日' (GB/T 9704 style, no zero padding). */
export function formatChineseDate(date: DateString): string {
  const { year, month, day } = parseDate(date);
  return `${year}年${month}月${day}日`;
}

/** '2026年11月23日 14:05' in CST. */
export function formatChineseDateTime(instant: Date): string {
  const [date, hm] = cstDateTime(instant).split(' ');
  return `${formatChineseDate(date)} ${hm}`;
}

// ---- showing stored instants to people and to programs ----
// Instants are stored as UTC ISO strings ('2026-12-01T07:56:11.856Z'); nobody should have to read them
// that way. People get China time in Chinese; programs (lrw --json) get the same instant with +08:00.

const INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for an ISO 8601 instant with a zone ('…Z' or '…+08:00'); a plain date is not an instant. */
export function isInstantString(s: unknown): s is string {
  return typeof s === 'string' && INSTANT_RE.test(s) && !Number.isNaN(Date.parse(s));
}

/** An instant as ISO 8601 in China time: '2026-12-01T15:56:11.856+08:00' (milliseconds kept when present). */
export function toChinaIso(instant: Date | string): string {
  const ms = checkInstant(typeof instant === 'string' ? new Date(instant) : instant);
  const d = new Date(ms + CST_OFFSET_MS);
  const frac = typeof instant === 'string' && !/\.\d/.test(instant) ? '' : `.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  return `${fromUtcMs(d.getTime())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}${frac}+08:00`;
}

/**
 * A copy of `value` in which every ISO instant string (at any depth) is rewritten with the +08:00
 * offset: the same instant, read in China time. Plain dates ('2026-12-01') and other strings stay.
 */
export function withChinaOffsets<T>(value: T): T {
  if (typeof value === 'string') return (isInstantString(value) ? toChinaIso(value) : value) as T;
  if (Array.isArray(value)) return value.map((v) => withChinaOffsets(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withChinaOffsets(v);
    return out as T;
  }
  return value;
}

/**
 * What a person reads for a stored date or instant: '2026-12-01' → '2026年12月1日',
 * an instant → '2026年12月1日 15:56' (China time, 24-hour). Empty for null; anything else as it is.
 */
export function formatChinaMoment(v: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (v === null || v === undefined || v === '') return '';
  if (isValidDate(v)) return formatChineseDate(v);
  if (isInstantString(v)) {
    const [date, time] = cstDateTime(new Date(v), opts).split(' ');
    return `${formatChineseDate(date)} ${time}`;
  }
  return v;
}
