// Who may do what. Services check these on every call; the UI only uses them to hide buttons.
import type { Role } from './types';

export const PERMISSIONS = {
  'users.manage': ['admin'],
  'users.list': ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary', 'admin'],
  'case.submit': ['handler'],
  'case.resubmit': ['handler'],
  'case.close': ['handler'],
  'case.readAll': ['reviewer', 'legal_head', 'agency_head', 'secretary'],
  'review.take': ['reviewer'],
  'review.issue': ['reviewer'],
  'approval.decide': ['agency_head'],
  'audit.verify': ['admin', 'legal_head'],
  'settings.manage': ['admin'],
  'deadline.extend': ['legal_head'],
  'rereview.request': ['handler'],
  'case.escalate': ['handler'],
  'meeting.manage': ['secretary'],
  'meeting.read': ['secretary', 'agency_head', 'legal_head', 'reviewer'],
  'meeting.lock': ['agency_head'],
  'document.draft': ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'],
  'clauses.manage': ['reviewer', 'legal_head'],
  'document.issue': ['reviewer', 'legal_head', 'agency_head', 'handler', 'secretary'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_LABELS: Record<Permission, string> = {
  'users.manage': '管理用户',
  'users.list': '查看用户名单',
  'case.submit': '送审',
  'case.resubmit': '补正后重新送审',
  'case.close': '办结案件',
  'case.readAll': '查阅全部案件',
  'review.take': '领取审核',
  'review.issue': '出具审核意见',
  'approval.decide': '审批决定',
  'audit.verify': '校验全过程记录',
  'settings.manage': '修改机关设置和节假日安排',
  'deadline.extend': '批准延长审核期限',
  'rereview.request': '申请复审',
  'case.escalate': '提请集体讨论',
  'meeting.manage': '组织会议和记录',
  'meeting.read': '查阅会议记录',
  'meeting.lock': '确认会议纪要',
  'document.draft': '起草文书',
  'clauses.manage': '维护说理条目库',
  'document.issue': '签发文书',
};

export const hasPermission = (roles: readonly Role[], p: Permission): boolean =>
  (PERMISSIONS[p] as readonly Role[]).some((r) => roles.includes(r));
