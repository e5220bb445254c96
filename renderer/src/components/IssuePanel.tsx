// 签发: a finalised document becomes a signed PDF and a Word file with its detached signature (.p7s).
// IssuePanel is placed beside a document (drafting page, 已签发文书 page); IssuedFilesList lists issued
// files with 下载 buttons anywhere (e.g. the case page's documents list). Refusals from the core (no
// signing certificate, not finalised, already issued, not the right signer) are shown as they are.
import { canSignHere } from '../live';
import { useEffect, useRef, useState } from 'react';
import type { IdentityView, IssuedView } from '../../../main/core/services/issue';
import { call } from '../api';
import { saveBase64 } from '../files';
import { fmtSize } from '../format';
import { navigate } from '../router';
import { ErrorBox } from './common';
import { useConfirm } from './ConfirmDialog';
import { FORMAT_LABELS, ShaCell, fmtDateTimeSec, fmtDayOf, type IssuedFormat } from './SigningBits';

/** An issued file as documents.list (with its version) or documents.issue (with its size) reports it. */
export interface IssuedFile {
  id: number;
  format: IssuedFormat;
  name: string;
  sha256: string;
  issuedAt: string;
  size?: number;
  version?: number;
}

const FORMAT_ORDER: Record<IssuedFormat, number> = { pdf: 0, docx: 1, p7s: 2 };

function sortFiles(files: IssuedFile[]): IssuedFile[] {
  return [...files].sort((a, b) => (b.version ?? 0) - (a.version ?? 0) || b.issuedAt.localeCompare(a.issuedAt) || FORMAT_ORDER[a.format] - FORMAT_ORDER[b.format]);
}

/**
 * Issued files with 下载 buttons (documents.download → a file saved under its issued name). `compact`
 * gives one line per file for narrow places such as the case page's documents table.
 */
export function IssuedFilesList({ files, compact = false, testId = 'issued-files' }: { files: IssuedFile[]; compact?: boolean; testId?: string }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<Record<number, { name: string; url: string }>>({});
  const urls = useRef<string[]>([]);

  useEffect(
    () => () => {
      for (const u of urls.current) URL.revokeObjectURL(u);
    },
    [],
  );

  async function download(f: IssuedFile) {
    setBusy(f.id);
    setError(null);
    const res = await call('documents.download', { issuedId: f.id });
    setBusy(null);
    if (!res.ok) return setError(res.error.message);
    const url = saveBase64(res.value.name, res.value.base64);
    urls.current.push(url);
    setSaved((s) => ({ ...s, [f.id]: { name: res.value.name, url } }));
  }

  if (files.length === 0) return null;
  const sorted = sortFiles(files);

  const button = (f: IssuedFile) => (
    <button
      type="button"
      className="btn-small"
      data-testid="issued-download"
      disabled={busy !== null}
      aria-label={`下载“${f.name}”`}
      onClick={() => void download(f)}
    >
      {busy === f.id ? '正在下载……' : '下载'}
    </button>
  );
  // After a download the link stays, for saving the same file again (and naming it for tests and users).
  const again = (f: IssuedFile) =>
    saved[f.id] && (
      <a className="small" href={saved[f.id].url} download={saved[f.id].name} data-testid="issued-download-link">
        再次保存
      </a>
    );

  if (compact) {
    return (
      <div data-testid={testId}>
        <ul className="issued-compact">
          {sorted.map((f) => (
            <li key={f.id} data-testid="issued-file" data-format={f.format} data-issued-id={f.id}>
              <span className="issued-format">{f.format === 'p7s' ? '.p7s' : f.format === 'docx' ? 'Word' : 'PDF'}</span>
              <span className="issued-name" title={f.name}>
                {f.version !== undefined && `第${f.version}版 · `}
                {fmtDateTimeSec(f.issuedAt)}
              </span>
              {button(f)}
              {again(f)}
            </li>
          ))}
        </ul>
        <ErrorBox message={error} testId="issued-download-error" />
      </div>
    );
  }

  return (
    <div data-testid={testId}>
      <table className="table compact issued-table">
        <thead>
          <tr>
            <th scope="col">文件</th>
            <th scope="col">类型</th>
            <th scope="col">签发时间</th>
            <th scope="col">SHA-256</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((f) => (
            <tr key={f.id} data-testid="issued-file" data-format={f.format} data-issued-id={f.id} data-name={f.name}>
              <td className="issued-name-cell">
                <div className="issued-name" data-testid="issued-name">
                  {f.name}
                </div>
                <div className="muted small">
                  {f.version !== undefined && `第${f.version}版`}
                  {f.version !== undefined && f.size !== undefined && '　'}
                  {f.size !== undefined && fmtSize(f.size)}
                </div>
              </td>
              <td>{FORMAT_LABELS[f.format]}</td>
              <td className="nowrap">{fmtDateTimeSec(f.issuedAt)}</td>
              <td>
                <ShaCell sha256={f.sha256} />
              </td>
              <td className="nowrap">
                {button(f)} {again(f)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox message={error} testId="issued-download-error" />
    </div>
  );
}

export interface IssuePanelProps {
  caseId: number;
  templateId: string;
  /** The latest final version (null while the document is not finalised). */
  finalVersion: number | null;
  /** This document's issued files so far (DocumentSummary.issued). */
  issued: IssuedFile[];
  /** Called with the new files after a successful 签发 (e.g. to reload the documents list). */
  onIssued?: (files: IssuedView[]) => void;
}

/** The core's refusals that the 签名证书 page can remedy (no certificate, key or passphrase missing). */
const needsCertificate = (message: string) => /证书|钥匙串/.test(message);

export function IssuePanel({ caseId, templateId, finalVersion, issued, onIssued }: IssuePanelProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Files issued here before the parent has passed the refreshed list down.
  const [fresh, setFresh] = useState<IssuedFile[]>([]);
  const [confirmDialog, ask] = useConfirm();
  // The certificate that will sign: the newest current one whose key is here (in team mode the desktop
  // says which keys it holds). It is named to the core, so what is shown is what signs.
  const [identities, setIdentities] = useState<IdentityView[] | null>(null);
  useEffect(() => {
    if (!canSignHere()) return;
    let live = true;
    void call('signing.identities', {}).then((r) => {
      if (live) setIdentities(r.ok ? r.value : []);
    });
    return () => {
      live = false;
    };
  }, []);
  const signer = identities?.find((i) => i.keyHere !== false) ?? null;

  // The list from documents.list has no sizes; those of files issued here are kept.
  const freshById = new Map(fresh.map((f) => [f.id, f]));
  const known = new Set(issued.map((f) => f.id));
  const files = [
    ...issued.map((f) => (f.size === undefined && freshById.get(f.id)?.size !== undefined ? { ...f, size: freshById.get(f.id)!.size } : f)),
    ...fresh.filter((f) => !known.has(f.id)),
  ];
  const finalIssued = finalVersion !== null && files.some((f) => f.version === finalVersion);

  async function issue() {
    const ok = await ask({
      title: `确认签发${finalVersion !== null ? `第${finalVersion}版` : ''}？`,
      message: '签发后系统用您的签名证书签名并保存 PDF 和 Word 文件，签发记录写入全过程记录；已签发的文件不能修改或收回，如需更正只能重新定稿后签发新版本。',
      confirmLabel: '签发',
      okTestId: 'issue-confirm',
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    const version = finalVersion;
    const res = await call('documents.issue', { caseId, templateId, ...(signer && { fingerprint: signer.fingerprint }) });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setFresh((prev) => [...prev, ...res.value.map((f) => ({ ...f, ...(version !== null && { version }) }))]);
    setNotice(`已签发${version !== null ? `第${version}版` : ''}：生成并签名了 PDF 文件和 Word 文件（附签名文件 .p7s），签发记录已写入全过程记录。`);
    onIssued?.(res.value);
  }

  return (
    <div className="issue-panel" data-testid="issue-panel" data-template-id={templateId}>
      {confirmDialog}
      <div className="issue-bar">
        <button type="button" className="btn-primary" data-testid="issue-button" disabled={busy || finalVersion === null || finalIssued || !canSignHere()} aria-describedby={`issue-state-${templateId}`} onClick={() => void issue()}>
          签发（签名并生成 PDF/Word）
        </button>
        {!canSignHere() && (
          <span className="muted small" data-testid="issue-browser-note">
            浏览器中不能签发：签名私钥只保存在本人电脑的工作台中，请在安装了工作台的电脑上签发。
          </span>
        )}
        <span className={finalIssued ? 'done-mark' : 'muted small'} id={`issue-state-${templateId}`} data-testid="issue-state">
          {finalVersion === null
            ? '尚未定稿：定稿后才能签发。'
            : finalIssued
              ? `✓ 第${finalVersion}版已签发；如需更正，请修改后重新定稿，再签发新版本。`
              : `将签发已定稿的第${finalVersion}版，使用您的签名证书签名。`}
        </span>
      </div>
      {canSignHere() && identities && !finalIssued && finalVersion !== null && (
        <p className="muted small issue-signer" data-testid="issue-signer">
          {signer
            ? `签名证书：${signer.subjectCN}（${signer.trial ? '试用证书，仅供试用' : `颁发者：${signer.issuer}`}），有效期至${fmtDayOf(signer.notAfter)}`
            : identities.length
              ? '您的签名证书的私钥不在这台电脑上：请在保存该证书的电脑上签发，或在“签名证书”中导入。'
              : '您还没有签名证书：请先在“签名证书”中导入机关CA颁发的证书，或生成试用证书。'}
        </p>
      )}
      {busy && (
        <div className="issue-progress" role="status" data-testid="issue-progress">
          <progress aria-label="签发进度" />
          <span>正在生成 PDF 和 Word 文件并签名，请稍候……</span>
        </div>
      )}
      {error && (
        <div className="error-box" role="alert" data-testid="issue-error">
          {error}
          {needsCertificate(error) && (
            <div className="issue-error-link">
              <a
                href="#/certificates"
                data-testid="issue-certificates-link"
                onClick={(e) => {
                  e.preventDefault();
                  navigate({ name: 'certificates' });
                }}
              >
                前往“签名证书”导入证书或生成试用证书 →
              </a>
            </div>
          )}
        </div>
      )}
      {notice && (
        <div className="notice-box" role="status" data-testid="issue-notice">
          {notice}
        </div>
      )}
      {files.length > 0 ? <IssuedFilesList files={files} /> : <p className="muted small" data-testid="issued-empty">尚未签发。</p>}
    </div>
  );
}
