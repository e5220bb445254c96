import { cstDate, formatChineseDate as formatCnDate } from '../domain/calendar/cst';
// Page layout of official documents, GB/T 9704-2012《党政机关公文格式》. Both renderers (docx.ts, pdf.ts)
// take every measure from here, so the DOCX and the PDF of a document look alike.
//
//   A4 210 × 297 mm; 版心 (text block) 156 × 225 mm; 天头 (top margin) 37 mm; 订口 (left, binding) 28 mm,
//   hence right 26 mm and bottom 35 mm. Body 3号仿宋 (16 pt), 22 lines × 28 characters per page.
//   Title 2号小标宋 (22 pt); 一、 headings 黑体, （一） headings 楷体 (both 3号).
//   Page number: 4号 (14 pt) half-width 宋体 digits between two 一字线 "— 1 —", 7 mm below the text block;
//   odd pages right-aligned and even pages left-aligned, one character in from the text block edge (7.5).

/** Millimetres per PDF point (1 pt = 1/72 inch). */
export const MM_PER_PT = 25.4 / 72;
export const mmToPt = (mm: number): number => mm / MM_PER_PT;
/** Word measures in twentieths of a point ("twips"): 1 mm = 56.69 twips. */
export const mmToTwips = (mm: number): number => Math.round((mm / MM_PER_PT) * 20);
export const ptToTwips = (pt: number): number => Math.round(pt * 20);

export const PAGE = {
  widthMm: 210,
  heightMm: 297,
} as const;

export const MARGINS_MM = {
  top: 37,
  left: 28,
  right: 210 - 28 - 156, // 26
  bottom: 297 - 37 - 225, // 35
} as const;

export const TEXT_BLOCK_MM = { width: 156, height: 225 } as const;

/**
 * The same margins as Word writes them (w:pgMar, twips) when 3.7/2.8/2.6/3.5 cm are typed into its page
 * setup, as in the GB/T 9704 templates agencies use; 28 mm is 1587.4 twips, Word stores 1588.
 */
export const DOCX_MARGINS_TWIPS = { top: 2098, left: 1588, right: 1474, bottom: 1984 } as const;

/** 号 → points (Chinese type sizes). */
export const TYPE_SIZE_PT = {
  '2号': 22,
  '3号': 16,
  '4号': 14,
} as const;

export const BODY_FONT_PT = TYPE_SIZE_PT['3号'];
export const TITLE_FONT_PT = TYPE_SIZE_PT['2号'];
export const PAGE_NUMBER_FONT_PT = TYPE_SIZE_PT['4号'];
/** Tables hold long reasons in narrow columns; 4号 keeps the nine findings readable. */
export const TABLE_FONT_PT = TYPE_SIZE_PT['4号'];

export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;

/**
 * Exact line pitch. 225 mm / 22 lines = 28.99 pt; Chinese official templates set Word's 固定值 28.95 磅
 * (579 twips) because 580 twips × 22 overflows the text block by 0.2 pt and Word would then push the
 * 22nd line to the next page. The PDF uses the same pitch so both files break lines and pages alike.
 */
export const LINE_PITCH_PT = 28.95;
export const LINE_PITCH_TWIPS = ptToTwips(LINE_PITCH_PT); // 579

/** Character pitch that fits 28 characters in 156 mm (15.79 pt; 3号 glyphs are 16 pt wide). */
export const CHAR_PITCH_PT = mmToPt(TEXT_BLOCK_MM.width) / CHARS_PER_LINE;

/**
 * The DOCX sets 3号 text 0.25 pt closer (w:spacing −5 twips: 15.75 pt a character, 28 in 156 mm; justified
 * lines take up the rest) and a line grid only (w:docGrid w:type="lines"). Word's character grid
 * ("linesAndChars" with w:charSpace) held in Word alone: LibreOffice, which converts the same file,
 * laid that grid out at 18–20 characters a line; spacing on the runs holds in both.
 */
export const DOCX_CHARACTER_SPACING_TWIPS = -5;

/** 首行缩进二字 */
export const FIRST_LINE_INDENT_CHARS = 2;
export const FIRST_LINE_INDENT_PT = FIRST_LINE_INDENT_CHARS * BODY_FONT_PT;

/** The page number's 一字线 sits 7 mm below the bottom edge of the text block. */
export const PAGE_NUMBER_GAP_MM = 7;

/** How page numbers are placed: GB/T 9704 alternates sides ("outside"); some agencies centre them. */
export type PageNumberPosition = 'outside' | 'center';
export const DEFAULT_PAGE_NUMBER_POSITION: PageNumberPosition = 'outside';

/** "— 1 —": 一字线 (U+2014) either side of the half-width number. */
export const pageNumberText = (n: number): string => `— ${n} —`;

/** Alignment of the page number on page n (1-based). */
export function pageNumberAlignment(n: number, position: PageNumberPosition): 'left' | 'right' | 'center' {
  if (position === 'center') return 'center';
  return n % 2 === 1 ? 'right' : 'left';
}

/** Inset of the page number from the text block edge: one 4号 character (空一字). */
export const PAGE_NUMBER_INSET_PT = PAGE_NUMBER_FONT_PT;

/** 落款 (agency, date) is set right-aligned with two characters of space on the right (右空二字). */
export const SIGNATURE_RIGHT_INDENT_CHARS = 2;

/** Seal (公章) drawn over the agency name and date: 42 mm is the common diameter of an agency seal. */
export const SEAL_DIAMETER_MM = 42;

/**
 * Document number (发文字号): 机关代字 + 〔年份〕 + 序号 + 号, e.g. 某监罚〔2026〕12号. Years go in
 * 六角括号 〔〕, never in （） or []; serial numbers have no leading zeros and no 第.
 */
export function formatDocNumber(agencyCode: string, year: number, serial: number): string {
  if (!agencyCode.trim()) throw new RangeError('agencyCode is empty');
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`bad year ${year}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`bad serial ${serial}`);
  return `${agencyCode.trim()}〔${year}〕${serial}号`;
}

/** Accepts 某监罚〔2026〕12号; rejects (2026), [2026], 〔2026〕012号 and 第12号. */
export const DOC_NUMBER_PATTERN = /^[^〔〕\s]+〔\d{4}〕[1-9]\d*号$/u;

/** Date as users expect on documents: 2026年11月23日 (Arabic numerals, no leading zeros), in China time. */
export function formatChineseDate(d: Date): string {
  return formatCnDate(cstDate(d));
}
