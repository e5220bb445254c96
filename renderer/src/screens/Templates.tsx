// 文书模板 (administrator): the shipped templates and the administrator's copies; one template's source in
// a plain text editor with the field table beside it. The core checks a copy before keeping it and refuses
// a broken one with the line and column: that message is shown as it is, and the text stays as typed.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TemplateSummary } from '../../../main/core/domain/views';
import type { LayoutProfile } from '../../../main/core/domain/types';
import { call } from '../api';
import { ErrorBox, Loading, Notice } from '../components/common';
import { fmtDateTime } from '../format';
import { DECISION_KIND_LABELS, LAYOUT_PROFILES, LAYOUT_PROFILE_HINTS, LAYOUT_PROFILE_LABELS } from '../labels';
import { navigate } from '../router';
import type { TemplateField } from '../caseFields';
import { TEMPLATE_KIND_LABELS } from './CaseDocuments';
import '../drafting.css';

const TYPE_LABELS: Record<string, string> = {
  text: '文字',
  number: '数字',
  money: '金额（分）',
  date: '日期',
  datetime: '时间',
  bool: '是/否',
  list: '列表',
  object: '分组',
};

export function Templates() {
  const [list, setList] = useState<TemplateSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('templates.list', {}).then((r) => (r.ok ? setList(r.value) : setError(r.error.message)));
  }, []);
  if (error) return <ErrorBox message={error} />;
  if (!list) return <Loading />;
  return (
    <div className="page" data-testid="templates-page">
      <div className="page-head">
        <h1>文书模板</h1>
        <span className="muted small">修改后的模板用于此后生成的文书；已保存的文书版本不受影响。</span>
      </div>
      <table className="table" data-testid="templates-table">
        <thead>
          <tr>
            <th scope="col">文书</th>
            <th scope="col">标识</th>
            <th scope="col">类别</th>
            <th scope="col">适用决定类型</th>
            <th scope="col">来源</th>
            <th scope="col">版式</th>
            <th scope="col">修订人 / 时间</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {list.map((t) => (
            <tr key={t.id} data-testid="template-row" data-template-id={t.id}>
              <td>
                {t.title}
                {t.description && <div className="muted small template-desc">{t.description}</div>}
              </td>
              <td className="mono nowrap">{t.id}</td>
              <td className="nowrap">{TEMPLATE_KIND_LABELS[t.kind]}</td>
              <td>{t.applies ? t.applies.map((k) => DECISION_KIND_LABELS[k]).join('、') : '全部'}</td>
              <td className="nowrap" data-testid="template-origin">
                {t.origin === 'custom' ? <span className="badge-custom">管理员修订</span> : '出厂模板'}
              </td>
              <td>
                <LayoutChoice t={t} onSaved={(saved) => setList((l) => l && l.map((x) => ({ ...x, layoutVersion: saved.version, ...(x.id === saved.templateId && { layout: saved.layout }) })))} />
              </td>
              <td className="nowrap">{t.savedBy ? `${t.savedBy} · ${fmtDateTime(t.savedAt)}` : '—'}</td>
              <td>
                <a
                  href={`#/templates/${t.id}`}
                  data-testid="template-open"
                  onClick={(e) => {
                    e.preventDefault();
                    navigate({ name: 'template', templateId: t.id });
                  }}
                >
                  编辑
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "第12行第5列" in the core's message → the offset of that place in the text. */
/**
 * The template's layout profile (services/documentLayout.ts): GB/T 9704 by default, or the enforcement
 * document format; chosen by an administrator, applied to documents rendered and issued from then on.
 */
function LayoutChoice({ t, onSaved }: { t: TemplateSummary; onSaved: (v: { templateId: string; layout: LayoutProfile; version: number }) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <select
        aria-label={`“${t.title}”的版式`}
        data-testid={`template-layout-${t.id}`}
        value={t.layout}
        disabled={busy}
        onChange={async (e) => {
          setBusy(true);
          setError(null);
          const r = await call('templates.setLayout', { templateId: t.id, layout: e.target.value as LayoutProfile, expectedVersion: t.layoutVersion });
          setBusy(false);
          if (r.ok) onSaved(r.value);
          else setError(r.error.message);
        }}
      >
        {LAYOUT_PROFILES.map((p) => (
          <option key={p} value={p}>
            {LAYOUT_PROFILE_LABELS[p]}
          </option>
        ))}
      </select>
      <div className="muted small">{LAYOUT_PROFILE_HINTS[t.layout]}</div>
      <ErrorBox message={error} testId={`template-layout-error-${t.id}`} />
    </div>
  );
}

function offsetOf(source: string, message: string): number | null {
  const m = /第(\d+)行第(\d+)列/.exec(message);
  if (!m) return null;
  const lines = source.split('\n');
  const line = Number(m[1]);
  if (line < 1 || line > lines.length) return null;
  let off = 0;
  for (let i = 0; i < line - 1; i++) off += lines[i].length + 1;
  return off + Math.max(0, Math.min(Number(m[2]) - 1, lines[line - 1].length));
}

function lineCol(source: string, offset: number): { line: number; col: number } {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

export function TemplateEditor({ templateId }: { templateId: string }) {
  const [tpl, setTpl] = useState<(TemplateSummary & { source: string }) | null>(null);
  const [source, setSource] = useState('');
  const [fields, setFields] = useState<TemplateField[]>([]);
  const [note, setNote] = useState('');
  const [filter, setFilter] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [caret, setCaret] = useState({ line: 1, col: 1 });
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      const [t, f] = await Promise.all([call('templates.get', { templateId }), call('templates.fields', {})]);
      if (!live) return;
      if (!t.ok) return setLoadError(t.error.message);
      setTpl(t.value);
      setSource(t.value.source);
      if (f.ok) setFields(f.value);
    })();
    return () => {
      live = false;
    };
  }, [templateId]);

  const shown = useMemo(() => {
    const q = filter.trim();
    return fields.filter((f) => !q || f.path.includes(q) || f.label.includes(q));
  }, [fields, filter]);

  const dirty = tpl !== null && source !== tpl.source;

  function updateCaret() {
    const el = area.current;
    if (el) setCaret(lineCol(el.value, el.selectionStart));
  }

  function goTo(offset: number) {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(offset, offset);
    // Scroll the line into view: a rough line height is enough.
    const line = lineCol(el.value, offset).line;
    const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
    el.scrollTop = Math.max(0, (line - 5) * lh);
    updateCaret();
  }

  function insertField(path: string) {
    const el = area.current;
    // Inside {{#each list}} an item's fields are written by name, the item itself as {{this}}.
    const name = path.includes('[]') ? (path.endsWith('[]') ? 'this' : path.slice(path.lastIndexOf('[].') + 3)) : path;
    const text = `{{${name}}}`;
    const start = el ? el.selectionStart : source.length;
    const end = el ? el.selectionEnd : source.length;
    const next = source.slice(0, start) + text + source.slice(end);
    setSource(next);
    requestAnimationFrame(() => {
      if (!area.current) return;
      area.current.focus();
      area.current.setSelectionRange(start + text.length, start + text.length);
      updateCaret();
    });
  }

  async function save() {
    setBusy(true);
    setError(null);
    setNotice(null);
    const res = await call('templates.save', { templateId, source, note: note.trim() });
    setBusy(false);
    if (!res.ok) {
      // The text stays exactly as typed; the caret goes to the place the core named.
      setError(res.error.message);
      const off = offsetOf(source, res.error.message);
      if (off !== null) goTo(off);
      return;
    }
    setTpl({ ...res.value, source });
    setNote('');
    setNotice(`已保存模板“${res.value.title}”（${fmtDateTime(res.value.savedAt)}），此后生成的文书使用新模板。`);
  }

  if (loadError) return <ErrorBox message={loadError} />;
  if (!tpl) return <Loading />;
  const errorOffset = error ? offsetOf(source, error) : null;

  return (
    <div className="page" data-testid="template-editor-page" data-template-id={templateId}>
      <div className="page-head">
        <div>
          <a
            href="#/templates"
            className="back-link"
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'templates' });
            }}
          >
            ← 文书模板
          </a>
          <h1>
            {tpl.title} <span className="muted small mono">{tpl.id}.txt</span>
          </h1>
        </div>
        <span className="muted small" data-testid="template-meta">
          {tpl.origin === 'custom' ? `管理员修订：${tpl.savedBy ?? ''} · ${fmtDateTime(tpl.savedAt)}` : '出厂模板'}
          {dirty ? '　（有未保存的修改）' : ''}
        </span>
      </div>
      <ErrorBox message={error} testId="template-error" />
      {error && errorOffset !== null && (
        <button type="button" className="btn-link" data-testid="template-error-goto" onClick={() => goTo(errorOffset)}>
          跳到出错位置
        </button>
      )}
      <Notice message={notice} testId="template-notice" />
      <div className="template-grid">
        <div className="template-main">
          <textarea
            ref={area}
            className="template-source"
            value={source}
            spellCheck={false}
            aria-label="模板内容"
            data-testid="template-source"
            onChange={(e) => {
              setSource(e.target.value);
              updateCaret();
            }}
            onSelect={updateCaret}
            onKeyUp={updateCaret}
            onClick={updateCaret}
          />
          <div className="template-status muted small" data-testid="template-caret">
            第{caret.line}行第{caret.col}列 · 共{source.split('\n').length}行
          </div>
          <div className="actions">
            <label className="note-field">
              修订说明
              <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="template-note" placeholder="例如：增加份数说明" />
            </label>
            <button type="button" className="btn-primary" disabled={busy || !dirty} data-testid="template-save" onClick={() => void save()}>
              {busy ? '正在检查并保存……' : '检查并保存'}
            </button>
            <button type="button" disabled={busy || !dirty} data-testid="template-revert" onClick={() => (setSource(tpl.source), setError(null))}>
              撤销全部修改
            </button>
          </div>
        </div>
        <aside className="template-side card" data-testid="field-reference">
          <h2 className="card-title">模板字段表</h2>
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="查找字段，如 party、当事人" aria-label="查找字段" data-testid="field-filter" />
          <p className="muted small">点击字段名插入到光标处。标“可能为空”的字段须放在 {'{{#if 字段}}'} 中，或加 fill / or。</p>
          <ul className="field-ref" data-testid="field-ref-list">
            {shown.map((f) => (
              <li key={f.path} data-testid="field-ref" data-path={f.path}>
                <button type="button" className="btn-link mono" onClick={() => insertField(f.path)} title={`插入 {{${f.path}}}`}>
                  {f.path}
                </button>
                <span className="field-ref-label">{f.label}</span>
                <span className="muted small">
                  {TYPE_LABELS[f.type] ?? f.type}
                  {f.optional ? '，可能为空' : ''}
                </span>
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </div>
  );
}
