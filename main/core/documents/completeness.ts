// Is a penalty decision complete? 行政处罚法 第五十九条 lists what a decision must state; the reasoned
// style (说理式, 000 四(四)1) adds the legal reasoning and why the party's statements and defence were or
// were not adopted. Works on the drafter's data (TemplateData, before rendering) or on a rendered /
// edited DocModel (placeholders left by `fill`, the remedy wording, the signature).
import type { Block, DocModel } from './model';
import type { TemplateData } from './fields';
import { isValidDate } from '../domain/calendar/cst';
import { PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN } from './template';

export const PENALTY_PARTS = [
  'party_name',
  'party_address',
  'facts',
  'evidence',
  'legal_reasoning',
  'defence',
  'penalty_kind',
  'penalty_basis',
  'performance_manner',
  'performance_deadline',
  'reconsideration',
  'litigation',
  'agency',
  'date',
] as const;
export type PenaltyPart = (typeof PENALTY_PARTS)[number];

/** Chinese names of the required parts, as shown to the drafter. */
export const PENALTY_PART_LABELS: Record<PenaltyPart, string> = {
  party_name: '当事人的姓名或者名称',
  party_address: '当事人的住所（地址）',
  facts: '违法事实',
  evidence: '主要证据',
  legal_reasoning: '法律适用理由',
  defence: '对当事人陈述、申辩的采纳情况及理由',
  penalty_kind: '行政处罚的种类',
  penalty_basis: '行政处罚的依据',
  performance_manner: '履行方式',
  performance_deadline: '履行期限',
  reconsideration: '申请行政复议的途径和期限（六十日内，向复议机关）',
  litigation: '提起行政诉讼的途径和期限（六个月内，向人民法院）',
  agency: '作出决定的行政机关名称',
  date: '作出决定的日期',
};

/** The `fill` labels of templates/penalty-decision.txt that stand for each part. */
const PLACEHOLDER_PARTS: Record<string, PenaltyPart> = {
  当事人姓名或者名称: 'party_name',
  '当事人住所（地址）': 'party_address',
  违法事实: 'facts',
  主要证据: 'evidence',
  法律适用理由: 'legal_reasoning',
  '对当事人陈述、申辩的采纳情况及理由': 'defence',
  行政处罚的种类: 'penalty_kind',
  行政处罚的依据: 'penalty_basis',
  履行方式: 'performance_manner',
  履行期限: 'performance_deadline',
  行政复议机关: 'reconsideration',
  管辖的人民法院: 'litigation',
};

export interface MissingPart {
  part: PenaltyPart;
  /** Chinese name of the part. */
  label: string;
  /** What exactly is wrong, when more than "missing". */
  detail?: string;
}

export interface Placeholder {
  /** The label inside 〔待填写：……〕. */
  label: string;
  /** Where: 'title' | 'docNumber' | 'recipient' | 'signature' | 'blocks[3]' | 'blocks[5].rows[2][1]'. */
  where: string;
  /** The block (or field) text that holds it. */
  text: string;
}

const PLACEHOLDER_RE = new RegExp(`${PLACEHOLDER_OPEN}([^${PLACEHOLDER_CLOSE}]*)${PLACEHOLDER_CLOSE}`, 'g');

function labelsIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_RE)].map((m) => m[1]);
}

/** Every 〔待填写：……〕 left in a document, in reading order (a finalised document has none). */
export function unfilledPlaceholders(model: DocModel): Placeholder[] {
  const out: Placeholder[] = [];
  const scan = (text: string | undefined, where: string) => {
    if (!text) return;
    for (const label of labelsIn(text)) out.push({ label, where, text });
  };
  scan(model.title, 'title');
  scan(model.docNumber, 'docNumber');
  scan(model.recipient, 'recipient');
  model.blocks.forEach((b: Block, i) => {
    if (b.type === 'table') {
      b.rows.forEach((row, r) => row.forEach((cell, c) => scan(cell, `blocks[${i}].rows[${r}][${c}]`)));
    } else if (b.type === 'placeholder' && labelsIn(b.text).length === 0) {
      // A placeholder block typed by hand, without the marker, is still unfilled.
      out.push({ label: b.text, where: `blocks[${i}]`, text: b.text });
    } else {
      scan(b.text, `blocks[${i}]`);
    }
  });
  scan(model.signature.agency, 'signature.agency');
  scan(model.signature.date, 'signature.date');
  return out;
}

const blank = (s: string | undefined | null): boolean => !s || s.trim() === '';
const CN_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/;

function fromData(d: TemplateData): PenaltyPart[] {
  const x = d.decision;
  const missing: PenaltyPart[] = [];
  if (blank(d.party.name)) missing.push('party_name');
  if (blank(d.party.address)) missing.push('party_address');
  if (blank(x.facts)) missing.push('facts');
  if (x.evidence.filter((e) => !blank(e)).length === 0) missing.push('evidence');
  if (blank(x.legalReasoning)) missing.push('legal_reasoning');
  if (blank(x.defenceReasoning)) missing.push('defence');
  if (blank(x.penaltyKind)) missing.push('penalty_kind');
  if (blank(x.penaltyBasis)) missing.push('penalty_basis');
  if (blank(x.performanceManner)) missing.push('performance_manner');
  if (blank(x.performanceDeadline)) missing.push('performance_deadline');
  if (blank(x.reconsiderationOrgan) || !(x.reconsiderationDays >= 60)) missing.push('reconsideration');
  if (blank(x.court) || !(x.litigationMonths >= 6)) missing.push('litigation');
  if (blank(d.agency.name)) missing.push('agency');
  if (!isValidDate(d.date)) missing.push('date');
  return missing;
}

function fromModel(m: DocModel): PenaltyPart[] {
  const missing = new Set<PenaltyPart>();
  for (const p of unfilledPlaceholders(m)) {
    const part = PLACEHOLDER_PARTS[p.label];
    if (part) missing.add(part);
  }
  const texts = m.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : [b.text]));
  const all = texts.join('\n');
  // The party lines (当事人：… / 住所（地址）：…) must be there and not empty.
  const lineValue = (prefix: RegExp) => texts.map((t) => prefix.exec(t)).find((x) => x)?.[1];
  if (blank(lineValue(/^当事人[:：]\s*(.*)$/))) missing.add('party_name');
  if (blank(lineValue(/^(?:住所|住址|地址)(?:（地址）)?[:：]\s*(.*)$/))) missing.add('party_address');
  // An editor may have deleted the remedy paragraph rather than leaving a placeholder.
  if (!(/行政复议/.test(all) && /(六十|60)日/.test(all))) missing.add('reconsideration');
  if (!(/行政诉讼/.test(all) && /(六|6)个月/.test(all))) missing.add('litigation');
  if (blank(m.signature.agency) || labelsIn(m.signature.agency).length) missing.add('agency');
  if (!CN_DATE.test(m.signature.date.trim())) missing.add('date');
  return PENALTY_PARTS.filter((p) => missing.has(p));
}

/**
 * The required parts a penalty decision still lacks, in the order they appear in the decision.
 * Empty when the decision may be finalised.
 */
export function checkPenaltyDecision(input: DocModel | TemplateData): MissingPart[] {
  const parts = 'blocks' in input ? fromModel(input) : fromData(input);
  return parts.map((part) => {
    const out: MissingPart = { part, label: PENALTY_PART_LABELS[part] };
    if (!('blocks' in input)) {
      const x = input.decision;
      if (part === 'reconsideration' && !blank(x.reconsiderationOrgan)) out.detail = `复议期限为${x.reconsiderationDays}日，不得少于六十日`;
      if (part === 'litigation' && !blank(x.court)) out.detail = `诉讼期限为${x.litigationMonths}个月，不得少于六个月`;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// The drafting record (003 第十六条): 草拟行政执法决定时的文字记录应载明起草人、起草机构审查人、决定形成的
// 法律依据、证据材料、应考虑的有关因素. Required at 定稿 of every outward decision document (template kind
// `external`); printed on the approval form (draftingRecord.*).

export const DRAFTING_RECORD_PARTS = ['drafter', 'draft_reviewer', 'basis', 'evidence', 'factors'] as const;
export type DraftingRecordPart = (typeof DRAFTING_RECORD_PARTS)[number];

export const DRAFTING_RECORD_LABELS: Record<DraftingRecordPart, string> = {
  drafter: '起草记录：起草人',
  draft_reviewer: '起草记录：起草机构审查人',
  basis: '起草记录：决定形成的法律依据',
  evidence: '起草记录：证据材料',
  factors: '起草记录：应考虑的有关因素',
};

export interface MissingRecordPart {
  part: DraftingRecordPart;
  label: string;
  detail?: string;
}

/** What `checkDraftingRecord` reads: the template data's decision (drafter's data with the submission's defaults) or a record. */
type RecordInput = Pick<TemplateData, 'decision'> | import('./fields').DraftingRecordData;

/**
 * The parts of the drafting record still missing, in the order of 第十六条. Empty when the decision may
 * be finalised. The reviewer in the drafting unit must be someone other than the drafter: a draft
 * reviewed by its own author has not been reviewed.
 */
export function checkDraftingRecord(input: RecordInput): MissingRecordPart[] {
  const r =
    'decision' in input
      ? { drafter: input.decision.drafter, draftReviewer: input.decision.draftReviewer, basis: input.decision.penaltyBasis, evidence: input.decision.evidence, factors: input.decision.factors }
      : input;
  const out: MissingRecordPart[] = [];
  const add = (part: DraftingRecordPart, detail?: string) => out.push({ part, label: DRAFTING_RECORD_LABELS[part], ...(detail ? { detail } : {}) });
  if (blank(r.drafter)) add('drafter');
  if (blank(r.draftReviewer)) add('draft_reviewer');
  else if (!blank(r.drafter) && r.draftReviewer!.trim() === r.drafter!.trim()) add('draft_reviewer', '起草机构审查人不能是起草人本人');
  if (blank(r.basis)) add('basis');
  if (!(r.evidence ?? []).some((e) => !blank(e))) add('evidence');
  if (blank(r.factors)) add('factors');
  return out;
}
