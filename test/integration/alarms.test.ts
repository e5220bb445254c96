// 记录校验 as a background job and the alarm of a failed verification (issue 11, point 5), on the engine
// the suite runs on: the job reports the verifier's result; a failed verification (in the app, through
// the synchronous channel, or `lrw audit verify`) raises exactly one alarm and its event; only the system
// administrator and the legal office head see alarms and acknowledge them, with a reason, once.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { dispatch, type Session } from '../../main/core/api';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { storeFile } from '../../main/core/services/uploads';
import { verifyChain } from '../../main/core/services/audit';
import { acknowledgeAlarm, listAlarms, raiseAlarmIfFailed } from '../../main/core/services/alarms';
import { startVerifyJob, verifyJobsSettled, verifyJobStatus } from '../../main/core/services/verifyJobs';
import { run as lrw } from '../../main/cli/lrw';
import type { Actor } from '../../main/core/services/core';
import type { AlarmView, VerifyJobView, VerifyProgress } from '../../main/core/domain/views';
import type { Result } from '../../preload/contract';
import { asRole, onPostgres } from '../helpers/engine';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
  const file = path.join(f.dir, '笔录.txt');
  fs.writeFileSync(file, '现场检查笔录：当事人仓库内存放电热水壶320台。');
  const a = await storeFile(f.core, f.handler, file, '现场检查笔录.txt');
  const c = await submitCase(f.core, f.handler, caseInput(f, { attachments: [{ sha256: a.sha256, name: a.name }] }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
});
afterEach(async () => {
  await verifyJobsSettled(f.core);
  await f.close();
});

const sessionOf = (a: Actor): Session => ({ userId: a.id });
const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const num = async (sql: string, params: unknown[] = []) => Number(await f.core.db.value(sql, params));
const alarmCount = () => num('SELECT COUNT(*) FROM audit_alarms');
const eventsOf = (action: string) => num('SELECT COUNT(*) FROM events WHERE action = ?', [action]);

/** Starts a job over the bridge as `who` and polls it until it is done, as the screen does. */
async function runJob(who: Actor, quick = false): Promise<VerifyJobView> {
  const s = sessionOf(who);
  const started = ok(await dispatch(f.core, s, 'audit.verifyStart', { quick }) as Result<VerifyJobView>);
  expect(started).toMatchObject({ done: false, quick, progress: null, finishedAt: null });
  expect(started.jobId).toMatch(/^[0-9a-f]{32}$/);
  for (let i = 0; i < 2000; i++) {
    const st = ok(await dispatch(f.core, s, 'audit.verifyStatus', { jobId: started.jobId }) as Result<VerifyJobView>);
    if (st.done) return st;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('verification job did not finish');
}

/** Plays an attacker with SQL access: drops the events' guard triggers, then edits. */
async function tamper(sql: string) {
  const on = f.core.db.engine === 'sqlite' ? '' : ' ON events';
  await f.core.db.exec(`DROP TRIGGER events_no_update${on}; DROP TRIGGER events_no_delete${on};`);
  await f.core.db.exec(sql);
}
const tamperReviewEvent = async () => {
  const seq = await num("SELECT seq FROM events WHERE action = 'review.issue'");
  await tamper(`UPDATE events SET payload_json = replace(payload_json, '"agree"', '"disagree"') WHERE seq = ${seq}`);
  return seq;
};

describe(`记录校验 job (${process.env.LRW_TEST_ENGINE ?? 'sqlite'})`, () => {
  it('runs in the background and reports the same result as verifyChain; an intact chain raises no alarm', async () => {
    const reports: VerifyProgress[] = [];
    const direct = await verifyChain(f.core, { onProgress: (p) => reports.push({ ...p }) });
    expect(direct.ok).toBe(true);
    const before = await num('SELECT COUNT(*) FROM events');
    const job = await runJob(f.legalHead);
    expect(job.error).toBeUndefined();
    expect(job.result).toEqual(direct);
    expect(job.result!.count).toBe(before);
    expect(job.alarmId).toBeNull();
    expect(job.finishedAt).not.toBeNull();
    // Every stored file re-hashed (the attachment), reported as the verifier went; the job holds the
    // verifier's own last report, the same one a direct run ends on.
    expect(job.result!.files).toBeGreaterThanOrEqual(1);
    expect(job.result!.filesSkipped).toBe(false);
    expect(reports).toContainEqual({ phase: 'files', done: job.result!.files, total: job.result!.files });
    expect(job.progress).toEqual(reports[reports.length - 1]);
    expect(await alarmCount()).toBe(0);
    expect(await num('SELECT COUNT(*) FROM events')).toBe(before);
  });

  it('a failed verification raises exactly one alarm and one audit.alarm event, naming the first mismatch', async () => {
    const seq = await tamperReviewEvent();
    const job = await runJob(f.legalHead);
    expect(job.result!.ok).toBe(false);
    expect(job.result!.firstBad?.seq ?? job.result!.mismatch?.seq).toBe(seq);
    expect(job.alarmId).toEqual(expect.any(Number));
    expect(await alarmCount()).toBe(1);
    expect(await eventsOf('audit.alarm')).toBe(1);
    const ev = (await f.core.db.get<{ actor_id: number; payload_json: string }>("SELECT actor_id, payload_json FROM events WHERE action = 'audit.alarm'"))!;
    expect(Number(ev.actor_id)).toBe(f.legalHead.id);
    expect(JSON.parse(ev.payload_json)).toMatchObject({ alarmId: job.alarmId, through: 'app', quick: false });
    const [alarm] = await listAlarms(f.core, f.admin);
    expect(alarm).toMatchObject({ id: job.alarmId, raisedThrough: 'app', raisedBy: '周法制（legalhead）', quick: false, count: job.result!.count, acknowledged: null });
    expect(alarm.message).toContain(String(seq));
    // Each failed verification is one alarm: the synchronous channel raises its own.
    const again = ok(await dispatch(f.core, sessionOf(f.legalHead), 'audit.verify', {}) as Result<{ ok: boolean }>);
    expect(again.ok).toBe(false);
    expect(await alarmCount()).toBe(2);
    expect(await eventsOf('audit.alarm')).toBe(2);
  });

  it('a quick job is recorded as quick', async () => {
    await tamperReviewEvent();
    const job = await runJob(f.legalHead, true);
    expect(job.quick).toBe(true);
    expect(job.result).toMatchObject({ ok: false, filesSkipped: true });
    // It stopped at the tampered event, while walking the chain.
    expect(job.progress?.phase).toBe('events');
    expect((await listAlarms(f.core, f.legalHead))[0]).toMatchObject({ id: job.alarmId, quick: true });
  });

  it('refuses a job to roles without audit.verify, shows a job only to who started it, and runs one at a time', async () => {
    for (const who of [f.handler, f.reviewer, f.head]) {
      const r = await dispatch(f.core, sessionOf(who), 'audit.verifyStart', { quick: false });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const started = await startVerifyJob(f.core, f.legalHead, { quick: false });
    // The same person asking again gets the running job; someone else is told to wait.
    expect((await startVerifyJob(f.core, f.legalHead, { quick: false })).jobId).toBe(started.jobId);
    await expect(startVerifyJob(f.core, f.admin, {})).rejects.toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await expect(verifyJobStatus(f.core, f.admin, { jobId: started.jobId })).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await expect(verifyJobStatus(f.core, f.legalHead, { jobId: 'x' })).rejects.toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    await verifyJobsSettled(f.core);
    expect(await verifyJobStatus(f.core, f.legalHead, { jobId: started.jobId })).toMatchObject({ done: true, result: { ok: true } });
    // Once it is done, another may start.
    expect((await startVerifyJob(f.core, f.admin, {})).jobId).not.toBe(started.jobId);
  });
});

describe('alarm banner and acknowledgement', () => {
  let alarmId: number;
  beforeEach(async () => {
    await tamperReviewEvent();
    alarmId = (await runJob(f.legalHead)).alarmId!;
  });

  it('shows open alarms to the system administrator and the legal office head only', async () => {
    for (const who of [f.admin, f.legalHead]) {
      const list = ok(await dispatch(f.core, sessionOf(who), 'audit.alarms', {}) as Result<AlarmView[]>);
      expect(list.map((a) => a.id)).toEqual([alarmId]);
    }
    for (const who of [f.handler, f.reviewer, f.head, f.secretary]) {
      expect(await dispatch(f.core, sessionOf(who), 'audit.alarms', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('is acknowledged once, with a reason of at least 4 characters, by those roles only; each refusal changes nothing', async () => {
    const events = await num('SELECT COUNT(*) FROM events');
    const refusals: [Actor, unknown, string][] = [
      [f.reviewer, { alarmId, reason: '已核对无误' }, 'FORBIDDEN'],
      [f.head, { alarmId, reason: '已核对无误' }, 'FORBIDDEN'],
      [f.legalHead, { alarmId, reason: '' }, 'VALIDATION'],
      [f.legalHead, { alarmId, reason: '   ' }, 'VALIDATION'],
      [f.legalHead, { alarmId, reason: '已核对' }, 'VALIDATION'],
      [f.legalHead, { alarmId }, 'VALIDATION'],
      [f.legalHead, { alarmId: alarmId + 100, reason: '已核对无误' }, 'NOT_FOUND'],
    ];
    for (const [who, input, code] of refusals) {
      await expect(acknowledgeAlarm(f.core, who, input), JSON.stringify(input)).rejects.toMatchObject({ code });
    }
    const short = await dispatch(f.core, sessionOf(f.legalHead), 'audit.alarmAck', { alarmId, reason: '已核对' });
    expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('至少4个字') } });
    expect(await num('SELECT COUNT(*) FROM audit_alarm_acks')).toBe(0);
    expect(await num('SELECT COUNT(*) FROM events')).toBe(events);

    const reason = '经核查系测试库人为改动，已向局领导报告';
    const acked = ok(await dispatch(f.core, sessionOf(f.admin), 'audit.alarmAck', { alarmId, reason }) as Result<AlarmView>);
    expect(acked.acknowledged).toMatchObject({ by: '管理员甲（admin）', reason });
    expect(await eventsOf('audit.alarm_ack')).toBe(1);
    const ev = (await f.core.db.get<{ actor_id: number; payload_json: string }>("SELECT actor_id, payload_json FROM events WHERE action = 'audit.alarm_ack'"))!;
    expect(Number(ev.actor_id)).toBe(f.admin.id);
    expect(JSON.parse(ev.payload_json)).toMatchObject({ alarmId, reason });
    // Gone from the banner, kept in the history.
    expect(await listAlarms(f.core, f.legalHead)).toEqual([]);
    expect((await listAlarms(f.core, f.legalHead, { all: true }))[0]).toMatchObject({ id: alarmId, acknowledged: { reason } });
    // Twice is refused, by anyone, and changes nothing.
    await expect(acknowledgeAlarm(f.core, f.legalHead, { alarmId, reason: '再次确认一次' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('不能重复确认') });
    expect(await num('SELECT COUNT(*) FROM audit_alarm_acks')).toBe(1);
    expect(await eventsOf('audit.alarm_ack')).toBe(1);
  });

  it('the database refuses to change or remove an alarm or an acknowledgement', async () => {
    await acknowledgeAlarm(f.core, f.legalHead, { alarmId, reason: '已核对无误' });
    for (const t of ['audit_alarms', 'audit_alarm_acks']) {
      await expect(f.core.db.run(`UPDATE ${t} SET id = id`)).rejects.toThrow(/IMMUTABLE/);
      await expect(f.core.db.run(`DELETE FROM ${t}`)).rejects.toThrow(/IMMUTABLE/);
    }
    // And a second acknowledgement row cannot be slipped in beside the first.
    await expect(
      f.core.db.run('INSERT INTO audit_alarm_acks (alarm_id, acknowledged_by, acknowledged_at, reason) VALUES (?, ?, ?, ?)', [alarmId, f.admin.id, '2026-11-23T03:00:00.000Z', '另一条确认']),
    ).rejects.toThrow();
  });

  it('raiseAlarmIfFailed does nothing for a verification that passed', async () => {
    expect(await raiseAlarmIfFailed(f.core, f.legalHead, { ok: true, count: 3, firstBad: null }, { through: 'app', quick: false })).toBeNull();
    expect(await alarmCount()).toBe(1);
  });
});

describe('lrw audit verify / alarms / ack', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env: { LRW_PASSWORD: PASSWORD } as NodeJS.ProcessEnv } };
  };
  const store = () => ['--db', f.dbPath, '--files', `${path.join(f.dir, 'lrw.sqlite')}-files`];

  it('a failed `lrw audit verify` raises one alarm as the --as user (or 命令行); ack refuses twice and a short reason', async () => {
    const ok1 = io();
    expect(await lrw(['audit', 'verify', ...store()], ok1.io)).toBe(0);
    expect(await alarmCount()).toBe(0);

    await tamperReviewEvent();
    const a = io();
    expect(await lrw(['audit', 'verify', ...store()], a.io)).toBe(4);
    expect(a.err.join('\n')).toMatch(/已登记第 \d+ 号记录校验警报/);
    const b = io();
    expect(await lrw(['audit', 'verify', '--as', 'legalhead', ...store()], b.io)).toBe(4);
    expect(await alarmCount()).toBe(2);
    const [second, first] = await listAlarms(f.core, f.admin);
    expect(first).toMatchObject({ raisedThrough: 'lrw', raisedBy: '命令行' });
    expect(second).toMatchObject({ raisedThrough: 'lrw', raisedBy: '周法制（legalhead）' });

    const list = io();
    expect(await lrw(['audit', 'alarms', '--as', 'admin', ...store()], list.io)).toBe(0);
    expect(list.out.join('\n')).toContain(`#${first.id}`);
    const denied = io();
    expect(await lrw(['audit', 'alarms', '--as', 'reviewer', ...store()], denied.io)).toBe(1);

    const short = io();
    expect(await lrw(['audit', 'ack', '--alarm', String(first.id), '--reason', '已核对', '--as', 'legalhead', ...store()], short.io)).toBe(1);
    expect(short.err.join('\n')).toContain('确认理由至少4个字');
    const forbidden = io();
    expect(await lrw(['audit', 'ack', '--alarm', String(first.id), '--reason', '已核对无误', '--as', 'reviewer', ...store()], forbidden.io)).toBe(1);
    expect(forbidden.err.join('\n')).toContain('FORBIDDEN');
    const acked = io();
    expect(await lrw(['audit', 'ack', '--alarm', String(first.id), '--reason', '已核对无误，系演练', '--as', 'legalhead', ...store()], acked.io)).toBe(0);
    expect(acked.out.join('\n')).toContain(`已确认第 ${first.id} 号记录校验警报`);
    const twice = io();
    expect(await lrw(['audit', 'ack', '--alarm', String(first.id), '--reason', '已核对无误，系演练', '--as', 'admin', ...store()], twice.io)).toBe(1);
    expect(twice.err.join('\n')).toContain('不能重复确认');
    expect((await listAlarms(f.core, f.admin)).map((x) => x.id)).toEqual([second.id]);
    expect(await eventsOf('audit.alarm_ack')).toBe(1);
  });

  it('a failed sign-in with --as does not swallow the alarm: it is raised as 命令行, and said so', async () => {
    await tamperReviewEvent();
    const r = io();
    r.io.env = { LRW_PASSWORD: 'wrong-password' } as NodeJS.ProcessEnv;
    expect(await lrw(['audit', 'verify', '--as', 'legalhead', ...store()], r.io)).toBe(4);
    expect(r.err.join('\n')).toContain('身份验证未通过');
    expect(await listAlarms(f.core, f.admin)).toEqual([expect.objectContaining({ raisedThrough: 'lrw', raisedBy: '命令行' })]);
  });

  it.runIf(onPostgres)('on PostgreSQL the application role raises and acknowledges an alarm; the reader role is told it cannot raise one', async () => {
    await tamperReviewEvent();
    const files = ['--files', `${path.join(f.dir, 'lrw.sqlite')}-files`];
    const app = io();
    expect(await lrw(['audit', 'verify', '--db', asRole(f.dbPath), ...files], app.io)).toBe(4);
    expect(await alarmCount()).toBe(1);
    const [alarm] = await listAlarms(f.core, f.admin);
    const ack = io();
    expect(await lrw(['audit', 'ack', '--alarm', String(alarm.id), '--reason', '已核对无误', '--as', 'legalhead', '--db', asRole(f.dbPath), ...files], ack.io), ack.err.join('\n')).toBe(0);
    const reader = io();
    expect(await lrw(['audit', 'verify', '--db', asRole(f.dbPath, 'lrw_reader'), ...files], reader.io)).toBe(4);
    expect(reader.err.join('\n')).toContain('未能登记记录校验警报：当前数据库角色只读');
    expect(await alarmCount()).toBe(1);
  });
});
