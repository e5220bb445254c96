// The record-signing keys' public halves and the signed checkpoints (migration 011).
import type { Db } from '../open';

export interface RecordKeyRow {
  id: number;
  algorithm: 'ed25519' | 'sm2';
  public_key_pem: string;
  fingerprint: string;
  created_by: number | null;
  created_at: string;
}

export interface CheckpointRow {
  id: number;
  seq: number;
  hash: string;
  at: string;
  key_id: number;
  reason: 'interval' | 'issue' | 'shutdown' | 'export';
  /** SHA-256 (hex) of the previous checkpoint's signed message and signature; 64 zeros for the first. */
  prev: string;
  signature: string;
}

/** The key new checkpoints are signed with: the newest. */
export const currentRecordKey = async (db: Db): Promise<RecordKeyRow | undefined> =>
  await db.get<RecordKeyRow>('SELECT * FROM record_keys ORDER BY id DESC LIMIT 1');

export const allRecordKeys = async (db: Db): Promise<RecordKeyRow[]> => await db.all<RecordKeyRow>('SELECT * FROM record_keys ORDER BY id');

export async function insertRecordKey(db: Db, k: Omit<RecordKeyRow, 'id'>): Promise<number> {
  return await db.insert(
    'INSERT INTO record_keys (algorithm, public_key_pem, fingerprint, created_by, created_at) VALUES (@algorithm, @public_key_pem, @fingerprint, @created_by, @created_at)',
    { ...k },
  );
}

export async function insertCheckpoint(db: Db, c: Omit<CheckpointRow, 'id'>): Promise<number> {
  return await db.insert('INSERT INTO checkpoints (seq, hash, at, key_id, reason, prev, signature) VALUES (@seq, @hash, @at, @key_id, @reason, @prev, @signature)', { ...c });
}

export const lastCheckpoint = async (db: Db): Promise<CheckpointRow | undefined> =>
  await db.get<CheckpointRow>('SELECT * FROM checkpoints ORDER BY id DESC LIMIT 1');

export const latestCheckpointSeq = async (db: Db): Promise<number | null> => {
  const v = await db.value<number | string | null>('SELECT MAX(seq) FROM checkpoints');
  return v === null || v === undefined ? null : Number(v);
};

/** Every checkpoint in chain order (a page at a time). */
export async function* iterateCheckpoints(db: Db, pageSize = 5000): AsyncGenerator<CheckpointRow> {
  let after = 0;
  for (;;) {
    const page = await db.all<CheckpointRow>('SELECT * FROM checkpoints WHERE id > ? ORDER BY id LIMIT ?', [after, pageSize]);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].id;
  }
}

/** The event numbers checkpoints sign, so a verifier walking the chain can keep just those hashes. */
export const checkpointSeqList = async (db: Db): Promise<number[]> =>
  (await db.column<number | string>('SELECT DISTINCT seq FROM checkpoints')).map(Number);
