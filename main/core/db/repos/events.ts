import type { Db } from '../open';

export interface EventRow {
  seq: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  case_id: number | null;
  payload_json: string;
  payload_digest: string;
  prev_hash: string;
  hash: string;
}

export const lastEvent = (db: Db): EventRow | undefined =>
  db.prepare('SELECT * FROM events ORDER BY seq DESC LIMIT 1').get() as EventRow | undefined;

export function insertEvent(db: Db, e: EventRow): void {
  db.prepare(
    `INSERT INTO events (seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash)
     VALUES (@seq, @at, @actor_id, @actor_name, @action, @case_id, @payload_json, @payload_digest, @prev_hash, @hash)`,
  ).run(e);
}

export const eventsOfCase = (db: Db, caseId: number): EventRow[] =>
  db.prepare('SELECT * FROM events WHERE case_id = ? ORDER BY seq').all(caseId) as EventRow[];

/** Streams the whole log in order without loading it into memory. */
export const iterateEvents = (db: Db): IterableIterator<EventRow> =>
  db.prepare('SELECT * FROM events ORDER BY seq').iterate() as IterableIterator<EventRow>;
