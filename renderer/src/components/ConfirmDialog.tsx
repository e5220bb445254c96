// One confirmation dialog for every act that cannot be undone (出具审核意见, 定稿, 签发, 停用证书, recording
// a meeting decision, 锁定纪要, 办结). A modal <dialog>: focus starts on the safe button (取消), Esc
// cancels, Enter confirms only when the confirm button itself has focus (a native button press), and no
// key pressed inside reaches the page behind it (so the minutes' Ctrl+Enter cannot record twice).
import { useCallback, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface ConfirmOptions {
  /** The question, e.g. 确认定稿？ */
  title: string;
  /** One sentence saying what will be fixed for good. */
  message: ReactNode;
  /** Something the user should know first (e.g. nothing was edited); shown in red above the buttons. */
  warning?: ReactNode;
  /** The confirm button's text, e.g. 确认定稿. */
  confirmLabel: string;
  cancelLabel?: string;
  /** data-testid of the confirm button (default confirm-ok) and of the dialog (default confirm-dialog). */
  okTestId?: string;
  testId?: string;
}

interface Pending extends ConfirmOptions {
  resolve: (ok: boolean) => void;
}

/**
 * `const [dialog, ask] = useConfirm();` render `{dialog}` once, then `if (!(await ask({...}))) return;`.
 * `ask` resolves true only when the user pressed the confirm button.
 */
export function useConfirm(): [ReactNode, (o: ConfirmOptions) => Promise<boolean>] {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback(
    (o: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        setPending({ ...o, resolve });
      }),
    [],
  );
  const close = useCallback(
    (ok: boolean) => {
      setPending((p) => {
        p?.resolve(ok);
        return null;
      });
    },
    [],
  );
  const dialog = pending ? <ConfirmDialog key={pending.title} options={pending} onClose={close} /> : null;
  return [dialog, ask];
}

function ConfirmDialog({ options, onClose }: { options: ConfirmOptions; onClose: (ok: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  // Before paint: the dialog is never seen without the focus on 取消.
  useLayoutEffect(() => {
    const d = ref.current;
    const before = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    cancelRef.current?.focus();
    return () => {
      // Out of the modal state first (while it is modal, everything behind it is inert and cannot take
      // focus), then back where the user was (e.g. the minutes' decision field), so the keyboard flow goes on.
      if (d?.open) d.close();
      if (before && document.contains(before)) before.focus();
    };
  }, []);

  return createPortal(
    <dialog
      ref={ref}
      className="confirm-dialog"
      data-testid={options.testId ?? 'confirm-dialog'}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        // Esc: the browser would close the dialog itself; close it through React instead.
        e.preventDefault();
        onClose(false);
      }}
      onKeyDown={(e) => {
        // Keys stay in the dialog: a form or page behind it never sees Enter or Ctrl+Enter.
        e.stopPropagation();
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName !== 'BUTTON') e.preventDefault();
      }}
      onClick={(e) => e.stopPropagation()}
    >
      <h2 id={titleId} className="confirm-dialog-title" data-testid="confirm-title">
        {options.title}
      </h2>
      <p id={bodyId} className="confirm-dialog-message" data-testid="confirm-message">
        {options.message}
      </p>
      {options.warning && (
        <p className="confirm-dialog-warning warn-text" role="alert" data-testid="confirm-warning">
          {options.warning}
        </p>
      )}
      <div className="actions confirm-dialog-actions">
        <button type="button" ref={cancelRef} data-testid="confirm-cancel" onClick={() => onClose(false)}>
          {options.cancelLabel ?? '取消'}
        </button>
        <button type="button" className="btn-danger" data-testid={options.okTestId ?? 'confirm-ok'} onClick={() => onClose(true)}>
          {options.confirmLabel}
        </button>
      </div>
    </dialog>,
    document.body,
  );
}
