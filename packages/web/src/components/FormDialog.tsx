import type { ReactNode } from 'react';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';

/**
 * A {@link Dialog} holding a form: its fields (the children), the form's error, then Cancel and
 * the submit button, which is disabled while `busy`. Submitting calls `onSubmit` instead of
 * loading a page; the fields are checked there, not by the browser.
 *
 * @example
 * ```tsx
 * <FormDialog title="New cluster" submitLabel="Create" error={error} busy={busy} onSubmit={save} onClose={close}>
 *   <label className="field">Name<input … /></label>
 * </FormDialog>
 * ```
 */
export function FormDialog({
  title,
  submitLabel,
  error,
  busy,
  onSubmit,
  onClose,
  children,
}: {
  title: string;
  /** The submit button's text: "Create", "Save", … */
  submitLabel: string;
  error: string | undefined;
  busy?: boolean;
  onSubmit: () => void;
  /** Cancel, Escape. */
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        {children}
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
