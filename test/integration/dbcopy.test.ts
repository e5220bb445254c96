// `lrw db copy`: a desktop's database and files moved into the agency store. The source is built
// through the services (a case with attachments, reviews, an approval, documents with a number, signed
// issued files, a locked meeting with an amendment, deadlines, settings, clauses…), copied into a fresh
// PostgreSQL database and checked table by table, file by file, chain and all; then the target is used.
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, tempDir, type Fixture } from '../helpers/fixture';
import { createPgDatabase, dropPgDatabase, onPostgres, uniqueDbName } from '../helpers/engine';
import { refused } from '../helpers/refuse';
import { fullDraft } from '../unit/templates/fixture';
import { caseDetail, search, submitCase } from '../../main/core/services/cases';
import { issueReview, saveDraft, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { amendMeeting, confirmAgenda, createMeeting, decideItem, lockMeeting, saveRecord } from '../../main/core/services/meetings';
import { createClause, finalizeDocument, getTemplate, previewDocument, saveDocument, saveTemplate } from '../../main/core/services/documents';
import { createTrialIdentityFor, downloadIssued, issueDocument } from '../../main/core/services/issue';
import { extendReview, importCalendarYear } from '../../main/core/services/deadlines';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { storeFile } from '../../main/core/services/uploads';
import { verifyChain } from '../../main/core/services/audit';
import { closeCore, openCore, type Core } from '../../main/core/services/core';
import { toActor } from '../../main/core/services/auth';
import { COPY_TABLES, copyStore, type CopyProgress } from '../../main/core/services/dbcopy';
import { saveDraft as saveUserDraft } from '../../main/core/db/repos/drafts';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { lastEvent } from '../../main/core/db/repos/events';
import { openDb } from '../../main/core/db/open';
import type { Store } from '../../main/core/db/store';
import { LATEST_VERSION } from '../../main/core/db/migrations';
import { MemorySecretStore } from '../../main/core/secrets';

const hasPg = !!process.env.LRW_PG_ADMIN_URL;

let f: Fixture;
let srcFiles: string;
let approvedId: number;
let meetingCaseId: number;
const dbs: string[] = [];
const dirs: string[] = [];

async function newPg(): Promise<string> {
  const name = uniqueDbName('lrw_copy');
  dbs.push(name);
  return await createPgDatabase(name);
}
function newDir(prefix = 'lrw-copy-'): string {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
}

const q = (s: string) => `"${s}"`;
const rowsOf = async (db: Store, table: string) => {
  const t = COPY_TABLES.find((x) => x.name === table)!;
  return await db.all(`SELECT * FROM ${q(table)} ORDER BY ${t.pk.map(q).join(', ')}`);
};
const countsOf = async (db: Store) => {
  const out: Record<string, number> = {};
  for (const t of COPY_TABLES) out[t.name] = Number(await db.value(`SELECT COUNT(*) FROM ${q(t.name)}`));
  return out;
};
/** Every file of a store, relative path → bytes' hex digest length and content (small test files). */
function filesOf(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!fs.existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'tmp') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  walk(root);
  return out;
}
async function withStore<T>(target: string, fn: (db: Store) => Promise<T>): Promise<T> {
  const db = await openDb(target);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
async function targetCore(target: string, filesDir: string): Promise<Core> {
  return await openCore({ dbPath: target, filesDir, secrets: new MemorySecretStore(), now: () => f.clock.now });
}

const disagree = () => {
  const x = allConform();
  x[3] = { criterion: 4, result: 'nonconform', reason: '应适用第五十条而非第四十九条' };
  return x;
};

/** A source with something in every kind of record the workflow writes. */
async function buildSource(): Promise<void> {
  f = await makeFixture();
  srcFiles = f.core.blobs.root;
  const core = f.core;
  await updateWorkflowSettings(core, f.admin, { rereviewDifferentReviewer: true, quorum: 'half' });
  await importCalendarYear(core, f.admin, {
    year: 2027,
    source: '国办发明电〔2026〕×号（测试）',
    holidays: ['2027-10-01', '2027-10-02', '2027-10-03'].map((date) => ({ date, name: '国庆节' })),
    workdays: [{ date: '2027-10-09', name: '国庆节' }],
  });
  await createClause(core, f.reviewer, { category: '法理', title: '过罚相当', text: '设定和实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。' });
  const tpl = await getTemplate(core, f.admin, 'review-opinion');
  await saveTemplate(core, f.admin, { templateId: 'review-opinion', source: tpl.source, note: '机关副本' });
  await saveUserDraft(core.db, f.handler.id, 'case-form', JSON.stringify({ title: '未送审的草稿' }), new Date().toISOString());

  // Attachments: a small text and a larger binary file.
  const note = path.join(f.dir, '笔录.txt');
  fs.writeFileSync(note, '现场检查笔录：当事人仓库内存放电热水壶320台。');
  const big = path.join(f.dir, 'photo.bin');
  fs.writeFileSync(big, randomBytes(300_000));
  const a1 = await storeFile(core, f.handler, note, '现场检查笔录.txt');
  const a2 = await storeFile(core, f.handler, big, '现场照片.bin');

  // Case 1: agreed, approved, decision numbered, opinion issued with signatures.
  const c1 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'COPY-1', attachments: [{ sha256: a1.sha256, name: a1.name }, { sha256: a2.sha256, name: a2.name }] }));
  approvedId = c1.id;
  await takeCase(core, f.reviewer, c1.id);
  await issueReview(core, f.reviewer, { caseId: c1.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。' });
  await decide(core, f.head, { caseId: c1.id, decision: 'approve', opinion: '同意' });
  const op = await previewDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });
  await saveDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion', model: op.model });
  await finalizeDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });
  const pd = await previewDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
  await saveDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision', model: pd.model, draft: { ...fullDraft }, note: '全文' });
  expect((await finalizeDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision' })).docNumber).toBeTruthy();
  await createTrialIdentityFor(core, f.reviewer);
  await issueDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });

  // Case 2: disagreed, re-reviewed, escalated, decided in a locked meeting, then amended.
  const c2 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'COPY-2' }));
  meetingCaseId = c2.id;
  await takeCase(core, f.reviewer, c2.id);
  await issueReview(core, f.reviewer, { caseId: c2.id, findings: disagree(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await requestRereview(core, f.handler, { caseId: c2.id, reasons: '第四十九条适用于本案情形' });
  await takeCase(core, f.reviewer2, c2.id);
  await issueReview(core, f.reviewer2, { caseId: c2.id, findings: disagree(), outcome: 'disagree', opinion: '复审维持不同意意见' });
  await escalate(core, f.handler, { caseId: c2.id, reasons: '仍坚持原意见' });
  const m = await createMeeting(core, f.secretary, { title: '2026年第12次局长办公会议', scheduledAt: '2026-11-25T09:00:00+08:00', place: '第一会议室', chairId: f.head.id, attendeeIds: [f.head.id], caseIds: [c2.id] });
  await confirmAgenda(core, f.head, { meetingId: m.id });
  await saveRecord(core, f.secretary, {
    meetingId: m.id,
    attendance: [{ userId: f.head.id, present: true }],
    items: [{ caseId: c2.id, handlingStatement: '承办单位认为适用正确。', legalStatement: '法制机构认为应适用第五十条。', stances: [{ userId: f.head.id, stance: 'agree' }] }],
  });
  await decideItem(core, f.secretary, { meetingId: m.id, caseId: c2.id, decision: 'approve', decisionText: '同意按拟定意见作出处罚决定' });
  expect((await lockMeeting(core, f.head, m.id)).locked).toBe(true);
  await amendMeeting(core, f.secretary, { meetingId: m.id, text: '补充：建议加强普法宣传。', reason: '记录遗漏' });

  // Case 3: under review with a saved draft and an extended period; case 4: returned.
  const c3 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'COPY-3', title: '某商贸公司虚假宣传案' }));
  await takeCase(core, f.reviewer, c3.id);
  await saveDraft(core, f.reviewer, { caseId: c3.id, findings: [{ criterion: 1, result: 'conform', reason: '' }], opinion: '初步意见' });
  await extendReview(core, f.legalHead, { caseId: c3.id, reason: '涉及多个法律关系，案情复杂' });
  const c4 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'COPY-4' }));
  await takeCase(core, f.reviewer2, c4.id);
  const ret = allConform();
  ret[2] = { criterion: 3, result: 'needs_correction', reason: '证据清单缺少检验报告原件' };
  await issueReview(core, f.reviewer2, { caseId: c4.id, findings: ret, outcome: 'return', opinion: '退回补充', requests: ['补充检验报告原件'] });
  expect((await verifyChain(core)).ok).toBe(true);
}

beforeAll(buildSource, 120_000);
afterAll(async () => {
  await f?.close();
  for (const d of dbs) await dropPgDatabase(d).catch(() => {});
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('copyStore into SQLite (no server needed)', () => {
  it('copies every table and file, rebuilds the search index, and verifies', async () => {
    const dir = newDir();
    const to = path.join(dir, 'copy.sqlite');
    const r = await copyStore({ from: f.dbPath, to, fromFiles: srcFiles, toFiles: `${to}-files` });
    expect(r.verify.ok, JSON.stringify(r.verify)).toBe(true);
    expect(await withStore(to, countsOf)).toEqual(await countsOf(f.core.db));
    const core = await targetCore(to, `${to}-files`);
    try {
      const reviewer = toActor((await getUserByUsername(core.db, 'reviewer'))!);
      expect((await search(core, reviewer, { query: '虚假宣传' })).items.map((c) => c.caseNo)).toEqual(['COPY-3']);
    } finally {
      await closeCore(core);
    }
  });

  it('refuses to copy a database onto itself', async () => {
    const msg = await refused(() => copyStore({ from: f.dbPath, to: f.dbPath, fromFiles: srcFiles, toFiles: newDir() }), 'VALIDATION');
    expect(msg).toContain('相同');
  });
});

describe.skipIf(!hasPg)('copyStore into PostgreSQL', () => {
  let url: string;
  let toFiles: string;
  let progress: CopyProgress[];
  let result: Awaited<ReturnType<typeof copyStore>>;

  beforeAll(async () => {
    url = await newPg();
    toFiles = path.join(newDir(), 'files');
    progress = [];
    result = await copyStore({ from: f.dbPath, to: url, fromFiles: srcFiles, toFiles, onProgress: (p) => progress.push(p) });
  }, 120_000);

  it('copies every table with the same rows', async () => {
    const src = await countsOf(f.core.db);
    expect(result.tables.map((t) => t.name)).toEqual(COPY_TABLES.map((t) => t.name));
    for (const t of result.tables) expect(t.rows, t.name).toBe(src[t.name]);
    // the source really exercises the tricky tables
    for (const t of ['meetings', 'meeting_attendees', 'meeting_items', 'meeting_stances', 'meeting_amendments', 'approvals', 'documents', 'document_versions',
      'issued_files', 'signing_identities', 'submission_attachments', 'blobs', 'review_drafts', 'drafts', 'calendar_overrides', 'clauses', 'template_overrides', 'doc_serials', 'rereview_requests', 'escalations']) {
      expect(src[t], t).toBeGreaterThan(0);
    }
    await withStore(url, async (db) => {
      expect(db.engine).toBe('postgres');
      expect(await countsOf(db)).toEqual(src);
      for (const t of COPY_TABLES) expect(await rowsOf(db, t.name), t.name).toEqual(await rowsOf(f.core.db, t.name));
      // a locked meeting stays locked, numbered documents keep their number
      expect(await db.value('SELECT locked_at FROM meetings')).toBeTruthy();
      expect(await db.value('SELECT COUNT(*) FROM documents WHERE doc_number IS NOT NULL')).toBe(1);
      await expect(db.run("UPDATE meeting_items SET notes = 'x'")).rejects.toThrow(/LOCKED/);
    });
    expect(progress.find((p) => p.table === 'events' && p.rows === p.total && p.total > 0)).toBeTruthy();
    expect(progress.find((p) => p.table === 'files' && p.rows === p.total)).toBeTruthy();
  });

  it('the chain verifies on the target with the same count and last hash; every file is there', async () => {
    const srcCount = Number(await f.core.db.value('SELECT COUNT(*) FROM events'));
    const srcLast = (await lastEvent(f.core.db))!.hash;
    expect(result.verify).toMatchObject({ ok: true, chainOk: true, count: srcCount, lastHash: srcLast, sourceLastHash: srcLast, missingFiles: [], corruptFiles: [], countMismatches: [] });
    const core = await targetCore(url, toFiles);
    try {
      expect(await verifyChain(core)).toMatchObject({ ok: true, count: srcCount, firstBad: null, mismatch: null });
      expect((await lastEvent(core.db))!.hash).toBe(srcLast);
    } finally {
      await closeCore(core);
    }
    const src = filesOf(srcFiles);
    expect(src.size).toBeGreaterThanOrEqual(5); // two attachments, three issued files
    expect(result.files).toBe(src.size);
    const dst = filesOf(toFiles);
    expect([...dst.keys()].sort()).toEqual([...src.keys()].sort());
    for (const [k, v] of src) expect(dst.get(k)!.equals(v), k).toBe(true);
  });

  it('refuses a second copy into the same target and changes nothing', async () => {
    const before = await withStore(url, async (db) => ({ counts: await countsOf(db), events: await rowsOf(db, 'events') }));
    const filesBefore = [...filesOf(toFiles).keys()].sort();
    const msg = await refused(() => copyStore({ from: f.dbPath, to: url, fromFiles: srcFiles, toFiles }), 'DB_NOT_EMPTY');
    expect(msg).toContain('目标数据库已有数据，拒绝覆盖');
    expect(msg).toContain('users');
    const after = await withStore(url, async (db) => ({ counts: await countsOf(db), events: await rowsOf(db, 'events') }));
    expect(after).toEqual(before);
    expect([...filesOf(toFiles).keys()].sort()).toEqual(filesBefore);
  });

  it('the target is a working store: cases open, search works, new records get new ids', async () => {
    const core = await targetCore(url, toFiles);
    try {
      const actor = async (u: string) => toActor((await getUserByUsername(core.db, u))!);
      const handler = await actor('handler');
      const reviewer = await actor('reviewer');
      const d = await caseDetail(core, handler, approvedId);
      expect(d).toMatchObject({ caseNo: 'COPY-1', state: 'approved' });
      expect(d.submissions[0].attachments.map((a) => a.name)).toEqual(['现场检查笔录.txt', '现场照片.bin']);
      expect((await caseDetail(core, handler, meetingCaseId)).approvals[0].meetingId).toBeTruthy();
      expect((await search(core, reviewer, { query: '虚假宣传' })).items.map((c) => c.caseNo)).toEqual(['COPY-3']);
      // an issued file reads back from the copied file store
      const issuedId = Number(await core.db.value('SELECT MIN(id) FROM issued_files'));
      expect((await downloadIssued(core, reviewer, issuedId)).base64.length).toBeGreaterThan(100);

      const maxCase = Number(await core.db.value('SELECT MAX(id) FROM cases'));
      const maxSub = Number(await core.db.value('SELECT MAX(id) FROM submissions'));
      const maxReview = Number(await core.db.value('SELECT MAX(id) FROM review_rounds'));
      const c = await submitCase(core, handler, caseInput(f, { caseNo: 'COPY-NEW' }));
      expect(c.id).toBe(maxCase + 1);
      expect(await core.db.value('SELECT id FROM submissions WHERE case_id = ?', [c.id])).toBe(maxSub + 1);
      await takeCase(core, reviewer, c.id);
      await issueReview(core, reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '同意。' });
      expect(await core.db.value('SELECT id FROM review_rounds WHERE case_id = ?', [c.id])).toBe(maxReview + 1);
      const v = await verifyChain(core);
      expect(v.ok).toBe(true);
      expect(v.count).toBe(result.verify.count + 3);
    } finally {
      await closeCore(core);
    }
  });
});

describe.skipIf(!hasPg)('lrw db copy / db migrate', () => {
  let cli: string;
  beforeAll(() => {
    cli = path.resolve('node_modules/.cache/lrw-test', `lrw-dbcopy-${process.pid}.cjs`);
    buildSync({ entryPoints: ['main/cli/lrw.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, external: ['better-sqlite3', 'keytar'], logLevel: 'error', absWorkingDir: process.cwd(), nodePaths: [path.resolve('node_modules')] });
  });
  afterAll(() => fs.rmSync(cli, { force: true }));

  const lrw = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, LRW_DB: '' } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('copies with progress and a summary, exits 0; refuses a second run with 1; usage errors with 2', async () => {
    const url = await newPg();
    const files = path.join(newDir(), 'files');
    const r = lrw(['db', 'copy', '--from', f.dbPath, '--files-from', srcFiles, '--to', url, '--files-to', files]);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.err).toMatch(/复制 cases：4\/4/);
    expect(r.err).toMatch(/复制 events：\d+\/\d+/);
    expect(r.err).toMatch(/复制文件：\d+\/\d+/);
    expect(r.out).toContain('已将');
    expect(r.out).toMatch(/meetings\s+1 行/);
    expect(r.out).toContain('校验结果：通过');
    expect(filesOf(files).size).toBe(filesOf(srcFiles).size);

    const again = lrw(['db', 'copy', '--from', f.dbPath, '--files-from', srcFiles, '--to', url, '--files-to', files]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('DB_NOT_EMPTY');
    expect(again.err).toContain('拒绝覆盖');

    expect(lrw(['db', 'copy', '--from', f.dbPath, '--to', url]).code).toBe(2); // --files-to missing for PostgreSQL
    expect(lrw(['db', 'copy', '--from', f.dbPath]).code).toBe(2); // --to missing
    expect(lrw(['db', 'copy', '--from', path.join(newDir(), 'none.sqlite'), '--to', await newPg(), '--files-to', newDir()]).code).toBe(1);

    const m = lrw(['db', 'migrate', '--db', url]);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain(`最新版本（${LATEST_VERSION}）`);
    const fresh = lrw(['db', 'migrate', '--db', await newPg(), '--json']);
    expect(fresh.code, fresh.err).toBe(0);
    expect(JSON.parse(fresh.out)).toMatchObject({ version: LATEST_VERSION, latest: LATEST_VERSION });
  });

  it('a file whose content does not match its name is not copied, and the verification fails with 4', async () => {
    const bad = path.join(newDir(), 'files');
    fs.cpSync(srcFiles, bad, { recursive: true });
    const [rel] = [...filesOf(bad).keys()].sort();
    const victim = path.join(bad, rel);
    fs.chmodSync(victim, 0o644);
    fs.appendFileSync(victim, 'tampered');
    const files = path.join(newDir(), 'files');
    const r = lrw(['db', 'copy', '--from', f.dbPath, '--files-from', bad, '--to', await newPg(), '--files-to', files]);
    expect(r.code, r.err + r.out).toBe(4);
    expect(r.out).toContain('校验结果：未通过');
    expect(r.out).toContain(path.basename(victim));
    expect(fs.existsSync(path.join(files, rel))).toBe(false);
  });
});

describe.skipIf(!hasPg)('copyStore is all or nothing', () => {
  // (On a PostgreSQL fixture the source itself cannot hold the NUL.)
  it.skipIf(onPostgres)('a row the target refuses rolls the whole copy back; the same target then takes a clean copy', async () => {
    // SQLite keeps a NUL character in text; PostgreSQL refuses it. A user's autosaved draft is enough.
    await saveUserDraft(f.core.db, f.officer.id, 'nul', 'a\u0000b', new Date().toISOString());
    const url = await newPg();
    const files = path.join(newDir(), 'files');
    try {
      const err = await copyStore({ from: f.dbPath, to: url, fromFiles: srcFiles, toFiles: files }).then(() => null, (e: Error) => e);
      expect(err?.message).toContain('复制表 drafts 时出错');
      expect(err?.message).toContain('未作任何修改');
      await withStore(url, async (db) => {
        for (const [t, n] of Object.entries(await countsOf(db))) expect(n, t).toBe(0);
      });
      expect(filesOf(files).size).toBe(0);
    } finally {
      await f.core.db.run("DELETE FROM drafts WHERE key = 'nul'");
    }
    const r = await copyStore({ from: f.dbPath, to: url, fromFiles: srcFiles, toFiles: files });
    expect(r.verify.ok).toBe(true);
  });
});
