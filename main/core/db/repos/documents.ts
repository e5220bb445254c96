import type { Db } from '../open';

export interface TemplateOverrideRow {
  template_id: string;
  source: string;
  note: string;
  saved_by_name: string;
  saved_at: string;
}

export function insertTemplateOverride(db: Db, o: { templateId: string; source: string; note: string; by: number; at: string }): void {
  db.prepare('INSERT INTO template_overrides (template_id, source, note, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)').run(o.templateId, o.source, o.note, o.by, o.at);
}

/** The copy in force for each template id (the newest). */
export const currentTemplateOverrides = (db: Db): TemplateOverrideRow[] =>
  db
    .prepare(
      `SELECT o.template_id, o.source, o.note, u.display_name AS saved_by_name, o.saved_at FROM template_overrides o
       JOIN users u ON u.id = o.saved_by WHERE o.id = (SELECT MAX(id) FROM template_overrides WHERE template_id = o.template_id)`,
    )
    .all() as TemplateOverrideRow[];

export interface DocumentRow {
  id: number;
  case_id: number;
  template_id: string;
  doc_number: string | null;
}

export const getDocument = (db: Db, caseId: number, templateId: string) =>
  db.prepare('SELECT id, case_id, template_id, doc_number FROM documents WHERE case_id = ? AND template_id = ?').get(caseId, templateId) as DocumentRow | undefined;

export const documentsOfCase = (db: Db, caseId: number) =>
  db.prepare('SELECT id, case_id, template_id, doc_number FROM documents WHERE case_id = ? ORDER BY id').all(caseId) as DocumentRow[];

export function insertDocument(db: Db, caseId: number, templateId: string, by: number, at: string): number {
  return db.prepare('INSERT INTO documents (case_id, template_id, created_by, created_at) VALUES (?, ?, ?, ?)').run(caseId, templateId, by, at).lastInsertRowid as number;
}

export function setDocNumber(db: Db, id: number, docNumber: string): void {
  db.prepare('UPDATE documents SET doc_number = ? WHERE id = ? AND doc_number IS NULL').run(docNumber, id);
}

/** Next serial for a prefix and year; the row is created on first use. */
export function nextSerial(db: Db, prefix: string, year: number): number {
  db.prepare('INSERT INTO doc_serials (prefix, year, last_serial) VALUES (?, ?, 0) ON CONFLICT (prefix, year) DO NOTHING').run(prefix, year);
  db.prepare('UPDATE doc_serials SET last_serial = last_serial + 1 WHERE prefix = ? AND year = ?').run(prefix, year);
  return db.prepare('SELECT last_serial FROM doc_serials WHERE prefix = ? AND year = ?').pluck().get(prefix, year) as number;
}

export interface VersionRow {
  id: number;
  document_id: number;
  version: number;
  model_json: string;
  draft_json: string | null;
  sha256: string;
  final: number;
  note: string;
  saved_by: number;
  saved_by_name: string;
  saved_at: string;
}

const VERSION_SELECT = 'SELECT v.*, u.display_name AS saved_by_name FROM document_versions v JOIN users u ON u.id = v.saved_by';

export function insertVersion(
  db: Db,
  v: { documentId: number; modelJson: string; draftJson: string | null; sha256: string; final: boolean; note: string; by: number; at: string },
): VersionRow {
  const version = ((db.prepare('SELECT MAX(version) FROM document_versions WHERE document_id = ?').pluck().get(v.documentId) as number | null) ?? 0) + 1;
  const id = db
    .prepare(
      `INSERT INTO document_versions (document_id, version, model_json, draft_json, sha256, final, note, saved_by, saved_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(v.documentId, version, v.modelJson, v.draftJson, v.sha256, v.final ? 1 : 0, v.note, v.by, v.at).lastInsertRowid as number;
  return db.prepare(`${VERSION_SELECT} WHERE v.id = ?`).get(id) as VersionRow;
}

export const versionsOf = (db: Db, documentId: number) =>
  db.prepare(`${VERSION_SELECT} WHERE v.document_id = ? ORDER BY v.version`).all(documentId) as VersionRow[];

export const versionById = (db: Db, id: number) => db.prepare(`${VERSION_SELECT} WHERE v.id = ?`).get(id) as VersionRow | undefined;

export interface ClauseRow {
  id: number;
  category: '事理' | '法理' | '情理';
  title: string;
  text: string;
  created_by_name: string;
  created_at: string;
}

export const activeClauses = (db: Db) =>
  db
    .prepare(
      `SELECT c.id, c.category, c.title, c.text, u.display_name AS created_by_name, c.created_at FROM clauses c
       JOIN users u ON u.id = c.created_by WHERE c.retired_at IS NULL ORDER BY c.category, c.id`,
    )
    .all() as ClauseRow[];

export function insertClause(db: Db, c: { category: string; title: string; text: string; by: number; at: string }): number {
  return db.prepare('INSERT INTO clauses (category, title, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(c.category, c.title, c.text, c.by, c.at).lastInsertRowid as number;
}

export function retireClause(db: Db, id: number, at: string): number {
  return db.prepare('UPDATE clauses SET retired_at = ? WHERE id = ? AND retired_at IS NULL').run(at, id).changes;
}
