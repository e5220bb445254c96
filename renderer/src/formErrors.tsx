// Forms that point at the mistake (issue 12, point 5), one mechanism for every form: a refusal's field
// issues (details.issues, each with the path of its field in the request: main/core/domain/errors.ts)
// are shown beside their fields, every one at once; the field is marked, the first one focused and
// scrolled to; an error goes as soon as its field is edited. What names no field on the page is listed
// in the summary by the submit button, which also lists every error (each a link to its field).
import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { FieldIssue } from '../../main/core/domain/errors';

/** The field issues of a refusal's details (the renderer reads the payload; the core's issuesOf is not imported here). */
export function issuesOf(details: unknown): FieldIssue[] {
  const list = (details as { issues?: unknown } | null | undefined)?.issues;
  if (!Array.isArray(list)) return [];
  return list.filter((i): i is FieldIssue => !!i && typeof i.path === 'string' && typeof i.message === 'string');
}

interface Shown {
  /** The refusal's own sentence (shown when it names no field, or none on this page). */
  message: string | null;
  issues: FieldIssue[];
  /** Whether the refusal named fields: then its sentence goes once they are all fixed. */
  named: boolean;
  /** Bumped on every show, so that the first field is focused again. */
  seq: number;
}

export interface FormErrors {
  /**
   * Shows a refusal. `mapPath` turns a path of the request into the path of a field on the page (rows
   * the form did not send, a prefix such as "case."); a path no field on the page has is listed in the summary.
   */
  show(error: { message: string; details?: unknown }, mapPath?: (path: string) => string): void;
  /** A refusal the page itself makes, at one field (or none). */
  showAt(path: string | null, message: string): void;
  clear(): void;
  /** For FieldAnchor and the summary. */
  readonly state: Shown;
  messagesAt(anchor: string): string[];
  unplaced(): FieldIssue[];
  register(anchor: string): () => void;
  edited(anchor: string): void;
  focus(path: string): void;
  root: React.RefObject<HTMLElement | null>;
}

const EMPTY: Shown = { message: null, issues: [], named: false, seq: 0 };

/** The closest field on the page for a path: "legalBasis.0.law", else "legalBasis.0", else "legalBasis". */
function resolve(anchors: Set<string>, path: string): string | null {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const p = parts.slice(0, n).join('.');
    if (anchors.has(p)) return p;
  }
  return null;
}

const FOCUSABLE = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusAnchor(root: HTMLElement | null, anchor: string | null): void {
  const scope = root ?? document.body;
  const el = anchor ? scope.querySelector<HTMLElement>(`[data-field-path="${CSS.escape(anchor)}"]`) : scope.querySelector<HTMLElement>('[data-field-invalid="true"]');
  if (!el) return;
  const target = el.matches(FOCUSABLE) ? el : el.querySelector<HTMLElement>(FOCUSABLE);
  target?.focus({ preventScroll: true });
  el.scrollIntoView({ block: 'center' });
}

export function useFormErrors(): FormErrors {
  const [state, setState] = useState<Shown>(EMPTY);
  const anchors = useRef(new Set<string>());
  const root = useRef<HTMLElement | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const show = useCallback<FormErrors['show']>((error, mapPath) => {
    const issues = issuesOf(error.details).map((i) => ({ path: mapPath ? mapPath(i.path) : i.path, message: i.message }));
    setState((s) => ({ message: error.message, issues, named: issues.length > 0, seq: s.seq + 1 }));
  }, []);
  const showAt = useCallback<FormErrors['showAt']>((path, message) => {
    setState((s) => ({ message, issues: path ? [{ path, message }] : [], named: !!path, seq: s.seq + 1 }));
  }, []);
  const clear = useCallback(() => setState((s) => ({ ...EMPTY, seq: s.seq })), []);
  const register = useCallback((anchor: string) => {
    anchors.current.add(anchor);
    return () => {
      anchors.current.delete(anchor);
    };
  }, []);
  const edited = useCallback((anchor: string) => {
    const s = stateRef.current;
    if (!s.issues.some((i) => resolve(anchors.current, i.path) === anchor)) return;
    setState((x) => ({ ...x, issues: x.issues.filter((i) => resolve(anchors.current, i.path) !== anchor) }));
  }, []);

  // The first marked field (in the page's order) takes the focus after each refusal; without one, the summary.
  useEffect(() => {
    if (state.seq === 0) return;
    requestAnimationFrame(() => {
      const scope = root.current ?? document.body;
      if (scope.querySelector('[data-field-invalid="true"]')) focusAnchor(root.current, null);
      else scope.querySelector<HTMLElement>('.form-error-summary')?.scrollIntoView({ block: 'center' });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.seq]);

  return useMemo<FormErrors>(
    () => ({
      show,
      showAt,
      clear,
      state,
      messagesAt: (anchor) => state.issues.filter((i) => resolve(anchors.current, i.path) === anchor).map((i) => i.message),
      unplaced: () => state.issues.filter((i) => resolve(anchors.current, i.path) === null),
      register,
      edited,
      focus: (path) => focusAnchor(root.current, resolve(anchors.current, path)),
      root,
    }),
    [show, showAt, clear, state, register, edited],
  );
}

const FormErrorsContext = createContext<FormErrors | null>(null);

/** Gives the fields inside a form its errors; `as` the form's root for focusing (defaults to a div). */
export function FormErrorsProvider({ form, children }: { form: FormErrors; children: ReactNode }) {
  return <FormErrorsContext.Provider value={form}>{children}</FormErrorsContext.Provider>;
}

export function useFieldErrors(anchor: string | undefined): { messages: string[]; edited: () => void } {
  const form = useContext(FormErrorsContext);
  useEffect(() => (form && anchor ? form.register(anchor) : undefined), [form, anchor]);
  if (!form || !anchor) return { messages: [], edited: () => undefined };
  return { messages: form.messagesAt(anchor), edited: () => form.edited(anchor) };
}

/** The messages of a field, beside it. */
export function FieldMessages({ anchor, messages, id }: { anchor: string; messages: string[]; id?: string }) {
  if (!messages.length) return null;
  return (
    <div className="field-error" id={id} role="alert" data-testid={`field-error-${anchor}`}>
      {messages.join('；')}
    </div>
  );
}

/**
 * Marks a part of a form as the place of the field `path` (a row of a list, a group of radios): the
 * errors for it (or for anything inside it the page does not place more precisely) appear at its end,
 * and editing anything inside it takes them away.
 */
export function FieldAnchor({
  path,
  children,
  className,
  as: Tag = 'div',
  testId,
}: {
  path: string;
  children: ReactNode;
  className?: string;
  as?: 'div' | 'fieldset' | 'li' | 'span';
  testId?: string;
}) {
  const { messages, edited } = useFieldErrors(path);
  const id = useId();
  const ref = useRef<HTMLElement | null>(null);
  const invalid = messages.length > 0;
  useInvalidControls(ref, invalid, id);
  const Any = Tag as 'div';
  return (
    <Any
      ref={ref as React.RefObject<HTMLDivElement>}
      className={`${className ?? ''}${invalid ? ' field-invalid' : ''}`.trim() || undefined}
      data-field-path={path}
      data-field-invalid={invalid ? 'true' : undefined}
      data-testid={testId}
      onChange={edited}
      onInput={edited}
    >
      {children}
      <FieldMessages anchor={path} messages={messages} id={id} />
    </Any>
  );
}

/**
 * aria-invalid and the message's id on the controls inside a marked field (screen readers say why): a
 * control is invalid while any field around it is (a list's rows when the list is refused). Only marks
 * this code set are taken away, never a page's own aria-invalid.
 */
export function useInvalidControls(ref: React.RefObject<HTMLElement | null>, invalid: boolean, messageId: string): void {
  useEffect(() => {
    const controls = ref.current?.querySelectorAll<HTMLElement>('input, select, textarea') ?? [];
    for (const c of controls) {
      const around = c.closest<HTMLElement>('[data-field-invalid="true"]');
      if (around) {
        c.setAttribute('aria-invalid', 'true');
        c.setAttribute('aria-errormessage', around === ref.current ? messageId : (around.querySelector('.field-error')?.id ?? messageId));
        c.setAttribute('data-marked-invalid', '');
      } else if (c.hasAttribute('data-marked-invalid')) {
        c.removeAttribute('aria-invalid');
        c.removeAttribute('aria-errormessage');
        c.removeAttribute('data-marked-invalid');
      }
    }
  });
}

/**
 * By the submit button: every error of the last refusal, each a link to its field (or the refusal's
 * sentence when it named no field); gone once every named field is fixed.
 */
export function FormErrorSummary({ form, testId }: { form: FormErrors; testId: string }) {
  const { state } = form;
  const listed = state.issues;
  if (!listed.length && (state.named || !state.message)) return null;
  if (!listed.length) {
    return (
      <div className="error-box form-error-summary" role="alert" data-testid={testId}>
        {state.message}
      </div>
    );
  }
  const unplaced = new Set(form.unplaced());
  return (
    <div className="error-box form-error-summary" role="alert" data-testid={testId} data-count={listed.length}>
      <span>{listed.length === 1 ? '请修改后再提交：' : `有${listed.length}处需要修改，已在各处标出：`}</span>
      <ul>
        {listed.map((i, n) => (
          <li key={n}>
            {unplaced.has(i) ? (
              i.message
            ) : (
              <button type="button" className="btn-link" onClick={() => form.focus(i.path)}>
                {i.message}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
