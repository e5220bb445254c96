// Every record row is bound to the event that wrote it (chain format 2): verification names the
// table, row, field and the event that should vouch for it. Runs on both engines.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, tempDir, type Fixture } from '../helpers/fixture';
import { freshTarget, onPostgres } from '../helpers/engine';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { beginUpload, finishUpload, uploadChunk } from '../../main/core/services/uploads';
import { appendEvent, verifyChain } from '../../main/core/services/audit';
import { closeCore, openCore, tx } from '../../main/core/services/core';
import { setup } from '../../main/core/services/setup';
import { MIGRATIONS } from '../../main/core/db/migrations';
import { isOperationalTable, OPERATIONAL_COLUMNS, RECORD_TABLES } from '../../main/core/domain/records';
import { canonicalJson, eventHash, GENESIS_HASH, sha256Hex } from '../../main/core/domain/audit';
import { MemorySecretStore } from '../../main/core/secrets';
import type { Store } from '../../main/core/db/store';

let f: Fixture;
let caseId: number;
beforeEach(async () => {
  f = await makeFixture();
  const data = Buffer.from('现场检查照片（示例）'.repeat(200));
  const { uploadId } = await beginUpload(f.core, f.handler, '现场照片.jpg', data.length);
  await uploadChunk(f.core, f.handler, uploadId, data.toString('base64'));
  const blob = await finishUpload(f.core, f.handler, uploadId);
  const c = await submitCase(f.core, f.handler, caseInput(f, { attachments: [{ sha256: blob.sha256, name: '现场照片.jpg' }] }));
  caseId = c.id;
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
});
afterEach(async () => f.close());

/** An attacker with the owner's SQL access: the table's guard and journal triggers go first. */
async function tamper(db: Store, table: string, sql: string): Promise<void> {
  if (db.engine === 'sqlite') {
    for (const t of await db.column<string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", [table])) await db.exec(`DROP TRIGGER ${t}`);
  } else {
    await db.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  }
  await db.exec(sql);
}

const seqOf = async (action: string) => Number(await f.core.db.value('SELECT MAX(seq) FROM events WHERE action = ?', [action]));

describe(`records bound to the chain (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('an untouched store verifies, rows and files included, and the journal is empty between use cases', async () => {
    const v = await verifyChain(f.core);
    expect(v).toMatchObject({ ok: true, mismatch: null, filesSkipped: false });
    expect(v.rows).toBeGreaterThan(30);
    expect(v.message).toMatch(/记录校验通过/);
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM chain_pending'))).toBe(0);
    // The review event vouches for its round and its nine findings.
    const records = (await f.core.db.value('SELECT records FROM events WHERE seq = ?', [await seqOf('review.issue')])) as string;
    expect(records.split('\n').filter((l) => l.startsWith('findings\t'))).toHaveLength(9);
    expect(records).toMatch(/^review_rounds\t/m);
  });

  it('names the finding whose reason was changed, its field and the review event that vouches for it', async () => {
    const seq = await seqOf('review.issue');
    await tamper(f.core.db, 'findings', "UPDATE findings SET reason = '伪造的理由' WHERE criterion = 3");
    const v = await verifyChain(f.core);
    expect(v.ok).toBe(false);
    expect(v.mismatch).toMatchObject({ kind: 'row', table: 'findings', tableLabel: '审核结论', field: 'reason', seq });
    expect(v.mismatch!.row).toMatch(/ · 3$/);
    expect(v.message).toMatch(/审核结论.*reason.*第 \d+ 号事件（出具审核意见）/);
  });

  it('names mutable state changed without an event: the case state', async () => {
    await tamper(f.core.db, 'cases', "UPDATE cases SET state = 'approved'");
    const v = await verifyChain(f.core);
    expect(v.mismatch).toMatchObject({ kind: 'state', table: 'cases', field: 'state', row: String(caseId) });
  });

  it('names a deleted row, and the event that wrote it', async () => {
    await tamper(f.core.db, 'submission_officers', 'DELETE FROM submission_officers');
    const v = await verifyChain(f.core);
    expect(v.mismatch).toMatchObject({ kind: 'row', table: 'submission_officers', seq: await seqOf('case.submit') });
    expect(v.mismatch!.message).toMatch(/不存在/);
  });

  it('names a row inserted outside any event', async () => {
    await tamper(f.core.db, 'submission_officers', `INSERT INTO submission_officers SELECT id, ${f.officer2.id} FROM submissions`);
    expect((await verifyChain(f.core)).mismatch).toMatchObject({ kind: 'row', table: 'submission_officers', message: expect.stringMatching(/没有任何事件/) });
  });

  it('an approval appended with a forged row is caught even when the attacker also forges its event with a correct hash', async () => {
    await tamper(f.core.db, 'approvals', `INSERT INTO approvals (case_id, head_id, decision, opinion, override, decided_at) VALUES (${caseId}, ${f.head.id}, 'approve', '同意', 0, '2026-11-23T03:00:00Z')`);
    expect((await verifyChain(f.core)).mismatch).toMatchObject({ table: 'approvals', message: expect.stringMatching(/没有任何事件/) });
  });

  it('a write with the triggers in place is journalled, and the next event reports it instead of vouching for it', async () => {
    await f.core.db.exec(`UPDATE cases SET title = '改过的名称' WHERE id = ${caseId}`);
    // The next legitimate use case begins while the journal holds the row.
    await decide(f.core, f.head, { caseId, decision: 'approve', opinion: '同意' });
    const v = await verifyChain(f.core);
    expect(v.mismatch).toMatchObject({ kind: 'state', table: 'cases', row: String(caseId), seq: await seqOf('approval.decide') });
    expect(v.mismatch!.message).toMatch(/未经任何事件/);
  });

  it('sign-in lockout counters are operational: changing them alone is not a record change', async () => {
    await f.core.db.run('UPDATE users SET failed_attempts = 3 WHERE id = ?', [f.handler.id]);
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM chain_pending'))).toBe(0);
    expect((await verifyChain(f.core)).ok).toBe(true);
    await tamper(f.core.db, 'users', `UPDATE users SET password_hash = 'x' WHERE id = ${f.handler.id}`);
    expect((await verifyChain(f.core)).mismatch).toMatchObject({ kind: 'state', table: 'users', field: 'password_hash' });
  });

  it('an attachment flipped on disk is named; --quick skips files and says so', async () => {
    const sha = (await f.core.db.value('SELECT sha256 FROM blobs LIMIT 1')) as string;
    const file = f.core.blobs.pathOf(sha);
    const bytes = fs.readFileSync(file);
    bytes[0] ^= 1;
    fs.writeFileSync(file, bytes);
    expect((await verifyChain(f.core)).mismatch).toMatchObject({ kind: 'file', table: 'blobs' });
    const quick = await verifyChain(f.core, { quick: true });
    expect(quick).toMatchObject({ ok: true, filesSkipped: true });
    expect(quick.message).toMatch(/未校验文件/);
    fs.rmSync(file);
    expect((await verifyChain(f.core)).mismatch?.message).toMatch(/不存在/);
  });

  it('an event rewritten with every hash after it recomputed in the old way is caught (format 2 hash)', async () => {
    const seq = await seqOf('review.issue');
    await tamper(f.core.db, 'events', `UPDATE events SET payload_json = replace(payload_json, '"agree"', '"disagree"') WHERE seq = ${seq}`);
    expect((await verifyChain(f.core)).mismatch).toMatchObject({ kind: 'chain', seq });
  });

  it('the two-core path of large SQLite stores (a worker hashes the rows) passes and names the same things', async () => {
    const before = process.env.LRW_VERIFY_WORKER;
    process.env.LRW_VERIFY_WORKER = '1';
    try {
      expect(await verifyChain(f.core)).toMatchObject({ ok: true, mismatch: null });
      const seq = await seqOf('review.issue');
      await tamper(f.core.db, 'findings', "UPDATE findings SET reason = '伪造的理由' WHERE criterion = 3");
      expect((await verifyChain(f.core)).mismatch).toMatchObject({ kind: 'row', table: 'findings', field: 'reason', seq });
      // A table earlier in the order, rows deleted: named before the finding, with the event that wrote them.
      await tamper(f.core.db, 'submission_officers', 'DELETE FROM submission_officers');
      expect((await verifyChain(f.core)).mismatch).toMatchObject({ table: 'submission_officers', seq: await seqOf('case.submit'), message: expect.stringMatching(/不存在/) });
    } finally {
      if (before === undefined) delete process.env.LRW_VERIFY_WORKER;
      else process.env.LRW_VERIFY_WORKER = before;
    }
  });

  it('the two-core path compares commitments, yet bytes that only decode to the vouched text are still caught', async () => {
    if (onPostgres) return; // the worker reads a SQLite file
    const before = process.env.LRW_VERIFY_WORKER;
    process.env.LRW_VERIFY_WORKER = 'all'; // the worker reads every table (as text)
    try {
      // A legitimate text holding U+FFFD (pasted from a damaged file, say).
      const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: '某市监罚立〔2026〕777号', facts: '经查，当事人提交的电子台账中有无法识别的字符\uFFFD1处，已另行核实。' }));
      expect(await verifyChain(f.core, { quick: true })).toMatchObject({ ok: true, mismatch: null });
      const sub = Number(await f.core.db.value('SELECT MAX(id) FROM submissions WHERE case_id = ?', [c.id]));
      // The same byte length and, decoded, the same string: F0 9F 98 (a cut-off 4-byte sequence) reads as one U+FFFD.
      await tamper(f.core.db, 'submissions', `UPDATE submissions SET payload_json = CAST(replace(CAST(payload_json AS BLOB), X'EFBFBD', X'F09F98') AS TEXT) WHERE id = ${sub}`);
      const stored = (await f.core.db.value(`SELECT hex(payload_json) FROM submissions WHERE id = ${sub}`)) as string;
      expect(stored).toContain('F09F98');
      expect((await verifyChain(f.core, { quick: true })).mismatch).toMatchObject({ kind: 'row', table: 'submissions', seq: await seqOf('case.submit') });
      // Undone, it verifies again; a row inserted outside any event is named on this path too.
      await tamper(f.core.db, 'submissions', `UPDATE submissions SET payload_json = CAST(replace(CAST(payload_json AS BLOB), X'F09F98', X'EFBFBD') AS TEXT) WHERE id = ${sub}`);
      expect(await verifyChain(f.core, { quick: true })).toMatchObject({ ok: true });
      await tamper(f.core.db, 'calendar_overrides', `INSERT INTO calendar_overrides (id, year, schedule_json, entered_by, entered_at) VALUES (999, 2027, '{}', ${f.admin.id}, '2026-11-01T00:00:00.000Z')`);
      expect((await verifyChain(f.core, { quick: true })).mismatch).toMatchObject({ table: 'calendar_overrides', message: expect.stringMatching(/没有任何事件为其担保/) });
    } finally {
      if (before === undefined) delete process.env.LRW_VERIFY_WORKER;
      else process.env.LRW_VERIFY_WORKER = before;
    }
  });

  it('reports progress through every phase', async () => {
    const phases = new Set<string>();
    await verifyChain(f.core, { onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(expect.arrayContaining(['events', 'rows', 'files']));
  });

  it('every table and column is either vouched for by the chain or named operational', async () => {
    const db = f.core.db;
    const tables = await db.column<string>(
      db.engine === 'sqlite' ? "SELECT name FROM sqlite_master WHERE type = 'table'" : 'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
    );
    const recorded = new Map(RECORD_TABLES.map((r) => [r.table, r]));
    for (const t of tables) {
      if (isOperationalTable(t)) continue;
      const rt = recorded.get(t);
      expect(rt, `table ${t} is neither a record table nor operational`).toBeDefined();
      const cols = await db.column<string>(
        db.engine === 'sqlite' ? `SELECT name FROM pragma_table_info('${t}')` : `SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' AND table_schema = current_schema()`,
      );
      const covered = new Set([...rt!.fields, ...(OPERATIONAL_COLUMNS[t] ?? [])]);
      for (const c of cols) expect(covered.has(c), `${t}.${c} is not covered`).toBe(true);
      for (const c of rt!.fields) expect(cols, `${t}.${c} is in the registry but not in the table`).toContain(c);
    }
  });

  it('the same rows digest the same on both engines: a store copied verifies (digests are engine-neutral)', async () => {
    // Covered end to end by dbcopy.test.ts; here the journal must be empty after a tx without writes.
    await tx(f.core, async () => appendEvent(f.core, f.admin, 'settings.review', null, {}));
    expect((await f.core.db.value("SELECT records FROM events WHERE seq = (SELECT MAX(seq) FROM events)")) as string).toBe('');
  });
});

describe(`upgrade from the first chain format (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('an existing store gets one baseline event vouching for its rows; a later edit is caught', async () => {
    const d = tempDir();
    const t = await freshTarget(d, 'old.sqlite');
    try {
      const upTo9 = MIGRATIONS.filter((m) => m.version <= 9);
      const at = '2026-01-01T00:00:00.000Z';
      const payload = canonicalJson({ agencyName: '某局' });
      const digest = sha256Hex(payload);
      const hash = eventHash({ seq: 1, at, actorId: null, actorName: '系统', action: 'agency.setup', caseId: null, payloadDigest: digest, prevHash: GENESIS_HASH });
      const legacy = [
        `INSERT INTO agency (id, name, doc_prefix, created_at) VALUES (1, '某局', '某罚', '${at}')`,
        `INSERT INTO events (seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash) VALUES (1, '${at}', NULL, '系统', 'agency.setup', NULL, '${payload}', '${digest}', '${GENESIS_HASH}', '${hash}')`,
      ];
      if (onPostgres) {
        const c = new pg.Client({ connectionString: t.target });
        await c.connect();
        await c.query('CREATE TABLE lrw_schema (version INTEGER NOT NULL)');
        for (const m of upTo9) {
          await c.query(m.postgres);
          await c.query('INSERT INTO lrw_schema (version) VALUES ($1)', [m.version]);
        }
        for (const q of legacy) await c.query(q);
        await c.end();
      } else {
        const raw = new Database(t.target);
        for (const m of upTo9) raw.exec(m.sqlite);
        raw.pragma('user_version = 9');
        for (const q of legacy) raw.exec(q);
        raw.close();
      }
      const core = await openCore({ dbPath: t.target, filesDir: path.join(d, 'files'), secrets: new MemorySecretStore() });
      try {
        const events = await core.db.all<{ action: string; format: number }>('SELECT action, format FROM events ORDER BY seq');
        expect(events.map((e) => [e.action, e.format])).toEqual([['agency.setup', 1], ['records.baseline', 2]]);
        expect(await verifyChain(core)).toMatchObject({ ok: true });
        // Opening again adds nothing.
        await closeCore(core);
        const again = await openCore({ dbPath: t.target, filesDir: path.join(d, 'files'), secrets: new MemorySecretStore() });
        expect(Number(await again.db.value("SELECT COUNT(*) FROM events WHERE action = 'records.baseline'"))).toBe(1);
        await tamper(again.db, 'agency', "UPDATE agency SET name = '他局'");
        expect((await verifyChain(again)).mismatch).toMatchObject({ kind: 'state', table: 'agency', field: 'name', seq: 2 });
        await closeCore(again);
      } catch (err) {
        await closeCore(core).catch(() => {});
        throw err;
      }
    } finally {
      await t.drop();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('a fresh store needs no baseline: its setup event vouches for the seeded rows', async () => {
    const d = tempDir();
    const t = await freshTarget(d, 'new.sqlite');
    const core = await openCore({ dbPath: t.target, filesDir: path.join(d, 'files'), secrets: new MemorySecretStore() });
    try {
      await setup(core, { agencyName: '某局', docPrefix: '某罚', admin: { username: 'admin', displayName: '管理员', password: 'Passw0rd!' } });
      expect(Number(await core.db.value("SELECT COUNT(*) FROM events WHERE action = 'records.baseline'"))).toBe(0);
      const setupRecords = (await core.db.value("SELECT records FROM events WHERE action = 'agency.setup'")) as string;
      expect(setupRecords).toMatch(/^catalog_versions\t/m);
      expect(await verifyChain(core)).toMatchObject({ ok: true });
    } finally {
      await closeCore(core);
      await t.drop();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
