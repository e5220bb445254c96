// Drafting on real cases: previews from templates, append-only versions, finalisation with the
// completeness check and document numbers, comparisons, template copies and the clause library.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { fullDraft } from '../unit/templates/fixture';
import { submitCase, resubmitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import {
  createClause,
  diffCaseSubmissions,
  diffDocumentVersions,
  documentVersions,
  finalizeCheck,
  finalizeDocument,
  getTemplate,
  listClauses,
  listDocuments,
  previewDocument,
  saveDocument,
  saveTemplate,
} from '../../main/core/services/documents';
import { applySegments } from '../../main/core/documents/diff';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

async function approvedCase(caseNo = 'DOC-1') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，同意。' });
  await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
  return c;
}

describe('drafting', () => {
  it('the review opinion renders from the case with nothing left to fill', async () => {
    const c = await approvedCase();
    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    expect(p.placeholders).toEqual([]);
    const text = JSON.stringify(p.model);
    expect(text).toContain('法制审核意见书');
    expect(text).toContain('执法主体是否合法');
    expect(text).toContain('同意');
  });

  it('a penalty decision lists every missing part, and is refused as final until complete', async () => {
    const c = await approvedCase();
    const bare = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    expect(bare.missing.map((m) => m.label)).toEqual(expect.arrayContaining([expect.stringContaining('陈述'), expect.stringContaining('复议')]));
    await saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: bare.model, note: '初稿' });
    const msg = await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' }), 'VALIDATION');
    expect(msg).toContain('不能定稿');
    const full = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
    expect(full.missing).toEqual([]);
    await saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: full.model, draft: { ...fullDraft }, note: '补全' });
    const fin = await finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    expect(fin).toMatchObject({ version: 3, final: true, docNumber: '某市监罚〔2026〕1号' });
    expect(fin.model.docNumber).toBe('某市监罚〔2026〕1号');
    // numbers run on per year; a second case gets the next one
    const c2 = await approvedCase('DOC-2');
    const p2 = await previewDocument(f.core, f.handler, { caseId: c2.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
    await saveDocument(f.core, f.handler, { caseId: c2.id, templateId: 'penalty-decision', model: p2.model, draft: { ...fullDraft } });
    expect((await finalizeDocument(f.core, f.handler, { caseId: c2.id, templateId: 'penalty-decision' })).docNumber).toBe('某市监罚〔2026〕2号');
    expect((await listDocuments(f.core, f.handler, c.id))[0]).toMatchObject({ templateId: 'penalty-decision', versions: 3, finalVersion: 3, docNumber: '某市监罚〔2026〕1号' });
  });

  it('before 定稿 the core says whether the text is still the template pre-fill and whether a number will be taken', async () => {
    const c = await approvedCase();
    // An internal document: the untouched pre-fill is named; no number is taken.
    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    expect(await finalizeCheck(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model })).toEqual({
      untouched: true,
      takesNumber: false,
      year: 2026,
      docNumber: null,
      templateKind: 'internal',
    });
    const edited = structuredClone(p.model);
    const i = edited.blocks.findIndex((b) => b.type === 'paragraph');
    (edited.blocks[i] as { text: string }).text += '另建议加强普法宣传。';
    expect((await finalizeCheck(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: edited })).untouched).toBe(false);
    // Only white space moved, or the 落款 date: still nothing edited.
    const spaced = structuredClone(p.model);
    (spaced.blocks[i] as { text: string }).text = ` ${(spaced.blocks[i] as { text: string }).text}  `;
    spaced.signature.date = '2026年12月31日';
    expect((await finalizeCheck(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: spaced })).untouched).toBe(true);

    // An outward decision takes this year's next number until it has one; the drafter's fields are an edit.
    const bare = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    expect(await finalizeCheck(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: bare.model })).toMatchObject({ untouched: true, takesNumber: true, templateKind: 'external' });
    const full = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
    expect((await finalizeCheck(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: full.model })).untouched).toBe(false);
    await saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: full.model, draft: { ...fullDraft } });
    // Asking changes nothing: no version, no number.
    expect((await documentVersions(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' })).map((v) => v.final)).toEqual([false]);
    const fin = await finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    expect(fin.docNumber).toBe('某市监罚〔2026〕1号');
    expect(await finalizeCheck(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: fin.model })).toMatchObject({ takesNumber: false, docNumber: '某市监罚〔2026〕1号' });
    // Someone who may not draft is refused, and bad input too.
    expect(await refused(() => finalizeCheck(f.core, f.admin, { caseId: c.id, templateId: 'review-opinion', model: p.model }), 'FORBIDDEN')).toMatch(/[\u4e00-\u9fff]/);
    expect(await refused(() => finalizeCheck(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' }), 'VALIDATION')).toMatch(/[\u4e00-\u9fff]/);
  });

  it('versions are kept, never overwritten, and compared character by character', async () => {
    const c = await approvedCase();
    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model });
    const edited = structuredClone(p.model);
    const i = edited.blocks.findIndex((b) => b.type === 'paragraph');
    const before = (edited.blocks[i] as { text: string }).text;
    (edited.blocks[i] as { text: string }).text = `${before}另建议加强普法宣传。`;
    await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: edited, note: '补充建议' });
    expect((await documentVersions(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' })).map((v) => v.version)).toEqual([1, 2]);
    const d = await diffDocumentVersions(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', from: 1, to: 2 });
    const changed = d.blocks.filter((b) => b.op !== 'equal');
    expect(changed).toHaveLength(1);
    const segs = changed[0].segments!;
    expect(applySegments(segs, 'before')).toBe(before);
    expect(applySegments(segs, 'after')).toBe(`${before}另建议加强普法宣传。`);
    await expect((async () => f.core.db.exec("UPDATE document_versions SET model_json = '{}'"))()).rejects.toThrow(/IMMUTABLE/);
  });

  it('shows what changed since the case was returned', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告原件' };
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充检验报告原件'] });
    await resubmitCase(f.core, f.handler, { caseId: c.id, case: caseInput(f, { evidence: ['现场检查笔录', '抽样检验报告（原件）', '询问笔录'], fineAmount: '90000' }), changeNote: '补充原件' });
    const d = await diffCaseSubmissions(f.core, f.reviewer, { caseId: c.id, fromRound: 1, toRound: 2 });
    const fields = d.changes.map((ch) => ch.field);
    expect(fields).toEqual(expect.arrayContaining(['evidence', 'fine']));
    expect(fields).not.toContain('facts');
  });

  it('drafting needs a case the user may read and a drafting role', async () => {
    const c = await approvedCase();
    await refused(() => previewDocument(f.core, f.officer2, { caseId: c.id, templateId: 'review-opinion' }), 'FORBIDDEN');
    await refused(() => previewDocument(f.core, f.admin, { caseId: c.id, templateId: 'review-opinion' }), 'FORBIDDEN');
    await refused(() => previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'no-such-template' }), 'NOT_FOUND');
  });
});

describe('templates and clauses', () => {
  it('an administrator’s broken copy is refused with the place named, and the shipped template stays', async () => {
    const t = await getTemplate(f.core, f.admin, 'return-notice');
    const broken = t.source.replace('{{', '{{reviws.');
    const msg = await refused(() => saveTemplate(f.core, f.admin, { templateId: 'return-notice', source: broken }), 'VALIDATION');
    expect(msg).toMatch(/第\d+行/);
    expect((await getTemplate(f.core, f.admin, 'return-notice')).origin).toBe('shipped');
    await refused(() => saveTemplate(f.core, f.reviewer, { templateId: 'return-notice', source: t.source }), 'FORBIDDEN');
  });

  it('a valid copy is used from then on', async () => {
    const t = await getTemplate(f.core, f.admin, 'review-opinion');
    const copy = t.source.replace(/\n$/, '') + '\n本意见书一式两份。\n';
    expect((await saveTemplate(f.core, f.admin, { templateId: 'review-opinion', source: copy, note: '增加份数说明' })).origin).toBe('custom');
    const c = await approvedCase();
    expect(JSON.stringify((await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' })).model)).toContain('本意见书一式两份。');
  });

  it('the office keeps a clause library; handlers may use it but not change it', async () => {
    await createClause(f.core, f.reviewer, { category: '法理', title: '过罚相当', text: '根据《中华人民共和国行政处罚法》第五条，设定和实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。' });
    await refused(() => createClause(f.core, f.handler, { category: '情理', title: 'x', text: 'y' }), 'FORBIDDEN');
    await refused(() => createClause(f.core, f.reviewer, { category: '其他' as '情理', title: 'x', text: 'y' }), 'VALIDATION');
    expect((await listClauses(f.core)).map((c) => c.title)).toEqual(['过罚相当']);
  });
});
