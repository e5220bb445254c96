// Comparisons as the core computes them (main/core/documents/diff.ts): insertions underlined in green,
// deletions struck through in red, character by character; documents block by block, submissions field by field.
import { Fragment, useState } from 'react';
import type { Block } from '../../../main/core/documents/model';
import type { BlockChange, DiffSegment, ModelDiff, SubmissionDiff } from '../../../main/core/documents/diff';

export function Segments({ segments }: { segments: DiffSegment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.op === 'insert' ? (
          <ins key={i} className="diff-ins" data-testid="diff-insert">
            {s.text}
          </ins>
        ) : s.op === 'delete' ? (
          <del key={i} className="diff-del" data-testid="diff-delete">
            {s.text}
          </del>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

const whole = (text: string, op: DiffSegment['op']): DiffSegment[] => (text ? [{ op, text }] : []);
const blockText = (b: Block): string => (b.type === 'table' ? b.rows.map((r) => r.join(' | ')).join('\n') : b.text);

function blockClass(b: Block | undefined): string {
  if (!b) return 'diff-block';
  if (b.type === 'paragraph') return `diff-block diff-paragraph${b.align ? ` align-${b.align}` : ''}${b.indent === false || b.align ? '' : ' indent'}`;
  return `diff-block diff-${b.type}`;
}

function DiffTable({ rows, header }: { rows: DiffSegment[][][]; header?: boolean }) {
  return (
    <table className="diff-table">
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={header && i === 0 ? 'diff-table-head' : undefined}>
            {r.map((cell, j) => (
              <td key={j}>
                <Segments segments={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const tableAs = (b: Extract<Block, { type: 'table' }>, op: DiffSegment['op']) => b.rows.map((r) => r.map((c) => whole(c, op)));

function ChangedBlock({ c }: { c: BlockChange }) {
  const blk = (c.after ?? c.before)!;
  const mark = c.op === 'insert' ? '新增' : c.op === 'delete' ? '删除' : c.op === 'change' ? '修改' : '';
  let body;
  if (c.op === 'change' && c.cells && blk.type === 'table') body = <DiffTable rows={c.cells} header={blk.header} />;
  else if (blk.type === 'table' && c.op !== 'change') body = <DiffTable rows={tableAs(blk, c.op)} header={blk.header} />;
  else if (c.op === 'change' && (c.before!.type === 'table' || c.after!.type === 'table')) {
    body = (
      <>
        {c.before!.type === 'table' ? <DiffTable rows={tableAs(c.before!, 'delete')} /> : <div className={blockClass(c.before)}><Segments segments={whole(blockText(c.before!), 'delete')} /></div>}
        {c.after!.type === 'table' ? <DiffTable rows={tableAs(c.after!, 'insert')} /> : <div className={blockClass(c.after)}><Segments segments={whole(blockText(c.after!), 'insert')} /></div>}
      </>
    );
  } else {
    body = (
      <div className={blockClass(blk)}>
        <Segments segments={c.op === 'change' ? (c.segments ?? []) : whole(blockText(blk), c.op)} />
      </div>
    );
  }
  return (
    <div className={`diff-row diff-row-${c.op}`} data-testid="diff-block" data-op={c.op}>
      {mark && <span className={`diff-tag diff-tag-${c.op}`}>{mark}</span>}
      {body}
    </div>
  );
}

/** Two versions of a document: header fields that changed, then the body block by block. */
export function ModelDiffView({ diff }: { diff: ModelDiff }) {
  const [showAll, setShowAll] = useState(false);
  if (diff.identical) return <p className="empty" data-testid="diff-identical">两个版本内容完全相同。</p>;
  const changed = diff.blocks.filter((b) => b.op !== 'equal').length;
  // Runs of unchanged blocks collapse into one line unless the user asks for the whole text.
  const items: ({ kind: 'block'; c: BlockChange } | { kind: 'gap'; n: number })[] = [];
  for (const c of diff.blocks) {
    if (c.op === 'equal' && !showAll) {
      const last = items[items.length - 1];
      if (last && last.kind === 'gap') last.n++;
      else items.push({ kind: 'gap', n: 1 });
    } else items.push({ kind: 'block', c });
  }
  return (
    <div className="model-diff" data-testid="model-diff">
      <div className="diff-summary">
        <span>
          共{diff.blocks.length}段，其中修改、新增或删除{changed}段{diff.header.length ? `；${diff.header.map((h) => h.label).join('、')}有改动` : ''}。
        </span>
        <label className="check-line">
          <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} data-testid="diff-show-all" />
          显示未修改的段落
        </label>
        <span className="diff-legend">
          <ins className="diff-ins">新增的文字</ins> <del className="diff-del">删除的文字</del>
        </span>
      </div>
      {diff.header.length > 0 && (
        <dl className="kv diff-header" data-testid="diff-header">
          {diff.header.map((h) => (
            <Fragment key={h.field}>
              <dt>{h.label}</dt>
              <dd>
                <Segments segments={h.segments} />
              </dd>
            </Fragment>
          ))}
        </dl>
      )}
      <div className="diff-body">
        {items.map((it, i) =>
          it.kind === 'gap' ? (
            <div key={`g${i}`} className="diff-gap">
              ……（{it.n}段未修改）
            </div>
          ) : it.c.op === 'equal' ? (
            <div key={i} className="diff-row diff-row-equal" data-testid="diff-block" data-op="equal">
              {it.c.after?.type === 'table' ? <DiffTable rows={tableAs(it.c.after, 'equal')} header={it.c.after.header} /> : <div className={blockClass(it.c.after)}>{blockText(it.c.after!)}</div>}
            </div>
          ) : (
            <ChangedBlock key={i} c={it.c} />
          ),
        )}
      </div>
    </div>
  );
}

/** What the handler changed between two submission rounds, field by field. */
export function SubmissionDiffView({ diff }: { diff: SubmissionDiff }) {
  return (
    <div className="submission-diff" data-testid="submission-diff">
      <p className="diff-summary">
        第{diff.fromRound}轮送审材料 → 第{diff.toRound}轮送审材料：{diff.changes.length ? `${diff.changes.length}项有改动` : '没有改动'}
        <span className="diff-legend">
          <ins className="diff-ins">新增</ins> <del className="diff-del">删除</del>
        </span>
      </p>
      {diff.changeNote && (
        <div className="change-note">
          <strong>补正说明：</strong>
          <span className="pre">{diff.changeNote}</span>
        </div>
      )}
      {diff.changes.length > 0 && (
        <table className="table diff-fields">
          <tbody>
            {diff.changes.map((ch) => (
              <tr key={ch.field} data-testid="submission-change" data-field={ch.field}>
                <th scope="row" className="nowrap">
                  {ch.label}
                </th>
                <td className="pre">
                  {ch.type === 'text' && <Segments segments={ch.segments ?? []} />}
                  {ch.type === 'value' && (
                    <>
                      <del className="diff-del">{ch.before}</del> → <ins className="diff-ins">{ch.after}</ins>
                    </>
                  )}
                  {ch.type === 'list' && (
                    <>
                      <ul className="diff-items">
                        {(ch.items ?? []).map((it, i) => (
                          <li key={i} className={`diff-item diff-item-${it.op}`} data-testid={it.op === 'insert' ? 'diff-item-added' : it.op === 'delete' ? 'diff-item-removed' : undefined}>
                            {it.op === 'insert' ? <ins className="diff-ins">＋ {it.text}</ins> : it.op === 'delete' ? <del className="diff-del">－ {it.text}</del> : <span className="muted">{it.text}</span>}
                          </li>
                        ))}
                      </ul>
                      <div className="muted small">
                        新增{ch.added?.length ?? 0}项，删除{ch.removed?.length ?? 0}项
                      </div>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff.unchanged.length > 0 && <p className="muted small">未改动：{diff.unchanged.join('、')}</p>}
    </div>
  );
}
