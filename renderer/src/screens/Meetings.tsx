// 会议: the heads' meetings for collective discussion — the list, and (for the meeting secretary) a new
// meeting with its chair, expected attendees (agency heads) and the cases referred for discussion.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useLiveChanges } from '../live';
import type { CaseSummary, MeetingSummary, SessionView, UserView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Field, Loading, onCtrlEnterSubmit } from '../components/common';
import { chinaLocalToIso, fmtDateTime } from '../format';
import { navigate } from '../router';
import { DateTimeInput } from '../components/DateInput';
import { FieldAnchor, FormErrorSummary, FormErrorsProvider, issuesOf, useFormErrors } from '../formErrors';

export function Meetings({ session }: { session: SessionView }) {
  const [items, setItems] = useState<MeetingSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isSecretary = session.user.roles.includes('secretary');

  const load = useCallback(async () => {
    const res = await call('meetings.list', {});
    if (res.ok) setItems(res.value);
    else setError(res.error.message);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  useLiveChanges((e) => e.kind.startsWith('meeting.'), () => void load());

  return (
    <div className="page" data-testid="meetings-page">
      <div className="page-head">
        <h1>负责人会议</h1>
        {isSecretary && (
          <button type="button" className="btn-primary" data-testid="meeting-new" onClick={() => navigate({ name: 'meetingNew' })}>
            新建会议
          </button>
        )}
      </div>
      <p className="hint">
        承办单位对复审意见仍有异议、提请集体讨论的案件，由负责人会议集体讨论决定。会议秘书现场记录，主持人确认纪要后锁定，此后只能追加补正。
      </p>
      <ErrorBox message={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && (
        <div className="empty" data-testid="meetings-empty">
          尚无会议。
        </div>
      )}
      {items && items.length > 0 && (
        <table className="table" data-testid="meetings-table">
          <thead>
            <tr>
              <th scope="col">会议名称</th>
              <th scope="col">时间</th>
              <th scope="col">地点</th>
              <th scope="col">主持人</th>
              <th scope="col">议题</th>
              <th scope="col">纪要</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id} data-testid="meeting-row" data-meeting-id={m.id}>
                <td>
                  <a
                    href={`#/meeting/${m.id}`}
                    data-testid="meeting-link"
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name: 'meeting', meetingId: m.id });
                    }}
                  >
                    {m.title}
                  </a>
                </td>
                <td className="nowrap">{fmtDateTime(m.scheduledAt)}</td>
                <td>{m.place}</td>
                <td>{m.chair}</td>
                <td>{m.items} 件</td>
                <td>{m.locked ? <span className="badge badge-approved">已确认锁定</span> : <span className="badge">记录中</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function MeetingCreate() {
  const [heads, setHeads] = useState<UserView[] | null>(null);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState('');
  const [place, setPlace] = useState('');
  const [chairId, setChairId] = useState<number | ''>('');
  const [attendees, setAttendees] = useState<Set<number>>(new Set());
  const [caseIds, setCaseIds] = useState<Set<number>>(new Set());
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void (async () => {
      const [u, c] = await Promise.all([call('users.list', {}), call('cases.search', { query: '', state: 'in_discussion', limit: 200 })]);
      if (!live) return;
      if (!u.ok) return setLoadError(u.error.message);
      if (!c.ok) return setLoadError(c.error.message);
      const hs = u.value.filter((x) => x.active && x.roles.includes('agency_head'));
      setHeads(hs);
      setAttendees(new Set(hs.map((h) => h.id)));
      setCases(c.value.items);
      setCaseIds(new Set(c.value.items.map((x) => x.id)));
    })();
    return () => {
      live = false;
    };
  }, []);

  const toggle = (set: Set<number>, id: number, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const ids = new Set(attendees);
    if (chairId !== '') ids.add(chairId);
    // Without a chair the core is still asked (chair 0 is refused), so every other mistake shows at once too.
    const res = await call('meetings.create', {
      title,
      scheduledAt: chinaLocalToIso(when),
      place,
      chairId: chairId === '' ? 0 : chairId,
      attendeeIds: [...ids],
      caseIds: [...caseIds],
    });
    setBusy(false);
    if (!res.ok) {
      // What was left empty is said as such (the core's messages are about values it was given).
      const issues = issuesOf(res.error.details).map((i) =>
        i.path === 'chairId' && chairId === '' ? { ...i, message: '请选择会议主持人。' } : i.path === 'scheduledAt' && !when ? { ...i, message: '请填写会议时间。' } : i,
      );
      return errors.show({ message: res.error.message, details: { issues } }, (p) => (p.startsWith('attendeeIds') ? 'attendeeIds' : p));
    }
    navigate({ name: 'meeting', meetingId: res.value.id });
  }

  if (loadError) return <ErrorBox message={loadError} />;
  if (!heads || !cases) return <Loading />;

  return (
    <div className="page" data-testid="meeting-create-page">
      <div className="page-head">
        <h1>新建负责人会议</h1>
      </div>
      <FormErrorsProvider form={errors}>
      <form className="card" noValidate onSubmit={submit} onKeyDown={onCtrlEnterSubmit} data-testid="meeting-create-form" ref={(el) => void (errors.root.current = el)}>
        <div className="grid-2">
          <Field label="会议名称" path="title" required className="span-2">
            {(id) => <input id={id} data-testid="meeting-title" value={title} placeholder="如 2026年第12次局长办公会议" onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field label="会议时间（北京时间）" path="scheduledAt" required>
            {(id) => <DateTimeInput id={id} label="会议时间" testId="meeting-time" value={when} onChange={setWhen} />}
          </Field>
          <Field label="会议地点" path="place" required>
            {(id) => <input id={id} data-testid="meeting-place" value={place} onChange={(e) => setPlace(e.target.value)} />}
          </Field>
          <Field label="主持人" path="chairId" required>
            {(id) => (
              <select
                id={id}
                data-testid="meeting-chair"
                value={chairId}
                onChange={(e) => {
                  const v = e.target.value ? Number(e.target.value) : '';
                  setChairId(v);
                  if (v !== '') setAttendees((s) => toggle(s, v, true));
                }}
              >
                <option value="">请选择</option>
                {heads.map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.displayName}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <FieldAnchor as="fieldset" path="attendeeIds" className="checks" testId="meeting-attendees">
          <legend>
            应出席的机关负责人<span className="req" aria-hidden="true">＊</span>
          </legend>
          {heads.length === 0 && <p className="warn-text">系统中没有在用的机关负责人账号，请联系管理员。</p>}
          {heads.map((h) => (
            <label key={h.id}>
              <input
                type="checkbox"
                data-testid={`meeting-attendee-${h.username}`}
                checked={attendees.has(h.id) || h.id === chairId}
                disabled={h.id === chairId}
                onChange={(e) => setAttendees((s) => toggle(s, h.id, e.target.checked))}
              />
              {h.displayName}
              {h.id === chairId && <span className="muted small">（主持人）</span>}
            </label>
          ))}
          <p className="hint">应到人数决定法定人数（按本机关设置：过半数或三分之二以上）。</p>
        </FieldAnchor>
        <FieldAnchor as="fieldset" path="caseIds" className="checks" testId="meeting-cases">
          <legend>讨论议题（已提请集体讨论的案件）</legend>
          {cases.length === 0 && <p className="muted">目前没有提请集体讨论的案件。</p>}
          {cases.map((c) => (
            <label key={c.id}>
              <input type="checkbox" data-testid={`meeting-case-${c.id}`} data-case-no={c.caseNo} checked={caseIds.has(c.id)} onChange={(e) => setCaseIds((s) => toggle(s, c.id, e.target.checked))} />
              <span className="mono">{c.caseNo}</span> {c.title}（承办人：{c.handler}）
            </label>
          ))}
        </FieldAnchor>
        <FormErrorSummary form={errors} testId="meeting-create-error" />
        <div className="actions">
          <button type="submit" className="btn-primary" data-testid="meeting-create-submit" disabled={busy}>
            创建会议
          </button>
          <button type="button" onClick={() => navigate({ name: 'meetings' })}>
            取消
          </button>
          <span className="hint">Ctrl+Enter 提交</span>
        </div>
      </form>
      </FormErrorsProvider>
    </div>
  );
}
