// 打印: clean A4 sheets of a case (summary with its timeline), of the queue and of search results.
// The sheet is part of the page; print CSS (styles.css) leaves out the app around it, and
// window.print() opens the print preview in Electron and in browsers. Every time is China time.
// The lists print the table the core builds for 导出 Excel (cases.report), so paper and file agree.
import { useEffect, useState, type ReactNode } from 'react';
import type { CaseReportView, CaseDetail, SessionView } from '../../../main/core/domain/views';
import type { CaseState } from '../../../main/core/domain/types';
import { call } from '../api';
import { ErrorBox, Loading, ProcedureRows } from '../components/common';
import { saveBase64 } from '../files';
import { fmtDate, fmtDateTime, fmtYuan } from '../format';
import { APPROVAL_LABELS, CASE_STATE_LABELS, DECISION_KIND_LABELS, OUTCOME_LABELS, PARTY_ID_LABELS, PARTY_TYPE_LABELS } from '../labels';
import { navigate, type Route } from '../router';
import { withMeetingEntries } from './CasePage';

/** Set by a 打印 button just before it opens a print view: the view then opens the print preview once. */
let printWhenReady = false;

/** Opens a print view and, once it has drawn, the print preview. */
export function openPrintView(route: Route): void {
  printWhenReady = true;
  navigate(route);
}

function usePrintWhenReady(ready: boolean): void {
  useEffect(() => {
    if (!ready || !printWhenReady) return;
    printWhenReady = false;
    // Let the browser lay the sheet out first.
    const t = window.setTimeout(() => window.print(), 50);
    return () => window.clearTimeout(t);
  }, [ready]);
}

function Toolbar({ onBack, backLabel, children }: { onBack: () => void; backLabel: string; children?: ReactNode }) {
  return (
    <div className="print-toolbar no-print">
      <button type="button" className="btn-primary" data-testid="print-now" onClick={() => window.print()}>
        打印
      </button>
      {children}
      <button type="button" data-testid="print-back" onClick={onBack}>
        {backLabel}
      </button>
      <span className="muted small">纸张：A4。打印预览中可选择打印机或“另存为 PDF”。</span>
    </div>
  );
}

const nowLabel = () => fmtDateTime(new Date().toISOString());

export function CasePrint({ caseId, session }: { caseId: number; session: SessionView }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [printedAt] = useState(nowLabel);

  useEffect(() => {
    void call('cases.get', { caseId }).then((res) => (res.ok ? setDetail(res.value) : setError(res.error.message)));
  }, [caseId]);
  usePrintWhenReady(detail !== null);

  const back = () => navigate({ name: 'case', caseId });
  if (error) return <ErrorBox message={error} />;
  if (!detail) return <Loading />;
  const s = detail.submissions.at(-1)!;
  const clock = detail.reviewClock;
  return (
    <div className="page print-page" data-testid="case-print">
      <Toolbar onBack={back} backLabel="返回案件" />
      <article className="print-sheet" data-testid="print-sheet">
        <div className="print-agency">{session.agencyName}</div>
        <h1>重大执法决定法制审核案件摘要</h1>
        <div className="print-meta">
          <span>案件编号：{detail.caseNo}</span>
          <span>
            打印：{session.user.displayName}，{printedAt}（北京时间）
          </span>
        </div>
        <table className="print-table print-kv">
          <tbody>
            <tr>
              <th scope="row">案件名称</th>
              <td colSpan={3}>{detail.title}</td>
            </tr>
            <tr>
              <th scope="row">决定类型</th>
              <td>{DECISION_KIND_LABELS[detail.kind]}</td>
              <th scope="row">案件状态</th>
              <td data-testid="print-state">
                {CASE_STATE_LABELS[detail.state]}（第{detail.round}轮送审）{detail.headOverride ? '，负责人未采纳法制审核意见' : ''}
              </td>
            </tr>
            <tr>
              <th scope="row">目录事项</th>
              <td colSpan={3}>
                {detail.catalogItemLabel}（目录清单第{detail.catalogVersion}版）
              </td>
            </tr>
            <tr>
              <th scope="row">当事人</th>
              <td colSpan={3} data-testid="print-party">
                {s.party.name}（{PARTY_TYPE_LABELS[s.party.type]}）；{PARTY_ID_LABELS[s.party.type]}：{s.party.idNumber}；地址：{s.party.address}
              </td>
            </tr>
            <tr>
              <th scope="row">承办人</th>
              <td>{detail.responsible.handler}</td>
              <th scope="row">执法人员</th>
              <td>{s.officers.map((o) => `${o.name}（${o.certNo ?? '未登记'}）`).join('、')}</td>
            </tr>
            <tr>
              <th scope="row">审核人</th>
              <td>{detail.responsible.reviewer ?? '（尚未审核）'}</td>
              <th scope="row">{detail.approvals.at(-1)?.decision === 'reject' ? '审批人' : '批准人'}</th>
              <td>{detail.responsible.approver ?? '（尚未审批）'}</td>
            </tr>
            <tr>
              <th scope="row">拟作出的决定</th>
              <td colSpan={3} className="pre">
                {s.proposedDecision}
                {s.fineFen !== null ? `（罚款${fmtYuan(s.fineFen)}，${s.fineCapitals}）` : ''}
              </td>
            </tr>
            <tr>
              <th scope="row">审核期限</th>
              <td colSpan={3}>{clock ? `${clock.label}：${clock.dueLabel}届满，${clock.remainingLabel}` : '—'}</td>
            </tr>
          </tbody>
        </table>

        <h2>已履行的程序</h2>
        <table className="print-table">
          <thead>
            <tr>
              <th scope="col">环节</th>
              <th scope="col">日期</th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            <ProcedureRows procedure={s.procedure} />
          </tbody>
        </table>

        {detail.reviews.length > 0 && (
          <>
            <h2>法制审核意见</h2>
            <table className="print-table">
              <thead>
                <tr>
                  <th scope="col">轮次</th>
                  <th scope="col">审核人 · 时间</th>
                  <th scope="col">意见</th>
                </tr>
              </thead>
              <tbody>
                {detail.reviews.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">
                      第{r.round}轮{r.kind === 'rereview' ? '复审' : '审核'}
                    </td>
                    <td className="nowrap">
                      {r.reviewer}
                      <br />
                      {fmtDateTime(r.issuedAt)}
                    </td>
                    <td>
                      <strong>{OUTCOME_LABELS[r.outcome]}</strong>：{r.opinion}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}

        {detail.approvals.length > 0 && (
          <>
            <h2>负责人审批</h2>
            <table className="print-table">
              <thead>
                <tr>
                  <th scope="col">审批人 · 时间</th>
                  <th scope="col">决定</th>
                  <th scope="col">意见</th>
                </tr>
              </thead>
              <tbody>
                {detail.approvals.map((a) => (
                  <tr key={a.id}>
                    <td className="nowrap">
                      {a.head}
                      <br />
                      {fmtDateTime(a.decidedAt)}
                    </td>
                    <td className="nowrap">{APPROVAL_LABELS[a.decision]}</td>
                    <td>
                      {a.opinion}
                      {a.override ? `【不采纳法制审核意见：${a.overrideReason ?? ''}】` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}

        <h2>时间线（北京时间）</h2>
        <table className="print-table" data-testid="print-timeline">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">办理人</th>
              <th scope="col">环节</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {withMeetingEntries(detail).map((t) => (
              <tr key={t.seq} data-testid="print-timeline-entry">
                <td className="nowrap">{fmtDateTime(t.at)}</td>
                <td className="nowrap">{t.actor}</td>
                <td className="nowrap">{t.label}</td>
                <td>{t.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="print-foot">本摘要由法制审核工作台依全过程记录生成，内容以系统记录为准。</p>
      </article>
    </div>
  );
}

export type ListSource = { source: 'queue' } | { source: 'search'; query: string; state?: CaseState };

/** Downloads the .xlsx of the queue or of a search (built by the core). Returns an error message or null. */
export async function exportXlsx(src: ListSource): Promise<string | null> {
  const res = await call('cases.report', { ...src, xlsx: true });
  if (!res.ok) return res.error.message;
  if (!res.value.base64) return '导出失败：未生成文件。';
  saveBase64(res.value.fileName, res.value.base64);
  return null;
}

/** Columns whose text may wrap on paper; the short ones (numbers, names, times) stay on one line. */
const WRAPPING = new Set(['案件名称', '当事人', '案件状态', '待办事项', '审核期限届满日']);

export function ListPrint({ src }: { src: ListSource }) {
  const [report, setReport] = useState<CaseReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const key = JSON.stringify(src);

  useEffect(() => {
    void call('cases.report', { ...src, xlsx: false }).then((res) => (res.ok ? setReport(res.value) : setError(res.error.message)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  usePrintWhenReady(report !== null);

  const back = () => navigate(src.source === 'queue' ? { name: 'queue' } : { name: 'search' });
  return (
    <div className="page print-page" data-testid={`${src.source}-print`}>
      <Toolbar onBack={back} backLabel={src.source === 'queue' ? '返回待办' : '返回检索'}>
        <button
          type="button"
          data-testid="print-export"
          disabled={exporting || !report}
          onClick={async () => {
            setExporting(true);
            setError(await exportXlsx(src));
            setExporting(false);
          }}
        >
          导出 Excel
        </button>
      </Toolbar>
      <ErrorBox message={error} />
      {!report && !error && <Loading />}
      {report && (
        <article className="print-sheet landscape" data-testid="print-sheet">
          <div className="print-agency">{report.agencyName}</div>
          <h1>{report.title}</h1>
          <div className="print-meta">
            <span>{report.conditions.join('；') || '全部待办事项'}</span>
            <span>
              打印：{report.generatedBy}，{report.generatedAtLabel}（北京时间）
            </span>
          </div>
          {report.rows.length === 0 ? (
            <p data-testid="print-empty">{src.source === 'queue' ? '暂无待办事项。' : '没有符合条件的案件。'}</p>
          ) : (
            <table className="print-table" data-testid="print-list">
              <thead>
                <tr>
                  {report.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.rows.map((r, i) => (
                  <tr key={report.caseIds[i]} data-testid="print-list-row">
                    {r.map((v, j) => (
                      <td key={j} className={WRAPPING.has(report.columns[j]) ? undefined : 'nowrap'}>
                        {v}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p className="print-foot" data-testid="print-count">
            共 {report.rows.length} 件{report.capped ? '（超过上限，只列出最新的）' : ''}。
          </p>
        </article>
      )}
    </div>
  );
}
