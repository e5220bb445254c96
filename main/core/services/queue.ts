// 待办: what waits for each user, decided here and nowhere else. Each role's share (reviewers' cases
// to take and review, the handler's returned or rejected cases, the heads' approvals, the chair's
// minutes, the secretary's agenda, the legal office head's due and overdue reviews and extension
// requests, the administrator's first-run steps), the handler's own open cases with their clocks
// (我送审的在办案件), and the counts the menu shows, all in one answer.
//
// The queue is the agency server's most frequent request: every list is read in one statement (per
// chunk of ids), never one per case; a case is only ever listed from rows the acting user may read
// (on PostgreSQL the row security of migration 005 applies as well, the app running as its role).
import { pendingReferrals } from '../db/repos/referrals';
import { caseIdsKeptBy, unreceivedCaseIdsOf } from '../db/repos/caseFiles';
import { casesAwaitingReply } from './inspections';
import { casesAwaitingCorrection, casesAwaitingFiling } from './filings';
import { hasPermission } from '../domain/permissions';
import { CASE_STATES, ROLE_LABELS, type CaseState, type Role } from '../domain/types';
import { addDays, cstDate, yearOf } from '../domain/calendar';
import type { ClockView, OwnCaseItem, QueueItem, QueueMeetingItem, QueueView, SetupStepView } from '../domain/views';
import { casesByIds, casesInStates, officerIdsOfCases, type CaseListRow } from '../db/repos/cases';
import { casesOnOpenAgenda, casesWithRereviewRequest, openMeetings } from '../db/repos/meetings';
import { reviewsOfCases } from '../db/repos/reviews';
import { getSetting } from '../db/repos/deadlines';
import { listUsers } from '../db/repos/users';
import { usersWithValidIdentity } from '../db/repos/identities';
import { summaryOf } from './cases';
import { involvedInEach } from './authority';
import { penaltyReviewBar } from './reviewers';
import { casesAwaitingExtension } from './extensions';
import { discussionRequiredFor, workflowSettings } from './settings';
import { currentClocks, loadCalendar } from './deadlines';
import { adminSplitStatus } from './security';
import type { Actor, Core } from './core';

/** Every state of a case not yet archived: the handler's open cases (a closed case still waits for 归档). */
const OPEN_STATES: CaseState[] = CASE_STATES.filter((st) => st !== 'archived');

/** A supervision reason decided once the row's clock is known: due today or overdue waits for the legal office head. */
type Reason = string | ((clock: ClockView | null) => { reason: string; watch: boolean });

/** Where one of the handler's own cases stands and whom it waits for (我送审的在办案件). */
export function progressOf(r: CaseListRow): string {
  switch (r.state) {
    case 'submitted':
      return '已送审，待法制审核人员领取';
    case 'under_review':
      return `法制审核中（审核人：${r.reviewer_name ?? '—'}）`;
    case 'returned':
      return '已退回，待您补正后重新送审';
    case 'reviewed':
      return r.last_outcome === 'agree' ? '审核同意，待机关负责人审批' : '审核不同意：可申请复审，或修改处理方案';
    case 'rereview_requested':
      return r.reviewer_id === null ? '已申请复审，待法制审核人员领取' : `复审中（复审人：${r.reviewer_name ?? '—'}）`;
    case 'rereviewed':
      return r.last_outcome === 'agree' ? '复审同意，待机关负责人审批' : '复审后仍不同意：接受复审意见，或提请集体讨论';
    case 'in_discussion':
      return '已提请集体讨论，待负责人会议决定';
    case 'approved':
      return '已批准，待您登记送达、执行后办结';
    case 'rejected':
      return '未获批准：修改处理方案重新送审，或提出终结意见';
    case 'ending_proposed':
      return '终结意见待法制审核';
    case 'ending_reviewed':
      return '终结意见待机关负责人批准';
    case 'ended':
      return '已终结，待您办结';
    case 'closed':
      return '已办结，待您归档（办结后30日内）';
    case 'archived':
      return '已归档';
  }
}

/** 待办: what waits for this user, by role, with the handler's open cases, the first-run steps and the menu counts. */
export async function queue(core: Core, actor: Actor): Promise<QueueView> {
  const roles = actor.roles;
  // Each row once, under the first reason that applies; their clocks are read together at the end.
  const picked: { row: CaseListRow; reason: Reason }[] = [];
  const seen = new Set<number>();
  const push = (rows: readonly CaseListRow[], reason: Reason) => {
    for (const r of rows) if (!seen.has(r.id)) {
      seen.add(r.id);
      picked.push({ row: r, reason });
    }
  };
  /** The officers of each of these rows, read in one go (they may never review the case). */
  const officersOf = async (rows: CaseListRow[]) => {
    const m = await officerIdsOfCases(core.db, rows.map((r) => r.id));
    return (r: CaseListRow) => m.get(r.id) ?? [];
  };

  // 移送涉嫌犯罪案件 first (不得以罚代刑; 3 days for the decision, 24 hours for the transfer): whose step it is now.
  if (roles.includes('handler') || roles.includes('agency_head')) {
    const pending = await pendingReferrals(core.db);
    if (pending.length) {
      const rows = await casesByIds(core.db, pending.map((p) => p.case_id));
      for (const p of pending) {
        const row = rows.get(p.case_id);
        if (!row) continue;
        if (p.stage === 'report' && row.handler_id === actor.id && roles.includes('handler')) push([row], '涉嫌犯罪：待您提出移送的书面报告');
        if (p.stage === 'decide' && row.handler_id !== actor.id && roles.includes('agency_head')) push([row], '涉嫌犯罪案件待您决定是否批准移送（3日内）');
        if (p.stage === 'transfer' && row.handler_id === actor.id && roles.includes('handler')) push([row], '已批准移送：待您24小时内移送公安机关');
      }
    }
  }

  // A 责令改正 of the government's legal office comes before the case's own next step: the case's handler
  // or the legal office head records the correction (services/filings.ts).
  if (roles.includes('handler') || roles.includes('legal_head')) {
    const ids = await casesAwaitingCorrection(core, roles.includes('legal_head') ? undefined : actor.id);
    if (ids.length) {
      const rows = await casesByIds(core.db, ids);
      push(ids.flatMap((id) => rows.get(id) ?? []), '备案监督机关责令改正，待登记改正情况');
    }
  }

  if (roles.includes('reviewer')) {
    // A penalty case is not offered to a reviewer who may not take it (行政处罚法 第五十八条).
    // Asked once, and only when a penalty case is on offer.
    let penaltyBarred: boolean | undefined;
    const barPenalties = async (rows: CaseListRow[]) => {
      if (penaltyBarred === undefined && rows.some((r) => r.kind === 'penalty')) penaltyBarred = !!(await penaltyReviewBar(core, actor));
    };
    const mayTake = (r: CaseListRow) => r.kind !== 'penalty' || !penaltyBarred;
    push(await casesInStates(core.db, ['under_review'], { reviewerId: actor.id }), '待出具审核意见');
    push(await casesInStates(core.db, ['rereview_requested'], { reviewerId: actor.id }), '待出具复审意见');
    const requested = await casesInStates(core.db, ['rereview_requested'], { reviewerId: null });
    const requestedOfficers = await officersOf(requested);
    // The agency may require someone other than the contested review's reviewer to re-review.
    const differentReviewer = requested.length > 0 && (await workflowSettings(core)).rereviewDifferentReviewer;
    const reviews = differentReviewer ? await reviewsOfCases(core.db, requested.map((r) => r.id)) : new Map();
    const barred = (r: CaseListRow) => differentReviewer && reviews.get(r.id)?.at(-1)?.reviewer_id === actor.id;
    await barPenalties(requested);
    push(
      requested.filter((r) => r.handler_id !== actor.id && !requestedOfficers(r).includes(actor.id) && !barred(r) && mayTake(r)),
      '承办单位申请复审，待领取',
    );
    const fresh = await casesInStates(core.db, ['submitted']);
    const freshOfficers = await officersOf(fresh);
    await barPenalties(fresh);
    push(fresh.filter((r) => r.handler_id !== actor.id && !freshOfficers(r).includes(actor.id) && mayTake(r)), '新送审，待领取');
    const ending = await casesInStates(core.db, ['ending_proposed']);
    const endingOfficers = await officersOf(ending);
    push(ending.filter((r) => r.handler_id !== actor.id && !endingOfficers(r).includes(actor.id)), '承办单位提出终结意见，待审核');
  }

  // The handler's own open cases, read once: the cases waiting for them are among these.
  const own = roles.includes('handler') ? await casesInStates(core.db, OPEN_STATES, { handlerId: actor.id }) : [];
  if (roles.includes('handler')) {
    const inState = (...states: CaseState[]) => own.filter((r) => states.includes(r.state));
    push(inState('returned'), '已退回，待补正后重新送审');
    push(inState('rejected'), '未获批准：修改处理方案重新送审，或提出终结意见');
    push(inState('approved', 'ended'), '已决定，待办结');
    push(inState('closed'), '已办结，待组卷归档（30日内）');
    push(inState('rereviewed', 'returned').filter((r) => r.last_outcome !== 'agree' && r.reviewer_id !== null), '复审后：接受复审意见，或仍有异议提请集体讨论');
    const disagreed = inState('reviewed').filter((r) => r.last_outcome === 'disagree');
    const asked = await casesWithRereviewRequest(core.db, disagreed);
    push(disagreed.filter((r) => !asked.has(r.id)), '审核不同意：可申请复审');
  }

  if (roles.includes('agency_head')) {
    // Only cases this head may approve (审批分离) and the legal office agreed to, or that a head may reject.
    const settings = await workflowSettings(core);
    const candidates = await casesInStates(core.db, ['reviewed', 'rereviewed']);
    const involved = await involvedInEach(core, candidates);
    const free = (r: CaseListRow, m = involved) => !m.get(r.id)?.has(actor.id);
    const reviewed = candidates.filter((r) => free(r) && !discussionRequiredFor(settings, r.catalog_item));
    push(reviewed.filter((r) => r.last_outcome === 'agree'), '待负责人审批');
    push(reviewed.filter((r) => r.last_outcome !== 'agree'), '法制审核不同意：可不予批准（不能单独批准）');
    const endingReviewed = await casesInStates(core.db, ['ending_reviewed']);
    const endingInvolved = await involvedInEach(core, endingReviewed);
    push(endingReviewed.filter((r) => free(r, endingInvolved)), '承办单位拟终结，待批准');
  }

  if (roles.includes('secretary') || roles.includes('legal_head')) {
    // A case proposed for discussion waits until it is on the agenda of a meeting not yet confirmed.
    const discussed = await casesInStates(core.db, ['in_discussion']);
    const onAgenda = discussed.length ? await casesOnOpenAgenda(core.db) : new Set<number>();
    push(discussed.filter((r) => !onAgenda.has(r.id)), '已提请集体讨论，待列入负责人会议议题');
  }

  // 案卷评查 asked for rectification: the handler of the case and the legal office head reply.
  if (roles.includes('handler') || roles.includes('legal_head')) {
    const ids = await casesAwaitingReply(core, roles.includes('legal_head') ? undefined : actor.id);
    if (ids.length) {
      const rows = await casesByIds(core.db, ids);
      push(ids.flatMap((id) => rows.get(id) ?? []), '案卷评查提出整改要求，待答复');
    }
  }

  // 备案: the legal office head files each approved major decision.
  if (roles.includes('legal_head')) {
    const ids = await casesAwaitingFiling(core);
    if (ids.length) {
      const rows = await casesByIds(core.db, ids);
      push(ids.flatMap((id) => rows.get(id) ?? []), '重大执法决定已批准，待报送备案');
    }
  }

  // 档案管理员: case files handed to them and not yet received.
  if (roles.includes('custodian')) {
    const ids = await unreceivedCaseIdsOf(core.db, actor.id);
    if (ids.length) {
      const rows = await casesByIds(core.db, ids);
      push(ids.flatMap((id) => rows.get(id) ?? []), '案卷已移交，待您接收');
    }
  }

  // The head the agency named approves the one extension of a review period (001 附件3 第十三条).
  const extensions = await casesAwaitingExtension(core, actor);
  if (extensions.length) {
    const rows = await casesByIds(core.db, extensions.map((e) => e.caseId));
    push(extensions.flatMap((e) => rows.get(e.caseId) ?? []), '审核人员申请延长审核期限，待批准');
  }

  // 督办: every running review; due today or overdue it waits for the legal office head, else it is watched.
  const supervised = roles.includes('legal_head') ? await casesInStates(core.db, ['submitted', 'under_review', 'rereview_requested']) : [];
  push(supervised, (clock) =>
    clock && clock.remaining < 0
      ? { reason: '审核已逾期，请督办', watch: false }
      : clock && clock.remaining === 0
        ? { reason: '审核期限今日到期，请督办', watch: false }
        : { reason: '审核进行中（督办）', watch: true },
  );

  // Whatever a user may not read is never listed, whichever rule above picked it (the same rule as canRead).
  const readable = await readableFilter(core, actor, [...picked.map((p) => p.row), ...own]);
  const cal = await loadCalendar(core);
  // Review clocks for every row; the clock after the decision only for the handler's own cases.
  const clocks = await currentClocks(core, [...new Set([...picked.map((p) => p.row.id), ...own.map((r) => r.id)])], cal, own.map((r) => r.id));
  const clockOf = (id: number) => clocks.get(id) ?? null;
  // The queue rows show the review clock (CaseSummary.reviewClock): only review and re-review periods.
  const reviewClockOf = (id: number) => {
    const c = clockOf(id);
    return c && (c.kind === 'review' || c.kind === 'rereview') ? c : null;
  };

  const items: QueueItem[] = [];
  const supervision: QueueItem[] = [];
  for (const { row, reason } of picked) {
    if (!readable(row)) continue;
    const base = summaryOf(row, reviewClockOf(row.id));
    if (typeof reason === 'string') items.push({ ...base, reason });
    else supervision.push({ ...base, ...reason(base.reviewClock) });
  }
  // Overdue first, then due today, then the rest by what is left.
  supervision.sort((a, b) => (a.reviewClock?.remaining ?? 1e9) - (b.reviewClock?.remaining ?? 1e9));
  items.push(...supervision);

  const mine: OwnCaseItem[] | null = roles.includes('handler')
    ? own
        .filter(readable)
        .map((r) => ({
          ...summaryOf(r, reviewClockOf(r.id)),
          progress: progressOf(r),
          flag: r.state === 'returned' ? ('returned' as const) : r.state === 'rejected' ? ('rejected' as const) : null,
          clock: clockOf(r.id),
        }))
        // Back with the handler first, then the most recently moved.
        .sort((a, b) => Number(b.flag !== null) - Number(a.flag !== null) || b.updatedAt.localeCompare(a.updatedAt) || b.id - a.id)
    : null;

  const meetings = await meetingsFor(core, actor);
  const setup = await setupSteps(core, actor);
  const overdue = supervised.filter((r) => readable(r) && (reviewClockOf(r.id)?.remaining ?? 1) <= 0).length;
  const meetingCount = meetings.filter((m) => !m.watch).length;
  return {
    items,
    meetings,
    mine,
    setup,
    counts: {
      queue: items.filter((i) => !i.watch).length + meetingCount + (setup?.filter((s) => !s.done).length ?? 0),
      meetings: meetingCount,
      overdue,
    },
  };
}

/**
 * canRead for many rows at once: everything for case.readAll, else the user's own cases and those they
 * acted on as an officer (one statement for the rows that are not their own, if any).
 */
async function readableFilter(core: Core, actor: Actor, rows: readonly CaseListRow[]): Promise<(r: CaseListRow) => boolean> {
  if (hasPermission(actor.roles, 'case.readAll')) return () => true;
  const others = rows.filter((r) => r.handler_id !== actor.id);
  const officers = others.length ? await officerIdsOfCases(core.db, others.map((r) => r.id)) : new Map<number, number[]>();
  // Archived cases: an inspector reads them all, a custodian the files handed to them (cases.canRead).
  const inspects = actor.roles.includes('inspector');
  const kept = actor.roles.includes('custodian') ? new Set(await caseIdsKeptBy(core.db, actor.id)) : new Set<number>();
  return (r) => r.handler_id === actor.id || (officers.get(r.id) ?? []).includes(actor.id) || (r.state === 'archived' && (inspects || kept.has(r.id)));
}

/** The chair's unlocked meetings (agenda, decisions, minutes to confirm) and, for the secretary, every unlocked meeting. */
async function meetingsFor(core: Core, actor: Actor): Promise<QueueMeetingItem[]> {
  const chairs = actor.roles.includes('agency_head');
  const secretary = actor.roles.includes('secretary');
  if (!chairs && !secretary) return [];
  const out: QueueMeetingItem[] = [];
  for (const m of await openMeetings(core.db)) {
    const base = {
      meetingId: m.id,
      title: m.title,
      scheduledAt: m.scheduled_at,
      place: m.place,
      chair: m.chair_name,
      items: m.item_count,
      undecided: m.undecided_count,
      agendaConfirmed: m.agenda_confirmed_at !== null,
    };
    if (chairs && m.chair_id === actor.id) {
      if (m.item_count === 0) out.push({ ...base, reason: '您主持的会议，待会议秘书列入议题', watch: true });
      else if (!m.agenda_confirmed_at) out.push({ ...base, reason: '会议议题待您确定', watch: false });
      else if (m.undecided_count > 0) out.push({ ...base, reason: `会议进行中：${m.undecided_count}项议题待您听取意见后宣布决定`, watch: false });
      else out.push({ ...base, reason: '会议纪要待您确认并锁定', watch: false });
    } else if (secretary) {
      if (m.item_count === 0) out.push({ ...base, reason: '会议尚无议题：请列入提请集体讨论的案件', watch: false });
      else if (!m.agenda_confirmed_at) out.push({ ...base, reason: `议题待主持人${m.chair_name}确定`, watch: true });
      else if (m.undecided_count > 0) out.push({ ...base, reason: `会议记录：${m.undecided_count}项议题待记录决定`, watch: false });
      else out.push({ ...base, reason: `会议纪要待主持人${m.chair_name}确认锁定`, watch: true });
    }
  }
  return out;
}

/** The business roles an agency needs before a case can go the whole way (送审 → 审核 → 审批 → 集体讨论). */
const BUSINESS_ROLES: Role[] = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'];
/** Who signs documents (DOCUMENT_AUTHORITY signers): each needs a signing certificate of their own. */
const SIGNING_ROLES: Role[] = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'];

const names = (list: string[], max = 6) => (list.length > max ? `${list.slice(0, max).join('、')}等${list.length}人` : list.join('、'));

/**
 * The first-run checklist of the system and security administrators: 三员分立 accounts, business accounts
 * with their roles, the holiday schedule the clocks run on, the seal, the signers' certificates.
 */
export async function setupSteps(core: Core, actor: Actor): Promise<SetupStepView[] | null> {
  const sys = actor.roles.includes('sys_admin');
  const sec = actor.roles.includes('sec_admin');
  if (!sys && !sec) return null;
  const steps: SetupStepView[] = [];
  const users = (await listUsers(core.db)).filter((u) => u.active === 1);

  const split = await adminSplitStatus(core);
  if (split.enabled) {
    const missing = split.missing.filter((r) => r !== 'sys_admin').map((r) => ROLE_LABELS[r]);
    steps.push({
      key: 'admins',
      label: '开设安全管理员、审计管理员账号（三员分立）',
      detail: split.complete ? '三名管理员已由不同账号担任。' : `尚需为不同人员开设${missing.join('、') || '管理员'}账号；到位前首位管理员兼任三员。`,
      done: split.complete,
      route: 'users',
    });
  }

  const missingRoles = BUSINESS_ROLES.filter((r) => !users.some((u) => u.roles.includes(r)));
  steps.push({
    key: 'users',
    label: '开设业务人员账号并授予角色',
    detail: missingRoles.length
      ? `尚无在用的${missingRoles.map((r) => ROLE_LABELS[r]).join('、')}。账号由系统管理员开设，角色由安全管理员授予；承办人须登记执法证号。`
      : `已有${BUSINESS_ROLES.map((r) => `${ROLE_LABELS[r]}${users.filter((u) => u.roles.includes(r)).length}人`).join('、')}。`,
    done: missingRoles.length === 0,
    route: 'users',
  });

  if (sys) {
    // The clocks of a review started today may run into next year: both years need the official notice.
    const cal = await loadCalendar(core);
    const today = cstDate(core.now());
    const years = [...new Set([yearOf(today), yearOf(addDays(today, 31))])];
    const unofficial = years.filter((y) => !cal.year(y).official);
    steps.push({
      key: 'calendar',
      label: '核对节假日安排',
      detail: unofficial.length
        ? `${unofficial.map((y) => `${y}年`).join('、')}的国务院办公厅节假日安排尚未录入：期限暂按法定节日推算，标注“待官方安排确认”。请在系统设置中录入。`
        : `${years.map((y) => `${y}年`).join('、')}按官方节假日安排计算期限。`,
      done: unofficial.length === 0,
      route: 'settings',
    });

    const seal = await getSetting<string>(core.db, 'seal');
    steps.push({
      key: 'seal',
      label: '上传机关电子印章图片',
      detail: seal ? '已上传，签发的文书带有印章图片。' : '尚未上传：签发的文书不带印章图片。请在系统设置中上传 PNG 图片。',
      done: !!seal,
      route: 'settings',
    });

    const signers = users.filter((u) => u.roles.some((r) => SIGNING_ROLES.includes(r)));
    const holding = await usersWithValidIdentity(core.db, core.now().toISOString());
    const without = signers.filter((u) => !holding.has(u.id)).map((u) => u.display_name);
    steps.push({
      key: 'certificates',
      label: '签发文书的人员导入签名证书',
      detail: signers.length === 0
        ? '尚无签发文书的人员。'
        : without.length
          ? `尚无在用签名证书：${names(without)}。请各人在本人电脑的“签名证书”页导入机关CA颁发的证书（管理员不能代为导入）。`
          : `签发文书的${signers.length}人均已有在用的签名证书。`,
      done: signers.length > 0 && without.length === 0,
      route: null,
    });
  }
  return steps;
}
