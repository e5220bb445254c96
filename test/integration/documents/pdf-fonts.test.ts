// Fonts parsed once, Han text measured without shaping, subsets from cached flattened glyphs (issue 15,
// point 1: main/core/documents/pdfFonts.ts, cffSubset.ts). What a user relies on: the faster PDF is the
// same PDF — every page drawn pixel for pixel as pdfkit on its own draws it, the text the same, the fonts
// embedded as subsets — and the shortcut never changes a glyph or an advance fontkit's shaping would give.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCjkFonts, type FontSet } from '../../../main/core/documents/fonts';
import { renderPdf } from '../../../main/core/documents/pdf';
import { setPdfFontCache, simpleRun, type KitFont } from '../../../main/core/documents/pdfFonts';
import { flattenCharstring } from '../../../main/core/documents/cffSubset';
import { NINE_CRITERIA, sampleReviewOpinion, signedReviewOpinion } from '../../unit/documents/sample-model';
import { ok } from './tools';

let dir: string;
let fonts: FontSet;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-pdf-fonts-'));
  fonts = findCjkFonts();
});
afterAll(() => {
  setPdfFontCache(true);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every page as PNG bytes at 110 dpi (poppler). */
async function pages(pdf: Buffer, name: string): Promise<Buffer[]> {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  await ok('pdftoppm', ['-r', '110', '-png', file, path.join(dir, name)]);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f)));
}

describe('the cached path draws the same document', () => {
  it('every page pixel for pixel as pdfkit alone, the same text, fonts embedded as subsets, and a smaller file', async () => {
    const models = [signedReviewOpinion(), sampleReviewOpinion(6)];
    for (const [n, model] of models.entries()) {
      setPdfFontCache(false);
      const plain = await renderPdf(model, fonts);
      setPdfFontCache(true);
      await renderPdf(model, fonts); // the first render parses; the second uses what was kept
      const cached = await renderPdf(model, fonts);
      const a = await pages(plain, `plain${n}`);
      const b = await pages(cached, `cached${n}`);
      expect(b.length).toBe(a.length);
      expect(a.length).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < a.length; i++) expect(b[i].equals(a[i]), `第${i + 1}页`).toBe(true);
      const text = (f: string) => ok('pdftotext', ['-layout', path.join(dir, `${f}.pdf`), '-']);
      expect(await text(`cached${n}`)).toBe(await text(`plain${n}`));
      const fontsOf = await ok('pdffonts', [path.join(dir, `cached${n}.pdf`)]);
      const rows = fontsOf.split('\n').slice(2).filter(Boolean);
      expect(rows.length).toBeGreaterThan(0);
      // Each face a subset (ABCDEF+Name), embedded, with a ToUnicode map (search and copy work).
      for (const r of rows) expect(r).toMatch(/^[A-Z]{6}\+\S+\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
      expect(cached.length).toBeLessThan(plain.length);
    }
  });

  it('a document with a character from a fallback face and Latin text is drawn the same', async () => {
    const model = sampleReviewOpinion();
    model.blocks.push({ type: 'paragraph', text: 'ABC abc 123，（二）「引号」——《书名》…… ①②③ ㈠ ﹝括号﹞ Ⅻ ½ °C' } as (typeof model.blocks)[number]);
    setPdfFontCache(false);
    const plain = await renderPdf(model, fonts);
    setPdfFontCache(true);
    await renderPdf(model, fonts);
    const cached = await renderPdf(model, fonts);
    const a = await pages(plain, 'mixed-plain');
    const b = await pages(cached, 'mixed-cached');
    for (let i = 0; i < a.length; i++) expect(b[i].equals(a[i]), `第${i + 1}页`).toBe(true);
  });
});

describe('Han text measured without shaping', () => {
  // fontkit from pdfmake's own dependencies: the engine pdfkit shapes with.
  const fontkit = createRequire(require.resolve('pdfmake'))('fontkit') as { create(b: Buffer, name?: string): KitFont };
  const corpus = [
    ...NINE_CRITERIA,
    '经审核，该案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟作出的处罚决定。',
    '当事人在其网站发布含有“国家级”“最高级”等用语的广告，宣传其产品疗效；经查无任何依据！',
    '一二三四五六七八九十百千万亿　，。、；：？！（）【】《》〈〉「」『』〔〕',
    // every 37th ideograph of the basic block, in lines of 40
    ...Array.from({ length: 15 }, (_, k) => String.fromCodePoint(...Array.from({ length: 40 }, (_, i) => 0x4e00 + (k * 40 + i) * 37).filter((c) => c <= 0x9fff))),
    String.fromCodePoint(...Array.from({ length: 94 }, (_, i) => 0xff01 + i)),
  ];

  it('gives the glyphs and advances of fontkit shaping, on every installed face', () => {
    const faces = new Map(fonts.all.map((f) => [`${f.file}|${f.face.postscriptName}`, f]));
    let compared = 0;
    for (const f of faces.values()) {
      const font = fontkit.create(fs.readFileSync(f.file), f.face.collection ? f.face.postscriptName : undefined);
      for (const text of corpus) {
        const fast = simpleRun(font, text);
        if (!fast) continue; // a character the face lacks: shaped as before
        const shaped = font.layout(text);
        expect(fast.glyphs.map((g) => g.id)).toEqual(shaped.glyphs.map((g) => g.id));
        expect(fast.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset])).toEqual(shaped.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]));
        expect(fast.advanceWidth).toBe(shaped.advanceWidth);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('leaves Latin letters, digits and mixed text to the shaping engine (kerning, ligatures)', () => {
    const f = fonts.roles.body;
    const font = fontkit.create(fs.readFileSync(f.file), f.face.collection ? f.face.postscriptName : undefined);
    for (const t of ['AV', 'office', '2026年', '第12条', 'ＡＢ ab']) expect(simpleRun(font, t)).toBeNull();
    expect(simpleRun(font, '事实清楚')).not.toBeNull();
  });
});

describe('a charstring flattened', () => {
  // Type 2 numbers: v in -107..107 is one byte v + 139.
  const num = (v: number) => v + 139;
  it('inlines local and global subroutines (bias 107), keeps hint masks whole, and ends with endchar', () => {
    // Font bytes: [glyph][local subr 0][global subr 1]
    const glyph = [num(10), num(20), 1 /* hstem */, num(5), num(6), num(-107 + 0) /* lsubr index -107 → 0 */, 10 /* callsubr */, 19 /* hintmask */, 0b11000000, num(1), num(-106) /* gsubr 1 */, 29 /* callgsubr */, 14];
    const lsubr = [3 /* vstem with the two operands before the call */, 11];
    const gsubr0 = [num(99), 11];
    const gsubr1 = [num(30), 21 /* rmoveto */, 11];
    const bytes = Uint8Array.from([...glyph, ...lsubr, ...gsubr0, ...gsubr1]);
    const at = (o: number, l: number) => ({ offset: o, length: l });
    const g = at(0, glyph.length);
    const l = [at(glyph.length, lsubr.length)];
    const gs = [at(glyph.length + lsubr.length, gsubr0.length), at(glyph.length + lsubr.length + gsubr0.length, gsubr1.length)];
    const out = [...flattenCharstring(bytes, g, gs, l)];
    // Two stems (hstem 10 20, vstem 5 6): the hint mask is one byte and is copied as is.
    expect(out).toEqual([num(10), num(20), 1, num(5), num(6), 3, 19, 0b11000000, num(1), num(30), 21, 14]);
  });

  it('stops at an endchar inside a subroutine and refuses a missing one', () => {
    const glyph = [num(-107), 10, num(7), 21];
    const lsubr = [num(1), num(2), 21, 14];
    const bytes = Uint8Array.from([...glyph, ...lsubr]);
    const out = [...flattenCharstring(bytes, { offset: 0, length: glyph.length }, [], [{ offset: glyph.length, length: lsubr.length }])];
    expect(out).toEqual([num(1), num(2), 21, 14]);
    expect(() => flattenCharstring(Uint8Array.from([num(5), 10, 14]), { offset: 0, length: 3 }, [], [])).toThrow(/missing subroutine/);
  });
});
