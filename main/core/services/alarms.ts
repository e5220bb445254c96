// Alarms of failed verification (issue 11, point 5). Every verification of the full-process record
// that fails — the app's 记录校验 (services/verifyJobs.ts, and the synchronous 'audit.verify' channel) and
// `lrw audit verify` — raises one alarm: a row in audit_alarms with the result's summary and an
// 'audit.alarm' event, in one transaction. The system administrator and the legal office head see every
// alarm not yet acknowledged (the app shows it as a banner on every screen) until one of them
// acknowledges it with a reason: a row in audit_alarm_acks and an 'audit.alarm_ack' event. Both tables
// are append-only (migration 012): an alarm is never changed or removed, an acknowledgement never
// withdrawn, and an alarm is acknowledged at most once.
import { AlarmAckInput, ALARM_REASON_MIN } from '../../../preload/contract';
import { cstDateTime } from '../domain/calendar';
import { AppError } from '../domain/errors';
import type { AlarmView, AuditVerifyView, RecordMismatch } from '../domain/views';
import { getAlarm, insertAlarm, insertAlarmAck, openAlarms, recentAlarms, type AlarmRow } from '../db/repos/alarms';
import { appendEvent } from './audit';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';

export type AlarmThrough = 'app' | 'lrw';

const who = (name: string | null, username: string | null) => (name ? `${name}（${username}）` : null);

/** The one sentence an alarm says: the first mismatch in words, else the result's own message. */
export function alarmMessage(v: AuditVerifyView): string {
  if (v.mismatch?.message) return v.mismatch.message;
  if (v.firstBad) return `第 ${v.firstBad.seq} 号事件不符——${v.firstBad.reason}`;
  return v.message ?? '全过程记录校验未通过。';
}

function toView(r: AlarmRow): AlarmView {
  const summary = JSON.parse(r.summary_json) as Partial<AuditVerifyView>;
  return {
    id: r.id,
    raisedAt: r.raised_at,
    raisedBy: who(r.raiser_name, r.raiser_username) ?? (r.raised_through === 'lrw' ? '命令行' : '系统'),
    raisedThrough: r.raised_through,
    quick: r.quick === 1,
    count: r.event_count,
    mismatch: (summary.mismatch as RecordMismatch | null | undefined) ?? null,
    firstBad: summary.firstBad ?? null,
    message: r.message,
    acknowledged: r.ack_at ? { by: who(r.acker_name, r.acker_username) ?? '', at: r.ack_at, reason: r.ack_reason ?? '' } : null,
  };
}

/**
 * Raises the alarm of a failed verification (nothing when it passed) and returns its id. Not a
 * permission of its own: it is what any failed verification does, whoever ran it (actor null: `lrw`
 * without --as). Runs its own transaction.
 */
export async function raiseAlarmIfFailed(core: Core, actor: Actor | null, v: AuditVerifyView, opts: { through: AlarmThrough; quick: boolean }): Promise<number | null> {
  if (v.ok) return null;
  const message = alarmMessage(v);
  const at = nowIso(core);
  const summary: AuditVerifyView = {
    ok: v.ok,
    count: v.count,
    firstBad: v.firstBad,
    ...(v.head !== undefined && { head: v.head }),
    ...(v.mismatch !== undefined && { mismatch: v.mismatch }),
    ...(v.rows !== undefined && { rows: v.rows }),
    ...(v.files !== undefined && { files: v.files }),
    ...(v.filesSkipped !== undefined && { filesSkipped: v.filesSkipped }),
    ...(v.checkpoints !== undefined && { checkpoints: v.checkpoints }),
    ...(v.latestCheckpointSeq !== undefined && { latestCheckpointSeq: v.latestCheckpointSeq }),
    ...(v.witnesses !== undefined && { witnesses: v.witnesses }),
    ...(v.warnings !== undefined && { warnings: v.warnings }),
    ...(v.message !== undefined && { message: v.message }),
  };
  return await tx(core, async () => {
    const alarmId = await insertAlarm(core.db, {
      raisedAt: at,
      raisedBy: actor?.id ?? null,
      raisedThrough: opts.through,
      quick: opts.quick,
      eventCount: v.count,
      mismatchKind: v.mismatch?.kind ?? (v.firstBad ? 'chain' : null),
      firstBadSeq: v.mismatch?.seq ?? v.firstBad?.seq ?? null,
      message,
      summaryJson: JSON.stringify(summary),
    });
    await appendEvent(core, actor, 'audit.alarm', null, {
      alarmId,
      through: opts.through,
      quick: opts.quick,
      count: v.count,
      ...(v.mismatch && { mismatch: { kind: v.mismatch.kind, table: v.mismatch.table ?? null, row: v.mismatch.row ?? null, field: v.mismatch.field ?? null, seq: v.mismatch.seq ?? null } }),
      ...(v.firstBad && { firstBadSeq: v.firstBad.seq }),
      message,
    });
    return alarmId;
  });
}

/** Alarms not yet acknowledged (the banner), or with `all` the latest 100 of every alarm. */
export async function listAlarms(core: Core, actor: Actor, opts: { all?: boolean } = {}): Promise<AlarmView[]> {
  requirePermission(actor, 'audit.alarms');
  return (opts.all ? await recentAlarms(core.db, 100) : await openAlarms(core.db)).map(toView);
}

/** Acknowledges one alarm with a reason; only once; only the system administrator or the legal office head. */
export async function acknowledgeAlarm(core: Core, actor: Actor, input: unknown): Promise<AlarmView> {
  requirePermission(actor, 'audit.alarmAck');
  const { alarmId, reason } = parseInput(AlarmAckInput, input);
  // The schema says so too; kept here so the rule does not depend on how the input was parsed.
  if ([...reason].length < ALARM_REASON_MIN) throw new AppError('VALIDATION', `确认理由至少${ALARM_REASON_MIN}个字。`);
  await tx(core, async () => {
    const alarm = await getAlarm(core.db, alarmId);
    if (!alarm) throw new AppError('NOT_FOUND', `没有编号为 ${alarmId} 的记录校验警报。`);
    if (alarm.ack_at) {
      throw new AppError('CONFLICT', `第 ${alarmId} 号警报已于${cstDateTime(new Date(alarm.ack_at))}（北京时间）由${who(alarm.acker_name, alarm.acker_username) ?? ''}确认，不能重复确认。`);
    }
    const ackId = await insertAlarmAck(core.db, { alarmId, by: actor.id, at: nowIso(core), reason });
    await appendEvent(core, actor, 'audit.alarm_ack', null, { alarmId, ackId, reason });
  });
  return toView((await getAlarm(core.db, alarmId))!);
}
