// Evaluates the authority table (domain/authority.ts) and separation of duties against a case as it
// is in the database now.
import { AppError } from '../domain/errors';
import { documentRefusal, documentRule, type CaseFacts, type DocumentStep } from '../domain/authority';
import { approvalsOf } from '../db/repos/approvals';
import { officerIdsOfCase, officerIdsOfCases, type CaseListRow } from '../db/repos/cases';
import { endingsOf, endingStepsOf } from '../db/repos/endings';
import { rereviewRequestOf } from '../db/repos/meetings';
import { reviewsOf, reviewsOfCases, type ReviewRow } from '../db/repos/reviews';
import type { Actor, Core } from './core';

export async function caseFacts(core: Core, row: CaseListRow): Promise<CaseFacts> {
  const reviews = (await reviewsOf(core.db, row.id)).filter((r) => r.round === row.round);
  const review = reviews.filter((r) => r.kind === 'review').at(-1);
  const rereview = reviews.filter((r) => r.kind === 'rereview').at(-1);
  const last = reviews.at(-1);
  const meeting = (await core.db.get(
    `SELECT m.id, m.locked_at AS "lockedAt" FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE i.case_id = ? ORDER BY i.id DESC LIMIT 1`,
    [row.id],
  )) as { id: number; lockedAt: string | null } | undefined;
  const approval = (await approvalsOf(core.db, row.id)).at(-1);
  let ending: CaseFacts['ending'] = null;
  const e = (await endingsOf(core.db, row.id)).filter((x) => x.cycle === row.cycle).at(-1);
  if (e) {
    const approvedBy = (await endingStepsOf(core.db, e.id)).find((s) => s.step === 'approval' && s.outcome === 'agree');
    if (approvedBy) ending = { id: e.id, kind: e.kind, approverId: approvedBy.by_id };
  }
  return {
    state: row.state,
    handlerId: row.handler_id,
    assignedReviewerId: row.reviewer_id,
    review: review ? { id: review.id, reviewerId: review.reviewer_id } : null,
    rereviewRequested: !!(await rereviewRequestOf(core.db, row.id, row.cycle)),
    rereview: rereview ? { id: rereview.id, reviewerId: rereview.reviewer_id } : null,
    lastReview: last ? { id: last.id, reviewerId: last.reviewer_id, outcome: last.outcome } : null,
    lockedMeetingId: meeting?.lockedAt ? meeting.id : null,
    approval: approval ? { id: approval.id, headId: approval.head_id, decision: approval.decision, meetingId: approval.meeting_id } : null,
    ending,
  };
}

/** Refuses a document step the table does not allow this actor on this case now; returns the facts it used. */
export async function requireDocumentStep(
  core: Core,
  actor: Actor,
  row: CaseListRow,
  template: { id: string; title: string; kind: 'internal' | 'external' | 'public' },
  step: DocumentStep,
): Promise<CaseFacts> {
  const facts = await caseFacts(core, row);
  const refusal = documentRefusal(documentRule(template.id, template.kind), template.title, step, actor, facts);
  if (refusal) throw new AppError(refusal.code, refusal.message);
  return facts;
}

/** Everyone who handled, acted as officer on, or reviewed any round of the case. */
export async function involvedIn(core: Core, row: CaseListRow): Promise<Map<number, string>> {
  return involvement(row, await reviewsOf(core.db, row.id), await officerIdsOfCase(core.db, row.id));
}

/** involvedIn for many cases (a queue's rows), read in two statements per chunk instead of two per case. */
export async function involvedInEach(core: Core, rows: readonly CaseListRow[]): Promise<Map<number, Map<number, string>>> {
  const ids = rows.map((r) => r.id);
  const reviews = await reviewsOfCases(core.db, ids);
  const officers = await officerIdsOfCases(core.db, ids);
  return new Map(rows.map((r) => [r.id, involvement(r, reviews.get(r.id) ?? [], officers.get(r.id) ?? [])]));
}

function involvement(row: CaseListRow, reviews: readonly ReviewRow[], officers: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const r of reviews) out.set(r.reviewer_id, r.kind === 'rereview' ? '复审人员' : '审核人员');
  if (row.reviewer_id !== null && !out.has(row.reviewer_id)) out.set(row.reviewer_id, '审核人员');
  for (const id of officers) out.set(id, '执法人员');
  out.set(row.handler_id, '承办人');
  return out;
}

/** 审批分离: whoever handled, acted on or reviewed the case may not approve it or chair its decision. */
export async function assertNotInvolved(core: Core, actor: Actor, row: CaseListRow, act: string): Promise<void> {
  const part = (await involvedIn(core, row)).get(actor.id);
  if (part) {
    throw new AppError('SEPARATION_OF_DUTIES', `审批分离：您是本案${part}，不能${act}；请由其他机关负责人${act}。`);
  }
}
