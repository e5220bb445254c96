// Issue 11, Tests: "none raised on a database after 10,000 random legitimate operations, including
// meetings, documents, extensions and restarts". A seeded driver picks, again and again, an operation
// that is valid in the store's current state (a case in the right state, the actor the rules name) and
// runs it through the core's services — cases through every stage, meetings, documents up to signed
// issue, extensions, expert opinions, attachments, settings, users and roles, calendar, clauses,
// templates — and now and then closes the core and opens it again on the same store. A refusal of the
// core (an AppError) is allowed and counted; anything else fails the test. At checkpoints and at the
// end, verification of the whole record must pass: every row, every piece of mutable state and every
// stored file vouched for by the chain. A failure names the operation that wrote what no event vouches for.
//
// LRW_RANDOM_OPS (default 10000) sets the number of operations, LRW_RANDOM_SEED (default 11) the seed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, defectFindings, extraHeads, makeFixture, PASSWORD, tempDir, type Fixture } from '../helpers/fixture';
import { dropPgDatabase, onPostgres } from '../helpers/engine';
import { fullDraft } from '../unit/templates/fixture';
import { AppError } from '../../main/core/domain/errors';
import type { AuditVerifyView } from '../../main/core/domain/views';
import type { FindingResult, Role } from '../../main/core/domain/types';
import { closeCase, resubmitCase, submitCase } from '../../main/core/services/cases';
import { issueReview, saveDraft as saveReviewDraft, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, propose, requestRereview } from '../../main/core/services/dissent';
import { decideEnding, proposeEnding, reviewEnding, reviseCase } from '../../main/core/services/endings';
import { addMeetingItem, amendMeeting, confirmAgenda, createMeeting, decideItem, lockMeeting, recuse, saveRecord, startMeeting } from '../../main/core/services/meetings';
import { createClause, finalizeDocument, getTemplate, previewDocument, retireClauseById, saveDocument, saveTemplate } from '../../main/core/services/documents';
import { createTrialIdentityFor, issueDocument, myIdentities, retireMyIdentity, setSeal } from '../../main/core/services/issue';
import { completeCaseClock, extendReview, importCalendarYear, startHourClock, updateDeadlineSettings } from '../../main/core/services/deadlines';
import { decideExtension, requestExtension } from '../../main/core/services/extensions';
import { exemptReviewer } from '../../main/core/services/reviewers';
import { reviewSettings, updateReviewSettings } from '../../main/core/services/reviewSettings';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { authSettings, updateAuthSettings } from '../../main/core/services/security';
import { beginUpload, finishUpload, storeFile, updateUploadSettings, uploadChunk } from '../../main/core/services/uploads';
import { addExpertOpinion } from '../../main/core/services/experts';
import { createUser, resetPassword, setUserRoles, unlockUser, updateUser } from '../../main/core/services/users';
import { changeOwnPassword, signIn, toActor } from '../../main/core/services/auth';
import { verifyChain } from '../../main/core/services/audit';
import { initRecordKey } from '../../main/core/services/checkpoints';
import { closeCore, openCore, type Actor, type Core } from '../../main/core/services/core';
import { getUserById } from '../../main/core/db/repos/users';
import { saveDraft as saveUserDraft } from '../../main/core/db/repos/drafts';
import type { SecretStore } from '../../main/core/secrets';

const OPS = Number(process.env.LRW_RANDOM_OPS ?? 10000);
const SEED = Number(process.env.LRW_RANDOM_SEED ?? 11);
const VERIFY_EVERY = Number(process.env.LRW_RANDOM_VERIFY_EVERY ?? 2000);
/** Signed PDF issue is the one slow operation; a handful is enough to cover it. */
const ISSUE_MAX = Number(process.env.LRW_RANDOM_ISSUES ?? 3);

/** mulberry32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const chance = (p: number) => rand() < p;

const FACT_PARTS = [
  '经查，当事人于2026年8月起在其经营场所销售不符合国家标准的电热水壶',
  '执法人员现场检查时发现库存涉案产品若干台，货值金额经核算为人民币四万元',
  '抽样检验报告显示涉案产品的泄漏电流和电气强度项目不合格',
  '当事人对上述事实无异议，并提供了进货票据和销售记录',
  '经询问，当事人称系从外地批发市场购进，未索取合格证明',
  '上述事实有现场检查笔录、询问笔录、抽样检验报告及照片等证据证实',
];
/** Exactly 200 characters of facts, different each time. */
function facts200(n: number): string {
  let s = `（第${n}号）`;
  while (s.length < 200) s += `${pick(FACT_PARTS)}，编号${int(100, 999)}；`;
  return s.slice(0, 199) + '。';
}
const EVIDENCE = ['现场检查笔录', '抽样检验报告', '询问笔录', '进货票据', '销售记录', '现场照片', '营业执照复印件', '产品合格证明'];
const BASES = [
  { law: '中华人民共和国产品质量法', article: '第四十九条' },
  { law: '中华人民共和国产品质量法', article: '第五十条' },
  { law: '中华人民共和国行政处罚法', article: '第二十八条' },
  { law: '中华人民共和国行政处罚法', article: '第三十二条' },
];
const someOf = <T,>(xs: readonly T[], lo: number, hi: number): T[] => [...xs].sort(() => rand() - 0.5).slice(0, int(lo, hi));

let f: Fixture;
let core: Core;
let secrets: SecretStore;
let head2: Actor;
let head3: Actor;
let work: string;

interface CaseRow {
  id: number;
  case_no: string;
  state: string;
  handler_id: number;
  reviewer_id: number | null;
  last_outcome: string | null;
  cycle: number;
  kind: string;
}

const actors = new Map<number, Actor>();
async function actorById(id: number): Promise<Actor> {
  const u = await getUserById(core.db, id);
  const a = toActor(u!);
  actors.set(id, a);
  return a;
}

/** Users the run created (their roles change during the run). */
const created: { id: number; username: string; password: string }[] = [];
/** Each scrypt hash or check costs ~50 ms: the account operations share a budget. */
const HASH_BUDGET = 60;
const identities = new Set<number>();
const blobsBy = new Map<number, { sha256: string; name: string }[]>();
let caseSeq = 0;
let issues = 0;
let hashings = 0;

const nowDate = () => new Date(f.clock.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const rows = <T,>(sql: string, params: unknown[] = []) => core.db.all<T>(sql, params);
const num = (v: unknown) => Number(v);
const normCase = (r: CaseRow): CaseRow => ({ ...r, id: num(r.id), handler_id: num(r.handler_id), reviewer_id: r.reviewer_id === null ? null : num(r.reviewer_id), cycle: num(r.cycle) });
async function casesIn(...states: string[]): Promise<CaseRow[]> {
  const r = await rows<CaseRow>(`SELECT id, case_no, state, handler_id, reviewer_id, last_outcome, cycle, kind FROM cases WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY id`, states);
  return r.map(normCase);
}
const reviewersPool = async (): Promise<Actor[]> => {
  const ids = await core.db.column<number>("SELECT user_id FROM user_roles WHERE role = 'reviewer'");
  return Promise.all(ids.map((id) => actorById(num(id))));
};
const HEADS = () => [f.head, head2, head3];

function caseData(submitter: Actor, caseNo: string, n: number, over: Record<string, unknown> = {}) {
  const others = [f.handler, f.officer, f.officer2].filter((a) => a.id !== submitter.id);
  const mine = blobsBy.get(submitter.id) ?? [];
  const seal = chance(0.15);
  return caseInput(f, {
    caseNo,
    title: `${pick(['某科技有限公司', '某商贸有限公司', '某电器经营部'])}${seal ? '仓库查封案' : '销售不合格产品案'}（${n}）`,
    facts: facts200(n),
    evidence: someOf(EVIDENCE, 2, 6),
    legalBasis: someOf(BASES, 1, 3),
    officerIds: [submitter.id, pick(others).id],
    attachments: mine.length && chance(0.4) ? someOf(mine, 1, Math.min(3, mine.length)) : [],
    ...(seal && { kind: 'coercion', catalogItem: 'coercion.seal', proposedDecision: '查封当事人存放涉案产品的仓库', fineAmount: undefined, quantities: { sealAreaM2: int(1000, 5000) } }),
    ...(!seal && { fineAmount: String(int(50, 200) * 1000) }),
    ...over,
  });
}

function findingsFor(outcome: 'agree' | 'return' | 'disagree') {
  if (outcome === 'agree') return allConform();
  if (outcome === 'disagree') return defectFindings();
  const x = allConform();
  x[2] = { criterion: 3, result: 'needs_correction' as FindingResult, reason: '证据清单缺少检验报告原件' };
  return x;
}

async function submittedBy(c: CaseRow): Promise<Actor> {
  return actors.get(c.handler_id) ?? (await actorById(c.handler_id));
}

// ---------------------------------------------------------------------------------------------------
// The operations. Each picks a target valid now and acts; 'skip' when there is none.

type Op = { name: string; weight: number; run: () => Promise<void | 'skip'> };

const OPS_LIST: Op[] = [
  {
    name: 'case.submit', weight: 7, run: async () => {
      const who = pick([f.handler, f.officer, f.officer2]);
      const n = ++caseSeq;
      await submitCase(core, who, caseData(who, `R-${SEED}-${n}`, n));
    },
  },
  {
    name: 'review.take', weight: 9, run: async () => {
      const c = [...await casesIn('submitted'), ...(await casesIn('rereview_requested')).filter((x) => x.reviewer_id === null)];
      if (!c.length) return 'skip';
      const target = pick(c);
      const pool = await reviewersPool();
      const last = num(await core.db.value('SELECT reviewer_id FROM review_rounds WHERE case_id = ? ORDER BY id DESC LIMIT 1', [target.id]) ?? 0);
      const fit = target.state === 'rereview_requested' && chance(0.9) ? pool.filter((r) => r.id !== last) : pool;
      await takeCase(core, pick(fit.length ? fit : pool), target.id);
    },
  },
  {
    name: 'review.issue', weight: 9, run: async () => {
      const c = (await casesIn('under_review', 'rereview_requested')).filter((x) => x.reviewer_id !== null);
      if (!c.length) return 'skip';
      const target = pick(c);
      const outcome = pick(['agree', 'agree', 'return', 'disagree'] as const);
      await issueReview(core, await actorById(target.reviewer_id!), {
        caseId: target.id,
        findings: findingsFor(outcome),
        outcome,
        opinion: outcome === 'agree' ? '经审核，事实清楚，证据确凿，同意。' : outcome === 'return' ? '证据不足，退回补充。' : '适用依据错误，不同意。',
        requests: outcome === 'return' ? ['补充检验报告原件'] : [],
      });
    },
  },
  {
    name: 'case.resubmit', weight: 4, run: async () => {
      const c = await casesIn('returned');
      if (!c.length) return 'skip';
      const target = pick(c);
      const who = await submittedBy(target);
      await resubmitCase(core, who, { caseId: target.id, case: caseData(who, target.case_no, target.id), changeNote: '已按退回意见补充检验报告原件' });
    },
  },
  {
    name: 'rereview.request', weight: 4, run: async () => {
      const c = (await casesIn('reviewed', 'returned')).filter((x) => x.last_outcome === 'disagree' || x.last_outcome === 'return');
      if (!c.length) return 'skip';
      const target = pick(c);
      await requestRereview(core, await submittedBy(target), { caseId: target.id, reasons: '认定事实的证据充分，适用依据正确，申请复审。' });
    },
  },
  {
    name: 'case.escalate', weight: 3, run: async () => {
      const c = (await casesIn('rereviewed', 'returned')).filter((x) => x.last_outcome !== 'agree');
      if (!c.length) return 'skip';
      const target = pick(c);
      await escalate(core, await submittedBy(target), { caseId: target.id, reasons: '承办单位仍坚持原处理意见，提请集体讨论。' });
    },
  },
  {
    name: 'case.propose', weight: 1, run: async () => {
      const c = await casesIn('reviewed', 'rereviewed');
      if (!c.length) return 'skip';
      const target = pick(c);
      await propose(core, chance(0.5) ? await submittedBy(target) : f.legalHead, { caseId: target.id, reasons: '案情重大复杂，提请负责人集体讨论。' });
    },
  },
  {
    name: 'approval.decide', weight: 8, run: async () => {
      const c = await casesIn('reviewed', 'rereviewed');
      if (!c.length) return 'skip';
      const target = pick(c);
      // Approve an agreed case (or, now and then, reject it declaring the departure); reject the others.
      const approve = target.last_outcome === 'agree' ? chance(0.9) : false;
      const override = !approve && target.last_outcome === 'agree' ? { override: { declared: true as const, reason: '综合考虑社会影响，不予批准' } } : {};
      await decide(core, pick(HEADS()), { caseId: target.id, decision: approve ? 'approve' : 'reject', opinion: approve ? '同意' : '不予批准', ...override });
    },
  },
  {
    name: 'case.revise', weight: 2, run: async () => {
      const c = [...await casesIn('rejected'), ...(await casesIn('reviewed', 'rereviewed')).filter((x) => x.last_outcome === 'disagree')];
      if (!c.length) return 'skip';
      const target = pick(c);
      const who = await submittedBy(target);
      await reviseCase(core, who, { caseId: target.id, case: caseData(who, target.case_no, target.id), changeNote: '按审核意见修改处理方案' });
    },
  },
  {
    name: 'ending.propose', weight: 2, run: async () => {
      const c = await casesIn('rejected');
      if (!c.length) return 'skip';
      const target = pick(c);
      await proposeEnding(core, await submittedBy(target), { caseId: target.id, kind: pick(['no_penalty', 'withdraw', 'other'] as const), reason: '违法事实不能成立，拟终结本案。' });
    },
  },
  {
    name: 'ending.review', weight: 2, run: async () => {
      const c = await casesIn('ending_proposed');
      if (!c.length) return 'skip';
      await reviewEnding(core, pick(await reviewersPool()), { caseId: pick(c).id, outcome: chance(0.8) ? 'agree' : 'disagree', opinion: '经审核，同意终结。' });
    },
  },
  {
    name: 'ending.decide', weight: 2, run: async () => {
      const c = await casesIn('ending_reviewed');
      if (!c.length) return 'skip';
      await decideEnding(core, pick(HEADS()), { caseId: pick(c).id, outcome: chance(0.8) ? 'agree' : 'disagree', opinion: '同意' });
    },
  },
  {
    name: 'case.close', weight: 3, run: async () => {
      const c = await casesIn('approved', 'ended');
      if (!c.length) return 'skip';
      const target = pick(c);
      const handler = await submittedBy(target);
      if (target.state === 'approved') await serveAndCarryOut(core, handler, target.id);
      await closeCase(core, handler, target.id);
    },
  },
  {
    name: 'clock.complete', weight: 1, run: async () => {
      const c = await casesIn('closed', 'approved');
      if (!c.length) return 'skip';
      const target = pick(c);
      await completeCaseClock(core, await submittedBy(target), { caseId: target.id, kind: pick(['publication', 'archive', 'av_records'] as const) });
    },
  },
  {
    name: 'clock.start', weight: 1, run: async () => {
      const c = await casesIn('submitted', 'under_review', 'reviewed', 'approved');
      if (!c.length) return 'skip';
      const target = pick(c);
      const startedAt = new Date(f.clock.now.getTime() - int(1, 20) * 3600_000).toISOString();
      await startHourClock(core, await submittedBy(target), { caseId: target.id, kind: pick(['av_records', 'emergency_report'] as const), startedAt });
    },
  },
  {
    name: 'extension.request', weight: 2, run: async () => {
      const c = (await casesIn('under_review', 'rereview_requested')).filter((x) => x.reviewer_id !== null);
      if (!c.length) return 'skip';
      const target = pick(c);
      await requestExtension(core, await actorById(target.reviewer_id!), { caseId: target.id, reason: '涉及多个法律关系，需调取外地证据。' });
    },
  },
  {
    name: 'extension.decide', weight: 2, run: async () => {
      const c = await core.db.column<number>("SELECT r.case_id FROM extension_requests r JOIN cases c ON c.id = r.case_id LEFT JOIN extension_decisions d ON d.request_id = r.id WHERE d.id IS NULL AND c.state IN ('under_review', 'rereview_requested')");
      if (!c.length) return 'skip';
      const approver = (await reviewSettings(core)).extensionApprover === 'legal_head' ? f.legalHead : pick(HEADS());
      await decideExtension(core, approver, { caseId: num(pick(c)), decision: chance(0.7) ? 'approve' : 'refuse', reason: '情况属实' });
    },
  },
  {
    name: 'period.extend', weight: 0.5, run: async () => {
      const c = (await casesIn('under_review')).filter((x) => x.reviewer_id !== null);
      if (!c.length) return 'skip';
      const approver = (await reviewSettings(core)).extensionApprover === 'legal_head' ? f.legalHead : pick(HEADS());
      await extendReview(core, approver, { caseId: pick(c).id, reason: '案情复杂，涉及多个法律关系' });
    },
  },
  {
    name: 'expert.add', weight: 2, run: async () => {
      const c = (await casesIn('under_review', 'rereview_requested')).filter((x) => x.reviewer_id !== null);
      if (!c.length) return 'skip';
      const target = pick(c);
      const reviewer = await actorById(target.reviewer_id!);
      const files = blobsBy.get(reviewer.id) ?? [];
      await addExpertOpinion(core, reviewer, {
        caseId: target.id, experts: someOf(['李教授', '陈研究员', '王律师', '赵工程师'], 1, 3), heldOn: nowDate(), opinion: '检验方法符合国家标准，检验结论可以采信。',
        ...(files.length && chance(0.5) && { file: pick(files) }),
      });
    },
  },
  {
    name: 'attachment.store', weight: 2, run: async () => {
      const who = pick([f.handler, f.officer, f.officer2, f.reviewer, f.reviewer2]);
      const file = path.join(work, `a${caseSeq}-${int(0, 1e9)}.bin`);
      fs.writeFileSync(file, Buffer.from(Array.from({ length: int(64, 4096) }, () => int(0, 255))));
      const name = `${pick(['现场照片', '询问笔录', '检验报告', '专家意见'])}${int(1, 999)}.${pick(['jpg', 'pdf', 'txt'])}`;
      const b = await storeFile(core, who, file, name);
      fs.rmSync(file);
      blobsBy.set(who.id, [...(blobsBy.get(who.id) ?? []), { sha256: b.sha256, name }]);
    },
  },
  {
    name: 'attachment.upload', weight: 1, run: async () => {
      const who = pick([f.handler, f.officer, f.officer2]);
      const data = Buffer.from(`上传的材料 ${int(0, 1e9)} `.repeat(int(1, 50)));
      const name = `上传材料${int(1, 999)}.txt`;
      const { uploadId } = await beginUpload(core, who, name, data.length);
      await uploadChunk(core, who, uploadId, data.toString('base64'));
      const b = await finishUpload(core, who, uploadId);
      blobsBy.set(who.id, [...(blobsBy.get(who.id) ?? []), { sha256: b.sha256, name }]);
    },
  },

  // Meetings
  {
    name: 'meeting.create', weight: 2, run: async () => {
      const free = await core.db.column<number>("SELECT id FROM cases WHERE state = 'in_discussion' AND id NOT IN (SELECT i.case_id FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.locked_at IS NULL)");
      if (!free.length) return 'skip';
      const chair = pick(HEADS());
      await createMeeting(core, f.secretary, {
        title: `2026年第${int(1, 99)}次局长办公会议`, scheduledAt: new Date(f.clock.now.getTime() + 86400_000).toISOString(), place: '第一会议室',
        chairId: chair.id, attendeeIds: HEADS().map((h) => h.id), caseIds: someOf(free.map(num), 1, 2),
      });
    },
  },
  {
    name: 'meeting.addItem', weight: 0.5, run: async () => {
      const m = await core.db.column<number>('SELECT id FROM meetings WHERE locked_at IS NULL');
      const free = await core.db.column<number>("SELECT id FROM cases WHERE state = 'in_discussion' AND id NOT IN (SELECT i.case_id FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.locked_at IS NULL)");
      if (!m.length || !free.length) return 'skip';
      await addMeetingItem(core, f.secretary, { meetingId: num(pick(m)), caseId: num(pick(free)) });
    },
  },
  {
    name: 'meeting.agenda', weight: 2, run: async () => {
      const m = await rows<{ id: number; chair_id: number }>('SELECT id, chair_id FROM meetings WHERE locked_at IS NULL AND agenda_confirmed_at IS NULL');
      if (!m.length) return 'skip';
      const x = pick(m);
      await confirmAgenda(core, await actorById(num(x.chair_id)), { meetingId: num(x.id) });
    },
  },
  {
    name: 'meeting.start', weight: 0.5, run: async () => {
      const m = await core.db.column<number>('SELECT id FROM meetings WHERE locked_at IS NULL AND started_at IS NULL');
      if (!m.length) return 'skip';
      await startMeeting(core, f.secretary, num(pick(m)));
    },
  },
  {
    name: 'meeting.record', weight: 3, run: async () => {
      const m = await core.db.column<number>('SELECT id FROM meetings WHERE locked_at IS NULL');
      if (!m.length) return 'skip';
      const meetingId = num(pick(m));
      const attendees = (await core.db.column<number>('SELECT user_id FROM meeting_attendees WHERE meeting_id = ?', [meetingId])).map(num);
      const items = await rows<{ id: number; case_id: number }>('SELECT id, case_id FROM meeting_items WHERE meeting_id = ?', [meetingId]);
      const chair = num(await core.db.value('SELECT chair_id FROM meetings WHERE id = ?', [meetingId]));
      const absent = chance(0.15) ? pick(attendees.filter((a) => a !== chair)) : null;
      const recused = async (itemId: number) => (await core.db.column<number>('SELECT user_id FROM meeting_recusals WHERE item_id = ?', [itemId])).map(num);
      await saveRecord(core, f.secretary, {
        meetingId,
        attendance: attendees.map((userId) => ({ userId, present: userId !== absent, absenceReason: userId === absent ? '出差' : '' })),
        items: await Promise.all(items.map(async (i) => {
          const barred = await recused(num(i.id));
          return {
            caseId: num(i.case_id),
            handlingStatement: '承办单位认为事实清楚、适用正确。',
            legalStatement: '法制机构坚持审核意见。',
            stances: attendees.filter((a) => a !== absent && !barred.includes(a)).map((userId) => {
              const stance = pick(['agree', 'agree', 'disagree', 'abstain'] as const);
              return { userId, stance, reason: stance === 'disagree' ? '应适用第五十条' : '' };
            }),
          };
        })),
      });
    },
  },
  {
    name: 'meeting.recuse', weight: 0.3, run: async () => {
      const x = await rows<{ meeting_id: number; case_id: number; chair_id: number }>('SELECT i.meeting_id, i.case_id, m.chair_id FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.locked_at IS NULL');
      if (!x.length) return 'skip';
      const t = pick(x);
      const who = pick(HEADS().filter((h) => h.id !== num(t.chair_id)));
      await recuse(core, who, { meetingId: num(t.meeting_id), caseId: num(t.case_id), userId: who.id, source: 'self', reason: '本人近亲属在当事人公司任职' });
    },
  },
  {
    name: 'meeting.decide', weight: 3, run: async () => {
      const x = await rows<{ meeting_id: number; case_id: number }>('SELECT i.meeting_id, i.case_id FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE m.locked_at IS NULL AND m.agenda_confirmed_at IS NOT NULL AND i.decided_at IS NULL');
      if (!x.length) return 'skip';
      const t = pick(x);
      const approve = chance(0.6);
      await decideItem(core, f.secretary, { meetingId: num(t.meeting_id), caseId: num(t.case_id), decision: approve ? 'approve' : 'reject', decisionText: approve ? '同意按拟定意见作出处罚决定' : '不同意作出该决定' });
    },
  },
  {
    name: 'meeting.lock', weight: 2, run: async () => {
      const m = await rows<{ id: number; chair_id: number }>('SELECT id, chair_id FROM meetings m WHERE locked_at IS NULL AND NOT EXISTS (SELECT 1 FROM meeting_items i WHERE i.meeting_id = m.id AND i.decided_at IS NULL)');
      if (!m.length) return 'skip';
      const x = pick(m);
      await lockMeeting(core, await actorById(num(x.chair_id)), num(x.id));
    },
  },
  {
    name: 'meeting.amend', weight: 0.5, run: async () => {
      const m = await core.db.column<number>('SELECT id FROM meetings WHERE locked_at IS NOT NULL');
      if (!m.length) return 'skip';
      await amendMeeting(core, f.secretary, { meetingId: num(pick(m)), text: '补充：建议加强普法宣传。', reason: '记录遗漏' });
    },
  },

  // Documents
  {
    name: 'document.save(review-opinion)', weight: 1.5, run: async () => {
      const c = await rows<{ case_id: number; reviewer_id: number }>("SELECT r.case_id, r.reviewer_id FROM review_rounds r WHERE r.id IN (SELECT MAX(id) FROM review_rounds GROUP BY case_id)");
      if (!c.length) return 'skip';
      const t = pick(c);
      const reviewer = await actorById(num(t.reviewer_id));
      const p = await previewDocument(core, reviewer, { caseId: num(t.case_id), templateId: 'review-opinion' });
      await saveDocument(core, reviewer, { caseId: num(t.case_id), templateId: 'review-opinion', model: p.model, note: pick(['初稿', '修改稿', '']) });
    },
  },
  {
    name: 'document.finalize(review-opinion)', weight: 1, run: async () => {
      const c = await rows<{ case_id: number; reviewer_id: number }>("SELECT d.case_id, (SELECT reviewer_id FROM review_rounds r WHERE r.case_id = d.case_id ORDER BY id DESC LIMIT 1) AS reviewer_id FROM documents d WHERE d.template_id = 'review-opinion'");
      if (!c.length) return 'skip';
      const t = pick(c);
      await finalizeDocument(core, await actorById(num(t.reviewer_id)), { caseId: num(t.case_id), templateId: 'review-opinion' });
    },
  },
  {
    name: 'document.save(penalty-decision)', weight: 1, run: async () => {
      const c = (await casesIn('approved', 'submitted', 'under_review')).filter((x) => x.kind === 'penalty');
      if (!c.length) return 'skip';
      const target = pick(c);
      const who = await submittedBy(target);
      const draft = { ...fullDraft, drafter: who.displayName, draftReviewer: '刘科长' };
      const p = await previewDocument(core, who, { caseId: target.id, templateId: 'penalty-decision', draft: { ...draft } });
      await saveDocument(core, who, { caseId: target.id, templateId: 'penalty-decision', model: p.model, draft: { ...draft }, note: '全文' });
    },
  },
  {
    name: 'document.finalize(penalty-decision)', weight: 1, run: async () => {
      const c = await rows<{ case_id: number; handler_id: number }>("SELECT d.case_id, c.handler_id FROM documents d JOIN cases c ON c.id = d.case_id WHERE d.template_id = 'penalty-decision' AND d.doc_number IS NULL");
      if (!c.length) return 'skip';
      const t = pick(c);
      await finalizeDocument(core, await actorById(num(t.handler_id)), { caseId: num(t.case_id), templateId: 'penalty-decision' });
    },
  },
  {
    name: 'document.issue', weight: 1, run: async () => {
      if (issues >= ISSUE_MAX) return 'skip';
      const c = await rows<{ case_id: number; template_id: string }>(
        'SELECT d.case_id, d.template_id FROM documents d WHERE EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = d.id AND v."final" = 1) AND NOT EXISTS (SELECT 1 FROM issued_files i JOIN document_versions v ON v.id = i.document_version_id WHERE v.document_id = d.id)',
      );
      if (!c.length) return 'skip';
      const t = pick(c);
      const caseId = num(t.case_id);
      const signerId = t.template_id === 'review-opinion'
        ? num(await core.db.value('SELECT reviewer_id FROM review_rounds WHERE case_id = ? ORDER BY id DESC LIMIT 1', [caseId]))
        : num(await core.db.value("SELECT head_id FROM approvals WHERE case_id = ? AND decision = 'approve' ORDER BY id DESC LIMIT 1", [caseId]));
      const signer = await actorById(signerId);
      if (!identities.has(signer.id) && !(await myIdentities(core, signer)).length) await createTrialIdentityFor(core, signer);
      identities.add(signer.id);
      issues++;
      await issueDocument(core, signer, { caseId, templateId: t.template_id });
    },
  },

  // Agency settings, users, calendar, clauses, templates
  {
    name: 'settings.workflow', weight: 0.5, run: async () => {
      await updateWorkflowSettings(core, f.admin, { rereviewDifferentReviewer: chance(0.7), quorum: pick(['half', 'two_thirds'] as const) });
    },
  },
  {
    name: 'settings.deadlines', weight: 0.3, run: async () => {
      await updateDeadlineSettings(core, f.admin, { mode: pick(['working', 'natural'] as const), reviewDays: int(5, 15), extensionDays: int(0, 10), rereviewDays: int(3, 10) });
    },
  },
  {
    name: 'settings.review', weight: 0.3, run: async () => {
      await updateReviewSettings(core, f.admin, { extensionApprover: pick(['legal_head', 'agency_head'] as const) });
    },
  },
  {
    name: 'settings.uploads', weight: 0.2, run: async () => {
      await updateUploadSettings(core, f.admin, { maxUploadBytes: int(8, 64) * 1024 * 1024 });
    },
  },
  {
    name: 'settings.seal', weight: 0.1, run: async () => {
      // A 1×1 PNG: the agency's seal image (a setting).
      await setSeal(core, f.admin, { pngBase64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' });
    },
  },
  {
    name: 'settings.auth', weight: 0.2, run: async () => {
      const s = await authSettings(core);
      await updateAuthSettings(core, f.admin, { maxFailures: int(3, 5), lockMinutes: int(5, 60), idleMinutes: int(15, 120), adminSplit: s.adminSplit });
    },
  },
  {
    name: 'user.create', weight: 0.3, run: async () => {
      if (hashings >= HASH_BUDGET) return 'skip';
      hashings++;
      const n = created.length + 1;
      const roles: Role[] = [pick(['handler', 'reviewer', 'secretary'] as const)];
      const u = await createUser(core, f.admin, {
        username: `rnd${n}`, displayName: `随机用户${n}`, password: PASSWORD, roles,
        ...(roles.includes('handler') && { certNo: `执法rnd${n}`, certExpiry: '2028-12-31' }),
        ...(roles.includes('reviewer') && chance(0.5) && { qualificationNo: `A2026rnd${n}` }),
      });
      created.push({ id: u.id, username: u.username, password: PASSWORD });
    },
  },
  {
    name: 'user.roles', weight: 0.5, run: async () => {
      if (!created.length) return 'skip';
      const roles = someOf(['handler', 'reviewer', 'secretary'] as const, 1, 2);
      await setUserRoles(core, f.admin, { userId: pick(created).id, roles });
    },
  },
  {
    name: 'user.password_reset', weight: 0.2, run: async () => {
      if (!created.length || hashings >= HASH_BUDGET) return 'skip';
      hashings++;
      const u = pick(created);
      const r = await resetPassword(core, f.admin, { userId: u.id, ...(chance(0.5) && { password: 'Tempor4ry!' }) });
      u.password = r.temporaryPassword;
    },
  },
  {
    name: 'user.update', weight: 0.5, run: async () => {
      if (!created.length) return 'skip';
      const u = pick(created);
      await updateUser(core, f.admin, { userId: u.id, ...(chance(0.5) ? { displayName: `随机用户${u.id}号` } : { active: chance(0.7) }) });
    },
  },
  {
    name: 'auth.signIn', weight: 0.4, run: async () => {
      if (!created.length || hashings >= HASH_BUDGET) return 'skip';
      hashings++;
      // Now and then a wrong password: the failure counter and lockout are operational, the lock an event.
      const u = pick(created);
      await signIn(core, { username: u.username, password: chance(0.2) ? 'Wr0ngPassword!' : u.password });
    },
  },
  {
    name: 'auth.lockout+unlock', weight: 0.2, run: async () => {
      const { maxFailures } = await authSettings(core);
      if (!created.length || hashings + maxFailures > HASH_BUDGET) return 'skip';
      hashings += maxFailures;
      // Wrong passwords until the account locks (an event); each failure is refused as it should be.
      const u = pick(created);
      for (let k = 0; k < maxFailures; k++) {
        try {
          await signIn(core, { username: u.username, password: 'Wr0ngPassword!' });
          throw new Error('a wrong password was accepted');
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
        }
      }
      // Mostly the security administrator unlocks it at once; otherwise the lock runs out.
      if (chance(0.7)) await unlockUser(core, f.admin, { userId: u.id });
    },
  },
  {
    name: 'auth.changePassword', weight: 0.2, run: async () => {
      const due = created.filter((u) => u.password !== PASSWORD);
      if (!due.length || hashings >= HASH_BUDGET - 1) return 'skip';
      hashings += 2;
      const u = pick(due);
      await changeOwnPassword(core, u.id, { currentPassword: u.password, newPassword: PASSWORD });
      u.password = PASSWORD;
    },
  },
  {
    name: 'identity.retire', weight: 0.1, run: async () => {
      const c = await rows<{ user_id: number; p12_sha256: string }>('SELECT user_id, p12_sha256 FROM signing_identities WHERE retired_at IS NULL');
      if (!c.length) return 'skip';
      const t = pick(c);
      const who = await actorById(num(t.user_id));
      const mine = await myIdentities(core, who);
      if (!mine.length) return 'skip';
      await retireMyIdentity(core, who, pick(mine).fingerprint);
      identities.delete(who.id);
    },
  },
  {
    name: 'review.saveDraft', weight: 1, run: async () => {
      const c = (await casesIn('under_review', 'rereview_requested')).filter((x) => x.reviewer_id !== null);
      if (!c.length) return 'skip';
      const target = pick(c);
      await saveReviewDraft(core, await actorById(target.reviewer_id!), { caseId: target.id, findings: [{ criterion: 1, result: 'conform', reason: '' }], opinion: '初步意见' });
    },
  },
  {
    name: 'drafts.save', weight: 0.5, run: async () => {
      const who = pick([f.handler, f.officer, f.officer2]);
      await saveUserDraft(core.db, who.id, 'case-form', JSON.stringify({ title: `未送审的草稿${int(1, 99)}` }), f.clock.now.toISOString());
    },
  },
  {
    name: 'reviewer.exempt', weight: 0.2, run: async () => {
      const c = await core.db.column<number>("SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'reviewer' WHERE u.qualification_no IS NULL AND u.id NOT IN (SELECT user_id FROM reviewer_exemptions)");
      if (!c.length) return 'skip';
      await exemptReviewer(core, f.admin, { userId: num(pick(c)), note: '2019年3月起从事行政处罚决定法制审核，见法制审核台账' });
    },
  },
  {
    name: 'calendar.import', weight: 0.1, run: async () => {
      await importCalendarYear(core, f.admin, {
        year: 2027, source: `国办发明电〔2026〕${int(1, 30)}号（测试）`,
        holidays: ['2027-10-01', '2027-10-02', '2027-10-03'].map((date) => ({ date, name: '国庆节' })),
        workdays: [{ date: '2027-10-09', name: '国庆节' }],
      });
    },
  },
  {
    name: 'clause.create', weight: 0.4, run: async () => {
      await createClause(core, pick([f.reviewer, f.reviewer2, f.legalHead]), { category: pick(['事理', '法理', '情理'] as const), title: `说理条目${int(1, 999)}`, text: '设定和实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。' });
    },
  },
  {
    name: 'clause.retire', weight: 0.2, run: async () => {
      const c = await core.db.column<number>('SELECT id FROM clauses WHERE retired_at IS NULL');
      if (!c.length) return 'skip';
      await retireClauseById(core, f.legalHead, num(pick(c)));
    },
  },
  {
    name: 'template.save', weight: 0.1, run: async () => {
      const id = pick(['review-opinion', 'return-notice', 'penalty-decision']);
      const t = await getTemplate(core, f.admin, id);
      await saveTemplate(core, f.admin, { templateId: id, source: t.source, note: `机关副本${int(1, 99)}` });
    },
  },
];

/** LRW_RANDOM_SKIP: operations left out (comma-separated names), to look past a known failure. */
const SKIP = new Set((process.env.LRW_RANDOM_SKIP ?? '').split(',').filter(Boolean));
const ACTIVE = OPS_LIST.filter((o) => !SKIP.has(o.name));
const TOTAL_WEIGHT = ACTIVE.reduce((s, o) => s + o.weight, 0);
function pickOp(): Op {
  let r = rand() * TOTAL_WEIGHT;
  for (const o of ACTIVE) if ((r -= o.weight) < 0) return o;
  return ACTIVE[ACTIVE.length - 1];
}

// ---------------------------------------------------------------------------------------------------

/** Operations that only write operational data (autosaved drafts): no event expected. */
const OPERATIONAL_OPS = new Set(['drafts.save', 'review.saveDraft']);

interface Tally { ok: number; refused: Record<string, number>; ms: number }
const tally = new Map<string, Tally>();
const log: { i: number; op: string; fromSeq: number; toSeq: number; outcome: string }[] = [];
let restarts = 0;

async function restart(): Promise<void> {
  await closeCore(core);
  core = await openCore({ dbPath: f.dbPath, filesDir: f.core.blobs.root, now: () => f.clock.now, secrets });
  restarts++;
}

const headSeq = async () => num(await core.db.value('SELECT COALESCE(MAX(seq), 0) FROM events'));

/** The operation that wrote what the mismatch names: the one whose events include it, and the one before. */
function culprit(v: AuditVerifyView): string {
  const seq = v.mismatch?.seq ?? v.firstBad?.seq;
  if (!seq) return 'no event named';
  const i = log.findIndex((l) => l.fromSeq < seq && seq <= l.toSeq);
  const near = log.slice(Math.max(0, i - 4), i + 1).map((l) => `#${l.i} ${l.op} (${l.outcome}, ${l.toSeq > l.fromSeq ? `events ${l.fromSeq + 1}–${l.toSeq}` : 'NO EVENT'})`);
  const silent = log.slice(0, i + 1).reverse().find((l) => l.outcome === 'ok' && l.toSeq === l.fromSeq && !OPERATIONAL_OPS.has(l.op));
  return `event ${seq}; the operations up to it: ${near.join(' → ')}${silent ? `; the last one that succeeded without writing an event: #${silent.i} ${silent.op}` : ''}`;
}

async function verifyNow(at: string): Promise<AuditVerifyView> {
  const v = await verifyChain(core);
  expect(v.ok, `verification after ${at} failed: ${JSON.stringify(v.mismatch ?? v.firstBad)}; ${culprit(v)}`).toBe(true);
  expect(v.mismatch ?? null).toBeNull();
  return v;
}

beforeAll(async () => {
  f = await makeFixture();
  core = f.core;
  secrets = await f.core.secrets();
  [head2, head3] = await extraHeads(f);
  // A record-signing key this run holds: checkpoints at every 100 events, every issue and every restart.
  await initRecordKey(core, f.admin, { rotate: true });
  work = tempDir('lrw-random-');
}, 60_000);

afterAll(async () => {
  if (core) await closeCore(core).catch(() => {});
  if (onPostgres && f) await dropPgDatabase(decodeURIComponent(new URL(f.dbPath).pathname.slice(1))).catch(() => {});
  if (f) fs.rmSync(f.dir, { recursive: true, force: true });
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe(`${OPS} random legitimate operations (seed ${SEED})`, () => {
  it('leave a store whose whole record verifies, at every checkpoint and at the end', async () => {
    const started = Date.now();
    const restartAt = new Set([Math.floor(OPS / 4), Math.floor(OPS / 2), Math.floor((3 * OPS) / 4)]);
    for (let i = 1; i <= OPS; i++) {
      f.clock.now = new Date(f.clock.now.getTime() + int(0, 6) * 60_000);
      if (restartAt.has(i) || chance(0.0005)) {
        await restart();
        continue;
      }
      let op = pickOp();
      let r: void | 'skip' = 'skip';
      const fromSeq = await headSeq();
      let outcome = 'ok';
      for (let tries = 0; tries < 10; tries++) {
        const t0 = performance.now();
        try {
          r = await op.run();
        } catch (err) {
          if (!(err instanceof AppError)) throw new Error(`operation #${i} ${op.name} failed unexpectedly: ${(err as Error).stack}`);
          expect(err.message, `${op.name}: ${err.code}`).toMatch(/[\u4e00-\u9fa5]/);
          const t = tally.get(op.name) ?? { ok: 0, refused: {}, ms: 0 };
          t.refused[err.code] = (t.refused[err.code] ?? 0) + 1;
          t.ms += performance.now() - t0;
          tally.set(op.name, t);
          outcome = `refused ${err.code}`;
          r = undefined;
          break;
        }
        if (r !== 'skip') {
          const t = tally.get(op.name) ?? { ok: 0, refused: {}, ms: 0 };
          t.ok++;
          t.ms += performance.now() - t0;
          tally.set(op.name, t);
          break;
        }
        op = pickOp();
      }
      if (r === 'skip') outcome = 'nothing to do';
      log.push({ i, op: op.name, fromSeq, toSeq: await headSeq(), outcome });
      if (i % VERIFY_EVERY === 0 && i < OPS) await verifyNow(`operation #${i}`);
    }
    await restart();
    const last = await verifyNow(`all ${OPS} operations and a last restart`);
    // The head was signed along the way (issues, every 100 events, restarts) and those checkpoints hold.
    expect(last.checkpoints ?? 0, JSON.stringify(last.warnings)).toBeGreaterThan(0);
    expect(last.latestCheckpointSeq).toBe(last.head?.seq);

    const ok = [...tally.values()].reduce((s, t) => s + t.ok, 0);
    const refused = [...tally.values()].reduce((s, t) => s + Object.values(t.refused).reduce((a, b) => a + b, 0), 0);
    const silent = new Map<string, number>();
    for (const l of log) if (l.outcome === 'ok' && l.toSeq === l.fromSeq && !OPERATIONAL_OPS.has(l.op)) silent.set(l.op, (silent.get(l.op) ?? 0) + 1);
    const lines = [...tally.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, t]) => `${k}: ${t.ok} ok${Object.keys(t.refused).length ? `, refused ${JSON.stringify(t.refused)}` : ''} (${Math.round(t.ms)} ms)${silent.get(k) ? `, ${silent.get(k)} without an event` : ''}`);
    console.log(`[records-random] ${core.db.engine}, seed ${SEED}: ${OPS} operations in ${((Date.now() - started) / 1000).toFixed(1)} s — ${ok} done, ${refused} refused, ${restarts} restarts, ${await headSeq()} events, ${caseSeq} cases\n  ${lines.join('\n  ')}`);

    // The run did what it says: most operations were legitimate and carried out, every kind at least once.
    expect(ok).toBeGreaterThan(OPS * 0.6);
    if (OPS >= 10000) for (const o of ACTIVE) expect(tally.get(o.name)?.ok ?? 0, `${o.name} never carried out`).toBeGreaterThan(0);
    expect(restarts).toBeGreaterThanOrEqual(4);
  }, Math.max(30 * 60_000, OPS * 1000));
});
