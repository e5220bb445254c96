// Submission, resubmission, the case page, search, queues and closing.
import { AppError, fieldError, issuesOf, type ErrorCode, type FieldIssue } from '../domain/errors';
import { ACTION_LABELS, canonicalJson, sha256Hex } from '../domain/audit';
import { isValidCreditCode, isValidResidentId } from '../domain/ids';
import { formatYuan, parseYuan, yuanInCapitals } from '../domain/money';
import { hasPermission } from '../domain/permissions';
import { CRITERIA, OUTCOME_LABELS, APPROVAL_LABELS, type CaseState } from '../domain/types';
import { assertState, canTransition } from '../domain/workflow';
import { cstDate } from '../domain/calendar/cst';
import type { CaseDetail, CaseSummary, MajorBasis, MajorQuantities, SearchResult, SubmissionView, TimelineEntry } from '../domain/views';
import { classifyMajor, majorLines } from '../domain/catalog';
import { reviewSettings } from './reviewSettings';
import { penaltyReviewBar } from './reviewers';
import { extensionActions, extensionRequestViews } from './extensions';
import { getCatalogVersion, currentCatalog } from '../db/repos/catalog';
import { approvalsOf } from '../db/repos/approvals';
import {
  attachmentsOf,
  blobExists,
  caseIdByNo,
  getCase,
  insertCase,
  insertSubmission,
  officerIdsOfCase,
  searchCases,
  setSearchText,
  submissionsOf,
  updateCase,
  type CaseListRow,
  type SubmissionRow,
} from '../db/repos/cases';
import { eventsOfCase } from '../db/repos/events';
import { expertOpinionViews } from '../db/repos/experts';
import { escalationOf, rereviewRequestOf } from '../db/repos/meetings';
import { endingsOf, endingStepsOf } from '../db/repos/endings';
import { referralView } from './referrals';
import { caseFileView, SUPPLEMENT_KIND_LABELS } from './caseFiles';
import { INSPECTION_RESULT_LABELS, inspectionsView } from './inspections';
import { FILING_RESULT_LABELS, caseFilingView } from './filings';
import { isCustodianOf } from '../db/repos/caseFiles';
import { assertEnforcementConcluded, completeEnforcementClocks, enforcementView, EXECUTION_STEP_LABELS, SERVICE_METHOD_LABELS } from './enforcement';
import { caseFacts, involvedIn } from './authority';
import { directApprovalBar } from './approvals';
import { documentRefusal, documentRule } from '../domain/authority';
import { ENDING_LABELS } from '../domain/types';
import type { EndingView } from '../domain/views';
import { loadTemplates } from './documents';
import { discussionRequiredFor, workflowSettings } from './settings';
import { caseClocks, currentClock, loadCalendar, planPeriod, runningReviewClock, runningReviewClocks, startClock, startPeriod } from './deadlines';
import type { Calendar } from '../domain/calendar';
import { findingsOf, reviewsOf } from '../db/repos/reviews';
import { userCardsOf, type UserCard } from '../db/repos/users';
import { CaseInput, ResubmitInput, SearchInput } from '../../../preload/contract';
import type { z } from 'zod';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, caseVersion } from './versions';

type CaseData = z.output<typeof CaseInput>;

/** SHA-256 of the submission exactly as stored (canonical JSON). */
const submissionDigest = (data: unknown): string => sha256Hex(canonicalJson(data));

/** Stored submission payload: the input as given plus what the core derived (fine and value in fen, the basis). */
interface StoredSubmission extends Omit<CaseData, 'fineAmount' | 'quantities' | 'majorGround'> {
  fineFen: number | null;
  /** Absent on submissions stored before catalog version 2. */
  quantities?: MajorQuantities;
  majorBasis?: MajorBasis;
  majorGround?: string | null;
}

/**
 * Every rule a submission must meet, checked against the database as it is now. Every refusal is
 * collected before one is thrown, each with its field's path (details.issues), so the form can point
 * at all of them at once; the first refusal's code stands for the whole.
 */
async function checkSubmission(core: Core, actor: Actor, c: CaseData, opts: { skipAttachments?: boolean } = {}): Promise<StoredSubmission> {
  const issues: (FieldIssue & { code: ErrorCode })[] = [];
  const refuse = (code: ErrorCode, path: string, message: string) => issues.push({ code, path, message });
  /** A domain rule that throws: its refusal (with the paths it names, or `path`) joins the others. */
  const check = <T>(path: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const named = issuesOf(err.details);
      for (const i of named.length ? named : [{ path, message: err.message }]) refuse(err.code, i.path, i.message);
      return undefined;
    }
  };
  const p = c.party;
  if (p.type === 'citizen' && !isValidResidentId(p.idNumber)) {
    refuse('VALIDATION', 'party.idNumber', `当事人身份证号码“${p.idNumber}”校验不通过（GB 11643），请核对。`);
  }
  if (p.type === 'organization' && !isValidCreditCode(p.idNumber)) {
    refuse('VALIDATION', 'party.idNumber', `统一社会信用代码“${p.idNumber}”校验不通过（GB 32100），请核对。`);
  }
  const fineFen = c.fineAmount ? check('fineAmount', () => parseYuan(c.fineAmount!)) : null;
  const catalog = await currentCatalog(core.db);
  const item = catalog?.items.find((i) => i.code === c.catalogItem);
  if (!catalog || !item) refuse('NOT_MAJOR', 'catalogItem', `目录事项“${c.catalogItem}”不在现行重大执法决定目录清单中。`);
  else if (item.kind !== c.kind) refuse('VALIDATION', 'catalogItem', `目录事项“${item.label}”与所选决定类型不一致。`);
  // What decides the item (001 附件3 第五至八条; 001 二（三）): missing quantities and cases below the threshold are refused.
  const quantities = check('quantities.sealValueYuan', () => storedQuantities(c.quantities));
  const majorGround = c.majorGround?.trim() || null;
  const reviewAll = (await reviewSettings(core)).reviewAllDecisions;
  const majorBasis =
    item && item.kind === c.kind && fineFen !== undefined && quantities ? check('catalogItem', () => classifyMajor(item, { partyType: p.type, fineFen, quantities, majorGround }, reviewAll)) : undefined;
  const today = cstDate(core.now());
  const officers = [...new Set(c.officerIds)];
  if (officers.length < 2) refuse('OFFICERS_INVALID', 'officerIds', '执法人员不得少于两人（且不得重复）。');
  const cards = await userCardsOf(core.db, officers);
  for (const id of officers) {
    const u = cards.get(id);
    if (!u || Number(u.active) !== 1) refuse('OFFICERS_INVALID', 'officerIds', `执法人员（编号 ${id}）不存在或已停用。`);
    else if (!u.cert_no || !u.cert_expiry) refuse('OFFICERS_INVALID', 'officerIds', `执法人员“${u.display_name}”未登记执法证。`);
    else if (u.cert_expiry < today) refuse('OFFICERS_INVALID', 'officerIds', `执法人员“${u.display_name}”的执法证已于${u.cert_expiry}过期。`);
  }
  c.procedure.forEach((s, i) => {
    if (s.date > today) refuse('VALIDATION', `procedure.${i}.date`, `程序环节“${s.step}”的日期${s.date}晚于今天。`);
  });
  const attachments = opts.skipAttachments ? [] : c.attachments;
  for (const [i, a] of attachments.entries()) {
    if (!await blobExists(core.db, a.sha256)) refuse('VALIDATION', `attachments.${i}`, `附件“${a.name}”尚未上传成功，请重新上传。`);
  }
  if (issues.length) {
    const message = issues.length === 1 ? issues[0].message : `送审材料有${issues.length}处需要修改：${issues.map((i) => i.message.replace(/。$/, '')).join('；')}。`;
    throw fieldError(issues[0].code, message, issues.map(({ path, message: m }) => ({ path, message: m })));
  }
  const { fineAmount: _f, quantities: _q, majorGround: _g, ...rest } = c;
  void actor;
  return { ...rest, officerIds: officers, fineFen: fineFen ?? null, quantities: quantities!, majorBasis: majorBasis!, majorGround };
}

/** The submitted quantities as stored: the value in fen, the area in m² or 'not_applicable'. */
function storedQuantities(q: CaseData['quantities']): MajorQuantities {
  const out: MajorQuantities = {};
  if (!q) return out;
  if (q.sealAreaM2 !== undefined) out.sealAreaM2 = q.sealAreaM2;
  if (q.sealValueYuan !== undefined) out.sealValueFen = parseYuan(q.sealValueYuan);
  if (q.hearingRequired !== undefined) out.hearingRequired = q.hearingRequired;
  if (q.hearingHeld !== undefined) out.hearingHeld = q.hearingHeld;
  if (q.publicInterest !== undefined) out.publicInterest = q.publicInterest;
  return out;
}

/** What a submission adds to its case's search text. */
const submissionSearchParts = (d: StoredSubmission): string[] => [d.caseNo, d.title, d.party.name, d.facts, d.proposedDecision, d.evidence.join(' ')];

async function searchBody(core: Core, caseId: number): Promise<string> {
  const parts: string[] = [];
  for (const s of await submissionsOf(core.db, caseId)) parts.push(...submissionSearchParts(JSON.parse(s.payload_json) as StoredSubmission));
  for (const r of await reviewsOf(core.db, caseId)) {
    parts.push(r.opinion, r.suggestions, ...(JSON.parse(r.requests_json) as string[]));
    for (const f of await findingsOf(core.db, r.id)) parts.push(f.reason);
  }
  return parts.filter(Boolean).join('\n');
}

export async function refreshSearch(core: Core, caseId: number): Promise<void> {
  await setSearchText(core.db, caseId, await searchBody(core, caseId));
}

/** Dry run of every submission rule except uploaded attachments, so `lrw` can refuse bad input before storing files. */
export async function validateSubmission(core: Core, actor: Actor, input: unknown): Promise<void> {
  requirePermission(actor, 'case.submit');
  const c = parseInput(CaseInput, input);
  await checkSubmission(core, actor, c, { skipAttachments: true });
}

export async function submitCase(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.submit');
  const c = parseInput(CaseInput, input);
  const id = await tx(core, async () => {
    const data = await checkSubmission(core, actor, c);
    if (await caseIdByNo(core.db, c.caseNo)) throw fieldError('CONFLICT', `案件编号“${c.caseNo}”已存在。`, 'caseNo');
    const at = nowIso(core);
    const catalog = (await currentCatalog(core.db))!;
    const period = await planPeriod(core, 'review');
    const caseId = await insertCase(
      core.db,
      {
        case_no: c.caseNo,
        kind: c.kind,
        title: c.title,
        party_name: c.party.name,
        handler_id: actor.id,
        catalog_version: catalog.version,
        catalog_item: c.catalogItem,
      },
      at,
    );
    const submissionId = await insertSubmission(core.db, { caseId, round: 1, payload: data, changeNote: null, by: actor.id, officerIds: data.officerIds, attachments: c.attachments }, at);
    await startPeriod(core, caseId, 1, 'review', period);
    // A new case has this one submission and no review yet: its search text is searchBody's without
    // reading back what was just written (the lock on the chain is held until COMMIT).
    await setSearchText(core.db, caseId, submissionSearchParts(JSON.parse(canonicalJson(data)) as StoredSubmission).filter(Boolean).join('\n'));
    // The event binds the stored row by its digest instead of repeating it (the row is append-only).
    await appendEvent(core, actor, 'case.submit', caseId, { round: 1, submissionId, submissionDigest: submissionDigest(data), catalogVersion: catalog.version });
    return caseId;
  });
  return await caseDetail(core, actor, id);
}

export async function resubmitCase(core: Core, actor: Actor, input: unknown): Promise<CaseDetail> {
  requirePermission(actor, 'case.resubmit');
  const inp = parseInput(ResubmitInput, input);
  await newRound(core, actor, inp, 'resubmit');
  return await caseDetail(core, actor, inp.caseId);
}

/**
 * A new round of materials: after a 退回 (补正, same proposal) or, with `revise`, after a rejection or
 * an accepted 不同意 — a revised proposal, a new cycle whose opinion may again be disputed once.
 */
export async function newRound(core: Core, actor: Actor, inp: z.output<typeof ResubmitInput>, action: 'resubmit' | 'revise'): Promise<void> {
  await tx(core, async () => {
    const row = await loadCase(core, inp.caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', action === 'resubmit' ? '只有本案承办人可以重新送审。' : '只有本案承办人可以修改处理方案。');
    // The materials were edited on the case as read: a case changed since (at another desk) is not overwritten.
    await assertFresh(core, '该案件', inp.expectedVersion, await caseVersion(core, row.id));
    assertState(row.state, action);
    if (action === 'revise' && row.state !== 'rejected' && row.last_outcome !== 'disagree') {
      throw new AppError('BAD_STATE', '只有未获批准或审核意见为“不同意”的处理方案才能修改后重新送审。');
    }
    const data = await checkSubmission(core, actor, inp.case);
    const other = await caseIdByNo(core.db, inp.case.caseNo);
    if (other !== undefined && other !== row.id) throw fieldError('CONFLICT', `案件编号“${inp.case.caseNo}”已被其他案件使用。`, 'case.caseNo');
    const at = nowIso(core);
    const round = row.round + 1;
    const cycle = action === 'revise' ? row.cycle + 1 : row.cycle;
    const catalog = (await currentCatalog(core.db))!;
    const period = await planPeriod(core, 'review');
    const submissionId = await insertSubmission(core.db, { caseId: row.id, round, payload: data, changeNote: inp.changeNote, by: actor.id, officerIds: data.officerIds, attachments: inp.case.attachments }, at);
    await updateCase(
      core.db,
      row.id,
      {
        state: 'submitted',
        round,
        cycle,
        case_no: inp.case.caseNo,
        kind: inp.case.kind,
        title: inp.case.title,
        party_name: inp.case.party.name,
        // A new round is taken afresh from the reviewers' queue (the earlier reviewer may take it again).
        reviewer_id: null,
        last_outcome: null,
        catalog_version: catalog.version,
        catalog_item: inp.case.catalogItem,
      },
      at,
    );
    await startPeriod(core, row.id, round, 'review', period);
    await refreshSearch(core, row.id);
    await appendEvent(core, actor, action === 'resubmit' ? 'case.resubmit' : 'case.revise', row.id, {
      round,
      ...(action === 'revise' && { cycle, from: row.state }),
      changeNote: inp.changeNote,
      submissionId,
      submissionDigest: submissionDigest(data),
    });
  });
}

export async function closeCase(core: Core, actor: Actor, caseId: number): Promise<CaseDetail> {
  requirePermission(actor, 'case.close');
  await tx(core, async () => {
    const row = await loadCase(core, caseId);
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以办结案件。');
    assertState(row.state, 'close');
    // 办结 is the end of the enforcement act: the decision served and carried out (000 第三十三条,
    // 001 附件2 第三十一条); the 30-day archive clock runs from here.
    await assertEnforcementConcluded(core, row);
    await completeEnforcementClocks(core, actor, caseId, nowIso(core));
    await updateCase(core.db, caseId, { state: 'closed' }, nowIso(core));
    await startClock(core, caseId, 'archive', core.now());
    await appendEvent(core, actor, 'case.close', caseId, { from: row.state });
  });
  return await caseDetail(core, actor, caseId);
}

export async function loadCase(core: Core, caseId: number): Promise<CaseListRow> {
  const row = await getCase(core.db, caseId);
  if (!row) throw new AppError('NOT_FOUND', `案件（编号 ${caseId}）不存在。`);
  return row;
}

/** Case contents hold personal data: only those involved in the case or in review/approval may read them. */
export async function canRead(core: Core, actor: Actor, row: CaseListRow): Promise<boolean> {
  if (hasPermission(actor.roles, 'case.readAll')) return true;
  if (row.handler_id === actor.id) return true;
  if ((await officerIdsOfCase(core.db, row.id)).includes(actor.id)) return true;
  // An inspector reads archived case files (migration 020); the custodian named on the case file its own
  // (migration 019). PostgreSQL's row security says the same.
  if (row.state === 'archived' && actor.roles.includes('inspector')) return true;
  return row.state === 'archived' && actor.roles.includes('custodian') && await isCustodianOf(core.db, row.id, actor.id);
}

export async function requireRead(core: Core, actor: Actor, row: CaseListRow): Promise<void> {
  if (!await canRead(core, actor, row)) throw new AppError('FORBIDDEN', '无权查阅此案件：案件材料含个人信息，仅限承办人、执法人员及审核、审批人员查阅。');
}

const summary = async (core: Core, r: CaseListRow, cal: Calendar): Promise<CaseSummary> => summaryOf(r, await runningReviewClock(core, r.id, cal));

export const summaryOf = (r: CaseListRow, reviewClock: CaseSummary['reviewClock']): CaseSummary => ({
  id: r.id,
  caseNo: r.case_no,
  title: r.title,
  kind: r.kind as CaseSummary['kind'],
  partyName: r.party_name,
  state: r.state,
  round: r.round,
  handler: r.handler_name,
  reviewer: r.reviewer_name,
  lastOutcome: r.last_outcome,
  headOverride: r.head_override === 1,
  updatedAt: r.updated_at,
  reviewClock,
});

/** Every round's materials, the officers of all rounds read in one statement. */
async function submissionViews(core: Core, rows: SubmissionRow[]): Promise<SubmissionView[]> {
  const cards = await userCardsOf(core.db, rows.flatMap((s) => (JSON.parse(s.payload_json) as StoredSubmission).officerIds));
  return await Promise.all(rows.map((s) => submissionView(core, s, cards)));
}

async function submissionView(core: Core, s: SubmissionRow, cards?: Map<number, UserCard>): Promise<SubmissionView> {
  const d = JSON.parse(s.payload_json) as StoredSubmission;
  const people = cards ?? await userCardsOf(core.db, d.officerIds);
  return {
    round: s.round,
    submittedAt: s.submitted_at,
    submittedBy: s.submitter_name,
    changeNote: s.change_note,
    caseNo: d.caseNo,
    title: d.title,
    kind: d.kind,
    catalogItem: d.catalogItem,
    party: d.party,
    facts: d.facts,
    evidence: d.evidence,
    legalBasis: d.legalBasis,
    proposedDecision: d.proposedDecision,
    fineFen: d.fineFen,
    fineCapitals: d.fineFen === null ? null : yuanInCapitals(d.fineFen),
    quantities: d.quantities ?? null,
    majorBasis: d.majorBasis ?? null,
    majorGround: d.majorGround ?? null,
    majorLines: majorLines(d.quantities ?? null, d.majorBasis ?? null, d.majorGround ?? null),
    procedure: d.procedure,
    officers: d.officerIds.map((id) => {
      const u = people.get(id);
      return { id, name: u?.display_name ?? `#${id}`, certNo: u?.cert_no ?? null };
    }),
    attachments: await attachmentsOf(core.db, s.id),
  };
}

/** The agency may require someone other than the contested review's reviewer to re-review. */
export async function barredFromRereview(core: Core, actor: Actor, caseId: number): Promise<boolean> {
  return (await workflowSettings(core)).rereviewDifferentReviewer && (await reviewsOf(core.db, caseId)).at(-1)?.reviewer_id === actor.id;
}

/** What the actor could do on this case right now (the services check it all again). */
async function allowedActions(core: Core, actor: Actor, r: CaseListRow): Promise<string[]> {
  const out: string[] = [];
  const officers = await officerIdsOfCase(core.db, r.id);
  const involved = r.handler_id === actor.id || officers.includes(actor.id);
  const takeable = r.state === 'submitted' || (r.state === 'rereview_requested' && r.reviewer_id === null && !await barredFromRereview(core, actor, r.id));
  // 行政处罚法 第五十八条: no penalty case for a reviewer without the qualification or a recorded exemption.
  if (hasPermission(actor.roles, 'review.take') && takeable && !involved && !(r.kind === 'penalty' && await penaltyReviewBar(core, actor))) out.push('review.take');
  out.push(...await extensionActions(core, actor, r.id, r.reviewer_id));
  if (hasPermission(actor.roles, 'review.issue') && canTransition(r.state, 'issueReview') && r.reviewer_id === actor.id) out.push('review.issue');
  if (hasPermission(actor.roles, 'expert.add') && canTransition(r.state, 'issueReview') && r.reviewer_id === actor.id) out.push('expert.add');
  const own = r.handler_id === actor.id;
  const rr = await rereviewRequestOf(core.db, r.id, r.cycle);
  const esc = await escalationOf(core.db, r.id, r.cycle);
  const last = (await reviewsOf(core.db, r.id)).at(-1);
  const rereviewedNow = last?.kind === 'rereview' && last.round === r.round;
  const legalOffice = actor.roles.includes('legal_head') || actor.roles.includes('reviewer');
  if (hasPermission(actor.roles, 'rereview.request') && own && canTransition(r.state, 'requestRereview') && (r.last_outcome === 'disagree' || r.last_outcome === 'return') && !rr) out.push('rereview.request');
  if (hasPermission(actor.roles, 'case.escalate') && own && canTransition(r.state, 'escalate') && rr && rereviewedNow && r.last_outcome !== 'agree' && !esc) out.push('case.escalate');
  if (hasPermission(actor.roles, 'case.propose') && (own || legalOffice) && canTransition(r.state, 'propose') && !esc) out.push('case.propose');
  if (hasPermission(actor.roles, 'case.resubmit') && r.handler_id === actor.id && canTransition(r.state, 'resubmit')) out.push('case.resubmit');
  if (hasPermission(actor.roles, 'case.revise') && own && canTransition(r.state, 'revise') && (r.state === 'rejected' || r.last_outcome === 'disagree')) out.push('case.revise');
  if (hasPermission(actor.roles, 'case.end') && own && canTransition(r.state, 'proposeEnding')) out.push('case.end');
  if (hasPermission(actor.roles, 'ending.review') && canTransition(r.state, 'reviewEnding') && !involved) out.push('ending.review');
  const approvesFree = !(await involvedIn(core, r)).has(actor.id);
  if (hasPermission(actor.roles, 'ending.decide') && canTransition(r.state, 'decideEnding') && approvesFree) out.push('ending.decide');
  const meetingOnly = discussionRequiredFor(await workflowSettings(core), r.catalog_item);
  if (hasPermission(actor.roles, 'approval.decide') && canTransition(r.state, 'decide') && approvesFree && !meetingOnly) out.push('approval.decide');
  if (hasPermission(actor.roles, 'case.close') && r.handler_id === actor.id && canTransition(r.state, 'close')) out.push('case.close');
  return out;
}

export async function caseDetail(core: Core, actor: Actor, caseId: number): Promise<CaseDetail> {
  const r = await loadCase(core, caseId);
  await requireRead(core, actor, r);
  const reviews = await Promise.all((await reviewsOf(core.db, caseId)).map(async (rv) => ({
    id: rv.id,
    round: rv.round,
    kind: rv.kind,
    reviewer: rv.reviewer_name,
    reviewerId: rv.reviewer_id,
    outcome: rv.outcome,
    opinion: rv.opinion,
    requests: JSON.parse(rv.requests_json) as string[],
    suggestions: rv.suggestions,
    issuedAt: rv.issued_at,
    findings: (await findingsOf(core.db, rv.id)).map((f) => ({ ...f, title: CRITERIA[f.criterion - 1] })),
  })));
  const approvals = (await approvalsOf(core.db, caseId)).map((a) => ({
    id: a.id,
    head: a.head_name,
    headId: a.head_id,
    decision: a.decision,
    opinion: a.opinion,
    override: a.override === 1,
    overrideReason: a.override_reason,
    reviewOutcome: a.review_outcome,
    decidedAt: a.decided_at,
    meetingId: a.meeting_id,
  }));
  const rr = await rereviewRequestOf(core.db, caseId, r.cycle);
  const esc = await escalationOf(core.db, caseId, r.cycle);
  const lastReview = reviews[reviews.length - 1];
  const lastApproval = approvals[approvals.length - 1];
  const cal = await loadCalendar(core);
  const clocks = await caseClocks(core, caseId, cal);
  return {
    ...(await summary(core, r, cal)),
    version: (await caseVersion(core, caseId)).version,
    clocks,
    currentClock: currentClock(clocks),
    rereviewRequest: rr ? { reasons: rr.reasons, by: rr.requester_name, at: rr.requested_at } : null,
    escalation: esc ? { reasons: esc.reasons, by: esc.escalator_name, at: esc.escalated_at, kind: esc.kind } : null,
    cycle: r.cycle,
    endings: await endingViews(core, caseId),
    approvalBar: canTransition(r.state, 'decide') ? await directApprovalBar(core, r) : null,
    documentRights: await documentRights(core, actor, r),
    handlerId: r.handler_id,
    reviewerId: r.reviewer_id,
    catalogVersion: r.catalog_version,
    catalogItem: r.catalog_item,
    catalogItemLabel: (await getCatalogVersion(core.db, r.catalog_version))?.items.find((i) => i.code === r.catalog_item)?.label ?? r.catalog_item,
    submissions: await submissionViews(core, await submissionsOf(core.db, caseId)),
    reviews,
    approvals,
    timeline: await timeline(core, caseId),
    extensionRequests: await extensionRequestViews(core, caseId),
    responsible: {
      handler: r.handler_name,
      reviewer: lastReview?.reviewer ?? r.reviewer_name,
      approver: lastApproval?.head ?? null,
    },
    expertOpinions: await expertOpinionViews(core.db, caseId),
    allowed: await allowedActions(core, actor, r),
    referral: await referralView(core, actor, r, clocks),
    enforcement: await enforcementView(core, actor, r, clocks),
    caseFile: await caseFileView(core, actor, r),
    inspections: await inspectionsView(core, actor, r),
    filing: await caseFilingView(core, actor, r),
  };
}

function timelineSummary(action: string, p: Record<string, unknown>): string {
  switch (action) {
    case 'case.submit':
      return '提交送审材料（第1轮）';
    case 'case.resubmit':
      return `第${String(p.round)}轮送审：${String(p.changeNote ?? '')}`;
    case 'review.issue':
      return `第${String(p.round)}轮${p.kind === 'rereview' ? '复审' : '审核'}意见：${OUTCOME_LABELS[p.outcome as keyof typeof OUTCOME_LABELS] ?? ''}${p.referralId ? '；认定涉嫌犯罪，启动移送涉嫌犯罪案件程序' : ''}`;
    case 'approval.decide':
      return `${APPROVAL_LABELS[p.decision as keyof typeof APPROVAL_LABELS] ?? ''}${p.override ? '（不采纳法制审核意见）' : ''}`;
    case 'case.take':
      return p.kind === 'rereview' ? '领取本案进行复审' : '领取本案进行法制审核';
    case 'meeting.confirm':
      return p.decided ? '负责人会议纪要经主持人确认，会议决定生效' : '负责人会议纪要经主持人确认（本案未作决定）';
    case 'meeting.amendItem':
      return `补正会议纪要：${String(p.text ?? '')}（理由：${String(p.reason ?? '')}）`;
    case 'case.close':
      return '案件办结';
    case 'archive.transfer':
      return `组卷归档：${String(p.entries ?? '')}件，案卷共${String(p.pages ?? '')}页，移交档案管理员${String(p.custodian ?? '')}`;
    case 'inspection.record':
      return `案卷评查：${INSPECTION_RESULT_LABELS[p.result as keyof typeof INSPECTION_RESULT_LABELS] ?? ''}。${String(p.findings ?? '')}${Array.isArray(p.requests) && p.requests.length ? `（整改要求${p.requests.length}项）` : ''}`;
    case 'inspection.reply':
      return `答复案卷评查意见：${String(p.text ?? '')}`;
    case 'filing.record':
      return `${String(p.filedOn ?? '')}报送${Array.isArray(p.recipients) ? p.recipients.join('、') : ''}备案`;
    case 'filing.respond':
      return `${String(p.recipient ?? '')}：${FILING_RESULT_LABELS[p.result as keyof typeof FILING_RESULT_LABELS] ?? ''}${p.text ? `。${String(p.text)}` : ''}`;
    case 'filing.correct':
      return `改正情况：${String(p.text ?? '')}`;
    case 'archive.receive':
      return `档案管理员接收案卷${p.note ? `：${String(p.note)}` : ''}`;
    case 'archive.supplement':
      return `补充归档（${SUPPLEMENT_KIND_LABELS[p.kind as keyof typeof SUPPLEMENT_KIND_LABELS] ?? ''}）：${String(p.title ?? '')}${p.files ? `，附${String(p.files)}个文件` : ''}`;
    case 'rereview.request':
      return `理由：${String(p.reasons ?? '')}`;
    case 'case.escalate':
      return `复审后仍有异议，由法制机构提请负责人会议集体讨论（审核办法第十二条）：${String(p.reasons ?? '')}`;
    case 'case.propose':
      return `提请负责人会议集体讨论：${String(p.reasons ?? '')}`;
    case 'case.revise':
      return `修改处理方案，第${String(p.round)}轮送审（新的处理方案）：${String(p.changeNote ?? '')}`;
    case 'ending.propose':
      return `提出${ENDING_LABELS[p.kind as keyof typeof ENDING_LABELS] ?? ''}意见：${String(p.reason ?? '')}`;
    case 'enforcement.service':
      return `${String(p.documentName ?? '')}${SERVICE_METHOD_LABELS[p.method as keyof typeof SERVICE_METHOD_LABELS] ?? ''}，受送达人${String(p.recipient ?? '')}，送达日期${String(p.servedOn ?? '')}`;
    case 'enforcement.execution':
      return `${EXECUTION_STEP_LABELS[p.step as keyof typeof EXECUTION_STEP_LABELS] ?? ''}（${String(p.onDate ?? '')}）：${typeof p.amountFen === 'number' ? `${formatYuan(p.amountFen)}；` : ''}${String(p.text ?? '')}`;
    case 'referral.report':
      return `提出移送涉嫌犯罪案件的书面报告：${String(p.report ?? '')}`;
    case 'referral.decide':
      return `${p.decision === 'approve' ? '批准移送' : '不批准移送'}：${String(p.reason ?? '')}`;
    case 'referral.transfer':
      return `移送${String(p.police ?? '')}，抄送${String(p.procuratorate ?? '')}${p.supervisory ? `、${String(p.supervisory)}` : ''}`;
    case 'ending.review':
      return `审核终结意见：${p.outcome === 'agree' ? '同意' : '不同意，退回承办单位'}。${String(p.opinion ?? '')}`;
    case 'ending.decide':
      return `${p.outcome === 'agree' ? `批准${String(p.kindLabel ?? '终结')}` : '不批准终结，退回承办单位'}：${String(p.opinion ?? '')}`;
    case 'meeting.recuse':
      return `${p.source === 'party' ? '当事人申请' : '本人申请'}回避：${String(p.reason ?? '')}`;
    case 'extension.request':
      return `申请延长审核期限：${String(p.reason ?? '')}`;
    case 'extension.decide':
      return `${p.decision === 'approve' ? '批准' : '不予批准'}延长审核期限：${String(p.reason ?? '')}`;
    case 'expert.add':
      return `${p.kind === 'rereview' ? '复审' : '审核'}中组织专家论证（${Array.isArray(p.experts) ? p.experts.join('、') : ''}，${String(p.heldOn ?? '')}）`;
    case 'period.extend':
      return `延长${String(p.days)}日至${String(p.to)}：${String(p.reason ?? '')}`;
    case 'meeting.decide':
      return `${p.decision === 'approve' ? '同意' : '不同意'}作出该决定：${String(p.decisionText ?? '')}`;
    default:
      return '';
  }
}

async function timeline(core: Core, caseId: number): Promise<TimelineEntry[]> {
  return (await eventsOfCase(core.db, caseId)).map((e) => ({
    seq: e.seq,
    at: e.at,
    actor: e.actor_name,
    action: e.action,
    label: ACTION_LABELS[e.action] ?? e.action,
    summary: timelineSummary(e.action, JSON.parse(e.payload_json) as Record<string, unknown>),
  }));
}

export async function search(core: Core, actor: Actor, input: unknown): Promise<SearchResult> {
  const f = parseInput(SearchInput, input);
  // Users without case.readAll see only cases they handle or act on as officers, filtered in SQL so paging and totals hold.
  const visibleTo = hasPermission(actor.roles, 'case.readAll') ? undefined : actor.id;
  const { total, capped, rows } = await searchCases(core.db, { ...f, state: f.state as CaseState | undefined, visibleTo });
  const cal = await loadCalendar(core);
  const clocks = await runningReviewClocks(core, rows.map((r) => r.id), cal);
  return { total, totalCapped: capped, items: rows.map((r) => summaryOf(r, clocks.get(r.id) ?? null)) };
}

/** 待办 (services/queue.ts): re-exported for the callers that import it from here. */
export { queue } from './queue';

async function endingViews(core: Core, caseId: number): Promise<EndingView[]> {
  return await Promise.all((await endingsOf(core.db, caseId)).map(async (e) => ({
    id: e.id,
    cycle: e.cycle,
    kind: e.kind,
    kindLabel: ENDING_LABELS[e.kind],
    reason: e.reason,
    by: e.proposer_name,
    at: e.proposed_at,
    steps: (await endingStepsOf(core.db, e.id)).map((st) => ({ step: st.step, outcome: st.outcome, opinion: st.opinion, by: st.by_name, at: st.at })),
  })));
}

/** The authority table evaluated for this user and case, so the UI shows only what the core will accept. */
async function documentRights(core: Core, actor: Actor, r: CaseListRow): Promise<CaseDetail['documentRights']> {
  const facts = await caseFacts(core, r);
  const out: CaseDetail['documentRights'] = {};
  const drafter = hasPermission(actor.roles, 'document.draft');
  for (const t of (await loadTemplates(core)).values()) {
    const rule = documentRule(t.id, t.kind);
    const refusal = (step: 'draft' | 'finalize' | 'issue') => (drafter || step === 'issue' ? documentRefusal(rule, t.title, step, actor, facts) : { message: '无权起草文书。' });
    const d = refusal('draft');
    const f = refusal('finalize');
    const i = refusal('issue');
    out[t.id] = { draft: !d, finalize: !f, issue: !i, reason: (d ?? f ?? i)?.message ?? null };
  }
  return out;
}
