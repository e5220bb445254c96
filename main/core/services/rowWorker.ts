// The second core's share of verification on a large SQLite store: while the main thread walks the
// chain, a worker thread reads every record table on its own read-only connection and hashes each row
// (SQLite builds each row's digest input, the worker hashes it). What it returns is only a fast path:
// the main thread confirms every row it finds wrong in its own snapshot before reporting it, so a row
// written after verification began is never reported. The worker's source is plain JavaScript in a
// string (eval), so it runs the same from vitest, `lrw` and the Electron bundle.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface RowJob {
  table: string;
  /** Key columns first, then the row's digest input as a BLOB (records.ts rowSql). */
  sql: string;
  keyColumns: number;
}

/** Per table: "key<TAB>digest" lines (key escaped as in the records column). */
export type RowDigests = Map<string, string[]>;

const SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
const esc = (s) => (/[\\\t\n]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : s);
const out = [];
let done = 0;
db.exec('BEGIN');
for (const job of workerData.jobs) {
  const lines = [];
  for (const r of db.prepare(job.sql).raw(true).iterate()) {
    const n = job.keyColumns;
    let key = String(r[0]);
    for (let i = 1; i < n; i++) key += '\u001f' + String(r[i]);
    lines.push(esc(key) + '\t' + hash('sha256', r[n], 'base64'));
    if ((++done & 0x3fff) === 0) parentPort.postMessage({ progress: done });
  }
  out.push([job.table, lines]);
}
db.exec('COMMIT');
db.close();
parentPort.postMessage({ done: out });
`;

/** Where better-sqlite3 is, resolved here (an eval worker resolves from the working directory). */
function sqliteModulePath(): string {
  const req = typeof require === 'function' ? require : createRequire(pathToFileURL(`${process.cwd()}/`).href);
  return req.resolve('better-sqlite3');
}

/** Starts the worker; null when one cannot be started (the caller then reads the rows itself). */
export function startRowWorker(file: string, jobs: RowJob[], onProgress: (done: number) => void): Promise<RowDigests> | null {
  let worker: Worker;
  try {
    worker = new Worker(SOURCE, { eval: true, workerData: { file, jobs, sqlite: sqliteModulePath() } });
  } catch {
    return null;
  }
  return new Promise<RowDigests>((resolve, reject) => {
    worker.on('message', (m: { progress?: number; done?: [string, string[]][] }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.done) resolve(new Map(m.done));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`verification worker exited with code ${code}`));
    });
  });
}
