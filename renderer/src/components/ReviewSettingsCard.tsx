// 系统设置: the decision gate's agency settings — review every decision outside the simplified procedure
// (001 二（三）), and who approves the one extension of a review period (001 附件3 第十三条).
import { useEffect, useState, type FormEvent } from 'react';
import type { ReviewSettingsView, Versioned } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Loading, Notice, StaleBox, onCtrlEnterSubmit } from './common';

const APPROVER_LABELS: Record<ReviewSettingsView['extensionApprover'], string> = { legal_head: '法制机构负责人', agency_head: '机关负责人' };

export function ReviewSettingsCard() {
  const [s, setS] = useState<(ReviewSettingsView & Versioned) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const res = await call('settings.review', {});
    if (!res.ok) return setError(res.error.message);
    setS(res.value);
    setStale(null);
  };
  useEffect(() => {
    void load();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!s) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const res = await call('settings.updateReview', { reviewAllDecisions: s.reviewAllDecisions, extensionApprover: s.extensionApprover, expectedVersion: s.version });
    setBusy(false);
    if (!res.ok) return res.error.code === 'STALE' ? setStale(res.error.message) : setError(res.error.message);
    setStale(null);
    setS(res.value);
    setNotice('送审与延期设置已保存。');
  }

  return (
    <section className="card" data-testid="review-settings">
      <h2 className="card-title">送审范围与延长审核期限</h2>
      {!s && !error && <Loading />}
      {s && (
        <form noValidate onSubmit={save} onKeyDown={onCtrlEnterSubmit}>
          <label className="check-line">
            <input
              type="checkbox"
              data-testid="settings-review-all"
              checked={s.reviewAllDecisions}
              onChange={(e) => setS({ ...s, reviewAllDecisions: e.target.checked })}
            />
            对法定简易程序以外的所有执法决定进行法制审核（001 二（三））：未达到目录标准的案件写明理由后可以送审
          </label>
          <fieldset className="inline-radios">
            <legend>延长审核期限由谁批准（001 附件3 第十三条：经负责人批准）</legend>
            {(['legal_head', 'agency_head'] as const).map((a) => (
              <label key={a}>
                <input type="radio" name="extensionApprover" data-testid={`settings-approver-${a}`} checked={s.extensionApprover === a} onChange={() => setS({ ...s, extensionApprover: a })} />
                {APPROVER_LABELS[a]}
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="settings-review-save" disabled={busy}>
              保存送审与延期设置
            </button>
          </div>
        </form>
      )}
      <StaleBox message={stale} onReload={load} keepsEdits={false} testId="settings-review-stale" />
      <ErrorBox message={error} testId="settings-review-error" />
      <Notice message={notice} testId="settings-review-notice" />
    </section>
  );
}
