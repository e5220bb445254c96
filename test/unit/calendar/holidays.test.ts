import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import {
  buildCalendar,
  calendarYearInfo,
  CalendarError,
  dayInfo,
  dayOfWeek,
  lunarAnchors,
  qingmingDate,
  SHIPPED_FIRST_YEAR,
  SHIPPED_LAST_YEAR,
  validateYearSchedule,
  type CalendarErrorReason,
  type YearSchedule,
} from '../../../main/core/domain/calendar';

const cal = buildCalendar();

describe('shipped official schedules', () => {
  const raw = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };

  it('ships exactly 2004–2026, and the package really has nothing for 2027', async () => {
    expect(SHIPPED_FIRST_YEAR).toBe(2004);
    expect(SHIPPED_LAST_YEAR).toBe(2026);
    const years = new Set(Object.keys(raw.holidays).map((d) => Number(d.slice(0, 4))));
    expect(Math.min(...years)).toBe(SHIPPED_FIRST_YEAR);
    expect(Math.max(...years)).toBe(SHIPPED_LAST_YEAR);
    // Guard for the 2027 tests: if a package upgrade brings the 2027 notice, revisit SHIPPED_LAST_YEAR.
    expect(Object.keys({ ...raw.holidays, ...raw.workdays }).some((d) => d.startsWith('2027-'))).toBe(false);
  });

  it('every shipped year is official, with 元旦/春节/国庆节, and every 调休 day on a weekend', async () => {
    for (let y = SHIPPED_FIRST_YEAR; y <= SHIPPED_LAST_YEAR; y++) {
      const info = calendarYearInfo(y, cal);
      expect(info).toMatchObject({ official: true, provisional: false, origin: 'shipped' });
      const names = new Set(info.holidays.map((h) => h.name));
      for (const n of ['元旦', '春节', '国庆节']) expect(names.has(n), `${n} in ${y}`).toBe(true);
      expect(info.holidays.every((h) => h.date.startsWith(`${y}-`))).toBe(true);
      // Holds for every official notice; a one-day shift of the data would break it at once.
      for (const w of info.workdays) expect([0, 6], `${w.date}`).toContain(dayOfWeek(w.date));
    }
  });

  it('carries the real 2025 schedule (国办发明电〔2024〕12号)', async () => {
    const info = calendarYearInfo(2025, cal);
    expect(info.workdays.map((w) => w.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    const spring = info.holidays.filter((h) => h.name === '春节').map((h) => h.date);
    expect(spring).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04']);
    // 国庆节、中秋节 merged: 10-01…10-08, 中秋 itself on 10-06.
    const october = info.holidays.filter((h) => h.date.startsWith('2025-10'));
    expect(october.map((h) => h.date)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-10-${d}`));
    expect(october.find((h) => h.date === '2025-10-06')?.name).toBe('中秋节');
  });

  it('carries the real 2026 schedule (国办发明电〔2025〕7号)', async () => {
    const info = calendarYearInfo(2026, cal);
    expect(info.provisional).toBe(false);
    expect(info.holidays).toHaveLength(33);
    expect(info.holidays[0]).toEqual({ date: '2026-01-01', name: '元旦' });
    expect(info.workdays).toEqual([
      { date: '2026-01-04', name: '元旦' },
      { date: '2026-02-14', name: '春节' },
      { date: '2026-02-28', name: '春节' },
      { date: '2026-05-09', name: '劳动节' },
      { date: '2026-09-20', name: '国庆节' },
      { date: '2026-10-10', name: '国庆节' },
    ]);
    const names = new Set(info.holidays.map((h) => h.name));
    expect([...names].sort()).toEqual(['中秋节', '元旦', '劳动节', '国庆节', '春节', '清明节', '端午节'].sort());
    const national = info.holidays.filter((h) => h.name === '国庆节').map((h) => h.date);
    expect(national).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
  });
});

describe('provisional fallback for a year without a notice (2027)', () => {
  it('lists the 13 statutory days with lunar festivals computed, and no make-up days', async () => {
    const info = calendarYearInfo(2027, cal);
    expect(info.official).toBe(false);
    expect(info.provisional).toBe(true);
    expect(info.origin).toBe('provisional');
    expect(info.source).toContain('待官方安排确认');
    expect(info.workdays).toEqual([]);
    expect(info.holidays).toEqual([
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-02-05', name: '春节' }, // 除夕
      { date: '2027-02-06', name: '春节' }, // 正月初一
      { date: '2027-02-07', name: '春节' },
      { date: '2027-02-08', name: '春节' },
      { date: '2027-04-05', name: '清明节' },
      { date: '2027-05-01', name: '劳动节' },
      { date: '2027-05-02', name: '劳动节' },
      { date: '2027-06-09', name: '端午节' },
      { date: '2027-09-15', name: '中秋节' },
      { date: '2027-10-01', name: '国庆节' },
      { date: '2027-10-02', name: '国庆节' },
      { date: '2027-10-03', name: '国庆节' },
    ]);
  });

  it('merges the names when 中秋 meets 国庆 (2028-10-03)', async () => {
    const info = calendarYearInfo(2028, cal);
    expect(info.holidays.find((h) => h.date === '2028-10-03')).toEqual({ date: '2028-10-03', name: '国庆节、中秋节' });
    expect(info.holidays).toHaveLength(12);
  });

  it('uses 腊月廿九 as 除夕 when the lunar year has no 三十 (2026)', async () => {
    expect(lunarAnchors(2026)).toEqual({
      newYear: '2026-02-17',
      newYearsEve: '2026-02-16',
      dragonBoat: '2026-06-19',
      midAutumn: '2026-09-25',
    });
  });

  it('agrees with the official schedules where the same rules applied', async () => {
    // 2008–2026 (清明/端午/中秋 statutory since 2008): each computed festival day is a day off in the
    // official schedule. (Checked as non-working rather than listed: chinese-days omits 2012-06-23,
    // a Saturday inside the 2012 端午 holiday.)
    for (let y = 2008; y <= SHIPPED_LAST_YEAR; y++) {
      const a = lunarAnchors(y);
      for (const d of [`${y}-01-01`, a.newYear, qingmingDate(y), a.dragonBoat, a.midAutumn, `${y}-05-01`, `${y}-10-01`]) {
        expect(dayInfo(d, cal).working, `${d} is a day off in ${y}`).toBe(false);
      }
    }
    // Since the 2024 amendment (from 2025) 除夕 and 5-02 are statutory too: the full estimate is a subset.
    for (const y of [2025, 2026]) {
      const official = new Set(calendarYearInfo(y, cal).holidays.map((h) => h.date));
      const a = lunarAnchors(y);
      const statutory = [
        `${y}-01-01`, a.newYearsEve, a.newYear, `${y}-05-01`, `${y}-05-02`, qingmingDate(y),
        a.dragonBoat, a.midAutumn, `${y}-10-01`, `${y}-10-02`, `${y}-10-03`,
      ];
      for (const d of statutory) expect(official.has(d), `${d} in ${y}`).toBe(true);
    }
  });
});

describe('administrator overrides', () => {
  const override2026: YearSchedule = {
    year: 2026,
    source: '测试：管理员录入',
    holidays: [
      { date: '2026-10-03', name: '国庆节' },
      { date: '2026-10-01', name: '国庆节' },
      { date: '2026-10-02', name: '国庆节' },
    ],
    workdays: [{ date: '2026-10-11', name: '国庆节' }],
  };

  it('replaces the shipped year entirely', async () => {
    const c = buildCalendar([override2026]);
    const info = calendarYearInfo(2026, c);
    expect(info).toMatchObject({ year: 2026, official: true, provisional: false, origin: 'override', source: '测试：管理员录入' });
    expect(info.holidays.map((h) => h.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']); // sorted
    // Shipped 2026 entries are gone, not merged.
    expect(dayInfo('2026-10-05', c)).toMatchObject({ working: true, kind: 'workday', provisional: false });
    expect(dayInfo('2026-10-10', c)).toMatchObject({ working: false, kind: 'weekend' });
    expect(dayInfo('2026-02-16', c)).toMatchObject({ working: true, kind: 'workday' });
    expect(dayInfo('2026-10-11', c)).toMatchObject({ working: true, kind: 'makeup_workday', name: '国庆节' });
    // Other calendars and years are untouched.
    expect(dayInfo('2026-10-10', cal)).toMatchObject({ working: true, kind: 'makeup_workday' });
    expect(calendarYearInfo(2025, c).origin).toBe('shipped');
  });

  it('makes an unshipped year official', async () => {
    const c = buildCalendar([
      {
        year: 2027,
        source: '国办发明电（测试）',
        holidays: [{ date: '2027-10-01', name: '国庆节' }, { date: '2027-10-04', name: '国庆节' }],
        workdays: [{ date: '2027-09-26', name: '国庆节' }],
      },
    ]);
    expect(dayInfo('2027-10-04', c)).toEqual({ date: '2027-10-04', working: false, kind: 'holiday', name: '国庆节', provisional: false });
    expect(dayInfo('2027-09-26', c)).toMatchObject({ working: true, kind: 'makeup_workday', provisional: false });
    // The fallback's lunar days no longer apply once the year is official.
    expect(dayInfo('2027-02-08', c)).toMatchObject({ working: true, kind: 'workday', provisional: false });
    expect(dayInfo('2027-10-04', cal)).toMatchObject({ working: true, provisional: true });
  });

  it('normalises input (trims, sorts, defaults a missing workday list)', async () => {
    const s = validateYearSchedule({
      year: 2027,
      source: '  通知  ',
      holidays: [{ date: '2027-10-02 ', name: ' 国庆节 ' }, { date: '2027-10-01', name: '国庆节' }],
    });
    expect(s).toEqual({
      year: 2027,
      source: '通知',
      holidays: [{ date: '2027-10-01', name: '国庆节' }, { date: '2027-10-02', name: '国庆节' }],
      workdays: [],
    });
  });

  const base = { year: 2026, source: '通知', holidays: [{ date: '2026-10-01', name: '国庆节' }], workdays: [] };
  const refusals: [string, unknown, CalendarErrorReason, RegExp][] = [
    ['not an object', 'x', 'SCHEDULE_MALFORMED', /格式不正确/],
    ['fractional year', { ...base, year: 2026.5 }, 'SCHEDULE_YEAR_INVALID', /年份/],
    ['year out of range', { ...base, year: 2100 }, 'SCHEDULE_YEAR_INVALID', /年份/],
    ['no source', { ...base, source: '  ' }, 'SCHEDULE_SOURCE_EMPTY', /来源/],
    ['no holidays', { ...base, holidays: [] }, 'SCHEDULE_NO_HOLIDAYS', /没有任何节假日/],
    ['holidays not a list', { ...base, holidays: '2026-10-01' }, 'SCHEDULE_MALFORMED', /列表/],
    ['entry without date', { ...base, holidays: [{ name: '国庆节' }] }, 'SCHEDULE_ENTRY_MALFORMED', /节假日第1项格式不正确/],
    ['impossible date', { ...base, holidays: [{ date: '2026-02-30', name: '春节' }] }, 'SCHEDULE_DATE_INVALID', /“2026-02-30”不是有效日期/],
    ['wrong format', { ...base, holidays: [{ date: '2026/10/01', name: '国庆节' }] }, 'SCHEDULE_DATE_INVALID', /有效日期/],
    ['date in another year', { ...base, holidays: [{ date: '2027-01-01', name: '元旦' }] }, 'SCHEDULE_DATE_OUTSIDE_YEAR', /“2027-01-01”不在2026年内/],
    ['workday in another year', { ...base, workdays: [{ date: '2025-12-28', name: '元旦' }] }, 'SCHEDULE_DATE_OUTSIDE_YEAR', /调休上班日第1项/],
    ['empty name', { ...base, holidays: [{ date: '2026-10-01', name: ' ' }] }, 'SCHEDULE_NAME_EMPTY', /名称/],
    ['duplicate date', { ...base, holidays: [{ date: '2026-10-01', name: 'a' }, { date: '2026-10-01', name: 'b' }] }, 'SCHEDULE_DUPLICATE_DATE', /重复/],
    ['holiday and workday', { ...base, workdays: [{ date: '2026-10-03', name: '国庆节' }], holidays: [{ date: '2026-10-03', name: '国庆节' }] }, 'SCHEDULE_HOLIDAY_WORKDAY_CONFLICT', /不能同时是节假日和调休上班日/],
    ['workday on a Friday', { ...base, workdays: [{ date: '2026-10-09', name: '国庆节' }] }, 'SCHEDULE_WORKDAY_NOT_WEEKEND', /星期五/],
  ];
  for (const [what, input, reason, msg] of refusals) {
    it(`refuses: ${what}`, async () => {
      let err: unknown;
      try {
        buildCalendar([input as YearSchedule]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CalendarError);
      expect((err as CalendarError).reason).toBe(reason);
      expect((err as CalendarError).code).toBe('VALIDATION');
      expect((err as CalendarError).message).toMatch(msg);
    });
  }

  it('refuses two overrides for the same year', async () => {
    await expect((async () => buildCalendar([override2026, override2026]))()).rejects.toThrow(/2026年的节假日安排重复提供/);
  });
});
