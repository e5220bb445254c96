// The GB/T 9704 grid read back from the files (issue 15, point 2): 28 characters a line and 22 lines a
// page in the 156 × 225 mm text block, counted with pdftotext -bbox-layout from our PDF and from the PDF
// LibreOffice makes of our DOCX (the independent office suite here, standing in for WPS and Word);
// Chinese line-breaking rules (禁则: no closing punctuation at a line start, no opening one at a line end);
// page numbers on the outer side, one character in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../../main/core/documents/docx';
import { findCjkFonts } from '../../../main/core/documents/fonts';
import { CHAR_PITCH_PT, LINE_PITCH_PT, mmToPt } from '../../../main/core/documents/layout';
import type { DocModel } from '../../../main/core/documents/model';
import { renderPdf } from '../../../main/core/documents/pdf';
import { sampleReviewOpinion } from '../../unit/documents/sample-model';
import { ARTIFACTS, bboxLines, run, type BboxLine } from './tools';

const NO_START = '。，、；：？！）」』】》〉';
const NO_END = '（「『【《〈';
const LEFT = mmToPt(28);
const TOP = mmToPt(37);
const BOTTOM = mmToPt(37 + 225);
const TEXT = '经审查，承办机构报送的案卷材料齐全，证据目录与证据原件一致。本案系因群众举报立案（举报编号：某某），执法人员于二〇二六年十月十二日对当事人经营场所进行现场检查；发现其冷藏柜中存放的三批次预包装食品已超过标注的保质期，且未作出明显标示！执法人员依法对涉案食品予以扣押，并制作了现场笔录和《扣押决定书》。';

/** Sixteen paragraphs, each shifted by one more character, so every punctuation mark meets the line end. */
function longBody(): DocModel {
  const m = sampleReviewOpinion();
  m.blocks = Array.from({ length: 16 }, (_, k) => ({ type: 'paragraph' as const, text: `${'审'.repeat(k)}${TEXT}` }));
  return m;
}

let dir: string;
let pdfLines: BboxLine[];
let pageCount: number;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-grid-'));
  const file = path.join(dir, 'grid.pdf');
  const pdf = await renderPdf(longBody(), findCjkFonts());
  fs.writeFileSync(file, pdf);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'grid.pdf'), pdf);
  pdfLines = await bboxLines(file);
  pageCount = Math.max(...pdfLines.map((l) => l.page));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Body lines only: inside the text block, below the title block of page 1. */
const bodyOf = (lines: BboxLine[]) => lines.filter((l) => l.yMin > TOP - 2 && l.yMin < BOTTOM && (l.page > 1 || l.yMin > TOP + 3 * LINE_PITCH_PT));
const chars = (l: BboxLine) => [...l.text.replace(/\s+/g, '')];
/** A paragraph's first line starts two characters in. */
const isFirst = (l: BboxLine) => l.xMin > LEFT + 1.5 * CHAR_PITCH_PT;

/**
 * `hanging`: LibreOffice lets a closing punctuation mark hang past the line end (行末标点悬挂); it is not
 * counted when it is the one character over.
 */
function checkGrid(lines: BboxLine[], what: string, maxChars: number, hanging = false) {
  const body = bodyOf(lines);
  expect(body.length, what).toBeGreaterThan(40);
  let full = 0;
  let continued = 0;
  for (let i = 0; i < body.length; i++) {
    const l = body[i];
    const limit = isFirst(l) ? maxChars - 2 : maxChars;
    const all = chars(l);
    const c = hanging && all.length === limit + 1 && NO_START.includes(all[limit]) ? all.slice(0, limit) : all;
    const next = body[i + 1];
    const lastOfParagraph = !next || isFirst(next);
    expect(c.length, `${what}：“${l.text}”`).toBeLessThanOrEqual(limit);
    // 禁则
    expect(NO_START.includes(c[0]), `${what}：行首标点“${l.text}”`).toBe(false);
    expect(NO_END.includes(c[c.length - 1]), `${what}：行尾标点“${l.text}”`).toBe(false);
    if (!lastOfParagraph && !isFirst(l)) {
      continued++;
      if (c.length >= 28) full++;
      else {
        // Short by a character or two: a character carried to the next line with the punctuation that
        // may not start it (“某），”), or an opening bracket moved down.
        const n = chars(next!);
        expect(c.length, `${what}：“${l.text}”`).toBeGreaterThanOrEqual(26);
        expect(NO_START.includes(n[1]) || NO_END.includes(n[0]), `${what}：“${l.text}” / “${next!.text}”`).toBe(true);
      }
    }
  }
  expect(full / continued, `${what}：满行比例`).toBeGreaterThan(0.6);
}

function checkPages(lines: BboxLine[], what: string) {
  const pages = Math.max(...lines.map((l) => l.page));
  // Pages after the first (whose title block has blank lines) and before the last (which ends early).
  expect(pages, what).toBeGreaterThanOrEqual(3);
  for (let p = 2; p < pages; p++) {
    const rows = lines.filter((l) => l.page === p && l.yMin > TOP - 2 && l.yMin < BOTTOM).map((l) => l.yMin);
    const ys = [...new Set(rows.map((y) => Math.round(y)))].sort((a, b) => a - b);
    expect(ys.length, `${what}：第${p}页行数`).toBe(22);
    expect(Math.abs((ys[21] - ys[0]) / 21 - LINE_PITCH_PT), `${what}：第${p}页行距`).toBeLessThan(0.1);
  }
}

describe('our PDF', () => {
  it('sets 28 characters a line at a 15.79 pt pitch, 26 after the first-line indent, 22 lines a page', () => {
    checkGrid(pdfLines, 'PDF', 28);
    checkPages(pdfLines, 'PDF');
    // A full line spans the text block: 28 × 15.79 pt = 156 mm, from 28 mm.
    const full = bodyOf(pdfLines).filter((l) => chars(l).length === 28);
    expect(full.length).toBeGreaterThan(20);
    for (const l of full) {
      expect(Math.abs(l.xMin - LEFT), l.text).toBeLessThan(0.5);
      expect(Math.abs(l.xMax - (LEFT + 28 * CHAR_PITCH_PT)), l.text).toBeLessThan(1);
    }
  });

  it('numbers pages on the outer side one character in: odd right, even left', () => {
    expect(pageCount).toBeGreaterThanOrEqual(2);
    const num = (p: number) => pdfLines.find((l) => l.page === p && /^—\d+—$/.test(l.text.replace(/\s+/g, '')))!;
    const right = mmToPt(210 - 26);
    expect(Math.abs(num(1).xMax - (right - 14)), 'odd page: 空一字 from the right edge').toBeLessThan(2);
    expect(Math.abs(num(2).xMin - (LEFT + 14)), 'even page: 空一字 from the left edge').toBeLessThan(2);
  });
});

describe('our DOCX as LibreOffice lays it out', () => {
  it('holds the same grid: 28 characters a line (a hanging full stop allowed), 22 lines a page', async () => {
    const docx = path.join(dir, 'grid-docx.docx');
    fs.writeFileSync(docx, await renderDocx(longBody()));
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-lo-profile-'));
    try {
      const r = run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx]);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
    const out = path.join(dir, 'grid-docx.pdf');
    fs.copyFileSync(out, path.join(ARTIFACTS, 'grid-libreoffice.pdf'));
    const lines = await bboxLines(out);
    checkGrid(lines, 'LibreOffice', 28, true);
    checkPages(lines, 'LibreOffice');
  });
});
