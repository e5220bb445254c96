// PostgreSQL's second wall: the application's role sees a case only when the acting user may read it,
// whatever query a service runs; the reader role reads everything and writes nothing.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { onPostgres } from '../helpers/engine';
import { refused } from '../helpers/refuse';
import { submitCase } from '../../main/core/services/cases';
import { getCase } from '../../main/core/db/repos/cases';
import { closeCore, openCore, type Core } from '../../main/core/services/core';
import { verifyChain } from '../../main/core/services/audit';
import { dispatch } from '../../main/core/api';
import { setSetting } from '../../main/core/db/repos/deadlines';

let f: Fixture;
const opened: Core[] = [];
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  for (const c of opened.splice(0)) await closeCore(c);
  await f.close();
});

/** The same store, connected as another database role. */
async function as(role: string): Promise<Core> {
  const u = new URL(process.env.LRW_PG_ADMIN_URL!);
  u.username = role;
  u.pathname = new URL(f.core.dbPath.replace('***', 'x')).pathname;
  const c = await openCore({ dbPath: u.toString(), filesDir: path.join(f.dir, 'files') });
  opened.push(c);
  return c;
}

describe.skipIf(!onPostgres)('row-level security (PostgreSQL)', () => {
  it('the application role sees a case only as someone who may read it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const app = await as('lrw_app');
    const visible = (userId: number | null) =>
      app.db.actingAs(userId, async () => ({
        cases: (await app.db.all('SELECT id FROM cases')).length,
        submissions: (await app.db.all('SELECT id FROM submissions')).length,
        search: (await app.db.all('SELECT case_id FROM case_search')).length,
        // A service that forgot its check still gets nothing.
        row: (await getCase(app.db, c.id))?.id ?? null,
      }));
    const none = { cases: 0, submissions: 0, search: 0, row: null };
    const all = { cases: 1, submissions: 1, search: 1, row: c.id };
    expect(await visible(f.handler.id)).toEqual(all);
    expect(await visible(f.officer.id)).toEqual(all); // acting officer of the submission
    expect(await visible(f.reviewer.id)).toEqual(all);
    expect(await visible(f.head.id)).toEqual(all);
    expect(await visible(f.officer2.id)).toEqual(none); // another handler, not involved
    expect(await visible(f.admin.id)).toEqual(none);
    expect(await visible(null)).toEqual(none);
    // Outside a request nobody is acting: nothing.
    expect((await app.db.all('SELECT id FROM cases')).length).toBe(0);
  });

  it('one pooled connection serving users in turn carries none of them to the next request, also after a sign-in or a failure', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const before = process.env.LRW_PG_POOL;
    process.env.LRW_PG_POOL = '1';
    let app: Core;
    try {
      app = await as('lrw_app');
    } finally {
      if (before === undefined) delete process.env.LRW_PG_POOL;
      else process.env.LRW_PG_POOL = before;
    }
    const cases = () => app.db.column<number>('SELECT id FROM cases');
    const seen = (userId: number | null) => app.db.actingAs(userId, cases);
    for (let round = 0; round < 2; round++) {
      expect(await seen(f.handler.id)).toEqual([c.id]);
      expect(await cases()).toEqual([]);
      expect(await seen(f.reviewer.id)).toEqual([c.id]);
      expect(await seen(null)).toEqual([]);
      expect(await seen(f.reviewer.id)).toEqual([c.id]);
      expect(await seen(f.officer2.id)).toEqual([]);
      expect(await cases()).toEqual([]);
    }
    // A request that becomes a user (sign-in) leaves the connection to nobody too.
    expect(await app.db.actingAs(null, async () => {
      const first = await cases();
      await app.db.setActingUser(f.handler.id);
      return [first, await cases()];
    })).toEqual([[], [c.id]]);
    expect(await cases()).toEqual([]);
    expect(await seen(null)).toEqual([]);
    // A request that fails half-way does not either.
    await expect(app.db.actingAs(f.handler.id, async () => {
      await cases();
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await cases()).toEqual([]);
    expect(await seen(null)).toEqual([]);
    // Inside a transaction a sign-in's user holds for that transaction only.
    expect(await app.db.actingAs(null, async () => {
      const inside = await app.db.tx(async () => {
        await app.db.setActingUser(f.handler.id);
        return await cases();
      });
      return [inside, await cases()];
    })).toEqual([[c.id], []]);
    expect(await cases()).toEqual([]);
  });

  it('an ending proposal and its review steps are visible only to those who may read the case', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const endingId = await f.core.db.insert("INSERT INTO endings (case_id, cycle, kind, reason, proposed_by, proposed_at) VALUES (?, 1, 'no_penalty', '事实不能成立', ?, '2026-11-23T02:00:00Z')", [c.id, f.handler.id]);
    await f.core.db.run("INSERT INTO ending_steps (ending_id, step, outcome, opinion, by_id, at) VALUES (?, 'review', 'agree', '同意', ?, '2026-11-23T03:00:00Z')", [endingId, f.reviewer.id]);
    const app = await as('lrw_app');
    const seen = (userId: number) =>
      app.db.actingAs(userId, async () => [(await app.db.all('SELECT id FROM endings')).length, (await app.db.all('SELECT id FROM ending_steps')).length]);
    expect(await seen(f.handler.id)).toEqual([1, 1]);
    expect(await seen(f.reviewer.id)).toEqual([1, 1]);
    expect(await seen(f.officer2.id)).toEqual([0, 0]);
    expect(await seen(f.admin.id)).toEqual([0, 0]);
  });

  it('a request to extend the review period and its decision are visible only to those who may read the case', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const periodId = (await f.core.db.value('SELECT id FROM periods WHERE case_id = ? ORDER BY id LIMIT 1', [c.id])) as number;
    const requestId = await f.core.db.insert("INSERT INTO extension_requests (case_id, period_id, reason, requested_by, requested_at) VALUES (?, ?, '案情复杂', ?, '2026-11-23T02:00:00Z')", [c.id, periodId, f.reviewer.id]);
    await f.core.db.run("INSERT INTO extension_decisions (request_id, decision, reason, decided_by, decided_at) VALUES (?, 'approve', '同意', ?, '2026-11-23T03:00:00Z')", [requestId, f.legalHead.id]);
    const app = await as('lrw_app');
    const seen = (userId: number) =>
      app.db.actingAs(userId, async () => [(await app.db.all('SELECT id FROM extension_requests')).length, (await app.db.all('SELECT id FROM extension_decisions')).length]);
    expect(await seen(f.handler.id)).toEqual([1, 1]);
    expect(await seen(f.legalHead.id)).toEqual([1, 1]);
    expect(await seen(f.officer2.id)).toEqual([0, 0]);
    expect(await seen(f.admin.id)).toEqual([0, 0]);
  });

  it('the whole workflow runs through the bridge as the application role, and an uninvolved user finds nothing', async () => {
    const app = await as('lrw_app');
    const s = { userId: f.handler.id };
    const r = await dispatch(app, s, 'cases.submit', caseInput(f));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const other = await dispatch(app, { userId: f.officer2.id }, 'cases.search', { query: '', limit: 20, offset: 0 });
    expect(other).toMatchObject({ ok: true, value: { total: 0 } });
    const reviewer = await dispatch(app, { userId: f.reviewer.id }, 'cases.search', { query: '电热水壶', limit: 20, offset: 0 });
    expect(reviewer).toMatchObject({ ok: true, value: { total: 1 } });
    expect((await verifyChain(app)).ok).toBe(true);
  });

  it('the reader role reads every record and may write none, and says so', async () => {
    await submitCase(f.core, f.handler, caseInput(f));
    const reader = await as('lrw_reader');
    expect(await reader.db.readOnly()).toBe(true);
    expect(await reader.db.role()).toBe('lrw_reader');
    expect((await reader.db.all('SELECT id FROM cases')).length).toBe(1);
    const v = await verifyChain(reader);
    expect(v.ok).toBe(true);
    expect(v.count).toBeGreaterThan(5);
    await refused(() => reader.db.tx(() => setSetting(reader.db, 'x', 1, '2026-01-01')), 'READ_ONLY_ROLE');
    expect(await f.core.db.value("SELECT COUNT(*) FROM settings WHERE key = 'x'")).toBe(0);
  });
});
