// A table of the document inside the editor: a grid of text boxes (each cell one box). Editing a cell
// replaces the node's rows attribute, so it is one undoable step and autosaved like any other edit.
import { NodeViewWrapper, type NodeViewProps } from '@tiptap/react';
import { MARKER_RE } from '../docmodel';

const hasMarker = (s: string) => new RegExp(MARKER_RE.source).test(s);

export function DocTableView({ node, updateAttributes, editor }: NodeViewProps) {
  const rows = (node.attrs.rows as string[][]) ?? [];
  const header = node.attrs.header === true;
  const widths = (node.attrs.widths as number[] | null) ?? null;
  const total = widths ? widths.reduce((a, b) => a + b, 0) : 0;
  const editable = editor.isEditable;

  const setCell = (r: number, c: number, value: string) => {
    updateAttributes({ rows: rows.map((row, i) => (i === r ? row.map((cell, j) => (j === c ? value : cell)) : row)) });
  };

  return (
    <NodeViewWrapper className="doc-table" data-testid="doc-table">
      <table contentEditable={false} suppressContentEditableWarning>
        {widths && total > 0 && (
          <colgroup>
            {widths.map((w, i) => (
              <col key={i} style={{ width: `${((w / total) * 100).toFixed(2)}%` }} />
            ))}
          </colgroup>
        )}
        <tbody>
          {rows.map((row, r) => (
            <tr key={r} className={header && r === 0 ? 'doc-table-head' : undefined}>
              {row.map((cell, c) => (
                <td key={c} className={hasMarker(cell) ? 'has-marker' : undefined}>
                  <textarea
                    value={cell}
                    rows={1}
                    readOnly={!editable}
                    aria-label={`表格第${r + 1}行第${c + 1}列`}
                    data-testid="doc-table-cell"
                    onChange={(e) => setCell(r, c, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </NodeViewWrapper>
  );
}
