// Head approval (003 第二十条). The gate: a head approves only what the legal review agreed to
// (001 二(三); 附件3 第三条). Departing from a 不同意 happens only through the heads' collective
// discussion (an agency setting, on by default); 第十七条 assigns responsibility, it grants no power.
// A persisting dispute after the re-review is decided by the meeting, never by one head (第十二条).
import { AppError, fieldError } from '../domain/errors';
import { OUTCOME_LABELS } from '../domain/types';
import { assertState } from '../domain/workflow';
import type { CaseDetail } from '../domain/views';
import { insertApproval } from '../db/repos/approvals';
import { updateCase, type CaseListRow } from '../db/repos/cases';
import { reviewsOf } from '../db/repos/reviews';
import { ApprovalInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { startClock } from './deadlines';
import { requirePermission } from './auth';
import { assertNotInvolved } from './authority';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { discussionRequiredFor, workflowSettings } from './settings';

/** Why a head may not approve this case alone (null when direct approval is open). */
export async function directApprovalBar(core: Core, row: CaseListRow): Promise<string | null> {
  const settings = await workflowSettings(core);
  if (discussionRequiredFor(settings, row.catalog_item)) {
    return '本机关规定此类重大执法决定须经负责人集体讨论决定（行政处罚法第五十七条；机关设置），请由法制机构或承办单位提请集体讨论。';
  }
  if (row.last_outcome === 'agree') return null;
  const rereviewed = (await reviewsOf(core.db, row.id)).some((r) => r.kind === 'rereview' && r.round === row.round);
  if (rereviewed) {
    return `复审意见为“${OUTCOME_LABELS[row.last_outcome!]}”：承办单位仍有异议的，由法制机构提请负责人集体讨论决定，负责人不能单独批准（审核办法第十二条）；承办单位接受复审意见的，可修改处理方案后重新送审。`;
  }
  if (settings.departOnlyByMeeting) {
    return `法制审核意见为“${OUTCOME_LABELS[row.last_outcome!]}”：未经法制审核同意的重大执法决定不得由负责人单独批准（审核办法第三条）；不采纳“不同意”意见只能经负责人集体讨论决定（机关设置），第十七条只规定责任，不赋予单独批准的权力。`;
  }
  return null;
}

export async function decide(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'approval.decide');
  const a = parseInput(ApprovalInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, a.caseId);
    assertState(row.state, 'decide');
    await assertNotInvolved(core, actor, row, '审批本案');
    const outcome = row.last_outcome;
    // A case the agency requires the meeting to decide is not decided by one head either way.
    if (discussionRequiredFor(await workflowSettings(core), row.catalog_item)) throw new AppError('DISCUSSION_REQUIRED', (await directApprovalBar(core, row))!);
    if (a.decision === 'approve') {
      const bar = await directApprovalBar(core, row);
      if (bar) throw new AppError('DISCUSSION_REQUIRED', bar);
    }
    // Rejecting a case the legal office agreed to, or (where the agency allows it) approving against a
    // 不同意, departs from the review opinion: only when the head declares it and writes why.
    const departs = a.decision === 'approve' ? outcome !== 'agree' : outcome === 'agree';
    if (departs && !a.override) {
      throw fieldError(
        'OVERRIDE_REQUIRED',
        a.decision === 'approve'
          ? `法制审核意见为“${outcome ? OUTCOME_LABELS[outcome] : '无'}”，未经法制审核同意的重大执法决定不得批准；如坚持批准，须明确声明不采纳法制审核意见并写明理由，由您承担相应责任。`
          : '法制审核意见为“同意”，不予批准即不采纳法制审核意见，须明确声明并写明理由。',
        'override',
      );
    }
    if (!departs && a.override) {
      throw fieldError('VALIDATION', '审批结论与法制审核意见一致，无需声明不采纳。', 'override');
    }
    const at = nowIso(core);
    const approvalId = await insertApproval(core.db, { caseId: row.id, headId: actor.id, decision: a.decision, opinion: a.opinion, reviewOutcome: outcome, override: departs, overrideReason: a.override?.reason ?? null }, at);
    // A rejection returns the case to the handling unit with the decision text (revise or propose ending).
    await updateCase(core.db, row.id, { state: a.decision === 'approve' ? 'approved' : 'rejected', ...(departs && { head_override: 1 }) }, at);
    if (a.decision === 'approve') await startClock(core, row.id, 'publication', core.now(), row.kind);
    await appendEvent(core, actor, 'approval.decide', row.id, { approvalId, decision: a.decision, opinion: a.opinion, reviewOutcome: outcome, override: departs, overrideReason: a.override?.reason ?? null, cycle: row.cycle });
  });
  return await caseDetail(core, actor, a.caseId);
}
