// 待办 per role, as each user gets it (issue 12): the chair's minutes until locked, the handler's own
// open cases with their clocks (returned and rejected ones flagged), the legal office head's due and
// overdue reviews and extension requests, the secretary's escalated cases until they are on an agenda,
// the administrator's first-run checklist, and never a case the user may not read. On PostgreSQL every
// queue here is read through the application's role, as that user: row security applies.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, defectFindings, extraHeads, custodians, makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { freshTarget, onPostgres } from '../helpers/engine';
import { closeCore, openCore, type Actor, type Core } from '../../main/core/services/core';
import { caseDetail, closeCase, queue as queueOf, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { archiveCase } from '../../main/core/services/caseFiles';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { confirmAgenda, createMeeting, decideItem, lockMeeting, meetingView, saveRecord } from '../../main/core/services/meetings';
import { requestExtension } from '../../main/core/services/extensions';
import { importCalendarYear } from '../../main/core/services/deadlines';
import { createTrialIdentityFor, setSeal } from '../../main/core/services/issue';
import { setup } from '../../main/core/services/setup';
import { createUser } from '../../main/core/services/users';
import { toActor } from '../../main/core/services/auth';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { verifyChain } from '../../main/core/services/audit';
import { MemorySecretStore } from '../../main/core/secrets';
import type { QueueView } from '../../main/core/domain/views';

let f: Fixture;
let head2: Actor;
let head3: Actor;
const opened: Core[] = [];
beforeEach(async () => {
  f = await makeFixture();
  [head2, head3] = await extraHeads(f);
});
afterEach(async () => {
  for (const c of opened.splice(0)) await closeCore(c);
  await f.close();
});

/** The same store as the application's role (PostgreSQL), on the fixture's clock. */
let appCore: Core | null = null;
async function app(): Promise<Core> {
  if (appCore && opened.includes(appCore)) return appCore;
  const u = new URL(process.env.LRW_PG_ADMIN_URL!);
  u.username = 'lrw_app';
  u.pathname = new URL(f.core.dbPath.replace('***', 'x')).pathname;
  appCore = await openCore({ dbPath: u.toString(), filesDir: path.join(f.dir, 'files'), now: () => f.clock.now });
  opened.push(appCore);
  return appCore;
}

/** The user's queue as the running app computes it: on PostgreSQL as the application role acting for the user. */
async function q(actor: Actor, core?: Core): Promise<QueueView> {
  if (core) return await queueOf(core, actor);
  if (!onPostgres) return await queueOf(f.core, actor);
  const a = await app();
  return await a.db.actingAs(actor.id, async () => await queueOf(a, actor));
}

const ids = (v: QueueView) => v.items.map((i) => i.id);
const reasonOf = (v: QueueView, id: number) => v.items.find((i) => i.id === id)?.reason;
/** 10:00 China time on a date. */
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

/** A case the legal office disagreed with twice, escalated by the handler: it waits for the heads' meeting. */
async function escalated(caseNo: string) {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: defectFindings(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '第四十九条适用于本案情形' });
  await takeCase(f.core, f.reviewer2, c.id);
  await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: defectFindings(), outcome: 'disagree', opinion: '复审维持不同意意见' });
  await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持原意见' });
  return c;
}

const meetingOf = (caseIds: number[]) =>
  createMeeting(f.core, f.secretary, {
    title: '2026年第12次局长办公会议',
    scheduledAt: '2026-11-25T09:00:00+08:00',
    place: '第一会议室',
    chairId: f.head.id,
    attendeeIds: [f.head.id, head2.id, head3.id],
    caseIds,
  });

const attendance = () => [
  { userId: f.head.id, present: true },
  { userId: head2.id, present: true },
  { userId: head3.id, present: false, absenceReason: '出差' },
];

describe('the chair', () => {
  it('sees the minutes waiting for him, from the agenda to the lock, and no longer once they are locked', async () => {
    const c = await escalated('M-1');
    expect((await q(f.head)).meetings).toEqual([]);
    const m = await meetingOf([c.id]);
    let chair = await q(f.head);
    expect(chair.meetings).toMatchObject([{ meetingId: m.id, items: 1, undecided: 1, agendaConfirmed: false, reason: '会议议题待您确定', watch: false }]);
    expect(chair.counts).toMatchObject({ meetings: 1, queue: 1 });
    // Another head attending is not the chair: nothing waits for him.
    expect((await q(head2)).meetings).toEqual([]);
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    expect((await q(f.head)).meetings[0].reason).toBe('会议进行中：1项议题待您听取意见后宣布决定');
    // In discussion the case has no running clock; the minutes say so.
    expect((await meetingView(f.core, f.head, m.id)).items[0].clock).toBeNull();
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      attendance: attendance(),
      items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'agree' }, { userId: head2.id, stance: 'agree' }] }],
    });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意按拟定意见作出处罚决定' });
    chair = await q(f.head);
    expect(chair.meetings).toMatchObject([{ meetingId: m.id, undecided: 0, reason: '会议纪要待您确认并锁定', watch: false }]);
    expect(chair.counts.meetings).toBe(1);
    // The secretary sees the same meeting waiting on the chair (watched, not counted).
    const sec = await q(f.secretary);
    expect(sec.meetings).toMatchObject([{ meetingId: m.id, reason: '会议纪要待主持人赵局长确认锁定', watch: true }]);
    expect(sec.counts.meetings).toBe(0);

    await lockMeeting(f.core, f.head, m.id);
    chair = await q(f.head);
    expect(chair.meetings).toEqual([]);
    expect(chair.counts.meetings).toBe(0);
    // Approved at the meeting: the publication clock runs, and the minutes show it beside the item.
    const clock = (await meetingView(f.core, f.head, m.id)).items[0].clock;
    expect(clock).toMatchObject({ kind: 'publication', remaining: 7, remainingLabel: '剩余7个工作日', provisional: false });
    // The clock is shown, not recorded: the record of the lock verifies as before.
    expect((await verifyChain(f.core)).ok).toBe(true);
  });
});

describe('the handler', () => {
  it('sees every own open case with its state and clock right after submitting; returned and rejected ones are flagged', async () => {
    const a = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'H-1' }));
    let h = await q(f.handler);
    // Nothing waits for the handler yet, but the case is in the picture with its running clock.
    expect(h.items).toEqual([]);
    expect(h.counts.queue).toBe(0);
    expect(h.mine).toMatchObject([
      {
        id: a.id,
        state: 'submitted',
        progress: '已送审，待法制审核人员领取',
        flag: null,
        clock: { kind: 'review', remaining: 5, remainingLabel: '剩余5个工作日', due: '2026-11-30', provisional: false },
        reviewClock: { kind: 'review', remaining: 5 },
      },
    ]);

    // Returned for supplement: waiting for the handler, flagged in the list, its clock stopped.
    f.clock.now = at('2026-11-24');
    const b = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'H-2' }));
    await takeCase(f.core, f.reviewer, b.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
    await issueReview(f.core, f.reviewer, { caseId: b.id, findings, outcome: 'return', requests: ['补充检验报告'] });

    // Rejected by the head against the legal office's 同意 (declared): back with the handler, flagged.
    const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'H-3' }));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    await decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '不予批准', override: { declared: true, reason: '社会影响需进一步评估' } });

    // Approved: the publication clock is the one that runs now.
    const d = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'H-4' }));
    await takeCase(f.core, f.reviewer, d.id);
    await issueReview(f.core, f.reviewer, { caseId: d.id, findings: allConform(), outcome: 'agree' });
    await decide(f.core, f.head, { caseId: d.id, decision: 'approve', opinion: '同意' });

    h = await q(f.handler);
    expect(reasonOf(h, b.id)).toBe('已退回，待补正后重新送审');
    expect(reasonOf(h, c.id)).toBe('未获批准：修改处理方案重新送审，或提出终结意见');
    expect(reasonOf(h, d.id)).toBe('已决定，待办结');
    expect(ids(h)).not.toContain(a.id);
    expect(h.counts.queue).toBe(3);
    const mine = new Map(h.mine!.map((m) => [m.id, m]));
    expect(h.mine!.map((m) => m.id).slice(0, 2).sort()).toEqual([b.id, c.id].sort()); // flagged first
    expect(mine.get(b.id)).toMatchObject({ state: 'returned', flag: 'returned', clock: null, progress: '已退回，待您补正后重新送审' });
    expect(mine.get(c.id)).toMatchObject({ state: 'rejected', flag: 'rejected' });
    expect(mine.get(d.id)).toMatchObject({ state: 'approved', flag: null, progress: '已批准，待您登记送达、执行后办结', clock: { kind: 'publication', remainingLabel: '剩余7个工作日' } });
    expect(mine.get(a.id)).toMatchObject({ state: 'submitted', clock: { kind: 'review', remaining: 4 } });

    // A closed case still waits for 归档, on its 30-day archive clock; archived, it leaves the list.
    await serveAndCarryOut(f.core, f.handler, d.id);
    await closeCase(f.core, f.handler, d.id);
    h = await q(f.handler);
    expect(reasonOf(h, d.id)).toBe('已办结，待组卷归档（30日内）');
    expect(h.mine!.find((m) => m.id === d.id)).toMatchObject({ state: 'closed', progress: '已办结，待您归档（办结后30日内）' });
    const [keeper] = await custodians(f);
    await archiveCase(f.core, f.handler, { caseId: d.id, custodianId: keeper.id });
    h = await q(f.handler);
    expect(h.mine!.map((m) => m.id)).not.toContain(d.id);
    expect(ids(h)).not.toContain(d.id);
  });
});

describe('the legal office head', () => {
  it('sees reviews due today and overdue first (counted), the others watched, and extension requests to decide', async () => {
    const x = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'L-1' })); // due 11-30
    f.clock.now = at('2026-11-25');
    const y = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'L-2' })); // due 12-02
    let lh = await q(f.legalHead);
    expect(lh.items.map((i) => [i.id, i.reason, i.watch])).toEqual([
      [x.id, '审核进行中（督办）', true],
      [y.id, '审核进行中（督办）', true],
    ]);
    expect(lh.counts).toMatchObject({ queue: 0, overdue: 0 });

    f.clock.now = at('2026-11-30');
    lh = await q(f.legalHead);
    expect(lh.items.map((i) => [i.id, i.reason, i.watch, i.reviewClock?.remainingLabel])).toEqual([
      [x.id, '审核期限今日到期，请督办', false, '今日到期'],
      [y.id, '审核进行中（督办）', true, '剩余2个工作日'],
    ]);
    expect(lh.counts).toMatchObject({ queue: 1, overdue: 1 });

    f.clock.now = at('2026-12-01');
    await takeCase(f.core, f.reviewer, y.id);
    await requestExtension(f.core, f.reviewer, { caseId: y.id, reason: '涉及三个法律关系，需调取外地证据' });
    lh = await q(f.legalHead);
    expect(lh.items.map((i) => [i.id, i.reason, i.watch ?? false])).toEqual([
      [y.id, '审核人员申请延长审核期限，待批准', false],
      [x.id, '审核已逾期，请督办', false],
    ]);
    expect(lh.items.find((i) => i.id === x.id)?.reviewClock).toMatchObject({ state: 'overdue', remainingLabel: '已逾期1个工作日' });
    expect(lh.counts).toMatchObject({ queue: 2, overdue: 1 });
    // The agency head is not the approver by default: no extension request in his queue.
    expect((await q(f.head)).items.map((i) => i.reason)).not.toContain('审核人员申请延长审核期限，待批准');
  });
});

describe('the secretary', () => {
  it('sees escalated cases until they are on an agenda, and again when the minutes were locked without deciding them', async () => {
    const c = await escalated('S-1');
    let sec = await q(f.secretary);
    expect(reasonOf(sec, c.id)).toBe('已提请集体讨论，待列入负责人会议议题');
    expect(sec.counts.queue).toBe(1);
    expect(reasonOf(await q(f.legalHead), c.id)).toContain('集体讨论');

    const m = await meetingOf([c.id]);
    sec = await q(f.secretary);
    expect(ids(sec)).not.toContain(c.id);
    expect(ids(await q(f.legalHead))).not.toContain(c.id);
    expect(sec.meetings).toMatchObject([{ meetingId: m.id, reason: '议题待主持人赵局长确定', watch: true }]);
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    sec = await q(f.secretary);
    expect(sec.meetings).toMatchObject([{ meetingId: m.id, reason: '会议记录：1项议题待记录决定', watch: false }]);
    expect(sec.counts).toMatchObject({ queue: 1, meetings: 1 });

    // Locked without a decision on the item: the case waits for a later meeting, so for the secretary again.
    await saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: attendance() });
    await lockMeeting(f.core, f.head, m.id);
    sec = await q(f.secretary);
    expect(sec.meetings).toEqual([]);
    expect(reasonOf(sec, c.id)).toBe('已提请集体讨论，待列入负责人会议议题');
  });
});

describe('the administrator', () => {
  it('a first-run administrator gets the setup steps as a checklist, each ticked as the store gets there', async () => {
    const dir = tempDir();
    const t = await freshTarget(dir);
    const clock = { now: at('2026-12-10') };
    const core = await openCore({ dbPath: t.target, filesDir: t.filesDir, now: () => clock.now, secrets: new MemorySecretStore() });
    opened.push(core);
    try {
      const admin = await setup(core, { agencyName: '某县市场监督管理局', docPrefix: '某县市监罚', admin: { username: 'admin', displayName: '管理员', password: PASSWORD } });
      let v = await q(admin, core);
      expect(v.items).toEqual([]);
      const step = (key: string) => v.setup!.find((s) => s.key === key)!;
      expect(v.setup!.map((s) => [s.key, s.done])).toEqual([
        ['admins', false],
        ['users', false],
        ['calendar', false],
        ['seal', false],
        ['certificates', false],
      ]);
      expect(step('users').detail).toContain('尚无在用的承办人、法制审核人员、法制机构负责人、机关负责人、会议秘书');
      // 10 December: a review started now runs into 2027, whose official schedule is not entered yet.
      expect(step('calendar').detail).toContain('2027年');
      expect(step('certificates').detail).toBe('尚无签发文书的人员。');
      expect(v.counts.queue).toBe(5);

      const make = async (username: string, displayName: string, roles: ('handler' | 'reviewer' | 'legal_head' | 'agency_head' | 'secretary' | 'sec_admin' | 'audit_admin')[]) => {
        await createUser(core, admin, { username, displayName, password: PASSWORD, roles, ...(roles.includes('handler') && { certNo: `执法${username}`, certExpiry: '2028-12-31' }), ...(roles.includes('reviewer') && { qualificationNo: `A${username}` }) });
        return toActor((await getUserByUsername(core.db, username))!);
      };
      const handler = await make('zhang', '张承办', ['handler']);
      v = await q(admin, core);
      expect(step('users').detail).not.toContain('承办人、');
      expect(step('users').done).toBe(false);
      const others = [await make('wang', '王审核', ['reviewer']), await make('zhou', '周法制', ['legal_head']), await make('zhao', '赵局长', ['agency_head']), await make('wu', '吴秘书', ['secretary'])];
      v = await q(admin, core);
      expect(step('users')).toMatchObject({ done: true, route: 'users' });
      expect(step('certificates').detail).toContain('张承办');

      await importCalendarYear(core, admin, { year: 2027, source: '国办发明电〔2026〕×号（测试）', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] });
      await setSeal(core, admin, { pngBase64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64') });
      for (const u of [handler, ...others]) await createTrialIdentityFor(core, u);
      v = await q(admin, core);
      expect(v.setup!.filter((s) => !s.done).map((s) => s.key)).toEqual(['admins']);
      expect(step('certificates').detail).toBe('签发文书的5人均已有在用的签名证书。');
      expect(v.counts.queue).toBe(1);

      await make('sec', '安全管理员', ['sec_admin']);
      await make('aud', '审计管理员', ['audit_admin']);
      v = await q(admin, core);
      expect(v.setup!.every((s) => s.done)).toBe(true);
      expect(v.counts.queue).toBe(0);
      // Other users get no checklist.
      expect((await q(handler, core)).setup).toBeNull();
    } finally {
      await closeCore(core);
      opened.splice(opened.indexOf(core), 1);
      await t.drop();
    }
  });
});

describe('what a user may not read', () => {
  it('never appears in their queue, whichever role they hold', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'R-1' }));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充检验报告'] });
    const d = await escalated('R-2');
    // Another handler, not on the cases: nothing at all.
    const other = await q(f.officer2);
    expect(other.items).toEqual([]);
    expect(other.mine).toEqual([]);
    // The acting officer may read the cases, but they are not his submissions and wait for the handler.
    const officer = await q(f.officer);
    expect(officer.items).toEqual([]);
    expect(officer.mine).toEqual([]);
    // The administrators never read case contents.
    const admin = await q(f.admin);
    expect(admin.items).toEqual([]);
    expect(admin.mine).toBeNull();
    expect(admin.meetings).toEqual([]);
    // The handler: the returned case waits for him, both are in his list; the secretary gets the escalated one.
    const h = await q(f.handler);
    expect(ids(h)).toEqual([c.id]);
    expect(new Set(h.mine!.map((m) => m.id))).toEqual(new Set([c.id, d.id]));
    expect(ids(await q(f.secretary))).toEqual([d.id]);
    expect((await caseDetail(f.core, f.handler, d.id)).state).toBe('in_discussion');
  });
});

describe('the queue stays cheap', () => {
  /** Counts the statements `fn` sends to the store (every read and write through the Db interface). */
  async function statements(fn: () => Promise<unknown>): Promise<number> {
    const db = f.core.db as unknown as Record<string, (...a: unknown[]) => unknown>;
    const names = ['all', 'get', 'value', 'column', 'run', 'insert', 'exec'];
    const saved = names.map((n) => db[n]);
    let count = 0;
    names.forEach((n, i) => {
      db[n] = (...a: unknown[]) => {
        count++;
        return saved[i].apply(f.core.db, a);
      };
    });
    try {
      await fn();
    } finally {
      names.forEach((n, i) => {
        db[n] = saved[i];
      });
    }
    return count;
  }

  it('reads the same number of statements for one case as for many, for every role', async () => {
    const actors = { handler: f.handler, reviewer: f.reviewer, legalHead: f.legalHead, head: f.head, secretary: f.secretary, admin: f.admin };
    const count = async () => {
      const out: Record<string, number> = {};
      for (const [k, a] of Object.entries(actors)) out[k] = await statements(() => queueOf(f.core, a));
      return out;
    };
    // One of each: a fresh case, one returned, one approved, one escalated.
    const mixed = async (n: number) => {
      await submitCase(f.core, f.handler, caseInput(f, { caseNo: `P-${n}-1` }));
      const r = await submitCase(f.core, f.handler, caseInput(f, { caseNo: `P-${n}-2` }));
      await takeCase(f.core, f.reviewer, r.id);
      const findings = allConform();
      findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少检验报告' };
      await issueReview(f.core, f.reviewer, { caseId: r.id, findings, outcome: 'return', requests: ['补充检验报告'] });
      const a = await submitCase(f.core, f.handler, caseInput(f, { caseNo: `P-${n}-3` }));
      await takeCase(f.core, f.reviewer2, a.id);
      await issueReview(f.core, f.reviewer2, { caseId: a.id, findings: allConform(), outcome: 'agree' });
      await decide(f.core, f.head, { caseId: a.id, decision: 'approve', opinion: '同意' });
      await escalated(`P-${n}-4`);
    };
    await mixed(1);
    const one = await count();
    for (let n = 2; n <= 5; n++) await mixed(n);
    const many = await count();
    expect(many).toEqual(one);
    // And the handler's five times as many rows are all there.
    expect((await queueOf(f.core, f.handler)).mine).toHaveLength(20);
  });
});
