// 记录校验 as a background job (issue 11, point 5): verification re-hashes every stored file and can take
// many seconds, longer than one bridge request should, so the app starts a job ('audit.verifyStart')
// and polls it ('audit.verifyStatus', about every 300 ms) for the verifier's progress and, at the end,
// the same result `lrw audit verify` prints. A failed verification raises an alarm (services/alarms.ts).
//
// Jobs are operational, in-memory state of this one process, like uploads in flight: they are not part
// of the full-process record, not stored, and gone when the process ends (the alarm of a failed run is
// stored). A second process (another desktop, another server) neither sees nor needs them.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { VerifyStartInput, VerifyStatusInput } from '../../../preload/contract';
import { AppError, toErrorPayload } from '../domain/errors';
import type { VerifyJobView } from '../domain/views';
import { verifyChain } from './audit';
import { raiseAlarmIfFailed } from './alarms';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput } from './core';

/** What the window sees, plus who started it and when it ends. */
interface Job extends Omit<VerifyJobView, 'jobId'> {
  id: string;
  actorId: number;
  finished: Promise<void>;
}

/** A finished job is kept this long for the window that polls it, then forgotten. */
const KEEP_FINISHED_MS = 15 * 60_000;

const jobsByCore = new WeakMap<Core, Map<string, Job>>();

/**
 * Runs a function outside the request that started the job: the context captured when this module
 * loaded holds no request, so the job does not keep using (or outlive) the request's database
 * connection, and takes its own through actingAs.
 */
const outsideAnyRequest = AsyncLocalStorage.snapshot();

function jobsOf(core: Core): Map<string, Job> {
  let m = jobsByCore.get(core);
  if (!m) jobsByCore.set(core, (m = new Map()));
  const now = core.now().getTime();
  for (const [id, j] of m) if (j.done && j.finishedAt && now - Date.parse(j.finishedAt) > KEEP_FINISHED_MS) m.delete(id);
  return m;
}

const view = (j: Job): VerifyJobView => ({
  jobId: j.id,
  quick: j.quick,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
  progress: j.progress,
  done: j.done,
  ...(j.result && { result: j.result }),
  ...(j.error && { error: j.error }),
  ...(j.alarmId !== undefined && { alarmId: j.alarmId }),
});

async function run(core: Core, actor: Actor, job: Job): Promise<void> {
  try {
    // Progress is whatever the verifier reports; nothing is invented while it does not.
    const result = await core.db.actingAs(actor.id, async () =>
      await verifyChain(core, { quick: job.quick, remember: true, onProgress: (p) => void (job.progress = { phase: p.phase, done: p.done, total: p.total }) }),
    );
    job.result = result;
    try {
      job.alarmId = await core.db.actingAs(actor.id, async () => await raiseAlarmIfFailed(core, actor, result, { through: 'app', quick: job.quick }));
    } catch (err) {
      const e = toErrorPayload(err);
      job.error = { code: e.code, message: `校验未通过，但未能登记警报：${e.message}` };
    }
  } catch (err) {
    const e = toErrorPayload(err);
    if (e.code === 'INTERNAL') console.error('[lrw] audit verification job failed:', err);
    job.error = { code: e.code, message: e.message };
  } finally {
    job.finishedAt = nowIso(core);
    job.done = true;
  }
}

/** Starts a verification (permission audit.verify). One at a time per process: the same person asking again gets the running job. */
export function startVerifyJob(core: Core, actor: Actor, input: unknown): VerifyJobView {
  requirePermission(actor, 'audit.verify');
  const { quick } = parseInput(VerifyStartInput, input);
  const jobs = jobsOf(core);
  const running = [...jobs.values()].find((j) => !j.done);
  if (running) {
    if (running.actorId === actor.id && running.quick === quick) return view(running);
    throw new AppError('CONFLICT', '已有一次记录校验正在进行，请待其完成后再开始。');
  }
  const job: Job = {
    id: randomBytes(16).toString('hex'),
    actorId: actor.id,
    quick,
    startedAt: nowIso(core),
    finishedAt: null,
    progress: null,
    done: false,
    finished: Promise.resolve(),
  };
  jobs.set(job.id, job);
  // Started on the next turn of the event loop, so the request that asked for it is answered first.
  job.finished = outsideAnyRequest(() => new Promise<void>((resolve) => setImmediate(resolve)).then(() => run(core, actor, job)));
  return view(job);
}

/** The job's progress and, once done, its result (only to the person who started it). */
export function verifyJobStatus(core: Core, actor: Actor, input: unknown): VerifyJobView {
  requirePermission(actor, 'audit.verify');
  const { jobId } = parseInput(VerifyStatusInput, input);
  const job = jobsOf(core).get(jobId);
  if (!job || job.actorId !== actor.id) throw new AppError('NOT_FOUND', '没有这个校验任务（校验任务只保存在本程序运行期间，请重新开始校验）。');
  return view(job);
}

/** Resolves when every job of this core has finished (before closing the core: tests, shutdown). */
export async function verifyJobsSettled(core: Core): Promise<void> {
  await Promise.all([...(jobsByCore.get(core)?.values() ?? [])].map((j) => j.finished));
}
