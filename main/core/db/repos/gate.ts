// Reviewer exemptions (行政处罚法 第五十八条) and requests to extend a review period with their decisions.
// All three tables are append-only (migration 008).
import type { Db } from '../open';

export interface ExemptionRow {
  user_id: number;
  note: string;
  recorded_by_name: string;
  recorded_at: string;
}

export async function insertExemption(db: Db, e: { userId: number; note: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO reviewer_exemptions (user_id, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?)', [e.userId, e.note, e.by, e.at]);
}

const EXEMPTION_SELECT = `SELECT e.user_id, e.note, u.display_name AS recorded_by_name, e.recorded_at
  FROM reviewer_exemptions e JOIN users u ON u.id = e.recorded_by`;

export const exemptionOf = async (db: Db, userId: number) =>
  await db.get(`${EXEMPTION_SELECT} WHERE e.user_id = ?`, [userId]) as ExemptionRow | undefined;

export const allExemptions = async (db: Db) => await db.all(`${EXEMPTION_SELECT} ORDER BY e.id`) as ExemptionRow[];

export interface ExtensionRequestRow {
  id: number;
  case_id: number;
  period_id: number;
  round: number;
  period_ended_at: string | null;
  period_extended: number;
  reason: string;
  requested_by: number;
  requester_name: string;
  requested_at: string;
  decision: 'approve' | 'refuse' | null;
  decision_reason: string | null;
  decided_by: number | null;
  decider_name: string | null;
  decided_at: string | null;
}

const REQUEST_SELECT = `SELECT r.id, r.case_id, r.period_id, p.round, p.ended_at AS period_ended_at,
    CASE WHEN p.extension_days IS NULL THEN 0 ELSE 1 END AS period_extended,
    r.reason, r.requested_by, ru.display_name AS requester_name, r.requested_at,
    d.decision, d.reason AS decision_reason, d.decided_by, du.display_name AS decider_name, d.decided_at
  FROM extension_requests r
  JOIN periods p ON p.id = r.period_id
  JOIN users ru ON ru.id = r.requested_by
  LEFT JOIN extension_decisions d ON d.request_id = r.id
  LEFT JOIN users du ON du.id = d.decided_by`;

export async function insertExtensionRequest(db: Db, r: { caseId: number; periodId: number; reason: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO extension_requests (case_id, period_id, reason, requested_by, requested_at) VALUES (?, ?, ?, ?, ?)', [r.caseId, r.periodId, r.reason, r.by, r.at]);
}

export async function insertExtensionDecision(db: Db, d: { requestId: number; decision: 'approve' | 'refuse'; reason: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO extension_decisions (request_id, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)', [d.requestId, d.decision, d.reason, d.by, d.at]);
}

export const extensionRequestsOf = async (db: Db, caseId: number) =>
  await db.all(`${REQUEST_SELECT} WHERE r.case_id = ? ORDER BY r.id`, [caseId]) as ExtensionRequestRow[];

/** Requests still waiting for a decision whose period is still running. */
export const openExtensionRequests = async (db: Db) =>
  await db.all(`${REQUEST_SELECT} WHERE d.id IS NULL AND p.ended_at IS NULL AND p.extension_days IS NULL ORDER BY r.id`) as ExtensionRequestRow[];
