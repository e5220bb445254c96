// Realistic example cases for the template tests (not a test file itself).
// Story: a food company sold expired yoghurt; the legal office returned the case once, then disagreed
// with the fine, the handler asked for re-review, the re-review maintained the opinion, the case went
// to the heads' collective discussion and the agency head approved the fine against the legal opinion.
import type { CaseDetail, FindingView, MeetingItemView, MeetingView, ReviewView, SubmissionView } from '../../../main/core/domain/views';
import { CRITERIA } from '../../../main/core/domain/types';
import { creditCodeCheck, residentIdCheck } from '../../../main/core/domain/ids';
import type { DecisionDraft } from '../../../main/core/documents/fields';

export const AGENCY = { name: '某市市场监督管理局', docPrefix: '某市监罚' };
export const NOW = new Date('2026-11-23T02:00:00Z'); // 2026-11-23 10:00 CST

export const COMPANY_CODE = creditCodeCheck('91320700MA1P8K2QX');
export const CITIZEN_ID = residentIdCheck('11010519900307123');

const findings = (overrides: Record<number, Partial<FindingView>> = {}): FindingView[] =>
  CRITERIA.map((title, i) => ({
    criterion: i + 1,
    title,
    result: 'conform' as const,
    reason:
      [
        '本案由本机关依据《中华人民共和国食品安全法》第六条规定的职责办理，执法人员王明、赵丽均持有有效执法证件。',
        '当事人江苏某某食品有限公司为涉案食品的经营者，营业执照和食品经营许可证载明的主体与实际经营者一致。',
        '现场检查笔录、询问笔录、进货和销售记录相互印证，能够证明当事人销售超过保质期食品的事实。',
        '当事人的行为违反《中华人民共和国食品安全法》第三十四条第（十）项，应当依照第一百二十四条第一款第（五）项处罚。',
        '已依法立案、调查取证，并书面告知当事人拟作出的处罚及其陈述、申辩的权利，程序合法。',
        '拟处罚款在法定幅度内，符合本机关行政处罚裁量基准。',
        '涉案货值金额较小，未发现危害人体健康的后果，不涉嫌犯罪，无需移送司法机关。',
        '执法文书格式规范，内容完整。',
        '无其他需要审核的事项。',
      ][i],
    ...overrides[i + 1],
  }));

const officers = [
  { id: 11, name: '王明', certNo: '32070001234' },
  { id: 12, name: '赵丽', certNo: '32070001235' },
];

const submission1: SubmissionView = {
  round: 1,
  submittedAt: '2026-09-25T01:30:00.000Z',
  submittedBy: '王明',
  changeNote: null,
  caseNo: 'SJ-2026-0158',
  title: '江苏某某食品有限公司经营超过保质期食品案',
  kind: 'penalty',
  catalogItem: '对法人或者其他组织处以五万元以上罚款',
  party: { type: 'organization', name: '江苏某某食品有限公司', idNumber: COMPANY_CODE, address: '江苏省连云港市海州区朝阳东路88号' },
  facts:
    '2026年9月3日，本机关执法人员在当事人经营场所检查时发现，当事人货架上陈列销售的“某某牌”风味酸奶48盒已超过标注的保质期（保质期至2026年8月30日），货值金额1,152元。经查，当事人自2026年8月31日起销售上述酸奶，违法所得860元。',
  evidence: ['现场检查笔录及现场照片12张', '当事人法定代表人李某的询问笔录', '涉案食品进货单据及销售记录', '营业执照及食品经营许可证复印件'],
  legalBasis: [
    { law: '中华人民共和国食品安全法', article: '第三十四条第（十）项' },
    { law: '中华人民共和国食品安全法', article: '第一百二十四条第一款第（五）项' },
  ],
  proposedDecision: '没收超过保质期的风味酸奶48盒及违法所得860元，并处罚款人民币50,000元',
  fineFen: 5_000_000,
  fineCapitals: '伍万元整',
  quantities: {},
  majorBasis: 'threshold',
  majorGround: null,
  majorLines: ['属于重大执法决定的依据：目录清单所列事项（达到标准）'],
  procedure: [
    { step: '立案', date: '2026-09-04' },
    { step: '调查取证', date: '2026-09-10', note: '制作询问笔录' },
    { step: '送达行政处罚告知书，告知陈述、申辩权利', date: '2026-09-20' },
    { step: '当事人提出陈述、申辩', date: '2026-09-23' },
  ],
  officers,
  attachments: [
    { sha256: 'a'.repeat(64), name: '现场检查笔录.pdf', size: 482_113 },
    { sha256: 'b'.repeat(64), name: '询问笔录.pdf', size: 301_552 },
  ],
};

const submission2: SubmissionView = {
  ...submission1,
  round: 2,
  submittedAt: '2026-10-09T02:00:00.000Z',
  changeNote: '按退回意见补充了保质期标签照片和进货查验记录，补正了违法所得的计算。',
  facts: submission1.facts.replace('违法所得860元', '违法所得共计860元（销售40盒，每盒21.5元）'),
  evidence: [...submission1.evidence, '涉案食品外包装保质期标签照片4张', '当事人进货查验记录'],
  attachments: [...submission1.attachments, { sha256: 'c'.repeat(64), name: '保质期标签照片.zip', size: 2_310_000 }],
};

const review1: ReviewView = {
  id: 1,
  round: 1,
  kind: 'review',
  reviewer: '陈静',
  reviewerId: 21,
  outcome: 'return',
  opinion: '本案证据尚不足以完整证明涉案食品超过保质期的事实，违法所得的计算依据不明，请补充后重新送审。',
  requests: ['补充涉案食品外包装保质期标签的照片', '补充当事人进货查验记录', '说明违法所得的计算方法'],
  suggestions: '建议在询问笔录中进一步核实当事人销售涉案食品的起止时间。',
  issuedAt: '2026-09-28T07:00:00.000Z',
  findings: findings({
    3: { result: 'needs_correction', reason: '缺少涉案食品保质期标签的照片，违法所得的计算依据不明。' },
  }),
};

const review2: ReviewView = {
  id: 2,
  round: 2,
  kind: 'review',
  reviewer: '陈静',
  reviewerId: 21,
  outcome: 'disagree',
  opinion: '当事人系首次违法，涉案货值金额较小，且主动下架、召回涉案食品，依照本机关裁量基准属于从轻处罚情形，拟处五万元罚款明显不当。',
  requests: [],
  suggestions: '建议按裁量基准第二档，在五万元以上七万元以下幅度内从轻处罚，并在决定书中说明理由。',
  issuedAt: '2026-10-13T08:00:00.000Z',
  findings: findings({
    6: { result: 'nonconform', reason: '当事人首次违法并主动召回涉案食品，符合裁量基准从轻处罚情形，拟处罚款未体现从轻。' },
  }),
};

const rereview: ReviewView = {
  ...review2,
  id: 3,
  kind: 'rereview',
  reviewer: '孙磊',
  reviewerId: 22,
  opinion: '承办机构提出的社会影响因素已在裁量基准中予以考虑，不足以排除从轻处罚。',
  suggestions: '',
  issuedAt: '2026-10-21T03:00:00.000Z',
};

export function fullCase(): CaseDetail {
  return structuredClone<CaseDetail>({
    id: 158,
    version: 41,
    caseNo: 'SJ-2026-0158',
    title: submission1.title,
    kind: 'penalty',
    partyName: submission1.party.name,
    state: 'approved',
    round: 2,
    handler: '王明',
    reviewer: '孙磊',
    lastOutcome: 'disagree',
    headOverride: true,
    updatedAt: '2026-11-05T06:00:00.000Z',
    reviewClock: null,
    handlerId: 11,
    reviewerId: 22,
    catalogVersion: 3,
    catalogItem: submission1.catalogItem,
    catalogItemLabel: submission1.catalogItem,
    submissions: [submission1, submission2],
    reviews: [review1, review2, rereview],
    approvals: [
      {
        id: 1,
        head: '刘建国',
        headId: 31,
        decision: 'approve',
        opinion: '同意按承办机构意见作出处罚决定。',
        override: true,
        overrideReason: '涉案食品为儿童常食用的乳制品，已在本市多所学校周边销售，社会影响较大，经集体讨论不予从轻。',
        reviewOutcome: 'disagree',
        decidedAt: '2026-11-05T06:00:00.000Z',
        meetingId: 7,
      },
    ],
    timeline: [],
    rereviewRequest: {
      reasons: '涉案食品为儿童常食用的乳制品，当事人在学校周边多处门店销售，社会影响较大，不宜从轻处罚。',
      by: '王明',
      at: '2026-10-15T02:00:00.000Z',
    },
    escalation: { reasons: '承办机构对复审意见仍有异议。', by: '王明', at: '2026-10-23T02:00:00.000Z', kind: 'dispute' },
    cycle: 1,
    endings: [],
    approvalBar: null,
    documentRights: {},
    clocks: [],
    currentClock: null,
    responsible: { handler: '王明', reviewer: '孙磊', approver: '刘建国' },
    allowed: [],
    referral: null,
    enforcement: null,
    caseFile: null,
    inspections: null,
    filing: null,
  });
}

/** The case after the head rejected the proposal and the ending (不予行政处罚) was reviewed and approved. */
export function endedCase(): CaseDetail {
  const c = fullCase();
  return {
    ...c,
    state: 'ended',
    headOverride: false,
    approvals: [],
    endings: [
      {
        id: 1,
        cycle: 1,
        kind: 'no_penalty',
        kindLabel: '不予行政处罚',
        reason: '经补充调查，涉案产品系当事人从合法渠道购进并能提供进货凭证，且当事人不知道所销售的产品不合格，依法不予行政处罚',
        by: '王明',
        at: '2026-11-10T02:00:00.000Z',
        steps: [
          { step: 'review', outcome: 'agree', opinion: '同意不予行政处罚', by: '孙磊', at: '2026-11-11T02:00:00.000Z' },
          { step: 'approval', outcome: 'agree', opinion: '同意', by: '刘建国', at: '2026-11-12T02:00:00.000Z' },
        ],
      },
    ],
  };
}

/** The same case right after the first review returned it. */
export function returnedCase(): CaseDetail {
  const c = fullCase();
  return {
    ...c,
    state: 'returned',
    round: 1,
    reviewer: '陈静',
    lastOutcome: 'return',
    headOverride: false,
    submissions: [submission1],
    reviews: [review1],
    approvals: [],
    rereviewRequest: null,
    escalation: null,
    responsible: { handler: '王明', reviewer: '陈静', approver: null },
  };
}

/** A citizen's case (for disclosure): 张三, fine 6,000 yuan. */
export function citizenCase(): CaseDetail {
  const c = fullCase();
  const sub: SubmissionView = {
    ...structuredClone(submission1),
    caseNo: 'SJ-2026-0201',
    title: '张三无证经营食品案',
    party: { type: 'citizen', name: '张三', idNumber: CITIZEN_ID, address: '北京市朝阳区某某路1号院2号楼301室' },
    facts: `张三（公民身份号码${CITIZEN_ID}，联系电话13812345678）自2026年7月起未取得食品经营许可，在某某农贸市场销售自制熟食，违法所得3,200元。`,
    proposedDecision: '没收违法所得3,200元，并处罚款人民币6,000元',
    fineFen: 600_000,
    fineCapitals: '陆仟元整',
  };
  return {
    ...c,
    caseNo: sub.caseNo,
    title: sub.title,
    partyName: '张三',
    headOverride: false,
    submissions: [sub],
    reviews: [{ ...review1, outcome: 'agree', requests: [], findings: findings() }],
    approvals: [{ ...c.approvals[0], override: false, overrideReason: null, reviewOutcome: 'agree', meetingId: null }],
    rereviewRequest: null,
    escalation: null,
  };
}

export const meetingView: MeetingView = {
  id: 7,
  version: 57,
  title: '2026年第11次局长办公会议',
  scheduledAt: '2026-11-05T01:00:00.000Z',
  place: '局机关三楼第一会议室',
  chairId: 31,
  chair: '刘建国',
  quorumRule: 'half',
  quorumLabel: '须过半数组成人员到会',
  expected: 5,
  present: 4,
  quorumMet: true,
  attendees: [
    { userId: 31, name: '刘建国', present: true, absenceReason: '' },
    { userId: 32, name: '周红', present: true, absenceReason: '' },
    { userId: 33, name: '吴刚', present: true, absenceReason: '' },
    { userId: 34, name: '郑伟', present: true, absenceReason: '' },
    { userId: 35, name: '冯敏', present: false, absenceReason: '因公出差' },
  ],
  items: [],
  startedAt: '2026-11-05T01:05:00.000Z',
  locked: true,
  lockedAt: '2026-11-05T03:00:00.000Z',
  lockedBy: '刘建国',
  recordedBy: '钱晓燕',
  amendments: [],
  agendaConfirmedAt: '2026-11-05T01:00:00.000Z',
  agendaConfirmedBy: '刘建国',
  allowed: [],
};

export const meetingItem: MeetingItemView = {
  id: 1,
  seq: 1,
  caseId: 158,
  caseNo: 'SJ-2026-0158',
  title: submission1.title,
  partyName: submission1.party.name,
  legalOpinion: 'disagree',
  rereviewReasons: fullCase().rereviewRequest!.reasons,
  escalationReasons: '承办机构对复审意见仍有异议。',
  handlingStatement: '承办机构汇报了案件事实、证据和拟处罚意见，认为涉案食品面向儿童，社会影响较大，应处五万元罚款。',
  legalStatement: '法制机构说明了审核和复审意见，认为当事人符合从轻处罚情形，拟处罚款明显不当。',
  dissent: '周红认为应当采纳法制机构意见，在裁量基准第二档内从轻处罚。',
  notes: '',
  stances: [
    { userId: 31, name: '刘建国', stance: 'agree', reason: '社会影响较大，同意承办机构意见。' },
    { userId: 32, name: '周红', stance: 'disagree', reason: '应当采纳法制机构意见。' },
    { userId: 33, name: '吴刚', stance: 'agree', reason: '' },
    { userId: 34, name: '郑伟', stance: 'agree', reason: '同意。' },
  ],
  tally: { agree: 3, disagree: 1, abstain: 0, missing: 0 },
  decision: 'approve',
  decisionText: '同意对当事人作出没收涉案食品及违法所得、罚款人民币五万元的行政处罚。',
  decidedAt: '2026-11-05T02:30:00.000Z',
  departsFromMajority: false,
  departsFromLegalOpinion: true,
  headOverride: { head: '刘建国', reason: fullCase().approvals[0].overrideReason! },
  observers: [],
  recusals: [],
  responsibleHeads: ['刘建国'],
  escalationKind: 'dispute',
  voterQuorum: { expected: 3, present: 2, met: true },
  clock: null,
};

export const fullDraft: DecisionDraft = {
  legalReasoning:
    '当事人销售超过保质期的食品，违反了《中华人民共和国食品安全法》第三十四条第（十）项“禁止生产经营超过保质期的食品”的规定，构成经营超过保质期食品的违法行为。依照该法第一百二十四条第一款第（五）项，违法生产经营的食品货值金额不足一万元的，并处五万元以上十万元以下罚款。涉案食品为儿童常食用的乳制品，且在学校周边多处门店销售，社会影响较大，不符合从轻处罚的条件。',
  statements: '当事人提出其系首次违法，已主动下架涉案食品，请求从轻处罚。',
  defenceReasoning:
    '本机关经复核认为，当事人首次违法、主动下架的情节属实，已在裁量时予以考虑，故在法定幅度的最低额处罚；但涉案食品面向儿童销售，社会危害较大，对其请求进一步从轻的意见不予采纳。',
  performanceManner: '当事人应当持本决定书到指定银行缴纳罚没款，或者通过非税收入电子缴款系统缴纳。',
  performanceDeadline: '自收到本决定书之日起十五日内',
  paymentAccount: '某市财政局非税收入汇缴结算户',
  reconsiderationOrgan: '某市人民政府',
  court: '连云港市海州区人民法院',
  drafter: '王明',
  draftReviewer: '陈静',
  factors: '当事人首次违法并主动下架涉案食品；涉案食品面向儿童销售，社会影响较大；货值金额不足一万元，按本机关裁量基准在法定幅度内从轻。',
};
