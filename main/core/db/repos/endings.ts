// Ending a matter after a rejection: the handler's proposal and the review and approval steps on it.
import type { EndingKind } from '../../domain/types';
import type { Db } from '../open';

export interface EndingRow {
  id: number;
  case_id: number;
  cycle: number;
  kind: EndingKind;
  reason: string;
  proposed_by: number;
  proposer_name: string;
  proposed_at: string;
}

export interface EndingStepRow {
  id: number;
  ending_id: number;
  step: 'review' | 'approval';
  outcome: 'agree' | 'disagree';
  opinion: string;
  by_id: number;
  by_name: string;
  at: string;
}

export async function insertEnding(db: Db, e: { caseId: number; cycle: number; kind: EndingKind; reason: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO endings (case_id, cycle, kind, reason, proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, ?)', [e.caseId, e.cycle, e.kind, e.reason, e.by, e.at]) as number;
}

export async function insertEndingStep(db: Db, s: { endingId: number; step: 'review' | 'approval'; outcome: 'agree' | 'disagree'; opinion: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO ending_steps (ending_id, step, outcome, opinion, by_id, at) VALUES (?, ?, ?, ?, ?, ?)', [s.endingId, s.step, s.outcome, s.opinion, s.by, s.at]) as number;
}

export const endingsOf = async (db: Db, caseId: number) =>
  await db.all('SELECT e.*, u.display_name AS proposer_name FROM endings e JOIN users u ON u.id = e.proposed_by WHERE e.case_id = ? ORDER BY e.id', [caseId]) as EndingRow[];

export const endingStepsOf = async (db: Db, endingId: number) =>
  await db.all('SELECT s.*, u.display_name AS by_name FROM ending_steps s JOIN users u ON u.id = s.by_id WHERE s.ending_id = ? ORDER BY s.id', [endingId]) as EndingStepRow[];
