// Small pieces shared by the signing screens: China-time instants with seconds, file-format labels, the
// 试用 badge, and a shortened SHA-256 with a copy button.
import { useEffect, useRef, useState } from 'react';
import { copyText, shortSha } from '../files';
import { fmtDateTime } from '../format';
import '../signing.css';

/** 2026年11月23日 17:05:09 (China time): format.ts, like every other time in the app. */
export function fmtDateTimeSec(iso: string | null | undefined): string {
  return fmtDateTime(iso, { seconds: true });
}

/** 2026年11月23日 (China time) of an instant. */
export function fmtDayOf(iso: string | null | undefined): string {
  return fmtDateTimeSec(iso).replace(/ .*$/, '');
}

export type IssuedFormat = 'pdf' | 'docx' | 'p7s';

export const FORMAT_LABELS: Record<IssuedFormat, string> = {
  pdf: 'PDF（内含数字签名）',
  docx: 'Word 文件',
  p7s: 'Word 文件的签名（.p7s）',
};

export function TrialBadge() {
  return (
    <span className="badge-trial" data-testid="trial-badge" title="本系统生成的自签名证书，非机关CA颁发，仅供试用">
      试用
    </span>
  );
}

/** The first and last 8 hex digits of a SHA-256 (full value on hover) and a 复制 button. */
export function ShaCell({ sha256, label = 'SHA-256' }: { sha256: string; label?: string }) {
  const [copied, setCopied] = useState<'ok' | 'failed' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  async function copy() {
    const ok = await copyText(sha256);
    setCopied(ok ? 'ok' : 'failed');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopied(null), 2500);
  }
  return (
    <span className="sha-cell" data-testid="sha" data-sha256={sha256}>
      <span className="mono" title={`${label}：${sha256}`}>
        {shortSha(sha256)}
      </span>
      <button type="button" className="btn-small" data-testid="sha-copy" aria-label={`复制完整的${label}值`} onClick={() => void copy()}>
        复制
      </button>
      <span className="sha-copied" role="status" aria-live="polite" data-testid="sha-copied">
        {copied === 'ok' ? '已复制' : copied === 'failed' ? '复制失败，请将鼠标停在值上查看完整内容' : ''}
      </span>
    </span>
  );
}
