// Shapes that leave the core (to the renderer, `lrw --json` and documents). Plain data only.
import type {
  ApprovalDecision,
  CaseState,
  DecisionKind,
  FindingResult,
  Outcome,
  PartyType,
  Role,
} from './types';

export interface AppStatus {
  setupDone: boolean;
  agencyName: string | null;
  docPrefix: string | null;
  dbPath: string;
  schemaVersion: number;
  /** 三员分立: whether it is on, and which administrator accounts the agency still has to create. */
  adminSplit: AdminSplitView | null;
}

/** One event of the full-process record, as the 审计管理员 reads it. */
export interface AuditEventView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  /** The action in Chinese (ACTION_LABELS), or its code. */
  label: string;
  caseId: number | null;
  payload: unknown;
}

/** A settings page's version (the event that last wrote its setting; 0: never written): sent back as expectedVersion. */
export interface Versioned {
  version: number;
}

export interface AuthSettingsView {
  maxFailures: number;
  lockMinutes: number;
  idleMinutes: number;
  adminSplit: boolean;
}

export interface AdminSplitView {
  enabled: boolean;
  /** Off, or every administrator role held by its own account. */
  complete: boolean;
  missing: ('sys_admin' | 'sec_admin' | 'audit_admin')[];
  /** Accounts holding more than one administrator role (the first administrator until the others exist). */
  combined: { username: string; displayName: string; roles: ('sys_admin' | 'sec_admin' | 'audit_admin')[] }[];
}

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  roles: Role[];
  active: boolean;
  certNo: string | null;
  certExpiry: string | null;
  qualificationNo: string | null;
  /** Locked after repeated wrong passwords: until when (ISO), with the count (migration 007). */
  lockedUntil: string | null;
  failedAttempts: number;
  /** A reset password not yet changed by its owner. */
  mustChangePassword: boolean;
  /** 行政处罚法 第五十八条: recorded by the security administrator (reviewed penalty decisions before 2021-07-15). */
  reviewerExemption?: { note: string; by: string; at: string } | null;
}

export interface ReviewSettingsView {
  /** 001 二（三）: review every decision outside the simplified procedure (below a threshold, with a stated ground). */
  reviewAllDecisions: boolean;
  /** Who approves the one extension of a review period (001 附件3 第十三条: 经负责人批准). */
  extensionApprover: 'legal_head' | 'agency_head';
}

/** A reviewer's request to extend the review period, with the approver's decision once made. */
export interface ExtensionRequestView {
  id: number;
  round: number;
  reason: string;
  by: string;
  byId: number;
  at: string;
  /** Null while pending. */
  decision: 'approve' | 'refuse' | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Pending and its period still running: the approver can decide it. */
  open: boolean;
}

export interface SessionView {
  user: UserView;
  agencyName: string;
  /** Set after a reset: the user must choose a new password before anything else is allowed. */
  passwordReset?: { by: string; at: string } | null;
}

export interface CatalogItem {
  code: string;
  kind: DecisionKind;
  label: string;
  /** For fine items: the threshold in fen and the party type it applies to. */
  minFineFen?: number;
  partyType?: PartyType;
  /**
   * 查封扣押 (001 附件3 第七条(一)): major when the sealed area reaches minAreaM2 or the value reaches
   * minValueFen; the submission gives the area (or 不适用 for movable property) and/or the value.
   */
  seal?: { minAreaM2: number; minValueFen: number };
  /** 听证许可 (第六条(一)): major when a hearing is required by law, or one is held and public interest is involved. */
  hearing?: true;
  /** 其他对当事人或者社会公共利益有重大影响的: accepted only with a stated ground (majorGround). */
  catchAll?: string;
}

/** The quantities a submission states for its catalog item (CaseInput.quantities), as stored. */
export interface MajorQuantities {
  /** Sealed area in m², or 'not_applicable' for movable property. */
  sealAreaM2?: number | 'not_applicable';
  /** Value of what is sealed or seized, in fen. */
  sealValueFen?: number;
  hearingRequired?: boolean;
  hearingHeld?: boolean;
  publicInterest?: boolean;
}

/** Why the case is a major decision: the item's threshold, a catch-all item, or the agency's review-all setting. */
export type MajorBasis = 'threshold' | 'catch_all' | 'review_all';

export interface CatalogView {
  version: number;
  items: CatalogItem[];
}

export interface SubmissionView {
  round: number;
  submittedAt: string;
  submittedBy: string;
  changeNote: string | null;
  caseNo: string;
  title: string;
  kind: DecisionKind;
  catalogItem: string;
  party: { type: PartyType; name: string; idNumber: string; address: string };
  facts: string;
  evidence: string[];
  legalBasis: { law: string; article: string }[];
  proposedDecision: string;
  fineFen: number | null;
  fineCapitals: string | null;
  /** What the catalog item asked (absent on submissions made before catalog version 2). */
  quantities: MajorQuantities | null;
  majorBasis: MajorBasis | null;
  majorGround: string | null;
  /** The same, in words for the case page and the submission form (e.g. 查封面积：350平方米). */
  majorLines: string[];
  procedure: { step: string; date: string; note?: string }[];
  officers: { id: number; name: string; certNo: string | null }[];
  attachments: { sha256: string; name: string; size: number }[];
}

export interface FindingView {
  criterion: number;
  title: string;
  result: FindingResult;
  reason: string;
}

export interface ReviewView {
  id: number;
  round: number;
  kind: 'review' | 'rereview';
  reviewer: string;
  reviewerId: number;
  outcome: Outcome;
  opinion: string;
  requests: string[];
  suggestions: string;
  issuedAt: string;
  findings: FindingView[];
}

export interface ApprovalView {
  id: number;
  head: string;
  headId: number;
  decision: ApprovalDecision;
  opinion: string;
  override: boolean;
  overrideReason: string | null;
  reviewOutcome: Outcome | null;
  decidedAt: string;
  /** Set when the decision is a collective discussion's, confirmed with the meeting's minutes. */
  meetingId: number | null;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  label: string;
  summary: string;
}

export interface CaseSummary {
  id: number;
  caseNo: string;
  title: string;
  kind: DecisionKind;
  partyName: string;
  state: CaseState;
  round: number;
  handler: string;
  reviewer: string | null;
  lastOutcome: Outcome | null;
  headOverride: boolean;
  updatedAt: string;
  /** The running review or re-review period, if any. */
  reviewClock: ClockView | null;
}

export interface CaseDetail extends CaseSummary {
  /** The case row's version (services/versions.ts): sent back as expectedVersion by cases.resubmit / cases.revise. */
  version: number;
  handlerId: number;
  reviewerId: number | null;
  catalogVersion: number;
  catalogItem: string;
  /** The catalog item's wording in the catalog version that classified the case. */
  catalogItemLabel: string;
  submissions: SubmissionView[];
  reviews: ReviewView[];
  approvals: ApprovalView[];
  timeline: TimelineEntry[];
  /** Proposal cycle: a revision after a rejection is a new proposal (its opinion may be disputed once again). */
  cycle: number;
  /** This cycle's re-review request and proposal for collective discussion. */
  rereviewRequest: { reasons: string; by: string; at: string } | null;
  escalation: { reasons: string; by: string; at: string; kind: 'dispute' | 'proposal' } | null;
  /** Proposals to end the matter after a rejection, with their review and approval. */
  endings: EndingView[];
  /** Why a head may not approve this case directly now (collective discussion), or null. */
  approvalBar: string | null;
  /** For each template: may the signed-in user draft, finalise, issue it now (the authority table)? */
  documentRights: Record<string, { draft: boolean; finalize: boolean; issue: boolean; reason: string | null }>;
  /** Every clock of the case, review periods (with history) first. */
  clocks: ClockView[];
  /** The one of them the case runs against now (services/deadlines.ts currentClock), shown where the work is done. */
  currentClock: ClockView | null;
  /** 承办人 / 审核人 / 批准人 — always shown together. */
  responsible: { handler: string; reviewer: string | null; approver: string | null };
  /** Every request to extend a review period, oldest first. */
  extensionRequests?: ExtensionRequestView[];
  /** Expert opinions (专家论证, 003 第十八条) attached to review rounds, oldest first. */
  expertOpinions?: ExpertOpinionView[];
  /** What the signed-in user may do now; the core enforces the same rules again on every call. */
  allowed: string[];
  /** The criminal referral (移送涉嫌犯罪案件) opened by a review that found a suspected crime, or null. */
  referral: ReferralView | null;
  /** 送达与执行 (services/enforcement.ts) once the decision is approved (or a 不予行政处罚 ending), else null. */
  enforcement: EnforcementView | null;
  /** 归档 (services/caseFiles.ts): the archived case file, or, for a closed case, what 归档 needs; else null. */
  caseFile: CaseFileView | null;
  /** 案卷评查 (services/inspections.ts) of the archived case file, or null before 归档. */
  inspections: InspectionsView | null;
  /** 备案 with the government (services/filings.ts), or null before approval and for a viewer who may not see it. */
  filing: CaseFilingView | null;
}

/** 移送涉嫌犯罪案件 (services/referrals.ts): the report, the principal head's decision, the transfer, and their clocks. */
export interface ReferralView {
  id: number;
  /** The issued review that found criterion 7 涉嫌犯罪，应当移送. */
  reviewId: number;
  openedAt: string;
  state: 'awaiting_report' | 'awaiting_decision' | 'awaiting_transfer' | 'transferred' | 'not_approved';
  stateLabel: string;
  report: { text: string; by: string; at: string } | null;
  decision: { decision: 'approve' | 'reject'; decisionLabel: string; reason: string; by: string; at: string } | null;
  transfer: { police: string; procuratorate: string; supervisory: string | null; note: string; by: string; at: string } | null;
  /** The decision clock (3 days from the report) and the transfer clock (24 hours from the approval), once started. */
  clocks: ClockView[];
  /** What the signed-in user may do on it now. */
  actions: ('report' | 'decide' | 'transfer')[];
}

export interface EndingView {
  id: number;
  cycle: number;
  kind: 'no_penalty' | 'withdraw' | 'other';
  kindLabel: string;
  reason: string;
  by: string;
  at: string;
  steps: { step: 'review' | 'approval'; outcome: 'agree' | 'disagree'; opinion: string; by: string; at: string }[];
}

/** Upload limits (agency setting): the size cap, and how long an unfinished upload is kept. */
export interface UploadSettingsView {
  maxUploadBytes: number;
  abandonAfterHours: number;
}

/** An expert opinion (专家论证) the assigned reviewer attached to the review of one round. */
export interface ExpertOpinionView {
  id: number;
  round: number;
  reviewKind: 'review' | 'rereview';
  experts: string[];
  /** 'YYYY-MM-DD': the day of the experts' meeting or of their written opinion. */
  heldOn: string;
  opinion: string;
  /** 专家论证会议纪要或专家意见书, stored by SHA-256 like every attachment. */
  file: { sha256: string; name: string; size: number } | null;
  addedBy: string;
  addedAt: string;
}

export interface QueueItem extends CaseSummary {
  reason: string;
  /** Supervision only (督办 of a review still within its period): shown, not counted as waiting for this user. */
  watch?: boolean;
}

/** An unlocked meeting in the queue of its chair (to confirm the agenda, state decisions, confirm the minutes) or of the secretary. */
export interface QueueMeetingItem {
  meetingId: number;
  title: string;
  scheduledAt: string;
  place: string;
  chair: string;
  /** Items on the agenda, and those without a decision yet. */
  items: number;
  undecided: number;
  agendaConfirmed: boolean;
  reason: string;
  /** Waits for someone else (the chair), not for this user: shown, not counted. */
  watch: boolean;
}

/** One of the handler's own cases not yet closed (我送审的在办案件). */
export interface OwnCaseItem extends CaseSummary {
  /** Where the case stands and whom it waits for, in words. */
  progress: string;
  /** Returned for supplement or not approved: back with the handler. */
  flag: 'returned' | 'rejected' | null;
  /** The clock the case runs against now: the review period, else the first running clock after the decision. */
  clock: ClockView | null;
}

/** One step of an administrator's first-run checklist, decided by the core from the store as it is. */
export interface SetupStepView {
  key: 'admins' | 'users' | 'calendar' | 'seal' | 'certificates';
  label: string;
  /** What is missing, or what was found in place. */
  detail: string;
  done: boolean;
  /** The screen where this user does it, if any (certificates are imported by each signer at their own desk). */
  route: 'users' | 'settings' | null;
}

export interface QueueView {
  items: QueueItem[];
  /** Meetings waiting for this user (the chair's, and every unlocked one for the secretary). */
  meetings: QueueMeetingItem[];
  /** The handler's 我送审的在办案件; null for a user who does not submit cases. */
  mine: OwnCaseItem[] | null;
  /** The administrator's first-run checklist; null for other users. */
  setup: SetupStepView[] | null;
  /** For the menu: what waits for this user (待办), meetings among it (会议), reviews due today or overdue (逾期督办). */
  counts: { queue: number; meetings: number; overdue: number };
}

export interface SearchResult {
  /** Exact up to 1000; with totalCapped, "more than 1000". */
  total: number;
  totalCapped: boolean;
  items: CaseSummary[];
}

/** 打印 / 导出 of a list of cases: the same table on paper, in the .xlsx file and in `lrw case report`. */
export interface CaseReportView {
  /** 张承办的待办事项 / 案件检索结果. */
  title: string;
  agencyName: string;
  /** ISO instant; generatedAtLabel is the same in China time (2026年12月1日 15:56). */
  generatedAt: string;
  generatedAtLabel: string;
  generatedBy: string;
  /** 关键词：… / 案件状态：… (search only). */
  conditions: string[];
  /** More cases matched than a report holds (REPORT_MAX_ROWS); the newest are listed. */
  capped: boolean;
  columns: string[];
  rows: string[][];
  /** The case of each row, in order. */
  caseIds: number[];
  fileName: string;
  /** The .xlsx file (base64) when asked for with xlsx: true, else null. */
  base64: string | null;
}

export interface ReviewDraftView {
  findings: { criterion: number; result?: FindingResult; reason: string }[];
  outcome?: Outcome;
  opinion: string;
  requests: string[];
  suggestions: string;
  savedAt: string;
  /** Counts the draft's saves: sent back as expectedVersion by reviews.saveDraft and reviews.issue. */
  version: number;
}

/** The first thing verification found wrong, named so a person can find it. */
export interface RecordMismatch {
  kind: 'chain' | 'row' | 'state' | 'file' | 'checkpoint' | 'witness' | 'key';
  /** Table (English name) and its Chinese label, when a row or file is at fault. */
  table?: string;
  tableLabel?: string;
  /** The row's key, e.g. "12" or "12:3" for a composite key. */
  row?: string;
  field?: string;
  /** The event that should vouch for it (or the event at fault). */
  seq?: number;
  /** One Chinese sentence naming all of the above. */
  message: string;
}

/** One outside witness (an exported checkpoint or an issued PDF) checked against the chain. */
export interface WitnessResult {
  source: string;
  kind: 'checkpoint' | 'pdf';
  seq: number | null;
  ok: boolean;
  message: string;
}

export interface VerifyProgress {
  phase: 'events' | 'rows' | 'files' | 'checkpoints' | 'witnesses';
  done: number;
  total: number;
}

export interface AuditVerifyView {
  ok: boolean;
  /** Events on the chain. */
  count: number;
  /** The first event at fault (kept for older callers; mismatch says more). */
  firstBad: { seq: number; reason: string } | null;
  head?: { seq: number; hash: string } | null;
  mismatch?: RecordMismatch | null;
  /** Rows and files checked; filesSkipped with --quick. */
  rows?: number;
  files?: number;
  filesSkipped?: boolean;
  checkpoints?: number;
  latestCheckpointSeq?: number | null;
  witnesses?: WitnessResult[];
  /** Warnings that are not failures (e.g. no record-signing key on this machine). */
  warnings?: string[];
  /** One Chinese sentence: the result. */
  message?: string;
}

/** A verification run in the background (services/verifyJobs.ts), polled by 记录校验. */
export interface VerifyJobView {
  jobId: string;
  quick: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** The verifier's latest report; null until it reports (or when it does not). */
  progress: VerifyProgress | null;
  done: boolean;
  result?: AuditVerifyView;
  error?: { code: string; message: string };
  /** The alarm a failed verification raised (services/alarms.ts). */
  alarmId?: number | null;
}

/** A failed verification, shown to the system administrator and the legal office head until acknowledged. */
export interface AlarmView {
  id: number;
  raisedAt: string;
  /** Who ran the verification (“命令行” when `lrw audit verify` ran without --as). */
  raisedBy: string;
  raisedThrough: 'app' | 'lrw';
  quick: boolean;
  /** Events on the chain when it failed. */
  count: number;
  mismatch: RecordMismatch | null;
  firstBad: { seq: number; reason: string } | null;
  /** One Chinese sentence: what was found wrong. */
  message: string;
  acknowledged: { by: string; at: string; reason: string } | null;
}

export interface DeadlineSettings {
  mode: 'working' | 'natural';
  reviewDays: number;
  extensionDays: number;
  rereviewDays: number;
}

export interface ClockView {
  kind: 'review' | 'rereview' | 'publication' | 'archive' | 'av_records' | 'emergency_report' | 'referral_decision' | 'referral_transfer' | 'service' | 'payment' | 'court_application';
  label: string;
  /** 'YYYY-MM-DD' (CST) for day clocks, ISO instant for hour clocks. */
  start: string;
  due: string;
  dueLabel: string;
  unit: 'working' | 'natural' | 'hours';
  /** Working days (or days / hours) left; 0 on the due day; negative when overdue. */
  remaining: number;
  remainingLabel: string;
  state: 'ok' | 'due_soon' | 'overdue' | 'done';
  /** Computed from a year without an official holiday schedule: 待官方安排确认. */
  provisional: boolean;
  extension: { days: number; by: string; at: string; reason: string; originalDue: string } | null;
  endedAt: string | null;
}

export interface OverdueItem {
  caseId: number;
  caseNo: string;
  title: string;
  reviewer: string | null;
  clock: ClockView;
}

export interface MeetingItemView {
  id: number;
  seq: number;
  caseId: number;
  caseNo: string;
  title: string;
  partyName: string;
  /** The legal office's last opinion on the case (after re-review). */
  legalOpinion: Outcome | null;
  rereviewReasons: string | null;
  escalationReasons: string | null;
  handlingStatement: string;
  legalStatement: string;
  dissent: string;
  notes: string;
  stances: { userId: number; name: string; stance: 'agree' | 'disagree' | 'abstain'; reason: string }[];
  tally: { agree: number; disagree: number; abstain: number; missing: number };
  decision: 'approve' | 'reject' | null;
  decisionText: string;
  decidedAt: string | null;
  /** Said explicitly on the record (democratic centralism: the chair may decide against the majority). */
  departsFromMajority: boolean;
  departsFromLegalOpinion: boolean;
  headOverride: { head: string; reason: string } | null;
  /** 列席，不参与表决: heads who handled, acted on or reviewed the case attend to report. */
  observers: { userId: number; name: string; part: string }[];
  /** 回避 (行政处罚法 第四十三条), with who asked and why. */
  recusals: { userId: number; name: string; source: 'self' | 'party'; reason: string; recordedAt: string }[];
  /** When the decision departs from the legal opinion: the heads who voted for it (第十七条). */
  responsibleHeads: string[];
  /** The proposal that brought the case (第十二条 dispute, or a proposal for discussion). */
  escalationKind: 'dispute' | 'proposal' | null;
  /** The item's own quorum: only heads who may vote on it (列席 and 回避 are not counted). */
  voterQuorum: { expected: number; present: number; met: boolean };
  /** The case's running clock (services/deadlines.ts currentClock), if any. */
  clock: ClockView | null;
}

export interface MeetingView {
  id: number;
  /** The newest write of the minutes — attendance, items, stances (services/versions.ts): sent back as expectedVersion by meetings.save. */
  version: number;
  title: string;
  scheduledAt: string;
  place: string;
  chairId: number;
  chair: string;
  quorumRule: 'half' | 'two_thirds';
  quorumLabel: string;
  expected: number;
  present: number;
  quorumMet: boolean;
  attendees: { userId: number; name: string; present: boolean | null; absenceReason: string }[];
  items: MeetingItemView[];
  startedAt: string | null;
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
  /** 记录人: the secretary who recorded the minutes (who last saved the record; the meeting's creator before that). */
  recordedBy: string;
  amendments: { id: number; text: string; reason: string; at: string; by: string }[];
  /** The chair sets the agenda the secretary prepared; decisions wait for it. */
  agendaConfirmedAt: string | null;
  agendaConfirmedBy: string | null;
  allowed: string[];
}

export interface MeetingSummary {
  id: number;
  title: string;
  scheduledAt: string;
  place: string;
  chair: string;
  items: number;
  locked: boolean;
}

export interface WorkflowSettingsView {
  rereviewDifferentReviewer: boolean;
  quorum: 'half' | 'two_thirds';
  departOnlyByMeeting: boolean;
  discussionRequired: 'none' | 'all' | 'items';
  discussionItems: string[];
}

export interface TemplateSummary {
  id: string;
  title: string;
  kind: 'internal' | 'external' | 'public';
  applies: DecisionKind[] | null;
  description: string | null;
  /** Shipped file, or an administrator's copy (who saved it, when). */
  origin: 'shipped' | 'custom';
  /** The layout profile documents of this template are rendered in (services/documentLayout.ts). */
  layout: import('./types').LayoutProfile;
  /** Version of the layout choices as read (templates.setLayout sends it back). */
  layoutVersion: number;
  savedBy: string | null;
  savedAt: string | null;
}

export interface DocumentPreview {
  model: import('../documents/model').DocModel;
  /** Places still to fill in (〔待填写：…〕). */
  placeholders: { where: string; label: string }[];
  /** Required parts of a penalty decision that are missing. */
  missing: { part: string; label: string; detail?: string }[];
}

/** What 定稿 would fix, asked before the user confirms it (documents.finalizeCheck). */
export interface DocumentFinalizeCheck {
  /** The text is the template's pre-fill for this case, word for word: nothing was edited. */
  untouched: boolean;
  /** 定稿 will take the next document number of this year (an external or public document without one yet). */
  takesNumber: boolean;
  /** The year whose sequence the number is taken from. */
  year: number;
  /** The number this document already has (kept at a later 定稿). */
  docNumber: string | null;
  templateKind: 'external' | 'internal' | 'public';
}

export interface DocumentVersionView {
  id: number;
  templateId: string;
  version: number;
  final: boolean;
  note: string;
  savedBy: string;
  savedAt: string;
  sha256: string;
  docNumber: string | null;
  model: import('../documents/model').DocModel;
  draft: Record<string, unknown> | null;
}

export interface DocumentSummary {
  templateId: string;
  title: string;
  docNumber: string | null;
  versions: number;
  latestVersion: number;
  finalVersion: number | null;
  savedAt: string;
  issued: { id: number; format: 'pdf' | 'docx' | 'p7s'; name: string; sha256: string; issuedAt: string; version: number }[];
}

export interface ClauseView {
  id: number;
  category: '事理' | '法理' | '情理';
  title: string;
  text: string;
  createdBy: string;
  createdAt: string;
}

/** One service of a decision document (送达, 000 第二十四至二十八条). */
export interface ServiceRecordView {
  id: number;
  documentId: number | null;
  documentName: string;
  method: 'direct' | 'post' | 'left' | 'entrusted' | 'notice';
  methodLabel: string;
  recipient: string;
  servedOn: string;
  /** The method's particulars (送达人, 签收人, 邮件号码, 拒收事由, 见证人…), labelled. */
  details: { label: string; value: string }[];
  files: { sha256: string; name: string }[];
  by: string;
  at: string;
}

/** One fact of execution (履行、催告、强制执行, 000 第二十九至三十二条). */
export interface ExecutionRecordView {
  id: number;
  step: 'paid' | 'performed' | 'rectification' | 'reminder' | 'statement' | 'enforced' | 'court_applied' | 'court_result';
  stepLabel: string;
  onDate: string;
  amountFen: number | null;
  amountLabel: string | null;
  measure: string | null;
  measureLabel: string | null;
  text: string;
  files: { sha256: string; name: string }[];
  by: string;
  at: string;
}

/** The case's 送达与执行: records, what is still to serve, the fine and its surcharge, what stops 办结. */
export interface EnforcementView {
  services: ServiceRecordView[];
  executions: ExecutionRecordView[];
  /** The issued decision documents that must be served before 办结, and whether each is. */
  toServe: { documentId: number; name: string; served: boolean }[];
  /** Every issued document of the case (what a service record may name). */
  documents: { documentId: number; name: string }[];
  /** A penalty with a fine: due date, surcharge so far (3% a day, never above the fine), owed and paid. */
  fine: {
    fineFen: number; fineLabel: string; dueOn: string | null; surchargeDays: number; surchargeFen: number; surchargeLabel: string;
    capped: boolean; owedFen: number; owedLabel: string; paidFen: number; paidLabel: string;
  } | null;
  concluded: boolean;
  conclusion: string | null;
  /** Why 办结 is refused now (empty when it may close, or once closed). */
  closeBlockers: string[];
  /** After the 催告 is served: the court may be asked after `after` and until `until` (行政强制法 第五十三、五十四条). */
  courtWindow: { after: string; until: string } | null;
  clocks: ClockView[];
  /** The viewer may record a service now. */
  canServe: boolean;
  /** The execution steps the viewer may record now, in the order offered. */
  steps: ExecutionRecordView['step'][];
}

/** One file of a case file: where it lies in an export, and its SHA-256. */
export interface CaseFileFile {
  path: string;
  sha256: string;
  size: number;
}

/** One entry of the 卷内目录: a document with its pages in 案卷.pdf and its original files. */
export interface CaseFileEntry {
  no: number;
  title: string;
  /** YYYY-MM-DD (China time). */
  date: string;
  kind: 'issued' | 'materials' | 'attachment' | 'reviews' | 'approvals' | 'enforcement' | 'record';
  pages: { from: number; to: number } | null;
  files: CaseFileFile[];
}

/** What 归档 froze (case_files.manifest_json): the index, the files and the head of the chain at 归档. */
export interface CaseFileManifest {
  format: 'lrw-casefile/1';
  agency: string;
  caseId: number;
  caseNo: string;
  title: string;
  partyName: string;
  kindLabel: string;
  handler: string;
  custodian: string;
  archivedOn: string;
  head: { seq: number; hash: string };
  pdf: CaseFileFile & { pages: number };
  record: CaseFileFile;
  entries: CaseFileEntry[];
}

/** A supplement (补充归档): its own index entry after the frozen ones. */
export interface CaseFileSupplementView {
  id: number;
  no: number;
  kind: 'correction' | 'withdrawal' | 'inspection' | 'other';
  kindLabel: string;
  title: string;
  text: string;
  files: CaseFileFile[];
  by: string;
  at: string;
}

export interface CaseFileView {
  archived: {
    at: string;
    by: string;
    custodian: string;
    custodianId: number;
    received: { at: string; note: string } | null;
    manifest: CaseFileManifest;
    supplements: CaseFileSupplementView[];
  } | null;
  /** The viewer may hand the case file over now (the handler of a closed case). */
  canArchive: boolean;
  canReceive: boolean;
  canSupplement: boolean;
}

/** `casefile.manifest`: what an export holds (manifest.json) and every file to fetch for it. */
export interface CaseFileExport {
  manifest: CaseFileManifest;
  received: { at: string; custodian: string; note: string } | null;
  supplements: CaseFileSupplementView[];
  files: CaseFileFile[];
}

/** One figure of 统计, with what it counts (shown beside it and in the .xlsx file). */
export interface StatsFigure {
  key: string;
  label: string;
  /** null when there is nothing to average or divide by. */
  value: number | null;
  unit: string;
  source: string;
}

export interface StatsView {
  from: string;
  to: string;
  agencyName: string;
  generatedAt: string;
  generatedAtLabel: string;
  generatedBy: string;
  figures: StatsFigure[];
  byKind: { kind: DecisionKind; kindLabel: string; submitted: number; opinions: number; agree: number; return: number; disagree: number; approved: number; rejected: number }[];
  /** The criteria found wanting in returns, most frequent first. */
  returnReasons: { criterion: number; title: string; count: number }[];
  /** Reviewers are at least 5% of officers (004 三(五)); null without officers. */
  meetsReviewerRatio: boolean | null;
  /** With xlsx: the same figures as an .xlsx file (base64). */
  base64: string | null;
  fileName: string;
}

/** One evaluation of an archived case file (案卷评查) with the reply to its requests. */
export interface InspectionView {
  id: number;
  inspector: string;
  result: 'excellent' | 'pass' | 'fail';
  resultLabel: string;
  findings: string;
  requests: string[];
  at: string;
  reply: { text: string; by: string; at: string } | null;
  /** The viewer may reply now (the case's handler or the legal office head; requests made, none replied). */
  canReply: boolean;
}

export interface InspectionsView {
  items: InspectionView[];
  /** The viewer is an inspector and may record an evaluation. */
  canRecord: boolean;
}

/** An archived case an inspector may open (评查), newest archive first. */
export interface InspectableCase {
  id: number;
  caseNo: string;
  title: string;
  kindLabel: string;
  handler: string;
  archivedAt: string;
  inspections: number;
  awaitingReply: number;
}

/** A recipient's response to a filing (备案审查意见), with the correction it asked for. */
export interface FilingResponseView {
  id: number;
  recipient: string;
  result: 'accepted' | 'correct' | 'revoked';
  resultLabel: string;
  receivedOn: string;
  text: string;
  by: string;
  at: string;
  /** The correction recorded against a 责令改正 (null until recorded, and for other results). */
  correction: { text: string; by: string; at: string } | null;
  /** The viewer may record the correction now. */
  canCorrect: boolean;
}

/** One filing (备案) with the government: when, with whom, on which package, and what each recipient said. */
export interface FilingView {
  id: number;
  filedOn: string;
  recipients: string[];
  note: string;
  by: string;
  at: string;
  /** The signed package filed (a case filing): the issued 备案报告 PDF. */
  packageName: string | null;
  packageIssuedId: number | null;
  /** The catalog version it brought into force (a catalog filing). */
  catalogVersion: number | null;
  responses: FilingResponseView[];
  /** Recipients that have not answered yet. */
  awaiting: string[];
}

/** CaseDetail.filing: the case's 备案 (services/filings.ts), once the decision is approved. */
export interface CaseFilingView {
  /** The newest issued 备案报告 not yet filed, ready to record as filed (null: none). */
  unfiledPackage: { issuedId: number; name: string; issuedAt: string } | null;
  filings: FilingView[];
  /** The viewer records filings and responses (the legal office head). */
  canRecord: boolean;
  /** The agency's default recipients (settings). */
  defaultRecipients: string[];
  /** A response revoked the decision (予以撤销). */
  revoked: boolean;
}

export interface FilingSettingsView {
  recipients: string[];
  version: number;
}

/** A catalog change (目录清单调整方案): in force only once its filing is recorded. */
export interface CatalogProposalView {
  id: number;
  baseVersion: number;
  note: string;
  by: string;
  at: string;
  items: CatalogItem[];
  /** What changes against the base version, in words (新增 / 删除 / 修改 事项). */
  changes: string[];
  /** The filing that brought it into force (null: not yet filed, so not in force). */
  filing: FilingView | null;
  /** Filed, or based on a version no longer in force (then it can never take effect). */
  state: 'pending' | 'filed' | 'superseded';
}

/** The administrator's catalog page: the version in force, every version, the proposals and their filings. */
export interface CatalogAdminView {
  current: CatalogView;
  versions: { version: number; note: string; createdAt: string; items: number }[];
  proposals: CatalogProposalView[];
  canManage: boolean;
  defaultRecipients: string[];
}
