import { useState, type ReactNode } from 'react';
import { readableError } from '../api.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';

/**
 * A confirmation dialog. `onConfirm` may fail: its error is shown in the dialog, which stays open.
 *
 * @example
 * ```tsx
 * <ConfirmDialog title="Delete ci-bot?" confirmLabel="Delete" onConfirm={remove} onCancel={close}>…</ConfirmDialog>
 * ```
 */
export function ConfirmDialog(props: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      <p>{props.children}</p>
      <ErrorAlert message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            props.onConfirm().catch((err: unknown) => {
              setError(readableError(err));
              setBusy(false);
            });
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
