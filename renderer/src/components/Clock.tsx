// Statutory clocks: the coloured chip on queue rows and the 期限 section of the case page
// (every clock with start, due date, what is left, extension details; extension by the legal office
// head; 24-hour clocks and completions by the handler). Refusals from the core are shown verbatim.
import { useState, type FormEvent } from 'react';
import type { CaseDetail, ClockView, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { chinaLocalToIso, fmtDate, fmtDateOrInstant, fmtDateTime, isoToChinaLocal } from '../format';
import { CLOCK_STATE_LABELS, HOUR_CLOCK_LABELS, PROVISIONAL_LABEL, type HourClockKind } from '../labels';
import { ErrorBox, Field, Notice, onCtrlEnterSubmit } from './common';
import { DateTimeInput } from './DateInput';

/** Remaining time of one clock, coloured by state: green ok, amber ≤ 1 working day, red overdue. */
export function ClockChip({ clock, testId = 'review-clock', showDue }: { clock: ClockView; testId?: string; showDue?: boolean }) {
  return (
    <span className="clock-cell">
      <span
        className={`clock clock-${clock.state}`}
        data-testid={testId}
        data-state={clock.state}
        data-provisional={clock.provisional ? 'true' : 'false'}
        title={`${clock.label}：${clock.dueLabel}到期（${CLOCK_STATE_LABELS[clock.state]}）`}
      >
        <span className="clock-dot" aria-hidden="true" />
        {clock.remainingLabel}
      </span>
      {clock.provisional && (
        <span className="provisional" data-testid={`${testId}-provisional`}>
          （{PROVISIONAL_LABEL}）
        </span>
      )}
      {showDue && <span className="muted small clock-due">{clock.dueLabel}到期</span>}
    </span>
  );
}

/**
 * The case's clock where the work is done (the review and re-review page, drafting, the minutes):
 * which clock, what is left (剩余N个工作日 / 今日到期 / 已逾期N个工作日, 待官方安排确认 where it applies)
 * and the due date. The core chose the clock (CaseDetail.currentClock, MeetingItemView.clock).
 */
export function WorkClock({ clock, testId = 'work-clock', none }: { clock: ClockView | null; testId?: string; none?: string }) {
  if (!clock) return none ? <span className="muted small" data-testid={`${testId}-none`}>{none}</span> : null;
  return (
    <span className="work-clock" data-testid={`${testId}-box`} data-kind={clock.kind}>
      <span className="muted">{clock.label}</span>
      <ClockChip clock={clock} testId={testId} showDue />
    </span>
  );
}

const isReviewClock = (c: ClockView) => c.kind === 'review' || c.kind === 'rereview';
const HOUR_KINDS: HourClockKind[] = ['av_records', 'emergency_report'];

export function ClocksSection({
  detail,
  session,
  onChanged,
}: {
  detail: CaseDetail;
  session: SessionView;
  onChanged: () => Promise<void> | void;
}) {
  const roles = session.user.roles;
  const isHandler = roles.includes('handler') && detail.handlerId === session.user.id;
  const running = detail.clocks.find((c) => isReviewClock(c) && c.endedAt === null && c.state !== 'done');
  // Only the clocks met by a bare 登记完成; 归档 and 送达/执行 are met by their own records.
  const completable = (c: ClockView) => isHandler && ['publication', 'av_records', 'emergency_report'].includes(c.kind) && c.state !== 'done';
  const showActions = detail.clocks.some(completable);

  const [extending, setExtending] = useState(false);
  const [reason, setReason] = useState('');
  const [starting, setStarting] = useState(false);
  const [hourKind, setHourKind] = useState<HourClockKind>('av_records');
  const [startedAt, setStartedAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function extend(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return setError('请写明延长理由（案情复杂的具体情形）。');
    setBusy(true);
    setError(null);
    const res = await call('deadlines.extend', { caseId: detail.id, reason });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setExtending(false);
    setReason('');
    const now = res.value.find((c) => isReviewClock(c) && c.endedAt === null);
    setNotice(now ? `审核期限已延长至${now.dueLabel}。` : '审核期限已延长。');
    await onChanged();
  }

  async function startHour(e: FormEvent) {
    e.preventDefault();
    if (!startedAt) return setError('请填写开始时间。');
    setBusy(true);
    setError(null);
    const res = await call('clocks.start', { caseId: detail.id, kind: hourKind, startedAt: chinaLocalToIso(startedAt) });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setStarting(false);
    setNotice(`已登记“${HOUR_CLOCK_LABELS[hourKind]}”计时。`);
    await onChanged();
  }

  async function complete(c: ClockView) {
    setBusy(true);
    setError(null);
    const res = await call('clocks.complete', { caseId: detail.id, kind: c.kind as 'publication' | 'archive' | 'av_records' | 'emergency_report' });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setNotice(`已登记“${c.label}”完成。`);
    await onChanged();
  }

  return (
    <section className="card" data-testid="clocks-section" aria-labelledby="clocks-title">
      <h2 className="card-title" id="clocks-title">
        期限
        {running && <ClockChip clock={running} testId="case-review-clock" showDue />}
      </h2>
      {detail.clocks.length === 0 ? (
        <p className="muted">本案目前没有计算中的期限。</p>
      ) : (
        <table className="table clocks-table" data-testid="clocks-table">
          <thead>
            <tr>
              <th scope="col">期限</th>
              <th scope="col">起算</th>
              <th scope="col">到期</th>
              <th scope="col">状态</th>
              <th scope="col">延长</th>
              {showActions && <th scope="col">操作</th>}
            </tr>
          </thead>
          <tbody>
            {detail.clocks.map((c, i) => (
              <tr key={`${c.kind}-${i}`} data-testid="clock-row" data-kind={c.kind} data-state={c.state} className={`clock-row-${c.state}`}>
                <td>
                  {c.label}
                  {c.provisional && (
                    <div className="provisional" data-testid="clock-provisional">
                      {PROVISIONAL_LABEL}
                    </div>
                  )}
                </td>
                <td className="nowrap">{fmtDateOrInstant(c.start)}</td>
                <td className="nowrap" data-testid="clock-due">
                  {c.dueLabel}
                  {c.extension && <div className="muted small">原到期日 {fmtDate(c.extension.originalDue)}</div>}
                </td>
                <td>
                  {c.state === 'done' ? (
                    <span className="clock clock-done" data-testid="clock-remaining" data-state="done">
                      {c.remainingLabel}
                      {c.endedAt && <span className="muted small">（{fmtDateTime(c.endedAt)}）</span>}
                    </span>
                  ) : (
                    <span className={`clock clock-${c.state}`} data-testid="clock-remaining" data-state={c.state}>
                      <span className="clock-dot" aria-hidden="true" />
                      {c.remainingLabel}
                    </span>
                  )}
                </td>
                <td data-testid="clock-extension">
                  {c.extension ? (
                    <div className="small">
                      延长{c.extension.days}日，{c.extension.by}于{fmtDateTime(c.extension.at)}批准
                      <div className="pre">理由：{c.extension.reason}</div>
                    </div>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                {showActions && (
                  <td>
                    {completable(c) && (
                      <button type="button" className="btn-small" data-testid={`clock-complete-${c.kind}`} disabled={busy} onClick={() => void complete(c)}>
                        登记完成
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="actions">
        {detail.allowed.includes('extension.extend') && running && !extending && (
          <button type="button" className="btn-primary" data-testid="extend-open" onClick={() => { setExtending(true); setError(null); setNotice(null); }}>
            延长审核期限
          </button>
        )}
        {isHandler && !starting && (
          <button
            type="button"
            data-testid="hour-clock-open"
            onClick={() => {
              setStarting(true);
              setError(null);
              setNotice(null);
              setStartedAt(isoToChinaLocal(new Date().toISOString()));
            }}
          >
            登记24小时计时
          </button>
        )}
      </div>

      {extending && (
        <form className="inline-form" noValidate onSubmit={extend} onKeyDown={onCtrlEnterSubmit} data-testid="extend-form">
          <p className="hint">
            案情复杂的，经负责人批准可延长审核期限一次（批准人按本机关设置）。请写明延长理由；延长天数按本机关设置计算。
          </p>
          <Field label="延长理由" required>
            {(id) => (
              <textarea id={id} rows={2} data-testid="extend-reason" value={reason} aria-required="true" onChange={(e) => setReason(e.target.value)} />
            )}
          </Field>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="extend-submit" disabled={busy}>
              批准延长
            </button>
            <button type="button" onClick={() => setExtending(false)}>
              取消
            </button>
            <span className="hint">Ctrl+Enter 提交</span>
          </div>
        </form>
      )}

      {starting && (
        <form className="inline-form" noValidate onSubmit={startHour} onKeyDown={onCtrlEnterSubmit} data-testid="hour-clock-form">
          <div className="grid-2">
            <Field label="计时类型" required>
              {(id) => (
                <select id={id} data-testid="hour-clock-kind" value={hourKind} onChange={(e) => setHourKind(e.target.value as HourClockKind)}>
                  {HOUR_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {HOUR_CLOCK_LABELS[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="开始时间（北京时间）" required hint="自该时间起24小时内须完成。">
              {(id) => <DateTimeInput id={id} label="开始时间" testId="hour-clock-start" value={startedAt} onChange={setStartedAt} />}
            </Field>
          </div>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="hour-clock-submit" disabled={busy}>
              登记计时
            </button>
            <button type="button" onClick={() => setStarting(false)}>
              取消
            </button>
          </div>
        </form>
      )}
      <ErrorBox message={error} testId="clock-error" />
      <Notice message={notice} testId="clock-notice" />
    </section>
  );
}
