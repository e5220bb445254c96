// `lrw` shows every time in China time, whatever the machine's zone (issue 12, part 6), and exports the
// queue and search results to .xlsx (part 8): the bundled CLI in child processes under TZ=UTC and
// TZ=America/Los_Angeles, against a real store (SQLite file, or PostgreSQL with LRW_TEST_ENGINE=postgres).
// The same core is read in-process (dispatch) for the stored instants the output must stand for.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../main/core/api';
import { openCore, closeCore, type Core } from '../../main/core/services/core';
import { MemorySecretStore } from '../../main/core/secrets';
import { formatChinaMoment, toChinaIso } from '../../main/core/domain/calendar';
import type { CaseDetail, CaseReportView } from '../../main/core/domain/views';
import { tempDir } from '../helpers/fixture';
import { createPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ZONES = ['UTC', 'America/Los_Angeles'] as const;
const PASSWORD = 'Passw0rd!init';
const examples = path.resolve('docs/examples');
/** An ISO instant written in UTC ('…Z'): what nobody should have to read. */
const UTC_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/;

let dir: string;
let cli: string;
let db: string;
let caseId: number;
let core: Core;
const ids: Record<string, number> = {};

const filesDir = () => (onPostgres ? path.join(dir, 'files') : `${db}-files`);

function lrw(args: string[], tz: string = 'UTC') {
  const r = spawnSync(process.execPath, [cli, ...args, '--db', db], {
    encoding: 'utf8',
    env: { ...process.env, TZ: tz, LRW_PASSWORD: PASSWORD, LRW_DB: '', ...(onPostgres && { LRW_FILES: filesDir() }) },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function run(args: string[], tz: string = 'UTC'): string {
  const r = lrw(args, tz);
  expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(0);
  return r.out;
}
function example(name: string): string {
  const data = JSON.parse(fs.readFileSync(path.join(examples, name), 'utf8'));
  if ('password' in data) data.password = PASSWORD;
  const out = path.join(dir, name);
  fs.writeFileSync(out, JSON.stringify(data));
  return out;
}

/** Every string in a JSON value, with where it is. */
function strings(v: unknown, at = '$', out: [string, string][] = []): [string, string][] {
  if (typeof v === 'string') out.push([at, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${at}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings(x, `${at}.${k}`, out);
  return out;
}

/** The first sheet of an .xlsx as rows of cell texts. */
async function sheetRows(file: string): Promise<string[][]> {
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

beforeAll(async () => {
  dir = tempDir('lrw-dates-');
  cli = path.resolve('node_modules/.cache/lrw-test', `lrw-dates-${process.pid}.cjs`);
  buildSync({ entryPoints: ['main/cli/lrw.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, external: ['better-sqlite3', 'keytar', 'fastify', '@fastify/cookie', '@fastify/rate-limit', '@fastify/static'], logLevel: 'error', absWorkingDir: process.cwd(), nodePaths: [path.resolve('node_modules')] });
  db = onPostgres ? await createPgDatabase(uniqueDbName('lrw_dates')) : path.join(dir, 'lrw.sqlite');
  fs.copyFileSync(path.join(examples, '现场检查笔录.txt'), path.join(dir, '现场检查笔录.txt'));
  run(['init', '--agency', '某市市场监督管理局', '--prefix', '某市监罚', '--admin', 'admin', '--name', '管理员']);
  for (const f of ['user-handler.json', 'user-officer.json', 'user-reviewer.json', 'user-head.json']) run(['user', 'add', '--file', example(f), '--as', 'admin']);
  for (const u of JSON.parse(run(['user', 'list', '--json', '--as', 'admin'])) as { username: string; id: number }[]) ids[u.username] = u.id;
  caseId = JSON.parse(run(['case', 'submit', '--file', example('case.json'), '--as', 'zhang', '--json'])).id;
  run(['case', 'take', String(caseId), '--as', 'wang']);
  run(['review', String(caseId), '--file', example('review.json'), '--as', 'wang']);
  core = await openCore({ dbPath: db, filesDir: filesDir(), secrets: new MemorySecretStore() });
});
afterAll(async () => {
  if (core) await closeCore(core);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cli, { force: true });
});

/** The case as the core returns it (instants in UTC, as stored). */
async function stored(): Promise<CaseDetail> {
  const r = await dispatch(core, { userId: ids.wang }, 'cases.get', { caseId });
  expect(r.ok).toBe(true);
  return (r as { ok: true; value: CaseDetail }).value;
}

describe('lrw shows China time whatever TZ says', () => {
  it('case show: every timeline entry and the review in China time (年月日 HH:mm), the same under UTC and Los Angeles', async () => {
    const c = await stored();
    const texts = ZONES.map((tz) => run(['case', 'show', String(caseId), '--as', 'wang'], tz));
    expect(texts[1]).toBe(texts[0]);
    const text = texts[0];
    expect(text).toContain('时间线（北京时间）：');
    expect(text).not.toMatch(UTC_INSTANT);
    expect(c.timeline.length).toBeGreaterThanOrEqual(3);
    for (const t of c.timeline) expect(text).toContain(`#${t.seq} ${formatChinaMoment(t.at)} ${t.actor} ${t.label}`);
    expect(text).toContain(`（王审核，${formatChinaMoment(c.reviews[0].issuedAt)}）`);
    // The entries are China time, not the machine's: Los Angeles and UTC clocks would show other hours.
    const first = new Date(c.timeline[0].at);
    const cst = formatChinaMoment(c.timeline[0].at);
    const la = new Intl.DateTimeFormat('zh-CN', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit', hour12: false }).format(first);
    expect(cst.endsWith(la)).toBe(false);
  });

  it('audit log and user list: China time in text; the stored instant unchanged', async () => {
    // Each `lrw … --as` signs in (an event of its own), so the two runs are compared event by event.
    const [a, b] = ZONES.map((tz) => run(['audit', 'log', '--limit', '8', '--as', 'admin'], tz));
    const bySeq = (text: string) => new Map(text.trim().split('\n').map((l) => [Number(/^#(\d+)\t/.exec(l)?.[1]), l] as const));
    const [la, lb] = [bySeq(a), bySeq(b)];
    const common = [...la.keys()].filter((k) => lb.has(k));
    expect(common.length).toBeGreaterThanOrEqual(6);
    for (const k of common) expect(lb.get(k)).toBe(la.get(k));
    expect(a + b).not.toMatch(UTC_INSTANT);
    const events = await dispatch(core, { userId: ids.admin }, 'audit.events', { limit: 20 });
    expect(events.ok).toBe(true);
    for (const e of (events as { ok: true; value: { seq: number; at: string; actor: string }[] }).value) {
      if (la.has(e.seq)) expect(la.get(e.seq)!.startsWith(`#${e.seq}\t${formatChinaMoment(e.at)}\t${e.actor}\t`)).toBe(true);
    }
    const users = run(['user', 'list', '--as', 'admin'], 'America/Los_Angeles');
    expect(users).toContain('张承办');
    expect(users).not.toMatch(UTC_INSTANT);
  });

  it('--json: every instant is ISO 8601 at +08:00, the same instant the core stored; plain dates stay YYYY-MM-DD', async () => {
    const c = await stored();
    const outs = ZONES.map((tz) => run(['case', 'show', String(caseId), '--json', '--as', 'wang'], tz));
    expect(outs[1]).toBe(outs[0]);
    expect(outs[0]).not.toMatch(UTC_INSTANT);
    const j = JSON.parse(outs[0]) as CaseDetail;
    expect(j.timeline.map((t) => t.at)).toEqual(c.timeline.map((t) => toChinaIso(t.at)));
    for (const t of j.timeline) expect(t.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/);
    for (const [i, t] of j.timeline.entries()) expect(Date.parse(t.at)).toBe(Date.parse(c.timeline[i].at));
    expect(j.updatedAt).toBe(toChinaIso(c.updatedAt));
    expect(j.reviews[0].issuedAt).toBe(toChinaIso(c.reviews[0].issuedAt));
    expect(j.submissions[0].procedure[0].date).toBe('2026-08-10');
    // Nothing else that looks like a time is left in another form.
    const instants = strings(j).filter(([, s]) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s));
    expect(instants.length).toBeGreaterThan(5);
    for (const [where, s] of instants) expect(s, where).toMatch(/\+08:00$/);
  });
});

describe('lrw case report: the queue and search results, printed and as .xlsx', () => {
  it('queue → .xlsx read back: the columns and rows lrw prints, China time, under both zones', async () => {
    const report = JSON.parse(run(['case', 'report', 'queue', '--json', '--as', 'zhao'])) as CaseReportView;
    expect(report.columns).toEqual(['序号', '案件编号', '案件名称', '决定类型', '当事人', '案件状态', '待办事项', '送审轮次', '法制审核意见', '是否采纳审核意见', '审核期限届满日', '剩余期限', '承办人', '审核人', '更新时间（北京时间）']);
    expect(report.rows).toHaveLength(1);
    const c = await stored();
    expect(report.rows[0]).toEqual(['1', '某市监罚立〔2026〕101号', '某科技有限公司销售不合格产品案', '行政处罚', '某科技有限公司', '已审核', '待负责人审批', '第1轮', '同意', '—', '—', '—', '张承办', '王审核', formatChinaMoment(c.updatedAt)]);
    expect(report.generatedAt).toMatch(/\+08:00$/);
    for (const tz of ZONES) {
      const file = path.join(dir, `queue-${tz.replace('/', '-')}.xlsx`);
      const text = run(['case', 'report', 'queue', '--out', file, '--as', 'zhao'], tz);
      expect(text).toContain(report.columns.join('\t'));
      expect(text).toContain(report.rows[0].join('\t'));
      expect(text).toContain(`已导出到 ${file}`);
      const rows = await sheetRows(file);
      expect(rows[0]).toEqual(report.columns);
      expect(rows.slice(1)).toEqual(report.rows);
    }
  });

  it('search → .xlsx: the same filter as case list, a second sheet says who exported what and when', async () => {
    const file = path.join(dir, 'search.xlsx');
    const out = JSON.parse(run(['case', 'report', 'search', '--query', '不合格', '--out', file, '--json', '--as', 'wang'], 'America/Los_Angeles')) as CaseReportView & { out: string };
    expect(out.out).toBe(file);
    expect(out.conditions).toEqual(['关键词：不合格', '案件状态：全部状态']);
    expect(out.columns).not.toContain('待办事项');
    expect(out.rows.map((r) => r[1])).toEqual(['某市监罚立〔2026〕101号']);
    const rows = await sheetRows(file);
    expect(rows[0]).toEqual(out.columns);
    expect(rows.slice(1)).toEqual(out.rows);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const about = wb.getWorksheet('导出说明')!;
    const notes = Object.fromEntries(about.getSheetValues().filter(Boolean).map((r) => [(r as string[])[1], (r as string[])[2]]));
    expect(notes).toMatchObject({ 机关: '某市市场监督管理局', 内容: '案件检索结果', 关键词: '不合格', 件数: '1件', 导出人: '王审核' });
    expect(notes['导出时间']).toBe(`${out.generatedAtLabel}（北京时间）`);
    expect(out.generatedAtLabel).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
    const none = JSON.parse(run(['case', 'report', 'search', '--query', '无此案件', '--json', '--as', 'wang'])) as CaseReportView;
    expect(none.rows).toEqual([]);
  });

  it('refuses a bad scope, a bad state and a caller who is not signed in, and a handler sees only his own cases', async () => {
    const bad = lrw(['case', 'report', 'elsewhere', '--as', 'wang']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('case report 后应为 queue（待办）或 search（检索结果）');
    const badState = lrw(['case', 'report', 'search', '--state', 'nonsense', '--as', 'wang']);
    expect(badState.code).toBe(1);
    expect(await dispatch(core, { userId: null }, 'cases.report', { source: 'queue' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await dispatch(core, { userId: ids.wang }, 'cases.report', { source: 'everything' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    // 李执法 is an officer of the case; a handler with no part in it gets an empty report, not the case.
    const officer = await dispatch(core, { userId: ids.li }, 'cases.report', { source: 'search', query: '' });
    expect(officer).toMatchObject({ ok: true });
    expect((officer as { value: CaseReportView }).value.rows.map((r) => r[1])).toEqual(['某市监罚立〔2026〕101号']);
    const sunFile = path.join(dir, 'user-sun.json');
    fs.writeFileSync(sunFile, JSON.stringify({ username: 'sun', displayName: '孙承办', password: PASSWORD, roles: ['handler'], certNo: 'C0099', certExpiry: '2030-01-01' }));
    run(['user', 'add', '--file', sunFile, '--as', 'admin']);
    const sunId = (JSON.parse(run(['user', 'list', '--json', '--as', 'admin'])) as { username: string; id: number }[]).find((u) => u.username === 'sun')!.id;
    const outsider = await dispatch(core, { userId: sunId }, 'cases.report', { source: 'search', query: '不合格', xlsx: true });
    expect(outsider).toMatchObject({ ok: true, value: { rows: [], caseIds: [] } });
    const empty = path.join(dir, 'outsider.xlsx');
    fs.writeFileSync(empty, Buffer.from((outsider as { value: CaseReportView }).value.base64!, 'base64'));
    expect(await sheetRows(empty)).toEqual([(outsider as { value: CaseReportView }).value.columns]);
  });
});
