import { useState, type ReactNode } from 'react';
import { nameProblem } from '../names.js';
import { useSubmission } from '../useSubmission.js';
import { FormDialog } from './FormDialog.js';
import { NameField } from './NameField.js';

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
  const { error, setError, busy, submit } = useSubmission();
  const onSubmit = () => {
    const problem = nameProblem(name);
    if (problem) return setError(problem);
    void submit(() => onCreate(name));
  };
  return (
    <FormDialog
      title={title}
      submitLabel="Create"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      {children}
      <NameField value={name} onChange={setName} />
    </FormDialog>
  );
}
