import { TesseraApiError, type ResourceItem } from '@tessera/client';
import { useId, useState, type FormEvent } from 'react';
import { api, readableError } from '../api.js';
import { Dialog } from '../components/Dialog.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import {
  defaultPoolItem,
  draftOf,
  fieldOfMessage,
  itemOf,
  QUOTA_FIELDS,
  QUOTA_KINDS,
  QuotaInputError,
  quotaRefusal,
  type MemoryUnits,
  type QuotaField,
  type QuotaKind,
} from './quotas.js';
import type { OrgUnit, OrgUnitKind } from './org-unit.js';

/**
 * Edit quotas of a department or project: GPU, CPU and memory (deserved, limit, over-quota weight)
 * of its default node pool, sent with `PATCH …/{id}/resources` so other node pools stay as they are.
 * The server's range checks come back as a readable message, and the field it names is marked.
 *
 * @example
 * ```tsx
 * <QuotaDialog kind="project" unit={project} onClose={close} onSaved={(resources) => …} />
 * ```
 */
export function QuotaDialog({
  kind,
  unit,
  onClose,
  onSaved,
}: {
  kind: OrgUnitKind;
  unit: OrgUnit;
  onClose: () => void;
  onSaved: (resources: ResourceItem[]) => void;
}) {
  const id = useId();
  const pool = defaultPoolItem(unit.resources);
  const [draft, setDraft] = useState(() => draftOf(pool));
  const [error, setError] = useState<string>();
  const [invalid, setInvalid] = useState<{ kind: QuotaKind; field: QuotaField }>();
  const [busy, setBusy] = useState(false);

  const set = (k: QuotaKind, f: QuotaField, value: string) =>
    setDraft((d) => ({ ...d, [k]: { ...d[k], [f]: value } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setInvalid(undefined);
    let item: ResourceItem;
    try {
      item = itemOf(draft, pool?.nodePool);
    } catch (err) {
      if (!(err instanceof QuotaInputError)) throw err;
      setInvalid({ kind: err.kind, field: err.field });
      return setError(err.message);
    }
    setBusy(true);
    try {
      const ops = kind === 'department' ? api.departments : api.projects;
      onSaved(await ops.patchResources(unit.id, [item]));
    } catch (err) {
      const message = err instanceof TesseraApiError ? (err.body?.message ?? '') : '';
      setError(quotaRefusal(message) ?? readableError(err));
      setInvalid(fieldOfMessage(message));
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Quotas of ${unit.name}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="hint">Leave a field empty for no value; a limit of -1 means unlimited.</p>
        {QUOTA_KINDS.map((k) => (
          <fieldset key={k.key} className="quota-fields">
            <legend>{k.label}</legend>
            {QUOTA_FIELDS.map((f) => {
              const bad = invalid?.kind === k.key && invalid.field === f.key;
              return (
                <label key={f.key} className="field">
                  {f.label}
                  <input
                    type="number"
                    inputMode="decimal"
                    step="any"
                    value={draft[k.key][f.key]}
                    aria-invalid={bad || undefined}
                    aria-describedby={bad ? `${id}-error` : undefined}
                    onChange={(e) => set(k.key, f.key, e.target.value)}
                  />
                </label>
              );
            })}
            {k.key === 'memory' && (
              <label className="field">
                Units
                <select
                  value={draft.memoryUnits}
                  onChange={(e) => setDraft((d) => ({ ...d, memoryUnits: e.target.value as MemoryUnits }))}
                >
                  <option value="GB">GB</option>
                  <option value="MB">MB</option>
                  <option value="Mib">MiB</option>
                </select>
              </label>
            )}
          </fieldset>
        ))}
        <div id={`${id}-error`}>
          <ErrorAlert message={error} />
        </div>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Save quotas
          </button>
        </div>
      </form>
    </Dialog>
  );
}
