// 案卷与归档: after 办结 the handler assembles the case file and hands it to a custodian (档案管理员); the
// custodian receives it; later material is a supplement (补充归档). The case file itself is frozen: the
// card shows its 卷内目录 and offers 案卷.pdf for download. The core checks every rule again
// (services/caseFiles.ts); a whole export with the originals and the SHA-256 manifest is `lrw casefile export`.
import { useEffect, useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../main/core/domain/views';
import { call } from '../api';
import { useConfirm } from './ConfirmDialog';
import { ErrorBox, Field, Notice } from './common';
import { saveBase64 } from '../files';

const KINDS: [string, string][] = [
  ['correction', '纠错或整改通知'], ['withdrawal', '撤回、撤销或变更决定'], ['inspection', '案卷评查意见'], ['other', '其他补充材料'],
];

function bytesToBase64(parts: string[]): string {
  // Concatenating base64 pieces is only safe on whole 3-byte groups: decode each, join, encode once.
  const bins = parts.map((p) => atob(p));
  return btoa(bins.join(''));
}

export function ArchiveCard({ detail, onDone }: { detail: CaseDetail; onDone: (d: CaseDetail) => void }) {
  const cf = detail.caseFile;
  const [keepers, setKeepers] = useState<{ id: number; name: string }[] | null>(null);
  const [keeper, setKeeper] = useState('');
  const [note, setNote] = useState('');
  const [kind, setKind] = useState('correction');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();

  useEffect(() => {
    if (!cf?.canArchive) return;
    void call('archive.custodians', {}).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setKeepers(r.value);
      if (r.value.length === 1) setKeeper(String(r.value[0].id));
    });
  }, [cf?.canArchive, detail.id]);

  if (!cf) return null;
  const a = cf.archived;

  async function archive(ev: FormEvent) {
    ev.preventDefault();
    const name = keepers?.find((k) => String(k.id) === keeper)?.name ?? '';
    if (!(await ask({ title: '确认组卷归档？', message: `将生成案卷（封面、卷内目录、全部文书和记录）并移交档案管理员${name}。归档后案卷内容不能修改，此后的材料只能补充归档。`, confirmLabel: '确认归档', okTestId: 'archive-confirm' }))) return;
    setBusy('archive');
    setError(null);
    setNotice('正在组卷，生成案卷 PDF，请稍候…');
    const res = await call('archive.transfer', { caseId: detail.id, custodianId: Number(keeper) });
    setBusy(null);
    setNotice(null);
    if (!res.ok) return setError(res.error.message);
    setNotice(`已归档，移交档案管理员${name}。`);
    onDone(res.value);
  }

  async function receive() {
    if (!(await ask({ title: '确认接收案卷？', message: '接收记入全过程记录。请先核对卷内目录与案卷内容。', confirmLabel: '确认接收', okTestId: 'archive-confirm' }))) return;
    setBusy('receive');
    setError(null);
    const res = await call('archive.receive', { caseId: detail.id, note });
    setBusy(null);
    if (!res.ok) return setError(res.error.message);
    setNote('');
    setNotice('已接收案卷。');
    onDone(res.value);
  }

  async function supplement(ev: FormEvent) {
    ev.preventDefault();
    if (!(await ask({ title: '确认补充归档？', message: '补充材料作为新的一件列入卷内目录，记入全过程记录后不能修改或删除。', confirmLabel: '确认补充', okTestId: 'archive-confirm' }))) return;
    setBusy('supplement');
    setError(null);
    const res = await call('archive.supplement', { caseId: detail.id, kind: kind as 'correction', title, text, files: [] });
    setBusy(null);
    if (!res.ok) return setError(res.error.message);
    setTitle('');
    setText('');
    setNotice('已补充归档。');
    onDone(res.value);
  }

  async function downloadPdf() {
    if (!a) return;
    setBusy('download');
    setError(null);
    const parts: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const r: Awaited<ReturnType<typeof call<'casefile.chunk'>>> = await call('casefile.chunk', { caseId: detail.id, sha256: a.manifest.pdf.sha256, offset });
      if (!r.ok) {
        setBusy(null);
        return setError(r.error.message);
      }
      parts.push(r.value.base64);
      offset = r.value.next;
    }
    setBusy(null);
    saveBase64(`${detail.caseNo} 案卷.pdf`, bytesToBase64(parts));
  }

  return (
    <section className="card archive-card" data-testid="archive-card" aria-labelledby="archive-title">
      {confirmDialog}
      <h2 className="card-title" id="archive-title">
        案卷与归档
        <span className="muted small" data-testid="archive-status">
          {a ? `已归档，档案管理员：${a.custodian}${a.received ? '（已接收）' : '（待接收）'}` : '已办结，待组卷归档（办结后30日内）'}
        </span>
      </h2>
      {cf.canArchive && (
        <form onSubmit={(ev) => void archive(ev)} data-testid="archive-form">
          {keepers && keepers.length === 0 && <p className="notice-box" role="status">本机关还没有“档案管理员”角色的用户：请安全管理员为档案管理人员授予该角色后再归档。</p>}
          <Field label="移交档案管理员" required>
            {(id) => (
              <select id={id} data-testid="archive-custodian" value={keeper} onChange={(e) => setKeeper(e.target.value)} required>
                <option value="">请选择</option>
                {(keepers ?? []).map((k) => <option key={k.id} value={k.id}>{k.name}</option>)}
              </select>
            )}
          </Field>
          <button type="submit" data-testid="archive-submit" disabled={!keeper || busy !== null}>{busy === 'archive' ? '正在组卷…' : '组卷归档'}</button>
        </form>
      )}
      {a && (
        <>
          <table className="table" data-testid="archive-index">
            <caption className="muted small">卷内目录（案卷.pdf 共{a.manifest.pdf.pages}页，归档于{a.manifest.archivedOn}）</caption>
            <thead><tr><th>序号</th><th>题名</th><th>日期</th><th>页号</th></tr></thead>
            <tbody>
              {a.manifest.entries.map((e) => (
                <tr key={e.no}><td>{e.no}</td><td>{e.title}</td><td>{e.date}</td><td>{e.pages ? (e.pages.from === e.pages.to ? e.pages.from : `${e.pages.from}—${e.pages.to}`) : '原件'}</td></tr>
              ))}
              {a.supplements.map((s) => (
                <tr key={`s${s.id}`} data-testid="archive-supplement-row"><td>{s.no}</td><td>{s.title}（补充归档：{s.kindLabel}）</td><td>{s.at.slice(0, 10)}</td><td>补充</td></tr>
              ))}
            </tbody>
          </table>
          <button type="button" data-testid="archive-download" disabled={busy !== null} onClick={() => void downloadPdf()}>{busy === 'download' ? '正在下载…' : '下载案卷 PDF'}</button>
          <p className="muted small">含原件与 SHA-256 清单的完整导出：lrw casefile export {detail.id} --out 目录；核对：lrw casefile verify 目录。</p>
        </>
      )}
      {cf.canReceive && (
        <div data-testid="archive-receive-box">
          <Field label="接收说明（可选，如纸质卷存放位置）">
            {(id) => <input id={id} data-testid="archive-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />}
          </Field>
          <button type="button" data-testid="archive-receive" disabled={busy !== null} onClick={() => void receive()}>接收案卷</button>
        </div>
      )}
      {cf.canSupplement && (
        <form onSubmit={(ev) => void supplement(ev)} data-testid="archive-supplement-form">
          <h3>补充归档</h3>
          <Field label="类别">
            {(id) => (
              <select id={id} data-testid="supplement-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
                {KINDS.map(([k, l]) => <option key={k} value={k}>{l}</option>)}
              </select>
            )}
          </Field>
          <Field label="材料题名" required>{(id) => <input id={id} data-testid="supplement-title" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required />}</Field>
          <Field label="内容说明" required>{(id) => <textarea id={id} data-testid="supplement-text" value={text} onChange={(e) => setText(e.target.value)} rows={3} required />}</Field>
          <button type="submit" data-testid="supplement-submit" disabled={busy !== null}>补充归档</button>
        </form>
      )}
      <Notice message={notice} testId="archive-notice" />
      <ErrorBox message={error} testId="archive-error" />
    </section>
  );
}
