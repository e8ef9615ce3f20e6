import { useId, useState } from 'react';
import { FormDialog } from '../components/FormDialog.js';
import { useSubmission } from '../useSubmission.js';
import { saveDescription, type OrgUnit, type OrgUnitKind } from './org-unit.js';

/**
 * Edit details of a department or project: its description. The name is shown but fixed — the
 * spec's update requests have no name (a project's name is its namespace), so renaming is not offered.
 *
 * @example
 * ```tsx
 * <DetailsDialog kind="department" unit={d} onClose={close} onSaved={replace} />
 * ```
 */
export function DetailsDialog({
  kind,
  unit,
  onClose,
  onSaved,
}: {
  kind: OrgUnitKind;
  unit: OrgUnit;
  onClose: () => void;
  onSaved: (unit: OrgUnit) => void;
}) {
  const id = useId();
  const [description, setDescription] = useState(unit.description);
  const { error, busy, submit } = useSubmission();
  const onSubmit = () =>
    void submit(async () => onSaved(await saveDescription(kind, unit, description.trim())));
  return (
    <FormDialog
      title={`Details of ${unit.name}`}
      submitLabel="Save"
      error={error}
      busy={busy}
      onSubmit={onSubmit}
      onClose={onClose}
    >
      <label className="field">
        Name
        <input value={unit.name} readOnly aria-describedby={`${id}-name`} />
      </label>
      <p id={`${id}-name`} className="hint">
        Names cannot be changed: the API keeps a {kind}&apos;s name for its lifetime (a project&apos;s name is
        its namespace). Create a new {kind} to use another name.
      </p>
      <label className="field">
        Description
        <textarea
          value={description}
          maxLength={1024}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
    </FormDialog>
  );
}
