// 签名证书: the signing identities of the signed-in user. A certificate issued by the agency's CA is
// imported as a .p12/.pfx file with its passphrase (the passphrase goes to the OS keychain through the
// core; this page never stores it and clears the field after each attempt); a self-signed trial
// certificate can be generated so that signing can be tried before the CA certificate arrives.
import { canSignHere } from '../live';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { IdentityView } from '../../../main/core/services/issue';
import { call } from '../api';
import '../signing.css';
import { ErrorBox, Field, Loading, Notice } from '../components/common';
import { useConfirm } from '../components/ConfirmDialog';
import { TrialBadge, fmtDayOf } from '../components/SigningBits';
import { readFileAsBase64 } from '../files';
import { fmtSize } from '../format';

type Validity = 'valid' | 'expired' | 'notYet';

function validityOf(i: IdentityView, now = Date.now()): Validity {
  if (now > Date.parse(i.notAfter)) return 'expired';
  if (now < Date.parse(i.notBefore)) return 'notYet';
  return 'valid';
}

export function Certificates() {
  const [ids, setIds] = useState<IdentityView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Certificates retired at this desk stay listed, their 停用 disabled with 已停用 beside it.
  const [retired, setRetired] = useState<IdentityView[]>([]);

  const load = useCallback(async () => {
    const res = await call('signing.identities', {});
    if (!res.ok) return setError(res.error.message);
    setError(null);
    setIds(res.value);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page" data-testid="certificates-page">
      <div className="page-head">
        <h1>签名证书</h1>
      </div>
      <p className="lead">
        签发文书时，系统用您的签名证书对 PDF 和 Word 文件进行数字签名，证明文书由您签发、签发后未被改动。证书文件保存在本机，证书口令只保存在操作系统的钥匙串中；连接本单位服务器时，服务器只登记证书的公开部分，私钥不离开本机。
      </p>
      {!canSignHere() && (
        <div className="notice-box" role="status" data-testid="certificates-browser-note">
          您正在浏览器中使用工作台。签名证书和私钥只保存在本人电脑的工作台和系统钥匙串中，不经过服务器：请在安装了工作台的电脑上导入或生成证书、签发文书。
        </div>
      )}
      <ErrorBox message={error} testId="identities-error" />
      <section className="card" data-testid="identities">
        <h2 className="card-title">我的签名证书</h2>
        {!ids && !error && <Loading />}
        {ids && ids.length === 0 && (
          <p className="muted" data-testid="identities-empty">
            您还没有签名证书。签发文书前，请在下方导入机关CA颁发的证书；证书尚未发放时，可先生成试用证书。
          </p>
        )}
        {ids && (ids.length > 0 || retired.length > 0) && (
          <IdentityTable
            ids={ids}
            retired={retired}
            onRetired={(i) => {
              setRetired((x) => [...x.filter((y) => y.fingerprint !== i.fingerprint), i]);
              void load();
            }}
            onError={setError}
          />
        )}
      </section>
      {canSignHere() && (
        <div className="grid-2 cert-grid">
          <ImportCard onImported={() => void load()} />
          <TrialCard ids={ids ?? []} onCreated={() => void load()} />
        </div>
      )}
    </div>
  );
}

function IdentityTable({
  ids,
  retired,
  onRetired,
  onError,
}: {
  ids: IdentityView[];
  retired: IdentityView[];
  onRetired: (i: IdentityView) => void;
  onError: (m: string | null) => void;
}) {
  const [confirmDialog, ask] = useConfirm();
  const [busy, setBusy] = useState<string | null>(null);
  const retire = async (i: IdentityView) => {
    const ok = await ask({
      title: `停用证书“${i.subjectCN}”？`,
      message: `停用后这张证书（序列号 ${i.serial}）永久不能再用于签发，也不能恢复；已签发的文书仍可校验。`,
      confirmLabel: '停用证书',
      okTestId: 'identity-retire-confirm',
    });
    if (!ok) return;
    setBusy(i.fingerprint);
    const r = await window.api['signing.retire']({ fingerprint: i.fingerprint });
    setBusy(null);
    if (r.ok) {
      onError(null);
      onRetired(i);
    } else onError(r.error.message);
  };
  const active = new Set(ids.map((i) => i.fingerprint));
  const shown: (IdentityView & { retiredHere?: boolean })[] = [...ids, ...retired.filter((i) => !active.has(i.fingerprint)).map((i) => ({ ...i, retiredHere: true }))];
  return (
    <table className="table identity-table" data-testid="identity-table">
      <thead>
        <tr>
          <th scope="col">签名人（证书主题）</th>
          <th scope="col">颁发者</th>
          <th scope="col">序列号</th>
          <th scope="col">有效期</th>
          <th scope="col">状态</th>
        </tr>
      </thead>
      <tbody>
        {confirmDialog}
        {shown.map((i, n) => {
          const v = validityOf(i);
          return (
            <tr key={i.fingerprint} data-testid="identity-row" data-trial={i.trial ? 'true' : 'false'} data-fingerprint={i.fingerprint} data-retired={i.retiredHere ? 'true' : undefined}>
              <td>
                <strong data-testid="identity-subject">{i.subjectCN}</strong> {i.trial && <TrialBadge />}
                <div className="muted small">添加于 {fmtDayOf(i.createdAt)}</div>
              </td>
              <td className="identity-issuer" data-testid="identity-issuer">
                {i.issuer}
                {i.trial && <div className="muted small">自签名，非机关CA颁发</div>}
              </td>
              <td className="mono identity-serial" data-testid="identity-serial">
                {i.serial}
              </td>
              <td className="nowrap" data-testid="identity-validity">
                {fmtDayOf(i.notBefore)}
                <br />至 {fmtDayOf(i.notAfter)}
              </td>
              <td data-testid="identity-state">
                {i.retiredHere ? (
                  <span className="badge-expired">已停用</span>
                ) : v === 'expired' ? (
                  <span className="badge-expired">已过期</span>
                ) : v === 'notYet' ? (
                  <span className="badge-expired">尚未生效</span>
                ) : (
                  <span className="badge-valid">有效</span>
                )}
                {n === 0 && !i.retiredHere && <div className="small identity-current">签发时使用此证书</div>}
                {i.keyHere === false && (
                  <div className="small identity-elsewhere" data-testid="identity-key-elsewhere">
                    私钥不在这台电脑上：只能在保存该证书的电脑上用它签发
                  </div>
                )}
                <button type="button" className="btn btn-small" data-testid="identity-retire" disabled={!!i.retiredHere || busy !== null} onClick={() => void retire(i)}>
                  停用
                </button>
                {i.retiredHere && (
                  <span className="done-mark" data-testid="identity-retired">
                    ✓ 已停用，不再用于签发
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ImportCard({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  function choose(f: File | null) {
    setError(null);
    setNotice(null);
    if (f && !/\.(p12|pfx)$/i.test(f.name)) {
      setFile(null);
      if (input.current) input.current.value = '';
      return setError(`“${f.name}”不是证书文件：请选择扩展名为 .p12 或 .pfx 的证书文件。`);
    }
    setFile(f);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    if (!file) return setError('请选择证书文件（.p12 或 .pfx）。');
    // The passphrase leaves this component with the request and is cleared at once, whatever the outcome.
    const secret = passphrase;
    setPassphrase('');
    if (!secret) return setError('请输入证书口令。');
    setBusy(true);
    let base64: string;
    try {
      base64 = await readFileAsBase64(file);
    } catch {
      setBusy(false);
      return setError(`无法读取文件“${file.name}”，请确认文件未被占用后重试。`);
    }
    const res = await call('signing.import', { base64, passphrase: secret });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setFile(null);
    if (input.current) input.current.value = '';
    setNotice(`已导入证书“${res.value.subjectCN}”（有效期至${fmtDayOf(res.value.notAfter)}），此后签发文书时使用该证书。`);
    onImported();
  }

  return (
    <section className="card" data-testid="import-card">
      <h2 className="card-title">导入证书</h2>
      <p className="hint">导入机关CA（电子认证服务机构）颁发给您的个人签名证书：一个包含私钥的 .p12 或 .pfx 文件，以及发证时告知您的证书口令。</p>
      <form noValidate onSubmit={(e) => void submit(e)} data-testid="import-form">
        <div className="field file-field">
          <input
            id="p12-input"
            ref={input}
            type="file"
            accept=".p12,.pfx,application/x-pkcs12"
            className="visually-hidden"
            data-testid="import-file"
            disabled={busy}
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
          />
          <label htmlFor="p12-input" className={`file-button ${busy ? 'disabled' : ''}`}>
            选择证书文件（.p12/.pfx）
          </label>
          <span className={file ? '' : 'hint'} data-testid="import-file-name">
            {file ? `${file.name}（${fmtSize(file.size)}）` : '尚未选择文件'}
          </span>
        </div>
        <Field label="证书口令" hint="口令由系统保存在操作系统钥匙串中，本页面不保存；每次提交后输入框会清空。">
          {(id) => (
            <input
              id={id}
              type="password"
              autoComplete="off"
              spellCheck={false}
              data-testid="import-passphrase"
              value={passphrase}
              disabled={busy}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="btn-primary" data-testid="import-submit" disabled={busy}>
            {busy ? '正在导入……' : '导入证书'}
          </button>
        </div>
      </form>
      <ErrorBox message={error} testId="import-error" />
      <Notice message={notice} testId="import-notice" />
    </section>
  );
}

function TrialCard({ ids, onCreated }: { ids: IdentityView[]; onCreated: () => void }) {
  // Signing uses the newest certificate: a trial one generated now would replace a CA certificate.
  const hasCa = ids.some((i) => !i.trial && validityOf(i) === 'valid');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    setNotice(null);
    const res = await call('signing.createTrial', {});
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setNotice(`已生成试用证书“${res.value.subjectCN}”，有效期至${fmtDayOf(res.value.notAfter)}。用它签发的文书在校验时标注“试用证书”。`);
    onCreated();
  }

  return (
    <section className="card card-trial" data-testid="trial-card">
      <h2 className="card-title">生成试用证书</h2>
      <ul className="trial-facts">
        <li>
          试用证书由本系统当场生成，是<strong>自签名</strong>证书：证书上的签名人为您的姓名，单位为本机关，并标注“试用”。
        </li>
        <li>
          它<strong>不是机关CA颁发的证书</strong>，不能证明签名人的身份，仅供熟悉签发流程和内部试用，不应用于对外送达的正式文书。
        </li>
        <li>用试用证书签发的文书，校验时会显示“试用证书”。机关CA证书发放后，请导入该证书，此后签发即改用新证书。</li>
      </ul>
      {hasCa && (
        <p className="warn-text" data-testid="trial-ca-warning">
          您已有机关CA颁发的有效证书。系统签发时使用最新添加的证书：如果现在生成试用证书，此后签发将改用试用证书。
        </p>
      )}
      <div className="actions">
        <button type="button" data-testid="trial-create" disabled={busy} onClick={() => void create()}>
          {busy ? '正在生成……' : '生成试用证书'}
        </button>
      </div>
      <ErrorBox message={error} testId="trial-error" />
      <Notice message={notice} testId="trial-notice" />
    </section>
  );
}
