// Verification jobs (migration 014): one row per 记录校验 running in the background or recently done.
import type { Db } from '../open';

export interface VerifyJobRow {
  id: string;
  actor_id: number;
  quick: number;
  started_at: string;
  /** Written by the process running the job while it runs: a job whose heartbeat stops has lost its process. */
  heartbeat_at: string;
  finished_at: string | null;
  done: number;
  progress_json: string | null;
  result_json: string | null;
  error_json: string | null;
  alarm_id: number | null;
}

const COLS = 'id, actor_id, quick, started_at, heartbeat_at, finished_at, done, progress_json, result_json, error_json, alarm_id';

export async function insertVerifyJob(db: Db, j: { id: string; actorId: number; quick: boolean; at: string }): Promise<void> {
  await db.run('INSERT INTO verify_jobs (id, actor_id, quick, started_at, heartbeat_at, done) VALUES (?, ?, ?, ?, ?, 0)', [j.id, j.actorId, j.quick ? 1 : 0, j.at, j.at]);
}

export const getVerifyJob = async (db: Db, id: string): Promise<VerifyJobRow | undefined> =>
  await db.get<VerifyJobRow>(`SELECT ${COLS} FROM verify_jobs WHERE id = ?`, [id]);

export const runningVerifyJobs = async (db: Db): Promise<VerifyJobRow[]> =>
  await db.all<VerifyJobRow>(`SELECT ${COLS} FROM verify_jobs WHERE done = 0 ORDER BY started_at, id`);

/** The running process's report: progress (when given) and a heartbeat. Never touches a finished job. */
export async function touchVerifyJob(db: Db, id: string, at: string, progressJson?: string): Promise<void> {
  if (progressJson === undefined) await db.run('UPDATE verify_jobs SET heartbeat_at = ? WHERE id = ? AND done = 0', [at, id]);
  else await db.run('UPDATE verify_jobs SET heartbeat_at = ?, progress_json = ? WHERE id = ? AND done = 0', [at, progressJson, id]);
}

export interface VerifyJobEnd {
  at: string;
  progressJson: string | null;
  resultJson: string | null;
  errorJson: string | null;
  alarmId: number | null;
}

/** Marks a running job done with its outcome; false when it was already done (e.g. declared interrupted). */
export async function finishVerifyJob(db: Db, id: string, end: VerifyJobEnd): Promise<boolean> {
  return (await db.run(
    'UPDATE verify_jobs SET done = 1, finished_at = ?, heartbeat_at = ?, progress_json = ?, result_json = ?, error_json = ?, alarm_id = ? WHERE id = ? AND done = 0',
    [end.at, end.at, end.progressJson, end.resultJson, end.errorJson, end.alarmId, id],
  )) === 1;
}

/** A running job whose heartbeat is older than `before`: done, with the error given (its process is gone). */
export async function interruptVerifyJob(db: Db, id: string, before: string, at: string, errorJson: string): Promise<boolean> {
  return (await db.run('UPDATE verify_jobs SET done = 1, finished_at = ?, error_json = ? WHERE id = ? AND done = 0 AND heartbeat_at < ?', [at, errorJson, id, before])) === 1;
}

/** Forgets jobs finished before `before`. */
export async function deleteFinishedVerifyJobs(db: Db, before: string): Promise<number> {
  return await db.run('DELETE FROM verify_jobs WHERE done = 1 AND finished_at < ?', [before]);
}
