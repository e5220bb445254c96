// The case page's 文书 section (the case's documents and the 起草文书 menu) and the comparison of two
// submission rounds ("what changed since we returned it").
import { useEffect, useRef, useState } from 'react';
import type { CaseDetail, DocumentSummary, SessionView, TemplateSummary } from '../../../main/core/domain/views';
import type { SubmissionDiff } from '../../../main/core/documents/diff';
import { call } from '../api';
import { ErrorBox, Loading } from '../components/common';
import { SubmissionDiffView } from '../components/DiffView';
import { fmtDateTime } from '../format';
import { navigate } from '../router';
import '../drafting.css';

/** Roles with permission document.draft in the core. */
export const DRAFTING_ROLES = ['handler', 'reviewer', 'legal_head', 'agency_head', 'secretary'];

export const TEMPLATE_KIND_LABELS: Record<TemplateSummary['kind'], string> = { internal: '内部文书', external: '对外执法文书', public: '公示信息' };

/** The first phrase of a template's description, e.g. 说理式行政处罚决定书. */
export function templateSubtitle(t: TemplateSummary): string {
  const d = (t.description ?? '').trim();
  if (!d) return '';
  const head = d.split(/[：:]/)[0];
  if (head.length <= 24 && head !== d) return head;
  return d.length > 40 ? `${d.slice(0, 40)}…` : d;
}

export function CaseDocuments({ detail, session }: { detail: CaseDetail; session: SessionView }) {
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const mayDraft = session.user.roles.some((r) => DRAFTING_ROLES.includes(r));

  useEffect(() => {
    let live = true;
    void (async () => {
      const [d, t] = await Promise.all([call('documents.list', { caseId: detail.id }), mayDraft ? call('templates.list', {}) : Promise.resolve(null)]);
      if (!live) return;
      if (!d.ok) return setError(d.error.message);
      setDocs(d.value);
      if (t && t.ok) setTemplates(t.value.filter((x) => x.applies === null || x.applies.includes(detail.kind)));
      else if (t && !t.ok) setError(t.error.message);
    })();
    return () => {
      live = false;
    };
  }, [detail.id, detail.kind, mayDraft]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (menuRef.current && !menuRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const openDoc = (templateId: string) => navigate({ name: 'document', caseId: detail.id, templateId });

  return (
    <section className="card" data-testid="documents-section">
      <div className="card-title-row">
        <h2 className="card-title">文书</h2>
        {mayDraft && (
          <div className="menu-wrap" ref={menuRef}>
            <button
              type="button"
              className="btn-primary"
              data-testid="draft-menu"
              aria-haspopup="menu"
              aria-expanded={open}
              onClick={() => setOpen((v) => !v)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setOpen(false);
              }}
            >
              起草文书 ▾
            </button>
            {open && (
              <div className="menu" role="menu" aria-label="可起草的文书" data-testid="draft-menu-list">
                {templates.length === 0 && <div className="menu-empty">没有适用于本案的文书模板。</div>}
                {templates.map((t) => (
                  <button
                    key={t.id}
                    type="button"
                    role="menuitem"
                    className="menu-item"
                    data-testid={`draft-template-${t.id}`}
                    data-allowed={detail.documentRights?.[t.id]?.draft === false ? 'false' : 'true'}
                    title={detail.documentRights?.[t.id]?.draft === false ? detail.documentRights[t.id].reason ?? undefined : undefined}
                    onClick={() => openDoc(t.id)}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') setOpen(false);
                    }}
                  >
                    <span className="menu-item-title">
                      {t.title}
                      <span className="muted small">（{TEMPLATE_KIND_LABELS[t.kind]}）</span>
                    </span>
                    {detail.documentRights?.[t.id]?.draft === false ? (
                      <span className="menu-item-sub warn-text">{detail.documentRights[t.id].reason}</span>
                    ) : (
                      templateSubtitle(t) && <span className="menu-item-sub">{templateSubtitle(t)}</span>
                    )}
                  </button>
                ))}
              </div>
            )}
          </div>
        )}
      </div>
      <ErrorBox message={error} testId="documents-error" />
      {!docs && !error && <Loading />}
      {docs && docs.length === 0 && <p className="muted" data-testid="documents-empty">本案尚未起草文书。</p>}
      {docs && docs.length > 0 && (
        <table className="table" data-testid="documents-table">
          <thead>
            <tr>
              <th scope="col">文书</th>
              <th scope="col">文号</th>
              <th scope="col">版本</th>
              <th scope="col">定稿</th>
              <th scope="col">最近保存</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {docs.map((d) => (
              <tr key={d.templateId} data-testid="document-row" data-template-id={d.templateId}>
                <td>{d.title}</td>
                <td data-testid="document-number">{d.docNumber ?? <span className="muted">（定稿时编号）</span>}</td>
                <td>共{d.versions}版</td>
                <td data-testid="document-final">{d.finalVersion !== null ? <span className="badge-final">第{d.finalVersion}版已定稿</span> : <span className="muted">未定稿</span>}</td>
                <td className="nowrap">{fmtDateTime(d.savedAt)}</td>
                <td>
                  <a
                    href={`#/case/${detail.id}/doc/${d.templateId}`}
                    data-testid="document-open"
                    onClick={(e) => {
                      e.preventDefault();
                      openDoc(d.templateId);
                    }}
                  >
                    {mayDraft ? '打开编辑' : '查看'}
                  </a>
                  {(d.finalVersion !== null || d.issued.length > 0) && (
                    <>
                      {' · '}
                      <a href={`#/case/${detail.id}/issued`} data-testid="document-issue-link">
                        {d.issued.length > 0 ? `已签发 ${d.issued.length} 个文件` : '签发'}
                      </a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** 对比: what changed between two submission rounds (by default the returned round and the resubmission). */
export function SubmissionCompare({ detail }: { detail: CaseDetail }) {
  const rounds = detail.submissions.map((s) => s.round).sort((a, b) => a - b);
  const [from, setFrom] = useState(rounds[rounds.length - 2]);
  const [to, setTo] = useState(rounds[rounds.length - 1]);
  const [diff, setDiff] = useState<SubmissionDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (rounds.length < 2) return null;
  const returned = detail.reviews.filter((r) => r.outcome === 'return').map((r) => r.round);

  async function run() {
    setBusy(true);
    setError(null);
    const res = await call('cases.diffSubmissions', { caseId: detail.id, fromRound: from, toRound: to });
    setBusy(false);
    if (!res.ok) {
      setDiff(null);
      return setError(res.error.message);
    }
    setDiff(res.value);
  }

  const label = (r: number) => `第${r}轮${returned.includes(r) ? '（被退回）' : ''}`;
  return (
    <section className="card" data-testid="submission-compare-section">
      <h2 className="card-title">退回后改了什么</h2>
      <div className="compare-bar">
        <label>
          从
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))} data-testid="submission-compare-from" aria-label="比较的原送审轮次">
            {rounds.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          到
          <select value={to} onChange={(e) => setTo(Number(e.target.value))} data-testid="submission-compare-to" aria-label="比较的新送审轮次">
            {rounds.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn-primary" data-testid="submission-compare" disabled={busy || from === to} onClick={() => void run()}>
          对比
        </button>
        {diff && (
          <button type="button" onClick={() => setDiff(null)}>
            收起
          </button>
        )}
      </div>
      <ErrorBox message={error} testId="submission-compare-error" />
      {diff && <SubmissionDiffView diff={diff} />}
    </section>
  );
}
