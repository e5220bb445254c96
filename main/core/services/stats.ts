// 统计: what the legal office reports on for a period, counted here from the record and nowhere else, so
// the page, the .xlsx file and `lrw stats` never differ. Each figure says what it counts (its source). A
// period is China calendar days, both ends included; a row falls in it by the time it was written.
// Counted: rounds submitted and cases reviewed by decision kind, review outcomes, the reasons for returns
// (the criteria found wanting), re-reviews, collective discussions, head decisions and overrides, review
// time in working days and reviews finished late, extensions, disclosures (publication clocks) on time,
// and reviewers per officer (at least 5%, 004 三(五)).
import { StatsInput } from '../../../preload/contract';
import { addDays, cstDate, cstInstant, formatChinaMoment } from '../domain/calendar/cst';
import { isWorkingDay, type Calendar } from '../domain/calendar';
import { AppError } from '../domain/errors';
import { CRITERIA, DECISION_KINDS, DECISION_KIND_LABELS, type DecisionKind } from '../domain/types';
import type { StatsFigure, StatsView } from '../domain/views';
import { getAgency } from '../db/repos/agency';
import { requirePermission } from './auth';
import { type Actor, type Core, parseInput } from './core';
import { loadCalendar } from './deadlines';

/** Working days after `start` up to and including `end` (as the review period counts them). */
function workingDaysBetween(start: string, end: string, cal: Calendar): number {
  let n = 0;
  for (let d = addDays(start, 1); d <= end; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Rows {
  submissions: { case_id: number; round: number; kind: DecisionKind; submitted_at: string }[];
  reviews: { id: number; case_id: number; kind: 'review' | 'rereview'; outcome: 'agree' | 'return' | 'disagree'; issued_at: string; case_kind: DecisionKind }[];
  wanting: { criterion: number }[];
  rereviews: number;
  escalations: { kind: string }[];
  approvals: { decision: 'approve' | 'reject'; override: number; meeting_id: number | null; case_kind: DecisionKind }[];
  periods: { start_date: string; due_date: string; extended_due: string | null; ended_at: string | null; extended_at: string | null }[];
  publications: { due: string; done_at: string | null; started_at: string }[];
}

async function rowsIn(core: Core, lo: string, hi: string): Promise<Rows> {
  const db = core.db;
  const p = [lo, hi];
  return {
    submissions: await db.all('SELECT s.case_id, s.round, c.kind, s.submitted_at FROM submissions s JOIN cases c ON c.id = s.case_id WHERE s.submitted_at >= ? AND s.submitted_at < ?', p),
    reviews: await db.all('SELECT r.id, r.case_id, r.kind, r.outcome, r.issued_at, c.kind AS case_kind FROM review_rounds r JOIN cases c ON c.id = r.case_id WHERE r.issued_at >= ? AND r.issued_at < ?', p),
    wanting: await db.all("SELECT f.criterion FROM findings f JOIN review_rounds r ON r.id = f.review_id WHERE r.outcome = 'return' AND f.result <> 'conform' AND r.issued_at >= ? AND r.issued_at < ?", p),
    rereviews: Number(await db.value('SELECT COUNT(*) FROM rereview_requests WHERE requested_at >= ? AND requested_at < ?', p)),
    escalations: await db.all('SELECT kind FROM escalations WHERE escalated_at >= ? AND escalated_at < ?', p),
    approvals: await db.all('SELECT a.decision, a.override, a.meeting_id, c.kind AS case_kind FROM approvals a JOIN cases c ON c.id = a.case_id WHERE a.decided_at >= ? AND a.decided_at < ?', p),
    periods: await db.all('SELECT start_date, due_date, extended_due, ended_at, extended_at FROM periods'),
    publications: await db.all("SELECT due, done_at, started_at FROM clocks WHERE kind = 'publication' AND started_at >= ? AND started_at < ?", p),
  };
}

/** 统计 for a period: figures with their sources, the table by decision kind, return reasons, the 5% rule. */
export async function statistics(core: Core, actor: Actor, input: unknown): Promise<StatsView> {
  requirePermission(actor, 'stats.read');
  const x = parseInput(StatsInput, input);
  if (x.to < x.from) throw new AppError('VALIDATION', '统计期间的结束日期不能早于开始日期。');
  const lo = cstInstant(x.from).toISOString();
  const hi = cstInstant(addDays(x.to, 1)).toISOString();
  const r = await rowsIn(core, lo, hi);
  const cal = await loadCalendar(core);
  const today = cstDate(core.now());
  const upTo = x.to < today ? x.to : today;

  // Review time: periods ended by an issued opinion in the period (a return stops the clock too).
  const ended = r.periods.filter((q) => q.ended_at !== null && q.ended_at >= lo && q.ended_at < hi);
  const days = ended.map((q) => workingDaysBetween(q.start_date, cstDate(new Date(q.ended_at!)), cal));
  const late = ended.filter((q) => cstDate(new Date(q.ended_at!)) > (q.extended_due ?? q.due_date)).length;
  // Running at the end of the period (started by then, not ended by then) and past its due date.
  const runningLate = r.periods.filter((q) => q.start_date <= upTo && (q.ended_at === null || cstDate(new Date(q.ended_at)) > upTo) && (q.extended_due ?? q.due_date) < upTo).length;
  const extensions = r.periods.filter((q) => q.extended_at !== null && q.extended_at >= lo && q.extended_at < hi).length;
  const pubOnTime = r.publications.filter((c) => c.done_at !== null && cstDate(new Date(c.done_at)) <= c.due).length;
  const pubLate = r.publications.filter((c) => c.done_at !== null && cstDate(new Date(c.done_at)) > c.due).length;
  const pubOverdue = r.publications.filter((c) => c.done_at === null && c.due < upTo).length;

  const users = await core.db.all<{ id: number; role: string; cert_no: string | null }>(
    "SELECT u.id, r.role, u.cert_no FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.active = 1 AND r.role IN ('reviewer', 'handler')");
  const reviewers = new Set(users.filter((u) => u.role === 'reviewer').map((u) => Number(u.id))).size;
  const officers = new Set(users.filter((u) => u.role === 'handler' && u.cert_no).map((u) => Number(u.id))).size;
  const ratio = officers ? reviewers / officers : null;

  const count = <T>(rows: T[], f: (t: T) => boolean) => rows.filter(f).length;
  const reviewedCases = new Set(r.reviews.map((v) => Number(v.case_id))).size;
  const f = (key: string, label: string, value: number | null, unit: string, source: string): StatsFigure => ({ key, label, value, unit, source });
  const figures: StatsFigure[] = [
    f('submitted', '送审（含补正、修改后重新送审）', r.submissions.length, '次', '送审材料（submissions）的送审时间在期间内'),
    f('submittedCases', '首次送审的案件', count(r.submissions, (s) => Number(s.round) === 1), '件', '第1轮送审材料的送审时间在期间内'),
    f('reviewedCases', '出具审核意见的案件', reviewedCases, '件', '审核、复审意见（review_rounds）的出具时间在期间内，按案件计'),
    f('opinions', '审核意见（含复审）', r.reviews.length, '份', '审核、复审意见的出具时间在期间内'),
    f('agree', '其中：同意', count(r.reviews, (v) => v.outcome === 'agree'), '份', '审核结论为同意'),
    f('return', '其中：退回补充材料', count(r.reviews, (v) => v.outcome === 'return'), '份', '审核结论为退回'),
    f('disagree', '其中：不同意', count(r.reviews, (v) => v.outcome === 'disagree'), '份', '审核结论为不同意'),
    f('rereviewRequests', '申请复审', r.rereviews, '次', '复审申请（rereview_requests）的申请时间在期间内'),
    f('rereviews', '出具复审意见', count(r.reviews, (v) => v.kind === 'rereview'), '份', '复审意见的出具时间在期间内'),
    f('discussions', '提请集体讨论', r.escalations.length, '次', '提请负责人会议集体讨论（escalations）的时间在期间内'),
    f('meetingDecisions', '集体讨论作出的决定', count(r.approvals, (a) => a.meeting_id !== null), '件', '经负责人会议决定的审批（approvals.meeting_id）在期间内'),
    f('approved', '负责人批准', count(r.approvals, (a) => a.decision === 'approve'), '件', '审批决定为批准，决定时间在期间内'),
    f('rejected', '负责人不予批准', count(r.approvals, (a) => a.decision === 'reject'), '件', '审批决定为不予批准'),
    f('overrides', '未采纳法制审核意见的决定', count(r.approvals, (a) => a.override === 1), '件', '审批时声明不采纳审核意见（approvals.override）'),
    f('averageReviewDays', '平均审核用时', days.length ? round1(days.reduce((a, b) => a + b, 0) / days.length) : null, '个工作日', '期间内结束的审核期限：起算日次日至出具意见（或退回）日的工作日数的平均'),
    f('lateReviews', '逾期出具的审核意见', late, '份', '结束日晚于届满日（含延长后的届满日）的审核期限'),
    f('runningLate', '至期末仍逾期未出具', runningLate, '件', `至${upTo}尚未结束且届满日早于该日的审核期限`),
    f('extensions', '延长审核期限', extensions, '次', '审核期限的延长时间在期间内'),
    f('disclosuresOnTime', '按期公示', pubOnTime, '件', '期间内开始的公示期限（clocks: publication）在届满日前登记完成'),
    f('disclosuresLate', '逾期公示', pubLate, '件', '公示期限在届满日后登记完成'),
    f('disclosuresOverdue', '逾期未公示', pubOverdue, '件', `公示期限届满日早于${upTo}且未登记完成`),
    f('reviewers', '法制审核人员', reviewers, '人', '在岗且具有“法制审核人员”角色的用户（当前）'),
    f('officers', '执法人员', officers, '人', '在岗、具有“承办人”角色且登记了执法证号的用户（当前）'),
    f('reviewerRatio', '审核人员占执法人员的比例', ratio === null ? null : round1(ratio * 100), '%', '法制审核人员 ÷ 执法人员（不少于5%，004 三(五)）'),
  ];
  const byKind = DECISION_KINDS.map((kind) => {
    const rv = r.reviews.filter((v) => v.case_kind === kind);
    const ap = r.approvals.filter((a) => a.case_kind === kind);
    return {
      kind, kindLabel: DECISION_KIND_LABELS[kind],
      submitted: count(r.submissions, (s) => s.kind === kind),
      opinions: rv.length, agree: count(rv, (v) => v.outcome === 'agree'), return: count(rv, (v) => v.outcome === 'return'), disagree: count(rv, (v) => v.outcome === 'disagree'),
      approved: count(ap, (a) => a.decision === 'approve'), rejected: count(ap, (a) => a.decision === 'reject'),
    };
  });
  const reasons = new Map<number, number>();
  for (const w of r.wanting) reasons.set(Number(w.criterion), (reasons.get(Number(w.criterion)) ?? 0) + 1);
  const now = core.now();
  return {
    from: x.from, to: x.to, agencyName: (await getAgency(core.db))?.name ?? '',
    generatedAt: now.toISOString(), generatedAtLabel: formatChinaMoment(now.toISOString()), generatedBy: actor.displayName,
    figures,
    byKind,
    returnReasons: [...reasons].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([criterion, n]) => ({ criterion, title: CRITERIA[criterion - 1], count: n })),
    meetsReviewerRatio: ratio === null ? null : ratio >= 0.05,
    base64: x.xlsx ? await toXlsx(core, { from: x.from, to: x.to, figures, byKind, reasons: [...reasons] }) : null,
    fileName: `统计-${x.from.replaceAll('-', '')}-${x.to.replaceAll('-', '')}.xlsx`,
  };
}

async function toXlsx(core: Core, v: { from: string; to: string; figures: StatsFigure[]; byKind: StatsView['byKind']; reasons: [number, number][] }): Promise<string> {
  const ExcelJS = await import('exceljs');
  const Workbook = (ExcelJS as unknown as { Workbook?: typeof import('exceljs').Workbook }).Workbook ?? (ExcelJS as unknown as { default: typeof import('exceljs') }).default.Workbook;
  const wb = new Workbook();
  wb.creator = (await getAgency(core.db))?.name ?? '法制审核工作台';
  wb.created = core.now();
  const head = (sheet: import('exceljs').Worksheet) => {
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  };
  const s1 = wb.addWorksheet('统计指标');
  s1.columns = [{ header: '指标', width: 30 }, { header: '数值', width: 10 }, { header: '单位', width: 10 }, { header: '口径（数据来源）', width: 70 }];
  for (const x of v.figures) s1.addRow([x.label, x.value ?? '—', x.unit, x.source]);
  head(s1);
  const s2 = wb.addWorksheet('按决定类型');
  s2.columns = [{ header: '决定类型', width: 12 }, { header: '送审', width: 8 }, { header: '审核意见', width: 10 }, { header: '同意', width: 8 }, { header: '退回', width: 8 }, { header: '不同意', width: 8 }, { header: '批准', width: 8 }, { header: '不予批准', width: 10 }];
  for (const k of v.byKind) s2.addRow([k.kindLabel, k.submitted, k.opinions, k.agree, k.return, k.disagree, k.approved, k.rejected]);
  head(s2);
  const s3 = wb.addWorksheet('退回原因');
  s3.columns = [{ header: '审核事项', width: 60 }, { header: '次数', width: 8 }];
  for (const [c, n] of v.reasons.sort((a, b) => b[1] - a[1] || a[0] - b[0])) s3.addRow([CRITERIA[c - 1], n]);
  head(s3);
  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 16 }, { width: 60 }];
  about.addRow(['统计期间', `${v.from} 至 ${v.to}（北京时间，含首尾两日）`]);
  about.addRow(['生成时间', `${formatChinaMoment(core.now().toISOString())}（北京时间）`]);
  return Buffer.from(await wb.xlsx.writeBuffer() as ArrayBuffer).toString('base64');
}
