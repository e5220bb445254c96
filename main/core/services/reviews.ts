// Legal review: taking a case, autosaved drafts, and issuing the nine findings with one outcome.
import { AppError, type ErrorCode, type FieldIssue } from '../domain/errors';
import { CRIME_CRITERION, CRITERIA, DEFAULT_AGREE_OPINION, CRITERION_COUNT, findingLabel, type Outcome } from '../domain/types';
import { assertState } from '../domain/workflow';
import type { CaseDetail, ReviewDraftView } from '../domain/views';
import { officerIdsOfCase, updateCase, type CaseListRow } from '../db/repos/cases';
import { clearReviewDraft, loadReviewDraft, saveReviewDraft } from '../db/repos/drafts';
import { insertReview, type FindingRow } from '../db/repos/reviews';
import { IssueReviewInput, ReviewDraftInput } from '../../../preload/contract';
import { appendEvent } from './audit';
import { assertMayReview } from './reviewers';
import { openReferral } from './referrals';
import { stopPeriod } from './deadlines';
import { requirePermission } from './auth';
import { barredFromRereview, caseDetail, loadCase, refreshSearch } from './cases';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, staleError, type VersionStamp } from './versions';

/** 审办分离 (004 三(五)): whoever handled or acted as officer on the case may not review it. */
export async function assertSeparation(core: Core, actor: Actor, row: CaseListRow): Promise<void> {
  if (row.handler_id === actor.id) {
    throw new AppError('SEPARATION_OF_DUTIES', '审办分离：您是本案承办人，不能审核本案。');
  }
  if ((await officerIdsOfCase(core.db, row.id)).includes(actor.id)) {
    throw new AppError('SEPARATION_OF_DUTIES', '审办分离：您是本案执法人员，不能审核本案。');
  }
}

export async function takeCase(core: Core, actor: Actor, caseId: number): Promise<CaseDetail> {
  requirePermission(actor, 'review.take');
  await tx(core, async () => {
    const row = await loadCase(core, caseId);
    await assertSeparation(core, actor, row);
    // 行政处罚法 第五十八条: the qualification (or a recorded exemption) before a penalty case.
    await assertMayReview(core, actor, row.kind);
    // Two reviewers at once: the second one learns who was first (transactions run one after another).
    if (row.state === 'under_review' && row.reviewer_id !== null) {
      throw new AppError('CONFLICT', row.reviewer_id === actor.id ? '您已领取本案审核。' : `本案已由${row.reviewer_name}领取审核。`);
    }
    assertState(row.state, 'take');
    const rereview = row.state === 'rereview_requested';
    if (rereview) {
      if (row.reviewer_id !== null) throw new AppError('CONFLICT', `本案复审已由${row.reviewer_name}领取。`);
      if (await barredFromRereview(core, actor, caseId)) {
        throw new AppError('SEPARATION_OF_DUTIES', '本机关规定复审须由原审核人员以外的法制审核人员进行，您是原审核人员，不能领取复审。');
      }
    }
    await updateCase(core.db, caseId, { state: rereview ? 'rereview_requested' : 'under_review', reviewer_id: actor.id }, nowIso(core));
    await appendEvent(core, actor, 'case.take', caseId, { round: row.round, kind: rereview ? 'rereview' : 'review' });
  });
  return await caseDetail(core, actor, caseId);
}

async function assertAssignedReviewer(core: Core, actor: Actor, row: CaseListRow): Promise<void> {
  await assertSeparation(core, actor, row);
  if (row.reviewer_id !== actor.id) {
    throw new AppError('FORBIDDEN', row.reviewer_name ? `本案已由${row.reviewer_name}领取审核。` : '请先领取本案再审核。');
  }
}

/** The review draft's version: its saves counted (operational, no event), by its reviewer. */
async function draftVersion(core: Core, caseId: number, reviewerId: number): Promise<VersionStamp> {
  const r = await loadReviewDraft(core.db, caseId, reviewerId);
  return r ? { version: Number(r.version), actorId: reviewerId, at: r.updated_at } : { version: 0, actorId: null, at: null };
}

// The same reviewer at a second desk (or in a browser) is the one who can overwrite a draft.
const DRAFT = '该审核意见草稿';
const SAVED_ELSEWHERE = '在另一处保存';

export async function saveDraft(core: Core, actor: Actor, input: unknown): Promise<{ savedAt: string; version: number }> {
  requirePermission(actor, 'review.issue');
  const d = parseInput(ReviewDraftInput, input);
  const row = await loadCase(core, d.caseId);
  await assertAssignedReviewer(core, actor, row);
  assertState(row.state, 'issueReview');
  const at = nowIso(core);
  const { caseId: _c, expectedVersion, ...draft } = d;
  // One conditional statement: a draft saved elsewhere since the version read is not overwritten.
  const version = await saveReviewDraft(core.db, d.caseId, actor.id, JSON.stringify(draft), at, expectedVersion);
  if (version === null) throw await staleError(core, DRAFT, expectedVersion!, await draftVersion(core, d.caseId, actor.id), SAVED_ELSEWHERE);
  return { savedAt: at, version };
}

export async function getDraft(core: Core, actor: Actor, caseId: number): Promise<ReviewDraftView | null> {
  requirePermission(actor, 'review.issue');
  const row = await loadCase(core, caseId);
  await assertAssignedReviewer(core, actor, row);
  const r = await loadReviewDraft(core.db, caseId, actor.id);
  if (!r) return null;
  const d = JSON.parse(r.draft_json) as Omit<ReviewDraftView, 'savedAt' | 'version'>;
  return { ...d, findings: d.findings.map((f) => ({ ...f, reason: f.reason ?? '' })), savedAt: r.updated_at, version: Number(r.version) };
}

/**
 * The rules of 001 附件3 第十、十一条 on a complete set of findings and an outcome. Every refusal is
 * collected first, each with the path of its field in the request (findings in the order sent), and
 * thrown as one: the first refusal's code stands for the whole.
 */
export function checkReview(findings: FindingRow[], outcome: Outcome, opinion: string, requests: string[]): void {
  const issues: (FieldIssue & { code: ErrorCode })[] = [];
  const refuse = (code: ErrorCode, path: string, message: string) => issues.push({ code, path, message });
  const seen = new Set(findings.map((f) => f.criterion));
  const missing = CRITERIA.map((_t, i) => i + 1).filter((n) => !seen.has(n));
  if (findings.length !== CRITERION_COUNT || seen.size !== CRITERION_COUNT) {
    refuse('FINDINGS_INCOMPLETE', 'findings', `须对九项审核内容逐项作出结论后才能出具意见，尚缺第${missing.join('、')}项。`);
  }
  findings.forEach((f, i) => {
    if (f.result !== 'conform' && !f.reason.trim()) {
      refuse('VALIDATION', `findings.${i}.reason`, `第${f.criterion}项“${CRITERIA[f.criterion - 1]}”结论为${findingLabel(f.criterion, f.result)}，须写明理由。`);
    }
  });
  const defects = findings.filter((f) => f.result !== 'conform').sort((a, b) => a.criterion - b.criterion);
  const crime = findings.some((f) => f.criterion === CRIME_CRITERION && f.result === 'nonconform');
  if (outcome === 'agree' && crime) {
    // 《行政执法机关移送涉嫌犯罪案件的规定》: a suspected crime is referred, never settled by a penalty.
    refuse('AGREE_WITH_DEFECTS', 'outcome', `第${CRIME_CRITERION}项结论为涉嫌犯罪，应当移送司法机关，不得以罚代刑：不能出具“同意”意见，请选择退回或不同意。`);
  } else if (outcome === 'agree' && defects.length > 0) {
    refuse('AGREE_WITH_DEFECTS', 'outcome', `第${defects.map((f) => f.criterion).join('、')}项结论为不符合或需补正，不能出具“同意”意见，请选择退回或不同意。`);
  }
  if (outcome === 'return' && requests.length === 0) refuse('VALIDATION', 'requests', '退回须逐项列明需要补充或更正的内容。');
  if (outcome === 'disagree' && !opinion.trim()) refuse('VALIDATION', 'opinion', '出具“不同意”意见须写明理由。');
  if (!issues.length) return;
  const message = issues.length === 1 ? issues[0].message : `审核意见有${issues.length}处需要修改：${issues.map((i) => i.message.replace(/。$/, '')).join('；')}。`;
  throw new AppError(issues[0].code, message, { issues: issues.map(({ path, message: m }) => ({ path, message: m })), ...(missing.length && { missing }) });
}

export async function issueReview(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'review.issue');
  const r = parseInput(IssueReviewInput, input);
  await tx(core, async () => {
    const row = await loadCase(core, r.caseId);
    await assertAssignedReviewer(core, actor, row);
    // The opinion issued is the one this desk holds: a draft saved at another desk since is not silently set aside.
    await assertFresh(core, DRAFT, r.expectedVersion, await draftVersion(core, row.id, actor.id), SAVED_ELSEWHERE);
    assertState(row.state, 'issueReview');
    // Checked in the order sent (the paths of the refusals name the request's rows), stored in criterion order.
    checkReview(r.findings, r.outcome, r.opinion, r.requests);
    const findings = [...r.findings].sort((a, b) => a.criterion - b.criterion);
    const opinion = r.opinion || (r.outcome === 'agree' ? DEFAULT_AGREE_OPINION : '');
    const at = nowIso(core);
    const kind = row.state === 'rereview_requested' ? 'rereview' : 'review';
    const done = kind === 'rereview' ? 'rereviewed' : 'reviewed';
    const reviewId = await insertReview(core.db, { caseId: row.id, round: row.round, kind, reviewerId: actor.id, outcome: r.outcome, opinion, requests: r.requests, suggestions: r.suggestions, findings }, at);
    await updateCase(core.db, row.id, { state: r.outcome === 'return' ? 'returned' : done, last_outcome: r.outcome }, at);
    await clearReviewDraft(core.db, row.id, actor.id);
    await stopPeriod(core, row.id, r.outcome);
    await refreshSearch(core, row.id);
    // 涉嫌犯罪，应当移送: the case's referral opens with the review that found it (services/referrals.ts).
    const crime = findings.some((f) => f.criterion === CRIME_CRITERION && f.result === 'nonconform');
    const referralId = crime ? await openReferral(core, row.id, reviewId, at) : null;
    await appendEvent(core, actor, 'review.issue', row.id, { round: row.round, kind, outcome: r.outcome, opinion, requests: r.requests, suggestions: r.suggestions, findings, ...(referralId !== null && { referralId }) });
  });
  return await caseDetail(core, actor, r.caseId);
}
