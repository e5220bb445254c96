// 签名校验: anyone can check a signed document — a PDF (signature inside) or a Word file with its .p7s —
// and read who signed it, when (China time), with which certificate, whether a byte changed since, and
// whether this system issued it. The core decides; its `problem` is shown as it is.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { VerifyView } from '../../../main/core/services/issue';
import { call } from '../api';
import '../signing.css';
import { ErrorBox } from '../components/common';
import { TrialBadge, fmtDateTimeSec } from '../components/SigningBits';
import { fileHead, readFileAsBase64, sha256Hex, shortSha } from '../files';
import { fmtSize } from '../format';

const MAX_BYTES = 50 * 1024 * 1024;

function isPdfName(name: string): boolean {
  return /\.pdf$/i.test(name);
}

interface Checked {
  view: VerifyView;
  name: string;
  size: number;
  sigName: string | null;
  sha256: string | null;
}

export function VerifySignature() {
  const [file, setFile] = useState<File | null>(null);
  const [sig, setSig] = useState<File | null>(null);
  const [result, setResult] = useState<Checked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const sigInput = useRef<HTMLInputElement>(null);
  // A Word file (anything that is not a PDF) is checked against its detached signature.
  const needsSig = !!file && !isPdfName(file.name);

  function chooseFile(f: File | null) {
    setFile(f);
    setResult(null);
    setError(null);
    // A .p7s belongs to one file only: a newly chosen file starts without one (an unsigned Word file
    // paired with the previous file's signature would read as "modified after signing").
    setSig(null);
    if (sigInput.current) sigInput.current.value = '';
  }

  function chooseSig(f: File | null) {
    setResult(null);
    setError(null);
    if (f && !/\.p7s$/i.test(f.name)) {
      setSig(null);
      if (sigInput.current) sigInput.current.value = '';
      return setError(`“${f.name}”不是签名文件：请选择与 Word 文件一同签发的 .p7s 文件。`);
    }
    setSig(f);
  }

  async function verify(e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    setResult(null);
    if (!file) return setError('请选择要校验的文件（PDF，或 Word 文件及其签名文件）。');
    if (file.size > MAX_BYTES) return setError(`文件过大（${fmtSize(file.size)}），只能校验不超过50MB的文件。`);
    if (needsSig && !sig) return setError('Word 文件的签名保存在单独的签名文件（.p7s）中：请同时选择与之一同签发的 .p7s 文件。');
    setBusy(true);
    try {
      if (!needsSig) {
        const head = new TextDecoder('latin1').decode(await fileHead(file, 5));
        if (head !== '%PDF-') {
          setBusy(false);
          return setError(`“${file.name}”不是有效的 PDF 文件（文件内容不以 PDF 文件头开始）。`);
        }
      }
      const [base64, sigBase64, sha] = await Promise.all([readFileAsBase64(file), sig && needsSig ? readFileAsBase64(sig) : Promise.resolve(undefined), sha256Hex(file)]);
      const res = await call('documents.verify', { name: file.name, base64, ...(sigBase64 && { sigBase64 }) });
      setBusy(false);
      if (!res.ok) return setError(res.error.message);
      setResult({ view: res.value, name: file.name, size: file.size, sigName: needsSig && sig ? sig.name : null, sha256: sha });
    } catch {
      setBusy(false);
      setError(`无法读取文件“${file.name}”，请确认文件未被占用后重试。`);
    }
  }

  return (
    <div className="page" data-testid="verify-page">
      <div className="page-head">
        <h1>签名校验</h1>
      </div>
      <section className="card">
        <p className="lead">
          选择签发的 PDF 文件，或 Word 文件及其签名文件（.p7s），系统将核对数字签名：由谁签名、何时签名、使用什么证书，以及文件在签名后是否被改动过。文件只在本机核对，不会被保存。
        </p>
        <form noValidate onSubmit={(e) => void verify(e)} data-testid="verify-form">
          <div className="field file-field">
            <input
              id="verify-file"
              ref={fileInput}
              type="file"
              accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              className="visually-hidden"
              data-testid="verify-file"
              disabled={busy}
              onChange={(e) => chooseFile(e.target.files?.[0] ?? null)}
            />
            <label htmlFor="verify-file" className={`file-button ${busy ? 'disabled' : ''}`}>
              选择要校验的文件（PDF 或 Word）
            </label>
            <span className={file ? '' : 'hint'} data-testid="verify-file-name">
              {file ? `${file.name}（${fmtSize(file.size)}）` : '尚未选择文件'}
            </span>
          </div>
          {needsSig && (
            <div className="field file-field">
              <input
                id="verify-sig"
                ref={sigInput}
                type="file"
                accept=".p7s,application/pkcs7-signature"
                className="visually-hidden"
                data-testid="verify-sig"
                disabled={busy}
                onChange={(e) => chooseSig(e.target.files?.[0] ?? null)}
              />
              <label htmlFor="verify-sig" className={`file-button ${busy ? 'disabled' : ''}`}>
                选择签名文件（.p7s）
              </label>
              <span className={sig ? '' : 'hint'} data-testid="verify-sig-name">
                {sig ? `${sig.name}（${fmtSize(sig.size)}）` : 'Word 文件须与其签名文件一起校验，签名文件名通常为“文件名.docx.p7s”'}
              </span>
            </div>
          )}
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="verify-submit" disabled={busy || !file}>
              {busy ? '正在校验……' : '开始校验'}
            </button>
          </div>
        </form>
      </section>
      <ErrorBox message={error} testId="verify-error" />
      {result && <VerifyResult r={result} />}
    </div>
  );
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function VerifyResult({ r }: { r: Checked }) {
  const v = r.view;
  const valid = v.signed && v.intact;
  const c = v.certificate;
  return (
    <section className="card verify-result" data-testid="verify-result" data-valid={valid ? 'true' : 'false'}>
      <div className={`verify-verdict ${valid ? 'verify-ok' : 'verify-bad'}`} role={valid ? 'status' : 'alert'} data-testid="verify-verdict">
        <span className="verify-mark" aria-hidden="true">
          {valid ? '✓' : '✗'}
        </span>
        <div>
          <div className="verify-title" data-testid="verify-status">{valid ? '签名有效' : v.signatureAreaChanged ? `签名无效：${v.status}` : v.signed ? '签名无效' : '文件没有签名'}</div>
          <div className="verify-sub" data-testid="verify-problem">
            {valid
              ? `文件自${v.signer ?? '签名人'}签名后未被改动。`
              : (v.problem ?? (v.signed ? '文件在签名后被改动，或签名已损坏。' : '未在文件中找到数字签名。'))}
          </div>
        </div>
      </div>

      {c?.trial && (
        <div className="verify-trial" data-testid="verify-trial">
          <TrialBadge /> 试用证书：签名使用的是本系统生成的自签名试用证书，不是机关CA颁发的证书，不能证明签名人的身份。
        </div>
      )}
      {c && !c.trial && c.selfSigned && (
        <div className="verify-trial" data-testid="verify-selfsigned">
          自签名证书：签名证书由签名人自行生成，不是CA颁发的证书，不能证明签名人的身份。
        </div>
      )}

      {v.warnings?.length > 0 && (
        <p className="warn-text" data-testid="verify-warnings">
          {v.warnings.map((w) => `提示：${w}。`).join('')}
        </p>
      )}

      {v.signed && !valid && (
        <p className="warn-text" data-testid="verify-unverified-note">
          以下签名人和证书信息取自文件中记载的签名；签名无效时，这些信息不能作为依据。
        </p>
      )}

      <dl className="kv verify-kv">
        <Row label="校验的文件" testId="verify-name">
          {r.name}（{fmtSize(r.size)}）{r.sigName && <span className="muted">；签名文件 {r.sigName}</span>}
        </Row>
        {r.sha256 && (
          <Row label="文件 SHA-256" testId="verify-sha">
            <span className="mono" title={r.sha256}>
              {shortSha(r.sha256)}
            </span>
          </Row>
        )}
        <Row label="签名人" testId="verify-signer">
          {v.signer ?? <span className="muted">（无）</span>}
        </Row>
        <Row label="签名时间" testId="verify-time">
          {v.signingTime ? `${fmtDateTimeSec(v.signingTime)}（北京时间）` : <span className="muted">（文件中未记载）</span>}
        </Row>
        <Row label="文件是否被改动" testId="verify-intact">
          {!v.signed ? (
            <span className="muted">无法判断（文件没有签名）</span>
          ) : v.intact ? (
            <span className="ok-text">未被改动：文件内容与签名时完全一致</span>
          ) : (
            <span className="bad-text">签名无法验证：文件在签名后被改动，或签名已损坏</span>
          )}
        </Row>
        <Row label="签名覆盖范围" testId="verify-coverage">
          {v.kind === 'detached' ? (
            v.signed ? (
              '签名文件（.p7s）覆盖整个 Word 文件'
            ) : (
              <span className="muted">（无）</span>
            )
          ) : v.coversWholeDocument === true ? (
            '签名覆盖整个 PDF 文件'
          ) : v.coversWholeDocument === false && v.signed ? (
            <span className="bad-text">签名没有覆盖整个文件：签名后又追加了内容，追加部分不受签名保护</span>
          ) : (
            <span className="muted">（无）</span>
          )}
        </Row>
        {c && (
          <>
            <Row label="证书主题" testId="verify-subject">
              {c.subject} {c.trial && <TrialBadge />}
            </Row>
            <Row label="证书颁发者" testId="verify-issuer">
              {c.issuer}
              {c.selfSigned && <span className="muted">（自签名）</span>}
            </Row>
            <Row label="证书序列号" testId="verify-serial">
              <span className="mono">{c.serial}</span>
            </Row>
            <Row label="证书有效期" testId="verify-validity">
              {fmtDateTimeSec(c.notBefore)} 至 {fmtDateTimeSec(c.notAfter)}
              {v.validAtSigningTime === false && <span className="bad-text">（签名时证书不在有效期内）</span>}
              {v.validAtSigningTime === true && <span className="muted">（签名时在有效期内）</span>}
            </Row>
          </>
        )}
        <Row label="是否本系统签发" testId="verify-issued-here">
          {v.issuedHere ? (
            <>
              <span className="ok-text">本系统签发</span>
              {v.issuedHere.caseShown ? (
                <div className="small">
                  案件编号 {v.issuedHere.caseNo}；文件“{v.issuedHere.name}”；签发于 {fmtDateTimeSec(v.issuedHere.issuedAt)}
                </div>
              ) : (
                <div className="small" data-testid="verify-case-hidden">
                  签发于 {fmtDateTimeSec(v.issuedHere.issuedAt)}；您无权查阅该案件，不显示案件编号和文件名称。
                </div>
              )}
            </>
          ) : (
            <span className="muted">本系统的签发记录中没有与之完全相同的文件（可能由其他系统签发，或文件已被改动）</span>
          )}
        </Row>
      </dl>
      <p className="hint">
        说明：本校验核对文件内容是否与签名一致，并显示签名证书的信息；不联网查询证书是否已被吊销。是否为机关CA颁发的证书，请以证书颁发者为准。
      </p>
    </section>
  );
}
