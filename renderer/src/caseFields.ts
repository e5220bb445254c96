// 插入案件字段: the current value of a template field (templates.fields) as the text to insert, computed
// from the case the page already has (cases.get). Follows the core's template data (documents/fields.ts):
// money in capitals (捌万元整), dates in Chinese (2026年11月23日). Pure: no DOM, no window.api.
import type { CaseDetail, ReviewView } from '../../main/core/domain/views';
import { APPROVAL_LABELS, DECISION_KIND_LABELS, CASE_STATE_LABELS, OUTCOME_LABELS } from './labels';

export interface TemplateField {
  path: string;
  label: string;
  type: string;
  optional: boolean;
}

export interface FieldContext {
  detail: CaseDetail;
  agencyName: string;
  docPrefix: string;
  /** The document's number, once it has one. */
  docNumber?: string;
  /** Today in China, YYYY-MM-DD. */
  today: string;
  /** The drafter's additions (DecisionDraft) for decision.* fields. */
  draft?: Record<string, unknown>;
}

const TZ_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** 2026-11-23 → 2026年11月23日 (an ISO instant is read as its China date). */
export function chineseDate(v: string): string {
  const ymd = /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : (() => {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? '' : TZ_DAY.format(d);
  })();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : v;
}

/** 8000000 fen → 80,000元 (the core's formatYuan). */
export function yuanText(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  const grouped = yuan.toLocaleString('en-US');
  return rest === 0 ? `${grouped}元` : `${grouped}.${String(rest).padStart(2, '0')}元`;
}

function legalBasisText(b: { law: string; article: string }): string {
  const law = b.law.trim();
  return `${/^《.*》$/.test(law) ? law : `《${law}》`}${b.article.trim()}`;
}

function joinLegalBasis(list: { law: string; article: string }[]): string {
  const out: string[] = [];
  let prev: string | null = null;
  for (const b of list) {
    const law = b.law.trim().replace(/^《(.*)》$/, '$1');
    out.push(law === prev ? b.article.trim() : legalBasisText(b));
    prev = law;
  }
  return out.join('、');
}

const nonEmpty = (s: unknown): string | undefined => (typeof s === 'string' && s.trim() ? s : undefined);

function reviewValues(prefix: string, r: ReviewView | undefined, out: Record<string, string>) {
  if (!r) return;
  out[`${prefix}.round`] = String(r.round);
  out[`${prefix}.kindLabel`] = r.kind === 'rereview' ? '复审' : '法制审核';
  out[`${prefix}.reviewer`] = r.reviewer;
  out[`${prefix}.outcomeLabel`] = OUTCOME_LABELS[r.outcome];
  if (nonEmpty(r.opinion)) out[`${prefix}.opinion`] = r.opinion;
  if (nonEmpty(r.suggestions)) out[`${prefix}.suggestions`] = r.suggestions;
  out[`${prefix}.issuedAt`] = chineseDate(r.issuedAt);
}

/** Path → the text to insert, for every field that has a value in this case. */
export function fieldValues(ctx: FieldContext): Record<string, string> {
  const { detail } = ctx;
  const out: Record<string, string> = {};
  const sub = detail.submissions[detail.submissions.length - 1];
  out['agency.name'] = ctx.agencyName;
  out['agency.docPrefix'] = ctx.docPrefix;
  if (ctx.docNumber && !ctx.docNumber.includes('〔待填写')) out.docNumber = ctx.docNumber;
  out.date = chineseDate(ctx.today);
  out.dateCn = chineseDate(ctx.today);
  out['case.no'] = detail.caseNo;
  out['case.title'] = detail.title;
  out['case.kindLabel'] = DECISION_KIND_LABELS[detail.kind];
  out['case.catalogItem'] = detail.catalogItem;
  out['case.catalogVersion'] = String(detail.catalogVersion);
  out['case.stateLabel'] = CASE_STATE_LABELS[detail.state];
  out['case.round'] = String(detail.round);
  out['case.handler'] = detail.handler;
  if (detail.reviewer) out['case.reviewer'] = detail.reviewer;
  if (detail.lastOutcome) out['case.lastOutcomeLabel'] = OUTCOME_LABELS[detail.lastOutcome];
  if (sub) {
    const citizen = sub.party.type === 'citizen';
    out['party.typeLabel'] = citizen ? '公民' : '法人或者其他组织';
    out['party.name'] = sub.party.name;
    out['party.idLabel'] = citizen ? '公民身份号码' : '统一社会信用代码';
    out['party.idNumber'] = sub.party.idNumber;
    out['party.address'] = sub.party.address;
    out['submission.round'] = String(sub.round);
    out['submission.submittedAt'] = chineseDate(sub.submittedAt);
    out['submission.submittedBy'] = sub.submittedBy;
    if (nonEmpty(sub.changeNote)) out['submission.changeNote'] = sub.changeNote!;
    out['submission.title'] = sub.title;
    out['submission.facts'] = sub.facts;
    out['submission.legalBasisText'] = joinLegalBasis(sub.legalBasis);
    out['submission.proposedDecision'] = sub.proposedDecision;
    out['submission.procedureText'] = sub.procedure.length
      ? `${sub.procedure.map((p) => `${chineseDate(p.date)}，${p.step}${p.note && p.note.trim() ? `（${p.note.trim()}）` : ''}`).join('；')}。`
      : '';
    out['submission.officersText'] = sub.officers.map((o) => (o.certNo ? `${o.name}（执法证号：${o.certNo}）` : o.name)).join('、');
    if (sub.fineFen !== null) {
      const capitals = sub.fineCapitals ?? '';
      out['submission.fine'] = capitals;
      out.fine = capitals;
      out.fineCapitals = capitals;
      out.fineYuan = yuanText(sub.fineFen);
    }
    // decision.* fall back to the submission as the core does.
    const d = ctx.draft ?? {};
    out['decision.facts'] = nonEmpty(d.facts) ?? sub.facts;
    const penaltyKind = nonEmpty(d.penaltyKind) ?? nonEmpty(sub.proposedDecision);
    if (penaltyKind) out['decision.penaltyKind'] = penaltyKind;
    out['decision.penaltyBasis'] = nonEmpty(d.penaltyBasis) ?? joinLegalBasis(sub.legalBasis);
  }
  const d = ctx.draft ?? {};
  for (const k of ['procedureSummary', 'legalReasoning', 'statements', 'defenceReasoning', 'performanceManner', 'performanceDeadline', 'paymentAccount', 'reconsiderationOrgan', 'court', 'drafter', 'draftReviewer', 'factors']) {
    const v = nonEmpty(d[k]);
    if (v) out[`decision.${k}`] = v;
  }
  out['decision.reconsiderationDays'] = String(typeof d.reconsiderationDays === 'number' ? d.reconsiderationDays : 60);
  out['decision.litigationMonths'] = String(typeof d.litigationMonths === 'number' ? d.litigationMonths : 6);
  out['reviews.count'] = String(detail.reviews.length);
  reviewValues('reviews.last', detail.reviews[detail.reviews.length - 1], out);
  const lastApproval = detail.approvals[detail.approvals.length - 1];
  if (lastApproval) {
    out['approvals.last.head'] = lastApproval.head;
    out['approvals.last.decisionLabel'] = APPROVAL_LABELS[lastApproval.decision];
    out['approvals.last.opinion'] = lastApproval.opinion;
    if (lastApproval.override && nonEmpty(lastApproval.overrideReason)) out['approvals.last.overrideReason'] = lastApproval.overrideReason!;
    if (lastApproval.reviewOutcome) out['approvals.last.reviewOutcomeLabel'] = OUTCOME_LABELS[lastApproval.reviewOutcome];
    out['approvals.last.decidedAt'] = chineseDate(lastApproval.decidedAt);
  }
  out['responsible.handler'] = detail.responsible.handler;
  if (detail.responsible.reviewer) out['responsible.reviewer'] = detail.responsible.reviewer;
  if (detail.responsible.approver) out['responsible.approver'] = detail.responsible.approver;
  if (detail.rereviewRequest) {
    out['rereview.request.reasons'] = detail.rereviewRequest.reasons;
    out['rereview.request.by'] = detail.rereviewRequest.by;
    out['rereview.request.at'] = chineseDate(detail.rereviewRequest.at);
  }
  if (detail.escalation) {
    out['escalation.reasons'] = detail.escalation.reasons;
    out['escalation.by'] = detail.escalation.by;
    out['escalation.at'] = chineseDate(detail.escalation.at);
  }
  for (const k of Object.keys(out)) if (out[k] === '') delete out[k];
  return out;
}

/** The fields offered for insertion: scalar fields with a value, in the order of the field table. */
export function insertableFields(fields: TemplateField[], values: Record<string, string>): (TemplateField & { value: string })[] {
  return fields.filter((f) => !f.path.includes('[]') && values[f.path] !== undefined).map((f) => ({ ...f, value: values[f.path] }));
}
