// The decision gate (issue 10, points 1–5): each bypass that worked before is reproduced here and
// must now be refused with a Chinese message naming the rule, changing nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, defectFindings, extraHeads, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, queue, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, propose, requestRereview } from '../../main/core/services/dissent';
import { decideEnding, proposeEnding, reviewEnding, reviseCase } from '../../main/core/services/endings';
import { confirmAgenda, createMeeting, decideItem, lockMeeting, meetingView, recuse, saveRecord } from '../../main/core/services/meetings';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { createTrialIdentityFor, issueDocument } from '../../main/core/services/issue';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { createUser, updateUser } from '../../main/core/services/users';
import { authenticate } from '../../main/core/services/auth';
import { verifyChain } from '../../main/core/services/audit';
import { fullDraft } from '../unit/templates/fixture';
import type { Actor } from '../../main/core/services/core';

let f: Fixture;
let head2: Actor;
let head3: Actor;
beforeEach(async () => {
  f = await makeFixture();
  [head2, head3] = await extraHeads(f);
});
afterEach(async () => f.close());

const defects = defectFindings;

async function reviewed(outcome: 'agree' | 'disagree' | 'return', caseNo = 'G-1') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, {
    caseId: c.id,
    findings: outcome === 'agree' ? allConform() : defects(),
    outcome,
    opinion: outcome === 'agree' ? '同意' : '适用依据错误',
    requests: outcome === 'return' ? ['补充货值鉴定'] : [],
  });
  return c;
}

async function rereviewed(outcome: 'disagree' | 'return', caseNo = 'G-1') {
  const c = await reviewed(outcome, caseNo);
  await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '第四十九条适用于本案' });
  await takeCase(f.core, f.reviewer2, c.id);
  await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: defects(), outcome, opinion: '复审维持原意见', requests: outcome === 'return' ? ['补充货值鉴定'] : [] });
  return c;
}

async function meeting(caseIds: number[], chair = f.head) {
  const m = await createMeeting(f.core, f.secretary, {
    title: '2026年第12次局长办公会议',
    scheduledAt: '2026-11-25T09:00:00+08:00',
    place: '第一会议室',
    chairId: chair.id,
    attendeeIds: [f.head.id, head2.id, head3.id],
    caseIds,
  });
  await confirmAgenda(f.core, chair, { meetingId: m.id });
  return m;
}

const present = (m: { id: number }, ids: number[]) =>
  saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: ids.map((userId) => ({ userId, present: true })) });

describe('the gate on outward decision documents', () => {
  it('a penalty decision cannot be finalised or signed on a case that is only submitted; once approved it can, naming the approval', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const p = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
    // Drafting ahead is fine; finalising and issuing are not.
    await saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: p.model, draft: { ...fullDraft } });
    expect(await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' }), 'BAD_STATE')).toContain('审核办法第三条');
    await createTrialIdentityFor(f.core, f.head);
    expect(await refused(() => issueDocument(f.core, f.head, { caseId: c.id, templateId: 'penalty-decision' }), 'FORBIDDEN')).toContain('作出审批决定的机关负责人');
    expect(await f.core.db.value("SELECT COUNT(*) FROM document_versions WHERE final = 1")).toBe(0);

    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    // Reviewed but not yet approved: still refused.
    await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' }), 'BAD_STATE');
    const approved = await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
    const full = await previewDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
    await saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision', model: full.model, draft: { ...fullDraft } });
    try {
      await finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    } catch (e) {
      // Only the completeness rules (drafting record, parts) may still refuse — never the gate.
      expect((e as { code: string }).code).toBe('VALIDATION');
      return;
    }
    await refused(() => issueDocument(f.core, head2, { caseId: c.id, templateId: 'penalty-decision' }), 'FORBIDDEN');
    await issueDocument(f.core, f.head, { caseId: c.id, templateId: 'penalty-decision' });
    const ev = JSON.parse((await f.core.db.value("SELECT payload_json FROM events WHERE action = 'document.issue'")) as string);
    expect(ev.authorisedBy).toMatchObject({ gate: 'approved', approvalId: approved.approvals[0].id, decision: 'approve' });
  });

  it('the handler cannot edit, save or finalise the review opinion of their own case; its reviewer can, after issuing it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    expect(await refused(() => saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model }), 'BAD_STATE')).toContain('本轮法制审核意见出具之后');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    expect(await refused(() => saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'review-opinion', model: p.model }), 'FORBIDDEN')).toContain('本轮审核人员');
    await refused(() => saveDocument(f.core, f.reviewer2, { caseId: c.id, templateId: 'review-opinion', model: p.model }), 'FORBIDDEN');
    await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: (await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' })).model });
    expect(await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'review-opinion' }), 'FORBIDDEN')).toContain('本轮审核人员');
    await finalizeDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    const d = await caseDetail(f.core, f.handler, c.id);
    expect(d.documentRights['review-opinion']).toMatchObject({ draft: false, finalize: false, issue: false });
    expect(d.documentRights['penalty-decision']).toMatchObject({ draft: true, finalize: false });
  });

  it('the minutes are issued only from locked minutes, by the secretary', async () => {
    const c = await rereviewed('disagree');
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持' });
    const m = await meeting([c.id]);
    const p = await previewDocument(f.core, f.secretary, { caseId: c.id, templateId: 'discussion-minutes' });
    await saveDocument(f.core, f.secretary, { caseId: c.id, templateId: 'discussion-minutes', model: p.model });
    expect(await refused(() => finalizeDocument(f.core, f.secretary, { caseId: c.id, templateId: 'discussion-minutes' }), 'BAD_STATE')).toContain('锁定');
    await refused(() => saveDocument(f.core, f.handler, { caseId: c.id, templateId: 'discussion-minutes', model: p.model }), 'FORBIDDEN');
    void m;
  });
});

describe('persistent dissent goes to the heads’ meeting', () => {
  it('review 不同意 → re-review 不同意: a head cannot approve with an override; the dispute goes to the meeting, whose departure is recorded against each head who voted for it', async () => {
    const c = await rereviewed('disagree');
    // The bypass: the head approved directly, declaring an override.
    const msg = await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准', override: { declared: true, reason: '由本人负责' } }), 'DISCUSSION_REQUIRED');
    expect(msg).toContain('第十二条');
    expect((await caseDetail(f.core, f.head, c.id)).state).toBe('rereviewed');
    const e = await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持适用第四十九条' });
    expect(e.state).toBe('in_discussion');
    expect(e.escalation).toMatchObject({ kind: 'dispute' });
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准' }), 'BAD_STATE');
    const m = await meeting([c.id]);
    await present(m, [f.head.id, head2.id, head3.id]);
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'agree' }, { userId: head2.id, stance: 'agree' }, { userId: head3.id, stance: 'disagree', reason: '同意法制机构意见' }] }],
    });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意按拟定意见处罚' });
    await lockMeeting(f.core, f.head, m.id);
    const d = await caseDetail(f.core, f.handler, c.id);
    expect(d.state).toBe('approved');
    const row = (await f.core.db.get('SELECT responsible_json FROM approvals WHERE case_id = ?', [c.id])) as { responsible_json: string };
    expect(JSON.parse(row.responsible_json)).toEqual(['赵局长', '钱副局长']);
    expect((await meetingView(f.core, f.head, m.id)).items[0].responsibleHeads).toEqual(['赵局长', '钱副局长']);
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('after a re-review upholds a 退回, the handler may accept (resubmit) or still disagree — then it goes to the meeting', async () => {
    const c = await rereviewed('return');
    expect((await caseDetail(f.core, f.handler, c.id)).allowed).toEqual(expect.arrayContaining(['case.escalate', 'case.resubmit']));
    // The bypass: escalation of an upheld 退回 was refused, leaving no path to the meeting.
    const e = await escalate(f.core, f.handler, { caseId: c.id, reasons: '货值已有价格认定，无需鉴定' });
    expect(e.state).toBe('in_discussion');
  });

  it('escalation needs the re-review first, and a re-review 同意 goes to the head directly', async () => {
    const c = await reviewed('disagree');
    expect(await refused(() => escalate(f.core, f.handler, { caseId: c.id, reasons: 'x' }), 'BAD_STATE')).toContain('复审');
    await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '理由' });
    await takeCase(f.core, f.reviewer2, c.id);
    await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    await refused(() => escalate(f.core, f.handler, { caseId: c.id, reasons: 'x' }), 'BAD_STATE');
    expect((await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' })).state).toBe('approved');
  });
});

describe('any major matter can be proposed for the meeting', () => {
  it('the legal office proposes an agreed case; the meeting decides it', async () => {
    const c = await reviewed('agree');
    await refused(() => propose(f.core, f.officer2, { caseId: c.id, reasons: '重大' }), 'FORBIDDEN');
    await refused(() => propose(f.core, f.head, { caseId: c.id, reasons: '重大' }), 'FORBIDDEN');
    const p = await propose(f.core, f.legalHead, { caseId: c.id, reasons: '案情复杂，涉及重大公共利益（行政处罚法第五十七条）' });
    expect(p.state).toBe('in_discussion');
    expect(p.escalation).toMatchObject({ kind: 'proposal', by: '周法制' });
    await refused(() => propose(f.core, f.handler, { caseId: c.id, reasons: '再提' }), 'CONFLICT');
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' }), 'BAD_STATE');
  });

  it('when the agency requires collective discussion for an item, a head cannot approve it directly', async () => {
    await updateWorkflowSettings(f.core, f.admin, { rereviewDifferentReviewer: true, quorum: 'half', discussionRequired: 'items', discussionItems: ['penalty.fine_org'] });
    const c = await reviewed('agree');
    expect(await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' }), 'DISCUSSION_REQUIRED')).toContain('集体讨论');
    expect((await caseDetail(f.core, f.handler, c.id)).allowed).toContain('case.propose');
    await propose(f.core, f.handler, { caseId: c.id, reasons: '本机关规定须集体讨论' });
    const m = await meeting([c.id]);
    await present(m, [f.head.id, head2.id, head3.id]);
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [f.head, head2, head3].map((h) => ({ userId: h.id, stance: 'agree' as const })) }] });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' });
    await lockMeeting(f.core, f.head, m.id);
    expect((await caseDetail(f.core, f.handler, c.id)).state).toBe('approved');
  });

  it('a case the agency requires the meeting to decide is not rejected by one head either, even declaring an override', async () => {
    await updateWorkflowSettings(f.core, f.admin, { rereviewDifferentReviewer: true, quorum: 'half', discussionRequired: 'all' });
    const c = await reviewed('agree');
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '不批准', override: { declared: true, reason: '社会影响大' } }), 'DISCUSSION_REQUIRED');
    const d = await caseDetail(f.core, f.head, c.id);
    expect(d.state).toBe('reviewed');
    expect(d.allowed).not.toContain('approval.decide');
    expect((await queue(f.core, f.head)).items.map((i) => i.id)).not.toContain(c.id);
  });

  it('the chair confirms the agenda before any decision, and a new item sends it back', async () => {
    const c = await rereviewed('disagree');
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持' });
    const m = await createMeeting(f.core, f.secretary, { title: '会', scheduledAt: '2026-11-25T09:00:00+08:00', place: '室', chairId: f.head.id, attendeeIds: [f.head.id, head2.id, head3.id], caseIds: [c.id] });
    await present(m, [f.head.id, head2.id, head3.id]);
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [f.head, head2, head3].map((h) => ({ userId: h.id, stance: 'agree' as const })) }] });
    expect(await refused(() => decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' }), 'BAD_STATE')).toContain('主持人确定');
    await refused(() => confirmAgenda(f.core, head2, { meetingId: m.id }), 'FORBIDDEN');
    await refused(() => confirmAgenda(f.core, f.secretary, { meetingId: m.id }), 'FORBIDDEN');
    expect((await confirmAgenda(f.core, f.head, { meetingId: m.id })).agendaConfirmedBy).toBe('赵局长');
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' });
  });
});

describe('a rejection can be carried out', () => {
  it('rejected → the handler revises: a new round and cycle, reviewed again, whose opinion may again be disputed once', async () => {
    const c = await reviewed('disagree');
    await decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '由承办单位重新拟定处罚方案' });
    const r = await caseDetail(f.core, f.handler, c.id);
    expect(r.state).toBe('rejected');
    expect(r.allowed).toEqual(expect.arrayContaining(['case.revise', 'case.end']));
    // The bypass: 办结 was the handler's only action, so the decision could not be carried out.
    expect(r.allowed).not.toContain('case.close');
    await refused(() => reviseCase(f.core, f.officer2, { caseId: c.id, case: caseInput(f, { caseNo: 'G-1' }), changeNote: '改' }), 'FORBIDDEN');
    const v = await reviseCase(f.core, f.handler, { caseId: c.id, case: caseInput(f, { caseNo: 'G-1', fineAmount: '60000' }), changeNote: '按负责人意见重新拟定罚款数额' });
    expect(v).toMatchObject({ state: 'submitted', round: 2, cycle: 2 });
    expect(v.timeline.map((t) => t.action)).toContain('case.revise');
    // A new proposal: its opinion may be disputed once again.
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: defects(), outcome: 'disagree', opinion: '仍不同意' });
    expect((await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '新方案已调整' })).state).toBe('rereview_requested');
    expect((await f.core.db.value('SELECT COUNT(*) FROM rereview_requests WHERE case_id = ?', [c.id]))).toBe(0 + 1);
  });

  it('the handler may accept a 不同意 and revise without a head’s decision', async () => {
    const c = await reviewed('disagree');
    const v = await reviseCase(f.core, f.handler, { caseId: c.id, case: caseInput(f, { caseNo: 'G-1' }), changeNote: '接受法制审核意见，改按第五十条' });
    expect(v.state).toBe('submitted');
    const agreed = await reviewed('agree', 'G-2');
    await refused(() => reviseCase(f.core, f.handler, { caseId: agreed.id, case: caseInput(f, { caseNo: 'G-2' }), changeNote: 'x' }), 'BAD_STATE');
  });

  it('ending the matter: the handler proposes with a reason, a reviewer reviews, a head approves; each step refused to others', async () => {
    const c = await reviewed('disagree');
    await decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '证据不足，不予处罚' });
    await refused(() => proposeEnding(f.core, f.handler, { caseId: c.id, kind: 'no_penalty', reason: ' ' }), 'VALIDATION');
    await refused(() => proposeEnding(f.core, f.officer2, { caseId: c.id, kind: 'no_penalty', reason: '证据不足' }), 'FORBIDDEN');
    const p = await proposeEnding(f.core, f.handler, { caseId: c.id, kind: 'no_penalty', reason: '违法事实不能成立（行政处罚法第五十七条第一款第（三）项）' });
    expect(p.state).toBe('ending_proposed');
    await refused(() => decideEnding(f.core, f.head, { caseId: c.id, outcome: 'agree', opinion: '同意' }), 'BAD_STATE');
    // The handler (an officer of the case) may not review it.
    await refused(() => reviewEnding(f.core, f.handler, { caseId: c.id, outcome: 'agree', opinion: '同意' }), 'FORBIDDEN');
    expect((await queue(f.core, f.reviewer2)).items.map((i) => i.id)).toContain(c.id);
    await reviewEnding(f.core, f.reviewer2, { caseId: c.id, outcome: 'agree', opinion: '同意终结' });
    await refused(() => decideEnding(f.core, f.reviewer2, { caseId: c.id, outcome: 'agree', opinion: '同意' }), 'FORBIDDEN');
    const ended = await decideEnding(f.core, head2, { caseId: c.id, outcome: 'agree', opinion: '同意不予行政处罚' });
    expect(ended.state).toBe('ended');
    expect(ended.endings[0]).toMatchObject({ kind: 'no_penalty', kindLabel: '不予行政处罚', steps: [{ step: 'review', outcome: 'agree' }, { step: 'approval', outcome: 'agree', by: '钱副局长' }] });
    expect((await caseDetail(f.core, f.handler, c.id)).allowed).toContain('case.close');
    expect(ended.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['ending.propose', 'ending.review', 'ending.decide']));
  });

  it('a reviewer’s 不同意 on an ending returns the case to the handler', async () => {
    const c = await reviewed('disagree');
    await decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '退回' });
    await proposeEnding(f.core, f.handler, { caseId: c.id, kind: 'withdraw', reason: '立案不当' });
    const back = await reviewEnding(f.core, f.reviewer2, { caseId: c.id, outcome: 'disagree', opinion: '立案并无不当' });
    expect(back.state).toBe('rejected');
  });
});

describe('separation of duties through approval', () => {
  it('whoever handled or reviewed the case may not approve it, even holding the agency head role', async () => {
    await createUser(f.core, f.admin, { username: 'hh', displayName: '兼承办局长', password: PASSWORD, roles: ['handler', 'agency_head'], certNo: '执法hh', certExpiry: '2028-12-31' });
    await createUser(f.core, f.admin, { username: 'rh', displayName: '兼审核局长', password: PASSWORD, roles: ['reviewer', 'agency_head'], qualificationNo: 'A2020rh' });
    const hh = await authenticate(f.core, { username: 'hh', password: PASSWORD });
    const rh = await authenticate(f.core, { username: 'rh', password: PASSWORD });
    const own = await submitCase(f.core, hh, caseInput(f, { caseNo: 'S-1', officerIds: [hh.id, f.officer.id] }));
    await takeCase(f.core, f.reviewer, own.id);
    await issueReview(f.core, f.reviewer, { caseId: own.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    // The bypass: one person submitted and approved their own case.
    expect(await refused(() => decide(f.core, hh, { caseId: own.id, decision: 'approve', opinion: '同意' }), 'SEPARATION_OF_DUTIES')).toContain('承办人');
    expect((await caseDetail(f.core, hh, own.id)).allowed).not.toContain('approval.decide');
    const rev = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'S-2' }));
    await takeCase(f.core, rh, rev.id);
    await issueReview(f.core, rh, { caseId: rev.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    expect(await refused(() => decide(f.core, rh, { caseId: rev.id, decision: 'approve', opinion: '同意' }), 'SEPARATION_OF_DUTIES')).toContain('审核人员');
    expect((await queue(f.core, rh)).items.map((i) => i.id)).not.toContain(rev.id);
    expect((await decide(f.core, f.head, { caseId: rev.id, decision: 'approve', opinion: '同意' })).state).toBe('approved');
  });

  it('an involved head may not chair the decision; at the meeting they attend to report (列席) and are never counted', async () => {
    await createUser(f.core, f.admin, { username: 'rh', displayName: '兼审核局长', password: PASSWORD, roles: ['reviewer', 'agency_head'], qualificationNo: 'A2020rh' });
    const rh = await authenticate(f.core, { username: 'rh', password: PASSWORD });
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, rh, c.id);
    await issueReview(f.core, rh, { caseId: c.id, findings: defects(), outcome: 'disagree', opinion: '不同意' });
    await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '理由' });
    await takeCase(f.core, f.reviewer2, c.id);
    await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: defects(), outcome: 'disagree', opinion: '维持' });
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持' });
    expect(
      await refused(() => createMeeting(f.core, f.secretary, { title: '会', scheduledAt: '2026-11-25T09:00:00+08:00', place: '室', chairId: rh.id, attendeeIds: [rh.id, f.head.id, head2.id], caseIds: [c.id] }), 'SEPARATION_OF_DUTIES'),
    ).toContain('列席');
    const m = await createMeeting(f.core, f.secretary, { title: '会', scheduledAt: '2026-11-25T09:00:00+08:00', place: '室', chairId: f.head.id, attendeeIds: [rh.id, f.head.id, head2.id], caseIds: [c.id] });
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    await present(m, [rh.id, f.head.id, head2.id]);
    expect(
      await refused(() => saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: rh.id, stance: 'agree' }] }] }), 'SEPARATION_OF_DUTIES'),
    ).toContain('列席，不参与表决');
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'agree' }, { userId: head2.id, stance: 'disagree', reason: '同意法制机构意见' }] }] });
    const v = await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'reject', decisionText: '不同意作出处罚决定' });
    expect(v.items[0].tally).toEqual({ agree: 1, disagree: 1, abstain: 0, missing: 0 });
    expect(v.items[0].observers).toEqual([{ userId: rh.id, name: '兼审核局长', part: '审核人员' }]);
  });

  it('the quorum of an item counts only heads who may vote on it: 列席 is neither expected nor present', async () => {
    await createUser(f.core, f.admin, { username: 'rh', displayName: '兼审核局长', password: PASSWORD, roles: ['reviewer', 'agency_head'], qualificationNo: 'A2020rh' });
    await createUser(f.core, f.admin, { username: 'head4', displayName: '孙副局长', password: PASSWORD, roles: ['agency_head'] });
    const rh = await authenticate(f.core, { username: 'rh', password: PASSWORD });
    const head4 = await authenticate(f.core, { username: 'head4', password: PASSWORD });
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, rh, c.id);
    await issueReview(f.core, rh, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
    await propose(f.core, f.legalHead, { caseId: c.id, reasons: '重大' });
    const m = await createMeeting(f.core, f.secretary, { title: '会', scheduledAt: '2026-11-25T09:00:00+08:00', place: '室', chairId: f.head.id, attendeeIds: [f.head.id, head2.id, head3.id, head4.id, rh.id], caseIds: [c.id] });
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    // 3 of 5 present, but one of them is 列席: 2 of the 4 heads who may vote are there — not a majority.
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      attendance: [f.head.id, head2.id, rh.id].map((userId) => ({ userId, present: true })).concat([head3, head4].map((h) => ({ userId: h.id, present: false, absenceReason: '出差' }))),
      items: [{ caseId: c.id, stances: [f.head, head2].map((h) => ({ userId: h.id, stance: 'agree' as const })) }],
    });
    expect((await meetingView(f.core, f.secretary, m.id)).items[0].voterQuorum).toEqual({ expected: 4, present: 2, met: false });
    expect(await refused(() => decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' }), 'NO_QUORUM')).toContain('列席或回避的人员不计入');
    await saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: [{ userId: head3.id, present: true }], items: [{ caseId: c.id, stances: [{ userId: head3.id, stance: 'agree' }] }] });
    expect((await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' })).items[0].decision).toBe('approve');
  });

  it('the 系统管理员 alone cannot make a reviewer eligible for penalty cases by typing a qualification number', async () => {
    await createUser(f.core, f.admin, { username: 'sysad', displayName: '系统管理员乙', password: PASSWORD, roles: ['sys_admin'] });
    const sysad = await authenticate(f.core, { username: 'sysad', password: PASSWORD });
    expect(await refused(() => updateUser(f.core, sysad, { userId: f.reviewer2.id, qualificationNo: '' }), 'FORBIDDEN')).toContain('安全管理员');
    await refused(() => updateUser(f.core, sysad, { userId: f.reviewer2.id, qualificationNo: 'A2099999' }), 'FORBIDDEN');
    await refused(() => createUser(f.core, sysad, { username: 'newrev', displayName: '新审核', password: PASSWORD, roles: [], qualificationNo: 'A1' }), 'FORBIDDEN');
    // Other fields stay the 系统管理员's to change.
    expect((await updateUser(f.core, sysad, { userId: f.reviewer2.id, displayName: '孙审核员' })).displayName).toBe('孙审核员');
  });

  it('回避: a head declares a conflict of interest on an item; the view no longer counts and the reason is on the record', async () => {
    const c = await rereviewed('disagree');
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持' });
    const m = await meeting([c.id]);
    await present(m, [f.head.id, head2.id, head3.id]);
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [f.head, head2, head3].map((h) => ({ userId: h.id, stance: 'agree' as const })) }] });
    await refused(() => recuse(f.core, head3, { meetingId: m.id, caseId: c.id, userId: head2.id, source: 'self', reason: '亲属' }), 'FORBIDDEN');
    await refused(() => recuse(f.core, head3, { meetingId: m.id, caseId: c.id, userId: head3.id, source: 'self', reason: ' ' }), 'VALIDATION');
    const v = await recuse(f.core, head3, { meetingId: m.id, caseId: c.id, userId: head3.id, source: 'self', reason: '本人近亲属在当事人公司任职' });
    expect(v.items[0].recusals).toMatchObject([{ name: '郑副局长', source: 'self', reason: '本人近亲属在当事人公司任职' }]);
    expect(v.items[0].tally.agree).toBe(2);
    await refused(() => saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: head3.id, stance: 'agree' }] }] }), 'SEPARATION_OF_DUTIES');
    await recuse(f.core, f.secretary, { meetingId: m.id, caseId: c.id, userId: head2.id, source: 'party', reason: '当事人书面申请：曾参与前期检查' });
    expect((await meetingView(f.core, f.head, m.id)).items[0].recusals).toHaveLength(2);
  });
});
