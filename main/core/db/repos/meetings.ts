import type { Db } from '../open';

export interface RereviewRequestRow {
  id: number;
  case_id: number;
  reasons: string;
  requested_by: number;
  requester_name: string;
  requested_at: string;
  against_review_id: number;
}

export function insertRereviewRequest(db: Db, r: { caseId: number; reasons: string; by: number; at: string; againstReviewId: number }): void {
  db.prepare('INSERT INTO rereview_requests (case_id, reasons, requested_by, requested_at, against_review_id) VALUES (?, ?, ?, ?, ?)').run(
    r.caseId,
    r.reasons,
    r.by,
    r.at,
    r.againstReviewId,
  );
}

export const rereviewRequestOf = (db: Db, caseId: number) =>
  db
    .prepare('SELECT r.*, u.display_name AS requester_name FROM rereview_requests r JOIN users u ON u.id = r.requested_by WHERE r.case_id = ?')
    .get(caseId) as RereviewRequestRow | undefined;

export interface EscalationRow {
  case_id: number;
  reasons: string;
  escalated_by: number;
  escalator_name: string;
  escalated_at: string;
}

export function insertEscalation(db: Db, e: { caseId: number; reasons: string; by: number; at: string }): void {
  db.prepare('INSERT INTO escalations (case_id, reasons, escalated_by, escalated_at) VALUES (?, ?, ?, ?)').run(e.caseId, e.reasons, e.by, e.at);
}

export const escalationOf = (db: Db, caseId: number) =>
  db
    .prepare('SELECT e.*, u.display_name AS escalator_name FROM escalations e JOIN users u ON u.id = e.escalated_by WHERE e.case_id = ?')
    .get(caseId) as EscalationRow | undefined;

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
}

const MEETING_SELECT = 'SELECT m.*, u.display_name AS chair_name FROM meetings m JOIN users u ON u.id = m.chair_id';

export const getMeeting = (db: Db, id: number) => db.prepare(`${MEETING_SELECT} WHERE m.id = ?`).get(id) as MeetingRow | undefined;
export const listMeetings = (db: Db) => db.prepare(`${MEETING_SELECT} ORDER BY m.scheduled_at DESC, m.id DESC LIMIT 200`).all() as MeetingRow[];

export function insertMeeting(
  db: Db,
  m: { title: string; scheduledAt: string; place: string; chairId: number; quorumRule: string; by: number; at: string },
): number {
  return db
    .prepare('INSERT INTO meetings (title, scheduled_at, place, chair_id, quorum_rule, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(m.title, m.scheduledAt, m.place, m.chairId, m.quorumRule, m.by, m.at).lastInsertRowid as number;
}

export function setMeetingStarted(db: Db, id: number, at: string): void {
  db.prepare('UPDATE meetings SET started_at = COALESCE(started_at, ?) WHERE id = ?').run(at, id);
}

export function lockMeetingRow(db: Db, id: number, by: number, at: string): void {
  db.prepare('UPDATE meetings SET locked_at = ?, locked_by = ? WHERE id = ? AND locked_at IS NULL').run(at, by, id);
}

export interface AttendeeRow {
  user_id: number;
  name: string;
  present: number | null;
  absence_reason: string;
}

export function insertAttendee(db: Db, meetingId: number, userId: number): void {
  db.prepare('INSERT OR IGNORE INTO meeting_attendees (meeting_id, user_id) VALUES (?, ?)').run(meetingId, userId);
}

export function setAttendance(db: Db, meetingId: number, userId: number, present: boolean | null, reason: string): void {
  db.prepare('UPDATE meeting_attendees SET present = ?, absence_reason = ? WHERE meeting_id = ? AND user_id = ?').run(
    present === null ? null : present ? 1 : 0,
    reason,
    meetingId,
    userId,
  );
}

export const attendeesOf = (db: Db, meetingId: number) =>
  db
    .prepare(
      `SELECT a.user_id, u.display_name AS name, a.present, a.absence_reason FROM meeting_attendees a JOIN users u ON u.id = a.user_id
       WHERE a.meeting_id = ? ORDER BY a.user_id`,
    )
    .all(meetingId) as AttendeeRow[];

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

export function insertItem(db: Db, meetingId: number, caseId: number): void {
  const seq = (db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM meeting_items WHERE meeting_id = ?').pluck().get(meetingId) as number) ?? 1;
  db.prepare('INSERT INTO meeting_items (meeting_id, case_id, seq) VALUES (?, ?, ?)').run(meetingId, caseId, seq);
}

export const itemsOf = (db: Db, meetingId: number) =>
  db.prepare('SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY seq').all(meetingId) as ItemRow[];

export const itemOf = (db: Db, meetingId: number, caseId: number) =>
  db.prepare('SELECT * FROM meeting_items WHERE meeting_id = ? AND case_id = ?').get(meetingId, caseId) as ItemRow | undefined;

/** Meetings whose record already holds this case (an undecided item may go to a later meeting). */
export const openItemForCase = (db: Db, caseId: number) =>
  db
    .prepare('SELECT i.* FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE i.case_id = ? AND m.locked_at IS NULL')
    .get(caseId) as ItemRow | undefined;

export function updateItemText(
  db: Db,
  id: number,
  f: Partial<Pick<ItemRow, 'handling_statement' | 'legal_statement' | 'dissent' | 'notes'>>,
): void {
  const keys = Object.keys(f);
  if (!keys.length) return;
  db.prepare(`UPDATE meeting_items SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...f, id });
}

export function setItemDecision(db: Db, id: number, decision: 'approve' | 'reject' | null, text: string, at: string | null): void {
  db.prepare('UPDATE meeting_items SET decision = ?, decision_text = ?, decided_at = ? WHERE id = ?').run(decision, text, at, id);
}

export interface StanceRow {
  item_id: number;
  user_id: number;
  name: string;
  stance: 'agree' | 'disagree' | 'abstain';
  reason: string;
}

export function setStance(db: Db, itemId: number, userId: number, stance: string | null, reason: string): void {
  if (stance === null) {
    db.prepare('DELETE FROM meeting_stances WHERE item_id = ? AND user_id = ?').run(itemId, userId);
    return;
  }
  db.prepare(
    `INSERT INTO meeting_stances (item_id, user_id, stance, reason) VALUES (?, ?, ?, ?)
     ON CONFLICT (item_id, user_id) DO UPDATE SET stance = excluded.stance, reason = excluded.reason`,
  ).run(itemId, userId, stance, reason);
}

export const stancesOf = (db: Db, itemId: number) =>
  db
    .prepare('SELECT s.*, u.display_name AS name FROM meeting_stances s JOIN users u ON u.id = s.user_id WHERE s.item_id = ? ORDER BY s.user_id')
    .all(itemId) as StanceRow[];

export function insertAmendment(db: Db, a: { meetingId: number; text: string; reason: string; by: number; at: string }): void {
  db.prepare('INSERT INTO meeting_amendments (meeting_id, text, reason, amended_by, amended_at) VALUES (?, ?, ?, ?, ?)').run(
    a.meetingId,
    a.text,
    a.reason,
    a.by,
    a.at,
  );
}

export const amendmentsOf = (db: Db, meetingId: number) =>
  db
    .prepare(
      `SELECT a.id, a.text, a.reason, a.amended_at AS at, u.display_name AS by FROM meeting_amendments a JOIN users u ON u.id = a.amended_by
       WHERE a.meeting_id = ? ORDER BY a.id`,
    )
    .all(meetingId) as { id: number; text: string; reason: string; at: string; by: string }[];
