// The case page: who is responsible, the head-override banner, every submission round, every review
// round, approvals and the full-process timeline; action buttons follow `allowed` from the core.
import { ExtensionRequests } from '../components/ExtensionRequests';
import { ExpertOpinions } from '../components/ExpertOpinions';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CaseDetail, ReviewView, SessionView, SubmissionView, TimelineEntry } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Loading, Notice, ProcedureRows, StateBadge } from '../components/common';
import { useConfirm } from '../components/ConfirmDialog';
import { fmtDate, fmtDateTime, fmtSize, fmtYuan } from '../format';
import { APPROVAL_LABELS, DECISION_KIND_LABELS, findingLabel, OUTCOME_LABELS, PARTY_ID_LABELS, PARTY_TYPE_LABELS } from '../labels';
import { navigate } from '../router';
import { cstMinute, useLiveChanges } from '../live';
import { ApprovalPanel } from './ApprovalPanel';
import { ClocksSection } from '../components/Clock';
import { ReferralCard } from '../components/ReferralCard';
import { EnforcementCard } from '../components/EnforcementCard';
import { ArchiveCard } from '../components/ArchiveCard';
import { InspectionCard } from '../components/InspectionCard';
import { FilingCard } from '../components/FilingCard';
import { DissentForm, DissentRecords, type DissentKind } from './DissentForms';
import { EndingRecords, GateForm, type GateAction } from './GateForms';
import { CaseDocuments, SubmissionCompare } from './CaseDocuments';
import { openPrintView } from './PrintViews';

/** Roles that may read meeting minutes (permission meeting.read in the core). */
const MEETING_READERS = ['secretary', 'agency_head', 'legal_head', 'reviewer'];

type Tab = 'submissions' | 'reviews' | 'approvals' | 'timeline';
const TABS: { id: Tab; label: string }[] = [
  { id: 'submissions', label: '送审材料' },
  { id: 'reviews', label: '审核意见' },
  { id: 'approvals', label: '审批' },
  { id: 'timeline', label: '时间线' },
];

export function CasePage({ caseId, session }: { caseId: number; session: SessionView }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('submissions');
  const [approving, setApproving] = useState(false);
  // Set once this desk has closed the case: the 办结 button stays, disabled, with the result beside it.
  const [closedHere, setClosedHere] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  const [busy, setBusy] = useState(false);
  const [dissent, setDissent] = useState<DissentKind | null>(null);
  const [gate, setGate] = useState<GateAction | null>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const load = useCallback(async () => {
    const res = await call('cases.get', { caseId });
    if (res.ok) {
      setDetail(res.value);
      setError(null);
    } else setError(res.error.message);
  }, [caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Team mode: someone at another desk changed this case. With no form open the page follows at once;
  // with one open it only says so, and the writer's version check keeps the other's work safe.
  const [changedBy, setChangedBy] = useState<{ by: string; at: string; reloaded: boolean } | null>(null);
  const formOpen = approving || dissent !== null || gate !== null || busy;
  useLiveChanges(
    (e) => e.caseId === caseId && e.byId !== session.user.id,
    (events) => {
      const last = events[events.length - 1];
      setChangedBy({ by: last.by, at: last.at, reloaded: !formOpen });
      if (!formOpen) void load();
    },
  );

  if (error) return <ErrorBox message={error} />;
  if (!detail) return <Loading />;

  const allowed = new Set(detail.allowed);
  const overrides = detail.approvals.filter((a) => a.override);
  const canReadMeetings = session.user.roles.some((r) => MEETING_READERS.includes(r));
  const rereview = detail.state === 'rereview_requested';

  async function take() {
    setBusy(true);
    setActionError(null);
    const res = await call('reviews.take', { caseId });
    setBusy(false);
    if (!res.ok) return setActionError(res.error.message);
    navigate({ name: 'review', caseId });
  }

  async function close() {
    const ok = await ask({
      title: '确认办结本案？',
      message: '办结后本案归档，不能再送审、审核或审批；全过程记录中记下办结时间和办理人。',
      confirmLabel: '确认办结',
      okTestId: 'action-close-confirm',
    });
    if (!ok) return;
    setBusy(true);
    setActionError(null);
    const res = await call('cases.close', { caseId });
    setBusy(false);
    if (!res.ok) return setActionError(res.error.message);
    setDetail(res.value);
    setClosedHere(true);
    setNotice('案件已办结。');
  }

  function onTabKey(e: KeyboardEvent<HTMLDivElement>) {
    const i = TABS.findIndex((t) => t.id === tab);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i + TABS.length - 1) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next >= 0) {
      e.preventDefault();
      setTab(TABS[next].id);
      tabRefs.current[next]?.focus();
    }
  }

  const counts: Record<Tab, number> = {
    submissions: detail.submissions.length,
    reviews: detail.reviews.length,
    approvals: detail.approvals.length,
    timeline: withMeetingEntries(detail).length,
  };

  return (
    <div className="page" data-testid="case-page" data-case-id={detail.id}>
      {confirmDialog}
      <div className="case-head card">
        <div className="case-head-top">
          <div>
            <div className="case-no" data-testid="case-no">
              {detail.caseNo}
            </div>
            <h1 className="case-title" data-testid="case-title">
              {detail.title}
            </h1>
            <div className="muted">
              {DECISION_KIND_LABELS[detail.kind]} · 当事人：{detail.partyName} · 第{detail.round}轮送审 · 目录清单第{detail.catalogVersion}版
            </div>
          </div>
          <StateBadge state={detail.state} outcome={detail.lastOutcome} />
        </div>
        <dl className="responsible" data-testid="responsible">
          <div>
            <dt>承办人</dt>
            <dd data-testid="responsible-handler">{detail.responsible.handler}</dd>
          </div>
          <div>
            <dt>审核人</dt>
            <dd data-testid="responsible-reviewer">{detail.responsible.reviewer ?? '（尚未审核）'}</dd>
          </div>
          <div>
            <ApproverTerm detail={detail} />
          </div>
        </dl>
        <HeadOutcomes detail={detail} />
      </div>

      {detail.headOverride && (
        <div className="override-banner" role="alert" data-testid="override-banner">
          <strong>负责人不采纳法制审核意见</strong>
          {overrides.map((a) =>
            a.meetingId !== null ? (
              <div key={a.id} data-testid="override-banner-meeting">
                经负责人会议集体讨论，由会议主持人{a.head}于{fmtDateTime(a.decidedAt)}确认纪要，作出“{APPROVAL_LABELS[a.decision]}”决定（法制审核意见为“
                {a.reviewOutcome ? OUTCOME_LABELS[a.reviewOutcome] : '无'}”）。{(a.overrideReason ?? '').replace(/[。.；;\s]+$/, '')}
                。依规定由参加集体讨论作出决定的负责人承担相应责任。
                {canReadMeetings && (
                  <>
                    {' '}
                    <a className="banner-link" href={`#/meeting/${a.meetingId}`} data-testid="override-meeting-link">
                      查看会议纪要
                    </a>
                  </>
                )}
              </div>
            ) : (
              <div key={a.id}>
                {a.head}于{fmtDateTime(a.decidedAt)}作出“{APPROVAL_LABELS[a.decision]}”决定（法制审核意见为“
                {a.reviewOutcome ? OUTCOME_LABELS[a.reviewOutcome] : '无'}”），理由：{(a.overrideReason ?? '').replace(/[。.；;\s]+$/, '')}
                。依规定由作出决定的负责人承担相应责任。
              </div>
            ),
          )}
        </div>
      )}

      {detail.state === 'rejected' && detail.approvals.at(-1)?.decision === 'reject' && (
        <section className="card card-warn" data-testid="rejection-notice">
          <h2 className="card-title">
            {detail.approvals.at(-1)!.meetingId !== null ? '负责人会议集体讨论决定不予批准' : '负责人不予批准'}
            <span className="muted small">
              {detail.approvals.at(-1)!.head} · {fmtDateTime(detail.approvals.at(-1)!.decidedAt)}
            </span>
          </h2>
          <div className="pre">{detail.approvals.at(-1)!.opinion}</div>
          <p className="hint">本案已退回承办单位：可修改处理方案重新送审（重新进行法制审核），或提出终结意见（经法制审核人员审核、机关负责人批准）。</p>
        </section>
      )}

      <div className="action-bar" data-testid="case-actions">
        <button type="button" data-testid="action-print" title="打印本案摘要及时间线（A4）" onClick={() => openPrintView({ name: 'casePrint', caseId })}>
          打印
        </button>
        {allowed.has('review.take') && (
          <button type="button" className="btn-primary" data-testid="action-take" disabled={busy} onClick={() => void take()}>
            {rereview ? '领取复审' : '领取审核'}
          </button>
        )}
        {allowed.has('review.issue') && (
          <button type="button" className="btn-primary" data-testid="action-review" onClick={() => navigate({ name: 'review', caseId })}>
            {rereview ? '复审' : '审核'}
          </button>
        )}
        {allowed.has('case.resubmit') && (
          <button type="button" className="btn-primary" data-testid="action-resubmit" onClick={() => navigate({ name: 'resubmit', caseId })}>
            补正后重新送审
          </button>
        )}
        {allowed.has('rereview.request') && (
          <button
            type="button"
            data-testid="action-rereview"
            aria-expanded={dissent === 'rereview'}
            onClick={() => setDissent((d) => (d === 'rereview' ? null : 'rereview'))}
          >
            申请复审
          </button>
        )}
        {allowed.has('case.escalate') && (
          <button
            type="button"
            data-testid="action-escalate"
            aria-expanded={dissent === 'escalate'}
            onClick={() => setDissent((d) => (d === 'escalate' ? null : 'escalate'))}
          >
            提请集体讨论
          </button>
        )}
        {allowed.has('case.propose') && (
          <button type="button" data-testid="action-propose" aria-expanded={gate === 'propose'} onClick={() => setGate((g) => (g === 'propose' ? null : 'propose'))}>
            提请集体讨论
          </button>
        )}
        {allowed.has('case.revise') && (
          <button type="button" className="btn-primary" data-testid="action-revise" onClick={() => navigate({ name: 'revise', caseId })}>
            修改处理方案重新送审
          </button>
        )}
        {allowed.has('case.end') && (
          <button type="button" data-testid="action-end" aria-expanded={gate === 'end'} onClick={() => setGate((g) => (g === 'end' ? null : 'end'))}>
            提出终结意见
          </button>
        )}
        {allowed.has('ending.review') && (
          <button type="button" className="btn-primary" data-testid="action-ending-review" aria-expanded={gate === 'endingReview'} onClick={() => setGate((g) => (g === 'endingReview' ? null : 'endingReview'))}>
            审核终结意见
          </button>
        )}
        {allowed.has('ending.decide') && (
          <button type="button" className="btn-primary" data-testid="action-ending-decide" aria-expanded={gate === 'endingDecide'} onClick={() => setGate((g) => (g === 'endingDecide' ? null : 'endingDecide'))}>
            批准终结
          </button>
        )}
        {allowed.has('approval.decide') && (
          <button
            type="button"
            className="btn-primary"
            data-testid="action-approve"
            aria-expanded={approving}
            onClick={() => setApproving((v) => !v)}
          >
            审批
          </button>
        )}
        {allowed.has('case.close') && (
          <button type="button" data-testid="action-close" disabled={busy} onClick={() => void close()}>
            办结
          </button>
        )}
        {closedHere && detail.state === 'closed' && (
          <span>
            <button type="button" data-testid="action-close" disabled>
              办结
            </button>
            <span className="done-mark" data-testid="action-close-done">
              ✓ 已办结
            </span>
          </span>
        )}
        {detail.allowed.length === 0 && !closedHere && <span className="muted">当前无需您办理的操作。</span>}
      </div>
      {allowed.has('rereview.request') && allowed.has('case.revise') && (
        <p className="hint" data-testid="disagree-options">
          对“不同意”意见，承办单位可以：书面申请复审（以一次为限，由其他审核人员复审）；接受意见，修改处理方案后重新送审；
          {allowed.has('case.propose') ? '或提请负责人集体讨论决定。' : '复审后仍有异议的，由法制机构提请负责人集体讨论。'}
        </p>
      )}
      <ErrorBox message={actionError} testId="action-error" />
      <Notice message={notice} />
      {changedBy && (
        <div className="notice-box" role="status" data-testid="case-changed-elsewhere">
          本案已被{changedBy.by}于{cstMinute(changedBy.at)}更新{changedBy.reloaded ? '，页面已显示最新内容。' : '。您正在填写的内容仍保留；提交前请先核对最新情况。'}
          {!changedBy.reloaded && (
            <button type="button" className="btn-link" data-testid="case-changed-reload" onClick={() => { setChangedBy(null); void load(); }}>
              重新载入
            </button>
          )}
          <button type="button" className="btn-link" aria-label="关闭提示" onClick={() => setChangedBy(null)}>
            知道了
          </button>
        </div>
      )}

      {dissent && allowed.has(dissent === 'rereview' ? 'rereview.request' : 'case.escalate') && (
        <DissentForm
          key={dissent}
          kind={dissent}
          detail={detail}
          onCancel={() => setDissent(null)}
          onDone={(d) => {
            setDetail(d);
            setNotice(dissent === 'rereview' ? '已提交复审申请，等待法制机构复审。' : '已提请负责人集体讨论。');
            setDissent(null);
          }}
        />
      )}

      {gate && (
        <GateForm
          key={gate}
          action={gate}
          detail={detail}
          onCancel={() => setGate(null)}
          onDone={(d) => {
            setDetail(d);
            setNotice(
              gate === 'propose'
                ? '已提请负责人集体讨论，待会议秘书列入议题。'
                : gate === 'end'
                  ? '已提出终结意见，待法制审核人员审核。'
                  : gate === 'endingReview'
                    ? '审核意见已记录。'
                    : '决定已记录。',
            );
            setGate(null);
          }}
        />
      )}

      <DissentRecords detail={detail} />

      <EndingRecords detail={detail} />

      <ReferralCard detail={detail} onDone={setDetail} />
      <EnforcementCard detail={detail} onDone={setDetail} />
      <ArchiveCard detail={detail} onDone={setDetail} />
      <FilingCard detail={detail} onDone={setDetail} />
      <InspectionCard detail={detail} onDone={setDetail} />

      <ClocksSection detail={detail} session={session} onChanged={load} />

      <ExtensionRequests detail={detail} onDone={setDetail} />

      <ExpertOpinions detail={detail} onDone={setDetail} />

      <CaseDocuments detail={detail} session={session} />

      {approving && allowed.has('approval.decide') && (
        <ApprovalPanel
          detail={detail}
          session={session}
          onCancel={() => setApproving(false)}
          onDone={(d) => {
            setDetail(d);
            setApproving(false);
            setNotice('审批决定已记录。');
            setTab('approvals');
          }}
        />
      )}

      <div className="tabs" role="tablist" aria-label="案件内容" onKeyDown={onTabKey}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            data-testid={`tab-${t.id}`}
            className={tab === t.id ? 'active' : undefined}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            <span className="count">{counts[t.id]}</span>
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel" data-testid={`panel-${tab}`}>
        {tab === 'submissions' && (
          <>
            <SubmissionCompare detail={detail} />
            <Submissions items={detail.submissions} />
          </>
        )}
        {tab === 'reviews' && <Reviews items={detail.reviews} />}
        {tab === 'approvals' && <Approvals detail={detail} canReadMeetings={canReadMeetings} />}
        {tab === 'timeline' && <Timeline detail={detail} />}
      </div>
    </div>
  );
}

/** Who decided, named for what they decided: 批准人 / 不予批准人, or a collective discussion's 决定. */
function ApproverTerm({ detail }: { detail: CaseDetail }) {
  const last = detail.approvals.at(-1);
  if (!last) {
    return (
      <>
        <dt>批准人</dt>
        <dd data-testid="responsible-approver">（尚未审批）</dd>
      </>
    );
  }
  if (last.meetingId !== null) {
    return (
      <>
        <dt data-testid="responsible-approver-term">决定</dt>
        <dd data-testid="responsible-approver">
          <span className={`outcome outcome-${last.decision === 'approve' ? 'agree' : 'disagree'}`}>{APPROVAL_LABELS[last.decision]}</span>
          （集体讨论）
        </dd>
      </>
    );
  }
  return (
    <>
      <dt data-testid="responsible-approver-term">{last.decision === 'reject' ? '不予批准人' : '批准人'}</dt>
      <dd data-testid="responsible-approver">{last.head}</dd>
    </>
  );
}

/** The latest review outcome and the approval's decision, in words and colour, under the case head. */
function HeadOutcomes({ detail }: { detail: CaseDetail }) {
  const review = detail.reviews.at(-1);
  // A decision belongs to the head only once taken in this cycle: after 修改处理方案重新送审 the old one is history.
  const decided = ['approved', 'rejected', 'closed', 'ending_proposed', 'ending_reviewed', 'ended'].includes(detail.state);
  const approval = decided ? detail.approvals.at(-1) : undefined;
  if (!review && !approval) return null;
  return (
    <div className="case-outcomes" data-testid="case-outcomes">
      {review && (
        <span data-testid="head-review-outcome" data-outcome={review.outcome}>
          第{review.round}轮{review.kind === 'rereview' ? '复审' : '审核'}意见：
          <span className={`outcome outcome-${review.outcome}`}>{OUTCOME_LABELS[review.outcome]}</span>
          <span className="muted small">（{review.reviewer}，{fmtDateTime(review.issuedAt)}）</span>
        </span>
      )}
      {approval && (
        <span data-testid="head-approval-decision" data-decision={approval.decision}>
          决定：<span className={`outcome outcome-${approval.decision === 'approve' ? 'agree' : 'disagree'}`}>{APPROVAL_LABELS[approval.decision]}</span>
          <span className="muted small">
            （{approval.meetingId !== null ? `负责人会议集体讨论，主持人${approval.head}` : approval.head}，{fmtDateTime(approval.decidedAt)}）
          </span>
        </span>
      )}
    </div>
  );
}

function Submissions({ items }: { items: SubmissionView[] }) {
  const latestFirst = [...items].sort((a, b) => b.round - a.round);
  if (latestFirst.length === 0) return <p className="empty">暂无送审材料。</p>;
  return (
    <div>
      {latestFirst.map((s, i) =>
        i === 0 ? (
          <section key={s.round} className="card" data-testid={`submission-round-${s.round}`}>
            <h2 className="card-title">
              第{s.round}轮送审材料（最新） <span className="muted small">{fmtDateTime(s.submittedAt)} · {s.submittedBy}</span>
            </h2>
            <SubmissionBody s={s} />
          </section>
        ) : (
          <details key={s.round} className="card collapsible" data-testid={`submission-round-${s.round}`}>
            <summary>
              第{s.round}轮送审材料 <span className="muted small">{fmtDateTime(s.submittedAt)} · {s.submittedBy}</span>
            </summary>
            <SubmissionBody s={s} />
          </details>
        ),
      )}
    </div>
  );
}

function SubmissionBody({ s }: { s: SubmissionView }) {
  return (
    <div className="submission">
      {s.changeNote && (
        <div className="change-note">
          <strong>补正说明：</strong>
          <span className="pre">{s.changeNote}</span>
        </div>
      )}
      <dl className="kv">
        <dt>案件编号</dt>
        <dd>{s.caseNo}</dd>
        <dt>案件名称</dt>
        <dd>{s.title}</dd>
        <dt>决定类型</dt>
        <dd>{DECISION_KIND_LABELS[s.kind]}</dd>
        <dt>当事人</dt>
        <dd>
          {s.party.name}（{PARTY_TYPE_LABELS[s.party.type]}）
          <br />
          {PARTY_ID_LABELS[s.party.type]}：<span className="mono">{s.party.idNumber}</span>
          <br />
          地址：{s.party.address}
        </dd>
        <dt>违法事实</dt>
        <dd className="pre">{s.facts}</dd>
        <dt>证据清单</dt>
        <dd>
          <ol className="plain-list">
            {s.evidence.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ol>
        </dd>
        <dt>法律依据</dt>
        <dd>
          <ul className="plain-list">
            {s.legalBasis.map((b, i) => (
              <li key={i}>
                《{b.law.replace(/^《|》$/g, '')}》{b.article}
              </li>
            ))}
          </ul>
        </dd>
        <dt>拟作出的决定</dt>
        <dd className="pre">{s.proposedDecision}</dd>
        {s.fineFen !== null && (
          <>
            <dt>罚款金额</dt>
            <dd data-testid="fine">
              {fmtYuan(s.fineFen)}（{s.fineCapitals}）
            </dd>
          </>
        )}
        {(s.majorLines ?? []).length > 0 && (
          <>
            <dt>重大执法决定认定</dt>
            <dd data-testid="major-lines">
              <ul className="plain-list">
                {s.majorLines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>已履行的程序</dt>
        <dd>
          <table className="table compact">
            <tbody>
              <ProcedureRows procedure={s.procedure} />
            </tbody>
          </table>
        </dd>
        <dt>执法人员</dt>
        <dd>{s.officers.map((o) => `${o.name}（执法证 ${o.certNo ?? '未登记'}）`).join('、')}</dd>
        <dt>附件</dt>
        <dd>
          {s.attachments.length === 0
            ? '无'
            : s.attachments.map((a) => (
                <div key={a.sha256 + a.name} data-testid="submission-attachment">
                  {a.name} <span className="muted">{fmtSize(a.size)}</span>
                </div>
              ))}
        </dd>
      </dl>
    </div>
  );
}

function Reviews({ items }: { items: ReviewView[] }) {
  if (items.length === 0) return <p className="empty">尚未出具审核意见。</p>;
  const latestFirst = [...items].sort((a, b) => b.id - a.id);
  return (
    <div>
      {latestFirst.map((r) => (
        <section key={r.id} className="card" data-testid={`review-round-${r.round}`}>
          <h2 className="card-title">
            第{r.round}轮{r.kind === 'rereview' ? '复审' : '审核'}意见：
            <span className={`outcome outcome-${r.outcome}`}>{OUTCOME_LABELS[r.outcome]}</span>
            <span className="muted small">
              审核人：{r.reviewer} · {fmtDateTime(r.issuedAt)}
            </span>
          </h2>
          <table className="table findings">
            <thead>
              <tr>
                <th scope="col">序号</th>
                <th scope="col">审核内容</th>
                <th scope="col">结论</th>
                <th scope="col">理由</th>
              </tr>
            </thead>
            <tbody>
              {r.findings.map((f) => (
                <tr key={f.criterion}>
                  <td>{f.criterion}</td>
                  <td>{f.title}</td>
                  <td className={`finding finding-${f.result}`}>{findingLabel(f.criterion, f.result)}</td>
                  <td className="pre">{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="kv">
            <dt>审核意见</dt>
            <dd className="pre">{r.opinion}</dd>
            {r.requests.length > 0 && (
              <>
                <dt>退回要求</dt>
                <dd>
                  <ol className="plain-list">
                    {r.requests.map((q, i) => (
                      <li key={i}>{q}</li>
                    ))}
                  </ol>
                </dd>
              </>
            )}
            {r.suggestions && (
              <>
                <dt>建议</dt>
                <dd className="pre">{r.suggestions}</dd>
              </>
            )}
          </dl>
        </section>
      ))}
    </div>
  );
}

function Approvals({ detail, canReadMeetings }: { detail: CaseDetail; canReadMeetings: boolean }) {
  if (detail.approvals.length === 0) return <p className="empty">尚未审批。</p>;
  return (
    <div>
      {[...detail.approvals].reverse().map((a) => (
        <section key={a.id} className={`card ${a.override ? 'card-danger' : ''}`} data-testid="approval-record">
          <h2 className="card-title">
            {APPROVAL_LABELS[a.decision]}
            <span className="muted small">
              {a.meetingId !== null ? '会议主持人' : a.decision === 'reject' ? '不予批准人' : '批准人'}：{a.head} · {fmtDateTime(a.decidedAt)}
            </span>
          </h2>
          {a.meetingId !== null && (
            <p className="meeting-source" data-testid="approval-meeting">
              负责人会议集体讨论决定
              {canReadMeetings ? (
                <>
                  {' '}
                  <a href={`#/meeting/${a.meetingId}`} data-testid="approval-meeting-link">
                    查看会议纪要
                  </a>
                </>
              ) : (
                '（会议纪要由会议秘书和负责人查阅）'
              )}
            </p>
          )}
          <dl className="kv">
            <dt>审批意见</dt>
            <dd className="pre">{a.opinion}</dd>
            <dt>法制审核意见</dt>
            <dd>{a.reviewOutcome ? OUTCOME_LABELS[a.reviewOutcome] : '无'}</dd>
            {a.override && (
              <>
                <dt>不采纳理由</dt>
                <dd className="pre">
                  <strong>负责人不采纳法制审核意见：</strong>
                  {a.overrideReason}
                </dd>
              </>
            )}
          </dl>
        </section>
      ))}
    </div>
  );
}

/**
 * Minutes confirmed before the core logged meeting.confirm on each case (older records) left the case's
 * own list without it. An approval linked to a meeting is written in that same step, by the chair, at the
 * same instant: it stands in for the confirmation there (marked as taken from the meeting record). Where
 * the core's own 确认会议纪要 entry is present, nothing is added: each event is listed once.
 */
export function withMeetingEntries(detail: CaseDetail): (TimelineEntry & { derived?: boolean })[] {
  const out: (TimelineEntry & { derived?: boolean })[] = [...detail.timeline];
  const confirmedAt = detail.timeline.filter((t) => t.action === 'meeting.confirm' || t.action === 'meeting.lock').map((t) => Date.parse(t.at));
  for (const a of detail.approvals) {
    if (a.meetingId === null) continue;
    const when = Date.parse(a.decidedAt);
    if (confirmedAt.some((c) => Math.abs(c - when) < 60_000)) continue;
    const at = out.findIndex((t) => t.action === 'approval.decide' && Math.abs(Date.parse(t.at) - when) < 60_000);
    const entry = {
      seq: -a.id,
      at: a.decidedAt,
      actor: at >= 0 ? out[at].actor : a.head,
      action: 'meeting.lock',
      label: '确认会议纪要',
      summary: '会议主持人确认并锁定负责人会议纪要，集体讨论决定生效（据会议记录）',
      derived: true,
    };
    if (at >= 0) out.splice(at, 0, entry);
    else out.push(entry);
  }
  return out;
}

function Timeline({ detail }: { detail: CaseDetail }) {
  const entries = withMeetingEntries(detail);
  return (
    <table className="table" data-testid="timeline">
      <thead>
        <tr>
          <th scope="col">时间（北京时间）</th>
          <th scope="col">办理人</th>
          <th scope="col">环节</th>
          <th scope="col">内容</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((t) => (
          <tr key={t.seq} data-testid="timeline-entry" data-action={t.action} data-derived={t.derived ? 'true' : undefined}>
            <td className="nowrap">{fmtDateTime(t.at)}</td>
            <td>{t.actor}</td>
            <td className="nowrap" data-testid="timeline-label">
              {t.label}
            </td>
            <td>{t.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
