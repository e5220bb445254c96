// 登录安全 (安全管理员): lockout after consecutive wrong passwords, idle time, and 三员分立 on or off.
// The core validates and records every change; turning the split off asks for confirmation.
import { useEffect, useState, type FormEvent } from 'react';
import { useConfirm } from './ConfirmDialog';
import type { AuthSettingsView, Versioned } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, Notice, StaleBox, onCtrlEnterSubmit } from './common';
import { FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';

export function SecuritySettingsCard({ canEdit }: { canEdit: boolean }) {
  const [s, setS] = useState<{ maxFailures: string; lockMinutes: string; idleMinutes: string; adminSplit: boolean } | null>(null);
  const [saved, setSaved] = useState<(AuthSettingsView & Versioned) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errors = useFormErrors();
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  const fromView = (v: AuthSettingsView) => ({ maxFailures: String(v.maxFailures), lockMinutes: String(v.lockMinutes), idleMinutes: String(v.idleMinutes), adminSplit: v.adminSplit });

  const load = async () => {
    const res = await call('settings.auth', {});
    if (!res.ok) return setError(res.error.message);
    setSaved(res.value);
    setS(fromView(res.value));
    setStale(null);
  };
  useEffect(() => {
    void load();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!s || !saved) return;
    if (saved.adminSplit && !s.adminSplit && !(await ask({ title: '确定关闭三员分立？', message: '关闭后一个账号可兼任系统管理员、安全管理员、审计管理员；此设置记入全过程记录，并在状态页显示。', confirmLabel: '关闭三员分立', okTestId: 'admin-split-confirm' }))) return;
    setBusy(true);
    errors.clear();
    setNotice(null);
    const res = await call('settings.updateAuth', { maxFailures: Number(s.maxFailures), lockMinutes: Number(s.lockMinutes), idleMinutes: Number(s.idleMinutes), adminSplit: s.adminSplit, expectedVersion: saved.version });
    setBusy(false);
    if (!res.ok) return res.error.code === 'STALE' ? setStale(res.error.message) : errors.show(res.error);
    setStale(null);
    setSaved(res.value);
    setS(fromView(res.value));
    setNotice('登录安全设置已保存。');
  }

  return (
    <section className="card" data-testid="security-settings">
      {confirmDialog}
      <h2 className="card-title">登录安全与三员分立</h2>
      {!s && !error && <Loading />}
      {s && (
        <FormErrorsProvider form={errors}>
        <form noValidate onSubmit={save} onKeyDown={onCtrlEnterSubmit} ref={(el) => void (errors.root.current = el)}>
          <Field label="连续密码错误几次锁定账号" path="maxFailures" hint="3至20次">
            {(id) => <input id={id} type="number" data-testid="security-max-failures" disabled={!canEdit} value={s.maxFailures} onChange={(e) => setS({ ...s, maxFailures: e.target.value })} />}
          </Field>
          <Field label="锁定时长（分钟）" path="lockMinutes">
            {(id) => <input id={id} type="number" data-testid="security-lock-minutes" disabled={!canEdit} value={s.lockMinutes} onChange={(e) => setS({ ...s, lockMinutes: e.target.value })} />}
          </Field>
          <Field label="无操作自动退出（分钟）" path="idleMinutes">
            {(id) => <input id={id} type="number" data-testid="security-idle-minutes" disabled={!canEdit} value={s.idleMinutes} onChange={(e) => setS({ ...s, idleMinutes: e.target.value })} />}
          </Field>
          <label className="check-line">
            <input type="checkbox" data-testid="security-admin-split" disabled={!canEdit} checked={s.adminSplit} onChange={(e) => setS({ ...s, adminSplit: e.target.checked })} />
            实行三员分立（系统管理员、安全管理员、审计管理员由不同账号担任，GB/T 22239）
          </label>
          {canEdit ? (
            <div className="actions">
              <button type="submit" className="btn-primary" data-testid="security-save" disabled={busy}>
                保存登录安全设置
              </button>
            </div>
          ) : (
            <p className="muted small">由安全管理员修改。</p>
          )}
          <FormErrorSummary form={errors} testId="security-save-error" />
        </form>
        </FormErrorsProvider>
      )}
      <StaleBox message={stale} onReload={load} keepsEdits={false} testId="security-stale" />
      <ErrorBox message={error} testId="security-error" />
      <Notice message={notice} testId="security-notice" />
    </section>
  );
}
