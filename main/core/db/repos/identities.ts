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
  retired_at?: string | null;
}

export async function insertIdentity(
  db: Db, r: Omit<IdentityRow, 'id' | 'retired_at'>): Promise<number> {
  return await db.insert(`INSERT INTO signing_identities (user_id, p12_sha256, subject_cn, issuer_cn, serial, not_before, not_after, trial, created_at)
       VALUES (@user_id, @p12_sha256, @subject_cn, @issuer_cn, @serial, @not_before, @not_after, @trial, @created_at)`, r) as number;
}

/** The user's identities, newest first. */
export const activeIdentitiesOf = async (db: Db, userId: number) =>
  await db.all('SELECT * FROM signing_identities WHERE user_id = ? AND retired_at IS NULL ORDER BY id DESC', [userId]) as IdentityRow[];

/** Users holding at least one signing identity in use and valid at this instant (ISO), for the setup checklist. */
export const usersWithValidIdentity = async (db: Db, at: string): Promise<Set<number>> =>
  new Set((await db.column<number>('SELECT DISTINCT user_id FROM signing_identities WHERE retired_at IS NULL AND not_before <= ? AND not_after > ?', [at, at])).map(Number));

export const identityByFingerprint = async (db: Db, userId: number, fp: string) =>
  await db.get('SELECT * FROM signing_identities WHERE user_id = ? AND p12_sha256 = ?', [userId, fp]) as IdentityRow | undefined;

/** The first issued file with these bytes (the case row is read separately, under the reader's own rights). */
export const issuedBySha = async (db: Db, sha256: string) =>
  await db.get('SELECT f.name, f.issued_at, f.case_id FROM issued_files f WHERE f.sha256 = ? ORDER BY f.id LIMIT 1', [sha256]) as { name: string; issued_at: string; case_id: number } | undefined;

export async function retireIdentity(
  db: Db, userId: number, fp: string, at: string): Promise<number> {
  return await db.run('UPDATE signing_identities SET retired_at = ? WHERE user_id = ? AND p12_sha256 = ? AND retired_at IS NULL', [at, userId, fp]);
}

/** Any user's identity with this certificate fingerprint (a certificate belongs to one person). */
export const identityOfCertificate = async (db: Db, fp: string) =>
  await db.get('SELECT * FROM signing_identities WHERE p12_sha256 = ? ORDER BY id LIMIT 1', [fp]) as IdentityRow | undefined;

/** The public certificates a desktop registered for an identity (migration 016): DER, signer first. */
export async function insertCertificateChain(db: Db, identityId: number, chain: readonly Buffer[], at: string): Promise<void> {
  await db.run('INSERT INTO identity_certificates (identity_id, chain_der, registered_at) VALUES (?, ?, ?)', [identityId, chain.map((c) => c.toString('base64')).join(','), at]);
}

export async function certificateChainOf(db: Db, identityId: number): Promise<Buffer[] | undefined> {
  const row = await db.get('SELECT chain_der FROM identity_certificates WHERE identity_id = ?', [identityId]) as { chain_der: string } | undefined;
  return row ? row.chain_der.split(',').map((b) => Buffer.from(b, 'base64')) : undefined;
}

/** A document rendered on the server, waiting for its signer's desktop (migration 016; operational). */
export interface IssueRequestRow {
  id: string;
  user_id: number;
  case_id: number;
  template_id: string;
  version_id: number;
  identity_id: number;
  signer_role: string;
  head_seq: number | null;
  signing_time: string;
  pdf: string;
  docx: string;
  created_at: string;
}

export async function insertIssueRequest(db: Db, r: IssueRequestRow): Promise<void> {
  await db.run(`INSERT INTO issue_requests (id, user_id, case_id, template_id, version_id, identity_id, signer_role, head_seq, signing_time, pdf, docx, created_at)
    VALUES (@id, @user_id, @case_id, @template_id, @version_id, @identity_id, @signer_role, @head_seq, @signing_time, @pdf, @docx, @created_at)`, { ...r });
}

export const issueRequestById = async (db: Db, id: string) =>
  await db.get('SELECT * FROM issue_requests WHERE id = ?', [id]) as IssueRequestRow | undefined;

/** Removes a request once used; the count says whether this call was the one that took it. */
export const takeIssueRequest = async (db: Db, id: string) => await db.run('DELETE FROM issue_requests WHERE id = ?', [id]);

/** Requests older than `before` (abandoned), and a user's earlier requests for the same document. */
export const dropIssueRequests = async (db: Db, before: string, userId: number, caseId: number, templateId: string) =>
  await db.run('DELETE FROM issue_requests WHERE created_at < ? OR (user_id = ? AND case_id = ? AND template_id = ?)', [before, userId, caseId, templateId]);
