// Every statutory clock of a case on the working-day calendar (001 附件3 第十三条 and the other
// clocks of DOMAIN.md). The pure arithmetic is in domain/calendar; this module keeps the clocks.
import {
  addHours,
  addPeriod,
  buildCalendar,
  calendarYearInfo,
  clockState,
  cstDate,
  cstInstant,
  formatChineseDate,
  formatChineseDateTime,
  hourClockState,
  hoursRemaining,
  validateYearSchedule,
  workingDaysRemaining,
  type Calendar,
  type CountMode,
  type CalendarYearInfo,
} from '../domain/calendar';
import { AppError } from '../domain/errors';
import {
  clocksOf,
  completeClock,
  currentOverrides,
  endPeriod,
  extendPeriod,
  getSetting,
  insertOverride,
  insertPeriod,
  openPeriodOf,
  openPeriods,
  openPeriodsOfCases,
  periodsOf,
  runningClocksOfCases,
  setSetting,
  upsertClock,
  type ClockRow,
  type PeriodRow,
} from '../db/repos/deadlines';
import { getCase } from '../db/repos/cases';
import type { ClockView, DeadlineSettings, OverdueItem } from '../domain/views';
import { appendEvent } from './audit';
import { ClockCompleteInput, ClockStartInput, DeadlineComputeInput, DeadlineSettingsInput, ExtendInput } from '../../../preload/contract';
import { requirePermission } from './auth';
import { assertExtensionApprover } from './reviewSettings';
import { openExtensionRequests } from '../db/repos/gate';
import { type Actor, type Core, nowIso, parseInput, tx } from './core';
import { assertFresh, settingVersion } from './versions';
import { formatChinaMoment } from '../domain/calendar/cst';

export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = { mode: 'working', reviewDays: 5, extensionDays: 3, rereviewDays: 5 };

export const CLOCK_LABELS: Record<ClockView['kind'], string> = {
  review: '法制审核期限',
  rereview: '复审期限',
  publication: '执法信息公示期限',
  archive: '归档期限',
  av_records: '音像记录归档（24小时）',
  emergency_report: '紧急情况报告（24小时）',
  referral_decision: '批准移送涉嫌犯罪案件的决定（3日）',
  referral_transfer: '向公安机关移送涉嫌犯罪案件（24小时）',
  service: '送达行政处罚决定书（7个工作日）',
  payment: '缴纳罚款（收到决定书之日起15日）',
  court_application: '申请人民法院强制执行（复议、诉讼期限届满后3个月内）',
};

const END_REASONS: Record<string, string> = {
  returned: '退回补充材料，计时中止',
  agree: '已出具审核意见（同意）',
  disagree: '已出具审核意见（不同意）',
  return: '退回补充材料，计时中止',
};

export async function deadlineSettings(core: Core): Promise<DeadlineSettings> {
  return { ...DEFAULT_DEADLINE_SETTINGS, ...await getSetting<Partial<DeadlineSettings>>(core.db, 'deadlines') };
}

/** The settings page's view: the settings and their version (services/versions.ts). */
export async function deadlineSettingsView(core: Core): Promise<DeadlineSettings & { version: number }> {
  return { ...await deadlineSettings(core), version: (await settingVersion(core, 'deadlines')).version };
}

export async function updateDeadlineSettings(core: Core, actor: Actor, input: unknown): Promise<DeadlineSettings & { version: number }> {
  requirePermission(actor, 'settings.manage');
  const { expectedVersion, ...s } = parseInput(DeadlineSettingsInput, input);
  await tx(core, async () => {
    await assertFresh(core, '审核期限设置', expectedVersion, await settingVersion(core, 'deadlines'));
    await setSetting(core.db, 'deadlines', s, nowIso(core));
    await appendEvent(core, actor, 'settings.deadlines', null, s);
  });
  return await deadlineSettingsView(core);
}

export const loadCalendar = async (core: Core): Promise<Calendar> => buildCalendar(await currentOverrides(core.db));

const today = (core: Core) => cstDate(core.now());

/** Opens a review (or re-review) period from today's receipt. Call inside the use case's transaction. */
/** A period starting today, as the settings and the calendar now say (reads only). */
export async function planPeriod(core: Core, kind: 'review' | 'rereview') {
  const s = await deadlineSettings(core);
  const days = kind === 'review' ? s.reviewDays : s.rereviewDays;
  const start = today(core);
  const p = addPeriod(start, days, s.mode, await loadCalendar(core));
  return { kind, start_date: start, days, mode: s.mode, due_date: p.due, provisional: p.provisional ? 1 : 0 };
}
export type PeriodPlan = Awaited<ReturnType<typeof planPeriod>>;

/**
 * Starts the case's period for the round. A use case that writes before it may plan it first, with its
 * other reads (a write empties the request's memo, and the chain lock is held until COMMIT).
 */
export async function startPeriod(core: Core, caseId: number, round: number, kind: 'review' | 'rereview', plan?: PeriodPlan): Promise<void> {
  const p = plan ?? await planPeriod(core, kind);
  if (p.kind !== kind) throw new Error(`period planned as ${p.kind}, started as ${kind}`);
  await insertPeriod(core.db, { case_id: caseId, round, ...p });
}

/** Stops the running period (outcome issued, or returned for supplement). */
export async function stopPeriod(core: Core, caseId: number, reason: string): Promise<void> {
  const p = await openPeriodOf(core.db, caseId);
  if (p) await endPeriod(core.db, p.id, nowIso(core), reason);
}

export async function extendReview(core: Core, actor: Actor, input: unknown): Promise<ClockView[]> {
  requirePermission(actor, 'deadline.extend');
  const { caseId, reason } = parseInput(ExtendInput, input);
  // Who approves is an agency setting (legal office head by default, or an agency head).
  await assertExtensionApprover(core, actor);
  await tx(core, async () => {
    // A reviewer's pending request is decided as such (approved or refused), not passed over.
    const pending = (await openExtensionRequests(core.db)).find((r) => r.case_id === caseId);
    if (pending) throw new AppError('CONFLICT', `${pending.requester_name}已于${formatChinaMoment(pending.requested_at)}申请延长本案审核期限，请对该申请作出批准或不予批准的决定。`);
    await applyExtension(core, actor, caseId, reason);
  });
  return caseClocks(core, caseId);
}

/** The running period of a case that may still be extended once, or a refusal saying why not. */
export async function extendablePeriod(core: Core, caseId: number): Promise<PeriodRow> {
  const row = await getCase(core.db, caseId);
  if (!row) throw new AppError('NOT_FOUND', `案件（编号 ${caseId}）不存在。`);
  const p = await openPeriodOf(core.db, caseId);
  if (!p) throw new AppError('BAD_STATE', '本案当前没有正在计算的审核期限，无需延长。');
  if (p.extension_days !== null) {
    throw new AppError('CONFLICT', `本期限已于${p.extended_at ? cstDate(new Date(p.extended_at)) : ''}经${p.extended_by_name ?? ''}批准延长一次，不能再次延长。`);
  }
  if ((await deadlineSettings(core)).extensionDays === 0) throw new AppError('BAD_STATE', '本机关设置不允许延长审核期限。');
  return p;
}

/** The one extension of the running period, by its approver (inside the caller's transaction). */
export async function applyExtension(core: Core, actor: Actor, caseId: number, reason: string, requestId?: number): Promise<void> {
  const p = await extendablePeriod(core, caseId);
  const s = await deadlineSettings(core);
  const r = addPeriod(p.due_date, s.extensionDays, p.mode, await loadCalendar(core));
  await extendPeriod(core.db, p.id, { days: s.extensionDays, due: r.due, by: actor.id, at: nowIso(core), reason, provisional: r.provisional });
  await appendEvent(core, actor, 'period.extend', caseId, { periodId: p.id, days: s.extensionDays, from: p.due_date, to: r.due, reason, ...(requestId !== undefined && { requestId }) });
}

/** Starts a non-review clock once (publication on approval, archive on close, 24-hour clocks from a given time). */
export async function startClock(
  core: Core, caseId: number, kind: 'publication' | 'archive' | 'av_records' | 'emergency_report' | 'referral_decision' | 'referral_transfer', startedAt: Date, decisionKind?: string,
): Promise<void> {
  const cal = await loadCalendar(core);
  if (kind === 'av_records' || kind === 'emergency_report' || kind === 'referral_transfer') {
    await upsertClock(core.db, { case_id: caseId, kind, started_at: startedAt.toISOString(), due: addHours(startedAt, 24).toISOString(), unit: 'hours', provisional: 0 });
    return;
  }
  const start = cstDate(startedAt);
  // 004 三(四): licence and penalty decisions within 7 working days; 001 附件1 第十四条: others within 20.
  const [days, mode]: [number, CountMode] =
    kind === 'archive' ? [30, 'natural'] : kind === 'referral_decision' ? [3, 'natural'] : decisionKind === 'penalty' || decisionKind === 'license' ? [7, 'working'] : [20, 'working'];
  const r = addPeriod(start, days, mode, cal);
  await upsertClock(core.db, { case_id: caseId, kind, started_at: startedAt.toISOString(), due: r.due, unit: mode, provisional: r.provisional ? 1 : 0 });
}

export async function startHourClock(core: Core, actor: Actor, input: unknown): Promise<ClockView[]> {
  requirePermission(actor, 'case.submit');
  const c = parseInput(ClockStartInput, input);
  await tx(core, async () => {
    const row = await getCase(core.db, c.caseId);
    if (!row) throw new AppError('NOT_FOUND', '案件不存在。');
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以登记此计时。');
    const at = new Date(c.startedAt);
    if (at > core.now()) throw new AppError('VALIDATION', '开始时间不能晚于现在。');
    await startClock(core, c.caseId, c.kind, at);
    await appendEvent(core, actor, 'clock.start', c.caseId, c);
  });
  return caseClocks(core, c.caseId);
}

export async function completeCaseClock(core: Core, actor: Actor, input: unknown): Promise<ClockView[]> {
  requirePermission(actor, 'case.submit');
  const c = parseInput(ClockCompleteInput, input);
  await tx(core, async () => {
    const row = await getCase(core.db, c.caseId);
    if (!row) throw new AppError('NOT_FOUND', '案件不存在。');
    if (row.handler_id !== actor.id) throw new AppError('FORBIDDEN', '只有本案承办人可以登记完成。');
    // The archive clock is met by 归档 itself (services/caseFiles.ts), never by a bare 登记完成.
    if (c.kind === 'archive') throw new AppError('BAD_STATE', '归档期限由“组卷归档”完成（案卷移交档案管理员时），不能单独登记完成。');
    if (await completeClock(core.db, c.caseId, c.kind, nowIso(core), actor.id) === 0) {
      throw new AppError('BAD_STATE', `本案没有正在计算的“${CLOCK_LABELS[c.kind]}”。`);
    }
    await appendEvent(core, actor, 'clock.complete', c.caseId, c);
  });
  return caseClocks(core, c.caseId);
}

const dayLabel = (remaining: number, unit: string) =>
  remaining > 0 ? `剩余${remaining}${unit}` : remaining === 0 ? '今日到期' : `已逾期${-remaining}${unit}`;

function periodView(p: PeriodRow, cal: Calendar, on: string): ClockView {
  const due = p.extended_due ?? p.due_date;
  const ended = p.ended_at !== null;
  const remaining = ended ? 0 : workingDaysRemaining(on, due, p.mode, cal);
  const state = ended ? 'done' : clockState(on, due, p.mode, cal);
  const unit = p.mode === 'working' ? '个工作日' : '日';
  return {
    kind: p.kind,
    label: `${CLOCK_LABELS[p.kind]}（第${p.round}轮）`,
    start: p.start_date,
    due,
    dueLabel: formatChineseDate(due),
    unit: p.mode,
    remaining,
    remainingLabel: ended ? END_REASONS[p.end_reason ?? ''] ?? '已结束' : dayLabel(remaining, unit),
    state,
    provisional: p.provisional === 1,
    extension: p.extension_days === null ? null : { days: p.extension_days, by: p.extended_by_name ?? '', at: p.extended_at!, reason: p.extension_reason ?? '', originalDue: p.due_date },
    endedAt: p.ended_at,
  };
}

function clockView(c: ClockRow, cal: Calendar, now: Date): ClockView {
  const kind = c.kind as ClockView['kind'];
  const done = c.done_at !== null;
  if (c.unit === 'hours') {
    const due = new Date(c.due);
    const h = hoursRemaining(now, due);
    return {
      kind,
      label: CLOCK_LABELS[kind],
      start: c.started_at,
      due: c.due,
      dueLabel: formatChineseDateTime(due),
      unit: 'hours',
      remaining: done ? 0 : Math.floor(h),
      remainingLabel: done ? '已完成' : h >= 0 ? `剩余${Math.floor(h)}小时` : `已逾期${Math.ceil(-h)}小时`,
      state: done ? 'done' : hourClockState(now, due),
      provisional: false,
      extension: null,
      endedAt: c.done_at,
    };
  }
  const on = cstDate(now);
  const remaining = done ? 0 : workingDaysRemaining(on, c.due, c.unit, cal);
  const unit = c.unit === 'working' ? '个工作日' : '日';
  return {
    kind,
    label: CLOCK_LABELS[kind],
    start: cstDate(new Date(c.started_at)),
    due: c.due,
    dueLabel: formatChineseDate(c.due),
    unit: c.unit,
    remaining,
    remainingLabel: done ? '已完成' : dayLabel(remaining, unit),
    state: done ? 'done' : clockState(on, c.due, c.unit, cal),
    provisional: c.provisional === 1,
    extension: null,
    endedAt: c.done_at,
  };
}

/** Every clock of a case, review periods first (history included), as seen now. */
export async function caseClocks(core: Core, caseId: number, calendar?: Calendar): Promise<ClockView[]> {
  const cal = calendar ?? (await loadCalendar(core));
  const on = today(core);
  return [
    ...(await periodsOf(core.db, caseId)).map((p) => periodView(p, cal, on)),
    ...(await clocksOf(core.db, caseId)).map((c) => clockView(c, cal, core.now())),
  ];
}

/** The running review clock shown on queue rows. */
export async function runningReviewClock(core: Core, caseId: number, cal: Calendar): Promise<ClockView | null> {
  const p = await openPeriodOf(core.db, caseId);
  return p ? periodView(p, cal, today(core)) : null;
}

/** runningReviewClock for many cases (queue and search rows) in one statement per chunk. */
export async function runningReviewClocks(core: Core, caseIds: readonly number[], cal: Calendar): Promise<Map<number, ClockView | null>> {
  const open = await openPeriodsOfCases(core.db, caseIds);
  const on = today(core);
  return new Map(caseIds.map((id) => {
    const p = open.get(id);
    return [id, p ? periodView(p, cal, on) : null];
  }));
}

/** When a clock runs out, as an instant: the end of its due day (China time) for day clocks. */
const dueInstant = (c: ClockView): number => (c.unit === 'hours' ? Date.parse(c.due) : cstInstant(c.due, '23:59').getTime());

/**
 * The clock a case runs against now, shown where the work is done (review, drafting, minutes, the
 * handler's list): its running review or re-review period; else, of the clocks still running after the
 * decision (publication, archive, 24-hour clocks), the one that runs out first; else none.
 */
export function currentClock(clocks: readonly ClockView[]): ClockView | null {
  const running = clocks.filter((c) => c.state !== 'done' && c.endedAt === null);
  const review = running.find((c) => c.kind === 'review' || c.kind === 'rereview');
  if (review) return review;
  return running.filter((c) => c.kind !== 'review' && c.kind !== 'rereview').sort((a, b) => dueInstant(a) - dueInstant(b))[0] ?? null;
}

/**
 * currentClock for many cases: one statement per chunk of cases for the open periods, one more for the
 * running clocks of those without one. Only the cases in `full` (all by default) look past the review
 * period; the others get their running review clock or none (runningReviewClocks).
 */
export async function currentClocks(core: Core, caseIds: readonly number[], cal: Calendar, full: readonly number[] = caseIds): Promise<Map<number, ClockView | null>> {
  const open = await openPeriodsOfCases(core.db, caseIds);
  const rest = await runningClocksOfCases(core.db, full.filter((id) => !open.has(id)));
  const on = today(core);
  const now = core.now();
  return new Map(caseIds.map((id) => {
    const p = open.get(id);
    return [id, p ? periodView(p, cal, on) : currentClock((rest.get(id) ?? []).map((c) => clockView(c, cal, now)))];
  }));
}

/** For the legal office head: every running review period that is due soon or overdue. */
export async function overdueReviews(core: Core, actor: Actor): Promise<OverdueItem[]> {
  requirePermission(actor, 'deadline.extend');
  const cal = await loadCalendar(core);
  const on = today(core);
  const out: OverdueItem[] = [];
  for (const p of await openPeriods(core.db)) {
    const v = periodView(p, cal, on);
    if (v.state === 'ok') continue;
    const c = (await getCase(core.db, p.case_id))!;
    out.push({ caseId: c.id, caseNo: c.case_no, title: c.title, reviewer: c.reviewer_name, clock: v });
  }
  return out;
}

/** Reviews assigned to this reviewer that have entered their last working day, or are overdue (for desktop notifications). */
export async function lastDayReviews(core: Core, actor: Actor): Promise<OverdueItem[]> {
  const cal = await loadCalendar(core);
  const on = today(core);
  const rows = [];
  for (const p of await openPeriods(core.db)) rows.push({ p, c: (await getCase(core.db, p.case_id))! });
  return rows
    .filter(({ c }) => c.reviewer_id === actor.id || (c.reviewer_id === null && actor.roles.includes('legal_head')))
    .map(({ p, c }) => ({ caseId: c.id, caseNo: c.case_no, title: c.title, reviewer: c.reviewer_name, clock: periodView(p, cal, on) }))
    .filter((i) => i.clock.remaining <= 0);
}

export async function computeDeadline(core: Core, input: unknown) {
  const d = parseInput(DeadlineComputeInput, input);
  return { ...addPeriod(d.from, d.days, d.mode, await loadCalendar(core)), from: d.from, days: d.days, mode: d.mode };
}

export async function calendarShow(core: Core, year: number): Promise<CalendarYearInfo> {
  return calendarYearInfo(year, await loadCalendar(core));
}

/** An administrator enters a newly published year (the State Council notice); it overrides the shipped one. */
export async function importCalendarYear(core: Core, actor: Actor, input: unknown): Promise<CalendarYearInfo> {
  requirePermission(actor, 'settings.manage');
  const s = validateYearSchedule(input);
  await tx(core, async () => {
    await insertOverride(core.db, s, actor.id, nowIso(core));
    await appendEvent(core, actor, 'calendar.import', null, s);
  });
  return await calendarShow(core, s.year);
}
