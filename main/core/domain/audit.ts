// Tamper-evident chain: each event's hash covers its own fields, its payload digest and the hash
// of the event before it, so changing any stored event breaks every hash from there on.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys, so the same payload always digests the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

export const sha256Hex = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

export interface ChainFields {
  seq: number;
  at: string;
  actorId: number | null;
  actorName: string;
  action: string;
  caseId: number | null;
  payloadDigest: string;
  prevHash: string;
}

export const eventHash = (f: ChainFields): string => sha256Hex(canonicalJson(f));

/** Chinese labels for the timeline; unknown actions show their code. */
export const ACTION_LABELS: Record<string, string> = {
  'agency.setup': '创建机关档案',
  'records.baseline': '升级记录链：此前的记录纳入记录链',
  'record.key.create': '创建记录签名密钥',
  'record.key.export': '导出记录签名私钥',
  'record.key.import': '在本机导入记录签名私钥',
  'audit.checkpoint.export': '导出已签名的检查点',
  'user.create': '新增用户',
  'user.update': '修改用户',
  'user.signin': '登录',
  'user.signin_failed': '登录失败',
  'user.roles': '调整角色',
  'user.password_reset': '重置密码',
  'user.password_change': '修改密码',
  'user.locked': '连续密码错误，账号锁定',
  'user.unlock': '解除登录锁定',
  'user.failures_cleared': '登录成功（清除此前的密码错误计数）',
  'user.signout': '退出登录',
  'settings.auth': '修改登录安全设置',
  'settings.admin_split': '三员分立设置',
  'catalog.version': '目录清单版本',
  'case.submit': '送审',
  'case.resubmit': '补正后重新送审',
  'case.take': '领取审核',
  'review.issue': '出具审核意见',
  'approval.decide': '负责人审批',
  'case.close': '办结',
  'attachment.store': '存入附件',
  'period.extend': '延长审核期限',
  'extension.request': '申请延长审核期限',
  'extension.decide': '延长审核期限申请的决定',
  'reviewer.exempt': '登记审核人员资格豁免',
  'settings.review': '修改送审与延期设置',
  'settings.deadlines': '修改期限设置',
  'calendar.import': '录入节假日安排',
  'clock.start': '开始计时',
  'clock.complete': '登记完成',
  'settings.workflow': '修改流程设置',
  'rereview.request': '申请复审',
  'case.escalate': '复审后仍有异议，提请集体讨论',
  'case.propose': '提请集体讨论',
  'case.revise': '修改处理方案后重新送审',
  'ending.propose': '提出终结意见',
  'ending.review': '审核终结意见',
  'ending.decide': '终结意见的批准决定',
  'referral.report': '提出移送涉嫌犯罪案件的书面报告',
  'referral.decide': '是否批准移送涉嫌犯罪案件的决定',
  'referral.transfer': '向公安机关移送涉嫌犯罪案件',
  'enforcement.service': '送达',
  'enforcement.execution': '履行与执行',
  'archive.transfer': '组卷归档，移交档案管理员',
  'archive.receive': '档案管理员接收案卷',
  'archive.supplement': '补充归档',
  'inspection.record': '案卷评查',
  'inspection.reply': '答复案卷评查意见',
  'filing.record': '报送备案',
  'filing.respond': '登记备案审查意见',
  'filing.correct': '登记备案纠错的改正情况',
  'catalog.propose': '拟定目录清单调整方案',
  'catalog.file': '目录清单调整报送备案，新版本生效',
  'settings.filing': '设置备案接收机关',
  'meeting.agenda': '主持人确定会议议题',
  'meeting.recuse': '记录回避',
  'meeting.create': '召开负责人会议',
  'meeting.record': '记录会议出席、陈述与表态',
  'meeting.start': '会议开始',
  'meeting.addItem': '列入会议议题',
  'meeting.decide': '会议作出决定',
  'meeting.lock': '确认会议纪要',
  'meeting.amend': '补正会议纪要',
  'meeting.confirm': '确认会议纪要',
  'meeting.amendItem': '补正会议纪要',
  'template.save': '修订文书模板',
  'document.save': '保存文书',
  'document.finalize': '文书定稿',
  'document.issue': '签发文书',
  'file.sign': '对外来文件签名',
  'clause.create': '新增说理条目',
  'clause.retire': '停用说理条目',
  'identity.create': '配置签名证书',
  'identity.retire': '停用签名证书',
  'settings.seal': '上传印章图片',
  'settings.fonts': '调整字体顺序',
  'settings.documentLayout': '选择文书版式',
  'expert.add': '登记专家论证意见',
  'settings.uploads': '修改上传大小上限',
  'audit.alarm': '记录校验未通过，发出警报',
  'audit.alarm_ack': '确认记录校验警报',
};
