// The handling unit's written dissent: 申请复审 (once per case) and, if the re-review still disagrees,
// 提请集体讨论. Both need written reasons; the core's refusals are shown as they are.
import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, onCtrlEnterSubmit } from '../components/common';
import { fmtDateTime } from '../format';

export type DissentKind = 'rereview' | 'escalate';

const TEXT: Record<DissentKind, { title: string; lead: string; label: string; submit: string; empty: string }> = {
  rereview: {
    title: '申请复审',
    lead: '对法制审核意见有异议的，承办单位可书面申请复审一次，由法制机构另行复审。请逐项写明理由及依据。',
    label: '申请复审的理由',
    submit: '提交复审申请',
    empty: '请写明申请复审的理由。',
  },
  escalate: {
    title: '提请集体讨论',
    lead: '对复审意见（退回或不同意）仍有异议的，由法制机构提请机关负责人集体讨论决定（审核办法第十二条），负责人不再单独审批。请写明仍不同意复审意见的理由。',
    label: '仍不同意复审意见的理由',
    submit: '提请集体讨论',
    empty: '请写明仍不同意复审意见的理由。',
  },
};

export function DissentForm({
  kind,
  detail,
  onDone,
  onCancel,
}: {
  kind: DissentKind;
  detail: CaseDetail;
  onDone: (d: CaseDetail) => void;
  onCancel: () => void;
}) {
  const t = TEXT[kind];
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reasons.trim()) return setError(t.empty);
    setBusy(true);
    setError(null);
    const res = kind === 'rereview' ? await call('rereview.request', { caseId: detail.id, reasons }) : await call('cases.escalate', { caseId: detail.id, reasons });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onDone(res.value);
  }

  return (
    <form
      className="card dissent-panel"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') return onCancel();
        onCtrlEnterSubmit(e);
      }}
      data-testid={`${kind}-form`}
    >
      <h2 className="card-title">{t.title}</h2>
      <p className="hint">{t.lead}</p>
      <Field label={t.label} required>
        {(id) => (
          <textarea
            id={id}
            rows={4}
            data-testid={`${kind}-reasons`}
            value={reasons}
            aria-required="true"
            autoFocus
            onChange={(e) => setReasons(e.target.value)}
          />
        )}
      </Field>
      <ErrorBox message={error} testId={`${kind}-error`} />
      <div className="actions">
        <button type="submit" className="btn-primary" data-testid={`${kind}-submit`} disabled={busy}>
          {busy ? '正在提交……' : t.submit}
        </button>
        <button type="button" onClick={onCancel}>
          取消
        </button>
        <span className="hint">Ctrl+Enter 提交 · Esc 取消</span>
      </div>
    </form>
  );
}

/** The recorded re-review request and escalation, shown on the case page. */
export function DissentRecords({ detail }: { detail: CaseDetail }) {
  if (!detail.rereviewRequest && !detail.escalation) return null;
  return (
    <div className="dissent-records">
      {detail.rereviewRequest && (
        <section className="card card-warn" data-testid="rereview-request-section">
          <h2 className="card-title">
            承办单位申请复审
            <span className="muted small">
              {detail.rereviewRequest.by} · {fmtDateTime(detail.rereviewRequest.at)}
            </span>
          </h2>
          <div className="pre">{detail.rereviewRequest.reasons}</div>
        </section>
      )}
      {detail.escalation && (
        <section className="card card-warn" data-testid="escalation-section">
          <h2 className="card-title">
            {detail.escalation.kind === 'dispute' ? '复审后仍有异议，提请负责人集体讨论' : '提请负责人集体讨论'}
            <span className="muted small">
              {detail.escalation.by} · {fmtDateTime(detail.escalation.at)}
            </span>
          </h2>
          <div className="pre">{detail.escalation.reasons}</div>
        </section>
      )}
    </div>
  );
}
