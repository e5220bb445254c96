// E2E spec `referral` (issue 15, point 3): criterion 7 reads 不涉嫌犯罪 / 涉嫌犯罪，应当移送 / 需进一步核实 on the
// review page; 同意 with a suspected crime is refused with 不得以罚代刑; the issued 不同意 opens the case's
// referral card (移送涉嫌犯罪案件) — the handler's written report, the agency head's 批准移送 with its
// 3-day clock, the transfer with its 24-hour clock — and the case page lists the finding as 涉嫌犯罪，应当移送.
// Registered in SPECS of spec.ts. Screenshots of the changed screens at 1366×768 and 1024×768.
import type { Page } from 'playwright-core';
import {
  CASE,
  HANDLER,
  HEAD,
  OFFICER,
  REVIEWER,
  T,
  assert,
  createUser,
  expectText,
  firstRunSetup,
  openCaseFromQueue,
  setFinding,
  signIn,
  signOut,
  submitCase,
  tid,
  type CaseFixture,
  type Shot,
} from './spec';

const C: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕177号', title: '某商贸有限公司销售伪劣产品案' };

async function shotBoth(page: Page, shot: Shot, name: string, testId: string): Promise<void> {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await tid(page, testId).scrollIntoViewIfNeeded();
    await shot(`${name}-${width}x768`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

async function confirmStep(page: Page): Promise<void> {
  await tid(page, 'referral-submit').click();
  await tid(page, 'referral-confirm').click();
}

export async function referral(page: Page, shot: Shot): Promise<void> {
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  await tid(page, 'users-page').waitFor({ timeout: T });
  for (const u of [HANDLER, OFFICER, REVIEWER, HEAD]) await createUser(page, u);
  await signOut(page);

  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, C);
  await signOut(page);

  // 1. The review page: criterion 7's three answers read as its question asks; the others as before.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, C.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  for (const [r, label] of [['conform', '不涉嫌犯罪'], ['nonconform', '涉嫌犯罪，应当移送'], ['needs_correction', '需进一步核实']] as const) {
    const text = (await tid(page, `criterion-7-${r}`).locator('xpath=..').innerText()).trim();
    assert(text === label, `第7项的选项应为“${label}”，实为“${text}”`);
  }
  const six = (await tid(page, 'criterion-6-conform').locator('xpath=..').innerText()).trim();
  assert(six === '符合', `第6项的选项应仍为“符合”，实为“${six}”`);
  for (let n = 1; n <= 9; n++) {
    if (n === 7) await setFinding(page, 7, 'nonconform', '货值金额已达十五万元，涉嫌生产、销售伪劣产品罪。');
    else await setFinding(page, n, 'conform');
  }
  await tid(page, 'criterion-7-nonconform').scrollIntoViewIfNeeded();
  await shotBoth(page, shot, '01-review-criterion7', 'criterion-7-nonconform');

  // 2. 同意 is refused: the penalty may not stand in for the referral.
  await tid(page, 'outcome-agree').check();
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await expectText(tid(page, 'review-error'), '不得以罚代刑', '“同意”与涉嫌犯罪并存时的拒绝提示');
  await shotBoth(page, shot, '02-refusal', 'review-error');

  // 3. 不同意 is issued; the case page lists the finding in criterion 7's words and opens the referral card.
  await tid(page, 'outcome-disagree').check();
  await page.getByLabel('审核意见书正文').fill('经审核，当事人的违法行为涉嫌犯罪，应当移送公安机关，不同意以行政处罚代替刑事追究。');
  await tid(page, 'review-issue').click();
  await tid(page, 'confirm-ok').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await tid(page, 'tab-reviews').click();
  await expectText(page.locator('td.finding'), '涉嫌犯罪，应当移送', '案件页第7项结论');
  await expectText(page.locator('td.finding'), '符合', '案件页其他各项结论');
  await shotBoth(page, shot, '03-case-findings', 'panel-reviews');
  await expectText(tid(page, 'referral-state'), '待承办人提出移送涉嫌犯罪案件的书面报告', '移送卡片的状态');
  assert((await tid(page, 'referral-form').count()) === 0, '审核人员不应看到移送的操作');
  await signOut(page);

  // 4. The handler reports in writing; the 3-day clock for the head's decision starts.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, C.caseNo, '涉嫌犯罪：待您提出移送的书面报告');
  await tid(page, 'referral-card').scrollIntoViewIfNeeded();
  await shotBoth(page, shot, '04-referral-opened', 'referral-card');
  await tid(page, 'referral-text').fill('专案组核实：货值金额十五万元，已达立案追诉标准，建议移送公安机关。');
  await confirmStep(page);
  await expectText(tid(page, 'referral-state'), '待机关正职负责人作出是否批准移送的决定', '报告后的移送状态');
  await expectText(tid(page, 'referral-clocks'), '批准移送涉嫌犯罪案件的决定（3日）', '审批期限');
  await signOut(page);

  // 5. The agency head approves; the 24-hour transfer clock starts.
  await signIn(page, HEAD.username, HEAD.displayName);
  await openCaseFromQueue(page, C.caseNo, '涉嫌犯罪案件待您决定是否批准移送（3日内）');
  await tid(page, 'referral-approve').check();
  await tid(page, 'referral-text').fill('同意移送某市公安局。');
  await confirmStep(page);
  await expectText(tid(page, 'referral-state'), '已批准移送，待向公安机关移送', '批准后的移送状态');
  await expectText(tid(page, 'referral-clocks'), '向公安机关移送涉嫌犯罪案件（24小时）', '移送期限');
  await shotBoth(page, shot, '05-referral-approved', 'referral-card');
  await signOut(page);

  // 6. The handler records the transfer, copied to the procuratorate.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await openCaseFromQueue(page, C.caseNo, '已批准移送：待您24小时内移送公安机关');
  await tid(page, 'referral-police').fill('某市公安局');
  await tid(page, 'referral-procuratorate').fill('某市人民检察院');
  await confirmStep(page);
  await expectText(tid(page, 'referral-state'), '已移送公安机关', '移送后的状态');
  await expectText(tid(page, 'referral-steps'), '移送某市公安局，抄送某市人民检察院', '移送记录');
  await shotBoth(page, shot, '06-referral-transferred', 'referral-card');
}
