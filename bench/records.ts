// Verifying the record (issue 11): a SQLite store with 1,000,000 realistic events (BENCH_RECORD_EVENTS),
// written through the real appendEvent so every event carries the digests of the rows it wrote:
// per case a submission (realistic payload, two officers), sign-ins, taking, a review with its nine
// findings, an approval, a drafted document and the close. Measured side by side in one run:
//   bound  — hashing each event's bytes separately with SHA-256 in one process (bytes already in memory),
//   bulk   — one SHA-256 over the same bytes,
//   verify — `verifyChain(core, { quick: true })`: reading the chain, every event's hash and link, every
//            record row's digest against the event that last wrote it (no stored files in this store).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeCore, openCore } from '../main/core/services/core';
import { setup } from '../main/core/services/setup';
import Database from 'better-sqlite3';
import { verifyChain } from '../main/core/services/audit';
import { createUser } from '../main/core/services/users';
import { canonicalJson, sha256Hex } from '../main/core/domain/audit';
import { CHAIN_FORMAT, eventHashV2, fieldHints, formatRecords, RECORD_TABLES, type RecordEntry, rowDigest, rowKey } from '../main/core/domain/records';
import type { SqliteStore } from '../main/core/db/sqlite';
import { MemorySecretStore } from '../main/core/secrets';
import type { Core } from '../main/core/services/core';
import { realisticCase } from './realistic';

const EVENTS = Number(process.env.BENCH_RECORD_EVENTS ?? 1_000_000);
const EVENTS_PER_CASE = 8;

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function benchRecords(): Promise<Record<string, unknown>> {
  // BENCH_RECORDS_KEEP=DIR keeps (and on the next run reuses) the written store there.
  const keep = process.env.BENCH_RECORDS_KEEP;
  const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-bench-records-'));
  const dbPath = path.join(dir, 'lrw.sqlite');
  const reuse = !!keep && fs.existsSync(dbPath);
  try {
    let core = await openCore({ dbPath, secrets: new MemorySecretStore(), now: () => new Date('2026-11-23T02:00:00Z') });
    let writeMs = 0;
    if (!reuse) writeMs = await writeStore(core);
    await core.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const events = Number(await core.db.value('SELECT COUNT(*) FROM events'));
    const rowCount = Number(await core.db.value('SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM submissions) + (SELECT COUNT(*) FROM submission_officers) + (SELECT COUNT(*) FROM review_rounds) + (SELECT COUNT(*) FROM findings) + (SELECT COUNT(*) FROM approvals) + (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM document_versions)'));
    const dbBytes = fs.statSync(dbPath).size;
    console.log(`\r  records: ${events.toLocaleString()} events, ${rowCount.toLocaleString()} record rows written in ${secs(writeMs)} (${(dbBytes / 1e6).toFixed(0)} MB)`);
    await closeCore(core);
    core = await openCore({ dbPath, secrets: new MemorySecretStore() });

    // The bound: each event's bytes (every stored field) in memory, hashed one by one; then in one go.
    const bytes: Buffer[] = [];
    for (const r of await core.db.all<Record<string, unknown>>('SELECT * FROM events ORDER BY seq')) {
      bytes.push(Buffer.from(Object.values(r).map((v) => (v === null ? '' : String(v))).join('\u0000')));
    }
    const totalBytes = bytes.reduce((n, b) => n + b.length, 0);
    let t = performance.now();
    for (const b of bytes) createHash('sha256').update(b).digest();
    const boundMs = performance.now() - t;
    t = performance.now();
    const bulk = createHash('sha256');
    for (const b of bytes) bulk.update(b);
    bulk.digest();
    const bulkMs = performance.now() - t;
    bytes.length = 0;

    const rss0 = process.memoryUsage().rss;
    t = performance.now();
    const v = await verifyChain(core, { quick: true });
    const verifyMs = performance.now() - t;
    const rss1 = process.memoryUsage().rss;
    if (!v.ok) throw new Error(`verification failed on the bench store: ${v.message}`);
    await closeCore(core);

    const perSec = (ms: number) => Math.round(events / (ms / 1000));
    console.log('\n  Verifying the record (SQLite, one run):');
    console.table([
      { what: 'bound: SHA-256 per event, bytes in memory, one process', seconds: +(boundMs / 1000).toFixed(2), 'events/s': perSec(boundMs), ratio: '1.00×' },
      { what: 'one bulk SHA-256 of the same bytes', seconds: +(bulkMs / 1000).toFixed(2), 'events/s': perSec(bulkMs), ratio: `${(bulkMs / boundMs).toFixed(2)}×` },
      { what: `verifyChain --quick (chain + ${rowCount.toLocaleString()} row digests)`, seconds: +(verifyMs / 1000).toFixed(2), 'events/s': perSec(verifyMs), ratio: `${(verifyMs / boundMs).toFixed(2)}×` },
    ]);
    return {
      events,
      recordRows: rowCount,
      eventBytes: totalBytes,
      dbMB: Math.round(dbBytes / 1e6),
      writeSeconds: +(writeMs / 1000).toFixed(1),
      boundSeconds: +(boundMs / 1000).toFixed(2),
      bulkSeconds: +(bulkMs / 1000).toFixed(2),
      verifySeconds: +(verifyMs / 1000).toFixed(2),
      verifyEventsPerSecond: perSec(verifyMs),
      verifyToBound: +(verifyMs / boundMs).toFixed(2),
      verifyRssGrowthMB: Math.round((rss1 - rss0) / 1e6),
      goal: 'verify ≤ 3 s and ≤ 2× bound for 1,000,000 events',
    };
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}


/**
 * Writes the realistic store. The set-up goes through the services; the bulk is written with raw
 * prepared statements in large transactions, each row's digest and each event's hash computed by the
 * same encoders appendEvent uses (domain/records.ts), so verification sees exactly what the app
 * writes, just faster than a million separate use cases would write it. Returns the milliseconds.
 */
async function writeStore(core: Core): Promise<number> {
  const admin = await setup(core, { agencyName: '某市市场监督管理局', docPrefix: '某市监罚', admin: { username: 'admin', displayName: '管理员甲', password: 'Passw0rd!bench' } });
  await createUser(core, admin, { username: 'handler', displayName: '张承办', password: 'Passw0rd!bench', roles: ['handler'], certNo: '执法1', certExpiry: '2028-12-31' });
  await createUser(core, admin, { username: 'officer', displayName: '李执法', password: 'Passw0rd!bench', roles: ['handler'], certNo: '执法2', certExpiry: '2028-12-31' });
  await createUser(core, admin, { username: 'reviewer', displayName: '王审核', password: 'Passw0rd!bench', roles: ['reviewer'], qualificationNo: 'A2020001' });
  await createUser(core, admin, { username: 'head', displayName: '赵局长', password: 'Passw0rd!bench', roles: ['agency_head'] });
  const raw = (core.db as SqliteStore).raw;
  const id = (u: string) => (raw.prepare('SELECT id FROM users WHERE username = ?').pluck().get(u) as number);
  const [handler, officer, reviewer, head] = ['handler', 'officer', 'reviewer', 'head'].map(id);
  const names: Record<number, string> = { [handler]: '张承办（handler）', [reviewer]: '王审核（reviewer）', [head]: '赵局长（head）' };
  const last = raw.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  let seq = last.seq;
  let prevHash = last.hash;
  const t0 = performance.now();
  const at = '2026-11-23T02:00:00.000Z';
  const opinion = '经审核，本案事实清楚，证据确实充分，适用依据正确，程序合法，处理适当。'.repeat(4);
  const model = JSON.stringify({ blocks: Array.from({ length: 8 }, (_v, i) => ({ kind: 'p', text: `第${i + 1}段：${opinion}` })) });
  const insEvent = raw.prepare(`INSERT INTO events (seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash, format, records)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${CHAIN_FORMAT}, ?)`);
  const ins: Record<string, Database.Statement> = {};
  const entries: RecordEntry[] = [];
  /** Inserts a row (values in the registry's field order) and notes its digest for the next event. */
  const row = (table: string, values: unknown[]) => {
    const rt = RECORD_TABLES.find((r) => r.table === table)!;
    const set = rt.fields.filter((f) => !rt.key.includes(f)).map((f) => `${f} = excluded.${f}`).join(', ');
    ins[table] ??= raw.prepare(`INSERT INTO ${table} (${rt.fields.join(', ')}) VALUES (${rt.fields.map(() => '?').join(', ')})
      ON CONFLICT (${rt.key.join(', ')}) DO ${set ? `UPDATE SET ${set}` : 'NOTHING'}`);
    ins[table].run(...values);
    const i = entries.findIndex((e) => e.table === table && e.key === rowKey(rt, values));
    const e = { table, key: rowKey(rt, values), digest: rowDigest(table, values), hints: fieldHints(values) };
    if (i >= 0) entries[i] = e;
    else entries.push(e);
  };
  const event = (actorId: number, action: string, caseId: number | null, payload: unknown) => {
    seq++;
    const payloadJson = canonicalJson(payload);
    const payloadDigest = sha256Hex(payloadJson);
    entries.sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const records = formatRecords(entries);
    entries.length = 0;
    const hash = eventHashV2({ seq, at, actorId, actorName: names[actorId], action, caseId, payloadJson, payloadDigest, records, prevHash });
    insEvent.run(seq, at, actorId, names[actorId], action, caseId, payloadJson, payloadDigest, prevHash, hash, records);
    prevHash = hash;
  };
  // Explicit ids: each row is inserted once, except the case row, updated as its state moves.
  const cases = Math.ceil((EVENTS - seq) / EVENTS_PER_CASE);
  const write = raw.transaction((from: number, to: number) => {
    for (let j = from; j < to; j++) {
      const c = realisticCase(j, [handler, officer]);
      c.facts = c.facts.slice(0, 200); // the guide's realistic case: 200-character facts
      const caseId = j + 1;
      const caseRow = (state: string, reviewerId: number | null, outcome: string | null) =>
        [caseId, `B-${j}`, c.kind, c.title, c.party.name, state, 1, handler, reviewerId, outcome, 0, 2, 'penalty.large_fine', at, at, 1];
      row('cases', caseRow('submitted', null, null));
      row('submissions', [caseId, caseId, 1, JSON.stringify(c), null, handler, at]);
      row('submission_officers', [caseId, handler]);
      row('submission_officers', [caseId, officer]);
      event(handler, 'case.submit', caseId, { caseId, round: 1 });
      event(reviewer, 'user.signin', null, {});
      row('cases', caseRow('under_review', reviewer, null));
      event(reviewer, 'case.take', caseId, { caseId });
      row('review_rounds', [caseId, caseId, 1, 'review', reviewer, 'agree', opinion, '[]', '', at]);
      for (let k = 1; k <= 9; k++) row('findings', [caseId, k, 'conform', `第${k}项：符合规定，经核查材料齐全。`]);
      row('cases', caseRow('reviewed', reviewer, 'agree'));
      event(reviewer, 'review.issue', caseId, { caseId, reviewId: caseId, outcome: 'agree' });
      event(head, 'user.signin', null, {});
      row('approvals', [caseId, caseId, head, 'approve', '同意', 'agree', 0, null, at, null, null]);
      row('cases', caseRow('approved', reviewer, 'agree'));
      event(head, 'approval.decide', caseId, { caseId, decision: 'approve' });
      row('documents', [caseId, caseId, 'penalty-decision', null, handler, at]);
      row('document_versions', [caseId, caseId, 1, model, null, 'x', 0, '', handler, at]);
      event(handler, 'document.save', caseId, { documentId: caseId, version: 1 });
      row('cases', caseRow('closed', reviewer, 'agree'));
      event(handler, 'case.close', caseId, { caseId });
    }
    // The events above vouch for every row; the journal the triggers filled is settled.
    raw.exec('DELETE FROM chain_pending');
  });
  for (let i = 0; i < cases; i += 2000) {
    write(i, Math.min(cases, i + 2000));
    process.stdout.write(`\r  records: writing ${seq.toLocaleString()} / ${EVENTS.toLocaleString()} events…`);
  }
  return performance.now() - t0;
}
