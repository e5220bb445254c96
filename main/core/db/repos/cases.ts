import type { CaseState, Outcome } from '../../domain/types';
import type { Db } from '../open';
import { idChunks } from '../store';
import { canonicalJson } from '../../domain/audit';

export interface CaseRow {
  id: number;
  case_no: string;
  kind: string;
  title: string;
  party_name: string;
  state: CaseState;
  round: number;
  /** Proposal cycle: a revision after a rejection starts a new one. */
  cycle: number;
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

export const getCase = async (db: Db, id: number): Promise<CaseListRow | undefined> =>
  await db.get(`${LIST_SELECT} WHERE c.id = ?`, [id]) as CaseListRow | undefined;

export const caseIdByNo = async (db: Db, caseNo: string): Promise<number | undefined> =>
  await db.value('SELECT id FROM cases WHERE case_no = ?', [caseNo]) as number | undefined;

export async function insertCase(
  db: Db,
  c: Pick<CaseRow, 'case_no' | 'kind' | 'title' | 'party_name' | 'handler_id' | 'catalog_version' | 'catalog_item'>,
  at: string,
): Promise<number> {
  return await db.insert(`INSERT INTO cases (case_no, kind, title, party_name, state, round, handler_id, catalog_version, catalog_item, created_at, updated_at)
       VALUES (@case_no, @kind, @title, @party_name, 'submitted', 1, @handler_id, @catalog_version, @catalog_item, @at, @at)`, { ...c, at }) as number;
}

/** The only mutable part of a case is its current position in the workflow; history lives elsewhere. */
export async function updateCase(
  db: Db,
  id: number,
  f: Partial<Pick<CaseRow, 'state' | 'round' | 'cycle' | 'reviewer_id' | 'last_outcome' | 'head_override' | 'case_no' | 'kind' | 'title' | 'party_name' | 'catalog_version' | 'catalog_item'>>,
  at: string,
): Promise<void> {
  const keys = Object.keys(f);
  const set = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @at'].join(', ');
  await db.run(`UPDATE cases SET ${set} WHERE id = @id`, { ...f, id, at });
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

export async function insertSubmission(
  db: Db,
  s: { caseId: number; round: number; payload: unknown; changeNote: string | null; by: number; officerIds: number[]; attachments: { sha256: string; name: string }[] },
  at: string,
): Promise<number> {
  const id = await db.insert(`INSERT INTO submissions (case_id, round, payload_json, change_note, submitted_by, submitted_at) VALUES (?, ?, ?, ?, ?, ?)`, [s.caseId, s.round, canonicalJson(s.payload), s.changeNote, s.by, at]) as number;
  // One statement per table (the chain lock is held until COMMIT: every round trip counts).
  const officers = [...new Set(s.officerIds)];
  if (officers.length) {
    await db.run(`INSERT INTO submission_officers (submission_id, user_id) VALUES ${officers.map(() => '(?, ?)').join(', ')}`, officers.flatMap((u) => [id, u]));
  }
  // The same file under the same name is kept once (the key), as before.
  const seen = new Set<string>();
  const files = s.attachments.filter((a) => !seen.has(`${a.sha256}/${a.name}`) && seen.add(`${a.sha256}/${a.name}`));
  for (let i = 0; i < files.length; i += 200) {
    const part = files.slice(i, i + 200);
    await db.run(`INSERT INTO submission_attachments (submission_id, sha256, name) VALUES ${part.map(() => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`, part.flatMap((a) => [id, a.sha256, a.name]));
  }
  return id;
}

export const submissionsOf = async (db: Db, caseId: number): Promise<SubmissionRow[]> =>
  await db.all(`SELECT s.*, u.display_name AS submitter_name FROM submissions s JOIN users u ON u.id = s.submitted_by
       WHERE s.case_id = ? ORDER BY s.round`, [caseId]) as SubmissionRow[];

export const attachmentsOf = async (db: Db, submissionId: number) =>
  await db.all(`SELECT a.sha256, a.name, b.size FROM submission_attachments a JOIN blobs b ON b.sha256 = a.sha256
       WHERE a.submission_id = ? ORDER BY a.name`, [submissionId]) as { sha256: string; name: string; size: number }[];

/** Everyone who acted on the case as officer in any round: they may never review it. */
export const officerIdsOfCase = async (db: Db, caseId: number): Promise<number[]> =>
  await db.column(`SELECT DISTINCT o.user_id FROM submission_officers o JOIN submissions s ON s.id = o.submission_id WHERE s.case_id = ?`, [caseId]) as number[];

/** officerIdsOfCase for many cases in one statement per chunk (a case without officers maps to []). */
export async function officerIdsOfCases(db: Db, caseIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>(caseIds.map((id) => [id, []]));
  for (const { marks, params } of idChunks(caseIds)) {
    const rows = await db.all<{ case_id: number; user_id: number }>(
      `SELECT DISTINCT s.case_id, o.user_id FROM submission_officers o JOIN submissions s ON s.id = o.submission_id WHERE s.case_id IN (${marks})`,
      params,
    );
    for (const r of rows) out.get(Number(r.case_id))?.push(Number(r.user_id));
  }
  return out;
}

export async function setSearchText(
  db: Db, caseId: number, body: string): Promise<void> {
  if (db.engine === 'sqlite') {
    await db.run('DELETE FROM case_search WHERE rowid = ?', [caseId]);
    await db.run('INSERT INTO case_search (rowid, body) VALUES (?, ?)', [caseId, body]);
  } else {
    await db.run(
      'INSERT INTO case_search (case_id, body) VALUES (?, ?) ON CONFLICT (case_id) DO UPDATE SET body = excluded.body',
      [caseId, body],
    );
  }
}

export interface CaseFilter {
  query: string;
  state?: CaseState;
  /** Only cases this user handles or acted on as an officer. */
  visibleTo?: number;
  limit: number;
  offset: number;
  /** Counting stops past this many hits (default SEARCH_COUNT_CAP). */
  cap?: number;
}

/** Past this many hits a search says "1000+" instead of counting them all. */
export const SEARCH_COUNT_CAP = 1000;

/**
 * Substring search over the case text (numbers, names, facts, findings). SQLite: three or more
 * characters use the FTS5 trigram index (MATCH), shorter ones LIKE on the same table; PostgreSQL: LIKE,
 * which pg_trgm's GIN index serves from three characters on. A query with at most SEARCH_COUNT_CAP hits
 * is counted exactly and its page sorted from those hits; a common one is paged by walking the cases
 * newest first in batches and testing each batch's text, stopping once the page is full, and is shown
 * as "more than SEARCH_COUNT_CAP".
 */
export async function searchCases(db: Db, f: CaseFilter): Promise<{ total: number; capped: boolean; rows: CaseListRow[] }> {
  const cap = f.cap ?? SEARCH_COUNT_CAP;
  const filters: string[] = [];
  const params: Record<string, unknown> = { limit: f.limit, offset: f.offset };
  if (f.state) {
    filters.push('c.state = @state');
    params.state = f.state;
  }
  if (f.visibleTo !== undefined) {
    filters.push(`(c.handler_id = @uid OR c.id IN (SELECT s.case_id FROM submissions s
      JOIN submission_officers o ON o.submission_id = s.id WHERE o.user_id = @uid))`);
    params.uid = f.visibleTo;
  }
  const page = async (where: string[]) =>
    (await db.all(
      `${LIST_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`,
      params,
    )) as CaseListRow[];
  const count = async (where: string[], cap?: number) => {
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (await db.value(cap ? `SELECT COUNT(*) FROM (SELECT 1 FROM cases c ${w} LIMIT ${cap + 1}) x` : `SELECT COUNT(*) FROM cases c ${w}`, params)) as number;
  };

  const q = f.query.trim();
  if (!q) return { total: await count(filters), capped: false, rows: await page(filters) };

  // The set of matching ids: the trigram index from three characters on, a LIKE scan below that.
  let hits: string;
  params.like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const textId = db.engine === 'postgres' ? 'case_id' : 'rowid';
  if (db.engine === 'postgres') {
    hits = `SELECT case_id FROM case_search WHERE body LIKE @like ESCAPE '\\'`;
  } else if ([...q].length >= 3) {
    hits = 'SELECT rowid FROM case_search WHERE case_search MATCH @match';
    params.match = `"${q.replace(/"/g, '""')}"`;
  } else {
    hits = `SELECT rowid FROM case_search WHERE body LIKE @like ESCAPE '\\'`;
  }
  const ids = (await db.column(`${hits} LIMIT ${cap + 1}`, params)) as number[];
  if (ids.length <= cap) {
    if (ids.length === 0) return { total: 0, capped: false, rows: [] };
    // The ids come from the database as integers: safe to write into the statement.
    const where = [`c.id IN (${ids.map((x) => Number(x)).join(',')})`, ...filters];
    return { total: await count(where), capped: false, rows: await page(where) };
  }
  // A common term: walk the cases newest first, a batch at a time, and test each batch's text until the
  // page is full. Done here rather than as one statement so neither engine's planner can choose to
  // scan and sort every hit.
  // With a filter (state, or only the user's own cases) the hits above say nothing about its count:
  // walk on until the cap is passed or the cases run out.
  const want = Math.max(f.offset + f.limit, filters.length ? cap + 1 : 0);
  const found: number[] = [];
  const BATCH = 500;
  let exhausted = false;
  for (let after: { at: string; id: number } | null = null; found.length < want; ) {
    const keyset = after ? ['(c.updated_at < @afterAt OR (c.updated_at = @afterAt AND c.id < @afterId))'] : [];
    const batch = (await db.all(
      `SELECT c.id, c.updated_at FROM cases c ${[...filters, ...keyset].length ? `WHERE ${[...filters, ...keyset].join(' AND ')}` : ''}
       ORDER BY c.updated_at DESC, c.id DESC LIMIT ${BATCH}`,
      { ...params, afterAt: after?.at, afterId: after?.id },
    )) as { id: number; updated_at: string }[];
    if (batch.length === 0) {
      exhausted = true;
      break;
    }
    const list = batch.map((r) => Number(r.id)).join(',');
    const matched = new Set(
      ((await db.column(`SELECT ${textId} FROM case_search WHERE ${textId} IN (${list}) AND body LIKE @like ESCAPE '\\'`, params)) as number[]).map(Number),
    );
    for (const r of batch) if (matched.has(Number(r.id))) found.push(Number(r.id));
    const last = batch[batch.length - 1];
    after = { at: last.updated_at, id: Number(last.id) };
    if (batch.length < BATCH) {
      exhausted = true;
      break;
    }
  }
  const pageIds = found.slice(f.offset, want);
  const byId = new Map(
    pageIds.length
      ? ((await db.all(`${LIST_SELECT} WHERE c.id IN (${pageIds.join(',')})`)) as CaseListRow[]).map((r) => [Number(r.id), r])
      : [],
  );
  const rows = pageIds.map((id) => byId.get(id)!).filter(Boolean);
  return exhausted ? { total: Math.min(found.length, cap), capped: found.length > cap, rows } : { total: cap, capped: true, rows };
}

/** getCase for many ids in one statement per chunk (ids without a visible row are left out). */
export async function casesByIds(db: Db, ids: readonly number[]): Promise<Map<number, CaseListRow>> {
  const out = new Map<number, CaseListRow>();
  for (const { marks, params } of idChunks(ids)) {
    for (const r of (await db.all(`${LIST_SELECT} WHERE c.id IN (${marks})`, params)) as CaseListRow[]) out.set(Number(r.id), r);
  }
  return out;
}

/** Cases in the given states, optionally only those handled by / assigned to a user. */
export async function casesInStates(
  db: Db,
  states: CaseState[],
  opts: { handlerId?: number; reviewerId?: number | null; limit?: number } = {},
): Promise<CaseListRow[]> {
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
  return await db.all(`${LIST_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.updated_at LIMIT ?`, [...params]) as CaseListRow[];
}

export async function insertBlob(
  db: Db, sha256: string, size: number, at: string): Promise<void> {
  await db.run('INSERT INTO blobs (sha256, size, stored_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [sha256, size, at]);
}

export const blobExists = async (db: Db, sha256: string): Promise<boolean> =>
  await db.get('SELECT 1 FROM blobs WHERE sha256 = ?', [sha256]) !== undefined;
