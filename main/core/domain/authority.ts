// The authority table: for every document template, who drafts and finalises it, who signs it, and
// what must have happened in the case first. Services (documents.ts, issue.ts) enforce it, the case
// page reads it to hide what a user may not do, and test/integration/authority.test.ts walks it cell
// by cell. The workflow actions' states are in ./workflow.ts and their roles in ./permissions.ts.
//
// The first rule (001 二(三); 000 四(一)3; 001 附件3 第三条): 未经法制审核或者审核未通过的，不得作出决定 —
// no outward decision document is finalised or issued before the case is approved, and the issue
// event names the approval (or the locked meeting decision) that allowed it.
import type { CaseState, EndingKind, Outcome, Role } from './types';

/** How a person stands to the case; a signer must stand so *and* hold the role named with it. */
export type Relation =
  | 'handler' // the case's handler (承办人)
  | 'roundReviewer' // the reviewer who issued this round's review (法制审核意见书)
  | 'rereviewer' // the reviewer who issued this cycle's re-review
  | 'returningReviewer' // the reviewer whose latest opinion was 退回
  | 'secretary' // a meeting secretary (会议秘书)
  | 'approver' // the head who decided (for a meeting decision, its chair)
  | 'endingApprover' // the head who approved ending the matter
  | 'legalHead'; // the legal office head (法制机构负责人)

export const RELATION_ROLE: Record<Relation, Role> = {
  handler: 'handler',
  roundReviewer: 'reviewer',
  rereviewer: 'reviewer',
  returningReviewer: 'reviewer',
  secretary: 'secretary',
  approver: 'agency_head',
  endingApprover: 'agency_head',
  legalHead: 'legal_head',
};

export const RELATION_LABELS: Record<Relation, string> = {
  handler: '本案承办人',
  roundReviewer: '本轮审核人员',
  rereviewer: '复审人员',
  returningReviewer: '出具退回意见的审核人员',
  secretary: '会议秘书',
  approver: '作出审批决定的机关负责人',
  endingApprover: '批准终结的机关负责人',
  legalHead: '法制机构负责人',
};

/** What must have happened before a document may be finalised and issued. */
export type Gate =
  | 'none'
  | 'reviewIssued'
  | 'rereviewRequested'
  | 'rereviewIssued'
  | 'returned'
  | 'minutesLocked'
  | 'decided'
  | 'approved'
  | 'endedNoPenalty';

export const GATE_LABELS: Record<Gate, string> = {
  none: '',
  reviewIssued: '本轮法制审核意见出具之后',
  rereviewRequested: '提出复审申请之后',
  rereviewIssued: '复审意见出具之后',
  returned: '审核意见为退回之后',
  minutesLocked: '会议纪要经主持人确认锁定之后',
  decided: '机关负责人作出审批决定之后',
  approved: '案件经批准之后（未经法制审核或者审核未通过的，不得作出决定：审核办法第三条）',
  endedNoPenalty: '不予行政处罚经批准之后',
};

export interface DocumentRule {
  /** Who may save versions and finalise. */
  drafters: Relation[];
  /** Who may sign and issue (谁审核谁负责、谁审批谁负责). */
  signers: Relation[];
  gate: Gate;
  /** The gate holds for saving drafts too (the document states an opinion that must exist first). */
  gateDrafting: boolean;
}

export const DOCUMENT_AUTHORITY: Record<string, DocumentRule> = {
  'submission-form': { drafters: ['handler'], signers: ['handler'], gate: 'none', gateDrafting: false },
  'review-opinion': { drafters: ['roundReviewer'], signers: ['roundReviewer'], gate: 'reviewIssued', gateDrafting: true },
  'return-notice': { drafters: ['returningReviewer'], signers: ['returningReviewer'], gate: 'returned', gateDrafting: true },
  'rereview-request': { drafters: ['handler'], signers: ['handler'], gate: 'rereviewRequested', gateDrafting: true },
  'rereview-opinion': { drafters: ['rereviewer'], signers: ['rereviewer'], gate: 'rereviewIssued', gateDrafting: true },
  'discussion-minutes': { drafters: ['secretary'], signers: ['secretary'], gate: 'minutesLocked', gateDrafting: false },
  'approval-form': { drafters: ['handler', 'approver'], signers: ['approver'], gate: 'decided', gateDrafting: false },
  'penalty-decision': { drafters: ['handler'], signers: ['approver'], gate: 'approved', gateDrafting: false },
  disclosure: { drafters: ['handler', 'legalHead'], signers: ['handler', 'legalHead'], gate: 'approved', gateDrafting: false },
  'no-penalty-decision': { drafters: ['handler'], signers: ['endingApprover'], gate: 'endedNoPenalty', gateDrafting: false },
  // 备案报告 (services/filings.ts): the legal office prepares and signs the filing once the decision is approved.
  'filing-report': { drafters: ['legalHead', 'handler'], signers: ['legalHead'], gate: 'approved', gateDrafting: false },
};

/** A template the table does not name (an agency's own) is held to the outward-document rule unless internal. */
export function documentRule(templateId: string, kind: 'internal' | 'external' | 'public'): DocumentRule {
  return (
    DOCUMENT_AUTHORITY[templateId] ??
    (kind === 'internal'
      ? { drafters: ['handler'], signers: ['handler'], gate: 'decided', gateDrafting: false }
      : { drafters: ['handler'], signers: ['approver'], gate: 'approved', gateDrafting: false })
  );
}

/** The facts of a case the table is evaluated against (built by services/authority.ts). */
export interface CaseFacts {
  state: CaseState;
  handlerId: number;
  /** The reviewer who took the current review or re-review (before it is issued). */
  assignedReviewerId: number | null;
  /** This round's issued review (kind 审核). */
  review: { id: number; reviewerId: number } | null;
  /** This cycle's re-review request and issued re-review. */
  rereviewRequested: boolean;
  rereview: { id: number; reviewerId: number } | null;
  /** The latest opinion of this round, of either kind. */
  lastReview: { id: number; reviewerId: number; outcome: Outcome } | null;
  /** The latest meeting holding the case, if its minutes are locked. */
  lockedMeetingId: number | null;
  /** The latest approval (a head's, or a meeting's recorded under its chair). */
  approval: { id: number; headId: number; decision: 'approve' | 'reject'; meetingId: number | null } | null;
  /** The approved ending of the matter, if any. */
  ending: { id: number; kind: EndingKind; approverId: number } | null;
}

export function gateHolds(gate: Gate, f: CaseFacts): boolean {
  switch (gate) {
    case 'none':
      return true;
    case 'reviewIssued':
      return f.review !== null;
    case 'rereviewRequested':
      return f.rereviewRequested;
    case 'rereviewIssued':
      return f.rereview !== null;
    case 'returned':
      return f.lastReview?.outcome === 'return';
    case 'minutesLocked':
      return f.lockedMeetingId !== null;
    case 'decided':
      return f.approval !== null;
    case 'approved':
      // Approved now (or closed after approval): a later revision or rejection takes it away.
      return (f.state === 'approved' || f.state === 'closed' || f.state === 'archived') && f.approval?.decision === 'approve';
    case 'endedNoPenalty':
      return (f.state === 'ended' || f.state === 'closed' || f.state === 'archived') && f.ending?.kind === 'no_penalty';
  }
}

/** Does the actor stand to the case as `rel` (and hold the role that goes with it)? */
export function stands(rel: Relation, actor: { id: number; roles: readonly Role[] }, f: CaseFacts): boolean {
  if (!actor.roles.includes(RELATION_ROLE[rel])) return false;
  switch (rel) {
    case 'handler':
      return f.handlerId === actor.id;
    // Before the opinion is issued, the reviewer who took it stands so (the gate then says "not yet").
    case 'roundReviewer':
      return f.review ? f.review.reviewerId === actor.id : f.state === 'under_review' && f.assignedReviewerId === actor.id;
    case 'rereviewer':
      return f.rereview ? f.rereview.reviewerId === actor.id : f.state === 'rereview_requested' && f.assignedReviewerId === actor.id;
    case 'returningReviewer':
      return f.lastReview?.outcome === 'return' && f.lastReview.reviewerId === actor.id;
    case 'secretary':
    case 'legalHead':
      return true;
    case 'approver':
      return f.approval?.headId === actor.id;
    case 'endingApprover':
      return f.ending?.approverId === actor.id;
  }
}

export type DocumentStep = 'draft' | 'finalize' | 'issue';
export const STEP_LABELS: Record<DocumentStep, string> = { draft: '起草', finalize: '定稿', issue: '签发' };

/** Null when the actor may take the step; otherwise the refusal (code and Chinese message). */
export function documentRefusal(
  rule: DocumentRule,
  title: string,
  step: DocumentStep,
  actor: { id: number; roles: readonly Role[] },
  f: CaseFacts,
): { code: 'FORBIDDEN' | 'BAD_STATE'; message: string } | null {
  const who = step === 'issue' ? rule.signers : rule.drafters;
  if (!who.some((rel) => stands(rel, actor, f))) {
    return { code: 'FORBIDDEN', message: `《${title}》只能由${who.map((r) => RELATION_LABELS[r]).join('或')}${STEP_LABELS[step]}。` };
  }
  if ((step !== 'draft' || rule.gateDrafting) && !gateHolds(rule.gate, f)) {
    return { code: 'BAD_STATE', message: `《${title}》须在${GATE_LABELS[rule.gate]}才能${STEP_LABELS[step]}。` };
  }
  return null;
}
