/** An action on a resource type, as in the spec's `Action` enum. */
export type Action = 'create' | 'read' | 'update' | 'delete';

/** A role's grant on one resource type. */
export interface Permission {
  resourceType: string;
  actions: readonly Action[];
}

/** A named set of permissions. Predefined roles have stable integer ids. */
export interface Role {
  id: number;
  name: string;
  /** The name Run:ai's older APIs and the seed document use (`admin`, `editor`, `researcher`, …). */
  legacyName?: string;
  description: string;
  permissions: readonly Permission[];
}

const CRUD: readonly Action[] = ['create', 'read', 'update', 'delete'];
const READ: readonly Action[] = ['read'];

/** Resource types that workloads are made of; a role on workloads usually covers each kind. */
export const WORKLOAD_RESOURCES = ['workloads', 'jobs', 'trainings', 'workspaces', 'inferences'] as const;

/**
 * Every resource type Tessera knows: the spec's `ResourceType` enum plus `audit`, which the spec
 * exposes as an endpoint but not as a resource type.
 */
export const RESOURCE_TYPES = [
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
  ...WORKLOAD_RESOURCES,
  'credentials',
  'events-history',
  'audit',
] as const;

/** Resource types a Viewer may not read: they reveal secrets or other people's actions. */
const SECRET_OR_AUDIT = new Set(['credentials', 'access-keys', 'audit']);

const grant = (actions: readonly Action[], ...resourceTypes: string[]): Permission[] =>
  resourceTypes.map((resourceType) => ({ resourceType, actions }));

/**
 * The predefined roles (DESIGN §6). Ids are stable: access rules in every store refer to them.
 *
 * @example
 * ```ts
 * PREDEFINED_ROLES.find((r) => r.legacyName === 'researcher')?.id // 5
 * ```
 */
export const PREDEFINED_ROLES: readonly Role[] = Object.freeze([
  {
    id: 1,
    name: 'System administrator',
    legacyName: 'admin',
    description: 'Manages everything in the tenant: users, applications, settings, clusters and org units.',
    permissions: grant(CRUD, ...RESOURCE_TYPES),
  },
  {
    id: 2,
    name: 'Department administrator',
    legacyName: 'department_admin',
    description: 'Manages departments below, projects, access rules and workloads in its scope.',
    permissions: [
      ...grant(CRUD, 'department', 'project', 'access_rules', ...WORKLOAD_RESOURCES),
      ...grant(READ, 'users', 'cluster', 'roles', 'nodepools', 'nodes'),
    ],
  },
  {
    id: 3,
    name: 'Editor',
    legacyName: 'editor',
    description:
      'Creates and changes departments and projects; reads clusters, users, access rules and workloads.',
    permissions: [
      ...grant(CRUD, 'department', 'project'),
      ...grant(
        READ,
        'cluster',
        'users',
        'access_rules',
        'roles',
        'nodepools',
        'nodes',
        ...WORKLOAD_RESOURCES,
      ),
    ],
  },
  {
    id: 4,
    name: 'Research manager',
    legacyName: 'research_manager',
    description: 'Reads projects and manages every workload in them.',
    permissions: [...grant(READ, 'project', 'roles'), ...grant(CRUD, ...WORKLOAD_RESOURCES)],
  },
  {
    id: 5,
    name: 'L1 researcher',
    legacyName: 'researcher',
    description: 'Reads projects and departments and manages workloads of every kind.',
    permissions: [...grant(READ, 'project', 'department', 'roles'), ...grant(CRUD, ...WORKLOAD_RESOURCES)],
  },
  {
    id: 6,
    name: 'L2 researcher',
    description: 'Reads projects and manages trainings and workspaces.',
    permissions: [...grant(READ, 'project', 'roles', 'workloads'), ...grant(CRUD, 'trainings', 'workspaces')],
  },
  {
    id: 7,
    name: 'ML engineer',
    legacyName: 'ml_engineer',
    description: 'Reads projects and manages inference workloads.',
    permissions: [...grant(READ, 'project', 'roles', 'workloads'), ...grant(CRUD, 'inferences')],
  },
  {
    id: 8,
    name: 'Viewer',
    legacyName: 'viewer',
    description: 'Reads everything in its scope except secrets and the audit log.',
    permissions: grant(READ, ...RESOURCE_TYPES.filter((r) => !SECRET_OR_AUDIT.has(r))),
  },
] satisfies Role[]);

const BY_ID = new Map(PREDEFINED_ROLES.map((r) => [r.id, r]));
const BY_NAME = new Map(
  PREDEFINED_ROLES.flatMap((r) => [
    [r.name.toLowerCase(), r] as const,
    ...(r.legacyName ? [[r.legacyName, r] as const] : []),
  ]),
);

/**
 * Looks a predefined role up by id.
 *
 * @example
 * ```ts
 * roleById(8)?.name // 'Viewer'
 * ```
 */
export function roleById(id: number): Role | undefined {
  return BY_ID.get(id);
}

/**
 * Looks a predefined role up by its display name or legacy name, case-insensitively.
 * The seed's `Researcher` / `Editor` / `Administrator` are accepted too.
 *
 * @example
 * ```ts
 * roleByName('Administrator')?.id // 1
 * ```
 */
export function roleByName(name: string): Role | undefined {
  const key = name.trim().toLowerCase();
  if (key === 'administrator') return BY_ID.get(1);
  return BY_NAME.get(key);
}
