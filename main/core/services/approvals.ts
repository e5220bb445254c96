// Head approval (003 第二十条) and the head override of 001 附件3 第十七条.
import { AppError } from '../domain/errors';
import { OUTCOME_LABELS } from '../domain/types';
import { assertState } from '../domain/workflow';
import type { CaseDetail } from '../domain/views';
import { insertApproval } from '../db/repos/approvals';
import { updateCase } from '../db/repos/cases';
import { ApprovalInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { startClock } from './deadlines';
import { requirePermission } from './auth';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export async function decide(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'approval.decide');
  const a = parseInput(ApprovalInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, a.caseId);
    assertState(row.state, 'decide');
    const outcome = row.last_outcome;
    // Approving anything but 同意, or rejecting a case the legal office agreed to, departs from the
    // review opinion: only allowed when the head declares it and writes why (the head then bears responsibility).
    const departs = a.decision === 'approve' ? outcome !== 'agree' : outcome === 'agree';
    if (departs && !a.override) {
      throw new AppError(
        'OVERRIDE_REQUIRED',
        a.decision === 'approve'
          ? `法制审核意见为“${outcome ? OUTCOME_LABELS[outcome] : '无'}”，未经法制审核同意的重大执法决定不得批准；如坚持批准，须明确声明不采纳法制审核意见并写明理由，由您承担相应责任。`
          : '法制审核意见为“同意”，不予批准即不采纳法制审核意见，须明确声明并写明理由。',
      );
    }
    if (!departs && a.override) {
      throw new AppError('VALIDATION', '审批结论与法制审核意见一致，无需声明不采纳。');
    }
    const at = nowIso(core);
    await insertApproval(core.db, { caseId: row.id, headId: actor.id, decision: a.decision, opinion: a.opinion, reviewOutcome: outcome, override: departs, overrideReason: a.override?.reason ?? null }, at);
    await updateCase(core.db, row.id, { state: a.decision === 'approve' ? 'approved' : 'rejected', ...(departs && { head_override: 1 }) }, at);
    if (a.decision === 'approve') await startClock(core, row.id, 'publication', core.now(), row.kind);
    await appendEvent(core, actor, 'approval.decide', row.id, { decision: a.decision, opinion: a.opinion, reviewOutcome: outcome, override: departs, overrideReason: a.override?.reason ?? null });
  });
  return await caseDetail(core, actor, a.caseId);
}
