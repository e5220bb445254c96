// 记录校验 as a background job (issue 11, point 5): verification re-hashes every stored file and can take
// many seconds, longer than one bridge request should, so the app starts a job ('audit.verifyStart')
// and polls it ('audit.verifyStatus', about every 300 ms) for the verifier's progress and, at the end,
// the same result `lrw audit verify` prints. A failed verification raises an alarm (services/alarms.ts).
//
// Jobs are operational rows of the store (table verify_jobs, migration 014; not part of the full-process
// record): the process that runs a job writes its progress, a heartbeat and its result there, so a status
// poll reaching any server process on the same database sees them (issue 14). A job whose heartbeat stops
// (its process was killed) is ended as interrupted when next looked at; the alarm of a failed run is a
// record, as before.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { VerifyStartInput, VerifyStatusInput } from '../../../preload/contract';
import { AppError, toErrorPayload } from '../domain/errors';
import type { AuditVerifyView, VerifyJobView, VerifyProgress } from '../domain/views';
import { verifyChain } from './audit';
import { raiseAlarmIfFailed } from './alarms';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import {
  deleteFinishedVerifyJobs,
  finishVerifyJob,
  getVerifyJob,
  insertVerifyJob,
  interruptVerifyJob,
  runningVerifyJobs,
  touchVerifyJob,
  type VerifyJobRow,
} from '../db/repos/verifyJobs';

/** A finished job is kept this long for the window that polls it, then forgotten. */
const KEEP_FINISHED_MS = 15 * 60_000;
/** The process running a job writes a heartbeat this often, progress or not. */
const HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this has lost its process (killed, crashed): it is ended as interrupted. */
export const STALE_AFTER_MS = 60_000;
/** Progress is written at most this often (and at every change of phase); the last report always. */
const PROGRESS_EVERY_MS = 250;

/** This process's runs, so closing a core can wait for them (tests, shutdown). Not state any request needs. */
const runsByCore = new WeakMap<Core, Set<Promise<void>>>();

/**
 * Runs a function outside the request that started the job: the context captured when this module
 * loaded holds no request, so the job does not keep using (or outlive) the request's database
 * connection, and takes its own through actingAs.
 */
const outsideAnyRequest = AsyncLocalStorage.snapshot();

const ms = (iso: string): number => Date.parse(iso);
const isoBefore = (core: Core, span: number): string => new Date(core.now().getTime() - span).toISOString();

const view = (r: VerifyJobRow): VerifyJobView => {
  const done = Number(r.done) === 1;
  return {
    jobId: r.id,
    quick: Number(r.quick) === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    progress: r.progress_json ? (JSON.parse(r.progress_json) as VerifyProgress) : null,
    done,
    ...(r.result_json && { result: JSON.parse(r.result_json) as AuditVerifyView }),
    ...(r.error_json && { error: JSON.parse(r.error_json) as { code: string; message: string } }),
    // The alarm step ran (null: nothing to raise) exactly when there is a result and no error.
    ...(done && r.result_json && !r.error_json && { alarmId: r.alarm_id === null ? null : Number(r.alarm_id) }),
  };
};

const interrupted = JSON.stringify({ code: 'JOB_INTERRUPTED', message: '运行该校验任务的程序已停止（一分钟以上没有进展），本次校验未完成，请重新开始校验。' });

/** Ends a running job whose heartbeat stopped; returns the row as it now is. */
async function settleIfStale(core: Core, r: VerifyJobRow): Promise<VerifyJobRow> {
  if (Number(r.done) === 1 || ms(r.heartbeat_at) >= core.now().getTime() - STALE_AFTER_MS) return r;
  await interruptVerifyJob(core.db, r.id, isoBefore(core, STALE_AFTER_MS), nowIso(core), interrupted);
  return (await getVerifyJob(core.db, r.id)) ?? r;
}

async function run(core: Core, actor: Actor, id: string, quick: boolean): Promise<void> {
  let progress: VerifyProgress | null = null;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  // Every write goes out of the verifier's context (its request connection, any transaction) and in order.
  const report = (withProgress: boolean): void => {
    const p = withProgress && progress ? JSON.stringify(progress) : undefined;
    writing = writing
      .then(() => outsideAnyRequest(async () => await touchVerifyJob(core.db, id, nowIso(core), p)))
      .catch((err) => console.error('[lrw] verification job: progress not stored:', err));
  };
  const beat = setInterval(() => report(false), HEARTBEAT_MS);
  beat.unref();
  let result: AuditVerifyView | null = null;
  let error: { code: string; message: string } | null = null;
  let alarmId: number | null = null;
  try {
    // Progress is whatever the verifier reports; nothing is invented while it does not.
    result = await core.db.actingAs(actor.id, async () =>
      await verifyChain(core, {
        quick,
        remember: true,
        onProgress: (p) => {
          const phaseChanged = p.phase !== progress?.phase;
          progress = { phase: p.phase, done: p.done, total: p.total };
          const t = Date.now();
          if (phaseChanged || t - lastWrite >= PROGRESS_EVERY_MS) {
            lastWrite = t;
            report(true);
          }
        },
      }),
    );
    try {
      alarmId = await core.db.actingAs(actor.id, async () => await raiseAlarmIfFailed(core, actor, result!, { through: 'app', quick }));
    } catch (err) {
      const e = toErrorPayload(err);
      error = { code: e.code, message: `校验未通过，但未能登记警报：${e.message}` };
    }
  } catch (err) {
    const e = toErrorPayload(err);
    if (e.code === 'INTERNAL') console.error('[lrw] audit verification job failed:', err);
    error = { code: e.code, message: e.message };
  } finally {
    clearInterval(beat);
    await writing;
    try {
      const stored = await finishVerifyJob(core.db, id, {
        at: nowIso(core),
        progressJson: progress ? JSON.stringify(progress) : null,
        resultJson: result ? JSON.stringify(result) : null,
        errorJson: error ? JSON.stringify(error) : null,
        alarmId,
      });
      if (!stored) console.error(`[lrw] verification job ${id} had been declared interrupted; its result is not shown (an alarm, if any, is stored).`);
    } catch (err) {
      console.error('[lrw] verification job: result not stored:', err);
    }
  }
}

/**
 * Starts a verification (permission audit.verify). One at a time on the store, whichever process
 * runs it: the same person asking again for the same kind gets the running job, anyone else is told
 * to wait. The job runs in this process, which writes its progress and result to its row.
 */
export async function startVerifyJob(core: Core, actor: Actor, input: unknown): Promise<VerifyJobView> {
  requirePermission(actor, 'audit.verify');
  const { quick } = parseInput(VerifyStartInput, input);
  // In one write transaction, so two processes asked at once do not both start one.
  const started = await tx(core, async () => {
    await deleteFinishedVerifyJobs(core.db, isoBefore(core, KEEP_FINISHED_MS));
    for (const r of await runningVerifyJobs(core.db)) {
      const now = await settleIfStale(core, r);
      if (Number(now.done) === 1) continue;
      if (now.actor_id === actor.id && (Number(now.quick) === 1) === quick) return { row: now, fresh: false };
      throw new AppError('CONFLICT', '已有一次记录校验正在进行，请待其完成后再开始。');
    }
    const id = randomBytes(16).toString('hex');
    await insertVerifyJob(core.db, { id, actorId: actor.id, quick, at: nowIso(core) });
    return { row: (await getVerifyJob(core.db, id))!, fresh: true };
  });
  if (started.fresh) {
    let runs = runsByCore.get(core);
    if (!runs) runsByCore.set(core, (runs = new Set()));
    // Started on the next turn of the event loop, so the request that asked for it is answered first.
    const p: Promise<void> = outsideAnyRequest(() => new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(core, actor, started.row.id, quick)));
    runs.add(p);
    void p.finally(() => runs.delete(p));
  }
  return view(started.row);
}

/** The job's progress and, once done, its result (only to the person who started it), through any process. */
export async function verifyJobStatus(core: Core, actor: Actor, input: unknown): Promise<VerifyJobView> {
  requirePermission(actor, 'audit.verify');
  const { jobId } = parseInput(VerifyStatusInput, input);
  const row = await getVerifyJob(core.db, jobId);
  const forgotten = row && Number(row.done) === 1 && row.finished_at !== null && ms(row.finished_at) < core.now().getTime() - KEEP_FINISHED_MS;
  if (!row || row.actor_id !== actor.id || forgotten) {
    throw new AppError('NOT_FOUND', '没有这个校验任务（校验结束15分钟后不再保存，请重新开始校验）。');
  }
  return view(await settleIfStale(core, row));
}

/** Resolves when every job this process runs for this core has finished (before closing the core: tests, shutdown). */
export async function verifyJobsSettled(core: Core): Promise<void> {
  await Promise.all([...(runsByCore.get(core) ?? [])]);
}
