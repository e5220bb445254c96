// The agency server (issue 14): work in flight lives in the store, so any server process on the same
// database (and the same shared files directory) continues what another began.
// - uploads: an attachment arriving in chunks (services/uploads.ts). The chunks themselves are in the
//   temp file <files>/tmp/<tmp_name>; the row says whose it is, what it will be called, how big it is
//   declared, how many bytes have been accepted (the file's first `received` bytes are the upload, in
//   order) and when it began and last received a chunk (24 hours later it is abandoned). The SHA-256
//   is recomputed from the temp file when the upload finishes, so no process-held hash is needed.
// - verify_jobs: a 记录校验 running in the background (services/verifyJobs.ts). The process running it
//   writes its progress, heartbeat and result to the row; a status poll through any process reads it.
// Both are operational (domain/records.ts): not part of the full-process record, not copied by
// `lrw copy`. A stored file and a verification's alarm are recorded in the chain as before.
export const version = 14;
export const name = 'work_in_flight';

const tables = (bigint: string) => `
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  expected_size ${bigint} NOT NULL CHECK (expected_size >= 0),
  received ${bigint} NOT NULL DEFAULT 0 CHECK (received >= 0),
  tmp_name TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  touched_at TEXT NOT NULL,
  CHECK (received <= expected_size)
);
CREATE INDEX uploads_touched ON uploads(touched_at);

CREATE TABLE verify_jobs (
  id TEXT PRIMARY KEY,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  quick INTEGER NOT NULL CHECK (quick IN (0, 1)),
  started_at TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL,
  finished_at TEXT,
  done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  progress_json TEXT,
  result_json TEXT,
  error_json TEXT,
  alarm_id INTEGER REFERENCES audit_alarms(id)
);
CREATE INDEX verify_jobs_done ON verify_jobs(done, finished_at);
`;

export const sqlite = tables('INTEGER');

export const postgres = tables('BIGINT');
