// 上传大小上限 (system administrator): the largest file one upload may be; unfinished uploads are cleared
// after 24 hours. The core refuses a bad value with its own message (services/uploads.ts).
import { useEffect, useState, type FormEvent } from 'react';
import type { UploadSettingsView, Versioned } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, Notice, StaleBox, onCtrlEnterSubmit } from './common';
import { FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';

const MIB = 1024 * 1024;

export function UploadSettingsCard() {
  const [s, setS] = useState<(UploadSettingsView & Versioned) | null>(null);
  const [mib, setMib] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errors = useFormErrors();
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const res = await call('settings.uploads', {});
    if (!res.ok) return setError(res.error.message);
    setS(res.value);
    setMib(String(Math.round(res.value.maxUploadBytes / MIB)));
    setStale(null);
  };
  useEffect(() => {
    void load();
  }, []);

  async function save(e: FormEvent) {
    e.preventDefault();
    const n = Number(mib);
    if (!Number.isInteger(n) || n <= 0) return errors.showAt('maxUploadBytes', '请以整数MiB填写上传大小上限（如 2048 即 2 GiB）。');
    setBusy(true);
    errors.clear();
    setNotice(null);
    const res = await call('settings.updateUploads', { maxUploadBytes: n * MIB, expectedVersion: s?.version ?? 0 });
    setBusy(false);
    if (!res.ok) return res.error.code === 'STALE' ? setStale(res.error.message) : errors.show(res.error);
    setStale(null);
    setS(res.value);
    setNotice('上传大小上限已保存，此后开始的上传按新上限检查。');
  }

  return (
    <section className="card" data-testid="upload-settings">
      <h2 className="card-title">附件上传</h2>
      {!s && !error && <Loading />}
      {s && (
        <FormErrorsProvider form={errors}>
        <form noValidate onSubmit={save} onKeyDown={onCtrlEnterSubmit} ref={(el) => void (errors.root.current = el)}>
          <Field label="单个文件上传上限（MiB）" path="maxUploadBytes" hint={`默认 2048 MiB（2 GiB）；超过${s.abandonAfterHours}小时没有进展的未完成上传自动清除`}>
            {(id) => <input id={id} type="number" min={1} data-testid="settings-max-upload-mib" value={mib} onChange={(e) => setMib(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="settings-uploads-save" disabled={busy}>
              保存上传设置
            </button>
          </div>
          <FormErrorSummary form={errors} testId="settings-uploads-save-error" />
        </form>
        </FormErrorsProvider>
      )}
      <StaleBox message={stale} onReload={load} keepsEdits={false} testId="settings-uploads-stale" />
      <ErrorBox message={error} testId="settings-uploads-error" />
      <Notice message={notice} testId="settings-uploads-notice" />
    </section>
  );
}
