// Stale writes refused by version (issue 14, point 4): two desks read the same record, one writes, the
// other's write — based on the version it read — is refused with STALE, a Chinese message naming who
// changed the record and when, and nothing changes; a write naming the fresh version passes. Through
// the handler table (the contract every caller speaks), on SQLite and on PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { toActor } from '../../main/core/services/auth';
import { createUser } from '../../main/core/services/users';
import { verifyChain } from '../../main/core/services/audit';
import type { Channel, Input, Outputs } from '../../preload/contract';
import { defectFindings, allConform, caseInput, extraHeads, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { onPostgres } from '../helpers/engine';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

/** A desk: one signed-in session of a user (two desks of one user are two sessions). */
const desk = (userId: number): Session => ({ userId });

async function ok<C extends Channel>(s: Session, channel: C, input: Input<C>): Promise<Outputs[C]> {
  const r = await dispatch(f.core, s, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Outputs[C];
}

async function stale<C extends Channel>(s: Session, channel: C, input: Input<C>): Promise<{ message: string; details: { currentVersion: number; by: string } }> {
  const r = await dispatch(f.core, s, channel, input);
  expect(r.ok, `${channel} should be refused`).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.error.code).toBe('STALE');
  return r.error as { message: string; details: { currentVersion: number; by: string } };
}

const eventCount = async () => Number(await f.core.db.value('SELECT COUNT(*) FROM events'));

// The fixture's clock: 2026-11-23T02:00:00Z is 10:00 in China Standard Time.
const AT = '2026年11月23日 10:00';

describe(`stale writes refused by version (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('case materials: a resubmission based on the case before the reviewer returned it is refused, naming the reviewer; with the fresh version it passes', async () => {
    const handlerDesk = desk(f.handler.id);
    const reviewerDesk = desk(f.reviewer.id);
    const c = await ok(handlerDesk, 'cases.submit', caseInput(f, { caseNo: 'STALE-1' }));
    await ok(reviewerDesk, 'reviews.take', { caseId: c.id });
    const read = await ok(handlerDesk, 'cases.get', { caseId: c.id });
    expect(read.version).toBeGreaterThan(0);
    f.clock.now = new Date('2026-11-23T02:00:30Z');
    const returned = await ok(reviewerDesk, 'reviews.issue', { caseId: c.id, findings: defectFindings(), outcome: 'return', requests: ['补充第四项的适用依据'], expectedVersion: 0 });
    expect(returned.version).toBeGreaterThan(read.version);

    const before = await eventCount();
    const resubmit = { caseId: c.id, case: caseInput(f, { caseNo: 'STALE-1', title: '改过的案件名称' }), changeNote: '已补充适用依据' };
    const refusal = await stale(handlerDesk, 'cases.resubmit', { ...resubmit, expectedVersion: read.version });
    expect(refusal.message).toBe(`该案件已被王审核于${AT}更新，请刷新后再修改。`);
    expect(refusal.details).toMatchObject({ currentVersion: returned.version, by: '王审核' });
    // Nothing changed: same state, round, title, no new submission, no event.
    const after = await ok(handlerDesk, 'cases.get', { caseId: c.id });
    expect(after).toMatchObject({ state: 'returned', round: 1, title: c.title, version: returned.version });
    expect(after.submissions).toHaveLength(1);
    expect(await eventCount()).toBe(before);

    // Reloaded: the fresh version passes, and the version moves on.
    const done = await ok(handlerDesk, 'cases.resubmit', { ...resubmit, expectedVersion: after.version });
    expect(done).toMatchObject({ state: 'submitted', round: 2, title: '改过的案件名称' });
    expect(done.version).toBeGreaterThan(after.version);
    // Without a version (lrw, automation) the write is not checked; the refusal left the chain whole.
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('review draft and issuing: a second desk of the reviewer cannot overwrite or set aside a draft saved elsewhere', async () => {
    const c = await ok(desk(f.handler.id), 'cases.submit', caseInput(f, { caseNo: 'STALE-2' }));
    const deskA = desk(f.reviewer.id);
    const deskB = desk(f.reviewer.id);
    await ok(deskA, 'reviews.take', { caseId: c.id });
    // Both desks open the review: no draft yet (version 0).
    expect(await ok(deskA, 'reviews.getDraft', { caseId: c.id })).toBeNull();
    const savedB = await ok(deskB, 'reviews.saveDraft', { caseId: c.id, opinion: 'B 的意见', expectedVersion: 0 });
    expect(savedB.version).toBe(1);
    const refusal = await stale(deskA, 'reviews.saveDraft', { caseId: c.id, opinion: 'A 的意见', expectedVersion: 0 });
    expect(refusal.message).toBe(`该审核意见草稿已被王审核于${AT}在另一处保存，请刷新后再修改。`);
    expect((await ok(deskA, 'reviews.getDraft', { caseId: c.id }))).toMatchObject({ opinion: 'B 的意见', version: 1 });

    // A reloads (version 1) and saves on top: version 2. B's stale save and stale issue are refused.
    expect((await ok(deskA, 'reviews.saveDraft', { caseId: c.id, opinion: 'A 在 B 之上', expectedVersion: 1 })).version).toBe(2);
    await stale(deskB, 'reviews.saveDraft', { caseId: c.id, opinion: 'B 再改', expectedVersion: 1 });
    const issue = { caseId: c.id, findings: allConform(), outcome: 'agree' as const, opinion: '同意' };
    await stale(deskB, 'reviews.issue', { ...issue, expectedVersion: 1 });
    expect(await ok(deskB, 'cases.get', { caseId: c.id })).toMatchObject({ state: 'under_review', reviews: [] });
    expect((await ok(deskB, 'reviews.getDraft', { caseId: c.id }))).toMatchObject({ opinion: 'A 在 B 之上', version: 2 });
    // With the fresh version the opinion is issued.
    expect(await ok(deskB, 'reviews.issue', { ...issue, expectedVersion: 2 })).toMatchObject({ state: 'reviewed' });
  });

  it('meeting record: the second secretary’s save based on the record before the first one saved is refused and changes nothing', async () => {
    await createUser(f.core, f.admin, { username: 'secretary2', displayName: '郑秘书', password: PASSWORD, roles: ['secretary'] });
    const secretary2 = toActor((await getUserByUsername(f.core.db, 'secretary2'))!);
    const one = desk(f.secretary.id);
    const two = desk(secretary2.id);
    const [head2] = await extraHeads(f);
    const m = await ok(one, 'meetings.create', {
      title: '2026年第12次局长办公会议', scheduledAt: '2026-11-25T09:00:00+08:00', place: '第一会议室', chairId: f.head.id, attendeeIds: [f.head.id, head2.id],
    });
    const readOne = await ok(one, 'meetings.get', { meetingId: m.id });
    const readTwo = await ok(two, 'meetings.get', { meetingId: m.id });
    expect(readTwo.version).toBe(readOne.version);
    f.clock.now = new Date('2026-11-23T02:01:00Z');
    const saved = await ok(one, 'meetings.save', { meetingId: m.id, attendance: [{ userId: f.head.id, present: true, absenceReason: '' }], expectedVersion: readOne.version });
    expect(saved.version).toBeGreaterThan(readOne.version);

    const before = await eventCount();
    const refusal = await stale(two, 'meetings.save', { meetingId: m.id, attendance: [{ userId: f.head.id, present: false, absenceReason: '出差' }], expectedVersion: readTwo.version });
    expect(refusal.message).toBe('该会议记录已被吴秘书于2026年11月23日 10:01更新，请刷新后再修改。');
    const now = await ok(two, 'meetings.get', { meetingId: m.id });
    expect(now.attendees.find((a) => a.userId === f.head.id)).toMatchObject({ present: true, absenceReason: '' });
    expect(now.version).toBe(saved.version);
    expect(await eventCount()).toBe(before);
    // Starting the meeting (the meeting row, not the minutes) makes no save stale.
    await ok(one, 'meetings.start', { meetingId: m.id });
    expect((await ok(two, 'meetings.get', { meetingId: m.id })).version).toBe(now.version);
    // Reloaded, the second secretary's change goes in.
    const fresh = await ok(two, 'meetings.save', { meetingId: m.id, attendance: [{ userId: head2.id, present: true, absenceReason: '' }], expectedVersion: now.version });
    expect(fresh.attendees.find((a) => a.userId === head2.id)?.present).toBe(true);
    expect(fresh.version).toBeGreaterThan(now.version);
  });

  it('document drafts: a version saved from another desk is not buried, and 定稿 fixes only the version seen', async () => {
    const handlerDesk = desk(f.handler.id);
    const c = await ok(handlerDesk, 'cases.submit', caseInput(f, { caseNo: 'STALE-4' }));
    await ok(desk(f.reviewer.id), 'reviews.take', { caseId: c.id });
    await ok(desk(f.reviewer.id), 'reviews.issue', { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，同意。' });
    const deskA = desk(f.reviewer.id);
    const deskB = desk(f.reviewer.id);
    const ref = { caseId: c.id, templateId: 'review-opinion' };
    const p = await ok(deskA, 'documents.preview', ref);
    const v1 = await ok(deskB, 'documents.save', { ...ref, model: p.model, note: 'B 初稿', expectedVersion: 0 });
    expect(v1.version).toBe(1);
    const before = await eventCount();
    const refusal = await stale(deskA, 'documents.save', { ...ref, model: { ...p.model, title: 'A 的标题' }, note: 'A 初稿', expectedVersion: 0 });
    expect(refusal.message).toBe(`该文书已被王审核于${AT}保存为第1版，请刷新后再修改。`);
    expect((await ok(deskA, 'documents.versions', ref)).map((v) => v.note)).toEqual(['B 初稿']);
    expect(await eventCount()).toBe(before);
    const v2 = await ok(deskA, 'documents.save', { ...ref, model: { ...p.model, title: 'A 的标题' }, note: 'A 修改', expectedVersion: 1 });
    expect(v2.version).toBe(2);
    // B still holds version 1: its 定稿 would fix A's text unseen.
    await stale(deskB, 'documents.finalize', { ...ref, expectedVersion: 1 });
    expect((await ok(deskB, 'documents.versions', ref)).map((v) => v.final)).toEqual([false, false]);
    expect(await ok(deskB, 'documents.finalize', { ...ref, expectedVersion: 2 })).toMatchObject({ version: 3, final: true });
  });

  it('settings pages: an administrator’s save based on the page before another one saved is refused and the settings stay', async () => {
    const one = desk(f.admin.id);
    const two = desk(f.admin.id);
    const pages = [
      { read: 'settings.workflow', write: 'settings.updateWorkflow', label: '工作流程设置', a: { rereviewDifferentReviewer: false, quorum: 'two_thirds' }, b: { rereviewDifferentReviewer: true, quorum: 'half' } },
      { read: 'deadlines.settings', write: 'deadlines.updateSettings', label: '审核期限设置', a: { mode: 'natural', reviewDays: 10, extensionDays: 5, rereviewDays: 5 }, b: { mode: 'working', reviewDays: 7, extensionDays: 3, rereviewDays: 5 } },
      { read: 'settings.review', write: 'settings.updateReview', label: '法制审核范围设置', a: { reviewAllDecisions: true }, b: { reviewAllDecisions: false } },
      { read: 'settings.uploads', write: 'settings.updateUploads', label: '上传设置', a: { maxUploadBytes: 2 * 1024 * 1024 }, b: { maxUploadBytes: 3 * 1024 * 1024 } },
      { read: 'settings.auth', write: 'settings.updateAuth', label: '登录与安全设置', a: { maxFailures: 6, lockMinutes: 20, idleMinutes: 40, adminSplit: false }, b: { maxFailures: 7, lockMinutes: 30, idleMinutes: 45, adminSplit: false } },
    ] as const;
    for (const pg of pages) {
      const r1 = (await ok(one, pg.read, {})) as { version: number };
      const r2 = (await ok(two, pg.read, {})) as { version: number };
      expect(r2.version, pg.read).toBe(r1.version);
      const saved = (await ok(one, pg.write, { ...pg.a, expectedVersion: r1.version } as never)) as unknown as Record<string, unknown> & { version: number };
      expect(saved, pg.write).toMatchObject({ ...pg.a });
      expect(saved.version).toBeGreaterThan(r1.version);
      const refusal = await stale(two, pg.write, { ...pg.b, expectedVersion: r2.version } as never);
      expect(refusal.message, pg.write).toBe(`${pg.label}已被管理员甲于${AT}更新，请刷新后再修改。`);
      // The stored settings are the first administrator's, and the version did not move.
      const now = (await ok(two, pg.read, {})) as unknown as Record<string, unknown> & { version: number };
      expect(now).toMatchObject({ ...pg.a, version: saved.version });
      // The version itself is never stored as a setting.
      expect(JSON.stringify(now)).not.toContain('expectedVersion');
      expect((await ok(two, pg.write, { ...pg.b, expectedVersion: now.version } as never)) as object, pg.write).toMatchObject({ ...pg.b });
    }
  });

  it('a write that names no version (lrw, automation) is not checked; a bad version is a validation error', async () => {
    const admin = desk(f.admin.id);
    await ok(admin, 'settings.updateReview', { reviewAllDecisions: true });
    expect(await ok(admin, 'settings.updateReview', { reviewAllDecisions: false })).toMatchObject({ reviewAllDecisions: false });
    const r = await dispatch(f.core, admin, 'settings.updateReview', { reviewAllDecisions: true, expectedVersion: -1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('版本号无效') } });
  });
});
