// Comparisons: character-accurate diffs of Chinese text (diffChars works on code points, so no
// character is ever split), "what changed since we returned it" between two submissions, block-wise
// comparison of two documents, and a Word file with the changes as tracked revisions (w:ins / w:del).
import { diffArrays, diffChars } from 'diff';
import { AlignmentType, Document, InsertedTextRun, DeletedTextRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import type { SubmissionView } from '../domain/views';
import { formatYuan, yuanInCapitals } from '../domain/money';
import { formatChineseDate, isValidDate } from '../domain/calendar/cst';
import { DECISION_KIND_LABELS } from '../domain/types';
import type { Block, DocModel } from './model';
import { legalBasisText } from './fields';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/**
 * Character diff of two texts; concatenating the equal+delete segments gives `before`, equal+insert
 * gives `after`. By default short runs of common characters caught between two changes (the stray 法 or
 * 的 that two unrelated sentences share) are folded into the change, so a rewritten sentence reads as
 * one deletion and one insertion; `semantic: false` gives the raw minimal character diff.
 */
export function diffText(before: string, after: string, opts: { semantic?: boolean } = {}): DiffSegment[] {
  if (before === after) return before === '' ? [] : [{ op: 'equal', text: before }];
  const raw: DiffSegment[] = diffChars(before, after).map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
  return opts.semantic === false ? normalize(raw) : semanticCleanup(raw);
}

const cpLength = (s: string): number => Array.from(s).length;

/** Merges neighbours of the same kind; within a run of changes, the deletion comes before the insertion. */
function normalize(segs: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del) out.push({ op: 'delete', text: del });
    if (ins) out.push({ op: 'insert', text: ins });
    del = '';
    ins = '';
  };
  for (const s of segs) {
    if (s.text === '') continue;
    if (s.op === 'delete') del += s.text;
    else if (s.op === 'insert') ins += s.text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last && last.op === 'equal') last.text += s.text;
      else out.push({ op: 'equal', text: s.text });
    }
  }
  flush();
  return out;
}

/** diff-match-patch's semantic cleanup, in its simple form: fold an equality no longer than the edits on both sides. */
function semanticCleanup(input: DiffSegment[]): DiffSegment[] {
  let segs = normalize(input);
  for (;;) {
    let folded = false;
    for (let i = 1; i < segs.length - 1; i++) {
      if (segs[i].op !== 'equal') continue;
      const side = (from: number, step: number) => {
        let del = 0;
        let ins = 0;
        for (let j = from; j >= 0 && j < segs.length && segs[j].op !== 'equal'; j += step) {
          if (segs[j].op === 'delete') del += cpLength(segs[j].text);
          else ins += cpLength(segs[j].text);
        }
        return Math.max(del, ins);
      };
      const len = cpLength(segs[i].text);
      const left = side(i - 1, -1);
      const right = side(i + 1, 1);
      if (left > 0 && right > 0 && len <= left && len <= right) {
        segs = normalize([...segs.slice(0, i), { op: 'delete', text: segs[i].text }, { op: 'insert', text: segs[i].text }, ...segs.slice(i + 1)]);
        folded = true;
        break;
      }
    }
    if (!folded) return segs;
  }
}

/** Rebuilds one side of a diff (used by tests and to check a diff before showing it). */
export function applySegments(segments: DiffSegment[], side: 'before' | 'after'): string {
  const skip: DiffOp = side === 'before' ? 'insert' : 'delete';
  return segments
    .filter((s) => s.op !== skip)
    .map((s) => s.text)
    .join('');
}

/** True when the segments change anything. */
export const hasChanges = (segments: DiffSegment[]): boolean => segments.some((s) => s.op !== 'equal');

// ---------------------------------------------------------------------------------------------
// Submissions

export const SUBMISSION_FIELDS = {
  title: '案件名称',
  kind: '决定类型',
  catalogItem: '目录清单事项',
  partyName: '当事人姓名或者名称',
  partyType: '当事人类型',
  partyId: '当事人证件号码',
  partyAddress: '当事人住所（地址）',
  facts: '违法事实',
  evidence: '证据材料',
  legalBasis: '法律依据',
  proposedDecision: '拟作出的决定',
  fine: '罚款金额',
  procedure: '已经履行的程序',
  officers: '执法人员',
  attachments: '附件',
} as const;
export type SubmissionField = keyof typeof SUBMISSION_FIELDS;

export interface FieldChange {
  field: SubmissionField;
  label: string;
  /** text: character diff in `segments`; list: item diff in `items` (each segment one item); value: before/after only. */
  type: 'text' | 'list' | 'value';
  before: string;
  after: string;
  segments?: DiffSegment[];
  items?: DiffSegment[];
  added?: string[];
  removed?: string[];
}

export interface SubmissionDiff {
  fromRound: number;
  toRound: number;
  /** The handler's own note on what was changed (SubmissionView.changeNote of the later submission). */
  changeNote: string | null;
  changes: FieldChange[];
  /** Labels of the fields that did not change. */
  unchanged: string[];
}

/** Item diff of two lists compared by key (default: the text); each segment is one item. */
function listDiff(before: string[], after: string[], kb: string[] = before, ka: string[] = after): DiffSegment[] {
  const out: DiffSegment[] = [];
  let ib = 0;
  let ia = 0;
  for (const c of diffArrays(kb, ka)) {
    for (let i = 0; i < c.value.length; i++) {
      if (c.added) out.push({ op: 'insert', text: after[ia++] });
      else if (c.removed) out.push({ op: 'delete', text: before[ib++] });
      else {
        out.push({ op: 'equal', text: after[ia++] });
        ib++;
      }
    }
  }
  return out;
}

const fineText = (fen: number | null): string => (fen === null ? '无' : `${formatYuan(fen)}（${yuanInCapitals(fen)}）`);
const dateText = (d: string) => (isValidDate(d) ? formatChineseDate(d) : d);
const procText = (p: SubmissionView['procedure'][number]) => `${dateText(p.date)} ${p.step}${p.note && p.note.trim() ? `（${p.note.trim()}）` : ''}`;
const officerText = (o: SubmissionView['officers'][number]) => (o.certNo ? `${o.name}（执法证号：${o.certNo}）` : o.name);
const sizeKb = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

/** Field by field: what the handler changed between two submissions of a case (e.g. since it was returned). */
export function diffSubmissions(a: SubmissionView, b: SubmissionView): SubmissionDiff {
  const changes: FieldChange[] = [];
  const unchanged: string[] = [];
  const text = (field: SubmissionField, before: string, after: string) => {
    if (before === after) return unchanged.push(SUBMISSION_FIELDS[field]);
    changes.push({ field, label: SUBMISSION_FIELDS[field], type: 'text', before, after, segments: diffText(before, after) });
  };
  const value = (field: SubmissionField, before: string, after: string) => {
    if (before === after) return unchanged.push(SUBMISSION_FIELDS[field]);
    changes.push({ field, label: SUBMISSION_FIELDS[field], type: 'value', before, after });
  };
  const list = (field: SubmissionField, before: string[], after: string[], keysB?: string[], keysA?: string[]) => {
    const items = listDiff(before, after, keysB, keysA);
    if (!items.some((s) => s.op !== 'equal')) return unchanged.push(SUBMISSION_FIELDS[field]);
    changes.push({
      field,
      label: SUBMISSION_FIELDS[field],
      type: 'list',
      before: before.join('\n'),
      after: after.join('\n'),
      items,
      added: items.filter((s) => s.op === 'insert').map((s) => s.text),
      removed: items.filter((s) => s.op === 'delete').map((s) => s.text),
    });
  };

  text('title', a.title, b.title);
  value('kind', DECISION_KIND_LABELS[a.kind], DECISION_KIND_LABELS[b.kind]);
  value('catalogItem', a.catalogItem, b.catalogItem);
  text('partyName', a.party.name, b.party.name);
  value('partyType', a.party.type === 'citizen' ? '公民' : '法人或者其他组织', b.party.type === 'citizen' ? '公民' : '法人或者其他组织');
  text('partyId', a.party.idNumber, b.party.idNumber);
  text('partyAddress', a.party.address, b.party.address);
  text('facts', a.facts, b.facts);
  list('evidence', a.evidence, b.evidence);
  list('legalBasis', a.legalBasis.map(legalBasisText), b.legalBasis.map(legalBasisText));
  text('proposedDecision', a.proposedDecision, b.proposedDecision);
  value('fine', fineText(a.fineFen), fineText(b.fineFen));
  list('procedure', a.procedure.map(procText), b.procedure.map(procText));
  list('officers', a.officers.map(officerText), b.officers.map(officerText));
  // Attachments are the same file when their content (SHA-256) is the same, whatever the name.
  list(
    'attachments',
    a.attachments.map((x) => `${x.name}（${sizeKb(x.size)}）`),
    b.attachments.map((x) => `${x.name}（${sizeKb(x.size)}）`),
    a.attachments.map((x) => x.sha256),
    b.attachments.map((x) => x.sha256),
  );
  return { fromRound: a.round, toRound: b.round, changeNote: b.changeNote, changes, unchanged };
}

// ---------------------------------------------------------------------------------------------
// Documents

export interface BlockChange {
  /** change: the same kind of block, edited (segments / cells hold the character diff). */
  op: 'equal' | 'insert' | 'delete' | 'change';
  before?: Block;
  after?: Block;
  /** Character diff of the block text (tables: rows joined by line breaks, cells by " | "). */
  segments?: DiffSegment[];
  /** Tables of the same shape: the character diff of each cell. */
  cells?: DiffSegment[][][];
}

export interface ModelDiff {
  /** Changes of title, docNumber, recipient, signature agency and date (only the changed ones). */
  header: { field: 'title' | 'docNumber' | 'recipient' | 'agency' | 'date'; label: string; segments: DiffSegment[] }[];
  blocks: BlockChange[];
  /** Nothing changed at all. */
  identical: boolean;
}

export function blockText(b: Block): string {
  return b.type === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : b.text;
}

const blockKey = (b: Block): string => `${b.type}\u0000${blockText(b)}${b.type === 'paragraph' ? `\u0000${b.align ?? ''}${b.indent ?? ''}` : ''}`;

/**
 * Share of the shorter text found, in order, in the other (0–1): high for a placeholder and the prose
 * that replaced it (本机关认为，〔待填写：……〕 → 本机关认为，当事人……), low for unrelated paragraphs.
 */
function similarity(a: string, b: string): number {
  const shortest = Math.min(cpLength(a), cpLength(b));
  if (shortest === 0) return cpLength(a) === cpLength(b) ? 1 : 0;
  const common = diffText(a, b, { semantic: false })
    .filter((x) => x.op === 'equal')
    .reduce((n, x) => n + cpLength(x.text), 0);
  return common / shortest;
}

const comparable = (x: Block, y: Block): boolean => (x.type === 'table') === (y.type === 'table');

/** Monotonic pairing of removed and added blocks maximising total similarity (pairs below 0.3 are not edits). */
function alignBlocks(removed: Block[], added: Block[]): [number, number][] {
  const n = removed.length;
  const m = added.length;
  if (n === 0 || m === 0) return [];
  const sim = removed.map((x) => added.map((y) => (comparable(x, y) ? similarity(blockText(x), blockText(y)) : 0)));
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const pair = sim[i][j] >= 0.3 ? sim[i][j] + best[i + 1][j + 1] : -1;
      best[i][j] = Math.max(pair, best[i + 1][j], best[i][j + 1]);
    }
  }
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (sim[i][j] >= 0.3 && best[i][j] === sim[i][j] + best[i + 1][j + 1]) out.push([i++, j++]);
    else if (best[i][j] === best[i + 1][j]) i++;
    else j++;
  }
  return out;
}

const sameShape = (a: Block, b: Block): boolean =>
  a.type === 'table' && b.type === 'table' && a.rows.length === b.rows.length && a.rows.every((r, i) => r.length === b.rows[i].length);

/** Block by block: equal blocks, inserted and deleted ones, and edited ones with their character diff. */
export function diffModels(a: DocModel, b: DocModel): ModelDiff {
  const header: ModelDiff['header'] = [];
  const head = (field: ModelDiff['header'][number]['field'], label: string, x: string | undefined, y: string | undefined) => {
    if ((x ?? '') !== (y ?? '')) header.push({ field, label, segments: diffText(x ?? '', y ?? '') });
  };
  head('title', '标题', a.title, b.title);
  head('docNumber', '文号', a.docNumber, b.docNumber);
  head('recipient', '主送', a.recipient, b.recipient);
  head('agency', '落款机关', a.signature.agency, b.signature.agency);
  head('date', '成文日期', a.signature.date, b.signature.date);

  const blocks: BlockChange[] = [];
  let ia = 0;
  let ib = 0;
  let removed: Block[] = [];
  let added: Block[] = [];
  const flush = () => {
    // Pair removed with added blocks as edits where they resemble each other (in order, best total
    // similarity); the rest are plain deletions and insertions.
    const pairs = alignBlocks(removed, added);
    let r = 0;
    let d = 0;
    for (const [x, y] of [...pairs, [removed.length, added.length] as [number, number]]) {
      while (r < x) blocks.push({ op: 'delete', before: removed[r++] });
      while (d < y) blocks.push({ op: 'insert', after: added[d++] });
      if (x === removed.length && y === added.length) break;
      const bx = removed[r++];
      const by = added[d++];
      const change: BlockChange = { op: 'change', before: bx, after: by, segments: diffText(blockText(bx), blockText(by)) };
      if (sameShape(bx, by)) {
        const ty = by as Extract<Block, { type: 'table' }>;
        change.cells = (bx as Extract<Block, { type: 'table' }>).rows.map((row, ri) => row.map((c, ci) => diffText(c, ty.rows[ri][ci])));
      }
      blocks.push(change);
    }
    removed = [];
    added = [];
  };
  for (const c of diffArrays(a.blocks.map(blockKey), b.blocks.map(blockKey))) {
    for (let i = 0; i < c.value.length; i++) {
      if (c.removed) removed.push(a.blocks[ia++]);
      else if (c.added) added.push(b.blocks[ib++]);
      else {
        flush();
        blocks.push({ op: 'equal', before: a.blocks[ia++], after: b.blocks[ib++] });
      }
    }
  }
  flush();
  return { header, blocks, identical: header.length === 0 && blocks.every((x) => x.op === 'equal') };
}

// ---------------------------------------------------------------------------------------------
// Word file with tracked changes

export interface TrackedDocxOptions {
  /** Shown by Word as the author of each revision. */
  author: string;
  /** ISO instant of the revisions. */
  date: string;
  /** A line under the title, e.g. 第1次送审与第2次送审对照. */
  subtitle?: string;
}

const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };

/**
 * The later document as a Word file whose differences from the earlier one are tracked revisions:
 * Word shows them with 审阅 → 接受/拒绝 (inserted text as w:ins, deleted text as w:del).
 */
export async function comparisonDocx(a: DocModel, b: DocModel, opts: TrackedDocxOptions): Promise<Buffer> {
  const diff = diffModels(a, b);
  let id = 1;
  const runs = (segments: DiffSegment[], font = BODY_FONT, size = 32): ParagraphChild[] =>
    segments.flatMap((s) => {
      const lines = s.text.split('\n');
      return lines.map((text, i) => {
        const base = { text, font, size, ...(i > 0 ? { break: 1 } : {}) };
        if (s.op === 'insert') return new InsertedTextRun({ ...base, id: id++, author: opts.author, date: opts.date });
        if (s.op === 'delete') return new DeletedTextRun({ ...base, id: id++, author: opts.author, date: opts.date });
        return new TextRun(base);
      });
    });
  const whole = (text: string, op: DiffOp): DiffSegment[] => (text ? [{ op, text }] : []);
  const para = (block: Block | undefined, segments: DiffSegment[]): Paragraph => {
    const heading = block?.type === 'heading1' || block?.type === 'heading2';
    const align =
      block?.type === 'paragraph' && block.align === 'right' ? AlignmentType.RIGHT : block?.type === 'paragraph' && block.align === 'center' ? AlignmentType.CENTER : undefined;
    const indent = block?.type === 'paragraph' && block.indent !== false && !block.align ? { firstLine: 640 } : undefined;
    return new Paragraph({ children: runs(segments, heading ? HEADING_FONT : BODY_FONT), ...(align ? { alignment: align } : {}), ...(indent ? { indent } : {}) });
  };
  const table = (rows: DiffSegment[][][]): Table =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map((r) => new TableRow({ children: r.map((cell) => new TableCell({ children: [new Paragraph({ children: runs(cell, BODY_FONT, 28) })] })) })),
    });
  const tableSegments = (blk: Extract<Block, { type: 'table' }>, op: DiffOp) => blk.rows.map((r) => r.map((c) => whole(c, op)));

  const titleSeg = diff.header.find((h) => h.field === 'title')?.segments ?? whole(b.title, 'equal');
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, children: runs(titleSeg, { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' }, 44) }),
  ];
  if (opts.subtitle) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: opts.subtitle, font: BODY_FONT, size: 28 })] }));
  const docNo = diff.header.find((h) => h.field === 'docNumber')?.segments ?? whole(b.docNumber ?? '', 'equal');
  if (docNo.length) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: runs(docNo) }));
  const recipient = diff.header.find((h) => h.field === 'recipient')?.segments ?? whole(b.recipient ?? '', 'equal');
  if (recipient.length) children.push(new Paragraph({ children: [...runs(recipient), new TextRun({ text: '：', font: BODY_FONT, size: 32 })] }));

  for (const c of diff.blocks) {
    const blk = c.after ?? c.before!;
    if (c.op === 'change' && c.cells) children.push(table(c.cells));
    else if (blk.type === 'table' && c.op !== 'change') children.push(table(tableSegments(blk, c.op)));
    else if (c.op === 'change' && (c.before!.type === 'table' || c.after!.type === 'table')) {
      if (c.before!.type === 'table') children.push(table(tableSegments(c.before as Extract<Block, { type: 'table' }>, 'delete')));
      else children.push(para(c.before, whole(blockText(c.before!), 'delete')));
      if (c.after!.type === 'table') children.push(table(tableSegments(c.after as Extract<Block, { type: 'table' }>, 'insert')));
      else children.push(para(c.after, whole(blockText(c.after!), 'insert')));
    } else if (c.op === 'change') children.push(para(c.after, c.segments!));
    else children.push(para(blk, whole(blockText(blk), c.op)));
  }
  for (const field of ['agency', 'date'] as const) {
    const seg = diff.header.find((h) => h.field === field)?.segments ?? whole(field === 'agency' ? b.signature.agency : b.signature.date, 'equal');
    children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: runs(seg) }));
  }
  const doc = new Document({
    creator: opts.author,
    title: b.title,
    features: { trackRevisions: true },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
