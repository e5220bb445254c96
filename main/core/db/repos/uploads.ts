// Uploads in flight (migration 014): one row per attachment arriving in chunks.
import type { Db } from '../open';

export interface UploadRow {
  id: string;
  owner_id: number;
  name: string;
  expected_size: number;
  /** Bytes accepted so far: the temp file's first `received` bytes are the upload, in order. */
  received: number;
  /** The temp file's name under <files>/tmp (a name, not a path: every process resolves it in its own files dir). */
  tmp_name: string;
  started_at: string;
  /** The begin or the last accepted chunk (ISO): 24 hours after it the upload is abandoned. */
  touched_at: string;
}

export async function insertUpload(db: Db, u: Omit<UploadRow, 'received' | 'touched_at'>): Promise<void> {
  await db.run(
    'INSERT INTO uploads (id, owner_id, name, expected_size, received, tmp_name, started_at, touched_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)',
    [u.id, u.owner_id, u.name, u.expected_size, u.tmp_name, u.started_at, u.started_at],
  );
}

export const getUpload = async (db: Db, id: string): Promise<UploadRow | undefined> =>
  await db.get<UploadRow>('SELECT id, owner_id, name, expected_size, received, tmp_name, started_at, touched_at FROM uploads WHERE id = ?', [id]);

/** Records an accepted chunk; only when nobody else has moved the upload on meanwhile (returns false then). */
export async function advanceUpload(db: Db, id: string, from: number, to: number, at: string): Promise<boolean> {
  return (await db.run('UPDATE uploads SET received = ?, touched_at = ? WHERE id = ? AND received = ?', [to, at, id, from])) === 1;
}

/** Removes the row; true when this call removed it (so exactly one caller finishes or aborts an upload). */
export async function deleteUpload(db: Db, id: string): Promise<boolean> {
  return (await db.run('DELETE FROM uploads WHERE id = ?', [id])) === 1;
}

/** Uploads untouched since `cutoff` (ISO), oldest first. */
export const staleUploads = async (db: Db, cutoff: string): Promise<UploadRow[]> =>
  await db.all<UploadRow>('SELECT id, owner_id, name, expected_size, received, tmp_name, started_at, touched_at FROM uploads WHERE touched_at <= ? ORDER BY touched_at, id', [cutoff]);

/** Removes an upload only if it is still untouched since `cutoff` (a chunk that just arrived keeps it). */
export async function deleteStaleUpload(db: Db, id: string, cutoff: string): Promise<boolean> {
  return (await db.run('DELETE FROM uploads WHERE id = ? AND touched_at <= ?', [id, cutoff])) === 1;
}
