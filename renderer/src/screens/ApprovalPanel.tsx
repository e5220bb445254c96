// 审批: the agency head's decision. Departing from the legal review opinion needs an explicit,
// written declaration (001 附件3 第十七条); the core refuses otherwise and its message is shown as is.
import { useState, type FormEvent } from 'react';
import type { ApprovalDecision } from '../../../main/core/domain/types';
import type { CaseDetail, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, onCtrlEnterSubmit } from '../components/common';
import { APPROVAL_DECISIONS, APPROVAL_LABELS, OUTCOME_LABELS } from '../labels';

export function ApprovalPanel({
  detail,
  session,
  onDone,
  onCancel,
}: {
  detail: CaseDetail;
  session: SessionView;
  onDone: (d: CaseDetail) => void;
  onCancel: () => void;
}) {
  const [decision, setDecision] = useState<ApprovalDecision | ''>('');
  const [opinion, setOpinion] = useState('');
  const [override, setOverride] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const lastOutcome = detail.lastOutcome;
  const departs = decision === '' ? false : decision === 'approve' ? lastOutcome !== 'agree' : lastOutcome === 'agree';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!decision) return setError('请选择批准或不予批准。');
    if (override && departs && !reason.trim()) return setError('声明不采纳法制审核意见的，须写明不采纳理由。');
    setBusy(true);
    setError(null);
    const res = await call('approvals.decide', {
      caseId: detail.id,
      decision,
      opinion,
      ...(override && departs && { override: { declared: true as const, reason } }),
    });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onDone(res.value);
  }

  return (
    <form className="card approval-panel" noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="approval-panel">
      <h2 className="card-title">负责人审批</h2>
      <p>
        法制审核意见：
        <strong className={lastOutcome ? `outcome outcome-${lastOutcome}` : undefined} data-testid="approval-review-outcome">
          {lastOutcome ? OUTCOME_LABELS[lastOutcome] : '无'}
        </strong>
        （审核人：{detail.responsible.reviewer ?? '无'}）　审批人：{session.user.displayName}
      </p>
      {detail.approvalBar && (
        <p className="warn-text" role="note" data-testid="approval-bar">
          {detail.approvalBar}
        </p>
      )}
      <fieldset className="inline-radios">
        <legend>
          审批结论<span className="req" aria-hidden="true">＊</span>
        </legend>
        {APPROVAL_DECISIONS.map((d) => (
          <label key={d}>
            <input
              type="radio"
              name="approval-decision"
              value={d}
              data-testid={`approval-${d}`}
              checked={decision === d}
              disabled={d === 'approve' && !!detail.approvalBar}
              onChange={() => setDecision(d)}
            />
            {APPROVAL_LABELS[d]}
          </label>
        ))}
      </fieldset>
      {departs && !override && (
        <p className="warn-text" data-testid="approval-departs-hint">
          该结论与法制审核意见不一致。如坚持作出此决定，须勾选下方声明并写明理由。
        </p>
      )}
      <Field label="审批意见" required>
        {(id) => <textarea id={id} rows={3} data-testid="approval-opinion" value={opinion} onChange={(e) => setOpinion(e.target.value)} required />}
      </Field>
      {/* The declaration only where the chosen decision departs from the opinion (the core refuses it otherwise). */}
      {(departs || override) && (
        <label className="override-check">
          <input type="checkbox" data-testid="approval-override" checked={override} onChange={(e) => setOverride(e.target.checked)} />
          本人不采纳法制审核意见，并承担相应责任
        </label>
      )}
      {override && departs && (
        <Field label="不采纳理由" required>
          {(id) => (
            <textarea id={id} rows={3} data-testid="approval-override-reason" value={reason} onChange={(e) => setReason(e.target.value)} required aria-required="true" />
          )}
        </Field>
      )}
      <ErrorBox message={error} testId="approval-error" />
      <div className="actions">
        <button type="submit" className={override ? 'btn-danger' : 'btn-primary'} data-testid="approval-submit" disabled={busy}>
          {busy ? '正在提交……' : '提交审批决定'}
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
        <span className="hint">Ctrl+Enter 提交</span>
      </div>
    </form>
  );
}
