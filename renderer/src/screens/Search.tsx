// 案件检索: full-text search with a state filter.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CaseState } from '../../../main/core/domain/types';
import type { SearchResult } from '../../../main/core/domain/views';
import { call } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorBox, Field, Loading } from '../components/common';
import { CASE_STATES, CASE_STATE_LABELS } from '../labels';
import { exportXlsx, openPrintView } from './PrintViews';

const PAGE = 50;

export function Search() {
  const [query, setQuery] = useState('');
  const [state, setState] = useState<CaseState | ''>('');
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The query and state of the results shown: what 打印 and 导出 Excel take. */
  const [shown, setShown] = useState<{ query: string; state: CaseState | '' }>({ query: '', state: '' });

  const run = useCallback(async (q: string, s: CaseState | '', off: number) => {
    setBusy(true);
    const res = await call('cases.search', { query: q, state: s || undefined, limit: PAGE, offset: off });
    setBusy(false);
    if (res.ok) {
      setResult(res.value);
      setError(null);
      setOffset(off);
      setShown({ query: q, state: s });
    } else setError(res.error.message);
  }, []);

  useEffect(() => {
    void run('', '', 0);
  }, [run]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(query, state, 0);
  }

  return (
    <div className="page" data-testid="search-page">
      <div className="page-head">
        <h1>案件检索</h1>
        <span className="page-head-tools">
          <button type="button" data-testid="search-print" disabled={!result || busy} onClick={() => openPrintView({ name: 'searchPrint', query: shown.query, state: shown.state })}>
            打印
          </button>
          <button
            type="button"
            data-testid="search-export"
            disabled={!result || busy}
            onClick={async () => {
              setBusy(true);
              setError(await exportXlsx({ source: 'search', query: shown.query, ...(shown.state && { state: shown.state }) }));
              setBusy(false);
            }}
          >
            导出 Excel
          </button>
        </span>
      </div>
      <form className="search-bar card" noValidate onSubmit={submit}>
        <Field label="关键词" hint="可检索案件编号、名称、当事人、事实、证据及审核意见">
          {(id) => <input id={id} type="search" data-testid="search-query" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
        <Field label="案件状态">
          {(id) => (
            <select id={id} data-testid="search-state" value={state} onChange={(e) => setState(e.target.value as CaseState | '')}>
              <option value="">全部状态</option>
              {CASE_STATES.map((s) => (
                <option key={s} value={s}>
                  {CASE_STATE_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field field-button">
          <button type="submit" className="btn-primary" data-testid="search-submit" disabled={busy}>
            检索
          </button>
        </div>
      </form>
      <ErrorBox message={error} />
      {!result && !error && <Loading />}
      {result && (
        <>
          <p className="muted" data-testid="search-total">
            {result.totalCapped ? `超过 ${result.total} 件（请输入更多文字缩小范围）` : `共 ${result.total} 件`}
          </p>
          {result.items.length === 0 ? (
            <div className="empty" data-testid="search-empty">
              没有符合条件的案件。
            </div>
          ) : (
            <CaseTable items={result.items} testId="search-table" />
          )}
          {result.total > PAGE && (
            <div className="pager">
              <button type="button" disabled={offset === 0 || busy} onClick={() => void run(query, state, Math.max(0, offset - PAGE))}>
                上一页
              </button>
              <span>
                第 {Math.floor(offset / PAGE) + 1} / {Math.ceil(result.total / PAGE)}
                {result.totalCapped ? '+' : ''} 页
              </span>
              <button type="button" disabled={(offset + PAGE >= result.total && !result.totalCapped) || result.items.length < PAGE || busy} onClick={() => void run(query, state, offset + PAGE)}>
                下一页
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
