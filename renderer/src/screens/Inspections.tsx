// 案卷评查 (inspector): every archived case file, newest first, with its evaluations; opening one shows
// the case read-only with the evaluation form (components/InspectionCard.tsx).
import { useEffect, useState } from 'react';
import type { InspectableCase } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Loading } from '../components/common';
import { navigate } from '../router';

export function Inspections() {
  const [rows, setRows] = useState<InspectableCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void call('inspections.cases', {}).then((r) => {
      if (!live) return;
      if (r.ok) setRows(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <div className="page" data-testid="inspections-page">
      <div className="page-head"><h1>案卷评查</h1>{rows && <span className="muted">已归档案卷 {rows.length} 件</span>}</div>
      <ErrorBox message={error} />
      {!rows && !error && <Loading />}
      {rows && rows.length === 0 && <div className="empty">还没有已归档的案卷。</div>}
      {rows && rows.length > 0 && (
        <table className="table" data-testid="inspections-table">
          <thead><tr><th scope="col">案件编号</th><th scope="col">案件名称</th><th scope="col">决定类型</th><th scope="col">承办人</th><th scope="col">归档日期</th><th scope="col">评查</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="inspection-case" data-case-no={r.caseNo}>
                <td><a href={`#/case/${r.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'case', caseId: r.id }); }}>{r.caseNo}</a></td>
                <td>{r.title}</td><td>{r.kindLabel}</td><td>{r.handler}</td><td>{r.archivedAt.slice(0, 10)}</td>
                <td>{r.inspections ? `${r.inspections}次${r.awaitingReply ? `（${r.awaitingReply}项待答复）` : ''}` : '未评查'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
