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
}

export interface SessionView {
  user: UserView;
  agencyName: string;
}

export interface CatalogItem {
  code: string;
  kind: DecisionKind;
  label: string;
  /** For fine items: the threshold in fen and the party type it applies to. */
  minFineFen?: number;
  partyType?: PartyType;
}

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
  rereviewRequest: { reasons: string; by: string; at: string } | null;
  escalation: { reasons: string; by: string; at: string } | null;
  /** Every clock of the case, review periods (with history) first. */
  clocks: ClockView[];
  /** 承办人 / 审核人 / 批准人 — always shown together. */
  responsible: { handler: string; reviewer: string | null; approver: string | null };
  /** What the signed-in user may do now; the core enforces the same rules again on every call. */
  allowed: string[];
}

export interface QueueItem extends CaseSummary {
  reason: string;
}

export interface QueueView {
  items: QueueItem[];
}

export interface SearchResult {
  /** Exact up to 1000; with totalCapped, "more than 1000". */
  total: number;
  totalCapped: boolean;
  items: CaseSummary[];
}

export interface ReviewDraftView {
  findings: { criterion: number; result?: FindingResult; reason: string }[];
  outcome?: Outcome;
  opinion: string;
  requests: string[];
  suggestions: string;
  savedAt: string;
}

export interface AuditVerifyView {
  ok: boolean;
  count: number;
  firstBad: { seq: number; reason: string } | null;
}

export interface DeadlineSettings {
  mode: 'working' | 'natural';
  reviewDays: number;
  extensionDays: number;
  rereviewDays: number;
}

export interface ClockView {
  kind: 'review' | 'rereview' | 'publication' | 'archive' | 'av_records' | 'emergency_report';
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
}

export interface MeetingView {
  id: number;
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
  amendments: { id: number; text: string; reason: string; at: string; by: string }[];
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
}

export interface TemplateSummary {
  id: string;
  title: string;
  kind: 'internal' | 'external' | 'public';
  applies: DecisionKind[] | null;
  description: string | null;
  /** Shipped file, or an administrator's copy (who saved it, when). */
  origin: 'shipped' | 'custom';
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
