// Many clients on one PostgreSQL database at once: 20 cores in this process (each its own pool of 2
// connections, as 20 desktops would have), every one walking cases through the workflow while the
// others do the same. Reviewers race to take the same cases (exactly one wins; every loser is told, in
// Chinese, who took it), documents are finalised in the same year
// from many clients at once (one burst of 20 at a barrier). Afterwards the record must be whole: the
// audit chain verifies, seq is contiguous, no document number is shared, and every call that resolved
// is in the database (read back through a fresh connection after all clients have closed).
// Run: LRW_TEST_ENGINE=postgres bash scripts/with-postgres.sh npx vitest run test/integration/concurrency.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allConform, CITIZEN_ID, makeFixture, ORG_CODE, PASSWORD, type Fixture } from '../helpers/fixture';
import { fullDraft } from '../unit/templates/fixture';
import { closeCore, openCore, type Actor, type Core } from '../../main/core/services/core';
import { createUser } from '../../main/core/services/users';
import { toActor } from '../../main/core/services/auth';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { verifyChain } from '../../main/core/services/audit';
import { AppError } from '../../main/core/domain/errors';
import { MemorySecretStore } from '../../main/core/secrets';
import type { Input } from '../../preload/contract';

const CLIENTS = Number(process.env.LRW_CONC_CLIENTS ?? 20);
const CASES_PER_CLIENT = Number(process.env.LRW_CONC_CASES ?? 5);
/** Reviewers racing for each case (each on a different client). */
const RACERS = 3;
const HANDLERS = 10;
const REVIEWERS = 6;
const HEADS = 4;
/** The whole walk must finish within this (a deadlock or a lost wake-up shows as a timeout, not a hang). */
const DEADLINE_MS = Number(process.env.LRW_CONC_DEADLINE_MS ?? 150_000);

interface Acked {
  caseId: number;
  caseNo: string;
  handlerId: number;
  takenBy?: number;
  reviewed?: boolean;
  approvedBy?: number;
  savedVersion?: number;
  finalVersion?: number;
  docNumber?: string;
}

interface Loser {
  caseId: number;
  reviewer: Actor;
  winnerName: string;
  err: unknown;
}

/** A barrier that fails every waiter as soon as one client fails (so the rest never hang). */
function barrier(n: number) {
  let arrived = 0;
  let open!: () => void;
  let abort!: (e: unknown) => void;
  const p = new Promise<void>((resolve, reject) => {
    open = resolve;
    abort = reject;
  });
  p.catch(() => {});
  return {
    arrive: () => {
      if (++arrived === n) open();
      return p;
    },
    abort,
  };
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const t = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not finished after ${ms} ms (deadlock or lost wake-up?)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

describe.skipIf(process.env.LRW_TEST_ENGINE !== 'postgres')('20 concurrent clients on one PostgreSQL database', () => {
  let f: Fixture;
  let savedPool: string | undefined;
  const clients: Core[] = [];
  const handlers: Actor[] = [];
  const reviewers: Actor[] = [];
  const heads: Actor[] = [];
  const acked: Acked[] = [];
  const losers: Loser[] = [];
  let eventsBefore = 0;
  let ackedEvents = 0;

  beforeAll(async () => {
    savedPool = process.env.LRW_PG_POOL;
    process.env.LRW_PG_POOL = '2';
    f = await makeFixture();
    const actor = async (username: string) => toActor((await getUserByUsername(f.core.db, username))!);
    handlers.push(f.handler, f.officer, f.officer2);
    for (let i = handlers.length; i < HANDLERS; i++) {
      await createUser(f.core, f.admin, { username: `h${i}`, displayName: `承办${i}号`, password: PASSWORD, roles: ['handler'], certNo: `执法h${i}`, certExpiry: '2028-12-31' });
      handlers.push(await actor(`h${i}`));
    }
    reviewers.push(f.reviewer, f.reviewer2);
    for (let i = reviewers.length; i < REVIEWERS; i++) {
      await createUser(f.core, f.admin, { username: `r${i}`, displayName: `审核${i}号`, password: PASSWORD, roles: ['reviewer'], qualificationNo: `A2020r${i}` });
      reviewers.push(await actor(`r${i}`));
    }
    heads.push(f.head);
    for (let i = heads.length; i < HEADS; i++) {
      await createUser(f.core, f.admin, { username: `head${i}`, displayName: `负责人${i}号`, password: PASSWORD, roles: ['agency_head'] });
      heads.push(await actor(`head${i}`));
    }
    for (let i = 0; i < CLIENTS; i++) {
      clients.push(await openCore({ dbPath: f.dbPath, filesDir: `${f.dir}/files`, now: () => f.clock.now, secrets: new MemorySecretStore() }));
    }
    eventsBefore = (await f.core.db.value<number>('SELECT COUNT(*) FROM events')) ?? 0;
  }, 120_000);

  afterAll(async () => {
    for (const c of clients.splice(0)) await closeCore(c).catch(() => {});
    await f?.close();
    if (savedPool === undefined) delete process.env.LRW_PG_POOL;
    else process.env.LRW_PG_POOL = savedPool;
  });

  const input = (i: number, k: number, handler: Actor, co: Actor): Input<'cases.submit'> => ({
    caseNo: `并发〔2026〕${i + 1}-${k + 1}号`,
    title: `并发测试第${i + 1}组第${k + 1}案`,
    kind: 'penalty',
    catalogItem: k % 2 ? 'penalty.fine_citizen' : 'penalty.fine_org',
    party:
      k % 2
        ? { type: 'citizen', name: `当事人${i}-${k}`, idNumber: CITIZEN_ID, address: '某市某区' }
        : { type: 'organization', name: `某${i}-${k}有限公司`, idNumber: ORG_CODE, address: '某市某区某路1号' },
    facts: `经查，当事人于2026年8月销售不合格电热水壶共计${100 + i * 10 + k}台（第${i + 1}组第${k + 1}案）。`,
    evidence: ['现场检查笔录', '抽样检验报告', '询问笔录'],
    legalBasis: [{ law: '中华人民共和国产品质量法', article: '第四十九条' }],
    proposedDecision: '没收违法所得，并处罚款',
    fineAmount: k % 2 ? '6000' : '80000',
    procedure: [
      { step: '立案', date: '2026-08-10' },
      { step: '告知', date: '2026-10-15' },
    ],
    officerIds: [handler.id, co.id],
    attachments: [],
  });

  it(`${CLIENTS} clients × ${CASES_PER_CLIENT} cases: one winner per race, unique document numbers, a whole record`, async () => {
    const burst = barrier(CLIENTS);
    const t0 = performance.now();
    let takeAttempts = 0;

    const walk = async (i: number) => {
      const me = clients[i];
      const handler = handlers[i % HANDLERS];
      const co = handlers[(i + 1) % HANDLERS];
      for (let k = 0; k < CASES_PER_CLIENT; k++) {
        const c = await submitCase(me, handler, input(i, k, handler, co));
        ackedEvents++;
        const a: Acked = { caseId: c.id, caseNo: c.caseNo, handlerId: handler.id };
        acked.push(a);

        // The race: RACERS reviewers on RACERS other clients take the same case at the same moment.
        const racers = Array.from({ length: RACERS }, (_, j) => ({ core: clients[(i + 1 + j + k) % CLIENTS], reviewer: reviewers[(i + j + k) % REVIEWERS] }));
        takeAttempts += racers.length;
        const results = await Promise.allSettled(racers.map((r) => takeCase(r.core, r.reviewer, c.id)));
        const won = results.flatMap((r, j) => (r.status === 'fulfilled' ? [racers[j]] : []));
        expect(won, `case ${c.caseNo}: exactly one reviewer takes it`).toHaveLength(1);
        const winner = won[0];
        ackedEvents++;
        a.takenBy = winner.reviewer.id;
        results.forEach((r, j) => {
          if (r.status === 'rejected') losers.push({ caseId: c.id, reviewer: racers[j].reviewer, winnerName: winner.reviewer.displayName, err: r.reason });
        });

        await issueReview(winner.core, winner.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，同意。' });
        ackedEvents++;
        a.reviewed = true;

        const head = heads[(i + k) % HEADS];
        await decide(clients[(i + 7) % CLIENTS], head, { caseId: c.id, decision: 'approve', opinion: '同意' });
        ackedEvents++;
        a.approvedBy = head.id;

        const p = await previewDocument(me, handler, { caseId: c.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
        const saved = await saveDocument(me, handler, { caseId: c.id, templateId: 'penalty-decision', model: p.model, draft: { ...fullDraft }, note: '初稿' });
        ackedEvents++;
        a.savedVersion = saved.version;

        // The last case of every client is finalised in one burst, all clients at once.
        if (k === CASES_PER_CLIENT - 1) await burst.arrive();
        const fin = await finalizeDocument(me, handler, { caseId: c.id, templateId: 'penalty-decision' });
        ackedEvents++;
        a.finalVersion = fin.version;
        a.docNumber = fin.docNumber ?? undefined;
      }
    };

    await withDeadline(
      Promise.all(
        clients.map((_c, i) =>
          walk(i).catch((err) => {
            burst.abort(err);
            throw err;
          }),
        ),
      ),
      DEADLINE_MS,
      `${CLIENTS} clients × ${CASES_PER_CLIENT} cases`,
    );
    const ms = performance.now() - t0;

    // Every race had losers, and each loser is told, in Chinese, who took the case.
    const total = CLIENTS * CASES_PER_CLIENT;
    expect(acked).toHaveLength(total);
    expect(losers).toHaveLength(takeAttempts - total);
    for (const l of losers) {
      expect(l.err, String(l.err)).toBeInstanceOf(AppError);
      const e = l.err as AppError;
      expect(e.code, e.message).toBe('CONFLICT');
      expect(e.message).toContain(l.winnerName);
    }
    const sample = losers[0].err as AppError;
    console.log(
      `concurrency: ${CLIENTS} clients × ${CASES_PER_CLIENT} cases walked in ${(ms / 1000).toFixed(1)} s; ${takeAttempts} take attempts, ${losers.length} refused; ` +
        `a loser read: [${sample.code}] ${sample.message} (taken by ${losers[0].winnerName})`,
    );

    // Read everything back through a fresh connection, after every client has closed.
    for (const c of clients.splice(0)) await closeCore(c);
    const check = await openCore({ dbPath: f.dbPath, filesDir: `${f.dir}/files`, secrets: new MemorySecretStore() });
    try {
      const db = check.db;
      const chain = await verifyChain(check);
      expect(chain, JSON.stringify(chain.firstBad)).toMatchObject({ ok: true, firstBad: null });
      const seq = await db.get<{ lo: number; hi: number; n: number }>('SELECT MIN(seq) AS lo, MAX(seq) AS hi, COUNT(*) AS n FROM events');
      expect(seq).toEqual({ lo: 1, hi: eventsBefore + ackedEvents, n: eventsBefore + ackedEvents });
      expect(chain.count).toBe(eventsBefore + ackedEvents);

      // Document numbers: none shared, none skipped, one per finalised document.
      const dup = await db.all('SELECT doc_number, COUNT(*) AS n FROM documents WHERE doc_number IS NOT NULL GROUP BY doc_number HAVING COUNT(*) > 1');
      expect(dup).toEqual([]);
      const numbers = acked.map((a) => a.docNumber);
      expect(new Set(numbers).size).toBe(total);
      const serials = numbers.map((n) => Number(/〔2026〕(\d+)号$/.exec(n ?? '')?.[1])).sort((x, y) => x - y);
      expect(serials).toEqual(Array.from({ length: total }, (_, j) => j + 1));
      expect(await db.value('SELECT last_serial FROM doc_serials WHERE year = 2026')).toBe(total);

      // Every acknowledged write is there, exactly as acknowledged.
      for (const a of acked) {
        const row = await db.get<{ case_no: string; state: string; reviewer_id: number; handler_id: number }>('SELECT case_no, state, reviewer_id, handler_id FROM cases WHERE id = ?', [a.caseId]);
        expect(row, `case ${a.caseNo}`).toEqual({ case_no: a.caseNo, state: 'approved', reviewer_id: a.takenBy, handler_id: a.handlerId });
        expect(await db.value('SELECT COUNT(*) FROM submissions WHERE case_id = ?', [a.caseId])).toBe(1);
        expect(await db.all('SELECT reviewer_id, outcome FROM review_rounds WHERE case_id = ?', [a.caseId])).toEqual([{ reviewer_id: a.takenBy, outcome: 'agree' }]);
        expect(await db.value('SELECT COUNT(*) FROM findings f JOIN review_rounds r ON r.id = f.review_id WHERE r.case_id = ?', [a.caseId])).toBe(9);
        expect(await db.all('SELECT head_id, decision FROM approvals WHERE case_id = ?', [a.caseId])).toEqual([{ head_id: a.approvedBy, decision: 'approve' }]);
        expect(await db.get("SELECT doc_number FROM documents WHERE case_id = ? AND template_id = 'penalty-decision'", [a.caseId])).toEqual({ doc_number: a.docNumber });
        expect(
          await db.all(
            "SELECT v.version, v.final FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.case_id = ? ORDER BY v.version",
            [a.caseId],
          ),
        ).toEqual([
          { version: a.savedVersion, final: 0 },
          { version: a.finalVersion, final: 1 },
        ]);
        const actions = await db.all<{ action: string; actor_id: number }>('SELECT action, actor_id FROM events WHERE case_id = ? ORDER BY seq', [a.caseId]);
        expect(actions, `events of ${a.caseNo}`).toEqual([
          { action: 'case.submit', actor_id: a.handlerId },
          { action: 'case.take', actor_id: a.takenBy },
          { action: 'review.issue', actor_id: a.takenBy },
          { action: 'approval.decide', actor_id: a.approvedBy },
          { action: 'document.save', actor_id: a.handlerId },
          { action: 'document.finalize', actor_id: a.handlerId },
        ]);
      }
      // The finalize event carries the number the caller was given.
      const finals = await db.all<{ case_id: number; payload_json: string }>("SELECT case_id, payload_json FROM events WHERE action = 'document.finalize'");
      const byCase = new Map(acked.map((a) => [a.caseId, a.docNumber]));
      for (const e of finals) expect((JSON.parse(e.payload_json) as { docNumber: string }).docNumber).toBe(byCase.get(e.case_id));
    } finally {
      await closeCore(check);
    }
  }, DEADLINE_MS + 60_000);
});
