// Domain vocabulary. English names here are the ones used everywhere (see the README glossary).

// 三员分立 (GB/T 22239): system, security and audit administration are three roles (the pre-split
// `admin` was migrated away by migration 007; see services/users.ts for the rules).
// custodian (档案管理员, migration 019) receives archived case files; inspector (评查人员, migration 020)
// evaluates them, read-only.
export const ROLES = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary', 'custodian', 'inspector', 'sys_admin', 'sec_admin', 'audit_admin'] as const;
export const ADMIN_ROLES = ['sys_admin', 'sec_admin', 'audit_admin'] as const satisfies readonly Role[];
export type AdminRole = (typeof ADMIN_ROLES)[number];
export type Role = (typeof ROLES)[number];
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

export const DECISION_KINDS = ['penalty', 'license', 'coercion', 'levy', 'fee', 'inspection'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const DECISION_KIND_LABELS: Record<DecisionKind, string> = {
  penalty: '行政处罚',
  license: '行政许可',
  coercion: '行政强制',
  levy: '行政征收',
  fee: '行政收费',
  inspection: '行政检查',
};

/**
 * Case states, designed once for the whole life of a case. A proposal is reviewed (and perhaps
 * re-reviewed), then decided by a head or by the heads' meeting; a rejection returns it to the
 * handling unit, which revises it (a new round, reviewed again) or proposes ending the matter
 * (承办人提出、审核人审核、批准人批准, 000 第三十九条). Later stages (served 已送达, executed 已执行,
 * archived 已归档) join after `approved` when the "after the decision" issue lands; `closed` stays the
 * handler's 办结.
 */
export const CASE_STATES = [
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
] as const;
export type CaseState = (typeof CASE_STATES)[number];
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

/** Ways a matter ends without the proposed decision (after a rejection). */
export const ENDING_KINDS = ['no_penalty', 'withdraw', 'other'] as const;
export type EndingKind = (typeof ENDING_KINDS)[number];
export const ENDING_LABELS: Record<EndingKind, string> = {
  no_penalty: '不予行政处罚',
  withdraw: '撤销立案',
  other: '其他方式终结',
};

/** The nine criteria of 001 附件3 第十条, in order. */
export const CRITERIA = [
  '执法主体是否合法，执法人员是否具有执法资格',
  '行政相对人认定是否准确',
  '事实是否清楚，证据是否充分',
  '适用依据是否正确',
  '执法程序是否合法',
  '自由裁量权行使是否适当',
  '违法行为是否涉嫌犯罪需要移送司法机关',
  '执法文书是否规范',
  '需要进行审核的其他内容',
] as const;
export const CRITERION_COUNT = CRITERIA.length;

export const FINDING_RESULTS = ['conform', 'nonconform', 'needs_correction'] as const;
export type FindingResult = (typeof FINDING_RESULTS)[number];
export const FINDING_LABELS: Record<FindingResult, string> = {
  conform: '符合',
  nonconform: '不符合',
  needs_correction: '需补正',
};

/** The opinion stored for an 同意 issued without the reviewer's own words (services/reviews.ts). */
export const DEFAULT_AGREE_OPINION = '经审核，同意。';

/** Criterion 7 (违法行为是否涉嫌犯罪需要移送司法机关) is answered as its question asks. */
export const CRIME_CRITERION = 7;
export const CRIME_FINDING_LABELS: Record<FindingResult, string> = {
  conform: '不涉嫌犯罪',
  nonconform: '涉嫌犯罪，应当移送',
  needs_correction: '需进一步核实',
};

/** The words of a finding as users read them (review page, case page, documents, lrw, print). */
export function findingLabel(criterion: number, result: FindingResult): string {
  return (criterion === CRIME_CRITERION ? CRIME_FINDING_LABELS : FINDING_LABELS)[result];
}

export const OUTCOMES = ['agree', 'return', 'disagree'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  agree: '同意',
  return: '退回',
  disagree: '不同意',
};

export const APPROVAL_DECISIONS = ['approve', 'reject'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];
export const APPROVAL_LABELS: Record<ApprovalDecision, string> = { approve: '批准', reject: '不予批准' };

export const PARTY_TYPES = ['citizen', 'organization'] as const;
export type PartyType = (typeof PARTY_TYPES)[number];

/** Layout profiles of documents (services/documentLayout.ts): GB/T 9704 by default, or the enforcement-document format. */
export const LAYOUT_PROFILES = ['gbt9704', 'enforcement'] as const;
export type LayoutProfile = (typeof LAYOUT_PROFILES)[number];
export const LAYOUT_PROFILE_LABELS: Record<LayoutProfile, string> = {
  gbt9704: 'GB/T 9704 公文格式',
  enforcement: '行政执法文书格式',
};
/** What each profile does, in a sentence (shown under the choice). */
export const LAYOUT_PROFILE_HINTS: Record<LayoutProfile, string> = {
  gbt9704: '每行28字、每页22行；页码单页居右、双页居左',
  enforcement: '每行28字、每页22行；页码居中',
};
