// 逾期督办 (legal office head): running review periods that are overdue or due within one working day.
import { useEffect, useState } from 'react';
import type { OverdueItem } from '../../../main/core/domain/views';
import { call } from '../api';
import { ClockChip } from '../components/Clock';
import { ErrorBox, Loading } from '../components/common';
import { fmtDate } from '../format';
import { navigate } from '../router';

export function Overdue() {
  const [items, setItems] = useState<OverdueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void call('deadlines.overdue', {}).then((res) => {
      if (!live) return;
      if (res.ok) setItems(res.value);
      else setError(res.error.message);
    });
    return () => {
      live = false;
    };
  }, []);

  const overdue = items?.filter((i) => i.clock.state === 'overdue') ?? [];
  const soon = items?.filter((i) => i.clock.state === 'due_soon') ?? [];

  return (
    <div className="page" data-testid="overdue-page">
      <div className="page-head">
        <h1>逾期督办</h1>
        {items && (
          <span className="muted" data-testid="overdue-summary">
            已逾期 {overdue.length} 件 · 即将到期 {soon.length} 件
          </span>
        )}
      </div>
      <ErrorBox message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <div className="empty" data-testid="overdue-empty">
          目前没有逾期或即将到期的审核。
        </div>
      )}
      {items && items.length > 0 && (
        <table className="table" data-testid="overdue-table">
          <thead>
            <tr>
              <th scope="col">案件编号</th>
              <th scope="col">案件名称</th>
              <th scope="col">审核人</th>
              <th scope="col">期限</th>
              <th scope="col">起算</th>
              <th scope="col">到期</th>
              <th scope="col">剩余</th>
              <th scope="col">延长</th>
            </tr>
          </thead>
          <tbody>
            {[...overdue, ...soon].map((i) => (
              <tr key={`${i.caseId}-${i.clock.kind}`} data-testid="overdue-row" data-case-no={i.caseNo} data-state={i.clock.state} className={`clock-row-${i.clock.state}`}>
                <td>
                  <a
                    href={`#/case/${i.caseId}`}
                    data-testid="case-link"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name: 'case', caseId: i.caseId });
                    }}
                  >
                    {i.caseNo}
                  </a>
                </td>
                <td>{i.title}</td>
                <td>{i.reviewer ?? <span className="warn-text">尚未领取</span>}</td>
                <td>{i.clock.label}</td>
                <td className="nowrap">{fmtDate(i.clock.start)}</td>
                <td className="nowrap">{i.clock.dueLabel}</td>
                <td>
                  <ClockChip clock={i.clock} testId="overdue-clock" />
                </td>
                <td className="small">{i.clock.extension ? `已延长${i.clock.extension.days}日（${i.clock.extension.by}）` : '未延长'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
