// The review clock on real cases: start at receipt, return stops it, resubmission restarts it,
// one extension by the legal office head, provisional years, settings, and the other clocks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { refusalCode } from '../helpers/refuse';
import { caseDetail, closeCase, queue, resubmitCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import {
  calendarShow,
  completeCaseClock,
  extendReview,
  importCalendarYear,
  lastDayReviews,
  overdueReviews,
  startHourClock,
  updateDeadlineSettings,
} from '../../main/core/services/deadlines';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

/** 10:00 China time on a date. */
const at = (date: string, time = '10:00') => new Date(`${date}T${time}:00+08:00`);
const reviewClock = async (id: number) => (await caseDetail(f.core, f.reviewer, id)).clocks.find((c) => c.kind === 'review' && c.state !== 'done');

describe('review period', () => {
  it('spans the 2026 National Day holiday and counts the make-up Saturday 10 October', async () => {
    f.clock.now = at('2026-09-28');
    const c = await submitCase(f.core, f.handler, caseInput(f, { procedure: [{ step: '立案', date: '2026-09-01' }] }));
    // 29, 30 Sept; 1–7 Oct holiday; 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, 调休上班)
    expect(c.clocks[0]).toMatchObject({ kind: 'review', start: '2026-09-28', due: '2026-10-10', provisional: false, state: 'ok', remaining: 5 });
    f.clock.now = at('2026-10-08');
    expect(await reviewClock(c.id)).toMatchObject({ remaining: 2, state: 'ok' });
    f.clock.now = at('2026-10-09');
    expect(await reviewClock(c.id)).toMatchObject({ remaining: 1, state: 'due_soon' });
    f.clock.now = at('2026-10-10');
    expect(await reviewClock(c.id)).toMatchObject({ remaining: 0, state: 'due_soon', remainingLabel: '今日到期' });
    f.clock.now = at('2026-10-12');
    expect(await reviewClock(c.id)).toMatchObject({ state: 'overdue', remaining: -1, remainingLabel: '已逾期1个工作日' });
    expect((await queue(f.core, f.reviewer)).items[0].reviewClock?.state).toBe('overdue');
  });

  it('spans the 2026 Spring Festival', async () => {
    f.clock.now = at('2026-02-12');
    const c = await submitCase(f.core, f.handler, caseInput(f, { procedure: [{ step: '立案', date: '2026-01-05' }] }));
    // 13 Feb (Fri), 14 Feb (Sat, 调休上班), 15–23 Feb holiday, 24, 25, 26 Feb
    expect(c.clocks[0].due).toBe('2026-02-26');
  });

  it('is extended once by the legal office head by 3 working days; a second extension is refused', async () => {
    f.clock.now = at('2026-11-23');
    const c = await submitCase(f.core, f.handler, caseInput(f));
    expect(c.clocks[0].due).toBe('2026-11-30');
    expect(await refusalCode(() => extendReview(f.core, f.reviewer, { caseId: c.id, reason: '案情复杂' }))).toBe('FORBIDDEN');
    expect(await refusalCode(() => extendReview(f.core, f.legalHead, { caseId: c.id, reason: ' ' }))).toBe('VALIDATION');
    const clocks = await extendReview(f.core, f.legalHead, { caseId: c.id, reason: '涉及多个法律关系，案情复杂' });
    expect(clocks[0]).toMatchObject({ due: '2026-12-03', extension: { days: 3, by: '周法制', originalDue: '2026-11-30', reason: '涉及多个法律关系，案情复杂' } });
    expect(await refusalCode(() => extendReview(f.core, f.legalHead, { caseId: c.id, reason: '再延' }))).toBe('CONFLICT');
    expect((await caseDetail(f.core, f.reviewer, c.id)).timeline.map((t) => t.action)).toContain('period.extend');
  });

  it('a return stops the clock; resubmission opens a new period; the history stays', async () => {
    f.clock.now = at('2026-11-23');
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
    f.clock.now = at('2026-11-25');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充检验报告'] });
    expect(await reviewClock(c.id)).toBeUndefined();
    expect(await refusalCode(() => extendReview(f.core, f.legalHead, { caseId: c.id, reason: '复杂' }))).toBe('BAD_STATE');
    f.clock.now = at('2026-12-04');
    await resubmitCase(f.core, f.handler, { caseId: c.id, case: caseInput(f), changeNote: '已补充' });
    const clocks = (await caseDetail(f.core, f.reviewer, c.id)).clocks.filter((k) => k.kind === 'review');
    expect(clocks.map((k) => [k.start, k.due, k.state])).toEqual([
      ['2026-11-23', '2026-11-30', 'done'],
      ['2026-12-04', '2026-12-11', 'ok'],
    ]);
    expect(clocks[0].remainingLabel).toContain('退回');
  });

  it('in a year with no official schedule, 1 October is not a working day and the due date is provisional', async () => {
    f.clock.now = at('2027-09-28');
    const c = await submitCase(f.core, f.handler, caseInput(f, { procedure: [{ step: '立案', date: '2027-09-01' }] }));
    const clock = c.clocks[0];
    expect(clock.provisional).toBe(true);
    // 29, 30 Sept; 1–3 Oct statutory (Fri–Sun); 4, 5, 6 Oct
    expect(clock.due).toBe('2027-10-06');
  });

  it('names the State Council as the source of a shipped year, with the last year shipped, never a package', async () => {
    const y = await calendarShow(f.core, 2026);
    expect(y.source).toBe('国务院办公厅节假日安排（2026年；内置安排收录至2026年）');
    expect(y.source).not.toMatch(/chinese-days|npm|[A-Za-z]/);
    // A year not shipped is not dressed up as official.
    expect((await calendarShow(f.core, 2027)).source).not.toContain('国务院办公厅节假日安排');
  });

  it('an administrator-entered schedule overrides the estimate and clears the provisional mark', async () => {
    await importCalendarYear(f.core, f.admin, {
      year: 2027,
      source: '国办发明电〔2026〕×号（测试）',
      holidays: ['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05', '2027-10-06', '2027-10-07'].map((date) => ({ date, name: '国庆节' })),
      workdays: [{ date: '2027-10-09', name: '国庆节' }],
    });
    expect(await refusalCode(() => importCalendarYear(f.core, f.handler, { year: 2027, source: 'x', holidays: [], workdays: [] }))).toBe('FORBIDDEN');
    f.clock.now = at('2027-09-28');
    const c = await submitCase(f.core, f.handler, caseInput(f, { procedure: [{ step: '立案', date: '2027-09-01' }] }));
    // 29, 30 Sept; 1–7 Oct holiday; 8 Oct (Fri), 9 Oct (Sat, 调休), 11 Oct
    expect(c.clocks[0]).toMatchObject({ due: '2027-10-11', provisional: false });
  });

  it('follows the agency settings: natural days and other lengths', async () => {
    expect(await refusalCode(() => updateDeadlineSettings(f.core, f.handler, { mode: 'natural', reviewDays: 7, extensionDays: 3, rereviewDays: 5 }))).toBe('FORBIDDEN');
    expect(await refusalCode(() => updateDeadlineSettings(f.core, f.admin, { mode: 'natural', reviewDays: 0, extensionDays: 3, rereviewDays: 5 }))).toBe('VALIDATION');
    await updateDeadlineSettings(f.core, f.admin, { mode: 'natural', reviewDays: 7, extensionDays: 3, rereviewDays: 5 });
    f.clock.now = at('2026-11-23');
    const c = await submitCase(f.core, f.handler, caseInput(f));
    expect(c.clocks[0]).toMatchObject({ due: '2026-11-30', unit: 'natural' }); // 23 + 7 = 30 Nov, a Monday
  });

  it('lists overdue and due-soon reviews for the legal office head, and last-day reviews for their reviewer', async () => {
    f.clock.now = at('2026-11-23');
    const late = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, late.id);
    f.clock.now = at('2026-11-27');
    await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'FRESH-1' }));
    const list = await overdueReviews(f.core, f.legalHead);
    expect(list.map((i) => [i.caseId, i.clock.state])).toEqual([[late.id, 'due_soon']]);
    // one working day left is amber, but the last-day reminder waits for the last day itself
    expect(await lastDayReviews(f.core, f.reviewer)).toEqual([]);
    f.clock.now = at('2026-11-30');
    expect((await lastDayReviews(f.core, f.reviewer)).map((i) => [i.caseId, i.clock.remainingLabel])).toEqual([[late.id, '今日到期']]);
    expect(await lastDayReviews(f.core, f.reviewer2)).toEqual([]);
    expect(await refusalCode(() => overdueReviews(f.core, f.reviewer))).toBe('FORBIDDEN');
  });
});

describe('other clocks', () => {
  it('publication within 7 working days of approving a penalty, archive within 30 days of closing', async () => {
    f.clock.now = at('2026-11-23');
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    f.clock.now = at('2026-11-24');
    const approved = await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
    expect(approved.clocks.find((k) => k.kind === 'publication')).toMatchObject({ due: '2026-12-03', state: 'ok' });
    await serveAndCarryOut(f.core, f.handler, c.id);
    await closeCase(f.core, f.handler, c.id);
    const clocks = await completeCaseClock(f.core, f.handler, { caseId: c.id, kind: 'publication' });
    expect(clocks.find((k) => k.kind === 'publication')?.state).toBe('done');
    expect(clocks.find((k) => k.kind === 'archive')).toMatchObject({ due: '2026-12-24', unit: 'natural' });
    expect(await refusalCode(() => completeCaseClock(f.core, f.handler, { caseId: c.id, kind: 'publication' }))).toBe('BAD_STATE');
  });

  it('audio-visual records are due 24 hours after they were made', async () => {
    f.clock.now = at('2026-11-23', '15:00');
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const clocks = await startHourClock(f.core, f.handler, { caseId: c.id, kind: 'av_records', startedAt: '2026-11-23T09:00:00+08:00' });
    expect(clocks.find((k) => k.kind === 'av_records')).toMatchObject({ due: '2026-11-24T01:00:00.000Z', remaining: 18, state: 'ok' });
    f.clock.now = at('2026-11-24', '08:00');
    expect((await caseDetail(f.core, f.handler, c.id)).clocks.find((k) => k.kind === 'av_records')?.state).toBe('due_soon');
    expect(await refusalCode(() => startHourClock(f.core, f.handler, { caseId: c.id, kind: 'av_records', startedAt: '2030-01-01T00:00:00+08:00' }))).toBe('VALIDATION');
    expect(await refusalCode(() => startHourClock(f.core, f.officer, { caseId: c.id, kind: 'emergency_report', startedAt: '2026-11-23T09:00:00+08:00' }))).toBe('FORBIDDEN');
  });
});
