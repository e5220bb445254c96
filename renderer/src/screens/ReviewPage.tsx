// 审核: the nine criteria (001 附件3 第十条), each with a finding and a reason, then one outcome
// (第十一条). The draft autosaves to the core and is restored on reopening; refusals are shown verbatim.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FindingResult, Outcome } from '../../../main/core/domain/types';
import type { CaseDetail, ReviewDraftView } from '../../../main/core/domain/views';
import { call } from '../api';
import { AutosaveIndicator, ErrorBox, Field, Loading, StaleBox, StateBadge, onCtrlEnterSubmit, useAutosave } from '../components/common';
import { fmtDate, fmtTime, fmtYuan } from '../format';
import { CRITERIA, DECISION_KIND_LABELS, findingLabel, FINDING_RESULTS, OUTCOMES, OUTCOME_LABELS, PARTY_ID_LABELS } from '../labels';
import { navigate } from '../router';
import { ExtensionRequests } from '../components/ExtensionRequests';
import { ExpertOpinions } from '../components/ExpertOpinions';
import { useConfirm } from '../components/ConfirmDialog';
import { ClockChip, WorkClock } from '../components/Clock';
import { FieldAnchor, FormErrorSummary, FormErrorsProvider, issuesOf, useFormErrors } from '../formErrors';

interface ReviewForm {
  findings: { result?: FindingResult; reason: string }[];
  outcome?: Outcome;
  opinion: string;
  requests: string[];
  suggestions: string;
}

const emptyReview = (): ReviewForm => ({
  findings: CRITERIA.map(() => ({ reason: '' })),
  opinion: '',
  requests: [''],
  suggestions: '',
});

function fromDraft(d: ReviewDraftView): ReviewForm {
  const f = emptyReview();
  for (const x of d.findings) {
    if (x.criterion >= 1 && x.criterion <= CRITERIA.length) f.findings[x.criterion - 1] = { result: x.result, reason: x.reason ?? '' };
  }
  return { ...f, outcome: d.outcome, opinion: d.opinion, suggestions: d.suggestions, requests: d.requests.length ? d.requests : [''] };
}

export function ReviewPage({ caseId }: { caseId: number }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<ReviewForm>(emptyReview);
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLDivElement>(null);
  // The draft's version this desk last read or saved: a save or issue from another desk since is refused (STALE).
  const draftVersion = useRef(0);
  const [stale, setStale] = useState<string | null>(null);
  const [confirmDialog, ask] = useConfirm();

  const autosave = useAutosave(form, async (f) => {
    const res = await call('reviews.saveDraft', {
      caseId,
      findings: f.findings.map((x, i) => ({ criterion: i + 1, ...(x.result && { result: x.result }), reason: x.reason })),
      ...(f.outcome && { outcome: f.outcome }),
      opinion: f.opinion,
      requests: f.requests,
      suggestions: f.suggestions,
      expectedVersion: draftVersion.current,
    });
    if (res.ok) draftVersion.current = res.value.version;
    else if (res.error.code === 'STALE') setStale(res.error.message);
    return res;
  });

  /** 重新载入 after STALE: the draft saved elsewhere becomes the base; what this desk typed stays in the form. */
  async function reloadDraft() {
    const d = await call('cases.get', { caseId });
    if (d.ok) setDetail(d.value);
    const draft = await call('reviews.getDraft', { caseId });
    if (!draft.ok) return errors.showAt(null, draft.error.message);
    draftVersion.current = draft.value?.version ?? 0;
    setStale(null);
    errors.clear();
    // The next save (the next keystroke, or leaving the page) puts this desk's text on top of it.
    autosave.touch();
  }

  useEffect(() => {
    let live = true;
    (async () => {
      const d = await call('cases.get', { caseId });
      if (!live) return;
      if (!d.ok) return setLoadError(d.error.message);
      setDetail(d.value);
      if (!d.value.allowed.includes('review.issue')) return;
      const draft = await call('reviews.getDraft', { caseId });
      if (!live) return;
      if (!draft.ok) return setLoadError(draft.error.message);
      if (draft.value) {
        draftVersion.current = draft.value.version;
        setForm(fromDraft(draft.value));
        setRestoredAt(draft.value.savedAt);
        autosave.setSavedAt(draft.value.savedAt);
      }
    })();
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId]);

  function edit(patch: Partial<ReviewForm> | ((f: ReviewForm) => Partial<ReviewForm>)) {
    autosave.touch();
    setForm((f) => ({ ...f, ...(typeof patch === 'function' ? patch(f) : patch) }));
  }
  const setFinding = (i: number, patch: Partial<ReviewForm['findings'][number]>) =>
    edit((f) => ({ findings: f.findings.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!form.outcome) return errors.showAt('outcome', '请选择审核意见：同意、退回或不同意。');
    const kindWord = detail?.state === 'rereview_requested' ? '复审' : '审核';
    const next =
      form.outcome === 'agree'
        ? '本案随即报请负责人审批'
        : form.outcome === 'return'
          ? '本案随即退回承办单位补正'
          : '承办单位随即可以申请复审或提请负责人集体讨论';
    const ok = await ask({
      title: `确认出具${kindWord}意见“${OUTCOME_LABELS[form.outcome]}”？`,
      message: `出具后本轮${kindWord}意见记入全过程记录，不能修改或撤回，${next}。`,
      confirmLabel: `出具${kindWord}意见`,
    });
    if (!ok) return;
    setBusy(true);
    errors.clear();
    // A save still on its way would move the draft's version under this issue: let it land first.
    await autosave.flush();
    await autosave.idle();
    // The rows sent (criteria with a result, requests not blank): a refusal's path names them by position.
    const sentFindings = form.findings.flatMap((x, i) => (x.result ? [i] : []));
    const sentRequests = form.outcome === 'return' ? form.requests.flatMap((r, i) => (r.trim() ? [i] : [])) : [];
    const res = await call('reviews.issue', {
      caseId,
      findings: sentFindings.map((i) => ({ criterion: i + 1, result: form.findings[i].result!, reason: form.findings[i].reason })),
      outcome: form.outcome,
      opinion: form.opinion,
      requests: sentRequests.map((i) => form.requests[i].trim()),
      suggestions: form.suggestions,
      expectedVersion: draftVersion.current,
    });
    setBusy(false);
    if (!res.ok) {
      if (res.error.code === 'STALE') {
        setStale(res.error.message);
        requestAnimationFrame(() => errorRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      } else errors.show(placeReviewRefusal(res.error, sentFindings, sentRequests));
      return;
    }
    autosave.reset();
    navigate({ name: 'case', caseId });
  }

  if (loadError) return <ErrorBox message={loadError} />;
  if (!detail) return <Loading />;
  if (!detail.allowed.includes('review.issue')) {
    return (
      <div className="page">
        <ErrorBox message="您目前不能审核本案（须由领取本案的法制审核人员在审核中状态下出具意见）。" />
        <button type="button" onClick={() => navigate({ name: 'case', caseId })}>
          返回案件
        </button>
      </div>
    );
  }

  const s = detail.submissions[detail.submissions.length - 1];
  const isRereview = detail.state === 'rereview_requested';
  const contested = isRereview ? detail.reviews[detail.reviews.length - 1] : undefined;
  const pending = form.findings.filter((f) => !f.result).length;

  return (
    <div className="page" data-testid="review-page">
      {confirmDialog}
      <div className="page-head">
        <h1 data-testid="review-title">
          {isRereview ? '法制复审' : '法制审核'} · <span className="mono">{detail.caseNo}</span>
        </h1>
        <StateBadge state={detail.state} outcome={detail.lastOutcome} />
        <WorkClock clock={detail.currentClock} testId="review-page-clock" />
        <AutosaveIndicator state={autosave.state} savedAt={autosave.savedAt} error={autosave.error} />
      </div>
      {restoredAt && (
        <div className="notice-box" data-testid="draft-restored">
          已恢复 {fmtTime(restoredAt)} 自动保存的审核草稿。
        </div>
      )}

      <ExtensionRequests detail={detail} onDone={setDetail} />
      <ExpertOpinions detail={detail} onDone={setDetail} />

      {isRereview && detail.rereviewRequest && (
        <section className="card card-warn" data-testid="rereview-context">
          <h2 className="card-title">
            复审：承办单位对第{contested?.round ?? detail.round}轮审核意见“{contested ? OUTCOME_LABELS[contested.outcome] : ''}”提出异议
            <span className="muted small">
              {detail.rereviewRequest.by} · 原审核人：{contested?.reviewer ?? '—'}
            </span>
          </h2>
          <dl className="kv">
            <dt>申请复审理由</dt>
            <dd className="pre">{detail.rereviewRequest.reasons}</dd>
            {contested && (
              <>
                <dt>原审核意见</dt>
                <dd className="pre">{contested.opinion}</dd>
              </>
            )}
          </dl>
        </section>
      )}

      {s && (
        <details className="card collapsible" open>
          <summary>
            送审材料摘要（第{s.round}轮）：{s.title}
          </summary>
          <dl className="kv">
            <dt>决定类型</dt>
            <dd>{DECISION_KIND_LABELS[s.kind]}</dd>
            <dt>当事人</dt>
            <dd>
              {s.party.name}，{PARTY_ID_LABELS[s.party.type]} <span className="mono">{s.party.idNumber}</span>，{s.party.address}
            </dd>
            <dt>违法事实</dt>
            <dd className="pre">{s.facts}</dd>
            <dt>证据</dt>
            <dd>{s.evidence.join('；')}</dd>
            <dt>法律依据</dt>
            <dd>{s.legalBasis.map((b) => `《${b.law.replace(/^《|》$/g, '')}》${b.article}`).join('；')}</dd>
            <dt>拟作出的决定</dt>
            <dd className="pre">
              {s.proposedDecision}
              {s.fineFen !== null && `（罚款${fmtYuan(s.fineFen)}，${s.fineCapitals}）`}
            </dd>
            {(s.majorLines ?? []).length > 0 && (
              <>
                <dt>重大执法决定认定</dt>
                <dd data-testid="review-major-lines">{s.majorLines.join('；')}</dd>
              </>
            )}
            <dt>程序</dt>
            <dd>{s.procedure.map((p) => `${p.step} ${fmtDate(p.date)}`).join('；')}</dd>
            <dt>执法人员</dt>
            <dd>{s.officers.map((o) => `${o.name}（${o.certNo ?? '未登记执法证'}）`).join('、')}</dd>
            <dt>附件</dt>
            <dd>{s.attachments.length ? s.attachments.map((a) => a.name).join('、') : '无'}</dd>
          </dl>
          <button type="button" className="btn-link" onClick={() => navigate({ name: 'case', caseId })}>
            查看完整案件材料
          </button>
        </details>
      )}

      <FormErrorsProvider form={errors}>
      <form noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="review-form" ref={(el) => void (errors.root.current = el)}>
        <section className="card">
          <h2 className="card-title">
            逐项审核（共九项{pending > 0 ? `，尚有${pending}项未作结论` : '，已全部作出结论'}）
          </h2>
          {CRITERIA.map((title, i) => {
            const f = form.findings[i];
            const needsReason = !!f.result && f.result !== 'conform';
            return (
              <FieldAnchor as="fieldset" key={i} path={`findings.${i}`} className={`criterion ${f.result ? `criterion-${f.result}` : ''}`} testId={`criterion-${i + 1}`}>
                <legend>
                  <span className="criterion-no">{i + 1}</span>
                  {title}
                </legend>
                <div className="criterion-body">
                  <div className="inline-radios" role="radiogroup" aria-label={`第${i + 1}项结论`}>
                    {FINDING_RESULTS.map((r) => (
                      <label key={r} className={`finding-option finding-${r}`}>
                        <input
                          type="radio"
                          name={`criterion-${i + 1}`}
                          value={r}
                          data-testid={`criterion-${i + 1}-${r}`}
                          checked={f.result === r}
                          onChange={() => setFinding(i, { result: r })}
                        />
                        {findingLabel(i + 1, r)}
                      </label>
                    ))}
                  </div>
                  <Field label={needsReason ? '理由（必填）' : '理由'} path={`findings.${i}.reason`} required={needsReason}>
                    {(id) => (
                      <textarea
                        id={id}
                        rows={2}
                        data-testid={`criterion-${i + 1}-reason`}
                        className={needsReason && !f.reason.trim() ? 'invalid' : undefined}
                        aria-required={needsReason}
                        aria-invalid={needsReason && !f.reason.trim()}
                        value={f.reason}
                        onChange={(e) => setFinding(i, { reason: e.target.value })}
                      />
                    )}
                  </Field>
                </div>
              </FieldAnchor>
            );
          })}
        </section>

        <section className="card">
          <h2 className="card-title">{isRereview ? '复审意见' : '审核意见'}</h2>
          <FieldAnchor as="fieldset" path="outcome" className="inline-radios outcome-choice">
            <legend>
              审核意见<span className="req" aria-hidden="true">＊</span>
            </legend>
            {OUTCOMES.map((o) => (
              <label key={o} className={`outcome-option outcome-${o}`}>
                <input type="radio" name="outcome" value={o} data-testid={`outcome-${o}`} checked={form.outcome === o} onChange={() => edit({ outcome: o })} />
                {OUTCOME_LABELS[o]}
              </label>
            ))}
          </FieldAnchor>
          {form.outcome === 'return' && (
            <FieldAnchor as="fieldset" path="requests" className="rows" testId="requests-list">
              <legend>
                退回要求（逐项列明需补充或更正的内容）<span className="req" aria-hidden="true">＊</span>
              </legend>
              {form.requests.map((r, i) => (
                <FieldAnchor className="row" key={i} path={`requests.${i}`}>
                  <span className="row-no">{i + 1}.</span>
                  <input
                    aria-label={`退回要求第${i + 1}项`}
                    data-testid={`request-${i}`}
                    value={r}
                    onChange={(e) => edit((f) => ({ requests: f.requests.map((x, j) => (j === i ? e.target.value : x)) }))}
                  />
                  <button
                    type="button"
                    className="btn-small"
                    aria-label={`删除退回要求第${i + 1}项`}
                    disabled={form.requests.length === 1}
                    onClick={() => edit((f) => ({ requests: f.requests.filter((_x, j) => j !== i) }))}
                  >
                    删除
                  </button>
                </FieldAnchor>
              ))}
              <button type="button" className="btn-small" data-testid="request-add" onClick={() => edit((f) => ({ requests: [...f.requests, ''] }))}>
                ＋ 添加退回要求
              </button>
            </FieldAnchor>
          )}
          <Field label="审核意见书正文" path="opinion" required={form.outcome === 'disagree'} hint={form.outcome === 'agree' ? '不填写时记为“经审核，同意。”' : undefined}>
            {(id) => <textarea id={id} rows={4} data-testid="review-opinion" value={form.opinion} onChange={(e) => edit({ opinion: e.target.value })} />}
          </Field>
          <Field label="建议" path="suggestions">
            {(id) => <textarea id={id} rows={3} data-testid="review-suggestions" value={form.suggestions} onChange={(e) => edit({ suggestions: e.target.value })} />}
          </Field>
        </section>

        <div className="submit-bar" ref={errorRef}>
          <StaleBox message={stale} onReload={reloadDraft} testId="review-stale" />
          <FormErrorSummary form={errors} testId="review-error" />
          {detail.currentClock && (
            <p className="small" data-testid="review-submit-clock">
              {detail.currentClock.label}：<ClockChip clock={detail.currentClock} testId="review-submit-clock-chip" showDue />
            </p>
          )}
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="review-issue" disabled={busy}>
              {busy ? '正在出具……' : isRereview ? '出具复审意见' : '出具审核意见'}
            </button>
            <button type="button" onClick={() => navigate({ name: 'case', caseId })}>
              返回案件
            </button>
            <span className="hint">Ctrl+Enter 出具；审核草稿会自动保存</span>
          </div>
        </div>
      </form>
      </FormErrorsProvider>
    </div>
  );
}

/**
 * A refusal of reviews.issue as this page shows it: the rows it names by position in the request become
 * the criteria and requests on the page, and each criterion still without a result (details.missing) is
 * marked itself instead of one sentence for all.
 */
function placeReviewRefusal(error: { message: string; details?: unknown }, sentFindings: number[], sentRequests: number[]): { message: string; details: unknown } {
  const missing = ((error.details as { missing?: unknown } | undefined)?.missing ?? []) as number[];
  const issues = issuesOf(error.details).flatMap((i) => {
    if (i.path === 'findings' && missing.length) return missing.map((n) => ({ path: `findings.${n - 1}`, message: `第${n}项尚未作出结论。` }));
    const f = /^findings\.(\d+)(.*)$/.exec(i.path);
    if (f) return [{ path: `findings.${sentFindings[Number(f[1])] ?? f[1]}${f[2]}`, message: i.message }];
    const r = /^requests\.(\d+)$/.exec(i.path);
    if (r) return [{ path: `requests.${sentRequests[Number(r[1])] ?? r[1]}`, message: i.message }];
    return [i];
  });
  return { message: error.message, details: { issues } };
}
