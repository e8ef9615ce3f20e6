import { roleById, type Action } from '@tessera/guard';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Principal } from '../../auth/principal.js';

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
