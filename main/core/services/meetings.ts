// Collective discussion by the agency heads (负责人会议集体讨论决定): the secretary takes the minutes
// live, the chair states each decision after every view is heard and confirms the minutes, which
// then lock; corrections after that are appended amendments (003 第十九条; 001 附件3 第十二、十七条).
import { MeetingAmendInput, MeetingCreateInput, MeetingDecideInput, MeetingItemInput, MeetingRecordInput } from '../../../preload/contract';
import { AppError, fieldError } from '../domain/errors';
import { hasPermission } from '../domain/permissions';
import { assertState } from '../domain/workflow';
import type { ClockView, MeetingItemView, MeetingSummary, MeetingView } from '../domain/views';
import { getCase, updateCase } from '../db/repos/cases';
import { getUserById } from '../db/repos/users';
import { insertApproval, approvalsOf } from '../db/repos/approvals';
import {
  amendmentsOf,
  attendeesOf,
  escalationOf,
  getMeeting,
  insertAmendment,
  insertAttendee,
  insertItem,
  insertMeeting,
  itemOf,
  itemsOf,
  listMeetings as listMeetingRows,
  lockMeetingRow,
  openItemForCase,
  rereviewRequestOf,
  setAttendance,
  setAgendaConfirmed,
  insertRecusal,
  recusalsOf,
  setItemDecision,
  setMeetingRecorder,
  setMeetingStarted,
  setStance,
  stancesOf,
  updateItemText,
  type MeetingRow,
  type ItemRow,
} from '../db/repos/meetings';
import { appendEvent } from './audit';
import { involvedIn } from './authority';
import { MeetingRef, RecusalInput } from '../../../preload/contract';
import { requirePermission } from './auth';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, meetingVersion } from './versions';
import { workflowSettings } from './settings';
import { currentClocks, loadCalendar, startClock } from './deadlines';
import { cstDate } from '../domain/calendar';

const QUORUM_LABELS = { half: '应到人数过半数', two_thirds: '应到人数三分之二以上' } as const;

export function quorumMet(rule: 'half' | 'two_thirds', present: number, expected: number): boolean {
  return rule === 'half' ? present * 2 > expected : present * 3 >= expected * 2;
}

async function loadMeeting(core: Core, id: number): Promise<MeetingRow> {
  const m = await getMeeting(core.db, id);
  if (!m) throw new AppError('NOT_FOUND', `会议（编号 ${id}）不存在。`);
  return m;
}

function assertUnlocked(m: MeetingRow): void {
  if (m.locked_at) throw new AppError('LOCKED', `会议纪要已于${cstDate(new Date(m.locked_at))}经主持人确认锁定，不能修改；如需更正，请以补正记录的方式追加。`);
}

async function addCase(core: Core, meetingId: number, caseId: number, chairId: number): Promise<void> {
  const c = await getCase(core.db, caseId);
  if (!c) throw new AppError('NOT_FOUND', `案件（编号 ${caseId}）不存在。`);
  if (c.state !== 'in_discussion') throw new AppError('BAD_STATE', `案件“${c.case_no}”未提请集体讨论，不能列入议题。`);
  await assertChairFree(core, chairId, caseId);
  const open = await openItemForCase(core.db, caseId);
  if (open && open.meeting_id !== meetingId) throw new AppError('CONFLICT', `案件“${c.case_no}”已列入另一次尚未结束的会议。`);
  if (!open) {
    await insertItem(core.db, meetingId, caseId);
    // A changed agenda goes back to the chair.
    await setAgendaConfirmed(core.db, meetingId, null, null);
  }
}

/** 审批分离: a head who handled, acted on or reviewed the case may not chair its collective decision. */
async function assertChairFree(core: Core, chairId: number, caseId: number): Promise<void> {
  const c = (await getCase(core.db, caseId))!;
  const part = (await involvedIn(core, c)).get(chairId);
  if (part) {
    const name = (await getUserById(core.db, chairId))?.display_name ?? `#${chairId}`;
    throw new AppError('SEPARATION_OF_DUTIES', `审批分离：主持人${name}是案件“${c.case_no}”的${part}，不能主持本案的集体讨论决定；请另定主持人，${name}可列席汇报。`);
  }
}

/** Heads who may not vote on an item: 列席 (involved in the case) and 回避. */
async function nonVoters(core: Core, itemId: number, caseId: number): Promise<Map<number, string>> {
  const c = (await getCase(core.db, caseId))!;
  const out = new Map<number, string>();
  for (const [id, part] of await involvedIn(core, c)) out.set(id, `本案${part}，列席，不参与表决`);
  for (const r of await recusalsOf(core.db, itemId)) out.set(r.user_id, `回避：${r.reason}`);
  return out;
}

/** The chair confirms the agenda the secretary prepared (the chair sets the agenda). */
export async function confirmAgenda(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  requirePermission(actor, 'meeting.agenda');
  const { meetingId } = parseInput(MeetingRef, input);
  await tx(core, async () => {
    const m = await loadMeeting(core, meetingId);
    assertUnlocked(m);
    if (m.chair_id !== actor.id) throw new AppError('FORBIDDEN', `会议议题由主持人${m.chair_name}确定。`);
    const items = await itemsOf(core.db, m.id);
    if (!items.length) throw new AppError('VALIDATION', '会议还没有议题，请由会议秘书先列入提请集体讨论的案件。');
    for (const i of items) await assertChairFree(core, m.chair_id, i.case_id);
    await setAgendaConfirmed(core.db, m.id, actor.id, nowIso(core));
    await appendEvent(core, actor, 'meeting.agenda', null, { meetingId: m.id, caseIds: items.map((i) => i.case_id) });
  });
  return await meetingView(core, actor, meetingId);
}

/** 回避 on one item: on the head's own declaration or a party's application, with the reason. */
export async function recuse(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  const r = parseInput(RecusalInput, input);
  if (r.source === 'self' ? actor.id !== r.userId && !actor.roles.includes('secretary') : !actor.roles.includes('secretary')) {
    throw new AppError('FORBIDDEN', r.source === 'self' ? '本人申请回避由本人提出，或由会议秘书记录。' : '当事人申请回避由会议秘书记录。');
  }
  await tx(core, async () => {
    const m = await loadMeeting(core, r.meetingId);
    assertUnlocked(m);
    const item = await itemOf(core.db, m.id, r.caseId);
    if (!item) throw new AppError('VALIDATION', '该案件不是本次会议的议题。');
    if (!(await attendeesOf(core.db, m.id)).some((a) => a.user_id === r.userId)) throw new AppError('VALIDATION', `人员（编号 ${r.userId}）不在本次会议应出席名单中。`);
    if (r.userId === m.chair_id) throw new AppError('BAD_STATE', '主持人须回避的，请另定主持人后重新安排会议。');
    if ((await recusalsOf(core.db, item.id)).some((x) => x.user_id === r.userId)) throw new AppError('CONFLICT', '已记录该人员对本议题回避。');
    await insertRecusal(core.db, { itemId: item.id, userId: r.userId, source: r.source, reason: r.reason, by: actor.id, at: nowIso(core) });
    // A recused head's view no longer counts; a decision already stated must be stated again.
    await setStance(core.db, item.id, r.userId, null, '');
    if (item.decided_at) await setItemDecision(core.db, item.id, null, item.decision_text, null);
    await appendEvent(core, actor, 'meeting.recuse', r.caseId, { meetingId: m.id, userId: r.userId, source: r.source, reason: r.reason });
  });
  return await meetingView(core, actor, r.meetingId);
}

export async function createMeeting(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  requirePermission(actor, 'meeting.manage');
  const m = parseInput(MeetingCreateInput, input);
  const id = await tx(core, async () => {
    const heads = [...new Set([m.chairId, ...m.attendeeIds])];
    for (const h of heads) {
      const u = await getUserById(core.db, h);
      if (!u || u.active !== 1 || !u.roles.includes('agency_head')) {
        throw fieldError('VALIDATION', `出席人员（编号 ${h}）不是在用的机关负责人。`, h === m.chairId ? 'chairId' : 'attendeeIds');
      }
    }
    const at = nowIso(core);
    const meetingId = await insertMeeting(core.db, { ...m, quorumRule: (await workflowSettings(core)).quorum, by: actor.id, at });
    for (const h of heads) await insertAttendee(core.db, meetingId, h);
    for (const c of m.caseIds) await addCase(core, meetingId, c, m.chairId);
    await appendEvent(core, actor, 'meeting.create', null, { meetingId, ...m });
    for (const c of m.caseIds) await appendEvent(core, actor, 'meeting.addItem', c, { meetingId });
    return meetingId;
  });
  return await meetingView(core, actor, id);
}

export async function addMeetingItem(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  requirePermission(actor, 'meeting.manage');
  const { meetingId, caseId } = parseInput(MeetingItemInput, input);
  await tx(core, async () => {
    const m = await loadMeeting(core, meetingId);
    assertUnlocked(m);
    await addCase(core, meetingId, caseId, m.chair_id);
    await appendEvent(core, actor, 'meeting.addItem', caseId, { meetingId });
  });
  return await meetingView(core, actor, meetingId);
}

export async function startMeeting(core: Core, actor: Actor, meetingId: number): Promise<MeetingView> {
  requirePermission(actor, 'meeting.manage');
  await tx(core, async () => {
    const m = await loadMeeting(core, meetingId);
    assertUnlocked(m);
    if (m.started_at) return;
    await setMeetingStarted(core.db, meetingId, nowIso(core));
    await appendEvent(core, actor, 'meeting.start', null, { meetingId });
  });
  return await meetingView(core, actor, meetingId);
}

/**
 * Saves what the secretary has typed so far (called on every change). Partial input is fine; the
 * rules on completeness apply when a decision is recorded and when the minutes are locked.
 */
export async function saveRecord(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  requirePermission(actor, 'meeting.manage');
  const r = parseInput(MeetingRecordInput, input);
  await tx(core, async () => {
    const m = await loadMeeting(core, r.meetingId);
    assertUnlocked(m);
    // The secretary and the chair write the record at their own desks: a record changed since it was read is not overwritten.
    await assertFresh(core, '该会议记录', r.expectedVersion, await meetingVersion(core, m.id));
    await setMeetingRecorder(core.db, m.id, actor.id);
    const attendees = new Map((await attendeesOf(core.db, m.id)).map((a) => [a.user_id, a]));
    for (const a of r.attendance ?? []) {
      if (!attendees.has(a.userId)) throw new AppError('VALIDATION', `人员（编号 ${a.userId}）不在本次会议应出席名单中。`);
      await setAttendance(core.db, m.id, a.userId, a.present, a.present === false ? a.absenceReason : '');
    }
    for (const it of r.items ?? []) {
      const item = await itemOf(core.db, m.id, it.caseId);
      if (!item) throw new AppError('VALIDATION', `案件（编号 ${it.caseId}）不是本次会议的议题。`);
      // A changed view after the decision reopens the item: the chair must state the decision again.
      if (item.decided_at && it.stances?.length) await setItemDecision(core.db, item.id, null, item.decision_text, null);
      await updateItemText(core.db, item.id, {
        ...(it.handlingStatement !== undefined && { handling_statement: it.handlingStatement }),
        ...(it.legalStatement !== undefined && { legal_statement: it.legalStatement }),
        ...(it.dissent !== undefined && { dissent: it.dissent }),
        ...(it.notes !== undefined && { notes: it.notes }),
      });
      const barred = await nonVoters(core, item.id, it.caseId);
      for (const s of it.stances ?? []) {
        if (!attendees.has(s.userId)) throw new AppError('VALIDATION', `人员（编号 ${s.userId}）不在本次会议应出席名单中。`);
        if (barred.has(s.userId) && s.stance !== null) {
          throw new AppError('SEPARATION_OF_DUTIES', `${attendees.get(s.userId)!.name}是${barred.get(s.userId)}，不能记录其表决意见。`);
        }
        await setStance(core.db, item.id, s.userId, s.stance, s.reason);
      }
    }
    // Attendance, statements and stances are part of the record: the event vouches for the rows written.
    await appendEvent(core, actor, 'meeting.record', null, {
      meetingId: m.id,
      attendance: (r.attendance ?? []).map((a) => a.userId),
      items: (r.items ?? []).map((it) => it.caseId),
    });
  });
  return await meetingView(core, actor, r.meetingId);
}

async function presentIds(core: Core, meetingId: number): Promise<number[]> {
  return (await attendeesOf(core.db, meetingId)).filter((a) => a.present === 1).map((a) => a.user_id);
}

/** The chair states the decision after every present attendee has given a view. */
export async function decideItem(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  requirePermission(actor, 'meeting.manage');
  const d = parseInput(MeetingDecideInput, input);
  await tx(core, async () => {
    const m = await loadMeeting(core, d.meetingId);
    assertUnlocked(m);
    const item = await itemOf(core.db, m.id, d.caseId);
    if (!item) throw new AppError('VALIDATION', '该案件不是本次会议的议题。');
    const attendees = await attendeesOf(core.db, m.id);
    const present = await presentIds(core, m.id);
    if (!quorumMet(m.quorum_rule, present.length, attendees.length)) {
      throw new AppError('NO_QUORUM', `出席人数 ${present.length} 人，未达到法定人数（${QUORUM_LABELS[m.quorum_rule]}，应到 ${attendees.length} 人），不能作出决定。`);
    }
    // For this item only heads who may vote count: 列席 and 回避 are neither expected nor present voters.
    const barredHere = await nonVoters(core, item.id, d.caseId);
    const voters = attendees.filter((a) => !barredHere.has(a.user_id));
    const votersPresent = voters.filter((a) => a.present === 1).length;
    if (!quorumMet(m.quorum_rule, votersPresent, voters.length)) {
      throw new AppError(
        'NO_QUORUM',
        `本议题有表决权的出席人数 ${votersPresent} 人，未达到法定人数（${QUORUM_LABELS[m.quorum_rule]}，应到 ${voters.length} 人：列席或回避的人员不计入），不能作出决定。`,
      );
    }
    if (!present.includes(m.chair_id)) throw new AppError('BAD_STATE', '会议主持人未出席，不能宣布决定。');
    if (!m.agenda_confirmed_at) throw new AppError('BAD_STATE', '会议议题尚未经主持人确定，不能作出决定。');
    await assertChairFree(core, m.chair_id, d.caseId);
    const barred = await nonVoters(core, item.id, d.caseId);
    const stances = new Map((await stancesOf(core.db, item.id)).map((s) => [s.user_id, s]));
    const silent = attendees.filter((a) => a.present === 1 && !barred.has(a.user_id) && !stances.has(a.user_id)).map((a) => a.name);
    if (silent.length) throw new AppError('VALIDATION', `尚未记录${silent.join('、')}的意见：主持人须在听取每位出席人员意见后宣布决定。`);
    const noReason = [...stances.values()].filter((s) => present.includes(s.user_id) && s.stance === 'disagree' && !s.reason.trim()).map((s) => s.name);
    if (noReason.length) throw new AppError('VALIDATION', `${noReason.join('、')}表示不同意，须记录其理由。`);
    await setItemDecision(core.db, item.id, d.decision, d.decisionText, nowIso(core));
    await appendEvent(core, actor, 'meeting.decide', d.caseId, { meetingId: m.id, decision: d.decision, decisionText: d.decisionText });
  });
  return await meetingView(core, actor, d.meetingId);
}

/**
 * The chair confirms the minutes: they lock, and each decided item becomes the case's decision,
 * recorded as an approval by the chair linked to the meeting (the heads are then responsible).
 */
export async function lockMeeting(core: Core, actor: Actor, meetingId: number): Promise<MeetingView> {
  requirePermission(actor, 'meeting.lock');
  await tx(core, async () => {
    const m = await loadMeeting(core, meetingId);
    assertUnlocked(m);
    if (m.chair_id !== actor.id) throw new AppError('FORBIDDEN', `只有会议主持人${m.chair_name}可以确认会议纪要。`);
    const unrecorded = (await attendeesOf(core.db, m.id)).filter((a) => a.present === null || (a.present === 0 && !a.absence_reason.trim()));
    if (unrecorded.length) throw new AppError('VALIDATION', `请先记录${unrecorded.map((a) => a.name).join('、')}的出席情况（缺席须注明原因）。`);
    const at = nowIso(core);
    const view = await meetingView(core, actor, meetingId);
    for (const item of view.items) {
      if (!item.decision) continue;
      const c = (await getCase(core.db, item.caseId))!;
      assertState(c.state, 'discuss');
      const departs = item.departsFromLegalOpinion;
      const approvalId = await insertApproval(
        core.db,
        {
          caseId: c.id,
          headId: m.chair_id,
          decision: item.decision,
          opinion: `集体讨论决定：${item.decisionText}`,
          reviewOutcome: c.last_outcome,
          override: departs,
          overrideReason: departs ? `负责人会议集体讨论决定（${view.title}），未采纳法制审核意见：${item.decisionText}` : null,
          meetingId: m.id,
          responsible: departs ? item.responsibleHeads : null,
        },
        at,
      );
      await updateCase(core.db, c.id, { state: item.decision === 'approve' ? 'approved' : 'rejected', ...(departs && { head_override: 1 }) }, at);
      if (item.decision === 'approve') await startClock(core, c.id, 'publication', core.now(), c.kind);
      await appendEvent(core, actor, 'approval.decide', c.id, {
        approvalId,
        decision: item.decision,
        opinion: item.decisionText,
        reviewOutcome: c.last_outcome,
        override: departs,
        meetingId: m.id,
        tally: item.tally,
        departsFromMajority: item.departsFromMajority,
        // 第十七条: a departure from the legal opinion is recorded against each head who voted for it.
        ...(departs && { responsibleHeads: item.responsibleHeads }),
        observers: item.observers,
        recusals: item.recusals,
      });
    }
    await lockMeetingRow(core.db, m.id, actor.id, at);
    // The record as confirmed; the clocks shown beside the items are the case's, not the minutes'.
    await appendEvent(core, actor, 'meeting.lock', null, { meetingId: m.id, record: { ...view, items: view.items.map(({ clock: _clock, ...i }) => i) } });
    // Each case's own timeline shows that the minutes holding it were confirmed.
    for (const item of view.items) await appendEvent(core, actor, 'meeting.confirm', item.caseId, { meetingId: m.id, decided: item.decision !== null });
  });
  return await meetingView(core, actor, meetingId);
}

export async function amendMeeting(core: Core, actor: Actor, input: unknown): Promise<MeetingView> {
  if (!hasPermission(actor.roles, 'meeting.manage') && !hasPermission(actor.roles, 'meeting.lock')) requirePermission(actor, 'meeting.manage');
  const a = parseInput(MeetingAmendInput, input);
  await tx(core, async () => {
    const m = await loadMeeting(core, a.meetingId);
    if (!m.locked_at) throw new AppError('BAD_STATE', '会议纪要尚未锁定，可直接修改记录，无需补正。');
    await insertAmendment(core.db, { meetingId: m.id, text: a.text, reason: a.reason, by: actor.id, at: nowIso(core) });
    await appendEvent(core, actor, 'meeting.amend', null, a);
    for (const item of await itemsOf(core.db, m.id)) await appendEvent(core, actor, 'meeting.amendItem', item.case_id, a);
  });
  return await meetingView(core, actor, a.meetingId);
}

async function itemView(core: Core, m: MeetingRow, item: ItemRow, present: number[], expected: number, clock: ClockView | null): Promise<MeetingItemView> {
  const c = (await getCase(core.db, item.case_id))!;
  const attendees = new Set((await attendeesOf(core.db, m.id)).map((a) => a.user_id));
  const involved = await involvedIn(core, c);
  const recusals = await recusalsOf(core.db, item.id);
  const barred = new Set([...involved.keys(), ...recusals.map((r) => r.user_id)]);
  const voters = present.filter((id) => !barred.has(id));
  const stances = (await stancesOf(core.db, item.id)).filter((s) => voters.includes(s.user_id));
  const tally = {
    agree: stances.filter((s) => s.stance === 'agree').length,
    disagree: stances.filter((s) => s.stance === 'disagree').length,
    abstain: stances.filter((s) => s.stance === 'abstain').length,
    missing: voters.length - stances.length,
  };
  void expected;
  const majority = tally.agree > tally.disagree ? 'approve' : tally.disagree > tally.agree ? 'reject' : null;
  const override = (await approvalsOf(core.db, c.id)).find((a) => a.override === 1);
  return {
    id: item.id,
    seq: item.seq,
    caseId: c.id,
    caseNo: c.case_no,
    title: c.title,
    partyName: c.party_name,
    legalOpinion: c.last_outcome,
    rereviewReasons: (await rereviewRequestOf(core.db, c.id, c.cycle))?.reasons ?? null,
    escalationReasons: (await escalationOf(core.db, c.id, c.cycle))?.reasons ?? null,
    handlingStatement: item.handling_statement,
    legalStatement: item.legal_statement,
    dissent: item.dissent,
    notes: item.notes,
    stances: stances.map((s) => ({ userId: s.user_id, name: s.name, stance: s.stance, reason: s.reason })),
    tally,
    decision: item.decision,
    decisionText: item.decision_text,
    decidedAt: item.decided_at,
    departsFromMajority: item.decision !== null && majority !== null && item.decision !== majority,
    // The legal office's opinion stands for "approve" only when it is 同意.
    departsFromLegalOpinion: item.decision !== null && (item.decision === 'approve') !== (c.last_outcome === 'agree'),
    headOverride: override ? { head: override.head_name, reason: override.override_reason ?? '' } : null,
    observers: await Promise.all(
      [...involved].filter(([id]) => attendees.has(id)).map(async ([id, part]) => ({ userId: id, name: (await getUserById(core.db, id))?.display_name ?? `#${id}`, part })),
    ),
    recusals: recusals.map((r) => ({ userId: r.user_id, name: r.name, source: r.source, reason: r.reason, recordedAt: r.recorded_at })),
    responsibleHeads:
      item.decision === null || (item.decision === 'approve') === (c.last_outcome === 'agree')
        ? []
        : stances.filter((s) => s.stance === (item.decision === 'approve' ? 'agree' : 'disagree')).map((s) => s.name),
    escalationKind: (await escalationOf(core.db, c.id, c.cycle))?.kind ?? null,
    voterQuorum: {
      expected: [...attendees].filter((id) => !barred.has(id)).length,
      present: voters.length,
      met: quorumMet(m.quorum_rule, voters.length, [...attendees].filter((id) => !barred.has(id)).length),
    },
    clock,
  };
}

export async function meetingView(core: Core, actor: Actor, meetingId: number): Promise<MeetingView> {
  requirePermission(actor, 'meeting.read');
  const m = await loadMeeting(core, meetingId);
  const attendees = await attendeesOf(core.db, m.id);
  const present = attendees.filter((a) => a.present === 1).map((a) => a.user_id);
  const items = await itemsOf(core.db, m.id);
  // Each item's case clock, read for all items at once, shown in the minutes where the heads decide.
  const clocks = await currentClocks(core, items.map((i) => i.case_id), await loadCalendar(core));
  const allowed: string[] = [];
  if (!m.locked_at && hasPermission(actor.roles, 'meeting.manage')) allowed.push('meeting.record');
  if (!m.locked_at && actor.id === m.chair_id) allowed.push('meeting.lock');
  if (!m.locked_at && actor.id === m.chair_id && !m.agenda_confirmed_at) allowed.push('meeting.confirmAgenda');
  if (!m.locked_at && (hasPermission(actor.roles, 'meeting.manage') || attendees.some((a) => a.user_id === actor.id))) allowed.push('meeting.recuse');
  if (m.locked_at && (hasPermission(actor.roles, 'meeting.manage') || hasPermission(actor.roles, 'meeting.lock'))) allowed.push('meeting.amend');
  return {
    id: m.id,
    version: (await meetingVersion(core, m.id)).version,
    title: m.title,
    scheduledAt: m.scheduled_at,
    place: m.place,
    chairId: m.chair_id,
    chair: m.chair_name,
    quorumRule: m.quorum_rule,
    quorumLabel: QUORUM_LABELS[m.quorum_rule],
    expected: attendees.length,
    present: present.length,
    quorumMet: quorumMet(m.quorum_rule, present.length, attendees.length),
    attendees: attendees.map((a) => ({ userId: a.user_id, name: a.name, present: a.present === null ? null : a.present === 1, absenceReason: a.absence_reason })),
    items: await Promise.all(items.map((i) => itemView(core, m, i, present, attendees.length, clocks.get(i.case_id) ?? null))),
    startedAt: m.started_at,
    locked: m.locked_at !== null,
    lockedAt: m.locked_at,
    lockedBy: m.locked_by ? (await getUserById(core.db, m.locked_by))?.display_name ?? null : null,
    recordedBy: (await getUserById(core.db, m.recorded_by ?? m.created_by))?.display_name ?? '',
    amendments: await amendmentsOf(core.db, m.id),
    agendaConfirmedAt: m.agenda_confirmed_at,
    agendaConfirmedBy: m.agenda_confirmed_by ? (await getUserById(core.db, m.agenda_confirmed_by))?.display_name ?? null : null,
    allowed,
  };
}

export async function listMeetings(core: Core, actor: Actor): Promise<MeetingSummary[]> {
  requirePermission(actor, 'meeting.read');
  return Promise.all((await listMeetingRows(core.db)).map(async (m) => ({
    id: m.id,
    title: m.title,
    scheduledAt: m.scheduled_at,
    place: m.place,
    chair: m.chair_name,
    items: (await itemsOf(core.db, m.id)).length,
    locked: m.locked_at !== null,
  })));
}
