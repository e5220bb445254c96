// 起草文书: one document of a case in a rich-text editor. Pre-filled from the template (documents.preview)
// or the latest saved version; autosaved to drafts; versions (documents.save), 定稿 (documents.finalize, the
// core's refusal shown verbatim), the completeness check, case fields and reasoning clauses to insert, the
// penalty decision's drafting fields, and version comparison with a Word file of tracked changes.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import type { AppStatus, CaseDetail, ClauseView, DocumentPreview, DocumentVersionView, SessionView, TemplateSummary } from '../../../main/core/domain/views';
import type { DocModel } from '../../../main/core/documents/model';
import type { ModelDiff } from '../../../main/core/documents/diff';
import { call } from '../api';
import { AutosaveIndicator, ErrorBox, Field, Loading, Notice, StaleBox, useAutosave } from '../components/common';
import { ModelDiffView } from '../components/DiffView';
import { useConfirm } from '../components/ConfirmDialog';
import { WorkClock } from '../components/Clock';
import { IssuePanel, type IssuedFile } from '../components/IssuePanel';
import { countChars, editorToModel, markerLabels, modelToEditor, sameModel, type EditorNode } from '../docmodel';
import { fieldValues, insertableFields, type TemplateField } from '../caseFields';
import { docExtensions } from '../editor/extensions';
import { fmtDateTime, fmtTime, todayCst } from '../format';
import { navigate } from '../router';
import { TEMPLATE_KIND_LABELS } from './CaseDocuments';
import '../drafting.css';

const DRAFT_VERSION = 1;
const CLAUSE_CATEGORIES = ['事理', '法理', '情理'] as const;
type ClauseCategory = (typeof CLAUSE_CATEGORIES)[number];
const CLAUSE_HINTS: Record<ClauseCategory, string> = {
  事理: '认定事实、采信证据的道理',
  法理: '适用法律、行使裁量的理由',
  情理: '结合情节、社会效果的说明',
};
/** Roles with permission clauses.manage in the core. */
const CLAUSE_MANAGERS = ['reviewer', 'legal_head'];

// ---- the penalty decision's drafting fields (DecisionDraft in main/core/documents/fields.ts) ----

interface DraftFieldSpec {
  key: string;
  label: string;
  required?: boolean;
  multiline?: boolean;
  number?: boolean;
  hint?: string;
}

const DECISION_FIELDS: DraftFieldSpec[] = [
  { key: 'facts', label: '违法事实', multiline: true, hint: '留空则采用送审材料中的违法事实' },
  { key: 'evidence', label: '主要证据（每行一项）', multiline: true, hint: '留空则采用送审材料中的证据清单' },
  { key: 'procedureSummary', label: '案件办理的主要程序', multiline: true, hint: '留空则按送审材料中的程序生成' },
  { key: 'legalReasoning', label: '法律适用理由', required: true, multiline: true, hint: '说明行为违反的规定、适用的罚则和裁量理由' },
  { key: 'statements', label: '当事人陈述、申辩的内容', multiline: true },
  { key: 'defenceReasoning', label: '对陈述、申辩的采纳情况及理由', required: true, multiline: true, hint: '逐项说明采纳或者不予采纳的理由；当事人未陈述申辩的，写明这一情况' },
  { key: 'penaltyKind', label: '行政处罚的种类和内容', multiline: true, hint: '留空则采用拟作出的决定' },
  { key: 'penaltyBasis', label: '行政处罚的依据', hint: '留空则采用送审材料中的法律依据' },
  { key: 'performanceManner', label: '履行方式', required: true, multiline: true },
  { key: 'performanceDeadline', label: '履行期限', required: true },
  { key: 'paymentAccount', label: '缴款账户或地点' },
  { key: 'reconsiderationOrgan', label: '行政复议机关', required: true },
  { key: 'reconsiderationDays', label: '申请行政复议的期限（日）', number: true, hint: '默认六十日，不得少于六十日' },
  { key: 'court', label: '管辖的人民法院', required: true },
  { key: 'litigationMonths', label: '提起行政诉讼的期限（月）', number: true, hint: '默认六个月，不得少于六个月' },
  // 起草记录 (《行政执法全过程记录实施办法》第十六条): required at 定稿 with the basis and evidence above.
  { key: 'drafter', label: '起草记录：起草人', required: true, hint: '起草本决定文书的人员' },
  { key: 'draftReviewer', label: '起草记录：起草机构审查人', required: true, hint: '起草机构中审查本稿的人员，不能是起草人本人' },
  { key: 'factors', label: '起草记录：应考虑的有关因素', required: true, multiline: true, hint: '如违法情节和后果、从轻从重情节、当事人的陈述申辩、适用的裁量基准档次等' },
];

type DraftForm = Record<string, string>;

/** The form's strings as a DecisionDraft: empty fields left out, evidence one per line, numbers parsed. */
function toDecisionDraft(f: DraftForm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of DECISION_FIELDS) {
    const v = (f[spec.key] ?? '').trim();
    if (!v) continue;
    if (spec.key === 'evidence') {
      const items = v.split('\n').map((x) => x.trim()).filter(Boolean);
      if (items.length) out.evidence = items;
    } else if (spec.number) {
      const n = Number(v);
      if (Number.isInteger(n) && n > 0) out[spec.key] = n;
    } else out[spec.key] = v;
  }
  return out;
}

function fromDecisionDraft(d: Record<string, unknown> | null | undefined): DraftForm {
  const f: DraftForm = {};
  if (!d) return f;
  for (const spec of DECISION_FIELDS) {
    const v = d[spec.key];
    if (Array.isArray(v)) f[spec.key] = v.map(String).join('\n');
    else if (typeof v === 'string' || typeof v === 'number') f[spec.key] = String(v);
  }
  return f;
}

// ---- the page ----

interface Loaded {
  detail: CaseDetail;
  template: TemplateSummary;
  fields: TemplateField[];
  clauses: ClauseView[];
  status: AppStatus | null;
  /** Body shown when the editor first opens. */
  initial: DocModel;
  restored: { savedAt: string; since: number | null } | null;
}

type Completeness = { source: 'preview' | 'finalize'; at: string; placeholders: DocumentPreview['placeholders']; missing: DocumentPreview['missing'] };

interface SavedDraft {
  v: number;
  model: DocModel;
  draft: DraftForm;
}

const draftKeyOf = (caseId: number, templateId: string) => `doc:${caseId}:${templateId}`;
const emptyToUndef = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

export function DraftingPage({ caseId, templateId, session }: { caseId: number; templateId: string; session: SessionView }) {
  const draftKey = draftKeyOf(caseId, templateId);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [versions, setVersions] = useState<DocumentVersionView[]>([]);
  const [base, setBase] = useState<DocModel | null>(null);
  const [body, setBody] = useState<EditorNode | null>(null);
  const [draft, setDraft] = useState<DraftForm>({});
  const [completeness, setCompleteness] = useState<Completeness | null>(null);
  const [offer, setOffer] = useState<DocModel | null>(null);
  const [bodyEdited, setBodyEdited] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<null | 'save' | 'finalize'>(null);
  const [error, setError] = useState<string | null>(null);
  const [finalizeError, setFinalizeError] = useState<string | null>(null);
  // A version saved at another desk since this one read the list (STALE): shown with 重新载入.
  const [stale, setStale] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();
  const [editor, setEditor] = useState<Editor | null>(null);
  const programmatic = useRef(false);
  const isPenalty = templateId === 'penalty-decision';

  const model = useMemo<DocModel | null>(() => (base && body ? editorToModel(body, base) : null), [base, body]);
  const decisionDraft = useMemo(() => toDecisionDraft(draft), [draft]);
  const autosaveValue = useMemo(() => ({ model, draft }), [model, draft]);
  const autosave = useAutosave(autosaveValue, (v) =>
    call('drafts.save', { key: draftKey, json: JSON.stringify({ v: DRAFT_VERSION, model: v.model, draft: v.draft }) }),
  );

  // ---- loading ----
  useEffect(() => {
    let live = true;
    void (async () => {
      const [d, tl, vs, dr, fl, cl, st] = await Promise.all([
        call('cases.get', { caseId }),
        call('templates.list', {}),
        call('documents.versions', { caseId, templateId }),
        call('drafts.load', { key: draftKey }),
        call('templates.fields', {}),
        call('clauses.list', {}),
        call('app.status', {}),
      ]);
      if (!live) return;
      for (const r of [d, tl, vs, dr, fl, cl]) if (!r.ok) return setLoadError(r.error.message);
      if (!d.ok || !tl.ok || !vs.ok || !dr.ok || !fl.ok || !cl.ok) return;
      const template = tl.value.find((t) => t.id === templateId);
      if (!template) return setLoadError(`没有标识为“${templateId}”的文书模板。`);
      const latest = vs.value[vs.value.length - 1];
      let saved: SavedDraft | null = null;
      if (dr.value) {
        try {
          const p = JSON.parse(dr.value.json) as SavedDraft;
          if (p.v === DRAFT_VERSION && p.model && Array.isArray(p.model.blocks)) saved = p;
        } catch {
          /* an unreadable draft is ignored */
        }
      }
      // The autosaved draft wins only when it is newer than the last saved version.
      const useSaved = !!(saved && dr.value && (!latest || Date.parse(dr.value.savedAt) > Date.parse(latest.savedAt)));
      const form = useSaved ? (saved!.draft ?? {}) : fromDecisionDraft(latest?.draft);
      const pv = await call('documents.preview', { caseId, templateId, ...(isPenalty && Object.keys(toDecisionDraft(form)).length ? { draft: toDecisionDraft(form) } : {}) });
      if (!live) return;
      if (!pv.ok) return setLoadError(pv.error.message);
      const initial = useSaved ? saved!.model : latest ? latest.model : pv.value.model;
      setVersions(vs.value);
      setDraft(form);
      setBase({ ...initial, blocks: [] });
      setBody(modelToEditor(initial));
      setCompleteness({ source: 'preview', at: new Date().toISOString(), placeholders: pv.value.placeholders, missing: pv.value.missing });
      if (useSaved && dr.value) autosave.setSavedAt(dr.value.savedAt);
      setLoaded({
        detail: d.value,
        template,
        fields: fl.value,
        clauses: cl.value,
        status: st.ok ? st.value : null,
        initial,
        restored: useSaved && dr.value ? { savedAt: dr.value.savedAt, since: latest?.version ?? null } : null,
      });
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId, templateId]);

  const modelRef = useRef<DocModel | null>(null);
  modelRef.current = model;

  // ---- penalty decision: re-run the preview with the drafting fields, offer the new body ----
  const previewSeq = useRef(0);
  const draftTouched = useRef(false);
  useEffect(() => {
    if (!isPenalty || !loaded || !draftTouched.current) return;
    const seq = ++previewSeq.current;
    const t = setTimeout(() => {
      void (async () => {
        const pv = await call('documents.preview', { caseId, templateId, draft: decisionDraft });
        if (seq !== previewSeq.current) return;
        if (!pv.ok) return setError(pv.error.message);
        setCompleteness({ source: 'preview', at: new Date().toISOString(), placeholders: pv.value.placeholders, missing: pv.value.missing });
        setOffer(modelRef.current && sameModel(modelRef.current, pv.value.model) ? null : pv.value.model);
      })();
    }, 500);
    return () => clearTimeout(t);
  }, [decisionDraft, isPenalty, loaded, caseId, templateId]);

  // ---- edits ----
  const onBodyChange = useCallback(
    (json: EditorNode) => {
      setBody(json);
      autosave.touch();
      if (!programmatic.current) setBodyEdited(true);
    },
    [autosave.touch], // eslint-disable-line react-hooks/exhaustive-deps
  );

  function editBase(patch: Partial<DocModel> | ((b: DocModel) => Partial<DocModel>)) {
    autosave.touch();
    setBase((b) => (b ? { ...b, ...(typeof patch === 'function' ? patch(b) : patch) } : b));
  }

  function editDraft(key: string, value: string) {
    autosave.touch();
    draftTouched.current = true;
    setDraft((f) => ({ ...f, [key]: value }));
  }

  /** Replaces the whole document (refresh from the template, or a saved version); undoable in the editor. */
  function replaceModel(m: DocModel) {
    if (!editor) return;
    setBase({ ...m, blocks: [] });
    programmatic.current = true;
    editor.commands.setContent(modelToEditor(m) as never, { emitUpdate: true });
    programmatic.current = false;
    setBody(editor.getJSON() as EditorNode);
    autosave.touch();
    setBodyEdited(false);
  }

  // ---- versions, finalisation ----
  const reloadVersions = useCallback(async () => {
    const vs = await call('documents.versions', { caseId, templateId });
    if (vs.ok) setVersions(vs.value);
    return vs.ok ? vs.value : null;
  }, [caseId, templateId]);

  /** 重新载入 after STALE: the versions as they are now; the editor keeps this desk's text (nothing typed is lost). */
  async function reloadAfterStale() {
    const vs = await reloadVersions();
    if (!vs) return;
    setStale(null);
    const latest = vs[vs.length - 1];
    if (latest) setNotice(`已载入最新的版本列表：第${latest.version}版（${latest.savedBy}，${fmtDateTime(latest.savedAt)}）。编辑器中仍是您的内容，可在“版本”中查看或载入第${latest.version}版；再次保存即成为新的版本。`);
  }

  async function clearDraft() {
    autosave.reset();
    await autosave.idle();
    await call('drafts.clear', { key: draftKey });
  }

  async function saveVersion(noteText: string): Promise<DocumentVersionView | null> {
    const m = modelRef.current;
    if (!m) return null;
    const res = await call('documents.save', {
      caseId,
      templateId,
      model: { ...m, docNumber: emptyToUndef(m.docNumber), recipient: emptyToUndef(m.recipient) },
      ...(isPenalty ? { draft: decisionDraft } : {}),
      note: noteText,
      // The latest version this desk has seen: one saved elsewhere since is not buried under this one.
      expectedVersion: versions[versions.length - 1]?.version ?? 0,
    });
    if (!res.ok) {
      if (res.error.code === 'STALE') setStale(res.error.message);
      else setError(res.error.message);
      return null;
    }
    setStale(null);
    await clearDraft();
    await reloadVersions();
    setLoaded((l) => (l ? { ...l, restored: null } : l));
    return res.value;
  }

  async function onSaveVersion() {
    if (busy) return;
    setBusy('save');
    setError(null);
    setNotice(null);
    const v = await saveVersion(note.trim());
    setBusy(null);
    if (v) {
      setNote('');
      setNotice(`已保存第${v.version}版（${fmtDateTime(v.savedAt)}）。`);
    }
  }
  const saveRef = useRef(onSaveVersion);
  saveRef.current = onSaveVersion;

  async function onFinalize() {
    if (busy || !model) return;
    setBusy('finalize');
    setError(null);
    setNotice(null);
    setFinalizeError(null);
    const latest = versions[versions.length - 1];
    const draftChanged = isPenalty && JSON.stringify(latest?.draft ?? {}) !== JSON.stringify(decisionDraft);
    const unchanged = !!latest && sameModel(latest.model, { ...model, docNumber: emptyToUndef(model.docNumber), recipient: emptyToUndef(model.recipient) }) && !draftChanged;
    if (unchanged && latest.final) {
      // Already final and not edited since: another 定稿 would only repeat the same version.
      setBusy(null);
      setNotice(`第${latest.version}版已经定稿${latest.docNumber ? `（文号：${latest.docNumber}）` : ''}，内容没有改动。`);
      return;
    }
    // What 定稿 fixes for good, as the core reckons it (is the text still the template's pre-fill? a number?).
    const check = await call('documents.finalizeCheck', { caseId, templateId, model: { ...model, docNumber: emptyToUndef(model.docNumber), recipient: emptyToUndef(model.recipient) } });
    if (!check.ok) {
      setBusy(null);
      return setFinalizeError(check.error.message);
    }
    const c = check.value;
    setBusy(null); // the dialog is the question now; 正在定稿 only once confirmed
    const kindWord = c.templateKind === 'public' ? '公示文书' : '外发文书';
    const ok = await ask({
      title: '确认定稿？',
      message: c.takesNumber
        ? `定稿后本版不可修改，${kindWord}将占用本年度（${c.year}年）下一个文号。`
        : c.docNumber
          ? `定稿后本版不可修改，文号仍为${c.docNumber}；如需更正，只能修改后另行定稿新的版本。`
          : '定稿后本版不可修改；如需更正，只能修改后另行定稿新的版本。',
      ...(c.untouched && { warning: '正文与模板自动生成的内容完全相同，您没有作任何修改。请核对后再定稿。' }),
      confirmLabel: '确认定稿',
      okTestId: 'finalize-confirm',
    });
    if (!ok) return;
    setBusy('finalize');
    let basedOn = latest?.version ?? 0;
    if (!unchanged) {
      const v = await saveVersion(note.trim() || '定稿前保存');
      if (!v) return setBusy(null);
      basedOn = v.version;
    }
    // 定稿 fixes the latest version: only the one this desk has just seen or saved.
    const res = await call('documents.finalize', { caseId, templateId, note: note.trim(), expectedVersion: basedOn });
    setBusy(null);
    if (!res.ok) {
      if (res.error.code === 'STALE') return setStale(res.error.message);
      setFinalizeError(res.error.message);
      const det = res.error.details as { missing?: DocumentPreview['missing']; placeholders?: DocumentPreview['placeholders'] } | undefined;
      if (det && (Array.isArray(det.missing) || Array.isArray(det.placeholders))) {
        setCompleteness({ source: 'finalize', at: new Date().toISOString(), missing: det.missing ?? [], placeholders: det.placeholders ?? [] });
      }
      return;
    }
    setNote('');
    setCompleteness({ source: 'finalize', at: new Date().toISOString(), missing: [], placeholders: [] });
    if (res.value.model.docNumber !== undefined) setBase((b) => (b ? { ...b, docNumber: res.value.model.docNumber } : b));
    await reloadVersions();
    await clearDraft();
    setNotice(`已定稿（第${res.value.version}版）${res.value.docNumber ? `，文号：${res.value.docNumber}` : ''}。`);
  }

  // Ctrl+S saves a version.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void saveRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function discardRestored() {
    await clearDraft();
    const latest = versions[versions.length - 1];
    if (latest) replaceModel(latest.model);
    setDraft(fromDecisionDraft(latest?.draft));
    autosave.reset();
    setLoaded((l) => (l ? { ...l, restored: null } : l));
  }

  if (loadError) return <ErrorBox message={loadError} testId="drafting-error" />;
  if (!loaded || !base || !body || !model) return <Loading />;

  const { detail, template } = loaded;
  // The authority table as the core evaluated it for me on this case (the core checks again on every call).
  const rights = detail.documentRights?.[templateId];
  const latest = versions[versions.length - 1];
  const finalVersion = [...versions].reverse().find((v) => v.final);
  // 定稿 done and nothing changed since: the button rests, the result beside it.
  const finalUnchanged =
    !!latest?.final &&
    sameModel(latest.model, { ...model, docNumber: emptyToUndef(model.docNumber), recipient: emptyToUndef(model.recipient) }) &&
    !(isPenalty && JSON.stringify(latest.draft ?? {}) !== JSON.stringify(decisionDraft));
  const autoNumber = template.kind !== 'internal';
  const markers = markerLabels(autoNumber ? { ...model, docNumber: undefined } : model);
  const values = fieldValues({
    detail,
    agencyName: session.agencyName,
    docPrefix: loaded.status?.docPrefix ?? '',
    docNumber: model.docNumber,
    today: todayCst(),
    draft: decisionDraft,
  });
  const mayManageClauses = session.user.roles.some((r) => CLAUSE_MANAGERS.includes(r));

  return (
    <div className="page drafting-page" data-testid="drafting-page" data-template-id={templateId}>
      {confirmDialog}
      <div className="page-head">
        <div>
          <a
            href={`#/case/${caseId}`}
            className="back-link"
            data-testid="back-to-case"
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'case', caseId });
            }}
          >
            ← {detail.caseNo} {detail.title}
          </a>
          <h1 data-testid="drafting-title">
            起草：{template.title}
            <span className="muted small"> {TEMPLATE_KIND_LABELS[template.kind]}</span>
          </h1>
        </div>
        <WorkClock clock={detail.currentClock} testId="drafting-clock" />
        <span className="word-count" data-testid="word-count">
          字数：{countChars(model)}
        </span>
        <AutosaveIndicator state={autosave.state} savedAt={autosave.savedAt} error={autosave.error} />
      </div>

      {loaded.restored && (
        <div className="notice-box restored" data-testid="draft-restored">
          已恢复 {fmtTime(loaded.restored.savedAt)} 自动保存的内容（晚于{loaded.restored.since ? `已保存的第${loaded.restored.since}版` : '模板生成的初稿'}）。
          <button type="button" className="btn-link" data-testid="draft-discard" onClick={() => void discardRestored()}>
            放弃自动保存的内容
          </button>
        </div>
      )}

      <div className="doc-actions" data-testid="doc-actions">
        <label className="note-field">
          版本说明
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="例如：补充说理" data-testid="version-note" />
        </label>
        <button type="button" className="btn-primary" data-testid="save-version" disabled={!!busy || rights?.draft === false} onClick={() => void onSaveVersion()} title="Ctrl+S">
          {busy === 'save' ? '正在保存……' : '保存版本'}
          <kbd>Ctrl+S</kbd>
        </button>
        <button type="button" className="btn-danger" data-testid="finalize" disabled={!!busy || rights?.finalize === false || finalUnchanged} onClick={() => void onFinalize()}>
          {busy === 'finalize' ? '正在定稿……' : '定稿'}
        </button>
        {finalUnchanged && latest && (
          <span className="done-mark" data-testid="finalize-done">
            ✓ 第{latest.version}版已定稿{latest.docNumber ? `，文号${latest.docNumber}` : ''}
          </span>
        )}
        <span className="muted small" data-testid="version-status">
          {latest ? `最新为第${latest.version}版（${latest.savedBy}，${fmtDateTime(latest.savedAt)}）` : '尚未保存版本'}
          {finalVersion ? `；第${finalVersion.version}版已定稿` : ''}
        </span>
      </div>
      <StaleBox message={stale} onReload={reloadAfterStale} testId="doc-stale" />
      <ErrorBox message={error} testId="doc-error" />
      <ErrorBox message={finalizeError} testId="finalize-error" />
      {rights && (!rights.draft || !rights.finalize) && rights.reason && (
        <p className="hint warn-text" data-testid="document-rights">
          {rights.reason}
        </p>
      )}
      <Notice message={notice} testId="doc-notice" />
      {finalVersion && rights?.issue !== false && <IssueHere caseId={caseId} templateId={templateId} finalVersion={finalVersion.version} />}

      {offer && (
        <div className="notice-box refresh-offer" data-testid="refresh-offer">
          处罚决定书要素已更新，可按新的要素重新生成正文。
          {bodyEdited && <strong className="warn-text">重新生成将替换您在正文中所做的修改（可按 Ctrl+Z 撤销）。</strong>}
          <button
            type="button"
            className="btn-primary btn-small"
            data-testid="refresh-body"
            onClick={() => {
              replaceModel(offer);
              setOffer(null);
              setFinalizeError(null);
              setNotice('已按处罚决定书要素重新生成正文。');
            }}
          >
            刷新正文
          </button>
          <button type="button" className="btn-small" data-testid="refresh-dismiss" onClick={() => setOffer(null)}>
            保留现有正文
          </button>
        </div>
      )}

      <div className="drafting-grid">
        <div className="drafting-main">
          <EditorToolbar
            editor={editor}
            fields={insertableFields(loaded.fields, values)}
            clauses={loaded.clauses}
            mayManageClauses={mayManageClauses}
            onClauseCreated={(c) => setLoaded((l) => (l ? { ...l, clauses: [...l.clauses, c] } : l))}
          />
          <div className="doc-paper" data-testid="doc-paper">
            <input
              className="doc-title-input"
              aria-label="文书标题"
              data-testid="doc-title"
              value={base.title}
              onChange={(e) => editBase({ title: e.target.value })}
            />
            <input
              className="doc-number-input"
              aria-label="文号"
              data-testid="doc-number"
              value={base.docNumber ?? ''}
              placeholder={template.kind === 'internal' ? '（内部文书，可不编文号）' : '（定稿时自动编号）'}
              onChange={(e) => editBase({ docNumber: e.target.value })}
            />
            <div className="doc-recipient-row">
              <input
                className="doc-recipient-input"
                aria-label="主送"
                data-testid="doc-recipient"
                value={base.recipient ?? ''}
                placeholder="主送（可空）"
                onChange={(e) => editBase({ recipient: e.target.value })}
              />
              {base.recipient ? <span>：</span> : null}
            </div>
            <DraftEditor initial={loaded.initial} onEditor={setEditor} onBodyChange={onBodyChange} />
            <div className="doc-signature">
              <input
                aria-label="落款机关"
                data-testid="sig-agency"
                value={base.signature.agency}
                onChange={(e) => editBase((b) => ({ signature: { ...b.signature, agency: e.target.value } }))}
              />
              <input
                aria-label="成文日期"
                data-testid="sig-date"
                value={base.signature.date}
                onChange={(e) => editBase((b) => ({ signature: { ...b.signature, date: e.target.value } }))}
              />
            </div>
          </div>
        </div>

        <aside className="drafting-side">
          <CompletenessPanel completeness={completeness} markers={markers} isPenalty={isPenalty} autoNumber={autoNumber} />
          {isPenalty && <DecisionForm draft={draft} onChange={editDraft} />}
          <VersionsPanel
            caseId={caseId}
            templateId={templateId}
            versions={versions}
            onLoad={(v) => {
              replaceModel(v.model);
              if (isPenalty) setDraft(fromDecisionDraft(v.draft));
              setNotice(`已将第${v.version}版载入编辑器（保存后成为新的版本）。`);
            }}
          />
        </aside>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

function DraftEditor({ initial, onEditor, onBodyChange }: { initial: DocModel; onEditor: (e: Editor | null) => void; onBodyChange: (json: EditorNode) => void }) {
  const changeRef = useRef(onBodyChange);
  changeRef.current = onBodyChange;
  const [content] = useState(() => modelToEditor(initial));
  const editor = useEditor({
    extensions: docExtensions(),
    content: content as never,
    shouldRerenderOnTransaction: false,
    editorProps: {
      attributes: {
        class: 'doc-body',
        'data-testid': 'doc-editor',
        'aria-label': '文书正文',
        'aria-multiline': 'true',
        role: 'textbox',
        spellcheck: 'false',
      },
    },
    onUpdate: ({ editor: e }) => changeRef.current(e.getJSON() as EditorNode),
  });
  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);
  return <EditorContent editor={editor} className="doc-editor" />;
}

// ---------------------------------------------------------------------------------------------

function EditorToolbar({
  editor,
  fields,
  clauses,
  mayManageClauses,
  onClauseCreated,
}: {
  editor: Editor | null;
  fields: (TemplateField & { value: string })[];
  clauses: ClauseView[];
  mayManageClauses: boolean;
  onClauseCreated: (c: ClauseView) => void;
}) {
  const [open, setOpen] = useState<null | 'fields' | 'clauses'>(null);
  const bar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      const inMenu = (e.target as HTMLElement | null)?.closest?.('.menu-wrap');
      if (!inMenu || !bar.current?.contains(inMenu)) setOpen(null);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            h1: e.isActive('heading', { level: 1 }),
            h2: e.isActive('heading', { level: 2 }),
            p: e.isActive('paragraph'),
            align: (e.getAttributes('paragraph').align as string | null) ?? null,
            noindent: e.getAttributes('paragraph').indent === false,
            canUndo: e.can().undo(),
            canRedo: e.can().redo(),
          }
        : null,
  });

  /** Inserts text at the cursor (never over a selected table); several lines become paragraphs. */
  const insertText = (text: string) => {
    if (!editor) return;
    const sel = editor.state.selection as { node?: { type: { name: string } }; to: number };
    let chain = editor.chain().focus();
    if (sel.node?.type.name === 'docTable') chain = chain.setTextSelection(sel.to).insertContent({ type: 'paragraph' });
    const lines = text.split(/\n+/).filter((l) => l.trim() !== '');
    if (lines.length <= 1) chain.insertContent({ type: 'text', text: lines[0] ?? text }).run();
    else chain.insertContent(lines.map((l) => ({ type: 'paragraph', content: [{ type: 'text', text: l }] }))).run();
    setOpen(null);
  };

  const btn = (label: string, active: boolean, run: () => void, testId: string, title?: string) => (
    <button type="button" className={`tb-btn${active ? ' active' : ''}`} aria-pressed={active} data-testid={testId} title={title} disabled={!editor} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {label}
    </button>
  );

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="编辑工具" data-testid="editor-toolbar" ref={bar}>
      <div className="tb-group">
        {btn('正文', !!state?.p, () => editor?.chain().focus().setParagraph().run(), 'tb-paragraph')}
        {btn('一级标题', !!state?.h1, () => editor?.chain().focus().setHeading({ level: 1 }).run(), 'tb-h1')}
        {btn('二级标题', !!state?.h2, () => editor?.chain().focus().setHeading({ level: 2 }).run(), 'tb-h2')}
      </div>
      <div className="tb-group">
        {btn('首行缩进', !!state?.p && !state.noindent && !state.align, () => editor?.chain().focus().updateAttributes('paragraph', { indent: state?.noindent ? null : false }).run(), 'tb-indent')}
        {btn('居中', state?.align === 'center', () => editor?.chain().focus().updateAttributes('paragraph', { align: state?.align === 'center' ? null : 'center' }).run(), 'tb-center')}
        {btn('右对齐', state?.align === 'right', () => editor?.chain().focus().updateAttributes('paragraph', { align: state?.align === 'right' ? null : 'right' }).run(), 'tb-right')}
      </div>
      <div className="tb-group">
        <button type="button" className="tb-btn" disabled={!state?.canUndo} onMouseDown={(e) => e.preventDefault()} onClick={() => editor?.chain().focus().undo().run()} title="Ctrl+Z" data-testid="tb-undo">
          撤销
        </button>
        <button type="button" className="tb-btn" disabled={!state?.canRedo} onMouseDown={(e) => e.preventDefault()} onClick={() => editor?.chain().focus().redo().run()} title="Ctrl+Y" data-testid="tb-redo">
          重做
        </button>
      </div>
      <div className="tb-group tb-insert">
        <div className="menu-wrap">
          <button type="button" className="tb-btn" aria-expanded={open === 'fields'} data-testid="insert-field" disabled={!editor} onMouseDown={(e) => e.preventDefault()} onClick={() => setOpen((o) => (o === 'fields' ? null : 'fields'))}>
            插入案件字段 ▾
          </button>
          {open === 'fields' && <FieldMenu fields={fields} onPick={insertText} onClose={() => setOpen(null)} />}
        </div>
        <div className="menu-wrap">
          <button type="button" className="tb-btn" aria-expanded={open === 'clauses'} data-testid="insert-clause" disabled={!editor} onMouseDown={(e) => e.preventDefault()} onClick={() => setOpen((o) => (o === 'clauses' ? null : 'clauses'))}>
            插入说理条目 ▾
          </button>
          {open === 'clauses' && (
            <ClauseMenu clauses={clauses} mayManage={mayManageClauses} onPick={insertText} onCreated={onClauseCreated} onClose={() => setOpen(null)} />
          )}
        </div>
      </div>
    </div>
  );
}

function FieldMenu({ fields, onPick, onClose }: { fields: (TemplateField & { value: string })[]; onPick: (text: string) => void; onClose: () => void }) {
  const [q, setQ] = useState('');
  const shown = fields.filter((f) => !q || f.label.includes(q) || f.path.includes(q) || f.value.includes(q));
  return (
    <div className="menu menu-wide" role="dialog" aria-label="插入案件字段" data-testid="field-menu" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <input autoFocus className="menu-search" placeholder="查找字段，如 当事人、罚款" value={q} onChange={(e) => setQ(e.target.value)} aria-label="查找字段" data-testid="field-search" />
      <div className="menu-scroll">
        {shown.length === 0 && <div className="menu-empty">没有匹配的字段。</div>}
        {shown.map((f) => (
          <button key={f.path} type="button" className="menu-item" data-testid="field-item" data-path={f.path} onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(f.value)}>
            <span className="menu-item-title">{f.label}</span>
            <span className="menu-item-sub">{f.value.length > 60 ? `${f.value.slice(0, 60)}…` : f.value}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

function ClauseMenu({
  clauses,
  mayManage,
  onPick,
  onCreated,
  onClose,
}: {
  clauses: ClauseView[];
  mayManage: boolean;
  onPick: (text: string) => void;
  onCreated: (c: ClauseView) => void;
  onClose: () => void;
}) {
  const [adding, setAdding] = useState(false);
  const [category, setCategory] = useState<ClauseCategory>('法理');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(null);
    const res = await call('clauses.create', { category, title, text });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onCreated(res.value);
    setAdding(false);
    setTitle('');
    setText('');
  }

  return (
    <div className="menu menu-wide" role="dialog" aria-label="插入说理条目" data-testid="clause-menu" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="menu-scroll">
        {CLAUSE_CATEGORIES.map((cat) => {
          const list = clauses.filter((c) => c.category === cat);
          return (
            <div key={cat} className="clause-group" data-testid={`clause-group-${cat}`}>
              <div className="clause-group-title">
                {cat}
                <span className="muted small">　{CLAUSE_HINTS[cat]}</span>
              </div>
              {list.length === 0 && <div className="menu-empty">暂无条目。</div>}
              {list.map((c) => (
                <button key={c.id} type="button" className="menu-item" data-testid="clause-item" data-title={c.title} onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(c.text)}>
                  <span className="menu-item-title">{c.title}</span>
                  <span className="menu-item-sub">{c.text.length > 70 ? `${c.text.slice(0, 70)}…` : c.text}</span>
                </button>
              ))}
            </div>
          );
        })}
      </div>
      {mayManage &&
        (adding ? (
          <div className="clause-form" data-testid="clause-form">
            <div className="clause-form-row">
              <select value={category} onChange={(e) => setCategory(e.target.value as ClauseCategory)} aria-label="条目类别" data-testid="clause-category">
                {CLAUSE_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="条目名称" aria-label="条目名称" data-testid="clause-title" maxLength={100} />
            </div>
            <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder="条目内容" aria-label="条目内容" data-testid="clause-text" rows={4} />
            <ErrorBox message={error} testId="clause-error" />
            <div className="actions">
              <button type="button" className="btn-primary btn-small" disabled={busy} data-testid="clause-save" onClick={() => void create()}>
                保存条目
              </button>
              <button type="button" className="btn-small" onClick={() => setAdding(false)}>
                取消
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="btn-link clause-add" data-testid="clause-add" onClick={() => setAdding(true)}>
            ＋ 新增说理条目
          </button>
        ))}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

function CompletenessPanel({
  completeness,
  markers,
  isPenalty,
  autoNumber,
}: {
  completeness: Completeness | null;
  markers: string[];
  isPenalty: boolean;
  /** External and public documents get their number from the core at 定稿: 文号 is not for the drafter to fill. */
  autoNumber: boolean;
}) {
  const missing = completeness?.missing ?? [];
  const all = completeness?.placeholders ?? [];
  const placeholders = autoNumber ? all.filter((p) => p.where !== 'docNumber') : all;
  const numberPending = autoNumber && all.some((p) => p.where === 'docNumber');
  const clean = missing.length === 0 && placeholders.length === 0;
  return (
    <section className={`card side-card ${clean && markers.length === 0 ? 'card-ok' : 'card-warn'}`} data-testid="completeness" data-clean={clean ? 'true' : 'false'}>
      <h2 className="card-title">完整性检查</h2>
      <p className="muted small" data-testid="completeness-source">
        {completeness?.source === 'finalize'
          ? `依据：定稿检查结果（${fmtTime(completeness.at)}）`
          : isPenalty
            ? `依据：按当前处罚决定书要素生成的预览（${fmtTime(completeness?.at)}）`
            : `依据：模板预览（${fmtTime(completeness?.at)}）；正文修改后以定稿检查为准`}
      </p>
      {clean ? (
        <p className="ok-text" data-testid="completeness-ok">
          未发现缺少的必备内容或待填写项。
        </p>
      ) : (
        <>
          {missing.length > 0 && (
            <>
              <h3 className="side-sub">缺少的必备内容（{missing.length}项）</h3>
              <ul className="plain-list check-list" data-testid="completeness-missing">
                {missing.map((m) => (
                  <li key={m.part} data-testid="missing-item">
                    {m.label}
                    {m.detail ? `（${m.detail}）` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
          {placeholders.length > 0 && (
            <>
              <h3 className="side-sub">待填写（{placeholders.length}处）</h3>
              <ul className="plain-list check-list" data-testid="completeness-placeholders">
                {placeholders.map((p, i) => (
                  <li key={`${p.where}-${i}`} data-testid="placeholder-item">
                    {p.label}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {numberPending && (
        <p className="muted small" data-testid="completeness-number">
          文号：定稿时由系统按年度顺序自动编排。
        </p>
      )}
      <p className={`small ${markers.length ? 'warn-text' : 'muted'}`} data-testid="local-markers" data-count={markers.length}>
        {markers.length ? `当前正文中还有${markers.length}处〔待填写〕标记：${markers.slice(0, 6).join('、')}${markers.length > 6 ? '……' : ''}` : '当前正文中没有〔待填写〕标记。'}
      </p>
    </section>
  );
}

function DecisionForm({ draft, onChange }: { draft: DraftForm; onChange: (key: string, value: string) => void }) {
  return (
    <section className="card side-card" data-testid="decision-form">
      <h2 className="card-title">处罚决定书要素</h2>
      <p className="muted small">带＊的是说理式处罚决定书必须载明的内容，以及定稿前必须填写的起草记录（全过程记录办法第十六条）。修改后系统重新生成预览，并提示是否刷新正文。</p>
      {DECISION_FIELDS.map((f) => (
        <Field key={f.key} label={f.label} required={f.required} hint={f.hint}>
          {(id) =>
            f.multiline ? (
              <textarea id={id} rows={3} value={draft[f.key] ?? ''} data-testid={`draft-${f.key}`} onChange={(e) => onChange(f.key, e.target.value)} />
            ) : (
              <input
                id={id}
                type={f.number ? 'number' : 'text'}
                min={f.number ? 1 : undefined}
                value={draft[f.key] ?? ''}
                placeholder={f.key === 'reconsiderationDays' ? '60' : f.key === 'litigationMonths' ? '6' : undefined}
                data-testid={`draft-${f.key}`}
                onChange={(e) => onChange(f.key, e.target.value)}
              />
            )
          }
        </Field>
      ))}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

function VersionsPanel({
  caseId,
  templateId,
  versions,
  onLoad,
}: {
  caseId: number;
  templateId: string;
  versions: DocumentVersionView[];
  onLoad: (v: DocumentVersionView) => void;
}) {
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<{ from: number; to: number; diff: ModelDiff } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [download, setDownload] = useState<{ name: string; url: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const n = versions.length;
  const fromV = from ?? (n >= 2 ? versions[n - 2].version : null);
  const toV = to ?? (n >= 1 ? versions[n - 1].version : null);

  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download.url);
  }, [download]);

  async function compare() {
    if (fromV === null || toV === null) return;
    setBusy(true);
    setError(null);
    const res = await call('documents.diff', { caseId, templateId, from: fromV, to: toV });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setDiff({ from: fromV, to: toV, diff: res.value });
    setDownload(null);
  }

  async function exportDocx() {
    if (!diff) return;
    setBusy(true);
    setError(null);
    const res = await call('documents.compareDocx', { caseId, templateId, from: diff.from, to: diff.to });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    const bin = atob(res.value.base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }));
    setDownload({ name: res.value.name, url });
    // Start the download at once; the link stays for saving it again.
    const a = document.createElement('a');
    a.href = url;
    a.download = res.value.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  return (
    <section className="card side-card" data-testid="versions-panel">
      <h2 className="card-title">版本</h2>
      {n === 0 ? (
        <p className="muted" data-testid="versions-empty">
          尚未保存版本。按“保存版本”或 Ctrl+S 保存当前内容。
        </p>
      ) : (
        <ol className="version-list" reversed>
          {[...versions].reverse().map((v) => (
            <li key={v.id} data-testid="version-row" data-version={v.version} data-final={v.final ? 'true' : 'false'}>
              <div className="version-head">
                <strong>第{v.version}版</strong>
                {v.final && <span className="badge-final">定稿</span>}
                <span className="muted small">{fmtDateTime(v.savedAt)}</span>
              </div>
              <div className="small">
                {v.savedBy}
                {v.note ? `：${v.note}` : ''}
              </div>
              {v.docNumber && v.final && <div className="small" data-testid="version-doc-number">文号：{v.docNumber}</div>}
              <button type="button" className="btn-link small" data-testid="version-load" onClick={() => onLoad(v)}>
                载入编辑器
              </button>
            </li>
          ))}
        </ol>
      )}
      {n >= 2 && (
        <div className="compare-bar" data-testid="compare-bar">
          <label>
            从
            <select value={fromV ?? ''} onChange={(e) => setFrom(Number(e.target.value))} data-testid="compare-from" aria-label="比较的原版本">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  第{v.version}版
                </option>
              ))}
            </select>
          </label>
          <label>
            到
            <select value={toV ?? ''} onChange={(e) => setTo(Number(e.target.value))} data-testid="compare-to" aria-label="比较的新版本">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  第{v.version}版
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn-primary btn-small" data-testid="compare-run" disabled={busy || fromV === toV} onClick={() => void compare()}>
            比较
          </button>
        </div>
      )}
      <ErrorBox message={error} testId="compare-error" />
      {diff && (
        <div
          className="compare-overlay"
          role="dialog"
          aria-modal="true"
          aria-label={`第${diff.from}版与第${diff.to}版比较`}
          data-testid="compare-panel"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setDiff(null);
          }}
        >
          <div className="compare-dialog">
            <div className="compare-head">
              <h2>
                第{diff.from}版 → 第{diff.to}版
              </h2>
              <button type="button" className="btn-primary" data-testid="compare-docx" disabled={busy} onClick={() => void exportDocx()}>
                导出比较（Word 修订）
              </button>
              {download && (
                <a href={download.url} download={download.name} data-testid="compare-docx-link">
                  {download.name}
                </a>
              )}
              <button type="button" data-testid="compare-close" autoFocus onClick={() => setDiff(null)}>
                关闭
              </button>
            </div>
            <ModelDiffView diff={diff.diff} />
          </div>
        </div>
      )}
    </section>
  );
}

/**
 * 签发 where the document was finalised (issue 12, point 4): the certificate that will sign, the button,
 * then the three files to download. The core checks again who may issue and what must have happened first.
 */
function IssueHere({ caseId, templateId, finalVersion }: { caseId: number; templateId: string; finalVersion: number }) {
  const [issued, setIssued] = useState<IssuedFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await call('documents.list', { caseId });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setIssued(r.value.find((d) => d.templateId === templateId)?.issued ?? []);
  }, [caseId, templateId]);
  useEffect(() => {
    void load();
  }, [load, finalVersion]);
  return (
    <section className="card drafting-issue" data-testid="drafting-issue" aria-labelledby="drafting-issue-title">
      <h2 className="card-title" id="drafting-issue-title">
        签发第{finalVersion}版
      </h2>
      <ErrorBox message={error} />
      {issued ? <IssuePanel caseId={caseId} templateId={templateId} finalVersion={finalVersion} issued={issued} onIssued={() => void load()} /> : !error && <Loading />}
    </section>
  );
}
