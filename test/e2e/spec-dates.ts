// E2E spec `dates` (issue 12, parts 6 and 8): dates typed in the app's Chinese format and a wrong one
// refused in Chinese; 打印 of a case (A4 summary with the timeline), of the queue and of search results,
// each checked in a PDF of the print view (page.pdf → pdftotext); 导出 Excel of the queue and of search
// results read back with exceljs. Then the same in a second browser context with locale en-US and time
// zone America/Los_Angeles, to prove nothing follows the machine. Registered in SPECS of spec.ts.
//
// window.print() is replaced by a counter before the app loads (headless Chromium has no print dialog):
// the spec checks that 打印 asks for the print preview, then prints the view itself with page.pdf.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { CaseDetail } from '../../main/core/domain/views';
import { apiInitScript } from './harness';
import {
  HANDLER,
  HEAD,
  OFFICER,
  REVIEWER,
  SECRETARY,
  T,
  assert,
  createUser,
  cstToday,
  expectText,
  fillCaseForm,
  firstRunSetup,
  issueOpinion,
  openCaseFromQueue,
  signIn,
  signOut,
  tid,
  type CaseFixture,
  shotsAt,
  type Shot,
} from './spec';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', process.env.LRW_TEST_ENGINE === 'postgres' ? 'e2e-postgres' : 'e2e');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-e2e-dates-'));

// ---------------------------------------------------------------------------------------------
// China time, computed here independently of the app (Intl with Asia/Shanghai)

const CN_PARTS = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** An instant as the app must show it: 2026年12月2日 09:05 (China time). */
function chinaTime(iso: string): string {
  const p = Object.fromEntries(CN_PARTS.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日 ${p.hour.padStart(2, '0')}:${p.minute}`;
}
/** 'YYYY-MM-DD' → 2026年12月2日. */
const chinaDate = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const dotted = (ymd: string) => ymd.split('-').map(Number).join('.');
const squash = (s: string) => s.replace(/\s+/g, '');

// ---------------------------------------------------------------------------------------------
// Fixtures

const CASE_A: CaseFixture = {
  caseNo: '京市监罚〔2026〕301号',
  title: '某食品有限公司生产不符合食品安全标准食品案',
  catalogItem: 'penalty.fine_org',
  partyType: 'organization',
  partyName: '北京某某食品有限公司',
  partyId: '91110000600037341L',
  partyAddress: '北京市大兴区兴华大街2号',
  facts: '当事人生产的速冻水饺经抽检菌落总数超标，涉案产品货值金额52000元。',
  evidence: ['抽样检验报告', '现场检查笔录', '询问笔录'],
  basis: [{ law: '中华人民共和国食品安全法', article: '第一百二十四条第一款第一项' }],
  proposed: '没收违法生产的食品，并处罚款100000元。',
  fine: '100000',
  // Typed in three forms below; these are the values the core must receive.
  procedure: [
    { step: '立案', date: cstToday(-40) },
    { step: '调查取证', date: cstToday(-30), note: '抽样检验' },
    { step: '告知', date: cstToday(-10), note: '送达行政处罚告知书' },
  ],
  officers: [HANDLER.username, OFFICER.username],
};
const CASE_B: CaseFixture = { ...CASE_A, caseNo: '京市监罚〔2026〕302号', title: '某餐饮管理有限公司使用超过保质期食品原料案', partyName: '北京某某餐饮管理有限公司', facts: '当事人使用超过保质期的食品原料加工食品，涉案货值金额48000元。' };

// ---------------------------------------------------------------------------------------------
// Helpers

/** A stand-in for window.print (counts calls), installed before the app's own scripts. */
const PRINT_STUB = `(() => { window.__prints = 0; window.print = () => { window.__prints += 1; }; })();`;
const prints = (page: Page) => page.evaluate(() => (window as unknown as { __prints: number }).__prints);

/** Screenshots of the current screen at 1366×768 and 1024×768, then back to the run's viewport. */

/**
 * The print view as a PDF (print media, A4) and its text from pdftotext, without whitespace: once in
 * drawing order (-raw: a table row's cells in turn, a wrapped cell in one piece) and once as laid out
 * (-layout: a row on one line), so a check passes if the text reads so either way.
 */
async function pdfText(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `dates-${name}.pdf`);
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const text = (mode: string) => squash(execFileSync('pdftotext', [mode, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
  return `${text('-raw')}¦${text('-layout')}`;
}

async function api<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const r = await page.evaluate(([c, i]) => (window as unknown as { api: Record<string, (x: unknown) => Promise<unknown>> }).api[c as string](i), [channel, input] as const);
  const res = r as { ok: boolean; value?: T; error?: { message: string } };
  assert(res.ok, `${channel} 应成功：${res.error?.message}`);
  return res.value as T;
}

/** Cell texts of the first sheet of a downloaded .xlsx. */
async function xlsxRows(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    rows.push(cells);
  });
  return rows;
}

/** Clicks an 导出 Excel button and returns the saved file. */
async function download(page: Page, testId: string, name: string): Promise<{ file: string; suggested: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: T }), tid(page, testId).click()]);
  const file = path.join(WORK, name);
  await d.saveAs(file);
  return { file, suggested: d.suggestedFilename() };
}

/** The print view's list table: header and cell texts. */
async function printedList(page: Page): Promise<{ head: string[]; rows: string[][] }> {
  const table = tid(page, 'print-list');
  await table.waitFor({ timeout: T });
  const head = await table.locator('thead th').allInnerTexts();
  const rows: string[][] = [];
  for (const tr of await table.locator('tbody tr').all()) rows.push((await tr.locator('td').allInnerTexts()).map((s) => s.trim()));
  return { head: head.map((s) => s.trim()), rows };
}

/**
 * The handler fills the submission form with the procedure dates typed three ways (年月日, dotted,
 * ISO), first with 2月30日 (refused in Chinese at the field and by the core on sending, nothing saved),
 * and a date after today (refused at the field); then submits.
 */
async function typeDatesAndSubmit(page: Page, c: CaseFixture, shot: Shot | null, label: string): Promise<void> {
  await tid(page, 'nav-submit').click();
  await fillCaseForm(page, { ...c, procedure: c.procedure.map((p, i) => ({ ...p, date: i === 0 ? chinaDate(p.date) : i === 1 ? dotted(p.date) : p.date })) });
  const second = page.getByLabel('程序第2行的日期');
  assert((await second.getAttribute('type')) === 'text', '日期输入框应为应用自己的中文日期框，而非系统日期控件');
  // Leaving a field shows the date the app understood, in its own format.
  await page.getByLabel('程序第3行的日期').press('Tab');
  await second.click();
  await page.getByLabel('程序第1行的日期').click();
  assert((await second.inputValue()) === chinaDate(c.procedure[1].date), `“${dotted(c.procedure[1].date)}”离开输入框后应显示为“${chinaDate(c.procedure[1].date)}”，实际为“${await second.inputValue()}”`);
  assert((await page.getByLabel('程序第3行的日期').inputValue()) === chinaDate(c.procedure[2].date), '2026-12-01 式的日期应显示为年月日');

  // A day that does not exist: refused where it is typed, and by the core if sent anyway.
  const year = c.procedure[1].date.slice(0, 4);
  await second.fill(`${year}年2月30日`);
  await second.press('Tab');
  const last = Number(year) % 4 === 0 ? 29 : 28;
  await expectText(tid(page, 'f-proc-date-1-error'), `日期“${year}年2月30日”无效：${year}年2月只有${last}天。`, '不存在的日期的提示');
  assert((await second.getAttribute('aria-invalid')) === 'true', '错误的日期应标为无效');
  if (shot) await shotsAt(page, shot, `${label}-submit-bad-date`);
  await tid(page, 'submit-case').click();
  await tid(page, 'submit-error').waitFor({ timeout: T });
  const refused = await tid(page, 'submit-error').innerText();
  assert(/日期/.test(refused), `核心应拒绝无效日期，实际提示：${refused}`);
  assert((await tid(page, 'submit-form').count()) === 1, '被拒绝后应仍在送审页');
  const found = await api<{ total: number }>(page, 'cases.search', { query: c.caseNo });
  assert(found.total === 0, '无效日期被拒绝后不应保存案件');

  // Not a date at all, in a US habit: the message says how to write it.
  await second.fill('03/15/2026');
  await second.press('Tab');
  await expectText(tid(page, 'f-proc-date-1-error'), '无法识别日期“03/15/2026”：请按“2026年12月1日”的格式填写（也可写作 2026-12-01 或 2026.12.1）。', '无法识别的日期的提示');
  // After today: a procedure step cannot lie in the future.
  await second.fill(chinaDate(cstToday(3)));
  await second.press('Tab');
  await expectText(tid(page, 'f-proc-date-1-error'), '日期不能晚于今天。', '晚于今天的日期的提示');

  await second.fill(chinaDate(c.procedure[1].date));
  await second.press('Tab');
  assert((await tid(page, 'f-proc-date-1-error').count()) === 0, '改正后提示应消失');
  await tid(page, 'submit-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await expectText(tid(page, 'state-badge'), '已送审', '送审后的案件状态');
  const id = Number(/#\/case\/(\d+)/.exec(page.url())?.[1]);
  const detail = await api<CaseDetail>(page, 'cases.get', { caseId: id });
  const sent = detail.submissions[0].procedure.map((p) => p.date);
  assert(JSON.stringify(sent) === JSON.stringify(c.procedure.map((p) => p.date)), `核心收到的程序日期应为 ${c.procedure.map((p) => p.date).join('、')}，实际为 ${sent.join('、')}`);
  for (const p of c.procedure) await expectText(tid(page, 'submission-round-1'), chinaDate(p.date), `送审材料中的日期“${chinaDate(p.date)}”`);
}

/** The case page's timeline and its print view show each entry in China time (checked in the PDF too). */
async function printCase(page: Page, c: CaseFixture, shot: Shot | null, label: string): Promise<void> {
  const id = Number(/#\/case\/(\d+)/.exec(page.url())?.[1]);
  const detail = await api<CaseDetail>(page, 'cases.get', { caseId: id });
  await tid(page, 'tab-timeline').click();
  const shown = await tid(page, 'timeline-entry').allInnerTexts();
  for (const t of detail.timeline) {
    assert(shown.some((s) => s.includes(chinaTime(t.at)) && s.includes(t.label)), `时间线应以北京时间显示“${t.label}”：${chinaTime(t.at)}；实际为 ${JSON.stringify(shown)}`);
  }
  const before = await prints(page);
  await tid(page, 'action-print').click();
  await tid(page, 'case-print').waitFor({ timeout: T });
  await page.waitForFunction((n) => (window as unknown as { __prints: number }).__prints > n, before, { timeout: T });
  assert(page.url().endsWith(`#/case/${id}/print`), `打印视图地址应为 #/case/${id}/print：${page.url()}`);
  await expectText(tid(page, 'print-party'), c.partyName, '打印视图中的当事人');
  if (shot) await shotsAt(page, shot, `${label}-case-print`);
  const text = await pdfText(page, `${label}-case`);
  for (const s of ['重大执法决定法制审核案件摘要', c.caseNo, c.partyName, c.title, '时间线（北京时间）', '北京市某区市场监督管理局']) {
    assert(text.includes(squash(s)), `打印的 PDF 应包含“${s}”`);
  }
  for (const t of detail.timeline) {
    assert(text.includes(squash(`${chinaTime(t.at)}${t.actor}${t.label}`)), `打印的 PDF 应以北京时间列出“${t.label}”（${chinaTime(t.at)}，${t.actor}）`);
  }
  for (const p of c.procedure) assert(text.includes(squash(chinaDate(p.date))), `打印的 PDF 应包含程序日期 ${chinaDate(p.date)}`);
  assert(!/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text), '打印的 PDF 不应出现 ISO 时间串');
  await tid(page, 'print-back').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
}

// ---------------------------------------------------------------------------------------------
// The spec

export async function dates(page: Page, shot: Shot): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const origin = new URL(page.url()).origin;
  await page.addInitScript(PRINT_STUB);
  await page.reload();

  // 1. Setup; the handler's certificate expiry typed as 年月日 on the user form.
  await firstRunSetup(page);
  await tid(page, 'nav-users').click();
  await tid(page, 'users-page').waitFor({ timeout: T });
  const expiry = `${new Date().getFullYear() + 3}-06-30`;
  await createUser(page, { ...HANDLER, certExpiry: chinaDate(expiry) });
  await expectText(page.locator('[data-testid="user-row"][data-username="zhang"]'), `有效期至${chinaDate(expiry)}`, '以年月日填写的执法证有效期');
  for (const u of [OFFICER, REVIEWER, HEAD, SECRETARY]) await createUser(page, u);
  await tid(page, 'user-new').click();
  await tid(page, 'user-create-form').waitFor({ timeout: T });
  await shotsAt(page, shot, 'users-form');
  await signOut(page);

  // 2. The handler types dates in Chinese (a wrong one refused) and submits.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await typeDatesAndSubmit(page, CASE_A, shot, 'zh');
  await shotsAt(page, shot, 'case-page');
  await signOut(page);

  // 3. The reviewer takes and agrees; prints the case.
  await signIn(page, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(page, CASE_A.caseNo, '新送审，待领取');
  await tid(page, 'action-take').click();
  await issueOpinion(page, 'agree', '经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处罚决定。');
  await printCase(page, CASE_A, shot, 'zh');
  await signOut(page);

  // 4. The handler submits a second case, so the lists have two rows.
  await signIn(page, HANDLER.username, HANDLER.displayName);
  await tid(page, 'nav-submit').click();
  await fillCaseForm(page, CASE_B);
  await tid(page, 'submit-case').click();
  await tid(page, 'case-page').waitFor({ timeout: T });
  await signOut(page);

  // 5. The head: the queue printed and exported; the search results printed and exported.
  await signIn(page, HEAD.username, HEAD.displayName);
  await tid(page, 'queue-table').waitFor({ timeout: T });
  await shotsAt(page, shot, 'queue');
  const onScreen = await page.locator('[data-testid="queue-table"] [data-testid="case-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-no')));
  const queueX = await download(page, 'queue-export', 'queue.xlsx');
  // (Chromium names a blob download from the link's download attribute only when its process locale
  // exists, see spec.ts drafting; the name the core gives is checked instead.)
  const named = await api<{ fileName: string }>(page, 'cases.report', { source: 'queue' });
  assert(/^待办事项-\d{8}\.xlsx$/.test(named.fileName), `导出文件名：${named.fileName}`);
  assert(queueX.suggested === named.fileName || queueX.suggested === 'download', `下载的文件名：${queueX.suggested}`);
  let before = await prints(page);
  await tid(page, 'queue-print').click();
  await tid(page, 'queue-print').waitFor({ timeout: T });
  await page.waitForFunction((n) => (window as unknown as { __prints: number }).__prints > n, before, { timeout: T });
  const queueP = await printedList(page);
  const queueRows = await xlsxRows(queueX.file);
  assert(JSON.stringify(queueRows[0]) === JSON.stringify(queueP.head), `Excel 的列应与打印的列相同：${JSON.stringify(queueRows[0])} / ${JSON.stringify(queueP.head)}`);
  assert(JSON.stringify(queueRows.slice(1)) === JSON.stringify(queueP.rows), `Excel 的行应与打印的行相同：${JSON.stringify(queueRows.slice(1))} / ${JSON.stringify(queueP.rows)}`);
  for (const col of ['案件编号', '当事人', '案件状态', '待办事项', '法制审核意见', '审核期限届满日', '承办人', '审核人', '更新时间（北京时间）']) {
    assert(queueP.head.includes(col), `清单应有“${col}”列`);
  }
  const caseCol = queueP.head.indexOf('案件编号');
  assert(JSON.stringify(queueP.rows.map((r) => r[caseCol])) === JSON.stringify(onScreen), `打印与导出的案件顺序应与待办页相同：${JSON.stringify(onScreen)}`);
  const queueItems = (await api<{ items: { caseNo: string; updatedAt: string; partyName: string }[] }>(page, 'cases.queue', {})).items;
  assert(queueItems.length === 1 && queueItems[0].caseNo === CASE_A.caseNo, `负责人待办应只有 ${CASE_A.caseNo}`);
  const updCol = queueP.head.indexOf('更新时间（北京时间）');
  assert(queueP.rows[0][updCol] === chinaTime(queueItems[0].updatedAt), `更新时间应为北京时间 ${chinaTime(queueItems[0].updatedAt)}，实际为 ${queueP.rows[0][updCol]}`);
  assert(queueP.rows[0][queueP.head.indexOf('待办事项')] === '待负责人审批', '待办事项列');
  await shotsAt(page, shot, 'queue-print');
  const queuePdf = await pdfText(page, 'zh-queue');
  for (const s of [`${HEAD.displayName}的待办事项`, CASE_A.caseNo, CASE_A.partyName, '待负责人审批', chinaTime(queueItems[0].updatedAt)]) assert(queuePdf.includes(squash(s)), `打印的待办 PDF 应包含“${s}”`);

  await tid(page, 'nav-search').click();
  await tid(page, 'search-page').waitFor({ timeout: T });
  await tid(page, 'search-query').fill('食品');
  await tid(page, 'search-submit').click();
  await expectText(tid(page, 'search-total'), '共 2 件', '检索结果件数');
  await shotsAt(page, shot, 'search');
  const searchScreen = await page.locator('[data-testid="search-table"] [data-testid="case-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-no')));
  const searchX = await download(page, 'search-export', 'search.xlsx');
  assert(/^案件检索结果-\d{8}\.xlsx$/.test((await api<{ fileName: string }>(page, 'cases.report', { source: 'search', query: '食品' })).fileName), '检索结果的导出文件名');
  before = await prints(page);
  await tid(page, 'search-print').click();
  await tid(page, 'search-print').waitFor({ timeout: T });
  await page.waitForFunction((n) => (window as unknown as { __prints: number }).__prints > n, before, { timeout: T });
  assert(page.url().includes('#/print/search?q='), `检索打印视图应带检索条件：${page.url()}`);
  await expectText(tid(page, 'print-sheet'), '关键词：食品', '打印的检索条件');
  const searchP = await printedList(page);
  const searchRows = await xlsxRows(searchX.file);
  assert(JSON.stringify(searchRows[0]) === JSON.stringify(searchP.head), 'Excel 的列应与打印的检索结果相同');
  assert(JSON.stringify(searchRows.slice(1)) === JSON.stringify(searchP.rows), `Excel 的行应与打印的检索结果相同：${JSON.stringify(searchRows.slice(1))} / ${JSON.stringify(searchP.rows)}`);
  assert(!searchP.head.includes('待办事项'), '检索结果没有“待办事项”列');
  assert(JSON.stringify(searchP.rows.map((r) => r[1])) === JSON.stringify(searchScreen), `检索结果的打印与导出应与屏幕上的顺序相同：${JSON.stringify(searchScreen)}`);
  await shotsAt(page, shot, 'search-print');
  const searchPdf = await pdfText(page, 'zh-search');
  for (const s of ['案件检索结果', '关键词：食品', CASE_A.caseNo, CASE_B.caseNo, CASE_B.partyName]) assert(searchPdf.includes(squash(s)), `打印的检索结果 PDF 应包含“${s}”`);
  // The export from the print view is the same file.
  const again = await download(page, 'print-export', 'search-again.xlsx');
  assert(JSON.stringify(await xlsxRows(again.file)) === JSON.stringify(searchRows), '打印视图中的导出与检索页的导出应相同');
  await tid(page, 'print-back').click();
  await tid(page, 'search-page').waitFor({ timeout: T });

  // The calculator, meeting and settings screens use the same date entry: screenshots of the calendar's.
  await tid(page, 'nav-calendar').click();
  await tid(page, 'calc-from').fill('2026年12月28日');
  await tid(page, 'calc-days').fill('5');
  await tid(page, 'calc-mode-working').check();
  await tid(page, 'calc-submit').click();
  await expectText(tid(page, 'calc-due'), '2027年1月5日', '以年月日填写起算日的到期日');
  await shotsAt(page, shot, 'calendar-calc');

  await signOut(page);

  // The secretary's meeting time: a date and a 24-hour time; a 12-hour habit is refused in Chinese.
  await signIn(page, SECRETARY.username, SECRETARY.displayName);
  await tid(page, 'nav-meetings').click();
  await tid(page, 'meeting-new').click();
  await tid(page, 'meeting-create-form').waitFor({ timeout: T });
  await tid(page, 'meeting-time-date').fill('2026年12月10日');
  await tid(page, 'meeting-time-time').fill('02:30 PM');
  await tid(page, 'meeting-time-time').press('Tab');
  await expectText(tid(page, 'meeting-time-time-error'), '时间“02:30 PM”请用24小时制填写，例如下午两点半写作 14:30。', '12小时制时间的提示');
  await shotsAt(page, shot, 'meeting-time-refused');
  await tid(page, 'meeting-time-time').fill('14时30分');
  await tid(page, 'meeting-time-time').press('Tab');
  assert((await tid(page, 'meeting-time-time').inputValue()) === '14:30', '“14时30分”离开输入框后应显示为 14:30');
  assert((await tid(page, 'meeting-time-time-error').count()) === 0, '改正后提示应消失');
  assert((await tid(page, 'meeting-time-date').inputValue()) === '2026年12月10日', '会议日期');

  // 6. A machine set to English (United States) in Los Angeles: the same Chinese dates and China time.
  // The harness keeps one session, so this page steps aside while the other context uses it.
  const browser = page.context().browser();
  await page.goto('about:blank');
  assert(browser, '需要浏览器实例以打开第二个上下文');
  const us = await browser.newContext({ locale: 'en-US', timezoneId: 'America/Los_Angeles', viewport: { width: 1366, height: 900 } });
  try {
    const p2 = await us.newPage();
    const problems: string[] = [];
    p2.on('pageerror', (e) => problems.push(e.message));
    await p2.addInitScript(apiInitScript(origin));
    await p2.addInitScript(PRINT_STUB);
    await p2.goto(`${origin}/`);
    const env = await p2.evaluate(() => ({ lang: navigator.language, tz: Intl.DateTimeFormat().resolvedOptions().timeZone, local: new Date(0).toString() }));
    assert(env.lang === 'en-US' && env.tz === 'America/Los_Angeles', `第二个上下文应为 en-US / America/Los_Angeles：${JSON.stringify(env)}`);
    const usShot: Shot = async (label) => {
      await p2.screenshot({ path: path.join(ARTIFACTS, `dates-us-${label}.png`), fullPage: true });
    };
    // The harness keeps one session: the head is still signed in. Sign in as the handler here.
    await tid(p2, 'current-user').waitFor({ timeout: T });
    await signOut(p2);
    await signIn(p2, HANDLER.username, HANDLER.displayName);
    await typeDatesAndSubmit(p2, { ...CASE_B, caseNo: '京市监罚〔2026〕303号' }, usShot, 'us');
    await printCase(p2, { ...CASE_B, caseNo: '京市监罚〔2026〕303号' }, usShot, 'us');
    await tid(p2, 'nav-search').click();
    await tid(p2, 'search-query').fill('303号');
    await tid(p2, 'search-submit').click();
    await expectText(tid(p2, 'search-total'), '共 1 件', '检索结果件数');
    const usX = await download(p2, 'search-export', 'us-search.xlsx');
    const usRows = await xlsxRows(usX.file);
    const found = (await api<{ items: { caseNo: string; updatedAt: string }[] }>(p2, 'cases.search', { query: '303号' })).items;
    const upd = usRows[0].indexOf('更新时间（北京时间）');
    assert(usRows[1][upd] === chinaTime(found[0].updatedAt), `洛杉矶时区的机器导出的更新时间也应为北京时间 ${chinaTime(found[0].updatedAt)}，实际为 ${usRows[1][upd]}`);
    // The meeting-time entry (date + 24-hour time) on a US machine: a 12-hour habit is refused in Chinese.
    await tid(p2, 'nav-calendar').click();
    await tid(p2, 'calc-from').fill('12/28/2026');
    await tid(p2, 'calc-from').press('Tab');
    await expectText(tid(p2, 'calc-from-error'), '无法识别日期“12/28/2026”', '美式日期的提示');
    await tid(p2, 'calc-from').fill('2026.12.28');
    await tid(p2, 'calc-days').fill('5');
    await tid(p2, 'calc-mode-working').check();
    await tid(p2, 'calc-submit').click();
    await expectText(tid(p2, 'calc-due'), '2027年1月5日', '洛杉矶时区的机器上计算的到期日');
    await usShot('calendar-calc-1366x900');
    if (problems.length) throw new Error(`第二个上下文的页面脚本错误：${problems.join('\n')}`);
    await signOut(p2);
  } finally {
    await us.close();
  }
  fs.rmSync(WORK, { recursive: true, force: true });
}
