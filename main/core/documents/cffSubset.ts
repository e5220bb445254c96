// A CID-keyed CFF subset built from cached, desubroutinized glyphs (issue 15, point 1: "subsets built
// from cached glyph data"). fontkit's subsetter keeps every global and local subroutine slot of a CJK
// font (3,000 global, 3,000 per font dict; unused ones as one-byte stubs) and re-encodes those tables
// for every document — about 50 ms a font. Here each glyph's charstring is flattened once per process
// (every callsubr / callgsubr replaced by the subroutine's body), so a subset needs no subroutines and
// is the concatenation of cached bytes: header, names, one top dict, the charstrings, and for each font
// dict used its dict and private dict (copied from the font, without Subrs).
//
// The layout follows the CFF specification (Adobe TN #5176) and the Type 2 charstring format (TN #5177).

interface SubrRef {
  offset: number;
  length: number;
}
/** Places in the font's bytes by index: an array, or an INDEX read lazily (a CJK face has ~120,000). */
interface Refs {
  readonly length: number;
  at(i: number): SubrRef | undefined;
}
/** The part of a fontkit font used here: its file's bytes and table directory (nothing fontkit decoded). */
export interface CffFont {
  postscriptName: string;
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number }> };
}

/**
 * What is read once per face, straight from the font file's bytes (fontkit's own CFF decoding of a CJK
 * face — 65,535 charstrings and ~54,000 local subroutines as objects — costs ~40 ms and is never done):
 * the charstrings' places, each glyph's font dict, the subroutines' places, the raw font dicts and
 * private dicts, and the flattened glyphs as they are made.
 */
interface FaceData {
  bytes: Uint8Array;
  charStrings: Refs;
  fdOf: (gid: number) => number;
  gsubrs: Refs;
  /** Top DICT entries copied into the subset (FontBBox, FontMatrix), raw. */
  topExtra: Uint8Array;
  /** Per font dict: its entries without FontName and Private, raw; its private dict without Subrs, raw. */
  fds: { dict: Uint8Array; priv: Uint8Array; subrs: Refs }[];
  glyphs: Map<number, Uint8Array>;
}

const faces = new WeakMap<object, FaceData | null>();

// ---------------------------------------------------------------------------------------------
// Reading

/** An INDEX: its entries' places, computed when asked for, and where it ends. */
function readIndex(b: Uint8Array, pos: number): Refs & { end: number; items: [number, number][] } {
  const count = (b[pos] << 8) | b[pos + 1];
  if (count === 0) return { length: 0, at: () => undefined, end: pos + 2, items: [] };
  const offSize = b[pos + 2];
  const offAt = (i: number) => {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + b[pos + 3 + i * offSize + k];
    return v;
  };
  const dataStart = pos + 3 + (count + 1) * offSize - 1;
  const at = (i: number): SubrRef | undefined => {
    if (!(i >= 0 && i < count)) return undefined;
    const s = dataStart + offAt(i);
    return { offset: s, length: dataStart + offAt(i + 1) - s };
  };
  return {
    length: count,
    at,
    end: dataStart + offAt(count),
    // Every entry as [start, end): only for the short indexes (names, top dicts, font dicts).
    get items() {
      return Array.from({ length: count }, (_, i) => {
        const r = at(i)!;
        return [r.offset, r.offset + r.length] as [number, number];
      });
    },
  };
}

interface DictEntry {
  op: number;
  operands: number[];
  start: number;
  end: number;
}

/** A DICT's entries with their raw byte ranges (op 12 x is 1200 + x). */
function parseDict(b: Uint8Array, start: number, end: number): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: number[] = [];
  let entryStart = start;
  let p = start;
  while (p < end) {
    const v = b[p];
    if (v <= 21) {
      let op = v;
      p++;
      if (v === 12) op = 1200 + b[p++];
      out.push({ op, operands, start: entryStart, end: p });
      operands = [];
      entryStart = p;
    } else if (v === 28) {
      operands.push(((b[p + 1] << 24) >> 16) | b[p + 2]);
      p += 3;
    } else if (v === 29) {
      operands.push((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]);
      p += 5;
    } else if (v === 30) {
      // A real number: nibbles up to 0xf. Its value is not needed, only skipped.
      p++;
      while (p < end && (b[p] & 0x0f) !== 0x0f && (b[p] >> 4) !== 0x0f) p++;
      p++;
      operands.push(0);
    } else if (v >= 32 && v <= 246) {
      operands.push(v - 139);
      p++;
    } else if (v >= 247 && v <= 250) {
      operands.push((v - 247) * 256 + b[p + 1] + 108);
      p += 2;
    } else if (v >= 251 && v <= 254) {
      operands.push(-(v - 251) * 256 - b[p + 1] - 108);
      p += 2;
    } else throw new Error(`CFF DICT: unexpected byte ${v}`);
  }
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const n = parts.reduce((s, x) => s + x.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
};


/** The face's CFF data, or null when it is not a CID-keyed CFF (then fontkit subsets it as before). */
export function faceData(font: CffFont): FaceData | null {
  const known = faces.get(font);
  if (known !== undefined) return known;
  let data: FaceData | null = null;
  try {
    data = readFace(font);
  } catch {
    data = null;
  }
  faces.set(font, data);
  return data;
}

function readFace(font: CffFont): FaceData | null {
  const table = font.directory.tables['CFF '];
  if (!table) return null;
  const bytes = font.stream.buffer;
  const base = table.offset;
  if (bytes[base] !== 1) return null; // CFF2 or not CFF
  const hdrSize = bytes[base + 2];
  const names = readIndex(bytes, base + hdrSize);
  const tops = readIndex(bytes, names.end);
  const strings = readIndex(bytes, tops.end);
  const gsubrs = readIndex(bytes, strings.end);
  const [ts, te] = tops.items[0];
  const top = parseDict(bytes, ts, te);
  const op = (code: number) => top.find((e) => e.op === code);
  const fdArray = op(1236);
  const fdSelect = op(1237);
  const charStringsAt = op(17);
  if (!op(1230) || !fdArray || !fdSelect || !charStringsAt) return null; // not CID-keyed
  const charStrings = readIndex(bytes, base + charStringsAt.operands[0]);
  const fdIndex = readIndex(bytes, base + fdArray.operands[0]);
  const fds = fdIndex.items.map(([s, e]) => {
    const entries = parseDict(bytes, s, e);
    const priv = entries.find((x) => x.op === 18);
    const dict = concat(entries.filter((x) => x.op !== 18 && x.op !== 1238).map((x) => bytes.subarray(x.start, x.end)));
    let privBytes = new Uint8Array(0);
    let subrs: Refs = [];
    if (priv) {
      const [size, off] = priv.operands;
      const ps = base + off;
      const pe = parseDict(bytes, ps, ps + size);
      privBytes = concat(pe.filter((x) => x.op !== 19).map((x) => bytes.subarray(x.start, x.end)));
      const local = pe.find((x) => x.op === 19);
      if (local) subrs = readIndex(bytes, ps + local.operands[0]);
    }
    return { dict, priv: privBytes, subrs };
  });
  // FDSelect, format 0 (a byte a glyph) or 3 (ranges).
  const fs0 = base + fdSelect.operands[0];
  let fdOf: (gid: number) => number;
  if (bytes[fs0] === 0) fdOf = (gid) => bytes[fs0 + 1 + gid];
  else if (bytes[fs0] === 3) {
    const n = (bytes[fs0 + 1] << 8) | bytes[fs0 + 2];
    const firsts: number[] = [];
    const fdsOf: number[] = [];
    for (let i = 0; i < n; i++) {
      const p = fs0 + 3 + i * 3;
      firsts.push((bytes[p] << 8) | bytes[p + 1]);
      fdsOf.push(bytes[p + 2]);
    }
    fdOf = (gid) => {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firsts[mid] <= gid) lo = mid;
        else hi = mid - 1;
      }
      return fdsOf[lo];
    };
  } else return null;
  const keep = top.filter((e) => e.op === 5 || e.op === 1207); // FontBBox, FontMatrix
  return { bytes, charStrings, fdOf, gsubrs, topExtra: concat(keep.map((e) => bytes.subarray(e.start, e.end))), fds, glyphs: new Map() };
}

// ---------------------------------------------------------------------------------------------
// Flattening a Type 2 charstring

const bias = (n: number) => (n < 1240 ? 107 : n < 33900 ? 1131 : 32768);
const STEM_OPS = new Set([1, 3, 18, 23]); // hstem vstem hstemhm vstemhm

/** The glyph's charstring with every subroutine call replaced by the subroutine's body. */
export function flattenCharstring(bytes: Uint8Array, glyph: SubrRef, gsubrs: Refs, lsubrs: Refs): Uint8Array {
  const out: number[] = [];
  /** The operands since the last operator, as raw bytes (a call takes the last one away). */
  let pending: { from: number; to: number; value: number }[] = [];
  let stems = 0;
  let done = false;
  const flush = () => {
    for (const o of pending) for (let k = o.from; k < o.to; k++) out.push(bytes[k]);
    pending = [];
  };
  const run = (start: number, end: number, depth: number) => {
    if (depth > 10) throw new Error('CFF charstring: subroutines nested too deep');
    let p = start;
    while (p < end && !done) {
      const v = bytes[p];
      if (v >= 32 || v === 28) {
        const len = v === 28 ? 3 : v <= 246 ? 1 : v <= 254 ? 2 : 5;
        const value = v === 28 ? ((bytes[p + 1] << 24) >> 16) | bytes[p + 2] : v <= 246 ? v - 139 : v <= 250 ? (v - 247) * 256 + bytes[p + 1] + 108 : v <= 254 ? -(v - 251) * 256 - bytes[p + 1] - 108 : 0;
        pending.push({ from: p, to: p + len, value });
        p += len;
        continue;
      }
      if (v === 10 || v === 29) {
        const index = pending.pop()!.value;
        const subrs = v === 10 ? lsubrs : gsubrs;
        const i = index + bias(subrs.length);
        const subr = i >= 0 ? subrs.at(i) : undefined;
        if (!subr) throw new Error('CFF charstring: missing subroutine');
        run(subr.offset, subr.offset + subr.length, depth + 1);
        p++;
        continue;
      }
      if (v === 11) return; // return from a subroutine
      if (STEM_OPS.has(v)) stems += pending.length >> 1;
      if (v === 19 || v === 20) {
        // hintmask / cntrmask: operands before it are implicit vstems; the mask bytes follow.
        stems += pending.length >> 1;
        flush();
        const maskLen = (stems + 7) >> 3;
        out.push(v);
        for (let k = 1; k <= maskLen; k++) out.push(bytes[p + k]);
        p += 1 + maskLen;
        continue;
      }
      flush();
      if (v === 12) {
        out.push(v, bytes[p + 1]);
        p += 2;
        continue;
      }
      out.push(v);
      p++;
      if (v === 14) done = true; // endchar
    }
  };
  run(glyph.offset, glyph.offset + glyph.length, 0);
  flush();
  if (!done) out.push(14);
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Writing

function writeIndex(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return Uint8Array.from([0, 0]);
  const total = items.reduce((s, x) => s + x.length, 0) + 1;
  const offSize = total < 0x100 ? 1 : total < 0x10000 ? 2 : total < 0x1000000 ? 3 : 4;
  const head = new Uint8Array(3 + (items.length + 1) * offSize);
  head[0] = items.length >> 8;
  head[1] = items.length & 0xff;
  head[2] = offSize;
  let off = 1;
  const put = (i: number, v: number) => {
    for (let k = offSize - 1; k >= 0; k--) {
      head[3 + i * offSize + k] = v & 0xff;
      v = Math.floor(v / 256);
    }
  };
  items.forEach((x, i) => {
    put(i, off);
    off += x.length;
  });
  put(items.length, off);
  return concat([head, ...items]);
}

/** A DICT integer in the 5-byte form, so that offsets can be written before they are known. */
const int5 = (v: number) => Uint8Array.from([29, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const op = (...codes: number[]) => Uint8Array.from(codes);
const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0) & 0xff));

/** The subset of these glyphs (glyph 0 first), in the order given: new glyph id = index, CID = index. */
export function encodeCffSubset(font: CffFont, glyphIds: number[]): Uint8Array | null {
  const face = faceData(font);
  if (!face) return null;
  const fdOf = glyphIds.map((g) => face.fdOf(g) ?? 0);
  const usedFds = [...new Set(fdOf)];
  const newFd = new Map(usedFds.map((fd, i) => [fd, i]));
  const charstrings = glyphIds.map((g, i) => {
    let cs = face.glyphs.get(g);
    if (!cs) {
      const glyph = face.charStrings.at(g);
      if (!glyph) throw new Error(`CFF subset: no glyph ${g}`);
      cs = flattenCharstring(face.bytes, glyph, face.gsubrs, face.fds[fdOf[i]]?.subrs ?? []);
      face.glyphs.set(g, cs);
    }
    return cs;
  });
  const n = glyphIds.length;
  const header = op(1, 0, 4, 4);
  const nameIndex = writeIndex([latin1(font.postscriptName)]);
  const stringIndex = writeIndex([latin1('Adobe'), latin1('Identity')]);
  const gsubrIndex = writeIndex([]);
  const charset = n > 1 ? op(2, 0, 1, ((n - 2) >> 8) & 0xff, (n - 2) & 0xff) : op(0);
  const fdSelect = Uint8Array.from([0, ...fdOf.map((fd) => newFd.get(fd)!)]);
  const charStringsIndex = writeIndex(charstrings);
  // Top DICT: ROS (Adobe-Identity-0; SIDs 391 and 392 are the first two strings), CIDCount, the copied
  // entries, then the four offsets in 5-byte form, so its size does not depend on them.
  const topFixed = concat([int5(391), int5(392), int5(0), op(12, 30), int5(n), op(12, 34), face.topExtra]);
  const topSize = topFixed.length + 4 * 5 + 1 + 1 + 2 + 2; // 4 offsets, ops 15, 17, 12 36, 12 37
  const topIndexLen = writeIndex([new Uint8Array(topSize)]).length;
  let pos = header.length + nameIndex.length + topIndexLen + stringIndex.length + gsubrIndex.length;
  const charsetAt = pos;
  pos += charset.length;
  const fdSelectAt = pos;
  pos += fdSelect.length;
  const charStringsAt = pos;
  pos += charStringsIndex.length;
  const fdArrayAt = pos;
  // Font dicts point at their private dicts, which follow the FDArray.
  const fdDictLen = (fd: number) => face.fds[fd].dict.length + 5 + 5 + 1;
  const fdArrayLen = writeIndex(usedFds.map((fd) => new Uint8Array(fdDictLen(fd)))).length;
  let privAt = fdArrayAt + fdArrayLen;
  const fdDicts: Uint8Array[] = [];
  const privs: Uint8Array[] = [];
  for (const fd of usedFds) {
    const f = face.fds[fd];
    fdDicts.push(concat([f.dict, int5(f.priv.length), int5(privAt), op(18)]));
    privs.push(f.priv);
    privAt += f.priv.length;
  }
  const top = concat([topFixed, int5(charsetAt), op(15), int5(charStringsAt), op(17), int5(fdArrayAt), op(12, 36), int5(fdSelectAt), op(12, 37)]);
  if (top.length !== topSize) throw new Error('CFF subset: top dict size');
  return concat([header, nameIndex, writeIndex([top]), stringIndex, gsubrIndex, charset, fdSelect, charStringsIndex, writeIndex(fdDicts), ...privs]);
}
