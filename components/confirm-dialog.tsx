'use client';
import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './ui';

/** A modal confirmation for anything that acts on an agent (takeover, restart, terminate). */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger' | 'warning';
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
      className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-3 p-5">
        <h3 className="text-base font-semibold">{props.title}</h3>
        <div className="text-sm text-slate-600">{props.children}</div>
        <div className="flex justify-end gap-2 pt-2">
          <Button data-testid="confirm-cancel" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button
            data-testid="confirm-ok"
            tone={props.tone ?? 'primary'}
            disabled={props.busy}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
