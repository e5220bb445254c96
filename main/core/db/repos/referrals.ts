// Criminal referrals (移送涉嫌犯罪案件, migration 017): one per case, opened by the review that found a
// suspected crime, and its steps (report, decision, transfer), each inserted once.
import type { Db } from '../open';

export interface ReferralRow {
  id: number;
  case_id: number;
  review_id: number;
  opened_at: string;
}

export type ReferralStep = 'report' | 'decision' | 'transfer';

export interface ReferralStepRow {
  id: number;
  referral_id: number;
  step: ReferralStep;
  decision: 'approve' | 'reject' | null;
  text: string;
  organs_json: string | null;
  by_id: number;
  by_name: string;
  at: string;
}

export const referralOf = async (db: Db, caseId: number) =>
  await db.get('SELECT * FROM referrals WHERE case_id = ?', [caseId]) as ReferralRow | undefined;

export async function insertReferral(db: Db, r: { caseId: number; reviewId: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO referrals (case_id, review_id, opened_at) VALUES (?, ?, ?)', [r.caseId, r.reviewId, r.at]) as number;
}

export async function insertReferralStep(
  db: Db,
  s: { referralId: number; step: ReferralStep; decision: 'approve' | 'reject' | null; text: string; organs: unknown; by: number; at: string },
): Promise<number> {
  return await db.insert('INSERT INTO referral_steps (referral_id, step, decision, text, organs_json, by_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [s.referralId, s.step, s.decision, s.text, s.organs === null ? null : JSON.stringify(s.organs), s.by, s.at]) as number;
}

export const referralStepsOf = async (db: Db, referralId: number) =>
  await db.all('SELECT s.*, u.display_name AS by_name FROM referral_steps s JOIN users u ON u.id = s.by_id WHERE s.referral_id = ? ORDER BY s.id', [referralId]) as ReferralStepRow[];

/** Every referral still waiting on someone, with whose step it is: the handler's report, the head's decision, the handler's transfer. */
export async function pendingReferrals(db: Db): Promise<{ case_id: number; stage: 'report' | 'decide' | 'transfer' }[]> {
  const rows = await db.all(`SELECT r.case_id,
      (SELECT COUNT(*) FROM referral_steps s WHERE s.referral_id = r.id AND s.step = 'report') AS reported,
      (SELECT MAX(s.decision) FROM referral_steps s WHERE s.referral_id = r.id AND s.step = 'decision') AS decision,
      (SELECT COUNT(*) FROM referral_steps s WHERE s.referral_id = r.id AND s.step = 'transfer') AS transferred
    FROM referrals r ORDER BY r.id`) as { case_id: number; reported: number | string; decision: string | null; transferred: number | string }[];
  const out: { case_id: number; stage: 'report' | 'decide' | 'transfer' }[] = [];
  for (const r of rows) {
    if (Number(r.reported) === 0) out.push({ case_id: Number(r.case_id), stage: 'report' });
    else if (r.decision === null) out.push({ case_id: Number(r.case_id), stage: 'decide' });
    else if (r.decision === 'approve' && Number(r.transferred) === 0) out.push({ case_id: Number(r.case_id), stage: 'transfer' });
  }
  return out;
}
