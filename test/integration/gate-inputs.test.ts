// Issue 10, points 8 and 10: catalog items ask for what decides them, reviewers as 行政处罚法 第五十八条
// asks, and the one extension of a review period requested by the reviewer and decided by the head the
// agency named. Each bypass of the old code is reproduced first and now refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseInput, makeFixture, ORG_CODE, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, queue, submitCase } from '../../main/core/services/cases';
import { takeCase } from '../../main/core/services/reviews';
import { extendReview } from '../../main/core/services/deadlines';
import { decideExtension, requestExtension } from '../../main/core/services/extensions';
import { exemptReviewer } from '../../main/core/services/reviewers';
import { reviewSettings, updateReviewSettings } from '../../main/core/services/reviewSettings';
import { listUsers } from '../../main/core/services/users';
import { insertUser, getUserByUsername } from '../../main/core/db/repos/users';
import { toActor } from '../../main/core/services/auth';
import type { Actor } from '../../main/core/services/core';
import type { Role } from '../../main/core/domain/types';
import type { Input } from '../../preload/contract';

let f: Fixture;
let secAdmin: Actor;
let sysAdmin: Actor;
let novice: Actor;
beforeEach(async () => {
  f = await makeFixture();
  const add = async (username: string, displayName: string, roles: Role[]) => {
    await insertUser(f.core.db, { username, displayName, passwordHash: 'unused', roles }, f.clock.now.toISOString());
    return toActor((await getUserByUsername(f.core.db, username))!);
  };
  secAdmin = await add('secadm', '钱安全', ['sec_admin']);
  sysAdmin = await add('sysadm', '冯系统', ['sys_admin']);
  // A reviewer without a 法律职业资格 number (the fixture's reviewers all hold one).
  novice = await add('novice', '郑新审', ['reviewer']);
});
afterEach(async () => f.close());

const count = async (table: string) => Number(await f.core.db.value(`SELECT COUNT(*) FROM ${table}`));
const events = async (action: string) => Number(await f.core.db.value('SELECT COUNT(*) FROM events WHERE action = ?', [action]));

/** A 查封扣押 case of an organisation; quantities as given. */
const sealCase = (over: Partial<Input<'cases.submit'>> = {}): Input<'cases.submit'> =>
  caseInput(f, {
    caseNo: '某市监强〔2026〕7号',
    title: '某科技有限公司仓库查封案',
    kind: 'coercion',
    catalogItem: 'coercion.seal',
    proposedDecision: '查封当事人存放涉案产品的仓库',
    fineAmount: undefined,
    party: { type: 'organization', name: '某科技有限公司', idNumber: ORG_CODE, address: '某市某区某路1号' },
    ...over,
  });

const licenceCase = (quantities?: Input<'cases.submit'>['quantities']): Input<'cases.submit'> =>
  caseInput(f, {
    caseNo: '某市监许〔2026〕3号',
    title: '某科技有限公司特种设备许可案',
    kind: 'license',
    catalogItem: 'license.hearing',
    proposedDecision: '准予行政许可',
    fineAmount: undefined,
    ...(quantities && { quantities }),
  });

describe('catalog items ask for what decides them (001 附件3 第五至七条)', () => {
  it('a coercion.seal case with no area and no value is refused (it was accepted), and nothing is stored', async () => {
    const msg = await refused(() => submitCase(f.core, f.handler, sealCase()), 'VALIDATION');
    expect(msg).toContain('面积');
    expect(msg).toContain('价值');
    // 不适用 for the area alone is not a quantity: the value is then required.
    await refused(() => submitCase(f.core, f.handler, sealCase({ quantities: { sealAreaM2: '不适用' } })), 'VALIDATION');
    expect(await count('cases')).toBe(0);
  });

  it('a seal below 300 m² and 10万元 is refused naming the threshold', async () => {
    const msg = await refused(() => submitCase(f.core, f.handler, sealCase({ quantities: { sealAreaM2: 120, sealValueYuan: '50000' } })), 'NOT_MAJOR');
    expect(msg).toContain('300平方米');
    expect(msg).toContain('10万元');
    expect(msg).toContain('兜底');
    expect(await count('cases')).toBe(0);
  });

  it('a seal of 300 m², or of movable property worth 10万元, goes in and the case shows the quantities', async () => {
    const a = await submitCase(f.core, f.handler, sealCase({ quantities: { sealAreaM2: 300 } }));
    expect(a.submissions[0].quantities).toEqual({ sealAreaM2: 300 });
    expect(a.submissions[0].majorBasis).toBe('threshold');
    expect(a.submissions[0].majorLines).toContain('查封、扣押面积：300平方米');
    const b = await submitCase(f.core, f.handler, sealCase({ caseNo: 'Q-2', quantities: { sealAreaM2: 'not_applicable', sealValueYuan: '100000' } }));
    expect(b.submissions[0].quantities).toEqual({ sealAreaM2: 'not_applicable', sealValueFen: 10_000_000 });
    expect(b.submissions[0].majorLines).toEqual(expect.arrayContaining(['查封、扣押面积：不适用（动产）', '查封、扣押财物价值：100,000元']));
    expect(b.catalogVersion).toBe(2);
  });

  it('the same small seal goes in under coercion.other with a stated ground, and not without one', async () => {
    const small = { quantities: { sealAreaM2: 120, sealValueYuan: '50000' } };
    expect(await refused(() => submitCase(f.core, f.handler, sealCase({ ...small, catalogItem: 'coercion.other' })), 'VALIDATION')).toContain('第七条（五）');
    const ground = '查封对象为当地唯一的疫苗冷链仓库，直接关系公共卫生安全';
    const c = await submitCase(f.core, f.handler, sealCase({ ...small, catalogItem: 'coercion.other', majorGround: ground }));
    expect(c.submissions[0].majorBasis).toBe('catch_all');
    expect(c.submissions[0].majorGround).toBe(ground);
    expect(c.submissions[0].majorLines).toContain(`送审理由：${ground}`);
  });

  it('below a threshold, the review-all setting (001 二（三）) admits any item with a stated ground', async () => {
    const small = sealCase({ quantities: { sealAreaM2: 120 } });
    await refused(() => submitCase(f.core, f.handler, small), 'NOT_MAJOR');
    await updateReviewSettings(f.core, sysAdmin, { reviewAllDecisions: true });
    expect(await refused(() => submitCase(f.core, f.handler, small), 'NOT_MAJOR')).toContain('送审理由');
    const c = await submitCase(f.core, f.handler, { ...small, majorGround: '本机关对简易程序以外的执法决定均进行法制审核' });
    expect(c.submissions[0].majorBasis).toBe('review_all');
    // A fine below the threshold, too; the party type still has to fit the item.
    const fine = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'F-1', fineAmount: '3000', majorGround: '普通程序处罚，本机关全部审核' }));
    expect(fine.submissions[0].majorBasis).toBe('review_all');
    expect(await events('settings.review')).toBe(1);
    await refused(() => updateReviewSettings(f.core, f.handler, { reviewAllDecisions: false }), 'FORBIDDEN');
  });

  it('license.hearing asks whether a hearing is required, was held, and public interest', async () => {
    const msg = await refused(() => submitCase(f.core, f.handler, licenceCase()), 'VALIDATION');
    expect(msg).toContain('是否依法应当听证');
    expect(msg).toContain('是否涉及公共利益');
    expect(await refused(() => submitCase(f.core, f.handler, licenceCase({ hearingRequired: false, hearingHeld: true, publicInterest: false })), 'NOT_MAJOR')).toContain('第六条（一）');
    const c = await submitCase(f.core, f.handler, licenceCase({ hearingRequired: false, hearingHeld: true, publicInterest: true }));
    expect(c.submissions[0].majorLines).toEqual(expect.arrayContaining(['依法应当听证：否', '已举行听证：是', '涉及公共利益：是']));
    const d = await submitCase(f.core, f.handler, { ...licenceCase({ hearingRequired: true, hearingHeld: false, publicInterest: false }), caseNo: 'L-2' });
    expect(d.submissions[0].majorBasis).toBe('threshold');
  });

  it('fine items keep their thresholds: below 5万元 for an organisation is refused naming it', async () => {
    expect(await refused(() => submitCase(f.core, f.handler, caseInput(f, { fineAmount: '49999.99' })), 'NOT_MAJOR')).toContain('50,000元');
  });
});

describe('reviewers as 行政处罚法 第五十八条 asks', () => {
  it('a reviewer without a qualification number cannot take a penalty case (they could), and does not see it offered', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    expect(await refused(() => takeCase(f.core, novice, c.id), 'REVIEWER_UNQUALIFIED')).toContain('第五十八条');
    expect((await caseDetail(f.core, novice, c.id)).allowed).not.toContain('review.take');
    expect((await queue(f.core, novice)).items.map((i) => i.id)).not.toContain(c.id);
    // The fixture's qualified reviewer sees it and may take it.
    expect((await caseDetail(f.core, f.reviewer2, c.id)).allowed).toContain('review.take');
    // Non-penalty cases are not covered by 第五十八条.
    const seal = await submitCase(f.core, f.handler, sealCase({ quantities: { sealAreaM2: 500 } }));
    expect((await takeCase(f.core, novice, seal.id)).reviewerId).toBe(novice.id);
  });

  it('after the security administrator records an exemption with a note, they can; it is shown in the user list', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await refused(() => exemptReviewer(f.core, sysAdmin, { userId: novice.id, note: '2019年起从事处罚审核' }), 'FORBIDDEN');
    await refused(() => exemptReviewer(f.core, f.legalHead, { userId: novice.id, note: '2019年起从事处罚审核' }), 'FORBIDDEN');
    await refused(() => exemptReviewer(f.core, secAdmin, { userId: novice.id, note: '  ' }), 'VALIDATION');
    await refused(() => exemptReviewer(f.core, secAdmin, { userId: secAdmin.id, note: '本人' }), 'SEPARATION_OF_DUTIES');
    const note = '2019年3月起在本局法制科从事行政处罚决定法制审核，见2019年法制审核台账';
    const u = await exemptReviewer(f.core, secAdmin, { userId: novice.id, note });
    expect(u.reviewerExemption).toMatchObject({ note, by: '钱安全' });
    await refused(() => exemptReviewer(f.core, secAdmin, { userId: novice.id, note }), 'CONFLICT');
    expect(await events('reviewer.exempt')).toBe(1);
    expect((await listUsers(f.core, f.reviewer)).find((x) => x.id === novice.id)?.reviewerExemption?.note).toBe(note);
    expect((await queue(f.core, novice)).items.map((i) => i.id)).toContain(c.id);
    expect((await takeCase(f.core, novice, c.id)).reviewerId).toBe(novice.id);
    // The record is append-only.
    await expect(f.core.db.run('UPDATE reviewer_exemptions SET note = ?', ['x'])).rejects.toThrow(/IMMUTABLE/);
  });
});

describe('the one extension: requested by the reviewer, decided by the head the agency named (第十三条)', () => {
  const taken = async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    return c.id;
  };
  const due = async (id: number) => (await caseDetail(f.core, f.reviewer, id)).clocks.find((k) => k.kind === 'review' && k.endedAt === null)!;

  it('the assigned reviewer requests with a reason; the legal office head approves by default and the period is extended', async () => {
    const id = await taken();
    await refused(() => requestExtension(f.core, f.reviewer2, { caseId: id, reason: '案情复杂' }), 'FORBIDDEN');
    await refused(() => requestExtension(f.core, f.reviewer, { caseId: id, reason: ' ' }), 'VALIDATION');
    expect((await caseDetail(f.core, f.reviewer, id)).allowed).toContain('extension.request');
    const before = (await due(id)).due;
    const d = await requestExtension(f.core, f.reviewer, { caseId: id, reason: '涉及三个法律关系，需调取外地证据' });
    expect(d.extensionRequests).toHaveLength(1);
    expect(d.extensionRequests![0]).toMatchObject({ open: true, decision: null, by: '王审核' });
    expect(d.allowed).not.toContain('extension.request');
    await refused(() => requestExtension(f.core, f.reviewer, { caseId: id, reason: '再申请' }), 'CONFLICT');
    // Only the configured approver: not an agency head by default, not the requester.
    expect((await queue(f.core, f.legalHead)).items.find((i) => i.id === id)?.reason).toBe('审核人员申请延长审核期限，待批准');
    expect((await queue(f.core, f.head)).items.find((i) => i.reason.includes('延长'))).toBeUndefined();
    await refused(() => decideExtension(f.core, f.head, { caseId: id, decision: 'approve', reason: '同意' }), 'FORBIDDEN');
    await refused(() => decideExtension(f.core, f.reviewer, { caseId: id, decision: 'approve', reason: '同意' }), 'FORBIDDEN');
    expect((await caseDetail(f.core, f.legalHead, id)).allowed).toEqual(expect.arrayContaining(['extension.decide']));
    expect((await caseDetail(f.core, f.legalHead, id)).allowed).not.toContain('extension.extend');
    // A pending request is decided, not passed over by a direct extension.
    expect(await refused(() => extendReview(f.core, f.legalHead, { caseId: id, reason: '直接延长' }), 'CONFLICT')).toContain('王审核');
    const after = await decideExtension(f.core, f.legalHead, { caseId: id, decision: 'approve', reason: '情况属实，同意延长' });
    expect(after.extensionRequests![0]).toMatchObject({ decision: 'approve', decidedBy: '周法制', decisionReason: '情况属实，同意延长', open: false });
    const clock = await due(id);
    expect(clock.extension).not.toBeNull();
    expect(clock.due > before).toBe(true);
    expect(await events('extension.request')).toBe(1);
    expect(await events('extension.decide')).toBe(1);
    expect(await events('period.extend')).toBe(1);
    // The one extension is spent: no second request, no second decision.
    await refused(() => requestExtension(f.core, f.reviewer, { caseId: id, reason: '再延' }), 'CONFLICT');
    await refused(() => decideExtension(f.core, f.legalHead, { caseId: id, decision: 'approve', reason: '同意' }), 'BAD_STATE');
    await expect(f.core.db.run("UPDATE extension_decisions SET decision = 'refuse'")).rejects.toThrow(/IMMUTABLE/);
  });

  it('a refusal is recorded with its reason and extends nothing; the reviewer may ask again', async () => {
    const id = await taken();
    await requestExtension(f.core, f.reviewer, { caseId: id, reason: '案情复杂' });
    await refused(() => decideExtension(f.core, f.legalHead, { caseId: id, decision: 'refuse', reason: '' }), 'VALIDATION');
    const d = await decideExtension(f.core, f.legalHead, { caseId: id, decision: 'refuse', reason: '证据已齐备，应按期出具意见' });
    expect(d.extensionRequests![0]).toMatchObject({ decision: 'refuse', open: false });
    expect((await due(id)).extension).toBeNull();
    expect(await events('period.extend')).toBe(0);
    expect(d.timeline.map((t) => t.action)).toEqual(expect.arrayContaining(['extension.request', 'extension.decide']));
    expect((await requestExtension(f.core, f.reviewer, { caseId: id, reason: '新发现需鉴定的证据' })).extensionRequests).toHaveLength(2);
  });

  it('when the setting names the agency head, only an agency head approves (the legal office head is refused)', async () => {
    await updateReviewSettings(f.core, sysAdmin, { extensionApprover: 'agency_head' });
    expect((await reviewSettings(f.core)).reviewAllDecisions).toBe(false);
    const id = await taken();
    expect((await caseDetail(f.core, f.legalHead, id)).allowed).not.toContain('extension.extend');
    expect((await caseDetail(f.core, f.head, id)).allowed).toContain('extension.extend');
    await requestExtension(f.core, f.reviewer, { caseId: id, reason: '案情复杂' });
    expect(await refused(() => decideExtension(f.core, f.legalHead, { caseId: id, decision: 'approve', reason: '同意' }), 'FORBIDDEN')).toContain('机关负责人');
    // The direct extension obeys the same setting.
    await refused(() => extendReview(f.core, f.legalHead, { caseId: id, reason: '复杂' }), 'FORBIDDEN');
    expect((await queue(f.core, f.head)).items.find((i) => i.id === id)?.reason).toBe('审核人员申请延长审核期限，待批准');
    await decideExtension(f.core, f.head, { caseId: id, decision: 'approve', reason: '同意' });
    expect((await due(id)).extension).not.toBeNull();
  });
});
