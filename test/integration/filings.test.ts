// Issue 13, point 3: 备案. A major decision is filed with the government on its 备案报告, issued through the
// gate as one signed file with the decision, the review and the approval inside it; the filing and each
// recipient's response are recorded, and a 责令改正 stays open on the case until its correction is
// recorded. A catalog change is a proposal that takes effect only once its filing is recorded.
import { execFileSync } from 'node:child_process';
import { PDFDocument } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { recordService } from '../../main/core/services/enforcement';
import { refused } from '../helpers/refuse';
import { fullDraft } from '../unit/templates/fixture';
import { caseDetail, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { queue } from '../../main/core/services/queue';
import { verifyChain } from '../../main/core/services/audit';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { createTrialIdentityFor, downloadIssued, issueDocument, verifyBytes } from '../../main/core/services/issue';
import { correctFiling, filingPackageFile, recordFiling, respondFiling, updateFilingSettings } from '../../main/core/services/filings';
import { catalogAdminView, catalogInForce, fileCatalog, proposeCatalog, respondCatalogFiling } from '../../main/core/services/catalog';
import { verifyPdf } from '../../main/core/documents/verify';
import { PDF_HEAD_KEY } from '../../main/core/services/checkpoints';
import { DEFAULT_CATALOG } from '../../main/core/domain/catalog';
import type { Actor } from '../../main/core/services/core';
import type { CatalogItem } from '../../main/core/domain/views';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

async function approved() {
  const c = await submitCase(f.core, f.handler, caseInput(f, { fineAmount: '80000' }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
  return c.id;
}

async function draftAndFinalise(as: Actor, caseId: number, templateId: string, draft?: Record<string, unknown>) {
  const p = await previewDocument(f.core, as, { caseId, templateId, ...(draft && { draft }) });
  await saveDocument(f.core, as, { caseId, templateId, model: p.model, ...(draft && { draft }) });
  await finalizeDocument(f.core, as, { caseId, templateId });
}

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
const today = '2026-11-23';

describe('filing a major decision (备案)', () => {
  it('issues the 备案报告 as one signed package, records the filing, the responses and the correction', async () => {
    const id = await approved();
    expect((await queue(f.core, f.legalHead)).items.find((i) => i.id === id)?.reason).toBe('重大执法决定已批准，待报送备案');
    let d = await caseDetail(f.core, f.legalHead, id);
    expect(d.filing).toMatchObject({ unfiledPackage: null, filings: [], canRecord: true, defaultRecipients: ['区人民政府（区司法局）', '市级主管部门'], revoked: false });
    expect((await caseDetail(f.core, f.handler, id)).filing?.canRecord).toBe(false);

    // Nothing to file yet; a package without the decision document is refused at issue.
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: today, recipients: ['区人民政府（区司法局）'] }), 'BAD_STATE')).toContain('备案报告');
    await updateFilingSettings(f.core, f.admin, { recipients: ['某区人民政府', '市市场监督管理局'] });
    await draftAndFinalise(f.legalHead, id, 'filing-report');
    await createTrialIdentityFor(f.core, f.legalHead);
    expect(await refused(() => issueDocument(f.core, f.legalHead, { caseId: id, templateId: 'filing-report' }), 'BAD_STATE')).toContain('请先签发行政处罚决定书');
    expect(await refused(() => issueDocument(f.core, f.handler, { caseId: id, templateId: 'filing-report' }), 'FORBIDDEN')).toContain('法制机构负责人');

    await draftAndFinalise(f.handler, id, 'penalty-decision', { ...fullDraft });
    await createTrialIdentityFor(f.core, f.head);
    await issueDocument(f.core, f.head, { caseId: id, templateId: 'penalty-decision' });
    // Its first issue starts the 7-working-day service clock (行政处罚法 第六十一条): Monday 23 November → 2 December.
    expect((await caseDetail(f.core, f.handler, id)).clocks.find((c) => c.kind === 'service')).toMatchObject({ unit: 'working', start: '2026-11-23', due: '2026-12-02', state: 'ok' });
    // Served by naming the issued decision (a document named only in words does not stop the clock).
    const [decision] = (await caseDetail(f.core, f.handler, id)).enforcement!.toServe;
    await recordService(f.core, f.handler, { caseId: id, documentId: decision.documentId, method: 'direct', recipient: '某科技有限公司', servedOn: today, server: '张承办', signer: '李某（法定代表人）' });
    expect((await caseDetail(f.core, f.handler, id)).clocks.find((c) => c.kind === 'service')?.state).toBe('done');
    const files = await issueDocument(f.core, f.legalHead, { caseId: id, templateId: 'filing-report' });
    const pkg = Buffer.from((await downloadIssued(f.core, f.legalHead, files.find((x) => x.format === 'pdf')!.id)).base64, 'base64');
    expect(Buffer.from((await filingPackageFile(f.core, f.legalHead, id)).base64, 'base64').equals(pkg)).toBe(true);

    // One signature over the whole file; the chain head at issue inside it; the enclosures inside it too.
    const v = await verifyBytes(f.core, pkg);
    expect(v).toMatchObject({ status: '签名有效', coversWholeDocument: true, signer: '周法制' });
    expect(verifyPdf(pkg).signatures).toHaveLength(1);
    expect(pkg.includes(`/${PDF_HEAD_KEY}`)).toBe(true);
    const text = pdfText(pkg);
    for (const words of ['重大行政执法决定备案报告', '某区人民政府、市市场监督管理局', '备案材料目录', '行政处罚决定书', '法制审核记录', '审批记录']) expect(text).toContain(words);
    expect((await PDFDocument.load(pkg)).getPageCount()).toBeGreaterThanOrEqual(5);

    d = await caseDetail(f.core, f.legalHead, id);
    expect(d.filing?.unfiledPackage?.name).toBe(files.find((x) => x.format === 'pdf')!.name);

    // Recording the filing: the dates, the recipients, who records it.
    const recipients = ['某区人民政府', '市市场监督管理局'];
    expect(await refused(() => recordFiling(f.core, f.handler, { caseId: id, filedOn: today, recipients }), 'FORBIDDEN')).toBeTruthy();
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: '2026-11-24', recipients }), 'VALIDATION')).toContain('不能晚于今天');
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: '2026-11-20', recipients }), 'VALIDATION')).toContain('不能早于备案报告的签发日期');
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: today, recipients: [] }), 'VALIDATION')).toContain('至少一个备案接收机关');
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: today, recipients: ['甲', '甲'] }), 'VALIDATION')).toContain('不能重复');
    d = await recordFiling(f.core, f.legalHead, { caseId: id, filedOn: today, recipients, note: '随文报送' });
    expect(d.filing?.unfiledPackage).toBeNull();
    const filing = d.filing!.filings[0];
    expect(filing).toMatchObject({ filedOn: today, recipients, awaiting: recipients, responses: [] });
    expect(await refused(() => recordFiling(f.core, f.legalHead, { caseId: id, filedOn: today, recipients }), 'CONFLICT')).toContain('已登记报送');
    expect((await queue(f.core, f.legalHead)).items.find((i) => i.id === id && i.reason.includes('备案'))).toBeUndefined();

    // Responses: one per recipient, of a recipient of this filing; an order states what is wrong.
    const respond = (over: Record<string, unknown>) => respondFiling(f.core, f.legalHead, { filingId: filing.id, recipient: '某区人民政府', result: 'correct', receivedOn: today, text: '罚款数额的裁量理由不充分，请补充说明。', ...over });
    expect(await refused(() => respond({ recipient: '省政府' }), 'VALIDATION')).toContain('不是本次备案的接收机关');
    expect(await refused(() => respond({ text: '' }), 'VALIDATION')).toContain('请填写备案监督机关的审查意见');
    expect(await refused(() => respond({ receivedOn: '2026-11-22' }), 'VALIDATION')).toContain('不能早于报送备案日期');
    d = await respond({});
    expect(await refused(() => respond({ result: 'accepted' }), 'CONFLICT')).toContain('已登记');
    d = await respondFiling(f.core, f.legalHead, { filingId: filing.id, recipient: '市市场监督管理局', result: 'accepted', receivedOn: today });
    expect(d.filing!.filings[0].awaiting).toEqual([]);
    expect(d.filing!.filings[0].responses.map((r) => r.resultLabel)).toEqual(['责令改正', '准予备案']);

    // The order is open on the case until the handler (or the legal office head) records the correction.
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === id)?.reason).toBe('备案监督机关责令改正，待登记改正情况');
    const order = d.filing!.filings[0].responses[0];
    expect((await caseDetail(f.core, f.handler, id)).filing!.filings[0].responses[0].canCorrect).toBe(true);
    expect(await refused(() => correctFiling(f.core, f.officer, { responseId: order.id, text: '已补充' }), 'FORBIDDEN')).toContain('承办人或法制机构负责人');
    expect(await refused(() => correctFiling(f.core, f.handler, { responseId: d.filing!.filings[0].responses[1].id, text: '无' }), 'BAD_STATE')).toContain('不是责令改正');
    d = await correctFiling(f.core, f.handler, { responseId: order.id, text: '已补充罚款裁量理由的书面说明，并报送备案监督机关。' });
    expect(d.filing!.filings[0].responses[0].correction?.text).toContain('补充罚款裁量理由');
    expect(await refused(() => correctFiling(f.core, f.handler, { responseId: order.id, text: '再次' }), 'CONFLICT')).toContain('已登记改正情况');
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === id && i.reason.includes('备案'))).toBeUndefined();
    expect(d.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['filing.record', 'filing.respond', 'filing.correct']));
    expect((await verifyChain(f.core)).ok).toBe(true);
  });
});

describe('catalog changes take effect on filing (001 附件3 第八条)', () => {
  const raised = (): CatalogItem[] => DEFAULT_CATALOG.items.map((i) => (i.code === 'penalty.fine_org' ? { ...i, label: '对法人或其他组织处以100000元以上罚款', minFineFen: 10_000_000 } : i));

  it('a proposal is not in force until its filing is recorded; a revocation restores the version before it', async () => {
    const base = await catalogInForce(f.core);
    expect(await refused(() => proposeCatalog(f.core, f.handler, { baseVersion: base.version, items: raised(), note: '提高罚款标准' }), 'FORBIDDEN')).toBeTruthy();
    expect(await refused(() => proposeCatalog(f.core, f.admin, { baseVersion: base.version, items: base.items, note: '无变化' }), 'VALIDATION')).toContain('相同');
    expect(await refused(() => proposeCatalog(f.core, f.admin, { baseVersion: base.version - 1, items: raised(), note: 'x' }), 'STALE')).toContain(`第${base.version}版`);
    expect(await refused(() => proposeCatalog(f.core, f.admin, { baseVersion: base.version, items: [...raised(), raised()[0]], note: 'x' }), 'VALIDATION')).toContain('重复');
    expect(await refused(() => proposeCatalog(f.core, f.admin, { baseVersion: base.version, items: [{ code: 'penalty.x', kind: 'penalty', label: '甲', minFineFen: 100 }], note: 'x' }), 'VALIDATION')).toContain('当事人类型');
    expect(await refused(() => proposeCatalog(f.core, f.admin, { baseVersion: base.version, items: [{ code: 'penalty.x', kind: 'penalty', label: '甲', extra: 1 }], note: 'x' }), 'VALIDATION')).toBeTruthy();

    let view = await proposeCatalog(f.core, f.admin, { baseVersion: base.version, items: raised(), note: '提高对组织罚款的审核标准' });
    const proposal = view.proposals[0];
    expect(proposal).toMatchObject({ state: 'pending', filing: null, changes: ['修改事项：对法人或其他组织处以50000元以上罚款 → 对法人或其他组织处以100000元以上罚款（penalty.fine_org）'] });
    // Not in force yet: an 80,000 yuan fine on an organisation is still major under the version in force.
    expect((await catalogInForce(f.core)).version).toBe(base.version);
    const before = await submitCase(f.core, f.handler, caseInput(f, { fineAmount: '80000' }));
    expect((await caseDetail(f.core, f.handler, before.id)).catalogVersion).toBe(base.version);

    expect(await refused(() => fileCatalog(f.core, f.admin, { proposalId: proposal.id, filedOn: '2026-11-24', recipients: ['某区人民政府'] }), 'VALIDATION')).toContain('不能晚于今天');
    view = await fileCatalog(f.core, f.admin, { proposalId: proposal.id, filedOn: today, recipients: ['某区人民政府', '市市场监督管理局'] });
    expect(view.current.version).toBe(base.version + 1);
    expect(view.proposals[0]).toMatchObject({ state: 'filed', filing: { catalogVersion: base.version + 1, awaiting: ['某区人民政府', '市市场监督管理局'] } });
    expect(await refused(() => fileCatalog(f.core, f.admin, { proposalId: proposal.id, filedOn: today, recipients: ['某区人民政府'] }), 'CONFLICT')).toContain('已经生效');
    // In force: the same fine is below the new threshold.
    expect(await refused(() => submitCase(f.core, f.handler, caseInput(f, { fineAmount: '80000' })), 'NOT_MAJOR')).toContain('100,000');

    // A stale proposal (based on the version before) can never take effect.
    const stale = await core3Proposal(base.version + 1);
    view = await respondCatalogFiling(f.core, f.admin, { filingId: view.proposals.find((p) => p.id === proposal.id)!.filing!.id, recipient: '某区人民政府', result: 'revoked', receivedOn: today, text: '调整理由不足，予以撤销。' });
    expect(view.current.version).toBe(base.version + 2);
    expect(view.current.items).toEqual(base.items);
    expect(view.proposals.find((p) => p.id === stale)?.state).toBe('superseded');
    await refused(() => fileCatalog(f.core, f.admin, { proposalId: stale, filedOn: today, recipients: ['某区人民政府'] }), 'BAD_STATE');
    expect((await catalogAdminView(f.core, f.handler)).canManage).toBe(false);
    expect((await verifyChain(f.core)).ok).toBe(true);
  });
});

/** A second proposal on the version given (it adds an item). */
async function core3Proposal(baseVersion: number): Promise<number> {
  const cur = await catalogInForce(f.core);
  const v = await proposeCatalog(f.core, f.admin, { baseVersion, items: [...cur.items, { code: 'fee.special', kind: 'fee', label: '重大专项收费', catchAll: '001 附件3 第八条第二款' }], note: '新增收费事项' });
  return v.proposals[0].id;
}
