// What a live update tells a client: which event happened, on which case, by whom. Never the payload:
// the client asks again through the contract, with its own rights, for what it may see.
import type { Core } from './core';
import { getUserById } from '../db/repos/users';
import { getCase } from '../db/repos/cases';
import { toActor } from './auth';
import { canRead } from './cases';

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

/**
 * Who is told of an event (issue 14, point 4, without telling too much): an event on a case only to those
 * who may read that case (cases.canRead: the roles that read every case, its handler, its officers) and to
 * whoever made it; someone else learns nothing of it, not even that it happened. An event naming no case
 * goes to every signed-in user. The answer is read as that user (row security on PostgreSQL) and kept for
 * `ttlMs` per user and case: who may read a case changes only with a submission or a change of roles, and
 * a late answer costs one notification, never data (the client asks again with its own rights).
 */
export class PushAudience {
  private readonly cache = new Map<string, { until: number; yes: Promise<boolean> }>();

  constructor(private readonly core: Core, private readonly ttlMs = 30_000) {}

  mayHear(userId: number, e: PushedEvent): Promise<boolean> {
    if (e.caseId === null || e.byId === userId) return Promise.resolve(true);
    const key = `${userId}:${e.caseId}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.yes;
    if (this.cache.size > 20_000) for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
    const caseId = e.caseId;
    const yes = this.core.db
      .actingAs(userId, async () => {
        const u = await getUserById(this.core.db, userId);
        if (!u || u.active !== 1) return false;
        const row = await getCase(this.core.db, caseId);
        return !!row && (await canRead(this.core, toActor(u), row));
      })
      .catch(() => false);
    this.cache.set(key, { until: now + this.ttlMs, yes });
    return yes;
  }
}
