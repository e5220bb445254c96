import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/domain/errors';
import { DEFAULT_FONT_CANDIDATES, defaultFontDirs, describeFontSet, findCjkFonts, ROLE_STYLES, type FontCandidate } from '../../../main/core/documents/fonts';
import { renderPdf } from '../../../main/core/documents/pdf';
import { readFontFaces } from '../../../main/core/documents/sfnt';
import { sampleReviewOpinion } from './sample-model';

const NOTO = '/usr/share/fonts/opentype/noto';
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lrw-nofonts-'));
afterAll(async () => fs.rmSync(empty, { recursive: true, force: true }));

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('did not throw');
}

describe('finding Chinese fonts', () => {
  it('finds Noto CJK on this Debian machine and gives every role a font', async () => {
    const set = findCjkFonts();
    const d = describeFontSet(set);
    expect(d.body).toMatch(/Noto Serif CJK SC/);
    expect(d.title).toMatch(/Noto Serif CJK SC Bold/);
    expect(d.heading1).toMatch(/Noto Sans CJK SC/);
    expect(set.roles.body.face.collection).toBe(true);
    expect(set.roles.body.face.postscriptName).toBe('NotoSerifCJKsc-Regular');
    // No 仿宋 or 楷体 in Noto: those roles say they took a substitute.
    expect(set.substitutes).toEqual(expect.arrayContaining([{ role: 'body', wanted: 'fangsong', used: 'song' }]));
  });

  it('follows the order the administrator gives', async () => {
    const candidates: FontCandidate[] = [
      { file: 'NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular', style: 'fangsong' },
      { file: path.join(NOTO, 'NotoSerifCJK-Regular.ttc'), face: 'NotoSerifCJKsc-Regular', style: 'fangsong' },
    ];
    const set = findCjkFonts({ dirs: [NOTO], candidates });
    expect(set.roles.body.face.postscriptName).toBe('NotoSansCJKsc-Regular');
    const reversed = findCjkFonts({ dirs: [NOTO], candidates: [...candidates].reverse() });
    expect(reversed.roles.body.face.postscriptName).toBe('NotoSerifCJKsc-Regular');
    // Every role falls back to what exists.
    for (const role of Object.keys(ROLE_STYLES) as (keyof typeof ROLE_STYLES)[]) expect(reversed.roles[role]).toBeDefined();
  });

  it('skips faces that are missing from a collection and files that are not fonts', async () => {
    fs.writeFileSync(path.join(empty, 'simfang.ttf'), 'not a font');
    const set = findCjkFonts({
      dirs: [empty, NOTO],
      candidates: [
        { file: 'simfang.ttf', style: 'fangsong' },
        { file: 'NotoSerifCJK-Regular.ttc', face: 'NoSuchFace', style: 'fangsong' },
        { file: 'NotoSansCJK-Regular.ttc', style: 'hei' }, // no face named: the Simplified Chinese one
      ],
    });
    expect(set.all.map((f) => f.face.postscriptName)).toEqual(['NotoSansCJKsc-Regular']);
    fs.rmSync(path.join(empty, 'simfang.ttf'));
  });

  it('tells an administrator exactly what to install when there is no Chinese font', async () => {
    const linux = thrown(() => findCjkFonts({ dirs: [empty], platform: 'linux' }));
    expect(linux).toBeInstanceOf(AppError);
    expect(linux.code).toBe('VALIDATION');
    expect(linux.message).toContain('未找到中文字体');
    expect(linux.message).toContain('fonts-noto-cjk');
    expect(linux.message).toContain('仿宋');
    expect(linux.details).toEqual({ searched: [empty] });
    expect(thrown(() => findCjkFonts({ dirs: [empty], platform: 'win32' })).message).toContain('simfang.ttf');
    expect(thrown(() => findCjkFonts({ dirs: [empty], platform: 'darwin' })).message).toContain('Songti SC');
    // Fonts without Chinese glyphs do not count.
    expect(thrown(() => findCjkFonts({ dirs: ['/usr/share/fonts/truetype/dejavu'], candidates: [{ file: 'DejaVuSans.ttf', style: 'song' }] })).code).toBe('VALIDATION');
  });

  it('knows where each platform keeps its fonts', async () => {
    expect(defaultFontDirs('win32', { WINDIR: 'C:\\Windows', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u')).toEqual([
      'C:\\Windows\\Fonts',
      'C:\\Users\\u\\AppData\\Local\\Microsoft\\Windows\\Fonts',
    ]);
    expect(defaultFontDirs('darwin', {}, '/Users/u')).toContain('/System/Library/Fonts/Supplemental');
    expect(defaultFontDirs('linux', {}, '/home/u')).toEqual(['/usr/share/fonts', '/usr/local/share/fonts', '/home/u/.local/share/fonts', '/home/u/.fonts']);
    expect(DEFAULT_FONT_CANDIDATES.map((c) => c.file)).toEqual(expect.arrayContaining(['simfang.ttf', 'simsun.ttc', 'simhei.ttf', 'simkai.ttf', 'Songti.ttc', 'NotoSerifCJK-Regular.ttc', 'uming.ttc', 'ukai.ttc']));
  });

  it('reads names, metrics and character coverage from font files', async () => {
    const faces = readFontFaces(path.join(NOTO, 'NotoSerifCJK-Regular.ttc'));
    expect(faces.map((f) => f.postscriptName)).toContain('NotoSerifCJKsc-Regular');
    const sc = faces.find((f) => f.postscriptName === 'NotoSerifCJKsc-Regular')!;
    expect(sc.unitsPerEm).toBe(1000);
    expect(sc.ascent).toBeGreaterThan(800);
    expect(sc.descent).toBeLessThan(0);
    for (const ch of '法制审核〔〕—1a，。') expect(sc.hasCodePoint(ch.codePointAt(0)!), ch).toBe(true);
    expect(sc.hasCodePoint(0x20000)).toBe(false);
    await expect((async () => readFontFaces(__filename))()).rejects.toThrow();
  });
});

describe('rendering with fonts', () => {
  it('draws a character the role font lacks with another installed font', async () => {
    const set = findCjkFonts();
    const body = set.roles.body;
    // A body font without 审: the character must come from another font, not vanish.
    const lacking = { ...body, face: { ...body.face, hasCodePoint: (cp: number) => cp !== 0x5ba1 && body.face.hasCodePoint(cp) } };
    const sans = set.roles.heading1;
    const roles = { body: lacking, title: lacking, heading1: lacking, heading2: lacking, pageNumber: lacking };
    const pdf = await renderPdf(sampleReviewOpinion(), { roles, all: [lacking, sans], substitutes: [] });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Only the fallback can have brought the sans font in.
    expect(pdf.includes(Buffer.from('NotoSansCJKsc-Regular'))).toBe(true);
    const plain = { ...sampleReviewOpinion(), title: '行政处罚决定书', docNumber: '某监罚〔2026〕12号', blocks: [{ type: 'paragraph' as const, text: '同意。' }] };
    const without = await renderPdf(plain, { roles, all: [lacking, sans], substitutes: [] });
    expect(without.includes(Buffer.from('NotoSansCJKsc-Regular'))).toBe(false);
  });
});
