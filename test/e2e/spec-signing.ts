// E2E spec `signing`: signing certificates, issuing a signed document, downloading it and verifying it
// (and a copy with one byte changed) through the UI. Registered in SPECS of spec.ts.
//
// The drafting UI (editor, versions, 定稿) is covered by its own spec (`drafting`). To reach a finalised
// document without it, this spec calls the core through the page's window.api as the signed-in reviewer
// (documents.preview → documents.save → documents.finalize), exactly the calls the drafting page makes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import type { Locator, Page } from 'playwright-core';
import { sealPngBase64 } from '../integration/documents/tools';
import { ADMIN, HANDLER, OFFICER, PASSWORD, REVIEWER, T, assert, createUser, cstToday, expectText, firstRunSetup, signIn, signOut, submitCase, tid, type CaseFixture, type Shot } from './spec';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'e2e');

// ---------------------------------------------------------------------------------------------
// Fixtures (the same people and case shape as spec.ts)

const CASE: CaseFixture = {
  partyType: 'organization',
  caseNo: '京市监罚〔2026〕88号',
  title: '某贸易有限公司销售侵犯注册商标专用权商品案',
  catalogItem: 'penalty.fine_org',
  partyName: '北京某某贸易有限公司',
  partyId: '91110000600037341L',
  partyAddress: '北京市丰台区南三环西路16号',
  facts: '当事人在其经营场所销售标有他人注册商标的运动鞋共计320双，经商标权利人鉴定均为侵权商品，货值金额96000元。',
  evidence: ['现场检查笔录', '商标权利人鉴定意见', '进货单据及销售记录'],
  basis: [
    { law: '中华人民共和国商标法', article: '第六十条第二款' },
    { law: '中华人民共和国行政处罚法', article: '第二十八条' },
  ],
  proposed: '没收侵权商品，并处罚款150000元。',
  fine: '150000',
  procedure: [
    { step: '立案', date: cstToday(-40) },
    { step: '调查取证', date: cstToday(-30), note: '现场检查、询问' },
    { step: '告知', date: cstToday(-10), note: '送达行政处罚告知书' },
  ],
  officers: [HANDLER.username, OFFICER.username],
};

// ---------------------------------------------------------------------------------------------
// Helpers (spec.ts keeps its own private; these are the few needed here)

async function reviewAgree(page: Page): Promise<number> {
  await tid(page, 'nav-queue').click();
  const row = page.locator(`[data-testid="case-row"][data-case-no="${CASE.caseNo}"]`);
  await expectText(row, '新送审，待领取', '待办事项');
  await row.getByTestId('case-link').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  const caseId = Number(/#\/case\/(\d+)/.exec(page.url())?.[1]);
  assert(caseId > 0, `案件页地址应含案件编号：${page.url()}`);
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) await tid(page, `criterion-${n}-conform`).check();
  await tid(page, 'outcome-agree').check();
  await page.getByLabel('审核意见书正文').fill('经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处罚决定。');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已审核', '出具意见后的案件状态');
  return caseId;
}

/**
 * The finalised 法制审核意见书 through the page's window.api as the signed-in reviewer (the drafting UI
 * has its own spec): preview renders the template for the case, save stores it as version 1, finalize
 * makes version 2 final.
 */
async function finalizeOpinionThroughApi(page: Page, caseId: number): Promise<number> {
  const out = await page.evaluate(async (id) => {
    type R = { ok: boolean; value?: { model?: unknown; version?: number; final?: boolean }; error?: { message: string } };
    const api = (window as unknown as { api: Record<string, (input: unknown) => Promise<R>> }).api;
    const ref = { caseId: id, templateId: 'review-opinion' };
    const preview = await api['documents.preview'](ref);
    if (!preview.ok) return { step: 'preview', message: preview.error?.message ?? '' };
    const saved = await api['documents.save']({ ...ref, model: preview.value!.model, note: '初稿' });
    if (!saved.ok) return { step: 'save', message: saved.error?.message ?? '' };
    const final = await api['documents.finalize']({ ...ref, note: '定稿' });
    if (!final.ok) return { step: 'finalize', message: final.error?.message ?? '' };
    return { step: 'done', version: final.value!.version, final: final.value!.final };
  }, caseId);
  assert(out.step === 'done' && out.final === true, `通过 window.api 定稿法制审核意见书应成功：${JSON.stringify(out)}`);
  return out.version!;
}

async function openIssuedPage(page: Page, caseId: number): Promise<Locator> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, `#/case/${caseId}/issued`);
  await tid(page, 'issued-page').waitFor({ timeout: T });
  const doc = page.locator('[data-testid="issued-doc"][data-template-id="review-opinion"]');
  await doc.waitFor({ timeout: T });
  return doc;
}

// ---- test files: a PNG seal, PKCS#12 files -------------------------------------------------

/** A PKCS#12 file as a CA would issue it (CN 王审核), valid from..to, protected by `passphrase`. */
function makeP12(passphrase: string, notBefore: Date, notAfter: Date): Buffer {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01a2b3c4d5';
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ shortName: 'CN', value: 'Wang Shenhe' }, { shortName: 'O', value: 'Test Agency' }]);
  cert.setIssuer([{ shortName: 'CN', value: 'Test CA' }]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

async function download(page: Page, row: Locator, file: string): Promise<{ bytes: Buffer; name: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId('issued-download').click()]);
  assert((await dl.failure()) === null, `下载 ${file} 应成功`);
  const to = path.join(ARTIFACTS, file);
  await dl.saveAs(to);
  // Chromium may name a blob download “download” when its locale is missing; the link's download
  // attribute carries the name the user sees (see spec.ts, drafting).
  const link = row.getByTestId('issued-download-link');
  await link.waitFor({ timeout: T });
  return { bytes: fs.readFileSync(to), name: (await link.getAttribute('download')) ?? '' };
}

async function verify(page: Page, file: string, sig?: string): Promise<Locator> {
  await tid(page, 'verify-file').setInputFiles(file);
  if (sig) await tid(page, 'verify-sig').setInputFiles(sig);
  await tid(page, 'verify-submit').click();
  const result = tid(page, 'verify-result');
  await result.waitFor({ timeout: T });
  return result;
}

async function shotTop(page: Page, shot: Shot, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(name);
}

// ---------------------------------------------------------------------------------------------

/**
 * Signing: the administrator sets the seal (a JPEG refused, a PNG saved) → submit → 同意 → the reviewer
 * finalises the review opinion (through window.api) → 签发 refused without a certificate, with a link to
 * 签名证书 → a .p12 with the wrong passphrase and an expired one are refused verbatim, the passphrase field
 * cleared → a trial certificate → 签发 → a second 签发 refused → the PDF, Word and .p7s downloaded →
 * 签名校验: the PDF is 签名有效 (王审核, 本系统签发, 试用证书), a copy with one byte flipped is 签名无效,
 * the Word file needs its .p7s and then verifies.
 */
export async function signing(page: Page, shot: Shot): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER, REVIEWER]) await createUser(page, u);

  // 1. The administrator: no 签名证书 menu item (an administrator signs nothing), but 签名校验; the seal.
  assert((await tid(page, 'nav-certificates').count()) === 0, '纯管理员不应看到“签名证书”菜单');
  await tid(page, 'nav-verify').waitFor({ timeout: T });
  await tid(page, 'nav-settings').click();
  const seal = tid(page, 'seal-settings');
  await seal.scrollIntoViewIfNeeded();
  await tid(page, 'seal-file').setInputFiles({ name: '印章.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]) });
  await expectText(tid(page, 'seal-error'), '“印章.jpg”不是 PNG 图片', '非 PNG 印章被拒绝');
  assert(await tid(page, 'seal-save').isDisabled(), '未选择 PNG 时“保存印章图片”应不可用');
  await tid(page, 'seal-file').setInputFiles({ name: '机关印章.png', mimeType: 'image/png', buffer: Buffer.from(sealPngBase64(160), 'base64') });
  await tid(page, 'seal-preview').waitFor({ timeout: T });
  assert((await tid(page, 'seal-error').count()) === 0, '选择 PNG 后错误提示应消失');
  await tid(page, 'seal-save').click();
  await expectText(tid(page, 'seal-notice'), '印章图片已保存', '印章保存提示');
  await seal.scrollIntoViewIfNeeded();
  await shot('01-seal');
  await signOut(page);

  // 2. Submit → the reviewer agrees and finalises the review opinion.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, CASE);
  await signOut(page);
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await tid(page, 'nav-certificates').waitFor({ timeout: T });
  const caseId = await reviewAgree(page);
  const finalVersion = await finalizeOpinionThroughApi(page, caseId);

  // 3. 签发 without a certificate: the core's refusal, with the way to 签名证书.
  let doc = await openIssuedPage(page, caseId);
  await expectText(doc.getByTestId('issue-state'), `将签发已定稿的第${finalVersion}版`, '签发面板的定稿状态');
  await doc.getByTestId('issued-empty').waitFor({ timeout: T });
  await doc.getByTestId('issue-button').click();
  await tid(page, 'issue-confirm').click();
  await expectText(doc.getByTestId('issue-error'), '您还没有签名证书：请在“签名证书”中导入机关CA颁发的证书，或生成试用证书。', '没有证书时的签发拒绝');
  await shot('02-no-identity');
  await doc.getByTestId('issue-certificates-link').click();
  await tid(page, 'certificates-page').waitFor({ timeout: T });
  assert(page.url().endsWith('#/certificates'), `应转到签名证书页：${page.url()}`);
  await tid(page, 'identities-empty').waitFor({ timeout: T });
  await shot('03-certificates-empty');

  // 4. Import refusals, shown verbatim; the passphrase never stays in the field.
  const day = 86_400_000;
  const good = makeP12('correct-horse', new Date(Date.now() - day), new Date(Date.now() + 365 * day));
  await tid(page, 'import-file').setInputFiles({ name: '王审核.p12', mimeType: 'application/x-pkcs12', buffer: good });
  await expectText(tid(page, 'import-file-name'), '王审核.p12', '已选择的证书文件');
  await tid(page, 'import-passphrase').fill('wrong-passphrase');
  await tid(page, 'import-submit').click();
  await expectText(tid(page, 'import-error'), '无法打开签名证书文件：口令错误，或文件不是有效的 PKCS#12（.p12/.pfx）证书。', '口令错误的拒绝提示');
  assert((await tid(page, 'import-passphrase').inputValue()) === '', '提交后口令输入框应清空');
  assert((await tid(page, 'import-passphrase').getAttribute('type')) === 'password', '口令输入框应为密码框');
  await tid(page, 'import-card').scrollIntoViewIfNeeded();
  await shot('04-wrong-passphrase');
  const expired = makeP12('correct-horse', new Date(Date.UTC(2019, 5, 30, 4)), new Date(Date.UTC(2020, 5, 30, 4)));
  await tid(page, 'import-file').setInputFiles({ name: '旧证书.pfx', mimeType: 'application/x-pkcs12', buffer: expired });
  await tid(page, 'import-passphrase').fill('correct-horse');
  await tid(page, 'import-submit').click();
  await expectText(tid(page, 'import-error'), '该证书已于2020年6月30日过期，不能导入。', '过期证书的拒绝提示');
  assert((await tid(page, 'import-passphrase').inputValue()) === '', '再次提交后口令输入框应清空');
  await tid(page, 'import-file').setInputFiles({ name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('not a certificate') });
  await expectText(tid(page, 'import-error'), '请选择扩展名为 .p12 或 .pfx 的证书文件', '非证书文件的提示');
  await tid(page, 'identities-empty').waitFor({ timeout: T });
  await tid(page, 'import-card').scrollIntoViewIfNeeded();
  await shot('05-import-refused');

  // 5. A trial certificate: self-signed, in the reviewer's name, marked 试用.
  await expectText(tid(page, 'trial-card'), '不是机关CA颁发的证书', '试用证书说明');
  await tid(page, 'trial-create').click();
  await expectText(tid(page, 'trial-notice'), `已生成试用证书“${REVIEWER.displayName}”`, '生成试用证书提示');
  const idRow = tid(page, 'identity-row');
  await idRow.first().waitFor({ timeout: T });
  assert((await idRow.count()) === 1, '应只有一张签名证书（被拒绝的导入未保存）');
  await expectText(idRow.getByTestId('identity-subject'), REVIEWER.displayName, '证书主题');
  await idRow.getByTestId('trial-badge').waitFor({ timeout: T });
  await expectText(idRow.getByTestId('identity-issuer'), 'OU=试用', '颁发者（自签名）');
  await expectText(idRow.getByTestId('identity-serial'), /^[0-9A-F]{16,}$/, '序列号');
  await expectText(idRow.getByTestId('identity-validity'), /\d{4}年\d{1,2}月\d{1,2}日\s*至 \d{4}年\d{1,2}月\d{1,2}日/, '有效期');
  await expectText(idRow.getByTestId('identity-state'), '签发时使用此证书', '签发使用的证书');
  await shotTop(page, shot, '06-trial-certificate');

  // 6. 签发: PDF, Word and .p7s, with hashes; a second 签发 of the same version is refused.
  doc = await openIssuedPage(page, caseId);
  await doc.getByTestId('issue-button').click();
  await tid(page, 'issue-confirm').click();
  await expectText(doc.getByTestId('issue-notice'), `已签发第${finalVersion}版`, '签发成功提示');
  const files = doc.getByTestId('issued-file');
  await files.nth(2).waitFor({ timeout: T });
  assert((await files.count()) === 3, `应签发3个文件，实际 ${await files.count()} 个`);
  const formats = await files.evaluateAll((els) => els.map((e) => e.getAttribute('data-format')));
  assert(formats.join(',') === 'pdf,docx,p7s', `签发文件类型应为 PDF、Word、.p7s，实际为 ${formats.join(',')}`);
  await expectText(doc.getByTestId('issue-state'), `第${finalVersion}版已签发`, '签发后的状态');
  const pdfRow = doc.locator('[data-testid="issued-file"][data-format="pdf"]');
  await expectText(pdfRow, `第${finalVersion}版`, '签发文件的版本');
  const sha = (await pdfRow.getByTestId('sha').getAttribute('data-sha256')) ?? '';
  assert(/^[0-9a-f]{64}$/.test(sha), `PDF 的 SHA-256：${sha}`);
  await expectText(pdfRow.getByTestId('sha'), `${sha.slice(0, 8)}…${sha.slice(-8)}`, '缩写的 SHA-256');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await pdfRow.getByTestId('sha-copy').click();
  await expectText(pdfRow.getByTestId('sha-copied'), '已复制', '复制 SHA-256 的提示');
  const clip = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
  assert(clip === sha, `剪贴板应为完整的 SHA-256，实际为“${clip}”`);
  await shot('07-issued');
  // The finished act leaves its button disabled with the result beside it; the core refuses a repeat anyway.
  assert(await doc.getByTestId('issue-button').isDisabled(), '签发后“签发”按钮应不可用');
  const again = await page.evaluate(async (id) => {
    const api = (window as unknown as { api: Record<string, (input: unknown) => Promise<{ ok: boolean; error?: { message: string } }>> }).api;
    return await api['documents.issue']({ caseId: id, templateId: 'review-opinion' });
  }, caseId);
  assert(!again.ok && again.error?.message === `第${finalVersion}版已签发，不能重复签发；如需更正，请修改后重新定稿，作为新版本签发。`, `重复签发的拒绝：${JSON.stringify(again)}`);
  assert((await files.count()) === 3, '重复签发被拒绝后仍为3个文件');

  const pdf = await download(page, pdfRow, 'signing-issued.pdf');
  assert(pdf.bytes.subarray(0, 5).toString('latin1') === '%PDF-', '下载的文件应为 PDF');
  assert(crypto.createHash('sha256').update(pdf.bytes).digest('hex') === sha, '下载的 PDF 与显示的 SHA-256 一致');
  assert(pdf.name === `${CASE.caseNo}-法制审核意见书-第${finalVersion}版.pdf`, `下载的 PDF 文件名：${pdf.name}`);
  const docx = await download(page, doc.locator('[data-testid="issued-file"][data-format="docx"]'), 'signing-issued.docx');
  assert(docx.bytes.subarray(0, 2).toString('latin1') === 'PK', '下载的文件应为 Word（.docx）');
  const p7s = await download(page, doc.locator('[data-testid="issued-file"][data-format="p7s"]'), 'signing-issued.docx.p7s');
  assert(p7s.name.endsWith('.docx.p7s') && p7s.bytes.length > 500, `下载的签名文件：${p7s.name}`);

  // 7. 签名校验: the downloaded PDF is valid, signed by 王审核 with a trial certificate, issued here.
  await tid(page, 'nav-verify').click();
  await tid(page, 'verify-page').waitFor({ timeout: T });
  const pdfPath = path.join(ARTIFACTS, 'signing-issued.pdf');
  let result = await verify(page, pdfPath);
  await expectText(tid(page, 'verify-verdict'), '签名有效', '校验结论');
  assert((await result.getAttribute('data-valid')) === 'true', '下载的 PDF 应校验通过');
  await expectText(tid(page, 'verify-signer'), REVIEWER.displayName, '签名人');
  await expectText(tid(page, 'verify-time'), /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}（北京时间）/, '签名时间（北京时间）');
  await expectText(tid(page, 'verify-intact'), '未被改动', '文件未被改动');
  await expectText(tid(page, 'verify-coverage'), '签名覆盖整个 PDF 文件', '签名覆盖范围');
  await tid(page, 'verify-trial').waitFor({ timeout: T });
  await expectText(tid(page, 'verify-subject'), REVIEWER.displayName, '证书主题');
  await expectText(tid(page, 'verify-issued-here'), '本系统签发', '本系统签发');
  await expectText(tid(page, 'verify-issued-here'), CASE.caseNo, '签发记录中的案件编号');
  await expectText(tid(page, 'verify-issued-here'), pdf.name, '签发记录中的文件名');
  await shot('08-verify-valid');

  // One byte flipped inside the signed range: 签名无效, with the core's problem.
  const tampered = Buffer.from(pdf.bytes);
  tampered[300] ^= 0x01;
  const tamperedPath = path.join(ARTIFACTS, 'signing-tampered.pdf');
  fs.writeFileSync(tamperedPath, tampered);
  result = await verify(page, tamperedPath);
  await expectText(tid(page, 'verify-verdict'), '签名无效', '改动后的校验结论');
  assert((await result.getAttribute('data-valid')) === 'false', '改动一个字节后应校验不通过');
  const problem = (await tid(page, 'verify-problem').innerText()).trim();
  assert(problem.length > 4 && /[\u4e00-\u9fff]/.test(problem), `应显示核心给出的问题说明（中文）：${problem}`);
  await expectText(tid(page, 'verify-issued-here'), '没有与之完全相同的文件', '改动后的文件不在签发记录中');
  await tid(page, 'verify-unverified-note').waitFor({ timeout: T });
  await shot('09-verify-tampered');

  // The Word file needs its .p7s; with it, the signature is valid.
  const docxPath = path.join(ARTIFACTS, 'signing-issued.docx');
  await tid(page, 'verify-file').setInputFiles(docxPath);
  await tid(page, 'verify-submit').click();
  await expectText(tid(page, 'verify-error'), '请同时选择与之一同签发的 .p7s 文件', '缺少 .p7s 时的提示');
  result = await verify(page, docxPath, path.join(ARTIFACTS, 'signing-issued.docx.p7s'));
  await expectText(tid(page, 'verify-verdict'), '签名有效', 'Word 文件的校验结论');
  await expectText(tid(page, 'verify-coverage'), '覆盖整个 Word 文件', 'Word 签名覆盖范围');
  await expectText(tid(page, 'verify-issued-here'), '本系统签发', 'Word 文件为本系统签发');
  await shot('10-verify-docx');
}
