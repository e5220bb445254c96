// Showing stored instants: China time whatever the process time zone (npm run test:tz runs this file
// under TZ=UTC and TZ=America/Los_Angeles). Used by lrw text output, --json and the case report.
import { describe, expect, it } from 'vitest';
import { formatChinaMoment, isInstantString, toChinaIso, withChinaOffsets } from '../../../main/core/domain/calendar';

describe('China time for people and programs', () => {
  it('toChinaIso keeps the instant and writes it at +08:00 (across a CST midnight)', () => {
    expect(toChinaIso('2026-12-01T07:56:11.856Z')).toBe('2026-12-01T15:56:11.856+08:00');
    expect(toChinaIso('2026-12-01T16:30:00Z')).toBe('2026-12-02T00:30:00+08:00');
    expect(toChinaIso(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02T00:30:00.000+08:00');
    for (const z of ['2026-12-01T07:56:11.856Z', '2026-03-08T10:00:00Z', '2026-11-01T09:00:00.001Z']) {
      expect(Date.parse(toChinaIso(z))).toBe(Date.parse(z));
    }
    expect(() => toChinaIso('not a time')).toThrow('时间值无效');
  });

  it('withChinaOffsets rewrites every instant at any depth and leaves plain dates and other text alone', () => {
    const v = {
      at: '2026-12-01T07:56:11.856Z',
      heldOn: '2026-11-30',
      note: '2026-12-01T07:56:11.856Z 之后补正',
      list: [{ decidedAt: '2026-12-01T16:00:00.000Z', n: 3, ok: true, none: null }],
      already: '2026-12-01T15:56:11+08:00',
    };
    expect(withChinaOffsets(v)).toEqual({
      at: '2026-12-01T15:56:11.856+08:00',
      heldOn: '2026-11-30',
      note: '2026-12-01T07:56:11.856Z 之后补正',
      list: [{ decidedAt: '2026-12-02T00:00:00.000+08:00', n: 3, ok: true, none: null }],
      already: '2026-12-01T15:56:11+08:00',
    });
    expect(v.at).toBe('2026-12-01T07:56:11.856Z');
  });

  it('formatChinaMoment: 年月日 for a date, 年月日 HH:mm (24-hour, China time) for an instant', () => {
    expect(formatChinaMoment('2026-12-01')).toBe('2026年12月1日');
    expect(formatChinaMoment('2026-12-01T07:56:11.856Z')).toBe('2026年12月1日 15:56');
    expect(formatChinaMoment('2026-12-01T07:56:11.856Z', { seconds: true })).toBe('2026年12月1日 15:56:11');
    expect(formatChinaMoment('2026-12-01T16:05:00Z')).toBe('2026年12月2日 00:05');
    expect(formatChinaMoment(null)).toBe('');
    expect(formatChinaMoment('明天')).toBe('明天');
    expect(isInstantString('2026-12-01')).toBe(false);
    expect(isInstantString('2026-13-01T00:00:00Z')).toBe(false);
  });
});
