// 已签发文书 (#/case/ID/issued): a case's documents, each with its 签发 panel and issued files.
// Not linked from the menus yet; the drafting page carries the same IssuePanel.
import { useCallback, useEffect, useState } from 'react';
import type { CaseDetail, DocumentSummary } from '../../../main/core/domain/views';
import { call } from '../api';
import '../signing.css';
import { ErrorBox, Loading, StateBadge } from '../components/common';
import { IssuePanel } from '../components/IssuePanel';
import { fmtDateTime } from '../format';
import { navigate } from '../router';

export function IssuedDocuments({ caseId }: { caseId: number }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [docs, setDocs] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadDocs = useCallback(async () => {
    const d = await call('documents.list', { caseId });
    if (!d.ok) return setError(d.error.message);
    setDocs(d.value);
  }, [caseId]);

  useEffect(() => {
    let live = true;
    void (async () => {
      const c = await call('cases.get', { caseId });
      if (!live) return;
      if (!c.ok) return setError(c.error.message);
      setDetail(c.value);
      await loadDocs();
    })();
    return () => {
      live = false;
    };
  }, [caseId, loadDocs]);

  if (error && !detail) return <ErrorBox message={error} testId="issued-page-error" />;
  if (!detail) return <Loading />;

  return (
    <div className="page" data-testid="issued-page" data-case-id={caseId}>
      <div className="page-head">
        <div>
          <a
            href={`#/case/${caseId}`}
            className="signing-back"
            data-testid="issued-back-to-case"
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'case', caseId });
            }}
          >
            ← 返回案件
          </a>
          <h1>已签发文书</h1>
          <div className="muted">
            <span className="mono">{detail.caseNo}</span>　{detail.title}　<StateBadge state={detail.state} outcome={detail.lastOutcome} />
          </div>
        </div>
      </div>
      <ErrorBox message={error} testId="issued-page-error" />
      {!docs && !error && <Loading />}
      {docs && docs.length === 0 && (
        <section className="card">
          <p className="muted" data-testid="issued-docs-empty">
            本案尚未起草文书。文书须先起草、定稿，才能签发。
          </p>
        </section>
      )}
      {docs?.map((d) => (
        <section key={d.templateId} className="card" data-testid="issued-doc" data-template-id={d.templateId}>
          <h2 className="card-title">
            {d.title}
            {d.docNumber && <span className="muted small mono">{d.docNumber}</span>}
            {d.finalVersion !== null ? (
              <span className="badge-valid small">第{d.finalVersion}版已定稿</span>
            ) : (
              <span className="muted small">未定稿（共{d.versions}版）</span>
            )}
            <span className="muted small">最近保存 {fmtDateTime(d.savedAt)}</span>
          </h2>
          <IssuePanel caseId={caseId} templateId={d.templateId} finalVersion={d.finalVersion} issued={d.issued} onIssued={() => void loadDocs()} />
        </section>
      ))}
    </div>
  );
}
