import { ACTION_LABELS, canonicalJson, eventHash, GENESIS_HASH, sha256Hex } from '../domain/audit';
import type { AuditEventView, AuditVerifyView } from '../domain/views';
import { insertEvent, iterateEvents, lastEvent, recentEvents } from '../db/repos/events';
import { AuditEventsInput } from '../../../preload/contract';
import { type Actor, type Core, nowIso, parseInput } from './core';
import { requirePermission } from './auth';

/** Appends one event to the chain. Call inside the use case's transaction. */
export async function appendEvent(core: Core, actor: Actor | null, action: string, caseId: number | null, payload: unknown): Promise<void> {
  const prev = await lastEvent(core.db);
  const seq = (prev?.seq ?? 0) + 1;
  const at = nowIso(core);
  const payloadJson = canonicalJson(payload ?? {});
  const payloadDigest = sha256Hex(payloadJson);
  const prevHash = prev?.hash ?? GENESIS_HASH;
  const actorName = actor ? `${actor.displayName}（${actor.username}）` : '系统';
  const hash = eventHash({ seq, at, actorId: actor?.id ?? null, actorName, action, caseId, payloadDigest, prevHash });
  await insertEvent(core.db, {
    seq,
    at,
    actor_id: actor?.id ?? null,
    actor_name: actorName,
    action,
    case_id: caseId,
    payload_json: payloadJson,
    payload_digest: payloadDigest,
    prev_hash: prevHash,
    hash,
  });
}

/** Recomputes the whole chain and names the first event that does not match. */
export async function verifyChain(core: Core): Promise<AuditVerifyView> {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const e of iterateEvents(core.db)) {
    count++;
    const bad = (reason: string): AuditVerifyView => ({ ok: false, count, firstBad: { seq: e.seq, reason } });
    if (e.seq !== expectedSeq) return bad(`序号不连续：应为 ${expectedSeq}，实为 ${e.seq}（有记录被删除或插入）`);
    if (sha256Hex(e.payload_json) !== e.payload_digest) return bad('事件内容与其摘要不符（内容被修改）');
    if (e.prev_hash !== expectedPrev) return bad('前一事件哈希不符（链条被改动）');
    const h = eventHash({
      seq: e.seq,
      at: e.at,
      actorId: e.actor_id,
      actorName: e.actor_name,
      action: e.action,
      caseId: e.case_id,
      payloadDigest: e.payload_digest,
      prevHash: e.prev_hash,
    });
    if (h !== e.hash) return bad('事件哈希不符（时间、操作人或操作被修改）');
    expectedPrev = e.hash;
    expectedSeq++;
  }
  return { ok: true, count, firstBad: null };
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
