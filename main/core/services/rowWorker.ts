// The second core's share of verification on a large SQLite store: while the main thread walks the
// chain, a worker thread reads every record table on its own read-only connection and hashes each row
// (SQLite builds each row's digest input as text, the worker hashes it) into a DigestSet, and returns per
// table only its commitment (digestSet.ts). It is only a fast path: when a commitment differs from the
// chain's, the main thread verifies again in full in its own snapshot, which decides — so a row
// written after verification began is never reported. The worker's source is plain JavaScript in a
// string (eval), so it runs the same from vitest, `lrw` and the Electron bundle.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Commitment, DIGEST_SET_SOURCE } from './digestSet';

export interface RowJob {
  table: string;
  /**
   * Key columns first, then the row's digest input as text (records.ts rowSql): a Buffer per row in a
   * worker made both threads several times slower (measured), strings do not.
   */
  sql: string;
  keyColumns: number;
}

/** Per table: the commitment of its rows' digests and how many rows there are. */
export type RowDigests = Map<string, Commitment>;

// Tables are claimed one at a time (claims[i]: 0 free, 1 the worker's, 2 the main thread's): the
// worker from the first, the main thread — once its walk of the chain is done — from the last.
const SOURCE = DIGEST_SET_SOURCE + String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { hash, createHash } = require('node:crypto');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
const claims = new Int32Array(workerData.claims);
const out = [];
let done = 0;
const onRow = () => { if ((++done & 0x3fff) === 0) parentPort.postMessage({ progress: done }); };
db.exec('BEGIN');
workerData.jobs.forEach((job, i) => {
  if (Atomics.compareExchange(claims, i, 0, 1) !== 0) return;
  out.push([job.table, commitRows(db.prepare(job.sql).raw(true).iterate(), job.keyColumns, hash, createHash, onRow)]);
});
db.exec('COMMIT');
db.close();
parentPort.postMessage({ done: out });
`;

export interface RowWorker {
  /** The worker's commitments, for the tables it claimed. */
  result: Promise<RowDigests>;
  /** Claims the last job nobody has taken yet for the caller (its index), or -1. */
  claimFromEnd(): number;
  /** Ends the worker early (verification already failed on the chain). */
  stop(): void;
}

/** Where better-sqlite3 is, resolved here (an eval worker resolves from the working directory). */
function sqliteModulePath(): string {
  const req = typeof require === 'function' ? require : createRequire(pathToFileURL(`${process.cwd()}/`).href);
  return req.resolve('better-sqlite3');
}

/** Starts the worker; null when one cannot be started (the caller then reads the rows itself). */
export function startRowWorker(file: string, jobs: RowJob[], onProgress: (done: number) => void): RowWorker | null {
  const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(jobs.length, 1)));
  let worker: Worker;
  try {
    worker = new Worker(SOURCE, { eval: true, workerData: { file, jobs, sqlite: sqliteModulePath(), claims: claims.buffer } });
  } catch {
    return null;
  }
  const result = new Promise<RowDigests>((resolve, reject) => {
    worker.on('message', (m: { progress?: number; done?: [string, Commitment][] }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.done) resolve(new Map(m.done));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`verification worker exited with code ${code}`));
    });
  });
  const claimFromEnd = (): number => {
    for (let i = jobs.length - 1; i >= 0; i--) if (Atomics.compareExchange(claims, i, 0, 2) === 0) return i;
    return -1;
  };
  result.catch(() => undefined); // stop() rejects it; nobody may be waiting any more
  return { result, claimFromEnd, stop: () => void worker.terminate() };
}
