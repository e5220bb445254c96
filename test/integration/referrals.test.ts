// Issue 15, point 3: criterion 7 reads as its question asks, a suspected crime refuses 同意 (不得以罚代刑)
// and opens the case's criminal referral — report, the principal head's decision within 3 days, the
// transfer within 24 hours — shown on the case and in the opinion; every document says each thing once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, queue, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decideReferral, reportReferral, transferReferral } from '../../main/core/services/referrals';
import { previewDocument } from '../../main/core/services/documents';
import { verifyChain } from '../../main/core/services/audit';
import { modelToText } from '../../main/core/documents/template';
import { findingLabel } from '../../main/core/domain/types';
import type { DocModel } from '../../main/core/documents/model';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { finalOpinion } from '../helpers/opinion';
import { createTrialIdentityFor, downloadIssued, issueDocument } from '../../main/core/services/issue';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const count = async (table: string) => Number(await f.core.db.value(`SELECT COUNT(*) FROM ${table}`));

/** Nine findings with criterion 7 答 涉嫌犯罪，应当移送. */
const crimeFindings = () => {
  const x = allConform();
  x[6] = { criterion: 7, result: 'nonconform', reason: '当事人销售伪劣产品货值金额已达十五万元，涉嫌生产、销售伪劣产品罪' };
  return x;
};

async function crimeCase(outcome: 'disagree' | 'return' = 'disagree') {
  const c = await submitCase(f.core, f.handler, caseInput(f));
  await takeCase(f.core, f.reviewer, c.id);
  const opinion = '经审核，当事人的违法行为涉嫌犯罪，应当移送公安机关依法处理，不同意以行政处罚代替刑事追究。';
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: crimeFindings(), outcome, opinion, requests: outcome === 'return' ? ['移送前补充货值金额的鉴定意见'] : [] });
  return c;
}

/** Every paragraph (and table row) of a document as text, the signature block included. */
const linesOf = (m: DocModel) => modelToText(m).split('\n').map((l) => l.trim()).filter(Boolean);

describe('criterion 7 and 不得以罚代刑', () => {
  it('labels criterion 7 as its question asks, the others as before', () => {
    expect([findingLabel(7, 'conform'), findingLabel(7, 'nonconform'), findingLabel(7, 'needs_correction')]).toEqual(['不涉嫌犯罪', '涉嫌犯罪，应当移送', '需进一步核实']);
    expect([findingLabel(6, 'conform'), findingLabel(6, 'nonconform'), findingLabel(6, 'needs_correction')]).toEqual(['符合', '不符合', '需补正']);
  });

  it('refuses 同意 with a suspected crime, saying 不得以罚代刑, and saves nothing', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const msg = await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: crimeFindings(), outcome: 'agree', opinion: '' }), 'AGREE_WITH_DEFECTS');
    expect(msg).toContain('不得以罚代刑');
    expect(msg).toContain('第7项');
    expect(await count('review_rounds')).toBe(0);
    expect(await count('referrals')).toBe(0);
  });

  it('a finding of 需进一步核实 counts as 需补正 and opens no referral', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const x = allConform();
    x[6] = { criterion: 7, result: 'needs_correction', reason: '货值金额尚待鉴定' };
    const msg = await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: x, outcome: 'agree', opinion: '' }), 'AGREE_WITH_DEFECTS');
    expect(msg).toContain('第7项');
    const d = await issueReview(f.core, f.reviewer, { caseId: c.id, findings: x, outcome: 'return', opinion: '', requests: ['补充货值金额的鉴定意见'] });
    expect(d.referral).toBeNull();
    expect(await count('referrals')).toBe(0);
  });
});

describe('the referral record', () => {
  it('opens with the review that finds a suspected crime, whatever its outcome, once per case', async () => {
    const c = await crimeCase('return');
    const d = await caseDetail(f.core, f.handler, c.id);
    expect(d.referral).toMatchObject({ state: 'awaiting_report', stateLabel: '待承办人提出移送涉嫌犯罪案件的书面报告', report: null, decision: null, transfer: null, clocks: [], actions: ['report'] });
    expect(d.referral!.reviewId).toBe(d.reviews[0].id);
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === c.id)?.reason).toBe('涉嫌犯罪：待您提出移送的书面报告');
    expect((await caseDetail(f.core, f.head, c.id)).referral!.actions).toEqual([]);
    const ev = JSON.parse((await f.core.db.value<string>("SELECT payload_json FROM events WHERE action = 'review.issue'"))!);
    expect(ev.referralId).toBe(d.referral!.id);
    expect(d.timeline.find((t) => t.action === 'review.issue')?.summary ?? '').toContain('启动移送涉嫌犯罪案件程序');
    expect(await count('referrals')).toBe(1);
  });

  it('runs report → decision within 3 days → transfer within 24 hours, each clock shown and stopped by its step', async () => {
    const c = await crimeCase();
    // 2026-11-23 10:00 China time: the report; the head's decision is due within 3 days (自然日, the day of the report not counted).
    let d = await reportReferral(f.core, f.handler, { caseId: c.id, report: '专案组核实：货值金额十五万元，已达立案追诉标准，建议移送。' });
    expect(d.referral!.state).toBe('awaiting_decision');
    expect(d.referral!.actions).toEqual([]);
    const decisionClock = d.clocks.find((k) => k.kind === 'referral_decision')!;
    expect(decisionClock).toMatchObject({ label: '批准移送涉嫌犯罪案件的决定（3日）', unit: 'natural', due: '2026-11-26', state: 'ok' });
    expect(d.referral!.clocks.map((k) => k.kind)).toEqual(['referral_decision']);
    expect((await caseDetail(f.core, f.head, c.id)).referral!.actions).toEqual(['decide']);
    // The 待办 says whose step it is: the head's now, no longer the handler's.
    const reasonFor = async (a: typeof f.head) => (await queue(f.core, a)).items.find((i) => i.id === c.id)?.reason;
    expect(await reasonFor(f.head)).toBe('涉嫌犯罪案件待您决定是否批准移送（3日内）');
    expect(await reasonFor(f.handler)).not.toContain('移送');

    f.clock.now = new Date('2026-11-25T06:00:00Z');
    d = await decideReferral(f.core, f.head, { caseId: c.id, decision: 'approve', reason: '同意移送市公安局。' });
    expect(d.referral).toMatchObject({ state: 'awaiting_transfer', decision: { decision: 'approve', decisionLabel: '批准移送', by: '赵局长' } });
    expect(d.clocks.find((k) => k.kind === 'referral_decision')!.state).toBe('done');
    const transferClock = d.clocks.find((k) => k.kind === 'referral_transfer')!;
    expect(transferClock).toMatchObject({ unit: 'hours', due: '2026-11-26T06:00:00.000Z', remainingLabel: '剩余24小时' });

    expect((await queue(f.core, f.handler)).items.find((i) => i.id === c.id)?.reason).toBe('已批准移送：待您24小时内移送公安机关');
    f.clock.now = new Date('2026-11-25T08:00:00Z');
    d = await transferReferral(f.core, f.handler, { caseId: c.id, police: '某市公安局', procuratorate: '某市人民检察院', supervisory: '某市监察委员会', note: '移送案卷一宗' });
    expect(d.referral).toMatchObject({ state: 'transferred', stateLabel: '已移送公安机关', transfer: { police: '某市公安局', procuratorate: '某市人民检察院', supervisory: '某市监察委员会' } });
    expect(d.clocks.filter((k) => k.kind.startsWith('referral_')).every((k) => k.state === 'done')).toBe(true);
    expect(d.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['referral.report', 'referral.decide', 'referral.transfer']));
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('refuses the wrong person, the wrong order and a step twice, changing nothing', async () => {
    const c = await crimeCase();
    const steps = () => count('referral_steps');
    // Order: no decision or transfer before the report.
    expect(await refused(() => decideReferral(f.core, f.head, { caseId: c.id, decision: 'approve', reason: '同意' }), 'BAD_STATE')).toContain('尚未提出');
    expect(await refused(() => transferReferral(f.core, f.handler, { caseId: c.id, police: '某市公安局', procuratorate: '某市人民检察院' }), 'BAD_STATE')).toContain('尚未批准');
    // Role and relation: only the case's handler reports, only an agency head decides.
    await refused(() => reportReferral(f.core, f.reviewer, { caseId: c.id, report: '报告' }), 'FORBIDDEN');
    expect(await refused(() => reportReferral(f.core, f.officer, { caseId: c.id, report: '报告' }), 'FORBIDDEN')).toContain('只有本案承办人');
    expect(await refused(() => reportReferral(f.core, f.handler, { caseId: c.id, report: '  ' }), 'VALIDATION')).toContain('书面报告');
    expect(await steps()).toBe(0);
    await reportReferral(f.core, f.handler, { caseId: c.id, report: '建议移送。' });
    expect(await refused(() => reportReferral(f.core, f.handler, { caseId: c.id, report: '再次报告' }), 'CONFLICT')).toContain('不能重复');
    await refused(() => decideReferral(f.core, f.handler, { caseId: c.id, decision: 'approve', reason: '同意' }), 'FORBIDDEN');
    await refused(() => decideReferral(f.core, f.reviewer, { caseId: c.id, decision: 'approve', reason: '同意' }), 'FORBIDDEN');
    expect(await steps()).toBe(1);
    // 不批准: the reasons recorded, and nothing is transferred.
    const d = await decideReferral(f.core, f.head, { caseId: c.id, decision: 'reject', reason: '货值金额的鉴定意见不足以认定达到追诉标准。' });
    expect(d.referral).toMatchObject({ state: 'not_approved', decision: { decisionLabel: '不批准移送' } });
    expect(d.clocks.some((k) => k.kind === 'referral_transfer')).toBe(false);
    expect(await refused(() => decideReferral(f.core, f.head, { caseId: c.id, decision: 'approve', reason: '改为同意' }), 'CONFLICT')).toContain('不能重复');
    expect(await refused(() => transferReferral(f.core, f.handler, { caseId: c.id, police: '某市公安局', procuratorate: '某市人民检察院' }), 'BAD_STATE')).toContain('不批准');
    expect(await steps()).toBe(2);
    // A case without a referral has none to report on.
    const plain = await submitCase(f.core, f.handler, caseInput(f, { caseNo: '某市监罚立〔2026〕102号' }));
    expect(await refused(() => reportReferral(f.core, f.handler, { caseId: plain.id, report: '报告' }), 'BAD_STATE')).toContain('没有移送');
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('refuses an UPDATE of a referral step (append-only) on both engines', async () => {
    const c = await crimeCase();
    await reportReferral(f.core, f.handler, { caseId: c.id, report: '建议移送。' });
    await expect(f.core.db.run("UPDATE referral_steps SET text = '改过的报告'")).rejects.toThrow();
    await expect(f.core.db.run('DELETE FROM referrals')).rejects.toThrow();
  });
});

describe('the 法制审核意见书 says each thing once', () => {
  it('names the reviewer once, states the conclusion once and lists the referral', async () => {
    const c = await crimeCase();
    const { model } = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    const lines = linesOf(model);
    const twice = lines.filter((l, i) => lines.indexOf(l) !== i);
    expect(twice).toEqual([]);
    const text = lines.join('\n');
    expect(text.split('王审核').length - 1).toBe(1);
    expect(model.signature.signer).toEqual({ role: '审核人', name: '王审核' });
    // Issuing replaces the 落款's signer line with the signer's own (services/issue.ts): the body names nobody again.
    expect(JSON.stringify(model.blocks)).not.toContain('王审核');
    expect(lines.filter((l) => l.startsWith('经审核'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('审核结论'))).toHaveLength(1);
    expect(text).toContain('| 七 | 违法行为是否涉嫌犯罪需要移送司法机关 | 涉嫌犯罪，应当移送 |');
    expect(text).toContain('不得以罚代刑');
    expect(text).toContain('待承办人提出移送涉嫌犯罪案件的书面报告');
  });

  it('an 同意 without the reviewer’s own words gets the generated sentence once; with them, only theirs', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '' });
    let lines = linesOf((await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' })).model);
    expect(lines.filter((l, i) => lines.indexOf(l) !== i)).toEqual([]);
    expect(lines.filter((l) => l.startsWith('经审核'))).toEqual(['经审核，本案执法主体合法，行政相对人认定准确，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，执法文书规范。']);
    expect(lines).toContain('审核结论：同意。');
    expect(lines.join('\n')).toContain('| 七 | 违法行为是否涉嫌犯罪需要移送司法机关 | 不涉嫌犯罪 |');
    expect(lines.join('\n')).not.toContain('不得以罚代刑');

    const c2 = await submitCase(f.core, f.handler, caseInput(f, { caseNo: '某市监罚立〔2026〕103号' }));
    await takeCase(f.core, f.reviewer, c2.id);
    await issueReview(f.core, f.reviewer, { caseId: c2.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，同意' });
    lines = linesOf((await previewDocument(f.core, f.reviewer, { caseId: c2.id, templateId: 'review-opinion' })).model);
    expect(lines.filter((l) => l.startsWith('经审核'))).toEqual(['经审核，事实清楚，证据确凿，同意。']);
    expect(lines.filter((l, i) => lines.indexOf(l) !== i)).toEqual([]);
  });

  it('the issued PDF names the reviewer once (the signature block) and says 经审核 and 审核结论 once', async () => {
    const c = await finalOpinion(f);
    await createTrialIdentityFor(f.core, f.reviewer);
    const files = await issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    const pdf = Buffer.from((await downloadIssued(f.core, f.reviewer, files[0].id)).base64, 'base64');
    const out = path.join(f.dir, 'issued-opinion.pdf');
    fs.writeFileSync(out, pdf);
    const text = execFileSync('pdftotext', ['-raw', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text.match(/王审核/g)).toHaveLength(1);
    expect(text).toContain('法制审核人员：王审核');
    expect(text.match(/经审核/g)).toHaveLength(1);
    expect(text.match(/审核结论/g)).toHaveLength(1);
    expect(text).toContain('不涉嫌犯罪');
  });
});
