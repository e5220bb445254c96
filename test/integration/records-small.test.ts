// Issue 10, points 9 and 11: the drafting record of outward decisions and expert opinions
// (《行政执法全过程记录实施办法》第十六、十八条), and the smaller holes — documents.verify naming the case only
// to those who may read it, the upload size cap and abandoned uploads, and the minutes' 记录人.
// Each bypass is reproduced first: every `refused` below passed through before the fix.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, PASSWORD, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { fullDraft } from '../unit/templates/fixture';
import { caseDetail, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { finalizeDocument, previewDocument, saveDocument } from '../../main/core/services/documents';
import { addExpertOpinion } from '../../main/core/services/experts';
import { createTrialIdentityFor, downloadIssued, issueDocument, verifyBytes } from '../../main/core/services/issue';
import { abortUpload, beginUpload, finishUpload, updateUploadSettings, uploadChunk, uploadSettings } from '../../main/core/services/uploads';
import { escalate, requestRereview } from '../../main/core/services/dissent';
import { confirmAgenda, createMeeting, lockMeeting, meetingView, saveRecord, decideItem } from '../../main/core/services/meetings';
import { createUser } from '../../main/core/services/users';
import { authenticate } from '../../main/core/services/auth';
import { verifyChain } from '../../main/core/services/audit';
import { closeCore, openCore, type Actor } from '../../main/core/services/core';
import { dispatch } from '../../main/core/api';
import { checkDraftingRecord } from '../../main/core/documents/completeness';
import { buildTemplateData, meetingTemplateData, type DecisionDraft } from '../../main/core/documents/fields';
import type { DocModel } from '../../main/core/documents/model';
import type { Role } from '../../main/core/domain/types';
import { MemorySecretStore } from '../../main/core/secrets';
import { AGENCY, NOW, fullCase } from '../unit/templates/fixture';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => f.close());

const textOf = (m: DocModel): string =>
  [m.title, m.docNumber ?? '', m.recipient ?? '', ...m.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : [b.text])), m.signature.agency, m.signature.date].join('\n');

/** submit → take → 同意 → the head approves: a penalty decision may now be drafted and finalised. */
async function approvedCase(caseNo = 'REC-1') {
  const c = await submitCase(f.core, f.handler, caseInput(f, { caseNo }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，同意。' });
  await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
  return c;
}

const RECORD = {
  drafter: '张承办',
  draftReviewer: '刘科长',
  factors: '当事人系初次违法，主动停止销售并召回涉案产品；涉案产品流向消费者，存在安全隐患；按本机关行政处罚裁量基准第三档处理。',
} satisfies DecisionDraft;

/** fullDraft without its drafting record. */
function draftWithoutRecord(): DecisionDraft {
  const { drafter: _a, draftReviewer: _b, factors: _c, ...rest } = fullDraft;
  return rest;
}

async function savePenalty(caseId: number, draft: DecisionDraft, note = '稿') {
  const p = await previewDocument(f.core, f.handler, { caseId, templateId: 'penalty-decision', draft: { ...draft } });
  await saveDocument(f.core, f.handler, { caseId, templateId: 'penalty-decision', model: p.model, draft: { ...draft }, note });
  return p;
}

describe('the drafting record of an outward decision (全过程记录办法第十六条)', () => {
  it('a penalty decision without 起草人 / 起草机构审查人 / 应考虑的有关因素 is refused at 定稿, and the preview names them', async () => {
    const c = await approvedCase();
    const p = await savePenalty(c.id, draftWithoutRecord(), '无起草记录');
    // Everything the penalty decision itself needs is there: only the drafting record is missing.
    expect(p.placeholders.filter((x) => x.where !== 'docNumber')).toEqual([]);
    expect(p.missing.map((m) => m.part)).toEqual(['drafter', 'draft_reviewer', 'factors']);
    const msg = await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' }), 'VALIDATION');
    expect(msg).toContain('第十六条');
    for (const part of ['起草人', '起草机构审查人', '应考虑的有关因素']) expect(msg).toContain(part);
    // Refused whole: no number consumed, no final version, no event.
    expect(await f.core.db.value("SELECT COUNT(*) FROM document_versions WHERE final = 1")).toBe(0);
    expect(await f.core.db.value("SELECT COUNT(*) FROM events WHERE action = 'document.finalize'")).toBe(0);
    expect(await f.core.db.value('SELECT doc_number FROM documents WHERE case_id = ?', [c.id])).toBeNull();

    // The drafter may not review their own draft.
    await savePenalty(c.id, { ...draftWithoutRecord(), ...RECORD, draftReviewer: '  张承办 ' }, '自审');
    expect(await refused(() => finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' }), 'VALIDATION')).toContain('起草机构审查人不能是起草人本人');

    const full = await savePenalty(c.id, { ...draftWithoutRecord(), ...RECORD }, '补全起草记录');
    expect(full.missing).toEqual([]);
    const fin = await finalizeDocument(f.core, f.handler, { caseId: c.id, templateId: 'penalty-decision' });
    expect(fin.final).toBe(true);
    expect(fin.docNumber).toBe('某市监罚〔2026〕1号');
    expect(fin.draft).toMatchObject(RECORD);
  });

  it('basis and evidence are part of the record: with neither the drafter’s nor the submission’s, the check names them', () => {
    const detail = fullCase();
    detail.submissions.at(-1)!.legalBasis = [];
    detail.submissions.at(-1)!.evidence = [];
    const data = buildTemplateData(detail, AGENCY, { now: NOW, draft: { ...RECORD, penaltyBasis: ' ', evidence: ['  '] } });
    expect(checkDraftingRecord(data).map((m) => m.part)).toEqual(['basis', 'evidence']);
    const withOwn = buildTemplateData(detail, AGENCY, { now: NOW, draft: { ...RECORD, penaltyBasis: '《中华人民共和国产品质量法》第四十九条', evidence: ['抽样检验报告'] } });
    expect(checkDraftingRecord(withOwn)).toEqual([]);
  });

  it('the approval form prints the decision’s drafting record', async () => {
    const c = await approvedCase();
    const before = textOf((await previewDocument(f.core, f.head, { caseId: c.id, templateId: 'approval-form' })).model);
    expect(before).toContain('决定文书尚未起草');
    await savePenalty(c.id, { ...fullDraft, ...RECORD, penaltyBasis: '《中华人民共和国产品质量法》第四十九条', evidence: ['现场检查笔录', '抽样检验报告'] });
    const form = await previewDocument(f.core, f.head, { caseId: c.id, templateId: 'approval-form' });
    const text = textOf(form.model);
    expect(text).toContain('行政处罚决定书（第1版');
    expect(text).toContain('起草人|张承办'.split('|')[1]);
    for (const s of ['起草人', '张承办', '起草机构审查人', '刘科长', '决定形成的法律依据', '《中华人民共和国产品质量法》第四十九条', '证据材料', '现场检查笔录、抽样检验报告', '应考虑的有关因素', '按本机关行政处罚裁量基准第三档处理']) {
      expect(text).toContain(s);
    }
    const rows = form.model.blocks.flatMap((b) => (b.type === 'table' ? b.rows : []));
    expect(rows).toContainEqual(['起草人', '张承办']);
    expect(rows).toContainEqual(['起草机构审查人', '刘科长']);
    expect(rows).toContainEqual(['应考虑的有关因素', RECORD.factors]);
  });
});

async function uploadAs(actor: Actor, name: string, data: Buffer) {
  const { uploadId } = await beginUpload(f.core, actor, name, data.length);
  await uploadChunk(f.core, actor, uploadId, data.toString('base64'));
  return await finishUpload(f.core, actor, uploadId);
}

describe('expert opinions (全过程记录办法第十八条)', () => {
  it('only the reviewer assigned to the round attaches one, while the review is in progress; it is in the case and the review opinion', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    const input = { caseId: c.id, experts: ['李教授', '陈研究员'], heldOn: '2026-11-20', opinion: '涉案产品的检验方法符合国家标准，检验结论可以采信。' };
    // Before anyone took the case, nobody may attach an opinion to its review.
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer, input), 'FORBIDDEN')).toContain('尚未被领取');
    await takeCase(f.core, f.reviewer, c.id);
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer2, input), 'FORBIDDEN')).toContain('王审核');
    expect(await refused(() => addExpertOpinion(f.core, f.handler, input), 'FORBIDDEN')).toBeTruthy();
    expect(await refused(() => addExpertOpinion(f.core, f.head, input), 'FORBIDDEN')).toBeTruthy();
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer, { ...input, heldOn: '2026-11-24' }), 'VALIDATION')).toContain('晚于今天');
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer, { ...input, experts: [] }), 'VALIDATION')).toContain('专家');
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer, { ...input, file: { sha256: 'a'.repeat(64), name: '纪要.pdf' } }), 'VALIDATION')).toContain('尚未上传');
    expect(await f.core.db.value('SELECT COUNT(*) FROM expert_opinions')).toBe(0);

    // The reviewer uploads the experts' written opinion and attaches it.
    const file = await uploadAs(f.reviewer, '专家论证会议纪要.pdf', Buffer.from('%PDF-1.4 专家论证会议纪要'));
    const added = await addExpertOpinion(f.core, f.reviewer, { ...input, file: { sha256: file.sha256, name: file.name } });
    expect(added).toMatchObject({ round: 1, reviewKind: 'review', experts: ['李教授', '陈研究员'], heldOn: '2026-11-20', addedBy: '王审核', file: { sha256: file.sha256, name: '专家论证会议纪要.pdf' } });

    const detail = await caseDetail(f.core, f.handler, c.id);
    expect(detail.expertOpinions).toHaveLength(1);
    expect(detail.expertOpinions![0].opinion).toBe(input.opinion);
    expect(detail.timeline.find((t) => t.action === 'expert.add')).toMatchObject({ actor: expect.stringContaining('王审核'), label: '登记专家论证意见' });
    expect(detail.timeline.find((t) => t.action === 'expert.add')!.summary).toContain('李教授、陈研究员');
    expect((await caseDetail(f.core, f.reviewer, c.id)).allowed).toContain('expert.add');
    expect((await caseDetail(f.core, f.reviewer2, c.id)).allowed).not.toContain('expert.add');

    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，同意。' });
    // After the opinion is issued, nothing more is attached to it.
    expect(await refused(() => addExpertOpinion(f.core, f.reviewer, input), 'BAD_STATE')).toContain('出具审核意见之前');

    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    expect(p.placeholders).toEqual([]);
    const text = textOf(p.model);
    expect(text).toContain('专家论证情况');
    expect(text).toContain('2026年11月20日，专家李教授、陈研究员论证认为：涉案产品的检验方法符合国家标准，检验结论可以采信。');
    expect(text).toContain(file.sha256);

    // Append-only, and in the chain.
    await expect((async () => f.core.db.exec("UPDATE expert_opinions SET opinion = 'x'"))()).rejects.toThrow(/IMMUTABLE|permission|refuse/i);
    await expect((async () => f.core.db.exec('DELETE FROM expert_opinions'))()).rejects.toThrow(/IMMUTABLE|permission|refuse/i);
    expect((await verifyChain(f.core)).ok).toBe(true);
  });

  it('through the bridge: experts.add for the assigned reviewer, refused for another', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    const input = { caseId: c.id, experts: ['李教授'], heldOn: '2026-11-22', opinion: '同意法制机构的初步意见。' };
    expect(await dispatch(f.core, { userId: f.reviewer2.id }, 'experts.add', input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await dispatch(f.core, { userId: f.reviewer.id }, 'experts.add', input)).toMatchObject({ ok: true, value: { experts: ['李教授'] } });
    const got = await dispatch(f.core, { userId: f.handler.id }, 'cases.get', { caseId: c.id });
    expect(got).toMatchObject({ ok: true, value: { expertOpinions: [{ experts: ['李教授'], opinion: '同意法制机构的初步意见。' }] } });
  });
});

describe('documents.verify names the case only to those who may read it', () => {
  it('an uninvolved handler learns that the file was issued here, but not the case number or file name', async () => {
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，同意。' });
    const p = await previewDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    await saveDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion', model: p.model });
    await finalizeDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    await createTrialIdentityFor(f.core, f.reviewer);
    const files = await issueDocument(f.core, f.reviewer, { caseId: c.id, templateId: 'review-opinion' });
    const pdf = Buffer.from((await downloadIssued(f.core, f.reviewer, files[0].id)).base64, 'base64');

    // officer2 is a handler on no round of this case: may not read it.
    await refused(() => caseDetail(f.core, f.officer2, c.id), 'FORBIDDEN');
    const hidden = await dispatch(f.core, { userId: f.officer2.id }, 'documents.verify', { name: 'x.pdf', base64: pdf.toString('base64') });
    expect(hidden).toMatchObject({ ok: true, value: { signed: true, intact: true, issuedHere: { caseShown: false, caseNo: null, name: null } } });
    expect(JSON.stringify(hidden)).not.toContain(c.caseNo);
    expect(JSON.stringify(hidden)).not.toContain(files[0].name);
    // No viewer at all (lrw verify without --as): not named either.
    expect((await verifyBytes(f.core, pdf)).issuedHere).toMatchObject({ caseShown: false, caseNo: null });

    for (const who of [f.reviewer, f.handler]) {
      const shown = await dispatch(f.core, { userId: who.id }, 'documents.verify', { name: 'x.pdf', base64: pdf.toString('base64') });
      expect(shown).toMatchObject({ ok: true, value: { issuedHere: { caseShown: true, caseNo: c.caseNo, name: files[0].name } } });
    }
  });
});

describe('uploads: a size cap and abandoned uploads', () => {
  it('refuses a file over the cap (default 2 GiB, an agency setting) and changes nothing', async () => {
    expect(await uploadSettings(f.core)).toEqual({ maxUploadBytes: 2 * 1024 ** 3, abandonAfterHours: 24 });
    const tmpDir = path.join(f.core.blobs.root, 'tmp');
    const before = fs.readdirSync(tmpDir).length;
    expect(await refused(() => beginUpload(f.core, f.handler, '整盘录像.mp4', 2 * 1024 ** 3 + 1), 'VALIDATION')).toContain('超过本机关规定的单个文件上传上限2 GiB');
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM uploads'))).toBe(0);
    expect(fs.readdirSync(tmpDir).length).toBe(before);
    await beginUpload(f.core, f.handler, '恰好上限.mp4', 2 * 1024 ** 3);

    const sysAdmin: Actor = { ...f.admin, roles: [...new Set<Role>([...f.admin.roles, 'sys_admin'])] };
    await refused(() => updateUploadSettings(f.core, f.handler, { maxUploadBytes: 10 * 1024 ** 2 }), 'FORBIDDEN');
    await refused(() => updateUploadSettings(f.core, sysAdmin, { maxUploadBytes: 1000 }), 'VALIDATION');
    expect(await updateUploadSettings(f.core, sysAdmin, { maxUploadBytes: 10 * 1024 ** 2 })).toMatchObject({ maxUploadBytes: 10 * 1024 ** 2 });
    expect(await refused(() => beginUpload(f.core, f.reviewer, '专家意见.pdf', 10 * 1024 ** 2 + 1), 'VALIDATION')).toContain('10 MiB');
    await beginUpload(f.core, f.reviewer, '专家意见.pdf', 10 * 1024 ** 2);
    expect(await f.core.db.value("SELECT COUNT(*) FROM events WHERE action = 'settings.uploads'")).toBe(1);
  });

  it('removes an upload begun and not finished after 24 hours, with its temp file, on the next begin', async () => {
    const start = f.clock.now;
    const a = await beginUpload(f.core, f.handler, 'a.pdf', 10);
    await uploadChunk(f.core, f.handler, a.uploadId, Buffer.from('abc').toString('base64'));
    const inFlight = async (id: string) => Number(await f.core.db.value('SELECT COUNT(*) FROM uploads WHERE id = ?', [id])) === 1;
    const tmpA = path.join(f.core.blobs.root, 'tmp', (await f.core.db.value<string>('SELECT tmp_name FROM uploads WHERE id = ?', [a.uploadId]))!);
    expect(fs.existsSync(tmpA)).toBe(true);

    f.clock.now = new Date(start.getTime() + 24 * 3600_000 - 60_000);
    const b = await beginUpload(f.core, f.handler, 'b.pdf', 4);
    expect(await inFlight(a.uploadId)).toBe(true);

    f.clock.now = new Date(start.getTime() + 24 * 3600_000 + 1000);
    await beginUpload(f.core, f.handler, 'c.pdf', 4);
    expect(await inFlight(a.uploadId)).toBe(false);
    expect(fs.existsSync(tmpA)).toBe(false);
    expect(await inFlight(b.uploadId)).toBe(true);
    expect(await refused(() => uploadChunk(f.core, f.handler, a.uploadId, 'AAAA'), 'NOT_FOUND')).toContain('上传任务不存在');
    // A chunk keeps an upload alive: b is used and finishes a day after it began.
    await uploadChunk(f.core, f.handler, b.uploadId, Buffer.from('abcd').toString('base64'));
    f.clock.now = new Date(start.getTime() + 47 * 3600_000);
    expect((await finishUpload(f.core, f.handler, b.uploadId)).size).toBe(4);
    await abortUpload(f.core, 'none');
  });

  it('removes temp files of uploads abandoned by an earlier process when the core opens', async () => {
    const tmpDir = path.join(f.core.blobs.root, 'tmp');
    const old = path.join(tmpDir, 'abandoned');
    const recent = path.join(tmpDir, 'in-flight');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(recent, 'y');
    const t = f.clock.now.getTime();
    fs.utimesSync(old, new Date(t - 25 * 3600_000), new Date(t - 25 * 3600_000));
    fs.utimesSync(recent, new Date(t - 3600_000), new Date(t - 3600_000));
    const again = await openCore({ dbPath: f.dbPath, filesDir: f.core.blobs.root, now: () => f.clock.now, secrets: new MemorySecretStore() });
    try {
      expect(fs.existsSync(old)).toBe(false);
      expect(fs.existsSync(recent)).toBe(true);
    } finally {
      await closeCore(again);
    }
  });
});

describe('the minutes’ 记录人 is the secretary who recorded them', () => {
  it('not the chair who locked them', async () => {
    await createUser(f.core, f.admin, { username: 'secretary2', displayName: '郑秘书', password: PASSWORD, roles: ['secretary'] });
    const secretary2 = await authenticate(f.core, { username: 'secretary2', password: PASSWORD });
    const findings = allConform();
    findings[3] = { criterion: 4, result: 'nonconform', reason: '应适用第五十条' };
    const c = await submitCase(f.core, f.handler, caseInput(f));
    await takeCase(f.core, f.reviewer, c.id);
    await issueReview(f.core, f.reviewer, { caseId: c.id, findings, outcome: 'disagree', opinion: '不同意' });
    await requestRereview(f.core, f.handler, { caseId: c.id, reasons: '第四十九条适用于本案' });
    await takeCase(f.core, f.reviewer2, c.id);
    // The first reviewer is no longer assigned: the re-reviewer attaches the re-review's expert opinion.
    await refused(() => addExpertOpinion(f.core, f.reviewer, { caseId: c.id, experts: ['甲'], heldOn: '2026-11-22', opinion: '意见' }), 'FORBIDDEN');
    expect(await addExpertOpinion(f.core, f.reviewer2, { caseId: c.id, experts: ['周教授'], heldOn: '2026-11-22', opinion: '第五十条更符合本案情形' })).toMatchObject({ round: 1, reviewKind: 'rereview' });
    await issueReview(f.core, f.reviewer2, { caseId: c.id, findings, outcome: 'disagree', opinion: '复审维持' });
    const rereviewText = textOf((await previewDocument(f.core, f.reviewer2, { caseId: c.id, templateId: 'rereview-opinion' })).model);
    expect(rereviewText).toContain('复审中组织了专家论证');
    expect(rereviewText).toContain('专家周教授论证认为：第五十条更符合本案情形。');
    await escalate(f.core, f.handler, { caseId: c.id, reasons: '仍坚持原意见' });
    const m = await createMeeting(f.core, f.secretary, { title: '2026年第12次局长办公会议', scheduledAt: '2026-11-25T09:00:00+08:00', place: '第一会议室', chairId: f.head.id, attendeeIds: [f.head.id], caseIds: [c.id] });
    expect(m.recordedBy).toBe('吴秘书');
    await confirmAgenda(f.core, f.head, { meetingId: m.id });
    const saved = await saveRecord(f.core, secretary2, { meetingId: m.id, attendance: [{ userId: f.head.id, present: true }], items: [{ caseId: c.id, stances: [{ userId: f.head.id, stance: 'disagree', reason: '依据不当' }] }] });
    expect(saved.recordedBy).toBe('郑秘书');
    await decideItem(f.core, secretary2, { meetingId: m.id, caseId: c.id, decision: 'reject', decisionText: '不同意作出处罚决定' });
    const locked = await lockMeeting(f.core, f.head, m.id);
    expect(locked).toMatchObject({ locked: true, lockedBy: '赵局长', recordedBy: '郑秘书' });
    expect((await meetingView(f.core, f.head, m.id)).recordedBy).toBe('郑秘书');
    expect(meetingTemplateData(locked, locked.items[0]).recorder).toBe('郑秘书');

    const minutes = await previewDocument(f.core, f.secretary, { caseId: c.id, templateId: 'discussion-minutes', meetingId: m.id });
    const text = textOf(minutes.model);
    // Named once (issue 15): in the minutes' table, not again in a line at the end.
    expect(text.match(/记录人/g)).toHaveLength(1);
    expect(text).not.toContain('赵局长记录');
    const rows = minutes.model.blocks.flatMap((b) => (b.type === 'table' ? b.rows : []));
    expect(rows).toContainEqual(['记录人', '郑秘书']);
  });
});
