// 移送涉嫌犯罪案件 (《行政执法机关移送涉嫌犯罪案件的规定》 第五条): opened by the review that found criterion 7
// 涉嫌犯罪，应当移送. Shows where it stands, each step and its clocks (3 days for the principal head's decision,
// 24 hours for the transfer), and to the handler / the agency head the one step that is theirs now. The core
// checks who may do what, and in which order, again on every call (services/referrals.ts).
import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { ClockChip } from './Clock';
import { useConfirm } from './ConfirmDialog';
import { ErrorBox, Field, Notice } from './common';
import { fmtDateTime } from '../format';

export function ReferralCard({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const r = detail.referral;
  const [text, setText] = useState('');
  const [decision, setDecision] = useState<'approve' | 'reject'>('approve');
  const [police, setPolice] = useState('');
  const [procuratorate, setProcuratorate] = useState('');
  const [supervisory, setSupervisory] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (!r) return null;
  const can = (a: 'report' | 'decide' | 'transfer') => r.actions.includes(a);

  async function act(e: FormEvent, step: 'report' | 'decide' | 'transfer') {
    e.preventDefault();
    const title = step === 'report' ? '确认提出移送涉嫌犯罪案件的书面报告？' : step === 'decide' ? `确认${decision === 'approve' ? '批准移送' : '不批准移送'}？` : '确认登记已向公安机关移送？';
    if (!(await ask({ title, message: '记入全过程记录后不能修改或删除。', confirmLabel: '确认', okTestId: 'referral-confirm' }))) return;
    setBusy(true);
    setError(null);
    const res =
      step === 'report'
        ? await call('referrals.report', { caseId: detail.id, report: text })
        : step === 'decide'
          ? await call('referrals.decide', { caseId: detail.id, decision, reason: text })
          : await call('referrals.transfer', { caseId: detail.id, police, procuratorate, supervisory: supervisory || undefined, note: text });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setText('');
    setNotice(res.value.referral?.stateLabel ?? '已登记。');
    onDone(res.value);
  }

  return (
    <section className="card referral-card" data-testid="referral-card" aria-labelledby="referral-title">
      {confirmDialog}
      <h2 className="card-title" id="referral-title">
        移送涉嫌犯罪案件
        <span className={`referral-state referral-${r.state}`} data-testid="referral-state">
          {r.stateLabel}
        </span>
      </h2>
      <p className="muted small">
        {fmtDateTime(r.openedAt)}法制审核认定第7项“涉嫌犯罪，应当移送”：不得以罚代刑。书面报告报机关正职负责人，负责人自接到报告之日起3日内作出是否批准移送的决定；批准的，24小时内向公安机关移送，抄送人民检察院（监察机关依法抄送）。
      </p>
      <dl className="kv" data-testid="referral-steps">
        <dt>书面报告</dt>
        <dd>{r.report ? `${r.report.text}（${r.report.by}，${fmtDateTime(r.report.at)}）` : '尚未提出'}</dd>
        <dt>负责人决定</dt>
        <dd>{r.decision ? `${r.decision.decisionLabel}：${r.decision.reason}（${r.decision.by}，${fmtDateTime(r.decision.at)}）` : '尚未决定'}</dd>
        <dt>移送</dt>
        <dd>
          {r.transfer
            ? `移送${r.transfer.police}，抄送${r.transfer.procuratorate}${r.transfer.supervisory ? `、${r.transfer.supervisory}` : ''}（${r.transfer.by}，${fmtDateTime(r.transfer.at)}）${r.transfer.note ? `：${r.transfer.note}` : ''}`
            : '尚未移送'}
        </dd>
      </dl>
      {r.clocks.length > 0 && (
        <ul className="plain-list" data-testid="referral-clocks">
          {r.clocks.map((k) => (
            <li key={k.kind}>
              {k.label}：<ClockChip clock={k} testId={`referral-clock-${k.kind}`} showDue />
            </li>
          ))}
        </ul>
      )}
      <Notice message={notice} testId="referral-notice" />
      <ErrorBox message={error} testId="referral-error" />
      {(can('report') || can('decide') || can('transfer')) && (
        <form onSubmit={(e) => act(e, can('report') ? 'report' : can('decide') ? 'decide' : 'transfer')} data-testid="referral-form">
          {can('decide') && (
            <div className="inline-radios" role="radiogroup" aria-label="是否批准移送">
              <label>
                <input type="radio" name="referral-decision" checked={decision === 'approve'} onChange={() => setDecision('approve')} data-testid="referral-approve" />
                批准移送
              </label>
              <label>
                <input type="radio" name="referral-decision" checked={decision === 'reject'} onChange={() => setDecision('reject')} data-testid="referral-reject" />
                不批准移送
              </label>
            </div>
          )}
          {can('transfer') && (
            <>
              <Field label="接受移送的公安机关" required>
                {(id) => <input id={id} value={police} onChange={(e) => setPolice(e.target.value)} data-testid="referral-police" />}
              </Field>
              <Field label="抄送的人民检察院" required>
                {(id) => <input id={id} value={procuratorate} onChange={(e) => setProcuratorate(e.target.value)} data-testid="referral-procuratorate" />}
              </Field>
              <Field label="抄送的监察机关（依法需要时）">
                {(id) => <input id={id} value={supervisory} onChange={(e) => setSupervisory(e.target.value)} data-testid="referral-supervisory" />}
              </Field>
            </>
          )}
          <Field label={can('report') ? '书面报告' : can('decide') ? '审批意见（不批准的须写明理由）' : '移送说明'} required={!can('transfer')}>
            {(id) => <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid="referral-text" />}
          </Field>
          <button type="submit" className="primary" disabled={busy} data-testid="referral-submit">
            {can('report') ? '提出书面报告' : can('decide') ? '作出决定' : '登记移送'}
          </button>
        </form>
      )}
    </section>
  );
}
