import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DetailsDialog } from './DetailsDialog.js';
import { deleteOrgUnit, type OrgUnit, type OrgUnitKind, type OrgUnitRights } from './org-unit.js';
import { QuotaDialog } from './QuotaDialog.js';
import { QuotaSummary } from './QuotaSummary.js';

type Open = 'quotas' | 'details' | 'delete' | undefined;

/**
 * One node of the tree: its name (or the disclosure button that carries it), facts about it, its
 * quotas, and the actions the subject may take — edit quotas, edit details, delete (confirmed).
 *
 * @example
 * ```tsx
 * <OrgUnitRow kind="project" unit={p} rights={rights} title={<span>{p.name}</span>}
 *   onUpdated={list.replace} onDeleted={list.reload} />
 * ```
 */
export function OrgUnitRow({
  kind,
  unit,
  rights,
  title,
  facts,
  extraActions,
  onUpdated,
  onDeleted,
}: {
  kind: OrgUnitKind;
  unit: OrgUnit;
  rights: OrgUnitRights;
  title: ReactNode;
  facts?: ReactNode;
  extraActions?: ReactNode;
  onUpdated: (unit: OrgUnit) => void;
  onDeleted: () => void;
}) {
  const [open, setOpen] = useState<Open>();
  const close = () => setOpen(undefined);
  return (
    <div className={`node node-${kind}`}>
      <div className="node-head">
        {title}
        <span className="node-kind">{kind === 'department' ? 'Department' : 'Project'}</span>
      </div>
      <div className="node-body">
        <div className="node-facts">
          {unit.description && <p className="node-description">{unit.description}</p>}
          {facts}
          <QuotaSummary resources={unit.resources} />
        </div>
        {(extraActions || rights.update || rights.delete) && (
          <div className="node-actions">
            {extraActions}
            {rights.update && (
              <>
                <button
                  type="button"
                  aria-label={`Edit quotas of ${unit.name}`}
                  onClick={() => setOpen('quotas')}
                >
                  Edit quotas
                </button>
                <button
                  type="button"
                  aria-label={`Edit details of ${unit.name}`}
                  onClick={() => setOpen('details')}
                >
                  Edit details
                </button>
              </>
            )}
            {rights.delete && (
              <button
                type="button"
                className="danger"
                aria-label={`Delete ${unit.name}`}
                onClick={() => setOpen('delete')}
              >
                Delete
              </button>
            )}
          </div>
        )}
      </div>
      {open === 'quotas' && (
        <QuotaDialog
          kind={kind}
          unit={unit}
          onClose={close}
          onSaved={(resources) => {
            close();
            onUpdated({ ...unit, resources });
          }}
        />
      )}
      {open === 'details' && (
        <DetailsDialog
          kind={kind}
          unit={unit}
          onClose={close}
          onSaved={(saved) => {
            close();
            onUpdated(saved);
          }}
        />
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete ${unit.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={close}
          onConfirm={async () => {
            await deleteOrgUnit(kind, unit.id);
            close();
            onDeleted();
          }}
        >
          {kind === 'department'
            ? 'The department and the access rules on it are deleted. A department that still has projects cannot be deleted.'
            : 'The project and the access rules on it are deleted. This cannot be undone.'}
        </ConfirmDialog>
      )}
    </div>
  );
}
