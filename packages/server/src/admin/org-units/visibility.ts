import { roleById, type Action } from '@tessera/guard';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../store/store.js';
import { filterWhere, parseFilters, type FieldSpec } from '../list-query.js';

/**
 * The rows of `table` a principal may `action` as `resourceType`, as one SQL condition — so list
 * endpoints filter and page in the database, not in memory. A rule on the tenant (or system) sees
 * everything; a rule on a cluster, department or project sees what lies under it.
 *
 * @example
 * ```ts
 * db.selectFrom('projects').where(visibleOrgUnits(principal, 'projects', 'project', 'read'))
 * ```
 */
export function visibleOrgUnits(
  principal: Principal,
  table: 'projects' | 'departments',
  resourceType: string,
  action: Action,
): Expression<SqlBool> {
  const clusters: string[] = [];
  const departments: number[] = [];
  const projects: number[] = [];
  for (const rule of principal.rules) {
    const role = roleById(rule.roleId);
    if (!role?.permissions.some((p) => p.resourceType === resourceType && p.actions.includes(action)))
      continue;
    if (rule.scopeType === 'system') return sql<SqlBool>`1 = 1`;
    if (rule.scopeType === 'tenant' && rule.scopeId === String(principal.tenantId))
      return sql<SqlBool>`1 = 1`;
    if (rule.scopeType === 'cluster') clusters.push(rule.scopeId);
    const n = /^\d{1,15}$/.test(rule.scopeId) ? Number(rule.scopeId) : undefined;
    if (n === undefined) continue;
    if (rule.scopeType === 'department') departments.push(n);
    if (rule.scopeType === 'project') projects.push(n);
  }
  const parts = [];
  if (clusters.length) parts.push(sql<SqlBool>`${sql.ref(`${table}.cluster_id`)} in (${sql.join(clusters)})`);
  const deptColumn = table === 'projects' ? 'projects.department_id' : 'departments.id';
  if (departments.length) parts.push(sql<SqlBool>`${sql.ref(deptColumn)} in (${sql.join(departments)})`);
  if (table === 'projects' && projects.length)
    parts.push(sql<SqlBool>`${sql.ref('projects.id')} in (${sql.join(projects)})`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

/**
 * The condition of an org-unit list and its count: the caller's tenant, the rows it may read
 * ({@link visibleOrgUnits}), the list's `filterBy`, and `search` as a substring of the name (the same
 * meaning for departments and projects).
 *
 * @example
 * ```ts
 * const where = await listedOrgUnits(ctx.store, p, 'projects', FIELDS, request.query)
 * const rows = await db.selectFrom('projects').selectAll().where(where).execute()
 * ```
 */
export async function listedOrgUnits(
  store: Pick<Store, 'db' | 'dialect'>,
  principal: Principal,
  table: 'projects' | 'departments',
  fields: Record<string, FieldSpec>,
  query: { filterBy?: string[] | undefined; search?: string | undefined },
): Promise<Expression<SqlBool>> {
  const filters = parseFilters(query.filterBy, fields);
  if (query.search) filters.push({ field: 'name', op: '=@', value: query.search });
  const visible = visibleOrgUnits(principal, table, table === 'projects' ? 'project' : 'department', 'read');
  const filtered = await filterWhere(store, filters, fields);
  return sql<SqlBool>`${sql.ref(`${table}.tenant_id`)} = ${principal.tenantId} and ${visible} and (${filtered})`;
}
