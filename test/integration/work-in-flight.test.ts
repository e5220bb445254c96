// Issue 14 (the agency server): state a later request needs lives in the store, not in one process.
// Two core handles on the same database and files directory play two server processes: an upload
// begun through one is continued and finished through the other, a verification started through one
// is polled through the other, and password hashing leaves the event loop free for other requests.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, type Session } from '../../main/core/api';
import { closeCore, openCore, type Actor, type Core } from '../../main/core/services/core';
import { authenticate, hashPassword, verifyPassword } from '../../main/core/services/auth';
import { abortUpload, beginUpload, finishUpload, uploadChunk } from '../../main/core/services/uploads';
import { startVerifyJob, STALE_AFTER_MS, verifyJobsSettled, verifyJobStatus } from '../../main/core/services/verifyJobs';
import { insertVerifyJob } from '../../main/core/db/repos/verifyJobs';
import { verifyChain } from '../../main/core/services/audit';
import { submitCase } from '../../main/core/services/cases';
import { MemorySecretStore } from '../../main/core/secrets';
import type { VerifyJobView, VerifyProgress } from '../../main/core/domain/views';
import type { Result } from '../../preload/contract';
import { caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { asRole, onPostgres } from '../helpers/engine';

vi.setConfig({ testTimeout: 120_000 });

const engine = onPostgres ? 'PostgreSQL' : 'SQLite';
let f: Fixture;
/**
 * The second "server process": its own core handle on the same database and files directory; on
 * PostgreSQL connected as the application role, as a server runs (so its grants on these tables count).
 */
let other: Core;
beforeEach(async () => {
  f = await makeFixture();
  other = await openCore({ dbPath: onPostgres ? asRole(f.dbPath) : f.dbPath, filesDir: f.core.blobs.root, now: () => f.clock.now, secrets: new MemorySecretStore() });
});
afterEach(async () => {
  await verifyJobsSettled(f.core);
  await verifyJobsSettled(other);
  await closeCore(other);
  await f.close();
});

const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};
const sessionOf = (a: Actor): Session => ({ userId: a.id });
const tmpFiles = () => fs.readdirSync(path.join(f.core.blobs.root, 'tmp'));
const inFlight = async () => Number(await f.core.db.value('SELECT COUNT(*) FROM uploads'));

describe(`async scrypt (${engine})`, () => {
  it('hashing and checking a password leave the event loop free, and still tell right from wrong', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const t0 = Date.now();
    const stored = await hashPassword('正确的密码Abc1');
    const right = await verifyPassword('正确的密码Abc1', stored);
    const wrong = await verifyPassword('正确的密码Abc2', stored);
    const elapsed = Date.now() - t0;
    clearInterval(timer);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect([right, wrong]).toEqual([true, false]);
    // Three scrypt runs of this cost take tens of milliseconds; a blocking hash would let no timer fire
    // meanwhile (awaiting an already-settled result does not reach the timers phase).
    expect(elapsed).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('an unknown username costs a hash too and is refused like a wrong password', async () => {
    await refused(() => authenticate(f.core, { username: 'nobody', password: PASSWORD }), 'UNAUTHENTICATED');
    await refused(() => authenticate(f.core, { username: 'head', password: 'wrong-password' }), 'UNAUTHENTICATED');
    expect((await authenticate(f.core, { username: 'head', password: PASSWORD })).username).toBe('head');
  });
});

describe(`uploads in flight live in the store (${engine})`, () => {
  it('an upload begun through one process is continued and finished through another, after the first has stopped', async () => {
    const data = crypto.randomBytes(2 * 1024 * 1024 + 333);
    const parts = [data.subarray(0, 1024 * 1024), data.subarray(1024 * 1024, 2 * 1024 * 1024), data.subarray(2 * 1024 * 1024)];
    if (onPostgres) expect(await other.db.role()).toBe('lrw_app');
    const first = await openCore({ dbPath: f.dbPath, filesDir: f.core.blobs.root, now: () => f.clock.now, secrets: new MemorySecretStore() });
    const { uploadId } = await beginUpload(first, f.handler, '现场照片.jpg', data.length);
    expect(await uploadChunk(first, f.handler, uploadId, parts[0].toString('base64'))).toEqual({ received: parts[0].length });
    const row = (await other.db.get<{ owner_id: number; name: string; expected_size: number; received: number; tmp_name: string }>(
      'SELECT owner_id, name, expected_size, received, tmp_name FROM uploads WHERE id = ?',
      [uploadId],
    ))!;
    expect({ ...row, owner_id: Number(row.owner_id), expected_size: Number(row.expected_size), received: Number(row.received) }).toMatchObject({
      owner_id: f.handler.id, name: '现场照片.jpg', expected_size: data.length, received: parts[0].length,
    });
    // The first process goes away; the second knows everything it needs from the store and the files dir.
    await closeCore(first);
    expect(await uploadChunk(other, f.handler, uploadId, parts[1].toString('base64'))).toEqual({ received: 2 * 1024 * 1024 });
    // Someone else cannot write into it through either process.
    expect(await refused(() => uploadChunk(other, f.officer, uploadId, 'AAAA'), 'NOT_FOUND')).toContain('上传任务不存在');
    expect(await uploadChunk(f.core, f.handler, uploadId, parts[2].toString('base64'))).toEqual({ received: data.length });
    const blob = await finishUpload(other, f.handler, uploadId);
    expect(blob).toEqual({ sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length, name: '现场照片.jpg' });
    expect(fs.readFileSync(f.core.blobs.pathOf(blob.sha256)).equals(data)).toBe(true);
    expect(Number(await f.core.db.value("SELECT COUNT(*) FROM events WHERE action = 'attachment.store'"))).toBe(1);
    // Finished once: the other process is told it has ended, and nothing is left in flight.
    expect(await refused(() => finishUpload(f.core, f.handler, uploadId), 'NOT_FOUND')).toContain('上传任务不存在或已结束');
    expect(await inFlight()).toBe(0);
    expect(tmpFiles()).toEqual([]);
    // The stored file is usable through the first process.
    const c = await submitCase(f.core, f.handler, caseInput(f, { attachments: [{ sha256: blob.sha256, name: blob.name }] }));
    expect(c.submissions[0].attachments).toEqual([{ sha256: blob.sha256, name: '现场照片.jpg', size: data.length }]);
  });

  it('over the bridge, alternating processes chunk by chunk; a chunk sent twice is stored once, one out of place is refused', async () => {
    const data = Buffer.from('询问笔录（第一页）……询问笔录（第二页）……询问笔录（第三页）'.repeat(50));
    const s = sessionOf(f.handler);
    const cores = [f.core, other];
    const { uploadId } = ok(await dispatch(f.core, s, 'uploads.begin', { name: '询问笔录.pdf', size: data.length }) as Result<{ uploadId: string }>);
    const step = 1000;
    for (let off = 0, n = 0; off < data.length; off += step, n++) {
      const base64 = data.subarray(off, off + step).toString('base64');
      const res = ok(await dispatch(cores[n % 2], s, 'uploads.chunk', { uploadId, base64, offset: off }) as Result<{ received: number }>);
      expect(res.received).toBe(Math.min(data.length, off + step));
      if (n === 1) {
        // The answer was lost and the desktop sends the same chunk again, to the other process: not stored twice.
        expect(await dispatch(cores[(n + 1) % 2], s, 'uploads.chunk', { uploadId, base64, offset: off })).toEqual({ ok: true, value: { received: off + step } });
        // Different bytes claimed for a place already filled, or a gap: refused, saying where to go on.
        const wrong = await dispatch(other, s, 'uploads.chunk', { uploadId, base64: Buffer.from('篡改').toString('base64'), offset: 0 });
        expect(wrong).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining(`已收到${off + step}字节`) } });
        const gap = await dispatch(f.core, s, 'uploads.chunk', { uploadId, base64, offset: off + 2 * step });
        expect(gap).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      }
    }
    const done = ok(await dispatch(other, s, 'uploads.finish', { uploadId }) as Result<{ sha256: string; size: number }>);
    expect(done).toMatchObject({ sha256: crypto.createHash('sha256').update(data).digest('hex'), size: data.length });
  });

  it('too much data, an incomplete finish and an abort end the upload for every process and leave no temp file', async () => {
    const a = await beginUpload(f.core, f.handler, 'a.pdf', 4);
    await refused(() => uploadChunk(other, f.handler, a.uploadId, Buffer.from('12345').toString('base64')), 'VALIDATION');
    await refused(() => uploadChunk(f.core, f.handler, a.uploadId, Buffer.from('1').toString('base64')), 'NOT_FOUND');
    const b = await beginUpload(other, f.handler, 'b.pdf', 10);
    await uploadChunk(f.core, f.handler, b.uploadId, Buffer.from('123').toString('base64'));
    expect(await refused(() => finishUpload(other, f.handler, b.uploadId), 'VALIDATION')).toContain('上传不完整（3/10 字节）');
    const c = await beginUpload(f.core, f.handler, 'c.pdf', 10);
    await abortUpload(other, c.uploadId);
    await refused(() => uploadChunk(f.core, f.handler, c.uploadId, 'AAAA'), 'NOT_FOUND');
    expect(await inFlight()).toBe(0);
    expect(tmpFiles()).toEqual([]);
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM blobs'))).toBe(0);
  });

  it('an upload untouched for 24 hours is removed by whichever process comes next, temp file and all', async () => {
    const start = f.clock.now;
    const a = await beginUpload(f.core, f.handler, 'a.pdf', 10);
    await uploadChunk(f.core, f.handler, a.uploadId, Buffer.from('abc').toString('base64'));
    f.clock.now = new Date(start.getTime() + 24 * 3600_000 + 1000);
    await beginUpload(other, f.reviewer, 'b.pdf', 4);
    expect(await inFlight()).toBe(1);
    expect(tmpFiles()).toHaveLength(1);
    await refused(() => uploadChunk(f.core, f.handler, a.uploadId, 'AAAA'), 'NOT_FOUND');
  });
});

describe(`verification jobs live in the store (${engine})`, () => {
  async function pollUntilDone(core: Core, who: Actor, jobId: string): Promise<VerifyJobView> {
    for (let i = 0; i < 3000; i++) {
      const st = ok(await dispatch(core, sessionOf(who), 'audit.verifyStatus', { jobId }) as Result<VerifyJobView>);
      if (st.done) return st;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('verification job did not finish');
  }

  it('a job started through one process is polled through another, which sees its progress and result', async () => {
    const reports: VerifyProgress[] = [];
    const direct = await verifyChain(f.core, { onProgress: (p) => reports.push({ ...p }) });
    const started = ok(await dispatch(f.core, sessionOf(f.legalHead), 'audit.verifyStart', { quick: false }) as Result<VerifyJobView>);
    expect(started).toMatchObject({ done: false, quick: false, progress: null, finishedAt: null });
    // Only one at a time on the store: someone else asking through the other process is told to wait.
    expect(await dispatch(other, sessionOf(f.admin), 'audit.verifyStart', { quick: false })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // The same person asking again through the other process gets the same job.
    expect(ok(await dispatch(other, sessionOf(f.legalHead), 'audit.verifyStart', { quick: false }) as Result<VerifyJobView>).jobId).toBe(started.jobId);
    // Shown only to who started it, through either process.
    expect(await dispatch(other, sessionOf(f.admin), 'audit.verifyStatus', { jobId: started.jobId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const job = await pollUntilDone(other, f.legalHead, started.jobId);
    expect(job.error).toBeUndefined();
    expect(job.result).toEqual(direct);
    expect(job.alarmId).toBeNull();
    expect(job.finishedAt).not.toBeNull();
    expect(job.progress).toEqual(reports[reports.length - 1]);
    // Both processes answer the same.
    expect(await verifyJobStatus(f.core, f.legalHead, { jobId: started.jobId })).toEqual(job);
    // Done: anyone may start the next, through either process.
    expect(ok(await dispatch(other, sessionOf(f.admin), 'audit.verifyStart', { quick: true }) as Result<VerifyJobView>).jobId).not.toBe(started.jobId);
  });

  it('a job whose process died is reported interrupted, and does not block the next', async () => {
    const dead = 'ab'.repeat(16);
    // A process began this job two minutes ago and was killed: its heartbeat stopped.
    await insertVerifyJob(f.core.db, { id: dead, actorId: f.legalHead.id, quick: false, at: new Date(f.clock.now.getTime() - STALE_AFTER_MS - 60_000).toISOString() });
    const st = await verifyJobStatus(other, f.legalHead, { jobId: dead });
    expect(st).toMatchObject({ done: true, error: { code: 'JOB_INTERRUPTED', message: expect.stringContaining('请重新开始校验') } });
    expect(st.result).toBeUndefined();
    const next = await startVerifyJob(f.core, f.admin, { quick: true });
    expect(next.jobId).not.toBe(dead);
    await verifyJobsSettled(f.core);
    expect(await verifyJobStatus(other, f.admin, { jobId: next.jobId })).toMatchObject({ done: true, result: { ok: true } });
    // A finished job is forgotten 15 minutes after it ended.
    f.clock.now = new Date(f.clock.now.getTime() + 16 * 60_000);
    expect(await refused(() => verifyJobStatus(other, f.admin, { jobId: next.jobId }), 'NOT_FOUND')).toContain('没有这个校验任务');
  });

  it('a live job keeps beating: a second process does not declare it interrupted', async () => {
    const started = await startVerifyJob(f.core, f.legalHead, { quick: true });
    const st = await verifyJobStatus(other, f.legalHead, { jobId: started.jobId });
    expect(st.error).toBeUndefined();
    await verifyJobsSettled(f.core);
    expect(await verifyJobStatus(other, f.legalHead, { jobId: started.jobId })).toMatchObject({ done: true, result: { ok: true } });
  });
});

describe('the handler table reads no repository', () => {
  it('main/core/api.ts imports no repository and runs no query of its own', () => {
    const src = fs.readFileSync(path.join(__dirname, '../../main/core/api.ts'), 'utf8');
    expect(src).not.toMatch(/from '\.\/db\//);
    expect(src).not.toMatch(/core\.db\.(get|all|value|column|run|insert|exec)\b/);
  });
});
