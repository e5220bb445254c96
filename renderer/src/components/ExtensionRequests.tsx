// The one extension of a review period (001 附件3 第十三条): the assigned reviewer asks with a reason
// (申请延期); the head the agency named approves or refuses with a reason. Every request and decision
// stays on the case. The core checks who may do what again on every call.
import { useState, type FormEvent } from 'react';
import { useConfirm } from './ConfirmDialog';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Notice } from './common';
import { fmtTime } from '../format';

export function ExtensionRequests({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const requests = detail.extensionRequests ?? [];
  const canRequest = detail.allowed.includes('extension.request');
  const canDecide = detail.allowed.includes('extension.decide');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<'approve' | 'refuse'>('approve');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (requests.length === 0 && !canRequest) return null;

  async function request(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError('请写明申请延长的理由（案情复杂的具体情形）。');
    setBusy(true);
    setError(null);
    const res = await call('deadlines.requestExtension', { caseId: detail.id, reason });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setOpen(false);
    setReason('');
    setNotice('已提交延期申请，等待负责人批准。');
    onDone(res.value);
  }

  async function decide(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError('请写明批准或不予批准的理由。');
    const label = decision === 'approve' ? '批准延长审核期限（每案仅一次）' : '不予批准延长审核期限';
    if (!(await ask({ title: `确认${label}？`, message: '此决定记入全过程记录，不能撤回。', confirmLabel: decision === 'approve' ? '批准延期' : '不予批准', okTestId: 'extension-decide-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res = await call('deadlines.decideExtension', { caseId: detail.id, decision, reason });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setOpen(false);
    setReason('');
    setNotice(decision === 'approve' ? '已批准延长审核期限。' : '已不予批准延期申请。');
    onDone(res.value);
  }

  return (
    <section className="card" data-testid="extension-requests" aria-labelledby="extension-title">
      {confirmDialog}
      <h2 className="card-title" id="extension-title">
        延长审核期限申请
        {canRequest && !open && (
          <button type="button" className="btn-small" data-testid="extension-request-open" onClick={() => setOpen(true)}>
            申请延期
          </button>
        )}
        {canDecide && !open && (
          <button type="button" className="btn-small" data-testid="extension-decide-open" onClick={() => setOpen(true)}>
            审批延期申请
          </button>
        )}
      </h2>
      <Notice message={notice} testId="extension-notice" />
      {requests.length > 0 && (
        <table className="table compact" data-testid="extension-table">
          <thead>
            <tr>
              <th scope="col">申请</th>
              <th scope="col">理由</th>
              <th scope="col">决定</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr key={r.id} data-testid={`extension-row-${r.id}`}>
                <td className="nowrap">
                  {r.by}
                  <br />
                  <span className="muted small">{fmtTime(r.at)}</span>
                </td>
                <td className="pre">{r.reason}</td>
                <td>
                  {r.decision ? (
                    <>
                      <strong>{r.decision === 'approve' ? '批准' : '不予批准'}</strong>（{r.decidedBy}，{fmtTime(r.decidedAt)}）：{r.decisionReason}
                    </>
                  ) : r.open ? (
                    '待批准'
                  ) : (
                    <span className="muted">未作决定（审核已结束或期限已延长）</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && canRequest && (
        <form onSubmit={request} data-testid="extension-request-form">
          <Field label="申请延长的理由" required hint="001 附件3 第十三条：情况复杂的，经负责人批准可以延长一次">
            {(id) => <textarea id={id} data-testid="extension-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <ErrorBox message={error} testId="extension-error" />
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="extension-request-submit" disabled={busy}>
              提交延期申请
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              取消
            </button>
          </div>
        </form>
      )}
      {open && canDecide && (
        <form onSubmit={decide} data-testid="extension-decide-form">
          <fieldset className="inline-radios">
            <legend>决定</legend>
            {(['approve', 'refuse'] as const).map((d) => (
              <label key={d}>
                <input type="radio" name="extension-decision" data-testid={`extension-decision-${d}`} checked={decision === d} onChange={() => setDecision(d)} />
                {d === 'approve' ? '批准延长' : '不予批准'}
              </label>
            ))}
          </fieldset>
          <Field label="理由" required>
            {(id) => <textarea id={id} data-testid="extension-decide-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <ErrorBox message={error} testId="extension-error" />
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="extension-decide-submit" disabled={busy}>
              确认决定
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              取消
            </button>
          </div>
        </form>
      )}
      {!open && <ErrorBox message={error} testId="extension-error" />}
    </section>
  );
}
