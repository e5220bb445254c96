import type { ApprovalDecision, Outcome } from '../../domain/types';
import type { Db } from '../open';

export interface ApprovalRow {
  id: number;
  case_id: number;
  head_id: number;
  head_name: string;
  decision: ApprovalDecision;
  opinion: string;
  review_outcome: Outcome | null;
  override: number;
  override_reason: string | null;
  decided_at: string;
  meeting_id: number | null;
  /** JSON list of the heads who voted for a meeting decision that departs from the legal opinion. */
  responsible_json: string | null;
}

export async function insertApproval(
  db: Db,
  a: { caseId: number; headId: number; decision: ApprovalDecision; opinion: string; reviewOutcome: Outcome | null; override: boolean; overrideReason: string | null; meetingId?: number | null; responsible?: string[] | null },
  at: string,
): Promise<number> {
  return await db.insert(`INSERT INTO approvals (case_id, head_id, decision, opinion, review_outcome, override, override_reason, decided_at, meeting_id, responsible_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [a.caseId, a.headId, a.decision, a.opinion, a.reviewOutcome, a.override ? 1 : 0, a.overrideReason, at, a.meetingId ?? null, a.responsible ? JSON.stringify(a.responsible) : null]) as number;
}

export const approvalsOf = async (db: Db, caseId: number): Promise<ApprovalRow[]> =>
  await db.all(`SELECT a.*, u.display_name AS head_name FROM approvals a JOIN users u ON u.id = a.head_id WHERE a.case_id = ? ORDER BY a.id`, [caseId]) as ApprovalRow[];
