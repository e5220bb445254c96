// A realistic 法制审核意见书 rendered to PDF and DOCX, checked with the tools a reviewer of the output
// would use: poppler (pdftotext, pdfinfo, pdffonts, pdftoppm) for the PDF, the DOCX's own XML for Word.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../../main/core/documents/docx';
import { findCjkFonts, type FontSet } from '../../../main/core/documents/fonts';
import { LINE_PITCH_PT, mmToPt } from '../../../main/core/documents/layout';
import { renderPdf } from '../../../main/core/documents/pdf';
import { NINE_CRITERIA, sampleReviewOpinion, signedReviewOpinion } from '../../unit/documents/sample-model';
import { ARTIFACTS, bboxLines, ok, run, sealPngBase64 } from './tools';

let dir: string;
let fonts: FontSet;
let pdfPath: string;
let pdf: Buffer;
let docx: Buffer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-docs-'));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fonts = findCjkFonts();
  const model = signedReviewOpinion(undefined, sealPngBase64());
  pdf = await renderPdf(model, fonts, { final: true });
  docx = await renderDocx(model, { final: true });
  pdfPath = path.join(dir, 'review-opinion.pdf');
  fs.writeFileSync(pdfPath, pdf);
  // Kept for people to open: the files the tests checked.
  fs.writeFileSync(path.join(ARTIFACTS, 'review-opinion.pdf'), pdf);
  fs.writeFileSync(path.join(ARTIFACTS, 'review-opinion.docx'), docx);
});

afterAll(async () => fs.rmSync(dir, { recursive: true, force: true }));

describe('PDF of a review opinion', () => {
  it('holds the title, number, the nine criteria and the outcome as text', async () => {
    const text = (await ok('pdftotext', ['-layout', pdfPath, '-'])).replace(/[ \t]+/g, '');
    expect(text).toContain('法制审核意见书');
    expect(text).toContain('某监法审〔2026〕12号');
    // -raw keeps content order, so a table cell's wrapped lines stay together.
    const flat = (await ok('pdftotext', ['-raw', pdfPath, '-'])).replace(/\s+/g, '');
    for (const c of NINE_CRITERIA) expect(flat, c).toContain(c.replace(/\s+/g, ''));
    expect(flat).toContain('审核意见：同意');
    expect(flat).toContain('某市市场监督管理局法制科');
    expect(flat).toContain('2026年11月23日');
    expect(flat).toContain('法制审核人员：张三');
    expect(text).toContain('—1—');
    expect(text).toContain('—3—');
  });

  it('is three A4 pages with the document metadata', async () => {
    const info = await ok('pdfinfo', [pdfPath]);
    expect(info).toMatch(/Page size:\s+595\.2\d* x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+3\b/);
    expect(info).toMatch(/Title:\s+法制审核意见书/);
    expect(info).toMatch(/Author:\s+某市市场监督管理局法制科/);
  });

  it('starts the text block 37 mm from the top and 28 mm from the left edge, ends it 26 mm from the right', async () => {
    const lines = await bboxLines(pdfPath);
    const first = lines.find((l) => l.page === 1)!;
    expect(first.text).toBe('法制审核意见书');
    expect(Math.abs(first.yMin - mmToPt(37))).toBeLessThan(mmToPt(2));
    const body = lines.filter((l) => l.page === 1 && l.text.startsWith('限公司'))[0];
    expect(body, 'a full body line on page 1').toBeDefined();
    expect(Math.abs(body.xMin - mmToPt(28))).toBeLessThan(mmToPt(2));
    expect(Math.abs(body.xMax - mmToPt(210 - 26))).toBeLessThan(mmToPt(2));
  });

  it('sets body lines on an exact 28.95 pt pitch, 22 lines per page', async () => {
    const m = sampleReviewOpinion();
    m.blocks = Array.from({ length: 12 }, (_, i) => ({ type: 'paragraph' as const, text: `第${i + 1}段。${'经审查，承办机构报送的案卷材料齐全，证据目录与证据原件一致。'.repeat(3)}` }));
    const file = path.join(dir, 'grid.pdf');
    fs.writeFileSync(file, await renderPdf(m, fonts));
    for (const page of [1, 2]) {
      // The text block only: a draft's 草稿 mark sits in the top margin, above it.
      const lines = (await bboxLines(file)).filter((l) => l.page === page && l.yMin > mmToPt(37) - 2 && l.yMin < mmToPt(37 + 225));
      const steps = lines.slice(1).map((l, i) => l.yMin - lines[i].yMin);
      // Each step is a whole number of 28.95 pt lines (blank lines leave no text), and the page is full.
      for (const s of steps) expect(Math.abs(s / LINE_PITCH_PT - Math.round(s / LINE_PITCH_PT)), `page ${page} step ${s}`).toBeLessThan(0.01);
      expect(Math.abs(lines[0].yMin - mmToPt(37))).toBeLessThan(0.5);
      expect(Math.round((lines[lines.length - 1].yMin - lines[0].yMin) / LINE_PITCH_PT) + 1, `lines on page ${page}`).toBe(22);
    }
  });

  it('a draft says so on every page and in its bytes; the final document does not', async () => {
    const m = sampleReviewOpinion();
    const draft = await renderPdf(m, fonts);
    const final = await renderPdf(m, fonts, { final: true });
    expect(draft.includes('/LrwDraft')).toBe(true);
    expect(final.includes('/LrwDraft')).toBe(false);
    const file = path.join(dir, 'draft-mark.pdf');
    fs.writeFileSync(file, draft);
    const marks = (await bboxLines(file)).filter((l) => l.text.replace(/\s+/g, '').includes('草稿：未经审批签发'));
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((l) => l.yMin < mmToPt(37))).toBe(true);
  });

  it('puts "— N —" below the text block, odd pages right and even pages left', async () => {
    const lines = await bboxLines(pdfPath);
    const num = (p: number) => lines.find((l) => l.page === p && /^—\d+—$/.test(l.text.replace(/\s+/g, '')))!;
    const bottomOfBlock = mmToPt(37 + 225);
    for (const p of [1, 2, 3]) {
      const n = num(p);
      expect(n, `page number on page ${p}`).toBeDefined();
      expect(n.text.replace(/\s+/g, '')).toBe(`—${p}—`);
      expect(n.yMin).toBeGreaterThan(bottomOfBlock + mmToPt(5));
      expect(n.yMin).toBeLessThan(bottomOfBlock + mmToPt(10));
    }
    expect(num(1).xMax).toBeGreaterThan(mmToPt(170));
    expect(num(2).xMin).toBeLessThan(mmToPt(45));
  });

  it('embeds every font as a subset', async () => {
    const out = await ok('pdffonts', [pdfPath]);
    const rows = out.split('\n').slice(2).filter((l) => l.trim());
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      // name type encoding emb sub uni object ID
      expect(row, row).toMatch(/^[A-Z]{6}\+\S+/);
      expect(row, row).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    }
  });

  it('keeps the signature block with the last paragraph on the last page', async () => {
    const text = (await ok('pdftotext', ['-f', '3', '-l', '3', pdfPath, '-'])).replace(/\s+/g, '');
    expect(text).toContain('审核意见：同意');
    expect(text).toContain('某市市场监督管理局法制科');
  });

  it('renders page 1 as an image for people to look at', async () => {
    const out = path.join(ARTIFACTS, 'review-opinion-page1');
    await ok('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, out]);
    const png = fs.readFileSync(`${out}.png`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // 60 dpi A4: about 496 × 702 pixels
    expect(Math.abs(png.readUInt32BE(16) - 496)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.readUInt32BE(20) - 702)).toBeLessThanOrEqual(1);
    await ok('pdftoppm', ['-png', '-r', '60', '-f', '3', '-l', '3', '-singlefile', pdfPath, path.join(ARTIFACTS, 'review-opinion-page3')]);
  });
});

describe('the signature block never stands alone on a page', () => {
  it('for documents of every length around a page break', async () => {
    // Growing the document one paragraph and one short line at a time moves the page break through the
    // end of the text; on every last page there must be body text before the 落款.
    // A long last paragraph (spanning pages) is tried too.
    const lonely: string[] = [];
    const longLast = '综上所述，'.concat('本案事实清楚，证据确凿，适用依据正确，程序合法。'.repeat(30), '审核意见：同意。');
    for (const variant of ['short', 'long'] as const) for (let paragraphs = 0; paragraphs <= 2; paragraphs++) {
      for (let shortLines = 0; shortLines <= 7; shortLines++) {
        const m = sampleReviewOpinion(paragraphs);
        for (let i = 0; i < shortLines; i++) m.blocks.splice(m.blocks.length - 1, 0, { type: 'paragraph', text: `补充说明第${i + 1}条。` });
        if (variant === 'long') m.blocks[m.blocks.length - 1] = { type: 'paragraph', text: longLast };
        const file = path.join(dir, `len-${variant}-${paragraphs}-${shortLines}.pdf`);
        fs.writeFileSync(file, await renderPdf(m, fonts));
        const pages = Number(/Pages:\s+(\d+)/.exec(await ok('pdfinfo', [file]))![1]);
        const last = (await ok('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-'])).replace(/\s+/g, '').replace(/—\d+—/g, '');
        const sig = last.indexOf('某市市场监督管理局法制科');
        expect(sig, `signature on the last page (${variant} ${paragraphs}/${shortLines})`).toBeGreaterThanOrEqual(0);
        if (sig === 0) lonely.push(`${variant} ${paragraphs}/${shortLines}`);
      }
    }
    expect(lonely, 'documents whose last page holds only the signature block').toEqual([]);
  }, 120_000);
});

describe('DOCX of a review opinion', () => {
  const files = () => unzipSync(new Uint8Array(docx));
  const xml = (name: string) => strFromU8(files()[name]);

  it('is a Word package with the document, styles, footers and font table', async () => {
    const names = Object.keys(files());
    for (const n of ['[Content_Types].xml', 'word/document.xml', 'word/styles.xml', 'word/fontTable.xml', 'word/settings.xml']) expect(names).toContain(n);
    expect(names.filter((n) => /^word\/footer\d+\.xml$/.test(n)).length).toBe(2);
    expect(names.some((n) => n.startsWith('word/media/'))).toBe(true); // the seal
  });

  it('sets A4 with GB/T 9704 margins in twips', async () => {
    const doc = xml('word/document.xml');
    expect(doc).toContain('<w:pgSz w:w="11906" w:h="16838"');
    const mar = /<w:pgMar ([^>]*)\/>/.exec(doc)![1];
    expect(mar).toContain('w:top="2098"');
    expect(mar).toContain('w:left="1588"');
    expect(mar).toContain('w:right="1474"');
    expect(mar).toContain('w:bottom="1984"');
    expect(doc).toMatch(/<w:docGrid w:type="lines" w:linePitch="579"\/>/);
  });

  it('uses East Asian fonts: 仿宋_GB2312 body, 方正小标宋简体 title, 黑体 and 楷体 headings', async () => {
    const doc = xml('word/document.xml');
    expect(doc).toMatch(/w:eastAsia="方正小标宋简体"[^>]*\/>[\s\S]*?<w:sz w:val="44"\/>[\s\S]*?法制审核意见书/);
    expect(doc).toMatch(/w:eastAsia="黑体"[\s\S]*?一、基本情况/);
    expect(doc).toMatch(/w:eastAsia="楷体"[\s\S]*?（一）逐项审核情况/);
    expect(doc).toContain('w:eastAsia="仿宋_GB2312"');
    const styles = xml('word/styles.xml');
    expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
    expect(styles).toMatch(/<w:sz w:val="32"\/>/);
    // Substitutes where the agency fonts are not installed.
    const table = xml('word/fontTable.xml');
    expect(table).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    expect(table).toMatch(/<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
  });

  it('sets body paragraphs to exact 28.95 pt line spacing with a two-character first-line indent', async () => {
    const doc = xml('word/document.xml');
    expect(doc).toContain('<w:spacing w:after="0" w:before="0" w:line="579" w:lineRule="exact"/>');
    expect(doc).not.toMatch(/w:lineRule="(auto|atLeast|exactly)"/);
    expect(doc).toMatch(/<w:ind w:firstLine="640" w:firstLineChars="200"\/>|<w:ind w:firstLineChars="200" w:firstLine="640"\/>/);
  });

  it('holds the nine findings in a table with a repeated header row', async () => {
    const doc = xml('word/document.xml');
    expect(doc).toContain('<w:tblHeader/>');
    const tbl = /<w:tbl>[\s\S]*<\/w:tbl>/.exec(doc)![0];
    for (const c of NINE_CRITERIA) expect(tbl).toContain(c);
    expect((tbl.match(/<w:tr>/g) ?? []).length).toBe(10);
  });

  it('numbers pages "— N —" in the footer, right on odd pages and left on even pages', async () => {
    expect(xml('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const footers = Object.keys(files()).filter((n) => /^word\/footer\d+\.xml$/.test(n)).map(xml);
    for (const f of footers) {
      expect(f).toContain('>— </w:t>');
      expect(f).toContain('PAGE');
      expect(f).toContain('> —</w:t>');
      expect(f).toContain('<w:sz w:val="28"/>');
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);
  });

  it('keeps the last paragraph with the right-aligned signature block', async () => {
    const doc = xml('word/document.xml');
    const paras = doc.match(/<w:p>[\s\S]*?<\/w:p>/g)!;
    const idx = paras.findIndex((p) => p.includes('审核意见：同意'));
    expect(paras[idx]).toContain('<w:keepNext/>');
    expect(paras[idx]).toContain('<w:keepLines/>');
    const tail = paras.slice(idx + 1);
    const who = tail.findIndex((p) => p.includes('法制审核人员：张三'));
    const agency = tail.findIndex((p) => p.includes('某市市场监督管理局法制科'));
    const date = tail.findIndex((p) => p.includes('2026年11月23日'));
    expect(who).toBeGreaterThanOrEqual(0);
    expect(agency).toBe(who + 1);
    expect(date).toBe(agency + 1);
    for (const p of tail.slice(0, date + 1)) expect(p).toContain('<w:keepLines/>');
    for (const p of tail.slice(0, date)) expect(p).toContain('<w:keepNext/>');
    for (const i of [who, agency, date]) {
      expect(tail[i]).toContain('<w:jc w:val="right"/>');
      expect(tail[i]).toContain('w:right="640"');
    }
    expect(tail[agency]).toContain('<wp:anchor'); // the seal floats over agency and date
  });
});

describe('documents refuse what they cannot show correctly', () => {
  it('refuses placeholders in a final document but shows them in a draft', async () => {
    const m = sampleReviewOpinion();
    m.blocks.push({ type: 'placeholder', text: '承办人签字' });
    await expect(renderPdf(m, fonts, { final: true })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('【承办人签字】') });
    await expect(renderDocx(m, { final: true })).rejects.toMatchObject({ code: 'VALIDATION' });
    const draft = path.join(dir, 'draft.pdf');
    fs.writeFileSync(draft, await renderPdf(m, fonts));
    expect((await ok('pdftotext', [draft, '-'])).replace(/\s+/g, '')).toContain('【承办人签字】');
  });

  it('refuses a character no installed font has instead of dropping it', async () => {
    const m = sampleReviewOpinion();
    m.blocks.push({ type: 'paragraph', text: '当事人姓名含生僻字：𠀀' });
    await expect(renderPdf(m, fonts)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/「𠀀」\(U\+20000\)/) });
  });

  it('shows the provisional-calendar note when a date came from an unofficial holiday schedule', async () => {
    const m = { ...sampleReviewOpinion(), provisional: true };
    const file = path.join(dir, 'provisional.pdf');
    fs.writeFileSync(file, await renderPdf(m, fonts));
    expect((await ok('pdftotext', [file, '-'])).replace(/\s+/g, '')).toContain('待官方安排公布后确认');
  });
});

describe('in the bundled main process', () => {
  it('renders and signs when bundled with esbuild as scripts/build.mjs bundles the app', async () => {
    // pdfmake, pdfkit and fontkit must not depend on data files next to their sources.
    const cache = path.resolve('node_modules/.cache/lrw-test');
    fs.mkdirSync(cache, { recursive: true });
    const entry = path.join(cache, `documents-entry-${process.pid}.ts`);
    const out = path.join(cache, `documents-${process.pid}.cjs`);
    const root = path.resolve('.');
    fs.writeFileSync(
      entry,
      [
        `import { findCjkFonts } from ${JSON.stringify(path.join(root, 'main/core/documents/fonts'))};`,
        `import { renderPdf } from ${JSON.stringify(path.join(root, 'main/core/documents/pdf'))};`,
        `import { renderDocx } from ${JSON.stringify(path.join(root, 'main/core/documents/docx'))};`,
        `import { verifyPdf } from ${JSON.stringify(path.join(root, 'main/core/documents/verify'))};`,
        `import { sampleReviewOpinion } from ${JSON.stringify(path.join(root, 'test/unit/documents/sample-model'))};`,
        '(async () => {',
        '  const pdf = await renderPdf(sampleReviewOpinion(), findCjkFonts());',
        '  const docx = await renderDocx(sampleReviewOpinion());',
        '  process.stdout.write(JSON.stringify({ pdf: pdf.subarray(0, 5).toString(), docx: docx.length > 1000, signed: verifyPdf(pdf).signed }));',
        '})().catch((e) => { console.error(e); process.exit(1); });',
      ].join('\n'),
    );
    try {
      buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, external: ['electron', 'better-sqlite3', 'keytar'], logLevel: 'error' });
      const r = await run(process.execPath, [out]);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ pdf: '%PDF-', docx: true, signed: false });
    } finally {
      fs.rmSync(entry, { force: true });
      fs.rmSync(out, { force: true });
    }
  }, 60_000);
});
