// Chinese labels shown in the UI. Copied from main/core/domain/types.ts (ROLE_LABELS, DECISION_KIND_LABELS,
// CASE_STATE_LABELS, CRITERIA, FINDING_LABELS, OUTCOME_LABELS, APPROVAL_LABELS) because the renderer may not
// value-import anything from main/. Keep the two in step; the types below make a missing key a type error.
import type {
  ApprovalDecision,
  CaseState,
  DecisionKind,
  FindingResult,
  LayoutProfile,
  Outcome,
  PartyType,
  Role,
} from '../../main/core/domain/types';

export const ROLES: Role[] = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary', 'custodian', 'inspector', 'sys_admin', 'sec_admin', 'audit_admin'];
export const ROLE_LABELS: Record<Role, string> = {
  handler: '承办人',
  reviewer: '法制审核人员',
  legal_head: '法制机构负责人',
  agency_head: '机关负责人',
  secretary: '会议秘书',
  custodian: '档案管理员',
  inspector: '评查人员',
  sys_admin: '系统管理员',
  sec_admin: '安全管理员',
  audit_admin: '审计管理员',
};

export const DECISION_KINDS: DecisionKind[] = ['penalty', 'license', 'coercion', 'levy', 'fee', 'inspection'];
export const DECISION_KIND_LABELS: Record<DecisionKind, string> = {
  penalty: '行政处罚',
  license: '行政许可',
  coercion: '行政强制',
  levy: '行政征收',
  fee: '行政收费',
  inspection: '行政检查',
};

export const CASE_STATES: CaseState[] = [
  'submitted',
  'under_review',
  'returned',
  'reviewed',
  'rereview_requested',
  'rereviewed',
  'in_discussion',
  'approved',
  'rejected',
  'ending_proposed',
  'ending_reviewed',
  'ended',
  'closed',
  'archived',
];
export const CASE_STATE_LABELS: Record<CaseState, string> = {
  submitted: '已送审',
  under_review: '审核中',
  returned: '已退回',
  reviewed: '已审核',
  rereview_requested: '已申请复审',
  rereviewed: '已复审',
  in_discussion: '集体讨论中',
  approved: '已批准',
  rejected: '未批准（退回承办单位）',
  ending_proposed: '拟终结（待审核）',
  ending_reviewed: '拟终结（待批准）',
  ended: '已终结（未作决定）',
  closed: '已办结',
  archived: '已归档',
};

/** The nine criteria of 001 附件3 第十条, in order (criterion n is CRITERIA[n - 1]). */
export const CRITERIA: readonly string[] = [
  '执法主体是否合法，执法人员是否具有执法资格',
  '行政相对人认定是否准确',
  '事实是否清楚，证据是否充分',
  '适用依据是否正确',
  '执法程序是否合法',
  '自由裁量权行使是否适当',
  '违法行为是否涉嫌犯罪需要移送司法机关',
  '执法文书是否规范',
  '需要进行审核的其他内容',
];

export const FINDING_RESULTS: FindingResult[] = ['conform', 'nonconform', 'needs_correction'];
export const FINDING_LABELS: Record<FindingResult, string> = {
  conform: '符合',
  nonconform: '不符合',
  needs_correction: '需补正',
};

export const CRIME_CRITERION = 7;
export const CRIME_FINDING_LABELS: Record<FindingResult, string> = {
  conform: '不涉嫌犯罪',
  nonconform: '涉嫌犯罪，应当移送',
  needs_correction: '需进一步核实',
};

/** The words of a finding (criterion 7 reads as its question asks); the same as the core's findingLabel. */
export function findingLabel(criterion: number, result: FindingResult): string {
  return (criterion === CRIME_CRITERION ? CRIME_FINDING_LABELS : FINDING_LABELS)[result];
}

export const OUTCOMES: Outcome[] = ['agree', 'return', 'disagree'];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  agree: '同意',
  return: '退回',
  disagree: '不同意',
};

export const APPROVAL_DECISIONS: ApprovalDecision[] = ['approve', 'reject'];
export const APPROVAL_LABELS: Record<ApprovalDecision, string> = { approve: '批准', reject: '不予批准' };

export const PARTY_TYPE_LABELS: Record<PartyType, string> = { citizen: '公民', organization: '法人或其他组织' };
export const PARTY_ID_LABELS: Record<PartyType, string> = { citizen: '公民身份号码', organization: '统一社会信用代码' };

/** Common procedure steps offered as suggestions in the submit form (free text is allowed too). */
export const PROCEDURE_STEPS = ['立案', '调查取证', '告知', '陈述申辩', '听证', '集体讨论', '其他'];

// ---- deadlines (copied from main/core/domain/calendar and services/deadlines) ----

/** Shown wherever a date depends on a year without an official holiday schedule. */
export const PROVISIONAL_LABEL = '待官方安排确认';

export type ClockStateKey = 'ok' | 'due_soon' | 'overdue' | 'done';
export const CLOCK_STATE_LABELS: Record<ClockStateKey, string> = {
  ok: '正常',
  due_soon: '即将到期',
  overdue: '已逾期',
  done: '已结束',
};

export type CountMode = 'working' | 'natural';
export const COUNT_MODE_LABELS: Record<CountMode, string> = { working: '工作日', natural: '自然日' };

export type HourClockKind = 'av_records' | 'emergency_report';
export const HOUR_CLOCK_LABELS: Record<HourClockKind, string> = {
  av_records: '音像记录归档（24小时）',
  emergency_report: '紧急情况报告（24小时）',
};

export const WEEKDAY_SHORT = ['日', '一', '二', '三', '四', '五', '六'];

// ---- collective discussion ----

export type Stance = 'agree' | 'disagree' | 'abstain';
export const STANCES: Stance[] = ['agree', 'disagree', 'abstain'];
export const STANCE_LABELS: Record<Stance, string> = { agree: '同意', disagree: '不同意', abstain: '弃权' };

export type MeetingDecision = 'approve' | 'reject';
export const MEETING_DECISIONS: MeetingDecision[] = ['approve', 'reject'];
export const MEETING_DECISION_LABELS: Record<MeetingDecision, string> = {
  approve: '同意作出该决定',
  reject: '不同意作出该决定',
};

export type QuorumRule = 'half' | 'two_thirds';
export const QUORUM_LABELS: Record<QuorumRule, string> = { half: '过半数', two_thirds: '三分之二以上' };

export const LAYOUT_PROFILES: LayoutProfile[] = ['gbt9704', 'enforcement'];
export const LAYOUT_PROFILE_LABELS: Record<LayoutProfile, string> = {
  gbt9704: 'GB/T 9704 公文格式',
  enforcement: '行政执法文书格式',
};
/** What each profile does, in a sentence (shown under the choice). */
export const LAYOUT_PROFILE_HINTS: Record<LayoutProfile, string> = {
  gbt9704: '每行28字、每页22行；页码单页居右、双页居左',
  enforcement: '每行28字、每页22行；页码居中',
};
