// 案卷评查 on an archived case: every evaluation with its requests and reply; the inspector's form; the
// reply of the case's handler or the legal office head. The core checks every rule again
// (services/inspections.ts).
import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { useConfirm } from './ConfirmDialog';
import { ErrorBox, Field, Notice } from './common';

export function InspectionCard({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const v = detail.inspections;
  const [result, setResult] = useState('pass');
  const [findings, setFindings] = useState('');
  const [requests, setRequests] = useState('');
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (!v || (!v.canRecord && v.items.length === 0)) return null;

  async function record(e: FormEvent) {
    e.preventDefault();
    if (!(await ask({ title: '确认登记评查意见？', message: '评查意见记入全过程记录并补充归档，不能修改或删除。', confirmLabel: '确认登记', okTestId: 'inspection-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res = await call('inspections.record', { caseId: detail.id, result: result as 'pass', findings, requests: requests.split('\n').map((r) => r.trim()).filter(Boolean) });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setFindings('');
    setRequests('');
    setNotice('已登记评查意见。');
    onDone(res.value);
  }

  async function answer(inspectionId: number) {
    if (!(await ask({ title: '确认答复评查意见？', message: '答复只能一次，记入全过程记录并补充归档。', confirmLabel: '确认答复', okTestId: 'inspection-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res = await call('inspections.reply', { inspectionId, text: reply });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setReply('');
    setNotice('已答复。');
    onDone(res.value);
  }

  return (
    <section className="card" data-testid="inspection-card" aria-labelledby="inspection-title">
      {confirmDialog}
      <h2 className="card-title" id="inspection-title">案卷评查</h2>
      {v.items.length === 0 && <p className="muted">本案卷尚未评查。</p>}
      <ul className="plain-list" data-testid="inspection-items">
        {v.items.map((i) => (
          <li key={i.id} data-testid="inspection-item">
            <strong>{i.resultLabel}</strong>（{i.inspector}，{i.at.slice(0, 10)}）：{i.findings}
            {i.requests.length > 0 && <ol>{i.requests.map((r) => <li key={r}>{r}</li>)}</ol>}
            {i.reply && <p data-testid="inspection-reply">答复（{i.reply.by}）：{i.reply.text}</p>}
            {!i.reply && i.requests.length > 0 && !i.canReply && <p className="muted small">待承办人或法制机构负责人答复。</p>}
            {i.canReply && (
              <div>
                <Field label="整改情况的答复" required>{(id) => <textarea id={id} data-testid="inspection-reply-text" rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />}</Field>
                <button type="button" data-testid="inspection-reply-submit" disabled={busy || !reply.trim()} onClick={() => void answer(i.id)}>答复</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {v.canRecord && (
        <form onSubmit={(e) => void record(e)} data-testid="inspection-form">
          <Field label="评查结论">
            {(id) => (
              <select id={id} data-testid="inspection-result" value={result} onChange={(e) => setResult(e.target.value)}>
                <option value="excellent">优秀</option>
                <option value="pass">合格</option>
                <option value="fail">不合格</option>
              </select>
            )}
          </Field>
          <Field label="评查意见" required>{(id) => <textarea id={id} data-testid="inspection-findings" rows={3} value={findings} onChange={(e) => setFindings(e.target.value)} required />}</Field>
          <Field label="整改要求（每行一项；不合格的须至少一项）">{(id) => <textarea id={id} data-testid="inspection-requests" rows={3} value={requests} onChange={(e) => setRequests(e.target.value)} />}</Field>
          <button type="submit" data-testid="inspection-submit" disabled={busy}>登记评查意见</button>
        </form>
      )}
      <Notice message={notice} testId="inspection-notice" />
      <ErrorBox message={error} testId="inspection-error" />
    </section>
  );
}
