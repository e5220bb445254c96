// 送审 form: a new submission, or the resubmission of a returned case (prefilled from its last round).
// The form autosaves to drafts (debounced) and restores the draft when it is opened again.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Input } from '../../../preload/contract';
import type { DecisionKind, PartyType } from '../../../main/core/domain/types';
import type { CaseDetail, CatalogItem, CatalogView, ReviewSettingsView, SubmissionView, UserView } from '../../../main/core/domain/views';
import { call } from '../api';
import { AutosaveIndicator, ErrorBox, Field, Loading, Notice, StaleBox, onCtrlEnterSubmit, useAutosave } from '../components/common';
import { FieldAnchor, FormErrorSummary, FormErrorsProvider, useFormErrors } from '../formErrors';
import { fenToYuanInput, fmtDate, fmtSize, fmtTime, todayCst } from '../format';
import { CASE_STATE_LABELS, DECISION_KINDS, DECISION_KIND_LABELS, findingLabel, OUTCOME_LABELS, PARTY_ID_LABELS, PARTY_TYPE_LABELS, PROCEDURE_STEPS } from '../labels';
import { navigate } from '../router';
import { uploadFile } from '../upload';
import { DateInput } from '../components/DateInput';

/** 'revise': a revised proposal after a rejection (or an accepted 不同意) — a new round and cycle. */
export type SubmitMode = { kind: 'new' } | { kind: 'resubmit' | 'revise'; caseId: number };

interface Attachment {
  sha256: string;
  name: string;
  size: number;
}

interface CaseForm {
  caseNo: string;
  title: string;
  kind: DecisionKind;
  catalogItem: string;
  partyType: PartyType;
  partyName: string;
  partyId: string;
  partyAddress: string;
  facts: string;
  evidence: string[];
  legalBasis: { law: string; article: string }[];
  proposedDecision: string;
  fineAmount: string;
  /** What the catalog item asks (001 附件3 第五至七条) and the stated ground (catch-all items, review-all setting). */
  sealArea: string;
  sealAreaNA: boolean;
  sealValue: string;
  hearingRequired: YesNo;
  hearingHeld: YesNo;
  publicInterest: YesNo;
  majorGround: string;
  procedure: { step: string; date: string; note: string }[];
  officerIds: number[];
  attachments: Attachment[];
  changeNote: string;
}

type YesNo = '' | 'yes' | 'no';
const yesNo = (b: boolean | undefined): YesNo => (b === undefined ? '' : b ? 'yes' : 'no');
const fromYesNo = (v: YesNo): boolean | undefined => (v === '' ? undefined : v === 'yes');

const DRAFT_VERSION = 1;

function emptyForm(): CaseForm {
  return {
    caseNo: '',
    title: '',
    kind: 'penalty',
    catalogItem: '',
    partyType: 'organization',
    partyName: '',
    partyId: '',
    partyAddress: '',
    facts: '',
    evidence: [''],
    legalBasis: [{ law: '', article: '' }],
    proposedDecision: '',
    fineAmount: '',
    sealArea: '',
    sealAreaNA: false,
    sealValue: '',
    hearingRequired: '',
    hearingHeld: '',
    publicInterest: '',
    majorGround: '',
    procedure: [
      { step: '立案', date: '', note: '' },
      { step: '调查取证', date: '', note: '' },
      { step: '告知', date: '', note: '' },
    ],
    officerIds: [],
    attachments: [],
    changeNote: '',
  };
}

function formFromSubmission(s: SubmissionView): CaseForm {
  return {
    caseNo: s.caseNo,
    title: s.title,
    kind: s.kind,
    catalogItem: s.catalogItem,
    partyType: s.party.type,
    partyName: s.party.name,
    partyId: s.party.idNumber,
    partyAddress: s.party.address,
    facts: s.facts,
    evidence: s.evidence.length ? [...s.evidence] : [''],
    legalBasis: s.legalBasis.length ? s.legalBasis.map((b) => ({ ...b })) : [{ law: '', article: '' }],
    proposedDecision: s.proposedDecision,
    fineAmount: fenToYuanInput(s.fineFen),
    sealArea: typeof s.quantities?.sealAreaM2 === 'number' ? String(s.quantities.sealAreaM2) : '',
    sealAreaNA: s.quantities?.sealAreaM2 === 'not_applicable',
    sealValue: fenToYuanInput(s.quantities?.sealValueFen),
    hearingRequired: yesNo(s.quantities?.hearingRequired),
    hearingHeld: yesNo(s.quantities?.hearingHeld),
    publicInterest: yesNo(s.quantities?.publicInterest),
    majorGround: s.majorGround ?? '',
    procedure: s.procedure.map((p) => ({ step: p.step, date: p.date, note: p.note ?? '' })),
    officerIds: s.officers.map((o) => o.id),
    attachments: s.attachments.map((a) => ({ ...a })),
    changeNote: '',
  };
}

/** Only the quantities the chosen item asks for are sent; the core refuses what is missing. */
function quantitiesOf(f: CaseForm, item: CatalogItem | undefined): Input<'cases.submit'>['quantities'] {
  if (item?.seal) {
    const area = f.sealAreaNA ? ('not_applicable' as const) : f.sealArea.trim() ? Number(f.sealArea) : undefined;
    return { ...(area !== undefined && { sealAreaM2: area }), ...(f.sealValue.trim() && { sealValueYuan: f.sealValue.trim() }) };
  }
  if (item?.hearing) {
    const q = { hearingRequired: fromYesNo(f.hearingRequired), hearingHeld: fromYesNo(f.hearingHeld), publicInterest: fromYesNo(f.publicInterest) };
    return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
  }
  return undefined;
}

/** The rows of each list that are sent (blank rows are left out): the row on the page of each row in the request. */
function sentRows(f: CaseForm): Record<'evidence' | 'legalBasis' | 'procedure', number[]> {
  const kept = <T,>(rows: T[], keep: (r: T) => boolean) => rows.flatMap((r, i) => (keep(r) ? [i] : []));
  return {
    evidence: kept(f.evidence, (e) => !!e.trim()),
    legalBasis: kept(f.legalBasis, (b) => !!(b.law.trim() || b.article.trim())),
    procedure: kept(f.procedure, (p) => !!(p.step.trim() || p.date || p.note.trim())),
  };
}

/** A path of the request ("case.legalBasis.1.article") as the field on this page ("legalBasis.2.article"). */
function pagePath(path: string, rows: ReturnType<typeof sentRows>): string {
  const p = path.replace(/^case\./, '');
  const m = /^(evidence|legalBasis|procedure)\.(\d+)(.*)$/.exec(p);
  if (!m) return p;
  const row = rows[m[1] as keyof typeof rows][Number(m[2])];
  return row === undefined ? m[1] : `${m[1]}.${row}${m[3]}`;
}

function toCaseInput(f: CaseForm, item: CatalogItem | undefined): Input<'cases.submit'> {
  const quantities = quantitiesOf(f, item);
  return {
    caseNo: f.caseNo,
    title: f.title,
    kind: f.kind,
    catalogItem: f.catalogItem,
    party: { type: f.partyType, name: f.partyName, idNumber: f.partyId, address: f.partyAddress },
    facts: f.facts,
    evidence: f.evidence.filter((e) => e.trim()),
    legalBasis: f.legalBasis.filter((b) => b.law.trim() || b.article.trim()),
    proposedDecision: f.proposedDecision,
    fineAmount: f.fineAmount.trim() || undefined,
    ...(quantities && { quantities }),
    ...(f.majorGround.trim() && { majorGround: f.majorGround }),
    procedure: f.procedure
      .filter((p) => p.step.trim() || p.date || p.note.trim())
      .map((p) => ({ step: p.step, date: p.date, ...(p.note.trim() && { note: p.note }) })),
    officerIds: f.officerIds,
    attachments: f.attachments.map((a) => ({ sha256: a.sha256, name: a.name })),
  };
}

interface Loaded {
  catalog: CatalogView;
  reviewSettings: ReviewSettingsView;
  users: UserView[];
  detail: CaseDetail | null;
  restoredAt: string | null;
}

export function SubmitForm({ mode }: { mode: SubmitMode }) {
  const draftKey = mode.kind === 'new' ? 'submit-form' : `${mode.kind}-form-${mode.caseId}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<CaseForm>(emptyForm);
  const errors = useFormErrors();
  // The case's version the materials were edited on (CaseDetail.version): a case changed since is not overwritten.
  const [caseVersion, setCaseVersion] = useState(0);
  const [stale, setStale] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [upload, setUpload] = useState<{ name: string; sent: number; total: number } | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  const autosave = useAutosave(form, (f) => call('drafts.save', { key: draftKey, json: JSON.stringify({ v: DRAFT_VERSION, form: f }) }));

  useEffect(() => {
    let live = true;
    (async () => {
      const [catalog, users, draft, detail, reviewSettings] = await Promise.all([
        call('catalog.current', {}),
        call('users.list', {}),
        call('drafts.load', { key: draftKey }),
        mode.kind !== 'new' ? call('cases.get', { caseId: mode.caseId }) : Promise.resolve(null),
        call('settings.review', {}),
      ]);
      if (!live) return;
      const failed = [catalog, users, draft, detail, reviewSettings].find((r) => r && !r.ok);
      if (failed && !failed.ok) return setLoadError(failed.error.message);
      if (!catalog.ok || !users.ok || !draft.ok || !reviewSettings.ok) return;
      let restoredAt: string | null = null;
      let initial: CaseForm | null = null;
      if (draft.value) {
        try {
          const parsed = JSON.parse(draft.value.json) as { v?: number; form?: CaseForm };
          if (parsed.v === DRAFT_VERSION && parsed.form) {
            initial = { ...emptyForm(), ...parsed.form };
            restoredAt = draft.value.savedAt;
          }
        } catch {
          /* an unreadable draft is ignored */
        }
      }
      const d = detail && detail.ok ? detail.value : null;
      if (!initial && d) {
        const last = d.submissions[d.submissions.length - 1];
        if (last) initial = formFromSubmission(last);
      }
      if (initial) setForm(initial);
      if (d) setCaseVersion(d.version);
      if (restoredAt) autosave.setSavedAt(restoredAt);
      setLoaded({ catalog: catalog.value, reviewSettings: reviewSettings.value, users: users.value, detail: d, restoredAt });
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey]);

  /** Every user edit goes through here, so that it is autosaved. */
  // Switching between 法人或其他组织 and 公民: the name, number and address of the other kind of party no
  // longer apply and are cleared; what was typed for each kind comes back if the user switches back.
  const partyByType = useRef<Partial<Record<PartyType, Pick<CaseForm, 'partyName' | 'partyId' | 'partyAddress'>>>>({});
  function switchParty(f: CaseForm, to: PartyType): Partial<CaseForm> {
    if (f.partyType === to) return {};
    partyByType.current[f.partyType] = { partyName: f.partyName, partyId: f.partyId, partyAddress: f.partyAddress };
    return { partyType: to, ...(partyByType.current[to] ?? { partyName: '', partyId: '', partyAddress: '' }) };
  }

  function edit(patch: Partial<CaseForm> | ((f: CaseForm) => Partial<CaseForm>)) {
    autosave.touch();
    setForm((f) => ({ ...f, ...(typeof patch === 'function' ? patch(f) : patch) }));
  }

  const items = useMemo(() => loaded?.catalog.items.filter((i) => i.kind === form.kind) ?? [], [loaded, form.kind]);
  const selectedItem = loaded?.catalog.items.find((i) => i.code === form.catalogItem);
  const today = todayCst();
  const officerCandidates = useMemo(() => (loaded?.users ?? []).filter((u) => u.active && u.certNo), [loaded]);

  async function onFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    setUploadError(null);
    for (const file of Array.from(files)) {
      setUpload({ name: file.name, sent: 0, total: file.size });
      const res = await uploadFile(file, (sent, total) => setUpload({ name: file.name, sent, total }));
      if (!res.ok) {
        setUploadError(res.message);
        break;
      }
      edit((f) => ({
        attachments: f.attachments.some((a) => a.sha256 === res.sha256 && a.name === res.name)
          ? f.attachments
          : [...f.attachments, { sha256: res.sha256, name: res.name, size: res.size }],
      }));
    }
    setUpload(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy || upload) return;
    setBusy(true);
    errors.clear();
    const data = toCaseInput(form, selectedItem);
    const rows = sentRows(form);
    const res =
      mode.kind === 'new'
        ? await call('cases.submit', data)
        : await call(mode.kind === 'revise' ? 'cases.revise' : 'cases.resubmit', { caseId: mode.caseId, case: data, changeNote: form.changeNote, expectedVersion: caseVersion });
    if (!res.ok) {
      setBusy(false);
      if (res.error.code === 'STALE') {
        setStale(res.error.message);
        requestAnimationFrame(() => errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      } else errors.show(res.error, (path) => pagePath(path, rows));
      return;
    }
    autosave.reset();
    await autosave.idle();
    await call('drafts.clear', { key: draftKey });
    setBusy(false);
    navigate({ name: 'case', caseId: res.value.id });
  }

  /** 重新载入 after STALE: the case as it is now (and its version); the materials typed stay in the form. */
  async function reloadCase() {
    if (mode.kind === 'new') return;
    const d = await call('cases.get', { caseId: mode.caseId });
    if (!d.ok) return errors.showAt(null, d.error.message);
    setCaseVersion(d.value.version);
    setStale(null);
    const action = mode.kind === 'revise' ? 'case.revise' : 'case.resubmit';
    if (d.value.allowed.includes(action)) setLoaded((l) => (l ? { ...l, detail: d.value } : l));
    // The page stays as it is, so nothing typed disappears (it is also kept in this desk's draft).
    else errors.showAt(null, `本案当前为“${CASE_STATE_LABELS[d.value.state]}”，已不能${mode.kind === 'revise' ? '修改处理方案' : '重新送审'}。您填写的内容仍保留在本页和本机草稿中。`);
  }

  async function discardDraft() {
    autosave.reset();
    await autosave.idle();
    await call('drafts.clear', { key: draftKey });
    const last = loaded?.detail?.submissions[loaded.detail.submissions.length - 1];
    setForm(last ? formFromSubmission(last) : emptyForm());
    setLoaded((l) => (l ? { ...l, restoredAt: null } : l));
    errors.clear();
  }

  if (loadError) return <ErrorBox message={loadError} />;
  if (!loaded) return <Loading />;

  const detail = loaded.detail;
  const lastReview = detail?.reviews[detail.reviews.length - 1];
  if (mode.kind === 'resubmit' && detail && !detail.allowed.includes('case.resubmit')) {
    return <ErrorBox message="本案当前不能重新送审（仅限已退回的案件，由本案承办人办理）。" />;
  }
  if (mode.kind === 'revise' && detail && !detail.allowed.includes('case.revise')) {
    return <ErrorBox message="本案当前不能修改处理方案（仅限未获批准或审核不同意的案件，由本案承办人办理）。" />;
  }

  return (
    <div className="page" data-testid={mode.kind === 'new' ? 'submit-page' : `${mode.kind}-page`}>
      <div className="page-head">
        <h1>{mode.kind === 'new' ? '送审' : `${mode.kind === 'revise' ? '修改处理方案后重新送审' : '补正后重新送审'} · ${detail?.caseNo ?? ''}`}</h1>
        <AutosaveIndicator state={autosave.state} savedAt={autosave.savedAt} error={autosave.error} />
      </div>
      {loaded.restoredAt && (
        <div className="notice-box restored" data-testid="draft-restored">
          已恢复 {fmtTime(loaded.restoredAt)} 自动保存的草稿。
          <button type="button" className="btn-link" data-testid="draft-discard" onClick={() => void discardDraft()}>
            放弃草稿，重新填写
          </button>
        </div>
      )}
      {mode.kind === 'revise' && detail?.approvals.at(-1)?.decision === 'reject' && (
        <section className="card card-warn" data-testid="rejection-text">
          <h2 className="card-title">负责人不予批准（{detail.approvals.at(-1)!.head}）</h2>
          <div className="pre">{detail.approvals.at(-1)!.opinion}</div>
          <p className="hint">修改后的处理方案是新的送审，将重新进行法制审核；对新的审核意见仍可申请复审一次。</p>
        </section>
      )}
      {mode.kind !== 'new' && lastReview && (
        <section className="card card-warn" data-testid="return-requests">
          <h2 className="card-title">
            第{lastReview.round}轮审核意见：{OUTCOME_LABELS[lastReview.outcome]}（审核人：{lastReview.reviewer}）
          </h2>
          {lastReview.findings.some((f) => f.result !== 'conform') && <strong>不符合或需补正的审核内容：</strong>}
          {lastReview.findings.some((f) => f.result !== 'conform') && (
            <ul className="plain-list" data-testid="return-findings">
              {lastReview.findings
                .filter((f) => f.result !== 'conform')
                .map((f) => (
                  <li key={f.criterion}>
                    第{f.criterion}项“{f.title}”：{findingLabel(f.criterion, f.result)}。{f.reason}
                  </li>
                ))}
            </ul>
          )}
          {lastReview.requests.length > 0 && <strong>退回要求：</strong>}
          {lastReview.requests.length > 0 && (
            <ol className="plain-list">
              {lastReview.requests.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ol>
          )}
          {lastReview.opinion && <p className="pre">{lastReview.opinion}</p>}
        </section>
      )}

      <FormErrorsProvider form={errors}>
      <form noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="submit-form" className="case-form" ref={(el) => void (errors.root.current = el)}>
        <section className="card">
          <h2 className="card-title">案件基本情况</h2>
          <div className="grid-2">
            <Field label="案件编号" path="caseNo" required>
              {(id) => <input id={id} data-testid="f-caseNo" value={form.caseNo} onChange={(e) => edit({ caseNo: e.target.value })} required />}
            </Field>
            <Field label="案件名称" path="title" required>
              {(id) => <input id={id} data-testid="f-title" value={form.title} onChange={(e) => edit({ title: e.target.value })} required />}
            </Field>
            <Field label="决定类型" path="kind" required>
              {(id) => (
                <select
                  id={id}
                  data-testid="f-kind"
                  value={form.kind}
                  onChange={(e) => {
                    const kind = e.target.value as DecisionKind;
                    edit((f) => ({ kind, catalogItem: loaded.catalog.items.some((i) => i.code === f.catalogItem && i.kind === kind) ? f.catalogItem : '' }));
                  }}
                >
                  {DECISION_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {DECISION_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="重大执法决定目录事项" path="catalogItem" required hint={`现行目录清单第${loaded.catalog.version}版`}>
              {(id) => (
                <select id={id} data-testid="f-catalogItem" value={form.catalogItem} onChange={(e) => edit({ catalogItem: e.target.value })} required>
                  <option value="">请选择目录事项</option>
                  {items.map((i) => (
                    <option key={i.code} value={i.code}>
                      {i.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <MajorFields form={form} edit={edit} item={selectedItem} reviewAll={loaded.reviewSettings.reviewAllDecisions} />
        </section>

        <section className="card">
          <h2 className="card-title">当事人</h2>
          <FieldAnchor as="fieldset" path="party.type" className="inline-radios">
            <legend>当事人类型</legend>
            {(['organization', 'citizen'] as PartyType[]).map((t) => (
              <label key={t}>
                <input type="radio" name="partyType" value={t} data-testid={`f-partyType-${t}`} checked={form.partyType === t} onChange={() => edit((f) => switchParty(f, t))} />
                {PARTY_TYPE_LABELS[t]}
              </label>
            ))}
          </FieldAnchor>
          <div className="grid-2">
            <Field label={form.partyType === 'citizen' ? '姓名' : '名称'} path="party.name" required>
              {(id) => <input id={id} data-testid="f-partyName" value={form.partyName} onChange={(e) => edit({ partyName: e.target.value })} required />}
            </Field>
            <Field label={PARTY_ID_LABELS[form.partyType]} path="party.idNumber" required hint={form.partyType === 'citizen' ? '18位，末位校验（GB 11643）' : '18位，末位校验（GB 32100）'}>
              {(id) => (
                <input
                  id={id}
                  data-testid="f-partyId"
                  className="mono"
                  maxLength={18}
                  value={form.partyId}
                  onChange={(e) => edit({ partyId: e.target.value.toUpperCase() })}
                  required
                />
              )}
            </Field>
            <Field label={form.partyType === 'citizen' ? '住址' : '住所（地址）'} path="party.address" required className="span-2">
              {(id) => <input id={id} data-testid="f-partyAddress" value={form.partyAddress} onChange={(e) => edit({ partyAddress: e.target.value })} required />}
            </Field>
          </div>
        </section>

        <section className="card">
          <h2 className="card-title">事实、证据与依据</h2>
          <Field label="违法事实" path="facts" required>
            {(id) => <textarea id={id} data-testid="f-facts" rows={6} value={form.facts} onChange={(e) => edit({ facts: e.target.value })} required />}
          </Field>

          <FieldAnchor as="fieldset" path="evidence" className="rows" testId="evidence-list">
            <legend>
              证据清单<span className="req" aria-hidden="true">＊</span>
            </legend>
            {form.evidence.map((ev, i) => (
              <FieldAnchor className="row" key={i} path={`evidence.${i}`}>
                <span className="row-no">{i + 1}.</span>
                <input
                  aria-label={`证据第${i + 1}项`}
                  data-testid={`f-evidence-${i}`}
                  value={ev}
                  onChange={(e) => edit((f) => ({ evidence: f.evidence.map((x, j) => (j === i ? e.target.value : x)) }))}
                />
                <button
                  type="button"
                  className="btn-small"
                  aria-label={`删除证据第${i + 1}项`}
                  disabled={form.evidence.length === 1}
                  onClick={() => edit((f) => ({ evidence: f.evidence.filter((_x, j) => j !== i) }))}
                >
                  删除
                </button>
              </FieldAnchor>
            ))}
            <button type="button" className="btn-small" data-testid="evidence-add" onClick={() => edit((f) => ({ evidence: [...f.evidence, ''] }))}>
              ＋ 添加证据
            </button>
          </FieldAnchor>

          <FieldAnchor as="fieldset" path="legalBasis" className="rows" testId="basis-list">
            <legend>
              法律依据<span className="req" aria-hidden="true">＊</span>
            </legend>
            {form.legalBasis.map((b, i) => (
              <FieldAnchor className="row" key={i} path={`legalBasis.${i}`}>
                <span className="row-no">{i + 1}.</span>
                <input
                  className="grow-2"
                  aria-label={`法律依据第${i + 1}行的法律名称`}
                  placeholder="法律、法规、规章名称"
                  data-testid={`f-basis-law-${i}`}
                  value={b.law}
                  onChange={(e) => edit((f) => ({ legalBasis: f.legalBasis.map((x, j) => (j === i ? { ...x, law: e.target.value } : x)) }))}
                />
                <input
                  aria-label={`法律依据第${i + 1}行的条款`}
                  placeholder="条款，如：第六十四条第一款"
                  data-testid={`f-basis-article-${i}`}
                  value={b.article}
                  onChange={(e) => edit((f) => ({ legalBasis: f.legalBasis.map((x, j) => (j === i ? { ...x, article: e.target.value } : x)) }))}
                />
                <button
                  type="button"
                  className="btn-small"
                  aria-label={`删除法律依据第${i + 1}行`}
                  disabled={form.legalBasis.length === 1}
                  onClick={() => edit((f) => ({ legalBasis: f.legalBasis.filter((_x, j) => j !== i) }))}
                >
                  删除
                </button>
              </FieldAnchor>
            ))}
            <button type="button" className="btn-small" data-testid="basis-add" onClick={() => edit((f) => ({ legalBasis: [...f.legalBasis, { law: '', article: '' }] }))}>
              ＋ 添加依据
            </button>
          </FieldAnchor>
        </section>

        <section className="card">
          <h2 className="card-title">拟作出的决定</h2>
          <Field label="拟作出的决定" path="proposedDecision" required>
            {(id) => (
              <textarea id={id} data-testid="f-proposedDecision" rows={4} value={form.proposedDecision} onChange={(e) => edit({ proposedDecision: e.target.value })} required />
            )}
          </Field>
          <Field
            label="罚款金额（元）"
            path="fineAmount"
            required={selectedItem?.minFineFen !== undefined}
            hint={selectedItem?.minFineFen !== undefined ? `目录标准：${selectedItem.label}` : '不涉及罚款的可不填'}
          >
            {(id) => (
              <input
                id={id}
                data-testid="f-fineAmount"
                inputMode="decimal"
                className="short mono"
                value={form.fineAmount}
                onChange={(e) => edit({ fineAmount: e.target.value })}
              />
            )}
          </Field>
        </section>

        <section className="card">
          <h2 className="card-title">已履行的程序</h2>
          <datalist id="procedure-steps">
            {PROCEDURE_STEPS.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <FieldAnchor as="fieldset" path="procedure" className="rows" testId="procedure-list">
            <legend>
              程序环节及日期<span className="req" aria-hidden="true">＊</span>
            </legend>
            {form.procedure.map((p, i) => (
              <FieldAnchor className="row" key={i} path={`procedure.${i}`}>
                <span className="row-no">{i + 1}.</span>
                <input
                  list="procedure-steps"
                  aria-label={`程序第${i + 1}行的环节`}
                  data-testid={`f-proc-step-${i}`}
                  className="short"
                  value={p.step}
                  onChange={(e) => edit((f) => ({ procedure: f.procedure.map((x, j) => (j === i ? { ...x, step: e.target.value } : x)) }))}
                />
                <DateInput
                  ariaLabel={`程序第${i + 1}行的日期`}
                  testId={`f-proc-date-${i}`}
                  max={today}
                  maxLabel="今天"
                  value={p.date}
                  onChange={(d) => edit((f) => ({ procedure: f.procedure.map((x, j) => (j === i ? { ...x, date: d } : x)) }))}
                />
                <input
                  className="grow-2"
                  aria-label={`程序第${i + 1}行的说明`}
                  placeholder="说明（可不填）"
                  data-testid={`f-proc-note-${i}`}
                  value={p.note}
                  onChange={(e) => edit((f) => ({ procedure: f.procedure.map((x, j) => (j === i ? { ...x, note: e.target.value } : x)) }))}
                />
                <button
                  type="button"
                  className="btn-small"
                  aria-label={`删除程序第${i + 1}行`}
                  disabled={form.procedure.length === 1}
                  onClick={() => edit((f) => ({ procedure: f.procedure.filter((_x, j) => j !== i) }))}
                >
                  删除
                </button>
              </FieldAnchor>
            ))}
            <button type="button" className="btn-small" data-testid="procedure-add" onClick={() => edit((f) => ({ procedure: [...f.procedure, { step: '', date: '', note: '' }] }))}>
              ＋ 添加程序环节
            </button>
          </FieldAnchor>
        </section>

        <section className="card">
          <h2 className="card-title">执法人员</h2>
          <FieldAnchor as="fieldset" path="officerIds" className="checks" testId="officer-list">
            <legend>
              执法人员（不少于两人，须持有效执法证）<span className="req" aria-hidden="true">＊</span>
            </legend>
            {officerCandidates.length === 0 && <p className="muted">尚无登记执法证的用户，请联系管理员。</p>}
            {officerCandidates.map((u) => {
              const expired = !!u.certExpiry && u.certExpiry < today;
              return (
                <label key={u.id} className={expired ? 'expired' : undefined}>
                  <input
                    type="checkbox"
                    data-testid={`f-officer-${u.username}`}
                    checked={form.officerIds.includes(u.id)}
                    onChange={(e) =>
                      edit((f) => ({ officerIds: e.target.checked ? [...f.officerIds, u.id] : f.officerIds.filter((x) => x !== u.id) }))
                    }
                  />
                  {u.displayName}
                  <span className="muted">
                    （执法证 {u.certNo}
                    {u.certExpiry ? `，有效期至${fmtDate(u.certExpiry)}` : ''}
                    {expired ? '，已过期' : ''}）
                  </span>
                </label>
              );
            })}
          </FieldAnchor>
        </section>

        <section className="card">
          <h2 className="card-title">附件</h2>
          <div className="field file-field">
            {/* The native file button would show the browser's own (possibly English) text: it is hidden
                visually and the Chinese label acts as the button. It stays focusable for the keyboard. */}
            <input
              id="attachment-input"
              ref={fileInput}
              type="file"
              multiple
              className="visually-hidden"
              data-testid="f-attachments"
              disabled={!!upload}
              onChange={(e) => void onFiles(e.target.files)}
            />
            <label htmlFor="attachment-input" className={`file-button ${upload ? 'disabled' : ''}`}>
              添加附件（可多选）
            </label>
            <span className="hint">文件按1 MB分块上传；上传完成后列在下方。</span>
          </div>
          {upload && (
            <div className="upload-progress" data-testid="upload-progress">
              <span>正在上传“{upload.name}”</span>
              <progress max={Math.max(1, upload.total)} value={upload.sent} aria-label={`“${upload.name}”上传进度`} />
              <span>{upload.total ? Math.floor((upload.sent / upload.total) * 100) : 100}%</span>
            </div>
          )}
          <ErrorBox message={uploadError} testId="upload-error" />
          {form.attachments.length > 0 && (
            <ul className="attachments" data-testid="attachment-list">
              {form.attachments.map((a, i) => (
                <FieldAnchor as="li" key={`${a.sha256}-${i}`} path={`attachments.${i}`} testId="attachment-item">
                  <span>{a.name}</span>
                  <span className="muted">{fmtSize(a.size)}</span>
                  <button
                    type="button"
                    className="btn-small"
                    aria-label={`移除附件“${a.name}”`}
                    onClick={() => edit((f) => ({ attachments: f.attachments.filter((_x, j) => j !== i) }))}
                  >
                    移除
                  </button>
                </FieldAnchor>
              ))}
            </ul>
          )}
        </section>

        {mode.kind !== 'new' && (
          <section className="card">
            <h2 className="card-title">{mode.kind === 'revise' ? '修改说明' : '补正说明'}</h2>
            <Field label={mode.kind === 'revise' ? '修改说明' : '补正说明'} path="changeNote" required hint={mode.kind === 'revise' ? '说明按负责人或法制审核意见修改了处理方案的哪些内容' : '逐项说明已按审核意见补充或更正的内容'}>
              {(id) => <textarea id={id} data-testid="f-changeNote" rows={4} value={form.changeNote} onChange={(e) => edit({ changeNote: e.target.value })} required />}
            </Field>
          </section>
        )}

        <div className="submit-bar" ref={errorRef}>
          <StaleBox message={stale} onReload={reloadCase} testId="submit-stale" />
          <FormErrorSummary form={errors} testId="submit-error" />
          <Notice message={busy ? '正在提交……' : null} />
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="submit-case" disabled={busy || !!upload}>
              {mode.kind === 'new' ? '提交送审' : '重新送审'}
            </button>
            <span className="hint">Ctrl+Enter 提交；填写内容会自动保存</span>
            <AutosaveIndicator state={autosave.state} savedAt={autosave.savedAt} error={autosave.error} testId="autosave-bottom" />
          </div>
        </div>
      </form>
      </FormErrorsProvider>
    </div>
  );
}

const YES_NO_LABELS: Record<Exclude<YesNo, ''>, string> = { yes: '是', no: '否' };

function YesNoField({ label, name, value, onChange }: { label: string; name: string; value: YesNo; onChange: (v: YesNo) => void }) {
  return (
    <FieldAnchor as="fieldset" path={`quantities.${name}`} className="inline-radios" testId={`f-${name}`}>
      <legend>
        {label}
        <span className="req" aria-hidden="true">＊</span>
      </legend>
      {(['yes', 'no'] as const).map((v) => (
        <label key={v}>
          <input type="radio" name={name} value={v} data-testid={`f-${name}-${v}`} checked={value === v} onChange={() => onChange(v)} />
          {YES_NO_LABELS[v]}
        </label>
      ))}
    </FieldAnchor>
  );
}

/** The quantities the chosen catalog item asks for, and the stated ground where one is needed. */
function MajorFields({
  form,
  edit,
  item,
  reviewAll,
}: {
  form: CaseForm;
  edit: (patch: Partial<CaseForm>) => void;
  item: CatalogItem | undefined;
  reviewAll: boolean;
}) {
  if (!item) return null;
  return (
    <div className="grid-2" data-testid="major-fields">
      {item.seal && (
        <>
          <Field label="查封、扣押场所设施面积（平方米）" path="quantities.sealAreaM2" hint={`面积${item.seal.minAreaM2}平方米以上或价值${item.seal.minValueFen / 1_000_000}万元以上属重大；至少填写一项`}>
            {(id) => (
              <div className="row">
                <input
                  id={id}
                  data-testid="f-sealArea"
                  inputMode="decimal"
                  value={form.sealAreaNA ? '' : form.sealArea}
                  disabled={form.sealAreaNA}
                  onChange={(e) => edit({ sealArea: e.target.value })}
                />
                <label>
                  <input type="checkbox" data-testid="f-sealAreaNA" checked={form.sealAreaNA} onChange={(e) => edit({ sealAreaNA: e.target.checked })} />
                  不适用（动产）
                </label>
              </div>
            )}
          </Field>
          <Field label="查封、扣押财物价值（元）" path="quantities.sealValueYuan">
            {(id) => <input id={id} data-testid="f-sealValue" inputMode="decimal" value={form.sealValue} onChange={(e) => edit({ sealValue: e.target.value })} />}
          </Field>
        </>
      )}
      {item.hearing && (
        <>
          <YesNoField label="法律、法规、规章规定应当举行听证" name="hearingRequired" value={form.hearingRequired} onChange={(v) => edit({ hearingRequired: v })} />
          <YesNoField label="已举行听证" name="hearingHeld" value={form.hearingHeld} onChange={(v) => edit({ hearingHeld: v })} />
          <YesNoField label="涉及公共利益" name="publicInterest" value={form.publicInterest} onChange={(v) => edit({ publicInterest: v })} />
        </>
      )}
      {(item.catchAll || reviewAll) && (
        <Field
          label="属于重大执法决定的理由"
          path="majorGround"
          required={!!item.catchAll}
          className="span-2"
          hint={
            item.catchAll
              ? `兜底事项（${item.catchAll}）：写明对当事人或者社会公共利益有重大影响的具体情形`
              : '本机关对简易程序以外的执法决定均进行法制审核（001 二（三））：未达到目录标准时须写明送审理由'
          }
        >
          {(id) => <textarea id={id} data-testid="f-majorGround" rows={3} value={form.majorGround} onChange={(e) => edit({ majorGround: e.target.value })} />}
        </Field>
      )}
    </div>
  );
}
