// PDF rendering of a DocModel with pdfmake (server side, in the main process): A4 in GB/T 9704 layout,
// Chinese fonts embedded as subsets, 28.95 pt exact line pitch (22 lines per page), "— N —" page
// numbers, and the signature block (落款) never alone on a page.
import fs from 'node:fs';
import zlib from 'node:zlib';
import * as pdfmakeModule from 'pdfmake';
import type { Content, ContentText, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';
import { AppError } from '../domain/errors';
import { checkModel, cleanText, columnWidths, placeholderText, pngSize, PROVISIONAL_NOTE, sealPng, signatureLines, textEm, type RenderOptions } from './common';
import { isIgnorable, type FontRole, type FontSet, type ResolvedFont } from './fonts';
import {
  BODY_FONT_PT,
  CHAR_PITCH_PT,
  DEFAULT_PAGE_NUMBER_POSITION,
  FIRST_LINE_INDENT_CHARS,
  LINE_PITCH_PT,
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
  mmToPt,
  pageNumberAlignment,
  pageNumberText,
} from './layout';
import type { Block, DocModel } from './model';
import { installPdfFontCache } from './pdfFonts';

// pdfmake's Node entry exports one instance (module.exports = new pdfmake()); whether it arrives as the
// namespace (bundled) or as its default (Node ESM), take the instance.
interface VirtualFs {
  existsSync(name: string): boolean;
  writeFileSync(name: string, content: Buffer): void;
}
type PdfMake = typeof pdfmakeModule & { virtualfs: VirtualFs };
const pdfmake: PdfMake = ((pdfmakeModule as unknown as { default?: PdfMake }).default ?? pdfmakeModule) as PdfMake;

/** Line pitch of table text (4号 in cells; not on the 22-line grid, as in printed forms). */
const TABLE_LINE_PITCH_PT = 20;
const TABLE_CELL_PADDING_PT = 4;
const TABLE_LINE_WIDTH_PT = 0.75;

const ID_LAST_BODY = 'lrw-last-body';

/** What the grid takes from each 3号 character's advance (−0.21 pt), and the grid's two-character indent. */
const GRID_CHARACTER_SPACING_PT = CHAR_PITCH_PT - BODY_FONT_PT;
const GRID_INDENT_PT = FIRST_LINE_INDENT_CHARS * CHAR_PITCH_PT;
const ID_SIGNATURE = 'lrw-signature';

/**
 * Renders the model to PDF bytes. `fonts` comes from findCjkFonts(); every character is drawn with a font
 * that has it, or rendering fails (AppError 'VALIDATION' naming the characters) — never a blank glyph.
 */
/** Info-dictionary key of a PDF rendered as a draft (not final). */
export const PDF_DRAFT_KEY = 'LrwDraft';

export async function renderPdf(model: DocModel, fonts: FontSet, options: RenderOptions = {}): Promise<Buffer> {
  checkModel(model, options);
  const first = await renderOnce(model, fonts, options, false);
  if (!signatureAlone(first, model)) return first;
  // The last body block spans pages and its end filled a page exactly, so the signature block began a
  // page of its own (the layout rules keep it only with a last block that fits on one page). Start that
  // block on a new page so the signature follows its text (GB/T 9704: no page with only the 落款).
  return renderOnce(model, fonts, options, true);
}

async function renderOnce(model: DocModel, fonts: FontSet, options: RenderOptions, breakBeforeLastBody: boolean): Promise<Buffer> {
  installPdfFontCache();
  const ctx = new Ctx(fonts);
  const doc = buildDocument(model, ctx, options, breakBeforeLastBody);
  ctx.assertNoMissing();
  // The pdfmake instance is shared: fonts and access policies are set right before createPdf, which
  // captures them synchronously, so concurrent renders cannot mix fonts.
  const files = ctx.files();
  for (const f of files) cacheFontFile(f);
  pdfmake.setFonts(ctx.fontDictionary());
  pdfmake.setUrlAccessPolicy(() => false);
  // Fonts come from the in-memory cache; nothing else may be read from disk.
  pdfmake.setLocalAccessPolicy(() => false);
  return pdfmake.createPdf(doc).getBuffer();
}

/**
 * Font files are kept in pdfmake's virtual file system under their own path, so pdfkit parses them from
 * memory instead of re-reading 20 MB collections per document (about a third of the render time). A file
 * that changed on disk (size or mtime) is read again.
 */
const fontFileStamps = new Map<string, string>();
function cacheFontFile(file: string): void {
  const st = fs.statSync(file);
  const stamp = `${st.size}|${st.mtimeMs}`;
  if (fontFileStamps.get(file) === stamp && pdfmake.virtualfs.existsSync(file)) return;
  pdfmake.virtualfs.writeFileSync(file, fs.readFileSync(file));
  fontFileStamps.set(file, stamp);
}

/** Drops the cached font files (e.g. after the administrator changed the font settings). */
export function clearPdfFontCache(): void {
  const storage = (pdfmake.virtualfs as unknown as { storage?: Record<string, unknown> }).storage;
  for (const file of fontFileStamps.keys()) {
    if (storage) delete storage[file.replace(/^\//, '')];
  }
  fontFileStamps.clear();
}

/** Font registry and text-run builder for one render. */
class Ctx {
  /** pdfmake family name per font face (file + PostScript name), so a face shared by roles embeds once. */
  private readonly names = new Map<string, { name: string; font: ResolvedFont }>();
  private readonly missing = new Map<number, string>();
  constructor(readonly fonts: FontSet) {}

  nameOf(f: ResolvedFont): string {
    const key = `${f.file}|${f.face.postscriptName}`;
    let entry = this.names.get(key);
    if (!entry) {
      entry = { name: `F${this.names.size}`, font: f };
      this.names.set(key, entry);
    }
    return entry.name;
  }

  fontDictionary(): TFontDictionary {
    const dict: TFontDictionary = {};
    for (const { name, font: f } of this.names.values()) {
      // A collection needs the PostScript name of the face; a single font is given by path alone.
      // (pdfmake rewrites these arrays in place, so each style gets its own.)
      const src = () => (f.face.collection ? [f.file, f.face.postscriptName] : f.file) as string;
      dict[name] = { normal: src(), bold: src(), italics: src(), bolditalics: src() };
    }
    return dict;
  }

  files(): Set<string> {
    return new Set([...this.names.values()].map((e) => e.font.file));
  }

  /** Line-height factor that makes a line of this font and size exactly `pitch` points tall. */
  lineHeight(f: ResolvedFont, size: number, pitch: number): number {
    const natural = ((f.face.ascent - f.face.descent) / f.face.unitsPerEm) * size;
    return pitch / natural;
  }

  /**
   * Text as runs of one font each: the role's font, and for characters it lacks the first installed font
   * that has them. Characters no font has are collected and reported by assertNoMissing().
   */
  runs(text: string, role: FontRole, size: number, pitch: number): ContentText[] {
    const primary = this.fonts.roles[role];
    const pieces: { font: ResolvedFont; text: string }[] = [];
    for (const ch of cleanText(text)) {
      const cp = ch.codePointAt(0)!;
      const prev = pieces.length > 0 ? pieces[pieces.length - 1] : undefined;
      let font: ResolvedFont = prev?.font ?? primary;
      if (!isIgnorable(cp)) {
        const found = primary.face.hasCodePoint(cp) ? primary : this.fonts.all.find((f) => f.face.hasCodePoint(cp));
        if (!found) this.missing.set(cp, ch);
        font = found ?? primary;
      }
      if (prev && prev.font === font) prev.text += ch;
      else pieces.push({ font, text: ch });
    }
    if (pieces.length === 0) pieces.push({ font: primary, text: '' });
    return pieces.map((p) => this.run(p.font, p.text, size, pitch));
  }

  private run(f: ResolvedFont, text: string, size: number, pitch: number): ContentText {
    // Text on the body grid (3号 at the 22-line pitch) is set 28 characters a line: 16 pt glyphs at a
    // 15.79 pt character pitch (GB/T 9704 7.1; Word's document grid does the same in the DOCX).
    const grid = size === BODY_FONT_PT && pitch === LINE_PITCH_PT;
    return { text, font: this.nameOf(f), fontSize: size, lineHeight: this.lineHeight(f, size, pitch), ...(grid && { characterSpacing: GRID_CHARACTER_SPACING_PT }) };
  }

  assertNoMissing(): void {
    if (this.missing.size === 0) return;
    const list = [...this.missing.entries()]
      .slice(0, 10)
      .map(([cp, ch]) => `「${ch}」(U+${cp.toString(16).toUpperCase().padStart(4, '0')})`)
      .join('、');
    throw new AppError(
      'VALIDATION',
      `文书中有 ${this.missing.size} 个字符在已安装的中文字体中都没有字形，无法生成 PDF：${list}。请改用常用字，或安装包含这些字符的字体（如 Windows 的“宋体-ExtB”，Linux 的 fonts-noto-cjk-extra、fonts-arphic-uming）后重试。`,
      { codePoints: [...this.missing.keys()] },
    );
  }
}

/** Text node with one or more runs (pdfmake takes an array of inline runs as `text`). */
function textNode(runs: ContentText[], extra: Partial<ContentText> = {}): ContentText {
  if (runs.length === 1) return { ...runs[0], ...extra } as ContentText;
  // The first run's line height also sets the node's; every run has the same exact pitch anyway.
  return { text: runs, lineHeight: runs[0].lineHeight, ...extra } as ContentText;
}

function buildDocument(model: DocModel, ctx: Ctx, options: RenderOptions, breakBeforeLastBody: boolean): TDocumentDefinitions {
  const margins = { left: mmToPt(MARGINS_MM.left), top: mmToPt(MARGINS_MM.top), right: mmToPt(MARGINS_MM.right), bottom: mmToPt(MARGINS_MM.bottom) };
  const textWidth = mmToPt(TEXT_BLOCK_MM.width);
  const body = (text: string, role: FontRole = 'body') => ctx.runs(text, role, BODY_FONT_PT, LINE_PITCH_PT);
  const blankLine = (): ContentText => textNode(body(' '));

  const content: Content[] = [];
  content.push(textNode(ctx.runs(model.title, 'title', TITLE_FONT_PT, LINE_PITCH_PT), { alignment: 'center' }));
  if (model.docNumber) content.push(textNode(body(model.docNumber), { alignment: 'right' }));
  content.push(blankLine());
  if (model.recipient) content.push(textNode(body(`${model.recipient.replace(/[：:]\s*$/, '')}：`)));

  // Keep rules, applied in pageBreakBefore below. A run of headings keeps with the block after it: the
  // first heading of the run watches that block's "anchor" — its own node, or for a table its first data
  // cell (pdfmake reports stale pages for a table node whose header row moved to the next page, but not
  // for the cells it moved) — and only the first heading breaks, so the run moves as one. The last body
  // block (with any headings right before it) keeps with the signature block.
  const lastBodyIndex = model.blocks.length - 1;
  const nodes = model.blocks.map((block) => blockNode(block, ctx, textWidth)) as (Content & KeepNode)[];
  const isHeading = (i: number) => model.blocks[i].type === 'heading1' || model.blocks[i].type === 'heading2';
  const rules = new Map<string, KeepRule>();
  for (let i = 0; i <= lastBodyIndex; i++) {
    if (!isHeading(i) || (i > 0 && isHeading(i - 1))) continue;
    let j = i;
    while (j <= lastBodyIndex && isHeading(j)) j++;
    if (j > lastBodyIndex) break; // headings at the very end: the signature rule below keeps them
    const next = nodes[j];
    const target = next.table ? next.table.body[Math.min(next.table.headerRows ?? 0, next.table.body.length - 1)][0] : next;
    target.id = j === lastBodyIndex && !next.table ? ID_LAST_BODY : `lrw-a-${j}`;
    nodes[i].id = `lrw-h-${i}`;
    rules.set(nodes[i].id!, { anchor: target.id, withSignature: j === lastBodyIndex });
  }
  if (lastBodyIndex >= 0) {
    let start = lastBodyIndex;
    while (start > 0 && isHeading(start - 1)) start--;
    const last = nodes[lastBodyIndex];
    if (!last.table) last.id = ID_LAST_BODY;
    if (start === lastBodyIndex && !last.table) rules.set(ID_LAST_BODY, { anchor: ID_LAST_BODY, withSignature: true });
    // Second pass after a lonely signature: start the group on a new page.
    if (breakBeforeLastBody && start > 0) nodes[start].pageBreak = 'before';
  }
  content.push(...nodes);

  const sigNode = signatureNode(model, ctx, textWidth);
  content.push(sigNode);
  const watched: object[] = [...nodes.filter((n) => n.id && rules.has(n.id)), (sigNode as { stack: object[] }).stack[0]];
  if (model.provisional) {
    content.push(textNode(ctx.runs(PROVISIONAL_NOTE, 'body', TABLE_FONT_PT, TABLE_LINE_PITCH_PT), { margin: [0, LINE_PITCH_PT, 0, 0] }));
  }

  const position = options.pageNumbers ?? DEFAULT_PAGE_NUMBER_POSITION;
  const footerRuns = (n: number) => ctx.runs(pageNumberText(n), 'pageNumber', PAGE_NUMBER_FONT_PT, PAGE_NUMBER_FONT_PT * 1.5);
  // Register the page-number font before pdfmake needs it (the footer function runs during layout).
  footerRuns(0);

  const images: Record<string, string> = {};
  if (model.signature.sealPngBase64) images.seal = `data:image/png;base64,${sealPng(model.signature.sealPngBase64).toString('base64')}`;

  return {
    // 1.7: readers then expect SHA-256 signatures (pdfkit still writes a classic xref table, which
    // @signpdf's plainAddPlaceholder needs).
    version: '1.7',
    pageSize: { width: mmToPt(PAGE.widthMm), height: mmToPt(PAGE.heightMm) },
    pageMargins: [margins.left, margins.top, margins.right, margins.bottom],
    info: {
      title: model.title,
      author: model.signature.agency,
      subject: model.docNumber ?? model.title,
      keywords: model.kind,
      creator: '法制审核工作台',
      producer: '法制审核工作台 (pdfmake)',
      // A draft says so in its bytes: the core refuses to sign it outside the gate (services/issue.ts signFile).
      ...(!options.final && { [PDF_DRAFT_KEY]: 'draft' }),
      ...options.pdfInfo,
    },
    ...(!options.final && {
      header: { text: '草稿：未经审批签发，不具法律效力', alignment: 'right' as const, fontSize: 9, color: '#b00020', margin: [0, 24, 40, 0] as [number, number, number, number] },
    }),
    language: 'zh-CN',
    images,
    content,
    defaultStyle: { font: ctx.nameOf(ctx.fonts.roles.body), fontSize: BODY_FONT_PT },
    footer: (currentPage: number) => {
      const align = pageNumberAlignment(currentPage, position);
      const left = margins.left + (align === 'left' ? PAGE_NUMBER_INSET_PT : 0);
      const right = margins.right + (align === 'right' ? PAGE_NUMBER_INSET_PT : 0);
      return textNode(footerRuns(currentPage), { alignment: align, margin: [left, mmToPt(PAGE_NUMBER_GAP_MM), right, 0] });
    },
    pageBreakBefore: (node, queries) => {
      const moved = keepTogether(node, queries);
      // pdfmake asks about each node only once, but moving one node changes where the later ones land:
      // let the watched nodes be asked again in the next layout pass. Every "true" puts a page break on
      // a node that is never asked again, so this ends.
      if (moved) for (const w of watched) delete (w as { pageBreakCalculated?: boolean }).pageBreakCalculated;
      return moved;
    },
  };

  function keepTogether(node: PdfNode, queries: PdfNodeQueries): boolean {
    const rule = node.id ? rules.get(node.id) : undefined;
    if (rule && node.pageNumbers.length === 1 && !atPageTop(node.startPosition.top, margins.top)) {
      const following = queries.getFollowingNodesOnPage();
      const anchor = node.id === rule.anchor ? node : following.find((n) => n.id === rule.anchor);
      // The block a heading introduces starts on a later page: take the heading along.
      if (!anchor) return true;
      // The last body block fits on this page but the signature block landed on the next: take it along.
      if (rule.withSignature && anchor.pageNumbers.length === 1 && !following.some((n) => n.id === ID_SIGNATURE)) return true;
      return false;
    }
    return false;
  }
}

type PdfNode = Parameters<NonNullable<TDocumentDefinitions['pageBreakBefore']>>[0];
type PdfNodeQueries = Parameters<NonNullable<TDocumentDefinitions['pageBreakBefore']>>[1];

const atPageTop = (top: number, marginTop: number) => Math.abs(top - marginTop) < 1;

interface KeepNode {
  id?: string;
  pageBreak?: string;
  table?: { body: { id?: string }[][]; headerRows?: number };
}

interface KeepRule {
  /** Id of the node that must start on the same page as the rule's node. */
  anchor: string;
  /** The anchor is the last body block: the signature block must follow on its page too. */
  withSignature: boolean;
}

function blockNode(block: Block, ctx: Ctx, textWidth: number): Content {
  const body = (text: string, role: FontRole = 'body') => ctx.runs(text, role, BODY_FONT_PT, LINE_PITCH_PT);
  switch (block.type) {
    case 'heading1':
      return textNode(body(block.text, 'heading1'), { leadingIndent: GRID_INDENT_PT, headlineLevel: 1 } as Partial<ContentText>);
    case 'heading2':
      return textNode(body(block.text, 'heading2'), { leadingIndent: GRID_INDENT_PT, headlineLevel: 2 } as Partial<ContentText>);
    case 'paragraph': {
      const align = block.align ?? 'justify';
      const indent = block.indent !== false && (block.align === undefined || block.align === 'left');
      return textNode(body(block.text.length ? block.text : ' '), { alignment: align, leadingIndent: indent ? GRID_INDENT_PT : 0 });
    }
    case 'placeholder':
      return textNode(body(placeholderText(block.text)), { color: '#C00000', leadingIndent: GRID_INDENT_PT });
    case 'table':
      return tableNode(block, ctx, textWidth);
  }
}

function tableNode(block: Extract<Block, { type: 'table' }>, ctx: Ctx, textWidth: number): Content {
  const cols = Math.max(...block.rows.map((r) => r.length));
  const inner = textWidth - cols * 2 * TABLE_CELL_PADDING_PT - (cols + 1) * TABLE_LINE_WIDTH_PT;
  const widths = columnWidths(block.rows, block.widths, inner, TABLE_FONT_PT);
  const body = block.rows.map((row, r) =>
    Array.from({ length: cols }, (_, c) => {
      const header = block.header === true && r === 0;
      const text = row[c] ?? '';
      const short = textEm(text) <= 4 && !text.includes('\n');
      return textNode(ctx.runs(text || ' ', header ? 'heading1' : 'body', TABLE_FONT_PT, TABLE_LINE_PITCH_PT), {
        alignment: header || short ? 'center' : 'left',
      });
    }),
  );
  return {
    table: { headerRows: block.header ? 1 : 0, keepWithHeaderRows: block.header ? 1 : 0, widths, body, dontBreakRows: true },
    layout: {
      hLineWidth: () => TABLE_LINE_WIDTH_PT,
      vLineWidth: () => TABLE_LINE_WIDTH_PT,
      paddingLeft: () => TABLE_CELL_PADDING_PT,
      paddingRight: () => TABLE_CELL_PADDING_PT,
      paddingTop: () => 3,
      paddingBottom: () => 3,
    },
    margin: [0, 6, 0, 6],
  } as Content;
}

function signatureNode(model: DocModel, ctx: Ctx, textWidth: number): Content {
  const lines = signatureLines(model.signature);
  const right = SIGNATURE_RIGHT_INDENT_CHARS * CHAR_PITCH_PT;
  const line = (text: string) => textNode(ctx.runs(text, 'body', BODY_FONT_PT, LINE_PITCH_PT), { alignment: 'right', margin: [0, 0, right, 0] });
  const stack: Content[] = [];
  if (lines.signer) stack.push(line(lines.signer));
  const agencyLine = stack.length;
  stack.push(line(lines.agency), line(lines.date));
  (stack[0] as { id?: string }).id = ID_SIGNATURE;
  if (model.signature.sealPngBase64) {
    // 印章端正、居中下压署名和日期: centre the seal on the agency name, a little above the two lines' middle.
    const d = mmToPt(SEAL_DIAMETER_MM);
    const agencyWidth = Math.max(textEm(lines.agency), textEm(lines.date)) * BODY_FONT_PT;
    const cx = textWidth - right - agencyWidth / 2;
    const cy = agencyLine * LINE_PITCH_PT + (LINE_PITCH_PT + BODY_FONT_PT) / 2 - 4;
    // relativePosition is measured from where the seal node would start: after the last line.
    const { width: pw, height: ph } = pngSize(sealPng(model.signature.sealPngBase64));
    const h = (d * ph) / pw;
    const top = cy - h / 2 - stack.length * LINE_PITCH_PT;
    stack.push({ image: 'seal', width: d, height: h, relativePosition: { x: cx - d / 2, y: top } } as Content);
  }
  return { stack, unbreakable: true, margin: [0, LINE_PITCH_PT, 0, 0] } as Content;
}

/**
 * Whether the last page of a rendered PDF holds only the signature block (and the provisional note):
 * counts the text lines above the bottom of the text block in that page's content stream, as pdfkit
 * writes it (one "1 0 0 1 x y Tm" per run). pdfmake's own record of where
 * nodes landed is not reliable for blocks it moved between pages, so the output is looked at instead.
 */
export function signatureAlone(pdf: Buffer, model: DocModel): boolean {
  const lines = lastPageTextLines(pdf);
  if (lines === undefined) return false;
  const sig = signatureLines(model.signature);
  let allowed = (sig.signer ? 1 : 0) + 2;
  if (model.provisional) allowed += Math.ceil((textEm(PROVISIONAL_NOTE) * TABLE_FONT_PT) / mmToPt(TEXT_BLOCK_MM.width));
  return lines <= allowed;
}

function lastPageTextLines(pdf: Buffer): number | undefined {
  const s = pdf.toString('latin1');
  const kids = /\/Type \/Pages\s[\s\S]*?\/Kids \[([^\]]*)\]/.exec(s);
  const refs = kids ? [...kids[1].matchAll(/(\d+) 0 R/g)] : [];
  if (refs.length === 0) return undefined;
  const page = objectBody(s, refs[refs.length - 1][1]);
  const contents = page && /\/Contents (\d+) 0 R/.exec(page);
  const stream = contents && objectStream(pdf, s, contents[1]);
  if (!stream) return undefined;
  // pdfkit's Tm y is measured from the bottom of the page; the footer lies below the text block.
  const aboveFooter = mmToPt(PAGE.heightMm - MARGINS_MM.top - TEXT_BLOCK_MM.height);
  const ys = new Set<number>();
  for (const m of stream.matchAll(/1 0 0 1 -?[\d.]+ (-?[\d.]+) Tm/g)) {
    const y = Number(m[1]);
    if (y > aboveFooter) ys.add(Math.round(y));
  }
  return ys.size;
}

function objectBody(s: string, num: string): string | undefined {
  const at = s.indexOf(`\n${num} 0 obj`);
  if (at < 0) return undefined;
  const end = s.indexOf('endobj', at);
  return s.slice(at, end < 0 ? undefined : end);
}

function objectStream(pdf: Buffer, s: string, num: string): string | undefined {
  const body = objectBody(s, num);
  if (!body) return undefined;
  const objAt = s.indexOf(`\n${num} 0 obj`);
  const start = s.indexOf('stream\n', objAt) + 'stream\n'.length;
  const end = s.indexOf('\nendstream', start);
  if (start < 'stream\n'.length || end < 0) return undefined;
  const raw = pdf.subarray(start, end);
  try {
    return (/\/FlateDecode/.test(body.slice(0, body.indexOf('stream'))) ? zlib.inflateSync(raw) : raw).toString('latin1');
  } catch {
    return undefined;
  }
}
