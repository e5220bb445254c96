// A small reader for TrueType / OpenType font files and TrueType collections (.ttf, .otf, .ttc): only what
// the document renderers need — the faces in a file, their PostScript and display names, the vertical
// metrics pdfkit uses for line height, and which characters they have glyphs for. It reads the few tables
// it needs at their offsets instead of loading a 20 MB CJK font into memory.
import fs from 'node:fs';

export interface FontFace {
  file: string;
  /** Index of the face in a collection (0 for a single font). */
  index: number;
  /** Whether the file is a TrueType collection (pdfkit then needs the PostScript name to pick the face). */
  collection: boolean;
  /** name ID 6, e.g. FangSong, NotoSerifCJKsc-Regular. */
  postscriptName: string;
  /** Full name for people, Chinese when the font has one (name ID 4, zh-CN first): 仿宋, 思源宋体 … */
  displayName: string;
  unitsPerEm: number;
  /** hhea metrics in font units (pdfkit's EmbeddedFont uses these for line height). */
  ascent: number;
  descent: number;
  lineGap: number;
  /** Whether the font maps the code point to a real glyph (not .notdef). */
  hasCodePoint(codePoint: number): boolean;
}

interface TableRecord {
  offset: number;
  length: number;
}

class FileReader {
  private readonly fd: number;
  readonly size: number;
  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }
  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`font ${this.file}: read ${offset}+${length} past end ${this.size}`);
    }
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new RangeError(`font ${this.file}: unexpected end of file`);
      done += n;
    }
    return buf;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

const SFNT_VERSIONS = new Set([0x00010000, 0x4f54544f /* OTTO */, 0x74727565 /* true */]);

/** Every face in a font file. Throws on a file that is not a TrueType/OpenType font or collection. */
export function readFontFaces(file: string): FontFace[] {
  const r = new FileReader(file);
  try {
    const head = r.read(0, 12);
    const tag = head.readUInt32BE(0);
    if (tag === 0x74746366 /* ttcf */) {
      const numFonts = head.readUInt32BE(8);
      if (numFonts < 1 || numFonts > 1000) throw new Error(`font ${file}: bad collection size ${numFonts}`);
      const offsets = r.read(12, 4 * numFonts);
      const faces: FontFace[] = [];
      for (let i = 0; i < numFonts; i++) faces.push(readFace(r, offsets.readUInt32BE(4 * i), i, true));
      return faces;
    }
    if (!SFNT_VERSIONS.has(tag)) throw new Error(`font ${file}: not a TrueType/OpenType font`);
    return [readFace(r, 0, 0, false)];
  } finally {
    r.close();
  }
}

function readFace(r: FileReader, base: number, index: number, collection: boolean): FontFace {
  const dir = r.read(base, 12);
  if (!SFNT_VERSIONS.has(dir.readUInt32BE(0))) throw new Error(`font ${r.file}: face ${index} is not sfnt`);
  const numTables = dir.readUInt16BE(4);
  const recs = r.read(base + 12, 16 * numTables);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < numTables; i++) {
    const o = 16 * i;
    tables.set(recs.toString('latin1', o, o + 4), { offset: recs.readUInt32BE(o + 8), length: recs.readUInt32BE(o + 12) });
  }
  const need = (t: string): TableRecord => {
    const rec = tables.get(t);
    if (!rec) throw new Error(`font ${r.file}: face ${index} has no '${t}' table`);
    return rec;
  };
  const headT = need('head');
  const hheaT = need('hhea');
  const head = r.read(headT.offset, 54);
  const hhea = r.read(hheaT.offset, 36);
  const names = readNames(r.read(need('name').offset, need('name').length));
  const cmapRec = need('cmap');
  const file = r.file;
  let lookup: ((cp: number) => number) | null = null;
  return {
    file,
    index,
    collection,
    postscriptName: names.postscript ?? `face${index}`,
    displayName: names.full ?? names.postscript ?? `face${index}`,
    unitsPerEm: head.readUInt16BE(18),
    ascent: hhea.readInt16BE(4),
    descent: hhea.readInt16BE(6),
    lineGap: hhea.readInt16BE(8),
    hasCodePoint(cp: number): boolean {
      if (!lookup) {
        const rr = new FileReader(file);
        try {
          lookup = readCmap(rr, cmapRec);
        } finally {
          rr.close();
        }
      }
      return lookup(cp) !== 0;
    },
  };
}

function readNames(buf: Buffer): { postscript?: string; full?: string } {
  const count = buf.readUInt16BE(2);
  const storage = buf.readUInt16BE(4);
  let postscript: string | undefined;
  let full: { text: string; rank: number } | undefined;
  for (let i = 0; i < count; i++) {
    const o = 6 + 12 * i;
    const platform = buf.readUInt16BE(o);
    const encoding = buf.readUInt16BE(o + 2);
    const language = buf.readUInt16BE(o + 4);
    const nameId = buf.readUInt16BE(o + 6);
    const length = buf.readUInt16BE(o + 8);
    const start = storage + buf.readUInt16BE(o + 10);
    if (start + length > buf.length) continue;
    const raw = buf.subarray(start, start + length);
    let text: string | undefined;
    if (platform === 3 || platform === 0) text = utf16be(raw);
    else if (platform === 1 && encoding === 0) text = raw.toString('latin1');
    if (!text) continue;
    if (nameId === 6 && (postscript === undefined || platform === 3)) postscript = text.trim();
    if (nameId === 4) {
      // zh-CN (Windows 0x0804) first, then any Chinese, then US English, then anything.
      const rank = platform === 3 && language === 0x0804 ? 0 : platform === 3 && (language & 0xff) === 0x04 ? 1 : platform === 3 && language === 0x0409 ? 2 : 3;
      if (!full || rank < full.rank) full = { text: text.trim(), rank };
    }
  }
  return { postscript, full: full?.text };
}

function utf16be(raw: Buffer): string {
  const swapped = Buffer.from(raw);
  if (swapped.length % 2 === 1) return '';
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** Returns a code point → glyph id function from the best Unicode cmap subtable (format 12, else 4). */
function readCmap(r: FileReader, rec: TableRecord): (cp: number) => number {
  const header = r.read(rec.offset, 4);
  const numSub = header.readUInt16BE(2);
  const recs = r.read(rec.offset + 4, 8 * numSub);
  const candidates: { rank: number; offset: number }[] = [];
  for (let i = 0; i < numSub; i++) {
    const platform = recs.readUInt16BE(8 * i);
    const encoding = recs.readUInt16BE(8 * i + 2);
    const offset = rec.offset + recs.readUInt32BE(8 * i + 4);
    let rank = -1;
    if (platform === 3 && encoding === 10) rank = 0; // Windows, full Unicode
    else if (platform === 0 && (encoding === 4 || encoding === 6)) rank = 1; // Unicode full repertoire
    else if (platform === 3 && encoding === 1) rank = 2; // Windows BMP
    else if (platform === 0 && encoding <= 3) rank = 3; // Unicode BMP
    if (rank >= 0) candidates.push({ rank, offset });
  }
  candidates.sort((a, b) => a.rank - b.rank);
  const lookups: ((cp: number) => number)[] = [];
  for (const c of candidates) {
    const format = r.read(c.offset, 2).readUInt16BE(0);
    if (format === 12) lookups.push(format12(r, c.offset));
    else if (format === 4) lookups.push(format4(r, c.offset));
    if (lookups.length > 0 && format === 12) break;
  }
  if (lookups.length === 0) return () => 0;
  return (cp) => {
    for (const l of lookups) {
      const g = l(cp);
      if (g !== 0) return g;
    }
    return 0;
  };
}

function format12(r: FileReader, offset: number): (cp: number) => number {
  const h = r.read(offset, 16);
  const nGroups = h.readUInt32BE(12);
  const g = r.read(offset + 16, 12 * nGroups);
  const starts = new Uint32Array(nGroups);
  const ends = new Uint32Array(nGroups);
  const glyphs = new Uint32Array(nGroups);
  for (let i = 0; i < nGroups; i++) {
    starts[i] = g.readUInt32BE(12 * i);
    ends[i] = g.readUInt32BE(12 * i + 4);
    glyphs[i] = g.readUInt32BE(12 * i + 8);
  }
  return (cp) => {
    let lo = 0;
    let hi = nGroups - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < starts[mid]) hi = mid - 1;
      else if (cp > ends[mid]) lo = mid + 1;
      else return glyphs[mid] + (cp - starts[mid]);
    }
    return 0;
  };
}

function format4(r: FileReader, offset: number): (cp: number) => number {
  const length = r.read(offset, 4).readUInt16BE(2);
  const t = r.read(offset, length);
  const segX2 = t.readUInt16BE(6);
  const seg = segX2 / 2;
  const endBase = 14;
  const startBase = endBase + segX2 + 2;
  const deltaBase = startBase + segX2;
  const rangeBase = deltaBase + segX2;
  return (cp) => {
    if (cp > 0xffff) return 0;
    let lo = 0;
    let hi = seg - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const end = t.readUInt16BE(endBase + 2 * mid);
      const start = t.readUInt16BE(startBase + 2 * mid);
      if (cp > end) lo = mid + 1;
      else if (cp < start) hi = mid - 1;
      else {
        const delta = t.readInt16BE(deltaBase + 2 * mid);
        const rangeOffset = t.readUInt16BE(rangeBase + 2 * mid);
        if (rangeOffset === 0) return (cp + delta) & 0xffff;
        const at = rangeBase + 2 * mid + rangeOffset + 2 * (cp - start);
        if (at + 2 > t.length) return 0;
        const glyph = t.readUInt16BE(at);
        return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
      }
    }
    return 0;
  };
}
