import { describe, expect, it } from 'vitest';
import {
  CHAR_PITCH_PT,
  DOC_NUMBER_PATTERN,
  DOCX_CHARACTER_SPACING_TWIPS,
  DOCX_MARGINS_TWIPS,
  LINE_PITCH_PT,
  LINE_PITCH_TWIPS,
  LINES_PER_PAGE,
  MARGINS_MM,
  PAGE,
  TEXT_BLOCK_MM,
  formatChineseDate,
  formatDocNumber,
  mmToPt,
  mmToTwips,
  pageNumberAlignment,
  pageNumberText,
} from '../../../main/core/documents/layout';

describe('GB/T 9704-2012 page layout', () => {
  it('is A4 with a 156 × 225 mm text block at 37 mm from the top and 28 mm from the left', async () => {
    expect(PAGE).toEqual({ widthMm: 210, heightMm: 297 });
    expect(MARGINS_MM).toEqual({ top: 37, left: 28, right: 26, bottom: 35 });
    expect(MARGINS_MM.left + TEXT_BLOCK_MM.width + MARGINS_MM.right).toBe(210);
    expect(MARGINS_MM.top + TEXT_BLOCK_MM.height + MARGINS_MM.bottom).toBe(297);
    expect(mmToPt(210)).toBeCloseTo(595.28, 2);
    expect(mmToPt(297)).toBeCloseTo(841.89, 2);
  });

  it('fits 22 lines at the 28.95 pt exact pitch into the text block, and 28 characters per line', async () => {
    expect(LINE_PITCH_PT).toBe(28.95);
    expect(LINE_PITCH_TWIPS).toBe(579);
    expect(LINES_PER_PAGE * LINE_PITCH_PT).toBeLessThanOrEqual(mmToPt(TEXT_BLOCK_MM.height));
    expect((LINES_PER_PAGE + 1) * LINE_PITCH_PT).toBeGreaterThan(mmToPt(TEXT_BLOCK_MM.height));
    expect(CHAR_PITCH_PT * 28).toBeCloseTo(mmToPt(156), 6);
    // 16 pt glyphs 0.25 pt closer: 28 of them fit the 156 mm line, 29 do not.
    const pitch = 16 + DOCX_CHARACTER_SPACING_TWIPS / 20;
    expect(28 * pitch).toBeLessThanOrEqual(CHAR_PITCH_PT * 28);
    expect(29 * pitch).toBeGreaterThan(CHAR_PITCH_PT * 28);
  });

  it('gives the margins in twips as Word stores them for 3.7/2.8/2.6/3.5 cm', async () => {
    expect(mmToTwips(37)).toBe(2098);
    expect(DOCX_MARGINS_TWIPS).toEqual({ top: 2098, left: 1588, right: 1474, bottom: 1984 });
    expect(mmToTwips(210)).toBe(11906);
    expect(mmToTwips(297)).toBe(16838);
  });

  it('numbers pages "— N —", odd pages right and even pages left unless centred', async () => {
    expect(pageNumberText(1)).toBe('— 1 —');
    expect(pageNumberText(12)).toBe('— 12 —');
    expect(pageNumberAlignment(1, 'outside')).toBe('right');
    expect(pageNumberAlignment(2, 'outside')).toBe('left');
    expect(pageNumberAlignment(2, 'center')).toBe('center');
  });

  it('writes document numbers with 六角括号 and no leading zeros', async () => {
    expect(formatDocNumber('某监罚', 2026, 12)).toBe('某监罚〔2026〕12号');
    expect(DOC_NUMBER_PATTERN.test('某监罚〔2026〕12号')).toBe(true);
    expect(DOC_NUMBER_PATTERN.test('薛政办发〔2017〕74号')).toBe(true);
    for (const bad of ['某监罚(2026)12号', '某监罚[2026]12号', '某监罚〔2026〕012号', '某监罚〔2026〕第12号', '〔2026〕12号']) {
      expect(DOC_NUMBER_PATTERN.test(bad), bad).toBe(false);
    }
    await expect((async () => formatDocNumber('某监罚', 2026, 0))()).rejects.toThrow(RangeError);
    await expect((async () => formatDocNumber(' ', 2026, 1))()).rejects.toThrow(RangeError);
  });

  it('writes dates as 2026年11月23日', async () => {
    expect(formatChineseDate(new Date(2026, 10, 23))).toBe('2026年11月23日');
    expect(formatChineseDate(new Date(2027, 0, 5))).toBe('2027年1月5日');
    // China time whatever the machine's zone: 01:00 in Beijing is still the previous day in UTC
    expect(formatChineseDate(new Date('2026-11-22T17:00:00Z'))).toBe('2026年11月23日');
  });
});
