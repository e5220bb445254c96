// The bridge contract: channel names, request schemas and the Api type, shared by preload (which
// exposes it), main/core/api.ts (which implements it) and the renderer (which calls it).
// No electron import here: this file is loaded by Node tests, the CLI and the test harness too.
import { z } from 'zod';
import {
  APPROVAL_DECISIONS,
  DECISION_KINDS,
  FINDING_RESULTS,
  OUTCOMES,
  PARTY_TYPES,
  ROLES,
} from '../main/core/domain/types';
import type { ErrorPayload } from '../main/core/domain/errors';
import type * as V from '../main/core/domain/views';
import type { CalendarYearInfo } from '../main/core/domain/calendar';
import type { ModelDiff, SubmissionDiff } from '../main/core/documents/diff';
import type { IdentityView, IssuedView, VerifyView } from '../main/core/services/issue';

z.config(z.locales.zhCN());

const text = (label: string, max = 20000) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, { error: `${label}不能为空` })
    .max(max, { error: `${label}不能超过${max}个字` });
const optText = (label: string, max = 20000) =>
  z.string({ error: `${label}必须是文字` }).trim().max(max, { error: `${label}不能超过${max}个字` }).optional();
const isoDate = (label: string) =>
  z.string({ error: `${label}必须是日期` }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label}应为“YYYY-MM-DD”格式的日期` });
const id = (label: string) => z.number({ error: `${label}必须是编号` }).int().positive({ error: `${label}无效` });

export const SetupInput = z.object({
  agencyName: text('机关名称', 100),
  docPrefix: text('文号前缀', 20),
  admin: z.object({
    username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名应为2至32位字母、数字或 _ . -' }),
    displayName: text('姓名', 50),
    password: z.string().min(8, { error: '密码至少8位' }).max(200),
  }),
});

export const SignInInput = z.object({
  username: z.string().trim().min(1, { error: '请输入用户名' }),
  password: z.string().min(1, { error: '请输入密码' }),
});

export const UserInput = z.object({
  username: z.string().trim().regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名应为2至32位字母、数字或 _ . -' }),
  displayName: text('姓名', 50),
  password: z.string().min(8, { error: '密码至少8位' }).max(200),
  roles: z.array(z.enum(ROLES, { error: '角色无效' })).min(1, { error: '至少选择一个角色' }),
  certNo: optText('执法证号', 50),
  certExpiry: isoDate('执法证有效期').optional(),
  qualificationNo: optText('法律职业资格证号', 50),
});

export const UserUpdateInput = z.object({
  userId: id('用户'),
  displayName: text('姓名', 50).optional(),
  roles: z.array(z.enum(ROLES)).min(1, { error: '至少选择一个角色' }).optional(),
  certNo: optText('执法证号', 50),
  /** An empty string clears the certificate's expiry (with its number). */
  certExpiry: z.union([isoDate('执法证有效期'), z.literal('')]).optional(),
  qualificationNo: optText('法律职业资格证号', 50),
  active: z.boolean().optional(),
  password: z.string().min(8, { error: '密码至少8位' }).max(200).optional(),
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
  procedure: z.array(ProcedureStepInput).min(1, { error: '请填写已履行的程序' }),
  officerIds: z.array(id('执法人员')).min(2, { error: '执法人员不得少于两人' }),
  attachments: z.array(AttachmentRef).default([]),
});

export const ResubmitInput = z.object({ caseId: id('案件'), case: CaseInput, changeNote: text('补正说明', 5000) });

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
});

export const IssueReviewInput = z.object({
  caseId: id('案件'),
  findings: z.array(FindingInput).max(9),
  outcome: z.enum(OUTCOMES, { error: '请选择审核意见：同意、退回或不同意' }),
  opinion: z.string().trim().max(20000).default(''),
  requests: z.array(z.string().trim().min(1).max(2000)).default([]),
  suggestions: z.string().trim().max(20000).default(''),
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
  state: z.enum(['submitted', 'under_review', 'returned', 'reviewed', 'rereview_requested', 'rereviewed', 'in_discussion', 'approved', 'rejected', 'closed']).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).default(0),
});

export const UploadChunkInput = z.object({
  uploadId: z.string().regex(/^[0-9a-f]{32}$/),
  base64: z.string().max(2_800_000, { error: '单次上传的数据块过大' }),
});

export const DraftInput = z.object({ key: z.string().min(1).max(200), json: z.string().max(2_000_000) });

export const DeadlineSettingsInput = z.object({
  mode: z.enum(['working', 'natural'], { error: '计算方式应为工作日或自然日' }),
  reviewDays: z.number().int().min(1, { error: '审核期限至少1日' }).max(60, { error: '审核期限不超过60日' }),
  extensionDays: z.number().int().min(0).max(30, { error: '延长期限不超过30日' }),
  rereviewDays: z.number().int().min(1).max(60),
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
});

export const RereviewRequestInput = z.object({
  caseId: z.number().int().positive(),
  reasons: z.string().trim().min(1, { error: '请写明申请复审的理由' }).max(20000),
});

export const EscalateInput = z.object({
  caseId: z.number().int().positive(),
  reasons: z.string().trim().min(1, { error: '请写明仍不同意复审意见的理由' }).max(20000),
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
});

export const MeetingDecideInput = z.object({
  meetingId: uid,
  caseId: uid,
  decision: z.enum(['approve', 'reject'], { error: '请选择决定：同意作出该决定，或不同意' }),
  decisionText: nonEmpty('会议决定内容'),
});

export const MeetingAmendInput = z.object({ meetingId: uid, text: nonEmpty('更正内容'), reason: nonEmpty('更正理由', 5000) });
export const MeetingItemInput = z.object({ meetingId: uid, caseId: uid });

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
});
export const DocumentFinalizeInput = DocumentRef.extend({ note: z.string().trim().max(500).default('') });
export const DocumentDiffInput = DocumentRef.extend({ from: z.number().int().positive(), to: z.number().int().positive() });
export const TemplateSaveInput = z.object({ templateId, source: z.string().min(1, { error: '模板内容不能为空' }).max(500_000), note: z.string().trim().max(500).default('') });
export const ClauseInput = z.object({
  category: z.enum(['事理', '法理', '情理'], { error: '类别应为事理、法理或情理' }),
  title: nonEmpty('条目名称', 100),
  text: nonEmpty('条目内容', 20000),
});
export const IssueInput = z.object({ caseId: id('案件'), templateId });
export const IdentityImportInput = z.object({
  base64: z.string().min(1, { error: '请选择证书文件' }).max(200_000, { error: '证书文件过大' }),
  passphrase: z.string().min(1, { error: '请输入证书口令' }).max(500),
});
export const SealInput = z.object({ pngBase64: z.string().min(1).max(3_000_000, { error: '印章图片过大（不超过2MB）' }) });
export const VerifyInput = z.object({
  name: z.string().max(255).default(''),
  base64: z.string().min(1, { error: '请选择要校验的文件' }).max(70_000_000, { error: '文件过大（不超过50MB）' }),
  sigBase64: z.string().max(1_000_000).optional(),
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
});
export const SubmissionDiffInput = z.object({ caseId: id('案件'), fromRound: z.number().int().positive(), toRound: z.number().int().positive() });

const Empty = z.object({}).strict().default({});
const CaseIdOnly = z.object({ caseId: id('案件') });

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
  'catalog.current': Empty,
  'cases.submit': CaseInput,
  'cases.resubmit': ResubmitInput,
  'cases.get': CaseIdOnly,
  'cases.search': SearchInput,
  'cases.queue': Empty,
  'cases.close': CaseIdOnly,
  'reviews.take': CaseIdOnly,
  'reviews.saveDraft': ReviewDraftInput,
  'reviews.getDraft': CaseIdOnly,
  'reviews.issue': IssueReviewInput,
  'approvals.decide': ApprovalInput,
  'audit.verify': Empty,
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
  'documents.list': z.object({ caseId: id('案件') }),
  'documents.preview': DocumentPreviewInput,
  'documents.save': DocumentSaveInput,
  'documents.finalize': DocumentFinalizeInput,
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
  'documents.download': z.object({ issuedId: uid }),
  'documents.verify': VerifyInput,
  'settings.fonts': Empty,
  'settings.updateFonts': FontOrderInput,
} as const;

export type Channel = keyof typeof channels;
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
  'catalog.current': V.CatalogView;
  'cases.submit': V.CaseDetail;
  'cases.resubmit': V.CaseDetail;
  'cases.get': V.CaseDetail;
  'cases.search': V.SearchResult;
  'cases.queue': V.QueueView;
  'cases.close': V.CaseDetail;
  'reviews.take': V.CaseDetail;
  'reviews.saveDraft': { savedAt: string };
  'reviews.getDraft': V.ReviewDraftView | null;
  'reviews.issue': V.CaseDetail;
  'approvals.decide': V.CaseDetail;
  'audit.verify': V.AuditVerifyView;
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
  'deadlines.settings': V.DeadlineSettings;
  'deadlines.updateSettings': V.DeadlineSettings;
  'calendar.show': CalendarYearInfo;
  'calendar.import': CalendarYearInfo;
  'clocks.start': V.ClockView[];
  'clocks.complete': V.ClockView[];
  'settings.workflow': V.WorkflowSettingsView;
  'settings.updateWorkflow': V.WorkflowSettingsView;
  'rereview.request': V.CaseDetail;
  'cases.escalate': V.CaseDetail;
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
  'documents.list': V.DocumentSummary[];
  'documents.preview': V.DocumentPreview;
  'documents.save': V.DocumentVersionView;
  'documents.finalize': V.DocumentVersionView;
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
  'documents.download': { name: string; base64: string };
  'documents.verify': VerifyView;
  'settings.fonts': { order: { file: string; face?: string; style: string }[]; roles: Record<string, string> };
  'settings.updateFonts': { order: { file: string; face?: string; style: string }[]; roles: Record<string, string> };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

/** What window.api looks like in the renderer: one async function per channel. */
export type Api = { [C in Channel]: (input: Input<C>) => Promise<Result<Outputs[C]>> };

export const IPC_PREFIX = 'lrw:';
