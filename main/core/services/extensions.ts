// The one extension of a review period (001 附件3 第十三条: 情况复杂的，经负责人批准可以延长): the
// assigned reviewer asks with a reason, the head the agency named (services/reviewSettings.ts) approves
// or refuses with a reason, and approval performs the extension. Request and decision are both records.
import { AppError } from '../domain/errors';
import type { CaseDetail, ExtensionRequestView } from '../domain/views';
import { extensionRequestsOf, insertExtensionDecision, insertExtensionRequest, openExtensionRequests, type ExtensionRequestRow } from '../db/repos/gate';
import { openPeriodOf } from '../db/repos/deadlines';
import { ExtensionDecideInput, ExtensionRequestInput } from '../../../preload/contract';
import { hasPermission } from '../domain/permissions';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { applyExtension, deadlineSettings, extendablePeriod } from './deadlines';
import { assertExtensionApprover, reviewSettings } from './reviewSettings';
import { formatChinaMoment } from '../domain/calendar/cst';

const isOpen = (r: ExtensionRequestRow) => r.decision === null && r.period_ended_at === null && r.period_extended === 0;

const view = (r: ExtensionRequestRow): ExtensionRequestView => ({
  id: r.id,
  round: r.round,
  reason: r.reason,
  by: r.requester_name,
  byId: r.requested_by,
  at: r.requested_at,
  decision: r.decision,
  decisionReason: r.decision_reason,
  decidedBy: r.decider_name,
  decidedAt: r.decided_at,
  open: isOpen(r),
});

export async function extensionRequestViews(core: Core, caseId: number): Promise<ExtensionRequestView[]> {
  return (await extensionRequestsOf(core.db, caseId)).map(view);
}

/** The pending request of a case whose period still runs, if any. */
async function pendingRequest(core: Core, caseId: number): Promise<ExtensionRequestRow | undefined> {
  return (await extensionRequestsOf(core.db, caseId)).find(isOpen);
}

/** Case ids with a pending request, for the approver's queue. */
export async function casesAwaitingExtension(core: Core, actor: Actor): Promise<{ caseId: number; requesterId: number }[]> {
  if (!hasPermission(actor.roles, 'deadline.extend')) return [];
  if (!actor.roles.includes((await reviewSettings(core)).extensionApprover)) return [];
  return (await openExtensionRequests(core.db)).filter((r) => r.requested_by !== actor.id).map((r) => ({ caseId: r.case_id, requesterId: r.requested_by }));
}

/** What the actor could do about extensions on this case now (the services check it all again). */
export async function extensionActions(core: Core, actor: Actor, caseId: number, reviewerId: number | null): Promise<string[]> {
  const out: string[] = [];
  const p = await openPeriodOf(core.db, caseId);
  if (!p) return out;
  const pending = await pendingRequest(core, caseId);
  const approver = hasPermission(actor.roles, 'deadline.extend') && actor.roles.includes((await reviewSettings(core)).extensionApprover);
  // The approver may also extend on their own initiative when no request waits (a second extension is refused by the core).
  if (approver && !pending) out.push('extension.extend');
  if (p.extension_days !== null || (await deadlineSettings(core)).extensionDays === 0) return out;
  if (hasPermission(actor.roles, 'deadline.requestExtension') && reviewerId === actor.id && !pending) out.push('extension.request');
  if (approver && pending && pending.requested_by !== actor.id) out.push('extension.decide');
  return out;
}

export async function requestExtension(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'deadline.requestExtension');
  const { caseId, reason } = parseInput(ExtensionRequestInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, caseId);
    if (row.reviewer_id !== actor.id) throw new AppError('FORBIDDEN', '只有领取本案审核的审核人员可以申请延长审核期限。');
    const p = await extendablePeriod(core, caseId);
    const pending = await pendingRequest(core, caseId);
    if (pending) throw new AppError('CONFLICT', `已于${formatChinaMoment(pending.requested_at)}申请延长审核期限，尚待批准，不能重复申请。`);
    const approver = (await reviewSettings(core)).extensionApprover;
    const requestId = await insertExtensionRequest(core.db, { caseId, periodId: p.id, reason, by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'extension.request', caseId, { requestId, periodId: p.id, round: p.round, reason, approver });
  });
  return await caseDetail(core, actor, caseId);
}

export async function decideExtension(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'deadline.extend');
  const d = parseInput(ExtensionDecideInput, input);
  await assertExtensionApprover(core, actor);
  await tx(core, async () => {
    await loadCase(core, d.caseId);
    const req = await pendingRequest(core, d.caseId);
    if (!req) throw new AppError('BAD_STATE', '本案没有待批准的延长审核期限申请（审核可能已结束，或期限已延长）。');
    if (req.requested_by === actor.id) throw new AppError('SEPARATION_OF_DUTIES', '不能批准自己提出的延长审核期限申请。');
    const decisionId = await insertExtensionDecision(core.db, { requestId: req.id, decision: d.decision, reason: d.reason, by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'extension.decide', d.caseId, { requestId: req.id, decisionId, decision: d.decision, reason: d.reason });
    if (d.decision === 'approve') await applyExtension(core, actor, d.caseId, `${req.reason}（${req.requester_name}申请，${actor.displayName}批准：${d.reason}）`, req.id);
  });
  return await caseDetail(core, actor, d.caseId);
}

