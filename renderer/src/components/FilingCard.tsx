// 备案 on an approved case: the signed package (the issued 备案报告 with its enclosures) to download, the
// legal office head's record of the filing and of each recipient's response, and the correction a
// 责令改正 asks of the handler or the legal office head. The core checks every rule again
// (services/filings.ts).
import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { saveBase64 } from '../files';
import { useConfirm } from './ConfirmDialog';
import { DateInput } from './DateInput';
import { ErrorBox, Field, Notice } from './common';

const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export function FilingCard({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const v = detail.filing;
  const [filedOn, setFiledOn] = useState(todayInChina());
  const [recipients, setRecipients] = useState((v?.defaultRecipients ?? []).join('\n'));
  const [note, setNote] = useState('');
  const [respond, setRespond] = useState({ filingId: 0, recipient: '', result: 'accepted', receivedOn: todayInChina(), text: '' });
  const [correction, setCorrection] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (!v) return null;

  async function run<T extends 'filings.record' | 'filings.respond' | 'filings.correct'>(channel: T, input: Parameters<typeof call<T>>[1], done: string) {
    setBusy(true);
    setError(null);
    const res = await call(channel, input);
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return false;
    }
    setNotice(done);
    onDone(res.value as CaseDetail);
    return true;
  }

  async function record(e: FormEvent) {
    e.preventDefault();
    if (!(await ask({ title: '确认登记报送备案？', message: '报送备案记入全过程记录，不能修改或删除。', confirmLabel: '确认登记', okTestId: 'filing-confirm' }))) return;
    await run('filings.record', { caseId: detail.id, filedOn, recipients: recipients.split('\n').map((r) => r.trim()).filter(Boolean), note }, '已登记报送备案。');
  }

  async function response(e: FormEvent) {
    e.preventDefault();
    if (!(await ask({ title: '确认登记审查意见？', message: '每个接收机关的审查意见只能登记一次，不能修改。', confirmLabel: '确认登记', okTestId: 'filing-confirm' }))) return;
    if (await run('filings.respond', { ...respond, result: respond.result as 'accepted' }, '已登记审查意见。')) setRespond({ ...respond, filingId: 0, recipient: '', text: '' });
  }

  async function correct(responseId: number) {
    if (!(await ask({ title: '确认登记改正情况？', message: '改正情况只能登记一次，记入全过程记录。', confirmLabel: '确认登记', okTestId: 'filing-confirm' }))) return;
    if (await run('filings.correct', { responseId, text: correction }, '已登记改正情况。')) setCorrection('');
  }

  async function download() {
    setError(null);
    const res = await call('filings.package', { caseId: detail.id });
    if (!res.ok) return setError(res.error.message);
    saveBase64(res.value.name, res.value.base64);
  }

  const awaiting = v.filings.flatMap((f) => f.awaiting.map((r) => ({ filingId: f.id, recipient: r })));
  return (
    <section className="card" data-testid="filing-card" aria-labelledby="filing-title">
      {confirmDialog}
      <h2 className="card-title" id="filing-title">备案</h2>
      {v.revoked && <p className="error" data-testid="filing-revoked">备案监督机关已予以撤销本决定。</p>}
      {v.filings.length === 0 && !v.unfiledPackage && (
        <p className="muted">尚未报送备案。{v.canRecord ? '请在“文书”中起草“重大行政执法决定备案报告”，定稿后签发：签发时决定文书、审核意见、审批记录等附于报告之后，合为一个签名文件。' : ''}</p>
      )}
      {v.filings.map((f) => (
        <div key={f.id} data-testid="filing-item">
          <p>
            <strong>{f.filedOn}</strong> 报送 {f.recipients.join('、')}（{f.by}）{f.packageName && <>：{f.packageName}</>}
            {f.note && <span className="muted">　{f.note}</span>}
          </p>
          <ul className="plain-list">
            {f.responses.map((r) => (
              <li key={r.id} data-testid="filing-response">
                {r.recipient}：<strong>{r.resultLabel}</strong>（{r.receivedOn}）{r.text && `：${r.text}`}
                {r.correction && <p data-testid="filing-correction">改正情况（{r.correction.by}）：{r.correction.text}</p>}
                {r.result === 'correct' && !r.correction && !r.canCorrect && <p className="muted small">待承办人或法制机构负责人登记改正情况。</p>}
                {r.canCorrect && (
                  <div>
                    <Field label="改正情况" required>{(id) => <textarea id={id} data-testid="filing-correction-text" rows={3} value={correction} onChange={(e) => setCorrection(e.target.value)} />}</Field>
                    <button type="button" data-testid="filing-correction-submit" disabled={busy || !correction.trim()} onClick={() => void correct(r.id)}>登记改正情况</button>
                  </div>
                )}
              </li>
            ))}
            {f.awaiting.length > 0 && <li className="muted small">待 {f.awaiting.join('、')} 的审查意见</li>}
          </ul>
        </div>
      ))}
      {(v.unfiledPackage || v.filings.length > 0) && <button type="button" className="secondary" data-testid="filing-download" onClick={() => void download()}>下载备案材料（签名 PDF）</button>}
      {v.canRecord && v.unfiledPackage && (
        <form onSubmit={(e) => void record(e)} data-testid="filing-form">
          <p>备案报告“{v.unfiledPackage.name}”已签发，待登记报送。</p>
          <Field label="报送备案日期" required>{(id) => <DateInput id={id} value={filedOn} onChange={setFiledOn} testId="filing-date" />}</Field>
          <Field label="备案接收机关（每行一个）" required>{(id) => <textarea id={id} data-testid="filing-recipients" rows={2} value={recipients} onChange={(e) => setRecipients(e.target.value)} />}</Field>
          <Field label="说明">{(id) => <input id={id} data-testid="filing-note" value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
          <button type="submit" data-testid="filing-submit" disabled={busy}>登记报送备案</button>
        </form>
      )}
      {v.canRecord && awaiting.length > 0 && (
        <form onSubmit={(e) => void response(e)} data-testid="filing-response-form">
          <Field label="接收机关" required>
            {(id) => (
              <select id={id} data-testid="filing-response-recipient" value={`${respond.filingId}|${respond.recipient}`} onChange={(e) => { const [fid, ...r] = e.target.value.split('|'); setRespond({ ...respond, filingId: Number(fid), recipient: r.join('|') }); }}>
                <option value="0|">请选择</option>
                {awaiting.map((a) => <option key={`${a.filingId}|${a.recipient}`} value={`${a.filingId}|${a.recipient}`}>{a.recipient}</option>)}
              </select>
            )}
          </Field>
          <Field label="审查结果">
            {(id) => (
              <select id={id} data-testid="filing-response-result" value={respond.result} onChange={(e) => setRespond({ ...respond, result: e.target.value })}>
                <option value="accepted">准予备案</option>
                <option value="correct">责令改正</option>
                <option value="revoked">予以撤销</option>
              </select>
            )}
          </Field>
          <Field label="收到审查意见的日期" required>{(id) => <DateInput id={id} value={respond.receivedOn} onChange={(d) => setRespond({ ...respond, receivedOn: d })} testId="filing-response-date" />}</Field>
          <Field label="审查意见（责令改正、予以撤销的须填写）">{(id) => <textarea id={id} data-testid="filing-response-text" rows={2} value={respond.text} onChange={(e) => setRespond({ ...respond, text: e.target.value })} />}</Field>
          <button type="submit" data-testid="filing-response-submit" disabled={busy || !respond.filingId}>登记审查意见</button>
        </form>
      )}
      <Notice message={notice} testId="filing-notice" />
      <ErrorBox message={error} testId="filing-error" />
    </section>
  );
}
