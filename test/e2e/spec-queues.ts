// E2E spec `queues` (issue 12, “every hand-over obvious”): the first-run administrator's checklist; the
// handler's 我送审的在办案件 with the clock right after submitting; 剩余N个工作日 on the review page; the
// chair's 待办 showing the minutes waiting for him (agenda, then confirmation) with the count on the
// menu, gone once locked; the case's clock on the minutes and on the drafting page. Registered in SPECS
// of spec.ts. Screenshots of each changed screen at 1366×768 and 1024×768.
//
// The dissent path's own UI (re-review, escalation, live minutes) is dissentToMeeting's; to reach a
// meeting quickly this spec makes those calls through the page's window.api as the signed-in user —
// the calls those screens make.
import type { Page } from 'playwright-core';
import {
  HANDLER,
  HEAD,
  HEAD2,
  OFFICER,
  REVIEWER,
  REVIEWER2,
  SECRETARY,
  T,
  assert,
  createUser,
  expectText,
  firstRunSetup,
  issueOpinion,
  openCaseFromQueue,
  signIn,
  signOut,
  submitCase,
  tid,
  CASE,
  type CaseFixture,
  type NewUser,
  type Shot,
} from './spec';

const LEGAL_HEAD: NewUser = { username: 'liu', displayName: '刘主任', roles: ['legal_head'] };

/** Monday 23 November 2026, 09:00 China time: received today, a review is due on Monday 30 November. */
const MONDAY = '2026-11-23T09:00:00+08:00';

const C: CaseFixture = {
  ...CASE,
  caseNo: '京市监罚〔2026〕120号',
  title: '某电子商务有限公司虚构交易案',
  procedure: [
    { step: '立案', date: '2026-09-01' },
    { step: '调查取证', date: '2026-09-20', note: '电子数据提取' },
    { step: '告知', date: '2026-11-02', note: '送达行政处罚告知书' },
  ],
};

async function setCoreClock(page: Page, at: string): Promise<void> {
  const ok = await page.evaluate(async (when) => (await fetch('/__test/clock', { method: 'POST', body: JSON.stringify({ at: when }) })).ok, at);
  assert(ok, `设置测试时钟 ${at} 应成功（须由 run.ts 的测试服务运行）`);
}

/** One call through the page's window.api as the signed-in user; a refusal fails the spec with the core's message. */
async function api<T = unknown>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([ch, inp]) => {
      const a = (window as unknown as { api: Record<string, (i: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>> }).api;
      return await a[ch as string](inp);
    },
    [channel, input] as const,
  );
  assert(r.ok, `${channel} 应成功：${r.error?.message ?? ''}`);
  return r.value as T;
}

/** The page at 1366×768 and 1024×768 (full page), then back to the runner's size. */
async function shotBoth(page: Page, shot: Shot, name: string): Promise<void> {
  for (const width of [1366, 1024]) {
    await page.setViewportSize({ width, height: 768 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(`${name}-${width}x768`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

const findings = (bad: boolean) =>
  Array.from({ length: 9 }, (_, i) =>
    bad && i === 5 ? { criterion: 6, result: 'nonconform', reason: '罚款数额超出裁量基准第二档上限，裁量明显不当。' } : { criterion: i + 1, result: 'conform', reason: '' },
  );

export async function queues(page: Page, shot: Shot): Promise<void> {
  await setCoreClock(page, MONDAY);

  // 1. A first-run administrator lands on the checklist, not on an empty 待办.
  await firstRunSetup(page);
  await tid(page, 'setup-checklist').waitFor({ timeout: T });
  const step = (key: string) => page.locator(`[data-testid="setup-step"][data-key="${key}"]`);
  assert((await step('users').getAttribute('data-done')) === 'false', '首次使用时“开设业务人员账号”应未完成');
  await expectText(step('users'), '尚无在用的承办人', '未完成的步骤说明缺少哪些人员');
  assert((await tid(page, 'queue-empty').count()) === 0, '管理员首次使用时不应显示“暂无待办事项”');
  await tid(page, 'nav-count-queue').waitFor({ timeout: T });
  await shotBoth(page, shot, '01-admin-checklist');
  await tid(page, 'setup-go-users').click();
  await tid(page, 'users-page').waitFor({ timeout: T });
  for (const u of [HANDLER, OFFICER, REVIEWER, REVIEWER2, LEGAL_HEAD, HEAD, HEAD2, SECRETARY]) await createUser(page, u);
  await tid(page, 'nav-queue').click();
  await tid(page, 'setup-checklist').waitFor({ timeout: T });
  await page.locator('[data-testid="setup-step"][data-key="users"][data-done="true"]').waitFor({ timeout: T });
  await signOut(page);

  // 2. The handler submits; the 待办 shows the case at once in 我送审的在办案件 with its clock.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await submitCase(page, C);
  const caseId = Number(/#\/case\/(\d+)/.exec(page.url())?.[1]);
  assert(caseId > 0, `案件页地址应含案件编号：${page.url()}`);
  await tid(page, 'nav-queue').click();
  const own = page.locator(`[data-testid="own-case-row"][data-case-no="${C.caseNo}"]`);
  await own.waitFor({ timeout: T });
  await expectText(own.getByTestId('own-case-clock'), '剩余5个工作日', '我送审的在办案件中的审核期限');
  await expectText(own.getByTestId('own-case-progress'), '已送审，待法制审核人员领取', '我送审的在办案件中的进展');
  await shotBoth(page, shot, '02-handler-queue');
  await signOut(page);

  // 3. The reviewer sees 剩余N个工作日 on the review page while writing the nine findings.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, C.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await tid(page, 'review-page').waitFor({ timeout: T });
  await expectText(tid(page, 'review-page-clock'), '剩余5个工作日', '审核页的审核期限');
  await expectText(tid(page, 'review-page-clock-box'), '2026年11月30日到期', '审核页的到期日');
  await expectText(tid(page, 'review-submit-clock'), '剩余5个工作日', '出具意见按钮旁的审核期限');
  await shotBoth(page, shot, '03-review-page');
  await issueOpinion(page, 'disagree', '经审核，拟处罚款数额明显超出裁量基准，不同意按送审方案作出决定。');
  await signOut(page);

  // 4. Re-review, still 不同意, escalation (the calls dissentToMeeting makes through the UI).
  await signIn(page, HANDLER.username, HANDLER.displayName);
  // Back with the handler: flagged in the queue's case list.
  await tid(page, 'nav-queue').click();
  await expectText(page.locator(`[data-testid="case-row"][data-case-no="${C.caseNo}"]`), '审核不同意：可申请复审', '承办人待办中的不同意案件');
  await api(page, 'rereview.request', { caseId, reasons: '当事人系二次违法，按第三档处罚并无不当，请求复审。' });
  await signOut(page);
  await signIn(page, REVIEWER2.username, REVIEWER2.displayName);
  await api(page, 'reviews.take', { caseId });
  await api(page, 'reviews.issue', { caseId, findings: findings(true), outcome: 'disagree', opinion: '经复审，维持原审核意见。' });
  await signOut(page);
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await api(page, 'cases.escalate', { caseId, reasons: '复审未采纳承办单位意见，提请负责人会议集体讨论决定。' });
  await signOut(page);

  // 5. The secretary: the escalated case waits to be put on an agenda; once on one it leaves the list.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await expectText(page.locator(`[data-testid="case-row"][data-case-no="${C.caseNo}"]`), '待列入负责人会议议题', '秘书待办中的提请讨论案件');
  const users = await api<{ id: number; username: string }[]>(page, 'users.list', {});
  const idOf = (username: string) => users.find((u) => u.username === username)!.id;
  const meeting = await api<{ id: number }>(page, 'meetings.create', {
    title: '2026年第15次局长办公会议',
    scheduledAt: '2026-11-23T15:00:00+08:00',
    place: '机关三楼第一会议室',
    chairId: idOf(HEAD.username),
    attendeeIds: [idOf(HEAD.username), idOf(HEAD2.username)],
    caseIds: [caseId],
  });
  await tid(page, 'nav-meetings').click();
  await tid(page, 'nav-queue').click();
  await page.locator(`[data-testid="queue-meeting-row"][data-meeting-id="${meeting.id}"]`).waitFor({ timeout: T });
  assert((await page.locator(`[data-testid="case-row"][data-case-no="${C.caseNo}"]`).count()) === 0, '列入议题后，案件不应再在秘书待办中等待列入');
  await signOut(page);

  // 6. The chair's 待办 shows the meeting: first the agenda to set, with the count on the menu.
  await signIn(page, HEAD.username, HEAD.displayName);
  const row = page.locator(`[data-testid="queue-meeting-row"][data-meeting-id="${meeting.id}"]`);
  await expectText(row.getByTestId('queue-meeting-reason'), '会议议题待您确定', '主持人待办中的会议');
  await expectText(tid(page, 'nav-count-queue'), '1', '待办菜单上的数字');
  await expectText(tid(page, 'nav-count-meetings'), '1', '会议菜单上的数字');
  await row.getByTestId('queue-meeting-link').click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await expectText(page.locator(`[data-testid="meeting-item"][data-case-no="${C.caseNo}"]`).getByTestId('item-clock-none'), '本案当前没有计算中的期限', '会议议题的期限');
  await tid(page, 'agenda-confirm').click();
  await expectText(tid(page, 'agenda-bar'), `议题已由主持人${HEAD.displayName}`, '主持人确定议题');
  await signOut(page);

  // The secretary records attendance, views and the decision.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  const v = await api<{ version: number }>(page, 'meetings.get', { meetingId: meeting.id });
  await api(page, 'meetings.save', {
    meetingId: meeting.id,
    expectedVersion: v.version,
    attendance: [
      { userId: idOf(HEAD.username), present: true },
      { userId: idOf(HEAD2.username), present: true },
    ],
    items: [{ caseId, stances: [{ userId: idOf(HEAD.username), stance: 'agree' }, { userId: idOf(HEAD2.username), stance: 'agree' }] }],
  });
  await api(page, 'meetings.decide', { meetingId: meeting.id, caseId, decision: 'approve', decisionText: '同意按送审方案作出行政处罚决定。' });
  await signOut(page);

  // 7. Now the minutes wait for the chair's confirmation: his 待办 says so until he locks them.
  await signIn(page, HEAD.username, HEAD.displayName);
  await expectText(row.getByTestId('queue-meeting-reason'), '会议纪要待您确认并锁定', '主持人待办中待确认的会议纪要');
  await shotBoth(page, shot, '04-chair-queue');
  await row.getByTestId('queue-meeting-link').click();
  await tid(page, 'meeting-page').waitFor({ timeout: T });
  await tid(page, 'lock-open').click();
  await tid(page, 'lock-confirm').click();
  await expectText(tid(page, 'locked-banner'), `经主持人${HEAD.displayName}确认并锁定`, '锁定横幅');
  // The menu follows the chair's own action at once, without leaving the page.
  await tid(page, 'nav-count-meetings').waitFor({ state: 'detached', timeout: T });
  // Approved at the meeting: the publication clock runs, shown beside the item in the minutes.
  await expectText(page.locator(`[data-testid="meeting-item"][data-case-no="${C.caseNo}"]`).getByTestId('item-clock'), '剩余7个工作日', '会议纪要中的公示期限');
  await shotBoth(page, shot, '05-minutes-clock');
  await tid(page, 'nav-queue').click();
  await tid(page, 'queue-page').waitFor({ timeout: T });
  await tid(page, 'queue-empty').waitFor({ timeout: T });
  assert((await row.count()) === 0, '锁定后会议不应再在主持人待办中');
  assert((await tid(page, 'nav-count-meetings').count()) === 0, '锁定后会议菜单上不应再有数字');
  await signOut(page);

  // 8. The handler drafts the decision: the drafting page shows the clock the case runs against now.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await expectText(own.getByTestId('own-case-clock'), '剩余7个工作日', '批准后我送审的在办案件中的公示期限');
  await page.evaluate((h) => {
    window.location.hash = h;
  }, `#/case/${caseId}/doc/penalty-decision`);
  await tid(page, 'drafting-page').waitFor({ timeout: T });
  await expectText(tid(page, 'drafting-clock-box'), '执法信息公示期限', '起草页的期限');
  await expectText(tid(page, 'drafting-clock'), '剩余7个工作日', '起草页的公示期限');
  await shotBoth(page, shot, '06-drafting-clock');
}
