// E2E spec `forms` (issue 12, point 5): forms that point at the mistake. On the setup page, the user
// form, the submission form, the review page and the meeting form, a refused submit shows every error
// at once, each beside its field (field-error-<path>), the field marked (aria-invalid), the first one
// focused; an error goes as soon as its field is edited while the others stay; refusals of the core's
// own rules (a credit code, an amount, a 退回 without requests, a criterion without result) are placed
// the same way as those of the schema. Registered in SPECS of spec.ts.
import type { Page } from 'playwright-core';
import {
  ADMIN,
  CASE,
  HANDLER,
  HEAD,
  OFFICER,
  PASSWORD,
  REVIEWER,
  SECRETARY,
  T,
  assert,
  createUser,
  expectText,
  fillCaseForm,
  openCaseFromQueue,
  setFinding,
  signIn,
  signOut,
  shotsAt,
  tid,
  type Shot,
} from './spec';

const fieldError = (page: Page, path: string) => page.locator(`[data-testid="field-error-${path}"]`);


/** Each path has its message beside its field, and the field's control is marked invalid. */
async function expectPlaced(page: Page, expected: Record<string, string | RegExp>, what: string): Promise<void> {
  for (const [path, text] of Object.entries(expected)) {
    await expectText(fieldError(page, path), text, `${what}：字段 ${path} 旁的提示`);
    const marked = await page.locator(`[data-field-path="${path}"]`).first().getAttribute('data-field-invalid');
    assert(marked === 'true', `${what}：字段 ${path} 应标为有误`);
    const invalid = await page.locator(`[data-field-path="${path}"] [aria-invalid="true"]`).count();
    assert(invalid > 0, `${what}：字段 ${path} 的输入框应标 aria-invalid`);
  }
}

async function expectGone(page: Page, path: string, what: string): Promise<void> {
  await fieldError(page, path).waitFor({ state: 'detached', timeout: T });
  assert((await page.locator(`[data-field-path="${path}"][data-field-invalid="true"]`).count()) === 0, `${what}：字段 ${path} 改正后不应再标为有误`);
}

/** The test id of the element that has the focus (or of its closest ancestor with one). */
const focused = (page: Page) =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el && !el.getAttribute('data-testid')) el = el.parentElement;
    return el?.getAttribute('data-testid') ?? null;
  });

export async function forms(page: Page, shot: Shot): Promise<void> {
  // 1. Setup: everything left empty but the passwords: five errors at once, the first field focused.
  await tid(page, 'setup-form').waitFor({ timeout: T });
  await tid(page, 'setup-password').fill('short');
  await tid(page, 'setup-password2').fill('short');
  await tid(page, 'setup-submit').click();
  await expectPlaced(page, { agencyName: '机关名称不能为空', docPrefix: '文号前缀不能为空', 'admin.username': /用户名/, 'admin.displayName': '姓名不能为空', 'admin.password': '密码至少8位' }, '初始化');
  assert((await focused(page)) === 'setup-agency', `初始化：焦点应在第一个有误的字段（机关名称），实际为 ${await focused(page)}`);
  await expectText(tid(page, 'setup-error'), /有5处需要修改/, '初始化：按钮旁的汇总');
  await shotsAt(page, shot, 'forms-setup');
  // Typing into one field takes its error away; the others stay.
  await tid(page, 'setup-agency').fill('北京市某区市场监督管理局');
  await expectGone(page, 'agencyName', '初始化');
  assert((await fieldError(page, 'docPrefix').count()) === 1, '初始化：其他字段的提示应保留');
  await tid(page, 'setup-prefix').fill('京某市监罚');
  await tid(page, 'setup-username').fill(ADMIN.username);
  await tid(page, 'setup-displayname').fill(ADMIN.displayName);
  await tid(page, 'setup-password').fill(ADMIN.password);
  await tid(page, 'setup-password2').fill('Different#2024');
  await tid(page, 'setup-submit').click();
  await expectPlaced(page, { password2: '两次输入的密码不一致' }, '初始化：确认密码');
  await tid(page, 'setup-password2').fill(ADMIN.password);
  await expectGone(page, 'password2', '初始化：确认密码');
  await tid(page, 'setup-submit').click();
  await tid(page, 'current-user').waitFor({ timeout: T });

  // 2. Users: a username already taken and a certificate number without its expiry, both at once.
  await tid(page, 'nav-users').click();
  await tid(page, 'users-page').waitFor({ timeout: T });
  for (const u of [HANDLER, OFFICER, REVIEWER, HEAD, SECRETARY]) await createUser(page, u);
  await tid(page, 'user-new').click();
  const userForm = tid(page, 'user-create-form');
  await userForm.waitFor({ timeout: T });
  await userForm.getByLabel('用户名').fill(HANDLER.username);
  await userForm.getByLabel('姓名').fill('张重名');
  await userForm.getByLabel('初始密码').fill(PASSWORD);
  await userForm.getByLabel('执法证号').fill('京执法A0099999');
  await tid(page, 'user-save').click();
  await expectPlaced(page, { username: `用户名“${HANDLER.username}”已存在`, certExpiry: '填写执法证号时须同时填写有效期' }, '新增用户');
  assert((await focused(page)) === 'user-username', `新增用户：焦点应在用户名，实际为 ${await focused(page)}`);
  await shotsAt(page, shot, 'forms-user');
  await userForm.getByLabel('用户名').fill('zhang2');
  await expectGone(page, 'username', '新增用户');
  assert((await fieldError(page, 'certExpiry').count()) === 1, '新增用户：有效期的提示应保留');
  await signOut(page);

  // 3. Submission: an empty form sent as it opens — every required field named beside itself.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await tid(page, 'nav-submit').click();
  await tid(page, 'submit-form').waitFor({ timeout: T });
  await tid(page, 'submit-case').click();
  await expectPlaced(
    page,
    {
      caseNo: '案件编号不能为空',
      title: '案件名称不能为空',
      catalogItem: '目录事项不能为空',
      'party.name': /不能为空/,
      facts: '违法事实不能为空',
      evidence: '证据清单至少一项',
      legalBasis: '至少填写一项法律依据',
      proposedDecision: '拟作出的决定不能为空',
      officerIds: '执法人员不得少于两人',
    },
    '送审（空表）',
  );
  assert((await focused(page)) === 'f-caseNo', `送审：焦点应在案件编号，实际为 ${await focused(page)}`);
  const count = Number(await tid(page, 'submit-error').getAttribute('data-count'));
  assert(count >= 9, `送审：汇总应列出全部错误（至少9处），实际 ${count} 处`);
  await shotsAt(page, shot, 'forms-submit-empty');
  // The summary's links lead to their fields.
  await tid(page, 'submit-error').getByRole('button', { name: '违法事实不能为空' }).click();
  assert((await focused(page)) === 'f-facts', `送审：点击汇总中的“违法事实不能为空”应聚焦违法事实，实际为 ${await focused(page)}`);
  await page.getByLabel('案件编号').fill(CASE.caseNo);
  await expectGone(page, 'caseNo', '送审');
  assert((await fieldError(page, 'title').count()) === 1, '送审：案件名称的提示应保留');

  // The core's own rules, placed the same way: a credit code whose check digit is wrong, an amount in words.
  const badCode = `${CASE.partyId.slice(0, 17)}${CASE.partyId.endsWith('0') ? '1' : '0'}`;
  await fillCaseForm(page, { ...CASE, partyId: badCode, fine: '8万' });
  await tid(page, 'submit-case').click();
  await expectPlaced(page, { 'party.idNumber': `统一社会信用代码“${badCode}”校验不通过（GB 32100）`, fineAmount: '金额“8万”格式不正确' }, '送审（核心规则）');
  assert((await focused(page)) === 'f-partyId', `送审：焦点应在当事人证件号码，实际为 ${await focused(page)}`);
  await expectText(tid(page, 'submit-error'), /有2处需要修改/, '送审：汇总');
  await shotsAt(page, shot, 'forms-submit-rules');
  await tid(page, 'f-partyId').fill(CASE.partyId);
  await expectGone(page, 'party.idNumber', '送审（核心规则）');
  await page.getByLabel('罚款金额（元）').fill(CASE.fine);
  await expectGone(page, 'fineAmount', '送审（核心规则）');
  assert((await tid(page, 'submit-error').count()) === 0, '送审：全部改正后汇总应消失');
  await tid(page, 'submit-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await signOut(page);

  // 4. Review: 退回 without requests, a 需补正 without reason, the ninth criterion unanswered.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, CASE.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (let n = 1; n <= 8; n++) await setFinding(page, n, n === 3 ? 'needs_correction' : 'conform');
  await tid(page, 'outcome-return').check();
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await expectPlaced(page, { 'findings.8': '第9项尚未作出结论', 'findings.2.reason': '第3项', requests: '退回须逐项列明需要补充或更正的内容' }, '审核');
  assert((await focused(page))?.startsWith('criterion-3') ?? false, `审核：焦点应在第一个有误的字段（第3项），实际为 ${await focused(page)}`);
  await shotsAt(page, shot, 'forms-review');
  await tid(page, 'criterion-3-reason').fill('听证笔录未附当事人签字页，须补正。');
  await expectGone(page, 'findings.2.reason', '审核');
  await setFinding(page, 9, 'conform');
  await expectGone(page, 'findings.8', '审核');
  assert((await fieldError(page, 'requests').count()) === 1, '审核：退回要求的提示应保留');
  await tid(page, 'request-0').fill('补充听证笔录当事人签字页。');
  await expectGone(page, 'requests', '审核');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await signOut(page);

  // 5. Meeting form: no chair, no title, no time — all three at once.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-new').click();
  await tid(page, 'meeting-create-form').waitFor({ timeout: T });
  await tid(page, 'meeting-create-submit').click();
  await expectPlaced(page, { title: '请填写会议名称', scheduledAt: '请填写会议时间', chairId: '请选择会议主持人' }, '新建会议');
  await shotsAt(page, shot, 'forms-meeting');
  await tid(page, 'meeting-title').fill('2026年第12次局长办公会议');
  await expectGone(page, 'title', '新建会议');
  assert((await fieldError(page, 'chairId').count()) === 1, '新建会议：主持人的提示应保留');
}
