import type { FindingResult, Outcome } from '../../domain/types';
import type { Db } from '../open';
import { idChunks } from '../store';

export interface ReviewRow {
  id: number;
  case_id: number;
  round: number;
  kind: 'review' | 'rereview';
  reviewer_id: number;
  reviewer_name: string;
  outcome: Outcome;
  opinion: string;
  requests_json: string;
  suggestions: string;
  issued_at: string;
}

export interface FindingRow {
  criterion: number;
  result: FindingResult;
  reason: string;
}

export async function insertReview(
  db: Db,
  r: { caseId: number; round: number; kind: 'review' | 'rereview'; reviewerId: number; outcome: Outcome; opinion: string; requests: string[]; suggestions: string; findings: FindingRow[] },
  at: string,
): Promise<number> {
  const id = await db.insert(`INSERT INTO review_rounds (case_id, round, kind, reviewer_id, outcome, opinion, requests_json, suggestions, issued_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [r.caseId, r.round, r.kind, r.reviewerId, r.outcome, r.opinion, JSON.stringify(r.requests), r.suggestions, at]) as number;
  for (const f of r.findings) {
    await db.run('INSERT INTO findings (review_id, criterion, result, reason) VALUES (?, ?, ?, ?)', [id, f.criterion, f.result, f.reason]);
  }
  return id;
}

export const reviewsOf = async (db: Db, caseId: number): Promise<ReviewRow[]> =>
  await db.all(`SELECT r.*, u.display_name AS reviewer_name FROM review_rounds r JOIN users u ON u.id = r.reviewer_id
       WHERE r.case_id = ? ORDER BY r.id`, [caseId]) as ReviewRow[];

/** reviewsOf for many cases (each case's rounds in order; a case without any maps to []). */
export async function reviewsOfCases(db: Db, caseIds: readonly number[]): Promise<Map<number, ReviewRow[]>> {
  const out = new Map<number, ReviewRow[]>(caseIds.map((id) => [id, []]));
  for (const { marks, params } of idChunks(caseIds)) {
    const rows = (await db.all(`SELECT r.*, u.display_name AS reviewer_name FROM review_rounds r JOIN users u ON u.id = r.reviewer_id
       WHERE r.case_id IN (${marks}) ORDER BY r.id`, params)) as ReviewRow[];
    for (const r of rows) out.get(Number(r.case_id))?.push(r);
  }
  return out;
}

export const findingsOf = async (db: Db, reviewId: number): Promise<FindingRow[]> =>
  await db.all('SELECT criterion, result, reason FROM findings WHERE review_id = ? ORDER BY criterion', [reviewId]) as FindingRow[];
