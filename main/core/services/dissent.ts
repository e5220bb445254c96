// The handling unit's one written dissent (复审申请) and, if it still disagrees after re-review,
// escalation to the heads' collective discussion (001 附件3 第十二条).
import { EscalateInput, RereviewRequestInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { assertState } from '../domain/workflow';
import type { CaseDetail } from '../domain/views';
import { updateCase } from '../db/repos/cases';
import { reviewsOf } from '../db/repos/reviews';
import { escalationOf, insertEscalation, insertRereviewRequest, rereviewRequestOf } from '../db/repos/meetings';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { startPeriod } from './deadlines';
import { cstDate } from '../domain/calendar';

export async function requestRereview(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'rereview.request');
  const r = parseInput(RereviewRequestInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以申请复审。');
    const earlier = await rereviewRequestOf(core.db, row.id);
    if (earlier) {
      throw new AppError('CONFLICT', `本案已于${cstDate(new Date(earlier.requested_at))}申请过复审，每案只能申请一次；如仍有异议，请在复审后提请集体讨论。`);
    }
    assertState(row.state, 'requestRereview');
    if (row.last_outcome !== 'disagree' && row.last_outcome !== 'return') {
      throw new AppError('BAD_STATE', '只有对“不同意”或“退回”的审核意见才能申请复审。');
    }
    const contested = (await reviewsOf(core.db, row.id)).at(-1)!;
    const at = nowIso(core);
    await insertRereviewRequest(core.db, { caseId: row.id, reasons: r.reasons, by: actor.id, at, againstReviewId: contested.id });
    await updateCase(core.db, row.id, { state: 'rereview_requested', reviewer_id: null }, at);
    await startPeriod(core, row.id, row.round, 'rereview');
    await appendEvent(core, actor, 'rereview.request', row.id, { reasons: r.reasons, againstReviewId: contested.id, againstOutcome: contested.outcome });
  });
  return await caseDetail(core, actor, r.caseId);
}

export async function escalate(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.escalate');
  const r = parseInput(EscalateInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以提请集体讨论。');
    if (!await rereviewRequestOf(core.db, row.id) || !(await reviewsOf(core.db, row.id)).some((rv) => rv.kind === 'rereview')) {
      throw new AppError('BAD_STATE', '须先申请复审并取得复审意见，仍有异议的，才能提请负责人集体讨论。');
    }
    if (await escalationOf(core.db, row.id)) throw new AppError('CONFLICT', '本案已提请集体讨论。');
    assertState(row.state, 'escalate');
    if (row.last_outcome !== 'disagree') throw new AppError('BAD_STATE', '复审意见为同意的，无需提请集体讨论，可直接报请负责人审批。');
    const at = nowIso(core);
    await insertEscalation(core.db, { caseId: row.id, reasons: r.reasons, by: actor.id, at });
    await updateCase(core.db, row.id, { state: 'in_discussion' }, at);
    await appendEvent(core, actor, 'case.escalate', row.id, { reasons: r.reasons });
  });
  return await caseDetail(core, actor, r.caseId);
}
