import { ACTION_LABELS, canonicalJson, GENESIS_HASH, sha256Hex } from '../domain/audit';
import { CHAIN_FORMAT, eventHashV2 } from '../domain/records';
import { collectPending, verifyRecords, type VerifyOptions } from './records';
import { maybeCheckpoint } from './checkpoints';
import type { AuditEventView, AuditVerifyView } from '../domain/views';
import { chainHead, insertEvent, recentEvents } from '../db/repos/events';
import { AuditEventsInput } from '../../../preload/contract';
import { type Actor, type Core, nowIso, parseInput } from './core';
import { requirePermission } from './auth';

/**
 * Appends one event to the chain. Call inside the use case's transaction: the event carries the
 * digests of every record row the transaction wrote (services/records.ts), so it vouches for them.
 */
export async function appendEvent(core: Core, actor: Actor | null, action: string, caseId: number | null, payload: unknown): Promise<void> {
  const prev = await chainHead(core.db);
  const seq = (prev?.seq ?? 0) + 1;
  const at = nowIso(core);
  const payloadJson = canonicalJson(payload ?? {});
  const payloadDigest = sha256Hex(payloadJson);
  const prevHash = prev?.hash ?? GENESIS_HASH;
  const actorName = actor ? `${actor.displayName}（${actor.username}）` : '系统';
  const actorId = actor?.id ?? null;
  // Every row this transaction wrote now has this event as its version (services/versions.ts).
  const records = await collectPending(core.db, { seq, actorId, at });
  const hash = eventHashV2({ seq, at, actorId, actorName, action, caseId, payloadJson, payloadDigest, records, prevHash });
  await insertEvent(core.db, {
    seq,
    at,
    actor_id: actorId,
    actor_name: actorName,
    action,
    case_id: caseId,
    payload_json: payloadJson,
    payload_digest: payloadDigest,
    prev_hash: prevHash,
    hash,
    format: CHAIN_FORMAT,
    records,
  });
  // Every 100 events and at every issue the head is signed (services/checkpoints.ts).
  await maybeCheckpoint(core, { seq, hash, action });
}

/**
 * After the upgrade to chain format 2 (migration 010 put every existing row in the journal), one
 * event vouches for the rows as they then were. Only then: any later leftover in the journal is a
 * write outside an event, which the next event reports instead of vouching for it.
 */
export async function vouchUpgradedRows(core: Core): Promise<void> {
  const db = core.db;
  if (await db.readOnly()) return;
  const upgraded = async () =>
    Number(await db.value('SELECT COUNT(*) FROM events')) > 0 &&
    !(await db.value('SELECT 1 FROM events WHERE format = 2 LIMIT 1')) &&
    !!(await db.value('SELECT 1 FROM chain_pending LIMIT 1'));
  if (!(await upgraded())) return;
  await db.tx(async () => {
    if (!(await upgraded())) return;
    // The journal holds the rows from before this version, not writes outside an event.
    await db.run('UPDATE chain_pending SET outside = 0');
    const rows = Number(await db.value('SELECT COUNT(*) FROM chain_pending'));
    await appendEvent(core, null, 'records.baseline', null, { rows, note: '升级到记录链格式 2：此前已有的记录自此由记录链担保' });
  });
}

/**
 * Verifies the whole record: the chain's hashes and links, every record row and the mutable state
 * against the event that last wrote it, every stored file (unless quick), and names the first mismatch.
 */
export async function verifyChain(core: Core, opts: VerifyOptions = {}): Promise<AuditVerifyView> {
  return await verifyRecords(core, opts);
}

export async function verifyChainAs(core: Core, actor: Actor): Promise<AuditVerifyView> {
  requirePermission(actor, 'audit.verify');
  return await verifyChain(core);
}


/**
 * The 审计管理员 reads the full-process record (newest first, by action prefix, a page at a time). Event
 * payloads hold identifiers, digests and decisions, not case materials, so reading them does not open
 * case contents to an administrator.
 */
export async function listEvents(core: Core, actor: Actor, input: unknown): Promise<AuditEventView[]> {
  requirePermission(actor, 'audit.read');
  const q = parseInput(AuditEventsInput, input);
  const rows = await recentEvents(core.db, { limit: q.limit, ...(q.beforeSeq && { beforeSeq: q.beforeSeq }), ...(q.action && { action: q.action }) });
  return rows.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor_name, action: e.action, label: ACTION_LABELS[e.action] ?? e.action, caseId: e.case_id, payload: JSON.parse(e.payload_json) as unknown }));
}
