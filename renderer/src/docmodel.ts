// The document model (main/core/documents/model.ts) ⇄ the rich-text editor's JSON (TipTap / ProseMirror).
// Pure: no DOM, no editor import, so the round trip is unit-tested in Node (test/unit/editor).
//
//   heading1 / heading2  ⇄ heading (level 1 / 2)
//   paragraph            ⇄ paragraph with attrs { indent, align } (null = not set in the model)
//   placeholder          ⇄ paragraph with attrs.placeholder = the block's original text; it stays a
//                          placeholder while its text is unchanged or still holds a 〔待填写：…〕 marker,
//                          and becomes an ordinary paragraph once the drafter has filled it in
//   table                ⇄ docTable, an atom node whose attrs hold { rows, header, widths } verbatim
//   "\n" inside a text   ⇄ hardBreak
// Title, document number, recipient and signature are not in the editor: editorToModel takes them from `base`.
import type { Block, DocModel } from '../../main/core/documents/model';

/** The editor's JSON (TipTap JSONContent, restricted to what is used here). */
export interface EditorNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: EditorNode[];
  text?: string;
  marks?: unknown[];
}

export const PLACEHOLDER_OPEN = '〔待填写：';
export const PLACEHOLDER_CLOSE = '〕';
/** One 〔待填写：…〕 marker (same pattern as the core's completeness check). */
export const MARKER_RE = /〔待填写：([^〕]*)〕/g;

const hasMarker = (text: string): boolean => new RegExp(MARKER_RE.source).test(text);

/** Text → inline nodes: line breaks become hardBreak nodes; empty runs are left out (ProseMirror has no empty text nodes). */
function inline(text: string): EditorNode[] {
  const out: EditorNode[] = [];
  text.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ type: 'hardBreak' });
    if (line) out.push({ type: 'text', text: line });
  });
  return out;
}

function withContent(node: EditorNode, text: string): EditorNode {
  const content = inline(text);
  return content.length ? { ...node, content } : node;
}

export function blockToEditor(b: Block): EditorNode {
  switch (b.type) {
    case 'heading1':
      return withContent({ type: 'heading', attrs: { level: 1 } }, b.text);
    case 'heading2':
      return withContent({ type: 'heading', attrs: { level: 2 } }, b.text);
    case 'paragraph':
      return withContent({ type: 'paragraph', attrs: { indent: b.indent ?? null, align: b.align ?? null, placeholder: null } }, b.text);
    case 'placeholder':
      return withContent({ type: 'paragraph', attrs: { indent: null, align: null, placeholder: b.text } }, b.text);
    case 'table':
      return {
        type: 'docTable',
        attrs: { rows: b.rows.map((r) => [...r]), header: b.header ?? null, widths: b.widths ? [...b.widths] : null },
      };
  }
}

/** The editor document for a model's body. */
export function modelToEditor(model: Pick<DocModel, 'blocks'>): EditorNode {
  return { type: 'doc', content: model.blocks.map(blockToEditor) };
}

/** The text of an inline run: text nodes as they are, hard breaks as "\n", anything else dropped. */
export function inlineText(node: EditorNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  return (node.content ?? []).map(inlineText).join('');
}

const isTextblock = (n: EditorNode): boolean => n.type === 'paragraph' || n.type === 'heading' || n.type === 'codeBlock';

function asAlign(v: unknown): 'left' | 'right' | 'center' | undefined {
  return v === 'left' || v === 'right' || v === 'center' ? v : undefined;
}

function nodeToBlocks(n: EditorNode): Block[] {
  if (n.type === 'heading') {
    const level = Number(n.attrs?.level ?? 1);
    return [{ type: level <= 1 ? 'heading1' : 'heading2', text: inlineText(n) }];
  }
  if (n.type === 'paragraph') {
    const text = inlineText(n);
    const original = n.attrs?.placeholder;
    if (typeof original === 'string' && (text === original || hasMarker(text))) return [{ type: 'placeholder', text }];
    const b: Block = { type: 'paragraph', text };
    if (typeof n.attrs?.indent === 'boolean') b.indent = n.attrs.indent;
    const align = asAlign(n.attrs?.align);
    if (align) b.align = align;
    return [b];
  }
  if (n.type === 'docTable') {
    const a = n.attrs ?? {};
    const rows = Array.isArray(a.rows) ? (a.rows as unknown[]).map((r) => (Array.isArray(r) ? r.map((c) => String(c ?? '')) : [String(r ?? '')])) : [];
    const t: Block = { type: 'table', rows };
    if (typeof a.header === 'boolean') t.header = a.header;
    if (Array.isArray(a.widths)) t.widths = (a.widths as unknown[]).map(Number);
    return [t];
  }
  if (isTextblock(n)) return [{ type: 'paragraph', text: inlineText(n) }];
  // Anything else pasted in (lists, quotes…): its text blocks become paragraphs, in order.
  if (n.content?.length) {
    const inner = n.content.flatMap(nodeToBlocks);
    if (inner.length) return inner;
  }
  const text = inlineText(n);
  return text ? [{ type: 'paragraph', text }] : [];
}

/** The model for the editor's content: the body from `json`, everything else (title, signature…) from `base`. */
export function editorToModel(json: EditorNode, base: DocModel): DocModel {
  const blocks = (json.content ?? []).flatMap(nodeToBlocks);
  return { ...base, blocks };
}

// ---------------------------------------------------------------------------------------------
// Helpers for the drafting page

/** Every text of the body in reading order (table cells one by one). */
export function bodyTexts(model: Pick<DocModel, 'blocks'>): string[] {
  return model.blocks.flatMap((b) => (b.type === 'table' ? b.rows.flat() : [b.text]));
}

/** 字数: the characters of the body, not counting white space (a Chinese character counts once). */
export function countChars(model: Pick<DocModel, 'blocks'>): number {
  let n = 0;
  for (const t of bodyTexts(model)) for (const ch of t) if (!/\s/.test(ch)) n++;
  return n;
}

/** The 〔待填写：…〕 labels left anywhere in the document, in reading order. */
export function markerLabels(model: DocModel): string[] {
  const texts = [model.title, model.docNumber ?? '', model.recipient ?? '', ...bodyTexts(model), model.signature.agency, model.signature.date];
  const out: string[] = [];
  for (const t of texts) for (const m of t.matchAll(MARKER_RE)) out.push(m[1]);
  // A placeholder block without a marker (typed by hand) is unfilled as well.
  for (const b of model.blocks) if (b.type === 'placeholder' && !hasMarker(b.text)) out.push(b.text);
  return out;
}

/** Offsets [from, to) of each marker in a string (UTF-16 units, as ProseMirror counts positions). */
export function markerRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(MARKER_RE)) out.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  return out;
}

/** JSON with sorted keys and without undefined values: equal models give equal strings. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

export const sameModel = (a: DocModel, b: DocModel): boolean => stableJson(a) === stableJson(b);
