// The case state machine. Every service asks `assertState` before it acts, so an action can only
// happen from the states listed here — whatever the UI shows. Case states change only through the
// services that call this module (see the authority table in ./authority.ts for who may act).
import { AppError } from './errors';
import { CASE_STATE_LABELS, type CaseState } from './types';

export const TRANSITIONS = {
  // A re-review is taken without leaving rereview_requested: the state itself says which kind of review it is.
  take: { from: ['submitted', 'rereview_requested'], to: ['under_review', 'rereview_requested'] },
  issueReview: { from: ['under_review', 'rereview_requested'], to: ['reviewed', 'rereviewed', 'returned'] },
  resubmit: { from: ['returned'], to: 'submitted' },
  requestRereview: { from: ['reviewed', 'returned'], to: 'rereview_requested' },
  // The handling unit still disagrees after the re-review (an upheld 退回 or 不同意): the legal office
  // brings the case to the heads' collective discussion (001 附件3 第十二条).
  escalate: { from: ['rereviewed', 'returned'], to: 'in_discussion' },
  // Any reviewed major case may be proposed for collective discussion (000 三(三)1; 行政处罚法 第五十七条).
  propose: { from: ['reviewed', 'rereviewed'], to: 'in_discussion' },
  decide: { from: ['reviewed', 'rereviewed'], to: ['approved', 'rejected'] },
  discuss: { from: ['in_discussion'], to: ['approved', 'rejected'] },
  // A rejected (or not agreed) proposal is revised: a new round, reviewed again.
  revise: { from: ['rejected', 'reviewed', 'rereviewed'], to: 'submitted' },
  proposeEnding: { from: ['rejected'], to: 'ending_proposed' },
  reviewEnding: { from: ['ending_proposed'], to: ['ending_reviewed', 'rejected'] },
  decideEnding: { from: ['ending_reviewed'], to: ['ended', 'rejected'] },
  close: { from: ['approved', 'ended'], to: 'closed' },
  archive: { from: ['closed'], to: 'archived' },
} as const satisfies Record<string, { from: readonly CaseState[]; to: CaseState | readonly CaseState[] }>;

export type WorkflowAction = keyof typeof TRANSITIONS;

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  take: '领取审核',
  issueReview: '出具审核意见',
  resubmit: '重新送审',
  requestRereview: '申请复审',
  discuss: '集体讨论决定',
  escalate: '提请集体讨论',
  propose: '提请集体讨论',
  decide: '审批',
  revise: '修改处理方案后重新送审',
  proposeEnding: '提出终结意见',
  reviewEnding: '审核终结意见',
  decideEnding: '批准终结',
  close: '办结',
  archive: '归档',
};

export function canTransition(state: CaseState, action: WorkflowAction): boolean {
  return (TRANSITIONS[action].from as readonly CaseState[]).includes(state);
}

export function assertState(state: CaseState, action: WorkflowAction): void {
  if (!canTransition(state, action)) {
    const allowed = (TRANSITIONS[action].from as readonly CaseState[]).map((s) => CASE_STATE_LABELS[s]).join('、');
    throw new AppError(
      'BAD_STATE',
      `案件当前状态为“${CASE_STATE_LABELS[state]}”，不能${ACTION_LABELS[action]}（仅限${allowed}状态）。`,
    );
  }
}
