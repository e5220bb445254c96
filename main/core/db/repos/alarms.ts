// Alarms of failed verification and their acknowledgements (migration 012); both tables append-only.
import type { Db } from '../open';

export interface AlarmRow {
  id: number;
  raised_at: string;
  raised_by: number | null;
  raised_through: 'app' | 'lrw';
  quick: number;
  event_count: number;
  mismatch_kind: string | null;
  first_bad_seq: number | null;
  message: string;
  summary_json: string;
  raiser_name: string | null;
  raiser_username: string | null;
  ack_by: number | null;
  ack_at: string | null;
  ack_reason: string | null;
  acker_name: string | null;
  acker_username: string | null;
}

const SELECT = `SELECT a.id, a.raised_at, a.raised_by, a.raised_through, a.quick, a.event_count, a.mismatch_kind, a.first_bad_seq,
    a.message, a.summary_json, r.display_name AS raiser_name, r.username AS raiser_username,
    k.acknowledged_by AS ack_by, k.acknowledged_at AS ack_at, k.reason AS ack_reason,
    u.display_name AS acker_name, u.username AS acker_username
  FROM audit_alarms a
  LEFT JOIN users r ON r.id = a.raised_by
  LEFT JOIN audit_alarm_acks k ON k.alarm_id = a.id
  LEFT JOIN users u ON u.id = k.acknowledged_by`;

export interface NewAlarm {
  raisedAt: string;
  raisedBy: number | null;
  raisedThrough: 'app' | 'lrw';
  quick: boolean;
  eventCount: number;
  mismatchKind: string | null;
  firstBadSeq: number | null;
  message: string;
  summaryJson: string;
}

export const insertAlarm = async (db: Db, a: NewAlarm): Promise<number> =>
  await db.insert(
    `INSERT INTO audit_alarms (raised_at, raised_by, raised_through, quick, event_count, mismatch_kind, first_bad_seq, message, summary_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.raisedAt, a.raisedBy, a.raisedThrough, a.quick ? 1 : 0, a.eventCount, a.mismatchKind, a.firstBadSeq, a.message, a.summaryJson],
  );

export const insertAlarmAck = async (db: Db, k: { alarmId: number; by: number; at: string; reason: string }): Promise<number> =>
  await db.insert('INSERT INTO audit_alarm_acks (alarm_id, acknowledged_by, acknowledged_at, reason) VALUES (?, ?, ?, ?)', [k.alarmId, k.by, k.at, k.reason]);

export const getAlarm = async (db: Db, id: number): Promise<AlarmRow | undefined> => await db.get<AlarmRow>(`${SELECT} WHERE a.id = ?`, [id]);

/** Alarms not yet acknowledged, newest first. */
export const openAlarms = async (db: Db): Promise<AlarmRow[]> => await db.all<AlarmRow>(`${SELECT} WHERE k.id IS NULL ORDER BY a.id DESC`);

/** Every alarm, newest first (acknowledged ones too), at most `limit`. */
export const recentAlarms = async (db: Db, limit: number): Promise<AlarmRow[]> => await db.all<AlarmRow>(`${SELECT} ORDER BY a.id DESC LIMIT ?`, [limit]);
