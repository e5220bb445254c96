// The data a document template binds to, and the schema (names, types, Chinese labels) a template is
// checked against when it is loaded or saved. `buildTemplateData` turns a CaseDetail (plus the agency
// and what the drafter filled in) into that data; TEMPLATE_SCHEMA describes exactly the same shape, and a
// test keeps the two in step (checkDataAgainstSchema).
//
// Types used by the schema:
//   text      a string, printed as is
//   number    an integer, printed in figures (or in Chinese with | cnNum)
//   money     integer fen; must be printed through | yuan (50,000元) or | capitals (伍万元整)
//   date      'YYYY-MM-DD'; printed through | cn (2026年11月23日)
//   datetime  ISO instant; printed through | cn (date in CST) or | cnTime (2026年11月23日 14:05)
//   bool      only usable in {{#if}} / {{#unless}}
//   list      {{#each}} over it, or | join:"、" for a list of text
//   object    a group of fields
// An optional field (optional: true) may be absent; a template must test it with {{#if}} first or give
// it a | fill:"标签" (placeholder 〔待填写：标签〕) or | or:"替代文字" filter. Lists are never optional
// (an empty list instead).
import type { CaseDetail, ExpertOpinionView, FindingView, MeetingItemView, MeetingView, ReviewView, SubmissionView } from '../domain/views';
import {
  APPROVAL_LABELS,
  CASE_STATE_LABELS,
  CASE_STATES,
  DECISION_KIND_LABELS,
  DECISION_KINDS,
  DEFAULT_AGREE_OPINION,
  findingLabel,
  FINDING_RESULTS,
  OUTCOME_LABELS,
  OUTCOMES,
  APPROVAL_DECISIONS,
  PARTY_TYPES,
} from '../domain/types';
import { formatYuan, yuanInCapitals } from '../domain/money';
import { cstDate, formatChineseDate, isValidDate, yearOf } from '../domain/calendar/cst';
import { AppError } from '../domain/errors';

// ---------------------------------------------------------------------------------------------
// Schema

export type FieldType = 'text' | 'number' | 'money' | 'date' | 'datetime' | 'bool' | 'list' | 'object';

export interface FieldSpec {
  type: FieldType;
  /** Chinese label shown to an administrator editing a template. */
  label: string;
  optional?: boolean;
  /** For text fields with a fixed set of values (codes such as 'agree'): the allowed values. */
  values?: readonly string[];
  /** object: its fields. */
  fields?: Record<string, FieldSpec>;
  /** list: the shape of one item. */
  item?: FieldSpec;
  /** Extra explanation (where the value comes from). */
  note?: string;
}

type Opts = { optional?: boolean; note?: string; values?: readonly string[] };
const f = (type: FieldType) => (label: string, opts: Opts = {}): FieldSpec => ({ type, label, ...opts });
const text = f('text');
const num = f('number');
const money = f('money');
const date = f('date');
const datetime = f('datetime');
const bool = f('bool');
const obj = (label: string, fields: Record<string, FieldSpec>, opts: Opts = {}): FieldSpec => ({ type: 'object', label, fields, ...opts });
const list = (label: string, item: FieldSpec, opts: Omit<Opts, 'optional'> = {}): FieldSpec => ({ type: 'list', label, item, ...opts });
const opt = { optional: true } as const;

const FINDING = obj('审核事项', {
  criterion: num('序号（1–9）'),
  numberCn: text('序号（一至九）'),
  title: text('审核事项'),
  result: text('审核结论代码', { values: FINDING_RESULTS }),
  resultLabel: text('审核结论（符合/不符合/需补正；第七项为不涉嫌犯罪/涉嫌犯罪，应当移送/需进一步核实）'),
  reason: text('理由'),
});

// 专家论证 (003 第十八条) attached to a review.
const EXPERT = obj('专家论证意见', {
  experts: list('参加论证的专家', text('专家姓名')),
  expertsText: text('参加论证的专家（以顿号分隔）'),
  heldOn: date('论证日期'),
  opinion: text('专家论证意见'),
  file: obj('专家论证会议纪要或专家意见书', { name: text('文件名'), sha256: text('文件校验值（SHA-256）') }, opt),
  addedBy: text('登记人'),
});

const REVIEW = (label: string, o: Opts = {}) =>
  obj(
    label,
    {
      round: num('送审轮次'),
      kind: text('审核类型代码', { values: ['review', 'rereview'] }),
      kindLabel: text('审核类型（法制审核/复审）'),
      reviewer: text('审核人'),
      outcome: text('审核结论代码', { values: OUTCOMES }),
      outcomeLabel: text('审核结论（同意/退回/不同意）'),
      opinion: text('审核意见'),
      ownOpinion: bool('审核人员写有自己的审核意见（否则为“经审核，同意。”或空白）'),
      requests: list('退回时提出的具体要求', text('要求')),
      suggestions: text('意见和建议', opt),
      issuedAt: datetime('出具时间'),
      findings: list('九项审核事项', FINDING),
      defects: list('不符合或需补正的审核事项', FINDING),
      allConform: bool('九项均符合'),
      experts: list('专家论证意见（本次审核中组织的）', EXPERT),
    },
    o,
  );

const APPROVAL = (label: string, o: Opts = {}) =>
  obj(
    label,
    {
      head: text('负责人'),
      decision: text('审批决定代码', { values: APPROVAL_DECISIONS }),
      decisionLabel: text('审批决定（批准/不予批准）'),
      opinion: text('负责人意见'),
      override: bool('改变或未采纳法制审核意见'),
      overrideReason: text('改变或未采纳法制审核意见的理由', opt),
      reviewOutcome: text('审批时的法制审核结论代码', { optional: true, values: OUTCOMES }),
      reviewOutcomeLabel: text('审批时的法制审核结论', opt),
      decidedAt: datetime('审批时间'),
      collective: bool('经集体讨论决定'),
    },
    o,
  );

const PERSON = obj('人员', { name: text('姓名') });

export const MEETING_SCHEMA: FieldSpec = obj(
  '集体讨论（会议）',
  {
    title: text('会议名称'),
    time: datetime('会议时间'),
    place: text('会议地点'),
    chair: text('主持人'),
    recorder: text('记录人', opt),
    expected: num('应到人数'),
    presentCount: num('实到人数'),
    quorumLabel: text('法定人数要求'),
    quorumMet: bool('达到法定人数'),
    attendees: list('出席人员', PERSON),
    attendeesText: text('出席人员（以顿号分隔）'),
    absentees: list('缺席人员', obj('缺席人员', { name: text('姓名'), reason: text('缺席原因', opt) })),
    absenteesText: text('缺席人员及原因（无缺席时为“无”）'),
    matter: text('讨论事项'),
    legalOpinionLabel: text('法制机构的审核（复审）结论', opt),
    rereviewReasons: text('承办机构申请复审的理由', opt),
    escalationReasons: text('提请集体讨论的理由', opt),
    handlingStatement: text('承办机构的汇报和意见', opt),
    legalStatement: text('法制机构的审核意见说明', opt),
    opinions: list(
      '参会人员意见',
      obj('参会人员意见', {
        name: text('姓名'),
        stance: text('表态代码', { values: ['agree', 'disagree', 'abstain'] }),
        stanceLabel: text('表态（同意/不同意/弃权）'),
        reason: text('意见和理由', opt),
      }),
    ),
    tallyText: text('表态统计'),
    dissent: text('不同意见', opt),
    decisionLabel: text('讨论决定（批准/不予批准）', opt),
    decisionText: text('决定内容', opt),
    decidedAt: datetime('决定时间', opt),
    departsFromMajority: bool('主持人决定与多数意见不一致'),
    departsFromLegalOpinion: bool('决定未采纳法制机构意见'),
    headOverride: obj('负责人改变法制审核意见', { head: text('负责人'), reason: text('理由') }, opt),
    locked: bool('纪要已定稿'),
  },
  { optional: true, note: '由集体讨论记录（会议）提供；尚未开会时为空。' },
);

export const TEMPLATE_SCHEMA: FieldSpec = obj('文书数据', {
  agency: obj('行政机关', { name: text('机关名称'), docPrefix: text('发文字号前缀') }),
  docNumber: text('文号（如 某监罚〔2026〕12号）', { optional: true, note: '未分配文书序号时为空。' }),
  date: date('文书日期'),
  dateCn: text('文书日期（中文格式）'),
  provisional: bool('日期涉及尚未公布放假安排的年份'),
  case: obj('案件', {
    no: text('案件编号'),
    title: text('案件名称'),
    kind: text('决定类型代码', { values: DECISION_KINDS }),
    kindLabel: text('决定类型（行政处罚等）'),
    catalogItem: text('重大执法决定目录事项'),
    catalogVersion: num('目录清单版本'),
    state: text('案件状态代码', { values: CASE_STATES }),
    stateLabel: text('案件状态'),
    round: num('当前送审轮次'),
    handler: text('承办人'),
    handlingUnit: text('承办机构', opt),
    reviewer: text('审核人', opt),
    lastOutcome: text('最近审核结论代码', { optional: true, values: OUTCOMES }),
    lastOutcomeLabel: text('最近审核结论', opt),
  }),
  party: obj('当事人', {
    type: text('当事人类型代码', { values: PARTY_TYPES }),
    typeLabel: text('当事人类型（公民/法人或者其他组织）'),
    isCitizen: bool('当事人是公民'),
    name: text('姓名或者名称'),
    idLabel: text('证件名称（公民身份号码/统一社会信用代码）'),
    idNumber: text('证件号码'),
    address: text('住所（地址）'),
  }),
  submission: obj('最近一次送审材料', {
    round: num('送审轮次'),
    submittedAt: datetime('送审时间'),
    submittedBy: text('送审人'),
    changeNote: text('补充修改说明', opt),
    title: text('案件名称'),
    facts: text('违法事实'),
    evidence: list('证据材料', text('证据')),
    legalBasis: list('法律依据', obj('法律依据', { law: text('法律文件'), article: text('条款'), text: text('依据（《法律》条款）') })),
    legalBasisText: text('法律依据（全部，以顿号分隔）'),
    proposedDecision: text('拟作出的决定'),
    fine: money('罚款金额', opt),
    procedure: list('已经履行的程序', obj('程序环节', { step: text('环节'), date: date('日期'), note: text('说明', opt) })),
    procedureText: text('已经履行的程序（叙述）'),
    majorText: text('认定为重大执法决定的数量标准、依据和送审理由', opt),
    officers: list('执法人员', obj('执法人员', { name: text('姓名'), certNo: text('执法证号', opt) })),
    officersText: text('执法人员及证号（以顿号分隔）'),
    attachments: list('附件', obj('附件', { name: text('文件名'), size: num('字节数'), sizeText: text('大小'), sha256: text('文件校验值（SHA-256）') })),
  }),
  submissions: list(
    '历次送审',
    obj('送审', { round: num('轮次'), submittedAt: datetime('送审时间'), submittedBy: text('送审人'), changeNote: text('补充修改说明', opt) }),
  ),
  fine: money('罚款金额', opt),
  fineYuan: text('罚款金额（如 50,000元）', opt),
  fineCapitals: text('罚款金额大写（如 伍万元整）', opt),
  reviews: obj('法制审核', {
    last: REVIEW('最近一次审核（含复审）', opt),
    all: list('历次审核', REVIEW('审核')),
    count: num('审核次数'),
  }),
  approvals: obj('负责人审批', {
    last: APPROVAL('最近一次审批', opt),
    all: list('历次审批', APPROVAL('审批')),
  }),
  responsible: obj('责任人', { handler: text('承办人'), reviewer: text('审核人', opt), approver: text('批准人', opt) }),
  override: obj(
    '负责人改变或未采纳法制审核意见',
    {
      head: text('负责人'),
      reason: text('理由'),
      reviewOutcomeLabel: text('被改变的法制审核结论', opt),
      decisionLabel: text('负责人的决定'),
      decidedAt: datetime('时间'),
    },
    { optional: true, note: '仅在负责人改变或未采纳法制审核意见时存在。' },
  ),
  rereview: obj('复审', {
    requested: bool('已申请复审'),
    request: obj(
      '复审申请',
      {
        reasons: text('申请复审的理由'),
        by: text('申请人'),
        at: datetime('申请时间'),
        unit: text('申请单位', opt),
        claims: text('请求事项', opt),
      },
      { optional: true, note: '承办机构提出复审申请后存在。' },
    ),
    against: REVIEW('被申请复审的审核意见', { optional: true, note: '复审申请所针对的最近一次法制审核。' }),
    opinion: REVIEW('复审意见', { optional: true, note: '出具复审意见后存在。' }),
    conclusionLabel: text('复审结论（维持/改变原审核意见）', opt),
    maintained: bool('复审维持原审核结论'),
  }),
  escalation: obj('提请集体讨论', { reasons: text('理由'), by: text('提请人'), at: datetime('时间') }, opt),
  ending: obj(
    '未作决定而终结（不予行政处罚、撤销立案等，经批准）',
    {
      kindLabel: text('终结方式'),
      reason: text('终结理由'),
      proposedBy: text('提出人'),
      proposedAt: datetime('提出时间'),
      reviewedBy: text('审核人'),
      reviewOpinion: text('审核意见'),
      approvedBy: text('批准人'),
      approvedAt: datetime('批准时间'),
      approvalOpinion: text('批准意见'),
    },
    { optional: true, note: '承办单位提出的终结意见经审核、批准后存在。' },
  ),
  referral: obj(
    '移送涉嫌犯罪案件',
    {
      stateLabel: text('移送进展'),
      openedAt: datetime('启动时间（审核认定涉嫌犯罪之时）'),
      transferred: bool('已移送公安机关'),
      police: text('接受移送的公安机关', opt),
      procuratorate: text('抄送的人民检察院', opt),
      supervisory: text('抄送的监察机关', opt),
      transferredAt: datetime('移送时间', opt),
    },
    { optional: true, note: '审核认定第七项“涉嫌犯罪，应当移送”后存在。' },
  ),
  meeting: MEETING_SCHEMA,
  decision: obj('处罚决定书（说理式）', {
    facts: text('违法事实', { note: '起草人填写，未填写时取送审材料中的事实。' }),
    evidence: list('主要证据', text('证据'), { note: '起草人填写，未填写时取送审材料中的证据。' }),
    procedureSummary: text('案件办理的主要程序', { optional: true, note: '未填写时由送审材料中的程序环节生成。' }),
    legalReasoning: text('法律适用理由', opt),
    statements: text('当事人陈述、申辩的内容', opt),
    defenceReasoning: text('对当事人陈述、申辩的采纳情况及理由', opt),
    penaltyKind: text('行政处罚的种类和内容', opt),
    penaltyBasis: text('行政处罚的依据', opt),
    performanceManner: text('履行方式', opt),
    performanceDeadline: text('履行期限', opt),
    paymentAccount: text('缴款账户或地点', opt),
    reconsiderationOrgan: text('行政复议机关', opt),
    reconsiderationDays: num('申请行政复议的期限（日）'),
    court: text('管辖的人民法院', opt),
    litigationMonths: num('提起行政诉讼的期限（月）'),
    drafter: text('起草人', opt),
    draftReviewer: text('起草机构审查人', opt),
    factors: text('应考虑的有关因素', opt),
  }),
  draftingRecord: obj(
    '决定文书起草记录（全过程记录办法第十六条）',
    {
      title: text('决定文书名称'),
      version: num('版本号'),
      final: bool('已定稿'),
      savedAt: datetime('保存时间'),
      savedBy: text('保存人'),
      drafter: text('起草人', opt),
      draftReviewer: text('起草机构审查人', opt),
      basis: text('决定形成的法律依据', opt),
      evidence: list('证据材料', text('证据')),
      evidenceText: text('证据材料（以顿号分隔）'),
      factors: text('应考虑的有关因素', opt),
    },
    { optional: true, note: '取本案对外决定文书（如行政处罚决定书）最近保存的一版起草记录；尚未起草时为空。' },
  ),
  notice: obj('通知', { resubmitBy: date('补充材料后重新送审的期限', opt) }),
  disclosure: obj('公示摘要', {
    caseTitle: text('案件名称（已去除个人信息）'),
    partyName: text('当事人（公民姓名已隐去）'),
    idNumber: text('证件号码（公民身份号码已隐去）'),
    facts: text('主要违法事实（已去除个人信息）'),
    matter: text('处罚内容'),
    basis: text('处罚依据'),
  }),
  filing: obj('备案', { recipients: text('备案接收机关（以顿号分隔；系统设置）') }),
});

export interface FieldInfo {
  path: string;
  label: string;
  type: FieldType;
  optional: boolean;
  values?: readonly string[];
  note?: string;
}

/** Every field a template may use, flattened (for an administrator's field picker and the docs). */
export function listTemplateFields(schema: FieldSpec = TEMPLATE_SCHEMA): FieldInfo[] {
  const out: FieldInfo[] = [];
  const walk = (spec: FieldSpec, path: string, optional: boolean) => {
    if (path) {
      out.push({ path, label: spec.label, type: spec.type, optional, ...(spec.values ? { values: spec.values } : {}), ...(spec.note ? { note: spec.note } : {}) });
    }
    if (spec.type === 'object') {
      for (const [k, child] of Object.entries(spec.fields ?? {})) walk(child, path ? `${path}.${k}` : k, child.optional === true);
    } else if (spec.type === 'list' && spec.item) {
      walk(spec.item, `${path}[]`, false);
    }
  };
  walk(schema, '', false);
  return out.filter((i) => !i.path.endsWith('[]') || i.type !== 'object');
}

/**
 * Checks that data has the shape the schema promises; returns the problems (empty when it conforms).
 * Used by tests to keep buildTemplateData and TEMPLATE_SCHEMA in step, and by callers that pass their
 * own `meeting` or `draft` data.
 */
export function checkDataAgainstSchema(data: unknown, schema: FieldSpec = TEMPLATE_SCHEMA, path = ''): string[] {
  const problems: string[] = [];
  const at = path || '（根）';
  if (data === undefined || data === null) {
    if (!schema.optional) problems.push(`${at}：缺少必需字段（${schema.label}）`);
    return problems;
  }
  const typeOk = (() => {
    switch (schema.type) {
      case 'text':
        return typeof data === 'string' && (!schema.values || schema.values.includes(data));
      case 'number':
        return typeof data === 'number' && Number.isFinite(data);
      case 'money':
        return typeof data === 'number' && Number.isInteger(data) && data >= 0;
      case 'date':
        return isValidDate(data);
      case 'datetime':
        return typeof data === 'string' && !Number.isNaN(Date.parse(data));
      case 'bool':
        return typeof data === 'boolean';
      case 'list':
        return Array.isArray(data);
      case 'object':
        return typeof data === 'object' && !Array.isArray(data);
    }
  })();
  if (!typeOk) {
    problems.push(`${at}：应为${schema.type}（${schema.label}），实际为 ${JSON.stringify(data)?.slice(0, 40)}`);
    return problems;
  }
  if (schema.type === 'object') {
    const rec = data as Record<string, unknown>;
    for (const [k, child] of Object.entries(schema.fields ?? {})) {
      problems.push(...checkDataAgainstSchema(rec[k], child, path ? `${path}.${k}` : k));
    }
    for (const k of Object.keys(rec)) {
      if (!schema.fields?.[k]) problems.push(`${path ? `${path}.${k}` : k}：数据中有模板字段表未登记的字段`);
    }
  } else if (schema.type === 'list' && schema.item) {
    (data as unknown[]).forEach((item, i) => problems.push(...checkDataAgainstSchema(item, { ...schema.item!, optional: false }, `${path}[${i}]`)));
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Data

export interface FindingData {
  criterion: number;
  numberCn: string;
  title: string;
  result: string;
  resultLabel: string;
  reason: string;
}

export interface ReviewData {
  round: number;
  kind: 'review' | 'rereview';
  kindLabel: string;
  reviewer: string;
  outcome: string;
  outcomeLabel: string;
  opinion: string;
  ownOpinion: boolean;
  requests: string[];
  suggestions?: string;
  issuedAt: string;
  findings: FindingData[];
  defects: FindingData[];
  allConform: boolean;
  experts: ExpertData[];
}

export interface ExpertData {
  experts: string[];
  expertsText: string;
  heldOn: string;
  opinion: string;
  file?: { name: string; sha256: string };
  addedBy: string;
}

/** 003 第十六条: the written record of drafting a decision, as printed on the approval form. */
export interface DraftingRecordData {
  title: string;
  version: number;
  final: boolean;
  savedAt: string;
  savedBy: string;
  drafter?: string;
  draftReviewer?: string;
  basis?: string;
  evidence: string[];
  evidenceText: string;
  factors?: string;
}

/** Where a drafting record comes from: a saved version of an outward decision document and its draft. */
export interface DraftingRecordSource {
  title: string;
  version: number;
  final: boolean;
  savedAt: string;
  savedBy: string;
  draft: DecisionDraft;
}

export interface ApprovalData {
  head: string;
  decision: string;
  decisionLabel: string;
  opinion: string;
  override: boolean;
  overrideReason?: string;
  reviewOutcome?: string;
  reviewOutcomeLabel?: string;
  decidedAt: string;
  collective: boolean;
}

export interface MeetingData {
  title: string;
  /** ISO instant. */
  time: string;
  place: string;
  chair: string;
  recorder?: string;
  expected: number;
  presentCount: number;
  quorumLabel: string;
  quorumMet: boolean;
  attendees: { name: string }[];
  attendeesText: string;
  absentees: { name: string; reason?: string }[];
  absenteesText: string;
  matter: string;
  legalOpinionLabel?: string;
  rereviewReasons?: string;
  escalationReasons?: string;
  handlingStatement?: string;
  legalStatement?: string;
  opinions: { name: string; stance: 'agree' | 'disagree' | 'abstain'; stanceLabel: string; reason?: string }[];
  tallyText: string;
  dissent?: string;
  decisionLabel?: string;
  decisionText?: string;
  decidedAt?: string;
  departsFromMajority: boolean;
  departsFromLegalOpinion: boolean;
  headOverride?: { head: string; reason: string };
  locked: boolean;
}

/** What the drafter of a decision fills in (every field optional; an empty one becomes 〔待填写：……〕). */
export interface DecisionDraft {
  facts?: string;
  evidence?: string[];
  procedureSummary?: string;
  legalReasoning?: string;
  /** What the party said in its statements and defence (陈述、申辩), or that it made none. */
  statements?: string;
  /** Why each point was or was not adopted (采纳或者不采纳的理由). */
  defenceReasoning?: string;
  penaltyKind?: string;
  penaltyBasis?: string;
  performanceManner?: string;
  performanceDeadline?: string;
  paymentAccount?: string;
  reconsiderationOrgan?: string;
  /** Default 60 (行政复议法 第二十条). */
  reconsiderationDays?: number;
  court?: string;
  /** Default 6 (行政诉讼法 第四十六条). */
  litigationMonths?: number;
  /** 起草人 (003 第十六条). */
  drafter?: string;
  /** 起草机构审查人: who in the drafting unit reviewed the draft (not the drafter). */
  draftReviewer?: string;
  /** 应考虑的有关因素: circumstances weighed (情节、后果、陈述申辩、裁量基准 …). */
  factors?: string;
  /** Return notice: the date by which the handling unit should resubmit ('YYYY-MM-DD'). */
  resubmitBy?: string;
}

export interface TemplateExtra {
  /** Serial of the document number; with docPrefix and the year it makes 某监罚〔2026〕12号. */
  docSerial?: number;
  /** Document date 'YYYY-MM-DD' (CST); default today in CST. */
  date?: string;
  /** Clock used for the default date (tests pin it). */
  now?: Date;
  /** 承办机构 (the handling unit's name), when the agency records it. */
  handlingUnit?: string;
  draft?: DecisionDraft;
  /** Collective discussion data; see meetingTemplateData(). */
  meeting?: MeetingData;
  /** Re-review details the case record does not hold. */
  rereview?: { unit?: string; claims?: string };
  /** A date in the document was computed from a year without an official holiday schedule. */
  provisional?: boolean;
  /** The case's latest drafted outward decision (for the approval form's drafting record). */
  draftingRecord?: DraftingRecordSource;
  /** 备案 recipients (agency setting, services/filings.ts). */
  filing?: { recipients: string[] };
}

export interface TemplateData {
  agency: { name: string; docPrefix: string };
  docNumber?: string;
  date: string;
  dateCn: string;
  provisional: boolean;
  case: {
    no: string;
    title: string;
    kind: string;
    kindLabel: string;
    catalogItem: string;
    catalogVersion: number;
    state: string;
    stateLabel: string;
    round: number;
    handler: string;
    handlingUnit?: string;
    reviewer?: string;
    lastOutcome?: string;
    lastOutcomeLabel?: string;
  };
  party: { type: string; typeLabel: string; isCitizen: boolean; name: string; idLabel: string; idNumber: string; address: string };
  submission: {
    round: number;
    submittedAt: string;
    submittedBy: string;
    changeNote?: string;
    title: string;
    facts: string;
    evidence: string[];
    legalBasis: { law: string; article: string; text: string }[];
    legalBasisText: string;
    proposedDecision: string;
    fine?: number;
    procedure: { step: string; date: string; note?: string }[];
    procedureText: string;
    majorText?: string;
    officers: { name: string; certNo?: string }[];
    officersText: string;
    attachments: { name: string; size: number; sizeText: string; sha256: string }[];
  };
  submissions: { round: number; submittedAt: string; submittedBy: string; changeNote?: string }[];
  fine?: number;
  fineYuan?: string;
  fineCapitals?: string;
  reviews: { last?: ReviewData; all: ReviewData[]; count: number };
  approvals: { last?: ApprovalData; all: ApprovalData[] };
  responsible: { handler: string; reviewer?: string; approver?: string };
  override?: { head: string; reason: string; reviewOutcomeLabel?: string; decisionLabel: string; decidedAt: string };
  rereview: {
    requested: boolean;
    request?: { reasons: string; by: string; at: string; unit?: string; claims?: string };
    against?: ReviewData;
    opinion?: ReviewData;
    conclusionLabel?: string;
    maintained: boolean;
  };
  escalation?: { reasons: string; by: string; at: string };
  ending?: { kindLabel: string; reason: string; proposedBy: string; proposedAt: string; reviewedBy: string; reviewOpinion: string; approvedBy: string; approvedAt: string; approvalOpinion: string };
  referral?: { stateLabel: string; openedAt: string; transferred: boolean; police?: string; procuratorate?: string; supervisory?: string; transferredAt?: string };
  meeting?: MeetingData;
  decision: {
    facts: string;
    evidence: string[];
    procedureSummary?: string;
    legalReasoning?: string;
    statements?: string;
    defenceReasoning?: string;
    penaltyKind?: string;
    penaltyBasis?: string;
    performanceManner?: string;
    performanceDeadline?: string;
    paymentAccount?: string;
    reconsiderationOrgan?: string;
    reconsiderationDays: number;
    court?: string;
    litigationMonths: number;
    drafter?: string;
    draftReviewer?: string;
    factors?: string;
  };
  draftingRecord?: DraftingRecordData;
  notice: { resubmitBy?: string };
  disclosure: { caseTitle: string; partyName: string; idNumber: string; facts: string; matter: string; basis: string };
  filing: { recipients: string };
}

const CN_DIGITS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 15 → 十五, 60 → 六十, 105 → 一百零五 (0–99999). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99999) throw new AppError('VALIDATION', `数字“${n}”无法写成中文数字。`);
  if (n === 0) return '零';
  const units = ['', '十', '百', '千', '万'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i];
    if (d === 0) {
      zero = true;
      return;
    }
    if (zero && out) out += '零';
    zero = false;
    out += CN_DIGITS[d] + unit;
  });
  return n >= 10 && n < 20 ? out.replace(/^一十/, '十') : out;
}

const COMPOUND_SURNAMES = [
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯',
  '轩辕', '令狐', '钟离', '澹台', '公冶', '太史', '端木', '申屠', '独孤', '南宫', '西门', '百里', '呼延',
  '万俟', '闻人', '赫连', '第五', '拓跋', '司空', '濮阳', '淳于', '单于', '仲孙', '鲜于', '闾丘', '东郭',
];

/** A citizen's name for disclosure: 张三 → 张某, 欧阳娜娜 → 欧阳某, 买买提·艾力 → 买某. */
export function maskPersonName(name: string): string {
  const n = name.trim();
  if (!n) return n;
  const compound = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length);
  return `${compound ?? Array.from(n)[0]}某`;
}

/** An identifier for disclosure: resident ID 110105********1234; 15-digit ID 110105******123; phone 138****5678. */
export function maskIdentifier(value: string): string {
  const v = value.trim();
  const chars = Array.from(v);
  const keep = (head: number, tail: number) => chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
  if (chars.length === 18) return keep(6, 4);
  if (chars.length === 15) return keep(6, 3);
  if (chars.length === 11) return keep(3, 4);
  if (chars.length >= 4) {
    const k = Math.floor(chars.length / 4);
    return keep(k, k);
  }
  return '*'.repeat(chars.length);
}

/** Removes personal data from free text for disclosure: the citizen's name, resident IDs and mobile numbers. */
export function redactForDisclosure(textIn: string, citizenName: string | null): string {
  let out = textIn;
  if (citizenName && citizenName.trim()) out = out.split(citizenName.trim()).join(maskPersonName(citizenName));
  out = out.replace(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, (m) => maskIdentifier(m));
  out = out.replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskIdentifier(m));
  return out;
}

/** 《中华人民共和国食品安全法》第一百二十四条 (does not double the title marks). */
export function legalBasisText(b: { law: string; article: string }): string {
  const law = b.law.trim();
  const titled = /^《.*》$/.test(law) ? law : `《${law}》`;
  return `${titled}${b.article.trim()}`;
}

/** Several provisions, the law named once per run: 《甲法》第三条、第九条，《乙法》第五条 → joined with 、. */
export function joinLegalBasis(list: { law: string; article: string }[]): string {
  const out: string[] = [];
  let prevLaw: string | null = null;
  for (const b of list) {
    const law = b.law.trim().replace(/^《(.*)》$/, '$1');
    out.push(law === prevLaw ? b.article.trim() : legalBasisText(b));
    prevLaw = law;
  }
  return out.join('、');
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const nonEmpty = (s: string | null | undefined): string | undefined => (s && s.trim() ? s : undefined);

function findingData(fv: FindingView): FindingData {
  return {
    criterion: fv.criterion,
    numberCn: chineseNumber(fv.criterion),
    title: fv.title,
    result: fv.result,
    resultLabel: findingLabel(fv.criterion, fv.result),
    reason: fv.reason,
  };
}

function expertData(x: ExpertOpinionView): ExpertData {
  return {
    experts: [...x.experts],
    expertsText: x.experts.join('、'),
    heldOn: x.heldOn,
    opinion: x.opinion,
    ...(x.file ? { file: { name: x.file.name, sha256: x.file.sha256 } } : {}),
    addedBy: x.addedBy,
  };
}

function reviewData(r: ReviewView, opinions: readonly ExpertOpinionView[] = []): ReviewData {
  const findings = [...r.findings].sort((a, b) => a.criterion - b.criterion).map(findingData);
  const defects = findings.filter((x) => x.result !== 'conform');
  return {
    round: r.round,
    kind: r.kind,
    kindLabel: r.kind === 'rereview' ? '复审' : '法制审核',
    reviewer: r.reviewer,
    outcome: r.outcome,
    outcomeLabel: OUTCOME_LABELS[r.outcome],
    opinion: r.opinion,
    ownOpinion: r.opinion.trim() !== '' && r.opinion.trim() !== DEFAULT_AGREE_OPINION,
    requests: r.requests.filter((q) => q.trim() !== ''),
    ...(nonEmpty(r.suggestions) ? { suggestions: r.suggestions } : {}),
    issuedAt: r.issuedAt,
    findings,
    defects,
    allConform: findings.length > 0 && defects.length === 0,
    experts: opinions.filter((x) => x.round === r.round && x.reviewKind === r.kind).map(expertData),
  };
}

function procedureText(procedure: SubmissionView['procedure']): string {
  if (procedure.length === 0) return '';
  return `${procedure
    .map((p) => `${isValidDate(p.date) ? formatChineseDate(p.date) : p.date}，${p.step}${p.note && p.note.trim() ? `（${p.note.trim()}）` : ''}`)
    .join('；')}。`;
}

const STANCE_LABELS = { agree: '同意', disagree: '不同意', abstain: '弃权' } as const;

/** The `meeting` data of one agenda item of a collective discussion. */
export function meetingTemplateData(m: MeetingView, item: MeetingItemView): MeetingData {
  const attendees = m.attendees.filter((a) => a.present === true).map((a) => ({ name: a.name }));
  const absentees = m.attendees
    .filter((a) => a.present === false)
    .map((a) => ({ name: a.name, ...(nonEmpty(a.absenceReason) ? { reason: a.absenceReason.trim() } : {}) }));
  const t = item.tally;
  return {
    title: m.title,
    time: m.startedAt ?? m.scheduledAt,
    place: m.place,
    chair: m.chair,
    // 记录人 is the secretary who recorded the minutes, not the chair who confirmed them.
    ...(nonEmpty(m.recordedBy) ? { recorder: m.recordedBy } : {}),
    expected: m.expected,
    presentCount: m.present,
    quorumLabel: m.quorumLabel,
    quorumMet: m.quorumMet,
    attendees,
    attendeesText: attendees.map((a) => a.name).join('、'),
    absentees,
    absenteesText: absentees.length ? absentees.map((a) => (a.reason ? `${a.name}（${a.reason}）` : a.name)).join('、') : '无',
    matter: `${item.title}（案件编号：${item.caseNo}，当事人：${item.partyName}）`,
    ...(item.legalOpinion ? { legalOpinionLabel: OUTCOME_LABELS[item.legalOpinion] } : {}),
    ...(nonEmpty(item.rereviewReasons) ? { rereviewReasons: item.rereviewReasons! } : {}),
    ...(nonEmpty(item.escalationReasons) ? { escalationReasons: item.escalationReasons! } : {}),
    ...(nonEmpty(item.handlingStatement) ? { handlingStatement: item.handlingStatement } : {}),
    ...(nonEmpty(item.legalStatement) ? { legalStatement: item.legalStatement } : {}),
    opinions: item.stances.map((s) => ({
      name: s.name,
      stance: s.stance,
      stanceLabel: STANCE_LABELS[s.stance],
      ...(nonEmpty(s.reason) ? { reason: s.reason } : {}),
    })),
    tallyText: `同意${t.agree}人，不同意${t.disagree}人，弃权${t.abstain}人${t.missing ? `，未表态${t.missing}人` : ''}`,
    ...(nonEmpty(item.dissent) ? { dissent: item.dissent } : {}),
    ...(item.decision ? { decisionLabel: APPROVAL_LABELS[item.decision] } : {}),
    ...(nonEmpty(item.decisionText) ? { decisionText: item.decisionText } : {}),
    ...(item.decidedAt ? { decidedAt: item.decidedAt } : {}),
    departsFromMajority: item.departsFromMajority,
    departsFromLegalOpinion: item.departsFromLegalOpinion,
    ...(item.headOverride ? { headOverride: { head: item.headOverride.head, reason: item.headOverride.reason } } : {}),
    locked: m.locked,
  };
}

/**
 * The data object every template binds to. Pure: no database, no clock unless extra.now is omitted.
 * Refuses a case without any submission (nothing to draft from).
 */
export function buildTemplateData(
  detail: CaseDetail,
  agency: { name: string; docPrefix: string },
  extra: TemplateExtra = {},
): TemplateData {
  const sub = detail.submissions[detail.submissions.length - 1];
  if (!sub) throw new AppError('VALIDATION', `案件“${detail.caseNo}”尚无送审材料，无法生成文书。`);
  const docDate = extra.date ?? cstDate(extra.now ?? new Date());
  if (!isValidDate(docDate)) throw new AppError('VALIDATION', `文书日期“${docDate}”无效，应为 YYYY-MM-DD。`);
  if (extra.docSerial !== undefined && !(Number.isInteger(extra.docSerial) && extra.docSerial > 0)) {
    throw new AppError('VALIDATION', `文书序号“${extra.docSerial}”无效，应为正整数。`);
  }
  const docNumber = extra.docSerial !== undefined ? `${agency.docPrefix}〔${yearOf(docDate)}〕${extra.docSerial}号` : undefined;

  const experts = detail.expertOpinions ?? [];
  const reviews = detail.reviews.map((r) => reviewData(r, experts));
  const lastReview = reviews[reviews.length - 1];
  const approvals = detail.approvals.map(
    (a): ApprovalData => ({
      head: a.head,
      decision: a.decision,
      decisionLabel: APPROVAL_LABELS[a.decision],
      opinion: a.opinion,
      override: a.override,
      ...(a.override && nonEmpty(a.overrideReason) ? { overrideReason: a.overrideReason! } : {}),
      ...(a.reviewOutcome ? { reviewOutcome: a.reviewOutcome, reviewOutcomeLabel: OUTCOME_LABELS[a.reviewOutcome] } : {}),
      decidedAt: a.decidedAt,
      collective: a.meetingId !== null,
    }),
  );
  const lastApproval = approvals[approvals.length - 1];
  const overrideApproval = [...approvals].reverse().find((a) => a.override);

  const party = sub.party;
  const isCitizen = party.type === 'citizen';
  const basis = sub.legalBasis.map((b) => ({ law: b.law, article: b.article, text: legalBasisText(b) }));
  const basisText = joinLegalBasis(sub.legalBasis);
  const fine = sub.fineFen ?? undefined;

  // Re-review: the request, the review it contests (the last ordinary review before it) and the result.
  const rereviewOpinionView = [...detail.reviews].reverse().find((r) => r.kind === 'rereview');
  const againstView = [...detail.reviews]
    .filter((r) => r.kind === 'review' && (!detail.rereviewRequest || r.issuedAt <= detail.rereviewRequest.at))
    .pop();
  const against = detail.rereviewRequest && againstView ? reviewData(againstView, experts) : undefined;
  const rereviewOpinion = rereviewOpinionView ? reviewData(rereviewOpinionView, experts) : undefined;
  const maintained = !!(rereviewOpinion && against && rereviewOpinion.outcome === against.outcome);

  const draft = extra.draft ?? {};
  const draftEvidence = (draft.evidence ?? []).filter((e) => e.trim() !== '');
  const decisionFacts = nonEmpty(draft.facts) ?? sub.facts;
  const penaltyKind = nonEmpty(draft.penaltyKind) ?? nonEmpty(sub.proposedDecision);
  const penaltyBasis = nonEmpty(draft.penaltyBasis) ?? nonEmpty(basisText);
  const procSummary = nonEmpty(draft.procedureSummary) ?? nonEmpty(procedureText(sub.procedure));
  const optional = <K extends string>(k: K, v: string | undefined): { [P in K]?: string } =>
    (v !== undefined ? { [k]: v } : {}) as { [P in K]?: string };

  if (draft.resubmitBy !== undefined && !isValidDate(draft.resubmitBy)) {
    throw new AppError('VALIDATION', `重新送审期限“${draft.resubmitBy}”无效，应为 YYYY-MM-DD。`);
  }

  return {
    agency: { name: agency.name, docPrefix: agency.docPrefix },
    ...(docNumber ? { docNumber } : {}),
    date: docDate,
    dateCn: formatChineseDate(docDate),
    provisional: extra.provisional === true,
    case: {
      no: detail.caseNo,
      title: detail.title,
      kind: detail.kind,
      kindLabel: DECISION_KIND_LABELS[detail.kind],
      catalogItem: detail.catalogItemLabel ?? detail.catalogItem,
      catalogVersion: detail.catalogVersion,
      state: detail.state,
      stateLabel: CASE_STATE_LABELS[detail.state],
      round: detail.round,
      handler: detail.handler,
      ...optional('handlingUnit', nonEmpty(extra.handlingUnit)),
      ...optional('reviewer', nonEmpty(detail.reviewer)),
      ...(detail.lastOutcome ? { lastOutcome: detail.lastOutcome, lastOutcomeLabel: OUTCOME_LABELS[detail.lastOutcome] } : {}),
    },
    party: {
      type: party.type,
      typeLabel: isCitizen ? '公民' : '法人或者其他组织',
      isCitizen,
      name: party.name,
      idLabel: isCitizen ? '公民身份号码' : '统一社会信用代码',
      idNumber: party.idNumber,
      address: party.address,
    },
    submission: {
      round: sub.round,
      submittedAt: sub.submittedAt,
      submittedBy: sub.submittedBy,
      ...optional('changeNote', nonEmpty(sub.changeNote)),
      title: sub.title,
      facts: sub.facts,
      evidence: [...sub.evidence],
      legalBasis: basis,
      legalBasisText: basisText,
      proposedDecision: sub.proposedDecision,
      ...(fine !== undefined ? { fine } : {}),
      procedure: sub.procedure.map((p) => ({ step: p.step, date: p.date, ...optional('note', nonEmpty(p.note)) })),
      procedureText: procedureText(sub.procedure),
      ...optional('majorText', nonEmpty((sub.majorLines ?? []).join('；'))),
      officers: sub.officers.map((o) => ({ name: o.name, ...optional('certNo', nonEmpty(o.certNo)) })),
      officersText: sub.officers.map((o) => (o.certNo ? `${o.name}（执法证号：${o.certNo}）` : o.name)).join('、'),
      attachments: sub.attachments.map((a) => ({ name: a.name, size: a.size, sizeText: sizeText(a.size), sha256: a.sha256 })),
    },
    submissions: detail.submissions.map((s) => ({
      round: s.round,
      submittedAt: s.submittedAt,
      submittedBy: s.submittedBy,
      ...optional('changeNote', nonEmpty(s.changeNote)),
    })),
    ...(fine !== undefined ? { fine, fineYuan: formatYuan(fine), fineCapitals: yuanInCapitals(fine) } : {}),
    reviews: { ...(lastReview ? { last: lastReview } : {}), all: reviews, count: reviews.length },
    approvals: { ...(lastApproval ? { last: lastApproval } : {}), all: approvals },
    responsible: {
      handler: detail.responsible.handler,
      ...optional('reviewer', nonEmpty(detail.responsible.reviewer)),
      ...optional('approver', nonEmpty(detail.responsible.approver)),
    },
    ...(overrideApproval
      ? {
          override: {
            head: overrideApproval.head,
            reason: overrideApproval.overrideReason ?? '（未说明理由）',
            ...optional('reviewOutcomeLabel', overrideApproval.reviewOutcomeLabel),
            decisionLabel: overrideApproval.decisionLabel,
            decidedAt: overrideApproval.decidedAt,
          },
        }
      : {}),
    rereview: {
      requested: detail.rereviewRequest !== null,
      ...(detail.rereviewRequest
        ? {
            request: {
              reasons: detail.rereviewRequest.reasons,
              by: detail.rereviewRequest.by,
              at: detail.rereviewRequest.at,
              ...optional('unit', nonEmpty(extra.rereview?.unit) ?? nonEmpty(extra.handlingUnit)),
              ...optional('claims', nonEmpty(extra.rereview?.claims)),
            },
          }
        : {}),
      ...(against ? { against } : {}),
      ...(rereviewOpinion ? { opinion: rereviewOpinion } : {}),
      ...(rereviewOpinion && against ? { conclusionLabel: maintained ? '维持原审核意见' : '改变原审核意见' } : {}),
      maintained,
    },
    ...(detail.escalation ? { escalation: { reasons: detail.escalation.reasons, by: detail.escalation.by, at: detail.escalation.at } } : {}),
    ...endingData(detail),
    ...(detail.referral
      ? {
          referral: {
            stateLabel: detail.referral.stateLabel,
            openedAt: detail.referral.openedAt,
            transferred: detail.referral.transfer !== null,
            ...(detail.referral.transfer
              ? {
                  police: detail.referral.transfer.police,
                  procuratorate: detail.referral.transfer.procuratorate,
                  ...optional('supervisory', nonEmpty(detail.referral.transfer.supervisory)),
                  transferredAt: detail.referral.transfer.at,
                }
              : {}),
          },
        }
      : {}),
    ...(extra.meeting ? { meeting: extra.meeting } : {}),
    decision: {
      facts: decisionFacts,
      evidence: draftEvidence.length ? draftEvidence : [...sub.evidence],
      ...optional('procedureSummary', procSummary),
      ...optional('legalReasoning', nonEmpty(draft.legalReasoning)),
      ...optional('statements', nonEmpty(draft.statements)),
      ...optional('defenceReasoning', nonEmpty(draft.defenceReasoning)),
      ...optional('penaltyKind', penaltyKind),
      ...optional('penaltyBasis', penaltyBasis),
      ...optional('performanceManner', nonEmpty(draft.performanceManner)),
      ...optional('performanceDeadline', nonEmpty(draft.performanceDeadline)),
      ...optional('paymentAccount', nonEmpty(draft.paymentAccount)),
      ...optional('reconsiderationOrgan', nonEmpty(draft.reconsiderationOrgan)),
      reconsiderationDays: draft.reconsiderationDays ?? 60,
      ...optional('court', nonEmpty(draft.court)),
      litigationMonths: draft.litigationMonths ?? 6,
      ...optional('drafter', nonEmpty(draft.drafter)),
      ...optional('draftReviewer', nonEmpty(draft.draftReviewer)),
      ...optional('factors', nonEmpty(draft.factors)),
    },
    ...(extra.draftingRecord ? { draftingRecord: draftingRecordData(extra.draftingRecord, sub, basisText) } : {}),
    notice: { ...optional('resubmitBy', draft.resubmitBy) },
    disclosure: {
      caseTitle: redactForDisclosure(detail.title, isCitizen ? party.name : null),
      partyName: isCitizen ? maskPersonName(party.name) : party.name,
      idNumber: isCitizen ? maskIdentifier(party.idNumber) : party.idNumber,
      facts: redactForDisclosure(decisionFacts, isCitizen ? party.name : null),
      matter: redactForDisclosure(penaltyKind ?? sub.proposedDecision, isCitizen ? party.name : null),
      basis: penaltyBasis ?? basisText,
    },
    filing: { recipients: (extra.filing?.recipients ?? ['〔备案接收机关〕']).join('、') },
  };
}

/**
 * The drafting record (003 第十六条) of a saved outward decision: drafter, reviewer in the drafting unit,
 * the basis and evidence the decision rests on (the drafter's, else the submission's, as the decision
 * itself prints them) and the factors considered.
 */
export function draftingRecordData(src: DraftingRecordSource, sub: SubmissionView, basisText = joinLegalBasis(sub.legalBasis)): DraftingRecordData {
  const d = src.draft ?? {};
  const evidence = (d.evidence ?? []).filter((e) => typeof e === 'string' && e.trim() !== '');
  const ev = evidence.length ? evidence : [...sub.evidence];
  const basis = nonEmpty(d.penaltyBasis) ?? nonEmpty(basisText);
  return {
    title: src.title,
    version: src.version,
    final: src.final,
    savedAt: src.savedAt,
    savedBy: src.savedBy,
    ...(nonEmpty(d.drafter) ? { drafter: d.drafter!.trim() } : {}),
    ...(nonEmpty(d.draftReviewer) ? { draftReviewer: d.draftReviewer!.trim() } : {}),
    ...(basis ? { basis } : {}),
    evidence: ev,
    evidenceText: ev.join('、'),
    ...(nonEmpty(d.factors) ? { factors: d.factors!.trim() } : {}),
  };
}

/** The approved ending of the matter, for the 不予行政处罚决定书 and the case record. */
function endingData(detail: CaseDetail): { ending?: TemplateData['ending'] } {
  const e = (detail.endings ?? []).filter((x) => x.cycle === detail.cycle).at(-1);
  const review = e?.steps.find((st) => st.step === 'review' && st.outcome === 'agree');
  const approval = e?.steps.find((st) => st.step === 'approval' && st.outcome === 'agree');
  if (!e || !review || !approval) return {};
  return {
    ending: {
      kindLabel: e.kindLabel,
      reason: e.reason,
      proposedBy: e.by,
      proposedAt: e.at,
      reviewedBy: review.by,
      reviewOpinion: review.opinion,
      approvedBy: approval.by,
      approvedAt: approval.at,
      approvalOpinion: approval.opinion,
    },
  };
}
