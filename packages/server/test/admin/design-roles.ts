import type { Action } from '@tessera/guard';

/**
 * DESIGN §6's role table, written out independently of the implementation so the permission
 * matrix test compares the code against the document, not against itself.
 */
const CRUD: readonly Action[] = ['create', 'read', 'update', 'delete'];
const R: readonly Action[] = ['read'];
const WORKLOADS = ['workloads', 'jobs', 'trainings', 'workspaces', 'inferences'];
export const ALL_TYPES = [
  'tenant',
  'department',
  'project',
  'cluster',
  'cluster-config',
  'nodepools',
  'nodes',
  'settings',
  'security-settings',
  'branding-settings',
  'users',
  'apps',
  'service-account',
  'access-keys',
  'roles',
  'access_rules',
  ...WORKLOADS,
  'credentials',
  'events-history',
  'audit',
];
const each = (types: readonly string[], actions: readonly Action[]) =>
  Object.fromEntries(types.map((t) => [t, actions]));

// Every role may read the role catalogue (the UI lists roles when granting); Department
// administrators and Editors also read node pools and nodes of their scope.
export const DESIGN_ROLES: Record<number, Record<string, readonly Action[]>> = {
  1: each(ALL_TYPES, CRUD),
  2: {
    ...each(['department', 'project', 'access_rules', ...WORKLOADS], CRUD),
    ...each(['users', 'cluster', 'roles', 'nodepools', 'nodes'], R),
  },
  3: {
    ...each(['department', 'project'], CRUD),
    ...each(['cluster', 'users', 'access_rules', 'roles', 'nodepools', 'nodes', ...WORKLOADS], R),
  },
  4: { ...each(['project', 'roles'], R), ...each(WORKLOADS, CRUD) },
  5: { ...each(['project', 'department', 'roles'], R), ...each(WORKLOADS, CRUD) },
  6: { ...each(['project', 'roles', 'workloads'], R), ...each(['trainings', 'workspaces'], CRUD) },
  7: { ...each(['project', 'roles', 'workloads'], R), ...each(['inferences'], CRUD) },
  8: each(
    ALL_TYPES.filter((t) => !['credentials', 'access-keys', 'audit'].includes(t)),
    R,
  ),
};

/** Does DESIGN §6 give `roleId` the permission (ignoring scope)? */
export const designGrants = (roleId: number, resourceType: string, action: Action): boolean =>
  DESIGN_ROLES[roleId]?.[resourceType]?.includes(action) ?? false;
