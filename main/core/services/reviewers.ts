// 行政处罚法 第五十八条: a person reviewing penalty decisions for the first time must hold the national
// 法律职业资格. A reviewer without a qualification number takes no penalty case, unless the security
// administrator recorded that they already reviewed penalty decisions before the law took effect.
import { AppError } from '../domain/errors';
import type { UserView } from '../domain/views';
import { exemptionOf, insertExemption, type ExemptionRow } from '../db/repos/gate';
import { getUserById } from '../db/repos/users';
import { ReviewerExemptInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { toUserView } from './users';
import { formatChinaMoment } from '../domain/calendar/cst';

/** The day the revised 行政处罚法 took effect. */
export const PENALTY_LAW_EFFECTIVE = '2021-07-15';

const exemptionView = (e: ExemptionRow | undefined) => (e ? { note: e.note, by: e.recorded_by_name, at: e.recorded_at } : null);

/** Why this reviewer may not review a penalty case, or null when they may. */
export async function penaltyReviewBar(core: Core, actor: Actor): Promise<string | null> {
  const u = await getUserById(core.db, actor.id);
  if (u?.qualification_no) return null;
  if (await exemptionOf(core.db, actor.id)) return null;
  return '行政处罚法第五十八条：初次从事行政处罚决定法制审核的人员应当取得法律职业资格。您尚未登记法律职业资格证号，也没有安全管理员登记的“2021年7月15日前已从事审核”记录，不能领取行政处罚案件。';
}

export async function assertMayReview(core: Core, actor: Actor, caseKind: string): Promise<void> {
  if (caseKind !== 'penalty') return;
  const bar = await penaltyReviewBar(core, actor);
  if (bar) throw new AppError('REVIEWER_UNQUALIFIED', bar);
}

export async function exemptReviewer(core: Core, actor: Actor, input: unknown): Promise<UserView> {
  requirePermission(actor, 'reviewer.exempt');
  const e = parseInput(ReviewerExemptInput, input);
  return await tx(core, async () => {
    const u = await getUserById(core.db, e.userId);
    if (!u) throw new AppError('NOT_FOUND', `用户（编号 ${e.userId}）不存在。`);
    if (u.id === actor.id) throw new AppError('SEPARATION_OF_DUTIES', '不能为自己登记审核人员资格豁免。');
    const before = await exemptionOf(core.db, u.id);
    if (before) throw new AppError('CONFLICT', `已于${formatChinaMoment(before.recorded_at)}由${before.recorded_by_name}登记${u.display_name}的资格豁免，不能重复登记。`);
    const at = nowIso(core);
    const id = await insertExemption(core.db, { userId: u.id, note: e.note, by: actor.id, at });
    await appendEvent(core, actor, 'reviewer.exempt', null, { exemptionId: id, userId: u.id, username: u.username, note: e.note, before: PENALTY_LAW_EFFECTIVE });
    return { ...toUserView(u), reviewerExemption: exemptionView(await exemptionOf(core.db, u.id)) };
  });
}
