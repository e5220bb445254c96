// Small shared pieces: error box, state badge, autosave hook and indicator, Ctrl+Enter submit.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { CaseState, Outcome } from '../../../main/core/domain/types';
import type { Result } from '../api';
import { CASE_STATE_LABELS, OUTCOME_LABELS } from '../labels';
import { fmtDate, fmtTime } from '../format';
import { navigate } from '../router';
import { FieldMessages, useFieldErrors, useInvalidControls } from '../formErrors';

export function ErrorBox({ message, testId = 'error' }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      {message}
    </div>
  );
}

/**
 * A write refused because the record changed at another desk meanwhile (code STALE, main/core/services/
 * versions.ts): the core's message naming who changed it and when, and 重新载入. With keepsEdits the
 * page keeps what was typed (reloading takes the record's new version and shows what others changed);
 * without, reloading replaces the form with what is stored now.
 */
export function StaleBox({
  message,
  onReload,
  keepsEdits = true,
  testId = 'stale',
}: {
  message: string | null | undefined;
  onReload: () => void | Promise<void>;
  keepsEdits?: boolean;
  testId?: string;
}) {
  const [busy, setBusy] = useState(false);
  if (!message) return null;
  return (
    <div className="error-box stale-box" role="alert" data-testid={testId}>
      <span data-testid={`${testId}-message`}>{message}</span>
      {keepsEdits && <span className="small"> 您填写的内容仍保留在本页：重新载入后核对，再次保存即以您的内容为准。</span>}{' '}
      <button
        type="button"
        data-testid={`${testId}-reload`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onReload();
          } finally {
            setBusy(false);
          }
        }}
      >
        重新载入
      </button>
    </div>
  );
}

export function Notice({ message, testId = 'notice' }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <div className="notice-box" role="status" data-testid={testId}>
      {message}
    </div>
  );
}

/**
 * The state in words and a colour that match what the case's latest review said: 已审核 after 不同意 is
 * red, not green (同意 green, 退回 amber, 不同意 and 不予批准 red).
 */
export function stateTone(state: CaseState, outcome: Outcome | null | undefined): { label: string; tone: string | null } {
  const base = CASE_STATE_LABELS[state];
  if ((state === 'reviewed' || state === 'rereviewed') && outcome) return { label: `${base}：${OUTCOME_LABELS[outcome]}`, tone: outcome };
  if (state === 'returned') return { label: base, tone: 'return' };
  if (state === 'rejected') return { label: base, tone: 'reject' };
  if (state === 'approved') return { label: base, tone: 'agree' };
  return { label: base, tone: null };
}

export function StateBadge({ state, outcome }: { state: CaseState; outcome?: Outcome | null }) {
  const { label, tone } = stateTone(state, outcome);
  return (
    <span className={`badge badge-${state}${tone ? ` badge-outcome-${tone}` : ''}`} data-testid="state-badge" data-state={state} data-tone={tone ?? undefined}>
      {label}
    </span>
  );
}

/** A case number that opens the case page (a link the keyboard and the middle button understand too). */
export function CaseLink({ caseId, caseNo, testId }: { caseId: number; caseNo: string; testId: string }) {
  return (
    <a
      href={`#/case/${caseId}`}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        navigate({ name: 'case', caseId });
      }}
    >
      {caseNo}
    </a>
  );
}

/** The procedure steps of a submission as table rows (case page and print view). */
export function ProcedureRows({ procedure }: { procedure: { step: string; date: string; note?: string | null }[] }) {
  return (
    <>
      {procedure.map((p, i) => (
        <tr key={i}>
          <td className="nowrap">{p.step}</td>
          <td className="nowrap">{fmtDate(p.date)}</td>
          <td>{p.note ?? ''}</td>
        </tr>
      ))}
    </>
  );
}

export function Loading({ text = '正在加载……' }: { text?: string }) {
  return (
    <p className="loading" role="status">
      {text}
    </p>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="card" data-testid={testId}>
      <h2 className="card-title">{title}</h2>
      {children}
    </section>
  );
}

/** Ctrl+Enter (or ⌘+Enter) submits the form the key was pressed in. */
export function onCtrlEnterSubmit(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}

export type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

/** Every mounted autosave, so that signing out can save pending edits while the session still exists. */
const activeAutosaves = new Set<() => Promise<void>>();

/** Registers a custom saver (e.g. the live minutes) so that signing out flushes it too; returns the unregister function. */
export function registerFlusher(f: () => Promise<void>): () => void {
  activeAutosaves.add(f);
  return () => {
    activeAutosaves.delete(f);
  };
}

export async function flushAllAutosaves(): Promise<void> {
  await Promise.all([...activeAutosaves].map((f) => f().catch(() => undefined)));
}

/**
 * Saves `value` through `save` once it has been still for `delay` ms after a user change (call `touch`
 * when the user edits; restoring a draft does not count). A pending save is flushed on unmount.
 */
export function useAutosave<T>(value: T, save: (v: T) => Promise<Result<{ savedAt: string }>>, delay = 800) {
  const [state, setState] = useState<SaveState>('idle');
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dirty = useRef(false);
  const latest = useRef(value);
  const saveRef = useRef(save);
  saveRef.current = save;
  latest.current = value;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const generation = useRef(0);
  const inflight = useRef<Promise<unknown>>(Promise.resolve());

  const flush = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!dirty.current) return;
    dirty.current = false;
    const gen = ++generation.current;
    setState('saving');
    const pending = saveRef.current(latest.current);
    inflight.current = pending;
    const res = await pending;
    if (gen !== generation.current) return; // a newer save superseded this one
    if (res.ok) {
      setSavedAt(res.value.savedAt);
      setError(null);
      setState(dirty.current ? 'dirty' : 'saved');
    } else {
      setError(res.error.message);
      setState('error');
    }
  }, []);

  const touch = useCallback(() => {
    dirty.current = true;
    setState('dirty');
  }, []);

  /** Forget pending changes (after a successful submit, or when a draft is cleared). */
  const reset = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    dirty.current = false;
    generation.current++;
    setState('idle');
    setSavedAt(null);
  }, []);

  /** Resolves once no save is on its way (so a later "clear draft" cannot be overtaken by it). */
  const idle = useCallback(() => inflight.current.then(() => undefined), []);

  useEffect(() => {
    if (!dirty.current) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), delay);
  }, [value, delay, flush]);

  useEffect(() => {
    const f = async () => {
      await flush();
      await inflight.current;
    };
    activeAutosaves.add(f);
    return () => {
      activeAutosaves.delete(f);
    };
  }, [flush]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      if (dirty.current) {
        dirty.current = false;
        void saveRef.current(latest.current);
      }
    },
    [],
  );

  return { state, savedAt, error, touch, reset, flush, idle, setSavedAt };
}

export function AutosaveIndicator({
  state,
  savedAt,
  error,
  testId = 'autosave',
}: {
  state: SaveState;
  savedAt: string | null;
  error: string | null;
  testId?: string;
}) {
  let text = '';
  if (state === 'saving') text = '正在自动保存……';
  else if (state === 'error') text = `自动保存失败：${error ?? ''}`;
  else if (state === 'dirty') text = savedAt ? `已自动保存 ${fmtTime(savedAt)}（有新的修改）` : '有未保存的修改';
  else if (savedAt) text = `已自动保存 ${fmtTime(savedAt)}`;
  return (
    <span className={`autosave autosave-${state}`} data-testid={testId} data-state={state} aria-live="polite">
      {text}
    </span>
  );
}

/**
 * A label bound to its control: children receive the generated id. With `path` (the field's path in the
 * request, e.g. "party.idNumber"), a refusal about it is shown beside it and marks it (formErrors.tsx).
 */
export function Field({
  label,
  required,
  hint,
  className,
  path,
  children,
}: {
  label: string;
  required?: boolean;
  hint?: string;
  className?: string;
  path?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  const { messages, edited } = useFieldErrors(path);
  const invalid = messages.length > 0;
  useInvalidControls(ref, invalid, `${id}-error`);
  return (
    <div
      ref={ref}
      className={`field ${className ?? ''}${invalid ? ' field-invalid' : ''}`}
      data-field-path={path}
      data-field-invalid={invalid ? 'true' : undefined}
      onChange={path ? edited : undefined}
      onInput={path ? edited : undefined}
    >
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="req" aria-hidden="true">
            ＊
          </span>
        )}
      </label>
      {children(id)}
      {path && <FieldMessages anchor={path} messages={messages} id={`${id}-error`} />}
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}
