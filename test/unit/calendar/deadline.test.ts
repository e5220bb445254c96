import { describe, it, expect } from 'vitest';
import {
  addHours,
  addPeriod,
  buildCalendar,
  CalendarError,
  clockState,
  dayInfo,
  hourClockState,
  hoursRemaining,
  isProvisionalRange,
  nextWorkingDay,
  workingDaysRemaining,
} from '../../../main/core/domain/calendar';

const cal = buildCalendar();

describe('dayInfo', () => {
  it('classifies 2026 days from the official schedule', async () => {
    expect(dayInfo('2026-10-01', cal)).toEqual({ date: '2026-10-01', working: false, kind: 'holiday', name: '国庆节', provisional: false });
    expect(dayInfo('2026-10-05', cal)).toMatchObject({ working: false, kind: 'holiday' }); // a Monday
    expect(dayInfo('2026-10-03', cal)).toMatchObject({ working: false, kind: 'holiday' }); // a Saturday inside the holiday
    expect(dayInfo('2026-10-10', cal)).toEqual({ date: '2026-10-10', working: true, kind: 'makeup_workday', name: '国庆节', provisional: false });
    expect(dayInfo('2026-09-20', cal)).toMatchObject({ working: true, kind: 'makeup_workday' }); // a Sunday
    expect(dayInfo('2026-10-11', cal)).toEqual({ date: '2026-10-11', working: false, kind: 'weekend', provisional: false });
    expect(dayInfo('2026-10-09', cal)).toEqual({ date: '2026-10-09', working: true, kind: 'workday', provisional: false });
  });

  it('2027 (no notice): statutory days are non-working and everything is provisional', async () => {
    expect(dayInfo('2027-10-01', cal)).toEqual({ date: '2027-10-01', working: false, kind: 'holiday', name: '国庆节', provisional: true });
    // Spring Festival 2027 from the lunar calendar: 除夕 2-05 (Fri) … 初三 2-08 (Mon).
    expect(dayInfo('2027-02-05', cal)).toMatchObject({ working: false, kind: 'holiday', name: '春节', provisional: true });
    expect(dayInfo('2027-02-08', cal)).toMatchObject({ working: false, kind: 'holiday', name: '春节', provisional: true });
    expect(dayInfo('2027-02-04', cal)).toMatchObject({ working: true, kind: 'workday', provisional: true });
    expect(dayInfo('2027-02-09', cal)).toMatchObject({ working: true, kind: 'workday', provisional: true });
    expect(dayInfo('2027-04-05', cal)).toMatchObject({ working: false, name: '清明节' });
    expect(dayInfo('2027-06-09', cal)).toMatchObject({ working: false, name: '端午节' });
    expect(dayInfo('2027-09-15', cal)).toMatchObject({ working: false, name: '中秋节' });
    // Weekends stay weekends; no bridge days are invented.
    expect(dayInfo('2027-10-09', cal)).toMatchObject({ working: false, kind: 'weekend', provisional: true });
    expect(dayInfo('2027-10-04', cal)).toMatchObject({ working: true, kind: 'workday', provisional: true });
  });

  it('refuses unsupported years and bad dates', async () => {
    await expect((async () => dayInfo('2100-01-04', cal))()).rejects.toThrow(CalendarError);
    await expect((async () => dayInfo('2026-13-01', cal))()).rejects.toThrow(/日期/);
  });
});

describe('addPeriod — working days', () => {
  it('5 working days across the 2026 National Day holiday, counting the make-up Saturday 10-10', async () => {
    const r = addPeriod('2026-09-29', 5, 'working', cal);
    expect(r).toEqual({
      due: '2026-10-12',
      counted: ['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12'],
      provisional: false,
    });
  });

  it('counts the make-up Sunday 09-20 and skips 中秋 09-25', async () => {
    expect(addPeriod('2026-09-18', 5, 'working', cal).counted).toEqual([
      '2026-09-20', '2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24',
    ]);
    expect(addPeriod('2026-09-22', 5, 'working', cal).due).toBe('2026-09-30'); // 23, 24, 28, 29, 30
  });

  it('5 working days across the 2026 Spring Festival (02-15…02-23, make-up 02-14)', async () => {
    const r = addPeriod('2026-02-11', 5, 'working', cal);
    expect(r.counted).toEqual(['2026-02-12', '2026-02-13', '2026-02-14', '2026-02-24', '2026-02-25']);
    expect(r.due).toBe('2026-02-25');
    expect(r.provisional).toBe(false);
  });

  it('receipt on a holiday: the period starts with the first working day after it', async () => {
    expect(addPeriod('2026-02-16', 5, 'working', cal).counted).toEqual([
      '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28',
    ]);
  });

  it('extension by 3 working days from the due date', async () => {
    expect(addPeriod('2026-10-12', 3, 'working', cal).due).toBe('2026-10-15');
    // Lands on the Spring Festival make-up Saturday 02-28.
    expect(addPeriod('2026-02-25', 3, 'working', cal)).toEqual({
      due: '2026-02-28',
      counted: ['2026-02-26', '2026-02-27', '2026-02-28'],
      provisional: false,
    });
  });

  it('2027: provisional, and Spring Festival days are skipped', async () => {
    const r = addPeriod('2027-02-03', 5, 'working', cal);
    expect(r.counted).toEqual(['2027-02-04', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12']);
    expect(r.provisional).toBe(true);
    // 2027 National Day estimate: only 10-01…10-03 (Fri–Sun) are off.
    expect(addPeriod('2027-09-28', 5, 'working', cal)).toEqual({
      due: '2027-10-06',
      counted: ['2027-09-29', '2027-09-30', '2027-10-04', '2027-10-05', '2027-10-06'],
      provisional: true,
    });
  });

  it('provisional only when the period reaches into an unofficial year', async () => {
    expect(addPeriod('2026-12-21', 3, 'working', cal).provisional).toBe(false);
    const r = addPeriod('2026-12-29', 5, 'working', cal);
    expect(r.counted).toEqual(['2026-12-30', '2026-12-31', '2027-01-04', '2027-01-05', '2027-01-06']);
    expect(r.provisional).toBe(true);
    expect(isProvisionalRange('2026-12-01', '2026-12-31', cal)).toBe(false);
    expect(isProvisionalRange('2027-01-06', '2026-12-01', cal)).toBe(true);
  });

  it('refuses a bad number of days', async () => {
    for (const bad of [0, -3, 2.5, Number.NaN]) {
      await expect((async () => addPeriod('2026-10-12', bad, 'working', cal))()).rejects.toThrow(CalendarError);
    }
    await expect((async () => addPeriod('2026-10-32', 5, 'working', cal))()).rejects.toThrow(/日期/);
  });
});

describe('addPeriod — natural days', () => {
  it('counts calendar days straight through holidays', async () => {
    const r = addPeriod('2026-11-02', 30, 'natural', cal);
    expect(r.due).toBe('2026-12-02');
    expect(r.counted).toHaveLength(30);
    expect(r.counted[0]).toBe('2026-11-03');
    expect(r.postponedFrom).toBeUndefined();

  });

  it('moves a last day on a holiday to the next working day', async () => {
    expect(addPeriod('2026-09-24', 7, 'natural', cal)).toMatchObject({ due: '2026-10-08', postponedFrom: '2026-10-01' });
    const r = addPeriod('2026-09-28', 5, 'natural', cal);
    expect(r.counted).toEqual(['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03']);
    expect(r.postponedFrom).toBe('2026-10-03');
    expect(r.due).toBe('2026-10-08');
    expect(r.provisional).toBe(false);
  });

  it('moves a last day on a weekend, but not off a make-up Saturday', async () => {
    expect(addPeriod('2026-11-02', 5, 'natural', cal)).toMatchObject({ due: '2026-11-09', postponedFrom: '2026-11-07' });
    const r = addPeriod('2026-10-05', 5, 'natural', cal);
    expect(r.due).toBe('2026-10-10');
    expect(r.postponedFrom).toBeUndefined();
  });

  it('is provisional when the end falls in 2027', async () => {
    const r = addPeriod('2026-12-20', 12, 'natural', cal); // 2027-01-01 → Monday 01-04
    expect(r).toMatchObject({ due: '2027-01-04', postponedFrom: '2027-01-01', provisional: true });
    expect(addPeriod('2026-11-20', 12, 'natural', cal).provisional).toBe(false);
  });
});

describe('remaining days and clock state', () => {
  it('counts working days left, 0 on the due day, negative when overdue', async () => {
    const due = '2026-10-12';
    expect(workingDaysRemaining('2026-09-29', due, 'working', cal)).toBe(5);
    expect(workingDaysRemaining('2026-10-09', due, 'working', cal)).toBe(2); // 10-10 and 10-12
    expect(workingDaysRemaining('2026-10-10', due, 'working', cal)).toBe(1);
    expect(workingDaysRemaining('2026-10-12', due, 'working', cal)).toBe(0);
    expect(workingDaysRemaining('2026-10-13', due, 'working', cal)).toBe(-1);
    expect(workingDaysRemaining('2026-10-16', due, 'working', cal)).toBe(-4);
    expect(workingDaysRemaining('2026-10-19', due, 'working', cal)).toBe(-5); // weekend not counted
    // The Saturday after a Friday due date is overdue, never "0 left".
    expect(workingDaysRemaining('2026-10-17', '2026-10-16', 'working', cal)).toBe(-1);
  });

  it('counts calendar days in natural mode', async () => {
    expect(workingDaysRemaining('2026-10-02', '2026-10-12', 'natural', cal)).toBe(10);
    expect(workingDaysRemaining('2026-10-14', '2026-10-12', 'natural', cal)).toBe(-2);
  });

  it('is due_soon with one working day or less left, even across a holiday week', async () => {
    expect(clockState('2026-09-29', '2026-10-12', 'working', cal)).toBe('ok');
    expect(clockState('2026-10-09', '2026-10-12', 'working', cal)).toBe('ok');
    expect(clockState('2026-10-10', '2026-10-12', 'working', cal)).toBe('due_soon');
    expect(clockState('2026-10-12', '2026-10-12', 'working', cal)).toBe('due_soon');
    expect(clockState('2026-10-13', '2026-10-12', 'working', cal)).toBe('overdue');
    // Eight calendar days before the due date, but only one working day is left.
    expect(clockState('2026-09-30', '2026-10-08', 'working', cal)).toBe('due_soon');
    expect(clockState('2026-09-30', '2026-10-08', 'natural', cal)).toBe('ok');
    expect(clockState('2026-10-17', '2026-10-16', 'working', cal)).toBe('overdue');
  });

  it('finds the next working day', async () => {
    expect(nextWorkingDay('2026-09-30', cal)).toBe('2026-10-08');
    expect(nextWorkingDay('2026-10-09', cal)).toBe('2026-10-10');
    expect(nextWorkingDay('2027-02-04', cal)).toBe('2027-02-09');
  });
});

describe('hour clocks', () => {
  const start = new Date('2026-10-01T02:00:00Z');
  const due = addHours(start, 24);

  it('adds elapsed hours regardless of holidays', async () => {
    expect(due.toISOString()).toBe('2026-10-02T02:00:00.000Z');
    expect(addHours(start, 0.5).toISOString()).toBe('2026-10-01T02:30:00.000Z');
    await expect((async () => addHours(start, Number.POSITIVE_INFINITY))()).rejects.toThrow(CalendarError);
  });

  it('reports ok / due_soon / overdue', async () => {
    expect(hoursRemaining(start, due)).toBe(24);
    expect(hourClockState(addHours(due, -5), due)).toBe('ok');
    expect(hourClockState(addHours(due, -4), due)).toBe('due_soon');
    expect(hourClockState(due, due)).toBe('due_soon');
    expect(hourClockState(new Date(due.getTime() + 1), due)).toBe('overdue');
    expect(hourClockState(addHours(due, -5), due, 6)).toBe('due_soon');
  });
});
