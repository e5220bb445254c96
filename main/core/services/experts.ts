// 专家论证 (003 第十八条: 组织专家论证的，应制作专家论证会议纪要或专家意见书). The reviewer who took the case
// attaches the experts' opinion to the review (or re-review) of the current round while that review is
// in progress; it is listed on the case page and in the review opinion (templates/review-opinion.txt,
// reviews.last.experts). Append-only: a correction is a further opinion, never an edit.
import { AppError } from '../domain/errors';
import { cstDate, isValidDate } from '../domain/calendar/cst';
import { CASE_STATE_LABELS } from '../domain/types';
import { canTransition } from '../domain/workflow';
import type { ExpertOpinionView } from '../domain/views';
import { blobExists } from '../db/repos/cases';
import { expertOpinionViews, insertExpertOpinion } from '../db/repos/experts';
import { ExpertOpinionInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { loadCase } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertSeparation } from './reviews';

/** Every rule of adding an expert opinion, without writing: who may, when, and what it must say. */
async function checked(core: Core, actor: Actor, input: unknown) {
  requirePermission(actor, 'expert.add');
  const e = parseInput(ExpertOpinionInput, input);
  const row = await loadCase(core, e.caseId);
  await assertSeparation(core, actor, row);
  if (row.reviewer_id !== actor.id) {
    throw new AppError(
      'FORBIDDEN',
      `只有领取本案审核的审核人员才能登记专家论证意见${row.reviewer_name ? `（本案审核人员：${row.reviewer_name}）` : '（本案尚未被领取审核）'}。`,
    );
  }
  if (!canTransition(row.state, 'issueReview')) {
    throw new AppError('BAD_STATE', `案件当前状态为“${CASE_STATE_LABELS[row.state]}”：专家论证意见须在审核（复审）进行中、出具审核意见之前登记。`);
  }
  const today = cstDate(core.now());
  if (!isValidDate(e.heldOn)) throw new AppError('VALIDATION', `论证日期“${e.heldOn}”不是有效日期。`);
  if (e.heldOn > today) throw new AppError('VALIDATION', `论证日期${e.heldOn}晚于今天（${today}），请填写专家论证实际进行的日期。`);
  if (e.file && !await blobExists(core.db, e.file.sha256)) {
    throw new AppError('VALIDATION', `文件“${e.file.name}”尚未上传成功，请重新上传。`);
  }
  return { e, row, experts: [...new Set(e.experts.map((x) => x.trim()))], reviewKind: row.state === 'rereview_requested' ? ('rereview' as const) : ('review' as const) };
}

/** A dry run (for `lrw`, before it stores the file): refuses what addExpertOpinion would refuse. */
export async function checkExpertOpinion(core: Core, actor: Actor, input: unknown): Promise<void> {
  await checked(core, actor, input);
}

export async function addExpertOpinion(core: Core, actor: Actor, input: unknown): Promise<ExpertOpinionView> {
  requirePermission(actor, 'expert.add');
  const { caseId } = parseInput(ExpertOpinionInput, input);
  const id = await tx(core, async () => {
    const { e, row, experts, reviewKind } = await checked(core, actor, input);
    const at = nowIso(core);
    const opinionId = await insertExpertOpinion(core.db, {
      caseId: row.id,
      round: row.round,
      reviewKind,
      experts,
      heldOn: e.heldOn,
      opinion: e.opinion,
      fileSha256: e.file?.sha256 ?? null,
      fileName: e.file?.name ?? null,
      by: actor.id,
      at,
    });
    await appendEvent(core, actor, 'expert.add', row.id, {
      expertOpinionId: opinionId,
      round: row.round,
      kind: reviewKind,
      experts,
      heldOn: e.heldOn,
      opinion: e.opinion,
      file: e.file ?? null,
    });
    return opinionId;
  });
  return (await expertOpinionViews(core.db, caseId)).find((x) => x.id === id)!;
}
