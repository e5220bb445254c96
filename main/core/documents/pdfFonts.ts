// Fonts parsed once per process for every PDF (issue 15, point 1). pdfkit (inside pdfmake) parses the
// font file anew for every document — a 20–27 MB CJK collection, its CFF table decoded again for the
// subset — and shapes every run of text with the OpenType engine. Both are wasted on Han text: the
// glyph of a Han character is its cmap entry and its advance the glyph's width.
//
// Two hooks, both local to pdfkit's own objects:
//  1. pdfkit's `font()` is wrapped so a face it has parsed once (same bytes, same PostScript name) is
//     reused for the next document: a fresh EmbeddedFont (its own subset and widths) over the cached
//     fontkit font, whose parsed tables and glyphs then stay warm.
//  2. The cached font's `layout()` answers a run of characters that need no shaping (simpleCodePoint:
//     Han, kana, CJK punctuation and full-width forms) from the cmap and the glyph widths; anything else
//     goes to fontkit's engine as before. test/unit/documents/pdf-fonts.test.ts checks that both paths
//     give the same glyphs and advances on every face installed.
import PdfmakeDocument from 'pdfmake/js/PDFDocument';
import TextInlines from 'pdfmake/js/TextInlines';
import { create as openWithFontkit } from 'pdfmake/node_modules/fontkit';
import { encodeCffSubset, faceData, type CffFont } from './cffSubset';

interface Glyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface Run {
  glyphs: Glyph[];
  positions: Position[];
  readonly advanceWidth: number;
}
/** The part of a fontkit font used here. */
export interface KitFont {
  postscriptName: string;
  glyphForCodePoint(cp: number): Glyph;
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string, features?: unknown, ...rest: unknown[]): Run;
}
interface EmbeddedFontLike {
  font: KitFont;
  name: string;
  subset: { cff?: unknown; glyphs: number[]; encode(): Uint8Array };
}

/** A CFF face's subset from cached flattened glyphs (cffSubset.ts) instead of fontkit's subsetter. */
function withFastSubset(f: EmbeddedFontLike): EmbeddedFontLike {
  const subset = f.subset;
  if (subset && subset.cff) {
    const viaFontkit = subset.encode.bind(subset);
    subset.encode = () => encodeCffSubset(f.font as unknown as CffFont, subset.glyphs) ?? viaFontkit();
  }
  return f;
}
type EmbeddedFontClass = new (document: unknown, font: KitFont, id: string) => EmbeddedFontLike;
interface KitDocument {
  _fontFamilies: Record<string, EmbeddedFontLike>;
  _fontCount: number;
  _fontSource: unknown;
  _fontFamily: unknown;
  _font: EmbeddedFontLike;
  fontSize(size: number): unknown;
}

/**
 * Characters whose glyph is the cmap's and whose advance is the glyph's in a CJK font's default
 * horizontal features: CJK ideographs (with extensions A–F and compatibility), kana, Hangul syllables,
 * CJK symbols and punctuation, full-width forms, bopomofo, enclosed CJK.
 */
export function simpleCodePoint(cp: number): boolean {
  return (
    (cp >= 0x3000 && cp <= 0x303f) || // CJK symbols and punctuation
    (cp >= 0x3040 && cp <= 0x30ff) || // kana
    (cp >= 0x3100 && cp <= 0x312f) || // bopomofo
    (cp >= 0x3200 && cp <= 0x33ff) || // enclosed CJK, compatibility
    (cp >= 0x3400 && cp <= 0x4dbf) || // ext A
    (cp >= 0x4e00 && cp <= 0x9fff) || // unified ideographs
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // compatibility ideographs
    (cp >= 0xff01 && cp <= 0xff5e) || // full-width ASCII forms
    (cp >= 0x20000 && cp <= 0x2fa1f) // ext B–F, compatibility supplement
  );
}

/** The run fontkit would give for text of simple code points only, or null when shaping may matter. */
export function simpleRun(font: KitFont, text: string): Run | null {
  const glyphs: Glyph[] = [];
  const positions: Position[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (!simpleCodePoint(cp) || !font.hasGlyphForCodePoint(cp)) return null;
    const g = font.glyphForCodePoint(cp);
    glyphs.push(g);
    positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
  }
  return {
    glyphs,
    positions,
    // pdfkit scales the positions in place and then reads the run's width: a getter, as fontkit's.
    get advanceWidth() {
      let w = 0;
      for (const p of positions) w += p.xAdvance;
      return w;
    },
  };
}

/** Parsed faces, per file bytes (pdfmake's in-memory copy) and PostScript name. */
const parsed = new WeakMap<Uint8Array, Map<string, { font: KitFont; Embedded: EmbeddedFontClass }>>();
const fastLayout = new WeakSet<KitFont>();

function withFastLayout(font: KitFont): KitFont {
  if (fastLayout.has(font)) return font;
  const shaped = font.layout.bind(font);
  font.layout = (text: string, features?: unknown, ...rest: unknown[]) => (features === undefined && rest.length === 0 && simpleRun(font, text)) || shaped(text, features, ...rest);
  fastLayout.add(font);
  return font;
}

let installed = false;
let enabled = true;

/**
 * A CID-keyed CFF face's subset without fontkit's CFF decoding (cffSubset.ts reads the file's bytes):
 * what pdfkit uses of a subset — includeGlyph, the glyph list, encode, and `cff` set so that it embeds
 * the subset as CIDFontType0C.
 */
class CffSubset {
  readonly cff = true;
  readonly glyphs: number[] = [];
  private readonly mapping: Record<number, number> = {};
  constructor(private readonly font: CffFont) {
    this.includeGlyph(0);
  }
  includeGlyph(glyph: number | { id: number }): number {
    const id = typeof glyph === 'object' ? glyph.id : glyph;
    if (this.mapping[id] == null) {
      this.glyphs.push(id);
      this.mapping[id] = this.glyphs.length - 1;
    }
    return this.mapping[id];
  }
  encode(): Uint8Array {
    return encodeCffSubset(this.font, this.glyphs)!;
  }
}

/**
 * fontkit's font class makes a CFF subset by decoding the whole CFF table first (~40 ms a CJK face, once
 * per face): from the first face pdfkit opened on, a face cffSubset.ts can read gets a CffSubset instead.
 */
const patchedFontClasses = new WeakSet<object>();
function subsetWithoutDecoding(font: KitFont): void {
  const proto = Object.getPrototypeOf(font) as { createSubset(this: CffFont): unknown };
  if (patchedFontClasses.has(proto) || typeof proto.createSubset !== 'function') return;
  patchedFontClasses.add(proto);
  const viaFontkit = proto.createSubset;
  proto.createSubset = function (this: CffFont) {
    return enabled && faceData(this) ? new CffSubset(this) : viaFontkit.call(this);
  };
}

/**
 * pdfmake measures a run with character spacing as if the spacing came between characters only
 * (length − 1), while pdfkit draws it after every character (the PDF Tc operator). With Han text broken
 * into one-character runs the spacing then counted for nothing, and the GB/T 9704 grid (16 pt glyphs at
 * a 15.79 pt pitch) did not hold. Measured as drawn: after every character.
 */
function measureSpacingAsDrawn(): void {
  const proto = (TextInlines as unknown as { prototype: { widthOfText(text: string, inline: { font: { widthOfString(t: string, size: number, features: unknown): number }; fontSize: number; fontFeatures: unknown; characterSpacing?: number }): number } }).prototype;
  proto.widthOfText = function (text, inline) {
    return inline.font.widthOfString(text, inline.fontSize, inline.fontFeatures) + (inline.characterSpacing || 0) * text.length;
  };
}

/** Tests compare with pdfkit on its own: false makes every document parse, shape and subset as pdfkit does. */
export function setPdfFontCache(on: boolean): void {
  enabled = on;
}

/** Installs the hooks once per process (renderPdf calls it). */
export function installPdfFontCache(): void {
  if (installed) return;
  installed = true;
  measureSpacingAsDrawn();
  const kit = Object.getPrototypeOf((PdfmakeDocument as unknown as { prototype: object }).prototype) as { font: (this: KitDocument, ...a: unknown[]) => KitDocument };
  const original = kit.font;
  kit.font = function (this: KitDocument, src: unknown, family?: unknown, size?: unknown) {
    if (!enabled || !(src instanceof Uint8Array) || (family != null && typeof family !== 'string')) return original.call(this, src, family, size);
    const key = (family as string | undefined) ?? '';
    const known = parsed.get(src)?.get(key);
    if (!known) {
      // The face's font class learns to subset without decoding before pdfkit opens the face: a probe of
      // the same bytes (its table directory only, ~5 ms) is an instance of that class.
      try {
        subsetWithoutDecoding(openWithFontkit(src, (family as string | undefined) || undefined) as KitFont);
      } catch {
        /* pdfkit reports a file it cannot open */
      }
      original.call(this, src, family, size);
      const f = this._font;
      // Only an embedded font (not one of the 14 standard ones) is kept.
      if (f && f.subset && f.font) {
        withFastSubset(f);
        subsetWithoutDecoding(f.font);
        if (!parsed.has(src)) parsed.set(src, new Map());
        parsed.get(src)!.set(key, { font: withFastLayout(f.font), Embedded: f.constructor as EmbeddedFontClass });
      }
      return this;
    }
    // pdfkit's own font(), with the face already parsed (pdfkit.js FontsMixin.font).
    const cacheKey = typeof family === 'string' && family ? family : null;
    this._fontSource = src;
    this._fontFamily = family;
    if (typeof size === 'number') this.fontSize(size);
    const existing = cacheKey ? this._fontFamilies[cacheKey] : undefined;
    if (existing) {
      this._font = existing;
      return this;
    }
    this._font = withFastSubset(new known.Embedded(this, known.font, `F${++this._fontCount}`));
    const same = this._fontFamilies[this._font.name];
    if (same && same.font === known.font) {
      this._font = same;
      return this;
    }
    if (cacheKey) this._fontFamilies[cacheKey] = this._font;
    if (this._font.name && !this._fontFamilies[this._font.name]) this._fontFamilies[this._font.name] = this._font;
    if (!cacheKey && this._fontFamilies[this._font.name] !== this._font) this._fontFamilies[(this._font as unknown as { id: string }).id] = this._font;
    return this;
  };
}
