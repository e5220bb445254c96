import type { Db } from '../open';

export async function saveDraft(
  db: Db, userId: number, key: string, json: string, at: string): Promise<void> {
  await db.run(`INSERT INTO drafts (user_id, key, json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, key) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`, [userId, key, json, at]);
}

export const loadDraft = async (db: Db, userId: number, key: string) =>
  await db.get('SELECT json, updated_at AS "savedAt" FROM drafts WHERE user_id = ? AND key = ?', [userId, key]) as
    | { json: string; savedAt: string }
    | undefined;

export async function clearDraft(
  db: Db, userId: number, key: string): Promise<void> {
  await db.run('DELETE FROM drafts WHERE user_id = ? AND key = ?', [userId, key]);
}

/**
 * Saves a review draft and resolves with its new version (each save counts one). With `expected`, only
 * over that version (0: no draft yet), in one statement: null when the stored draft is another version.
 */
export async function saveReviewDraft(
  db: Db, caseId: number, reviewerId: number, json: string, at: string, expected?: number): Promise<number | null> {
  if (expected === undefined) {
    await db.run(`INSERT INTO review_drafts (case_id, reviewer_id, draft_json, updated_at, version) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (case_id, reviewer_id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at, version = review_drafts.version + 1`, [caseId, reviewerId, json, at]);
    return Number(await db.value('SELECT version FROM review_drafts WHERE case_id = ? AND reviewer_id = ?', [caseId, reviewerId]));
  }
  if (expected === 0) {
    const n = await db.run(`INSERT INTO review_drafts (case_id, reviewer_id, draft_json, updated_at, version) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (case_id, reviewer_id) DO NOTHING`, [caseId, reviewerId, json, at]);
    return n === 1 ? 1 : null;
  }
  const n = await db.run('UPDATE review_drafts SET draft_json = ?, updated_at = ?, version = version + 1 WHERE case_id = ? AND reviewer_id = ? AND version = ?', [json, at, caseId, reviewerId, expected]);
  return n === 1 ? expected + 1 : null;
}

export const loadReviewDraft = async (db: Db, caseId: number, reviewerId: number) =>
  await db.get('SELECT draft_json, updated_at, version FROM review_drafts WHERE case_id = ? AND reviewer_id = ?', [caseId, reviewerId]) as
    | { draft_json: string; updated_at: string; version: number }
    | undefined;

export async function clearReviewDraft(
  db: Db, caseId: number, reviewerId: number): Promise<void> {
  await db.run('DELETE FROM review_drafts WHERE case_id = ? AND reviewer_id = ?', [caseId, reviewerId]);
}
