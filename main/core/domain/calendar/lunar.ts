// Lunar dates and the 清明 solar term, for years that have no official holiday notice.
//
// chinese-days (pinned 1.5.7) carries the lunar table for 1900–2100. Its date helpers mix
// UTC parsing with local-time getters and shift dates by a day in zones west of UTC, so we
// only call getLunarDate, and only with the instant of CST noon: that function counts whole
// days since a fixed UTC instant (1900-01-31 00:00 CST) with getTime(), which no zone can disturb.
import chineseDays from 'chinese-days';
import { addDays, parseDate, type DateString } from './cst';

export interface LunarDate {
  lunarYear: number;
  month: number;
  day: number;
  leap: boolean;
}

export function lunarDateOf(date: DateString): LunarDate {
  const { year, month, day } = parseDate(date);
  // 04:00 UTC = 12:00 CST of the same date.
  const l = chineseDays.getLunarDate(new Date(Date.UTC(year, month - 1, day, 4)));
  return { lunarYear: l.lunarYear, month: l.lunarMon, day: l.lunarDay, leap: l.isLeap };
}

/**
 * 清明 (pure brightness) for 1901–2099, by the standard 寿星 formula
 * day = ⌊Y·0.2422 + C⌋ − ⌊Y/4⌋ with C = 5.59 (20th c.) / 4.81 (21st c.). chinese-days uses the
 * same formula and has no correction entry for 清明 in this range; we compute it here because its
 * getSolarTermDate formats the result in local time (off by one day west of UTC).
 */
export function qingmingDate(year: number): DateString {
  const y = year % 100;
  const c = year >= 2000 ? 4.81 : 5.59;
  const day = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return `${year}-04-${String(day).padStart(2, '0')}`;
}

export interface LunarAnchors {
  /** 正月初一 falling in this Gregorian year. */
  newYear: DateString;
  /** 除夕: the last day of the previous lunar year (腊月廿九 in years without 腊月三十). */
  newYearsEve: DateString;
  dragonBoat: DateString; // 五月初五
  midAutumn: DateString; // 八月十五
}

const anchorCache = new Map<number, LunarAnchors>();

/** Scans the Gregorian year once; each of these lunar days occurs exactly once in it. */
export function lunarAnchors(year: number): LunarAnchors {
  const hit = anchorCache.get(year);
  if (hit) return hit;
  let newYear: DateString | undefined;
  let dragonBoat: DateString | undefined;
  let midAutumn: DateString | undefined;
  for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
    const l = lunarDateOf(d);
    if (l.leap) continue; // a leap 5th or 8th month does not repeat the festival
    if (l.month === 1 && l.day === 1) newYear = d;
    else if (l.month === 5 && l.day === 5) dragonBoat = d;
    else if (l.month === 8 && l.day === 15) midAutumn = d;
  }
  if (!newYear || !dragonBoat || !midAutumn) {
    throw new Error(`lunar anchors not found for ${year}`); // table gap: a programming error, not user input
  }
  const anchors = { newYear, newYearsEve: addDays(newYear, -1), dragonBoat, midAutumn };
  anchorCache.set(year, anchors);
  return anchors;
}
