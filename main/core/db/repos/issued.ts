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

export const issuedFilesOfCase = (db: Db, caseId: number) =>
  db.prepare('SELECT * FROM issued_files WHERE case_id = ? ORDER BY id').all(caseId) as IssuedRow[];

export function insertIssued(db: Db, r: Omit<IssuedRow, 'id'>): number {
  return db
    .prepare(
      `INSERT INTO issued_files (case_id, document_version_id, format, sha256, size, name, signer_id, identity_id, issued_at)
       VALUES (@case_id, @document_version_id, @format, @sha256, @size, @name, @signer_id, @identity_id, @issued_at)`,
    )
    .run(r).lastInsertRowid as number;
}

export const issuedById = (db: Db, id: number) => db.prepare('SELECT * FROM issued_files WHERE id = ?').get(id) as IssuedRow | undefined;
