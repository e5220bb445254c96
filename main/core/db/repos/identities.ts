import type { Db } from '../open';

export interface IdentityRow {
  id: number;
  user_id: number;
  p12_sha256: string;
  subject_cn: string;
  issuer_cn: string;
  serial: string;
  not_before: string;
  not_after: string;
  trial: number;
  created_at: string;
}

export async function insertIdentity(
  db: Db, r: Omit<IdentityRow, 'id'>): Promise<number> {
  return await db.insert(`INSERT INTO signing_identities (user_id, p12_sha256, subject_cn, issuer_cn, serial, not_before, not_after, trial, created_at)
       VALUES (@user_id, @p12_sha256, @subject_cn, @issuer_cn, @serial, @not_before, @not_after, @trial, @created_at)`, r) as number;
}

/** The user's identities, newest first. */
export const activeIdentitiesOf = async (db: Db, userId: number) =>
  await db.all('SELECT * FROM signing_identities WHERE user_id = ? AND retired_at IS NULL ORDER BY id DESC', [userId]) as IdentityRow[];

export const identityByFingerprint = async (db: Db, userId: number, fp: string) =>
  await db.get('SELECT * FROM signing_identities WHERE user_id = ? AND p12_sha256 = ?', [userId, fp]) as IdentityRow | undefined;

/** The first issued file with these bytes (the case row is read separately, under the reader's own rights). */
export const issuedBySha = async (db: Db, sha256: string) =>
  await db.get('SELECT f.name, f.issued_at, f.case_id FROM issued_files f WHERE f.sha256 = ? ORDER BY f.id LIMIT 1', [sha256]) as { name: string; issued_at: string; case_id: number } | undefined;

export async function retireIdentity(
  db: Db, userId: number, fp: string, at: string): Promise<number> {
  return await db.run('UPDATE signing_identities SET retired_at = ? WHERE user_id = ? AND p12_sha256 = ? AND retired_at IS NULL', [at, userId, fp]);
}
