import { describe, it, expect } from 'vitest';
import {
  addDays,
  CalendarError,
  cstDate,
  cstDateTime,
  cstInstant,
  dayOfWeek,
  diffDays,
  formatChineseDate,
  formatChineseDateTime,
  isValidDate,
  parseDate,
} from '../../../main/core/domain/calendar';
import { AppError } from '../../../main/core/domain/errors';

describe('CST date helpers (independent of process TZ)', () => {
  it('maps instants to the Beijing calendar date, switching at 16:00 UTC', async () => {
    expect(cstDate(new Date('2026-10-01T15:59:59.999Z'))).toBe('2026-10-01');
    expect(cstDate(new Date('2026-10-01T16:00:00.000Z'))).toBe('2026-10-02');
    // 23:30 on New Year's Eve in Los Angeles is already the afternoon of 1 Jan in Beijing.
    expect(cstDate(new Date('2026-12-31T23:30:00-08:00'))).toBe('2027-01-01');
  });

  it('formats date-times in CST', async () => {
    const t = new Date('2026-11-23T06:05:09Z');
    expect(cstDateTime(t)).toBe('2026-11-23 14:05');
    expect(cstDateTime(t, { seconds: true })).toBe('2026-11-23 14:05:09');
    expect(cstDateTime(new Date('2026-02-16T17:00:00Z'))).toBe('2026-02-17 01:00');
    expect(formatChineseDateTime(t)).toBe('2026年11月23日 14:05');
  });

  it('gives the instant a CST day starts', async () => {
    expect(cstInstant('2026-10-02').toISOString()).toBe('2026-10-01T16:00:00.000Z');
    expect(cstInstant('2026-10-02', '09:30').toISOString()).toBe('2026-10-02T01:30:00.000Z');
    expect(cstDate(cstInstant('2026-03-08'))).toBe('2026-03-08');
    await expect((async () => cstInstant('2026-10-02', '24:00'))()).rejects.toThrow(CalendarError);
  });

  it('computes day of week from the date alone', async () => {
    expect(dayOfWeek('2026-10-01')).toBe(4); // Thursday
    expect(dayOfWeek('2026-10-10')).toBe(6); // the make-up Saturday
    expect(dayOfWeek('2026-09-20')).toBe(0); // the make-up Sunday
    expect(dayOfWeek('2027-02-06')).toBe(6);
    // Days on which Los Angeles changes clocks must not slip.
    expect(dayOfWeek('2026-03-08')).toBe(0);
    expect(dayOfWeek('2026-11-01')).toBe(0);
  });

  it('adds days across month, year, leap day and DST dates', async () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-07', 2)).toBe('2026-03-09');
    expect(addDays('2026-11-02', -2)).toBe('2026-10-31');
    expect(diffDays('2026-02-11', '2026-02-25')).toBe(14);
    expect(diffDays('2026-10-13', '2026-10-12')).toBe(-1);
    await expect((async () => addDays('2026-01-01', 0.5))()).rejects.toThrow(CalendarError);
  });

  it('formats dates the Chinese official way', async () => {
    expect(formatChineseDate('2026-11-23')).toBe('2026年11月23日');
    expect(formatChineseDate('2026-01-05')).toBe('2026年1月5日');
  });

  it('parses strictly and refuses bad dates with a Chinese message', async () => {
    expect(parseDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-5', '2026/10/01', '20261001', '', '2026-10-01T00:00']) {
      expect(isValidDate(bad)).toBe(false);
      let err: unknown;
      try {
        parseDate(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CalendarError);
      expect(err).toBeInstanceOf(AppError);
      expect((err as CalendarError).code).toBe('VALIDATION');
      expect((err as CalendarError).reason).toBe('INVALID_DATE');
      expect((err as CalendarError).message).toContain('日期');
    }
    await expect((async () => cstDate(new Date('nonsense')))()).rejects.toThrow(/时间值无效/);
  });
});
