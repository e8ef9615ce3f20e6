import type { Department } from '@tessera/client';
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { can, type PermissionMap } from '../permissions.js';
import { CreateOrgUnitDialog, loadClusters, type ClusterChoice } from './CreateOrgUnitDialog.js';
import { DepartmentNode } from './DepartmentNode.js';
import { rightsOn } from './org-unit.js';
import { ProjectList } from './ProjectList.js';
import { usePagedList } from './paged-list.js';
import './org-units.css';

/**
 * Settings & Tools → Departments & projects: one tree of departments (paged, "Load more") with
 * their projects under disclosure buttons, each node with its quotas and the actions the subject
 * may take. A subject who may read projects but not departments sees the projects as one list.
 *
 * @example
 * ```tsx
 * <OrgUnitsPage perms={perms} />
 * ```
 */
export function OrgUnitsPage({ perms }: { perms: PermissionMap }) {
  const mayReadDepartments = can(perms, 'department', 'read');
  const departmentRights = rightsOn(perms, 'department');
  const [clusters, setClusters] = useState<ClusterChoice>({ kind: 'loading' });
  const [creating, setCreating] = useState(false);
  const departments = usePagedList<Department>(
    (offset, limit) =>
      mayReadDepartments
        ? api.departments.list({ offset, limit }).then((b) => ({ items: b.departments, next: b.next }))
        : Promise.resolve({ items: [] }),
    'departments',
  );
  useEffect(() => {
    void loadClusters().then(setClusters);
  }, []);

  return (
    <>
      <div className="page-head">
        <h1>Departments &amp; projects</h1>
        {departmentRights.create && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New department
          </button>
        )}
      </div>
      <p className="hint">
        Departments group projects; quotas are per node pool (GPU, CPU, memory: deserved, limit, over-quota
        weight). Expand a department to see its projects.
      </p>
      {mayReadDepartments ? (
        <>
          <ErrorAlert message={departments.error} />
          {departments.items === undefined ? (
            !departments.error && <p aria-busy="true">Loading…</p>
          ) : departments.items.length === 0 ? (
            <p>No departments yet.</p>
          ) : (
            <ul aria-label="Departments" className="tree">
              {departments.items.map((d) => (
                <DepartmentNode
                  key={d.id}
                  department={d}
                  perms={perms}
                  clusters={clusters}
                  onUpdated={(u) => departments.replace(u as Department)}
                  onDeleted={() => void departments.reload()}
                />
              ))}
            </ul>
          )}
          {departments.hasMore && (
            <button type="button" disabled={departments.loading} onClick={() => void departments.loadMore()}>
              Load more departments
            </button>
          )}
        </>
      ) : (
        <div className="tree">
          <ProjectList
            version={0}
            rights={rightsOn(perms, 'project')}
            clusters={clusters.kind === 'ready' ? clusters.clusters : []}
          />
        </div>
      )}
      {creating && (
        <CreateOrgUnitDialog
          clusters={clusters}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            void departments.reload();
          }}
        />
      )}
    </>
  );
}
