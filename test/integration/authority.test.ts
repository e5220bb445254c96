// The authority table walked cell by cell: every template × every fixture user × a case in every
// state the workflow reaches. The expected matrix below is written out by hand from the rules (who
// drafts and signs, and what must have happened first), not computed from main/core/domain/authority.ts.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { closeCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { decideEnding, proposeEnding, reviewEnding } from '../../main/core/services/endings';
import { confirmAgenda, createMeeting, decideItem, lockMeeting, saveRecord } from '../../main/core/services/meetings';
import { finalizeDocument } from '../../main/core/services/documents';
import { issueDocument } from '../../main/core/services/issue';
import { createUser } from '../../main/core/services/users';
import { authenticate } from '../../main/core/services/auth';
import type { Actor } from '../../main/core/services/core';

let f: Fixture;
let head2: Actor;
const cases: Record<string, number> = {};

const defects = () => {
  const x = allConform();
  x[3] = { criterion: 4, result: 'nonconform', reason: '依据错误' };
  return x;
};

async function build(): Promise<void> {
  let n = 0;
  const submit = async () => (await submitCase(f.core, f.handler, caseInput(f, { caseNo: `A-${++n}` }))).id;
  const review = async (id: number, who: Actor, outcome: 'agree' | 'disagree' | 'return') => {
    await takeCase(f.core, who, id);
    await issueReview(f.core, who, { caseId: id, findings: outcome === 'agree' ? allConform() : defects(), outcome, opinion: '意见', requests: outcome === 'return' ? ['补充'] : [] });
  };
  cases.submitted = await submit();
  cases.under_review = await submit();
  await takeCase(f.core, f.reviewer, cases.under_review);
  cases.reviewed = await submit();
  await review(cases.reviewed, f.reviewer, 'agree');
  cases.returned = await submit();
  await review(cases.returned, f.reviewer, 'return');
  const rereviewPath = async () => {
    const id = await submit();
    await review(id, f.reviewer, 'disagree');
    await requestRereview(f.core, f.handler, { caseId: id, reasons: '理由' });
    return id;
  };
  cases.rereview_requested = await rereviewPath();
  await takeCase(f.core, f.reviewer2, cases.rereview_requested);
  cases.rereviewed = await rereviewPath();
  await review(cases.rereviewed, f.reviewer2, 'disagree');
  cases.in_discussion = await rereviewPath();
  await review(cases.in_discussion, f.reviewer2, 'disagree');
  await escalate(f.core, f.handler, { caseId: cases.in_discussion, reasons: '仍坚持' });
  cases.meeting_approved = await rereviewPath();
  await review(cases.meeting_approved, f.reviewer2, 'disagree');
  await escalate(f.core, f.handler, { caseId: cases.meeting_approved, reasons: '仍坚持' });
  const m = await createMeeting(f.core, f.secretary, { title: '会', scheduledAt: '2026-11-25T09:00:00+08:00', place: '室', chairId: f.head.id, attendeeIds: [f.head.id, head2.id], caseIds: [cases.meeting_approved] });
  await confirmAgenda(f.core, f.head, { meetingId: m.id });
  await saveRecord(f.core, f.secretary, {
    meetingId: m.id,
    attendance: [f.head, head2].map((h) => ({ userId: h.id, present: true })),
    items: [{ caseId: cases.meeting_approved, stances: [f.head, head2].map((h) => ({ userId: h.id, stance: 'agree' as const })) }],
  });
  await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: cases.meeting_approved, decision: 'approve', decisionText: '同意' });
  await lockMeeting(f.core, f.head, m.id);
  cases.approved = await submit();
  await review(cases.approved, f.reviewer, 'agree');
  await decide(f.core, f.head, { caseId: cases.approved, decision: 'approve', opinion: '同意' });
  cases.closed = await submit();
  await review(cases.closed, f.reviewer, 'agree');
  await decide(f.core, f.head, { caseId: cases.closed, decision: 'approve', opinion: '同意' });
  await serveAndCarryOut(f.core, f.handler, cases.closed);
  await closeCase(f.core, f.handler, cases.closed);
  cases.rejected = await submit();
  await review(cases.rejected, f.reviewer, 'disagree');
  await decide(f.core, f.head, { caseId: cases.rejected, decision: 'reject', opinion: '不予批准' });
  cases.ended = await submit();
  await review(cases.ended, f.reviewer, 'disagree');
  await decide(f.core, f.head, { caseId: cases.ended, decision: 'reject', opinion: '不予批准' });
  await proposeEnding(f.core, f.handler, { caseId: cases.ended, kind: 'no_penalty', reason: '事实不能成立' });
  await reviewEnding(f.core, f.reviewer2, { caseId: cases.ended, outcome: 'agree', opinion: '同意' });
  await decideEnding(f.core, head2, { caseId: cases.ended, outcome: 'agree', opinion: '同意' });
}

beforeAll(async () => {
  f = await makeFixture();
  await createUser(f.core, f.admin, { username: 'head2', displayName: '钱副局长', password: PASSWORD, roles: ['agency_head'] });
  head2 = await authenticate(f.core, { username: 'head2', password: PASSWORD });
  await build();
}, 120_000);
afterAll(async () => f.close());

const TEMPLATES = ['submission-form', 'review-opinion', 'return-notice', 'rereview-request', 'rereview-opinion', 'discussion-minutes', 'approval-form', 'penalty-decision', 'disclosure', 'no-penalty-decision'];
const STATES = ['submitted', 'under_review', 'reviewed', 'returned', 'rereview_requested', 'rereviewed', 'in_discussion', 'meeting_approved', 'approved', 'closed', 'rejected', 'ended'];
const USERS = ['handler', 'officer', 'reviewer', 'reviewer2', 'legalHead', 'head', 'head2', 'secretary', 'admin'] as const;

const ALL = STATES;
const REVIEWED = ['reviewed', 'returned', 'rereview_requested', 'rereviewed', 'in_discussion', 'meeting_approved', 'approved', 'closed', 'rejected', 'ended'];
const REREVIEW_REQUESTED = ['rereview_requested', 'rereviewed', 'in_discussion', 'meeting_approved'];
const REREVIEWED = ['rereviewed', 'in_discussion', 'meeting_approved'];
const DECIDED = ['meeting_approved', 'approved', 'closed', 'rejected', 'ended'];
const APPROVED = ['meeting_approved', 'approved', 'closed'];

/** template → user → states in which that user may finalise (F) / issue (I) it. */
const EXPECTED: Record<string, { F: Partial<Record<(typeof USERS)[number], string[]>>; I: Partial<Record<(typeof USERS)[number], string[]>> }> = {
  'submission-form': { F: { handler: ALL }, I: { handler: ALL } },
  'review-opinion': { F: { reviewer: REVIEWED }, I: { reviewer: REVIEWED } },
  'return-notice': { F: { reviewer: ['returned'] }, I: { reviewer: ['returned'] } },
  'rereview-request': { F: { handler: REREVIEW_REQUESTED }, I: { handler: REREVIEW_REQUESTED } },
  'rereview-opinion': { F: { reviewer2: REREVIEWED }, I: { reviewer2: REREVIEWED } },
  'discussion-minutes': { F: { secretary: ['meeting_approved'] }, I: { secretary: ['meeting_approved'] } },
  // The approver is the head who decided (for the meeting decision, its chair).
  'approval-form': { F: { handler: DECIDED, head: DECIDED }, I: { head: DECIDED } },
  'penalty-decision': { F: { handler: APPROVED }, I: { head: APPROVED } },
  disclosure: { F: { handler: APPROVED, legalHead: APPROVED }, I: { handler: APPROVED, legalHead: APPROVED } },
  // 不予行政处罚 is a decision too: only once the ending is approved, signed by the head who approved it.
  'no-penalty-decision': { F: { handler: ['ended'] }, I: { head2: ['ended'] } },
};

/** Authorised = refused for some other reason (nothing saved yet, no certificate, incomplete) or done. */
async function authorised(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (e) {
    const msg = (e as Error).message;
    return !(msg.startsWith('《') || msg.includes('无权'));
  }
}

describe('the authority table, cell by cell', () => {
  it('every template × user × case state allows exactly the expected finalise and issue', async () => {
    const actors: Record<string, Actor> = { ...f, head2 } as unknown as Record<string, Actor>;
    const actual: typeof EXPECTED = {};
    const expected: typeof EXPECTED = {};
    for (const t of TEMPLATES) {
      actual[t] = { F: {}, I: {} };
      expected[t] = { F: {}, I: {} };
      for (const u of USERS) {
        for (const step of ['F', 'I'] as const) {
          const states: string[] = [];
          for (const s of STATES) {
            const input = { caseId: cases[s], templateId: t };
            const ok = await authorised(step === 'F' ? finalizeDocument(f.core, actors[u], input) : issueDocument(f.core, actors[u], input));
            if (ok) states.push(s);
          }
          if (states.length) actual[t][step][u] = states;
          const want = EXPECTED[t][step][u];
          if (want?.length) expected[t][step][u] = STATES.filter((s) => want.includes(s));
        }
      }
    }
    expect(actual).toEqual(expected);
  }, 300_000);
});
