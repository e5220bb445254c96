// A realistic populated store for the tamper suite: cases through every stage (agreed and approved with
// documents numbered and issued as signed PDFs, disagreed → re-reviewed → escalated → decided in a locked
// meeting with a recusal and an amendment, an extension requested and decided, returned and resubmitted,
// rejected and ended), attachments and an expert opinion file, a closed case with its clocks, settings,
// calendar, clauses, a template copy, users created, roles changed, a password reset, an exemption.
// Every write goes through the services, so the chain vouches for all of it.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { allConform, serveAndCarryOut, caseInput, defectFindings, extraHeads, PASSWORD, type Fixture } from './fixture';
import { fullDraft } from '../unit/templates/fixture';
import { closeCase, resubmitCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { decideEnding, proposeEnding, reviewEnding } from '../../main/core/services/endings';
import { amendMeeting, confirmAgenda, createMeeting, decideItem, lockMeeting, recuse, saveRecord } from '../../main/core/services/meetings';
import { createClause, finalizeDocument, getTemplate, previewDocument, retireClauseById, saveDocument, saveTemplate } from '../../main/core/services/documents';
import { createTrialIdentityFor, issueDocument } from '../../main/core/services/issue';
import { importCalendarYear, startHourClock, updateDeadlineSettings } from '../../main/core/services/deadlines';
import { decideExtension, requestExtension } from '../../main/core/services/extensions';
import { exemptReviewer } from '../../main/core/services/reviewers';
import { updateReviewSettings } from '../../main/core/services/reviewSettings';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { updateUploadSettings, storeFile } from '../../main/core/services/uploads';
import { addExpertOpinion } from '../../main/core/services/experts';
import { createUser, resetPassword, setUserRoles, updateUser } from '../../main/core/services/users';
import { toActor } from '../../main/core/services/auth';
import { getUserByUsername } from '../../main/core/db/repos/users';
import { initRecordKey } from '../../main/core/services/checkpoints';
import { acknowledgeAlarm, raiseAlarmIfFailed } from '../../main/core/services/alarms';
import type { Actor } from '../../main/core/services/core';

export interface Populated {
  /** Case ids by story. */
  cases: { approved: number; meeting: number; extended: number; resubmitted: number; ended: number; closed: number };
  meetingId: number;
  /** Users created during population (not the fixture's). */
  users: { novice: number; temp: number; head2: number; head3: number };
}

export async function populate(f: Fixture): Promise<Populated> {
  const core = f.core;
  const [head2, head3] = await extraHeads(f);
  const actor = async (u: string): Promise<Actor> => toActor((await getUserByUsername(core.db, u))!);

  // A record-signing key whose private half this core holds (the fixture's template keeps none), so the
  // head is signed at every issue, every 100 events and at shutdown.
  await initRecordKey(core, f.admin, { rotate: true });

  // Settings of every kind, the calendar, clauses, a template copy.
  await updateWorkflowSettings(core, f.admin, { rereviewDifferentReviewer: true, quorum: 'half' });
  await updateDeadlineSettings(core, f.admin, { mode: 'working', reviewDays: 7, extensionDays: 3, rereviewDays: 5 });
  await updateReviewSettings(core, f.admin, { extensionApprover: 'legal_head' });
  await updateUploadSettings(core, f.admin, { maxUploadBytes: 64 * 1024 * 1024 });
  await importCalendarYear(core, f.admin, {
    year: 2027,
    source: '国办发明电〔2026〕×号（测试）',
    holidays: ['2027-10-01', '2027-10-02', '2027-10-03'].map((date) => ({ date, name: '国庆节' })),
    workdays: [{ date: '2027-10-09', name: '国庆节' }],
  });
  await createClause(core, f.reviewer, { category: '法理', title: '过罚相当', text: '设定和实施行政处罚必须以事实为依据，与违法行为的事实、性质、情节以及社会危害程度相当。' });
  const old = await createClause(core, f.legalHead, { category: '情理', title: '首违不罚', text: '初次违法且危害后果轻微并及时改正的，可以不予行政处罚。' });
  await retireClauseById(core, f.legalHead, old.id);
  const tpl = await getTemplate(core, f.admin, 'review-opinion');
  await saveTemplate(core, f.admin, { templateId: 'review-opinion', source: tpl.source, note: '机关副本' });

  // Users: one created, given a role, reset, deactivated; a reviewer without qualification, exempted.
  await createUser(core, f.admin, { username: 'temp', displayName: '临时承办', password: PASSWORD, roles: ['handler'], certNo: '执法temp', certExpiry: '2028-12-31' });
  const temp = await actor('temp');
  await setUserRoles(core, f.admin, { userId: temp.id, roles: ['handler', 'secretary'] });
  await resetPassword(core, f.admin, { userId: temp.id, password: 'Tempor4ry!' });
  await updateUser(core, f.admin, { userId: temp.id, active: false });
  await createUser(core, f.admin, { username: 'novice', displayName: '郑新审', password: PASSWORD, roles: ['reviewer'] });
  const novice = await actor('novice');
  await exemptReviewer(core, f.admin, { userId: novice.id, note: '2019年3月起在本局法制科从事行政处罚决定法制审核，见2019年法制审核台账' });

  // Attachments: a small text and a larger binary file; an expert's written opinion.
  const note = path.join(f.dir, '笔录.txt');
  fs.writeFileSync(note, '现场检查笔录：当事人仓库内存放电热水壶320台。');
  const big = path.join(f.dir, 'photo.bin');
  fs.writeFileSync(big, randomBytes(200_000));
  const a1 = await storeFile(core, f.handler, note, '现场检查笔录.txt');
  const a2 = await storeFile(core, f.handler, big, '现场照片.bin');
  const expertFile = path.join(f.dir, 'expert.pdf');
  fs.writeFileSync(expertFile, '%PDF-1.4 专家论证会议纪要');
  const a3 = await storeFile(core, f.reviewer, expertFile, '专家论证会议纪要.pdf');

  // Case 1: agreed (with an expert opinion), approved, decision numbered, opinion and decision issued.
  const c1 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-1', attachments: [{ sha256: a1.sha256, name: a1.name }, { sha256: a2.sha256, name: a2.name }] }));
  await takeCase(core, f.reviewer, c1.id);
  await addExpertOpinion(core, f.reviewer, { caseId: c1.id, experts: ['李教授', '陈研究员'], heldOn: '2026-11-20', opinion: '检验方法符合国家标准，检验结论可以采信。', file: { sha256: a3.sha256, name: a3.name } });
  await issueReview(core, f.reviewer, { caseId: c1.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。' });
  await decide(core, f.head, { caseId: c1.id, decision: 'approve', opinion: '同意' });
  const op = await previewDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });
  await saveDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion', model: op.model, note: '初稿' });
  await saveDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion', model: { ...op.model, title: op.model.title }, note: '二稿' });
  await finalizeDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });
  const pd = await previewDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision', draft: { ...fullDraft } });
  await saveDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision', model: pd.model, draft: { ...fullDraft }, note: '全文' });
  await finalizeDocument(core, f.handler, { caseId: c1.id, templateId: 'penalty-decision' });
  await createTrialIdentityFor(core, f.reviewer);
  await issueDocument(core, f.reviewer, { caseId: c1.id, templateId: 'review-opinion' });
  await createTrialIdentityFor(core, f.head);
  await issueDocument(core, f.head, { caseId: c1.id, templateId: 'penalty-decision' });

  // Case 2: disagreed, re-reviewed, escalated; a meeting with a recusal, decided, locked, amended.
  const c2 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-2' }));
  await takeCase(core, f.reviewer, c2.id);
  await issueReview(core, f.reviewer, { caseId: c2.id, findings: defectFindings(), outcome: 'disagree', opinion: '适用依据错误，不同意' });
  await requestRereview(core, f.handler, { caseId: c2.id, reasons: '第四十九条适用于本案情形' });
  await takeCase(core, f.reviewer2, c2.id);
  await issueReview(core, f.reviewer2, { caseId: c2.id, findings: defectFindings(), outcome: 'disagree', opinion: '复审维持不同意意见' });
  await escalate(core, f.handler, { caseId: c2.id, reasons: '仍坚持原意见' });
  const m = await createMeeting(core, f.secretary, { title: '2026年第12次局长办公会议', scheduledAt: '2026-11-25T09:00:00+08:00', place: '第一会议室', chairId: f.head.id, attendeeIds: [f.head.id, head2.id, head3.id], caseIds: [c2.id] });
  await confirmAgenda(core, f.head, { meetingId: m.id });
  await saveRecord(core, f.secretary, {
    meetingId: m.id,
    attendance: [f.head, head2, head3].map((h) => ({ userId: h.id, present: true })),
    items: [{ caseId: c2.id, handlingStatement: '承办单位认为适用正确。', legalStatement: '法制机构认为应适用第五十条。', stances: [{ userId: f.head.id, stance: 'agree' }, { userId: head2.id, stance: 'disagree', reason: '应适用第五十条' }] }],
  });
  await recuse(core, head3, { meetingId: m.id, caseId: c2.id, userId: head3.id, source: 'self', reason: '本人近亲属在当事人公司任职' });
  await decideItem(core, f.secretary, { meetingId: m.id, caseId: c2.id, decision: 'approve', decisionText: '同意按拟定意见作出处罚决定' });
  await lockMeeting(core, f.head, m.id);
  await amendMeeting(core, f.secretary, { meetingId: m.id, text: '补充：建议加强普法宣传。', reason: '记录遗漏' });

  // Case 3: under review, an extension requested and approved.
  const c3 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-3', title: '某商贸公司虚假宣传案' }));
  await takeCase(core, f.reviewer, c3.id);
  await requestExtension(core, f.reviewer, { caseId: c3.id, reason: '涉及三个法律关系，需调取外地证据' });
  await decideExtension(core, f.legalHead, { caseId: c3.id, decision: 'approve', reason: '情况属实，同意延长' });

  // Case 4: returned, resubmitted (a second submission).
  const c4 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-4' }));
  await takeCase(core, f.reviewer2, c4.id);
  const ret = allConform();
  ret[2] = { criterion: 3, result: 'needs_correction', reason: '证据清单缺少检验报告原件' };
  await issueReview(core, f.reviewer2, { caseId: c4.id, findings: ret, outcome: 'return', opinion: '退回补充', requests: ['补充检验报告原件'] });
  await resubmitCase(core, f.handler, { caseId: c4.id, case: caseInput(f, { caseNo: 'TAMPER-4', evidence: ['现场检查笔录', '抽样检验报告（原件）', '询问笔录'] }), changeNote: '补充检验报告原件' });

  // Case 5: disagreed, rejected by the head, ended.
  const c5 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-5' }));
  await takeCase(core, f.reviewer, c5.id);
  await issueReview(core, f.reviewer, { caseId: c5.id, findings: defectFindings(), outcome: 'disagree', opinion: '不同意' });
  await decide(core, f.head, { caseId: c5.id, decision: 'reject', opinion: '不予批准' });
  await proposeEnding(core, f.handler, { caseId: c5.id, kind: 'no_penalty', reason: '违法事实不能成立' });
  await reviewEnding(core, f.reviewer2, { caseId: c5.id, outcome: 'agree', opinion: '同意终结' });
  await decideEnding(core, head2, { caseId: c5.id, outcome: 'agree', opinion: '同意' });

  // Case 6: agreed, approved, closed (publication and archive clocks), an hour clock.
  const c6 = await submitCase(core, f.handler, caseInput(f, { caseNo: 'TAMPER-6' }));
  await takeCase(core, f.reviewer2, c6.id);
  await issueReview(core, f.reviewer2, { caseId: c6.id, findings: allConform(), outcome: 'agree', opinion: '同意' });
  await decide(core, f.head, { caseId: c6.id, decision: 'approve', opinion: '同意' });
  await startHourClock(core, f.handler, { caseId: c6.id, kind: 'av_records', startedAt: '2026-11-23T09:00:00+08:00' });
  await serveAndCarryOut(core, f.handler, c6.id);
  await closeCase(core, f.handler, c6.id);

  // An alarm of an earlier failed verification (a witness that did not match), acknowledged with a reason.
  const alarmId = await raiseAlarmIfFailed(core, f.legalHead, {
    ok: false, count: 0, firstBad: null,
    mismatch: { kind: 'witness', message: '外部见证（检查点文件）与记录链不符：第 12 号事件的哈希不同。' },
    message: '记录校验未通过：外部见证与记录链不符。',
  }, { through: 'app', quick: false });
  await acknowledgeAlarm(core, f.legalHead, { alarmId: alarmId!, reason: '见证文件取自另一台测试电脑的记录库，已核实本库无误。' });

  return {
    cases: { approved: c1.id, meeting: c2.id, extended: c3.id, resubmitted: c4.id, ended: c5.id, closed: c6.id },
    meetingId: m.id,
    users: { novice: novice.id, temp: temp.id, head2: head2.id, head3: head3.id },
  };
}
