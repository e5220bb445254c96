// What the DOCX and PDF renderers share: checks on the model, the lines of the signature block and the
// column widths of tables, so both files carry the same content in the same arrangement.
import { AppError } from '../domain/errors';
import type { PageNumberPosition } from './layout';
import type { Block, DocModel, SignatureBlock } from './model';
import { unfilledPlaceholders } from './completeness';
import { PLACEHOLDER_OPEN } from './template';

export interface RenderOptions {
  /**
   * The document is final (to be issued or signed): refuse it while it still holds placeholders
   * (待填写内容). Drafts render placeholders visibly as 【…】.
   */
  final?: boolean;
  /** GB/T 9704 alternates page numbers left/right ('outside', the default); some agencies centre them. */
  pageNumbers?: PageNumberPosition;
  /** PDF only: extra entries of the document information dictionary (ASCII), e.g. the record head at issue. */
  pdfInfo?: Record<string, string>;
}

/** Shown under the signature when a date in the document came from a provisional holiday calendar. */
export const PROVISIONAL_NOTE = '注：本文书所涉期限的年度法定节假日安排尚未正式公布，期限按暂定日历计算，待官方安排公布后确认。';

/** A placeholder block's text as shown in a draft; templates already write the 〔待填写：…〕 marker. */
export const placeholderText = (text: string): string => (text.startsWith(PLACEHOLDER_OPEN) ? text : `【${text}】`);

/** Throws AppError('VALIDATION') when the model cannot be rendered (or, if final, still has placeholders). */
export function checkModel(model: DocModel, options: RenderOptions = {}): void {
  if (!model.title || !model.title.trim()) throw new AppError('VALIDATION', '文书缺少标题，无法生成。');
  if (!model.signature || !model.signature.agency?.trim() || !model.signature.date?.trim()) {
    throw new AppError('VALIDATION', '文书缺少落款机关或成文日期，无法生成。');
  }
  for (const b of model.blocks) {
    if (b.type === 'table' && b.rows.length === 0) throw new AppError('VALIDATION', '文书中的表格没有内容。');
  }
  if (options.final) {
    // Placeholder blocks, and 〔待填写：…〕 markers anywhere (table cells, document number, signature).
    const open = [
      ...model.blocks.filter((b): b is Extract<Block, { type: 'placeholder' }> => b.type === 'placeholder' && !b.text.startsWith(PLACEHOLDER_OPEN)).map((b) => b.text),
      ...unfilledPlaceholders(model).map((p) => p.label),
    ];
    if (open.length > 0) {
      throw new AppError('VALIDATION', `文书中仍有待填写内容：${[...new Set(open)].map((l) => `【${l}】`).join("、")}，请补全后再定稿或签名。`, { placeholders: open });
    }
  }
}

/** Normalises text from templates and editors: CRLF → LF, tabs → two spaces, other controls dropped. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Lines of the 落款, top to bottom: signer (when signed), agency, date. */
export function signatureLines(sig: SignatureBlock): { signer?: string; agency: string; date: string } {
  return {
    signer: sig.signer ? `${sig.signer.role}：${sig.signer.name}` : undefined,
    agency: cleanText(sig.agency).trim(),
    date: cleanText(sig.date).trim(),
  };
}

/** Display width of text in em (full-width characters 1, ASCII and other half-width characters 0.5). */
export function textEm(text: string): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    em += cp < 0x1100 || (cp >= 0xff61 && cp <= 0xffdc) ? 0.5 : 1;
  }
  return em;
}

/**
 * Column widths (in the unit of `total`) for a table. `widths` from the model are relative weights
 * (e.g. [1, 4, 1, 6]). Without them, narrow columns (every cell ≤ 6 em, e.g. 序号, 结论) get just their
 * content width and the others share the rest by the square root of their mean cell length, so long
 * reasons get the most room while short headings still wrap into a few lines.
 */
export function columnWidths(rows: string[][], widths: number[] | undefined, total: number, emSize: number): number[] {
  const n = Math.max(...rows.map((r) => r.length));
  if (widths && widths.length === n && widths.every((w) => Number.isFinite(w) && w > 0)) {
    const sum = widths.reduce((a, b) => a + b, 0);
    return widths.map((w) => (total * w) / sum);
  }
  const cells = (i: number) => rows.map((r) => cleanText(r[i] ?? ''));
  const longest = Array.from({ length: n }, (_, i) => Math.max(1, ...cells(i).flatMap((t) => t.split('\n').map(textEm))));
  const mean = Array.from({ length: n }, (_, i) => Math.max(1, cells(i).reduce((a, t) => a + textEm(t), 0) / rows.length));
  const fixed = longest.map((em) => (em <= 6 ? em * emSize + 1 : 0));
  const fixedSum = fixed.reduce((a, b) => a + b, 0);
  const weights = mean.map((m, i) => (fixed[i] > 0 ? 0 : Math.sqrt(m)));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weightSum === 0 || fixedSum >= total * 0.7) {
    const all = mean.map(Math.sqrt);
    const sum = all.reduce((a, b) => a + b, 0);
    return all.map((w) => (total * w) / sum);
  }
  return weights.map((w, i) => (fixed[i] > 0 ? fixed[i] : ((total - fixedSum) * w) / weightSum));
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The seal's PNG bytes, or AppError('VALIDATION') when the upload is not a PNG. */
export function sealPng(base64: string): Buffer {
  const bytes = Buffer.from(base64.replace(/^data:image\/png;base64,/, ''), 'base64');
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_MAGIC)) {
    throw new AppError('VALIDATION', '公章图片不是有效的 PNG 文件，请重新上传。');
  }
  return bytes;
}

/** Pixel size of a PNG (from its IHDR chunk). */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
