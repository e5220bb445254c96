// 记录校验: re-computes the tamper-evident hash chain of the full-process record; the 审计管理员 also
// reads the record itself (newest first, by action).
import { useCallback, useEffect, useState } from 'react';
import type { AuditEventView, AuditVerifyView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox } from '../components/common';
import { fmtDateTime } from '../format';

export function AuditVerify({ readsLog = false }: { readsLog?: boolean }) {
  const [result, setResult] = useState<(AuditVerifyView & { at: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(null);
    const res = await call('audit.verify', {});
    setBusy(false);
    if (res.ok) setResult({ ...res.value, at: new Date().toISOString() });
    else setError(res.error.message);
  }

  return (
    <div className="page" data-testid="audit-page">
      <div className="page-head">
        <h1>记录校验</h1>
      </div>
      <section className="card">
        <p>
          全过程记录逐条以哈希链相连，任何一条记录被删除或改动，其后的校验都将不通过（依据：全过程记录“不得随意删除、篡改”）。
          点击下方按钮，系统将重新计算全部记录的校验值。
        </p>
        <div className="actions">
          <button type="button" className="btn-primary" data-testid="audit-verify" disabled={busy} onClick={() => void verify()}>
            {busy ? '正在校验……' : '开始校验'}
          </button>
        </div>
      </section>
      <ErrorBox message={error} />
      {result &&
        (result.ok ? (
          <div className="result-ok" role="status" data-testid="audit-result" data-ok="true">
            校验通过：共 {result.count} 条记录，全部完整、未被改动。（校验时间 {fmtDateTime(result.at)}）
          </div>
        ) : (
          <div className="result-bad" role="alert" data-testid="audit-result" data-ok="false">
            <strong>校验不通过！</strong>
            共 {result.count} 条记录；第一条异常记录为第 {result.firstBad?.seq} 条：{result.firstBad?.reason}
            。请立即报告法制机构负责人，并保留本机数据文件，不要自行修复。
          </div>
        ))}
      {readsLog && <EventLog />}
    </div>
  );
}

function EventLog() {
  const [items, setItems] = useState<AuditEventView[] | null>(null);
  const [action, setAction] = useState('');
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async (beforeSeq?: number) => {
    const res = await call('audit.events', { limit: 50, ...(action.trim() && { action: action.trim() }), ...(beforeSeq && { beforeSeq }) });
    if (!res.ok) return setError(res.error.message);
    setError(null);
    setItems((prev) => (beforeSeq && prev ? [...prev, ...res.value] : res.value));
  }, [action]);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section className="card" data-testid="audit-log">
      <h2 className="card-title">全过程记录（最新在前）</h2>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <input aria-label="操作类型前缀" placeholder="操作类型前缀，例如 user." data-testid="audit-log-action" value={action} onChange={(e) => setAction(e.target.value)} />
        <button type="submit">筛选</button>
      </form>
      <ErrorBox message={error} />
      {items && (
        <table className="table" data-testid="audit-log-table">
          <thead>
            <tr>
              <th scope="col">序号</th>
              <th scope="col">时间</th>
              <th scope="col">操作人</th>
              <th scope="col">操作</th>
              <th scope="col">案件</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.seq}>
                <td className="mono">{e.seq}</td>
                <td>{fmtDateTime(e.at)}</td>
                <td>{e.actor}</td>
                <td title={e.action}>{e.label}</td>
                <td>{e.caseId ?? '—'}</td>
                <td className="mono small">{JSON.stringify(e.payload)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items && items.length > 0 && items.length % 50 === 0 && (
        <div className="actions">
          <button type="button" onClick={() => void load(items[items.length - 1].seq)}>
            更早的记录
          </button>
        </div>
      )}
    </section>
  );
}
