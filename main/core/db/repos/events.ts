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
  /** 1: the first chain format; 2: hash over every field incl. records (domain/records.ts). */
  format?: number;
  /** Format 2: the digests of the rows this event's transaction wrote. */
  records?: string;
}

export const lastEvent = async (db: Db): Promise<EventRow | undefined> =>
  await db.get('SELECT * FROM events ORDER BY seq DESC LIMIT 1') as EventRow | undefined;

/** The chain's head: all an appended event needs of the one before it. */
export const chainHead = async (db: Db): Promise<{ seq: number; hash: string } | undefined> =>
  await db.get('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1') as { seq: number; hash: string } | undefined;

export async function insertEvent(
  db: Db, e: EventRow): Promise<void> {
  await db.run(`INSERT INTO events (seq, at, actor_id, actor_name, action, case_id, payload_json, payload_digest, prev_hash, hash, format, records)
     VALUES (@seq, @at, @actor_id, @actor_name, @action, @case_id, @payload_json, @payload_digest, @prev_hash, @hash, @format, @records)`, { format: 1, records: '', ...e });
}

export const eventsOfCase = async (db: Db, caseId: number): Promise<EventRow[]> =>
  await db.all('SELECT * FROM events WHERE case_id = ? ORDER BY seq', [caseId]) as EventRow[];

/** Walks the whole log in order, a page at a time, without loading it into memory. */
export async function* iterateEvents(db: Db, pageSize = 2000): AsyncGenerator<EventRow> {
  let after = 0;
  for (;;) {
    const page = await db.all<EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', [after, pageSize]);
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}

/** The newest events first, before a sequence number, optionally of actions starting with a prefix (审计管理员). */
export async function recentEvents(db: Db, opts: { beforeSeq?: number; action?: string; limit: number }): Promise<EventRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.beforeSeq) {
    where.push('seq < ?');
    params.push(opts.beforeSeq);
  }
  if (opts.action) {
    where.push("action LIKE ? ESCAPE '\\'");
    params.push(`${opts.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  }
  const sql = `SELECT * FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  return await db.all<EventRow>(sql, [...params, opts.limit]);
}
