// The live minutes of a heads' meeting (负责人会议集体讨论), built for the secretary taking them during
// the meeting: one page, keyboard first, every field saved as it is typed.
//
//   Tab / Shift+Tab      move through the page in reading order
//   Space                on an attendee's attendance box: 出席 ⇄ 缺席
//   1 / 2 / 3 (0)        on an attendee's stance control: 同意 / 不同意 / 弃权 (clear)
//   Ctrl+Enter           anywhere inside an item: record that item's decision
//
// Saving: each edit marks what changed; 500 ms after the last keystroke (and at once on blur, on
// leaving the page, before unload and on sign-out) only the changed parts go to meetings.save. Until
// the core confirms them, the unsaved parts are also kept in localStorage, so a reload or a closed
// window replays them: nothing typed is lost. The decision being drafted (not part of meetings.save)
// is kept with drafts.save.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useLiveChanges } from '../live';
import type { MeetingItemView, MeetingView, SessionView } from '../../../main/core/domain/views';
import { call } from '../api';
import { ErrorBox, Loading, Notice, StaleBox, registerFlusher } from '../components/common';
import { useConfirm } from '../components/ConfirmDialog';
import { WorkClock } from '../components/Clock';
import { fmtDateTime, fmtElapsed, fmtTime } from '../format';
import { MEETING_DECISIONS, MEETING_DECISION_LABELS, OUTCOME_LABELS, QUORUM_LABELS, STANCES, STANCE_LABELS, type MeetingDecision, type Stance } from '../labels';
import { navigate } from '../router';

// ---------------------------------------------------------------------------------------------
// The draft: what the page shows and edits.

type TextField = 'handlingStatement' | 'legalStatement' | 'dissent' | 'notes';
const TEXT_FIELDS: TextField[] = ['handlingStatement', 'legalStatement', 'dissent', 'notes'];

interface AttDraft {
  present: boolean | null;
  absenceReason: string;
}
interface StanceDraft {
  stance: Stance | null;
  reason: string;
}
interface ItemDraft {
  handlingStatement: string;
  legalStatement: string;
  dissent: string;
  notes: string;
  stances: Record<number, StanceDraft>;
}
interface DecisionDraft {
  decision: MeetingDecision | '';
  text: string;
}
interface Draft {
  attendance: Record<number, AttDraft>;
  items: Record<number, ItemDraft>;
  decisions: Record<number, DecisionDraft>;
}

function draftFromView(v: MeetingView, decisions?: Record<number, DecisionDraft>): Draft {
  const d: Draft = { attendance: {}, items: {}, decisions: {} };
  for (const a of v.attendees) d.attendance[a.userId] = { present: a.present, absenceReason: a.absenceReason };
  for (const it of v.items) {
    const stances: Record<number, StanceDraft> = {};
    for (const a of v.attendees) stances[a.userId] = { stance: null, reason: '' };
    for (const s of it.stances) stances[s.userId] = { stance: s.stance, reason: s.reason };
    d.items[it.caseId] = {
      handlingStatement: it.handlingStatement,
      legalStatement: it.legalStatement,
      dissent: it.dissent,
      notes: it.notes,
      stances,
    };
    d.decisions[it.caseId] = it.decision ? { decision: it.decision, text: it.decisionText } : (decisions?.[it.caseId] ?? { decision: '', text: '' });
  }
  return d;
}

/** Keys of what changed: a:<user> attendance, t:<case>:<field> text, s:<case>:<user> stance, d:<case> decision draft. */
type Key = string;

function valueOf(d: Draft, key: Key): unknown {
  const [k, a, b] = key.split(':');
  if (k === 'a') return d.attendance[Number(a)];
  if (k === 't') return d.items[Number(a)]?.[b as TextField];
  if (k === 's') return d.items[Number(a)]?.stances[Number(b)];
  if (k === 'd') return d.decisions[Number(a)];
  return undefined;
}

function applyValue(d: Draft, key: Key, value: unknown): void {
  const [k, a, b] = key.split(':');
  if (k === 'a' && d.attendance[Number(a)] && value && typeof value === 'object') d.attendance[Number(a)] = { ...(value as AttDraft) };
  else if (k === 't' && d.items[Number(a)] && typeof value === 'string') d.items[Number(a)][b as TextField] = value;
  else if (k === 's' && d.items[Number(a)] && value && typeof value === 'object') d.items[Number(a)].stances[Number(b)] = { ...(value as StanceDraft) };
  else if (k === 'd' && d.items[Number(a)] && value && typeof value === 'object') d.decisions[Number(a)] = { ...(value as DecisionDraft) };
}

function clone(d: Draft): Draft {
  return {
    attendance: { ...d.attendance },
    items: Object.fromEntries(Object.entries(d.items).map(([k, v]) => [k, { ...v, stances: { ...v.stances } }])),
    decisions: { ...d.decisions },
  };
}

const backupKey = (meetingId: number) => `lrw:meeting-unsaved:${meetingId}`;
const decisionsKey = (meetingId: number) => `meeting:${meetingId}:decisions`;

const quorumMet = (rule: 'half' | 'two_thirds', present: number, expected: number) =>
  rule === 'half' ? present * 2 > expected : present * 3 >= expected * 2;

type SaveStatus = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

// ---------------------------------------------------------------------------------------------

export function MeetingPage({ meetingId, session }: { meetingId: number; session: SessionView }) {
  const [view, setView] = useState<MeetingView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraftState] = useState<Draft | null>(null);
  const draftRef = useRef<Draft | null>(null);
  const viewRef = useRef<MeetingView | null>(null);
  viewRef.current = view;
  // Every view this desk's own writes return carries the record's version the next save is based on.
  // This desk's own actions may answer out of order (开始会议 computed before an autosave committed):
  // the version the next save is based on never goes back to an older one of this desk's own.
  const onView = useCallback((v: MeetingView) => {
    const next = viewRef.current && viewRef.current.version > v.version ? { ...v, version: viewRef.current.version } : v;
    viewRef.current = next;
    setView(next);
  }, []);

  const [status, setStatus] = useState<SaveStatus>('idle');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  // The record changed at another desk since this one read it (STALE): shown with 重新载入.
  const [stale, setStale] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const pending = useRef(new Set<Key>());
  const unsaved = useRef(new Set<Key>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());

  const canRecord = !!view?.allowed.includes('meeting.record');

  const writeBackup = useCallback(() => {
    const d = draftRef.current;
    try {
      if (!d || unsaved.current.size === 0) {
        localStorage.removeItem(backupKey(meetingId));
        return;
      }
      const values: Record<string, unknown> = {};
      for (const k of unsaved.current) values[k] = valueOf(d, k);
      localStorage.setItem(backupKey(meetingId), JSON.stringify({ at: new Date().toISOString(), values }));
    } catch {
      /* storage unavailable: the debounced save still runs */
    }
  }, [meetingId]);

  const flush = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    chain.current = chain.current.then(async () => {
      const d = draftRef.current;
      if (!d || pending.current.size === 0) return;
      const keys = [...pending.current];
      pending.current.clear();
      setStatus('saving');
      const decided = new Set((viewRef.current?.items ?? []).filter((i) => i.decision).map((i) => i.caseId));
      const attendance: { userId: number; present: boolean | null; absenceReason: string }[] = [];
      const items = new Map<number, { caseId: number; stances?: { userId: number; stance: Stance | null; reason: string }[] } & Partial<Record<TextField, string>>>();
      const item = (caseId: number) => {
        let it = items.get(caseId);
        if (!it) items.set(caseId, (it = { caseId }));
        return it;
      };
      let decisions = false;
      for (const key of keys) {
        const [k, a, b] = key.split(':');
        if (k === 'a') {
          const v = d.attendance[Number(a)];
          if (v) attendance.push({ userId: Number(a), present: v.present, absenceReason: v.present === false ? v.absenceReason : '' });
        } else if (k === 't') {
          const v = d.items[Number(a)]?.[b as TextField];
          if (typeof v === 'string') item(Number(a))[b as TextField] = v;
        } else if (k === 's') {
          // The core refuses stance changes once a decision is recorded; never send them (they would sink the rest).
          if (decided.has(Number(a))) continue;
          const v = d.items[Number(a)]?.stances[Number(b)];
          if (v) (item(Number(a)).stances ??= []).push({ userId: Number(b), stance: v.stance, reason: v.stance ? v.reason : '' });
        } else if (k === 'd') decisions = true;
      }
      let error: string | null = null;
      if (attendance.length || items.size) {
        const res = await call('meetings.save', {
          meetingId,
          ...(attendance.length && { attendance }),
          ...(items.size && { items: [...items.values()] }),
          // The record as this desk last read it: a record changed at another desk since is not overwritten.
          expectedVersion: viewRef.current?.version ?? 0,
        });
        if (res.ok) {
          viewRef.current = res.value;
          setView(res.value);
        } else {
          error = res.error.message;
          if (res.error.code === 'STALE') setStale(res.error.message);
        }
      }
      if (decisions && !error) {
        const res = await call('drafts.save', { key: decisionsKey(meetingId), json: JSON.stringify(d.decisions) });
        if (!res.ok) error = res.error.message;
      }
      if (!error) for (const k of keys) if (!pending.current.has(k)) unsaved.current.delete(k);
      writeBackup();
      if (error) {
        setSaveError(error);
        setStatus('error');
      } else {
        setSaveError(null);
        setSavedAt(new Date().toISOString());
        setStatus(pending.current.size ? 'dirty' : 'saved');
      }
    });
    return chain.current;
  }, [meetingId, writeBackup]);

  /** Applies an edit to the draft, remembers it (localStorage) and schedules the save. */
  const edit = useCallback(
    (key: Key, fn: (d: Draft) => void) => {
      const cur = draftRef.current;
      if (!cur) return;
      const next = clone(cur);
      fn(next);
      draftRef.current = next;
      setDraftState(next);
      pending.current.add(key);
      unsaved.current.add(key);
      writeBackup();
      setStatus('dirty');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), 500);
    },
    [flush, writeBackup],
  );

  // Load the meeting, the decision drafts, and replay anything a reload or a closed window left unsaved.
  useEffect(() => {
    let live = true;
    void (async () => {
      const res = await call('meetings.get', { meetingId });
      if (!live) return;
      if (!res.ok) return setLoadError(res.error.message);
      const v = res.value;
      let decisions: Record<number, DecisionDraft> | undefined;
      if (v.allowed.includes('meeting.record')) {
        const dl = await call('drafts.load', { key: decisionsKey(meetingId) });
        if (!live) return;
        if (dl.ok && dl.value) {
          try {
            decisions = JSON.parse(dl.value.json) as Record<number, DecisionDraft>;
          } catch {
            decisions = undefined;
          }
        }
      }
      const d = draftFromView(v, decisions);
      let replay: string[] = [];
      if (v.allowed.includes('meeting.record')) {
        try {
          const raw = localStorage.getItem(backupKey(meetingId));
          if (raw) {
            const b = JSON.parse(raw) as { at: string; values: Record<string, unknown> };
            for (const [k, val] of Object.entries(b.values)) {
              applyValue(d, k, val);
              replay.push(k);
            }
            if (replay.length) setRestored(b.at);
          }
        } catch {
          replay = [];
        }
      } else {
        try {
          localStorage.removeItem(backupKey(meetingId));
        } catch {
          /* ignore */
        }
      }
      viewRef.current = v;
      draftRef.current = d;
      setView(v);
      setDraftState(d);
      if (replay.length) {
        for (const k of replay) {
          pending.current.add(k);
          unsaved.current.add(k);
        }
        await flush();
      } else if (v.allowed.includes('meeting.record')) {
        setSavedAt(null);
      }
    })();
    return () => {
      live = false;
    };
  }, [meetingId, flush]);

  /**
   * 重新载入 after STALE: the record as it is now (what the other desk wrote shows), with what this desk
   * typed and has not saved laid over it; those parts are saved, on the new version, with the next edit.
   */
  const reload = useCallback(async () => {
    const res = await call('meetings.get', { meetingId });
    if (!res.ok) return setSaveError(res.error.message);
    const mine = draftRef.current;
    const d = draftFromView(res.value, mine?.decisions);
    if (mine) for (const k of unsaved.current) applyValue(d, k, valueOf(mine, k));
    for (const k of unsaved.current) pending.current.add(k);
    viewRef.current = res.value;
    draftRef.current = d;
    setView(res.value);
    setDraftState(d);
    setStale(null);
    setSaveError(null);
    setStatus(unsaved.current.size ? 'dirty' : 'saved');
  }, [meetingId]);

  // Flush before unload / when the window is hidden, on sign-out, and when leaving the page.
  useEffect(() => {
    const onHide = () => {
      writeBackup();
      void flush();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') onHide();
    };
    window.addEventListener('beforeunload', onHide);
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    const unregister = registerFlusher(flush);
    return () => {
      window.removeEventListener('beforeunload', onHide);
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      unregister();
      void flush();
    };
  }, [flush, writeBackup]);

  // The elapsed-time clock.
  const running = !!view?.startedAt && !view.locked;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [running]);

  // Read-only viewers (the chair before locking) follow the minutes as they are taken.
  useEffect(() => {
    if (!view || canRecord || view.locked) return;
    const t = setInterval(() => {
      void call('meetings.get', { meetingId }).then((res) => {
        if (res.ok) setView(res.value);
      });
    }, 5000);
    return () => clearInterval(t);
  }, [view, canRecord, meetingId]);
  // ... and at once when the server pushes a change of a meeting made elsewhere (team mode): the chair
  // confirming the agenda or locking the minutes reaches the secretary's open page too. A recorder keeps
  // the draft and the version it last based its saves on, so minutes changed at another desk meanwhile
  // are still refused as stale (never adopted unseen).
  useLiveChanges(
    (e) => e.kind.startsWith('meeting.') && e.byId !== session.user.id,
    () =>
      void call('meetings.get', { meetingId }).then((res) => {
        if (!res.ok) return;
        const based = viewRef.current?.version;
        const next = canRecord && based !== undefined ? { ...res.value, version: based } : res.value;
        viewRef.current = next;
        setView(next);
      }),
  );

  if (loadError) return <ErrorBox message={loadError} />;
  if (!view || !draft) return <Loading />;

  const shown = canRecord ? draft : draftFromView(view);
  const presentCount = view.attendees.filter((a) => shown.attendance[a.userId]?.present === true).length;
  const met = quorumMet(view.quorumRule, presentCount, view.expected);

  async function start() {
    const res = await call('meetings.start', { meetingId });
    if (!res.ok) {
      setNotice(null);
      setStartError(res.error.message);
      return;
    }
    setStartError(null);
    onView(res.value);
  }

  let statusText = '';
  // Refused as stale: nothing typed since is saved until the record is reloaded (never "已保存" beside it).
  if (stale && status !== 'saving') statusText = '尚未保存：纪要已在其他电脑上更新，请先重新载入（本机输入会保留）';
  else if (status === 'saving') statusText = '正在保存……';
  else if (status === 'error') statusText = `保存失败：${saveError ?? ''}`;
  else if (status === 'dirty') statusText = savedAt ? `已保存 ${fmtTime(savedAt)}（有新的输入）` : '有未保存的输入';
  else if (savedAt) statusText = `已保存 ${fmtTime(savedAt)}`;

  const startedMs = view.startedAt ? Date.parse(view.startedAt) : null;
  const endMs = view.locked && view.lockedAt ? Date.parse(view.lockedAt) : now;

  return (
    <div className={`page minutes-page ${view.locked ? 'minutes-locked' : ''}`} data-testid="meeting-page" data-meeting-id={view.id} data-locked={view.locked ? 'true' : 'false'} onBlur={canRecord ? () => void flush() : undefined}>
      <div className="minutes-status" data-testid="minutes-status">
        <div className="minutes-status-main">
          <h1 data-testid="meeting-heading">{view.title}</h1>
          <div className="muted small">
            {fmtDateTime(view.scheduledAt)} · {view.place} · 主持人：{view.chair} · 记录人：<span data-testid="meeting-recorder">{view.recordedBy}</span>
          </div>
        </div>
        <div className={`quorum ${met ? 'quorum-met' : 'quorum-unmet'}`} data-testid="quorum" data-met={met ? 'true' : 'false'} aria-live="polite">
          实到 <strong data-testid="quorum-present">{presentCount}</strong> / 应到 <strong>{view.expected}</strong> 人 ·{' '}
          <strong>{met ? '已达到法定人数' : '未达到法定人数'}</strong>
          <div className="small">法定人数：应到人数{QUORUM_LABELS[view.quorumRule]}</div>
        </div>
        <div className="elapsed" data-testid="elapsed">
          {startedMs !== null ? (
            <>
              <div className="small muted">{view.locked ? '会议用时' : '会议已进行'}</div>
              <strong className="mono" data-testid="elapsed-time">
                {fmtElapsed(endMs - startedMs)}
              </strong>
              <div className="small muted">{fmtTime(view.startedAt)} 开始</div>
            </>
          ) : canRecord ? (
            <button type="button" className="btn-primary" data-testid="meeting-start" onClick={() => void start()}>
              开始会议
            </button>
          ) : (
            <span className="muted small">会议尚未开始</span>
          )}
        </div>
        <div className="minutes-save">
          {canRecord ? (
            <span className={`autosave autosave-${status}`} data-testid="minutes-autosave" data-state={status} aria-live="polite">
              {statusText || '每项输入后自动保存'}
            </span>
          ) : view.locked ? (
            <span className="badge badge-approved" data-testid="minutes-locked-badge">
              纪要已锁定
            </span>
          ) : (
            <span className="badge">只读（记录中）</span>
          )}
        </div>
      </div>

      {restored && (
        <Notice message={`已恢复 ${fmtTime(restored)} 尚未保存的记录，并已重新保存。`} testId="minutes-restored" />
      )}
      <Notice message={notice} testId="minutes-notice" />
      <ErrorBox message={startError} testId="meeting-start-error" />
      {stale ? (
        <StaleBox message={stale} onReload={reload} testId="minutes-stale" />
      ) : (
        status === 'error' && <ErrorBox message={`自动保存失败：${saveError ?? ''}`} testId="minutes-save-error" />
      )}

      {view.locked && (
        <div className="locked-banner" data-testid="locked-banner">
          会议纪要已于{fmtDateTime(view.lockedAt)}经主持人{view.lockedBy ?? view.chair}确认并锁定，不能修改；如需更正，请追加补正记录。
          <div className="small" data-testid="minutes-documents">
            生成集体讨论记录文书（可定稿、签发为 PDF/Word）：
            {view.items.map((i) => (
              <a key={i.caseId} href={`#/case/${i.caseId}/doc/discussion-minutes`} style={{ marginLeft: '0.8em' }}>
                {i.caseNo}
              </a>
            ))}
          </div>
        </div>
      )}

      {canRecord && (
        <div className="keys-help" data-testid="keys-help" aria-label="键盘操作说明">
          <strong>键盘操作</strong>
          <span>
            <kbd>Tab</kbd> / <kbd>Shift</kbd>+<kbd>Tab</kbd> 依次移动
          </span>
          <span>
            出席情况：<kbd>空格</kbd> 切换出席 / 缺席
          </span>
          <span>
            表态栏：<kbd>1</kbd> 同意 · <kbd>2</kbd> 不同意 · <kbd>3</kbd> 弃权 · <kbd>0</kbd> 清除
          </span>
          <span>
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> 记录所在议题的会议决定
          </span>
        </div>
      )}

      <AgendaBar view={view} onView={onView} />

      <Attendance view={view} draft={shown} canRecord={canRecord} edit={edit} />

      {view.items.length === 0 && <div className="empty">本次会议没有议题。</div>}
      {view.items.map((it, idx) => (
        <MeetingItem
          key={it.caseId}
          index={idx}
          item={it}
          view={view}
          draft={shown}
          canRecord={canRecord}
          edit={edit}
          flush={flush}
          onView={onView}
        />
      ))}

      <LockAndAmend view={view} session={session} onView={onView} />
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

type Edit = (key: Key, fn: (d: Draft) => void) => void;

function Attendance({ view, draft, canRecord, edit }: { view: MeetingView; draft: Draft; canRecord: boolean; edit: Edit }) {
  return (
    <section className="card" data-testid="attendance" aria-labelledby="attendance-title">
      <h2 className="card-title" id="attendance-title">
        出席情况
        <span className="muted small">应出席的机关负责人 {view.expected} 人</span>
      </h2>
      <ul className="attendance-list">
        {view.attendees.map((a) => {
          const d = draft.attendance[a.userId] ?? { present: null, absenceReason: '' };
          const label = d.present === true ? '出席' : d.present === false ? '缺席' : '未登记';
          return (
            <li key={a.userId} className={`attendee attendee-${d.present === true ? 'present' : d.present === false ? 'absent' : 'unknown'}`} data-testid="attendee-row" data-name={a.name} data-present={String(d.present)}>
              <span className="attendee-name">
                {a.name}
                {a.userId === view.chairId && <span className="muted small">（主持人）</span>}
              </span>
              {canRecord ? (
                <label className="attendance-toggle">
                  <TriCheckbox
                    value={d.present}
                    testId="attendance-toggle"
                    ariaLabel={`${a.name}出席（空格键切换）`}
                    onToggle={() =>
                      edit(`a:${a.userId}`, (x) => {
                        const cur = x.attendance[a.userId];
                        x.attendance[a.userId] = { ...cur, present: cur.present === true ? false : true };
                      })
                    }
                  />
                  <span data-testid="attendance-label">{label}</span>
                </label>
              ) : (
                <span className="attendance-label" data-testid="attendance-label">
                  {label}
                </span>
              )}
              {d.present === false &&
                (canRecord ? (
                  <span className="absence">
                    <input
                      aria-label={`${a.name}缺席原因`}
                      placeholder="缺席原因（必填）"
                      data-testid="absence-reason"
                      className={d.absenceReason.trim() ? undefined : 'invalid'}
                      value={d.absenceReason}
                      onChange={(e) => {
                        const v = e.target.value;
                        edit(`a:${a.userId}`, (x) => {
                          x.attendance[a.userId] = { ...x.attendance[a.userId], absenceReason: v };
                        });
                      }}
                    />
                    {!d.absenceReason.trim() && <span className="inline-hint">缺席须注明原因</span>}
                  </span>
                ) : (
                  <span className="muted" data-testid="absence-reason-text">
                    缺席原因：{d.absenceReason || '（未注明）'}
                  </span>
                ))}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function TriCheckbox({ value, onToggle, testId, ariaLabel }: { value: boolean | null; onToggle: () => void; testId: string; ariaLabel: string }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = value === null;
  }, [value]);
  return <input ref={ref} type="checkbox" data-testid={testId} aria-label={ariaLabel} checked={value === true} onChange={onToggle} />;
}

function StanceControl({
  name,
  value,
  disabled,
  onSet,
}: {
  name: string;
  value: Stance | null;
  disabled: boolean;
  onSet: (s: Stance | null) => void;
}) {
  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (disabled || e.ctrlKey || e.metaKey || e.altKey) return;
    const i = value ? STANCES.indexOf(value) : -1;
    let next: Stance | null | undefined;
    if (e.key === '1' || e.key === '2' || e.key === '3') next = STANCES[Number(e.key) - 1];
    else if (e.key === '0' || e.key === 'Delete' || e.key === 'Backspace') next = null;
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = STANCES[(i + 1) % STANCES.length];
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = STANCES[(i + STANCES.length - 1) % STANCES.length];
    if (next !== undefined) {
      e.preventDefault();
      onSet(next);
    }
  }
  return (
    <div
      role="radiogroup"
      tabIndex={disabled ? -1 : 0}
      aria-label={`${name}的表态（按 1 同意、2 不同意、3 弃权）`}
      aria-disabled={disabled}
      className={`stance-control ${disabled ? 'disabled' : ''}`}
      data-testid="stance"
      data-stance={value ?? ''}
      onKeyDown={onKey}
    >
      {STANCES.map((s, i) => (
        <span
          key={s}
          role="radio"
          aria-checked={value === s}
          className={`stance-option stance-${s} ${value === s ? 'checked' : ''}`}
          onClick={() => !disabled && onSet(value === s ? null : s)}
        >
          <kbd>{i + 1}</kbd>
          {STANCE_LABELS[s]}
        </span>
      ))}
    </div>
  );
}

function TextBlock({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="field">
      <div className="field-label">{label}</div>
      <div className="pre record-text" data-testid={testId}>
        {value || <span className="muted">（未记录）</span>}
      </div>
    </div>
  );
}

const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function MeetingItem({
  index,
  item,
  view,
  draft,
  canRecord,
  edit,
  flush,
  onView,
}: {
  index: number;
  item: MeetingItemView;
  view: MeetingView;
  draft: Draft;
  canRecord: boolean;
  edit: Edit;
  flush: () => Promise<void>;
  onView: (v: MeetingView) => void;
}) {
  const d = draft.items[item.caseId];
  const dec = draft.decisions[item.caseId] ?? { decision: '', text: '' };
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  const decided = item.decision !== null;
  const stancesEditable = canRecord && !decided;
  // Decisions wait for the chair to set the agenda (the core refuses them before).
  const showDecisionForm = canRecord && !!view.agendaConfirmedAt && (!decided || correcting);

  // 列席 (involved in the case) and 回避 do not vote: never counted, never asked for a view.
  const nonVoter = new Map<number, string>([
    ...item.observers.map((o) => [o.userId, `本案${o.part}，列席，不参与表决`] as [number, string]),
    ...item.recusals.map((r) => [r.userId, `回避（${r.source === 'party' ? '当事人申请' : '本人申请'}）：${r.reason}`] as [number, string]),
  ]);
  const present = view.attendees.filter((a) => draft.attendance[a.userId]?.present === true && !nonVoter.has(a.userId));
  // A refusal about attendance (NO_QUORUM, the chair absent) goes stale once attendance changes.
  const presentKey = present.map((a) => a.userId).join(',');
  useEffect(() => {
    setError(null);
  }, [presentKey]);
  const tally = { agree: 0, disagree: 0, abstain: 0, missing: 0 };
  for (const a of present) {
    const s = d?.stances[a.userId]?.stance;
    if (s) tally[s]++;
    else tally.missing++;
  }
  const majority: MeetingDecision | null = tally.agree > tally.disagree ? 'approve' : tally.disagree > tally.agree ? 'reject' : null;
  // Before the decision is recorded the warnings are previews of the choice; afterwards the core's verdict.
  const chosen: MeetingDecision | null = decided ? item.decision : dec.decision || null;
  const departsMajority = decided ? item.departsFromMajority : !!chosen && majority !== null && chosen !== majority;
  const departsLegal = decided ? item.departsFromLegalOpinion : !!chosen && (chosen === 'approve') !== (item.legalOpinion === 'agree');

  async function decide() {
    if (!showDecisionForm || busy) return;
    setError(null);
    setDone(null);
    if (!dec.decision) return setError('请选择决定：同意作出该决定，或不同意。');
    const choice = dec.decision;
    const warn = [
      departsMajority ? '该决定与多数意见不一致。' : '',
      departsLegal ? '该决定未采纳法制审核意见，锁定纪要后将作为负责人不采纳法制审核意见记入本案。' : '',
    ].join('');
    const ok = await ask({
      title: `${decided ? '更正' : '记录'}会议决定“${MEETING_DECISION_LABELS[choice]}”？`,
      message: `记录后本议题的会议决定及各人意见写入全过程记录，不能删除（纪要锁定前可以更正，更正也记入记录）；纪要锁定后即作为本案的审批决定。`,
      ...(warn && { warning: warn }),
      confirmLabel: decided ? '记录更正后的决定' : '记录会议决定',
      okTestId: 'decide-confirm',
    });
    if (!ok) return;
    setBusy(true);
    await flush();
    const res = await call('meetings.decide', { meetingId: view.id, caseId: item.caseId, decision: choice, decisionText: dec.text });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onView(res.value);
    setCorrecting(false);
    setDone(decided ? '会议决定已更正。' : '会议决定已记录。');
  }

  function onKey(e: KeyboardEvent<HTMLElement>) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void decide();
    }
  }

  const text = (field: TextField, label: string, rows = 3) =>
    canRecord ? (
      <div className="field">
        <label htmlFor={`item-${item.caseId}-${field}`}>{label}</label>
        <textarea
          id={`item-${item.caseId}-${field}`}
          rows={rows}
          data-testid={`item-${field}`}
          value={d?.[field] ?? ''}
          onChange={(e) => {
            const v = e.target.value;
            edit(`t:${item.caseId}:${field}`, (x) => {
              x.items[item.caseId][field] = v;
            });
          }}
        />
      </div>
    ) : (
      <TextBlock label={label} value={d?.[field] ?? ''} testId={`item-${field}`} />
    );

  return (
    <section className="card meeting-item" data-testid="meeting-item" data-case-id={item.caseId} data-case-no={item.caseNo} onKeyDown={onKey} aria-labelledby={`item-title-${item.caseId}`}>
      {confirmDialog}
      <h2 className="card-title" id={`item-title-${item.caseId}`}>
        议题{ORDINALS[index] ?? index + 1}：<span className="mono">{item.caseNo}</span> {item.title}
        <a
          className="small"
          href={`#/case/${item.caseId}`}
          onClick={(e) => {
            e.preventDefault();
            navigate({ name: 'case', caseId: item.caseId });
          }}
        >
          查看案件
        </a>
      </h2>
      <dl className="kv item-context">
        <dt>当事人</dt>
        <dd>{item.partyName}</dd>
        <dt>期限</dt>
        <dd data-testid="item-clock-cell">
          <WorkClock clock={item.clock} testId="item-clock" none="本案当前没有计算中的期限" />
        </dd>
        <dt>{item.rereviewReasons ? '复审结论' : '法制审核意见'}</dt>
        <dd>
          {item.legalOpinion ? (
            <strong className={`outcome outcome-${item.legalOpinion}`} data-testid="item-legal-opinion">
              {OUTCOME_LABELS[item.legalOpinion]}
            </strong>
          ) : (
            '无'
          )}
          {item.rereviewReasons ? '（法制机构复审后的意见）' : '（法制机构的审核意见）'}
        </dd>
        {item.rereviewReasons && (
          <>
            <dt>申请复审理由</dt>
            <dd className="pre">{item.rereviewReasons}</dd>
          </>
        )}
        {item.escalationReasons && (
          <>
            <dt>提请讨论理由</dt>
            <dd className="pre">{item.escalationReasons}</dd>
          </>
        )}
      </dl>

      <div className="grid-2">
        {text('handlingStatement', '承办单位汇报')}
        {text('legalStatement', '法制机构意见')}
      </div>

      {view.allowed.includes('meeting.recuse') && !decided && <RecusalForm view={view} item={item} onView={onView} />}

      <fieldset className="stances" data-testid="stances">
        <legend>出席人员表态</legend>
        {view.attendees.map((a) => {
          const att = draft.attendance[a.userId];
          const s = d?.stances[a.userId] ?? { stance: null, reason: '' };
          const isPresent = att?.present === true;
          const needReason = s.stance === 'disagree' && !s.reason.trim();
          return (
            <div key={a.userId} className={`stance-row ${isPresent ? '' : 'stance-row-absent'}`} data-testid="stance-row" data-name={a.name} data-stance={s.stance ?? ''}>
              <span className="stance-name">
                {a.name}
                {a.userId === view.chairId && <span className="muted small">（主持人）</span>}
              </span>
              {nonVoter.has(a.userId) ? (
                <span className="muted small" data-testid="stance-nonvoter">
                  {nonVoter.get(a.userId)}
                </span>
              ) : !isPresent ? (
                <span className="muted small">{att?.present === false ? '缺席，不记录表态' : '尚未登记出席'}</span>
              ) : canRecord ? (
                <>
                  <StanceControl
                    name={a.name}
                    value={s.stance}
                    disabled={!stancesEditable}
                    onSet={(v) =>
                      edit(`s:${item.caseId}:${a.userId}`, (x) => {
                        x.items[item.caseId].stances[a.userId] = { ...x.items[item.caseId].stances[a.userId], stance: v };
                      })
                    }
                  />
                  <span className="stance-reason">
                    <input
                      aria-label={`${a.name}的理由${s.stance === 'disagree' ? '（不同意须说明）' : ''}`}
                      placeholder={s.stance ? (s.stance === 'disagree' ? '不同意的理由（必填）' : '理由或意见（选填）') : '请先按 1 / 2 / 3 表态'}
                      data-testid="stance-reason"
                      disabled={!stancesEditable || !s.stance}
                      className={needReason ? 'invalid' : undefined}
                      aria-invalid={needReason}
                      value={s.reason}
                      onChange={(e) => {
                        const v = e.target.value;
                        edit(`s:${item.caseId}:${a.userId}`, (x) => {
                          x.items[item.caseId].stances[a.userId] = { ...x.items[item.caseId].stances[a.userId], reason: v };
                        });
                      }}
                    />
                    {needReason && (
                      <span className="inline-hint" data-testid="stance-hint" role="status">
                        不同意须说明理由
                      </span>
                    )}
                  </span>
                </>
              ) : (
                <span className="stance-readonly">
                  <strong className={s.stance ? `stance-text stance-${s.stance}` : 'muted'}>{s.stance ? STANCE_LABELS[s.stance] : '未表态'}</strong>
                  {s.reason && <span className="pre">：{s.reason}</span>}
                </span>
              )}
            </div>
          );
        })}
        {decided && canRecord && <p className="hint">本议题已记录会议决定，表态不能再修改。</p>}
      </fieldset>

      <div className="grid-2">
        {text('dissent', '不同意见', 2)}
        {text('notes', '其他记录', 2)}
      </div>

      <div className="record-pair" data-testid="item-record">
        <div className="record-views">
          <h3>各方意见</h3>
          <div className="tally" data-testid="tally">
            <span className="tally-agree">同意 {tally.agree}</span>
            <span className="tally-disagree">不同意 {tally.disagree}</span>
            <span className="tally-abstain">弃权 {tally.abstain}</span>
            {tally.missing > 0 && <span className="tally-missing">未表态 {tally.missing}</span>}
          </div>
          {nonVoter.size > 0 && (
            <p className="small muted" data-testid="item-quorum">
              本议题有表决权的人员：应到 {item.voterQuorum.expected} 人，实到 {item.voterQuorum.present} 人（列席、回避的人员不计入法定人数），
              {item.voterQuorum.met ? '已达到法定人数' : '未达到法定人数'}。
            </p>
          )}
          <ul className="views-list">
            <li>
              法制机构意见：
              <strong className={item.legalOpinion ? `outcome outcome-${item.legalOpinion}` : undefined}>
                {item.legalOpinion ? OUTCOME_LABELS[item.legalOpinion] : '无'}
              </strong>
            </li>
            {present.map((a) => {
              const s = d?.stances[a.userId];
              return (
                <li key={a.userId}>
                  {a.name}：
                  <strong className={s?.stance ? `stance-text stance-${s.stance}` : 'muted'}>{s?.stance ? STANCE_LABELS[s.stance] : '未表态'}</strong>
                  {s?.reason ? `（${s.reason}）` : ''}
                </li>
              );
            })}
          </ul>
        </div>
        <div className="record-decision">
          <h3>会议决定</h3>
          {decided ? (
            <div className="decision-recorded" data-testid="decision-recorded" data-decision={item.decision ?? ''}>
              <strong className={item.decision === 'approve' ? 'outcome outcome-agree' : 'outcome outcome-disagree'}>{MEETING_DECISION_LABELS[item.decision!]}</strong>
              <div className="pre">{item.decisionText}</div>
              <div className="muted small">记录于 {fmtDateTime(item.decidedAt)}</div>
            </div>
          ) : (
            <p className="muted">尚未作出决定。</p>
          )}
          {departsMajority && (
            <div className="record-warning" role="alert" data-testid="warn-majority">
              {decided ? '本决定' : '所选决定'}与多数意见不一致（同意{tally.agree}人、不同意{tally.disagree}人）。按民主集中制由主持人决定，已如实记录。
            </div>
          )}
          {departsLegal && (
            <div className="record-warning record-warning-red" role="alert" data-testid="warn-legal">
              {decided ? '本决定' : '所选决定'}与法制机构意见（{item.legalOpinion ? OUTCOME_LABELS[item.legalOpinion] : '无'}）不一致：
              {view.locked ? '已作为负责人不采纳法制审核意见记入本案。' : '纪要锁定后，将作为负责人不采纳法制审核意见记入本案。'}
            </div>
          )}
          {item.headOverride && (
            <div className="record-warning record-warning-red" data-testid="item-override">
              已记入本案：{item.headOverride.head}——{item.headOverride.reason}
            </div>
          )}

          {canRecord && decided && !correcting && (
            <div className="actions">
              <button type="button" className="btn-small" data-testid="decision-correct" onClick={() => setCorrecting(true)}>
                更正会议决定
              </button>
              <Notice message={done} testId="decide-notice" />
            </div>
          )}
          {showDecisionForm && (
            <div className="decision-form" data-testid="decision-form">
              <fieldset className="inline-radios">
                <legend>
                  {decided ? '更正会议决定' : '主持人宣布的决定'}
                  <span className="req" aria-hidden="true">＊</span>
                </legend>
                {MEETING_DECISIONS.map((m) => (
                  <label key={m} className={`decision-option decision-${m}`}>
                    <input
                      type="radio"
                      name={`decision-${item.caseId}`}
                      value={m}
                      data-testid={`decision-${m}`}
                      checked={dec.decision === m}
                      onChange={() =>
                        edit(`d:${item.caseId}`, (x) => {
                          x.decisions[item.caseId] = { ...(x.decisions[item.caseId] ?? { decision: '', text: '' }), decision: m };
                        })
                      }
                    />
                    {MEETING_DECISION_LABELS[m]}
                  </label>
                ))}
              </fieldset>
              <div className="field">
                <label htmlFor={`decision-text-${item.caseId}`}>
                  决定内容<span className="req" aria-hidden="true">＊</span>
                </label>
                <textarea
                  id={`decision-text-${item.caseId}`}
                  rows={2}
                  data-testid="decision-text"
                  value={dec.text}
                  onChange={(e) => {
                    const v = e.target.value;
                    edit(`d:${item.caseId}`, (x) => {
                      x.decisions[item.caseId] = { ...(x.decisions[item.caseId] ?? { decision: '', text: '' }), text: v };
                    });
                  }}
                />
              </div>
              <ErrorBox message={error} testId="decide-error" />
              <Notice message={done} testId="decide-notice" />
              <div className="actions">
                <button type="button" className="btn-primary" data-testid="decide" disabled={busy} onClick={() => void decide()}>
                  {decided ? '记录更正后的决定' : '记录会议决定'}
                </button>
                {decided && (
                  <button type="button" onClick={() => setCorrecting(false)}>
                    取消更正
                  </button>
                )}
                <span className="hint">Ctrl+Enter 记录</span>
              </div>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function LockAndAmend({ view, session, onView }: { view: MeetingView; session: SessionView; onView: (v: MeetingView) => void }) {
  const [confirmDialog, ask] = useConfirm();
  const [lockedHere, setLockedHere] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const canLock = view.allowed.includes('meeting.lock');
  const canAmend = view.allowed.includes('meeting.amend');
  const undecided = view.items.filter((i) => !i.decision);

  async function lock() {
    const decidedCount = view.items.length - undecided.length;
    const ok = await ask({
      title: '确认并锁定会议纪要？',
      message: `锁定后纪要不能再修改，只能追加补正；${decidedCount > 0 ? `已作出决定的${decidedCount}个议题随即作为各案件的审批决定记入，不能撤回。` : '本次会议没有作出决定的议题。'}`,
      ...(undecided.length > 0 && { warning: `尚有${undecided.length}个议题未作出决定，锁定后这些案件仍待讨论。` }),
      confirmLabel: '确认锁定',
      okTestId: 'lock-confirm',
      testId: 'lock-confirm-box',
    });
    if (!ok) return;
    setBusy(true);
    setError(null);
    const res = await call('meetings.lock', { meetingId: view.id });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setLockedHere(true);
    onView(res.value);
    setNotice('会议纪要已确认并锁定，集体讨论决定已记入各案件。');
  }

  async function amend() {
    setError(null);
    if (!text.trim() || !reason.trim()) return setError('请填写补正内容和补正理由。');
    setBusy(true);
    const res = await call('meetings.amend', { meetingId: view.id, text, reason });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onView(res.value);
    setText('');
    setReason('');
    setNotice('补正记录已追加。');
  }

  let body: ReactNode = null;
  if (!view.locked) {
    body = canLock ? (
      <button type="button" className="btn-primary" data-testid="lock-open" disabled={busy} onClick={() => void lock()}>
        确认并锁定纪要
      </button>
    ) : (
      <p className="muted" data-testid="lock-hint">
        纪要须由会议主持人{view.chair}{session.user.id === view.chairId ? '' : '登录后'}确认并锁定。
      </p>
    );
  } else if (lockedHere) {
    body = (
      <div>
        <button type="button" className="btn-primary" data-testid="lock-open" disabled>
          确认并锁定纪要
        </button>
        <span className="done-mark" data-testid="lock-done">
          ✓ 纪要已确认并锁定{view.lockedAt ? `（${fmtDateTime(view.lockedAt)}）` : ''}
        </span>
      </div>
    );
  }

  return (
    <section className="card" data-testid="lock-section">
      {confirmDialog}
      <h2 className="card-title">纪要确认与补正</h2>
      {body}
      {view.locked && canAmend && (
        <form
          className="inline-form"
          noValidate
          data-testid="amend-form"
          onSubmit={(e) => {
            e.preventDefault();
            void amend();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void amend();
            }
          }}
        >
          <h3>追加补正</h3>
          <div className="grid-2">
            <div className="field">
              <label htmlFor="amend-text">
                补正内容<span className="req" aria-hidden="true">＊</span>
              </label>
              <textarea id="amend-text" rows={2} data-testid="amend-text" value={text} onChange={(e) => setText(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="amend-reason">
                补正理由<span className="req" aria-hidden="true">＊</span>
              </label>
              <textarea id="amend-reason" rows={2} data-testid="amend-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="btn-primary" data-testid="amend-submit" disabled={busy}>
              追加补正记录
            </button>
            <span className="hint">Ctrl+Enter 提交</span>
          </div>
        </form>
      )}
      <ErrorBox message={error} testId="lock-error" />
      <Notice message={notice} testId="lock-notice" />
      {view.amendments.length > 0 && (
        <table className="table" data-testid="amendments">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">补正人</th>
              <th scope="col">补正内容</th>
              <th scope="col">理由</th>
            </tr>
          </thead>
          <tbody>
            {view.amendments.map((a) => (
              <tr key={a.id} data-testid="amendment-row">
                <td className="nowrap">{fmtDateTime(a.at)}</td>
                <td>{a.by}</td>
                <td className="pre">{a.text}</td>
                <td className="pre">{a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The chair sets the agenda the secretary prepared; until then no item can be decided. */
function AgendaBar({ view, onView }: { view: MeetingView; onView: (v: MeetingView) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (view.locked) return null;
  async function confirm() {
    setBusy(true);
    setError(null);
    const res = await call('meetings.confirmAgenda', { meetingId: view.id });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onView(res.value);
  }
  return (
    <div className={view.agendaConfirmedAt ? 'notice-box' : 'notice-box warn'} data-testid="agenda-bar" data-confirmed={view.agendaConfirmedAt ? 'true' : 'false'}>
      {view.agendaConfirmedAt ? (
        <>议题已由主持人{view.agendaConfirmedBy}于{fmtDateTime(view.agendaConfirmedAt)}确定（共 {view.items.length} 项）。</>
      ) : (
        <>
          议题由会议秘书准备，须经主持人{view.chair}确定后才能作出决定。
          {view.allowed.includes('meeting.confirmAgenda') && (
            <button type="button" className="btn-primary" data-testid="agenda-confirm" disabled={busy} onClick={() => void confirm()} style={{ marginLeft: '0.8em' }}>
              确定议题
            </button>
          )}
        </>
      )}
      <ErrorBox message={error} testId="agenda-error" />
    </div>
  );
}

/** 回避 on one item: a head's own declaration, or a party's application recorded by the secretary. */
function RecusalForm({ view, item, onView }: { view: MeetingView; item: MeetingItemView; onView: (v: MeetingView) => void }) {
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<number | ''>('');
  const [source, setSource] = useState<'self' | 'party'>('self');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const candidates = view.attendees.filter((a) => a.userId !== view.chairId && !item.recusals.some((r) => r.userId === a.userId) && !item.observers.some((o) => o.userId === a.userId));
  if (!candidates.length) return null;
  async function submit() {
    if (userId === '') return setError('请选择回避的人员。');
    if (!reason.trim()) return setError('请写明回避理由。');
    setBusy(true);
    setError(null);
    const res = await call('meetings.recuse', { meetingId: view.id, caseId: item.caseId, userId, source, reason });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setOpen(false);
    setReason('');
    onView(res.value);
  }
  if (!open) {
    return (
      <button type="button" className="btn-link" data-testid="recusal-open" onClick={() => setOpen(true)}>
        记录回避
      </button>
    );
  }
  return (
    <div className="card recusal-form" data-testid="recusal-form">
      <strong>记录回避（行政处罚法第四十三条）</strong>
      <label>
        人员
        <select data-testid="recusal-user" value={userId} onChange={(e) => setUserId(e.target.value ? Number(e.target.value) : '')}>
          <option value="">请选择</option>
          {candidates.map((a) => (
            <option key={a.userId} value={a.userId}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        来源
        <select data-testid="recusal-source" value={source} onChange={(e) => setSource(e.target.value as 'self' | 'party')}>
          <option value="self">本人申请</option>
          <option value="party">当事人申请</option>
        </select>
      </label>
      <label>
        理由
        <input data-testid="recusal-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <button type="button" className="btn-primary" data-testid="recusal-submit" disabled={busy} onClick={() => void submit()}>
        记录
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        取消
      </button>
      <ErrorBox message={error} testId="recusal-error" />
    </div>
  );
}

