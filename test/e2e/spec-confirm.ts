// E2E specs for issue 12, parts 3, 7 and 9 ("Every hand-over obvious"). Registered in SPECS of spec.ts.
//
// `confirmActs`: every act that cannot be undone asks first in one dialog (focus on 取消, Esc cancels,
// Enter on 取消 cancels) and Cancel changes nothing; confirming does the act and leaves its button disabled
// with the result beside it — 出具审核意见, 定稿 (an untouched pre-fill warns), 签发 (on the drafting page,
// naming the certificate, then the three downloads), 停用证书, 办结. The case
// header shows the state in words and colour (同意 green, 退回 amber, 不同意 and 不予批准 red) with the latest
// review outcome and the decision (不予批准人, never 批准人, for a rejection). 签名校验 forgets the .p7s when
// another file is chosen; the calendar names 国务院办公厅节假日安排.
//
// `confirmMeeting`: 不同意 → 提请集体讨论 → live minutes: Ctrl+Enter opens the confirmation (Esc and 取消
// record nothing, Enter on the confirm button records) → 锁定纪要 asks, Cancel leaves it open, confirming
// locks it (button disabled, 已锁定 beside it) → the case header says 决定：不予批准 and the timeline lists
// 确认会议纪要 once.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { TEST_ENGINE } from '../helpers/engine';
import { fullDraft } from '../unit/templates/fixture';
import {
  ADMIN,
  CASE,
  HANDLER,
  HEAD,
  HEAD2,
  HEAD3,
  OFFICER,
  REVIEWER,
  SECRETARY,
  T,
  assert,
  attendee,
  createUser,
  cstToday,
  draftFromCasePage,
  expectText,
  firstRunSetup,
  openCaseBySearch,
  openCaseFromQueue,
  setFinding,
  signIn,
  signOut,
  stanceRow,
  submitCase,
  tid,
  type CaseFixture,
  type Shot,
} from './spec';

const GREEN = 'rgb(31, 122, 61)';
const AMBER = 'rgb(161, 92, 0)';
const RED = 'rgb(179, 38, 30)';

const caseOf = (n: number, title: string): CaseFixture => ({ ...CASE, caseNo: `京市监罚〔2026〕${n}号`, title });
const A = caseOf(71, '某商贸有限公司销售过期食品案');
const B = caseOf(72, '某餐饮管理有限公司未公示许可证案');
const C = caseOf(73, '某电子商务有限公司虚假宣传案');
const D = caseOf(74, '某医药连锁有限公司超范围经营案');

const ARTIFACTS = path.join(path.resolve(__dirname, '..', '..'), 'test-artifacts', TEST_ENGINE === 'sqlite' ? 'e2e' : `e2e-${TEST_ENGINE}`);

/**
 * The screen as the user sees it (the viewport, so an open dialog is seen over the page) at 1366×768 and
 * at 1024×768, as <spec>-<label>-<width>.png beside the runner's; the whole page at its size through `shot`.
 */
let specName = 'confirm';
async function shotsAt(page: Page, shot: Shot, label: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(ARTIFACTS, `${specName}-${label}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
  await shot(`${label}-page`);
}

const colorOf = (loc: Locator) => loc.first().evaluate((el) => getComputedStyle(el).color);
const activeTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');

/** The dialog is open, says what it must, and its focus starts on 取消. */
async function expectDialog(page: Page, title: string | RegExp, message: string | RegExp, what: string, testId = 'confirm-dialog'): Promise<void> {
  await tid(page, testId).waitFor({ timeout: T });
  await expectText(tid(page, 'confirm-title'), title, `${what}：确认框标题`);
  await expectText(tid(page, 'confirm-message'), message, `${what}：确认框说明`);
  assert((await activeTestId(page)) === 'confirm-cancel', `${what}：确认框打开时焦点应在“取消”上，实际在 ${await activeTestId(page)}`);
}

async function expectNoDialog(page: Page, what: string, testId = 'confirm-dialog'): Promise<void> {
  await tid(page, testId).waitFor({ state: 'detached', timeout: T });
  assert((await tid(page, testId).count()) === 0, `${what}：确认框应已关闭`);
}

/** A core read through the page's window.api as the signed-in user. */
async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([c, i]) => {
      const w = window as unknown as { api: Record<string, (x: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>> };
      return await w.api[c as string](i);
    },
    [channel, input] as const,
  );
  assert(r.ok, `${channel} 应成功：${JSON.stringify(r.error)}`);
  return r.value as T;
}

const caseIdOf = (page: Page) => Number(/#\/case\/(\d+)/.exec(page.url())?.[1]);

/** On the open review page: nine findings and an outcome (a 退回 with one request). */
async function fillReview(page: Page, outcome: 'agree' | 'return' | 'disagree', opinion: string): Promise<void> {
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 3 && outcome === 'return') await setFinding(page, 3, 'needs_correction', '听证笔录缺当事人签字页。');
    else if (n === 6 && outcome === 'disagree') await setFinding(page, 6, 'nonconform', '罚款数额超出裁量基准第二档上限。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, `outcome-${outcome}`).check();
  if (outcome === 'return') await page.getByLabel('退回要求第1项', { exact: true }).fill('补充听证笔录当事人签字页。');
  await page.getByLabel('审核意见书正文').fill(opinion);
}

async function review(page: Page, c: CaseFixture, outcome: 'agree' | 'return' | 'disagree', opinion: string): Promise<void> {
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await fillReview(page, outcome, opinion);
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

/** The header's state badge: words, tone and colour. */
async function expectBadge(page: Page, words: string, tone: string, color: string, what: string): Promise<void> {
  const badge = tid(page, 'state-badge').first();
  await expectText(badge, words, `${what}：状态文字`);
  assert((await badge.getAttribute('data-tone')) === tone, `${what}：状态颜色类别应为 ${tone}，实际为 ${await badge.getAttribute('data-tone')}`);
  assert((await colorOf(badge)) === color, `${what}：状态颜色应为 ${color}，实际为 ${await colorOf(badge)}`);
}

async function expectHeadReview(page: Page, words: string, color: string, what: string): Promise<void> {
  const r = tid(page, 'head-review-outcome');
  await expectText(r, words, `${what}：页头的审核意见`);
  assert((await colorOf(r.locator('.outcome'))) === color, `${what}：审核意见的颜色应为 ${color}，实际为 ${await colorOf(r.locator('.outcome'))}`);
}

/** 档案管理员: receives the case files handed over after 办结. */
const CUSTODIAN: typeof HANDLER = { username: 'guo', displayName: '郭档案', roles: ['custodian'] };
/** 评查人员: evaluates archived case files. */
const INSPECTOR: typeof HANDLER = { username: 'feng', displayName: '冯评查', roles: ['inspector'] };
const LEGAL_HEAD: typeof HANDLER = { username: 'liu', displayName: '刘主任', roles: ['legal_head'] };

async function setupPeople(page: Page, people: typeof HANDLER[]): Promise<void> {
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of people) await createUser(page, u);
  await signOut(page);
}

export async function confirmActs(page: Page, shot: Shot): Promise<void> {
  specName = 'confirmActs';
  await setupPeople(page, [HANDLER, OFFICER, REVIEWER, HEAD, CUSTODIAN, INSPECTOR, LEGAL_HEAD]);
  await signIn(page, HANDLER.username, HANDLER.displayName);
  for (const c of [A, B, C]) await submitCase(page, c);
  await signOut(page);

  // 1. 出具审核意见 asks first. Esc, 取消 and Enter on 取消 (Ctrl+Enter opened it) change nothing.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, A.caseNo, '新送审，待领取');
  const idA = caseIdOf(page);
  await tid(page, 'action-take').click();
  await fillReview(page, 'agree', '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。');
  await tid(page, 'review-issue').click();
  await expectDialog(page, '确认出具审核意见“同意”？', '出具后本轮审核意见记入全过程记录，不能修改或撤回，本案随即报请负责人审批。', '出具审核意见');
  await shotsAt(page, shot, '01-review-confirm');
  await page.keyboard.press('Escape');
  await expectNoDialog(page, 'Esc 后');
  await tid(page, 'review-page').waitFor({ timeout: T });
  assert((await api<{ state: string; reviews: unknown[] }>(page, 'cases.get', { caseId: idA })).reviews.length === 0, 'Esc 后不应出具审核意见');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消后');
  await page.getByLabel('审核意见书正文').press('Control+Enter');
  await tid(page, 'confirm-dialog').waitFor({ timeout: T });
  await page.keyboard.press('Enter'); // focus is on 取消: Enter cancels
  await expectNoDialog(page, '在“取消”上按 Enter 后');
  const stillA = await api<{ state: string; reviews: unknown[] }>(page, 'cases.get', { caseId: idA });
  assert(stillA.state === 'under_review' && stillA.reviews.length === 0, `取消后案件应仍在审核中、没有审核意见：${stillA.state}`);
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectBadge(page, '已审核：同意', 'agree', GREEN, '同意后');
  await expectHeadReview(page, '第1轮审核意见：同意', GREEN, '同意后');
  await shotsAt(page, shot, '02-header-agree');

  // 退回 amber; 不同意 red (not a green 已审核).
  await review(page, B, 'return', '经审核，听证程序材料不全，退回补正。');
  await expectBadge(page, '已退回', 'return', AMBER, '退回后');
  await expectHeadReview(page, '退回', AMBER, '退回后');
  await shotsAt(page, shot, '03-header-return');
  await review(page, C, 'disagree', '经审核，拟处罚款数额明显不当，不同意。');
  await expectBadge(page, '已审核：不同意', 'disagree', RED, '不同意后');
  await expectHeadReview(page, '不同意', RED, '不同意后');
  await shotsAt(page, shot, '04-header-disagree');
  // The queue shows the same words and colours.
  await tid(page, 'nav-search').click();
  await tid(page, 'search-page').waitFor({ timeout: T });
  await tid(page, 'search-query').fill(C.caseNo);
  await tid(page, 'search-submit').click();
  const rowC = page.locator(`[data-testid="case-row"][data-case-no="${C.caseNo}"]`);
  await expectText(rowC.getByTestId('state-badge'), '已审核：不同意', '案件列表中的不同意');
  assert((await colorOf(rowC.getByTestId('state-badge'))) === RED, '案件列表中“不同意”应为红色');
  await signOut(page);

  // 2. 不予批准: red, 不予批准人 (never 批准人), 决定：不予批准. 批准 of A: 批准人.
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, C.caseNo, '法制审核不同意：可不予批准');
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-reject').check();
  await page.getByLabel('审批意见').fill('同意法制审核意见，不予批准。');
  await tid(page, 'approval-submit').click();
  await expectBadge(page, '未批准', 'reject', RED, '不予批准后');
  await expectText(tid(page, 'responsible-approver-term'), /^不予批准人$/, '不予批准的负责人');
  await expectText(tid(page, 'responsible-approver'), HEAD.displayName, '不予批准人姓名');
  await expectText(tid(page, 'head-approval-decision'), '决定：不予批准', '页头的审批决定');
  assert((await colorOf(tid(page, 'head-approval-decision').locator('.outcome'))) === RED, '“不予批准”应为红色');
  const headText = await page.locator('.case-head').innerText();
  assert(!/(?<!不予)批准人/.test(headText), `不予批准的案件页头不应出现“批准人”：${headText}`);
  await tid(page, 'tab-approvals').click();
  await expectText(tid(page, 'approval-record'), `不予批准人：${HEAD.displayName}`, '审批记录中的不予批准人');
  assert(!/(?<!不予)批准人/.test(await tid(page, 'approval-record').innerText()), '不予批准的审批记录不应写“批准人”');
  await shotsAt(page, shot, '05-header-rejected');
  await openCaseFromQueue(page, A.caseNo, '待负责人审批');
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-approve').check();
  await page.getByLabel('审批意见').fill('同意。');
  await tid(page, 'approval-submit').click();
  await expectBadge(page, '已批准', 'agree', GREEN, '批准后');
  await expectText(tid(page, 'responsible-approver-term'), /^批准人$/, '批准的负责人');
  await expectText(tid(page, 'head-approval-decision'), '决定：批准', '页头的审批决定（批准）');
  await signOut(page);

  // 3. 定稿 of the untouched pre-fill warns; Cancel saves nothing; after 定稿 the button rests.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseBySearch(page, A.caseNo);
  await draftFromCasePage(page, 'review-opinion', '法制审核意见书');
  await tid(page, 'versions-empty').waitFor({ timeout: T });
  await tid(page, 'finalize').click();
  await expectDialog(page, '确认定稿？', '定稿后本版不可修改', '定稿');
  await expectText(tid(page, 'confirm-warning'), '正文与模板自动生成的内容完全相同，您没有作任何修改', '未修改的提示');
  await shotsAt(page, shot, '06-finalize-untouched');
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消定稿后');
  assert((await api<unknown[]>(page, 'documents.versions', { caseId: idA, templateId: 'review-opinion' })).length === 0, '取消定稿后不应保存任何版本');
  await tid(page, 'versions-empty').waitFor({ timeout: T });
  // An edit: the warning is gone.
  const para = tid(page, 'doc-editor').locator('p', { hasText: '无。' }).first();
  await para.click();
  await page.keyboard.press('End');
  await page.keyboard.type('建议加强普法宣传。');
  await tid(page, 'finalize').click();
  await expectDialog(page, '确认定稿？', '定稿后本版不可修改', '修改后定稿');
  assert((await tid(page, 'confirm-warning').count()) === 0, '修改后定稿不应提示“没有作任何修改”');
  await tid(page, 'finalize-confirm').click();
  await expectText(tid(page, 'doc-notice'), '已定稿', '定稿成功');
  await expectText(tid(page, 'finalize-done'), '已定稿', '定稿后按钮旁的结果');
  assert(await tid(page, 'finalize').isDisabled(), '定稿后（未再修改）“定稿”按钮应不可用');
  await tid(page, 'doc-actions').scrollIntoViewIfNeeded();
  await shotsAt(page, shot, '07-finalized');

  // 4. 签发 asks; Cancel issues nothing; afterwards the button is disabled with 已签发 beside it.
  await tid(page, 'nav-certificates').click();
  await tid(page, 'trial-create').click();
  await expectText(tid(page, 'trial-notice'), '已生成试用证书', '生成试用证书');
  // 签发 is offered where the document was finalised (issue 12, point 4), naming the certificate that signs.
  await page.evaluate((h) => {
    window.location.hash = h;
  }, `#/case/${idA}/doc/review-opinion`);
  const doc = tid(page, 'drafting-issue');
  await doc.waitFor({ timeout: T });
  await expectText(doc.getByTestId('issue-signer'), '签名证书：王审核（试用证书', '起草页签发处写明所用的签名证书');
  await expectText(doc.getByTestId('issue-state'), '将签发已定稿的第', '起草页的签发说明');
  await doc.getByTestId('issue-button').click();
  await expectDialog(page, /确认签发第\d+版？/, '已签发的文件不能修改或收回', '签发');
  await shotsAt(page, shot, '08-issue-confirm');
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消签发后');
  await doc.getByTestId('issued-empty').waitFor({ timeout: T });
  const docsBefore = await api<{ templateId: string; issued: unknown[] }[]>(page, 'documents.list', { caseId: idA });
  assert(docsBefore.every((d) => d.issued.length === 0), '取消签发后不应有签发文件');
  await doc.getByTestId('issue-button').click();
  await tid(page, 'issue-confirm').click();
  await expectText(doc.getByTestId('issue-notice'), '已签发', '签发成功');
  assert(await doc.getByTestId('issue-button').isDisabled(), '签发后“签发”按钮应不可用');
  await expectText(doc.getByTestId('issue-state'), '已签发', '签发后按钮旁的结果');
  // Then the three downloads, right there.
  const rows = doc.getByTestId('issued-files').locator('tbody tr');
  await rows.nth(2).waitFor({ timeout: T });
  assert((await rows.count()) === 3, `起草页签发后应列出三个文件（PDF、Word、.p7s），实为 ${await rows.count()} 个`);
  await doc.scrollIntoViewIfNeeded();
  await shotsAt(page, shot, '09-issued');

  // 5. 停用证书 asks; Cancel keeps it; afterwards the row stays with 停用 disabled and 已停用 beside it.
  await tid(page, 'nav-certificates').click();
  const idRow = tid(page, 'identity-row').first();
  await idRow.waitFor({ timeout: T });
  await idRow.getByTestId('identity-retire').click();
  await expectDialog(page, /停用证书“王审核”？/, '永久不能再用于签发', '停用证书');
  await shotsAt(page, shot, '10-retire-confirm');
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消停用后');
  assert((await api<unknown[]>(page, 'signing.identities', {})).length === 1, '取消停用后证书仍应可用');
  await idRow.getByTestId('identity-retire').click();
  await tid(page, 'identity-retire-confirm').click();
  await expectText(tid(page, 'identity-retired'), '已停用', '停用后的结果');
  assert(await tid(page, 'identity-retire').first().isDisabled(), '停用后“停用”按钮应不可用');
  assert((await api<unknown[]>(page, 'signing.identities', {})).length === 0, '停用后不应再有可用的证书');
  await shotsAt(page, shot, '11-retired');

  // 6. 签名校验 forgets the .p7s when another file is chosen.
  await tid(page, 'nav-verify').click();
  await tid(page, 'verify-page').waitFor({ timeout: T });
  const bytes = Buffer.from('PK\u0003\u0004 not really a Word file');
  await tid(page, 'verify-file').setInputFiles({ name: '甲.docx', mimeType: 'application/octet-stream', buffer: bytes });
  await tid(page, 'verify-sig').setInputFiles({ name: '甲.docx.p7s', mimeType: 'application/pkcs7-signature', buffer: Buffer.from('0123456789') });
  await expectText(tid(page, 'verify-sig-name'), '甲.docx.p7s', '已选择的签名文件');
  await tid(page, 'verify-file').setInputFiles({ name: '乙.docx', mimeType: 'application/octet-stream', buffer: bytes });
  await expectText(tid(page, 'verify-file-name'), '乙.docx', '新选择的文件');
  assert(!(await tid(page, 'verify-sig-name').innerText()).includes('甲.docx.p7s'), '换了文件后不应保留上一个文件的签名文件');
  await tid(page, 'verify-submit').click();
  await expectText(tid(page, 'verify-error'), '请同时选择与之一同签发的 .p7s 文件', '换文件后要求重新选择 .p7s');
  await shotsAt(page, shot, '12-verify-companion-cleared');

  // 7. The calendar names the State Council's schedule, not a package.
  await tid(page, 'nav-calendar').click();
  await expectText(tid(page, 'cal-source'), /节假日安排来源：国务院办公厅节假日安排（\d{4}年；内置安排收录至2026年）/, '日历的节假日来源');
  assert(!/chinese-days|npm/i.test(await tid(page, 'cal-source').innerText()), '日历来源不应写软件包名');
  await shotsAt(page, shot, '13-calendar-source');
  await signOut(page);

  // 8. 办结 asks; Esc keeps the case open; afterwards 办结 is disabled with 已办结 beside it.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  // 办结 needs the decision served and carried out: the 送达与执行 card says so, and records both (each confirmed).
  await openCaseBySearch(page, A.caseNo);
  await expectText(tid(page, 'enforcement-blockers'), '尚未登记执法决定文书的送达', '办结前还需的事项');
  await tid(page, 'service-document').selectOption('');
  await tid(page, 'service-document-name').fill('行政处罚决定书（某市监罚〔2026〕1号）');
  await tid(page, 'service-server').fill('张承办');
  await tid(page, 'service-signer').fill('李某（法定代表人）');
  await shotsAt(page, shot, '14a-service-form');
  await tid(page, 'service-submit').click();
  await tid(page, 'enforcement-confirm').click();
  await expectText(tid(page, 'enforcement-services'), '直接送达', '送达记录');
  await tid(page, 'execution-step').selectOption('performed');
  await tid(page, 'execution-text').fill('当事人已按决定履行。');
  await tid(page, 'execution-submit').click();
  await tid(page, 'enforcement-confirm').click();
  await expectText(tid(page, 'enforcement-conclusion'), '当事人已履行', '送达与执行卡片中的执行情况');
  assert((await tid(page, 'enforcement-blockers').count()) === 0, '送达并履行后不应再有办结前的事项');
  await shotsAt(page, shot, '14b-enforcement-done');
  await tid(page, 'action-close').click();
  await expectDialog(page, '确认办结本案？', '办结后本案归档', '办结');
  await shotsAt(page, shot, '14-close-confirm');
  await page.keyboard.press('Escape');
  await expectNoDialog(page, 'Esc 后');
  assert((await api<{ state: string }>(page, 'cases.get', { caseId: idA })).state === 'approved', 'Esc 后案件不应办结');
  await tid(page, 'action-close').click();
  await tid(page, 'action-close-confirm').click();
  await expectText(tid(page, 'state-badge'), '已办结', '办结后的案件状态');
  await expectText(tid(page, 'action-close-done'), '已办结', '办结后按钮旁的结果');
  assert(await tid(page, 'action-close').isDisabled(), '办结后“办结”按钮应不可用');
  await shotsAt(page, shot, '15-closed');

  // 16. 组卷归档 asks first, then freezes the case file and hands it to the custodian.
  await expectText(tid(page, 'archive-status'), '待组卷归档', '办结后的案卷卡片');
  await tid(page, 'archive-custodian').selectOption({ label: CUSTODIAN.displayName });
  await tid(page, 'archive-submit').click();
  await expectDialog(page, '确认组卷归档？', `移交档案管理员${CUSTODIAN.displayName}`, '确认归档');
  await page.keyboard.press('Escape');
  await expectNoDialog(page, 'Esc 后');
  assert((await api<{ state: string }>(page, 'cases.get', { caseId: idA })).state === 'closed', 'Esc 后案件不应归档');
  await tid(page, 'archive-submit').click();
  await tid(page, 'archive-confirm').click();
  await expectText(tid(page, 'state-badge'), '已归档', '归档后的案件状态');
  await expectText(tid(page, 'archive-index'), '全过程记录摘录', '卷内目录');
  await expectText(tid(page, 'archive-status'), '待接收', '归档后待接收');
  await shotsAt(page, shot, '16-archived');
  await signOut(page);

  // 17. The custodian finds it in 待办, receives it and adds a supplement with its own index entry.
  await signIn(page, CUSTODIAN.username, CUSTODIAN.displayName);
  await openCaseFromQueue(page, A.caseNo, '案卷已移交，待您接收');
  await tid(page, 'archive-note').fill('纸质卷同时接收，存第3柜');
  await tid(page, 'archive-receive').click();
  await tid(page, 'archive-confirm').click();
  await expectText(tid(page, 'archive-status'), '已接收', '接收后');
  await tid(page, 'supplement-title').fill('市司法局纠错通知书');
  await tid(page, 'supplement-text').fill('要求补充说明裁量理由。');
  await tid(page, 'supplement-submit').click();
  await tid(page, 'archive-confirm').click();
  await expectText(tid(page, 'archive-supplement-row'), '市司法局纠错通知书（补充归档：纠错或整改通知）', '补充归档的目录条目');
  await shotsAt(page, shot, '17-received-supplemented');
  await signOut(page);

  // 18. 统计: the head sees this year's figures, each with its source, and the chart by decision kind.
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'nav-stats').click();
  await tid(page, 'stats-figures').waitFor({ timeout: T });
  await expectText(tid(page, 'stats-approved'), '1件', '统计：负责人批准');
  await expectText(tid(page, 'stats-opinions'), '3份', '统计：审核意见');
  await expectText(tid(page, 'stats-return'), '1份', '统计：退回');
  await expectText(tid(page, 'stats-disagree'), '1份', '统计：不同意');
  await tid(page, 'stats-chart').locator('svg').first().waitFor({ timeout: T });
  await shotsAt(page, shot, '18-stats');
  await signOut(page);

  // 19. 案卷评查: the inspector opens the archived file from 案卷评查 and asks for a rectification.
  await signIn(page, INSPECTOR.username, INSPECTOR.displayName);
  await tid(page, 'nav-inspections').click();
  await page.locator(`[data-testid="inspection-case"][data-case-no="${A.caseNo}"] a`).click();
  await tid(page, 'inspection-form').waitFor({ timeout: T });
  await tid(page, 'inspection-findings').fill('案卷材料齐全，罚款裁量理由说明较简略。');
  await tid(page, 'inspection-requests').fill('补充说明罚款数额的裁量理由');
  await tid(page, 'inspection-submit').click();
  await tid(page, 'inspection-confirm').click();
  await expectText(tid(page, 'inspection-items'), '补充说明罚款数额的裁量理由', '评查意见的整改要求');
  await expectText(tid(page, 'archive-index'), '案卷评查意见（合格）', '评查意见补充归档');
  await shotsAt(page, shot, '19-inspection');
  await signOut(page);

  // 20. The handler answers it from 待办, once.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, A.caseNo, '案卷评查提出整改要求，待答复');
  await tid(page, 'inspection-reply-text').fill('已补充说明罚款数额的裁量理由。');
  await tid(page, 'inspection-reply-submit').click();
  await tid(page, 'inspection-confirm').click();
  await expectText(tid(page, 'inspection-reply'), '已补充说明罚款数额的裁量理由', '评查意见的答复');
  assert((await tid(page, 'inspection-reply-submit').count()) === 0, '答复后不应再有答复按钮');
  await shotsAt(page, shot, '20-inspection-replied');

  // 21. 备案: the decision and the 备案报告 are drafted and issued (as the drafting steps above walk), then
  // the legal office head records the filing and a 责令改正 on the 备案 card, each confirmed.
  const draftAndFinalise = async (templateId: string, draft?: Record<string, unknown>) => {
    const p = await api<{ model: unknown }>(page, 'documents.preview', { caseId: idA, templateId, ...(draft && { draft }) });
    await api(page, 'documents.save', { caseId: idA, templateId, model: p.model, ...(draft && { draft }) });
    await api(page, 'documents.finalize', { caseId: idA, templateId });
  };
  await draftAndFinalise('penalty-decision', { ...fullDraft });
  await signOut(page);
  await signIn(page, HEAD.username, HEAD.displayName);
  await api(page, 'signing.createTrial', {});
  await api(page, 'documents.issue', { caseId: idA, templateId: 'penalty-decision' });
  await signOut(page);
  await signIn(page, LEGAL_HEAD.username, LEGAL_HEAD.displayName);
  await openCaseFromQueue(page, A.caseNo, '重大执法决定已批准，待报送备案');
  await expectText(tid(page, 'filing-card'), '尚未报送备案', '备案卡片（签发备案报告前）');
  await api(page, 'signing.createTrial', {});
  await draftAndFinalise('filing-report');
  await api(page, 'documents.issue', { caseId: idA, templateId: 'filing-report' });
  await page.reload();
  await tid(page, 'filing-form').waitFor({ timeout: T });
  await expectText(tid(page, 'filing-form'), '重大行政执法决定备案报告', '待登记报送的备案报告');
  await tid(page, 'filing-submit').click();
  await expectDialog(page, '确认登记报送备案？', '不能修改或删除', '确认登记');
  await page.keyboard.press('Escape');
  await expectNoDialog(page, 'Esc 后');
  assert((await tid(page, 'filing-item').count()) === 0, 'Esc 后不应登记报送备案');
  await tid(page, 'filing-submit').click();
  await tid(page, 'filing-confirm').click();
  await expectText(tid(page, 'filing-item'), '区人民政府（区司法局）、市级主管部门', '备案记录的接收机关');
  await tid(page, 'filing-response-recipient').selectOption({ label: '区人民政府（区司法局）' });
  await tid(page, 'filing-response-result').selectOption('correct');
  await tid(page, 'filing-response-text').fill('罚款数额的裁量理由不充分，请补充说明。');
  await tid(page, 'filing-response-submit').click();
  await tid(page, 'filing-confirm').click();
  await expectText(tid(page, 'filing-response'), '责令改正', '备案审查意见');
  await shotsAt(page, shot, '21-filing');
  await signOut(page);

  // 22. The handler records the correction from 待办, once.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, A.caseNo, '备案监督机关责令改正，待登记改正情况');
  await tid(page, 'filing-correction-text').fill('已补充罚款裁量理由的书面说明并报送。');
  await tid(page, 'filing-correction-submit').click();
  await tid(page, 'filing-confirm').click();
  await expectText(tid(page, 'filing-correction'), '已补充罚款裁量理由', '改正情况');
  assert((await tid(page, 'filing-correction-submit').count()) === 0, '登记改正情况后不应再有登记按钮');
  await shotsAt(page, shot, '22-filing-corrected');
  await signOut(page);

  // 23. 目录清单: the administrator raises a threshold; it is in force only once its filing is recorded.
  await signIn(page, ADMIN.username, ADMIN.displayName, ADMIN.password);
  await tid(page, 'nav-catalog').click();
  await tid(page, 'catalog-items').waitFor({ timeout: T });
  await page.getByLabel('罚款标准 penalty.fine_org').fill('100000');
  await page.getByLabel('事项名称 penalty.fine_org').fill('对法人或其他组织处以100000元以上罚款');
  await tid(page, 'catalog-note').fill('提高对组织罚款的审核标准');
  await tid(page, 'catalog-propose').click();
  await tid(page, 'catalog-confirm').click();
  await expectText(tid(page, 'catalog-proposal'), '待报送备案（未生效）', '调整方案未生效');
  await expectText(tid(page, 'catalog-proposal'), '修改事项：对法人或其他组织处以50000元以上罚款 → 对法人或其他组织处以100000元以上罚款', '调整方案的变化');
  await shotsAt(page, shot, '23-catalog-proposed');
  await tid(page, 'catalog-file').click();
  await expectDialog(page, '确认登记报送备案？', '新版本生效', '确认登记');
  await tid(page, 'catalog-confirm').click();
  await expectText(tid(page, 'catalog-notice'), '目录清单第3版生效', '登记备案后新版本生效');
  await shotsAt(page, shot, '24-catalog-filed');
}

export async function confirmMeeting(page: Page, shot: Shot): Promise<void> {
  specName = 'confirmMeeting';
  await setupPeople(page, [HANDLER, OFFICER, REVIEWER, HEAD, HEAD2, HEAD3, SECRETARY]);
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, D);
  const idD = caseIdOf(page);
  await signOut(page);
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await review(page, D, 'disagree', '经审核，拟处罚款数额明显不当，不同意。');
  await signOut(page);

  // The handler takes the 不同意 to the heads' collective discussion.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseBySearch(page, D.caseNo);
  await tid(page, 'action-propose').click();
  await tid(page, 'gate-propose-text').fill('承办单位对不同意意见有异议，提请负责人会议集体讨论决定。');
  await tid(page, 'gate-propose-submit').click();
  await tid(page, 'gate-propose-confirm-text').waitFor({ timeout: T });
  await tid(page, 'gate-propose-submit').click();
  await expectText(tid(page, 'state-badge'), '集体讨论中', '提请集体讨论后');
  await signOut(page);

  // The secretary creates the meeting; the chair sets the agenda.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-new').click();
  await tid(page, 'meeting-create-form').waitFor({ timeout: T });
  await page.getByLabel('会议名称').fill('2026年第3次局长办公会议');
  await tid(page, 'meeting-time-date').fill(cstToday());
  await tid(page, 'meeting-time-time').fill('09:30');
  await page.getByLabel('会议地点').fill('机关三楼第一会议室');
  await page.getByLabel('主持人').selectOption({ label: HEAD.displayName });
  await page.locator(`[data-testid^="meeting-case-"][data-case-no="${D.caseNo}"]`).check();
  await tid(page, 'meeting-create-submit').click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await signOut(page);
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'agenda-confirm').click();
  await expectText(tid(page, 'agenda-bar'), `议题已由主持人${HEAD.displayName}`, '主持人确定议题');
  await signOut(page);

  // Live minutes: all three present, all agree; the decision departs from the majority (不同意).
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'meeting-start').click();
  for (const h of [HEAD, HEAD2, HEAD3]) {
    await attendee(page, h.displayName).getByTestId('attendance-toggle').focus();
    await page.keyboard.press('Space');
    await expectText(attendee(page, h.displayName).getByTestId('attendance-label'), '出席', `${h.displayName}出席`);
  }
  const item = page.locator(`[data-testid="meeting-item"][data-case-no="${D.caseNo}"]`);
  for (const h of [HEAD, HEAD2, HEAD3]) {
    await stanceRow(item, h.displayName).getByTestId('stance').focus();
    await page.keyboard.press('1');
  }
  await item.getByTestId('decision-reject').check();
  await item.getByTestId('decision-text').fill('经集体讨论，主持人决定：不同意按送审方案作出行政处罚决定，由承办单位重新拟定处罚方案。');
  // Ctrl+Enter opens the confirmation (with the majority warning); Esc records nothing.
  await item.getByTestId('decision-text').press('Control+Enter');
  await expectDialog(page, /^记录会议决定“.+”？$/, '纪要锁定后即作为本案的审批决定', '记录会议决定');
  await expectText(tid(page, 'confirm-warning'), '该决定与多数意见不一致', '决定偏离多数意见的提示');
  await shotsAt(page, shot, '01-decide-confirm');
  await page.keyboard.press('Escape');
  await expectNoDialog(page, 'Esc 后');
  assert((await item.getByTestId('decision-recorded').count()) === 0, 'Esc 后不应记录会议决定');
  // Focus is back in the decision text: Ctrl+Enter again, then 取消.
  assert((await activeTestId(page)) === 'decision-text', `关闭确认框后焦点应回到决定内容，实际在 ${await activeTestId(page)}`);
  await page.keyboard.press('Control+Enter');
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消后');
  const before = await api<{ items: { decision: string | null }[] }>(page, 'meetings.get', { meetingId: await meetingIdOf(page) });
  assert(before.items.every((i) => i.decision === null), '取消后核心中不应有会议决定');
  // Ctrl+Enter, then Enter on the focused confirm button: recorded.
  await item.getByTestId('decision-text').press('Control+Enter');
  await tid(page, 'decide-confirm').focus();
  await page.keyboard.press('Enter');
  await expectText(item.getByTestId('decision-recorded'), '不同意', '已记录的会议决定');
  await signOut(page);

  // The chair: 锁定纪要 asks; Cancel leaves it open; confirming locks it for good.
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'lock-open').click();
  await expectDialog(page, '确认并锁定会议纪要？', '锁定后纪要不能再修改，只能追加补正', '锁定纪要', 'lock-confirm-box');
  await shotsAt(page, shot, '02-lock-confirm');
  await tid(page, 'confirm-cancel').click();
  await expectNoDialog(page, '取消锁定后', 'lock-confirm-box');
  const meetingId = await meetingIdOf(page);
  assert(!(await api<{ locked: boolean }>(page, 'meetings.get', { meetingId })).locked, '取消后纪要不应锁定');
  assert(!(await tid(page, 'lock-open').isDisabled()), '取消后仍可锁定');
  await tid(page, 'lock-open').click();
  await tid(page, 'lock-confirm').click();
  await expectText(tid(page, 'lock-done'), '纪要已确认并锁定', '锁定后按钮旁的结果');
  assert(await tid(page, 'lock-open').isDisabled(), '锁定后“确认并锁定纪要”按钮应不可用');
  await shotsAt(page, shot, '03-locked');

  // The case: 决定：不予批准 in red, 决定 (not 批准人) in the header; 确认会议纪要 once in the timeline.
  await page.evaluate((h) => {
    window.location.hash = h;
  }, `#/case/${idD}`);
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectBadge(page, '未批准', 'reject', RED, '会议不予批准后');
  await expectText(tid(page, 'responsible-approver-term'), /^决定$/, '会议决定的负责人栏');
  await expectText(tid(page, 'responsible-approver'), '不予批准', '会议决定');
  await expectText(tid(page, 'head-approval-decision'), '决定：不予批准', '页头的会议决定');
  assert(!/(?<!不予)批准人/.test(await page.locator('.case-head').innerText()), '会议不予批准的案件页头不应出现“批准人”');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shotsAt(page, shot, '04-case-header-after-meeting');
  await tid(page, 'tab-timeline').click();
  const labels = await tid(page, 'timeline-label').allInnerTexts();
  const confirms = labels.filter((l) => l.trim() === '确认会议纪要').length;
  assert(confirms === 1, `时间线应只列一次“确认会议纪要”，实际 ${confirms} 次：${labels.join('、')}`);
  await shotsAt(page, shot, '05-case-timeline-after-meeting');
}

async function meetingIdOf(page: Page): Promise<number> {
  const id = Number(/#\/meeting\/(\d+)/.exec(page.url())?.[1]);
  assert(id > 0, `会议页地址应含会议编号：${page.url()}`);
  return id;
}
