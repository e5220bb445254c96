// 首次启动: 单机使用 or 连接本单位服务器 (issue 14, point 2). Only in the desktop app (window.api.desk).
// For a server: the address, then the certificate the server presents, shown for the IT officer to
// compare with the fingerprint `lrw serve --init-tls` printed; only a confirmed fingerprint is pinned.
// Or an agency root certificate (PEM) instead. Every check is made again in the main process.
import { useState, type FormEvent } from 'react';
import type { DeskApi, ProbedCertificate } from '../../../preload/desk';
import { ErrorBox, Field } from '../components/common';
import { fmtDateTime } from '../format';

export function deskApi(): DeskApi | undefined {
  return (window as unknown as { api?: { desk?: DeskApi } }).api?.desk;
}

type Step = 'choose' | 'server' | 'confirm';

export function TeamChoice({ onDone }: { onDone: () => void }) {
  const desk = deskApi()!;
  const [step, setStep] = useState<Step>('choose');
  const [url, setUrl] = useState('https://');
  const [useCa, setUseCa] = useState(false);
  const [caPem, setCaPem] = useState('');
  const [probed, setProbed] = useState<ProbedCertificate | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function choose(input: Parameters<DeskApi['choose']>[0]) {
    setBusy(true);
    setError(null);
    const res = await desk.choose(input);
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onDone();
  }

  async function probe(e: FormEvent) {
    e.preventDefault();
    if (useCa) return choose({ mode: 'server', url: url.trim(), caPem });
    setBusy(true);
    setError(null);
    setConfirmed(false);
    const res = await desk.probe({ url: url.trim() });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setProbed(res.value);
    setStep('confirm');
  }

  async function readCaFile(file: File | undefined) {
    if (!file) return;
    setCaPem(await file.text());
  }

  return (
    <div className="center-page">
      <div className="auth-card wide" data-testid="team-choice">
        <h1>法制审核工作台 · 首次启动</h1>
        {step === 'choose' && (
          <>
            <p className="lead">请选择本机的使用方式（以后如需更改，请联系信息管理员）。</p>
            <div className="actions">
              <button type="button" data-testid="team-local" disabled={busy} onClick={() => void choose({ mode: 'local' })}>
                单机使用
              </button>
              <button type="button" data-testid="team-server" disabled={busy} onClick={() => setStep('server')}>
                连接本单位服务器
              </button>
            </div>
            <p className="hint">单机使用：案件保存在本机。连接本单位服务器：与本单位其他人员在同一服务器上办理案件，实时看到彼此的进展。</p>
          </>
        )}
        {step === 'server' && (
          <form noValidate onSubmit={(e) => void probe(e)}>
            <Field label="服务器地址" required hint="由信息管理员提供，例如 https://lrw.agency.local:8443">
              {(id) => <input id={id} data-testid="team-url" value={url} onChange={(e) => setUrl(e.target.value)} autoFocus />}
            </Field>
            <label className="checkbox-label">
              <input type="checkbox" checked={useCa} onChange={(e) => setUseCa(e.target.checked)} data-testid="team-use-ca" /> 本单位有根证书（导入根证书，不再核对指纹）
            </label>
            {useCa && (
              <Field label="本单位根证书（PEM 文件）" required>
                {(id) => <input id={id} type="file" accept=".pem,.crt,.cer" data-testid="team-ca-file" onChange={(e) => void readCaFile(e.target.files?.[0])} />}
              </Field>
            )}
            <div className="actions">
              <button type="submit" disabled={busy} data-testid="team-probe">
                {useCa ? '保存并连接' : '读取服务器证书'}
              </button>
              <button type="button" disabled={busy} onClick={() => setStep('choose')}>
                返回
              </button>
            </div>
          </form>
        )}
        {step === 'confirm' && probed && (
          <>
            <p className="lead">请与信息管理员核对服务器证书的指纹（运行 lrw serve --init-tls 时显示的 SHA-256 指纹），完全一致后再确认。</p>
            <dl className="kv" data-testid="team-cert">
              <dt>SHA-256 指纹</dt>
              <dd>
                <code className="fingerprint" data-testid="team-fingerprint">{probed.fingerprintDisplay}</code>
              </dd>
              <dt>证书主体</dt>
              <dd>{probed.subject}</dd>
              <dt>主机名</dt>
              <dd>{probed.altNames || '（无）'}</dd>
              <dt>有效期</dt>
              <dd>
                {fmtDateTime(probed.validFrom)} 至 {fmtDateTime(probed.validTo)}
              </dd>
            </dl>
            <label className="checkbox-label">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="team-confirm" /> 我已与信息管理员核对，指纹完全一致
            </label>
            <div className="actions">
              <button
                type="button"
                disabled={busy || !confirmed}
                data-testid="team-pin"
                onClick={() => void choose({ mode: 'server', url: url.trim(), fingerprint: probed.fingerprint })}
              >
                确认并连接
              </button>
              <button type="button" disabled={busy} onClick={() => setStep('server')}>
                指纹不一致，返回
              </button>
            </div>
          </>
        )}
        {error && <ErrorBox message={error} />}
      </div>
    </div>
  );
}
