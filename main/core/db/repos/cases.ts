import type { CaseState, Outcome } from '../../domain/types';
import type { Db } from '../open';

export interface CaseRow {
  id: number;
  case_no: string;
  kind: string;
  title: string;
  party_name: string;
  state: CaseState;
  round: number;
  handler_id: number;
  reviewer_id: number | null;
  last_outcome: Outcome | null;
  head_override: number;
  catalog_version: number;
  catalog_item: string;
  created_at: string;
  updated_at: string;
}

/** A case row joined with the display names a list needs. */
export interface CaseListRow extends CaseRow {
  handler_name: string;
  reviewer_name: string | null;
}

const LIST_SELECT = `SELECT c.*, h.display_name AS handler_name, r.display_name AS reviewer_name
  FROM cases c JOIN users h ON h.id = c.handler_id LEFT JOIN users r ON r.id = c.reviewer_id`;

export const getCase = (db: Db, id: number): CaseListRow | undefined =>
  db.prepare(`${LIST_SELECT} WHERE c.id = ?`).get(id) as CaseListRow | undefined;

export const caseIdByNo = (db: Db, caseNo: string): number | undefined =>
  db.prepare('SELECT id FROM cases WHERE case_no = ?').pluck().get(caseNo) as number | undefined;

export function insertCase(
  db: Db,
  c: Pick<CaseRow, 'case_no' | 'kind' | 'title' | 'party_name' | 'handler_id' | 'catalog_version' | 'catalog_item'>,
  at: string,
): number {
  return db
    .prepare(
      `INSERT INTO cases (case_no, kind, title, party_name, state, round, handler_id, catalog_version, catalog_item, created_at, updated_at)
       VALUES (@case_no, @kind, @title, @party_name, 'submitted', 1, @handler_id, @catalog_version, @catalog_item, @at, @at)`,
    )
    .run({ ...c, at }).lastInsertRowid as number;
}

/** The only mutable part of a case is its current position in the workflow; history lives elsewhere. */
export function updateCase(
  db: Db,
  id: number,
  f: Partial<Pick<CaseRow, 'state' | 'round' | 'reviewer_id' | 'last_outcome' | 'head_override' | 'case_no' | 'kind' | 'title' | 'party_name' | 'catalog_version' | 'catalog_item'>>,
  at: string,
): void {
  const keys = Object.keys(f);
  const set = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @at'].join(', ');
  db.prepare(`UPDATE cases SET ${set} WHERE id = @id`).run({ ...f, id, at });
}

export interface SubmissionRow {
  id: number;
  case_id: number;
  round: number;
  payload_json: string;
  change_note: string | null;
  submitted_by: number;
  submitted_at: string;
  submitter_name: string;
}

export function insertSubmission(
  db: Db,
  s: { caseId: number; round: number; payload: unknown; changeNote: string | null; by: number; officerIds: number[]; attachments: { sha256: string; name: string }[] },
  at: string,
): number {
  const id = db
    .prepare(
      `INSERT INTO submissions (case_id, round, payload_json, change_note, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(s.caseId, s.round, JSON.stringify(s.payload), s.changeNote, s.by, at).lastInsertRowid as number;
  const off = db.prepare('INSERT INTO submission_officers (submission_id, user_id) VALUES (?, ?)');
  for (const u of new Set(s.officerIds)) off.run(id, u);
  const att = db.prepare('INSERT OR IGNORE INTO submission_attachments (submission_id, sha256, name) VALUES (?, ?, ?)');
  for (const a of s.attachments) att.run(id, a.sha256, a.name);
  return id;
}

export const submissionsOf = (db: Db, caseId: number): SubmissionRow[] =>
  db
    .prepare(
      `SELECT s.*, u.display_name AS submitter_name FROM submissions s JOIN users u ON u.id = s.submitted_by
       WHERE s.case_id = ? ORDER BY s.round`,
    )
    .all(caseId) as SubmissionRow[];

export const attachmentsOf = (db: Db, submissionId: number) =>
  db
    .prepare(
      `SELECT a.sha256, a.name, b.size FROM submission_attachments a JOIN blobs b ON b.sha256 = a.sha256
       WHERE a.submission_id = ? ORDER BY a.name`,
    )
    .all(submissionId) as { sha256: string; name: string; size: number }[];

/** Everyone who acted on the case as officer in any round: they may never review it. */
export const officerIdsOfCase = (db: Db, caseId: number): number[] =>
  db
    .prepare(
      `SELECT DISTINCT o.user_id FROM submission_officers o JOIN submissions s ON s.id = o.submission_id WHERE s.case_id = ?`,
    )
    .pluck()
    .all(caseId) as number[];

export function setSearchText(db: Db, caseId: number, body: string): void {
  db.prepare('DELETE FROM case_search WHERE rowid = ?').run(caseId);
  db.prepare('INSERT INTO case_search (rowid, body) VALUES (?, ?)').run(caseId, body);
}

export interface CaseFilter {
  query: string;
  state?: CaseState;
  /** Only cases this user handles or acted on as an officer. */
  visibleTo?: number;
  limit: number;
  offset: number;
}

/**
 * Substring search. Three or more characters use the trigram index (MATCH); shorter queries
 * (a two-character name such as 张三) fall back to LIKE on the same index table.
 */
export function searchCases(db: Db, f: CaseFilter): { total: number; rows: CaseListRow[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  const q = f.query.trim();
  if (q) {
    if ([...q].length >= 3) {
      where.push('c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH @match)');
      params.match = `"${q.replace(/"/g, '""')}"`;
    } else {
      where.push(`c.id IN (SELECT rowid FROM case_search WHERE body LIKE @like ESCAPE '\\')`);
      params.like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    }
  }
  if (f.state) {
    where.push('c.state = @state');
    params.state = f.state;
  }
  if (f.visibleTo !== undefined) {
    where.push(`(c.handler_id = @uid OR c.id IN (SELECT s.case_id FROM submissions s
      JOIN submission_officers o ON o.submission_id = s.id WHERE o.user_id = @uid))`);
    params.uid = f.visibleTo;
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT COUNT(*) FROM cases c ${w}`).pluck().get(params) as number;
  const rows = db
    .prepare(`${LIST_SELECT} ${w} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`)
    .all(params) as CaseListRow[];
  return { total, rows };
}

/** Cases in the given states, optionally only those handled by / assigned to a user. */
export function casesInStates(
  db: Db,
  states: CaseState[],
  opts: { handlerId?: number; reviewerId?: number | null; limit?: number } = {},
): CaseListRow[] {
  const where = [`c.state IN (${states.map(() => '?').join(',')})`];
  const params: unknown[] = [...states];
  if (opts.handlerId !== undefined) {
    where.push('c.handler_id = ?');
    params.push(opts.handlerId);
  }
  if (opts.reviewerId === null) where.push('c.reviewer_id IS NULL');
  else if (opts.reviewerId !== undefined) {
    where.push('c.reviewer_id = ?');
    params.push(opts.reviewerId);
  }
  params.push(opts.limit ?? 500);
  return db.prepare(`${LIST_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.updated_at LIMIT ?`).all(...params) as CaseListRow[];
}

export function insertBlob(db: Db, sha256: string, size: number, at: string): void {
  db.prepare('INSERT OR IGNORE INTO blobs (sha256, size, stored_at) VALUES (?, ?, ?)').run(sha256, size, at);
}

export const blobExists = (db: Db, sha256: string): boolean =>
  db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha256) !== undefined;
