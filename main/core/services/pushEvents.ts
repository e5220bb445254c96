// What a live update tells a client: which event happened, on which case, by whom. Never the payload:
// the client asks again through the contract, with its own rights, for what it may see.
import type { Core } from './core';

export interface PushedEvent {
  seq: number;
  kind: string;
  caseId: number | null;
  by: string;
  byId: number | null;
  at: string;
}

export async function headSeq(core: Core): Promise<number> {
  return Number((await core.db.value<number | string>('SELECT COALESCE(MAX(seq), 0) FROM events')) ?? 0);
}

export async function eventsAfter(core: Core, after: number, limit: number): Promise<PushedEvent[]> {
  const rows = await core.db.all<{ seq: number | string; action: string; case_id: number | null; actor_name: string; actor_id: number | string | null; at: string }>(
    'SELECT seq, action, case_id, actor_name, actor_id, at FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    [after, limit],
  );
  return rows.map((r) => ({ seq: Number(r.seq), kind: r.action, caseId: r.case_id === null ? null : Number(r.case_id), by: r.actor_name, byId: r.actor_id === null ? null : Number(r.actor_id), at: r.at }));
}
