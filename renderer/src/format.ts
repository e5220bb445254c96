// Dates and times are stored as ISO instants (UTC) and plain YYYY-MM-DD dates; users read China time.
const TZ = 'Asia/Shanghai';

const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
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

/** 2026年11月23日 17:05 (China time). */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = parts(dateTimeFmt, d);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
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
  return `${p.year}-${p.month}-${p.day}T${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** Milliseconds -> 01:02:03. */
export function fmtElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}
