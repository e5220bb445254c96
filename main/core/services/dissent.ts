// The handling unit's one written dissent per proposal (复审申请), the dispute that persists after the
// re-review (the legal office then brings the case to the heads' collective discussion, 001 附件3 第十二条),
// and proposing any reviewed major case for collective discussion (000 三(三)1; 行政处罚法 第五十七条).
import { EscalateInput, ProposeInput, RereviewRequestInput } from '../../../preload/contract';
import { AppError } from '../domain/errors';
import { assertState } from '../domain/workflow';
import type { CaseDetail } from '../domain/views';
import { updateCase, type CaseListRow } from '../db/repos/cases';
import { reviewsOf } from '../db/repos/reviews';
import { escalationOf, insertEscalation, insertRereviewRequest, rereviewRequestOf } from '../db/repos/meetings';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { caseDetail, loadCase, requireRead } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { startPeriod } from './deadlines';
import { cstDate } from '../domain/calendar';

export async function requestRereview(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'rereview.request');
  const r = parseInput(RereviewRequestInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以申请复审。');
    const earlier = await rereviewRequestOf(core.db, row.id, row.cycle);
    if (earlier) {
      throw new AppError('CONFLICT', `对本次处理方案的审核意见已于${cstDate(new Date(earlier.requested_at))}申请过复审，复审以一次为限（审核办法第十二条）；如仍有异议，请在复审后提请集体讨论。`);
    }
    assertState(row.state, 'requestRereview');
    if (row.last_outcome !== 'disagree' && row.last_outcome !== 'return') {
      throw new AppError('BAD_STATE', '只有对“不同意”或“退回”的审核意见才能申请复审。');
    }
    const contested = (await reviewsOf(core.db, row.id)).at(-1)!;
    const at = nowIso(core);
    await insertRereviewRequest(core.db, { caseId: row.id, cycle: row.cycle, reasons: r.reasons, by: actor.id, at, againstReviewId: contested.id });
    await updateCase(core.db, row.id, { state: 'rereview_requested', reviewer_id: null }, at);
    await startPeriod(core, row.id, row.round, 'rereview');
    await appendEvent(core, actor, 'rereview.request', row.id, { reasons: r.reasons, againstReviewId: contested.id, againstOutcome: contested.outcome, cycle: row.cycle });
  });
  return await caseDetail(core, actor, r.caseId);
}

/** This round's issued re-review, if the latest opinion is one. */
async function latestIsRereview(core: Core, row: CaseListRow): Promise<boolean> {
  const last = (await reviewsOf(core.db, row.id)).at(-1);
  return !!last && last.kind === 'rereview' && last.round === row.round;
}

/**
 * The handling unit still disagrees after the re-review — whether it upheld a 退回 or a 不同意. The
 * legal office must then bring the case to the heads' collective discussion (第十二条: 法制机构应当及时
 * 提请); from here only the meeting decides.
 */
export async function escalate(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.escalate');
  const r = parseInput(EscalateInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以对复审意见提出异议。');
    if (!await rereviewRequestOf(core.db, row.id, row.cycle) || !await latestIsRereview(core, row)) {
      throw new AppError('BAD_STATE', '须先申请复审并取得复审意见，仍有异议的，才能提请负责人集体讨论（审核办法第十二条）。');
    }
    if (await escalationOf(core.db, row.id, row.cycle)) throw new AppError('CONFLICT', '本案已提请集体讨论。');
    assertState(row.state, 'escalate');
    if (row.last_outcome === 'agree') throw new AppError('BAD_STATE', '复审意见为同意的，无需提请集体讨论，可直接报请负责人审批。');
    const at = nowIso(core);
    await insertEscalation(core.db, { caseId: row.id, cycle: row.cycle, kind: 'dispute', reasons: r.reasons, by: actor.id, at });
    await updateCase(core.db, row.id, { state: 'in_discussion' }, at);
    await appendEvent(core, actor, 'case.escalate', row.id, { reasons: r.reasons, kind: 'dispute', againstOutcome: row.last_outcome, cycle: row.cycle });
  });
  return await caseDetail(core, actor, r.caseId);
}

/** The legal office or the handling unit proposes a reviewed major case for collective discussion. */
export async function propose(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.propose');
  const r = parseInput(ProposeInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    await requireRead(core, actor, row);
    const legalOffice = actor.roles.includes('legal_head') || actor.roles.includes('reviewer');
    if (!legalOffice && row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有法制机构或本案承办单位可以提请集体讨论。');
    if (await escalationOf(core.db, row.id, row.cycle)) throw new AppError('CONFLICT', '本案已提请集体讨论。');
    assertState(row.state, 'propose');
    const at = nowIso(core);
    await insertEscalation(core.db, { caseId: row.id, cycle: row.cycle, kind: 'proposal', reasons: r.reasons, by: actor.id, at });
    await updateCase(core.db, row.id, { state: 'in_discussion' }, at);
    await appendEvent(core, actor, 'case.propose', row.id, { reasons: r.reasons, kind: 'proposal', legalOpinion: row.last_outcome, cycle: row.cycle });
  });
  return await caseDetail(core, actor, r.caseId);
}
