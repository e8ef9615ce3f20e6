import { useState, type FormEvent, type ReactNode } from 'react';
import { readableError } from '../api.js';
import { nameProblem } from '../names.js';
import { Dialog } from './Dialog.js';
import { ErrorAlert } from './ErrorAlert.js';

/**
 * A "New …" form that asks only for a name (service accounts, access keys). The name is checked
 * against the API's pattern first; `onCreate` may fail, and its error is shown in the dialog.
 *
 * @example
 * ```tsx
 * <NameDialog title="New access key" onCreate={(name) => create(name)} onClose={close} />
 * ```
 */
export function NameDialog({
  title,
  onCreate,
  onClose,
  children,
}: {
  title: string;
  onCreate: (name: string) => Promise<void>;
  onClose: () => void;
  /** An explanation shown above the field. */
  children?: ReactNode;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = nameProblem(name);
    if (problem) return setError(problem);
    setBusy(true);
    setError(undefined);
    try {
      await onCreate(name);
    } catch (err) {
      setError(readableError(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {children}
        <label className="field">
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoFocus
            required
            autoComplete="off"
          />
        </label>
        <ErrorAlert message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}
