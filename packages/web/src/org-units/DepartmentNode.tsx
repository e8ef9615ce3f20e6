import type { Department } from '@tessera/client';
import { useState } from 'react';
import type { PermissionMap } from '../permissions.js';
import { can } from '../permissions.js';
import { CreateOrgUnitDialog, type ClusterChoice } from './CreateOrgUnitDialog.js';
import { rightsOn, type OrgUnit } from './org-unit.js';
import { OrgUnitRow } from './OrgUnitRow.js';
import { ProjectList } from './ProjectList.js';

/**
 * A department in the tree: a disclosure button (its name; Enter/Space expand and collapse) over
 * its projects, which load when it is first expanded; "New project" under it for those who may.
 *
 * @example
 * ```tsx
 * <DepartmentNode department={d} perms={perms} clusters={choice} onUpdated={replace} onDeleted={reload} />
 * ```
 */
export function DepartmentNode({
  department,
  perms,
  clusters,
  onUpdated,
  onDeleted,
}: {
  department: Department;
  perms: PermissionMap;
  clusters: ClusterChoice;
  onUpdated: (unit: OrgUnit) => void;
  onDeleted: () => void;
}) {
  const [expanded, setExpanded] = useState(false);
  // Projects load on the first expand and stay loaded (hidden) when collapsed again.
  const [opened, setOpened] = useState(false);
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const projectRights = rightsOn(perms, 'project');
  const mayReadProjects = can(perms, 'project', 'read');
  const list = clusters.kind === 'ready' ? clusters.clusters : [];
  const cluster = list.find((c) => c.uuid === department.clusterId)?.name ?? department.clusterId;
  const childrenId = `department-${department.id}-projects`;
  return (
    <li>
      <OrgUnitRow
        kind="department"
        unit={department}
        rights={rightsOn(perms, 'department')}
        title={
          mayReadProjects ? (
            <button
              type="button"
              className="node-toggle node-name"
              aria-expanded={expanded}
              aria-controls={childrenId}
              onClick={() => {
                setOpened(true);
                setExpanded((e) => !e);
              }}
            >
              <span className="node-arrow" aria-hidden="true">
                {expanded ? '▾' : '▸'}
              </span>
              {department.name}
            </button>
          ) : (
            <span className="node-name">{department.name}</span>
          )
        }
        facts={<p className="node-meta">Cluster {cluster}</p>}
        extraActions={
          projectRights.create && (
            <button
              type="button"
              aria-label={`New project in ${department.name}`}
              onClick={() => setCreating(true)}
            >
              New project
            </button>
          )
        }
        onUpdated={onUpdated}
        onDeleted={onDeleted}
      />
      {mayReadProjects && (
        <div id={childrenId} className="children" hidden={!expanded}>
          {opened && (
            <ProjectList
              parentId={department.id}
              parentName={department.name}
              version={version}
              rights={projectRights}
              clusters={list}
            />
          )}
        </div>
      )}
      {creating && (
        <CreateOrgUnitDialog
          parent={department}
          clusters={clusters}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setOpened(true);
            setExpanded(true);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </li>
  );
}
