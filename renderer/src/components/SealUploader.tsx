// 印章图片 (系统设置, administrator): the agency seal placed on the signature block of issued documents.
// PNG only (checked here by its file signature, and again by the core).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { call } from '../api';
import { fileHead, readFileAsBase64 } from '../files';
import { fmtSize } from '../format';
import { ErrorBox, Notice } from './common';
import '../signing.css';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_BYTES = 2 * 1024 * 1024;

export function SealUploader() {
  const [picked, setPicked] = useState<{ name: string; size: number; base64: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  function clearInput() {
    if (input.current) input.current.value = '';
  }

  async function choose(f: File | null) {
    setError(null);
    setNotice(null);
    setPicked(null);
    if (!f) return;
    const head = await fileHead(f, 8).catch(() => new Uint8Array());
    if (!live.current) return;
    if (head.length < 8 || PNG_SIGNATURE.some((b, i) => head[i] !== b)) {
      clearInput();
      return setError(`“${f.name}”不是 PNG 图片：印章图片须为 PNG 格式（建议透明背景）。`);
    }
    if (f.size > MAX_BYTES) {
      clearInput();
      return setError(`印章图片过大（${fmtSize(f.size)}），不超过2MB。`);
    }
    try {
      const base64 = await readFileAsBase64(f);
      if (live.current) setPicked({ name: f.name, size: f.size, base64 });
    } catch {
      if (live.current) setError(`无法读取文件“${f.name}”，请确认文件未被占用后重试。`);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!picked) return setError('请选择印章图片（PNG）。');
    setBusy(true);
    setError(null);
    setNotice(null);
    const res = await call('signing.setSeal', { pngBase64: picked.base64 });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setNotice('印章图片已保存。此后签发的文书在落款处使用该印章；已签发的文书不受影响。');
  }

  return (
    <section className="card" data-testid="seal-settings">
      <h2 className="card-title">印章图片</h2>
      <p className="hint">签发文书时，系统在落款处加盖此印章图片。仅支持 PNG 格式，建议使用透明背景的红色印章扫描件，不超过 2MB。</p>
      <form noValidate onSubmit={(e) => void save(e)} data-testid="seal-form">
        <div className="field file-field">
          <input
            id="seal-input"
            ref={input}
            type="file"
            accept="image/png,.png"
            className="visually-hidden"
            data-testid="seal-file"
            disabled={busy}
            onChange={(e) => void choose(e.target.files?.[0] ?? null)}
          />
          <label htmlFor="seal-input" className={`file-button ${busy ? 'disabled' : ''}`}>
            选择印章图片（PNG）
          </label>
          <span className={picked ? '' : 'hint'} data-testid="seal-file-name">
            {picked ? `${picked.name}（${fmtSize(picked.size)}）` : '尚未选择文件'}
          </span>
        </div>
        {picked && (
          <div className="seal-preview" data-testid="seal-preview">
            <img src={`data:image/png;base64,${picked.base64}`} alt="印章图片预览" />
          </div>
        )}
        <div className="actions">
          <button type="submit" className="btn-primary" data-testid="seal-save" disabled={busy || !picked}>
            {busy ? '正在保存……' : '保存印章图片'}
          </button>
        </div>
      </form>
      <ErrorBox message={error} testId="seal-error" />
      <Notice message={notice} testId="seal-notice" />
    </section>
  );
}
