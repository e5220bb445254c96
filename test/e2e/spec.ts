// End-to-end specs: they drive the UI the way an officer would (labels, buttons, keyboard), against the
// real core. Each spec starts on a fresh database with the app already loaded in `page`.
// Used by run.ts (Chromium + HTTP harness) and electron.ts (the packaged window).
import type { Locator, Page } from 'playwright-core';
import { isValidCreditCode, isValidResidentId } from '../../main/core/domain/ids';

export type Shot = (name: string) => Promise<void>;
export type Spec = (page: Page, shot: Shot) => Promise<void>;

const T = 15_000;

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A valid unified social credit code (GB 32100): 91110000600037341L. */
const CREDIT_CODE = '91110000600037341L';
const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'Admin#2024pass' };
const PASSWORD = 'Passw0rd!2024';

interface NewUser {
  username: string;
  displayName: string;
  roles: string[];
  certNo?: string;
  certExpiry?: string;
  qualificationNo?: string;
}

const cstToday = (offsetDays = 0): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
const certExpiry = `${new Date().getFullYear() + 3}-12-31`;

const HANDLER: NewUser = { username: 'zhang', displayName: '张承办', roles: ['handler'], certNo: '京执法A0012345', certExpiry };
const OFFICER: NewUser = { username: 'li', displayName: '李执法', roles: ['handler'], certNo: '京执法A0012346', certExpiry };
const REVIEWER: NewUser = { username: 'wang', displayName: '王审核', roles: ['reviewer'], qualificationNo: 'A20191101000123' };
const HEAD: NewUser = { username: 'zhao', displayName: '赵局长', roles: ['agency_head'] };

interface CaseFixture {
  caseNo: string;
  title: string;
  catalogItem: string;
  partyType: 'organization' | 'citizen';
  partyName: string;
  partyId: string;
  partyAddress: string;
  facts: string;
  evidence: string[];
  basis: { law: string; article: string }[];
  proposed: string;
  fine: string;
  procedure: { step: string; date: string; note?: string }[];
  officers: string[];
}

const CASE: CaseFixture = {
  caseNo: '京市监罚〔2024〕18号',
  title: '某科技有限公司发布虚假广告案',
  catalogItem: 'penalty.fine_org',
  partyType: 'organization',
  partyName: '北京某某科技有限公司',
  partyId: CREDIT_CODE,
  partyAddress: '北京市海淀区中关村大街1号',
  facts: '当事人在其网站发布含有“国家级”“最高级”等用语的广告，宣传其产品疗效，经查无任何依据。',
  evidence: ['现场检查笔录', '网页截图及电子数据提取笔录', '询问笔录（法定代表人）'],
  basis: [
    { law: '中华人民共和国广告法', article: '第五十七条第一项' },
    { law: '中华人民共和国行政处罚法', article: '第二十八条' },
  ],
  proposed: '责令停止发布违法广告，并处罚款80000元。',
  fine: '80000',
  procedure: [
    { step: '立案', date: cstToday(-40) },
    { step: '调查取证', date: cstToday(-30), note: '现场检查、询问' },
    { step: '告知', date: cstToday(-10), note: '送达行政处罚告知书' },
    { step: '听证', date: cstToday(-3), note: '当事人申请听证，已举行' },
  ],
  officers: [HANDLER.username, OFFICER.username],
};

// ---------------------------------------------------------------------------------------------
// Small assertion helpers (playwright-core has no expect()).

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`断言失败：${message}`);
}

async function expectText(loc: Locator, expected: string | RegExp, what: string): Promise<void> {
  try {
    await loc.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: T });
  } catch {
    const actual = await loc.allInnerTexts().catch(() => [] as string[]);
    throw new Error(`断言失败：${what} 应包含 ${String(expected)}，实际为 ${JSON.stringify(actual)}`);
  }
}

async function expectChecked(loc: Locator, what: string): Promise<void> {
  assert(await loc.isChecked(), `${what} 应为选中状态`);
}

const tid = (page: Page, id: string) => page.getByTestId(id);

/** Waits for the autosave indicator to report that everything typed so far is saved. */
async function autosaved(page: Page, testId = 'autosave'): Promise<void> {
  await page.locator(`[data-testid="${testId}"][data-state="saved"]`).waitFor({ timeout: T });
}

// ---------------------------------------------------------------------------------------------
// Steps

async function firstRunSetup(page: Page, shot?: Shot): Promise<void> {
  await tid(page, 'setup-form').waitFor({ timeout: T });
  await page.getByLabel('机关名称').fill('北京市某区市场监督管理局');
  await page.getByLabel('文号前缀').fill('京某市监罚');
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('姓名').fill(ADMIN.displayName);
  await tid(page, 'setup-password').fill(ADMIN.password);
  await page.getByLabel('确认密码').fill(ADMIN.password);
  if (shot) await shot('01-setup');
  await tid(page, 'setup-submit').click();
  await expectText(tid(page, 'current-user'), ADMIN.displayName, '页头当前用户');
  await expectText(tid(page, 'agency-name'), '北京市某区市场监督管理局', '页头机关名称');
}

async function createUser(page: Page, u: NewUser): Promise<void> {
  await tid(page, 'user-new').click();
  const form = tid(page, 'user-create-form');
  await form.waitFor({ timeout: T });
  await form.getByLabel('用户名').fill(u.username);
  await form.getByLabel('姓名').fill(u.displayName);
  await form.getByLabel('初始密码').fill(PASSWORD);
  for (const r of u.roles) await tid(page, `user-role-${r}`).check();
  if (u.certNo) await form.getByLabel('执法证号').fill(u.certNo);
  if (u.certExpiry) await form.getByLabel('执法证有效期至').fill(u.certExpiry);
  if (u.qualificationNo) await form.getByLabel('法律职业资格证号').fill(u.qualificationNo);
  await tid(page, 'user-save').click();
  await expectText(tid(page, 'users-notice'), `已新增用户“${u.displayName}”`, '新增用户提示');
  await page.locator(`[data-testid="user-row"][data-username="${u.username}"]`).waitFor({ timeout: T });
}

async function signOut(page: Page): Promise<void> {
  await tid(page, 'sign-out').click();
  await tid(page, 'signin-form').waitFor({ timeout: T });
}

async function signIn(page: Page, username: string, displayName: string, password = PASSWORD): Promise<void> {
  await tid(page, 'signin-form').waitFor({ timeout: T });
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByLabel('密码').press('Enter');
  await expectText(tid(page, 'current-user'), displayName, '登录后的当前用户');
  await tid(page, 'queue-page').waitFor({ timeout: T });
}

async function fillCaseForm(page: Page, c: CaseFixture): Promise<void> {
  await tid(page, 'submit-form').waitFor({ timeout: T });
  await page.getByLabel('案件编号').fill(c.caseNo);
  await page.getByLabel('案件名称').fill(c.title);
  await page.getByLabel('决定类型').selectOption('penalty');
  await page.getByLabel('重大执法决定目录事项').selectOption(c.catalogItem);
  await tid(page, `f-partyType-${c.partyType}`).check();
  await tid(page, 'f-partyName').fill(c.partyName);
  await tid(page, 'f-partyId').fill(c.partyId);
  await tid(page, 'f-partyAddress').fill(c.partyAddress);
  await page.getByLabel('违法事实').fill(c.facts);
  for (let i = 0; i < c.evidence.length; i++) {
    if (i > 0) await tid(page, 'evidence-add').click();
    await page.getByLabel(`证据第${i + 1}项`, { exact: true }).fill(c.evidence[i]);
  }
  for (let i = 0; i < c.basis.length; i++) {
    if (i > 0) await tid(page, 'basis-add').click();
    await page.getByLabel(`法律依据第${i + 1}行的法律名称`).fill(c.basis[i].law);
    await page.getByLabel(`法律依据第${i + 1}行的条款`).fill(c.basis[i].article);
  }
  await page.getByLabel('拟作出的决定').fill(c.proposed);
  await page.getByLabel('罚款金额（元）').fill(c.fine);
  // The form opens with three rows (立案, 调查取证, 告知); add rows as needed.
  const rows = await page.locator('[data-testid^="f-proc-step-"]').count();
  for (let i = 0; i < c.procedure.length; i++) {
    if (i >= rows) await tid(page, 'procedure-add').click();
    const p = c.procedure[i];
    await page.getByLabel(`程序第${i + 1}行的环节`).fill(p.step);
    await page.getByLabel(`程序第${i + 1}行的日期`).fill(p.date);
    if (p.note) await page.getByLabel(`程序第${i + 1}行的说明`).fill(p.note);
  }
  for (const o of c.officers) await tid(page, `f-officer-${o}`).check();
}

async function attachFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel('添加附件（可多选）').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
  await page.locator('[data-testid="attachment-item"]', { hasText: name }).waitFor({ timeout: T });
}

async function openCaseFromQueue(page: Page, caseNo: string, reason: string): Promise<void> {
  await tid(page, 'nav-queue').click();
  const row = page.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`);
  await row.waitFor({ timeout: T });
  await expectText(row, reason, '待办事项');
  await row.getByTestId('case-link').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

async function setFinding(page: Page, n: number, result: 'conform' | 'nonconform' | 'needs_correction', reason = ''): Promise<void> {
  await tid(page, `criterion-${n}-${result}`).check();
  if (reason) await tid(page, `criterion-${n}-reason`).fill(reason);
}

// ---------------------------------------------------------------------------------------------
// Specs

/** The whole spine: setup → users → submission → review (with a refusal and a reload) → approval → timeline. */
export async function walkWholePath(page: Page, shot: Shot): Promise<void> {
  assert(isValidCreditCode(CASE.partyId), '测试用统一社会信用代码应通过 GB 32100 校验');

  // 1. First run, then the administrator opens the accounts.
  await firstRunSetup(page, shot);
  await tid(page, 'nav-users').click();
  await tid(page, 'users-page').waitFor({ timeout: T });
  for (const u of [HANDLER, OFFICER, REVIEWER, HEAD]) await createUser(page, u);
  await shot('02-users');
  await signOut(page);

  // 2. The handler fills the submission form, attaches a file, and the draft survives leaving the page.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await shot('03-queue-handler');
  await tid(page, 'nav-submit').click();
  await fillCaseForm(page, CASE);
  await attachFile(page, '现场检查笔录.txt', '现场检查笔录\n检查时间：……\n检查人员：张承办、李执法');
  await autosaved(page);
  await expectText(tid(page, 'autosave'), /已自动保存 \d{2}:\d{2}:\d{2}/, '自动保存提示');
  await shot('04-submit-form');
  await tid(page, 'nav-queue').click();
  await tid(page, 'queue-page').waitFor({ timeout: T });
  await tid(page, 'nav-submit').click();
  await tid(page, 'draft-restored').waitFor({ timeout: T });
  assert((await page.getByLabel('案件编号').inputValue()) === CASE.caseNo, '重新打开送审页后应恢复自动保存的案件编号');
  await page.locator('[data-testid="attachment-item"]', { hasText: '现场检查笔录.txt' }).waitFor({ timeout: T });
  // Submit with the keyboard (Ctrl+Enter inside the form).
  await page.getByLabel('案件名称').press('Control+Enter');
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已送审', '送审后的案件状态');
  await expectText(tid(page, 'responsible-handler'), HANDLER.displayName, '承办人');
  await expectText(tid(page, 'fine'), '捌万元整', '罚款金额大写');
  await expectText(tid(page, 'submission-attachment'), '现场检查笔录.txt', '送审附件');
  await shot('05-case-submitted');
  // The draft was cleared by the successful submission.
  await tid(page, 'nav-submit').click();
  await tid(page, 'submit-form').waitFor({ timeout: T });
  assert((await tid(page, 'draft-restored').count()) === 0, '送审成功后不应再恢复草稿');
  assert((await page.getByLabel('案件编号').inputValue()) === '', '送审成功后送审表应为空白');
  await signOut(page);

  // 3. The reviewer takes the case and reviews it.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await shot('06-queue-reviewer');
  await openCaseFromQueue(page, CASE.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 3) await setFinding(page, 3, 'needs_correction', '听证笔录未附当事人签字页，须补正。');
    else await setFinding(page, n, 'conform', n === 6 ? '罚款数额在裁量基准第二档范围内。' : '');
  }
  // The findings are plain radio groups: arrow keys move between 符合 / 不符合 / 需补正.
  await tid(page, 'criterion-9-conform').focus();
  await page.keyboard.press('ArrowRight');
  await expectChecked(tid(page, 'criterion-9-nonconform'), '方向键选择第9项“不符合”');
  assert((await tid(page, 'criterion-9-reason').getAttribute('aria-required')) === 'true', '结论不是“符合”时理由应标为必填');
  await tid(page, 'criterion-9-nonconform').focus();
  await page.keyboard.press('ArrowLeft');
  await expectChecked(tid(page, 'criterion-9-conform'), '方向键改回第9项“符合”');
  await tid(page, 'outcome-agree').check();
  await autosaved(page);

  // A reload keeps the autosaved findings.
  await page.reload();
  await tid(page, 'review-page').waitFor({ timeout: T });
  await tid(page, 'draft-restored').waitFor({ timeout: T });
  await expectChecked(tid(page, 'criterion-3-needs_correction'), '刷新后第3项“需补正”');
  await expectChecked(tid(page, 'criterion-1-conform'), '刷新后第1项“符合”');
  await expectChecked(tid(page, 'criterion-9-conform'), '刷新后第9项“符合”');
  await expectChecked(tid(page, 'outcome-agree'), '刷新后审核意见“同意”');
  assert(
    (await tid(page, 'criterion-3-reason').inputValue()) === '听证笔录未附当事人签字页，须补正。',
    '刷新后第3项理由应保留',
  );
  await shot('07-review-page');

  // 同意 with a 需补正 finding is refused by the core, and its message is shown as is.
  await tid(page, 'review-issue').click();
  await expectText(tid(page, 'review-error'), '第3项结论为不符合或需补正，不能出具“同意”意见', '“同意”与缺陷并存时的拒绝提示');
  await tid(page, 'review-error').scrollIntoViewIfNeeded();
  await shot('08-refusal');
  await setFinding(page, 3, 'conform', '听证笔录已核对，程序合法。');
  await page.getByLabel('审核意见书正文').fill('经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处罚决定。');
  await tid(page, 'review-issue').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已审核', '出具意见后的案件状态');
  await expectText(tid(page, 'responsible-reviewer'), REVIEWER.displayName, '审核人');
  await tid(page, 'tab-reviews').click();
  await expectText(tid(page, 'review-round-1'), '同意', '审核意见');
  assert((await tid(page, 'review-round-1').locator('tbody tr').count()) === 9, '审核意见应包含九项结论');
  await signOut(page);

  // 4. The agency head approves.
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, CASE.caseNo, '待负责人审批');
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-panel').waitFor({ timeout: T });
  await expectText(tid(page, 'approval-review-outcome'), '同意', '审批面板显示的法制审核意见');
  await tid(page, 'approval-approve').check();
  await page.getByLabel('审批意见').fill('同意法制审核意见，批准作出处罚决定。');
  // The override declaration reveals a required reason field; it is not needed here, so it is unticked again.
  await tid(page, 'approval-override').check();
  await tid(page, 'approval-override-reason').waitFor({ timeout: T });
  await tid(page, 'approval-override').uncheck();
  assert((await tid(page, 'approval-override-reason').count()) === 0, '取消勾选后不采纳理由栏应隐藏');
  await shot('09-approval');
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'state-badge'), '已批准', '审批后的案件状态');
  assert((await tid(page, 'override-banner').count()) === 0, '采纳审核意见时不应显示不采纳横幅');

  // 5. The timeline and the three responsible persons.
  await tid(page, 'tab-timeline').click();
  const labels = tid(page, 'timeline-label');
  for (const label of ['送审', '领取审核', '出具审核意见', '负责人审批']) {
    await expectText(labels, new RegExp(`^${label}$`), `时间线中的“${label}”`);
  }
  const seen = await labels.allInnerTexts();
  assert(
    seen.indexOf('送审') < seen.indexOf('领取审核') && seen.indexOf('领取审核') < seen.indexOf('出具审核意见') && seen.indexOf('出具审核意见') < seen.indexOf('负责人审批'),
    `时间线顺序应为 送审→领取审核→出具审核意见→负责人审批，实际为 ${seen.join('→')}`,
  );
  await expectText(tid(page, 'responsible-handler'), HANDLER.displayName, '承办人');
  await expectText(tid(page, 'responsible-reviewer'), REVIEWER.displayName, '审核人');
  await expectText(tid(page, 'responsible-approver'), HEAD.displayName, '批准人');
  await expectText(tid(page, 'timeline'), /\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}/, '时间线时间格式');
  await shot('10-timeline');
  await signOut(page);

  // 6. The administrator verifies the tamper-evident record.
  await signIn(page, ADMIN.username, ADMIN.displayName, ADMIN.password);
  await tid(page, 'nav-audit').click();
  await tid(page, 'audit-verify').click();
  await expectText(tid(page, 'audit-result'), '校验通过', '记录校验结果');
  assert((await tid(page, 'audit-result').getAttribute('data-ok')) === 'true', '记录校验应通过');
  await shot('11-audit');
}

/** Bad input is refused with a Chinese message and nothing is saved. */
export async function refusals(page: Page, shot: Shot): Promise<void> {
  const badId = '110101199003071234';
  assert(!isValidResidentId(badId), '测试用身份证号码应不能通过校验');

  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER]) await createUser(page, u);
  await signOut(page);
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await tid(page, 'nav-submit').click();

  const citizenCase: CaseFixture = {
    ...CASE,
    caseNo: '京市监罚〔2024〕19号',
    title: '王某无照经营案',
    catalogItem: 'penalty.fine_citizen',
    partyType: 'citizen',
    partyName: '王某',
    partyId: badId,
    partyAddress: '北京市朝阳区某街道2号',
    facts: '当事人未依法取得营业执照，擅自在某小区底商从事餐饮经营活动，经责令改正后仍继续经营。',
    evidence: ['现场检查笔录', '询问笔录（当事人）'],
    basis: [{ law: '无证无照经营查处办法', article: '第十三条' }],
    proposed: '处罚款6000元。',
    fine: '6000',
  };
  await fillCaseForm(page, citizenCase);
  await tid(page, 'submit-case').click();
  const err = tid(page, 'submit-error');
  await expectText(err, `当事人身份证号码“${badId}”校验不通过（GB 11643）`, '错误身份证号的拒绝提示');
  const msg = await err.innerText();
  assert(/[\u4e00-\u9fff]/.test(msg) && !/[A-Za-z]{4,}\.[A-Za-z]/.test(msg), `拒绝提示应为中文且不含字段路径：${msg}`);
  await shot('refusal-bad-id');

  // Below the catalog threshold: not a major decision.
  await tid(page, 'f-partyId').fill('110101199003071233');
  await page.getByLabel('罚款金额（元）').fill('3000');
  await tid(page, 'submit-case').click();
  await expectText(err, '不属于须法制审核的重大执法决定', '低于目录标准的拒绝提示');

  // Only one officer.
  await page.getByLabel('罚款金额（元）').fill('6000');
  await tid(page, `f-officer-${OFFICER.username}`).uncheck();
  await tid(page, 'submit-case').click();
  await expectText(err, '执法人员不得少于两人', '执法人员不足的拒绝提示');

  // Missing evidence: the schema's message arrives with a Chinese field name, not a field path.
  await tid(page, `f-officer-${OFFICER.username}`).check();
  await page.getByLabel('违法事实').fill('');
  await tid(page, 'submit-case').click();
  await expectText(err, '违法事实不能为空', '违法事实为空的拒绝提示');
  const msg2 = await err.innerText();
  assert(!msg2.includes('字段 '), `拒绝提示不应出现字段路径：${msg2}`);
  await shot('refusal-empty-facts');

  // Nothing was saved.
  await tid(page, 'nav-search').click();
  await tid(page, 'search-page').waitFor({ timeout: T });
  await expectText(tid(page, 'search-total'), '共 0 件', '检索结果总数');
  await tid(page, 'search-empty').waitFor({ timeout: T });
  await tid(page, 'nav-queue').click();
  await tid(page, 'queue-empty').waitFor({ timeout: T });
}

/**
 * The other branches: 退回 with requests → 补正后重新送审 (prefilled, with a change note) → 不同意 →
 * the head approves anyway with an explicit override (red banner) → the handler closes the case.
 */
export async function returnResubmitOverride(page: Page, shot: Shot): Promise<void> {
  const c: CaseFixture = { ...CASE, caseNo: '京市监罚〔2024〕20号', title: '某贸易有限公司销售不合格产品案' };
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER, REVIEWER, HEAD]) await createUser(page, u);
  await signOut(page);

  await signIn(page, HANDLER.username, HANDLER.displayName);
  await tid(page, 'nav-submit').click();
  await fillCaseForm(page, c);
  await tid(page, 'submit-case').click();
  await expectText(tid(page, 'state-badge'), '已送审', '送审后的案件状态');
  await signOut(page);

  // The reviewer returns the case with a concrete request.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 3) await setFinding(page, 3, 'needs_correction', '听证笔录缺当事人签字页。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, 'outcome-return').check();
  // 退回 without requests is refused.
  await tid(page, 'review-issue').click();
  await expectText(tid(page, 'review-error'), '退回须逐项列明需要补充或更正的内容', '退回未列明要求的拒绝提示');
  await page.getByLabel('退回要求第1项', { exact: true }).fill('补充听证笔录当事人签字页。');
  await tid(page, 'review-issue').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已退回', '退回后的案件状态');
  await signOut(page);

  // The handler resubmits: the form is prefilled from round 1 and the requests are shown.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '已退回，待补正后重新送审');
  await tid(page, 'action-resubmit').click();
  await tid(page, 'resubmit-page').waitFor({ timeout: T });
  await expectText(tid(page, 'return-requests'), '补充听证笔录当事人签字页。', '退回要求');
  assert((await page.getByLabel('案件编号').inputValue()) === c.caseNo, '重新送审表应预填第1轮的案件编号');
  assert((await tid(page, 'f-partyId').inputValue()) === c.partyId, '重新送审表应预填当事人证件号码');
  await tid(page, 'submit-case').click();
  await expectText(tid(page, 'submit-error'), '补正说明不能为空', '缺补正说明的拒绝提示');
  await page.getByLabel('补正说明').fill('已补充听证笔录当事人签字页（见证据第4项）。');
  await tid(page, 'evidence-add').click();
  await page.getByLabel('证据第4项', { exact: true }).fill('听证笔录（含当事人签字页）');
  await shot('01-resubmit-form');
  await tid(page, 'submit-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已送审', '重新送审后的案件状态');
  await tid(page, 'submission-round-2').waitFor({ timeout: T });
  assert((await tid(page, 'submission-round-1').evaluate((el) => el.tagName)) === 'DETAILS', '第1轮送审材料应可折叠');
  assert(!(await tid(page, 'submission-round-1').evaluate((el) => (el as HTMLDetailsElement).open)), '第1轮送审材料默认应折叠');
  await expectText(tid(page, 'submission-round-2'), '已补充听证笔录当事人签字页', '补正说明');
  await shot('02-round-2');
  await signOut(page);

  // Round 2: the reviewer disagrees.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 6) await setFinding(page, 6, 'nonconform', '罚款数额超出裁量基准第二档上限。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, 'outcome-disagree').check();
  await page.getByLabel('审核意见书正文').fill('经审核，拟处罚款数额明显不当，不同意按送审方案作出决定。');
  await tid(page, 'review-issue').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已审核', '不同意后的案件状态');
  await signOut(page);

  // The head approves anyway: refused until the override is declared with a reason.
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, c.caseNo, '待负责人审批');
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-approve').check();
  await tid(page, 'approval-departs-hint').waitFor({ timeout: T });
  await page.getByLabel('审批意见').fill('批准。');
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'approval-error'), '须明确声明不采纳法制审核意见并写明理由', '未声明不采纳时的拒绝提示');
  await tid(page, 'approval-override').check();
  await page.getByLabel('不采纳理由').fill('该企业系屡次违法，依集体讨论意见从重处罚。');
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'state-badge'), '已批准', '审批后的案件状态');
  await expectText(tid(page, 'override-banner'), '负责人不采纳法制审核意见', '不采纳横幅');
  await expectText(tid(page, 'override-banner'), '该企业系屡次违法', '不采纳理由');
  await expectText(tid(page, 'responsible-approver'), HEAD.displayName, '批准人');
  await shot('03-override-banner');
  await signOut(page);

  // The handler closes the case; the banner stays.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '已审批，待办结');
  await tid(page, 'action-close').click();
  await tid(page, 'action-close-confirm').click();
  await expectText(tid(page, 'state-badge'), '已办结', '办结后的案件状态');
  await tid(page, 'override-banner').waitFor({ timeout: T });
  await tid(page, 'tab-timeline').click();
  for (const label of ['送审', '领取审核', '出具审核意见', '补正后重新送审', '负责人审批', '办结']) {
    await expectText(tid(page, 'timeline-label'), new RegExp(`^${label}$`), `时间线中的“${label}”`);
  }
  await expectText(tid(page, 'timeline'), '不采纳法制审核意见', '时间线中的不采纳记录');
  await shot('04-closed-timeline');
}

export const SPECS: { name: string; fn: Spec }[] = [
  { name: 'walkWholePath', fn: walkWholePath },
  { name: 'refusals', fn: refusals },
  { name: 'returnResubmitOverride', fn: returnResubmitOverride },
];
