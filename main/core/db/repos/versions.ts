// Row versions (migration 015): the event that last wrote each record row, kept by appendEvent.
import type { Db } from '../open';

export interface RowVersion {
  seq: number;
  actor_id: number | null;
  at: string;
}

/**
 * Stamps every row in the record journal with the event about to be written (call in appendEvent,
 * before the journal is emptied). One statement, whatever the number of rows.
 */
export async function stampPendingRows(db: Db, seq: number, actorId: number | null, at: string): Promise<void> {
  await db.run(
    `INSERT INTO row_versions (tbl, key, seq, actor_id, at)
       SELECT tbl, key, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS TEXT) FROM chain_pending WHERE 1 = 1
     ON CONFLICT (tbl, key) DO UPDATE SET seq = excluded.seq, actor_id = excluded.actor_id, at = excluded.at`,
    [seq, actorId, at],
  );
}

export const rowVersionOf = async (db: Db, tbl: string, key: string): Promise<RowVersion | undefined> =>
  await db.get<RowVersion>('SELECT seq, actor_id, at FROM row_versions WHERE tbl = ? AND key = ?', [tbl, key]);

const SEP = "'\u001f'";

/**
 * The newest write of the rows meetings.save writes: attendance, the items (statements, notes and the
 * decision) and stances (also one since cleared: a stance row is deleted, so its keys are built from
 * items × attendees). The meeting row itself (start, agenda confirmed by the chair, recorder) is not
 * the minutes being taken, so it makes no save stale; a recusal clears a stance, so it does.
 * Composite keys are joined by U+001F, as in the journal.
 */
export const meetingRowsVersionOf = async (db: Db, meetingId: number): Promise<RowVersion | undefined> =>
  await db.get<RowVersion>(
    `SELECT v.seq, v.actor_id, v.at FROM row_versions v WHERE
        (v.tbl = 'meeting_attendees' AND v.key IN (SELECT CAST(a.meeting_id AS TEXT) || ${SEP} || CAST(a.user_id AS TEXT) FROM meeting_attendees a WHERE a.meeting_id = ?))
     OR (v.tbl = 'meeting_items' AND v.key IN (SELECT CAST(i.id AS TEXT) FROM meeting_items i WHERE i.meeting_id = ?))
     OR (v.tbl = 'meeting_stances' AND v.key IN (SELECT CAST(i.id AS TEXT) || ${SEP} || CAST(a.user_id AS TEXT) FROM meeting_items i JOIN meeting_attendees a ON a.meeting_id = i.meeting_id WHERE i.meeting_id = ?))
     ORDER BY v.seq DESC LIMIT 1`,
    [meetingId, meetingId, meetingId],
  );

/** A document's latest version: its number is the document's version (0: none saved yet). */
export const latestDocumentVersionOf = async (db: Db, caseId: number, templateId: string) =>
  await db.get<{ version: number; saved_by: number; saved_at: string }>(
    `SELECT v.version, v.saved_by, v.saved_at FROM document_versions v JOIN documents d ON d.id = v.document_id
      WHERE d.case_id = ? AND d.template_id = ? ORDER BY v.version DESC LIMIT 1`,
    [caseId, templateId],
  );
