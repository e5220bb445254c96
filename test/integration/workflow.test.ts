import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, serveAndCarryOut, caseInput, CITIZEN_ID, makeFixture, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { submitCase, resubmitCase, caseDetail, closeCase, queue, refreshSearch, search } from '../../main/core/services/cases';
import { takeCase, issueReview, saveDraft, getDraft } from '../../main/core/services/reviews';
import { updateWorkflowSettings } from '../../main/core/services/settings';
import { decide } from '../../main/core/services/approvals';
import { sha256Hex } from '../../main/core/domain/audit';
import { searchCases } from '../../main/core/db/repos/cases';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const countRows = async (table: string) => (await f.core.db.value(`SELECT COUNT(*) FROM ${table}`)) as number;

describe('submission', () => {
  it('stores the case, its first round and the catalog version, and puts it in reviewers’ queues', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    expect(c.state).toBe('submitted');
    expect(c.round).toBe(1);
    expect(c.catalogVersion).toBe(2);
    expect(c.submissions[0].fineFen).toBe(8_000_000);
    expect(c.submissions[0].fineCapitals).toBe('捌万元整');
    expect(c.responsible.handler).toBe('张承办');
    expect((await queue(f.core, f.reviewer)).items.map((i) => i.id)).toContain(c.id);
  });

  it('indexes a new case for search exactly as rebuilding its search text from the stored rows does', async () => {
    const c = await submitCase(f.core, f.handler, { ...caseInput(f), evidence: ['现场检查笔录', '询问笔录、检验报告'] });
    const body = () =>
      f.core.db.value<string>(f.core.db.engine === 'sqlite' ? 'SELECT body FROM case_search WHERE rowid = ?' : 'SELECT body FROM case_search WHERE case_id = ?', [c.id]);
    const stored = await body();
    expect(stored).toContain('现场检查笔录 询问笔录、检验报告');
    await refreshSearch(f.core, c.id);
    expect(await body()).toBe(stored);
  });

  it('keeps the submission once: the event binds the stored row by its digest instead of repeating it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const row = (await f.core.db.get<{ id: number; payload_json: string }>('SELECT id, payload_json FROM submissions WHERE case_id = ?', [c.id]))!;
    const ev = (await f.core.db.value<string>("SELECT payload_json FROM events WHERE action = 'case.submit' AND case_id = ?", [c.id]))!;
    const payload = JSON.parse(ev);
    expect(payload).toMatchObject({ round: 1, submissionId: row.id, submissionDigest: sha256Hex(row.payload_json) });
    expect(ev).not.toContain('经查');
    expect(ev.length).toBeLessThan(300);
  });

  it('refuses a bad unified social credit code and a bad resident ID, saving nothing', async () => {
    const before = await countRows('cases');
    const bad = caseInput(f);
    bad.party = { ...bad.party, idNumber: '91110105MA01ABCD10' };
    expect(await refused(() => submitCase(f.core, f.handler, bad), 'VALIDATION')).toContain('统一社会信用代码');
    const citizen = caseInput(f, { catalogItem: 'penalty.fine_citizen', fineAmount: '6000' });
    citizen.party = { type: 'citizen', name: '张某', idNumber: '110105198001011230', address: '某市' };
    expect(await refused(() => submitCase(f.core, f.handler, citizen), 'VALIDATION')).toContain('身份证');
    expect(await countRows('cases')).toBe(before);
  });

  it('accepts a citizen with a valid resident ID', async () => {
    const citizen = caseInput(f, { catalogItem: 'penalty.fine_citizen', fineAmount: '6000' });
    citizen.party = { type: 'citizen', name: '张某', idNumber: CITIZEN_ID, address: '某市' };
    expect((await submitCase(f.core, f.handler, citizen)).state).toBe('submitted');
  });

  it('refuses fewer than two officers, duplicates, and an expired certificate', async () => {
    await refused(() => submitCase(f.core, f.handler, caseInput(f, { officerIds: [f.handler.id] })), 'VALIDATION');
    await refused(() => submitCase(f.core, f.handler, caseInput(f, { officerIds: [f.handler.id, f.handler.id] })), 'OFFICERS_INVALID');
    // the reviewer holds no enforcement certificate
    expect(await refused(() => submitCase(f.core, f.handler, caseInput(f, { officerIds: [f.handler.id, f.reviewer.id] })), 'OFFICERS_INVALID')).toContain('未登记执法证');
    f.clock.now = new Date('2029-01-05T02:00:00Z');
    expect(await refused(() => submitCase(f.core, f.handler, caseInput(f, { procedure: [{ step: '立案', date: '2028-12-01' }] })), 'OFFICERS_INVALID')).toContain('过期');
    expect(await countRows('cases')).toBe(0);
  });

  it('refuses a fine below the catalog threshold as not major, and a mismatched catalog item', async () => {
    expect(await refused(() => submitCase(f.core, f.handler, caseInput(f, { fineAmount: '49999.99' })), 'NOT_MAJOR')).toContain('目录');
    await refused(() => submitCase(f.core, f.handler, caseInput(f, { catalogItem: 'license.other' })), 'VALIDATION');
    await refused(() => submitCase(f.core, f.handler, caseInput(f, { catalogItem: 'no.such.item' })), 'NOT_MAJOR');
  });

  it('refuses a duplicate case number and a procedure date in the future', async () => {
    await submitCase(f.core, f.handler, caseInput(f));
    await refused(() => submitCase(f.core, f.handler, caseInput(f)), 'CONFLICT');
    await refused(() => submitCase(f.core, f.handler, caseInput(f, { caseNo: 'X-2', procedure: [{ step: '立案', date: '2026-12-30' }] })), 'VALIDATION');
  });

  it('refuses an attachment that was never uploaded', async () => {
    await refused(
      () => submitCase(f.core, f.handler, caseInput(f, { attachments: [{ sha256: 'a'.repeat(64), name: '笔录.pdf' }] })),
      'VALIDATION',
    );
  });
});

describe('review', () => {
  it('enforces separation of duties: handler and acting officers may not review', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f, { officerIds: [f.officer.id, f.officer2.id] }));
    // give the officer the reviewer role too: still barred on this case
    (await f.core.db.run("INSERT INTO user_roles (user_id, role) VALUES (?, 'reviewer')", [f.officer.id]));
    (await f.core.db.run("INSERT INTO user_roles (user_id, role) VALUES (?, 'reviewer')", [f.handler.id]));
    const officerAsReviewer = { ...f.officer, roles: [...f.officer.roles, 'reviewer' as const] };
    const handlerAsReviewer = { ...f.handler, roles: [...f.handler.roles, 'reviewer' as const] };
    expect(await refused(() => takeCase(f.core, officerAsReviewer, c.id), 'SEPARATION_OF_DUTIES')).toContain('执法人员');
    expect(await refused(() => takeCase(f.core, handlerAsReviewer, c.id), 'SEPARATION_OF_DUTIES')).toContain('承办人');
    expect((await takeCase(f.core, f.reviewer, c.id)).state).toBe('under_review');
  });

  it('requires all nine findings, a reason for every non-conforming one, and refuses 同意 with defects', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const eight = allConform().slice(0, 8);
    expect(await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: eight, outcome: 'agree' }), 'FINDINGS_INCOMPLETE')).toContain('第9项');
    const noReason = allConform();
    noReason[2] = { criterion: 3, result: 'needs_correction', reason: ' ' };
    expect(await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: noReason, outcome: 'return', requests: ['补充'] }), 'VALIDATION')).toContain('须写明理由');
    const defect = allConform();
    defect[4] = { criterion: 5, result: 'nonconform', reason: '未告知陈述申辩权利' };
    expect(await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: defect, outcome: 'agree' }), 'AGREE_WITH_DEFECTS')).toContain('第5项');
    await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: defect, outcome: 'return' }), 'VALIDATION');
    await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: defect, outcome: 'disagree' }), 'VALIDATION');
    const dup = allConform();
    dup[8] = { criterion: 1, result: 'conform', reason: '' };
    await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: dup, outcome: 'agree' }), 'FINDINGS_INCOMPLETE');
    expect(await countRows('review_rounds')).toBe(0);
    expect((await caseDetail(f.core, f.reviewer, c.id)).state).toBe('under_review');
  });

  it('a second reviewer taking a case already taken is told who took it, and nothing changes', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const events = await countRows('events');
    expect(await refused(() => takeCase(f.core, f.reviewer2, c.id), 'CONFLICT')).toContain('王审核');
    expect(await refused(() => takeCase(f.core, f.reviewer, c.id), 'CONFLICT')).toContain('您已领取');
    expect(await countRows('events')).toBe(events);
    expect((await caseDetail(f.core, f.reviewer, c.id)).reviewerId).toBe(f.reviewer.id);
  });

  it('only the reviewer who took the case may issue it, and only once', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' }), 'FORBIDDEN');
    await takeCase(f.core, f.reviewer, c.id);
    await refused(() => takeCase(f.core, f.reviewer2, c.id), 'CONFLICT');
    await refused(() => issueReview(f.core, f.reviewer2, { caseId: c.id, findings: allConform(), outcome: 'agree' }), 'FORBIDDEN');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    await refused(() => issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' }), 'BAD_STATE');
  });

  it('autosaves a partial draft and restores it; issuing clears it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await saveDraft(f.core, f.reviewer, { caseId: c.id, findings: [{ criterion: 3, result: 'needs_correction', reason: '缺少检验报告原件' }], opinion: '草稿' });
    const d = (await getDraft(f.core, f.reviewer, c.id))!;
    expect(d.findings[0]).toMatchObject({ criterion: 3, result: 'needs_correction', reason: '缺少检验报告原件' });
    expect(d.opinion).toBe('草稿');
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    await refused(() => getDraft(f.core, f.reviewer2, c.id), 'FORBIDDEN');
  });

  it('return → resubmit → second round, with every round kept', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    findings[2] = { criterion: 3, result: 'needs_correction', reason: '缺少抽样检验报告原件' };
    const returned = await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'return', requests: ['补充抽样检验报告原件'] });
    expect(returned.state).toBe('returned');
    expect((await queue(f.core, f.handler)).items[0]).toMatchObject({ id: c.id, reason: expect.stringContaining('退回') });
    await refused(() => resubmitCase(f.core, f.officer, { caseId: c.id, case: caseInput(f), changeNote: 'x' }), 'FORBIDDEN');
    const again = await resubmitCase(f.core, f.handler, {
      caseId: c.id,
      case: caseInput(f, { evidence: ['现场检查笔录', '抽样检验报告（原件）', '询问笔录'] }),
      changeNote: '已补充抽样检验报告原件',
    });
    expect(again.state).toBe('submitted');
    expect(again.round).toBe(2);
    expect(again.submissions.map((s) => s.round)).toEqual([1, 2]);
    expect(again.submissions[1].changeNote).toBe('已补充抽样检验报告原件');
    await takeCase(f.core, f.reviewer, c.id);
    const done = await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    expect(done.reviews.map((r) => [r.round, r.outcome])).toEqual([[1, 'return'], [2, 'agree']]);
    expect(done.reviews[0].findings[2]).toMatchObject({ result: 'needs_correction', reason: '缺少抽样检验报告原件' });
  });
});

describe('approval', () => {
  async function reviewed(outcome: 'agree' | 'disagree', caseNo = 'R-1') {
    const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
    await takeCase(f.core, f.reviewer, c.id);
    const findings = allConform();
    if (outcome === 'disagree') findings[3] = { criterion: 4, result: 'nonconform', reason: '适用条款错误' };
    return await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome, opinion: outcome === 'disagree' ? '适用依据错误，不同意' : '' });
  }

  it('approves a case reviewed 同意, and shows 承办人/审核人/批准人', async () => {
    const c = await reviewed('agree');
    const a = await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
    expect(a.state).toBe('approved');
    expect(a.headOverride).toBe(false);
    expect(a.responsible).toEqual({ handler: '张承办', reviewer: '王审核', approver: '赵局长' });
    expect(a.timeline.map((t) => t.action)).toEqual(['case.submit', 'case.take', 'review.issue', 'approval.decide']);
    await serveAndCarryOut(f.core, f.handler, c.id);
    expect((await closeCase(f.core, f.handler, c.id)).state).toBe('closed');
  });

  it('a head alone cannot approve against 不同意, even declaring an override; only where the agency turned the setting off', async () => {
    const c = await reviewed('disagree');
    // The bypass: before, a declared override with a reason approved it.
    const msg = await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准', override: { declared: true, reason: '经研究，案情紧急，由本人承担责任' } }), 'DISCUSSION_REQUIRED');
    expect(msg).toContain('集体讨论');
    expect(msg).toContain('第三条');
    expect((await caseDetail(f.core, f.head, c.id)).state).toBe('reviewed');
    expect((await caseDetail(f.core, f.head, c.id)).approvalBar).toContain('集体讨论');
    // Rejecting, in line with the opinion, stays open to the head.
    await updateWorkflowSettings(f.core, f.admin, { rereviewDifferentReviewer: true, quorum: 'half', departOnlyByMeeting: false });
    expect(await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准' }), 'OVERRIDE_REQUIRED')).toContain('不采纳');
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准', override: { declared: true, reason: ' ' } } as never), 'VALIDATION');
    const a = await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '批准', override: { declared: true, reason: '经研究，案情紧急，由本人承担责任' } });
    expect(a.state).toBe('approved');
    expect(a.headOverride).toBe(true);
    expect(a.approvals[0]).toMatchObject({ override: true, overrideReason: '经研究，案情紧急，由本人承担责任', reviewOutcome: 'disagree' });
    expect((await caseDetail(f.core, f.handler, c.id)).headOverride).toBe(true);
  });

  it('refuses approval before review, and a second decision', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' }), 'BAD_STATE');
    const r = await reviewed('agree', 'R-2');
    await refused(() => decide(f.core, f.head, { caseId: r.id, decision: 'approve', opinion: '同意', override: { declared: true, reason: '无' } }), 'VALIDATION');
    await decide(f.core, f.head, { caseId: r.id, decision: 'approve', opinion: '同意' });
    await refused(() => decide(f.core, f.head, { caseId: r.id, decision: 'reject', opinion: '改变主意' }), 'BAD_STATE');
  });

  it('rejecting a case the legal office agreed to is an override too', async () => {
    const c = await reviewed('agree');
    await refused(() => decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '不批准' }), 'OVERRIDE_REQUIRED');
    const r = await decide(f.core, f.head, { caseId: c.id, decision: 'reject', opinion: '不批准', override: { declared: true, reason: '社会影响需进一步评估' } });
    expect(r.state).toBe('rejected');
    expect(r.headOverride).toBe(true);
  });
});

describe('issued records cannot be altered', () => {
  it('the database refuses UPDATE and DELETE on findings, reviews, approvals, submissions and events', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
    for (const sql of [
      "UPDATE findings SET reason = 'x'",
      'DELETE FROM findings',
      "UPDATE review_rounds SET outcome = 'disagree'",
      "UPDATE approvals SET opinion = 'x'",
      'DELETE FROM approvals',
      "UPDATE submissions SET payload_json = '{}'",
      "UPDATE events SET action = 'x'",
      'DELETE FROM events',
    ]) {
      await expect((async () => f.core.db.exec(sql))(), sql).rejects.toThrow(/IMMUTABLE/);
    }
  });
});

describe('queues and search', () => {
  it('each role sees what waits for it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    expect((await queue(f.core, f.head)).items).toHaveLength(0);
    expect((await queue(f.core, f.legalHead)).items.map((i) => i.id)).toEqual([c.id]);
    await takeCase(f.core, f.reviewer, c.id);
    expect((await queue(f.core, f.reviewer)).items[0].reason).toContain('待出具');
    expect((await queue(f.core, f.reviewer2)).items).toHaveLength(0);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
    expect((await queue(f.core, f.head)).items.map((i) => i.id)).toEqual([c.id]);
  });

  it('finds cases by number, party name and any text in facts or findings (Chinese substrings)', async () => {
    const a = await submitCase(f.core, f.handler, caseInput(f));
    const b = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'B-2', title: '某餐饮店案', facts: '经营超过保质期的食品', party: { type: 'organization', name: '某餐饮店', idNumber: caseInput(f).party.idNumber, address: '某路' } }));
    await takeCase(f.core, f.reviewer, b.id);
    const findings = allConform();
    findings[5] = { criterion: 6, result: 'needs_correction', reason: '裁量基准适用偏重' };
    await issueReview(f.core, f.reviewer, { caseId: b.id, findings, outcome: 'return', requests: ['重新适用裁量基准'] });
    const ids = async (q: string) => (await search(f.core, f.reviewer, { query: q })).items.map((i) => i.id);
    expect(await ids('电热水壶')).toEqual([a.id]);
    expect(await ids('餐饮')).toEqual([b.id]); // two characters: LIKE path
    expect(await ids('裁量基准适用')).toEqual([b.id]);
    expect(await ids('B-2')).toEqual([b.id]);
    expect(await ids('不存在的内容')).toEqual([]);
    expect(await ids('%')).toEqual([]);
    expect((await search(f.core, f.reviewer, { query: '', state: 'returned' })).items.map((i) => i.id)).toEqual([b.id]);
  });

  it('a common term past the cap says "more than", pages newest first, and honours the filters', async () => {
    const made = [];
    for (let i = 1; i <= 5; i++) {
      f.clock.now = new Date(Date.UTC(2026, 10, 23, 2, i));
      made.push(await submitCase(f.core, f.handler, caseInput(f, { caseNo: `C-${i}` })));
    }
    const newestFirst = made.map((c) => c.id).reverse();
    for (const query of ['电热水壶', '热水']) {
      // three characters (trigram index) and two (LIKE) take the same capped path
      const r = await searchCases(f.core.db, { query, limit: 2, offset: 0, cap: 3 });
      expect(r).toMatchObject({ total: 3, capped: true });
      expect(r.rows.map((x) => x.id)).toEqual(newestFirst.slice(0, 2));
      const next = await searchCases(f.core.db, { query, limit: 2, offset: 2, cap: 3 });
      expect(next.rows.map((x) => x.id)).toEqual(newestFirst.slice(2, 4));
      const exact = await searchCases(f.core.db, { query, limit: 10, offset: 0, cap: 10 });
      expect(exact).toMatchObject({ total: 5, capped: false });
      expect(exact.rows.map((x) => x.id)).toEqual(newestFirst);
    }
    // A filter is counted for itself: two of the five still submitted, exactly two.
    for (const c of made.slice(0, 3)) await takeCase(f.core, f.reviewer, c.id);
    const submitted = await searchCases(f.core.db, { query: '热水', state: 'submitted', limit: 10, offset: 0, cap: 3 });
    expect(submitted).toMatchObject({ total: 2, capped: false });
    expect(submitted.rows.map((x) => x.id).sort()).toEqual(made.slice(3).map((c) => c.id).sort());
    // An uninvolved handler sees none of them, capped or not.
    expect(await searchCases(f.core.db, { query: '电热水壶', limit: 10, offset: 0, cap: 3, visibleTo: f.officer2.id })).toMatchObject({ total: 0, capped: false, rows: [] });
    expect((await search(f.core, f.reviewer, { query: '电热水壶' })).totalCapped).toBe(false);
  });

  it('counts and pages only the cases a handler may open', async () => {
    await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'V-1' }));
    await submitCase(f.core, f.officer, caseInput(f, { caseNo: 'V-2', officerIds: [f.officer.id, f.officer2.id] }));
    await submitCase(f.core, f.officer2, caseInput(f, { caseNo: 'V-3', officerIds: [f.officer2.id, f.handler.id] }));
    const page1 = await search(f.core, f.handler, { query: '', limit: 1 });
    expect(page1.total).toBe(2);
    const page2 = await search(f.core, f.handler, { query: '', limit: 1, offset: 1 });
    expect([page1.items[0].caseNo, page2.items[0].caseNo].sort()).toEqual(['V-1', 'V-3']);
  });

  it('names the faulty field in Chinese words, not a code path', async () => {
    const bad = caseInput(f);
    bad.party = { ...bad.party, address: '' };
    const msg = await refused(() => submitCase(f.core, f.handler, bad), 'VALIDATION');
    // Named once, in words (it read "当事人地址不能为空（当事人 · 地址）").
    expect(msg).toBe('输入有误：当事人地址不能为空');
    expect(msg).not.toMatch(/party|address/);
    // A message that does not say where gets the path in words.
    const noFacts = caseInput(f);
    noFacts.evidence = [...noFacts.evidence, ''];
    const where = await refused(() => submitCase(f.core, f.handler, noFacts), 'VALIDATION');
    expect(where).toMatch(/（.*第\d+项.*）$/);
    expect(where).not.toMatch(/evidence/);
  });

  it('refuses a NUL character anywhere in the input, the same on both engines, saving nothing', async () => {
    const before = await countRows('cases');
    const bad = caseInput(f, { facts: '经查，当事人\u0000销售不合格产品。' });
    expect(await refused(() => submitCase(f.core, f.handler, bad), 'VALIDATION')).toContain('空字符');
    expect(await countRows('cases')).toBe(before);
  });

  it('hides case contents from users not involved in it', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await refused(() => caseDetail(f.core, f.officer2, c.id), 'FORBIDDEN');
    await refused(() => caseDetail(f.core, f.admin, c.id), 'FORBIDDEN');
    expect((await caseDetail(f.core, f.officer, c.id)).id).toBe(c.id);
    expect((await search(f.core, f.officer2, { query: '电热水壶' })).items).toHaveLength(0);
  });
});
