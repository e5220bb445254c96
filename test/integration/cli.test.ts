// `lrw` end to end as an administrator runs it: a real bundled CLI in a child process, a real database file.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { tempDir } from '../helpers/fixture';
import { createPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';
import { fullDraft } from '../unit/templates/fixture';
import { cstDate } from '../../main/core/domain/calendar/cst';

/** Today in China (the filing dates of the examples must not be in the future nor before the package's issue). */
const today = () => cstDate(new Date());

// Each lrw call is a whole process (and, on PostgreSQL, a new connection pool): the walks take a while.
// Bundling lrw (it carries the server too) and creating the stores take a while on a busy machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let dir: string;
let cli: string;
let db: string;
let d2: string;
const examples = path.resolve('docs/examples');
/** Where each store keeps its files: beside a SQLite file, or a folder given with LRW_FILES for PostgreSQL. */
const filesOf = (target: string) => (onPostgres ? path.join(dir, `files-${new URL(target).pathname.slice(1)}`) : `${target}-files`);

/** A store for these tests: a SQLite file in the temp dir, or a fresh PostgreSQL database. */
async function newStore(file: string): Promise<string> {
  return onPostgres ? createPgDatabase(uniqueDbName('lrw_cli')) : path.join(dir, file);
}

function lrw(args: string[], password = 'Passw0rd!init', extraEnv: Record<string, string> = {}, dbFile = db) {
  const r = spawnSync(process.execPath, [cli, ...args, '--db', dbFile], {
    encoding: 'utf8',
    env: { ...process.env, LRW_PASSWORD: password, LRW_DB: '', ...(onPostgres && { LRW_FILES: filesOf(dbFile) }), ...extraEnv },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Plain SQL on a store, as an administrator (or an attacker) with database access would run it. */
async function sql(target: string, text: string): Promise<unknown[]> {
  if (onPostgres) {
    const c = new pg.Client({ connectionString: target });
    await c.connect();
    try {
      return (await c.query({ text, rowMode: 'array' })).rows.map((r: unknown[]) => r[0]);
    } finally {
      await c.end();
    }
  }
  const raw = new Database(target);
  try {
    const st = raw.prepare(text);
    return st.reader ? (st.pluck().all() as unknown[]) : (st.run(), []);
  } finally {
    raw.close();
  }
}

/** Copies an example JSON with its password replaced, as an administrator would fill it in. */
function example(name: string, patch: Record<string, unknown> = {}): string {
  const data = { ...JSON.parse(fs.readFileSync(path.join(examples, name), 'utf8')), ...patch };
  if ('password' in data) data.password = 'Passw0rd!init';
  const out = path.join(dir, name);
  fs.writeFileSync(out, JSON.stringify(data));
  return out;
}

/** `call` runs lrw on one store; `run` also asserts it succeeded and returns what it printed. */
function on(store: string) {
  const call = (args: string[]) => lrw(args, 'Passw0rd!init', {}, store);
  const run = (args: string[]) => {
    const r = call(args);
    expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0);
    return r.out;
  };
  return { call, run };
}

/** Adds users with `lrw user add` as the first administrator; handlers get a certificate, reviewers the qualification given. */
function addUsers(run: (args: string[]) => string, tag: string, users: [string, string, string[], string?][]): void {
  for (const [u, n, roles, q] of users) {
    const file = path.join(dir, `${tag}-${u}.json`);
    fs.writeFileSync(file, JSON.stringify({ username: u, displayName: n, password: 'Passw0rd!init', roles, ...(roles.includes('handler') && { certNo: `C${u}`, certExpiry: '2030-01-01' }), ...(q && { qualificationNo: q }) }));
    run(['user', 'add', '--file', file, '--as', 'admin']);
  }
}

beforeAll(async () => {
  dir = tempDir('lrw-cli-');
  // Inside the project so the bundle resolves better-sqlite3 from node_modules.
  cli = path.resolve('node_modules/.cache/lrw-test', `lrw-${process.pid}.cjs`);
  buildSync({ entryPoints: ['main/cli/lrw.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, external: ['better-sqlite3', 'keytar', 'fastify', '@fastify/cookie', '@fastify/rate-limit', '@fastify/static'], logLevel: 'error', absWorkingDir: process.cwd(), nodePaths: [path.resolve('node_modules')] });
  db = await newStore('lrw.sqlite');
  d2 = await newStore('meeting.sqlite');
  fs.copyFileSync(path.join(examples, '现场检查笔录.txt'), path.join(dir, '现场检查笔录.txt'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cli, { force: true });
});

describe('lrw', () => {
  it('walks init → users → submit → take → review → approve → show, and verifies the log', async () => {
    expect(lrw(['init', '--agency', '某市市场监督管理局', '--prefix', '某市监罚', '--admin', 'admin', '--name', '管理员']).code).toBe(0);
    for (const f of ['user-handler.json', 'user-officer.json', 'user-reviewer.json', 'user-head.json']) {
      const r = lrw(['user', 'add', '--file', example(f), '--as', 'admin']);
      expect(r.code, r.err).toBe(0);
    }
    const submitted = lrw(['case', 'submit', '--file', example('case.json'), '--as', 'zhang', '--json']);
    expect(submitted.code, submitted.err).toBe(0);
    const c = JSON.parse(submitted.out);
    expect(c.submissions[0].attachments[0].name).toBe('现场检查笔录.txt');
    expect(lrw(['case', 'take', String(c.id), '--as', 'wang']).code).toBe(0);
    const reviewed = lrw(['review', String(c.id), '--file', example('review.json'), '--as', 'wang']);
    expect(reviewed.code, reviewed.err).toBe(0);
    expect(reviewed.out).toContain('同意');
    const approved = lrw(['approve', '某市监罚立〔2026〕101号', '--decision', 'approve', '--opinion', '同意', '--as', 'zhao']);
    expect(approved.code, approved.err).toBe(0);
    const shown = lrw(['case', 'show', String(c.id), '--json', '--as', 'wang']);
    expect(JSON.parse(shown.out)).toMatchObject({ state: 'approved', responsible: { handler: '张承办', reviewer: '王审核', approver: '赵局长' } });
    const text = lrw(['case', 'show', String(c.id), '--as', 'wang']).out;
    expect(text).toContain('承办人：张承办');
    expect(text).toContain('执法主体是否合法');
    const v = lrw(['audit', 'verify']);
    expect(v.code).toBe(0);
    expect(v.out).toContain('校验通过');
    const opinion = lrw(['render', 'review-opinion', '--case', String(c.id), '--as', 'wang']);
    expect(opinion.code, opinion.err).toBe(0);
    expect(opinion.out).toContain('法制审核意见书');
    expect(opinion.out).toContain('执法主体是否合法');
    const decision = lrw(['render', 'penalty-decision', '--case', String(c.id), '--out', path.join(dir, 'decision.txt'), '--as', 'zhang']);
    expect(decision.code, decision.err).toBe(0);
    expect(decision.err).toContain('文书尚不完整');
    expect(fs.readFileSync(path.join(dir, 'decision.txt'), 'utf8')).toContain('行政处罚决定书');
    expect(lrw(['render', 'no-such', '--case', String(c.id), '--as', 'wang']).code).toBe(1);
  });

  it('refuses bad input with a Chinese message, a non-zero exit, and no change', async () => {
    // Each command that acts for a person is a sign-in (auth.signIn records user.signin): counted apart.
    const count = async () => Number((await sql(db, "SELECT COUNT(*) FROM events WHERE action <> 'user.signin'"))[0]);
    const signIns = async () => Number((await sql(db, "SELECT COUNT(*) FROM events WHERE action = 'user.signin'"))[0]);
    const s0 = await signIns();
    const n = await count();
    const badId = lrw(['case', 'submit', '--file', example('case.json', { caseNo: 'BAD-1', party: { type: 'organization', name: '某公司', idNumber: '91110105MA01ABCD1X', address: '某路' } }), '--as', 'zhang']);
    expect(badId.code).toBe(1);
    expect(badId.err).toContain('统一社会信用代码');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{ "caseNo": ');
    const broken = lrw(['case', 'submit', '--file', path.join(dir, 'broken.json'), '--as', 'zhang']);
    expect(broken.code).toBe(1);
    expect(broken.err).toContain('不是有效的 JSON');
    const wrongPw = lrw(['case', 'list', '--as', 'zhang'], 'wrong-password');
    expect(wrongPw.code).toBe(3);
    expect(wrongPw.err).toContain('用户名或密码不正确');
    // A failure below the lock is counted on the account, not an event of its own (no flooding the chain).
    expect(await count()).toBe(n);
    expect(Number((await sql(db, "SELECT failed_attempts FROM users WHERE username = 'zhang'"))[0])).toBe(1);
    expect(lrw(['case', 'list']).code).toBe(2);
    expect(lrw(['frobnicate']).code).toBe(2);
    expect(lrw(['case', 'take', '1', '--as', 'zhang']).err).toContain('无权');
    // the next sign-in records the failure count once; nothing else changed
    expect(await count()).toBe(n + 1);
    // The two refused submissions and the refused take signed in; the wrong password did not.
    expect(await signIns()).toBe(s0 + 3);
  });

  it.skipIf(!onPostgres)('on PostgreSQL, backs up the file store and names pg_dump for the database', async () => {
    const target = path.join(dir, 'backup-pg');
    const r = lrw(['backup', '--to', target]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('pg_dump');
    expect(fs.readdirSync(target).length).toBeGreaterThan(0);
  });

  it.skipIf(onPostgres)('backs the database up online, and the backup opens and verifies', async () => {
    const target = path.join(dir, 'backup', 'lrw-backup.sqlite');
    const r = lrw(['backup', '--to', target]);
    expect(r.code, r.err).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare('SELECT COUNT(*) FROM cases').pluck().get()).toBe(1);
    copy.close();
    expect(fs.readdirSync(`${target}-files`).length).toBeGreaterThan(0);
    const again = spawnSync(process.execPath, [cli, 'audit', 'verify', '--db', target], { encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(lrw(['backup', '--to', target]).code).toBe(1);
  });

  it('tamper test: one event changed with plain SQL makes `lrw audit verify` fail and name it', async () => {
    await sql(db, onPostgres ? 'DROP TRIGGER events_no_update ON events' : 'DROP TRIGGER events_no_update');
    const seq = Number((await sql(db, "SELECT seq FROM events WHERE action = 'review.issue'"))[0]);
    await sql(db, `UPDATE events SET payload_json = replace(payload_json, '同意', '不同意') WHERE seq = ${seq}`);
    const v = lrw(['audit', 'verify']);
    expect(v.code).toBe(4);
    expect(v.out).toContain(`第 ${seq} 号事件`);
    const json = JSON.parse(lrw(['audit', 'verify', '--json']).out);
    expect(json.firstBad.seq).toBe(seq);
  });

  it('refuses to open a database from a newer version', async () => {
    const newer = await newStore('newer.sqlite');
    if (onPostgres) {
      await sql(newer, 'CREATE TABLE lrw_schema (version INTEGER NOT NULL)');
      await sql(newer, 'INSERT INTO lrw_schema VALUES (999)');
    } else {
      const raw = new Database(newer);
      raw.pragma('user_version = 999');
      raw.close();
    }
    const r = lrw(['audit', 'verify'], 'Passw0rd!init', {}, newer);
    expect(r.code).toBe(1);
    expect(r.err).toContain('请升级法制审核工作台');
  });

  it('prints usage in Chinese', async () => {
    expect(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })).toContain('法制审核工作台 命令行工具');
  });
});

describe('lrw accounts', () => {
  it('obeys the sign-in lock; unlock, roles, reset-password and passwd work as the README shows', async () => {
    const d3 = await newStore('accounts.sqlite');
    const as = (args: string[], password = 'Passw0rd!init', env: Record<string, string> = {}) => lrw(args, password, env, d3);
    expect(as(['init', '--agency', '某局', '--prefix', '某罚', '--admin', 'admin', '--name', '管理员']).code).toBe(0);
    for (const f of ['user-handler.json', 'user-head.json']) {
      const r = as(['user', 'add', '--file', path.join(examples, f), '--as', 'admin']);
      expect(r.code, r.err).toBe(0);
    }
    for (let i = 1; i <= 5; i++) expect(as(['queue', '--as', 'zhao'], `wrong-${i}`).code).toBe(3);
    const locked = as(['queue', '--as', 'zhao']);
    expect(locked.code).toBe(3);
    expect(locked.err).toContain('连续5次密码错误已被锁定');
    const unlock = as(['user', 'unlock', 'zhao', '--as', 'admin']);
    expect(unlock.code, unlock.err).toBe(0);
    expect(unlock.out).toContain('已解除');
    expect(as(['queue', '--as', 'zhao']).code).toBe(0);

    const self = as(['user', 'roles', 'admin', '--set', 'sys_admin,agency_head', '--as', 'admin']);
    expect(self.code).toBe(1);
    expect(self.err).toContain('自己的账号');
    const roles = as(['user', 'roles', 'zhang', '--set', 'handler,reviewer', '--as', 'admin']);
    expect(roles.code, roles.err).toBe(0);
    expect(roles.out).toContain('承办人、法制审核人员');

    const reset = as(['user', 'reset-password', 'zhao', '--as', 'admin']);
    expect(reset.code, reset.err).toBe(0);
    const temp = /临时密码：(\S+?)（/.exec(reset.out)![1];
    const pending = as(['queue', '--as', 'zhao'], temp);
    expect(pending.code).toBe(3);
    expect(pending.err).toMatch(/您的密码已由管理员（admin）于.+重置，须先修改密码/);
    expect(as(['user', 'passwd', '--as', 'zhao'], temp, { LRW_NEW_PASSWORD: 'Zhao#2026new' }).code).toBe(0);
    expect(as(['queue', '--as', 'zhao'], 'Zhao#2026new').code).toBe(0);
    const shown = as(['security', 'show', '--as', 'admin']);
    expect(shown.out).toContain('连续 5 次密码错误锁定 15 分钟');
    expect(shown.out).toContain('尚缺：安全管理员、审计管理员');
    const log = as(['audit', 'log', '--action', 'user.', '--as', 'admin']);
    expect(log.code, log.err).toBe(0);
    for (const label of ['连续密码错误，账号锁定', '解除登录锁定', '调整角色', '重置密码', '修改密码']) expect(log.out).toContain(label);
    expect(as(['audit', 'log', '--as', 'zhang']).code).toBe(1);
  });
});

describe('lrw deadlines and calendar', () => {
  it('computes a due date across National Day 2026', async () => {
    const r = lrw(['deadline', '--from', '2026-09-28', '--days', '5']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('届满日 2026年10月10日');
    expect(r.out).not.toContain('待官方安排确认');
  });

  it('says provisional for a year whose schedule is not entered', async () => {
    const r = lrw(['deadline', '--from', '2027-09-28', '--days', '5', '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ due: '2027-10-06', provisional: true });
    expect(lrw(['deadline', '--from', '2027-09-28', '--days', '5']).out).toContain('待官方安排确认');
    expect(lrw(['calendar', 'show', '2027']).out).toContain('待官方安排确认');
  });

  it('natural-day counting', async () => {
    expect(JSON.parse(lrw(['deadline', '--from', '2026-11-23', '--days', '7', '--natural', '--json']).out).due).toBe('2026-11-30');
  });

  it('an administrator imports a year; bad dates are refused', async () => {
    const bad = path.join(dir, 'bad-cal.json');
    fs.writeFileSync(bad, JSON.stringify({ year: 2027, source: 'x', holidays: [{ date: '2027-02-30', name: '春节' }], workdays: [] }));
    const refusedImport = lrw(['calendar', 'import', bad, '--as', 'admin']);
    expect(refusedImport.code).toBe(1);
    expect(refusedImport.err).toMatch(/2027-02-30/);
    const ok = lrw(['calendar', 'import', path.join(examples, 'calendar-2027.json'), '--as', 'admin']);
    expect(ok.code, ok.err).toBe(0);
    expect(lrw(['calendar', 'show', '2027']).out).not.toContain('待官方安排确认');
    expect(lrw(['calendar', 'import', path.join(examples, 'calendar-2027.json'), '--as', 'zhang']).code).toBe(1);
  });

  it('bad arguments are refused', async () => {
    expect(lrw(['deadline', '--from', '2026-13-01', '--days', '5']).code).toBe(1);
    expect(lrw(['deadline', '--from', '2026-11-01', '--days', 'x']).code).toBe(1);
    expect(lrw(['calendar', 'show', 'abc']).code).toBe(2);
  });
});

describe('lrw rereview and meeting', () => {
  it('dissent → re-review → escalation → meeting → decision → lock → amendment', async () => {
    const run = (args: string[]) => {
      const r = lrw(args, 'Passw0rd!init', {}, d2);
      expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0);
      return r.out;
    };
    await run(['init', '--agency', '某局', '--prefix', '某罚', '--admin', 'admin', '--name', '管理员']);
    const users: [string, string, string[]][] = [
      ['zhang', '张承办', ['handler']], ['li', '李执法', ['handler']], ['wang', '王审核', ['reviewer']],
      ['zhao', '赵局长', ['agency_head']], ['qian', '钱副局长', ['agency_head']], ['zheng', '郑副局长', ['agency_head']],
      ['sun', '孙审核', ['reviewer']], ['wu', '吴秘书', ['secretary']],
    ];
    for (const [u, n, roles] of users) {
      const file = path.join(dir, `u-${u}.json`);
      // Reviewers of penalty cases hold the 法律职业资格 (行政处罚法 第五十八条).
      fs.writeFileSync(file, JSON.stringify({ username: u, displayName: n, password: 'Passw0rd!init', roles, ...(roles.includes('handler') && { certNo: `C${u}`, certExpiry: '2030-01-01' }), ...(roles.includes('reviewer') && { qualificationNo: `A2020${u}` }) }));
      await run(['user', 'add', '--file', file, '--as', 'admin']);
    }
    const id = JSON.parse(await run(['case', 'submit', '--file', example('case.json'), '--as', 'zhang', '--json'])).id;
    const disagree = path.join(dir, 'disagree.json');
    const review = JSON.parse(fs.readFileSync(path.join(examples, 'review.json'), 'utf8'));
    review.findings[3] = { criterion: 4, result: 'nonconform', reason: '适用条款错误' };
    fs.writeFileSync(disagree, JSON.stringify({ ...review, outcome: 'disagree', opinion: '适用依据错误，不同意' }));
    await run(['case', 'take', String(id), '--as', 'wang']);
    await run(['review', String(id), '--file', disagree, '--as', 'wang']);
    await run(['rereview', 'request', String(id), '--reason', '适用条款正确', '--as', 'zhang']);
    const again = lrw(['rereview', 'request', String(id), '--reason', '再次', '--as', 'zhang'], 'Passw0rd!init', {}, d2);
    expect(again.code).toBe(1);
    expect(again.err).toContain('复审以一次为限');
    await run(['case', 'take', String(id), '--as', 'sun']);
    await run(['review', String(id), '--file', disagree, '--as', 'sun']);
    await run(['escalate', String(id), '--reason', '仍坚持原意见', '--as', 'zhang']);
    const mfile = path.join(dir, 'meeting.json');
    fs.writeFileSync(mfile, JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(examples, 'meeting.json'), 'utf8')), caseIds: [id] }));
    const m = JSON.parse(await run(['meeting', 'create', '--file', mfile, '--as', 'wu', '--json']));
    const recFile = path.join(dir, 'record.json');
    const rec = JSON.parse(fs.readFileSync(path.join(examples, 'meeting-record.json'), 'utf8'));
    rec.items[0].caseId = id;
    fs.writeFileSync(recFile, JSON.stringify(rec));
    expect(await run(['meeting', 'record', String(m.id), '--file', recFile, '--as', 'wu'])).toContain('实到 2 人，已达到');
    // The chair sets the agenda the secretary prepared; only then can the meeting decide.
    expect(lrw(['meeting', 'decide', String(m.id), '--case', String(id), '--decision', 'approve', '--text', '同意', '--as', 'wu'], 'Passw0rd!init', {}, d2).err).toContain('主持人确定');
    expect(await run(['meeting', 'agenda', String(m.id), '--as', 'zhao'])).toContain('已由赵局长');
    await run(['meeting', 'decide', String(m.id), '--case', String(id), '--decision', 'approve', '--text', '同意作出处罚决定', '--as', 'wu']);
    const locked = await run(['meeting', 'lock', String(m.id), '--as', 'zhao']);
    expect(locked).toContain('未采纳法制审核意见');
    const edit = lrw(['meeting', 'record', String(m.id), '--file', recFile, '--as', 'wu'], 'Passw0rd!init', {}, d2);
    expect(edit.code).toBe(1);
    expect(edit.err).toContain('锁定');
    expect(await run(['meeting', 'amend', String(m.id), '--text', '补记', '--reason', '遗漏', '--as', 'wu'])).toContain('补正（吴秘书');
    expect(JSON.parse(await run(['case', 'show', String(id), '--json', '--as', 'wang'])).state).toBe('approved');
    expect(await run(['audit', 'verify'])).toContain('校验通过');
  });
});

describe('lrw decision gate', () => {
  it('a head cannot approve a 不同意 alone; revise, end, propose, agenda and recuse work as the README shows', async () => {
    const { call, run } = on(await newStore('decision-gate.sqlite'));
    run(['init', '--agency', '某局', '--prefix', '某罚', '--admin', 'admin', '--name', '管理员']);
    addUsers(run, 'dg', [
      ['zhang', '张承办', ['handler']], ['li', '李执法', ['handler']], ['wang', '王审核', ['reviewer'], 'A2020wang'], ['sun', '孙审核', ['reviewer'], 'A2020sun'],
      ['zhao', '赵局长', ['agency_head']], ['qian', '钱副局长', ['agency_head']], ['wu', '吴秘书', ['secretary']], ['zhou', '周法制', ['legal_head']],
    ]);
    const ids = Object.fromEntries((JSON.parse(run(['user', 'list', '--json', '--as', 'admin'])) as { username: string; id: number }[]).map((u) => [u.username, u.id]));
    const disagree = path.join(dir, 'g-disagree.json');
    const review = JSON.parse(fs.readFileSync(path.join(examples, 'review.json'), 'utf8'));
    review.findings[3] = { criterion: 4, result: 'nonconform', reason: '适用条款错误' };
    fs.writeFileSync(disagree, JSON.stringify({ ...review, outcome: 'disagree', opinion: '适用依据错误，不同意' }));
    const id = JSON.parse(run(['case', 'submit', '--file', example('case.json'), '--as', 'zhang', '--json'])).id;
    run(['case', 'take', String(id), '--as', 'wang']);
    run(['review', String(id), '--file', disagree, '--as', 'wang']);
    const alone = call(['approve', String(id), '--decision', 'approve', '--opinion', '批准', '--override-reason', '由本人负责', '--as', 'zhao']);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain('集体讨论');
    expect(run(['approve', String(id), '--decision', 'reject', '--opinion', '由承办单位重新拟定处罚方案', '--as', 'zhao'])).toContain('未批准');
    expect(run(['case', 'revise', String(id), '--file', example('case.json', { fineAmount: '60000' }), '--note', '按负责人意见重新拟定罚款数额', '--as', 'zhang'])).toContain('第2轮');
    run(['case', 'take', String(id), '--as', 'wang']);
    run(['review', String(id), '--file', disagree, '--as', 'wang']);
    run(['approve', String(id), '--decision', 'reject', '--opinion', '证据不足', '--as', 'zhao']);
    expect(run(['case', 'end', String(id), '--kind', 'no_penalty', '--reason', '违法事实不能成立', '--as', 'zhang'])).toContain('不予行政处罚');
    expect(call(['ending', 'review', String(id), '--outcome', 'agree', '--opinion', '同意', '--as', 'zhang']).code).toBe(1);
    run(['ending', 'review', String(id), '--outcome', 'agree', '--opinion', '同意终结', '--as', 'sun']);
    expect(run(['ending', 'approve', String(id), '--outcome', 'agree', '--opinion', '同意不予行政处罚', '--as', 'qian'])).toContain('已终结');
    expect(run(['case', 'show', String(id), '--as', 'wang'])).toContain('终结意见（不予行政处罚');

    const id2 = JSON.parse(run(['case', 'submit', '--file', example('case.json', { caseNo: '某市监罚立〔2026〕102号' }), '--as', 'zhang', '--json'])).id;
    run(['case', 'take', String(id2), '--as', 'wang']);
    run(['review', String(id2), '--file', example('review.json'), '--as', 'wang']);
    run(['discussion', 'propose', String(id2), '--reason', '案情复杂（行政处罚法第五十七条）', '--as', 'zhou']);
    const mfile = path.join(dir, 'g-meeting.json');
    fs.writeFileSync(mfile, JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(examples, 'meeting.json'), 'utf8')), chairId: ids.zhao, attendeeIds: [ids.zhao, ids.qian], caseIds: [id2] }));
    const m = JSON.parse(run(['meeting', 'create', '--file', mfile, '--as', 'wu', '--json']));
    expect(call(['meeting', 'agenda', String(m.id), '--as', 'qian']).code).toBe(1);
    run(['meeting', 'agenda', String(m.id), '--as', 'zhao']);
    expect(run(['meeting', 'recuse', String(m.id), '--case', String(id2), '--user', 'qian', '--source', 'party', '--reason', '当事人书面申请', '--as', 'wu'])).toContain('回避（当事人申请');
    expect(run(['audit', 'verify'])).toContain('校验通过');
  });
});

describe('lrw gate inputs: catalog quantities, reviewer qualification, extension requests', () => {
  it('refuses a seal with no quantities, takes the examples, exempts a reviewer, and walks request → approve/refuse', async () => {
    const d3 = await newStore('gate.sqlite');
    const { call, run } = on(d3);
    run(['init', '--agency', '某局', '--prefix', '某罚', '--admin', 'admin', '--name', '管理员']);
    addUsers(run, 'g', [
      ['zhang', '张承办', ['handler']], ['li', '李执法', ['handler']], ['wang', '王审核', ['reviewer'], 'A20201101000000'],
      ['xin', '郑新审', ['reviewer']], ['zhou', '周法制', ['legal_head']], ['zhao', '赵局长', ['agency_head']],
    ]);
    // A 查封扣押 with neither area nor value was accepted; now refused, and nothing stored.
    const bare = path.join(examples, 'case-seal.json');
    const noQty = path.join(dir, 'seal-bare.json');
    const sealData = JSON.parse(fs.readFileSync(bare, 'utf8'));
    delete sealData.quantities;
    fs.writeFileSync(noQty, JSON.stringify(sealData));
    const refused = call(['case', 'submit', '--file', noQty, '--as', 'zhang']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('面积');
    expect(Number((await sql(d3, 'SELECT COUNT(*) FROM cases'))[0])).toBe(0);
    // The examples as written go in; the case shows what decided it.
    const seal = JSON.parse(run(['case', 'submit', '--file', bare, '--as', 'zhang', '--json']));
    expect(run(['case', 'show', String(seal.id), '--as', 'wang'])).toContain('查封、扣押财物价值：150,000元');
    run(['case', 'submit', '--file', path.join(examples, 'case-license.json'), '--as', 'zhang']);
    const penalty = JSON.parse(run(['case', 'submit', '--file', example('case.json', { attachments: [] }), '--as', 'zhang', '--json']));
    // 行政处罚法 第五十八条: no qualification, no penalty case — until the security administrator records the exemption.
    const barred = call(['case', 'take', String(penalty.id), '--as', 'xin']);
    expect(barred.code).toBe(1);
    expect(barred.err).toContain('第五十八条');
    expect(call(['user', 'exempt', 'xin', '--note', '说明', '--as', 'zhou']).code).toBe(1);
    expect(run(['user', 'exempt', 'xin', '--note', '2019年3月起在本局法制科从事行政处罚决定法制审核', '--as', 'admin'])).toContain('郑新审');
    run(['case', 'take', String(penalty.id), '--as', 'xin']);
    // The reviewer asks; the legal office head approves by default (an agency head may not).
    expect(run(['extend', 'request', String(penalty.id), '--reason', '需调取外地证据', '--as', 'xin'])).toContain('待法制机构负责人批准');
    expect(call(['extend', 'approve', String(penalty.id), '--reason', '同意', '--as', 'zhao']).code).toBe(1);
    expect(run(['extend', 'approve', String(penalty.id), '--reason', '情况属实', '--as', 'zhou'])).toContain('届满日');
    expect(run(['case', 'show', String(penalty.id), '--as', 'zhou'])).toContain('周法制批准');
    // The setting names the agency head: now the legal office head is refused.
    expect(run(['settings', 'review', '--extension-approver', 'agency_head', '--as', 'admin'])).toContain('机关负责人');
    run(['case', 'take', String(seal.id), '--as', 'wang']);
    run(['extend', 'request', String(seal.id), '--reason', '案情复杂', '--as', 'wang']);
    expect(call(['extend', 'refuse', String(seal.id), '--reason', '不同意', '--as', 'zhou']).code).toBe(1);
    expect(run(['extend', 'refuse', String(seal.id), '--reason', '证据已齐备', '--as', 'zhao'])).toContain('不予批准');
    expect(Number((await sql(d3, "SELECT COUNT(*) FROM events WHERE action IN ('extension.request', 'extension.decide', 'reviewer.exempt')"))[0])).toBe(5);
    expect(run(['audit', 'verify'])).toContain('校验通过');
  });
});

describe('lrw documents and signatures', () => {
  const keyring = !!process.env.DBUS_SESSION_BUS_ADDRESS;

  it('renders a PDF and a Word draft', async () => {
    const pdf = path.join(dir, 'draft.pdf');
    const r = lrw(['render', 'review-opinion', '--case', '1', '--pdf', '--out', pdf, '--as', 'wang']);
    expect(r.code, r.err).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain('法制审核意见书');
    const docx = path.join(dir, 'draft.docx');
    expect(lrw(['render', 'review-opinion', '--case', '1', '--docx', '--out', docx, '--as', 'wang']).code).toBe(0);
    expect(fs.readFileSync(docx).subarray(0, 2).toString()).toBe('PK');
    expect(lrw(['render', 'review-opinion', '--case', '1', '--pdf', '--as', 'wang']).code).toBe(2);
  });

  it('lists the templates with their layout; an administrator chooses another, bad choices change nothing', () => {
    const listed = lrw(['template', 'list', '--as', 'wang']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/^penalty-decision\t.*\t版式：GB\/T 9704 公文格式$/m);
    // Only an administrator; an unknown profile or template is refused in Chinese, and nothing changes.
    const reviewer = lrw(['template', 'layout', 'penalty-decision', 'enforcement', '--as', 'wang']);
    expect(reviewer.code).toBe(1);
    expect(reviewer.err).toMatch(/[\u4e00-\u9fa5]/);
    const badProfile = lrw(['template', 'layout', 'penalty-decision', 'a4-plain', '--as', 'admin']);
    expect(badProfile.code).toBe(1);
    expect(badProfile.err).toMatch(/版式/);
    expect(lrw(['template', 'layout', 'no-such-template', 'enforcement', '--as', 'admin']).code).toBe(1);
    expect(lrw(['template', 'layout', 'penalty-decision', '--as', 'admin']).code).toBe(2);
    expect(lrw(['template', 'list', '--as', 'wang']).out).toBe(listed.out);
    const chosen = lrw(['template', 'layout', 'penalty-decision', 'enforcement', '--as', 'admin']);
    expect(chosen.code, chosen.err).toBe(0);
    expect(chosen.out).toContain('行政执法文书格式');
    const after = JSON.parse(lrw(['template', 'list', '--as', 'wang', '--json']).out) as { id: string; layout: string }[];
    expect(after.find((t) => t.id === 'penalty-decision')?.layout).toBe('enforcement');
    expect(after.find((t) => t.id === 'review-opinion')?.layout).toBe('gbt9704');
    // The choice is an event of the record.
    expect(lrw(['audit', 'log', '--action', 'settings.documentLayout', '--as', 'admin']).out).toContain('penalty-decision');
  });

  it.skipIf(!keyring)('finalises, issues with a trial certificate from the OS keychain, and verifies; a changed byte fails', () => {
    expect(lrw(['finalize', 'review-opinion', '--case', '1', '--as', 'wang']).code).toBe(0);
    const trial = lrw(['identity', 'trial', '--as', 'wang']);
    expect(trial.code, trial.err).toBe(0);
    const out = path.join(dir, 'issued');
    const issued = lrw(['issue', 'review-opinion', '--case', '1', '--out', out, '--as', 'wang']);
    expect(issued.code, issued.err).toBe(0);
    const pdf = fs.readdirSync(out).find((n) => n.endsWith('.pdf'))!;
    const docx = fs.readdirSync(out).find((n) => n.endsWith('.docx'))!;
    const ok = lrw(['verify', path.join(out, pdf)]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('签名有效：由王审核');
    expect(ok.out).toContain('本系统签发');
    // Without --as the viewer is unknown: the case is not named; with --as a user who may read it, it is.
    expect(ok.out).not.toContain('某市监罚立〔2026〕101号');
    const named = lrw(['verify', path.join(out, pdf), '--as', 'wang']);
    expect(named.code, named.err).toBe(0);
    expect(named.out).toContain('本系统签发：案件 某市监罚立〔2026〕101号');
    expect(lrw(['verify', path.join(out, docx), '--sig', path.join(out, `${docx}.p7s`)]).code).toBe(0);
    const bytes = fs.readFileSync(path.join(out, pdf));
    bytes[300] ^= 1;
    fs.writeFileSync(path.join(dir, 'tampered.pdf'), bytes);
    const bad = lrw(['verify', path.join(dir, 'tampered.pdf')]);
    expect(bad.code).toBe(4);
    expect(bad.out).toContain('签名无效');
  });

  it('expert add: the assigned reviewer attaches the experts’ opinion and its file, as the README shows', async () => {
    fs.copyFileSync(path.join(examples, '专家论证会议纪要.txt'), path.join(dir, '专家论证会议纪要.txt'));
    const submitted = lrw(['case', 'submit', '--file', example('case.json', { caseNo: 'EXP-1' }), '--as', 'zhang', '--json']);
    expect(submitted.code, submitted.err).toBe(0);
    const id = String(JSON.parse(submitted.out).id);
    const blobs = async () => Number((await sql(db, 'SELECT COUNT(*) FROM blobs'))[0]);
    const n = await blobs();
    const early = lrw(['expert', 'add', id, '--file', example('expert.json'), '--as', 'wang']);
    expect(early.code).toBe(1);
    expect(early.err).toContain('尚未被领取');
    // Refused before the file was stored.
    expect(await blobs()).toBe(n);
    expect(lrw(['case', 'take', id, '--as', 'wang']).code).toBe(0);
    const added = lrw(['expert', 'add', id, '--file', example('expert.json'), '--as', 'wang']);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain('李明教授、陈静研究员');
    const shown = JSON.parse(lrw(['case', 'show', id, '--json', '--as', 'zhang']).out);
    expect(shown.expertOpinions).toMatchObject([{ experts: ['李明教授', '陈静研究员'], heldOn: '2026-11-20', addedBy: '王审核', file: { name: '专家论证会议纪要.txt' } }]);
    expect(lrw(['case', 'show', id, '--as', 'zhang']).out).toContain('专家论证（第1轮审核，2026年11月20日');
  });
});

describe('lrw service and execution (issue 13, point 1)', () => {
  it('close is refused until the decision is served and paid; service add and execution add work as the README shows', async () => {
    fs.copyFileSync(path.join(examples, '送达回证.txt'), path.join(dir, '送达回证.txt'));
    const submitted = lrw(['case', 'submit', '--file', example('case.json', { caseNo: 'SRV-1' }), '--as', 'zhang', '--json']);
    expect(submitted.code, submitted.err).toBe(0);
    const id = String(JSON.parse(submitted.out).id);
    expect(lrw(['case', 'take', id, '--as', 'wang']).code).toBe(0);
    expect(lrw(['review', id, '--file', example('review.json'), '--as', 'wang']).code).toBe(0);
    expect(lrw(['approve', id, '--decision', 'approve', '--opinion', '同意', '--as', 'zhao']).code).toBe(0);
    const early = lrw(['case', 'close', id, '--as', 'zhang']);
    expect(early.code).toBe(1);
    expect(early.err).toContain('尚未登记执法决定文书的送达');
    // Refused before the receipt is stored: only the handler records service.
    const blobs = async () => Number((await sql(db, 'SELECT COUNT(*) FROM blobs'))[0]);
    const n = await blobs();
    expect(lrw(['service', 'add', id, '--file', example('service.json'), '--as', 'wang']).err).toContain('仅限承办人');
    expect(await blobs()).toBe(n);
    const served = lrw(['service', 'add', id, '--file', example('service.json'), '--as', 'zhang']);
    expect(served.code, served.err).toBe(0);
    expect(served.out).toContain('直接送达，受送达人某科技有限公司（2026年12月3日）');
    expect(served.out).toContain('办结前还需：尚未登记履行或执行完毕的情况');
    const paid = lrw(['execution', 'add', id, '--file', example('execution.json'), '--as', 'zhang']);
    expect(paid.code, paid.err).toBe(0);
    expect(paid.out).toContain('罚款已缴清（80,000元）；可以办结');
    const shown = JSON.parse(lrw(['case', 'show', id, '--json', '--as', 'zhang']).out);
    expect(shown.enforcement.services[0].files).toMatchObject([{ name: '送达回证.txt' }]);
    const closed = lrw(['case', 'close', id, '--as', 'zhang']);
    expect(closed.code, closed.err).toBe(0);
    expect(JSON.parse(lrw(['case', 'show', id, '--json', '--as', 'zhang']).out).state).toBe('closed');

    // 归档 (issue 13, point 2): handed to a custodian, received, supplemented, exported and checked.
    expect(lrw(['user', 'add', '--file', example('user-custodian.json'), '--as', 'admin']).code).toBe(0);
    expect(lrw(['archive', id, '--custodian', 'zhao', '--as', 'zhang']).err).toContain('不是在岗的档案管理员');
    const archived = lrw(['archive', id, '--custodian', 'guo', '--as', 'zhang']);
    expect(archived.code, archived.err).toBe(0);
    expect(archived.out).toContain('移交档案管理员郭档案（待其接收：lrw archive receive');
    const received = lrw(['archive', 'receive', id, '--note', '纸质卷同时接收', '--as', 'guo']);
    expect(received.code, received.err).toBe(0);
    fs.copyFileSync(path.join(examples, '纠错通知书.txt'), path.join(dir, '纠错通知书.txt'));
    expect(lrw(['archive', 'supplement', id, '--file', example('supplement.json'), '--as', 'wang']).err).toContain('补充归档');
    const supplemented = lrw(['archive', 'supplement', id, '--file', example('supplement.json'), '--as', 'zhang']);
    expect(supplemented.code, supplemented.err).toBe(0);
    expect(supplemented.out).toContain('某市司法局行政执法监督纠错通知书（纠错或整改通知）');
    const out = path.join(dir, 'casefile-SRV-1');
    const exported = lrw(['casefile', 'export', id, '--out', out, '--as', 'guo']);
    expect(exported.code, exported.err).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['manifest.json', '全过程记录.json', '原件', '案卷.pdf', '补充归档'].sort());
    const intact = lrw(['casefile', 'verify', out, '--as', 'guo']);
    expect(intact.code, intact.err).toBe(0);
    expect(intact.out).toContain('案卷与记录一致');
    const recordFile = path.join(out, '全过程记录.json');
    fs.writeFileSync(recordFile, fs.readFileSync(recordFile, 'utf8').replace('"case.close"', '"case.closf"'));
    const changed = lrw(['casefile', 'verify', out, '--as', 'guo']);
    expect(changed.code).toBe(4);
    expect(changed.out).toContain('文件“全过程记录.json”与归档时不一致');

    // 案卷评查: an inspector evaluates the archived file; the handler answers its request once.
    expect(lrw(['user', 'add', '--file', example('user-inspector.json'), '--as', 'admin']).code).toBe(0);
    expect(lrw(['inspection', 'list', '--as', 'feng']).out).toContain('SRV-1');
    const inspected = lrw(['inspection', 'add', id, '--file', example('inspection.json'), '--as', 'feng']);
    expect(inspected.code, inspected.err).toBe(0);
    expect(inspected.out).toContain('结论合格，整改要求1项');
    const inspectionId = /评查意见 (\d+)/.exec(inspected.out)![1];
    expect(lrw(['inspection', 'reply', inspectionId, '--text', '已补充', '--as', 'feng']).err).toContain('答复案卷评查意见');
    const replied = lrw(['inspection', 'reply', inspectionId, '--text', '已补充说明罚款数额的裁量理由', '--as', 'zhang']);
    expect(replied.code, replied.err).toBe(0);
    expect(lrw(['inspection', 'reply', inspectionId, '--text', '再次', '--as', 'zhang']).err).toContain('已经答复');

    // 统计 (issue 13, point 6): the head's figures for the year, and the same as an .xlsx file.
    expect(lrw(['stats', '--from', '2026-01-01', '--to', '2026-12-31', '--as', 'zhang']).err).toContain('查看统计');
    const xlsx = path.join(dir, '统计-2026.xlsx');
    const stats = lrw(['stats', '--from', '2026-01-01', '--to', '2026-12-31', '--xlsx', xlsx, '--as', 'zhao']);
    expect(stats.code, stats.err).toBe(0);
    expect(stats.out).toMatch(/负责人批准：[1-9]\d*件/);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    const json = JSON.parse(lrw(['stats', '--from', '2026-01-01', '--to', '2026-12-31', '--json', '--as', 'zhao']).out);
    expect(json.figures.find((x: { key: string }) => x.key === 'approved').value).toBe(Number(/负责人批准：(\d+)件/.exec(stats.out)![1]));
  });
});

describe('lrw backup, restore and signatures to the byte (issue 11, points 6–7)', () => {
  const keyring = !!process.env.DBUS_SESSION_BUS_ADDRESS;
  let store: string;
  let keysDir: string;
  let keyFile: string;
  const env = () => ({ LRW_RECORD_KEY_FILE: keyFile });

  beforeAll(async () => {
    store = await newStore('br-store.sqlite');
    keysDir = onPostgres ? `${filesOf(store)}-keys` : `${store}-keys`;
    keyFile = path.join(keysDir, 'record-key.pem');
  });

  it.skipIf(!keyring)('backs up files and identities without the record-signing key, restores only after every check, and refuses what is not a backup', async () => {
    const call = (args: string[], target = store) => lrw(args, 'Passw0rd!init', env(), target);
    const run = (args: string[], target = store) => {
      const r = call(args, target);
      expect(r.code, `${args.join(' ')}\n${r.out}\n${r.err}`).toBe(0);
      return r.out;
    };
    run(['init', '--agency', '某市市场监督管理局', '--prefix', '某市监罚', '--admin', 'admin', '--name', '管理员']);
    for (const f of ['user-handler.json', 'user-officer.json']) run(['user', 'add', '--file', example(f), '--as', 'admin']);
    run(['case', 'submit', '--file', example('case.json', { caseNo: '某市监罚立〔2026〕701号' }), '--as', 'zhang']);
    run(['identity', 'trial', '--as', 'zhang']);
    // The record key file sits in the identities' folder (whatever init did with it, a key file is there now).
    if (!fs.existsSync(keyFile)) {
      fs.mkdirSync(keysDir, { recursive: true });
      fs.writeFileSync(keyFile, (await import('node:crypto')).generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    }
    const keyBody = fs.readFileSync(keyFile, 'utf8').split('\n')[1];

    const backup = onPostgres ? path.join(dir, 'br-backup-pg') : path.join(dir, 'br-backup', 'lrw-backup.sqlite');
    const b = run(['backup', '--to', backup]);
    expect(b).toContain('记录签名私钥不在备份中');
    expect(b).toContain('签名证书 1 个');
    const parts = onPostgres ? [backup] : [backup, `${backup}-files`, `${backup}-keys`, `${backup}-backup.json`];
    const files = parts.flatMap((p) => (fs.statSync(p).isFile() ? [p] : (fs.readdirSync(p, { recursive: true }) as string[]).map((n) => path.join(p, n)).filter((n) => fs.statSync(n).isFile())));
    expect(files.some((p) => p.endsWith('.p12'))).toBe(true);
    expect(files.filter((p) => fs.readFileSync(p, 'latin1').includes(keyBody))).toEqual([]);

    if (!onPostgres) {
      const target = path.join(dir, 'br-restored', 'lrw.sqlite');
      const r = call(['restore', '--from', backup], target);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('PRAGMA integrity_check）：通过');
      expect(r.out).toContain('全过程记录校验通过');
      expect(fs.readdirSync(`${target}-keys`).some((n) => n.endsWith('.p12'))).toBe(true);
      expect(fs.existsSync(path.join(`${target}-keys`, 'record-key.pem'))).toBe(false);
      expect(call(['audit', 'verify'], target).code).toBe(0);
      // An existing target, a database that is not a backup: refused, exit 1, nothing changed.
      const again = call(['restore', '--from', backup], target);
      expect(again.code).toBe(1);
      expect(again.err).toContain('已存在');
      const notBackup = call(['restore', '--from', store], path.join(dir, 'br-other', 'x.sqlite'));
      expect(notBackup.code).toBe(1);
      expect(notBackup.err).toContain('不是本系统的备份');
      // A stored file changed inside the backup: exit 4, a Chinese reason, and no half target.
      const blob = (fs.readdirSync(`${backup}-files`, { recursive: true }) as string[]).map((n) => path.join(`${backup}-files`, n)).find((n) => fs.statSync(n).isFile())!;
      fs.chmodSync(blob, 0o644);
      fs.appendFileSync(blob, 'x');
      const bad = path.join(dir, 'br-bad', 'lrw.sqlite');
      const refused = call(['restore', '--from', backup], bad);
      expect(refused.code).toBe(4);
      expect(refused.out).toContain('还原失败，未还原任何内容');
      expect(refused.out).toContain('SHA-256 不符');
      for (const p of [bad, `${bad}-files`, `${bad}-keys`]) expect(fs.existsSync(p)).toBe(false);
    } else {
      expect(b).toContain('pg_dump');
      const toFile = spawnSync(process.execPath, [cli, 'restore', '--from', backup, '--db', path.join(dir, 'br-x.sqlite')], { encoding: 'utf8', env: { ...process.env, LRW_DB: '' } });
      expect(toFile.status).toBe(1);
      expect(toFile.stderr).toContain('pg_restore');
      expect(fs.existsSync(path.join(dir, 'br-x.sqlite'))).toBe(false);
      const dump = path.join(dir, 'br.dump');
      execFileSync('pg_dump', ['--format=custom', `--file=${dump}`, store]);
      const url = await createPgDatabase(uniqueDbName('lrw_cli_restored'));
      execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url, dump], { stdio: 'pipe' });
      const r = call(['restore', '--from', backup, '--files', path.join(dir, 'br-restored-files')], url);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toContain('数据库部分由 pg_restore 还原');
      expect(r.out).toContain('全过程记录校验通过');
    }
  });

  it.skipIf(!keyring)('lrw verify reports a flipped digit in the signature padding as 签名区被改动 (exit 4)', async () => {
    const call = (args: string[]) => lrw(args, 'Passw0rd!init', env(), store);
    const pdf = path.join(dir, 'br-decision.pdf');
    const rendered = call(['render', 'penalty-decision', '--case', '某市监罚立〔2026〕701号', '--pdf', '--out', pdf, '--as', 'zhang']);
    expect(rendered.code, rendered.err).toBe(0);
    // The draft of an unapproved decision cannot be signed outside the gate (it used to be).
    const refused = call(['sign', pdf, '--out', path.join(dir, 'br-decision.signed.pdf'), '--as', 'zhang']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('草稿');
    expect(fs.existsSync(path.join(dir, 'br-decision.signed.pdf'))).toBe(false);
    // A PDF from elsewhere is signed, and the signing is in the chain.
    const outside = path.join(dir, 'br-letter.pdf');
    fs.writeFileSync(outside, await plainPdf('A letter from another office'));
    const signedFile = path.join(dir, 'br-letter.signed.pdf');
    expect(call(['sign', outside, '--out', signedFile, '--as', 'zhang']).code).toBe(0);
    expect(call(['audit', 'log', '--action', 'file.sign', '--as', 'admin']).out).toContain('br-letter.pdf');
    expect(call(['verify', signedFile]).code).toBe(0);
    const bytes = fs.readFileSync(signedFile);
    const text = bytes.toString('latin1');
    const m = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)/.exec(text)!;
    const close = Number(m[2]) - 1;
    // The last hex digit before '>' is padding (the CMS is far shorter than the room reserved).
    expect(text[close - 1]).toBe('0');
    bytes[close - 1] = 0x31;
    fs.writeFileSync(path.join(dir, 'br-padding.pdf'), bytes);
    const v = call(['verify', path.join(dir, 'br-padding.pdf')]);
    expect(v.code).toBe(4);
    expect(v.out).toContain('签名区被改动');
    const json = JSON.parse(call(['verify', path.join(dir, 'br-padding.pdf'), '--json']).out);
    expect(json).toMatchObject({ intact: false, signatureAreaChanged: true, status: '签名区被改动' });
  });
});

/** A one-page PDF made by plain pdfkit: a file from outside this system. */
async function plainPdf(text: string): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text(text);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

describe('lrw record-signing key, checkpoints and witnesses (issue 11, points 3–4)', () => {
  const keyring = !!process.env.DBUS_SESSION_BUS_ADDRESS;

  it.skipIf(!keyring)('init prints the public key; audit checkpoint exports; verify --against holds, refuses a forged checkpoint, catches a cut tail; key export is passphrase-protected', async () => {
    const store = await newStore('cp-keychain.sqlite');
    const { run, call } = on(store);
    const init = run(['init', '--agency', '某县司法局', '--prefix', '某司', '--admin', 'admin', '--name', '管理员']);
    expect(init).toContain('记录签名密钥：Ed25519，公钥指纹（SHA-256）');
    expect(init).toContain('私钥保存在本机系统钥匙串中');
    expect(init).toContain('-----BEGIN PUBLIC KEY-----');
    expect(JSON.parse(run(['audit', 'key', 'show', '--json']))).toMatchObject({ privateKeyHere: true, key: { algorithm: 'ed25519' } });
    expect(call(['audit', 'key', 'init', '--as', 'admin']).code).toBe(1);

    const cpFile = path.join(dir, 'cp-keychain.json');
    const out = run(['audit', 'checkpoint', '--out', cpFile, '--as', 'admin']);
    const cp = JSON.parse(fs.readFileSync(cpFile, 'utf8'));
    expect(out).toContain(`已导出第 ${cp.seq} 号事件处的已签名检查点`);
    expect(cp).toMatchObject({ format: 'lrw-checkpoint/1', agency: '某县司法局', reason: 'export', algorithm: 'ed25519' });
    expect(cp.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const ok = run(['audit', 'verify', '--against', cpFile]);
    expect(ok).toContain(`相符：${cpFile}（检查点，第 ${cp.seq} 号事件）`);
    const again = call(['audit', 'checkpoint', '--out', cpFile, '--as', 'admin']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('已存在，不覆盖');

    // A checkpoint signed with another key (over the real head) is refused: exit 4, said why.
    const evil = crypto.generateKeyPairSync('ed25519');
    const publicKeyPem = evil.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const msg = `lrw-checkpoint/1\nagency=${JSON.stringify(cp.agency)}\nseq=${cp.seq}\nhash=${cp.hash}\nat=${cp.at}\nreason=export\nprev=${cp.prev}\n`;
    const forged = {
      ...cp,
      publicKeyPem,
      fingerprint: crypto.createHash('sha256').update(evil.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
      signature: crypto.sign(null, Buffer.from(msg), evil.privateKey).toString('base64'),
    };
    const forgedFile = path.join(dir, 'cp-forged.json');
    fs.writeFileSync(forgedFile, JSON.stringify(forged));
    const refused = call(['audit', 'verify', '--against', cpFile, forgedFile]);
    expect(refused.code).toBe(4);
    expect(refused.out).toContain('另一把密钥');
    expect(refused.out).toContain(`不符：${forgedFile}`);

    // The private key, exported with a passphrase (never in the database or a backup).
    const keyOut = path.join(dir, 'cp-keychain-key.pem');
    const exp = lrw(['audit', 'key', 'export', '--out', keyOut, '--as', 'admin'], 'Passw0rd!init', { LRW_KEY_PASSPHRASE: '保险柜里的口令-2026' }, store);
    expect(exp.code, exp.err).toBe(0);
    expect(fs.readFileSync(keyOut, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(fs.statSync(keyOut).mode & 0o077).toBe(0);
    expect(crypto.createPrivateKey({ key: fs.readFileSync(keyOut, 'utf8'), passphrase: '保险柜里的口令-2026' }).asymmetricKeyType).toBe('ed25519');
    expect(lrw(['audit', 'key', 'export', '--out', path.join(dir, 'cp-nopass.pem'), '--as', 'admin'], 'Passw0rd!init', {}, store).code).toBe(1);
    // Installed on a server as its key file (0600) from the export.
    const serverKey = path.join(dir, 'cp-server', 'record-key.pem');
    const imp = lrw(['audit', 'key', 'import', keyOut, '--as', 'admin'], 'Passw0rd!init', { LRW_KEY_PASSPHRASE: '保险柜里的口令-2026', LRW_RECORD_KEY_FILE: serverKey }, store);
    expect(imp.code, imp.err).toBe(0);
    expect(fs.statSync(serverKey).mode & 0o777).toBe(0o600);
    expect(lrw(['audit', 'key', 'show'], 'Passw0rd!init', { LRW_RECORD_KEY_FILE: serverKey }, store).out).toContain(`私钥保存在本机密钥文件 ${serverKey}中`);

    // The tail cut off past the exported checkpoint: caught against it.
    await sql(store, onPostgres ? 'ALTER TABLE events DISABLE TRIGGER ALL' : 'DROP TRIGGER events_no_delete');
    await sql(store, `DELETE FROM events WHERE seq >= ${cp.seq}`);
    const cut = call(['audit', 'verify', '--against', cpFile]);
    expect(cut.code).toBe(4);
    // The alarm the forged checkpoint raised lost its event with the tail: that row is named first.
    expect(cut.out).toMatch(/记录校验警报.*没有任何事件为其担保/);
    // (A cut made consistent with its rows is caught against the exported checkpoint: checkpoints.test.ts.)
  });

  it('a server: init --algorithm sm2 with LRW_RECORD_KEY_FILE writes the key file (0600), not the keychain', async () => {
    const store = await newStore('cp-server.sqlite');
    const keyFile = path.join(dir, 'cp-server-sm2', 'record-key.pem');
    const env = { LRW_RECORD_KEY_FILE: keyFile };
    const init = lrw(['init', '--agency', '某市司法局', '--prefix', '某司', '--admin', 'admin', '--name', '管理员', '--algorithm', 'sm2'], 'Passw0rd!init', env, store);
    expect(init.code, init.err).toBe(0);
    expect(init.out).toContain('记录签名密钥：SM2（SM3 摘要）');
    expect(init.out).toContain(`私钥保存在本机密钥文件 ${keyFile}中`);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const cpFile = path.join(dir, 'cp-server.json');
    const r = lrw(['audit', 'checkpoint', '--out', cpFile, '--as', 'admin'], 'Passw0rd!init', env, store);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(fs.readFileSync(cpFile, 'utf8')).algorithm).toBe('sm2');
    const v = lrw(['audit', 'verify', '--against', cpFile], 'Passw0rd!init', env, store);
    expect(v.code, v.out + v.err).toBe(0);
    expect(lrw(['init', '--agency', 'x', '--prefix', 'x', '--admin', 'a', '--name', 'a', '--algorithm', 'rsa'], 'Passw0rd!init', env, await newStore('cp-bad.sqlite')).code).toBe(2);
  });
});

describe('lrw filing and catalog (issue 13, point 3)', () => {
  const keyring = !!process.env.DBUS_SESSION_BUS_ADDRESS;

  it.skipIf(!keyring)('issues the 备案报告 as one signed package, exports it and records the filing, the response and the correction', async () => {
    const submitted = lrw(['case', 'submit', '--file', example('case.json', { caseNo: 'FIL-1' }), '--as', 'zhang', '--json']);
    expect(submitted.code, submitted.err).toBe(0);
    const id = String(JSON.parse(submitted.out).id);
    expect(lrw(['case', 'take', id, '--as', 'wang']).code).toBe(0);
    expect(lrw(['review', id, '--file', example('review.json'), '--as', 'wang']).code).toBe(0);
    expect(lrw(['approve', id, '--decision', 'approve', '--opinion', '同意', '--as', 'zhao']).code).toBe(0);
    const draft = path.join(dir, 'decision-draft.json');
    fs.writeFileSync(draft, JSON.stringify(fullDraft));
    const fin = lrw(['finalize', 'penalty-decision', '--case', id, '--draft', draft, '--as', 'zhang']);
    expect(fin.code, fin.err).toBe(0);
    expect(lrw(['identity', 'trial', '--as', 'zhao']).code).toBe(0);
    expect(lrw(['issue', 'penalty-decision', '--case', id, '--out', path.join(dir, 'fil-decision'), '--as', 'zhao']).code).toBe(0);
    if (lrw(['user', 'list', '--as', 'admin']).out.indexOf('zhou') < 0) expect(lrw(['user', 'add', '--file', example('user-legalhead.json'), '--as', 'admin']).code).toBe(0);
    expect(lrw(['finalize', 'filing-report', '--case', id, '--as', 'zhou']).code).toBe(0);
    expect(lrw(['identity', 'trial', '--as', 'zhou']).code).toBe(0);
    expect(lrw(['filing', 'record', id, '--file', example('filing.json', { filedOn: today() }), '--as', 'zhou']).err).toContain('请先制作并签发');
    const issued = lrw(['issue', 'filing-report', '--case', id, '--out', path.join(dir, 'fil-report'), '--as', 'zhou']);
    expect(issued.code, issued.err).toBe(0);
    const pkg = path.join(dir, '备案材料.pdf');
    expect(lrw(['filing', 'export', id, '--out', pkg, '--as', 'zhou']).code).toBe(0);
    const text = execFileSync('pdftotext', [pkg, '-'], { encoding: 'utf8' });
    for (const w of ['重大行政执法决定备案报告', '备案材料目录', '行政处罚决定书']) expect(text).toContain(w);
    const verified = lrw(['verify', pkg]);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toContain('签名有效：由周法制');

    expect(lrw(['filing', 'record', id, '--file', example('filing.json', { filedOn: today() }), '--as', 'zhang']).code).toBe(1);
    const recorded = lrw(['filing', 'record', id, '--file', example('filing.json', { filedOn: today() }), '--as', 'zhou']);
    expect(recorded.code, recorded.err).toBe(0);
    const filingId = /备案编号 (\d+)/.exec(recorded.out)![1];
    const responded = lrw(['filing', 'respond', filingId, '--file', example('filing-response.json', { receivedOn: today() }), '--as', 'zhou']);
    expect(responded.code, responded.err).toBe(0);
    expect(responded.out).toContain('某区人民政府（区司法局）：责令改正');
    const responseId = /审查意见编号 (\d+)/.exec(responded.out)![1];
    expect(lrw(['queue', '--as', 'zhang']).out).toContain('备案监督机关责令改正，待登记改正情况');
    const corrected = lrw(['filing', 'correct', responseId, '--text', '已补充罚款裁量理由的书面说明', '--as', 'zhang']);
    expect(corrected.code, corrected.err).toBe(0);
    expect(lrw(['filing', 'correct', responseId, '--text', '再次', '--as', 'zhang']).err).toContain('已登记改正情况');
  });

  it('catalog edit is not in force until catalog file; show lists the versions and the proposal', () => {
    const before = JSON.parse(lrw(['catalog', 'show', '--json', '--as', 'zhang']).out) as { current: { version: number; items: { code: string; minFineFen?: number; label: string }[] } };
    const items = before.current.items.map((i) => (i.code === 'penalty.fine_org' ? { ...i, label: '对法人或其他组织处以100000元以上罚款', minFineFen: 10_000_000 } : i));
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, JSON.stringify(items));
    expect(lrw(['catalog', 'edit', '--file', file, '--note', '提高罚款标准', '--as', 'zhang']).code).toBe(1);
    const edited = lrw(['catalog', 'edit', '--file', file, '--note', '提高对组织罚款的审核标准', '--as', 'admin']);
    expect(edited.code, edited.err).toBe(0);
    expect(edited.out).toContain('修改事项：对法人或其他组织处以50000元以上罚款 → 对法人或其他组织处以100000元以上罚款');
    const proposalId = /调整方案 (\d+)/.exec(edited.out)![1];
    expect(JSON.parse(lrw(['catalog', 'show', '--json', '--as', 'zhang']).out).current.version).toBe(before.current.version);
    const filed = lrw(['catalog', 'file', proposalId, '--file', example('filing.json', { filedOn: today() }), '--as', 'admin']);
    expect(filed.code, filed.err).toBe(0);
    expect(filed.out).toContain(`目录清单第${before.current.version + 1}版即日生效`);
    const shown = lrw(['catalog', 'show', '--as', 'zhang']);
    expect(shown.out).toContain(`现行目录清单：第${before.current.version + 1}版`);
    expect(shown.out).toContain('已报送备案');
    expect(lrw(['audit', 'log', '--action', 'catalog.', '--as', 'admin']).out).toContain('目录清单调整报送备案，新版本生效');
  });
});
