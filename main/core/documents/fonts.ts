// Chinese fonts for the PDF renderer. Official documents need 仿宋 (body), 小标宋 (title), 黑体 (一、
// headings), 楷体 (（一） headings) and 宋体 (page numbers). Machines differ: Windows ships 仿宋/宋体/黑体/楷体,
// macOS ships 宋体-简 and 华文仿宋, Linux has Noto CJK or AR PL. The administrator may reorder the
// candidates (e.g. put 方正小标宋 first once it is installed); each role takes the best font found.
// The PDF embeds a subset of each font, so the reader needs no font installed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../domain/errors';
import { readFontFaces, type FontFace } from './sfnt';

/** Typeface styles used in official documents. */
export type FontStyle = 'fangsong' | 'xiaobiaosong' | 'hei' | 'kai' | 'song';
/** Where a font is used in a document. */
export type FontRole = 'body' | 'title' | 'heading1' | 'heading2' | 'pageNumber';
export const FONT_ROLES: readonly FontRole[] = ['body', 'title', 'heading1', 'heading2', 'pageNumber'];

/** For each role, the styles that may stand in, best first (e.g. no 小标宋 installed → 宋体 title). */
export const ROLE_STYLES: Readonly<Record<FontRole, readonly FontStyle[]>> = {
  body: ['fangsong', 'song', 'kai', 'hei'],
  title: ['xiaobiaosong', 'song', 'hei', 'fangsong'],
  heading1: ['hei', 'song', 'fangsong'],
  heading2: ['kai', 'fangsong', 'song', 'hei'],
  pageNumber: ['song', 'fangsong', 'hei'],
};

export interface FontCandidate {
  /** File name looked up in the font directories (case-insensitive), or an absolute path. */
  file: string;
  /** PostScript name of the face inside a .ttc; omitted → the Simplified Chinese face, else the first. */
  face?: string;
  style: FontStyle;
}

/**
 * Default candidates, in order of preference within each style. Windows names are the files shipped in
 * C:\Windows\Fonts; macOS and Linux names the system fonts; 方正小标宋 and 仿宋_GB2312 are commercial
 * fonts many agencies install.
 */
export const DEFAULT_FONT_CANDIDATES: readonly FontCandidate[] = [
  // 方正小标宋简体 / 仿宋_GB2312 / 楷体_GB2312, where the agency installed them
  { file: 'FZXBSJW.TTF', style: 'xiaobiaosong' },
  { file: '方正小标宋简体.ttf', style: 'xiaobiaosong' },
  { file: 'FS_GB2312.ttf', style: 'fangsong' },
  { file: '仿宋_GB2312.ttf', style: 'fangsong' },
  { file: 'KT_GB2312.ttf', style: 'kai' },
  // Windows
  { file: 'simfang.ttf', style: 'fangsong' },
  { file: 'simsun.ttc', face: 'SimSun', style: 'song' },
  { file: 'simhei.ttf', style: 'hei' },
  { file: 'simkai.ttf', style: 'kai' },
  // macOS
  { file: 'STFANGSO.ttf', style: 'fangsong' },
  { file: 'STFangsong.ttf', style: 'fangsong' },
  { file: 'Songti.ttc', face: 'STSongti-SC-Bold', style: 'xiaobiaosong' },
  { file: 'Songti.ttc', face: 'STSongti-SC-Regular', style: 'song' },
  { file: 'STHeiti Medium.ttc', face: 'STHeitiSC-Medium', style: 'hei' },
  { file: 'Kaiti.ttc', face: 'STKaitiSC-Regular', style: 'kai' },
  // Linux: Noto CJK (Debian fonts-noto-cjk), AR PL (fonts-arphic-uming / -ukai)
  { file: 'NotoSerifCJK-Bold.ttc', face: 'NotoSerifCJKsc-Bold', style: 'xiaobiaosong' },
  { file: 'NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular', style: 'song' },
  { file: 'NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular', style: 'hei' },
  { file: 'NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold', style: 'hei' },
  { file: 'ukai.ttc', style: 'kai' },
  { file: 'uming.ttc', style: 'song' },
];

/** Font directories of the platform, searched in this order (and their sub-directories, 3 levels deep). */
export function defaultFontDirs(
  platform: NodeJS.Platform = process.platform,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = os.homedir(),
): string[] {
  if (platform === 'win32') {
    const windir = env.WINDIR || env.SystemRoot || 'C:\\Windows';
    const dirs = [path.win32.join(windir, 'Fonts')];
    if (env.LOCALAPPDATA) dirs.push(path.win32.join(env.LOCALAPPDATA, 'Microsoft', 'Windows', 'Fonts'));
    return dirs;
  }
  if (platform === 'darwin') {
    return ['/System/Library/Fonts', '/System/Library/Fonts/Supplemental', '/Library/Fonts', path.posix.join(home, 'Library/Fonts')];
  }
  const dataHome = env.XDG_DATA_HOME || path.posix.join(home, '.local/share');
  return ['/usr/share/fonts', '/usr/local/share/fonts', path.posix.join(dataHome, 'fonts'), path.posix.join(home, '.fonts')];
}

export interface ResolvedFont {
  style: FontStyle;
  file: string;
  face: FontFace;
}

export interface FontSet {
  /** The font used for each role. */
  roles: Readonly<Record<FontRole, ResolvedFont>>;
  /**
   * Every usable font found, in candidate order: a character missing from a role's font is taken from
   * the first of these that has it, so no glyph is ever dropped.
   */
  all: readonly ResolvedFont[];
  /** Roles that got a substitute style (e.g. title set in 宋体 because no 小标宋 is installed). */
  substitutes: readonly { role: FontRole; wanted: FontStyle; used: FontStyle }[];
}

export interface FindFontsOptions {
  /** Directories to search; defaults to the platform's font directories. Tests inject empty ones. */
  dirs?: readonly string[];
  /** Ordered candidates; defaults to DEFAULT_FONT_CANDIDATES. */
  candidates?: readonly FontCandidate[];
  platform?: NodeJS.Platform;
}

/** Characters every candidate must have to count as a Chinese font. */
const CJK_PROBE = '中华人民共和国法制审核意见书〔〕年月日，。：一二三';

/**
 * Finds the fonts for every role. Throws AppError('VALIDATION') with installation advice in Chinese when
 * the machine has no usable Chinese font at all.
 */
export function findCjkFonts(options: FindFontsOptions = {}): FontSet {
  const platform = options.platform ?? process.platform;
  const dirs = options.dirs ?? defaultFontDirs(platform);
  const candidates = options.candidates ?? DEFAULT_FONT_CANDIDATES;
  const index = indexFontFiles(dirs);

  const found: ResolvedFont[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const file = path.isAbsolute(c.file) || path.win32.isAbsolute(c.file) ? (isFile(c.file) ? c.file : undefined) : index.get(c.file.toLowerCase());
    if (!file) continue;
    const face = pickFace(file, c.face);
    if (!face || !coversAll(face, CJK_PROBE)) continue;
    const key = `${c.style}|${file}|${face.postscriptName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ style: c.style, file, face });
  }
  if (found.length === 0) {
    throw new AppError('VALIDATION', noFontMessage(platform), { searched: dirs });
  }

  const substitutes: { role: FontRole; wanted: FontStyle; used: FontStyle }[] = [];
  const roles = {} as Record<FontRole, ResolvedFont>;
  for (const role of FONT_ROLES) {
    const styles = ROLE_STYLES[role];
    let chosen: ResolvedFont | undefined;
    for (const style of styles) {
      chosen = found.find((f) => f.style === style);
      if (chosen) break;
    }
    chosen ??= found[0];
    if (chosen.style !== styles[0]) substitutes.push({ role, wanted: styles[0], used: chosen.style });
    roles[role] = chosen;
  }
  return { roles, all: found, substitutes };
}

function noFontMessage(platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return '未找到中文字体，无法生成 PDF：请确认 C:\\Windows\\Fonts 中有仿宋（simfang.ttf）、宋体（simsun.ttc）、黑体（simhei.ttf）或楷体（simkai.ttf），缺失时请由管理员安装后重试。';
  }
  if (platform === 'darwin') {
    return '未找到中文字体，无法生成 PDF：请在“字体册”中安装“宋体-简”（Songti SC）或“华文仿宋”（STFangsong）后重试。';
  }
  return '未找到中文字体，无法生成 PDF：请安装仿宋/宋体（Windows 自带）或在 Linux 上安装 fonts-noto-cjk 软件包（sudo apt install fonts-noto-cjk）后重试。';
}

/** Lower-cased file name → first path found, walking each directory up to 3 levels deep. */
/**
 * The font directories' index, kept a minute: walking /usr/share/fonts (or C:\\Windows\\Fonts) costs
 * ~15 ms, once per document otherwise. A font installed meanwhile is found within the minute.
 */
const INDEX_TTL_MS = 60_000;
const indexCache = new Map<string, { at: number; index: Map<string, string> }>();
function indexFontFiles(dirs: readonly string[]): Map<string, string> {
  const key = dirs.join('\n');
  const hit = indexCache.get(key);
  if (hit && Date.now() - hit.at < INDEX_TTL_MS) return hit.index;
  const index = walkFontDirs(dirs);
  indexCache.set(key, { at: Date.now(), index });
  return index;
}

function walkFontDirs(dirs: readonly string[]): Map<string, string> {
  const index = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // missing or unreadable directory: nothing to find there
    }
    const subdirs: string[] = [];
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) subdirs.push(p);
      else if ((e.isFile() || e.isSymbolicLink()) && /\.(ttf|ttc|otf|otc)$/i.test(e.name)) {
        const key = e.name.toLowerCase();
        if (!index.has(key)) index.set(key, p);
      }
    }
    if (depth < 3) for (const s of subdirs.sort()) walk(s, depth + 1);
  };
  for (const d of dirs) walk(d, 0);
  return index;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

const faceCache = new Map<string, FontFace[] | null>();

/** Faces of a font file, cached per path, size and modification time; null for an unreadable file. */
function facesOf(file: string): FontFace[] | null {
  let key: string;
  try {
    const st = fs.statSync(file);
    key = `${file}|${st.size}|${st.mtimeMs}`;
  } catch {
    return null;
  }
  if (!faceCache.has(key)) {
    let faces: FontFace[] | null;
    try {
      faces = readFontFaces(file);
    } catch {
      faces = null; // not a font we can read: skip it like a missing one
    }
    faceCache.set(key, faces);
  }
  return faceCache.get(key) ?? null;
}

function pickFace(file: string, wanted: string | undefined): FontFace | undefined {
  const faces = facesOf(file);
  if (!faces || faces.length === 0) return undefined;
  if (wanted) return faces.find((f) => f.postscriptName === wanted);
  return faces.find((f) => /(?:sc|SC|CN|GB)(?:[-_]|$)/.test(f.postscriptName)) ?? faces[0];
}

/** Whether the face has a glyph for every character of text (whitespace and controls excepted). */
export function coversAll(face: FontFace, text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isIgnorable(cp)) continue;
    if (!face.hasCodePoint(cp)) return false;
  }
  return true;
}

/** Code points that need no glyph: ASCII space and C0/C1 controls (line feeds are layout, not glyphs). */
export function isIgnorable(cp: number): boolean {
  return cp === 0x20 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfeff || (cp >= 0x200b && cp <= 0x200d);
}

/** A short human description of the chosen fonts, e.g. for the settings page or a log line. */
export function describeFontSet(set: FontSet): Record<FontRole, string> {
  const out = {} as Record<FontRole, string>;
  for (const role of FONT_ROLES) {
    const f = set.roles[role];
    out[role] = `${f.face.displayName} (${path.basename(f.file)})`;
  }
  return out;
}
