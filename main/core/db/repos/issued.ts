import type { Db } from '../open';

export interface IssuedRow {
  id: number;
  case_id: number;
  document_version_id: number;
  format: 'pdf' | 'docx' | 'p7s';
  sha256: string;
  size: number;
  name: string;
  signer_id: number;
  identity_id: number;
  issued_at: string;
}

export const issuedFilesOfCase = async (db: Db, caseId: number) =>
  await db.all('SELECT * FROM issued_files WHERE case_id = ? ORDER BY id', [caseId]) as IssuedRow[];

export async function insertIssued(
  db: Db, r: Omit<IssuedRow, 'id'>): Promise<number> {
  return await db.insert(`INSERT INTO issued_files (case_id, document_version_id, format, sha256, size, name, signer_id, identity_id, issued_at)
       VALUES (@case_id, @document_version_id, @format, @sha256, @size, @name, @signer_id, @identity_id, @issued_at)`, r) as number;
}

export const issuedById = async (db: Db, id: number) => await db.get('SELECT * FROM issued_files WHERE id = ?', [id]) as IssuedRow | undefined;
