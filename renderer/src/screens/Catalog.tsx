// 目录清单: the catalog in force, its versions, and the proposals (目录清单调整方案) with their filings.
// The system administrator changes thresholds and labels, removes or adds items, and records the filing
// that brings a proposal into force (001 附件3 第八条: 备案后执行) and each recipient's response. The core
// checks every rule again (services/catalog.ts).
import { useEffect, useState, type FormEvent } from 'react';
import type { CatalogAdminView, CatalogItem } from '../../../main/core/domain/views';
import { call } from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import { DateInput } from '../components/DateInput';
import { ErrorBox, Field, Notice } from '../components/common';

const KIND_LABELS: Record<string, string> = { penalty: '行政处罚', license: '行政许可', coercion: '行政强制', levy: '行政征收', fee: '行政收费', inspection: '行政检查' };
const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const yuan = (fen: number | undefined) => (fen === undefined ? '' : String(fen / 100));

/** One row of the editor: the item as it will be proposed, and whether it is kept. */
interface Row { item: CatalogItem; keep: boolean }

export function Catalog() {
  const [view, setView] = useState<CatalogAdminView | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [note, setNote] = useState('');
  const [added, setAdded] = useState({ kind: 'penalty', label: '', basis: '' });
  const [filing, setFiling] = useState({ filedOn: todayInChina(), recipients: '' });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();

  const show = (v: CatalogAdminView) => {
    setView(v);
    setRows(v.current.items.map((item) => ({ item, keep: true })));
    setFiling((x) => ({ ...x, recipients: x.recipients || v.defaultRecipients.join('\n') }));
  };
  useEffect(() => {
    void call('catalog.versions', {}).then((r) => (r.ok ? show(r.value) : setError(r.error.message)));
  }, []);
  if (!view) return <section className="card"><h1>目录清单</h1><ErrorBox message={error} testId="catalog-error" /></section>;

  const edit = (i: number, patch: Partial<CatalogItem>) => setRows(rows.map((r, k) => (k === i ? { ...r, item: { ...r.item, ...patch } } : r)));
  const pending = view.proposals.find((p) => p.state === 'pending');

  async function propose(e: FormEvent) {
    e.preventDefault();
    const items = rows.filter((r) => r.keep).map((r) => r.item);
    if (added.label.trim()) {
      const n = items.filter((i) => i.kind === added.kind).length + 1;
      items.push({ code: `${added.kind}.custom_${n}`, kind: added.kind as CatalogItem['kind'], label: added.label.trim(), catchAll: added.basis.trim() || '001 附件3 第八条第二款' });
    }
    if (!(await ask({ title: '确认拟定调整方案？', message: '调整方案记入全过程记录；报送备案并登记后才生效，此前送审的案件仍按现行版本认定。', confirmLabel: '确认拟定', okTestId: 'catalog-confirm' }))) return;
    setBusy(true);
    setError(null);
    const r = await call('catalog.propose', { baseVersion: view!.current.version, items, note });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setNote('');
    setAdded({ kind: 'penalty', label: '', basis: '' });
    setNotice('已拟定调整方案，待报送备案。');
    show(r.value);
  }

  async function file(proposalId: number) {
    if (!(await ask({ title: '确认登记报送备案？', message: '登记后调整方案即作为新版本生效，不能撤回；此后送审的案件按新版本认定。', confirmLabel: '确认登记', okTestId: 'catalog-confirm' }))) return;
    setBusy(true);
    setError(null);
    const r = await call('catalog.file', { proposalId, filedOn: filing.filedOn, recipients: filing.recipients.split('\n').map((x) => x.trim()).filter(Boolean) });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setNotice(`已登记报送备案，目录清单第${r.value.current.version}版生效。`);
    show(r.value);
  }

  return (
    <section className="card" data-testid="catalog-page">
      {confirmDialog}
      <h1>目录清单</h1>
      <p>现行：第{view.current.version}版，{view.current.items.length}项。调整须报本级政府法制机构备案后执行（001 附件3 第八条）。</p>
      <form onSubmit={(e) => void propose(e)}>
        <table className="table" data-testid="catalog-items">
          <thead><tr><th>类别</th><th>事项</th><th>认定标准</th>{view.canManage && <th>保留</th>}</tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.item.code} data-testid="catalog-item">
                <td>{KIND_LABELS[r.item.kind] ?? r.item.kind}</td>
                <td>{view.canManage ? <input aria-label={`事项名称 ${r.item.code}`} value={r.item.label} onChange={(e) => edit(i, { label: e.target.value })} /> : r.item.label}</td>
                <td>
                  {r.item.minFineFen !== undefined && (view.canManage
                    ? <label>罚款（元）≥ <input aria-label={`罚款标准 ${r.item.code}`} data-testid="catalog-fine" inputMode="decimal" value={yuan(r.item.minFineFen)} onChange={(e) => edit(i, { minFineFen: Math.round(Number(e.target.value) * 100) })} /></label>
                    : `罚款 ≥ ${yuan(r.item.minFineFen)}元`)}
                  {r.item.seal && `面积 ≥ ${r.item.seal.minAreaM2}平方米或价值 ≥ ${yuan(r.item.seal.minValueFen)}元`}
                  {r.item.hearing && '听证'}
                  {r.item.catchAll && `兜底（${r.item.catchAll}）`}
                </td>
                {view.canManage && <td><input type="checkbox" aria-label={`保留 ${r.item.label}`} checked={r.keep} onChange={(e) => setRows(rows.map((x, k) => (k === i ? { ...x, keep: e.target.checked } : x)))} /></td>}
              </tr>
            ))}
          </tbody>
        </table>
        {view.canManage && (
          <>
            <h2>新增事项（本机关自行确定的类别，须写明依据）</h2>
            <Field label="类别">{(id) => <select id={id} value={added.kind} onChange={(e) => setAdded({ ...added, kind: e.target.value })}>{Object.entries(KIND_LABELS).map(([k, l]) => <option key={k} value={k}>{l}</option>)}</select>}</Field>
            <Field label="事项名称">{(id) => <input id={id} data-testid="catalog-new-label" value={added.label} onChange={(e) => setAdded({ ...added, label: e.target.value })} />}</Field>
            <Field label="依据">{(id) => <input id={id} value={added.basis} placeholder="001 附件3 第八条第二款" onChange={(e) => setAdded({ ...added, basis: e.target.value })} />}</Field>
            <Field label="调整说明" required>{(id) => <textarea id={id} data-testid="catalog-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
            <button type="submit" data-testid="catalog-propose" disabled={busy || !note.trim() || !!pending}>拟定调整方案</button>
            {pending && <p className="muted small">已有待报送备案的调整方案（{pending.id}号）：登记其备案后再拟定新的方案。</p>}
          </>
        )}
      </form>
      <h2>调整方案</h2>
      {view.proposals.length === 0 && <p className="muted">尚无调整方案。</p>}
      <ul className="plain-list" data-testid="catalog-proposals">
        {view.proposals.map((p) => (
          <li key={p.id} data-testid="catalog-proposal">
            <strong>{p.id}号</strong>（基于第{p.baseVersion}版，{p.by}）：{p.note}。
            <span>{p.state === 'filed' ? `已报送备案，第${p.filing?.catalogVersion ?? ''}版生效（${p.filing?.filedOn ?? ''}，${p.filing?.recipients.join('、') ?? ''}）` : p.state === 'pending' ? '待报送备案（未生效）' : '已被新版本取代，不能生效'}</span>
            <ul>{p.changes.map((c) => <li key={c}>{c}</li>)}</ul>
            {p.filing?.responses.map((r) => <p key={r.id} className="small">{r.recipient}：{r.resultLabel}（{r.receivedOn}）{r.text}</p>)}
            {view.canManage && p.state === 'pending' && (
              <div data-testid="catalog-file-form">
                <Field label="报送备案日期" required>{(id) => <DateInput id={id} value={filing.filedOn} onChange={(d) => setFiling({ ...filing, filedOn: d })} testId="catalog-file-date" />}</Field>
                <Field label="备案接收机关（每行一个）" required>{(id) => <textarea id={id} rows={2} data-testid="catalog-file-recipients" value={filing.recipients} onChange={(e) => setFiling({ ...filing, recipients: e.target.value })} />}</Field>
                <button type="button" data-testid="catalog-file" disabled={busy} onClick={() => void file(p.id)}>登记报送备案（新版本生效）</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <h2>版本</h2>
      <table className="table" data-testid="catalog-versions">
        <thead><tr><th>版本</th><th>生效时间</th><th>事项数</th><th>说明</th></tr></thead>
        <tbody>{view.versions.map((v) => <tr key={v.version}><td>第{v.version}版</td><td>{v.createdAt.slice(0, 10)}</td><td>{v.items}</td><td>{v.note}</td></tr>)}</tbody>
      </table>
      <Notice message={notice} testId="catalog-notice" />
      <ErrorBox message={error} testId="catalog-error" />
    </section>
  );
}
