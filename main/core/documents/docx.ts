// DOCX rendering of a DocModel with the `docx` package, in GB/T 9704 layout: A4 with 37/28/26/35 mm
// margins, East Asian fonts (仿宋_GB2312 body, 方正小标宋简体 title, 黑体 and 楷体 headings), exact 28.95 pt
// line spacing on a 22 × 28 document grid, two-character first-line indents, "— N —" page numbers and a
// right-aligned signature block kept on the page of the text before it.
import {
  AlignmentType,
  Document,
  DocumentGridType,
  Footer,
  HorizontalPositionRelativeFrom,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  TextWrappingType,
  VerticalAlignTable,
  VerticalPositionRelativeFrom,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
} from 'docx';
import { checkModel, cleanText, columnWidths, placeholderText, pngSize, PROVISIONAL_NOTE, sealPng, signatureLines, textEm, type RenderOptions } from './common';
import {
  BODY_FONT_PT,
  DEFAULT_PAGE_NUMBER_POSITION,
  DOCX_CHARACTER_SPACING_TWIPS,
  DOCX_MARGINS_TWIPS,
  FIRST_LINE_INDENT_CHARS,
  LINE_PITCH_PT,
  LINE_PITCH_TWIPS,
  MARGINS_MM,
  PAGE,
  PAGE_NUMBER_FONT_PT,
  PAGE_NUMBER_GAP_MM,
  PAGE_NUMBER_INSET_PT,
  SEAL_DIAMETER_MM,
  SIGNATURE_RIGHT_INDENT_CHARS,
  TABLE_FONT_PT,
  TEXT_BLOCK_MM,
  TITLE_FONT_PT,
  MM_PER_PT,
  mmToPt,
  mmToTwips,
  pageNumberText,
  ptToTwips,
} from './layout';
import type { Block, DocModel } from './model';

/** Font names written into the DOCX (w:rFonts w:eastAsia); Word substitutes via the font table's altName. */
export interface DocxFontNames {
  body: string;
  title: string;
  heading1: string;
  heading2: string;
  pageNumber: string;
  /** Latin letters and digits in body text (w:ascii / w:hAnsi). */
  latin: string;
}

export const DEFAULT_DOCX_FONTS: Readonly<DocxFontNames> = {
  body: '仿宋_GB2312',
  title: '方正小标宋简体',
  heading1: '黑体',
  heading2: '楷体',
  pageNumber: '宋体',
  latin: 'Times New Roman',
};

/**
 * Substitutes named in word/fontTable.xml (w:altName): a machine without 仿宋_GB2312 shows 仿宋 (every
 * Windows since Vista has it), without 方正小标宋简体 shows 宋体, and so on.
 */
const ALT_NAMES: Readonly<Record<string, string>> = {
  仿宋_GB2312: '仿宋',
  方正小标宋简体: '宋体',
  方正小标宋_GBK: '宋体',
  楷体_GB2312: '楷体',
  黑体: 'SimHei',
  楷体: 'KaiTi',
  仿宋: 'FangSong',
  宋体: 'SimSun',
};

export interface DocxOptions extends RenderOptions {
  fonts?: Partial<DocxFontNames>;
}

const TABLE_LINE_TWIPS = ptToTwips(20);
const TABLE_CELL_MARGIN_TWIPS = 80;
const PT_TO_EMU = 12700;
const PT_TO_PX = 96 / 72;

export async function renderDocx(model: DocModel, options: DocxOptions = {}): Promise<Buffer> {
  checkModel(model, options);
  const fonts: DocxFontNames = { ...DEFAULT_DOCX_FONTS, ...options.fonts };
  const r = new Runs(fonts);
  const textWidthTwips = mmToTwips(PAGE.widthMm) - DOCX_MARGINS_TWIPS.left - DOCX_MARGINS_TWIPS.right; // 156 mm

  const exact = (twips = LINE_PITCH_TWIPS) => ({ line: twips, lineRule: LineRuleType.EXACT, before: 0, after: 0 });
  const indent2 = { firstLineChars: FIRST_LINE_INDENT_CHARS * 100, firstLine: ptToTwips(FIRST_LINE_INDENT_CHARS * BODY_FONT_PT) };
  const para = (opts: IParagraphOptions) => new Paragraph({ spacing: exact(), ...opts });
  const blank = (extra: IParagraphOptions = {}) => para({ children: [], ...extra });

  const children: (Paragraph | Table)[] = [];
  children.push(para({ alignment: AlignmentType.CENTER, children: r.text(model.title, fonts.title, TITLE_FONT_PT) }));
  if (model.docNumber) children.push(para({ alignment: AlignmentType.RIGHT, children: r.text(model.docNumber, fonts.body) }));
  children.push(blank());
  if (model.recipient) children.push(para({ children: r.text(`${model.recipient.replace(/[：:]\s*$/, '')}：`, fonts.body) }));

  const last = model.blocks.length - 1;
  model.blocks.forEach((block, i) => {
    // The last body block keeps with the signature block (keepNext) and is not split (keepLines).
    const keep = i === last;
    children.push(...blockParagraphs(block, r, fonts, textWidthTwips, keep, { exact, indent2, para }));
  });

  // 落款: 正文下空一行，右空二字; every line keeps with the next so the block is never split or orphaned.
  const lines = signatureLines(model.signature);
  const rightIndent = { right: ptToTwips(SIGNATURE_RIGHT_INDENT_CHARS * BODY_FONT_PT) };
  const sigLine = (text: string, extra: ImageRun[] = [], keepNext = true) =>
    para({ alignment: AlignmentType.RIGHT, indent: rightIndent, keepNext, keepLines: true, children: [...r.text(text, fonts.body), ...extra] });
  children.push(blank({ keepNext: true, keepLines: true }));
  if (lines.signer) children.push(sigLine(lines.signer));
  const seal = model.signature.sealPngBase64;
  children.push(sigLine(lines.agency, seal ? [sealRun(seal, lines)] : []));
  children.push(sigLine(lines.date, [], false));
  if (model.provisional) {
    children.push(blank());
    children.push(para({ spacing: exact(TABLE_LINE_TWIPS), children: r.text(PROVISIONAL_NOTE, fonts.body, TABLE_FONT_PT) }));
  }

  const position = options.pageNumbers ?? DEFAULT_PAGE_NUMBER_POSITION;
  const footerPara = (align: 'left' | 'right' | 'center') => {
    const inset = ptToTwips(PAGE_NUMBER_INSET_PT);
    const [before, after] = pageNumberText(0).split('0');
    const font = { ascii: fonts.pageNumber, hAnsi: fonts.pageNumber, eastAsia: fonts.pageNumber, cs: fonts.pageNumber };
    return new Paragraph({
      alignment: align === 'left' ? AlignmentType.LEFT : align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
      indent: align === 'left' ? { left: inset } : align === 'right' ? { right: inset } : undefined,
      spacing: { line: ptToTwips(PAGE_NUMBER_FONT_PT), lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      children: [new TextRun({ children: [before, PageNumber.CURRENT, after], font, size: PAGE_NUMBER_FONT_PT * 2 })],
    });
  };
  const footers =
    position === 'center'
      ? { default: new Footer({ children: [footerPara('center')] }) }
      : { default: new Footer({ children: [footerPara('right')] }), even: new Footer({ children: [footerPara('left')] }) };

  // The footer line's top sits 7 mm below the text block: distance from the page's bottom edge to the
  // bottom of that line.
  const footerDistanceMm = MARGINS_MM.bottom - PAGE_NUMBER_GAP_MM - PAGE_NUMBER_FONT_PT * MM_PER_PT;

  const doc = new Document({
    creator: model.signature.agency,
    title: model.title,
    subject: model.docNumber ?? model.title,
    keywords: model.kind,
    description: '法制审核工作台生成',
    evenAndOddHeaderAndFooters: position !== 'center',
    styles: {
      default: {
        document: {
          run: { font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: fonts.body, cs: fonts.latin }, size: BODY_FONT_PT * 2 },
          paragraph: { spacing: exact() },
        },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: mmToTwips(PAGE.widthMm), height: mmToTwips(PAGE.heightMm) },
            margin: {
              ...DOCX_MARGINS_TWIPS,
              header: mmToTwips(15),
              footer: mmToTwips(footerDistanceMm),
              gutter: 0,
            },
          },
          grid: { type: DocumentGridType.LINES, linePitch: LINE_PITCH_TWIPS },
        },
        footers,
        children,
      },
    ],
  });
  return Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: fontTableXml([...r.used, fonts.pageNumber, fonts.latin]) }]);
}

/** Builds runs with the right East Asian font; line feeds in the text become line breaks. */
class Runs {
  readonly used = new Set<string>();
  constructor(private readonly fonts: DocxFontNames) {}
  text(text: string, eastAsia: string, sizePt: number = BODY_FONT_PT, extra: Partial<IRunOptions> = {}): TextRun[] {
    this.used.add(eastAsia);
    const latin = this.fonts.latin;
    return cleanText(text)
      .split('\n')
      .map(
        (part, i) =>
          new TextRun({
            text: part,
            break: i > 0 ? 1 : undefined,
            font: { ascii: latin, hAnsi: latin, eastAsia, cs: latin },
            size: Math.round(sizePt * 2),
            // 3号 text on the 28-character line (layout.ts DOCX_CHARACTER_SPACING_TWIPS).
            ...(sizePt === BODY_FONT_PT && { characterSpacing: DOCX_CHARACTER_SPACING_TWIPS }),
            ...extra,
          }),
      );
  }
}

interface ParaHelpers {
  exact: (twips?: number) => IParagraphOptions['spacing'];
  indent2: { firstLineChars: number; firstLine: number };
  para: (opts: IParagraphOptions) => Paragraph;
}

function blockParagraphs(block: Block, r: Runs, fonts: DocxFontNames, textWidthTwips: number, keep: boolean, h: ParaHelpers): (Paragraph | Table)[] {
  const keepOpts = keep ? { keepNext: true, keepLines: true } : {};
  switch (block.type) {
    case 'heading1':
      return [h.para({ indent: h.indent2, keepNext: true, keepLines: true, children: r.text(block.text, fonts.heading1) })];
    case 'heading2':
      return [h.para({ indent: h.indent2, keepNext: true, keepLines: true, children: r.text(block.text, fonts.heading2) })];
    case 'paragraph': {
      const align = block.align === 'center' ? AlignmentType.CENTER : block.align === 'right' ? AlignmentType.RIGHT : block.align === 'left' ? AlignmentType.LEFT : AlignmentType.BOTH;
      const indent = block.indent !== false && (block.align === undefined || block.align === 'left');
      return [h.para({ alignment: align, indent: indent ? h.indent2 : undefined, ...keepOpts, children: r.text(block.text, fonts.body) })];
    }
    case 'placeholder':
      return [h.para({ indent: h.indent2, ...keepOpts, children: r.text(placeholderText(block.text), fonts.body, BODY_FONT_PT, { color: 'C00000', highlight: 'yellow' }) })];
    case 'table':
      return [tableOf(block, r, fonts, textWidthTwips, keep, h)];
  }
}

function tableOf(block: Extract<Block, { type: 'table' }>, r: Runs, fonts: DocxFontNames, textWidthTwips: number, keep: boolean, h: ParaHelpers): Table {
  const cols = Math.max(...block.rows.map((row) => row.length));
  const inner = textWidthTwips - cols * 2 * TABLE_CELL_MARGIN_TWIPS;
  const widths = columnWidths(block.rows, block.widths, inner, TABLE_FONT_PT * 20).map((w) => Math.round(w + 2 * TABLE_CELL_MARGIN_TWIPS));
  const lastRow = block.rows.length - 1;
  const rows = block.rows.map(
    (row, ri) =>
      new TableRow({
        tableHeader: block.header === true && ri === 0,
        cantSplit: true,
        children: Array.from({ length: cols }, (_, ci) => {
          const header = block.header === true && ri === 0;
          const text = row[ci] ?? '';
          const short = textEm(text) <= 4 && !text.includes('\n');
          return new TableCell({
            width: { size: widths[ci], type: WidthType.DXA },
            verticalAlign: VerticalAlignTable.CENTER,
            margins: { left: TABLE_CELL_MARGIN_TWIPS, right: TABLE_CELL_MARGIN_TWIPS, top: 40, bottom: 40 },
            children: [
              new Paragraph({
                spacing: h.exact(TABLE_LINE_TWIPS),
                alignment: header || short ? AlignmentType.CENTER : AlignmentType.LEFT,
                keepNext: keep && ri === lastRow ? true : undefined,
                children: r.text(text, header ? fonts.heading1 : fonts.body, TABLE_FONT_PT),
              }),
            ],
          });
        }),
      }),
  );
  return new Table({ rows, width: { size: textWidthTwips, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED });
}

/** The seal as a floating picture over the agency name and date (印章居中下压署名和日期). */
function sealRun(base64: string, lines: { agency: string; date: string }): ImageRun {
  const png = sealPng(base64);
  const { width: pw, height: ph } = pngSize(png);
  const d = mmToPt(SEAL_DIAMETER_MM);
  const hgt = (d * ph) / pw;
  const textWidth = mmToPt(TEXT_BLOCK_MM.width);
  const right = SIGNATURE_RIGHT_INDENT_CHARS * BODY_FONT_PT;
  const nameWidth = Math.max(textEm(lines.agency), textEm(lines.date)) * BODY_FONT_PT;
  const cx = textWidth - right - nameWidth / 2;
  // Centre a little above the boundary between the agency line and the date line.
  const cy = LINE_PITCH_PT - 4;
  return new ImageRun({
    type: 'png',
    data: png,
    transformation: { width: Math.round(d * PT_TO_PX), height: Math.round(hgt * PT_TO_PX) },
    floating: {
      horizontalPosition: { relative: HorizontalPositionRelativeFrom.MARGIN, offset: Math.round((cx - d / 2) * PT_TO_EMU) },
      verticalPosition: { relative: VerticalPositionRelativeFrom.PARAGRAPH, offset: Math.round((cy - hgt / 2) * PT_TO_EMU) },
      wrap: { type: TextWrappingType.NONE },
      behindDocument: false,
      allowOverlap: true,
    },
    altText: { name: '公章', description: '公章', title: '公章' },
  });
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** word/fontTable.xml naming every font used, with the substitute Word should take when it is missing. */
function fontTableXml(names: Iterable<string>): string {
  const fonts = [...new Set(names)].map((name) => {
    const latinFont = /^[\x20-\x7e]+$/.test(name) && !(name in ALT_NAMES);
    const alt = ALT_NAMES[name];
    return (
      `<w:font w:name="${xmlEscape(name)}">` +
      (alt ? `<w:altName w:val="${xmlEscape(alt)}"/>` : '') +
      `<w:charset w:val="${latinFont ? '00' : '86'}"/>` +
      `<w:family w:val="${latinFont ? 'roman' : 'auto'}"/>` +
      `<w:pitch w:val="variable"/>` +
      `</w:font>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    fonts.join('') +
    '</w:fonts>'
  );
}
