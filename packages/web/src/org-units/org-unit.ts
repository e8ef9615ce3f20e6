import type { Department, Project } from '@tessera/client';
import { api } from '../api.js';
import type { PermissionMap } from '../permissions.js';
import { can } from '../permissions.js';

/** A node of the tree: a department or a project. */
export type OrgUnitKind = 'department' | 'project';
export type OrgUnit = Department | Project;

/** What the signed-in subject may do to one kind of node (resource types `department`, `project`). */
export interface OrgUnitRights {
  create: boolean;
  update: boolean;
  delete: boolean;
}

/**
 * The create/update/delete rights on departments or projects.
 *
 * @example
 * ```ts
 * rightsOn(perms, 'project').create
 * ```
 */
export function rightsOn(perms: PermissionMap, kind: OrgUnitKind): OrgUnitRights {
  return {
    create: can(perms, kind, 'create'),
    update: can(perms, kind, 'update'),
    delete: can(perms, kind, 'delete'),
  };
}

/**
 * Saves a node's description. A project's `PUT` needs its resources too (the spec requires them),
 * so the current ones go along unchanged.
 *
 * @example
 * ```ts
 * const saved = await saveDescription('department', department, 'Vision research')
 * ```
 */
export async function saveDescription(
  kind: OrgUnitKind,
  unit: OrgUnit,
  description: string,
): Promise<OrgUnit> {
  return kind === 'department'
    ? api.departments.update(unit.id, { description })
    : api.projects.update(unit.id, { description, resources: unit.resources });
}

/**
 * Deletes a node; a department that still has projects is refused by the server (400), and that
 * message is what the confirmation dialog shows.
 *
 * @example
 * ```ts
 * await deleteOrgUnit('project', project.id)
 * ```
 */
export function deleteOrgUnit(kind: OrgUnitKind, id: string): Promise<void> {
  return kind === 'department' ? api.departments.delete(id) : api.projects.delete(id);
}

/** The spec's name rule for departments and projects (they become Kubernetes names). */
export const ORG_UNIT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
