// Date and time entry (renderer/src/format.ts, used by components/DateInput.tsx): the Chinese forms an
// officer types, each refusal in Chinese, and the same idea of a real date as the core's (cst.ts), which
// still validates every date it receives.
import { describe, expect, it } from 'vitest';
import { formatChinaMoment, isValidDate } from '../../main/core/domain/calendar';
import { fmtDate, fmtDateTime, parseDateText, parseTimeText } from '../../renderer/src/format';

describe('typed dates', () => {
  it.each([
    ['2026年12月1日', '2026-12-01'],
    ['2026年12月01日', '2026-12-01'],
    [' 2026 年 2 月 28 日 ', '2026-02-28'],
    ['2026年12月1', '2026-12-01'],
    ['2026-12-01', '2026-12-01'],
    ['2026-12-1', '2026-12-01'],
    ['2026.12.1', '2026-12-01'],
    ['2026/12/1', '2026-12-01'],
    ['20261201', '2026-12-01'],
    ['2028年2月29日', '2028-02-29'],
    ['', ''],
  ])('%s → %s', (text, ymd) => {
    expect(parseDateText(text)).toEqual({ ok: true, value: ymd });
  });

  it.each([
    ['2026年2月30日', '日期“2026年2月30日”无效：2026年2月只有28天。'],
    ['2027年2月29日', '日期“2027年2月29日”无效：2027年2月只有28天。'],
    ['2026年13月1日', '日期“2026年13月1日”无效：月份应在1至12之间。'],
    ['2026年4月31日', '日期“2026年4月31日”无效：2026年4月只有30天。'],
    ['12/01/2026', '无法识别日期“12/01/2026”：请按“2026年12月1日”的格式填写（也可写作 2026-12-01 或 2026.12.1）。'],
    ['明天', '无法识别日期“明天”：请按“2026年12月1日”的格式填写（也可写作 2026-12-01 或 2026.12.1）。'],
    ['0026年1月1日', '日期“0026年1月1日”的年份26不在1900年至2199年之间。'],
  ])('refuses %s in Chinese', (text, message) => {
    expect(parseDateText(text)).toEqual({ ok: false, message });
  });

  it('agrees with the core on which days exist (every day of 2024–2028, and the days after each month end)', () => {
    let checked = 0;
    for (let y = 2024; y <= 2028; y++) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const r = parseDateText(`${y}年${m}月${d}日`);
          expect(r.ok, iso).toBe(isValidDate(iso));
          if (r.ok) expect(r.value).toBe(iso);
          checked++;
        }
      }
    }
    expect(checked).toBe(5 * 12 * 31);
  });
});

describe('typed times (24-hour)', () => {
  it.each([
    ['9:30', '09:30'],
    ['09:30', '09:30'],
    ['14：05', '14:05'],
    ['14时05分', '14:05'],
    ['8点', '08:00'],
    ['8点30', '08:30'],
    ['0930', '09:30'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    ['', ''],
  ])('%s → %s', (text, hm) => {
    expect(parseTimeText(text)).toEqual({ ok: true, value: hm });
  });

  it.each([
    ['02:30 PM', '时间“02:30 PM”请用24小时制填写，例如下午两点半写作 14:30。'],
    ['下午2:30', '时间“下午2:30”请用24小时制填写，例如下午两点半写作 14:30。'],
    ['24:00', '时间“24:00”无效：小时应在0至23之间。'],
    ['9:75', '时间“9:75”无效：分钟应在0至59之间。'],
    ['半夜', '无法识别时间“半夜”：请按24小时制“14:30”的格式填写。'],
  ])('refuses %s in Chinese', (text, message) => {
    expect(parseTimeText(text)).toEqual({ ok: false, message });
  });
});

describe('shown times: the app writes what lrw, documents and exports write', () => {
  it.each(['2026-12-01T07:56:11.856Z', '2026-12-01T16:00:00Z', '2026-01-09T23:05:00Z', '2027-02-28T15:59:59Z'])('%s', (iso) => {
    expect(fmtDateTime(iso)).toBe(formatChinaMoment(iso));
    expect(fmtDateTime(iso, { seconds: true })).toBe(formatChinaMoment(iso, { seconds: true }));
  });
  it('plain dates', () => {
    for (const d of ['2026-12-01', '2027-01-09', '2026-10-10']) expect(fmtDate(d)).toBe(formatChinaMoment(d));
    expect(fmtDateTime('2026-12-01T16:05:00Z')).toBe('2026年12月2日 00:05');
  });
});
