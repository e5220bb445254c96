// Issue 13, point 6 (statistics): 统计 for a period equals counts computed here, independently, from the
// raw rows (read whole and filtered in JavaScript by China date); what falls outside the period is not
// counted; only the legal office head and the agency heads see it; the .xlsx file holds the same figures.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, defectFindings, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { requestRereview } from '../../main/core/services/dissent';
import { completeCaseClock, extendReview } from '../../main/core/services/deadlines';
import { statistics } from '../../main/core/services/stats';
import { cstDate } from '../../main/core/domain/calendar/cst';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const at = (date: string) => new Date(`${date}T02:00:00Z`);
const inPeriod = (iso: string | null, from: string, to: string) => iso !== null && cstDate(new Date(iso)) >= from && cstDate(new Date(iso)) <= to;

async function scenario() {
  // Before the period: one case reviewed and approved in October (not counted in November).
  f.clock.now = at('2026-10-20');
  const old = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-0' }));
  await takeCase(f.core, f.reviewer, old.id);
  await issueReview(f.core, f.reviewer, { caseId: old.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: old.id, decision: 'approve', opinion: '同意' });
  // In November: agreed and approved (its publication registered on time); returned; disagreed then re-reviewed;
  // agreed but rejected against the legal office's opinion; one with an extension.
  f.clock.now = at('2026-11-02');
  const a = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-1' }));
  const b = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-2', kind: 'license', catalogItem: 'license.hearing', proposedDecision: '准予行政许可', fineAmount: undefined, quantities: { hearingRequired: false, hearingHeld: true, publicInterest: true } }));
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-3' }));
  const d = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-4' }));
  for (const x of [a, b, c, d]) await takeCase(f.core, f.reviewer, x.id);
  f.clock.now = at('2026-11-04');
  await issueReview(f.core, f.reviewer, { caseId: a.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: a.id, decision: 'approve', opinion: '同意' });
  await completeCaseClock(f.core, f.handler, { caseId: a.id, kind: 'publication' });
  const wanting = allConform();
  wanting[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
  wanting[4] = { criterion: 5, result: 'needs_correction', reason: '未告知听证权利' };
  await issueReview(f.core, f.reviewer, { caseId: b.id, findings: wanting, outcome: 'return', requests: ['补充检验报告'] });
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: defectFindings(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '对不同意意见有异议' });
  await takeCase(f.core, f.reviewer2, c.id);
  await extendReview(f.core, f.legalHead, { caseId: d.id, reason: '案情复杂，需要补充调查' });
  f.clock.now = at('2026-11-12');
  await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: defectFindings(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await issueReview(f.core, f.reviewer, { caseId: d.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: d.id, decision: 'reject', opinion: '不予批准', override: { declared: true, reason: '社会影响需进一步评估' } });
  // After the period: December's review is not counted in November.
  f.clock.now = at('2026-12-02');
  const late = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-5' }));
  await takeCase(f.core, f.reviewer, late.id);
  await issueReview(f.core, f.reviewer, { caseId: late.id, findings: allConform(), outcome: 'agree' });
}

describe('statistics', () => {
  it('equals counts computed independently from the raw rows, for the period only', async () => {
    await scenario();
    const [from, to] = ['2026-11-01', '2026-11-30'];
    const s = await statistics(f.core, f.legalHead, { from, to });
    const fig = Object.fromEntries(s.figures.map((x) => [x.key, x.value]));

    const all = async <T>(sql: string) => await f.core.db.all<T>(sql);
    const subs = (await all<{ case_id: number; round: number; submitted_at: string }>('SELECT * FROM submissions')).filter((x) => inPeriod(x.submitted_at, from, to));
    const reviews = (await all<{ id: number; case_id: number; kind: string; outcome: string; issued_at: string }>('SELECT * FROM review_rounds')).filter((x) => inPeriod(x.issued_at, from, to));
    const approvals = (await all<{ decision: string; override: number; decided_at: string; meeting_id: number | null }>('SELECT * FROM approvals')).filter((x) => inPeriod(x.decided_at, from, to));
    const rereq = (await all<{ requested_at: string }>('SELECT * FROM rereview_requests')).filter((x) => inPeriod(x.requested_at, from, to));
    const periods = await all<{ extended_at: string | null }>('SELECT * FROM periods');
    const pubs = (await all<{ kind: string; started_at: string; done_at: string | null; due: string }>('SELECT * FROM clocks')).filter((x) => x.kind === 'publication' && inPeriod(x.started_at, from, to));
    const findings = await all<{ review_id: number; criterion: number; result: string }>('SELECT * FROM findings');
    const returnIds = new Set(reviews.filter((r) => r.outcome === 'return').map((r) => Number(r.id)));

    expect(fig).toMatchObject({
      submitted: subs.length,
      submittedCases: subs.filter((x) => Number(x.round) === 1).length,
      reviewedCases: new Set(reviews.map((r) => Number(r.case_id))).size,
      opinions: reviews.length,
      agree: reviews.filter((r) => r.outcome === 'agree').length,
      return: reviews.filter((r) => r.outcome === 'return').length,
      disagree: reviews.filter((r) => r.outcome === 'disagree').length,
      rereviewRequests: rereq.length,
      rereviews: reviews.filter((r) => r.kind === 'rereview').length,
      approved: approvals.filter((a) => a.decision === 'approve').length,
      rejected: approvals.filter((a) => a.decision === 'reject').length,
      overrides: approvals.filter((a) => Number(a.override) === 1).length,
      meetingDecisions: approvals.filter((a) => a.meeting_id !== null).length,
      extensions: periods.filter((p) => inPeriod(p.extended_at, from, to)).length,
      disclosuresOnTime: pubs.filter((p) => p.done_at !== null && cstDate(new Date(p.done_at)) <= p.due).length,
    });
    // And the scenario's own numbers, so that an empty store could not pass.
    expect(fig).toMatchObject({ submitted: 4, submittedCases: 4, reviewedCases: 4, opinions: 5, agree: 2, return: 1, disagree: 2, rereviewRequests: 1, rereviews: 1, approved: 1, rejected: 1, overrides: 1, extensions: 1, disclosuresOnTime: 1 });
    const wanted = findings.filter((x) => returnIds.has(Number(x.review_id)) && x.result !== 'conform').map((x) => Number(x.criterion)).sort();
    expect(s.returnReasons.map((r) => r.criterion).sort()).toEqual(wanted);
    expect(s.returnReasons.map((r) => r.count)).toEqual([1, 1]);
    expect(s.byKind.find((k) => k.kind === 'license')).toMatchObject({ submitted: 1, opinions: 1, return: 1 });
    expect(s.byKind.find((k) => k.kind === 'penalty')).toMatchObject({ submitted: 3, opinions: 4, agree: 2, disagree: 2, approved: 1, rejected: 1 });
    // Review time: every review period ended in November, in working days from the day after its start.
    expect(fig.averageReviewDays).toBeGreaterThan(0);
    // Reviewers per officer: 2 reviewers, 3 officers with certificates in the fixture.
    expect(fig).toMatchObject({ reviewers: 2, officers: 3, reviewerRatio: 66.7 });
    expect(s.meetsReviewerRatio).toBe(true);
    // Every figure says what it counts.
    for (const x of s.figures) expect(x.source).toMatch(/[\u4e00-\u9fa5]/);

    // October alone holds only the first case.
    const oct = Object.fromEntries((await statistics(f.core, f.head, { from: '2026-10-01', to: '2026-10-31' })).figures.map((x) => [x.key, x.value]));
    expect(oct).toMatchObject({ submitted: 1, opinions: 1, agree: 1, approved: 1 });
  });

  it('is refused to others and for a backwards period; the .xlsx holds the same figures', async () => {
    await scenario();
    expect(await refused(() => statistics(f.core, f.handler, { from: '2026-11-01', to: '2026-11-30' }), 'FORBIDDEN')).toContain('查看统计');
    expect(await refused(() => statistics(f.core, f.reviewer, { from: '2026-11-01', to: '2026-11-30' }), 'FORBIDDEN')).toContain('查看统计');
    expect(await refused(() => statistics(f.core, f.legalHead, { from: '2026-11-30', to: '2026-11-01' }), 'VALIDATION')).toContain('不能早于开始日期');
    await refused(() => statistics(f.core, f.legalHead, { from: '2026-02-30', to: '2026-11-01' }), 'VALIDATION');
    const s = await statistics(f.core, f.legalHead, { from: '2026-11-01', to: '2026-11-30', xlsx: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(s.base64!, 'base64') as never);
    const sheet = wb.getWorksheet('统计指标')!;
    const rows = new Map<string, unknown>();
    sheet.eachRow((row, i) => {
      if (i > 1) rows.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    for (const x of s.figures) expect(rows.get(x.label)).toEqual(x.value ?? '—');
    expect(s.fileName).toBe('统计-20261101-20261130.xlsx');
  });
});
