// A small, strict template language for official documents. A template is a UTF-8 text file:
//
//   ---
//   id: review-opinion              file name without .txt; [a-z0-9-]
//   title: 法制审核意见书            DocModel.title (may use {{…}})
//   kind: internal                   internal 内部文书 | external 对外执法文书 | public 公示信息
//   applies: penalty                 optional: decision kinds it is meant for (comma separated)
//   docNumber: {{docNumber}}         optional: DocModel.docNumber (omitted when empty)
//   recipient: {{case.handlingUnit}} optional: DocModel.recipient (omitted when empty)
//   agency: {{agency.name}}          optional: 落款 (default {{agency.name}})
//   date: {{date | cn}}              optional: 落款日期 (default {{date | cn}})
//   signer: 审核人：{{x | or:""}}     optional: the 落款's signer line, "角色：姓名" (omitted when the name is empty);
//                                    the one place the document names its signer — issuing puts the signer's
//                                    own name and role there (services/issue.ts), never a second line
//   description: …                   optional: shown to administrators
//   ---
//   # 一、标题          heading1            ## （一）小标题   heading2
//   正文                paragraph (first line indented)
//   [noindent] 正文     paragraph without indent; [right] / [center] aligned paragraphs
//   |甲|乙|             table row; a row |---|---| right after the first row makes it a header row,
//   |---20|---80|       and numbers in it give relative column widths
//   (blank line)        ends a table
//   {{field.path}}      substitution;  {{field | filter | filter:"参数"}}
//   {{#if x}}…{{else}}…{{/if}}   {{#if x == "agree"}}  {{#if x != "agree"}}  {{#unless x}}…{{/unless}}
//   {{#each list}}…{{else}}（空列表时）…{{/each}}   {{#each list as r}}{{r.name}}{{/each}}
//                       inside #each: {{this}} / {{this.x}} / {{x}} (the item), {{@index}} {{@number}} {{@first}} {{@last}}
//   {{fill "标签"}}     always a placeholder 〔待填写：标签〕
//   {{! 注释 }}         comment
// A block tag alone on its line spans lines (its blocks); inside a line it must open and close on
// the same line (in a table, in the same cell).
//
// Filters: capitals (金额大写), yuan (50,000元), cn (日期 2026年11月23日), cnTime (含时刻), cnNum (六十),
// sentence (句末无标点时补“。”), mask (证件号码脱敏), maskName (张某), join:"、" (列表), fill:"标签" (为空时 〔待填写：标签〕，
// 所在段落成为待填写块), or:"文字" (为空时的替代文字).
//
// Everything is checked against the field schema (fields.ts) when the template is parsed — unknown
// field, unknown filter, a filter on the wrong type, a possibly-empty field without {{#if}} / fill / or,
// an unclosed block, a stray }} — and refused with a TemplateError naming the template, the line, the
// column and the offending text. Rendering never returns a half-filled document: missing data is an
// error, and only fill produces (visible, checkable) placeholders.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors';
import { formatYuan, yuanInCapitals } from '../domain/money';
import { cstDate, formatChineseDate, formatChineseDateTime, isValidDate } from '../domain/calendar/cst';
import { DECISION_KIND_LABELS, DECISION_KINDS, type DecisionKind } from '../domain/types';
import type { CaseDetail } from '../domain/views';
import type { Block, DocModel } from './model';
import {
  TEMPLATE_SCHEMA,
  buildTemplateData,
  chineseNumber,
  checkDataAgainstSchema,
  maskIdentifier,
  maskPersonName,
  type FieldSpec,
  type FieldType,
  type TemplateExtra,
} from './fields';

// ---------------------------------------------------------------------------------------------
// Errors

export class TemplateError extends AppError {
  constructor(
    readonly template: string,
    readonly line: number,
    readonly column: number,
    readonly problem: string,
    readonly excerpt: string,
  ) {
    super(
      'VALIDATION',
      `模板“${template}”第${line}行第${column}列：${problem}${excerpt ? `——“${excerpt.length > 80 ? `${excerpt.slice(0, 80)}…` : excerpt}”` : ''}`,
      { template, line, column, problem, excerpt },
    );
    this.name = 'TemplateError';
  }
}

/** The marker a fill filter leaves: 〔待填写：标签〕. */
export const PLACEHOLDER_OPEN = '〔待填写：';
export const PLACEHOLDER_CLOSE = '〕';
export const placeholderText = (label: string): string => `${PLACEHOLDER_OPEN}${label}${PLACEHOLDER_CLOSE}`;

export const TEMPLATE_KINDS = { internal: '内部文书', external: '对外执法文书', public: '公示信息' } as const;
export type TemplateKind = keyof typeof TEMPLATE_KINDS;

// ---------------------------------------------------------------------------------------------
// AST

interface Pos {
  line: number;
  col: number;
  raw: string;
}

interface Ref {
  /** -1: the data root; n: the item of the n-th enclosing #each (outermost 0). */
  base: number;
  segs: string[];
  /** Spec of each segment (for runtime checks of required data). */
  specs: FieldSpec[];
  spec: FieldSpec;
  special?: '@index' | '@number' | '@first' | '@last';
  text: string;
}

interface Filter {
  name: string;
  arg?: string | number;
}

interface Expr {
  path: string;
  ref?: Ref;
  filters: Filter[];
}

interface Cond {
  path: string;
  ref?: Ref;
  op?: '==' | '!=';
  lit?: string | number | boolean;
}

type Inline =
  | { t: 'text'; v: string }
  | { t: 'expr'; expr: Expr; pos: Pos }
  | { t: 'fill'; label: string; pos: Pos }
  | { t: 'if'; neg: boolean; cond: Cond; then: Inline[]; else: Inline[]; pos: Pos }
  | { t: 'each'; path: string; alias?: string; ref?: Ref; body: Inline[]; else: Inline[]; pos: Pos };

type Align = 'left' | 'right' | 'center';

type LineNode =
  | { t: 'line'; kind: 'heading1' | 'heading2' | 'paragraph'; indent: boolean; align?: Align; inl: Inline[]; pos: Pos }
  | { t: 'line'; kind: 'row'; cells: Inline[][]; pos: Pos }
  | { t: 'line'; kind: 'sep'; widths?: number[]; cellCount: number; pos: Pos }
  | { t: 'line'; kind: 'blank'; pos: Pos }
  | { t: 'if'; neg: boolean; cond: Cond; then: LineNode[]; else: LineNode[]; pos: Pos }
  | { t: 'each'; path: string; alias?: string; ref?: Ref; body: LineNode[]; else: LineNode[]; pos: Pos };

interface FrontField {
  inl: Inline[];
  pos: Pos;
}

export interface Template {
  id: string;
  /** The title as written (may contain {{…}}). */
  title: string;
  kind: TemplateKind;
  /** Decision kinds the template is meant for; undefined = all. */
  applies?: DecisionKind[];
  description?: string;
  /** Name used in error messages (the file name). */
  name: string;
  source: string;
  /** Parsed and validated body; opaque to callers. */
  readonly ast: {
    front: { title: FrontField; docNumber?: FrontField; recipient?: FrontField; agency: FrontField; date: FrontField; signer?: FrontField };
    body: LineNode[];
  };
}

// ---------------------------------------------------------------------------------------------
// Lexing and parsing

type Token = { t: 'text'; v: string; col: number } | { t: 'tag'; body: string; raw: string; col: number };

type Tag =
  | { k: 'comment' }
  | { k: 'open'; block: 'if' | 'unless'; cond: Cond }
  | { k: 'open'; block: 'each'; path: string; alias?: string }
  | { k: 'else' }
  | { k: 'close'; block: 'if' | 'unless' | 'each' }
  | { k: 'fill'; label: string }
  | { k: 'expr'; expr: Expr };

const PATH_RE = /^(?:@index|@number|@first|@last|this(?:\.[A-Za-z_]\w*)*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)$/;
const STRING_LIT = /^"((?:[^"\\]|\\.)*)"$/;
const FRONT_KEYS = ['id', 'title', 'kind', 'applies', 'docNumber', 'recipient', 'agency', 'date', 'signer', 'description'] as const;

class Parser {
  constructor(readonly name: string) {}

  fail(pos: { line: number; col: number }, problem: string, excerpt: string): never {
    throw new TemplateError(this.name, pos.line, pos.col, problem, excerpt);
  }

  /** Splits one line into text and {{tags}}; refuses an unclosed {{ and a stray }}. col is 1-based. */
  tokenize(s: string, line: number, col0: number): Token[] {
    const out: Token[] = [];
    let i = 0;
    while (i < s.length) {
      const open = s.indexOf('{{', i);
      const close = s.indexOf('}}', i);
      if (close !== -1 && (open === -1 || close < open)) {
        this.fail({ line, col: col0 + close }, '多余的“}}”（没有对应的“{{”）', s.slice(Math.max(0, close - 20), close + 2));
      }
      if (open === -1) {
        out.push({ t: 'text', v: s.slice(i), col: col0 + i });
        break;
      }
      if (open > i) out.push({ t: 'text', v: s.slice(i, open), col: col0 + i });
      const end = s.indexOf('}}', open + 2);
      if (end === -1) this.fail({ line, col: col0 + open }, '“{{”没有闭合（缺少“}}”）', s.slice(open, open + 40));
      const inner = s.slice(open + 2, end);
      if (inner.includes('{{')) this.fail({ line, col: col0 + open }, '标签中不能再出现“{{”', s.slice(open, end + 2));
      out.push({ t: 'tag', body: inner.trim(), raw: s.slice(open, end + 2), col: col0 + open });
      i = end + 2;
    }
    return out;
  }

  parseLiteral(s: string, pos: Pos): string | number | boolean {
    const m = STRING_LIT.exec(s);
    if (m) return m[1].replace(/\\(.)/g, '$1');
    if (/^-?\d+$/.test(s)) return Number(s);
    if (s === 'true' || s === 'false') return s === 'true';
    return this.fail(pos, '无法识别的常量（文字须用英文双引号括起，例如 "agree"）', s);
  }

  checkPath(p: string, pos: Pos): string {
    if (!PATH_RE.test(p)) this.fail(pos, `字段名“${p}”写法不正确（应为 字段.子字段 形式）`, pos.raw);
    return p;
  }

  /** Splits on | outside double quotes. */
  splitPipes(s: string): string[] {
    const parts: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '"' && s[i - 1] !== '\\') quoted = !quoted;
      if (c === '|' && !quoted) {
        parts.push(cur);
        cur = '';
      } else cur += c;
    }
    parts.push(cur);
    return parts.map((p) => p.trim());
  }

  parseTag(tok: Extract<Token, { t: 'tag' }>, line: number): Tag {
    const pos: Pos = { line, col: tok.col, raw: tok.raw };
    const b = tok.body;
    if (b.startsWith('!')) return { k: 'comment' };
    if (b === '') this.fail(pos, '空标签', tok.raw);
    let m = /^#(if|unless)\s+(.+)$/.exec(b);
    if (m) {
      const c = /^(\S+)\s*(==|!=)\s*(.+)$/.exec(m[2].trim());
      const cond: Cond = c
        ? { path: this.checkPath(c[1], pos), op: c[2] as '==' | '!=', lit: this.parseLiteral(c[3].trim(), pos) }
        : { path: this.checkPath(m[2].trim(), pos) };
      return { k: 'open', block: m[1] as 'if' | 'unless', cond };
    }
    m = /^#each\s+(\S+)(?:\s+as\s+(\S+))?$/.exec(b);
    if (m) {
      if (m[2] !== undefined && !/^[A-Za-z_]\w*$/.test(m[2])) this.fail(pos, `循环别名“${m[2]}”写法不正确`, tok.raw);
      if (m[2] === 'this') this.fail(pos, '循环别名不能是 this', tok.raw);
      return { k: 'open', block: 'each', path: this.checkPath(m[1], pos), ...(m[2] ? { alias: m[2] } : {}) };
    }
    if (/^#/.test(b)) this.fail(pos, `未知的块标签（可用：#if、#unless、#each）`, tok.raw);
    if (b === 'else') return { k: 'else' };
    m = /^\/(if|unless|each)$/.exec(b);
    if (m) return { k: 'close', block: m[1] as 'if' | 'unless' | 'each' };
    if (b.startsWith('/')) this.fail(pos, '未知的结束标签（可用：/if、/unless、/each）', tok.raw);
    m = /^fill\s+(.+)$/.exec(b);
    if (m) {
      const lit = STRING_LIT.exec(m[1].trim());
      if (!lit || !lit[1].trim()) this.fail(pos, 'fill 须带一个非空的标签，例如 {{fill "履行期限"}}', tok.raw);
      return { k: 'fill', label: lit[1] };
    }
    const parts = this.splitPipes(b);
    const head = parts[0];
    if (!PATH_RE.test(head)) this.fail(pos, `无法识别的标签内容“${head}”`, tok.raw);
    const filters = parts.slice(1).map((p): Filter => {
      const fm = /^([A-Za-z_]\w*)(?:\s*:\s*(.+))?$/.exec(p);
      if (!fm) this.fail(pos, `过滤器“${p}”写法不正确（应为 名称 或 名称:"参数"）`, tok.raw);
      const arg = fm[2] === undefined ? undefined : this.parseLiteral(fm[2].trim(), pos);
      if (typeof arg === 'boolean') this.fail(pos, `过滤器“${fm[1]}”的参数不能是 true/false`, tok.raw);
      return { name: fm[1], ...(arg !== undefined ? { arg } : {}) };
    });
    return { k: 'expr', expr: { path: head, filters } };
  }

  /** Builds nested blocks from a flat list of leaves and block tags. */
  tree<N>(
    items: ({ k: 'leaf'; node: N } | { k: 'tag'; tag: Tag; pos: Pos })[],
    mk: (open: Extract<Tag, { k: 'open' }>, pos: Pos, then: N[], els: N[]) => N,
    scopeNote: string,
  ): N[] {
    const root: N[] = [];
    const stack: { open: Extract<Tag, { k: 'open' }>; pos: Pos; then: N[]; els: N[] | null }[] = [];
    const cur = () => (stack.length ? (stack[stack.length - 1].els ?? stack[stack.length - 1].then) : root);
    for (const it of items) {
      if (it.k === 'leaf') {
        cur().push(it.node);
        continue;
      }
      const tag = it.tag;
      if (tag.k === 'open') stack.push({ open: tag, pos: it.pos, then: [], els: null });
      else if (tag.k === 'else') {
        const top = stack[stack.length - 1];
        if (!top) this.fail(it.pos, `多余的 {{else}}（不在任何块中${scopeNote}）`, it.pos.raw);
        if (top.els !== null) this.fail(it.pos, '同一个块中出现了两个 {{else}}', it.pos.raw);
        top.els = [];
      } else if (tag.k === 'close') {
        const top = stack.pop();
        if (!top) this.fail(it.pos, `多余的 {{/${tag.block}}}（没有对应的 {{#${tag.block}}}${scopeNote}）`, it.pos.raw);
        if (top.open.block !== tag.block) {
          this.fail(it.pos, `{{/${tag.block}}} 与第${top.pos.line}行第${top.pos.col}列的 {{#${top.open.block}}} 不匹配`, it.pos.raw);
        }
        cur().push(mk(top.open, top.pos, top.then, top.els ?? []));
      }
    }
    const open = stack.pop();
    if (open) this.fail(open.pos, `{{#${open.open.block}}} 没有对应的 {{/${open.open.block}}}${scopeNote}`, open.pos.raw);
    return root;
  }

  inline(tokens: Token[], line: number, scopeNote: string): Inline[] {
    const items: ({ k: 'leaf'; node: Inline } | { k: 'tag'; tag: Tag; pos: Pos })[] = [];
    for (const tok of tokens) {
      if (tok.t === 'text') {
        items.push({ k: 'leaf', node: { t: 'text', v: tok.v } });
        continue;
      }
      const pos: Pos = { line, col: tok.col, raw: tok.raw };
      const tag = this.parseTag(tok, line);
      if (tag.k === 'comment') continue;
      if (tag.k === 'expr') items.push({ k: 'leaf', node: { t: 'expr', expr: tag.expr, pos } });
      else if (tag.k === 'fill') items.push({ k: 'leaf', node: { t: 'fill', label: tag.label, pos } });
      else items.push({ k: 'tag', tag, pos });
    }
    return this.tree<Inline>(
      items,
      (open, pos, then, els) =>
        open.block === 'each'
          ? { t: 'each', path: open.path, ...(open.alias ? { alias: open.alias } : {}), body: then, else: els, pos }
          : { t: 'if', neg: open.block === 'unless', cond: open.cond, then, else: els, pos },
      scopeNote,
    );
  }

  /** One body line → a leaf (content line) or a block tag (a line holding only that tag). */
  bodyLine(raw: string, line: number): { k: 'leaf'; node: LineNode } | { k: 'tag'; tag: Tag; pos: Pos } | null {
    const lead = raw.length - raw.trimStart().length;
    const content = raw.trim();
    const pos: Pos = { line, col: lead + 1, raw: content };
    if (content === '') return { k: 'leaf', node: { t: 'line', kind: 'blank', pos } };
    const all = this.tokenize(content, line, lead + 1);
    const tags = all.filter((t): t is Extract<Token, { t: 'tag' }> => t.t === 'tag');
    const hasText = all.some((t) => t.t === 'text' && t.v.trim() !== '');
    if (!hasText) {
      const parsed = tags.map((t) => ({ t, tag: this.parseTag(t, line) }));
      const real = parsed.filter((p) => p.tag.k !== 'comment');
      if (real.length === 0) return null; // comment-only line
      if (real.length === 1 && (real[0].tag.k === 'open' || real[0].tag.k === 'else' || real[0].tag.k === 'close')) {
        return { k: 'tag', tag: real[0].tag, pos: { line, col: real[0].t.col, raw: real[0].t.raw } };
      }
    }
    const lineNote = '；块标签若不独占一行，须在同一行内闭合';
    if (content.startsWith('|')) {
      if (!content.endsWith('|') || content.length < 2) this.fail(pos, '表格行须以“|”开头并以“|”结尾', content);
      // Cells are split on | in the text only, so a filter's | inside {{…}} never splits a cell.
      const cells: Token[][] = [[]];
      for (const tok of all) {
        if (tok.t === 'tag') {
          cells[cells.length - 1].push(tok);
          continue;
        }
        let start = 0;
        for (let i = 0; i <= tok.v.length; i++) {
          if (i === tok.v.length || tok.v[i] === '|') {
            if (i > start) cells[cells.length - 1].push({ t: 'text', v: tok.v.slice(start, i), col: tok.col + start });
            if (i < tok.v.length) cells.push([]);
            start = i + 1;
          }
        }
      }
      const inner = cells.slice(1, -1); // before the first | and after the last | there is nothing
      const sepCell = (c: Token[]) => c.length === 1 && c[0].t === 'text' && /^\s*:?-{3,}:?\s*(\d+)?\s*$/.test(c[0].v);
      if (inner.length > 0 && inner.every(sepCell)) {
        const nums = inner.map((c) => /(\d+)\s*$/.exec((c[0] as { v: string }).v)?.[1]);
        if (nums.some((n) => n !== undefined) && nums.some((n) => n === undefined)) {
          this.fail(pos, '表头分隔行中的列宽须全部给出或全部省略', content);
        }
        const widths = nums.every((n) => n !== undefined) ? nums.map(Number) : undefined;
        return { k: 'leaf', node: { t: 'line', kind: 'sep', cellCount: inner.length, ...(widths ? { widths } : {}), pos } };
      }
      return { k: 'leaf', node: { t: 'line', kind: 'row', cells: inner.map((c) => this.inline(c, line, '；表格中的块标签须在同一单元格内闭合')), pos } };
    }
    let kind: 'heading1' | 'heading2' | 'paragraph' = 'paragraph';
    let indent = true;
    let align: Align | undefined;
    let prefix = 0;
    const pm = /^(##? |\[(noindent|right|center|left)\]\s*)/.exec(content);
    if (pm) {
      prefix = pm[0].length;
      if (pm[1] === '# ') kind = 'heading1';
      else if (pm[1] === '## ') kind = 'heading2';
      else if (pm[2] === 'noindent') indent = false;
      else {
        indent = false;
        align = pm[2] as Align;
      }
    } else if (/^#{1,}\S|^#{3,}/.test(content)) {
      this.fail(pos, '标题行应以“# ”（一级）或“## ”（二级）开头，井号后须有空格', content);
    } else if (/^\[[a-z]+\]/.test(content)) {
      this.fail(pos, '未知的段落格式（可用：[noindent]、[right]、[center]、[left]）', content);
    }
    const toks = prefix ? this.tokenize(content.slice(prefix), line, lead + 1 + prefix) : all;
    return { k: 'leaf', node: { t: 'line', kind, indent, ...(align ? { align } : {}), inl: this.inline(toks, line, lineNote), pos } };
  }
}

// ---------------------------------------------------------------------------------------------
// Filters

interface FilterDef {
  /** What the input must be, in Chinese (for the error message). */
  expects: string;
  accepts: (s: FieldSpec) => boolean;
  arg: 'none' | 'string';
  out: FieldType;
  /** fill and or: applied to an empty value, must come last. */
  terminal?: boolean;
  apply: (v: unknown, arg: string | number | undefined) => unknown;
}

const isScalarText = (s: FieldSpec) => s.type === 'text' || s.type === 'number';

function toDateString(v: unknown): string {
  if (typeof v !== 'string') throw new Error('日期值不是文字');
  if (isValidDate(v)) return v;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`日期值“${v}”无效`);
  return cstDate(new Date(t));
}

const FILTERS: Record<string, FilterDef> = {
  capitals: { expects: '金额字段', accepts: (s) => s.type === 'money', arg: 'none', out: 'text', apply: (v) => yuanInCapitals(v as number) },
  yuan: { expects: '金额字段', accepts: (s) => s.type === 'money', arg: 'none', out: 'text', apply: (v) => formatYuan(v as number) },
  cn: {
    expects: '日期或时间字段',
    accepts: (s) => s.type === 'date' || s.type === 'datetime',
    arg: 'none',
    out: 'text',
    apply: (v) => formatChineseDate(toDateString(v)),
  },
  cnTime: {
    expects: '时间字段',
    accepts: (s) => s.type === 'datetime',
    arg: 'none',
    out: 'text',
    apply: (v) => {
      const t = Date.parse(String(v));
      if (Number.isNaN(t)) throw new Error(`时间值“${String(v)}”无效`);
      return formatChineseDateTime(new Date(t));
    },
  },
  cnNum: { expects: '数字字段', accepts: (s) => s.type === 'number', arg: 'none', out: 'text', apply: (v) => chineseNumber(v as number) },
  sentence: {
    expects: '文字字段',
    accepts: (s) => s.type === 'text',
    arg: 'none',
    out: 'text',
    apply: (v) => {
      const t = String(v).trimEnd();
      if (/[。！？…]$/.test(t) || /[。！？][”’」』]$/.test(t)) return t;
      return `${t.replace(/[，、：；,;:]$/, '')}。`;
    },
  },
  mask: { expects: '文字字段（证件号码）', accepts: (s) => s.type === 'text', arg: 'none', out: 'text', apply: (v) => maskIdentifier(String(v)) },
  maskName: { expects: '文字字段（姓名）', accepts: (s) => s.type === 'text', arg: 'none', out: 'text', apply: (v) => maskPersonName(String(v)) },
  join: {
    expects: '文字列表',
    accepts: (s) => s.type === 'list' && !!s.item && isScalarText(s.item),
    arg: 'string',
    out: 'text',
    apply: (v, arg) => (v as unknown[]).map(String).join(String(arg)),
  },
  fill: { expects: '文字或数字（先用 yuan、cn 等过滤器转换）', accepts: isScalarText, arg: 'string', out: 'text', terminal: true, apply: (v) => v },
  or: { expects: '文字或数字（先用 yuan、cn 等过滤器转换）', accepts: isScalarText, arg: 'string', out: 'text', terminal: true, apply: (v) => v },
};

export const TEMPLATE_FILTERS = Object.keys(FILTERS);

const TYPE_LABELS: Record<FieldType, string> = {
  text: '文字',
  number: '数字',
  money: '金额',
  date: '日期',
  datetime: '时间',
  bool: '是/否',
  list: '列表',
  object: '一组字段',
};

// ---------------------------------------------------------------------------------------------
// Validation against the schema

interface Scope {
  alias?: string;
  item: FieldSpec;
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

function suggest(word: string, candidates: string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : '';
}

class Validator {
  constructor(
    readonly p: Parser,
    readonly schema: FieldSpec,
  ) {}

  resolve(pathText: string, scopes: Scope[], pos: Pos): Ref & { optionals: { canon: string; text: string; label: string }[]; canon: string } {
    const segs = pathText.split('.');
    if (segs[0].startsWith('@')) {
      if (scopes.length === 0) this.p.fail(pos, `“${pathText}”只能在 {{#each}} 中使用`, pos.raw);
      const special = segs[0] as Ref['special'];
      const spec: FieldSpec =
        special === '@first' || special === '@last' ? { type: 'bool', label: '是否首项/末项' } : { type: 'number', label: '序号' };
      return { base: scopes.length - 1, segs: [], specs: [], spec, special, text: pathText, optionals: [], canon: pathText };
    }
    let base = -1;
    let rest = segs;
    if (segs[0] === 'this') {
      if (scopes.length === 0) this.p.fail(pos, '“this”只能在 {{#each}} 中使用', pos.raw);
      base = scopes.length - 1;
      rest = segs.slice(1);
    } else {
      const aliased = scopes.map((s, i) => ({ s, i })).reverse().find(({ s }) => s.alias === segs[0]);
      if (aliased) {
        base = aliased.i;
        rest = segs.slice(1);
      } else {
        for (let i = scopes.length - 1; i >= 0; i--) {
          const it = scopes[i].item;
          if (scopes[i].alias === undefined && it.type === 'object' && it.fields?.[segs[0]]) {
            base = i;
            break;
          }
        }
      }
    }
    let spec = base === -1 ? this.schema : scopes[base].item;
    let canon = base === -1 ? 'root' : `each${base}`;
    const specs: FieldSpec[] = [];
    const optionals: { canon: string; text: string; label: string }[] = [];
    const walked: string[] = base === -1 ? [] : [segs[0] === 'this' || scopes[base].alias === segs[0] ? segs[0] : 'this'];
    for (const seg of rest) {
      if (spec.type !== 'object' || !spec.fields) {
        this.p.fail(pos, `“${walked.join('.') || pathText}”是${TYPE_LABELS[spec.type]}，没有子字段“${seg}”`, pos.raw);
      }
      const child = spec.fields[seg];
      walked.push(seg);
      if (!child) {
        const candidates = Object.keys(spec.fields);
        const near = suggest(seg, candidates);
        const where = walked.length > 1 ? `“${walked.slice(0, -1).join('.')}”中` : '';
        this.p.fail(pos, `未知字段“${pathText}”：${where}没有“${seg}”${near ? `，是否应为“${near}”？` : ''}`, pos.raw);
      }
      canon += `.${seg}`;
      specs.push(child);
      if (child.optional) optionals.push({ canon, text: walked.join('.'), label: child.label });
      spec = child;
    }
    return { base, segs: rest, specs, spec, text: pathText, optionals, canon };
  }

  /** Guards a truthy test on a path establishes: the path itself and every optional prefix of it. */
  guardsOf(r: ReturnType<Validator['resolve']>): string[] {
    return [r.canon, ...r.optionals.map((o) => o.canon)];
  }

  expr(e: Expr, pos: Pos, scopes: Scope[], guards: Set<string>, lenient: boolean): void {
    const r = this.resolve(e.path, scopes, pos);
    e.ref = r;
    for (const f of e.filters) {
      if (!FILTERS[f.name]) {
        const near = suggest(f.name, TEMPLATE_FILTERS);
        this.p.fail(pos, `未知过滤器“${f.name}”${near ? `，是否应为“${near}”？` : ''}（可用：${TEMPLATE_FILTERS.join('、')}）`, pos.raw);
      }
    }
    const names = e.filters.map((f) => f.name);
    const covered = names.includes('fill') || names.includes('or');
    if (!covered && !lenient) {
      const unguarded = r.optionals.find((o) => !guards.has(o.canon));
      if (unguarded) {
        this.p.fail(
          pos,
          `字段“${unguarded.text}”（${unguarded.label}）可能为空：须放在 {{#if ${unguarded.text}}} 中，或加 | fill:"标签" 或 | or:"替代文字"`,
          pos.raw,
        );
      }
    }
    let spec: FieldSpec = r.spec;
    e.filters.forEach((f, i) => {
      const def = FILTERS[f.name];
      if (!def.accepts(spec)) {
        this.p.fail(pos, `过滤器“${f.name}”只能用于${def.expects}，此处的值是${TYPE_LABELS[spec.type]}（${spec.label}）`, pos.raw);
      }
      if (def.arg === 'none' && f.arg !== undefined) this.p.fail(pos, `过滤器“${f.name}”不带参数`, pos.raw);
      if (def.arg === 'string' && (typeof f.arg !== 'string' || (f.name !== 'join' && f.arg.trim() === ''))) {
        this.p.fail(pos, `过滤器“${f.name}”须带一个用英文双引号括起的文字参数，例如 ${f.name}:"……"`, pos.raw);
      }
      if (def.terminal && i !== e.filters.length - 1) this.p.fail(pos, `过滤器“${f.name}”须放在最后`, pos.raw);
      spec = { type: def.out, label: spec.label };
    });
    this.printable(spec, e.path, pos);
  }

  printable(spec: FieldSpec, p: string, pos: Pos): void {
    switch (spec.type) {
      case 'text':
      case 'number':
        return;
      case 'money':
        return this.p.fail(pos, `金额字段“${p}”须用 | yuan（50,000元）或 | capitals（伍万元整）输出`, pos.raw);
      case 'date':
      case 'datetime':
        return this.p.fail(pos, `日期字段“${p}”须用 | cn 输出（例如 2026年11月23日）`, pos.raw);
      case 'bool':
        return this.p.fail(pos, `是/否字段“${p}”只能用于 {{#if}} 或 {{#unless}}`, pos.raw);
      case 'list':
        return this.p.fail(pos, `列表“${p}”须用 {{#each ${p}}} 逐项输出，或用 | join:"、" 连接`, pos.raw);
      case 'object':
        return this.p.fail(pos, `“${p}”是一组字段（${spec.label}），请写出具体字段，例如 ${p}.${Object.keys(spec.fields ?? {})[0] ?? 'name'}`, pos.raw);
    }
  }

  cond(c: Cond, pos: Pos, scopes: Scope[]): { thenGuards: string[] } {
    const r = this.resolve(c.path, scopes, pos);
    c.ref = r;
    if (c.op === undefined) return { thenGuards: this.guardsOf(r) };
    const spec = r.spec;
    if (spec.type === 'text') {
      if (typeof c.lit !== 'string') this.p.fail(pos, `“${c.path}”是文字，比较的常量须用英文双引号括起`, pos.raw);
      if (spec.values && !spec.values.includes(c.lit)) {
        this.p.fail(pos, `“${c.path}”（${spec.label}）的取值只能是：${spec.values.join('、')}`, pos.raw);
      }
    } else if (spec.type === 'number') {
      if (typeof c.lit !== 'number') this.p.fail(pos, `“${c.path}”是数字，只能与数字比较`, pos.raw);
    } else if (spec.type === 'bool') {
      if (typeof c.lit !== 'boolean') this.p.fail(pos, `“${c.path}”是是/否字段，只能与 true 或 false 比较`, pos.raw);
    } else {
      this.p.fail(pos, `${TYPE_LABELS[spec.type]}字段“${c.path}”不能用 ${c.op} 比较`, pos.raw);
    }
    const presentIfEqual = c.op === '==' && c.lit !== '' && c.lit !== false;
    return { thenGuards: presentIfEqual ? this.guardsOf(r) : [] };
  }

  eachOf(pathText: string, alias: string | undefined, pos: Pos, scopes: Scope[], guards: Set<string>): { ref: Ref; item: FieldSpec } {
    const r = this.resolve(pathText, scopes, pos);
    if (r.spec.type !== 'list' || !r.spec.item) this.p.fail(pos, `“${pathText}”（${r.spec.label}）不是列表，不能用 {{#each}}`, pos.raw);
    const unguarded = r.optionals.find((o) => !guards.has(o.canon));
    if (unguarded) {
      this.p.fail(pos, `字段“${unguarded.text}”（${unguarded.label}）可能为空：{{#each}} 须放在 {{#if ${unguarded.text}}} 中`, pos.raw);
    }
    if (alias !== undefined && (this.schema.fields?.[alias] || scopes.some((s) => s.alias === alias))) {
      this.p.fail(pos, `循环别名“${alias}”与已有字段或别名重名`, pos.raw);
    }
    return { ref: r, item: r.spec.item };
  }

  inline(nodes: Inline[], scopes: Scope[], guards: Set<string>, lenient = false): void {
    for (const n of nodes) {
      if (n.t === 'expr') this.expr(n.expr, n.pos, scopes, guards, lenient);
      else if (n.t === 'if') {
        const { thenGuards } = this.cond(n.cond, n.pos, scopes);
        const g = new Set([...guards, ...thenGuards]);
        this.inline(n.neg ? n.else : n.then, scopes, g, lenient);
        this.inline(n.neg ? n.then : n.else, scopes, guards, lenient);
      } else if (n.t === 'each') {
        const { ref, item } = this.eachOf(n.path, n.alias, n.pos, scopes, guards);
        n.ref = ref;
        this.inline(n.body, [...scopes, { alias: n.alias, item }], guards, lenient);
        this.inline(n.else, scopes, guards, lenient);
      }
    }
  }

  lines(nodes: LineNode[], scopes: Scope[], guards: Set<string>): void {
    nodes.forEach((n, i) => {
      if (n.t === 'line') {
        if (n.kind === 'row') n.cells.forEach((c) => this.inline(c, scopes, guards));
        else if (n.kind === 'heading1' || n.kind === 'heading2' || n.kind === 'paragraph') this.inline(n.inl, scopes, guards);
        else if (n.kind === 'sep') {
          const prev = nodes[i - 1];
          const before = nodes[i - 2];
          const isRow = (x: LineNode | undefined) => x !== undefined && x.t === 'line' && x.kind === 'row';
          // A block just before the header row could leave an open table (its last line a row).
          const mayProduceRow = (x: LineNode | undefined): boolean =>
            x !== undefined &&
            (x.t === 'line' ? x.kind === 'row' || x.kind === 'sep' : [x.t === 'if' ? x.then : x.body, x.else].some((b) => mayProduceRow(b.at(-1))));
          if (!isRow(prev) || mayProduceRow(before)) {
            this.p.fail(n.pos, '表头分隔行（|---|）只能紧跟在表格的第一行（表头）之后；表头之前须为空行、标题或段落', n.pos.raw);
          }
        }
      } else if (n.t === 'if') {
        const { thenGuards } = this.cond(n.cond, n.pos, scopes);
        const g = new Set([...guards, ...thenGuards]);
        this.lines(n.neg ? n.else : n.then, scopes, g);
        this.lines(n.neg ? n.then : n.else, scopes, guards);
      } else {
        const { ref, item } = this.eachOf(n.path, n.alias, n.pos, scopes, guards);
        n.ref = ref;
        this.lines(n.body, [...scopes, { alias: n.alias, item }], guards);
        this.lines(n.else, scopes, guards);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing a whole template

/**
 * Parses and validates a template. `name` is used in error messages (normally the file name).
 * Throws TemplateError on any problem; the returned template always renders for data of the schema.
 */
export function parseTemplate(source: string, name: string, schema: FieldSpec = TEMPLATE_SCHEMA): Template {
  const p: Parser = new Parser(name);
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') p.fail({ line: 1, col: 1 }, '模板须以“---”开头的文件头（id、title、kind）', lines[0] ?? '');
  const endIdx = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (endIdx === -1) p.fail({ line: 1, col: 1 }, '文件头没有以“---”结束', lines[0]);

  const front: Record<string, { value: string; line: number; col: number }> = {};
  for (let i = 1; i < endIdx; i++) {
    const l = lines[i];
    if (l.trim() === '') continue;
    const m = /^\s*([A-Za-z]+)\s*:\s?(.*)$/.exec(l);
    if (!m) p.fail({ line: i + 1, col: 1 }, '文件头每行应为“名称: 值”', l);
    const key = m[1];
    if (!(FRONT_KEYS as readonly string[]).includes(key)) {
      p.fail({ line: i + 1, col: 1 }, `未知的文件头项目“${key}”（可用：${FRONT_KEYS.join('、')}）`, l);
    }
    if (front[key]) p.fail({ line: i + 1, col: 1 }, `文件头项目“${key}”重复`, l);
    front[key] = { value: m[2].trim(), line: i + 1, col: l.indexOf(m[2]) + 1 || 1 };
  }
  const need = (k: string) => {
    if (!front[k] || front[k].value === '') p.fail({ line: 1, col: 1 }, `文件头缺少“${k}”`, '---');
    return front[k];
  };
  const id = need('id');
  if (!/^[a-z][a-z0-9-]*$/.test(id.value)) p.fail(id, 'id 只能由小写英文字母、数字和“-”组成', id.value);
  const title = need('title');
  const kind = need('kind');
  if (!(kind.value in TEMPLATE_KINDS)) {
    p.fail(kind, `kind 只能是 ${Object.entries(TEMPLATE_KINDS).map(([k, v]) => `${k}（${v}）`).join('、')}`, kind.value);
  }
  let applies: DecisionKind[] | undefined;
  if (front.applies) {
    applies = front.applies.value.split(/[,，、\s]+/).filter(Boolean) as DecisionKind[];
    const bad = applies.find((a) => !(DECISION_KINDS as readonly string[]).includes(a));
    if (bad !== undefined) p.fail(front.applies, `applies 中的决定类型“${bad}”未知（可用：${DECISION_KINDS.join('、')}）`, front.applies.value);
  }

  const v = new Validator(p, schema);
  const frontField = (key: string, fallback?: string): FrontField | undefined => {
    const f = front[key] ?? (fallback !== undefined ? { value: fallback, line: 1, col: 1 } : undefined);
    if (!f) return undefined;
    const inl = p.inline(p.tokenize(f.value, f.line, f.col), f.line, '；文件头中的块标签须在同一行内闭合');
    v.inline(inl, [], new Set(), key === 'docNumber' || key === 'recipient' || key === 'signer');
    return { inl, pos: { line: f.line, col: f.col, raw: f.value } };
  };
  const ast: Template['ast'] = {
    front: {
      title: frontField('title')!,
      ...(front.docNumber ? { docNumber: frontField('docNumber') } : {}),
      ...(front.recipient ? { recipient: frontField('recipient') } : {}),
      agency: frontField('agency', '{{agency.name}}')!,
      date: frontField('date', '{{date | cn}}')!,
      ...(front.signer ? { signer: frontField('signer') } : {}),
    },
    body: [],
  };

  const items: ({ k: 'leaf'; node: LineNode } | { k: 'tag'; tag: Tag; pos: Pos })[] = [];
  for (let i = endIdx + 1; i < lines.length; i++) {
    const it = p.bodyLine(lines[i], i + 1);
    if (it) items.push(it);
  }
  ast.body = p.tree<LineNode>(
    items,
    (open, pos, then, els) =>
      open.block === 'each'
        ? { t: 'each', path: open.path, ...(open.alias ? { alias: open.alias } : {}), body: then, else: els, pos }
        : { t: 'if', neg: open.block === 'unless', cond: open.cond, then, else: els, pos },
    '',
  );
  v.lines(ast.body, [], new Set());
  return {
    id: id.value,
    title: title.value,
    kind: kind.value as TemplateKind,
    ...(applies ? { applies } : {}),
    ...(front.description ? { description: front.description.value } : {}),
    name,
    source: text,
    ast,
  };
}

/** Alias for an administrator's save: validates an edited copy; `expectedId` guards against renaming. */
export function validateTemplateSource(source: string, name: string, expectedId?: string): Template {
  const t = parseTemplate(source, name);
  if (expectedId !== undefined && t.id !== expectedId) {
    throw new TemplateError(name, 1, 1, `模板 id 应为“${expectedId}”，不能改为“${t.id}”`, t.id);
  }
  return t;
}

/** Loads every *.txt template of a directory; the id must equal the file name. */
/** Parsed templates per folder, reused while no file in it changed (every case page asks for them). */
const parsedDirs = new Map<string, { signature: string; templates: Map<string, Template> }>();

export function loadTemplateDir(dir: string): Map<string, Template> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  const signature = files.map((f) => {
    const st = fs.statSync(path.join(dir, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const cached = parsedDirs.get(dir);
  if (cached && cached.signature === signature) return new Map(cached.templates);
  const out = new Map<string, Template>();
  for (const file of files) {
    const t = parseTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), file);
    if (`${t.id}.txt` !== file) throw new TemplateError(file, 2, 1, `模板 id“${t.id}”与文件名不一致（应为“${file.replace(/\.txt$/, '')}”）`, t.id);
    out.set(t.id, t);
  }
  parsedDirs.set(dir, { signature, templates: out });
  return new Map(out);
}

export const templateApplies = (t: Template, kind: DecisionKind): boolean => !t.applies || t.applies.includes(kind);

// ---------------------------------------------------------------------------------------------
// Rendering

interface Frame {
  item: unknown;
  index: number;
  count: number;
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const truthy = (v: unknown): boolean => !(isEmpty(v) || v === false);

type OutLine =
  | { k: 'heading1' | 'heading2' | 'paragraph'; text: string; indent: boolean; align?: Align; pos: Pos }
  | { k: 'row'; cells: string[]; pos: Pos }
  | { k: 'sep'; widths?: number[]; cellCount: number; pos: Pos }
  | { k: 'blank' };

class Renderer {
  constructor(
    readonly t: Template,
    readonly data: unknown,
  ) {}

  fail(pos: Pos, problem: string): never {
    throw new TemplateError(this.t.name, pos.line, pos.col, problem, pos.raw);
  }

  get(ref: Ref, frames: Frame[], pos: Pos): unknown {
    if (ref.special) {
      const f = frames[frames.length - 1];
      if (ref.special === '@index') return f.index;
      if (ref.special === '@number') return f.index + 1;
      if (ref.special === '@first') return f.index === 0;
      return f.index === f.count - 1;
    }
    let cur: unknown = ref.base === -1 ? this.data : frames[ref.base].item;
    for (let i = 0; i < ref.segs.length; i++) {
      const next = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string, unknown>)[ref.segs[i]];
      if (next === undefined || next === null) {
        if (!ref.specs[i].optional) this.fail(pos, `文书数据缺少必需字段“${ref.text}”（${ref.specs[i].label}）`);
        return undefined;
      }
      cur = next;
    }
    return cur;
  }

  inline(nodes: Inline[], frames: Frame[]): string {
    let out = '';
    for (const n of nodes) {
      if (n.t === 'text') out += n.v;
      else if (n.t === 'fill') out += placeholderText(n.label);
      else if (n.t === 'expr') out += this.expr(n.expr, frames, n.pos);
      else if (n.t === 'if') out += this.inline(this.test(n.cond, frames, n.pos) !== n.neg ? n.then : n.else, frames);
      else {
        const list = this.list(n.ref!, frames, n.pos);
        if (list.length === 0) out += this.inline(n.else, frames);
        list.forEach((item, index) => {
          out += this.inline(n.body, [...frames, { item, index, count: list.length }]);
        });
      }
    }
    return out;
  }

  list(ref: Ref, frames: Frame[], pos: Pos): unknown[] {
    const v = this.get(ref, frames, pos);
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(pos, `文书数据中的“${ref.text}”不是列表`);
    return v;
  }

  test(c: Cond, frames: Frame[], pos: Pos): boolean {
    const v = this.get(c.ref!, frames, pos);
    if (c.op === undefined) return truthy(v);
    return c.op === '==' ? v === c.lit : v !== c.lit;
  }

  expr(e: Expr, frames: Frame[], pos: Pos): string {
    let v = this.get(e.ref!, frames, pos);
    for (const f of e.filters) {
      const def = FILTERS[f.name];
      if (isEmpty(v)) {
        if (f.name === 'fill') return placeholderText(String(f.arg));
        if (f.name === 'or') return String(f.arg);
        continue;
      }
      try {
        v = def.apply(v, f.arg);
      } catch (err) {
        this.fail(pos, `过滤器“${f.name}”无法处理“${e.path}”的值：${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    return this.fail(pos, `文书数据中的“${e.path}”不是文字或数字`);
  }

  lines(nodes: LineNode[], frames: Frame[], out: OutLine[]): void {
    for (const n of nodes) {
      if (n.t === 'line') {
        if (n.kind === 'blank') out.push({ k: 'blank' });
        else if (n.kind === 'sep') out.push({ k: 'sep', cellCount: n.cellCount, ...(n.widths ? { widths: n.widths } : {}), pos: n.pos });
        else if (n.kind === 'row') out.push({ k: 'row', cells: n.cells.map((c) => normalizeCell(this.inline(c, frames))), pos: n.pos });
        else out.push({ k: n.kind, text: this.inline(n.inl, frames), indent: n.indent, ...(n.align ? { align: n.align } : {}), pos: n.pos });
      } else if (n.t === 'if') {
        this.lines(this.test(n.cond, frames, n.pos) !== n.neg ? n.then : n.else, frames, out);
      } else {
        const list = this.list(n.ref!, frames, n.pos);
        if (list.length === 0) this.lines(n.else, frames, out);
        list.forEach((item, index) => this.lines(n.body, [...frames, { item, index, count: list.length }], out));
      }
    }
  }

  blocks(out: OutLine[]): Block[] {
    const blocks: Block[] = [];
    let table: { block: Extract<Block, { type: 'table' }>; width: number; pos: Pos } | null = null;
    for (const o of out) {
      if (o.k === 'row') {
        if (table) {
          if (o.cells.length !== table.width) {
            this.fail(o.pos, `表格行有${o.cells.length}列，与本表第一行的${table.width}列不一致`);
          }
          table.block.rows.push(o.cells);
        } else {
          table = { block: { type: 'table', rows: [o.cells] }, width: o.cells.length, pos: o.pos };
          blocks.push(table.block);
        }
        continue;
      }
      if (o.k === 'sep') {
        if (!table || table.block.rows.length !== 1 || table.block.header) this.fail(o.pos, '表头分隔行（|---|）只能紧跟在表格第一行之后');
        if (o.cellCount !== table.width) this.fail(o.pos, `表头分隔行有${o.cellCount}列，与表头的${table.width}列不一致`);
        table.block.header = true;
        if (o.widths) table.block.widths = o.widths;
        continue;
      }
      table = null;
      if (o.k === 'blank') continue;
      const pieces =
        o.k === 'paragraph' ? o.text.split(/\n+/).map((s) => s.trim()) : [o.text.replace(/\s*\n+\s*/g, ' ').trim()];
      for (const text of pieces) {
        if (text === '') continue;
        if (text.includes(PLACEHOLDER_OPEN)) blocks.push({ type: 'placeholder', text });
        else if (o.k === 'paragraph') {
          blocks.push({ type: 'paragraph', text, ...(o.indent ? {} : { indent: false }), ...(o.align ? { align: o.align } : {}) });
        } else blocks.push({ type: o.k, text });
      }
    }
    return blocks;
  }

  front(f: FrontField | undefined): string | undefined {
    if (!f) return undefined;
    const s = this.inline(f.inl, []).replace(/\s+/g, ' ').trim();
    return s === '' ? undefined : s;
  }
}

const normalizeCell = (s: string): string =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();

/**
 * Renders a parsed template into the shared DocModel. The data must have the shape of the schema the
 * template was validated with (checked first: a wrong shape is refused, never half-rendered).
 */
export function renderTemplate(t: Template, data: unknown, schema: FieldSpec = TEMPLATE_SCHEMA): DocModel {
  const problems = checkDataAgainstSchema(data, schema);
  if (problems.length) {
    throw new AppError('VALIDATION', `文书数据与模板字段表不一致，无法生成“${t.title}”：${problems.slice(0, 5).join('；')}`, { problems });
  }
  const r: Renderer = new Renderer(t, data);
  const out: OutLine[] = [];
  r.lines(t.ast.body, [], out);
  const blocks = r.blocks(out);
  const title = r.front(t.ast.front.title);
  const agency = r.front(t.ast.front.agency);
  const date = r.front(t.ast.front.date);
  if (!title || !agency || !date) r.fail(t.ast.front.title.pos, '标题、落款机关或日期为空');
  const docNumber = r.front(t.ast.front.docNumber);
  const recipient = r.front(t.ast.front.recipient);
  // 落款's signer line "角色：姓名": named there once (issuing replaces it with the signer's own).
  const signerLine = r.front(t.ast.front.signer);
  const cut = signerLine ? signerLine.indexOf('：') : -1;
  const signer = signerLine && cut > 0 && signerLine.slice(cut + 1).trim() ? { role: signerLine.slice(0, cut).trim(), name: signerLine.slice(cut + 1).trim() } : undefined;
  const provisional = typeof data === 'object' && data !== null && (data as { provisional?: unknown }).provisional === true;
  return {
    kind: t.id,
    title,
    ...(docNumber ? { docNumber } : {}),
    ...(recipient ? { recipient } : {}),
    blocks,
    signature: { agency, date, ...(signer && { signer }) },
    ...(provisional ? { provisional: true } : {}),
  };
}

/**
 * The document of a case: checks that the template is meant for the case's kind of decision, builds the
 * data (fields.ts) and renders it.
 */
export function renderCaseDocument(
  t: Template,
  detail: CaseDetail,
  agency: { name: string; docPrefix: string },
  extra: TemplateExtra = {},
): DocModel {
  if (!templateApplies(t, detail.kind)) {
    const kinds = (t.applies ?? []).map((k) => DECISION_KIND_LABELS[k]).join('、');
    throw new AppError('VALIDATION', `“${t.title}”只适用于${kinds}案件，本案为${DECISION_KIND_LABELS[detail.kind]}。`);
  }
  return renderTemplate(t, buildTemplateData(detail, agency, extra));
}

/** Plain-text form of a DocModel (previews, `lrw`, tests, full-text search). */
export function modelToText(m: DocModel): string {
  const lines: string[] = [m.title];
  if (m.docNumber) lines.push(m.docNumber);
  if (m.recipient) lines.push(`${m.recipient}：`);
  for (const b of m.blocks) {
    if (b.type === 'table') lines.push(...b.rows.map((r) => `| ${r.join(' | ')} |`));
    else lines.push(b.text);
  }
  if (m.signature.signer) lines.push(`${m.signature.signer.role}：${m.signature.signer.name}`);
  lines.push(m.signature.agency, m.signature.date);
  return lines.join('\n');
}
