import type { Db } from '../open';

export interface TemplateOverrideRow {
  template_id: string;
  source: string;
  note: string;
  saved_by_name: string;
  saved_at: string;
}

export async function insertTemplateOverride(db: Db, o: { templateId: string; source: string; note: string; by: number; at: string }): Promise<void> {
  await db.run('INSERT INTO template_overrides (template_id, source, note, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)', [o.templateId, o.source, o.note, o.by, o.at]);
}

/** The copy in force for each template id (the newest). */
export const currentTemplateOverrides = async (db: Db): Promise<TemplateOverrideRow[]> =>
  await db.all(`SELECT o.template_id, o.source, o.note, u.display_name AS saved_by_name, o.saved_at FROM template_overrides o
       JOIN users u ON u.id = o.saved_by WHERE o.id = (SELECT MAX(id) FROM template_overrides WHERE template_id = o.template_id)`) as TemplateOverrideRow[];

export interface DocumentRow {
  id: number;
  case_id: number;
  template_id: string;
  doc_number: string | null;
}

export const getDocument = async (db: Db, caseId: number, templateId: string) =>
  await db.get('SELECT id, case_id, template_id, doc_number FROM documents WHERE case_id = ? AND template_id = ?', [caseId, templateId]) as DocumentRow | undefined;

export const documentsOfCase = async (db: Db, caseId: number) =>
  await db.all('SELECT id, case_id, template_id, doc_number FROM documents WHERE case_id = ? ORDER BY id', [caseId]) as DocumentRow[];

export async function insertDocument(
  db: Db, caseId: number, templateId: string, by: number, at: string): Promise<number> {
  return await db.insert('INSERT INTO documents (case_id, template_id, created_by, created_at) VALUES (?, ?, ?, ?)', [caseId, templateId, by, at]) as number;
}

export async function setDocNumber(
  db: Db, id: number, docNumber: string): Promise<void> {
  await db.run('UPDATE documents SET doc_number = ? WHERE id = ? AND doc_number IS NULL', [docNumber, id]);
}

/** Next serial for a prefix and year; the row is created on first use. */
export async function nextSerial(
  db: Db, prefix: string, year: number): Promise<number> {
  await db.run('INSERT INTO doc_serials (prefix, year, last_serial) VALUES (?, ?, 0) ON CONFLICT (prefix, year) DO NOTHING', [prefix, year]);
  await db.run('UPDATE doc_serials SET last_serial = last_serial + 1 WHERE prefix = ? AND year = ?', [prefix, year]);
  return await db.value('SELECT last_serial FROM doc_serials WHERE prefix = ? AND year = ?', [prefix, year]) as number;
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

export async function insertVersion(
  db: Db,
  v: { documentId: number; modelJson: string; draftJson: string | null; sha256: string; final: boolean; note: string; by: number; at: string },
): Promise<VersionRow> {
  const version = ((await db.value('SELECT MAX(version) FROM document_versions WHERE document_id = ?', [v.documentId]) as number | null) ?? 0) + 1;
  const id = await db.insert(`INSERT INTO document_versions (document_id, version, model_json, draft_json, sha256, final, note, saved_by, saved_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [v.documentId, version, v.modelJson, v.draftJson, v.sha256, v.final ? 1 : 0, v.note, v.by, v.at]) as number;
  return await db.get(`${VERSION_SELECT} WHERE v.id = ?`, [id]) as VersionRow;
}

export const versionsOf = async (db: Db, documentId: number) =>
  await db.all(`${VERSION_SELECT} WHERE v.document_id = ? ORDER BY v.version`, [documentId]) as VersionRow[];

export const versionById = async (db: Db, id: number) => await db.get(`${VERSION_SELECT} WHERE v.id = ?`, [id]) as VersionRow | undefined;

export interface ClauseRow {
  id: number;
  category: '事理' | '法理' | '情理';
  title: string;
  text: string;
  created_by_name: string;
  created_at: string;
}

export const activeClauses = async (db: Db) =>
  await db.all(`SELECT c.id, c.category, c.title, c.text, u.display_name AS created_by_name, c.created_at FROM clauses c
       JOIN users u ON u.id = c.created_by WHERE c.retired_at IS NULL ORDER BY c.category, c.id`) as ClauseRow[];

export async function insertClause(db: Db, c: { category: string; title: string; text: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO clauses (category, title, text, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [c.category, c.title, c.text, c.by, c.at]) as number;
}

export async function retireClause(
  db: Db, id: number, at: string): Promise<number> {
  return await db.run('UPDATE clauses SET retired_at = ? WHERE id = ? AND retired_at IS NULL', [at, id]);
}
