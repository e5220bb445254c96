// Forms that point at the mistake (issue 12, point 5): every refusal about the input carries the path
// of each field it is about (details.issues), all of them at once, so that a form can put each message
// beside its field. Schema refusals (parseInput) and the core's own rules alike; nothing is stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { AppError, issuesOf, type FieldIssue } from '../../main/core/domain/errors';
import { queue, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { createUser } from '../../main/core/services/users';
import { changeOwnPassword } from '../../main/core/services/auth';
import { createMeeting } from '../../main/core/services/meetings';
import { dispatch } from '../../main/core/api';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

/** The refusal's code and its field issues. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; issues: FieldIssue[] }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    return { code: e.code, message: e.message, issues: issuesOf(e.details) };
  }
  throw new Error('expected a refusal, but the call succeeded');
}
const paths = (issues: FieldIssue[]) => issues.map((i) => i.path);

describe('submission', () => {
  it('schema refusals name every empty field at once, each with its own message', async () => {
    const r = await refusal(submitCase(f.core, f.handler, caseInput(f, { caseNo: '', title: ' ', facts: '', legalBasis: [{ law: '产品质量法', article: '' }] })));
    expect(r.code).toBe('VALIDATION');
    expect(paths(r.issues)).toEqual(expect.arrayContaining(['caseNo', 'title', 'facts', 'legalBasis.0.article']));
    expect(r.issues.find((i) => i.path === 'caseNo')!.message).toBe('案件编号不能为空');
    expect(r.issues.find((i) => i.path === 'facts')!.message).toBe('违法事实不能为空');
    expect((await queue(f.core, f.handler)).items).toHaveLength(0);
  });

  it('the core rules refuse all at once, each pointing at its field (was: the first only, without a path)', async () => {
    const r = await refusal(
      submitCase(
        f.core,
        f.handler,
        caseInput(f, {
          party: { type: 'organization', name: '某科技有限公司', idNumber: '91110105MA01ABCD10', address: '某市某区某路1号' },
          officerIds: [f.handler.id, 99999],
          fineAmount: '8万',
          procedure: [
            { step: '立案', date: '2026-08-10' },
            { step: '告知', date: '2027-01-05' },
          ],
        }),
      ),
    );
    expect(r.code).toBe('VALIDATION');
    expect(paths(r.issues)).toEqual(['party.idNumber', 'fineAmount', 'officerIds', 'procedure.1.date']);
    expect(r.issues[0].message).toContain('GB 32100');
    expect(r.issues[1].message).toContain('金额“8万”格式不正确');
    expect(r.issues[2].message).toContain('执法人员（编号 99999）不存在或已停用');
    expect(r.issues[3].message).toContain('晚于今天');
    // One sentence for lrw and any caller that shows one message: it names all four.
    expect(r.message).toMatch(/^送审材料有4处需要修改：/);
    expect((await queue(f.core, f.handler)).items).toHaveLength(0);
  });

  it('catalog rules point at the quantity or the ground they need', async () => {
    const fine = await refusal(submitCase(f.core, f.handler, caseInput(f, { fineAmount: undefined })));
    expect(fine.issues).toEqual([{ path: 'fineAmount', message: '罚款类事项须填写罚款金额。' }]);
    const low = await refusal(submitCase(f.core, f.handler, caseInput(f, { fineAmount: '100' })));
    expect(low.code).toBe('NOT_MAJOR');
    expect(paths(low.issues)).toEqual(['fineAmount']);
    const hearing = await refusal(submitCase(f.core, f.handler, caseInput(f, { kind: 'license', catalogItem: 'license.hearing', fineAmount: undefined })));
    expect(paths(hearing.issues)).toEqual(['quantities.hearingRequired', 'quantities.hearingHeld', 'quantities.publicInterest']);
    const other = await refusal(submitCase(f.core, f.handler, caseInput(f, { catalogItem: 'penalty.other' })));
    expect(paths(other.issues)).toEqual(['majorGround']);
  });

  it('a case number already used points at the case number', async () => {
    await submitCase(f.core, f.handler, caseInput(f));
    const r = await refusal(submitCase(f.core, f.handler, caseInput(f)));
    expect(r.code).toBe('CONFLICT');
    expect(r.issues).toEqual([{ path: 'caseNo', message: '案件编号“某市监罚立〔2026〕101号”已存在。' }]);
  });

  it('the bridge passes the issues on unchanged (what the app receives)', async () => {
    const schema = await dispatch(f.core, { userId: f.handler.id }, 'cases.submit', caseInput(f, { caseNo: '', title: '' }));
    expect(schema.ok).toBe(false);
    if (schema.ok) return;
    expect(issuesOf(schema.error.details).map((i) => i.path)).toEqual(['caseNo', 'title']);
    const rule = await dispatch(f.core, { userId: f.handler.id }, 'cases.submit', caseInput(f, { officerIds: [f.handler.id, 99999] }));
    expect(rule.ok).toBe(false);
    if (rule.ok) return;
    expect(rule.error.code).toBe('OFFICERS_INVALID');
    expect(issuesOf(rule.error.details)).toEqual([{ path: 'officerIds', message: '执法人员（编号 99999）不存在或已停用。' }]);
  });
});

describe('review', () => {
  it('an opinion refused for several reasons names each: missing criteria, a reason, the requests of a 退回', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform().filter((x) => x.criterion !== 9);
    findings[3] = { criterion: 4, result: 'nonconform', reason: '' };
    const r = await refusal(issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', opinion: '', requests: [] }));
    expect(r.code).toBe('FINDINGS_INCOMPLETE');
    expect(paths(r.issues)).toEqual(['findings', 'findings.3.reason', 'requests']);
    expect(r.issues[0].message).toContain('尚缺第9项');
    expect(r.issues[1].message).toContain('第4项');
    // The findings are checked in the order sent: the path names the row the client sent.
    const shuffled = [...allConform()].reverse();
    shuffled[0] = { criterion: 9, result: 'needs_correction', reason: ' ' };
    const s = await refusal(issueReview(f.core, f.reviewer, { caseId: c.id, findings: shuffled, outcome: 'agree' }));
    expect(s.code).toBe('VALIDATION');
    expect(paths(s.issues)).toEqual(['findings.0.reason', 'outcome']);
    expect(s.issues[1].message).toContain('不能出具“同意”意见');
  });

  it('a head who departs from the opinion without declaring it is pointed at the declaration', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    const r = await refusal(decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '不予批准' }));
    expect(r.code).toBe('OVERRIDE_REQUIRED');
    expect(paths(r.issues)).toEqual(['override']);
  });
});

describe('users, password, meeting', () => {
  it('a username taken, a certificate without expiry', async () => {
    const taken = await refusal(createUser(f.core, f.admin, { username: 'handler', displayName: '重名', password: PASSWORD, roles: [] }));
    expect(taken.issues).toEqual([{ path: 'username', message: '用户名“handler”已存在。' }]);
    const cert = await refusal(createUser(f.core, f.admin, { username: 'newbie', displayName: '新人', password: PASSWORD, roles: [], certNo: '执法001' }));
    expect(cert.issues).toEqual([{ path: 'certExpiry', message: '填写执法证号时须同时填写有效期。' }]);
    const both = await refusal(createUser(f.core, f.admin, { username: 'handler', displayName: '重名', password: PASSWORD, roles: [], certNo: '执法001' }));
    expect(both.code).toBe('CONFLICT');
    expect(paths(both.issues)).toEqual(['certExpiry', 'username']);
    const several = await refusal(createUser(f.core, f.admin, { username: '', displayName: '', password: 'short', roles: [] }));
    expect(paths(several.issues)).toEqual(expect.arrayContaining(['username', 'displayName', 'password']));
  });

  it('a new password equal to the current one points at the new password', async () => {
    const r = await refusal(changeOwnPassword(f.core, f.handler.id, { currentPassword: PASSWORD, newPassword: PASSWORD }));
    expect(r.issues).toEqual([{ path: 'newPassword', message: '新密码不能与当前密码相同。' }]);
    const wrong = await refusal(changeOwnPassword(f.core, f.handler.id, { currentPassword: 'nope-nope', newPassword: 'Another1!' }));
    expect(paths(wrong.issues)).toEqual(['currentPassword']);
  });

  it('a meeting attendee who is not an agency head points at the attendees', async () => {
    const r = await refusal(
      createMeeting(f.core, f.secretary, { title: '局长办公会议', scheduledAt: '2026-11-25T09:00:00+08:00', place: '三楼会议室', chairId: f.head.id, attendeeIds: [f.reviewer.id], caseIds: [] }),
    );
    expect(paths(r.issues)).toEqual(['attendeeIds']);
  });
});
