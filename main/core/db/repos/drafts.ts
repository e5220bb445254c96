import type { Db } from '../open';

export function saveDraft(db: Db, userId: number, key: string, json: string, at: string): void {
  db.prepare(
    `INSERT INTO drafts (user_id, key, json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
  ).run(userId, key, json, at);
}

export const loadDraft = (db: Db, userId: number, key: string) =>
  db.prepare('SELECT json, updated_at AS savedAt FROM drafts WHERE user_id = ? AND key = ?').get(userId, key) as
    | { json: string; savedAt: string }
    | undefined;

export function clearDraft(db: Db, userId: number, key: string): void {
  db.prepare('DELETE FROM drafts WHERE user_id = ? AND key = ?').run(userId, key);
}

export function saveReviewDraft(db: Db, caseId: number, reviewerId: number, json: string, at: string): void {
  db.prepare(
    `INSERT INTO review_drafts (case_id, reviewer_id, draft_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (case_id, reviewer_id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at`,
  ).run(caseId, reviewerId, json, at);
}

export const loadReviewDraft = (db: Db, caseId: number, reviewerId: number) =>
  db.prepare('SELECT draft_json, updated_at FROM review_drafts WHERE case_id = ? AND reviewer_id = ?').get(caseId, reviewerId) as
    | { draft_json: string; updated_at: string }
    | undefined;

export function clearReviewDraft(db: Db, caseId: number, reviewerId: number): void {
  db.prepare('DELETE FROM review_drafts WHERE case_id = ? AND reviewer_id = ?').run(caseId, reviewerId);
}
