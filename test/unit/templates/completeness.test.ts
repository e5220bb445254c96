import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplateDir, renderTemplate } from '../../../main/core/documents/template';
import { buildTemplateData, type DecisionDraft, type TemplateData } from '../../../main/core/documents/fields';
import { checkPenaltyDecision, PENALTY_PART_LABELS, PENALTY_PARTS, unfilledPlaceholders, type PenaltyPart } from '../../../main/core/documents/completeness';
import type { DocModel } from '../../../main/core/documents/model';
import type { CaseDetail } from '../../../main/core/domain/views';
import { AGENCY, NOW, fullCase, fullDraft } from './fixture';

const template = loadTemplateDir(path.resolve(__dirname, '../../../templates')).get('penalty-decision')!;

interface Variant {
  draft?: Partial<DecisionDraft>;
  detail?: (c: CaseDetail) => void;
  /** Edit the data (what a drafter's form would hold) before checking / rendering. */
  data?: (d: TemplateData) => void;
  /** Edit the rendered model (what an editor could do to it). */
  model?: (m: DocModel) => void;
}

const sub = (c: CaseDetail) => c.submissions[c.submissions.length - 1];

/** How to make each part missing. */
const MISSING: Record<PenaltyPart, Variant> = {
  party_name: { detail: (c) => (sub(c).party.name = '') },
  party_address: { detail: (c) => (sub(c).party.address = '  ') },
  facts: { draft: { facts: '' }, detail: (c) => (sub(c).facts = '') },
  evidence: { draft: { evidence: [] }, detail: (c) => (sub(c).evidence = []) },
  legal_reasoning: { draft: { legalReasoning: undefined } },
  defence: { draft: { defenceReasoning: '' } },
  penalty_kind: { draft: { penaltyKind: undefined }, detail: (c) => (sub(c).proposedDecision = '') },
  penalty_basis: { draft: { penaltyBasis: undefined }, detail: (c) => (sub(c).legalBasis = []) },
  performance_manner: { draft: { performanceManner: undefined } },
  performance_deadline: { draft: { performanceDeadline: '' } },
  reconsideration: { draft: { reconsiderationOrgan: undefined } },
  litigation: { draft: { court: undefined } },
  agency: { data: (d) => (d.agency.name = ''), model: (m) => (m.signature.agency = '') },
  date: { data: (d) => (d.date = ''), model: (m) => (m.signature.date = '') },
};

function variant(v: Variant): { data: TemplateData; model: DocModel } {
  const c = fullCase();
  v.detail?.(c);
  const data = buildTemplateData(c, AGENCY, { now: NOW, docSerial: 12, draft: { ...fullDraft, ...v.draft } });
  const model = renderTemplate(template, data);
  v.data?.(data);
  v.model?.(model);
  return { data, model };
}

describe('checkPenaltyDecision', () => {
  it('a complete decision lacks nothing (data and rendered model)', async () => {
    const { data, model } = variant({});
    expect(checkPenaltyDecision(data)).toEqual([]);
    expect(checkPenaltyDecision(model)).toEqual([]);
    expect(unfilledPlaceholders(model)).toEqual([]);
  });

  it('covers every part the law and the reasoned style require', async () => {
    expect(PENALTY_PARTS).toHaveLength(14);
    expect(Object.keys(MISSING).sort()).toEqual([...PENALTY_PARTS].sort());
  });

  it.each(PENALTY_PARTS)('flags a missing %s — in the data and in the rendered decision', (part) => {
    const { data, model } = variant(MISSING[part]);
    const expected = [{ part, label: PENALTY_PART_LABELS[part] }];
    expect(checkPenaltyDecision(data)).toEqual(expected);
    expect(checkPenaltyDecision(model)).toEqual(expected);
  });

  it('flags a remedy period shorter than the law allows', async () => {
    const { data } = variant({ draft: { reconsiderationDays: 30, litigationMonths: 3 } });
    expect(checkPenaltyDecision(data)).toEqual([
      { part: 'reconsideration', label: PENALTY_PART_LABELS.reconsideration, detail: '复议期限为30日，不得少于六十日' },
      { part: 'litigation', label: PENALTY_PART_LABELS.litigation, detail: '诉讼期限为3个月，不得少于六个月' },
    ]);
  });

  it('flags a remedy paragraph an editor deleted', async () => {
    const { model } = variant({
      model: (m) => {
        m.blocks = m.blocks.filter((b) => b.type === 'table' || !b.text.includes('行政复议'));
      },
    });
    expect(checkPenaltyDecision(model).map((p) => p.part)).toEqual(['reconsideration', 'litigation']);
  });

  it('lists several missing parts in document order', async () => {
    const { model } = variant({ draft: { court: undefined, legalReasoning: undefined, performanceDeadline: undefined } });
    expect(checkPenaltyDecision(model).map((p) => p.label)).toEqual(['法律适用理由', '履行期限', '提起行政诉讼的途径和期限（六个月内，向人民法院）']);
  });
});

describe('unfilledPlaceholders', () => {
  it('finds markers in paragraphs, placeholder blocks, table cells and the header, in reading order', async () => {
    const m: DocModel = {
      kind: 'x',
      title: '标题',
      docNumber: '〔待填写：文号〕',
      blocks: [
        { type: 'paragraph', text: '无' },
        { type: 'placeholder', text: '履行期限：〔待填写：履行期限〕' },
        { type: 'table', rows: [['负责人', '〔待填写：负责人签名〕']] },
        { type: 'placeholder', text: '手工添加的待填写内容' },
      ],
      signature: { agency: '某局', date: '〔待填写：日期〕' },
    };
    expect(unfilledPlaceholders(m).map((p) => [p.label, p.where])).toEqual([
      ['文号', 'docNumber'],
      ['履行期限', 'blocks[1]'],
      ['负责人签名', 'blocks[2].rows[0][1]'],
      ['手工添加的待填写内容', 'blocks[3]'],
      ['日期', 'signature.date'],
    ]);
  });
});
