// The bridge contract: channel names, request schemas and the Api type, shared by preload (which
// exposes it), main/core/api.ts (which implements it) and the renderer (which calls it).
// No electron import here: this file is loaded by Node tests, the CLI and the test harness too.
import { z } from 'zod';
import { isValidDate } from '../main/core/domain/calendar/cst';
import {
  APPROVAL_DECISIONS,
  CASE_STATES,
  DECISION_KINDS,
  ENDING_KINDS,
  FINDING_RESULTS,
  LAYOUT_PROFILES,
  OUTCOMES,
  PARTY_TYPES,
  ROLES,
} from '../main/core/domain/types';
import type { ErrorPayload } from '../main/core/domain/errors';
import type * as V from '../main/core/domain/views';
import type { CalendarYearInfo } from '../main/core/domain/calendar';
import type { ModelDiff, SubmissionDiff } from '../main/core/documents/diff';
import type { IdentityView, IssuedView, VerifyView } from '../main/core/services/issue';
import type { IssueRequestView } from '../main/core/services/deskSigning';

z.config(z.locales.zhCN());

const text = (label: string, max = 20000) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, { error: `${label}不能为空` })
    .max(max, { error: `${label}不能超过${max}个字` });
const optText = (label: string, max = 20000) =>
  z.string({ error: `${label}必须是文字` }).trim().max(max, { error: `${label}不能超过${max}个字` }).optional();
/** A real calendar date 'YYYY-MM-DD' (2026-02-30 is refused, not rolled into March). */
const isoDate = (label: string) =>
  z
    .string({ error: `${label}必须是日期` })
    // One message per date: empty is "请填写", a malformed one is not also said not to exist.
    .min(1, { error: `请填写${label}`, abort: true })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: (iss) => `${label}“${String(iss.input)}”无效：应为真实存在的日期（如 2026年12月1日，传送时写作 2026-12-01）`, abort: true })
    .refine(isValidDate, { error: (iss) => `${label}“${String(iss.input)}”无效：这一天不存在` });
const id = (label: string) => z.number({ error: `${label}必须是编号` }).int().positive({ error: `${label}无效` });
/**
 * Stale writes refused by version (issue 14, point 4; main/core/services/versions.ts): the `version` of
 * the record as the client read it (from its view). A write based on an older version is refused with
 * STALE and changes nothing. Optional in the contract (lrw and automation may write unchecked); the app
 * always sends it (renderer/src/api.ts requires it for every channel in VERSIONED_CHANNELS).
 */
const expectedVersion = z.number({ error: '版本号必须是数字' }).int({ error: '版本号无效' }).min(0, { error: '版本号无效' }).optional();

/** Input caps of sign-in (issue 10, point 7): checked before any hashing, so a huge password costs nothing. */
export const PASSWORD_MAX = 1024;
export const USERNAME_MAX = 64;
const newPassword = (label = '密码') =>
  z
    .string({ error: `${label}必须是文字` })
    .min(8, { error: `${label}至少8位` })
    .max(PASSWORD_MAX, { error: `${label}不能超过${PASSWORD_MAX}个字符` });

export const SetupInput = z.object({
  agencyName: text('机关名称', 100),
  docPrefix: text('文号前缀', 20),
  admin: z.object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名应为2至32位字母、数字或 _ . -' }),
    displayName: text('姓名', 50),
    password: newPassword(),
  }),
});

export const SignInInput = z.object({
  username: z.string({ error: '用户名必须是文字' }).max(USERNAME_MAX, { error: `用户名不能超过${USERNAME_MAX}个字符` }).trim().min(1, { error: '请输入用户名' }),
  password: z.string({ error: '密码必须是文字' }).max(PASSWORD_MAX, { error: `密码不能超过${PASSWORD_MAX}个字符` }).min(1, { error: '请输入密码' }),
});

/** A user replaces their own password (required after a reset, before anything else). */
export const ChangePasswordInput = z.object({
  currentPassword: z.string().max(PASSWORD_MAX, { error: `密码不能超过${PASSWORD_MAX}个字符` }).min(1, { error: '请输入当前密码' }),
  newPassword: newPassword('新密码'),
});

export const UserInput = z.object({
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名应为2至32位字母、数字或 _ . -' }),
  displayName: text('姓名', 50),
  password: newPassword(),
  /** Only a creator who may grant roles (安全管理员) may create an account with roles; otherwise none. */
  roles: z.array(z.enum(ROLES, { error: '角色无效' })).default([]),
  certNo: optText('执法证号', 50),
  certExpiry: isoDate('执法证有效期').optional(),
  qualificationNo: optText('法律职业资格证号', 50),
});

export const UserUpdateInput = z.object({
  userId: id('用户'),
  displayName: text('姓名', 50).optional(),
  certNo: optText('执法证号', 50),
  /** An empty string clears the certificate's expiry (with its number). */
  certExpiry: z.union([isoDate('执法证有效期'), z.literal('')]).optional(),
  qualificationNo: optText('法律职业资格证号', 50),
  active: z.boolean().optional(),
  roles: z.never({ error: '角色须由安全管理员以“调整角色”授予或撤销（三员分立）' }).optional(),
  password: z.never({ error: '密码须由安全管理员以“重置密码”重置，或由本人修改' }).optional(),
}).strict();

/** 三员分立: roles are granted and removed by the 安全管理员, never on their own account. */
export const UserRolesInput = z.object({
  userId: id('用户'),
  roles: z.array(z.enum(ROLES, { error: '角色无效' })),
});

/** The 安全管理员 resets a password; without one the core generates a temporary password. */
export const ResetPasswordInput = z.object({ userId: id('用户'), password: newPassword('临时密码').optional() });
export const UnlockInput = z.object({ userId: id('用户') });

/** The 审计管理员's page of the full-process record: newest first, before a sequence number, by action prefix. */
export const AuditEventsInput = z.object({
  beforeSeq: z.number().int().positive().optional(),
  action: z.string().trim().max(64, { error: '操作类型不能超过64个字符' }).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** 记录校验 in the background (services/verifyJobs.ts): quick skips re-hashing the stored files. */
export const VerifyStartInput = z.object({ quick: z.boolean({ error: '快速校验应为是或否' }).default(false) });
export const VerifyStatusInput = z.object({ jobId: z.string({ error: '校验任务编号无效' }).regex(/^[0-9a-f]{32}$/, { error: '校验任务编号无效' }) });
/** The least an acknowledgement of a failed verification must say (services/alarms.ts checks it too). */
export const ALARM_REASON_MIN = 4;
export const AlarmAckInput = z.object({
  alarmId: id('警报'),
  reason: text('确认理由', 2000).refine((s) => [...s].length >= ALARM_REASON_MIN, { error: `确认理由至少${ALARM_REASON_MIN}个字` }),
});

export const AuthSettingsInput = z.object({
  maxFailures: z.number({ error: '连续错误次数应为数字' }).int().min(3, { error: '连续错误次数至少为3' }).max(20, { error: '连续错误次数不超过20' }),
  lockMinutes: z.number({ error: '锁定时长应为数字' }).int().min(1, { error: '锁定时长至少1分钟' }).max(1440, { error: '锁定时长不超过1440分钟' }),
  idleMinutes: z.number({ error: '超时时长应为数字' }).int().min(1, { error: '超时时长至少1分钟' }).max(480, { error: '超时时长不超过480分钟' }),
  adminSplit: z.boolean({ error: '请选择是否实行三员分立' }),
  expectedVersion,
});

export const PartyInput = z.object({
  type: z.enum(PARTY_TYPES, { error: '当事人类型应为公民或组织' }),
  name: text('当事人名称', 200),
  idNumber: z.string().trim().min(1, { error: '请填写证件号码' }),
  address: text('当事人地址', 300),
});

export const ProcedureStepInput = z.object({
  step: text('程序环节', 50),
  date: isoDate('程序日期'),
  note: optText('程序说明', 2000),
});

export const AttachmentRef = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: '附件标识无效' }),
  name: text('附件名称', 255),
});

/** What the chosen catalog item asks (main/core/domain/catalog.ts); the core says which are required. */
export const MajorQuantitiesInput = z.object({
  sealAreaM2: z
    .union([
      z.number({ error: '查封、扣押面积应为数字（平方米）' }).min(0, { error: '查封、扣押面积不能为负数' }).max(1e9),
      z.enum(['not_applicable', '不适用'], { error: '查封、扣押面积应为平方米数，或“不适用”' }).transform(() => 'not_applicable' as const),
    ])
    .optional(),
  sealValueYuan: z.string({ error: '查封、扣押财物价值应为金额文字，例如 "120000"' }).trim().min(1, { error: '请填写查封、扣押财物价值' }).max(20).optional(),
  hearingRequired: z.boolean({ error: '“是否依法应当听证”应为是或否' }).optional(),
  hearingHeld: z.boolean({ error: '“是否举行了听证”应为是或否' }).optional(),
  publicInterest: z.boolean({ error: '“是否涉及公共利益”应为是或否' }).optional(),
}).strict();

export const CaseInput = z.object({
  caseNo: text('案件编号', 64),
  title: text('案件名称', 200),
  kind: z.enum(DECISION_KINDS, { error: '决定类型无效' }),
  catalogItem: text('目录事项', 64),
  party: PartyInput,
  facts: text('违法事实', 50000),
  evidence: z.array(text('证据', 2000)).min(1, { error: '证据清单至少一项' }),
  legalBasis: z
    .array(z.object({ law: text('法律依据名称', 200), article: text('条款', 100) }))
    .min(1, { error: '至少填写一项法律依据' }),
  proposedDecision: text('拟作出的决定', 5000),
  fineAmount: z.string().trim().optional(),
  /** The quantities that make the catalog item major (area or value of a 查封扣押, hearing facts of a licence). */
  quantities: MajorQuantitiesInput.optional(),
  /** The stated ground: required for catch-all items and for the agency's review-all route. */
  majorGround: optText('送审理由', 5000),
  procedure: z.array(ProcedureStepInput).min(1, { error: '请填写已履行的程序' }),
  officerIds: z.array(id('执法人员')).min(2, { error: '执法人员不得少于两人' }),
  attachments: z.array(AttachmentRef).default([]),
});

export const ResubmitInput = z.object({ caseId: id('案件'), case: CaseInput, changeNote: text('补正说明', 5000), expectedVersion });

export const FindingInput = z.object({
  criterion: z.number().int().min(1).max(9),
  result: z.enum(FINDING_RESULTS, { error: '审核结论应为符合、不符合或需补正' }),
  reason: z.string().trim().max(5000).default(''),
});

export const ReviewDraftInput = z.object({
  caseId: id('案件'),
  findings: z.array(FindingInput.partial({ result: true })).max(9).default([]),
  outcome: z.enum(OUTCOMES).optional(),
  opinion: z.string().max(20000).default(''),
  requests: z.array(z.string().max(2000)).default([]),
  suggestions: z.string().max(20000).default(''),
  /** The draft's version as read (reviews.getDraft; 0 when there was none). */
  expectedVersion,
});

export const IssueReviewInput = z.object({
  caseId: id('案件'),
  findings: z.array(FindingInput).max(9),
  outcome: z.enum(OUTCOMES, { error: '请选择审核意见：同意、退回或不同意' }),
  opinion: z.string().trim().max(20000).default(''),
  requests: z.array(z.string().trim().min(1).max(2000)).default([]),
  suggestions: z.string().trim().max(20000).default(''),
  /** The review draft's version the reviewer last read or saved (0: none): a draft saved elsewhere since is not overwritten. */
  expectedVersion,
});

export const ApprovalInput = z.object({
  caseId: id('案件'),
  decision: z.enum(APPROVAL_DECISIONS, { error: '请选择批准或不予批准' }),
  opinion: text('审批意见', 5000),
  override: z
    .object({ declared: z.literal(true, { error: '须明确声明不采纳法制审核意见' }), reason: text('不采纳理由', 5000) })
    .optional(),
});

export const SearchInput = z.object({
  query: z.string().trim().max(200).default(''),
  state: z.enum(CASE_STATES).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

/** 打印 / 导出 of the queue or of a search (the same filter as cases.search); xlsx: true adds the .xlsx file. */
export const CaseReportInput = z.discriminatedUnion('source', [
  z.object({ source: z.literal('queue'), xlsx: z.boolean().default(false) }).strict(),
  z.object({
    source: z.literal('search'),
    query: z.string().trim().max(200).default(''),
    state: z.enum(CASE_STATES).optional(),
    xlsx: z.boolean().default(false),
  }).strict(),
], { error: '导出范围应为“待办”（queue）或“检索结果”（search）' });

export const UploadChunkInput = z.object({
  uploadId: z.string().regex(/^[0-9a-f]{32}$/),
  base64: z.string().max(2_800_000, { error: '单次上传的数据块过大' }),
  /** Where this chunk starts (the sender's count of bytes sent): a chunk sent twice is stored once. */
  offset: z.number().int().min(0).optional(),
});

export const DraftInput = z.object({ key: z.string().min(1).max(200), json: z.string().max(2_000_000) });

export const DeadlineSettingsInput = z.object({
  mode: z.enum(['working', 'natural'], { error: '计算方式应为工作日或自然日' }),
  reviewDays: z.number().int().min(1, { error: '审核期限至少1日' }).max(60, { error: '审核期限不超过60日' }),
  extensionDays: z.number().int().min(0).max(30, { error: '延长期限不超过30日' }),
  rereviewDays: z.number().int().min(1).max(60),
  expectedVersion,
});

export const ClockStartInput = z.object({
  caseId: z.number().int().positive(),
  kind: z.enum(['av_records', 'emergency_report'], { error: '计时类型应为音像记录归档或紧急情况报告' }),
  startedAt: z.string().datetime({ offset: true, error: '开始时间应为带时区的时间，例如 2026-11-23T09:30:00+08:00' }),
});

export const ClockCompleteInput = z.object({
  caseId: z.number().int().positive(),
  kind: z.enum(['publication', 'archive', 'av_records', 'emergency_report']),
});

export const DeadlineComputeInput = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '起算日应为 YYYY-MM-DD' }),
  days: z.number().int().min(1, { error: '天数至少为1' }).max(3660),
  mode: z.enum(['working', 'natural']).default('working'),
});

export const ExtendInput = z.object({
  caseId: id('案件'),
  reason: z.string().trim().min(1, { error: '请写明延长理由（案情复杂的具体情形）' }).max(2000),
});

/** Agency settings of the decision gate (services/reviewSettings.ts); a field left out keeps its value. */
export const ReviewSettingsInput = z.object({
  reviewAllDecisions: z.boolean({ error: '请选择是否对简易程序以外的所有执法决定进行法制审核' }).optional(),
  extensionApprover: z.enum(['legal_head', 'agency_head'], { error: '延长审核期限的批准人应为法制机构负责人或机关负责人' }).optional(),
  expectedVersion,
});

/** The assigned reviewer asks for the one extension of the running review period. */
export const ExtensionRequestInput = z.object({
  caseId: id('案件'),
  reason: z.string().trim().min(1, { error: '请写明申请延长的理由（案情复杂的具体情形）' }).max(2000),
});

/** The configured approver decides the pending request of a case. */
export const ExtensionDecideInput = z.object({
  caseId: id('案件'),
  decision: z.enum(['approve', 'refuse'], { error: '请选择批准或不予批准' }),
  reason: z.string().trim().min(1, { error: '请写明批准或不予批准的理由' }).max(2000),
});

/** 行政处罚法 第五十八条: the security administrator records that a reviewer reviewed penalty decisions before 2021-07-15. */
export const ReviewerExemptInput = z.object({
  userId: id('用户'),
  note: z.string().trim().min(1, { error: '请写明该审核人员在2021年7月15日前从事行政处罚决定法制审核的情况' }).max(2000),
});

/** A year's official schedule as an administrator enters it; validateYearSchedule checks it in depth. */
export const YearScheduleInput = z.object({
  year: z.number().int(),
  source: z.string(),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  workdays: z.array(z.object({ date: z.string(), name: z.string() })).default([]),
});
export const WorkflowSettingsInput = z.object({
  rereviewDifferentReviewer: z.boolean({ error: '请选择复审是否须由其他审核人员进行' }),
  quorum: z.enum(['half', 'two_thirds'], { error: '法定人数规则应为“过半数”或“三分之二以上”' }),
  departOnlyByMeeting: z.boolean({ error: '请选择是否只能经集体讨论不采纳“不同意”意见' }).optional(),
  discussionRequired: z.enum(['none', 'all', 'items'], { error: '须集体讨论的范围应为不要求、全部重大案件或所选目录事项' }).optional(),
  discussionItems: z.array(z.string().trim().min(1).max(64)).max(200).optional(),
  expectedVersion,
});

export const RereviewRequestInput = z.object({
  caseId: z.number().int().positive(),
  reasons: z.string().trim().min(1, { error: '请写明申请复审的理由' }).max(20000),
});

export const EscalateInput = z.object({
  caseId: z.number().int().positive(),
  reasons: z.string().trim().min(1, { error: '请写明仍不同意复审意见的理由' }).max(20000),
});

/** 提请集体讨论 of any reviewed major case, by the legal office or the handling unit. */
export const ProposeInput = z.object({
  caseId: z.number().int().positive(),
  reasons: z.string().trim().min(1, { error: '请写明提请集体讨论的理由' }).max(20000),
});

/** After a rejection (or a 不同意 the handling unit accepts): a revised proposal, a new round. */
export const ReviseInput = ResubmitInput;

export const EndingProposeInput = z.object({
  caseId: z.number().int().positive(),
  kind: z.enum(ENDING_KINDS, { error: '终结方式应为不予行政处罚、撤销立案或其他' }),
  reason: z.string().trim().min(1, { error: '请写明终结的理由' }).max(20000),
});

/** The reviewer's review (agree / disagree) or the head's approval of an ending proposal. */
export const EndingStepInput = z.object({
  caseId: z.number().int().positive(),
  outcome: z.enum(['agree', 'disagree'], { error: '请选择同意或不同意' }),
  opinion: z.string().trim().min(1, { error: '请写明意见' }).max(20000),
});

/** 移送涉嫌犯罪案件: the handler's written report. */
export const ReferralReportInput = z.object({
  caseId: z.number().int().positive(),
  report: z.string().trim().min(1, { error: '请填写移送涉嫌犯罪案件的书面报告' }).max(20000),
});
/** The principal head's decision: 批准移送 or 不批准 (with the reasons, recorded). */
export const ReferralDecideInput = z.object({
  caseId: z.number().int().positive(),
  decision: z.enum(['approve', 'reject'], { error: '请选择批准移送或不批准移送' }),
  reason: z.string().trim().min(1, { error: '请写明审批意见（不批准的须写明理由）' }).max(20000),
});
/** The transfer to the public security organ, copied to the procuratorate (and the supervisory organ where applicable). */
export const ReferralTransferInput = z.object({
  caseId: z.number().int().positive(),
  police: z.string().trim().min(1, { error: '请填写接受移送的公安机关' }).max(200),
  procuratorate: z.string().trim().min(1, { error: '请填写抄送的人民检察院' }).max(200),
  supervisory: z.string().trim().max(200).optional().transform((s) => (s ? s : undefined)),
  note: z.string().trim().max(20000).default(''),
});

// 送达 (000 第二十四至二十八条): one service of one decision document, with what its method's article requires.
const servedFile = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: '文件校验值无效' }), name: text('文件名', 255) });
const servedFiles = z.array(servedFile, { error: '文件列表格式不正确' }).max(20, { error: '每条记录最多附20个文件' }).default([]);
const serviceBase = {
  caseId: id('案件'),
  /** The workstation's document served (documents.id); or, for a document not issued here, its name and number. */
  documentId: id('文书').optional(),
  documentName: z.string().trim().max(200, { error: '文书名称不能超过200个字' }).optional(),
  recipient: text('受送达人', 200),
  servedOn: isoDate('送达日期'),
  files: servedFiles,
};
export const SERVICE_METHODS = ['direct', 'post', 'left', 'entrusted', 'notice'] as const;
export const ServiceRecordInput = z.discriminatedUnion('method', [
  // 第二十四条: 送达人、受送达人或符合法定条件的签收人在送达回证上签名或盖章.
  z.object({ ...serviceBase, method: z.literal('direct'), server: text('送达人', 100), signer: text('签收人', 100) }),
  // 第二十五条: 挂号信或特快专递，留存邮寄送达的登记、付邮凭证和回执.
  z.object({ ...serviceBase, method: z.literal('post'), carrier: z.enum(['registered', 'express'], { error: '请选择挂号信或特快专递' }), trackingNo: text('邮件号码', 100), postedOn: isoDate('交邮日期') }),
  // 第二十六条: 记明拒收事由和日期，送达人、见证人签名，留在住所，音像记录送达过程.
  z.object({ ...serviceBase, method: z.literal('left'), server: text('送达人', 100), refusal: text('拒收事由', 2000), witness: text('见证人', 100), avRecord: text('音像记录（编号或存放位置）', 500) }),
  // 第二十七条: 记录委托、转交原因，送达人、受送达人在送达回证上签名.
  z.object({ ...serviceBase, method: z.literal('entrusted'), reason: text('委托、转交原因', 2000), via: text('受托或转交单位', 200), server: text('送达人', 100) }),
  // 第二十八条: 已采用其他方式均无法送达的情况，公告的方式和载体，留存书面公告，音像记录.
  z.object({ ...serviceBase, method: z.literal('notice'), otherMeansFailed: text('已采用其他方式均无法送达的情况', 5000), carrier: text('公告方式和载体', 500), avRecord: text('音像记录（编号或存放位置）', 500) }),
], { error: '请选择送达方式：直接送达、邮寄送达、留置送达、委托或转交送达、公告送达' });

// 履行与执行 (000 第二十九至三十二条; 行政处罚法 第七十二条; 行政强制法 第三十五至三十七、五十三、五十四条).
export const EXECUTION_STEPS = ['paid', 'performed', 'rectification', 'reminder', 'statement', 'enforced', 'court_applied', 'court_result'] as const;
export const ENFORCEMENT_MEASURES = ['surcharge', 'transfer', 'auction', 'restore', 'substitute', 'other'] as const;
const executionBase = { caseId: id('案件'), onDate: isoDate('日期'), files: servedFiles };
export const ExecutionRecordInput = z.discriminatedUnion('step', [
  z.object({ ...executionBase, step: z.literal('paid'), amount: text('缴纳金额', 30), text: z.string().trim().max(2000).default('') }),
  z.object({ ...executionBase, step: z.literal('performed'), text: text('履行情况', 5000) }),
  z.object({ ...executionBase, step: z.literal('rectification'), text: text('改正情况的核查结果', 5000) }),
  z.object({ ...executionBase, step: z.literal('reminder'), text: text('催告书文号及履行期限', 2000) }),
  z.object({ ...executionBase, step: z.literal('statement'), text: text('对当事人陈述、申辩的复核意见', 5000) }),
  z.object({ ...executionBase, step: z.literal('enforced'), measure: z.enum(ENFORCEMENT_MEASURES, { error: '请选择强制执行方式' }), text: text('强制执行决定及执行情况', 5000), avRecord: z.string().trim().max(500).default('') }),
  z.object({ ...executionBase, step: z.literal('court_applied'), text: text('受理法院及申请书', 2000) }),
  z.object({ ...executionBase, step: z.literal('court_result'), text: text('法院的裁定及执行结果', 5000) }),
], { error: '请选择记录的事项' });

// 归档 (services/caseFiles.ts): the handler hands the case file to a named custodian, who receives it;
// later material is a supplement (补充归档), never a change of the file.
export const ArchiveInput = z.object({ caseId: id('案件'), custodianId: id('档案管理员') });
export const CaseFileReceiveInput = z.object({ caseId: id('案件'), note: z.string().trim().max(2000).default('') });
export const SUPPLEMENT_KINDS = ['correction', 'withdrawal', 'inspection', 'other'] as const;
export const CaseFileSupplementInput = z.object({
  caseId: id('案件'),
  kind: z.enum(SUPPLEMENT_KINDS, { error: '请选择补充材料的类别：纠错或整改通知、撤回撤销或变更决定、案卷评查意见、其他' }),
  title: text('材料题名', 200),
  text: text('内容说明', 20000),
  files: servedFiles,
});
// 案卷评查 (services/inspections.ts): an evaluation of an archived case file and the reply to its requests.
export const INSPECTION_RESULTS = ['excellent', 'pass', 'fail'] as const;
export const InspectionInput = z.object({
  caseId: id('案件'),
  result: z.enum(INSPECTION_RESULTS, { error: '请选择评查结论：优秀、合格或不合格' }),
  findings: text('评查意见', 20000),
  requests: z.array(text('整改要求', 2000), { error: '整改要求应为文字的列表' }).max(20, { error: '整改要求最多20项' }).default([]),
});
export const InspectionReplyInput = z.object({ inspectionId: id('评查意见'), text: text('整改情况的答复', 20000) });

// 备案 (services/filings.ts): a major decision's filing with the government, each recipient's response,
// and the correction a 责令改正 asks for; the catalog of major decisions changed by a proposal that takes
// effect once its filing is recorded (001 附件3 第八条).
export const FILING_RESULTS = ['accepted', 'correct', 'revoked'] as const;
const recipients = z
  .array(text('备案接收机关', 100), { error: '备案接收机关应为机关名称的列表' })
  .min(1, { error: '请填写至少一个备案接收机关（如区人民政府、市级主管部门）' })
  .max(10, { error: '备案接收机关最多10个' })
  .refine((xs) => new Set(xs).size === xs.length, { error: '备案接收机关不能重复' });
export const FilingRecordInput = z.object({ caseId: id('案件'), filedOn: isoDate('报送备案日期'), recipients, note: z.string().trim().max(2000).default('') });
export const FilingResponseInput = z.object({
  filingId: id('备案记录'),
  recipient: text('备案接收机关', 100),
  result: z.enum(FILING_RESULTS, { error: '请选择审查结果：准予备案、责令改正或予以撤销' }),
  receivedOn: isoDate('收到审查意见的日期'),
  text: z.string({ error: '审查意见必须是文字' }).trim().max(20000, { error: '审查意见不能超过20000个字' }).default(''),
});
export const FilingCorrectionInput = z.object({ responseId: id('备案审查意见'), text: text('改正情况', 20000) });
export const FilingSettingsInput = z.object({ recipients, expectedVersion });
const CatalogItemInput = z.object({
  code: z.string({ error: '事项代码必须是文字' }).trim().regex(/^[a-z]+(\.[a-z0-9_]+)+$/, { error: (iss) => `事项代码“${String(iss.input)}”无效：应为小写字母、数字和下划线，以“类别.事项”的形式（如 penalty.fine_org）` }),
  kind: z.enum(DECISION_KINDS, { error: '事项的决定类型无效' }),
  label: text('事项名称', 200),
  minFineFen: z.number({ error: '罚款标准必须是以分计的整数' }).int({ error: '罚款标准必须是以分计的整数' }).positive({ error: '罚款标准应大于零' }).optional(),
  partyType: z.enum(PARTY_TYPES, { error: '适用的当事人类型无效' }).optional(),
  seal: z.object({
    minAreaM2: z.number({ error: '面积标准必须是数字' }).positive({ error: '面积标准应大于零' }),
    minValueFen: z.number({ error: '价值标准必须是以分计的整数' }).int({ error: '价值标准必须是以分计的整数' }).positive({ error: '价值标准应大于零' }),
  }, { error: '查封扣押标准应写明面积和价值' }).strict().optional(),
  hearing: z.literal(true, { error: '听证事项的标记只能是 true' }).optional(),
  catchAll: text('兜底事项的依据条文', 200).optional(),
}, { error: '目录事项应为对象' }).strict();
export const CatalogProposalInput = z.object({
  baseVersion: z.number({ error: '所依据的目录清单版本必须是数字' }).int().positive({ error: '所依据的目录清单版本无效' }),
  items: z.array(CatalogItemInput, { error: '目录事项应为列表' }).min(1, { error: '目录清单至少应有一个事项' }).max(200, { error: '目录事项最多200个' }),
  note: text('调整说明', 5000),
});
export const CatalogFilingInput = z.object({ proposalId: id('目录清单调整方案'), filedOn: isoDate('报送备案日期'), recipients, note: z.string().trim().max(2000).default('') });

// 统计 (services/stats.ts): a period of China calendar days, both ends included; xlsx: the .xlsx file too.
export const StatsInput = z.object({ from: isoDate('开始日期'), to: isoDate('结束日期'), xlsx: z.boolean().default(false) });
export const CaseFileChunkInput = z.object({
  caseId: id('案件'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: '文件校验值无效' }),
  offset: z.number().int().min(0).default(0),
});

const nonEmpty = (label: string, max = 20000) => z.string().trim().min(1, { error: `请填写${label}` }).max(max);
const uid = z.number().int().positive();
export const MeetingCreateInput = z.object({
  title: nonEmpty('会议名称', 200),
  scheduledAt: z.string().datetime({ offset: true, error: '会议时间应为带时区的时间，例如 2026-11-25T09:00:00+08:00' }),
  place: nonEmpty('会议地点', 200),
  chairId: uid,
  attendeeIds: z.array(uid).min(1, { error: '请选择应出席的负责人' }),
  caseIds: z.array(uid).default([]),
});

export const MeetingRecordInput = z.object({
  meetingId: uid,
  attendance: z
    .array(z.object({ userId: uid, present: z.boolean().nullable(), absenceReason: z.string().max(500).default('') }))
    .optional(),
  items: z
    .array(
      z.object({
        caseId: uid,
        handlingStatement: z.string().max(50000).optional(),
        legalStatement: z.string().max(50000).optional(),
        dissent: z.string().max(50000).optional(),
        notes: z.string().max(50000).optional(),
        stances: z
          .array(z.object({ userId: uid, stance: z.enum(['agree', 'disagree', 'abstain']).nullable(), reason: z.string().max(5000).default('') }))
          .optional(),
      }),
    )
    .optional(),
  /** The meeting's version as read (MeetingView.version): a record changed at another desk since is not overwritten. */
  expectedVersion,
});

export const MeetingDecideInput = z.object({
  meetingId: uid,
  caseId: uid,
  decision: z.enum(['approve', 'reject'], { error: '请选择决定：同意作出该决定，或不同意' }),
  decisionText: nonEmpty('会议决定内容'),
});

export const MeetingAmendInput = z.object({ meetingId: uid, text: nonEmpty('更正内容'), reason: nonEmpty('更正理由', 5000) });
export const MeetingItemInput = z.object({ meetingId: uid, caseId: uid });
export const MeetingRef = z.object({ meetingId: uid });
/** 回避: a head's own declaration or a party's application, with its reason (行政处罚法 第四十三条). */
export const RecusalInput = z.object({
  meetingId: uid,
  caseId: uid,
  userId: uid,
  source: z.enum(['self', 'party'], { error: '回避来源应为本人申请或当事人申请' }),
  reason: nonEmpty('回避理由', 5000),
});

/** The shared document model (main/core/documents/model.ts), as the editor sends it back. */
export const BlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('heading1'), text: z.string().max(2000) }),
  z.object({ type: z.literal('heading2'), text: z.string().max(2000) }),
  z.object({ type: z.literal('paragraph'), text: z.string().max(50000), indent: z.boolean().optional(), align: z.enum(['left', 'right', 'center']).optional() }),
  z.object({ type: z.literal('table'), header: z.boolean().optional(), rows: z.array(z.array(z.string().max(20000))).max(500), widths: z.array(z.number().positive()).optional() }),
  z.object({ type: z.literal('placeholder'), text: z.string().max(2000) }),
]);
export const DocModelSchema = z.object({
  kind: z.string().min(1).max(64),
  title: z.string().trim().min(1, { error: '文书标题不能为空' }).max(200),
  docNumber: z.string().max(100).optional(),
  recipient: z.string().max(500).optional(),
  blocks: z.array(BlockSchema).max(5000),
  signature: z.object({
    agency: z.string().max(200),
    date: z.string().max(50),
    signer: z.object({ name: z.string().max(50), role: z.string().max(50) }).optional(),
    sealPngBase64: z.string().max(5_000_000).optional(),
  }),
  provisional: z.boolean().optional(),
});
const templateId = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: '文书模板标识无效' });
export const DocumentRef = z.object({ caseId: id('案件'), templateId });
export const DocumentPreviewInput = DocumentRef.extend({ draft: z.record(z.string(), z.unknown()).optional(), meetingId: uid.optional() });
export const DocumentSaveInput = DocumentRef.extend({
  model: DocModelSchema,
  draft: z.record(z.string(), z.unknown()).optional(),
  note: z.string().trim().max(500).default(''),
  /** The number of the document's latest version as read (0: none yet). */
  expectedVersion,
});
export const DocumentFinalizeInput = DocumentRef.extend({ note: z.string().trim().max(500).default(''), expectedVersion });
/** The editor's text, asked about before 定稿 (read-only: nothing is saved). */
export const DocumentFinalizeCheckInput = DocumentRef.extend({ model: DocModelSchema });
export const DocumentDiffInput = DocumentRef.extend({ from: z.number().int().positive(), to: z.number().int().positive() });
export const TemplateSaveInput = z.object({ templateId, source: z.string().min(1, { error: '模板内容不能为空' }).max(500_000), note: z.string().trim().max(500).default('') });
export const ClauseInput = z.object({
  category: z.enum(['事理', '法理', '情理'], { error: '类别应为事理、法理或情理' }),
  title: nonEmpty('条目名称', 100),
  text: nonEmpty('条目内容', 20000),
});
/** fingerprint: which of the signer's current certificates signs (default: the newest; a desktop names one whose key it holds). */
export const IssueInput = z.object({
  caseId: id('案件'),
  templateId,
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, { error: '签名证书的指纹无效' }).optional(),
});
export const IdentityImportInput = z.object({
  base64: z.string().min(1, { error: '请选择证书文件' }).max(200_000, { error: '证书文件过大' }),
  passphrase: z.string().min(1, { error: '请输入证书口令' }).max(500),
});
const b64 = (label: string, max: number) =>
  z.string().min(1, { error: `缺少${label}` }).max(max, { error: `${label}过大` }).regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: `${label}不是有效的 base64 数据` });
/** A desktop registers the public half of a key it keeps (issue 14, point 5): the chain, signer first, and its proof. */
export const RegisterCertificateInput = z.object({
  chainBase64: z.array(b64('证书', 20_000), { error: '请提供证书' }).min(1, { error: '请提供证书' }).max(6, { error: '证书链过长（不超过6张）' }),
  proofBase64: b64('持有私钥的证明', 60_000),
});
/** The desktop's signatures for a document the server prepared (services/deskSigning.ts). */
export const CompleteIssueInput = z.object({
  requestId: z.string().regex(/^[0-9a-f]{32}$/, { error: '待签名文书的标识无效' }),
  pdfSignatureBase64: b64('PDF 签名', 60_000),
  p7sBase64: b64('Word 文件签名', 60_000),
});
export const SealInput = z.object({ pngBase64: z.string().min(1).max(3_000_000, { error: '印章图片过大（不超过2MB）' }) });
export const VerifyInput = z.object({
  name: z.string().max(255).default(''),
  base64: z.string().min(1, { error: '请选择要校验的文件' }).max(70_000_000, { error: '文件过大（不超过50MB）' }),
  sigBase64: z.string().max(1_000_000).optional(),
});
// 专家论证 (003 第十八条): the experts, the day, their opinion, optionally the minutes / written opinion as an uploaded file.
export const ExpertOpinionInput = z.object({
  caseId: id('案件'),
  experts: z.array(text('专家姓名', 50), { error: '请填写参加论证的专家' }).min(1, { error: '请至少填写一位参加论证的专家' }).max(30, { error: '专家不超过30位' }),
  heldOn: isoDate('论证日期'),
  opinion: text('专家论证意见', 20000),
  file: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: '文件校验值无效' }), name: text('文件名', 255) }).optional(),
});
// Upload limits (an agency setting): the largest file accepted, in bytes.
export const UploadSettingsInput = z.object({
  maxUploadBytes: z.number({ error: '上传大小上限必须是数字' }).int({ error: '上传大小上限须为整数字节' }).min(1024 * 1024, { error: '上传大小上限不得小于1MiB' }).max(64 * 1024 ** 3, { error: '上传大小上限不得超过64GiB' }),
  expectedVersion,
});
export const FontOrderInput = z.object({
  order: z
    .array(
      z.object({
        file: z.string().trim().min(1, { error: '请填写字体文件名或路径' }).max(500),
        face: z.string().trim().max(100).optional(),
        style: z.enum(['fangsong', 'xiaobiaosong', 'hei', 'kai', 'song'], { error: '字体类别应为仿宋、小标宋、黑体、楷体或宋体' }),
      }),
    )
    .max(50),
  expectedVersion,
});
export const SubmissionDiffInput = z.object({ caseId: id('案件'), fromRound: z.number().int().positive(), toRound: z.number().int().positive() });

/** A template's layout profile (services/documentLayout.ts). */
export const TemplateLayoutInput = z.object({
  templateId,
  layout: z.enum(LAYOUT_PROFILES, { error: '版式应为 GB/T 9704 党政机关公文格式或行政执法文书格式' }),
  expectedVersion,
});

const Empty = z.object({}).strict().default({});
const CaseIdOnly = z.object({ caseId: id('案件') });

/** A case by its 案件编号 (lrw takes either the internal id or the number). */
export const CaseByNoInput = z.object({ caseNo: text('案件编号', 64) });
/** Accounts by username (lrw names users and officers that way); `purpose` only words the refusal. */
export const UsersByNameInput = z.object({
  usernames: z.array(z.string({ error: '用户名必须是文字' }).trim().min(1, { error: '用户名不能为空' }).max(USERNAME_MAX)).min(1).max(200),
  purpose: z.enum(['user', 'officer']).default('user'),
});
/** A document draft as a file: the preview's model rendered as PDF or Word (草稿, unsigned). */
export const DocumentRenderInput = DocumentPreviewInput.extend({ format: z.enum(['pdf', 'docx'], { error: '文件格式应为 pdf 或 docx' }) });
/** A file a user brings to be signed with their own certificate (PDF embedded, anything else .p7s). */
export const SignFileInput = z.object({
  name: text('文件名', 255),
  base64: z.string().min(1, { error: '请选择要签名的文件' }).max(70_000_000, { error: '文件过大（不超过50MB）' }),
});
export const AlarmsInput = z.object({ all: z.boolean({ error: '“全部”应为是或否' }).optional() }).strict().default({});

/** Every channel with its request schema. Response types are in the Api type below. */
export const channels = {
  'app.status': Empty,
  'app.setup': SetupInput,
  'auth.signIn': SignInInput,
  'auth.signOut': Empty,
  'auth.me': Empty,
  'users.list': Empty,
  'users.create': UserInput,
  'users.update': UserUpdateInput,
  'users.setRoles': UserRolesInput,
  'users.resetPassword': ResetPasswordInput,
  'users.unlock': UnlockInput,
  'auth.changePassword': ChangePasswordInput,
  'settings.auth': Empty,
  'audit.events': AuditEventsInput,
  'settings.updateAuth': AuthSettingsInput,
  'catalog.current': Empty,
  'cases.submit': CaseInput,
  'cases.resubmit': ResubmitInput,
  'cases.get': CaseIdOnly,
  'cases.search': SearchInput,
  'cases.queue': Empty,
  'cases.report': CaseReportInput,
  'cases.close': CaseIdOnly,
  'reviews.take': CaseIdOnly,
  'reviews.saveDraft': ReviewDraftInput,
  'reviews.getDraft': CaseIdOnly,
  'reviews.issue': IssueReviewInput,
  'approvals.decide': ApprovalInput,
  'audit.verify': Empty,
  'audit.verifyStart': VerifyStartInput,
  'audit.verifyStatus': VerifyStatusInput,
  'audit.alarms': AlarmsInput,
  'audit.alarmAck': AlarmAckInput,
  'uploads.begin': z.object({ name: text('文件名', 255), size: z.number().int().min(0) }),
  'uploads.chunk': UploadChunkInput,
  'uploads.finish': z.object({ uploadId: z.string().regex(/^[0-9a-f]{32}$/) }),
  'drafts.save': DraftInput,
  'drafts.load': z.object({ key: z.string().min(1).max(200) }),
  'drafts.clear': z.object({ key: z.string().min(1).max(200) }),
  'deadlines.extend': ExtendInput,
  'deadlines.overdue': Empty,
  'deadlines.lastDay': Empty,
  'deadlines.compute': DeadlineComputeInput,
  'deadlines.settings': Empty,
  'deadlines.updateSettings': DeadlineSettingsInput,
  'calendar.show': z.object({ year: z.number().int().min(1901, { error: '年份无效' }).max(2099, { error: '年份无效' }) }),
  'calendar.import': YearScheduleInput,
  'clocks.start': ClockStartInput,
  'clocks.complete': ClockCompleteInput,
  'settings.workflow': Empty,
  'settings.updateWorkflow': WorkflowSettingsInput,
  'rereview.request': RereviewRequestInput,
  'cases.escalate': EscalateInput,
  'cases.propose': ProposeInput,
  'cases.revise': ReviseInput,
  'cases.proposeEnding': EndingProposeInput,
  'cases.reviewEnding': EndingStepInput,
  'cases.decideEnding': EndingStepInput,
  'referrals.report': ReferralReportInput,
  'referrals.decide': ReferralDecideInput,
  'referrals.transfer': ReferralTransferInput,
  'enforcement.service': ServiceRecordInput,
  'enforcement.execution': ExecutionRecordInput,
  'enforcement.checkService': ServiceRecordInput,
  'enforcement.checkExecution': ExecutionRecordInput,
  'archive.custodians': Empty,
  'archive.transfer': ArchiveInput,
  'archive.receive': CaseFileReceiveInput,
  'archive.supplement': CaseFileSupplementInput,
  'archive.checkSupplement': CaseFileSupplementInput,
  'casefile.manifest': CaseIdOnly,
  'casefile.chunk': CaseFileChunkInput,
  'stats.show': StatsInput,
  'filings.record': FilingRecordInput,
  'filings.respond': FilingResponseInput,
  'filings.correct': FilingCorrectionInput,
  'filings.package': CaseIdOnly,
  'filings.settings': Empty,
  'filings.updateSettings': FilingSettingsInput,
  'catalog.versions': Empty,
  'catalog.propose': CatalogProposalInput,
  'catalog.file': CatalogFilingInput,
  'catalog.respond': FilingResponseInput,
  'catalog.correct': FilingCorrectionInput,
  'inspections.record': InspectionInput,
  'inspections.reply': InspectionReplyInput,
  'inspections.cases': Empty,
  'meetings.confirmAgenda': MeetingRef,
  'meetings.recuse': RecusalInput,
  'meetings.list': Empty,
  'meetings.get': z.object({ meetingId: uid }),
  'meetings.create': MeetingCreateInput,
  'meetings.addItem': MeetingItemInput,
  'meetings.start': z.object({ meetingId: uid }),
  'meetings.save': MeetingRecordInput,
  'meetings.decide': MeetingDecideInput,
  'meetings.lock': z.object({ meetingId: uid }),
  'meetings.amend': MeetingAmendInput,
  'templates.list': Empty,
  'templates.get': z.object({ templateId }),
  'templates.save': TemplateSaveInput,
  'templates.fields': Empty,
  'templates.setLayout': TemplateLayoutInput,
  'documents.list': z.object({ caseId: id('案件') }),
  'documents.preview': DocumentPreviewInput,
  'documents.save': DocumentSaveInput,
  'documents.finalize': DocumentFinalizeInput,
  'documents.finalizeCheck': DocumentFinalizeCheckInput,
  'documents.versions': DocumentRef,
  'documents.diff': DocumentDiffInput,
  'documents.compareDocx': DocumentDiffInput,
  'cases.diffSubmissions': SubmissionDiffInput,
  'clauses.list': Empty,
  'clauses.create': ClauseInput,
  'clauses.retire': z.object({ clauseId: uid }),
  'signing.identities': Empty,
  'signing.createTrial': Empty,
  'signing.import': IdentityImportInput,
  'signing.setSeal': SealInput,
  'signing.retire': z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/, { error: '证书标识无效' }) }),
  'documents.issue': IssueInput,
  'signing.register': RegisterCertificateInput,
  'documents.prepareIssue': IssueInput,
  'documents.completeIssue': CompleteIssueInput,
  'documents.download': z.object({ issuedId: uid }),
  'documents.verify': VerifyInput,
  'settings.fonts': Empty,
  'settings.updateFonts': FontOrderInput,
  'settings.review': Empty,
  'settings.updateReview': ReviewSettingsInput,
  'deadlines.requestExtension': ExtensionRequestInput,
  'deadlines.decideExtension': ExtensionDecideInput,
  'users.exemptReviewer': ReviewerExemptInput,
  'experts.add': ExpertOpinionInput,
  'settings.uploads': Empty,
  'settings.updateUploads': UploadSettingsInput,
  'cases.byNo': CaseByNoInput,
  'cases.check': CaseInput,
  'users.byName': UsersByNameInput,
  'experts.check': ExpertOpinionInput,
  'documents.render': DocumentRenderInput,
  'files.sign': SignFileInput,
} as const;

export type Channel = keyof typeof channels;

/** Writes checked against the version the client read (see expectedVersion above): the app must send it. */
export const VERSIONED_CHANNELS = [
  'cases.resubmit', 'cases.revise', 'reviews.saveDraft', 'reviews.issue', 'meetings.save', 'documents.save', 'documents.finalize',
  'settings.updateAuth', 'settings.updateWorkflow', 'settings.updateReview', 'settings.updateUploads', 'settings.updateFonts', 'deadlines.updateSettings',
  'templates.setLayout',
] as const satisfies readonly Channel[];
export type VersionedChannel = (typeof VERSIONED_CHANNELS)[number];
export const CHANNELS = Object.keys(channels) as Channel[];
export type Input<C extends Channel> = z.input<(typeof channels)[C]>;
export type Parsed<C extends Channel> = z.output<(typeof channels)[C]>;

export interface Outputs {
  'app.status': V.AppStatus;
  'app.setup': V.SessionView;
  'auth.signIn': V.SessionView;
  'auth.signOut': null;
  'auth.me': V.SessionView | null;
  'users.list': V.UserView[];
  'users.create': V.UserView;
  'users.update': V.UserView;
  'users.setRoles': V.UserView;
  'users.resetPassword': { user: V.UserView; temporaryPassword: string };
  'users.unlock': V.UserView;
  'auth.changePassword': V.SessionView;
  'settings.auth': V.AuthSettingsView & V.Versioned;
  'audit.events': V.AuditEventView[];
  'settings.updateAuth': V.AuthSettingsView & V.Versioned;
  'catalog.current': V.CatalogView;
  'cases.submit': V.CaseDetail;
  'cases.resubmit': V.CaseDetail;
  'cases.get': V.CaseDetail;
  'cases.search': V.SearchResult;
  'cases.queue': V.QueueView;
  'cases.report': V.CaseReportView;
  'cases.close': V.CaseDetail;
  'reviews.take': V.CaseDetail;
  'reviews.saveDraft': { savedAt: string; version: number };
  'reviews.getDraft': V.ReviewDraftView | null;
  'reviews.issue': V.CaseDetail;
  'approvals.decide': V.CaseDetail;
  'audit.verify': V.AuditVerifyView;
  'audit.verifyStart': V.VerifyJobView;
  'audit.verifyStatus': V.VerifyJobView;
  'audit.alarms': V.AlarmView[];
  'audit.alarmAck': V.AlarmView;
  'uploads.begin': { uploadId: string };
  'uploads.chunk': { received: number };
  'uploads.finish': { sha256: string; size: number; name: string };
  'drafts.save': { savedAt: string };
  'drafts.load': { json: string; savedAt: string } | null;
  'drafts.clear': null;
  'deadlines.extend': V.ClockView[];
  'deadlines.overdue': V.OverdueItem[];
  'deadlines.lastDay': V.OverdueItem[];
  'deadlines.compute': { from: string; days: number; mode: 'working' | 'natural'; due: string; counted: string[]; provisional: boolean; postponedFrom?: string };
  'deadlines.settings': V.DeadlineSettings & V.Versioned;
  'deadlines.updateSettings': V.DeadlineSettings & V.Versioned;
  'calendar.show': CalendarYearInfo;
  'calendar.import': CalendarYearInfo;
  'clocks.start': V.ClockView[];
  'clocks.complete': V.ClockView[];
  'settings.workflow': V.WorkflowSettingsView & V.Versioned;
  'settings.updateWorkflow': V.WorkflowSettingsView & V.Versioned;
  'rereview.request': V.CaseDetail;
  'cases.escalate': V.CaseDetail;
  'cases.propose': V.CaseDetail;
  'cases.revise': V.CaseDetail;
  'cases.proposeEnding': V.CaseDetail;
  'cases.reviewEnding': V.CaseDetail;
  'cases.decideEnding': V.CaseDetail;
  'referrals.report': V.CaseDetail;
  'referrals.decide': V.CaseDetail;
  'referrals.transfer': V.CaseDetail;
  'enforcement.service': V.CaseDetail;
  'enforcement.execution': V.CaseDetail;
  'enforcement.checkService': null;
  'enforcement.checkExecution': null;
  'archive.custodians': { id: number; name: string }[];
  'archive.transfer': V.CaseDetail;
  'archive.receive': V.CaseDetail;
  'archive.supplement': V.CaseDetail;
  'archive.checkSupplement': null;
  'casefile.manifest': V.CaseFileExport;
  'casefile.chunk': { base64: string; size: number; next: number | null };
  'stats.show': V.StatsView;
  'filings.record': V.CaseDetail;
  'filings.respond': V.CaseDetail;
  'filings.correct': V.CaseDetail;
  'catalog.respond': V.CatalogAdminView;
  'catalog.correct': V.CatalogAdminView;
  'filings.package': { name: string; base64: string };
  'filings.settings': V.FilingSettingsView;
  'filings.updateSettings': V.FilingSettingsView;
  'catalog.versions': V.CatalogAdminView;
  'catalog.propose': V.CatalogAdminView;
  'catalog.file': V.CatalogAdminView;
  'inspections.record': V.CaseDetail;
  'inspections.reply': V.CaseDetail;
  'inspections.cases': V.InspectableCase[];
  'meetings.confirmAgenda': V.MeetingView;
  'meetings.recuse': V.MeetingView;
  'meetings.list': V.MeetingSummary[];
  'meetings.get': V.MeetingView;
  'meetings.create': V.MeetingView;
  'meetings.addItem': V.MeetingView;
  'meetings.start': V.MeetingView;
  'meetings.save': V.MeetingView;
  'meetings.decide': V.MeetingView;
  'meetings.lock': V.MeetingView;
  'meetings.amend': V.MeetingView;
  'templates.list': V.TemplateSummary[];
  'templates.get': V.TemplateSummary & { source: string };
  'templates.save': V.TemplateSummary;
  'templates.fields': { path: string; label: string; type: string; optional: boolean }[];
  'templates.setLayout': { templateId: string; layout: import('../main/core/domain/types').LayoutProfile; version: number };
  'documents.list': V.DocumentSummary[];
  'documents.preview': V.DocumentPreview;
  'documents.save': V.DocumentVersionView;
  'documents.finalize': V.DocumentVersionView;
  'documents.finalizeCheck': V.DocumentFinalizeCheck;
  'documents.versions': V.DocumentVersionView[];
  'documents.diff': ModelDiff;
  'documents.compareDocx': { name: string; base64: string };
  'cases.diffSubmissions': SubmissionDiff;
  'clauses.list': V.ClauseView[];
  'clauses.create': V.ClauseView;
  'clauses.retire': null;
  'signing.identities': IdentityView[];
  'signing.createTrial': IdentityView;
  'signing.import': IdentityView;
  'signing.setSeal': null;
  'signing.retire': IdentityView[];
  'documents.issue': IssuedView[];
  'signing.register': IdentityView;
  'documents.prepareIssue': IssueRequestView;
  'documents.completeIssue': IssuedView[];
  'documents.download': { name: string; base64: string };
  'documents.verify': VerifyView;
  'settings.fonts': { order: { file: string; face?: string; style: string }[]; roles: Record<string, string>; version: number };
  'settings.updateFonts': { order: { file: string; face?: string; style: string }[]; roles: Record<string, string>; version: number };
  'settings.review': V.ReviewSettingsView & V.Versioned;
  'settings.updateReview': V.ReviewSettingsView & V.Versioned;
  'deadlines.requestExtension': V.CaseDetail;
  'deadlines.decideExtension': V.CaseDetail;
  'users.exemptReviewer': V.UserView;
  'experts.add': V.ExpertOpinionView;
  'settings.uploads': V.UploadSettingsView & V.Versioned;
  'settings.updateUploads': V.UploadSettingsView & V.Versioned;
  'cases.byNo': { caseId: number };
  'cases.check': null;
  'users.byName': { id: number; username: string; displayName: string }[];
  'experts.check': null;
  'documents.render': { name: string; base64: string; placeholders: V.DocumentPreview['placeholders']; missing: V.DocumentPreview['missing'] };
  'files.sign': { kind: 'pdf' | 'p7s'; base64: string };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** What window.api looks like in the renderer: one async function per channel. */
export type Api = { [C in Channel]: (input: Input<C>) => Promise<Result<Outputs[C]>> };

export const IPC_PREFIX = 'lrw:';
