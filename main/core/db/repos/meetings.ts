import type { Db } from '../open';
import { idChunks } from '../store';

export interface RereviewRequestRow {
  id: number;
  case_id: number;
  cycle: number;
  reasons: string;
  requested_by: number;
  requester_name: string;
  requested_at: string;
  against_review_id: number;
}

export async function insertRereviewRequest(db: Db, r: { caseId: number; cycle: number; reasons: string; by: number; at: string; againstReviewId: number }): Promise<void> {
  await db.run('INSERT INTO rereview_requests (case_id, cycle, reasons, requested_by, requested_at, against_review_id) VALUES (?, ?, ?, ?, ?, ?)', [r.caseId, r.cycle, r.reasons, r.by, r.at, r.againstReviewId]);
}

/** The re-review request of one proposal cycle (one per cycle, 001 附件3 第十二条). */
export const rereviewRequestOf = async (db: Db, caseId: number, cycle: number) =>
  await db.get('SELECT r.*, u.display_name AS requester_name FROM rereview_requests r JOIN users u ON u.id = r.requested_by WHERE r.case_id = ? AND r.cycle = ?', [caseId, cycle]) as RereviewRequestRow | undefined;

export const rereviewRequestsOf = async (db: Db, caseId: number) =>
  await db.all('SELECT r.*, u.display_name AS requester_name FROM rereview_requests r JOIN users u ON u.id = r.requested_by WHERE r.case_id = ? ORDER BY r.id', [caseId]) as RereviewRequestRow[];

/** rereviewRequestOf for many cases, each in its current cycle, in one statement per chunk: the case ids that have one. */
export async function casesWithRereviewRequest(db: Db, cases: readonly { id: number; cycle: number }[]): Promise<Set<number>> {
  const cycle = new Map(cases.map((c) => [c.id, c.cycle]));
  const out = new Set<number>();
  for (const { marks, params } of idChunks(cases.map((c) => c.id))) {
    const rows = await db.all<{ case_id: number; cycle: number }>(`SELECT case_id, cycle FROM rereview_requests WHERE case_id IN (${marks})`, params);
    for (const r of rows) if (cycle.get(Number(r.case_id)) === Number(r.cycle)) out.add(Number(r.case_id));
  }
  return out;
}

export type EscalationKind = 'dispute' | 'proposal';

export interface EscalationRow {
  id: number;
  case_id: number;
  cycle: number;
  kind: EscalationKind;
  reasons: string;
  escalated_by: number;
  escalator_name: string;
  escalated_at: string;
}

export async function insertEscalation(db: Db, e: { caseId: number; cycle: number; kind: EscalationKind; reasons: string; by: number; at: string }): Promise<number> {
  return await db.insert('INSERT INTO escalations (case_id, cycle, kind, reasons, escalated_by, escalated_at) VALUES (?, ?, ?, ?, ?, ?)', [e.caseId, e.cycle, e.kind, e.reasons, e.by, e.at]) as number;
}

/** The proposal for collective discussion of one cycle. */
export const escalationOf = async (db: Db, caseId: number, cycle: number) =>
  await db.get('SELECT e.*, u.display_name AS escalator_name FROM escalations e JOIN users u ON u.id = e.escalated_by WHERE e.case_id = ? AND e.cycle = ?', [caseId, cycle]) as EscalationRow | undefined;

export interface MeetingRow {
  id: number;
  title: string;
  scheduled_at: string;
  place: string;
  chair_id: number;
  chair_name: string;
  quorum_rule: 'half' | 'two_thirds';
  created_by: number;
  created_at: string;
  started_at: string | null;
  locked_at: string | null;
  locked_by: number | null;
  /** Migration 009; NULL reads as created_by. */
  recorded_by: number | null;
  agenda_confirmed_at: string | null;
  agenda_confirmed_by: number | null;
}

const MEETING_SELECT = 'SELECT m.*, u.display_name AS chair_name FROM meetings m JOIN users u ON u.id = m.chair_id';

export const getMeeting = async (db: Db, id: number) => await db.get(`${MEETING_SELECT} WHERE m.id = ?`, [id]) as MeetingRow | undefined;
export const listMeetings = async (db: Db) => await db.all(`${MEETING_SELECT} ORDER BY m.scheduled_at DESC, m.id DESC LIMIT 200`) as MeetingRow[];

/** An unlocked meeting with the number of its items and of those not yet decided (the queue). */
export interface OpenMeetingRow extends MeetingRow {
  item_count: number;
  undecided_count: number;
}

/** Every meeting whose minutes are not yet confirmed, soonest first, with its item counts: one statement. */
export async function openMeetings(db: Db): Promise<OpenMeetingRow[]> {
  const rows = await db.all<OpenMeetingRow>(`SELECT m.*, u.display_name AS chair_name,
       (SELECT COUNT(*) FROM meeting_items i WHERE i.meeting_id = m.id) AS item_count,
       (SELECT COUNT(*) FROM meeting_items i WHERE i.meeting_id = m.id AND i.decided_at IS NULL) AS undecided_count
     FROM meetings m JOIN users u ON u.id = m.chair_id WHERE m.locked_at IS NULL ORDER BY m.scheduled_at, m.id LIMIT 200`);
  return rows.map((r) => ({ ...r, item_count: Number(r.item_count), undecided_count: Number(r.undecided_count) }));
}

/** Cases on the agenda of a meeting whose minutes are not yet confirmed (an undecided item of a locked one may go to a later meeting). */
export const casesOnOpenAgenda = async (db: Db): Promise<Set<number>> =>
  new Set((await db.column<number>('SELECT DISTINCT i.case_id FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.locked_at IS NULL')).map(Number));

export async function insertMeeting(
  db: Db,
  m: { title: string; scheduledAt: string; place: string; chairId: number; quorumRule: string; by: number; at: string },
): Promise<number> {
  return await db.insert('INSERT INTO meetings (title, scheduled_at, place, chair_id, quorum_rule, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [m.title, m.scheduledAt, m.place, m.chairId, m.quorumRule, m.by, m.at]) as number;
}

export async function setMeetingStarted(
  db: Db, id: number, at: string): Promise<void> {
  await db.run('UPDATE meetings SET started_at = COALESCE(started_at, ?) WHERE id = ?', [at, id]);
}

/** 记录人: the secretary who last saved the record of an unlocked meeting. */
export async function setMeetingRecorder(db: Db, id: number, by: number): Promise<void> {
  await db.run('UPDATE meetings SET recorded_by = ? WHERE id = ? AND locked_at IS NULL', [by, id]);
}

export async function lockMeetingRow(
  db: Db, id: number, by: number, at: string): Promise<void> {
  await db.run('UPDATE meetings SET locked_at = ?, locked_by = ? WHERE id = ? AND locked_at IS NULL', [at, by, id]);
}

export interface AttendeeRow {
  user_id: number;
  name: string;
  present: number | null;
  absence_reason: string;
}

export async function insertAttendee(
  db: Db, meetingId: number, userId: number): Promise<void> {
  await db.run('INSERT INTO meeting_attendees (meeting_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [meetingId, userId]);
}

export async function setAttendance(
  db: Db, meetingId: number, userId: number, present: boolean | null, reason: string): Promise<void> {
  await db.run('UPDATE meeting_attendees SET present = ?, absence_reason = ? WHERE meeting_id = ? AND user_id = ?', [present === null ? null : present ? 1 : 0,
    reason,
    meetingId,
    userId,]);
}

export const attendeesOf = async (db: Db, meetingId: number) =>
  await db.all(`SELECT a.user_id, u.display_name AS name, a.present, a.absence_reason FROM meeting_attendees a JOIN users u ON u.id = a.user_id
       WHERE a.meeting_id = ? ORDER BY a.user_id`, [meetingId]) as AttendeeRow[];

export interface ItemRow {
  id: number;
  meeting_id: number;
  case_id: number;
  seq: number;
  handling_statement: string;
  legal_statement: string;
  dissent: string;
  notes: string;
  decision: 'approve' | 'reject' | null;
  decision_text: string;
  decided_at: string | null;
}

export async function insertItem(
  db: Db, meetingId: number, caseId: number): Promise<void> {
  const seq = (await db.value('SELECT COALESCE(MAX(seq), 0) + 1 FROM meeting_items WHERE meeting_id = ?', [meetingId]) as number) ?? 1;
  await db.run('INSERT INTO meeting_items (meeting_id, case_id, seq) VALUES (?, ?, ?)', [meetingId, caseId, seq]);
}

export const itemsOf = async (db: Db, meetingId: number) =>
  await db.all('SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY seq', [meetingId]) as ItemRow[];

export const itemOf = async (db: Db, meetingId: number, caseId: number) =>
  await db.get('SELECT * FROM meeting_items WHERE meeting_id = ? AND case_id = ?', [meetingId, caseId]) as ItemRow | undefined;

/** Meetings whose record already holds this case (an undecided item may go to a later meeting). */
export const openItemForCase = async (db: Db, caseId: number) =>
  await db.get('SELECT i.* FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE i.case_id = ? AND m.locked_at IS NULL', [caseId]) as ItemRow | undefined;

export async function updateItemText(
  db: Db,
  id: number,
  f: Partial<Pick<ItemRow, 'handling_statement' | 'legal_statement' | 'dissent' | 'notes'>>,
): Promise<void> {
  const keys = Object.keys(f);
  if (!keys.length) return;
  await db.run(`UPDATE meeting_items SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`, { ...f, id });
}

export async function setItemDecision(
  db: Db, id: number, decision: 'approve' | 'reject' | null, text: string, at: string | null): Promise<void> {
  await db.run('UPDATE meeting_items SET decision = ?, decision_text = ?, decided_at = ? WHERE id = ?', [decision, text, at, id]);
}

export interface StanceRow {
  item_id: number;
  user_id: number;
  name: string;
  stance: 'agree' | 'disagree' | 'abstain';
  reason: string;
}

export async function setStance(
  db: Db, itemId: number, userId: number, stance: string | null, reason: string): Promise<void> {
  if (stance === null) {
    await db.run('DELETE FROM meeting_stances WHERE item_id = ? AND user_id = ?', [itemId, userId]);
    return;
  }
  await db.run(`INSERT INTO meeting_stances (item_id, user_id, stance, reason) VALUES (?, ?, ?, ?)
     ON CONFLICT (item_id, user_id) DO UPDATE SET stance = excluded.stance, reason = excluded.reason`, [itemId, userId, stance, reason]);
}

export const stancesOf = async (db: Db, itemId: number) =>
  await db.all('SELECT s.*, u.display_name AS name FROM meeting_stances s JOIN users u ON u.id = s.user_id WHERE s.item_id = ? ORDER BY s.user_id', [itemId]) as StanceRow[];

export async function insertAmendment(db: Db, a: { meetingId: number; text: string; reason: string; by: number; at: string }): Promise<void> {
  await db.run('INSERT INTO meeting_amendments (meeting_id, text, reason, amended_by, amended_at) VALUES (?, ?, ?, ?, ?)', [a.meetingId,
    a.text,
    a.reason,
    a.by,
    a.at,]);
}

export const amendmentsOf = async (db: Db, meetingId: number) =>
  await db.all(`SELECT a.id, a.text, a.reason, a.amended_at AS at, u.display_name AS by FROM meeting_amendments a JOIN users u ON u.id = a.amended_by
       WHERE a.meeting_id = ? ORDER BY a.id`, [meetingId]) as { id: number; text: string; reason: string; at: string; by: string }[];

/** The chair confirms the agenda (the secretary prepared it); a change to the items clears it. */
export async function setAgendaConfirmed(db: Db, id: number, by: number | null, at: string | null): Promise<void> {
  await db.run('UPDATE meetings SET agenda_confirmed_at = ?, agenda_confirmed_by = ? WHERE id = ?', [at, by, id]);
}

export interface RecusalRow {
  item_id: number;
  user_id: number;
  name: string;
  source: 'self' | 'party';
  reason: string;
  recorded_by: number;
  recorded_at: string;
}

export async function insertRecusal(db: Db, r: { itemId: number; userId: number; source: 'self' | 'party'; reason: string; by: number; at: string }): Promise<void> {
  await db.run('INSERT INTO meeting_recusals (item_id, user_id, source, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)', [r.itemId, r.userId, r.source, r.reason, r.by, r.at]);
}

export const recusalsOf = async (db: Db, itemId: number) =>
  await db.all('SELECT r.*, u.display_name AS name FROM meeting_recusals r JOIN users u ON u.id = r.user_id WHERE r.item_id = ? ORDER BY r.recorded_at', [itemId]) as RecusalRow[];
