// Team mode end to end (issue 14): real `lrw serve` processes on one store (SQLite, or PostgreSQL with
// LRW_TEST_ENGINE=postgres), four browser contexts signed in through the served UI at the same time —
// handler, reviewer, agency head, secretary. No harness and no injected api: page.goto(server URL) and the
// server's own /web-api.js is window.api, as in an officer's browser.
//   teamOneServer:  submit → live arrival in the reviewer's queue → 同意 → approval (seen live at the
//                   handler's desk) → a submission draft typed, the server SIGKILLed and restarted, the draft
//                   and every session still there → 不同意 → 申请复审 → 复审 → 提请集体讨论 → meeting
//                   minuted by the secretary, locked by the chair in another context → 已批准; a stale
//                   review draft refused at a second desk.
//   teamTwoServers: two processes on one database, contexts alternating between them; a case submitted on
//                   A arrives live on B; one process killed, its users carry on at the other.
// Every process started here is stopped by its own PID, also when a step fails (and on exit).
// Run: node scripts/build.mjs && node --import tsx test/e2e/run.ts teamOneServer teamTwoServers
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { asRole, freshTarget, onPostgres, TEST_ENGINE } from '../helpers/engine';
import {
  ADMIN, assert, attendee, autosaved, autosavedMinutes, CASE, cstToday, expectChecked, expectText, fillCaseForm, HANDLER, HEAD, HEAD2, HEAD3,
  issueOpinion, OFFICER, openCaseFromQueue, PASSWORD, REVIEWER, REVIEWER2, SECRETARY, setFinding, signIn, signOut, stanceRow, T, tid,
  type CaseFixture, type NewUser,
} from './spec';

const ROOT = path.resolve(__dirname, '..', '..');
const LRW = path.join(ROOT, 'bin', 'lrw.js');
export const TEAM_ARTIFACTS = path.join(ROOT, 'test-artifacts', TEST_ENGINE === 'sqlite' ? 'e2e-team' : `e2e-team-${TEST_ENGINE}`);
/** How long a pushed change may take to show on another desk (SQLite's head is polled). */
const LIVE_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Server processes

const running = new Set<ServerProcess>();
/** Every server process started by the spec under way (their stderr goes beside the screenshots). */
const startedServers: ServerProcess[] = [];
// Last resort: whatever is still running when this process exits is killed by its PID.
process.on('exit', () => {
  for (const s of running) s.killNow();
});

class ServerProcess {
  readonly log: string[] = [];
  private exited: Promise<number | null>;
  private done = false;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      this.done = true;
      running.delete(this);
    });
    running.add(this);
    startedServers.push(this);
  }
  get pid(): number {
    return this.child.pid!;
  }
  get alive(): boolean {
    return !this.done;
  }
  killNow(): void {
    if (this.done) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  /** SIGKILL by PID, as a crash or `kill -9` would: nothing is flushed or signed on the way out. */
  async crash(): Promise<void> {
    this.killNow();
    await this.exited;
  }
  /** SIGTERM (graceful stop); SIGKILL if it has not stopped within 15 s. */
  async stop(): Promise<void> {
    if (this.done) return;
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => this.killNow(), 15_000);
    await this.exited;
    clearTimeout(t);
  }
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Store {
  /** What lrw init (the owner: it migrates) opens. */
  owner: string;
  /** What the servers open: on PostgreSQL the application's role, as an agency deploys it. */
  app: string;
  files: string;
}

/** Runs `lrw ARGS` to completion (stdin ignored); throws with its output when it fails. */
async function lrw(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [LRW, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`lrw ${args.slice(0, 2).join(' ')} 退出码 ${code}：${out}`);
  return out;
}

/** `lrw serve` on 127.0.0.1:port; resolves once it says it is listening. */
async function serve(name: string, store: Store, port: number): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [LRW, 'serve', '--db', store.app, '--files', store.files, '--listen', `127.0.0.1:${port}`, '--rate-per-user', '100000', '--rate-per-address', '100000'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } },
  );
  const lines: string[] = [];
  const proc = new ServerProcess(name, child, `http://127.0.0.1:${port}`);
  child.stdout!.on('data', () => undefined); // the access log
  return await new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.killNow();
      reject(new Error(`服务 ${name} 60 秒内未启动：${lines.join('')}`));
    }, 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      const s = d.toString('utf8');
      lines.push(s);
      proc.log.push(s);
      if (s.includes('服务已启动')) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`服务 ${name} 启动失败（退出码 ${code}）：${lines.join('')}`));
    });
  });
}

async function api(base: string, channel: string, input: unknown, token?: string): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string }; token?: string | null }> {
  const res = await fetch(`${base}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lrw-client': 'token', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  return { ...body, token: res.headers.get('x-lrw-session') };
}

/** The administrator creates the team's accounts through the server's API (bearer session). */
async function createUsers(base: string, users: NewUser[]): Promise<void> {
  const signed = await api(base, 'auth.signIn', { username: ADMIN.username, password: ADMIN.password });
  assert(signed.ok && signed.token, `管理员登录应成功：${JSON.stringify(signed.error)}`);
  for (const u of users) {
    const r = await api(base, 'users.create', { ...u, password: PASSWORD }, signed.token!);
    assert(r.ok, `新增用户${u.displayName}应成功：${JSON.stringify(r.error)}`);
  }
  await api(base, 'auth.signOut', {}, signed.token!);
}

async function initStore(dir: string): Promise<{ store: Store; drop: () => Promise<void> }> {
  const t = await freshTarget(dir);
  const store: Store = { owner: t.target, app: onPostgres ? asRole(t.target) : t.target, files: t.filesDir };
  await lrw(['init', '--db', store.owner, '--files', store.files, '--agency', '北京市某区市场监督管理局', '--prefix', '京某市监罚', '--admin', ADMIN.username, '--name', ADMIN.displayName], {
    LRW_PASSWORD: ADMIN.password,
  });
  return { store, drop: t.drop };
}

// ---------------------------------------------------------------------------------------------
// Desks (browser contexts)

interface Desk {
  role: string;
  context: BrowserContext;
  page: Page;
}

class Team {
  readonly desks: Desk[] = [];
  /** Problems seen on the pages (script errors, console errors). */
  readonly problems: string[] = [];
  /** Things that should have happened live but did not (the walk goes on, the spec fails at the end). */
  readonly misses: string[] = [];
  /** While a server is down on purpose (and a few seconds after), the browsers' failed connections are expected. */
  private downSince: number | null = null;
  private graceUntil = 0;
  set serverDown(v: boolean) {
    if (v) this.downSince = Date.now();
    else {
      this.downSince = null;
      this.graceUntil = Date.now() + 5_000;
    }
  }
  get serverDown(): boolean {
    return this.downSince !== null || Date.now() < this.graceUntil;
  }
  private n = 0;
  constructor(
    readonly browser: Browser,
    readonly dir: string,
    readonly spec: string,
  ) {
    // This spec's screenshots of an earlier run go: what is in the folder is what this run saw.
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(dir)) if (f.startsWith(`${spec}-`)) fs.rmSync(path.join(dir, f), { force: true });
  }

  async desk(role: string): Promise<Desk> {
    const context = await this.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    this.watch(page, role);
    const d = { role, context, page };
    this.desks.push(d);
    return d;
  }

  watch(page: Page, role: string): void {
    page.setDefaultTimeout(T);
    page.on('pageerror', (e) => this.problems.push(`${role}：页面脚本错误：${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // A stopped server: the page's requests and its push stream fail until it is back.
      if (/net::ERR_|Failed to load resource/.test(m.text()) && this.serverDown) return;
      this.problems.push(`${role}：控制台错误：${m.text()}`);
    });
  }

  /** The screen at 1366×768 and at 1024×768 (full page: nothing below the fold is hidden from review). */
  async shot(page: Page, label: string): Promise<void> {
    const name = `${this.spec}-${String(++this.n).padStart(2, '0')}-${label}`;
    fs.mkdirSync(this.dir, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(this.dir, `${name}-1366.png`), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(this.dir, `${name}-1024.png`), fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
  }

  /** Waits for loc to appear WITHOUT reloading; if it does not, records the miss, reloads and goes on. */
  async live(page: Page, loc: Locator, what: string, label: string): Promise<void> {
    try {
      await loc.first().waitFor({ state: 'visible', timeout: LIVE_MS });
    } catch {
      this.misses.push(`未刷新页面时 ${LIVE_MS / 1000} 秒内未看到：${what}（截图 ${label}-LIVE-MISSING）`);
      await this.shot(page, `${label}-LIVE-MISSING`);
      await page.reload();
      await loc.first().waitFor({ state: 'visible', timeout: T });
    }
  }

  async close(): Promise<void> {
    for (const d of this.desks) await d.context.close().catch(() => undefined);
  }

  finished = false;
  finish(): void {
    this.finished = true;
    const all = [...this.misses, ...this.problems];
    if (all.length) throw new Error(all.join('\n'));
  }
}

const row = (page: Page, caseNo: string) => page.locator(`[data-testid="case-row"][data-case-no="${caseNo}"]`);
const badge = (page: Page, text: string) => tid(page, 'state-badge').filter({ hasText: text });

async function open(page: Page, base: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.locator('[data-testid="signin-form"], [data-testid="queue-page"]').first().waitFor({ timeout: T });
}

async function approveAsHead(page: Page, opinion: string): Promise<void> {
  await tid(page, 'action-approve').click();
  await tid(page, 'approval-panel').waitFor({ timeout: T });
  await tid(page, 'approval-approve').check();
  await page.getByLabel('审批意见').fill(opinion);
  await tid(page, 'approval-submit').click();
  await expectText(tid(page, 'state-badge'), '已批准', '审批后的案件状态');
}

const users = [HANDLER, OFFICER, REVIEWER, REVIEWER2, HEAD, HEAD2, HEAD3, SECRETARY];

// ---------------------------------------------------------------------------------------------
// The walk on one server

async function teamOneServer(team: Team, store: Store): Promise<void> {
  const port = await freePort();
  let server = await serve('A', store, port);
  try {
    const base = server.url;
    const health = (await (await fetch(`${base}/healthz`)).json()) as { ok: boolean; engine: string };
    assert(health.ok && health.engine === TEST_ENGINE, `健康检查应报告 ${TEST_ENGINE}：${JSON.stringify(health)}`);
    await createUsers(base, users);

    // Four desks at once, each signing in through the served UI.
    const h = (await team.desk('承办人')).page;
    const r = (await team.desk('审核人员')).page;
    const boss = (await team.desk('机关负责人')).page;
    const sec = (await team.desk('会议秘书')).page;
    for (const p of [h, r, boss, sec]) await open(p, base);
    const platform = await h.evaluate(() => (window as unknown as { lrwPlatform?: { mode: string } }).lrwPlatform?.mode);
    assert(platform === 'browser', `浏览器中 window.lrwPlatform.mode 应为 browser（实际 ${platform}）`);
    await team.shot(h, 'signin');
    await signIn(h, HANDLER.username, HANDLER.displayName);
    await signIn(r, REVIEWER.username, REVIEWER.displayName);
    await signIn(boss, HEAD.username, HEAD.displayName);
    await signIn(sec, SECRETARY.username, SECRETARY.displayName);
    await team.shot(r, 'queue-reviewer-empty');

    // 1. The handler submits; the reviewer's queue, open at another desk, shows it without a reload.
    const c1: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕101号', title: '某科技有限公司发布虚假广告案' };
    await tid(h, 'nav-submit').click();
    await fillCaseForm(h, c1);
    await team.shot(h, 'submit-form');
    await tid(h, 'submit-case').click();
    await tid(h, 'case-page').waitFor({ timeout: T });
    await expectText(tid(h, 'state-badge'), '已送审', '送审后的案件状态');
    await team.live(r, row(r, c1.caseNo), '审核人员待办中新送审的案件', 'queue-reviewer');
    await expectText(row(r, c1.caseNo), '新送审，待领取', '待办事项');
    await team.shot(r, 'queue-reviewer-live');

    // 2. The reviewer takes it and agrees; the handler's case page (left open) follows live.
    await row(r, c1.caseNo).getByTestId('case-link').click();
    await tid(r, 'case-page').waitFor({ timeout: T });
    await tid(r, 'action-take').click();
    await tid(r, 'review-page').waitFor({ timeout: T });
    await team.shot(r, 'review-page');
    await issueOpinion(r, 'agree', '经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意。');
    await expectText(tid(r, 'state-badge'), '已审核', '出具意见后的案件状态');
    await team.live(h, badge(h, '已审核'), '承办人案件页的状态变为“已审核”', 'case-handler');

    // 3. The head's queue shows it live; the head approves; the handler's page shows 已批准 live.
    await team.live(boss, row(boss, c1.caseNo), '负责人待办中待审批的案件', 'queue-head');
    await expectText(row(boss, c1.caseNo), '待负责人审批', '负责人的待办事项');
    await row(boss, c1.caseNo).getByTestId('case-link').click();
    await tid(boss, 'case-page').waitFor({ timeout: T });
    await tid(boss, 'action-approve').click();
    await tid(boss, 'approval-panel').waitFor({ timeout: T });
    await team.shot(boss, 'approval');
    await tid(boss, 'approval-approve').check();
    await boss.getByLabel('审批意见').fill('同意法制审核意见，批准作出处罚决定。');
    await tid(boss, 'approval-submit').click();
    await expectText(tid(boss, 'state-badge'), '已批准', '审批后的案件状态');
    await team.live(h, badge(h, '已批准'), '承办人案件页的状态变为“已批准”', 'case-handler-approved');
    await team.shot(h, 'case-approved');

    // 4. The handler types a second submission; it is autosaved on the server. The server is killed.
    const c2: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕102号', title: '某食品有限公司生产不符合安全标准食品案' };
    await tid(h, 'nav-submit').click();
    await fillCaseForm(h, c2);
    await autosaved(h);
    const oldPid = server.pid;
    team.serverDown = true;
    await server.crash();
    // The reviewer's desk says the server cannot be reached (its push stream broke).
    await tid(r, 'nav-queue').click();
    await tid(r, 'server-offline').waitFor({ timeout: T });
    await expectText(tid(r, 'server-offline'), '暂时无法连接本单位服务器', '服务器不可用的提示');
    await team.shot(r, 'server-offline');

    // Restarted on the same port and store: the sessions (in the store) and the draft are still there.
    server = await serve('A (重启)', store, port);
    assert(server.pid !== oldPid, '重启后应为新的服务进程');
    await h.reload();
    await tid(h, 'submit-form').waitFor({ timeout: T });
    await expectText(tid(h, 'current-user'), HANDLER.displayName, '重启后承办人仍已登录（会话保存在数据库中）');
    await tid(h, 'draft-restored').waitFor({ timeout: T });
    assert((await h.getByLabel('案件编号').inputValue()) === c2.caseNo, '服务重启后应恢复送审草稿中的案件编号');
    assert((await h.getByLabel('违法事实').inputValue()) === c2.facts, '服务重启后应恢复送审草稿中的违法事实');
    await team.shot(h, 'draft-after-restart');
    // The reviewer's desk reconnects by itself: the banner goes, and the next submission arrives live.
    await tid(r, 'server-offline').waitFor({ state: 'detached', timeout: 20_000 });
    team.serverDown = false;
    await tid(h, 'submit-case').click();
    await tid(h, 'case-page').waitFor({ timeout: T });
    await expectText(tid(h, 'state-badge'), '已送审', '重启后送审');
    await team.live(r, row(r, c2.caseNo), '服务重启后审核人员待办中新送审的案件', 'queue-reviewer-after-restart');

    // 5. 不同意 → the handler requests a re-review.
    await row(r, c2.caseNo).getByTestId('case-link').click();
    await tid(r, 'action-take').click();
    await issueOpinion(r, 'disagree', '经审核，拟处罚款数额明显超出裁量基准，不同意按送审方案作出决定。');
    await expectText(tid(r, 'state-badge'), '已审核', '不同意后的案件状态');
    await team.live(h, badge(h, '已审核'), '承办人案件页显示“已审核”（不同意）', 'case-handler-disagreed');
    await tid(h, 'action-rereview').waitFor({ timeout: T });
    await tid(h, 'action-rereview').click();
    await tid(h, 'rereview-reasons').fill('当事人系二次违法且拒不改正，按裁量基准第三档处罚并无不当，请求复审。');
    await h.keyboard.press('Control+Enter');
    await expectText(tid(h, 'state-badge'), '已申请复审', '申请复审后的案件状态');

    // 6. Another reviewer at the reviewer's desk takes the re-review; still 不同意.
    await signOut(r);
    await signIn(r, REVIEWER2.username, REVIEWER2.displayName);
    await openCaseFromQueue(r, c2.caseNo, '承办单位申请复审，待领取');
    await tid(r, 'action-take').click();
    await tid(r, 'review-page').waitFor({ timeout: T });
    await expectText(tid(r, 'review-title'), '法制复审', '复审页标题');
    await issueOpinion(r, 'disagree', '经复审，维持原审核意见：拟处罚款数额明显不当，不同意。');
    await expectText(tid(r, 'state-badge'), '已复审', '复审后的案件状态');

    // 7. The handler escalates (the case page follows the re-review live).
    await team.live(h, badge(h, '已复审'), '承办人案件页显示“已复审”', 'case-handler-rereviewed');
    await tid(h, 'action-escalate').click();
    await tid(h, 'escalate-reasons').fill('复审未采纳承办单位关于违法情节的意见，提请负责人会议集体讨论决定。');
    await tid(h, 'escalate-submit').click();
    await expectText(tid(h, 'state-badge'), '集体讨论中', '提请集体讨论后的案件状态');

    // 8. The secretary creates the meeting; the chair confirms the agenda at the head's desk.
    await meeting(team, sec, boss, h, c2, '2026年第9次局长办公会议');

    // 9. Last: a stale review draft refused at a second desk of the same reviewer.
    const c3: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕103号', title: '某餐馆使用过期原料案' };
    await tid(h, 'nav-submit').click();
    await fillCaseForm(h, c3);
    await tid(h, 'submit-case').click();
    await expectText(tid(h, 'state-badge'), '已送审', '送审第三件');
    await staleReviewDraft(team, base, base, c3.caseNo);
  } finally {
    team.serverDown = true;
    await server.stop();
  }
}

/** Secretary creates a meeting with the case; the chair confirms the agenda; minutes; the chair locks. */
async function meeting(team: Team, sec: Page, boss: Page, h: Page, c: CaseFixture, title: string): Promise<void> {
  await tid(sec, 'nav-meetings').click();
  await tid(sec, 'meetings-page').waitFor({ timeout: T });
  await tid(sec, 'meeting-new').click();
  await tid(sec, 'meeting-create-form').waitFor({ timeout: T });
  await sec.getByLabel('会议名称').fill(title);
  await sec.getByTestId('meeting-time-date').fill(cstToday());
  await sec.getByTestId('meeting-time-time').fill('09:30');
  await sec.getByLabel('会议地点').fill('机关三楼第一会议室');
  await sec.getByLabel('主持人').selectOption({ label: HEAD.displayName });
  const caseBox = sec.locator(`[data-testid^="meeting-case-"][data-case-no="${c.caseNo}"]`);
  assert(await caseBox.isChecked(), '提请讨论的案件应已列为议题');
  await team.shot(sec, 'meeting-create');
  await tid(sec, 'meeting-create-submit').click();
  await tid(sec, 'meeting-page').waitFor({ timeout: T });
  await expectText(tid(sec, 'agenda-bar'), '须经主持人', '议题待主持人确定');

  // The head's meetings list, open at another desk, shows the new meeting live.
  await tid(boss, 'nav-meetings').click();
  await tid(boss, 'meetings-page').waitFor({ timeout: T });
  await team.live(boss, tid(boss, 'meeting-link').filter({ hasText: title }), '负责人的会议列表出现新会议', 'meetings-head');
  await tid(boss, 'meeting-link').filter({ hasText: title }).first().click();
  await tid(boss, 'meeting-page').waitFor({ timeout: T });
  await tid(boss, 'agenda-confirm').click();
  await expectText(tid(boss, 'agenda-bar'), `议题已由主持人${HEAD.displayName}`, '主持人确定议题');
  // The secretary's open meeting page follows.
  await team.live(sec, tid(sec, 'agenda-bar').filter({ hasText: `议题已由主持人${HEAD.displayName}` }), '秘书的会议页显示议题已由主持人确定', 'meeting-secretary-agenda');

  // Live minutes from the keyboard: all three present, stances 1 / 1 / 2.
  await tid(sec, 'meeting-start').click();
  // What the secretary sees before marking attendance: the meeting clock running.
  await expectText(tid(sec, 'elapsed-time'), /\d{2}:\d{2}:\d{2}/, '会议计时');
  for (const who of [HEAD, HEAD2, HEAD3]) {
    await attendee(sec, who.displayName).getByTestId('attendance-toggle').focus();
    await sec.keyboard.press('Space');
    await expectText(attendee(sec, who.displayName).getByTestId('attendance-label'), '出席', `${who.displayName}出席`);
  }
  await expectText(tid(sec, 'quorum'), '已达到法定人数', '法定人数');
  const item = sec.locator(`[data-testid="meeting-item"][data-case-no="${c.caseNo}"]`);
  await item.getByTestId('item-handlingStatement').fill('承办单位汇报：当事人系二次违法，经责令改正拒不改正，建议按第三档处罚。');
  await item.getByTestId('item-legalStatement').fill('法制机构意见：复审维持不同意，认为罚款数额明显不当。');
  await stanceRow(item, HEAD.displayName).getByTestId('stance').focus();
  await sec.keyboard.press('1');
  await stanceRow(item, HEAD2.displayName).getByTestId('stance').focus();
  await sec.keyboard.press('1');
  await stanceRow(item, HEAD3.displayName).getByTestId('stance').focus();
  await sec.keyboard.press('2');
  await sec.keyboard.press('Tab');
  await sec.keyboard.type('罚款数额与同类案件差距过大。');
  await item.getByTestId('decision-approve').check();
  await item.getByTestId('decision-text').fill('经集体讨论，主持人决定：同意按送审方案作出行政处罚决定。');
  await autosavedMinutes(sec);
  await team.shot(sec, 'minutes-live');
  await item.getByTestId('decision-text').press('Control+Enter');
  await tid(sec, 'decide-confirm').click();
  await expectText(item.getByTestId('decision-recorded'), '同意作出该决定', '已记录的会议决定');
  await expectText(item.getByTestId('warn-legal'), '本决定与法制机构意见（不同意）不一致', '决定偏离法制机构意见的提示');
  await autosavedMinutes(sec);
  await expectText(tid(sec, 'lock-hint'), `纪要须由会议主持人${HEAD.displayName}登录后确认并锁定`, '秘书看到的锁定提示');

  // The chair locks at the head's desk (the meeting page there follows the minutes live first).
  await team.live(boss, tid(boss, 'lock-open'), '主持人的会议页出现“确认并锁定”', 'meeting-head-lock');
  await tid(boss, 'lock-open').click();
  await tid(boss, 'lock-confirm-box').waitFor({ timeout: T });
  await tid(boss, 'lock-confirm').click();
  await expectText(tid(boss, 'locked-banner'), `经主持人${HEAD.displayName}确认并锁定`, '锁定横幅');
  await team.shot(boss, 'minutes-locked');
  // The secretary's page turns read-only without a reload.
  await team.live(sec, tid(sec, 'locked-banner'), '秘书的会议页显示纪要已锁定', 'meeting-secretary-locked');
  assert((await sec.locator('[data-testid="meeting-page"] textarea[data-testid^="item-"]').count()) === 0, '锁定后秘书的纪要应为只读');

  // The handler's case page: approved on the meeting's decision, with the override banner.
  await team.live(h, badge(h, '已批准'), '承办人案件页显示会议决定后的“已批准”', 'case-handler-meeting');
  await expectText(tid(h, 'override-banner'), '经负责人会议集体讨论', '会议决定的不采纳横幅');
  await team.shot(h, 'case-approved-meeting');
}

/**
 * Two desks of the same reviewer on one review (甲 at baseA, 乙 at baseB): both read the draft, 甲 saves,
 * then 乙's save names the older version and is refused with STALE, naming who changed it.
 */
async function staleReviewDraft(team: Team, baseA: string, baseB: string, caseNo: string): Promise<void> {
  const d1 = (await team.desk('审核人员（甲电脑）')).page;
  await open(d1, baseA);
  await signIn(d1, REVIEWER.username, REVIEWER.displayName);
  await openCaseFromQueue(d1, caseNo, '新送审，待领取');
  await tid(d1, 'action-take').click();
  await tid(d1, 'review-page').waitFor({ timeout: T });
  const d2 = (await team.desk('审核人员（乙电脑）')).page;
  await open(d2, baseB);
  await signIn(d2, REVIEWER.username, REVIEWER.displayName);
  await d2.goto(`${baseB}/${new URL(d1.url()).hash}`);
  await tid(d2, 'review-page').waitFor({ timeout: T });
  // 甲 saves first …
  await setFinding(d1, 1, 'conform');
  await autosaved(d1);
  // … then 乙, who read the review before 甲's save, is refused and told who changed it.
  await setFinding(d2, 1, 'nonconform', '事实认定有误。');
  await expectText(tid(d2, 'review-stale-message'), new RegExp(`已被${REVIEWER.displayName}于.*请刷新后再修改`), '乙电脑保存过期草稿时的拒绝提示');
  await team.shot(d2, 'review-stale-refused');
  // 甲's draft was not overwritten: a fresh read still has 符合.
  await d1.reload();
  await tid(d1, 'review-page').waitFor({ timeout: T });
  await tid(d1, 'draft-restored').waitFor({ timeout: T });
  await expectChecked(tid(d1, 'criterion-1-conform'), '被拒绝后甲电脑的草稿仍为“符合”');
  // 乙 reloads (重新载入): its own text stays in the form and, saved on top of 甲's version, wins knowingly.
  await tid(d2, 'review-stale-reload').click();
  await tid(d2, 'review-stale').waitFor({ state: 'detached', timeout: T });
  assert((await tid(d2, 'criterion-1-reason').inputValue()) === '事实认定有误。', '重新载入后乙电脑填写的理由应仍在表单中');
  // The next keystroke saves it (on top of 甲's version now read).
  await tid(d2, 'criterion-1-reason').fill('事实认定有误，证据不足。');
  await autosaved(d2);
  await d1.reload();
  await tid(d1, 'review-page').waitFor({ timeout: T });
  await tid(d1, 'draft-restored').waitFor({ timeout: T });
  await expectChecked(tid(d1, 'criterion-1-nonconform'), '乙电脑重新载入并保存后，甲电脑读到“不符合”');
  assert((await tid(d1, 'criterion-1-reason').inputValue()) === '事实认定有误，证据不足。', '乙电脑填写的理由应已保存');
}

// ---------------------------------------------------------------------------------------------
// Two server processes on one database

async function teamTwoServers(team: Team, store: Store): Promise<void> {
  const [pa, pb] = [await freePort(), await freePort()];
  const a = await serve('A', store, pa);
  let b: ServerProcess | null = null;
  try {
    b = await serve('B', store, pb);
    await createUsers(b.url, users);
    // Handler and head at A, reviewer and secretary at B.
    const h = (await team.desk('承办人@A')).page;
    const r = (await team.desk('审核人员@B')).page;
    const boss = (await team.desk('机关负责人@A')).page;
    const sec = (await team.desk('会议秘书@B')).page;
    await open(h, a.url);
    await open(r, b.url);
    await open(boss, a.url);
    await open(sec, b.url);
    await signIn(h, HANDLER.username, HANDLER.displayName);
    await signIn(r, REVIEWER.username, REVIEWER.displayName);
    await signIn(boss, HEAD.username, HEAD.displayName);
    await signIn(sec, SECRETARY.username, SECRETARY.displayName);

    // Submitted at A, it arrives live in the reviewer's queue served by B.
    const c: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕201号', title: '某药店销售劣药案' };
    await tid(h, 'nav-submit').click();
    await fillCaseForm(h, c);
    await tid(h, 'submit-case').click();
    await expectText(tid(h, 'state-badge'), '已送审', '在 A 上送审');
    await team.live(r, row(r, c.caseNo), '经服务 B 的审核人员待办中出现在 A 上送审的案件', 'two-queue-reviewer-B');
    await team.shot(r, 'two-queue-reviewer-B');

    // The reviewer disagrees at B; the handler's page at A follows live.
    await row(r, c.caseNo).getByTestId('case-link').click();
    await tid(r, 'action-take').click();
    await issueOpinion(r, 'disagree', '经审核，定性依据不足，不同意按送审方案作出决定。');
    await team.live(h, badge(h, '已审核'), '服务 A 上承办人的案件页显示在 B 上出具的意见', 'two-case-handler-A');

    // The handler's desk switches to B (the session lives in the store: still signed in) and proposes
    // a collective discussion there.
    const caseUrl = new URL(h.url());
    await h.goto(`${b.url}/${caseUrl.hash}`);
    await tid(h, 'case-page').waitFor({ timeout: T });
    await expectText(tid(h, 'current-user'), HANDLER.displayName, '换到服务 B 后承办人仍已登录');
    await tid(h, 'action-propose').click();
    await tid(h, 'gate-propose-text').fill('审核认为定性依据不足，承办单位有不同意见，提请负责人集体讨论决定。');
    await tid(h, 'gate-propose-submit').click();
    await expectText(tid(h, 'gate-propose-confirm-text'), '确认提请', '提请前的确认');
    await tid(h, 'gate-propose-submit').click();
    await expectText(tid(h, 'state-badge'), '集体讨论中', '提请集体讨论后的案件状态');

    // B is killed: the secretary's desk moves to A and carries on (nothing lost: one database).
    team.serverDown = true;
    await b.crash();
    await sec.goto(`${a.url}/`);
    await tid(sec, 'queue-page').waitFor({ timeout: T });
    await h.goto(`${a.url}/${caseUrl.hash}`);
    await tid(h, 'case-page').waitFor({ timeout: T });
    await expectText(tid(sec, 'current-user'), SECRETARY.displayName, '服务 B 停止后秘书在 A 上仍已登录');
    // The reviewer's desk, still on B, says B cannot be reached.
    await tid(r, 'server-offline').waitFor({ timeout: T });
    await team.shot(r, 'two-server-B-offline');
    // B comes back; the secretary goes back to B for the minutes while the chair stays at A.
    b = await serve('B (重启)', store, pb);
    await tid(r, 'server-offline').waitFor({ state: 'detached', timeout: 20_000 });
    team.serverDown = false;
    await sec.goto(`${b.url}/`);
    await tid(sec, 'queue-page').waitFor({ timeout: T });
    await meeting(team, sec, boss, h, c, '2026年第10次局长办公会议');

    // A stale review draft, refused across the two processes: 甲 at A, 乙 at B.
    const c3: CaseFixture = { ...CASE, caseNo: '京市监罚〔2026〕202号', title: '某超市销售过期食品案' };
    await tid(h, 'nav-submit').click();
    await fillCaseForm(h, c3);
    await tid(h, 'submit-case').click();
    await expectText(tid(h, 'state-badge'), '已送审', '送审第三件');
    await staleReviewDraft(team, a.url, b.url, c3.caseNo);
  } finally {
    team.serverDown = true;
    await b?.stop();
    await a.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Runner hook (run.ts)

type TeamSpec = (team: Team, store: Store) => Promise<void>;

export const TEAM_SPECS: { name: string; fn: TeamSpec }[] = [
  { name: 'teamOneServer', fn: teamOneServer },
  { name: 'teamTwoServers', fn: teamTwoServers },
];

/** One team spec on a fresh store: returns whether it passed; every process and context is stopped. */
export async function runTeamSpec(browser: Browser, name: string, fn: TeamSpec): Promise<boolean> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lrw-e2e-${name}-`));
  const team = new Team(browser, TEAM_ARTIFACTS, name);
  const started = Date.now();
  let drop: (() => Promise<void>) | null = null;
  let ok = false;
  try {
    const s = await initStore(dir);
    drop = s.drop;
    await fn(team, s.store);
    team.finish();
    ok = true;
    console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.log(`✗ ${name}: ${err instanceof Error ? err.message : String(err)}`);
    if (!team.finished && (team.misses.length || team.problems.length)) console.log([...team.misses, ...team.problems].map((p) => `  ${p}`).join('\n'));
    for (const d of team.desks) {
      const file = path.join(TEAM_ARTIFACTS, `${name}-FAILED-${d.role}.png`);
      await d.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    }
    console.log(`  失败截图：${path.relative(ROOT, TEAM_ARTIFACTS)}/${name}-FAILED-*.png`);
  } finally {
    await team.close();
    // Anything a failed step left running, by its PID.
    for (const s of [...running]) await s.stop();
    const logs = startedServers.splice(0).map((s) => `== ${s.name} (PID ${s.pid}) ==\n${s.log.join('')}`);
    fs.writeFileSync(path.join(TEAM_ARTIFACTS, `${name}-servers.log`), logs.join('\n'));
    await drop?.().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}
