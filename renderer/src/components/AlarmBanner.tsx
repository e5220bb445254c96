// The alarm of a failed verification (services/alarms.ts), at the top of every screen for the system
// administrator and the legal office head until one of them acknowledges it with a reason. Polls
// 'audit.alarms' once a minute (a passive channel: it does not keep an idle session alive) and at once
// when 记录校验 raises an alarm. Acknowledging takes two steps: the reason, then a confirmation that says
// what will be recorded; the core checks the role, the reason and that it is the first acknowledgement.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { AlarmView, SessionView } from '../../../main/core/domain/views';
import type { Role } from '../../../main/core/domain/types';
import { call } from '../api';
import { fmtDateTime } from '../format';

export const ALARMS_CHANGED_EVENT = 'lrw:alarms-changed';
export const ALARM_POLL_MS = 60_000;
/** Who sees alarms (permission audit.alarms in main/core/domain/permissions.ts). */
export const ALARM_ROLES: Role[] = ['sys_admin', 'legal_head'];
const REASON_MIN = 4;
/** At most this many alarms are spelled out; the rest are counted. */
const SHOWN = 3;

export function AlarmBanner({ session }: { session: SessionView }) {
  const sees = session.user.roles.some((r) => ALARM_ROLES.includes(r));
  const [alarms, setAlarms] = useState<AlarmView[]>([]);
  const sectionRef = useRef<HTMLElement>(null);

  // A failed poll keeps what was shown: an alarm does not vanish because one request failed.
  const load = useCallback(async () => {
    const res = await call('audit.alarms', {});
    if (res.ok) setAlarms(res.value);
  }, []);

  useEffect(() => {
    if (!sees) return;
    void load();
    const t = setInterval(() => void load(), ALARM_POLL_MS);
    const onChanged = () => void load();
    window.addEventListener(ALARMS_CHANGED_EVENT, onChanged);
    return () => {
      clearInterval(t);
      window.removeEventListener(ALARMS_CHANGED_EVENT, onChanged);
    };
  }, [sees, load]);

  // After an acknowledgement the focus goes to the next alarm's button (its own button is gone).
  const afterAck = async () => {
    await load();
    setTimeout(() => sectionRef.current?.querySelector<HTMLButtonElement>('.alarm-ack-open')?.focus(), 0);
  };

  if (!sees || alarms.length === 0) return null;
  return (
    <section ref={sectionRef} className="alarm-banner" role="alert" aria-label="记录校验警报" data-testid="alarm-banner" data-count={alarms.length}>
      <h2 className="alarm-title">
        记录校验警报：全过程记录校验未通过{alarms.length > 1 ? `（${alarms.length} 条未确认）` : ''}
      </h2>
      <p className="alarm-lead">记录可能已被删除或篡改。请保留数据文件、不要自行修复，并向机关负责人报告；查明后由系统管理员或法制机构负责人说明理由确认警报（确认记入全过程记录）。</p>
      <ul className="alarm-list">
        {alarms.slice(0, SHOWN).map((a) => (
          <AlarmItem key={a.id} alarm={a} onDone={() => void afterAck()} />
        ))}
      </ul>
      {alarms.length > SHOWN && <p className="alarm-more">另有 {alarms.length - SHOWN} 条未确认的警报，确认上面的警报后显示。</p>}
    </section>
  );
}

function AlarmItem({ alarm: a, onDone }: { alarm: AlarmView; onDone: () => void }) {
  const [step, setStep] = useState<'idle' | 'reason' | 'confirm'>('idle');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const length = [...reason.trim()].length;

  useEffect(() => {
    if (step === 'reason') areaRef.current?.focus();
    if (step === 'confirm') confirmRef.current?.focus();
  }, [step]);

  const cancel = () => {
    setStep('idle');
    setError(null);
    setTimeout(() => openRef.current?.focus(), 0);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    }
  };

  async function submit() {
    setBusy(true);
    const res = await call('audit.alarmAck', { alarmId: a.id, reason: reason.trim() });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      setStep('reason');
      return;
    }
    onDone();
  }

  return (
    <li className="alarm-item" data-testid={`alarm-${a.id}`}>
      <div>
        <strong>第 {a.id} 号</strong>（{fmtDateTime(a.raisedAt)}，{a.raisedBy}通过{a.raisedThrough === 'lrw' ? '命令行' : '本应用'}
        {a.quick ? '快速' : ''}校验发现）：<span data-testid="alarm-message">{a.message}</span>
      </div>
      {step === 'idle' && (
        <button type="button" ref={openRef} className="btn-small alarm-ack-open" data-testid="alarm-ack-open" onClick={() => setStep('reason')}>
          确认警报……
        </button>
      )}
      {step === 'reason' && (
        <form
          className="alarm-form"
          onKeyDown={onKey}
          onSubmit={(e) => {
            e.preventDefault();
            if (length < REASON_MIN) return setError(`确认理由至少${REASON_MIN}个字。`);
            setError(null);
            setStep('confirm');
          }}
        >
          <label htmlFor={reasonId}>确认理由（至少{REASON_MIN}个字：查明的原因、已采取的措施）</label>
          <textarea
            id={reasonId}
            ref={areaRef}
            rows={2}
            maxLength={2000}
            data-testid="alarm-reason"
            value={reason}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <div className="alarm-form-actions">
            <span className="alarm-count" aria-live="polite">
              已填 {length} 字
            </span>
            <button type="submit" data-testid="alarm-ack-next">
              下一步
            </button>
            <button type="button" onClick={cancel}>
              取消（Esc）
            </button>
          </div>
          {error && (
            <div className="alarm-error" role="alert" data-testid="alarm-error">
              {error}
            </div>
          )}
        </form>
      )}
      {step === 'confirm' && (
        <div className="alarm-form" onKeyDown={onKey} data-testid="alarm-confirm">
          <p>
            将以您的名义记录：已确认第 {a.id} 号警报，理由“{reason.trim()}”。此确认记入全过程记录，不能撤回或修改，警报随即不再显示。
          </p>
          <div className="alarm-form-actions">
            <button type="button" ref={confirmRef} className="btn-danger" data-testid="alarm-ack-confirm" disabled={busy} onClick={() => void submit()}>
              {busy ? '正在记录……' : '确认并记录'}
            </button>
            <button type="button" disabled={busy} onClick={() => setStep('reason')}>
              返回修改
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
