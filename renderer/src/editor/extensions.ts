// The editor's schema for official documents: StarterKit without formatting the document model cannot
// hold (no bold, lists, quotes, code, links), paragraphs with the model's indent / align / placeholder
// attributes, tables as one atom node (docTable) edited in a grid, and 〔待填写：…〕 markers highlighted
// with a decoration (the text itself is never changed).
import { Extension, Node, ReactNodeViewRenderer } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Node as PMNode } from '@tiptap/pm/model';
import { markerRanges } from '../docmodel';
import { DocTableView } from './DocTableView';

/** indent / align / placeholder on paragraphs (null = absent from the model). */
export const DocParagraphAttrs = Extension.create({
  name: 'docParagraphAttrs',
  addGlobalAttributes() {
    return [
      {
        types: ['paragraph'],
        attributes: {
          indent: {
            default: null,
            parseHTML: (el: HTMLElement) => {
              const v = el.getAttribute('data-indent');
              return v === 'true' ? true : v === 'false' ? false : null;
            },
            renderHTML: (a: Record<string, unknown>) => (a.indent === null || a.indent === undefined ? {} : { 'data-indent': String(a.indent) }),
          },
          align: {
            default: null,
            parseHTML: (el: HTMLElement) => {
              const v = el.getAttribute('data-align');
              return v === 'left' || v === 'right' || v === 'center' ? v : null;
            },
            renderHTML: (a: Record<string, unknown>) => (a.align ? { 'data-align': String(a.align) } : {}),
          },
          placeholder: {
            default: null,
            // A paragraph split off a placeholder (Enter) is an ordinary paragraph.
            keepOnSplit: false,
            parseHTML: (el: HTMLElement) => el.getAttribute('data-placeholder'),
            renderHTML: (a: Record<string, unknown>) => (typeof a.placeholder === 'string' ? { 'data-placeholder': a.placeholder } : {}),
          },
        },
      },
    ];
  },
});

/** A table of the document model; its rows live in attrs and are edited in a grid of text boxes. */
export const DocTable = Node.create({
  name: 'docTable',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: false,
  addAttributes() {
    return {
      rows: { default: [['']], rendered: false },
      header: { default: null, rendered: false },
      widths: { default: null, rendered: false },
    };
  },
  parseHTML() {
    return [
      {
        tag: 'div[data-doc-table]',
        getAttrs: (el: HTMLElement) => {
          try {
            const v = JSON.parse(el.getAttribute('data-doc-table') ?? '') as { rows?: unknown; header?: unknown; widths?: unknown };
            return { rows: Array.isArray(v.rows) ? v.rows : [['']], header: v.header ?? null, widths: v.widths ?? null };
          } catch {
            return false;
          }
        },
      },
    ];
  },
  renderHTML({ node }) {
    return ['div', { 'data-doc-table': JSON.stringify({ rows: node.attrs.rows, header: node.attrs.header, widths: node.attrs.widths }) }];
  },
  addNodeView() {
    return ReactNodeViewRenderer(DocTableView);
  },
});

function markerDecorations(doc: PMNode): DecorationSet {
  const decos: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    // The block's text with one placeholder character per non-text leaf, so offsets match positions.
    let text = '';
    node.forEach((child) => {
      text += child.isText ? (child.text ?? '') : '\ufffc'.repeat(child.nodeSize);
    });
    for (const [from, to] of markerRanges(text)) {
      decos.push(Decoration.inline(pos + 1 + from, pos + 1 + to, { class: 'ph-marker', 'data-testid': 'ph-marker' }));
    }
    return false;
  });
  return DecorationSet.create(doc, decos);
}

const markerKey = new PluginKey<DecorationSet>('placeholderMarkers');

/** Highlights every 〔待填写：…〕 in the text. */
export const MarkerHighlight = Extension.create({
  name: 'placeholderMarkers',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: markerKey,
        state: {
          init: (_config, state: EditorState) => markerDecorations(state.doc),
          apply: (tr, old) => (tr.docChanged ? markerDecorations(tr.doc) : old),
        },
        props: {
          decorations(state) {
            return markerKey.getState(state);
          },
        },
      }),
    ];
  },
});

export const docExtensions = () => [
  StarterKit.configure({
    heading: { levels: [1, 2] },
    bold: false,
    italic: false,
    strike: false,
    underline: false,
    code: false,
    codeBlock: false,
    blockquote: false,
    bulletList: false,
    orderedList: false,
    listItem: false,
    listKeymap: false,
    horizontalRule: false,
    link: false,
    // A trailing empty paragraph would be a block the model never had.
    trailingNode: false,
  }),
  DocParagraphAttrs,
  DocTable,
  MarkerHighlight,
];
