// Archived case files (案卷, migration 019): the frozen file, its custodian's receipt, its supplements.
import type { Db } from '../open';

export interface CaseFileRow {
  id: number;
  case_id: number;
  custodian_id: number;
  custodian_name: string;
  head_seq: number;
  head_hash: string;
  pdf_sha256: string;
  record_sha256: string;
  manifest_json: string;
  by_id: number;
  by_name: string;
  at: string;
  received_at: string | null;
  received_note: string | null;
}

export interface SupplementRow {
  id: number;
  case_file_id: number;
  case_id: number;
  kind: 'correction' | 'withdrawal' | 'inspection' | 'other';
  title: string;
  text: string;
  files_json: string;
  by_id: number;
  by_name: string;
  at: string;
}

export async function insertCaseFile(db: Db, r: Omit<CaseFileRow, 'id' | 'custodian_name' | 'by_name' | 'received_at' | 'received_note'>): Promise<number> {
  return await db.insert(`INSERT INTO case_files (case_id, custodian_id, head_seq, head_hash, pdf_sha256, record_sha256, manifest_json, by_id, at)
    VALUES (@case_id, @custodian_id, @head_seq, @head_hash, @pdf_sha256, @record_sha256, @manifest_json, @by_id, @at)`, r) as number;
}

export async function insertReceipt(db: Db, r: { case_file_id: number; custodian_id: number; note: string; at: string }): Promise<void> {
  await db.run('INSERT INTO case_file_receipts (case_file_id, custodian_id, note, at) VALUES (@case_file_id, @custodian_id, @note, @at)', r);
}

export async function insertSupplement(db: Db, r: Omit<SupplementRow, 'id' | 'by_name'>): Promise<number> {
  return await db.insert(`INSERT INTO case_file_supplements (case_file_id, case_id, kind, title, text, files_json, by_id, at)
    VALUES (@case_file_id, @case_id, @kind, @title, @text, @files_json, @by_id, @at)`, r) as number;
}

const FILE_SELECT = `SELECT f.*, c.display_name AS custodian_name, b.display_name AS by_name, r.at AS received_at, r.note AS received_note
  FROM case_files f JOIN users c ON c.id = f.custodian_id JOIN users b ON b.id = f.by_id
  LEFT JOIN case_file_receipts r ON r.case_file_id = f.id`;

const fileRow = (r: CaseFileRow): CaseFileRow => ({ ...r, id: Number(r.id), case_id: Number(r.case_id), custodian_id: Number(r.custodian_id), head_seq: Number(r.head_seq), by_id: Number(r.by_id) });

export async function caseFileOf(db: Db, caseId: number): Promise<CaseFileRow | undefined> {
  const r = await db.get<CaseFileRow>(`${FILE_SELECT} WHERE f.case_id = ?`, [caseId]);
  return r ? fileRow(r) : undefined;
}

/** Case files handed to this custodian and not yet received (their 待办). */
export const unreceivedCaseIdsOf = async (db: Db, custodianId: number): Promise<number[]> =>
  (await db.column('SELECT f.case_id FROM case_files f LEFT JOIN case_file_receipts r ON r.case_file_id = f.id WHERE f.custodian_id = ? AND r.case_file_id IS NULL ORDER BY f.id', [custodianId]) as number[]).map(Number);

/** Every case whose file was handed to this custodian. */
export const caseIdsKeptBy = async (db: Db, custodianId: number): Promise<number[]> =>
  (await db.column('SELECT case_id FROM case_files WHERE custodian_id = ?', [custodianId]) as number[]).map(Number);

export const isCustodianOf = async (db: Db, caseId: number, userId: number): Promise<boolean> =>
  await db.get('SELECT 1 FROM case_files WHERE case_id = ? AND custodian_id = ?', [caseId, userId]) !== undefined;

export const supplementsOf = async (db: Db, caseId: number): Promise<SupplementRow[]> =>
  (await db.all<SupplementRow>('SELECT s.*, u.display_name AS by_name FROM case_file_supplements s JOIN users u ON u.id = s.by_id WHERE s.case_id = ? ORDER BY s.id', [caseId]))
    .map((s) => ({ ...s, id: Number(s.id), case_file_id: Number(s.case_file_id), case_id: Number(s.case_id), by_id: Number(s.by_id) }));

/** Active users holding the custodian role (档案管理员), whom a case file may be handed to. */
export const activeCustodians = async (db: Db): Promise<{ id: number; name: string }[]> =>
  (await db.all<{ id: number; name: string }>(`SELECT u.id, u.display_name AS name FROM users u JOIN user_roles r ON r.user_id = u.id
    WHERE r.role = 'custodian' AND u.active = 1 ORDER BY u.id`)).map((u) => ({ id: Number(u.id), name: u.name }));

/** Every issued file of the case with its document's template, in the order issued. */
export const issuedFilesWithTemplate = async (db: Db, caseId: number) =>
  (await db.all<{ id: number; document_version_id: number; format: 'pdf' | 'docx' | 'p7s'; sha256: string; size: number; name: string; issued_at: string; template_id: string; document_id: number }>(
    `SELECT f.id, f.document_version_id, f.format, f.sha256, f.size, f.name, f.issued_at, d.template_id, d.id AS document_id
       FROM issued_files f JOIN document_versions v ON v.id = f.document_version_id JOIN documents d ON d.id = v.document_id
      WHERE f.case_id = ? ORDER BY f.issued_at, f.id`, [caseId]))
    .map((f) => ({ ...f, id: Number(f.id), document_version_id: Number(f.document_version_id), size: Number(f.size), document_id: Number(f.document_id) }));

/** The latest signed checkpoint with its public key (the record extract carries it), or none. */
export const latestCheckpoint = async (db: Db) =>
  await db.get<{ seq: number; hash: string; at: string; reason: string; prev: string; signature: string; algorithm: string; fingerprint: string; public_key_pem: string }>(
    `SELECT c.seq, c.hash, c.at, c.reason, c.prev, c.signature, k.algorithm, k.fingerprint, k.public_key_pem
       FROM checkpoints c JOIN record_keys k ON k.id = c.key_id ORDER BY c.seq DESC LIMIT 1`);
