// 专家论证 (《行政执法全过程记录实施办法》第十八条): the expert opinions attached to the case's reviews, and
// for the reviewer who took the case, a form to attach one to the review in progress (experts, date,
// opinion, optionally the minutes / written opinion as a file). Append-only: the form asks before it
// records. The core checks who may do what again on every call (services/experts.ts).
import { useState, type FormEvent } from 'react';
import { useConfirm } from './ConfirmDialog';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Notice } from './common';
import { fmtDate, fmtDateTime, fmtSize, todayCst } from '../format';
import { uploadFile } from '../upload';
import { DateInput } from './DateInput';

export function ExpertOpinions({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const opinions = detail.expertOpinions ?? [];
  const canAdd = detail.allowed.includes('expert.add');
  const [open, setOpen] = useState(false);
  const [experts, setExperts] = useState('');
  const [heldOn, setHeldOn] = useState(todayCst());
  const [opinion, setOpinion] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  if (opinions.length === 0 && !canAdd) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const names = experts.split(/[\n、,，;；]+/).map((x) => x.trim()).filter(Boolean);
    if (names.length === 0) return setError('请填写参加论证的专家（每行一位，或以顿号分隔）。');
    if (!heldOn) return setError('请填写论证日期。');
    if (!opinion.trim()) return setError('请填写专家论证意见。');
    if (!(await ask({ title: `确认登记专家论证意见（专家：${names.join('、')}）？`, message: '登记后记入全过程记录，不能修改或删除；如需更正，请另行登记。', confirmLabel: '登记', okTestId: 'expert-confirm' }))) return;
    setBusy(true);
    setError(null);
    let attached: { sha256: string; name: string } | undefined;
    if (file) {
      const up = await uploadFile(file, (sent, total) => setProgress(`正在上传“${file.name}”：${fmtSize(sent)} / ${fmtSize(total)}`));
      setProgress(null);
      if (!up.ok) {
        setBusy(false);
        return setError(up.message);
      }
      attached = { sha256: up.sha256, name: up.name };
    }
    const res = await call('experts.add', { caseId: detail.id, experts: names, heldOn, opinion, ...(attached && { file: attached }) });
    if (!res.ok) {
      setBusy(false);
      return setError(res.error.message);
    }
    const again = await call('cases.get', { caseId: detail.id });
    setBusy(false);
    setOpen(false);
    setExperts('');
    setOpinion('');
    setFile(null);
    setNotice('已登记专家论证意见，将列入法制审核意见书。');
    if (again.ok) onDone(again.value);
  }

  return (
    <section className="card" data-testid="expert-opinions" aria-labelledby="expert-title">
      {confirmDialog}
      <h2 className="card-title" id="expert-title">
        专家论证意见
        {canAdd && !open && (
          <button type="button" className="btn-small" data-testid="expert-add-open" onClick={() => setOpen(true)}>
            登记专家论证意见
          </button>
        )}
      </h2>
      <Notice message={notice} testId="expert-notice" />
      {opinions.length === 0 ? (
        <p className="muted small">本案审核中尚未组织专家论证。</p>
      ) : (
        <table className="table compact" data-testid="expert-table">
          <thead>
            <tr>
              <th scope="col">审核</th>
              <th scope="col">专家与日期</th>
              <th scope="col">论证意见</th>
              <th scope="col">附件</th>
            </tr>
          </thead>
          <tbody>
            {opinions.map((x) => (
              <tr key={x.id} data-testid={`expert-row-${x.id}`}>
                <td className="nowrap">
                  第{x.round}轮{x.reviewKind === 'rereview' ? '复审' : '审核'}
                  <br />
                  <span className="muted small">
                    {x.addedBy}登记于{fmtDateTime(x.addedAt)}
                  </span>
                </td>
                <td>
                  {x.experts.join('、')}
                  <br />
                  <span className="muted small">{fmtDate(x.heldOn)}</span>
                </td>
                <td className="pre">{x.opinion}</td>
                <td>
                  {x.file ? (
                    <span title={`SHA-256：${x.file.sha256}`}>
                      {x.file.name}（{fmtSize(x.file.size)}）
                    </span>
                  ) : (
                    <span className="muted">无</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && canAdd && (
        <form onSubmit={(e) => void submit(e)} data-testid="expert-form" noValidate>
          <Field label="参加论证的专家" required hint="每行一位，或以顿号分隔">
            {(id) => <textarea id={id} data-testid="expert-names" rows={2} value={experts} onChange={(e) => setExperts(e.target.value)} />}
          </Field>
          <Field label="论证日期" required>
            {(id) => <DateInput id={id} testId="expert-date" value={heldOn} max={todayCst()} maxLabel="今天" onChange={setHeldOn} />}
          </Field>
          <Field label="专家论证意见" required>
            {(id) => <textarea id={id} data-testid="expert-opinion" rows={4} value={opinion} onChange={(e) => setOpinion(e.target.value)} />}
          </Field>
          <Field label="专家论证会议纪要或专家意见书（可选）">
            {(id) => <input id={id} type="file" data-testid="expert-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
          </Field>
          {progress && <p className="muted small">{progress}</p>}
          <ErrorBox message={error} testId="expert-error" />
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="expert-submit" disabled={busy}>
              登记
            </button>
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              取消
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
