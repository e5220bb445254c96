// End-to-end specs: they drive the UI the way an officer would (labels, buttons, keyboard), against the
// real core. Each spec starts on a fresh database with the app already loaded in `page`.
// Used by run.ts (Chromium + HTTP harness) and electron.ts (the packaged window).
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { isValidCreditCode, isValidResidentId } from '../../main/core/domain/ids';

export type Shot = (name: string) => Promise<void>;
export type Spec = (page: Page, shot: Shot) => Promise<void>;

export const T = 15_000;

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A valid unified social credit code (GB 32100): 91110000600037341L. */
const CREDIT_CODE = '91110000600037341L';
export const ADMIN = { username: 'admin', displayName: '系统管理员', password: 'Admin#2024pass' };
export const PASSWORD = 'Passw0rd!2024';

export interface NewUser {
  username: string;
  displayName: string;
  roles: string[];
  certNo?: string;
  certExpiry?: string;
  qualificationNo?: string;
}

export const cstToday = (offsetDays = 0): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
export const certExpiry = `${new Date().getFullYear() + 3}-12-31`;

export const HANDLER: NewUser = { username: 'zhang', displayName: '张承办', roles: ['handler'], certNo: '京执法A0012345', certExpiry };
export const OFFICER: NewUser = { username: 'li', displayName: '李执法', roles: ['handler'], certNo: '京执法A0012346', certExpiry };
export const REVIEWER: NewUser = { username: 'wang', displayName: '王审核', roles: ['reviewer'], qualificationNo: 'A20191101000123' };
export const HEAD: NewUser = { username: 'zhao', displayName: '赵局长', roles: ['agency_head'] };

export interface CaseFixture {
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

export const CASE: CaseFixture = {
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

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(`断言失败：${message}`);
}

export async function expectText(loc: Locator, expected: string | RegExp, what: string): Promise<void> {
  try {
    await loc.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: T });
  } catch {
    const actual = await loc.allInnerTexts().catch(() => [] as string[]);
    throw new Error(`断言失败：${what} 应包含 ${String(expected)}，实际为 ${JSON.stringify(actual)}`);
  }
}

export async function expectChecked(loc: Locator, what: string): Promise<void> {
  assert(await loc.isChecked(), `${what} 应为选中状态`);
}

export const tid = (page: Page, id: string) => page.getByTestId(id);

/** A screenshot at 1366×768 and at 1024×768, the viewport restored after. */
export async function shotsAt(page: Page, shot: Shot, label: string): Promise<void> {
  const before = page.viewportSize();
  for (const [w, h] of [[1366, 768], [1024, 768]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(150);
    await shot(`${label}-${w}x${h}`);
  }
  if (before) await page.setViewportSize(before);
}


/** Waits for the autosave indicator to report that everything typed so far is saved. */
export async function autosaved(page: Page, testId = 'autosave'): Promise<void> {
  await page.locator(`[data-testid="${testId}"][data-state="saved"]`).waitFor({ timeout: T });
}

// ---------------------------------------------------------------------------------------------
// Steps

export async function firstRunSetup(page: Page, shot?: Shot): Promise<void> {
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

export async function createUser(page: Page, u: NewUser): Promise<void> {
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

export async function signOut(page: Page): Promise<void> {
  await tid(page, 'sign-out').click();
  await tid(page, 'signin-form').waitFor({ timeout: T });
}

export async function signIn(page: Page, username: string, displayName: string, password = PASSWORD): Promise<void> {
  await tid(page, 'signin-form').waitFor({ timeout: T });
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByLabel('密码').press('Enter');
  await expectText(tid(page, 'current-user'), displayName, '登录后的当前用户');
  await tid(page, 'queue-page').waitFor({ timeout: T });
}

export async function fillCaseForm(page: Page, c: CaseFixture): Promise<void> {
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

export async function openCaseFromQueue(page: Page, caseNo: string, reason: string): Promise<void> {
  await tid(page, 'nav-queue').click();
  const row = page.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`);
  await row.waitFor({ timeout: T });
  await expectText(row, reason, '待办事项');
  await row.getByTestId('case-link').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

export async function setFinding(page: Page, n: number, result: 'conform' | 'nonconform' | 'needs_correction', reason = ''): Promise<void> {
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
  await tid(page, 'confirm-ok').click();
  await expectText(tid(page, 'review-error'), '第3项结论为不符合或需补正，不能出具“同意”意见', '“同意”与缺陷并存时的拒绝提示');
  await tid(page, 'review-error').scrollIntoViewIfNeeded();
  await shot('08-refusal');
  await setFinding(page, 3, 'conform', '听证笔录已核对，程序合法。');
  await page.getByLabel('审核意见书正文').fill('经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处罚决定。');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
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
  // Approving what the legal office agreed to departs from nothing: no override declaration is offered.
  assert((await tid(page, 'approval-override').count()) === 0, '与审核意见一致时不显示不采纳声明');
  await tid(page, 'approval-reject').check();
  await tid(page, 'approval-override').waitFor({ timeout: T });
  await tid(page, 'approval-approve').check();
  assert((await tid(page, 'approval-override').count()) === 0, '改回批准后不采纳声明应隐藏');
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
  await expectText(tid(page, 'timeline'), /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/, '时间线时间格式');
  await shot('10-timeline');
  await signOut(page);

  // 6. The administrator verifies the tamper-evident record.
  await signIn(page, ADMIN.username, ADMIN.displayName, ADMIN.password);
  await tid(page, 'nav-audit').click();
  await tid(page, 'audit-verify').click();
  await expectText(tid(page, 'audit-result'), '校验通过', '记录校验结果');
  assert((await tid(page, 'audit-result').getAttribute('data-ok')) === 'true', '记录校验应通过');
  // The same facts as `lrw audit verify`: the chain, the rows, the one stored attachment re-hashed.
  await expectText(tid(page, 'audit-count'), /^\d+ 条，哈希链完整/, '校验的事件数');
  await expectText(tid(page, 'audit-rows'), /^\d+ 行，均与为其作证的事件相符/, '校验的记录行数');
  await expectText(tid(page, 'audit-files'), '1 个，均与保存时的校验值一致', '重新计算校验值的文件');
  await shot('11-audit');
  // A quick verification with the keyboard (Space on the option, Enter on the button) says it skipped the files.
  await tid(page, 'audit-quick').focus();
  await page.keyboard.press('Space');
  await tid(page, 'audit-verify').focus();
  await page.keyboard.press('Enter');
  await expectText(tid(page, 'audit-files'), '未校验文件（快速校验）', '快速校验的文件一栏');
  assert((await tid(page, 'alarm-banner').count()) === 0, '校验通过时不应有记录校验警报');
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

  // Switching the party type clears what no longer applies (a company's name and credit code are not a
  // citizen's); switching back brings back what was typed for that kind of party.
  await tid(page, 'submit-form').waitFor({ timeout: T });
  await tid(page, 'f-partyType-organization').check();
  await tid(page, 'f-partyName').fill('北京某某科技有限公司');
  await tid(page, 'f-partyId').fill(CREDIT_CODE);
  await tid(page, 'f-partyAddress').fill('北京市海淀区某路1号');
  await tid(page, 'f-partyType-citizen').check();
  for (const f of ['f-partyName', 'f-partyId', 'f-partyAddress']) {
    assert((await tid(page, f).inputValue()) === '', `换成“公民”后 ${f} 应已清空，实为“${await tid(page, f).inputValue()}”`);
  }
  await tid(page, 'f-partyName').fill('王某');
  await tid(page, 'f-partyType-organization').check();
  assert((await tid(page, 'f-partyName').inputValue()) === '北京某某科技有限公司', '换回“法人或其他组织”后应恢复所填的名称');
  assert((await tid(page, 'f-partyId').inputValue()) === CREDIT_CODE, '换回后应恢复统一社会信用代码');
  await tid(page, 'f-partyType-citizen').check();
  assert((await tid(page, 'f-partyName').inputValue()) === '王某', '再换成“公民”应恢复所填的姓名');

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
  await expectText(err, '低于目录清单标准', '低于目录标准的拒绝提示');

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
 * the head may not approve against 不同意 alone and rejects → the handler proposes ending (不予行政处罚), a reviewer reviews, a head approves → the handler closes the case.
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
  await tid(page, 'confirm-ok').click();
  await expectText(tid(page, 'review-error'), '退回须逐项列明需要补充或更正的内容', '退回未列明要求的拒绝提示');
  await page.getByLabel('退回要求第1项', { exact: true }).fill('补充听证笔录当事人签字页。');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
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

  // Round 2: the reviewer first sees what changed since the return, then disagrees.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  assert((await tid(page, 'submission-compare-from').inputValue()) === '1' && (await tid(page, 'submission-compare-to').inputValue()) === '2', '默认对比被退回的第1轮与第2轮');
  await tid(page, 'submission-compare').click();
  const changes = tid(page, 'submission-diff');
  await expectText(changes.getByTestId('diff-item-added'), '听证笔录（含当事人签字页）', '对比中新增的证据');
  await expectText(changes, '已补充听证笔录当事人签字页', '对比中的补正说明');
  assert((await changes.getByTestId('diff-item-removed').count()) === 0, '没有删除的证据');
  assert((await changes.locator('[data-testid="submission-change"]').count()) === 1, '只有证据材料一项改动');
  await tid(page, 'submission-compare-section').scrollIntoViewIfNeeded();
  await shot('02b-what-changed');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 6) await setFinding(page, 6, 'nonconform', '罚款数额超出裁量基准第二档上限。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, 'outcome-disagree').check();
  await page.getByLabel('审核意见书正文').fill('经审核，拟处罚款数额明显不当，不同意按送审方案作出决定。');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已审核', '不同意后的案件状态');
  await signOut(page);

  // The head may not approve against 不同意 alone (审核办法第三条; departing only through collective
  // discussion): the approve choice is disabled and the reason is shown. The head rejects instead.
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, c.caseNo, '法制审核不同意：可不予批准');
  await tid(page, 'action-approve').click();
  await expectText(tid(page, 'approval-bar'), '只能经负责人集体讨论决定', '不能单独批准的说明');
  assert(await tid(page, 'approval-approve').isDisabled(), '“批准”应不可选');
  await tid(page, 'approval-reject').check();
  await page.getByLabel('审批意见').fill('同意法制审核意见，由承办单位重新拟定处罚方案或依法终结。');
  await shot('03-approval-bar');
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'state-badge'), '未批准', '不予批准后的案件状态');
  assert((await tid(page, 'override-banner').count()) === 0, '与法制审核意见一致的决定不显示不采纳横幅');
  await signOut(page);

  // The rejection is carried out: the handler proposes ending the matter, a reviewer reviews, a head approves.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '未获批准');
  assert((await tid(page, 'action-close').count()) === 0, '未获批准的案件不能直接办结');
  await tid(page, 'action-revise').waitFor({ timeout: T });
  await tid(page, 'action-end').click();
  await tid(page, 'gate-end-text').fill('经进一步调查，当事人已全部整改并退赔，违法行为轻微并及时改正，没有造成危害后果，依法不予行政处罚。');
  await tid(page, 'gate-end-submit').click();
  await expectText(tid(page, 'gate-end-confirm-text'), '确认提出', '提出终结意见前的确认');
  await tid(page, 'gate-end-submit').click();
  await expectText(tid(page, 'state-badge'), '拟终结（待审核）', '提出终结意见后的状态');
  await expectText(tid(page, 'ending-records'), '不予行政处罚', '终结意见记录');
  await signOut(page);
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, c.caseNo, '承办单位提出终结意见，待审核');
  await tid(page, 'action-ending-review').click();
  await tid(page, 'gate-outcome-agree').check();
  await tid(page, 'gate-endingReview-text').fill('同意不予行政处罚。');
  await tid(page, 'gate-endingReview-submit').click();
  await expectText(tid(page, 'state-badge'), '拟终结（待批准）', '审核终结意见后的状态');
  await signOut(page);
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, c.caseNo, '承办单位拟终结，待批准');
  await tid(page, 'action-ending-decide').click();
  await tid(page, 'gate-outcome-agree').check();
  await tid(page, 'gate-endingDecide-text').fill('同意不予行政处罚。');
  await tid(page, 'gate-endingDecide-submit').click();
  await tid(page, 'gate-endingDecide-confirm-text').waitFor({ timeout: T });
  await shot('03b-ending-confirm');
  await tid(page, 'gate-endingDecide-submit').click();
  await expectText(tid(page, 'state-badge'), '已终结', '批准终结后的状态');
  await signOut(page);

  // The handler closes the case.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '已决定，待办结');
  await tid(page, 'action-close').click();
  await tid(page, 'action-close-confirm').click();
  await expectText(tid(page, 'state-badge'), '已办结', '办结后的案件状态');
  await tid(page, 'tab-timeline').click();
  for (const label of ['送审', '领取审核', '出具审核意见', '补正后重新送审', '负责人审批', '提出终结意见', '审核终结意见', '终结意见的批准决定', '办结']) {
    await expectText(tid(page, 'timeline-label'), new RegExp(`^${label}$`), `时间线中的“${label}”`);
  }
  await shot('04-closed-timeline');
}

// ---------------------------------------------------------------------------------------------
// Dissent, collective discussion and deadlines

export const REVIEWER2: NewUser = { username: 'chen', displayName: '陈复审', roles: ['reviewer'], qualificationNo: 'A20201101000456' };
export const HEAD2: NewUser = { username: 'qian', displayName: '钱副局长', roles: ['agency_head'] };
export const HEAD3: NewUser = { username: 'sun', displayName: '孙副局长', roles: ['agency_head'] };
export const SECRETARY: NewUser = { username: 'zhou', displayName: '周秘书', roles: ['secretary'] };
const LEGAL_HEAD: NewUser = { username: 'liu', displayName: '刘主任', roles: ['legal_head'] };

/** Moves the core's clock (harness with testClock); the browser's own clock is left alone. */
async function setCoreClock(page: Page, at: string): Promise<void> {
  const res = await page.evaluate(async (when) => {
    const r = await fetch('/__test/clock', { method: 'POST', body: JSON.stringify({ at: when }) });
    return r.ok;
  }, at);
  assert(res, `设置测试时钟 ${at} 应成功（须由 run.ts 的测试服务运行）`);
}

export async function submitCase(page: Page, c: CaseFixture): Promise<void> {
  await tid(page, 'nav-submit').click();
  await fillCaseForm(page, c);
  await tid(page, 'submit-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已送审', '送审后的案件状态');
}

/** Nine findings (6 不符合 when disagreeing) and an outcome, on the open review page. */
export async function issueOpinion(page: Page, outcome: 'agree' | 'disagree', opinion: string): Promise<void> {
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 9; n++) {
    if (n === 6 && outcome === 'disagree') await setFinding(page, 6, 'nonconform', '罚款数额超出裁量基准第二档上限，裁量明显不当。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, `outcome-${outcome}`).check();
  await page.getByLabel('审核意见书正文').fill(opinion);
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

/** The live minutes keep their status bar sticky: screenshots are taken from the top of the page. */
async function shotTop(page: Page, shot: Shot, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(name);
}

export const attendee = (page: Page, name: string) => page.locator(`[data-testid="attendee-row"][data-name="${name}"]`);
export const stanceRow = (item: Locator, name: string) => item.locator(`[data-testid="stance-row"][data-name="${name}"]`);

/**
 * The whole dissent path: 不同意 → 申请复审 → another reviewer's 复审, still 不同意 → 提请集体讨论 →
 * the secretary takes live minutes with the keyboard (reloading in the middle loses nothing) → the
 * decision departs from the majority and from the legal office → the chair locks the minutes →
 * an amendment → the case is approved with the override banner and the full timeline.
 */
export async function dissentToMeeting(page: Page, shot: Shot): Promise<void> {
  const c: CaseFixture = { ...CASE, caseNo: '京市监罚〔2024〕31号', title: '某食品有限公司生产不符合安全标准食品案' };
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER, REVIEWER, REVIEWER2, HEAD, HEAD2, HEAD3, SECRETARY]) await createUser(page, u);
  await shot('01-users');
  await signOut(page);

  // 1. The handler submits.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, c);
  await tid(page, 'clocks-section').waitFor({ timeout: T });
  await expectText(tid(page, 'clock-row'), '法制审核期限（第1轮）', '期限栏中的审核期限');
  await shot('02-submitted');
  await signOut(page);

  // 2. Reviewer 1 sees the due date on the calendar, then takes the case and disagrees.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  const row1 = page.locator(`[data-testid="case-row"][data-case-no="${c.caseNo}"]`);
  await expectText(row1.getByTestId('review-clock'), /剩余\d+个工作日|今日到期/, '待办行的审核期限');
  await tid(page, 'nav-calendar').click();
  await tid(page, 'calendar-grid').waitFor({ timeout: T });
  // The upcoming list jumps the month grid to the due date, where the case is placed.
  await page.locator(`[data-testid="upcoming-link"][data-case-no="${c.caseNo}"]`).click();
  await page.locator(`[data-testid="cal-deadline"][data-case-no="${c.caseNo}"]`).first().waitFor({ timeout: T });
  await shot('03-calendar-reviewer');
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await issueOpinion(page, 'disagree', '经审核，拟处罚款数额明显超出裁量基准，不同意按送审方案作出决定。');
  await expectText(tid(page, 'state-badge'), '已审核', '不同意后的案件状态');
  await signOut(page);

  // 3. The handler requests a re-review (reasons required).
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '审核不同意：可申请复审');
  await tid(page, 'action-rereview').click();
  await tid(page, 'rereview-form').waitFor({ timeout: T });
  await tid(page, 'rereview-submit').click();
  await expectText(tid(page, 'rereview-error'), '请写明申请复审的理由', '未写理由的提示');
  await tid(page, 'rereview-reasons').fill('当事人系二次违法且拒不改正，按裁量基准第三档处罚并无不当，请求复审。');
  await shot('04-rereview-form');
  await page.keyboard.press('Control+Enter');
  await expectText(tid(page, 'state-badge'), '已申请复审', '申请复审后的案件状态');
  await expectText(tid(page, 'rereview-request-section'), '当事人系二次违法', '复审申请记录');
  await expectText(tid(page, 'clock-row'), '复审期限', '复审期限');
  assert((await tid(page, 'action-rereview').count()) === 0, '每案只能申请一次复审：申请后按钮应消失');
  await shot('05-rereview-requested');
  await signOut(page);

  // 4. Reviewer 2 takes the re-review: the review page says 复审; still 不同意.
  await signIn(page, REVIEWER2.username, REVIEWER2.displayName);
  await openCaseFromQueue(page, c.caseNo, '承办单位申请复审，待领取');
  await expectText(tid(page, 'action-take'), '领取复审', '领取复审按钮');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  await expectText(tid(page, 'review-title'), '法制复审', '复审页标题');
  await expectText(tid(page, 'rereview-context'), '当事人系二次违法', '复审页显示申请复审理由');
  await shot('06-rereview-page');
  await issueOpinion(page, 'disagree', '经复审，维持原审核意见：拟处罚款数额明显不当，不同意。');
  await expectText(tid(page, 'state-badge'), '已复审', '复审后的案件状态');
  await tid(page, 'tab-reviews').click();
  await expectText(tid(page, 'panel-reviews'), '第1轮复审意见', '复审意见标注为复审');
  await expectText(tid(page, 'panel-reviews'), '第1轮审核意见', '原审核意见标注为审核');
  await signOut(page);

  // 5. The handler escalates to the heads' collective discussion.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '复审后：接受复审意见，或仍有异议提请集体讨论');
  await tid(page, 'action-escalate').click();
  await tid(page, 'escalate-reasons').fill('复审未采纳承办单位关于违法情节的意见，提请负责人会议集体讨论决定。');
  await tid(page, 'escalate-submit').click();
  await expectText(tid(page, 'state-badge'), '集体讨论中', '提请集体讨论后的案件状态');
  await expectText(tid(page, 'escalation-section'), '提请负责人会议集体讨论决定', '提请讨论记录');
  await shot('07-escalated');
  await signOut(page);

  // 6. The secretary creates the meeting with the case.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meetings-page').waitFor({ timeout: T });
  await tid(page, 'meeting-new').click();
  await tid(page, 'meeting-create-form').waitFor({ timeout: T });
  await tid(page, 'meeting-create-submit').click();
  await expectText(tid(page, 'meeting-create-error'), '请选择会议主持人', '未选主持人的提示');
  await page.getByLabel('会议名称').fill('2024年第9次局长办公会议');
  await tid(page, 'meeting-time-date').fill(cstToday());
  await tid(page, 'meeting-time-time').fill('09:30');
  await page.getByLabel('会议地点').fill('机关三楼第一会议室');
  await page.getByLabel('主持人').selectOption({ label: HEAD.displayName });
  for (const h of [HEAD, HEAD2, HEAD3]) await expectChecked(tid(page, `meeting-attendee-${h.username}`), `应出席：${h.displayName}`);
  const caseBox = page.locator(`[data-testid^="meeting-case-"][data-case-no="${c.caseNo}"]`);
  await expectChecked(caseBox, '议题：提请讨论的案件');
  await shot('08-meeting-create');
  await tid(page, 'meeting-create-submit').click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await tid(page, 'keys-help').waitFor({ timeout: T });
  await expectText(tid(page, 'keys-help'), '1', '键盘说明');
  await expectText(tid(page, 'agenda-bar'), '须经主持人', '议题待主持人确定');
  await signOut(page);

  // The chair sets the agenda the secretary prepared.
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await tid(page, 'agenda-confirm').click();
  await expectText(tid(page, 'agenda-bar'), `议题已由主持人${HEAD.displayName}`, '主持人确定议题');
  await signOut(page);
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });

  // 7. Live minutes, from the keyboard.
  await tid(page, 'meeting-start').click();
  await expectText(tid(page, 'elapsed-time'), /\d{2}:\d{2}:\d{2}/, '会议计时');
  await expectText(tid(page, 'quorum'), '实到 0 / 应到 3 人', '法定人数（开始时）');
  // Space toggles attendance: 赵 出席; 孙 缺席 (Space twice) with a reason typed after Tab.
  await attendee(page, HEAD.displayName).getByTestId('attendance-toggle').focus();
  await page.keyboard.press('Space');
  await expectText(attendee(page, HEAD.displayName).getByTestId('attendance-label'), '出席', '赵局长出席');
  await attendee(page, HEAD3.displayName).getByTestId('attendance-toggle').focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Space');
  await expectText(attendee(page, HEAD3.displayName).getByTestId('attendance-label'), '缺席', '孙副局长缺席');
  await attendee(page, HEAD3.displayName).getByTestId('absence-reason').waitFor({ timeout: T });
  await page.keyboard.press('Tab');
  await page.keyboard.type('外出参加市政府专题会议');
  await expectText(tid(page, 'quorum'), '未达到法定人数', '一人出席时未达法定人数');

  const item = page.locator(`[data-testid="meeting-item"][data-case-no="${c.caseNo}"]`);
  await item.getByTestId('item-handlingStatement').fill('承办单位汇报：当事人系二次违法，经责令改正拒不改正，建议按第三档处罚。');
  await item.getByTestId('item-legalStatement').fill('法制机构意见：复审维持不同意，认为罚款数额明显不当。');
  // Deciding without a quorum is refused with the core's message.
  await item.getByTestId('decision-approve').check();
  await item.getByTestId('decision-text').fill('同意按送审方案作出行政处罚决定。');
  await item.getByTestId('decision-text').press('Control+Enter');
  await tid(page, 'decide-confirm').waitFor({ timeout: T });
  await tid(page, 'decide-confirm').focus();
  await page.keyboard.press('Enter');
  await expectText(item.getByTestId('decide-error'), '出席人数 1 人，未达到法定人数（应到人数过半数，应到 3 人），不能作出决定。', '未达法定人数的拒绝提示');
  await shotTop(page, shot, '09-minutes-no-quorum');

  // 钱 arrives: quorum met. Stances by keys 1 / 2 / 3 on the focused stance control.
  await attendee(page, HEAD2.displayName).getByTestId('attendance-toggle').focus();
  await page.keyboard.press('Space');
  await expectText(tid(page, 'quorum'), '已达到法定人数', '二人出席后达到法定人数');
  await stanceRow(item, HEAD.displayName).getByTestId('stance').focus();
  await page.keyboard.press('1');
  await stanceRow(item, HEAD2.displayName).getByTestId('stance').focus();
  await page.keyboard.press('3');
  assert((await stanceRow(item, HEAD2.displayName).getByTestId('stance').getAttribute('data-stance')) === 'abstain', '按 3 应记为弃权');
  await page.keyboard.press('2');
  await expectText(stanceRow(item, HEAD2.displayName).getByTestId('stance-hint'), '不同意须说明理由', '不同意未写理由的提示');
  await page.keyboard.press('Tab');
  await page.keyboard.type('罚款数额与同类案件差距过大。');
  assert((await stanceRow(item, HEAD2.displayName).getByTestId('stance-hint').count()) === 0, '写明理由后提示应消失');
  // 孙 arrives late: Space turns 缺席 into 出席, and 孙 disagrees too.
  await attendee(page, HEAD3.displayName).getByTestId('attendance-toggle').focus();
  await page.keyboard.press('Space');
  await expectText(tid(page, 'quorum'), '实到 3 / 应到 3 人', '三人出席');
  await stanceRow(item, HEAD3.displayName).getByTestId('stance').focus();
  await page.keyboard.press('2');
  await page.keyboard.press('Tab');
  await page.keyboard.type('应当依复审意见办理。');
  await item.getByTestId('item-dissent').fill('钱副局长、孙副局长认为罚款数额明显不当。');
  await expectText(item.getByTestId('tally'), '同意 1', '表态计数：同意');
  await expectText(item.getByTestId('tally'), '不同意 2', '表态计数：不同意');
  await autosavedMinutes(page);
  await expectText(tid(page, 'minutes-autosave'), /^已保存 \d{2}:\d{2}:\d{2}$/, '自动保存提示');
  await shotTop(page, shot, '10-minutes-live');

  // 8. Type once more and reload at once, before the 500 ms save: everything typed is still there
  //    (kept in localStorage until the core confirms it, replayed after the reload).
  await item.getByTestId('item-notes').fill('主持人听取全部意见后宣布决定。');
  await page.reload();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  const item2 = page.locator(`[data-testid="meeting-item"][data-case-no="${c.caseNo}"]`);
  await item2.waitFor({ timeout: T });
  await page.locator('[data-testid="minutes-autosave"][data-state="saved"], [data-testid="minutes-autosave"][data-state="idle"]').waitFor({ timeout: T });
  const val = async (loc: Locator) => loc.inputValue();
  assert((await val(item2.getByTestId('item-handlingStatement'))).includes('当事人系二次违法'), '刷新后承办单位汇报应保留');
  assert((await val(item2.getByTestId('item-legalStatement'))).includes('复审维持不同意'), '刷新后法制机构意见应保留');
  assert((await val(item2.getByTestId('item-dissent'))).includes('罚款数额明显不当'), '刷新后不同意见应保留');
  assert((await val(item2.getByTestId('item-notes'))) === '主持人听取全部意见后宣布决定。', '刷新后其他记录应保留');
  for (const [name, present] of [[HEAD.displayName, 'true'], [HEAD2.displayName, 'true'], [HEAD3.displayName, 'true']]) {
    assert((await attendee(page, name).getAttribute('data-present')) === present, `刷新后${name}的出席情况应保留`);
  }
  const stanceOf = async (name: string) => stanceRow(item2, name).getByTestId('stance').getAttribute('data-stance');
  assert((await stanceOf(HEAD.displayName)) === 'agree', '刷新后赵局长的表态应为同意');
  assert((await stanceOf(HEAD2.displayName)) === 'disagree', '刷新后钱副局长的表态应为不同意');
  assert((await stanceOf(HEAD3.displayName)) === 'disagree', '刷新后孙副局长的表态应为不同意');
  assert((await val(stanceRow(item2, HEAD2.displayName).getByTestId('stance-reason'))) === '罚款数额与同类案件差距过大。', '刷新后钱副局长的理由应保留');
  assert((await val(stanceRow(item2, HEAD3.displayName).getByTestId('stance-reason'))) === '应当依复审意见办理。', '刷新后孙副局长的理由应保留（最后输入、未等保存即刷新）');
  await expectChecked(item2.getByTestId('decision-approve'), '刷新后拟记录的决定应保留');
  assert((await val(item2.getByTestId('decision-text'))) === '同意按送审方案作出行政处罚决定。', '刷新后决定内容应保留');
  await expectText(tid(page, 'quorum'), '已达到法定人数', '刷新后法定人数');
  await expectText(tid(page, 'minutes-autosave'), /已保存 \d{2}:\d{2}:\d{2}|每项输入后自动保存/, '保存提示');
  await shotTop(page, shot, '11-minutes-after-reload');

  // Even a save that never reaches the core is not lost: it stays in localStorage and is replayed.
  await page.route('**/__api/meetings.save', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: '与系统核心通信失败，操作未完成，请重试。' } }) }),
  );
  await item2.getByTestId('item-notes').fill('主持人听取全部意见后宣布决定。孙副局长9时40分到会。');
  await page.locator('[data-testid="minutes-autosave"][data-state="error"]').waitFor({ timeout: T });
  await expectText(tid(page, 'minutes-save-error'), '自动保存失败', '保存失败的提示');
  await page.unroute('**/__api/meetings.save');
  await page.reload();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await expectText(tid(page, 'minutes-restored'), '尚未保存的记录，并已重新保存', '恢复未保存记录的提示');
  await autosavedMinutes(page);
  const item3 = page.locator(`[data-testid="meeting-item"][data-case-no="${c.caseNo}"]`);
  assert((await val(item3.getByTestId('item-notes'))) === '主持人听取全部意见后宣布决定。孙副局长9时40分到会。', '未送达核心的输入应在刷新后恢复');

  // 9. The decision: it departs from the majority and from the legal office's opinion — said explicitly.
  await expectText(item2.getByTestId('warn-majority'), '与多数意见不一致', '决定前的多数意见提示');
  await item2.getByTestId('decision-text').fill('经集体讨论，主持人决定：同意按送审方案作出行政处罚决定。');
  await item2.getByTestId('decision-text').press('Control+Enter');
  await tid(page, 'decide-confirm').waitFor({ timeout: T });
  await tid(page, 'decide-confirm').focus();
  await page.keyboard.press('Enter');
  await expectText(item2.getByTestId('decision-recorded'), '同意作出该决定', '已记录的会议决定');
  await expectText(item2.getByTestId('warn-majority'), '本决定与多数意见不一致（同意1人、不同意2人）', '决定偏离多数意见的提示');
  await expectText(item2.getByTestId('warn-legal'), '本决定与法制机构意见（不同意）不一致', '决定偏离法制机构意见的提示');
  await autosavedMinutes(page);
  await shotTop(page, shot, '12-minutes-decided');
  // The secretary cannot lock: the chair must.
  await expectText(tid(page, 'lock-hint'), `纪要须由会议主持人${HEAD.displayName}登录后确认并锁定`, '秘书看到的锁定提示');
  await signOut(page);

  // 10. The chair locks the minutes (with a confirmation) and adds an amendment.
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-link').first().click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await tid(page, 'lock-open').click();
  await tid(page, 'lock-confirm-box').waitFor({ timeout: T });
  await shotTop(page, shot, '13-lock-confirm');
  await tid(page, 'lock-confirm').click();
  await expectText(tid(page, 'locked-banner'), `经主持人${HEAD.displayName}确认并锁定`, '锁定横幅');
  assert((await page.locator('[data-testid="meeting-page"] textarea[data-testid^="item-"]').count()) === 0, '锁定后纪要应为只读');
  await tid(page, 'amend-text').fill('第一项议题“其他记录”补记：孙副局长于9时40分到会。');
  await tid(page, 'amend-reason').fill('记录遗漏到会时间。');
  await tid(page, 'amend-submit').click();
  await expectText(tid(page, 'amendment-row'), '孙副局长于9时40分到会', '补正记录');
  await shotTop(page, shot, '14-locked-amended');

  // 11. The case: approved, the override banner (meeting-based), the meeting link, the whole timeline.
  await page.locator(`[data-testid="meeting-item"][data-case-no="${c.caseNo}"]`).getByText('查看案件').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已批准', '会议决定后的案件状态');
  await expectText(tid(page, 'override-banner'), '负责人不采纳法制审核意见', '不采纳横幅');
  await expectText(tid(page, 'override-banner'), '经负责人会议集体讨论', '会议决定的不采纳横幅');
  await tid(page, 'override-meeting-link').waitFor({ timeout: T });
  await tid(page, 'tab-approvals').click();
  await tid(page, 'approval-meeting-link').waitFor({ timeout: T });
  await tid(page, 'tab-timeline').click();
  for (const label of ['送审', '申请复审', '复审后仍有异议，提请集体讨论', '会议作出决定', '确认会议纪要', '负责人审批']) {
    await expectText(tid(page, 'timeline-label'), new RegExp(`^${label}$`), `时间线中的“${label}”`);
  }
  const confirmations = (await tid(page, 'timeline-label').allInnerTexts()).filter((l) => l.trim() === '确认会议纪要').length;
  assert(confirmations === 1, `时间线应只列一次“确认会议纪要”，实际 ${confirmations} 次`);
  await shot('15-case-approved');
}

export async function autosavedMinutes(page: Page): Promise<void> {
  await page.locator('[data-testid="minutes-autosave"][data-state="saved"]').waitFor({ timeout: T });
}

/**
 * Deadlines on a fixed clock: a review received on Monday 2026-09-28 is due on 2026-10-10 (the 国庆
 * 调休 Saturday). The row turns amber on its last day (with a desktop notification), red when overdue;
 * the legal office head extends it once and a second extension is refused; the calendar shows October
 * 2026; the calculator marks a 2027 result 待官方安排确认.
 */
export async function deadlinesView(page: Page, shot: Shot): Promise<void> {
  // Desktop notifications are recorded instead of shown.
  // (A string, not a function: tsx would wrap a function with helpers the page does not have.)
  await page.addInitScript(`(() => {
    window.__notes = [];
    class FakeNotification {
      constructor(title, opts) { window.__notes.push({ title, body: (opts && opts.body) || '' }); this.onclick = null; }
      static requestPermission() { return Promise.resolve('granted'); }
    }
    FakeNotification.permission = 'granted';
    Object.defineProperty(window, 'Notification', { value: FakeNotification, configurable: true, writable: true });
  })();`);
  await page.reload();
  await setCoreClock(page, '2026-09-28T09:00:00+08:00');

  const c: CaseFixture = {
    ...CASE,
    caseNo: '京市监罚〔2026〕88号',
    title: '某商贸有限公司虚假宣传案',
    procedure: [
      { step: '立案', date: '2026-08-10' },
      { step: '调查取证', date: '2026-08-20', note: '现场检查、询问' },
      { step: '告知', date: '2026-09-10', note: '送达行政处罚告知书' },
      { step: '听证', date: '2026-09-22', note: '已举行' },
    ],
  };
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER, REVIEWER, LEGAL_HEAD]) await createUser(page, u);

  // The administrator's settings: a weekday entered as 调休上班日 is refused with the core's message.
  await tid(page, 'nav-settings').click();
  await tid(page, 'settings-page').waitFor({ timeout: T });
  await expectChecked(tid(page, 'settings-mode-working'), '默认按工作日计算');
  assert((await tid(page, 'settings-reviewDays').inputValue()) === '5', '默认审核期限5日');
  await expectChecked(tid(page, 'settings-rereview-different'), '默认复审须由其他审核人员进行');
  await expectChecked(tid(page, 'settings-quorum-half'), '默认法定人数过半数');
  await tid(page, 'holiday-year').fill('2027');
  await expectText(tid(page, 'holiday-current'), '待官方安排确认', '2027年现行安排为推算');
  await tid(page, 'holiday-source').fill('国办发明电〔2026〕7号');
  await tid(page, 'holiday-rows-date-0').fill('2027-01-01');
  await tid(page, 'holiday-rows-name-0').fill('元旦');
  await tid(page, 'workday-rows-add').click();
  await tid(page, 'workday-rows-date-0').fill('2027-01-04');
  await tid(page, 'workday-rows-name-0').fill('元旦');
  await tid(page, 'holiday-submit').click();
  await expectText(tid(page, 'holiday-error'), '调休上班日“2027-01-04”是星期一，调休上班日只能是星期六或星期日。', '调休上班日不是周末的拒绝提示');
  await shot('01-settings');
  await signOut(page);

  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, c);
  await expectText(tid(page, 'clock-due'), '2026年10月10日', '审核期限到期日（国庆调休上班的周六）');
  // The handler registers a 24-hour clock (audio/video records) and marks it done.
  await tid(page, 'hour-clock-open').click();
  await tid(page, 'hour-clock-kind').selectOption('av_records');
  await tid(page, 'hour-clock-start-date').fill('2026年9月28日');
  await tid(page, 'hour-clock-start-time').fill('8:30');
  await tid(page, 'hour-clock-submit').click();
  const av = page.locator('[data-testid="clock-row"][data-kind="av_records"]');
  await expectText(av.getByTestId('clock-remaining'), '剩余23小时', '音像记录归档计时');
  await av.getByTestId('clock-complete-av_records').click();
  await expectText(av.getByTestId('clock-remaining'), '已完成', '登记完成后的计时');
  assert((await av.getAttribute('data-state')) === 'done', '登记完成后计时应结束');
  await signOut(page);

  // Received today: green, five working days left.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  const row = page.locator(`[data-testid="case-row"][data-case-no="${c.caseNo}"]`);
  await expectText(row.getByTestId('review-clock'), '剩余5个工作日', '待办行的审核期限');
  assert((await row.getByTestId('review-clock').getAttribute('data-state')) === 'ok', '刚送审时期限状态应为正常（绿色）');
  await shot('02-queue-ok');
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  await signOut(page);

  // The last working day but one (Friday 10-09; 10-10 is a 调休 Saturday): amber, but no reminder yet —
  // the core reminds only once a review has entered its last working day (deadlines.lastDay).
  await setCoreClock(page, '2026-10-09T09:00:00+08:00');
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await expectText(row.getByTestId('review-clock'), '剩余1个工作日', '最后一个工作日前的期限');
  assert((await row.getByTestId('review-clock').getAttribute('data-state')) === 'due_soon', '剩余1个工作日时应为即将到期（琥珀色）');
  const notesNow = () => page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes);
  assert((await tid(page, 'lastday-banner').count()) === 0 && (await notesNow()).length === 0, '最后一个工作日之前不应提醒');
  await shot('03-queue-due-soon');
  await signOut(page);

  // Saturday 10-10, the 调休 working day and the last day: the banner and one desktop reminder.
  await setCoreClock(page, '2026-10-10T09:00:00+08:00');
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await expectText(row.getByTestId('review-clock'), '今日到期', '最后一个工作日的期限');
  await expectText(tid(page, 'lastday-banner'), c.caseNo, '期限提醒横幅');
  const notes = await notesNow();
  assert(notes.length === 1 && notes[0].title === '审核期限提醒' && notes[0].body.includes(c.caseNo), `应发出一条桌面提醒，实际为 ${JSON.stringify(notes)}`);
  await tid(page, 'nav-calendar').click();
  await tid(page, 'nav-queue').click();
  await tid(page, 'queue-page').waitFor({ timeout: T });
  const again = await page.evaluate(() => (window as unknown as { __notes: unknown[] }).__notes.length);
  assert(again === 1, '同一天不应重复发出桌面提醒');
  await shot('03b-queue-last-day');
  await signOut(page);

  // Monday 10-12: overdue, red. The legal office head extends once; a second extension is refused.
  await setCoreClock(page, '2026-10-12T09:00:00+08:00');
  await signIn(page, LEGAL_HEAD.username, LEGAL_HEAD.displayName);
  await expectText(row.getByTestId('review-clock'), '已逾期1个工作日', '逾期的期限');
  assert((await row.getByTestId('review-clock').getAttribute('data-state')) === 'overdue', '逾期时应为已逾期（红色）');
  await tid(page, 'nav-overdue').click();
  const od = page.locator(`[data-testid="overdue-row"][data-case-no="${c.caseNo}"]`);
  await expectText(od, '已逾期1个工作日', '逾期督办列表');
  await shot('04-overdue');
  await od.getByTestId('case-link').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await tid(page, 'extend-open').click();
  await tid(page, 'extend-submit').click();
  await expectText(tid(page, 'clock-error'), '请写明延长理由', '延长未写理由的提示');
  await tid(page, 'extend-reason').fill('案情复杂，需调取异地证据核实。');
  await tid(page, 'extend-submit').click();
  await expectText(tid(page, 'clock-notice'), '审核期限已延长至2026年10月14日', '延长后的到期日');
  const reviewRow = page.locator('[data-testid="clock-row"][data-kind="review"]');
  await expectText(reviewRow.getByTestId('clock-extension'), '案情复杂，需调取异地证据核实。', '延长理由');
  await expectText(reviewRow.getByTestId('clock-extension'), LEGAL_HEAD.displayName, '批准延长的人');
  await expectText(reviewRow.getByTestId('clock-due'), '原到期日 2026年10月10日', '原到期日');
  await expectText(reviewRow.getByTestId('clock-remaining'), '剩余2个工作日', '延长后的剩余期限');
  await tid(page, 'extend-open').click();
  await tid(page, 'extend-reason').fill('再次申请延长。');
  await tid(page, 'extend-submit').click();
  await expectText(tid(page, 'clock-error'), `本期限已于2026-10-12经${LEGAL_HEAD.displayName}批准延长一次，不能再次延长。`, '第二次延长的拒绝提示');
  await shot('05-extended');

  // The calendar: October 2026 with 国庆节 and the 10-10 调休上班日; the extended due date is on it.
  await tid(page, 'nav-calendar').click();
  await tid(page, 'calendar-page').waitFor({ timeout: T });
  await tid(page, 'cal-year').fill('2026');
  await tid(page, 'cal-month').selectOption('10');
  await expectText(tid(page, 'cal-title'), '2026年10月', '日历月份');
  const day = (d: string) => page.locator(`[data-testid="cal-day"][data-date="${d}"]`);
  assert((await day('2026-10-01').getAttribute('data-kind')) === 'holiday', '10月1日应为节假日');
  await expectText(day('2026-10-01'), '国庆节', '10月1日的节日名称');
  assert((await day('2026-10-10').getAttribute('data-kind')) === 'makeup_workday', '10月10日应为调休上班日');
  await expectText(day('2026-10-10'), '国庆节调休上班', '10月10日的调休说明');
  assert((await day('2026-10-11').getAttribute('data-kind')) === 'weekend', '10月11日应为休息日');
  await day('2026-10-14').locator(`[data-testid="cal-deadline"][data-case-no="${c.caseNo}"]`).waitFor({ timeout: T });
  assert((await tid(page, 'cal-provisional').count()) === 0, '2026年有官方安排，不应标注待官方安排确认');
  await shot('06-calendar-october');

  // The calculator: across New Year into 2027, which has no official schedule yet.
  await tid(page, 'calc-from').fill('2026-12-28');
  await tid(page, 'calc-days').fill('5');
  await tid(page, 'calc-mode-working').check();
  await tid(page, 'calc-submit').click();
  await expectText(tid(page, 'calc-due'), '2027年1月5日', '计算的到期日');
  await expectText(tid(page, 'calc-provisional'), '待官方安排确认', '2027年结果的标注');
  assert((await tid(page, 'calc-result').getAttribute('data-provisional')) === 'true', '计算结果应标注为待官方安排确认');
  await expectText(tid(page, 'cal-title'), '2027年1月', '日历跳到到期月份');
  await expectText(tid(page, 'cal-provisional'), '待官方安排确认', '2027年月历的标注');
  await shot('07-calculator-2027');
}

// ---------------------------------------------------------------------------------------------
// Drafting documents from templates

const CLAUSE = {
  title: '过罚相当',
  text: '根据《中华人民共和国行政处罚法》第五条，实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。',
};

/** The case page of a case found by its number (any user who may read it). */
export async function openCaseBySearch(page: Page, caseNo: string): Promise<void> {
  await tid(page, 'nav-search').click();
  await tid(page, 'search-page').waitFor({ timeout: T });
  await tid(page, 'search-query').fill(caseNo);
  await tid(page, 'search-submit').click();
  const row = page.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`);
  await row.getByTestId('case-link').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

/** Opens a template from the case page's 起草文书 menu. */
export async function draftFromCasePage(page: Page, templateId: string, menuText: string): Promise<void> {
  await tid(page, 'documents-section').waitFor({ timeout: T });
  await tid(page, 'draft-menu').click();
  const item = tid(page, `draft-template-${templateId}`);
  await expectText(item, menuText, `起草文书菜单中的“${menuText}”`);
  await item.click();
  await tid(page, 'drafting-page').waitFor({ timeout: T });
  await tid(page, 'doc-editor').waitFor({ timeout: T });
}

/** Puts the caret at the end of the (one-line) editor paragraph holding `text`. */
async function caretAtEndOf(page: Page, text: string): Promise<void> {
  const p = tid(page, 'doc-editor').locator('p', { hasText: text }).first();
  // Click right of the last line's end, as a user would; End then stays on that last line.
  const box = (await p.boundingBox())!;
  await p.click({ position: { x: box.width - 2, y: box.height - 6 } });
  await page.keyboard.press('End');
}

/**
 * Drafting: the reviewer drafts the 法制审核意见书 (typed Chinese text, a version, a clause from the
 * library, a second version with Ctrl+S, the comparison with the insertion and the Word export, a reload
 * that keeps the autosaved text); the handler drafts the reasoned 行政处罚决定书 (定稿 refused with the
 * missing parts, drafting fields filled, body refreshed, 定稿 with a document number); the administrator's
 * broken template is refused with its line number.
 */
export async function drafting(page: Page, shot: Shot): Promise<void> {
  const c: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕66号', title: '某网络科技有限公司虚假宣传案' };
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  for (const u of [HANDLER, OFFICER, REVIEWER, HEAD]) await createUser(page, u);
  await signOut(page);

  // 1. Submit → review 同意 → approve.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, c);
  await signOut(page);
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, c.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await issueOpinion(page, 'agree', '经审核，事实清楚，证据确凿，同意。');
  await signOut(page);
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, c.caseNo, '待负责人审批');
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-approve').check();
  await page.getByLabel('审批意见').fill('同意。');
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'state-badge'), '已批准', '审批后的案件状态');
  await signOut(page);

  // 2. The reviewer opens 法制审核意见书 from the case page.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseBySearch(page, c.caseNo);
  await tid(page, 'documents-empty').waitFor({ timeout: T });
  await tid(page, 'draft-menu').click();
  await tid(page, 'draft-menu-list').waitFor({ timeout: T });
  await shot('01-draft-menu');
  await tid(page, 'draft-menu').click();
  await draftFromCasePage(page, 'review-opinion', '法制审核意见书');
  assert((await tid(page, 'doc-title').inputValue()) === '法制审核意见书', '文书标题应为法制审核意见书');
  await expectText(tid(page, 'doc-editor'), '一、审核依据和范围', '编辑器中的模板正文');
  await expectText(tid(page, 'doc-editor'), c.title, '编辑器中的案件名称');
  assert((await tid(page, 'doc-table-cell').count()) === 40, '逐项审核表应有10行4列');
  await expectText(tid(page, 'word-count'), /字数：\d+/, '字数');
  await tid(page, 'versions-empty').waitFor({ timeout: T });
  await shotTop(page, shot, '02-review-opinion-opened');

  // Edit a paragraph: 四、意见和建议 “无。” becomes the reviewer's suggestion, typed in Chinese.
  const before = Number(/\d+/.exec(await tid(page, 'word-count').innerText())![0]);
  await caretAtEndOf(page, '无。');
  // Select “无。” and type over it.
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type('建议督促当事人落实整改，并加强普法宣传。');
  await expectText(tid(page, 'doc-editor').locator('p'), /^建议督促当事人落实整改，并加强普法宣传。$/, '输入的中文替换了“无。”');
  await expectText(tid(page, 'word-count'), `字数：${before + 18}`, '字数（删2字，输入20字）');
  const after = Number(/\d+/.exec(await tid(page, 'word-count').innerText())![0]);
  assert(after === before + 18, `字数应增加18（删2字，输入20字），实际由${before}变为${after}`);
  await autosaved(page);
  await expectText(tid(page, 'autosave'), /已自动保存 \d{2}:\d{2}:\d{2}/, '自动保存提示');
  await tid(page, 'version-note').fill('补充意见和建议');
  await tid(page, 'save-version').click();
  await expectText(tid(page, 'doc-notice'), '已保存第1版', '保存版本提示');
  await page.locator('[data-testid="version-row"][data-version="1"]').waitFor({ timeout: T });
  await expectText(page.locator('[data-testid="version-row"][data-version="1"]'), '补充意见和建议', '版本说明');

  // A clause from the library (the reviewer adds it first), inserted at the caret; Ctrl+S saves version 2.
  await caretAtEndOf(page, '建议督促当事人落实整改');
  await tid(page, 'insert-clause').click();
  await tid(page, 'clause-menu').waitFor({ timeout: T });
  await tid(page, 'clause-add').click();
  await tid(page, 'clause-category').selectOption('法理');
  await tid(page, 'clause-title').fill(CLAUSE.title);
  await tid(page, 'clause-text').fill(CLAUSE.text);
  await shotTop(page, shot, '03-clause-form');
  await tid(page, 'clause-save').click();
  const clause = tid(page, 'clause-group-法理').locator(`[data-testid="clause-item"][data-title="${CLAUSE.title}"]`);
  await clause.waitFor({ timeout: T });
  await clause.click();
  await expectText(tid(page, 'doc-editor').locator('p'), `加强普法宣传。${CLAUSE.text}`, '插入的说理条目');
  await tid(page, 'insert-field').click();
  await tid(page, 'field-search').fill('罚款金额大写');
  await expectText(tid(page, 'field-item'), '捌万元整', '案件字段的当前值（罚款金额大写）');
  await page.keyboard.press('Escape');
  await autosaved(page);
  await shotTop(page, shot, '04-edited');
  await tid(page, 'doc-editor').click();
  await page.keyboard.press('Control+s');
  await expectText(tid(page, 'doc-notice'), '已保存第2版', 'Ctrl+S 保存版本');
  await page.locator('[data-testid="version-row"][data-version="2"]').waitFor({ timeout: T });

  // Compare 1 → 2: the clause is an insertion, nothing else changed; the Word file downloads.
  assert((await tid(page, 'compare-from').inputValue()) === '1' && (await tid(page, 'compare-to').inputValue()) === '2', '默认比较第1版与第2版');
  await tid(page, 'compare-run').click();
  await tid(page, 'compare-panel').waitFor({ timeout: T });
  await expectText(tid(page, 'diff-insert'), CLAUSE.text, '比较结果中的插入');
  assert((await tid(page, 'diff-delete').count()) === 0, '第1版到第2版没有删除');
  assert((await page.locator('[data-testid="diff-block"][data-op="change"]').count()) === 1, '只有一段被修改');
  await shotTop(page, shot, '05-compare');
  const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'compare-docx').click()]);
  assert((await download.failure()) === null, '比较文件应下载成功');
  const docx = fs.readFileSync((await download.path())!);
  assert(docx.subarray(0, 2).toString('latin1') === 'PK' && docx.length > 1000, '下载的比较文件应为 Word（.docx）文件');
  // (Chromium names a blob download from the link's download attribute; it falls back to “download” when
  // its process locale is missing, as with LANG=zh_CN.UTF-8 on a machine without that locale, so the
  // attribute is checked rather than suggestedFilename().)
  assert(
    /^法制审核意见书-第1版与第2版比较\.docx$/.test((await tid(page, 'compare-docx-link').getAttribute('download')) ?? ''),
    `导出的比较文件名：${await tid(page, 'compare-docx-link').getAttribute('download')}`,
  );
  await tid(page, 'compare-docx-link').waitFor({ timeout: T });
  await tid(page, 'compare-close').click();

  // A reload while editing keeps the text (autosaved draft, newer than version 2).
  await caretAtEndOf(page, '建议督促当事人落实整改');
  await page.keyboard.type('请于十日内反馈。');
  await autosaved(page);
  await page.reload();
  await tid(page, 'drafting-page').waitFor({ timeout: T });
  await expectText(tid(page, 'draft-restored'), '晚于已保存的第2版', '恢复自动保存内容的提示');
  await expectText(tid(page, 'doc-editor'), `${CLAUSE.text}请于十日内反馈。`, '刷新后保留的输入');
  await shotTop(page, shot, '06-after-reload');
  await tid(page, 'back-to-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  const opinionRow = page.locator('[data-testid="document-row"][data-template-id="review-opinion"]');
  await expectText(opinionRow, '共2版', '案件页文书列表中的版本数');
  await signOut(page);

  // 3. The handler: the reasoned penalty decision.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, c.caseNo, '已决定，待办结');
  await draftFromCasePage(page, 'penalty-decision', '说理式行政处罚决定书');
  await expectText(tid(page, 'completeness-missing'), '法律适用理由', '完整性检查中的缺项');
  await tid(page, 'ph-marker').first().waitFor({ timeout: T });
  await tid(page, 'finalize').click();
  await expectText(tid(page, 'confirm-message'), '定稿后本版不可修改，外发文书将占用本年度（2026年）下一个文号。', '外发文书定稿前的确认');
  await expectText(tid(page, 'confirm-warning'), '您没有作任何修改', '未修改的处罚决定书定稿前的提示');
  await tid(page, 'finalize-confirm').click();
  const refusal = tid(page, 'finalize-error');
  await expectText(refusal, '文书尚不完整，不能定稿：', '定稿被拒绝');
  for (const part of ['法律适用理由', '对当事人陈述、申辩的采纳情况及理由', '履行方式', '履行期限', '申请行政复议的途径和期限', '提起行政诉讼的途径和期限', '待填写：行政复议机关']) {
    await expectText(refusal, part, `拒绝定稿时列出的“${part}”`);
  }
  await expectText(tid(page, 'completeness-source'), '定稿检查', '完整性检查依据');
  await expectText(tid(page, 'completeness-placeholders'), '履行期限', '完整性检查中的待填写项');
  await shotTop(page, shot, '07-finalize-refused');

  const fields: [string, string][] = [
    ['legalReasoning', '当事人在网站发布含有“国家级”“最高级”用语的广告，违反了《中华人民共和国广告法》第九条第三项的规定，依照该法第五十七条第一项应予处罚。'],
    ['statements', '当事人提出其已删除违法广告，请求从轻处罚。'],
    ['defenceReasoning', '当事人已删除违法广告属实，本机关在裁量时予以考虑；但违法广告持续时间较长，对其免予处罚的请求不予采纳。'],
    ['performanceManner', '当事人应当持本决定书到指定银行缴纳罚款。'],
    ['performanceDeadline', '自收到本决定书之日起十五日内'],
    ['reconsiderationOrgan', '北京市某区人民政府'],
    ['court', '北京市某区人民法院'],
    // 起草记录 (全过程记录办法第十六条): required at 定稿.
    ['drafter', '张承办'],
    ['draftReviewer', '刘科长'],
    ['factors', '当事人主动删除违法广告，违法持续时间较长，按裁量基准第二档处理。'],
  ];
  for (const [key, value] of fields) await tid(page, `draft-${key}`).fill(value);
  // The preview re-runs with the draft: nothing required is missing any more, and the body may be refreshed.
  await page.locator('[data-testid="completeness-missing"]').waitFor({ state: 'detached', timeout: T });
  await tid(page, 'completeness-ok').waitFor({ timeout: T });
  await expectText(tid(page, 'completeness-number'), '定稿时由系统', '文号自动编排的说明');
  await tid(page, 'refresh-offer').waitFor({ timeout: T });
  await shotTop(page, shot, '08-draft-fields');
  await tid(page, 'refresh-body').click();
  await expectText(tid(page, 'doc-editor'), '本机关认为，当事人在网站发布', '刷新后的说理正文');
  await expectText(tid(page, 'doc-editor'), '北京市某区人民法院', '刷新后的救济途径');
  await tid(page, 'finalize').click();
  await tid(page, 'finalize-confirm').click();
  await expectText(tid(page, 'doc-notice'), '已定稿', '定稿成功');
  await expectText(tid(page, 'doc-notice'), '〔2026〕', '定稿后的文号');
  assert((await tid(page, 'doc-number').inputValue()).includes('〔2026〕1号'), '编辑器中的文号应为〔2026〕1号');
  await page.locator('[data-testid="version-row"][data-final="true"]').first().waitFor({ timeout: T });
  await expectText(tid(page, 'completeness'), '未发现缺少的必备内容或待填写项', '定稿后的完整性检查');
  await shotTop(page, shot, '09-finalized');
  await tid(page, 'back-to-case').click();
  const decisionRow = page.locator('[data-testid="document-row"][data-template-id="penalty-decision"]');
  await expectText(decisionRow.getByTestId('document-number'), '京某市监罚〔2026〕1号', '案件页文书列表中的文号');
  await expectText(decisionRow.getByTestId('document-final'), '已定稿', '案件页文书列表中的定稿状态');
  await shot('10-case-documents');
  await signOut(page);

  // 4. The administrator: a template with an unknown field is refused with its line; the text stays.
  await signIn(page, ADMIN.username, ADMIN.displayName, ADMIN.password);
  await tid(page, 'nav-templates').click();
  await tid(page, 'templates-page').waitFor({ timeout: T });
  await expectText(page.locator('[data-testid="template-row"][data-template-id="penalty-decision"]'), '出厂模板', '模板来源');
  await shot('11-templates');
  await page.locator('[data-testid="template-row"][data-template-id="review-opinion"]').getByTestId('template-open').click();
  const source = tid(page, 'template-source');
  await source.waitFor({ timeout: T });
  const original = await source.inputValue();
  assert(original.includes('{{case.no}}'), '模板源文件应包含 {{case.no}}');
  const broken = original.replace('{{case.no}}', '{{case.caseNumber}}');
  await source.fill(broken);
  await tid(page, 'field-filter').fill('party.name');
  await page.locator('[data-testid="field-ref"][data-path="party.name"]').waitFor({ timeout: T });
  await tid(page, 'template-save').click();
  await expectText(tid(page, 'template-error'), /第\d+行第\d+列/, '模板错误的行列');
  await expectText(tid(page, 'template-error'), 'case.caseNumber', '模板错误中的字段');
  assert((await source.inputValue()) === broken, '拒绝保存后应保留管理员输入的内容');
  await shot('12-template-refused');
  await tid(page, 'nav-templates').click();
  await expectText(page.locator('[data-testid="template-row"][data-template-id="review-opinion"]').getByTestId('template-origin'), '出厂模板', '被拒绝后仍为出厂模板');

  // 5. Layout profiles: GB/T 9704 by default; the administrator chooses the enforcement format for one
  // template, and it stays chosen after a reload (the others keep GB/T 9704).
  const layout = tid(page, 'template-layout-penalty-decision');
  assert((await layout.inputValue()) === 'gbt9704', '模板默认版式应为 GB/T 9704');
  await layout.selectOption('enforcement');
  // The select shows what the core stored: it reads 行政执法文书格式 once the choice is saved.
  await page.waitForFunction(() => (document.querySelector('[data-testid="template-layout-penalty-decision"]') as HTMLSelectElement | null)?.value === 'enforcement' && !(document.querySelector('[data-testid="template-layout-penalty-decision"]') as HTMLSelectElement).disabled, undefined, { timeout: T });
  await page.reload();
  await tid(page, 'templates-page').waitFor({ timeout: T });
  assert((await tid(page, 'template-layout-penalty-decision').inputValue()) === 'enforcement', '选择的版式应保存');
  assert((await tid(page, 'template-layout-review-opinion').inputValue()) === 'gbt9704', '其他模板仍为 GB/T 9704');
  await shot('13-template-layouts');
}

export const SPECS: { name: string; fn: Spec }[] = [
  { name: 'walkWholePath', fn: walkWholePath },
  { name: 'refusals', fn: refusals },
  { name: 'returnResubmitOverride', fn: returnResubmitOverride },
  { name: 'dissentToMeeting', fn: dissentToMeeting },
  { name: 'deadlinesView', fn: deadlinesView },
  { name: 'drafting', fn: drafting },
  { name: 'signing', fn: (page, shot) => import('./spec-signing').then((m) => m.signing(page, shot)) },
  { name: 'referral', fn: (page, shot) => import('./spec-referral').then((m) => m.referral(page, shot)) },
  { name: 'confirmActs', fn: (page, shot) => import('./spec-confirm').then((m) => m.confirmActs(page, shot)) },
  { name: 'confirmMeeting', fn: (page, shot) => import('./spec-confirm').then((m) => m.confirmMeeting(page, shot)) },
  { name: 'queues', fn: (page, shot) => import('./spec-queues').then((m) => m.queues(page, shot)) },
  { name: 'dates', fn: (page, shot) => import('./spec-dates').then((m) => m.dates(page, shot)) },
  { name: 'forms', fn: (page, shot) => import('./spec-forms').then((m) => m.forms(page, shot)) },
];
