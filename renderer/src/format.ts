// Dates and times are stored as ISO instants (UTC) and plain YYYY-MM-DD dates; users read China time.
const TZ = 'Asia/Shanghai';

// Numbers only (no locale words): the parts are assembled below, so the machine's locale never shows.
const dateTimeFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const pad2 = (s: string) => s.padStart(2, '0');
const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const isoDayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

function parts(fmt: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/**
 * 2026年12月1日 15:56 (China time, 24-hour; with seconds: 15:56:11). The same text the core writes
 * (domain/calendar/cst.ts formatChinaMoment) in lrw output, documents and exported files.
 */
export function fmtDateTime(iso: string | null | undefined, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = parts(dateTimeFmt, d);
  const hm = `${pad2(p.hour === '24' ? '00' : p.hour)}:${pad2(p.minute)}${opts.seconds ? `:${pad2(p.second)}` : ''}`;
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${hm}`;
}

/** 17:05:09 (China time), for "已自动保存" indicators. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return timeFmt.format(d);
}

/** A plain calendar date 2026-11-23 -> 2026年11月23日. */
export function fmtDate(ymd: string | null | undefined): string {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : ymd;
}

/** Today's date in China as YYYY-MM-DD. */
export function todayCst(): string {
  return isoDayFmt.format(new Date());
}

/** 80000 fen -> 800.00 元 style: 1,234.5 → "1,234.50元". */
export function fmtYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  const grouped = yuan.toLocaleString('zh-CN');
  return rest === 0 ? `${grouped}元` : `${grouped}.${String(rest).padStart(2, '0')}元`;
}

export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  return rest === 0 ? String(yuan) : `${yuan}.${String(rest).padStart(2, '0')}`;
}

export function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---- plain calendar dates (YYYY-MM-DD, no time zone involved) ----

function ymdParts(ymd: string): [number, number, number] {
  const [y, m, d] = ymd.split('-').map(Number);
  return [y, m, d];
}

/** Day of the week of a plain date: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(ymd: string): number {
  const [y, m, d] = ymdParts(ymd);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function ymd(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** 2026年10月10日（星期六）. */
export function fmtDateWeekday(ymdStr: string): string {
  return `${fmtDate(ymdStr)}（星期${['日', '一', '二', '三', '四', '五', '六'][weekdayOf(ymdStr)]}）`;
}

/** A clock's start: plain dates for day clocks, instants for hour clocks. */
export function fmtDateOrInstant(v: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? fmtDate(v) : fmtDateTime(v);
}

// ---- China-time <input type="datetime-local"> values ----

/** "2026-11-25T09:00" typed in China time -> "2026-11-25T09:00:00+08:00". Empty stays empty. */
export function chinaLocalToIso(local: string): string {
  if (!local) return '';
  const withSeconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local;
  return `${withSeconds}+08:00`;
}

/** An instant -> "2026-11-25T09:00" in China time, for a datetime-local input. */
export function isoToChinaLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(dateTimeFmt, d);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour === '24' ? '00' : p.hour)}:${pad2(p.minute)}`;
}

/** Milliseconds -> 01:02:03. */
export function fmtElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

// ---- typed dates and times (the app's own Chinese format, never the machine's locale) ----
// Accepted: 2026年12月1日, 2026-12-01, 2026-12-1, 2026.12.1, 2026/12/1 (spaces ignored); times 24-hour:
// 9:30, 09:30, 9：30, 9时30分, 9点30. Each parse says in Chinese what is wrong. The core still validates
// every date it receives (domain/calendar/cst.ts); test/unit/date-entry.test.ts keeps the two in step.

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const DATE_EXAMPLE = '2026年12月1日';
const DATE_FORMS = '请按“2026年12月1日”的格式填写（也可写作 2026-12-01 或 2026.12.1）';

/** A typed date -> 'YYYY-MM-DD', or a Chinese message. Empty text is { ok: true, value: '' }. */
export function parseDateText(text: string): Parsed<string> {
  const t = text.replace(/\s+/g, '');
  if (!t) return { ok: true, value: '' };
  const m = /^(\d{4})(?:年(\d{1,2})月(\d{1,2})日?|[-./](\d{1,2})[-./](\d{1,2}))$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return { ok: false, message: `无法识别日期“${text.trim()}”：${DATE_FORMS}。` };
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  if (y < 1900 || y > 2199) return { ok: false, message: `日期“${text.trim()}”的年份${y}不在1900年至2199年之间。` };
  if (mo < 1 || mo > 12) return { ok: false, message: `日期“${text.trim()}”无效：月份应在1至12之间。` };
  const last = daysInMonth(y, mo);
  if (d < 1 || d > last) return { ok: false, message: `日期“${text.trim()}”无效：${y}年${mo}月只有${last}天。` };
  return { ok: true, value: ymd(y, mo, d) };
}

/** A typed 24-hour time -> 'HH:mm', or a Chinese message. Empty text is { ok: true, value: '' }. */
export function parseTimeText(text: string): Parsed<string> {
  const t = text.replace(/\s+/g, '');
  if (!t) return { ok: true, value: '' };
  if (/上午|下午|晚上|中午|AM|PM/i.test(t)) return { ok: false, message: `时间“${text.trim()}”请用24小时制填写，例如下午两点半写作 14:30。` };
  const m = /^(\d{1,2})(?:[:：](\d{2})|[时点](?:(\d{1,2})分?)?|(\d{2}))$/.exec(t);
  if (!m) return { ok: false, message: `无法识别时间“${text.trim()}”：请按24小时制“14:30”的格式填写。` };
  const h = Number(m[1]);
  const min = Number(m[2] ?? m[3] ?? m[4] ?? 0);
  if (h > 23) return { ok: false, message: `时间“${text.trim()}”无效：小时应在0至23之间。` };
  if (min > 59) return { ok: false, message: `时间“${text.trim()}”无效：分钟应在0至59之间。` };
  return { ok: true, value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` };
}
