// Who may do what. Services check these on every call; the UI only uses them to hide buttons.
import type { Role } from './types';

export const PERMISSIONS = {
  // 三员分立 (GB/T 22239): sys_admin runs accounts and the system, sec_admin roles and security,
  // audit_admin reads the full-process record; none of them reads case contents (case.readAll).
  'users.manage': ['sys_admin'],
  'users.list': ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary', 'custodian', 'inspector', 'sys_admin', 'sec_admin', 'audit_admin'],
  'roles.manage': ['sec_admin'],
  'users.unlock': ['sec_admin'],
  'users.resetPassword': ['sec_admin'],
  'security.manage': ['sec_admin'],
  'reviewer.exempt': ['sec_admin'],
  'audit.read': ['audit_admin'],
  'case.submit': ['handler'],
  'case.resubmit': ['handler'],
  'case.close': ['handler'],
  'case.readAll': ['reviewer', 'legal_head', 'agency_head', 'secretary'],
  'review.take': ['reviewer'],
  'review.issue': ['reviewer'],
  'approval.decide': ['agency_head'],
  'audit.verify': ['audit_admin', 'legal_head'],
  // A failed verification's alarm (services/alarms.ts): seen and acknowledged by the system administrator and the legal office head.
  'audit.alarms': ['sys_admin', 'legal_head'],
  'audit.alarmAck': ['sys_admin', 'legal_head'],
  'settings.manage': ['sys_admin'],
  // The record-signing key (services/checkpoints.ts): created, exported and imported by the system administrator;
  // a signed checkpoint of the head exported by whoever may verify the record, or the system administrator.
  'audit.key': ['sys_admin'],
  'audit.checkpoint': ['sys_admin', 'audit_admin', 'legal_head'],
  // Who approves is an agency setting (services/reviewSettings.ts extensionApprover); the services check it.
  'deadline.extend': ['legal_head', 'agency_head'],
  'deadline.requestExtension': ['reviewer'],
  'rereview.request': ['handler'],
  'case.escalate': ['handler'],
  'case.propose': ['handler', 'reviewer', 'legal_head'],
  'case.revise': ['handler'],
  'case.end': ['handler'],
  'ending.review': ['reviewer'],
  'ending.decide': ['agency_head'],
  // 移送涉嫌犯罪案件 (services/referrals.ts): the handler reports and transfers, the principal head decides.
  'referral.report': ['handler'],
  'referral.decide': ['agency_head'],
  'referral.transfer': ['handler'],
  // 送达与执行 (services/enforcement.ts): the case's handler records service and execution.
  'enforcement.record': ['handler'],
  // 归档 (services/caseFiles.ts): the handler assembles and hands over the case file, the named custodian
  // receives it; a supplement (补充归档) by the handler, the legal office head or the custodian.
  'archive.transfer': ['handler'],
  'archive.receive': ['custodian'],
  'archive.supplement': ['handler', 'legal_head', 'custodian'],
  // 案卷评查 (services/inspections.ts): the inspector evaluates archived case files (read-only otherwise);
  // the case's handler or the legal office head replies to its requests.
  'inspection.record': ['inspector'],
  'inspection.reply': ['handler', 'legal_head'],
  // 统计 (services/stats.ts): figures over every case, read by the legal office head and the agency heads.
  'stats.read': ['legal_head', 'agency_head'],
  // 备案 (services/filings.ts): the legal office head files a major decision and records the responses; a
  // correction order is answered by the case's handler or the legal office head. The catalog is changed by
  // the system administrator and takes effect on its filing (services/catalog.ts); those who classify or
  // review cases read its versions.
  'filing.record': ['legal_head'],
  'filing.correct': ['handler', 'legal_head'],
  'catalog.manage': ['sys_admin'],
  'catalog.read': ['sys_admin', 'handler', 'reviewer', 'legal_head', 'agency_head', 'inspector'],
  'meeting.manage': ['secretary'],
  'meeting.read': ['secretary', 'agency_head', 'legal_head', 'reviewer'],
  'meeting.lock': ['agency_head'],
  'meeting.agenda': ['agency_head'],
  'document.draft': ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'],
  'clauses.manage': ['reviewer', 'legal_head'],
  'document.issue': ['reviewer', 'legal_head', 'agency_head', 'handler', 'secretary'],
  // 专家论证 (003 第十八条): attached by the reviewer assigned to the round (services/experts.ts checks the assignment).
  'expert.add': ['reviewer'],
  // Attachments: the handler's materials, the reviewer's expert opinion files.
  'attachment.upload': ['handler', 'reviewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_LABELS: Record<Permission, string> = {
  'users.manage': '管理用户',
  'users.list': '查看用户名单',
  'roles.manage': '授予或撤销角色',
  'users.unlock': '解除账号锁定',
  'users.resetPassword': '重置用户密码',
  'security.manage': '修改登录安全设置',
  'reviewer.exempt': '登记审核人员资格豁免',
  'audit.read': '查阅全过程记录',
  'case.submit': '送审',
  'case.resubmit': '补正后重新送审',
  'case.close': '办结案件',
  'case.readAll': '查阅全部案件',
  'review.take': '领取审核',
  'review.issue': '出具审核意见',
  'approval.decide': '审批决定',
  'audit.verify': '校验全过程记录',
  'audit.alarms': '查看记录校验警报',
  'audit.alarmAck': '确认记录校验警报',
  'settings.manage': '修改机关设置和节假日安排',
  'audit.key': '管理记录签名密钥',
  'audit.checkpoint': '导出已签名的记录检查点',
  'deadline.extend': '批准延长审核期限',
  'deadline.requestExtension': '申请延长审核期限',
  'rereview.request': '申请复审',
  'case.escalate': '复审后仍有异议，提请集体讨论',
  'case.propose': '提请集体讨论',
  'case.revise': '修改处理方案后重新送审',
  'case.end': '提出终结意见',
  'ending.review': '审核终结意见',
  'ending.decide': '批准终结',
  'referral.report': '提出移送涉嫌犯罪案件的书面报告',
  'referral.decide': '批准移送涉嫌犯罪案件',
  'referral.transfer': '登记向公安机关移送涉嫌犯罪案件',
  'enforcement.record': '登记送达、履行与执行情况',
  'archive.transfer': '归档（组卷并移交档案管理员）',
  'archive.receive': '接收归档案卷',
  'archive.supplement': '补充归档',
  'stats.read': '查看统计',
  'filing.record': '报送备案并登记审查意见',
  'filing.correct': '登记备案纠错的改正情况',
  'catalog.manage': '调整目录清单并登记备案',
  'catalog.read': '查看目录清单的各个版本',
  'inspection.record': '案卷评查',
  'inspection.reply': '答复案卷评查意见',
  'meeting.manage': '组织会议和记录',
  'meeting.read': '查阅会议记录',
  'meeting.lock': '确认会议纪要',
  'meeting.agenda': '确定会议议题',
  'document.draft': '起草文书',
  'clauses.manage': '维护说理条目库',
  'document.issue': '签发文书',
  'expert.add': '登记专家论证意见',
  'attachment.upload': '上传附件',
};

export const hasPermission = (roles: readonly Role[], p: Permission): boolean =>
  (PERMISSIONS[p] as readonly Role[]).some((r) => roles.includes(r));
