// Layout profiles per template (issue 15, point 2): every template renders in the GB/T 9704 profile until
// an administrator chooses another; the enforcement-document profile centres the page numbers, in the
// draft and in what is issued (PDF read back with pdftotext, DOCX footers). Only an administrator
// chooses; an unknown template or profile and a stale version are refused and change nothing; the
// choice is in the chain. Both engines.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allConform, caseInput, makeFixture, type Fixture } from '../helpers/fixture';
import { dispatch } from '../../main/core/api';
import { submitCase } from '../../main/core/services/cases';
import { issueReview, takeCase } from '../../main/core/services/reviews';
import { finalizeDocument, listTemplates, previewDocument, saveDocument } from '../../main/core/services/documents';
import { createTrialIdentityFor, downloadIssued, issueDocument } from '../../main/core/services/issue';
import { setTemplateLayout } from '../../main/core/services/documentLayout';
import { verifyChain } from '../../main/core/services/audit';
import { mmToPt } from '../../main/core/documents/layout';
import { bboxLines } from './documents/tools';
import { refusedAsync } from '../helpers/refuse';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

const T = 'review-opinion';

async function reviewedCase(): Promise<number> {
  const c = await submitCase(f.core, f.handler, caseInput(f, { facts: '经查，当事人于2026年8月销售不合格电热水壶共计320台。'.repeat(12) }));
  await takeCase(f.core, f.reviewer, c.id);
  await issueReview(f.core, f.reviewer, { caseId: c.id, findings: allConform(), outcome: 'agree', opinion: '经审核，事实清楚，证据确凿，适用依据正确，程序合法，同意。'.repeat(8) });
  return c.id;
}

/** Where page 1's and page 2's numbers sit: 'right', 'left' or 'center' of the text block. */
async function pageNumberSides(pdf: Buffer, name: string): Promise<string[]> {
  const file = path.join(f.dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const lines = await bboxLines(file);
  const pages = Math.max(...lines.map((l) => l.page));
  expect(pages, 'the document has two pages at least').toBeGreaterThanOrEqual(2);
  const left = mmToPt(28);
  const right = mmToPt(210 - 26);
  return [1, 2].map((p) => {
    const n = lines.find((l) => l.page === p && /^—\d+—$/.test(l.text.replace(/\s+/g, '')))!;
    const mid = (n.xMin + n.xMax) / 2;
    if (Math.abs(mid - (left + right) / 2) < 10) return 'center';
    return mid > (left + right) / 2 ? 'right' : 'left';
  });
}

const draftPdf = async (caseId: number) => {
  const r = await dispatch(f.core, { userId: f.reviewer.id }, 'documents.render', { caseId, templateId: T, format: 'pdf' });
  if (!r.ok) throw new Error(r.error.message);
  return Buffer.from((r.value as { base64: string }).base64, 'base64');
};

describe('layout profiles', () => {
  it('GB/T 9704 by default (outer side), the enforcement profile once chosen (centred), in the draft and in what is issued', async () => {
    const caseId = await reviewedCase();
    expect((await listTemplates(f.core, f.admin)).every((t) => t.layout === 'gbt9704')).toBe(true);
    expect(await pageNumberSides(await draftPdf(caseId), 'default')).toEqual(['right', 'left']);

    const version = (await listTemplates(f.core, f.admin))[0].layoutVersion;
    const saved = await setTemplateLayout(f.core, f.admin, { templateId: T, layout: 'enforcement', expectedVersion: version });
    expect(saved.layout).toBe('enforcement');
    expect((await listTemplates(f.core, f.admin)).find((t) => t.id === T)!.layout).toBe('enforcement');
    expect((await listTemplates(f.core, f.admin)).filter((t) => t.id !== T).every((t) => t.layout === 'gbt9704')).toBe(true);
    expect(await pageNumberSides(await draftPdf(caseId), 'enforcement-draft')).toEqual(['center', 'center']);

    const p = await previewDocument(f.core, f.reviewer, { caseId, templateId: T });
    await saveDocument(f.core, f.reviewer, { caseId, templateId: T, model: p.model });
    await finalizeDocument(f.core, f.reviewer, { caseId, templateId: T });
    await createTrialIdentityFor(f.core, f.reviewer);
    const files = await issueDocument(f.core, f.reviewer, { caseId, templateId: T });
    const pdf = files.find((x) => x.name.endsWith('.pdf'))!;
    const docx = files.find((x) => x.name.endsWith('.docx'))!;
    expect(await pageNumberSides(Buffer.from((await downloadIssued(f.core, f.reviewer, pdf.id)).base64, 'base64'), 'issued')).toEqual(['center', 'center']);
    const zip = unzipSync(Buffer.from((await downloadIssued(f.core, f.reviewer, docx.id)).base64, 'base64'));
    const footers = Object.keys(zip).filter((k) => /^word\/footer\d*\.xml$/.test(k)).map((k) => strFromU8(zip[k]));
    expect(footers.length).toBeGreaterThan(0);
    for (const x of footers) expect(x).toContain('<w:jc w:val="center"/>');

    const chain = await verifyChain(f.core);
    expect(chain.ok).toBe(true);
    const events = await f.core.db.all<{ action: string; payload_json: string }>("SELECT action, payload_json FROM events WHERE action = 'settings.documentLayout'");
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].payload_json)).toEqual({ templateId: T, layout: 'enforcement' });
  });

  it('only an administrator chooses; an unknown template or profile and a stale version are refused and change nothing', async () => {
    const version = (await listTemplates(f.core, f.admin))[0].layoutVersion;
    await refusedAsync(setTemplateLayout(f.core, f.reviewer, { templateId: T, layout: 'enforcement', expectedVersion: version }), 'FORBIDDEN');
    await refusedAsync(setTemplateLayout(f.core, f.admin, { templateId: 'no-such-template', layout: 'enforcement', expectedVersion: version }), 'NOT_FOUND');
    const bad = await dispatch(f.core, { userId: f.admin.id }, 'templates.setLayout', { templateId: T, layout: 'a4-free', expectedVersion: version });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await setTemplateLayout(f.core, f.admin, { templateId: T, layout: 'enforcement', expectedVersion: version });
    // A second desk that read the choices before: refused, the first choice stands.
    await refusedAsync(setTemplateLayout(f.core, f.admin, { templateId: T, layout: 'gbt9704', expectedVersion: version }), 'STALE');
    expect((await listTemplates(f.core, f.admin)).find((t) => t.id === T)!.layout).toBe('enforcement');
    expect(Number(await f.core.db.value("SELECT COUNT(*) FROM events WHERE action = 'settings.documentLayout'"))).toBe(1);
  });
});
