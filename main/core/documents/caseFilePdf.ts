// The case file as one PDF (案卷): a cover, the 卷内目录 with each document's pages, then every document
// in order — issued documents copied page by page from their signed PDFs (their signatures stay in the
// original files beside it), the parts the workstation writes from the record rendered like any document.
// Every page after the index carries its archive page number (页号) in the top right corner, as case files
// are numbered; each document is a bookmark. pdf-lib merges and stamps; pdfmake (renderPdf) writes text.
import { PDFDocument, PDFHexString, PDFName, StandardFonts, type PDFPage, type PDFRef } from 'pdf-lib';
import { AppError } from '../domain/errors';
import type { FontSet } from './fonts';
import type { Block, DocModel } from './model';
import { renderPdf } from './pdf';

export interface CaseFilePart {
  /** The index entry's 题名. */
  title: string;
  /** Its date as the index shows it (2026年12月3日). */
  dateLabel: string;
  /** The part's PDF (an issued document or a rendered part); null for an original kept only as a file (an attachment). */
  pdf: Buffer | null;
}

export interface CaseFileCover {
  agency: string;
  /** Rows of the cover's table: [label, value]. */
  rows: [string, string][];
  /** The archive date (落款 of the cover and the index). */
  dateLabel: string;
}

export interface AssembledCaseFile {
  pdf: Buffer;
  /** Pages of each part in the archive numbering (first page 1 after the index), in the parts' order; null without a PDF. */
  pages: ({ from: number; to: number } | null)[];
  totalPages: number;
}

const model = (kind: string, title: string, blocks: Block[], agency: string, date: string): DocModel =>
  ({ kind, title, blocks, signature: { agency, date } });

async function pageCount(pdf: Buffer, what: string): Promise<number> {
  try {
    return (await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false })).getPageCount();
  } catch (err) {
    throw new AppError('BAD_STATE', `无法读取“${what}”的 PDF 文件，不能组卷：${(err as Error).message}`);
  }
}

/** Pages as numbered in the case file, from the part counts (the first document begins at page 1). */
function ranges(counts: number[]): ({ from: number; to: number } | null)[] {
  let next = 1;
  return counts.map((n) => {
    if (n === 0) return null;
    const r = { from: next, to: next + n - 1 };
    next += n;
    return r;
  });
}

const pageLabel = (r: { from: number; to: number } | null): string => (!r ? '原件' : r.from === r.to ? String(r.from) : `${r.from}—${r.to}`);

function indexModel(cover: CaseFileCover, parts: CaseFilePart[], pages: ({ from: number; to: number } | null)[]): DocModel {
  const rows = [
    ['序号', '题名', '日期', '页号'],
    ...parts.map((p, i) => [String(i + 1), p.title, p.dateLabel, pageLabel(pages[i])]),
  ];
  return model('case-file-index', '卷内目录', [{ type: 'table', header: true, rows, widths: [0.8, 5.2, 1.6, 1.2] }], cover.agency, cover.dateLabel);
}

/** Renders the cover and the index, then merges every part behind them with page numbers and bookmarks. */
export async function assembleCaseFile(cover: CaseFileCover, parts: CaseFilePart[], fonts: FontSet, info: { title: string; createdAt: Date }): Promise<AssembledCaseFile> {
  if (parts.length === 0) throw new AppError('BAD_STATE', '案卷中没有任何文件，不能组卷。');
  const counts = await Promise.all(parts.map((p) => (p.pdf ? pageCount(p.pdf, p.title) : 0)));
  if (counts.every((n) => n === 0)) throw new AppError('BAD_STATE', '案卷中没有可装订的文书，不能组卷。');
  const pages = ranges(counts);
  const coverPdf = await renderPdf(model('case-file-cover', '行政执法案卷', [{ type: 'table', rows: cover.rows, widths: [1.3, 4] }], cover.agency, cover.dateLabel), fonts, { final: true });
  const indexPdf = await renderPdf(indexModel(cover, parts, pages), fonts, { final: true });

  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(info.title);
  out.setProducer('法制审核工作台');
  out.setCreator('法制审核工作台');
  out.setCreationDate(info.createdAt);
  out.setModificationDate(info.createdAt);
  const font = await out.embedFont(StandardFonts.Helvetica);
  const starts: (PDFPage | null)[] = [];
  const append = async (pdf: Buffer, numberFrom: number | null) => {
    const src = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
    const copied = await out.copyPages(src, src.getPageIndices());
    copied.forEach((page, i) => {
      out.addPage(page);
      if (numberFrom !== null) stampPageNumber(page, numberFrom + i, font);
    });
    return copied[0];
  };
  const coverStart = await append(coverPdf, null);
  const indexStart = await append(indexPdf, null);
  for (let i = 0; i < parts.length; i++) {
    const pdf = parts[i].pdf;
    starts.push(pdf ? await append(pdf, pages[i]!.from) : null);
  }
  addOutline(out, [
    { title: '封面', page: coverStart },
    { title: '卷内目录', page: indexStart },
    ...parts.flatMap((p, i) => (starts[i] ? [{ title: `${i + 1}. ${p.title}`, page: starts[i]! }] : [])),
  ]);
  const bytes = Buffer.from(await out.save({ useObjectStreams: false }));
  return { pdf: bytes, pages, totalPages: counts.reduce((a, b) => a + b, 0) };
}

/** 页号: top right, in the margin, digits only (the standard font needs no Chinese glyphs). */
function stampPageNumber(page: PDFPage, n: number, font: Awaited<ReturnType<PDFDocument['embedFont']>>): void {
  const { width, height } = page.getSize();
  const text = String(n);
  const size = 12;
  page.drawText(text, { x: width - 42 - font.widthOfTextAtSize(text, size), y: height - 36, size, font });
}

/** A flat outline (bookmarks): one entry per document, each opening its first page. */
function addOutline(doc: PDFDocument, items: { title: string; page: PDFPage }[]): void {
  const ctx = doc.context;
  const rootRef = ctx.nextRef();
  const refs: PDFRef[] = items.map(() => ctx.nextRef());
  items.forEach((it, i) => {
    const entry = ctx.obj({
      Title: PDFHexString.fromText(it.title),
      Parent: rootRef,
      Dest: [it.page.ref, 'XYZ', null, null, null],
      ...(i > 0 && { Prev: refs[i - 1] }),
      ...(i < items.length - 1 && { Next: refs[i + 1] }),
    });
    ctx.assign(refs[i], entry);
  });
  ctx.assign(rootRef, ctx.obj({ Type: 'Outlines', First: refs[0], Last: refs[refs.length - 1], Count: items.length }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** A part the workstation writes from the record (送审材料, 审核记录…), rendered like any document. */
export async function renderRecordPart(kind: string, title: string, blocks: Block[], agency: string, dateLabel: string, fonts: FontSet): Promise<Buffer> {
  return await renderPdf(model(kind, title, blocks.length ? blocks : [{ type: 'paragraph', text: '（无）' }], agency, dateLabel), fonts, { final: true });
}

/**
 * A report followed by its enclosures, one file (the 备案 package): the report's own objects and
 * document information stay as rendered (the chain head at issue among them), then an index page and
 * each enclosure's pages, each a bookmark. Enclosures are signed PDFs: their signature fields are
 * dropped from the copies (the package is signed as a whole; the originals keep their own signatures).
 */
export async function appendEnclosures(report: Buffer, index: Buffer, parts: { title: string; pdf: Buffer }[]): Promise<Buffer> {
  const out = await PDFDocument.load(report, { updateMetadata: false });
  const starts: { title: string; page: PDFPage }[] = [{ title: '备案报告', page: out.getPage(0) }];
  const append = async (pdf: Buffer, title: string) => {
    const src = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
    for (const page of src.getPages()) page.node.delete(PDFName.of('Annots'));
    const copied = await out.copyPages(src, src.getPageIndices());
    copied.forEach((page) => out.addPage(page));
    starts.push({ title, page: copied[0] });
  };
  await append(index, '备案材料目录');
  for (const [i, part] of parts.entries()) await append(part.pdf, `${i + 1}. ${part.title}`);
  addOutline(out, starts);
  return Buffer.from(await out.save({ useObjectStreams: false }));
}

/** Pages of a PDF (an enclosure's count in the index). */
export async function pagesOf(pdf: Buffer, what: string): Promise<number> {
  return await pageCount(pdf, what);
}
