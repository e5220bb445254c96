// Dissent, one re-review, escalation, and the heads' collective discussion with locked minutes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, defectFindings, extraHeads, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, queue, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { amendMeeting, confirmAgenda, createMeeting, decideItem, lockMeeting, saveRecord, meetingView } from '../../main/core/services/meetings';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { verifyChain } from '../../main/core/services/audit';
import type { Actor } from '../../main/core/services/core';

let f: Fixture;
let head2: Actor;
let head3: Actor;
beforeEach(async () => {
  f = await makeFixture();
  [head2, head3] = await extraHeads(f);
});
afterEach(async () => f.close());

const disagreeFindings = defectFindings;

/** A case the legal office disagreed with, twice: ready for escalation. */
async function disagreedTwice(caseNo = 'D-1') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '第四十九条适用于本案情形，理由如下……' });
  await takeCase(f.core, f.reviewer2, c.id);
  await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '复审维持不同意意见' });
  return c;
}

describe('re-review', () => {
  it('the handler files one written request after 不同意; a second is refused', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await refused(() => requestRereview(f.core, f.handler, { caseId: c.id, reasons: '不服' }), 'BAD_STATE');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '不同意' });
    await refused(() => requestRereview(f.core, f.officer, { caseId: c.id, reasons: '不服' }), 'FORBIDDEN');
    await refused(() => requestRereview(f.core, f.handler, { caseId: c.id, reasons: '  ' }), 'VALIDATION');
    const r = await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '认定事实的证据充分' });
    expect(r.state).toBe('rereview_requested');
    expect(r.rereviewRequest).toMatchObject({ reasons: '认定事实的证据充分', by: '张承办' });
    expect(r.clocks.find((k) => k.kind === 'rereview' && k.state !== 'done')).toBeTruthy();
    // the first reviewer may not re-review (agency setting, on by default)
    expect(await refused(() => takeCase(f.core, f.reviewer, c.id), 'SEPARATION_OF_DUTIES')).toContain('原审核人员');
    await takeCase(f.core, f.reviewer2, c.id);
    const done = await issueReview(f.core, f.reviewer2, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    expect(done.state).toBe('rereviewed');
    expect(done.reviews.map((x) => x.kind)).toEqual(['review', 'rereview']);
    expect(await refused(() => requestRereview(f.core, f.handler, { caseId: c.id, reasons: '再次' }), 'CONFLICT')).toContain('复审以一次为限');
    // after a re-review of 同意 the head approves as usual
    expect((await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' })).state).toBe('approved');
  });

  it('the same reviewer may re-review when the agency allows it', async () => {
    await updateWorkflowSettings(f.core, f.admin, { rereviewDifferentReviewer: false, quorum: 'half' });
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '不同意' });
    await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '理由' });
    expect((await takeCase(f.core, f.reviewer, c.id)).reviewerId).toBe(f.reviewer.id);
  });

  it('escalation only after a re-review that still disagrees', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '不同意' });
    expect(await refused(() => escalate(f.core, f.handler, { caseId: c.id, reasons: '仍不同意' }), 'BAD_STATE')).toContain('须先申请复审');
    const d = await disagreedTwice('D-2');
    const e = await escalate(f.core, f.handler, { caseId: d.id, reasons: '仍坚持原意见' });
    expect(e.state).toBe('in_discussion');
    expect((await queue(f.core, f.secretary)).items.map((i) => i.id)).toContain(d.id);
    expect((await queue(f.core, f.legalHead)).items.find((i) => i.id === d.id)?.reason).toContain('集体讨论');
    await refused(() => escalate(f.core, f.handler, { caseId: d.id, reasons: '再次' }), 'CONFLICT');
    // the head cannot decide alone while the case awaits the meeting
    await refused(() => decide(f.core, f.head, { caseId: d.id, decision: 'approve', opinion: 'x', override: { declared: true, reason: 'y' } }), 'BAD_STATE');
  });
});

describe('collective discussion', () => {
  async function meetingWithCase() {
    const c = await disagreedTwice();
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持原意见' });
    const m = await createMeeting(f.core, f.secretary, {
      title: '2026年第12次局长办公会议',
      scheduledAt: '2026-11-25T09:00:00+08:00',
      place: '第一会议室',
      chairId: f.head.id,
      attendeeIds: [f.head.id, head2.id, head3.id],
      caseIds: [c.id],
    });
    // The chair sets the agenda the secretary prepared.
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    return { c, m };
  }

  it('only the secretary creates meetings, only heads attend, only escalated cases are items', async () => {
    await refused(() => createMeeting(f.core, f.head, { title: 'x', scheduledAt: '2026-11-25T09:00:00+08:00', place: 'x', chairId: f.head.id, attendeeIds: [f.head.id] }), 'FORBIDDEN');
    await refused(() => createMeeting(f.core, f.secretary, { title: 'x', scheduledAt: '2026-11-25T09:00:00+08:00', place: 'x', chairId: f.head.id, attendeeIds: [f.reviewer.id] }), 'VALIDATION');
    const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'N-1' }));
    await refused(() => createMeeting(f.core, f.secretary, { title: 'x', scheduledAt: '2026-11-25T09:00:00+08:00', place: 'x', chairId: f.head.id, attendeeIds: [f.head.id], caseIds: [c.id] }), 'BAD_STATE');
  });

  it('no decision without quorum; a reason required for 不同意; every view heard first', async () => {
    const { c, m } = await meetingWithCase();
    await saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: [{ userId: f.head.id, present: true }, { userId: head2.id, present: false, absenceReason: '出差' }, { userId: head3.id, present: false, absenceReason: '病假' }] });
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'agree' }] }] });
    expect(await refused(() => decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意处罚' }), 'NO_QUORUM')).toContain('未达到法定人数');
    await saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: [{ userId: head2.id, present: true, absenceReason: '' }] });
    expect((await meetingView(f.core, f.secretary, m.id)).quorumMet).toBe(true);
    expect(await refused(() => decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意处罚' }), 'VALIDATION')).toContain('钱副局长');
    await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: head2.id, stance: 'disagree', reason: '' }] }] });
    expect(await refused(() => decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意处罚' }), 'VALIDATION')).toContain('须记录其理由');
  });

  it('decision, side by side with views; departures said explicitly; lock; amendments only', async () => {
    const { c, m } = await meetingWithCase();
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      attendance: [
        { userId: f.head.id, present: true },
        { userId: head2.id, present: true },
        { userId: head3.id, present: false, absenceReason: '外出学习' },
      ],
      items: [
        {
          caseId: c.id,
          handlingStatement: '承办单位认为适用第四十九条正确。',
          legalStatement: '法制机构认为应适用第五十条。',
          stances: [
            { userId: f.head.id, stance: 'agree' },
            { userId: head2.id, stance: 'disagree', reason: '同意法制机构意见' },
          ],
          dissent: '钱副局长同意法制机构意见。',
        },
      ],
    });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意按拟定意见作出处罚决定' });
    const before = await meetingView(f.core, f.head, m.id);
    expect(before.items[0]).toMatchObject({ tally: { agree: 1, disagree: 1, abstain: 0, missing: 0 }, departsFromLegalOpinion: true, departsFromMajority: false });
    await refused(() => lockMeeting(f.core, head2, m.id), 'FORBIDDEN');
    await refused(() => lockMeeting(f.core, f.secretary, m.id), 'FORBIDDEN');
    const locked = await lockMeeting(f.core, f.head, m.id);
    expect(locked.locked).toBe(true);
    const detail = await caseDetail(f.core, f.handler, c.id);
    expect(detail.state).toBe('approved');
    expect(detail.headOverride).toBe(true);
    expect(detail.approvals[0]).toMatchObject({ meetingId: m.id, override: true, head: '赵局长' });
    expect(detail.approvals[0].overrideReason).toContain('未采纳法制审核意见');
    expect((await meetingView(f.core, f.head, m.id)).items[0].headOverride?.reason).toContain('集体讨论');
    // locked: nothing can be edited, in the service or with plain SQL
    expect(await refused(() => saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, notes: '补记' }] }), 'LOCKED')).toContain('补正');
    await expect((async () => f.core.db.exec("UPDATE meeting_items SET notes = 'x'"))()).rejects.toThrow(/LOCKED/);
    await expect((async () => f.core.db.exec("UPDATE meeting_stances SET reason = 'x'"))()).rejects.toThrow(/LOCKED/);
    await refused(() => lockMeeting(f.core, f.head, m.id), 'LOCKED');
    const amended = await amendMeeting(f.core, f.secretary, { meetingId: m.id, text: '钱副局长的意见补充：建议加强普法宣传。', reason: '记录遗漏' });
    expect(amended.amendments).toMatchObject([{ text: '钱副局长的意见补充：建议加强普法宣传。', reason: '记录遗漏', by: '吴秘书' }]);
    expect((await verifyChain(f.core)).ok).toBe(true);
    const timeline = (await caseDetail(f.core, f.handler, c.id)).timeline.map((t) => t.label);
    expect(timeline).toEqual(expect.arrayContaining(['申请复审', '复审后仍有异议，提请集体讨论', '会议作出决定', '确认会议纪要', '补正会议纪要']));
  });

  it('a view changed after the decision reopens the item for a new decision', async () => {
    const { c, m } = await meetingWithCase();
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      attendance: [{ userId: f.head.id, present: true }, { userId: head2.id, present: true }, { userId: head3.id, present: false, absenceReason: '出差' }],
      items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'agree' }, { userId: head2.id, stance: 'agree' }] }],
    });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'approve', decisionText: '同意' });
    const reopened = await saveRecord(f.core, f.secretary, { meetingId: m.id, items: [{ caseId: c.id, stances: [{ userId: head2.id, stance: 'abstain' }] }] });
    expect(reopened.items[0].decision).toBeNull();
  });

  it('the first reviewer is not offered the re-review when the agency requires another reviewer', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'RR-1' }));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: disagreeFindings(), outcome: 'disagree', opinion: '不同意' });
    await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '理由' });
    expect((await caseDetail(f.core, f.reviewer, c.id)).allowed).not.toContain('review.take');
    expect((await queue(f.core, f.reviewer)).items.map((i) => i.id)).not.toContain(c.id);
    expect((await caseDetail(f.core, f.reviewer2, c.id)).allowed).toContain('review.take');
    expect((await queue(f.core, f.reviewer2)).items.map((i) => i.id)).toContain(c.id);
  });

  it('a chair deciding against the majority is recorded as such', async () => {
    const { c, m } = await meetingWithCase();
    await saveRecord(f.core, f.secretary, {
      meetingId: m.id,
      attendance: [{ userId: f.head.id, present: true }, { userId: head2.id, present: true }, { userId: head3.id, present: true }],
      items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'disagree', reason: '证据不足' }, { userId: head2.id, stance: 'agree' }, { userId: head3.id, stance: 'agree' }] }],
    });
    await decideItem(f.core, f.secretary, { meetingId: m.id, caseId: c.id, decision: 'reject', decisionText: '不同意作出处罚决定，退回补充调查' });
    expect((await meetingView(f.core, f.secretary, m.id)).items[0]).toMatchObject({ departsFromMajority: true, departsFromLegalOpinion: false });
    await lockMeeting(f.core, f.head, m.id);
    expect(await caseDetail(f.core, f.handler, c.id)).toMatchObject({ state: 'rejected', headOverride: false });
  });

  it('attendance must be complete before the chair locks the minutes', async () => {
    const { m } = await meetingWithCase();
    await saveRecord(f.core, f.secretary, { meetingId: m.id, attendance: [{ userId: head3.id, present: false, absenceReason: '' }] });
    expect(await refused(() => lockMeeting(f.core, f.head, m.id), 'VALIDATION')).toContain('出席情况');
  });
});
