// Issue 13, point 2: after 办结 the handler assembles the case file (案卷) and hands it to a named
// custodian; the file is frozen (one bookmarked, page-numbered PDF, the record extract, a manifest of
// SHA-256 hashes), received by that custodian only, supplemented but never changed, and an export of it
// is checked against the record (a changed byte is caught).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, custodians, inspector, makeFixture, serveAndCarryOut, type Fixture } from '../helpers/fixture';
import { refused } from '../helpers/refuse';
import { caseDetail, closeCase, submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { decide } from '../../main/core/services/approvals';
import { queue } from '../../main/core/services/queue';
import { addSupplement, archiveCase, caseFileChunk, caseFileExport, compareExport, receiveCaseFile } from '../../main/core/services/caseFiles';
import { verifyChain } from '../../main/core/services/audit';
import { completeCaseClock } from '../../main/core/services/deadlines';
import { inspectableCases, recordInspection, replyInspection } from '../../main/core/services/inspections';
import type { Actor } from '../../main/core/services/core';

let f: Fixture;
let keeper: Actor;
let other: Actor;
beforeEach(async () => {
  f = await makeFixture();
  [keeper, other] = await custodians(f);
});
afterEach(async () => f.close());

async function closed() {
  const c = await submitCase(f.core, f.handler, caseInput(f, { fineAmount: '80000' }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree' });
  await decide(f.core, f.head, { caseId: c.id, decision: 'approve', opinion: '同意' });
  await serveAndCarryOut(f.core, f.handler, c.id);
  await closeCase(f.core, f.handler, c.id);
  return c.id;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What `lrw casefile export` does: every file of the export fetched in chunks into a folder. */
async function exportTo(caseId: number, dir: string, as: Actor = f.handler) {
  const ex = await caseFileExport(f.core, as, caseId);
  for (const file of ex.files) {
    const parts: Buffer[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const c = await caseFileChunk(f.core, as, { caseId, sha256: file.sha256, offset });
      parts.push(Buffer.from(c.base64, 'base64'));
      offset = c.next;
    }
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), Buffer.concat(parts));
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(ex, null, 2));
  return ex;
}
const hashOf = (dir: string) => (p: string) => {
  const file = path.join(dir, p);
  if (!fs.existsSync(file)) return null;
  const b = fs.readFileSync(file);
  return { sha256: sha(b), size: b.length };
};

describe('case file and archive', () => {
  it('archives a closed case into a frozen, page-numbered case file handed to a named custodian', async () => {
    const id = await closed();
    let d = await caseDetail(f.core, f.handler, id);
    expect(d.state).toBe('closed');
    expect(d.caseFile).toEqual({ archived: null, canArchive: true, canReceive: false, canSupplement: false });
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === id)?.reason).toBe('已办结，待组卷归档（30日内）');
    expect(d.clocks.find((c) => c.kind === 'archive')).toMatchObject({ unit: 'natural', state: 'ok' });

    // Refusals first: not the handler, not a custodian, a custodian who left, the handler's own name.
    expect(await refused(() => archiveCase(f.core, f.officer, { caseId: id, custodianId: keeper.id }), 'FORBIDDEN')).toContain('只有本案承办人');
    expect(await refused(() => archiveCase(f.core, f.handler, { caseId: id, custodianId: f.secretary.id }), 'VALIDATION')).toContain('不是在岗的档案管理员');
    expect(await refused(() => archiveCase(f.core, f.handler, { caseId: id }), 'VALIDATION')).toContain('档案管理员');
    expect(await refused(() => archiveCase(f.core, keeper, { caseId: id, custodianId: keeper.id }), 'FORBIDDEN')).toContain('归档');
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM case_files'))).toBe(0);
    // The archive clock is met by 归档 only, not by a bare 登记完成.
    expect(await refused(() => completeCaseClock(f.core, f.handler, { caseId: id, kind: 'archive' }), 'BAD_STATE')).toContain('由“组卷归档”完成');

    d = await archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id });
    expect(d.state).toBe('archived');
    expect(d.clocks.find((c) => c.kind === 'archive')).toMatchObject({ state: 'done' });
    const a = d.caseFile!.archived!;
    expect(a).toMatchObject({ custodian: '郭档案', received: null });
    expect(a.manifest.entries.map((e) => [e.no, e.title, e.kind])).toEqual([
      [1, '第1轮送审材料', 'materials'],
      [2, '法制审核记录', 'reviews'],
      [3, '审批记录', 'approvals'],
      [4, '送达与执行记录', 'enforcement'],
      [5, '全过程记录摘录', 'record'],
    ]);
    // Pages run on from 1 across the entries; the PDF holds cover + index + them.
    const pages = a.manifest.entries.map((e) => e.pages!);
    expect(pages[0].from).toBe(1);
    for (let i = 1; i < pages.length; i++) expect(pages[i].from).toBe(pages[i - 1].to + 1);
    const pdfBytes = fs.readFileSync(f.core.blobs.pathOf(a.manifest.pdf.sha256));
    expect(sha(pdfBytes)).toBe(a.manifest.pdf.sha256);
    // Kept as a test artifact, to look at (pdftoppm).
    fs.mkdirSync('test-artifacts/casefile', { recursive: true });
    fs.writeFileSync(`test-artifacts/casefile/案卷-${f.core.db.engine}.pdf`, pdfBytes);
    const pdf = await PDFDocument.load(pdfBytes);
    expect(pdf.getPageCount()).toBe(a.manifest.pdf.pages + 2);
    expect(pdf.catalog.get(PDFName.of('Outlines'))).toBeDefined();
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdfBytes }).toString();
    for (const s of ['行政执法案卷', '卷内目录', d.caseNo, '郭档案', '第1轮送审材料', '法制审核记录', '送达与执行记录', '全过程记录摘录']) expect(text).toContain(s);
    // The record extract: every event of the case, each with its hash; the chain still verifies.
    const record = JSON.parse(fs.readFileSync(f.core.blobs.pathOf(a.manifest.record.sha256), 'utf8'));
    expect(record.events.map((e: { action: string }) => e.action)).toContain('case.close');
    expect(record.events.length).toBe(d.timeline.length - 1);
    expect((await verifyChain(f.core)).ok).toBe(true);

    // Frozen: archived once; the row cannot be changed; 送达 and 执行 no longer recorded.
    expect(await refused(() => archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id }), 'BAD_STATE')).toContain('已归档');
    await expect(f.core.db.run("UPDATE case_files SET manifest_json = '{}'")).rejects.toThrow(/IMMUTABLE|permission|refuse/i);
  });

  it('refuses to archive a case whose record was edited outside the workstation, and stores nothing', async () => {
    const id = await closed();
    const seq = Number(await f.core.db.value("SELECT MAX(seq) FROM events WHERE case_id = ? AND action = 'case.close'", [id]));
    // The attacker's handle on the store: protecting triggers off, then one event's payload edited in place.
    if (f.core.db.engine === 'sqlite') {
      for (const t of await f.core.db.column<string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")) await f.core.db.exec(`DROP TRIGGER "${t}"`);
    } else await f.core.db.exec('ALTER TABLE events DISABLE TRIGGER ALL');
    await f.core.db.run("UPDATE events SET payload_json = '{\"forged\":true}' WHERE seq = ?", [seq]);
    const blobs = Number(await f.core.db.value('SELECT COUNT(*) FROM blobs'));
    const msg = await refused(() => archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id }), 'BAD_STATE');
    expect(msg).toContain(`第 ${seq} 号事件`);
    expect(msg).toContain('不能组卷归档');
    expect((await caseDetail(f.core, f.handler, id)).state).toBe('closed');
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM case_files'))).toBe(0);
    expect(Number(await f.core.db.value('SELECT COUNT(*) FROM blobs'))).toBe(blobs);
  });

  it('is received by the named custodian only, who may then read the case; others may not', async () => {
    const id = await closed();
    await archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id });
    expect((await queue(f.core, keeper)).items.map((i) => [i.id, i.reason])).toEqual([[id, '案卷已移交，待您接收']]);
    expect((await queue(f.core, other)).items).toEqual([]);
    expect(await refused(() => caseDetail(f.core, other, id), 'FORBIDDEN')).toContain('无权查阅');
    expect(await refused(() => receiveCaseFile(f.core, other, { caseId: id }), 'FORBIDDEN')).toContain('只能由其本人接收');
    expect(await refused(() => receiveCaseFile(f.core, f.handler, { caseId: id }), 'FORBIDDEN')).toContain('接收归档案卷');
    expect((await caseDetail(f.core, keeper, id)).caseFile).toMatchObject({ canReceive: true, canSupplement: true });
    const d = await receiveCaseFile(f.core, keeper, { caseId: id, note: '纸质卷同时接收，存第3柜' });
    expect(d.caseFile!.archived!.received).toMatchObject({ note: '纸质卷同时接收，存第3柜' });
    expect(d.timeline.at(-1)).toMatchObject({ action: 'archive.receive', summary: '档案管理员接收案卷：纸质卷同时接收，存第3柜' });
    expect(await refused(() => receiveCaseFile(f.core, keeper, { caseId: id }), 'BAD_STATE')).toContain('已于');
    expect((await queue(f.core, keeper)).items).toEqual([]);
  });

  it('appends supplements with their own index entries and checks an export against the record', async () => {
    const id = await closed();
    const frozen = (await archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id })).caseFile!.archived!.manifest;
    const note = { caseId: id, kind: 'correction' as const, title: '市司法局纠错通知书', text: '要求补充说明裁量理由。' };
    expect(await refused(() => addSupplement(f.core, f.officer, note), 'FORBIDDEN')).toContain('补充归档由本案承办人');
    expect(await refused(() => addSupplement(f.core, f.legalHead, { ...note, files: [{ sha256: 'a'.repeat(64), name: 'x.pdf' }] }), 'VALIDATION')).toContain('尚未上传');
    await refused(() => addSupplement(f.core, f.legalHead, { ...note, kind: 'rewrite' } as never), 'VALIDATION');
    const d = await addSupplement(f.core, f.legalHead, note);
    const a = d.caseFile!.archived!;
    expect(a.manifest).toEqual(frozen);
    expect(a.supplements).toMatchObject([{ no: frozen.entries.length + 1, kindLabel: '纠错或整改通知', title: '市司法局纠错通知书', by: '周法制' }]);

    const dir = fs.mkdtempSync(path.join(f.dir, 'export-'));
    const ex = await exportTo(id, dir);
    expect(ex.files.map((x) => x.path)).toEqual(['案卷.pdf', '全过程记录.json']);
    expect(compareExport(await caseFileExport(f.core, f.handler, id), JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')), hashOf(dir))).toEqual({ problems: [], notes: [] });

    // One changed byte in the PDF, a removed file, an edited index: each named.
    const pdfPath = path.join(dir, '案卷.pdf');
    const bytes = fs.readFileSync(pdfPath);
    bytes[Math.floor(bytes.length / 2)] ^= 1;
    fs.writeFileSync(pdfPath, bytes);
    let { problems } = compareExport(await caseFileExport(f.core, f.handler, id), JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')), hashOf(dir));
    expect(problems).toEqual([expect.stringContaining('文件“案卷.pdf”与归档时不一致')]);
    fs.rmSync(path.join(dir, '全过程记录.json'));
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    m.manifest.entries[0].title = '第1轮送审材料（修订）';
    ({ problems } = compareExport(await caseFileExport(f.core, f.handler, id), m, hashOf(dir)));
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('缺少文件“全过程记录.json”'), expect.stringContaining('归档清单与记录中归档时冻结的清单不一致')]));

    // Only the case file's own files can be fetched, and only by who may read the case.
    expect(await refused(() => caseFileChunk(f.core, f.handler, { caseId: id, sha256: 'b'.repeat(64) }), 'NOT_FOUND')).toContain('不属于本案卷');
    expect(await refused(() => caseFileExport(f.core, other, id), 'FORBIDDEN')).toContain('无权查阅');
    expect((await verifyChain(f.core)).ok).toBe(true);
    // A stored file gone from the disk is a clear refusal naming it, not a file-system error.
    fs.rmSync(f.core.blobs.pathOf(ex.manifest.pdf.sha256));
    expect(await refused(() => caseFileChunk(f.core, f.handler, { caseId: id, sha256: ex.manifest.pdf.sha256 }), 'BAD_STATE')).toContain(`（SHA-256 ${ex.manifest.pdf.sha256}）在文件存储中缺失`);
  });

  it('an inspector evaluates archived case files read-only; the requests are answered once by the handling side', async () => {
    const id = await closed();
    const ins = await inspector(f);
    const open = await submitCase(f.core, f.handler, caseInput(f, { caseNo: 'OPEN-1' }));
    // Before 归档: nothing to evaluate, and the inspector reads no case that is not archived.
    expect(await refused(() => recordInspection(f.core, ins, { caseId: id, result: 'pass', findings: '合格' }), 'BAD_STATE')).toContain('尚未归档');
    expect(await refused(() => caseDetail(f.core, ins, open.id), 'FORBIDDEN')).toContain('无权查阅');
    await archiveCase(f.core, f.handler, { caseId: id, custodianId: keeper.id });
    expect((await inspectableCases(f.core, ins)).map((c) => [c.id, c.inspections])).toEqual([[id, 0]]);
    expect(await refused(() => inspectableCases(f.core, f.handler), 'FORBIDDEN')).toContain('案卷评查');
    expect((await caseDetail(f.core, ins, id)).inspections).toEqual({ canRecord: true, items: [] });
    expect(await refused(() => recordInspection(f.core, f.legalHead, { caseId: id, result: 'pass', findings: '合格' }), 'FORBIDDEN')).toContain('案卷评查');
    expect(await refused(() => recordInspection(f.core, ins, { caseId: id, result: 'fail', findings: '裁量理由不充分' }), 'VALIDATION')).toContain('须提出整改要求');
    await refused(() => recordInspection(f.core, ins, { caseId: id, result: 'perfect', findings: 'x' } as never), 'VALIDATION');

    let d = await recordInspection(f.core, ins, { caseId: id, result: 'pass', findings: '案卷基本规范。', requests: ['补充裁量说明'] });
    expect(d.inspections!.items).toMatchObject([{ inspector: '冯评查', resultLabel: '合格', requests: ['补充裁量说明'], reply: null, canReply: false }]);
    expect(d.caseFile!.archived!.supplements.at(-1)).toMatchObject({ kind: 'inspection', title: '案卷评查意见（合格）' });
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === id)?.reason).toBe('案卷评查提出整改要求，待答复');
    expect((await queue(f.core, f.legalHead)).items.find((i) => i.id === id)?.reason).toBe('案卷评查提出整改要求，待答复');
    const inspectionId = d.inspections!.items[0].id;
    expect(await refused(() => replyInspection(f.core, f.officer, { inspectionId, text: '已整改' }), 'FORBIDDEN')).toContain('承办人或法制机构负责人');
    expect(await refused(() => replyInspection(f.core, ins, { inspectionId, text: '已整改' }), 'FORBIDDEN')).toContain('答复案卷评查意见');
    expect((await caseDetail(f.core, f.handler, id)).inspections!.items[0].canReply).toBe(true);
    d = await replyInspection(f.core, f.handler, { inspectionId, text: '已补充裁量说明，附于补充归档材料。' });
    expect(d.inspections!.items[0].reply).toMatchObject({ by: '张承办', text: '已补充裁量说明，附于补充归档材料。' });
    expect(d.caseFile!.archived!.supplements.map((x) => x.title)).toEqual(['案卷评查意见（合格）', '对案卷评查意见的整改答复']);
    expect(await refused(() => replyInspection(f.core, f.legalHead, { inspectionId, text: '再次' }), 'BAD_STATE')).toContain('已经答复');
    expect((await queue(f.core, f.handler)).items.find((i) => i.id === id)).toBeUndefined();
    // Without requests there is nothing to answer.
    d = await recordInspection(f.core, ins, { caseId: id, result: 'excellent', findings: '整改后规范。' });
    expect(await refused(() => replyInspection(f.core, f.handler, { inspectionId: d.inspections!.items[1].id, text: 'x' }), 'BAD_STATE')).toContain('无需答复');
    await expect(f.core.db.run("UPDATE inspections SET result = 'excellent'")).rejects.toThrow(/IMMUTABLE|permission|refuse/i);
    expect((await verifyChain(f.core)).ok).toBe(true);
  });
});
