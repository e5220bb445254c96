// Criminal referral (两法衔接). 《行政执法机关移送涉嫌犯罪案件的规定》 第五条: the case found to be a suspected
// crime is reported in writing (书面报告, here by the case's handler), the agency's principal head decides
// within 3 days of receiving the report (批准移送 / 不批准, the reasons of a refusal recorded), and an
// approved referral is transferred to the public security organ of the same level within 24 hours; the
// transfer is copied to the procuratorate (第八条) and, where applicable, the supervisory organ (004 三(六)).
// A penalty never stands in for the referral (不得以罚代刑): checkReview refuses 同意 when criterion 7 is
// 涉嫌犯罪，应当移送, and issuing such a review (any outcome) opens the case's referral (openReferral).
import { ReferralDecideInput, ReferralReportInput, ReferralTransferInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import type { CaseDetail, ClockView, ReferralView } from '../domain/views';
import type { CaseListRow } from '../db/repos/cases';
import { completeClock } from '../db/repos/deadlines';
import { insertReferral, insertReferralStep, referralOf, referralStepsOf, type ReferralStepRow } from '../db/repos/referrals';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase, requireRead } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { startClock } from './deadlines';

export const REFERRAL_STATE_LABELS: Record<ReferralView['state'], string> = {
  awaiting_report: '待承办人提出移送涉嫌犯罪案件的书面报告',
  awaiting_decision: '待机关正职负责人作出是否批准移送的决定',
  awaiting_transfer: '已批准移送，待向公安机关移送',
  transferred: '已移送公安机关',
  not_approved: '不批准移送（理由已记录在案）',
};

/**
 * Inside the transaction of issueReview: the first review of a case that finds a suspected crime opens
 * its referral (one per case; a later review finding the same opens none). Returns the referral's id.
 */
export async function openReferral(core: Core, caseId: number, reviewId: number, at: string): Promise<number | null> {
  if (await referralOf(core.db, caseId)) return null;
  return await insertReferral(core.db, { caseId, reviewId, at });
}

async function requireReferral(core: Core, actor: Actor, caseId: number) {
  const row = await loadCase(core, caseId);
  await requireRead(core, actor, row);
  const ref = await referralOf(core.db, caseId);
  if (!ref) throw new AppError('BAD_STATE', '本案没有移送涉嫌犯罪案件的记录：只有审核认定第7项“涉嫌犯罪，应当移送”后才有移送程序。');
  const steps = await referralStepsOf(core.db, ref.id);
  return { row, ref, steps, step: (s: ReferralStepRow['step']) => steps.find((x) => x.step === s) };
}

function requireHandler(actor: Actor, row: CaseListRow, what: string): void {
  if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', `只有本案承办人可以${what}。`);
}

/** The handler's written report (书面报告) to the principal head; starts the 3-day decision clock. */
export async function reportReferral(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'referral.report');
  const r = parseInput(ReferralReportInput, input);
  await tx(core, async () => {
    const { row, ref, step } = await requireReferral(core, actor, r.caseId);
    requireHandler(actor, row, '提出移送涉嫌犯罪案件的书面报告');
    if (step('report')) throw new AppError('CONFLICT', '本案已提出移送涉嫌犯罪案件的书面报告，不能重复提出。');
    const at = nowIso(core);
    await insertReferralStep(core.db, { referralId: ref.id, step: 'report', decision: null, text: r.report, organs: null, by: actor.id, at });
    await startClock(core, row.id, 'referral_decision', new Date(at));
    await appendEvent(core, actor, 'referral.report', row.id, { referralId: ref.id, report: r.report });
  });
  return await caseDetail(core, actor, r.caseId);
}

/** The principal head's decision within 3 days of the report: 批准移送 starts the 24-hour transfer clock. */
export async function decideReferral(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'referral.decide');
  const r = parseInput(ReferralDecideInput, input);
  await tx(core, async () => {
    const { row, ref, step } = await requireReferral(core, actor, r.caseId);
    if (!step('report')) throw new AppError('BAD_STATE', '承办人尚未提出移送涉嫌犯罪案件的书面报告，不能作出是否批准移送的决定。');
    if (step('decision')) throw new AppError('CONFLICT', '本案是否批准移送已经决定，不能重复决定。');
    if (row.handler_id === actor.id) throw new AppError('SEPARATION_OF_DUTIES', '您是本案承办人，不能审批本案的移送。');
    const at = nowIso(core);
    await insertReferralStep(core.db, { referralId: ref.id, step: 'decision', decision: r.decision, text: r.reason, organs: null, by: actor.id, at });
    await completeClock(core.db, row.id, 'referral_decision', at, actor.id);
    if (r.decision === 'approve') await startClock(core, row.id, 'referral_transfer', new Date(at));
    await appendEvent(core, actor, 'referral.decide', row.id, { referralId: ref.id, decision: r.decision, reason: r.reason });
  });
  return await caseDetail(core, actor, r.caseId);
}

/** The transfer to the public security organ (copy to the procuratorate, and the supervisory organ where applicable). */
export async function transferReferral(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'referral.transfer');
  const r = parseInput(ReferralTransferInput, input);
  await tx(core, async () => {
    const { row, ref, step } = await requireReferral(core, actor, r.caseId);
    requireHandler(actor, row, '登记向公安机关移送');
    const decision = step('decision');
    if (!decision) throw new AppError('BAD_STATE', '机关正职负责人尚未批准移送，不能登记移送。');
    if (decision.decision !== 'approve') throw new AppError('BAD_STATE', '机关负责人决定不批准移送，不能登记移送。');
    if (step('transfer')) throw new AppError('CONFLICT', '本案已登记向公安机关移送，不能重复登记。');
    const at = nowIso(core);
    const organs = { police: r.police, procuratorate: r.procuratorate, supervisory: r.supervisory ?? null };
    await insertReferralStep(core.db, { referralId: ref.id, step: 'transfer', decision: null, text: r.note, organs, by: actor.id, at });
    await completeClock(core.db, row.id, 'referral_transfer', at, actor.id);
    await appendEvent(core, actor, 'referral.transfer', row.id, { referralId: ref.id, ...organs, note: r.note });
  });
  return await caseDetail(core, actor, r.caseId);
}

/** The case's referral as the case page, the documents and lrw show it (null: none). */
export async function referralView(core: Core, actor: Actor, row: CaseListRow, clocks: readonly ClockView[]): Promise<ReferralView | null> {
  const ref = await referralOf(core.db, row.id);
  if (!ref) return null;
  const steps = await referralStepsOf(core.db, ref.id);
  const report = steps.find((s) => s.step === 'report');
  const decision = steps.find((s) => s.step === 'decision');
  const transfer = steps.find((s) => s.step === 'transfer');
  const organs = transfer?.organs_json ? (JSON.parse(transfer.organs_json) as { police: string; procuratorate: string; supervisory: string | null }) : null;
  const state: ReferralView['state'] = !report ? 'awaiting_report' : !decision ? 'awaiting_decision' : decision.decision === 'reject' ? 'not_approved' : !transfer ? 'awaiting_transfer' : 'transferred';
  const actions: ReferralView['actions'] = [];
  if (state === 'awaiting_report' && row.handler_id === actor.id && hasPermission(actor.roles, 'referral.report')) actions.push('report');
  if (state === 'awaiting_decision' && row.handler_id !== actor.id && hasPermission(actor.roles, 'referral.decide')) actions.push('decide');
  if (state === 'awaiting_transfer' && row.handler_id === actor.id && hasPermission(actor.roles, 'referral.transfer')) actions.push('transfer');
  return {
    id: ref.id,
    reviewId: ref.review_id,
    openedAt: ref.opened_at,
    state,
    stateLabel: REFERRAL_STATE_LABELS[state],
    report: report ? { text: report.text, by: report.by_name, at: report.at } : null,
    decision: decision ? { decision: decision.decision!, decisionLabel: decision.decision === 'approve' ? '批准移送' : '不批准移送', reason: decision.text, by: decision.by_name, at: decision.at } : null,
    transfer: transfer && organs ? { ...organs, note: transfer.text, by: transfer.by_name, at: transfer.at } : null,
    clocks: clocks.filter((c) => c.kind === 'referral_decision' || c.kind === 'referral_transfer'),
    actions,
  };
}
