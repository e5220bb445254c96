// After the review: proposing a case for the heads' collective discussion, and ending a matter
// after a rejection (承办人提出、审核人审核、批准人批准). The core decides who may do each; these forms
// only collect the written reasons and show its refusals as they are.
import { useState, type FormEvent } from 'react';
import type { EndingKind } from '../../../main/core/domain/types';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, onCtrlEnterSubmit } from '../components/common';
import { fmtDateTime } from '../format';

export type GateAction = 'propose' | 'end' | 'endingReview' | 'endingDecide';

const ENDING_KIND_LABELS: Record<EndingKind, string> = { no_penalty: '不予行政处罚', withdraw: '撤销立案', other: '其他方式终结' };

const TEXT: Record<GateAction, { title: string; lead: string; label: string; submit: string; confirm?: string }> = {
  propose: {
    title: '提请集体讨论',
    lead: '重大执法决定可由法制机构或承办单位提请机关负责人集体讨论决定（行政处罚法第五十七条）。提请后由会议秘书列入议题、主持人确定议题，负责人不再单独审批。',
    label: '提请集体讨论的理由',
    submit: '提请集体讨论',
    confirm: '提请后由负责人会议集体讨论决定，负责人不再单独审批，不能撤回。确认提请？',
  },
  end: {
    title: '提出终结意见',
    lead: '负责人未批准处理方案的，承办单位可以修改处理方案重新送审，或书面提出终结本案的意见，经法制审核人员审核、机关负责人批准后终结。',
    label: '终结的理由及依据',
    submit: '提出终结意见',
    confirm: '提出后须经审核、批准，本轮处理方案不再送审。确认提出？',
  },
  endingReview: {
    title: '审核终结意见',
    lead: '请审核承办单位提出的终结意见：同意的，报机关负责人批准；不同意的，退回承办单位。',
    label: '审核意见',
    submit: '提交审核意见',
  },
  endingDecide: {
    title: '批准终结',
    lead: '批准后本案终结（不予行政处罚的，须另行制作、签发不予行政处罚决定书）；不批准的，退回承办单位。',
    label: '批准意见',
    submit: '提交决定',
    confirm: '此决定记入全过程记录，不能撤回。确认提交？',
  },
};

export function GateForm({ action, detail, onDone, onCancel }: { action: GateAction; detail: CaseDetail; onDone: (d: CaseDetail) => void; onCancel: () => void }) {
  const t = TEXT[action];
  const [text, setText] = useState('');
  const [kind, setKind] = useState<EndingKind>(detail.kind === 'penalty' ? 'no_penalty' : 'withdraw');
  const [outcome, setOutcome] = useState<'agree' | 'disagree' | ''>('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsOutcome = action === 'endingReview' || action === 'endingDecide';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (needsOutcome && !outcome) return setError('请选择同意或不同意。');
    if (!text.trim()) return setError(`请填写${t.label}。`);
    setError(null);
    if (t.confirm && !confirming) return setConfirming(true);
    setBusy(true);
    setError(null);
    const caseId = detail.id;
    const res =
      action === 'propose'
        ? await call('cases.propose', { caseId, reasons: text })
        : action === 'end'
          ? await call('cases.proposeEnding', { caseId, kind, reason: text })
          : await call(action === 'endingReview' ? 'cases.reviewEnding' : 'cases.decideEnding', { caseId, outcome: outcome as 'agree' | 'disagree', opinion: text });
    setBusy(false);
    setConfirming(false);
    if (!res.ok) return setError(res.error.message);
    onDone(res.value);
  }

  const ending = detail.endings.at(-1);
  return (
    <form
      className="card dissent-panel"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') return confirming ? setConfirming(false) : onCancel();
        onCtrlEnterSubmit(e);
      }}
      data-testid={`gate-${action}-form`}
    >
      <h2 className="card-title">{t.title}</h2>
      <p className="hint">{t.lead}</p>
      {needsOutcome && ending && (
        <p data-testid="gate-ending-summary">
          承办单位意见：<strong>{ending.kindLabel}</strong>——{ending.reason}
        </p>
      )}
      {action === 'end' && (
        <Field label="终结方式" required>
          {(id) => (
            <select id={id} data-testid="gate-ending-kind" value={kind} onChange={(e) => setKind(e.target.value as EndingKind)}>
              {(Object.keys(ENDING_KIND_LABELS) as EndingKind[])
                .filter((k) => k !== 'no_penalty' || detail.kind === 'penalty')
                .map((k) => (
                  <option key={k} value={k}>
                    {ENDING_KIND_LABELS[k]}
                  </option>
                ))}
            </select>
          )}
        </Field>
      )}
      {needsOutcome && (
        <fieldset className="inline-radios">
          <legend>
            结论<span className="req" aria-hidden="true">＊</span>
          </legend>
          {(['agree', 'disagree'] as const).map((o) => (
            <label key={o}>
              <input type="radio" name={`gate-${action}-outcome`} value={o} data-testid={`gate-outcome-${o}`} checked={outcome === o} onChange={() => setOutcome(o)} />
              {o === 'agree' ? (action === 'endingDecide' ? '批准终结' : '同意') : action === 'endingDecide' ? '不批准，退回承办单位' : '不同意，退回承办单位'}
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t.label} required>
        {(id) => <textarea id={id} rows={4} data-testid={`gate-${action}-text`} value={text} aria-required="true" autoFocus onChange={(e) => setText(e.target.value)} />}
      </Field>
      <ErrorBox message={error} testId={`gate-${action}-error`} />
      {confirming && (
        <p className="warn-text" role="alert" data-testid={`gate-${action}-confirm-text`}>
          {action === 'endingDecide' && ending ? `${outcome === 'agree' ? `批准${ending.kindLabel}` : '不批准终结，退回承办单位'}。` : ''}
          {t.confirm}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn-primary" data-testid={`gate-${action}-submit`} disabled={busy}>
          {busy ? '正在提交……' : confirming ? '确认提交' : t.submit}
        </button>
        <button type="button" onClick={confirming ? () => setConfirming(false) : onCancel}>
          {confirming ? '返回修改' : '取消'}
        </button>
        <span className="hint">Ctrl+Enter 提交 · Esc 取消</span>
      </div>
    </form>
  );
}

/** Proposals to end the matter and their review and approval, shown on the case page. */
export function EndingRecords({ detail }: { detail: CaseDetail }) {
  if (!detail.endings.length) return null;
  return (
    <section className="card" data-testid="ending-records">
      <h2 className="card-title">终结意见</h2>
      {detail.endings.map((e) => (
        <div key={e.id} className="ending-record">
          <p>
            <strong>{e.kindLabel}</strong>（{e.by} · {fmtDateTime(e.at)}）：{e.reason}
          </p>
          <ul className="plain-list">
            {e.steps.map((s, i) => (
              <li key={i}>
                {s.step === 'review' ? '法制审核' : '负责人批准'}：{s.outcome === 'agree' ? '同意' : '不同意'}（{s.by} · {fmtDateTime(s.at)}）——{s.opinion}
              </li>
            ))}
            {!e.steps.some((s) => s.outcome === 'disagree') && e.steps.length < 2 && <li className="muted">{e.steps.length === 0 ? '待法制审核人员审核' : '待机关负责人批准'}</li>}
          </ul>
        </div>
      ))}
    </section>
  );
}
