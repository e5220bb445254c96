// Service and execution records (送达、履行与执行, migration 018): insert-only, read in the order written.
import type { Db } from '../open';

export interface ServiceRecordRow {
  id: number;
  case_id: number;
  document_id: number | null;
  document_name: string;
  method: 'direct' | 'post' | 'left' | 'entrusted' | 'notice';
  recipient: string;
  served_on: string;
  details_json: string;
  files_json: string;
  by_id: number;
  by_name: string;
  at: string;
}

export type ExecutionStep = 'paid' | 'performed' | 'rectification' | 'reminder' | 'statement' | 'enforced' | 'court_applied' | 'court_result';

export interface ExecutionRecordRow {
  id: number;
  case_id: number;
  step: ExecutionStep;
  on_date: string;
  amount_fen: number | null;
  measure: string | null;
  text: string;
  files_json: string;
  by_id: number;
  by_name: string;
  at: string;
}

export async function insertServiceRecord(db: Db, r: Omit<ServiceRecordRow, 'id' | 'by_name'>): Promise<number> {
  return await db.insert(`INSERT INTO service_records (case_id, document_id, document_name, method, recipient, served_on, details_json, files_json, by_id, at)
    VALUES (@case_id, @document_id, @document_name, @method, @recipient, @served_on, @details_json, @files_json, @by_id, @at)`, r) as number;
}

export async function insertExecutionRecord(db: Db, r: Omit<ExecutionRecordRow, 'id' | 'by_name'>): Promise<number> {
  return await db.insert(`INSERT INTO execution_records (case_id, step, on_date, amount_fen, measure, text, files_json, by_id, at)
    VALUES (@case_id, @step, @on_date, @amount_fen, @measure, @text, @files_json, @by_id, @at)`, r) as number;
}

export const serviceRecordsOf = async (db: Db, caseId: number) =>
  (await db.all('SELECT s.*, u.display_name AS by_name FROM service_records s JOIN users u ON u.id = s.by_id WHERE s.case_id = ? ORDER BY s.id', [caseId]) as ServiceRecordRow[])
    .map((r) => ({ ...r, id: Number(r.id), document_id: r.document_id === null ? null : Number(r.document_id) }));

export const executionRecordsOf = async (db: Db, caseId: number) =>
  (await db.all('SELECT e.*, u.display_name AS by_name FROM execution_records e JOIN users u ON u.id = e.by_id WHERE e.case_id = ? ORDER BY e.id', [caseId]) as ExecutionRecordRow[])
    .map((r) => ({ ...r, id: Number(r.id), amount_fen: r.amount_fen === null ? null : Number(r.amount_fen) }));

/** The case's documents that have been issued (signed files stored), with their template and number. */
export const issuedDocumentsOf = async (db: Db, caseId: number) =>
  (await db.all(`SELECT d.id, d.template_id, d.doc_number, MIN(f.issued_at) AS issued_at
      FROM documents d JOIN document_versions v ON v.document_id = d.id JOIN issued_files f ON f.document_version_id = v.id
      WHERE d.case_id = ? GROUP BY d.id, d.template_id, d.doc_number ORDER BY d.id`, [caseId]) as { id: number; template_id: string; doc_number: string | null; issued_at: string }[])
    .map((d) => ({ ...d, id: Number(d.id) }));
