import type { Kysely } from 'kysely';
import type { ScopeRef, ScopeType } from '@tessera/guard';
import { TesseraError } from '../errors/registry.js';
import type { Database } from '../store/schema.js';

/**
 * The scope and everything containing it, innermost first — the input the guard's `isAllowed`
 * expects. Throws NOT_FOUND for a scope that does not exist in the tenant, so callers never
 * authorize against a phantom.
 *
 * @example
 * ```ts
 * await ancestryOf(db, 1, { type: 'project', id: '7' })
 * // [{project 7}, {department 2}, {cluster <uuid>}, {tenant 1}]
 * ```
 */
export async function ancestryOf(
  db: Kysely<Database>,
  tenantId: number,
  scope: ScopeRef,
): Promise<ScopeRef[]> {
  const tenant: ScopeRef = { type: 'tenant', id: String(tenantId) };
  switch (scope.type) {
    case 'system':
      return [scope];
    case 'tenant':
      if (scope.id !== tenant.id) throw notFound(scope);
      return [tenant];
    case 'cluster':
      return [scope, tenant];
    case 'department': {
      const row = await db
        .selectFrom('departments')
        .select(['id', 'cluster_id'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', numericId(scope))
        .executeTakeFirst();
      if (!row) throw notFound(scope);
      return [scope, ...clusterOf(row.cluster_id), tenant];
    }
    case 'project': {
      const row = await db
        .selectFrom('projects')
        .leftJoin('departments', 'departments.id', 'projects.department_id')
        .select([
          'projects.department_id',
          'projects.cluster_id',
          'departments.cluster_id as department_cluster',
        ])
        .where('projects.tenant_id', '=', tenantId)
        .where('projects.id', '=', numericId(scope))
        .executeTakeFirst();
      if (!row) throw notFound(scope);
      const department: ScopeRef[] =
        row.department_id === null ? [] : [{ type: 'department', id: String(row.department_id) }];
      return [scope, ...department, ...clusterOf(row.cluster_id ?? row.department_cluster), tenant];
    }
  }
}

/** The tenant's own scope. */
export function tenantScope(tenantId: number): ScopeRef {
  return { type: 'tenant', id: String(tenantId) };
}

const clusterOf = (id: string | null): ScopeRef[] => (id ? [{ type: 'cluster', id }] : []);

function numericId(scope: ScopeRef): number {
  if (!/^\d{1,15}$/.test(scope.id)) throw notFound(scope);
  return Number(scope.id);
}

function notFound(scope: { type: ScopeType; id: string }): TesseraError {
  return new TesseraError('NOT_FOUND', `${scope.type} ${scope.id} not found`);
}
