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
 * `ttlMs` per user and case. Who may read a case changes only with a round of materials (its officers) or
 * a change of a user's roles or state: such an event drops what was kept (of that case, or of everyone)
 * before anyone is told of it. A late answer would cost one notification, never data (the client asks
 * again with its own rights).
 */
const NEW_OFFICERS: ReadonlySet<string> = new Set(['case.submit', 'case.resubmit', 'case.revise']);
const NEW_RIGHTS: ReadonlySet<string> = new Set(['user.create', 'user.roles', 'user.update']);

export class PushAudience {
  private readonly cache = new Map<string, { until: number; yes: Promise<boolean> }>();
  /** Events whose change of audience was already applied (each stream asks about each event). */
  private readonly applied = new Set<number>();

  constructor(private readonly core: Core, private readonly ttlMs = 30_000) {}

  private apply(e: PushedEvent): void {
    if (this.applied.has(e.seq) || !(NEW_RIGHTS.has(e.kind) || (e.caseId !== null && NEW_OFFICERS.has(e.kind)))) return;
    this.applied.add(e.seq);
    if (this.applied.size > 1000) this.applied.delete(this.applied.values().next().value!);
    if (NEW_RIGHTS.has(e.kind)) this.cache.clear();
    else for (const k of this.cache.keys()) if (k.endsWith(`:${e.caseId}`)) this.cache.delete(k);
  }

  mayHear(userId: number, e: PushedEvent): Promise<boolean> {
    this.apply(e);
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
      .catch(() => {
        // A failed read (a busy database, a dropped connection) is not an answer to keep.
        this.cache.delete(key);
        return false;
      });
    this.cache.set(key, { until: now + this.ttlMs, yes });
    return yes;
  }
}
