import { roleById, type ScopeRef } from '@tessera/guard';
import type { Kysely, Selectable } from 'kysely';
import type { AccessRuleTable, Database } from '../../store/schema.js';
import { iso } from '../schemas.js';

type RuleRow = Selectable<AccessRuleTable>;

/**
 * Presents access rules in the spec's `AccessRule` shape, resolving each scope's human name once per
 * call however many rules share it.
 */
export async function presentRules(db: Kysely<Database>, rows: RuleRow[]) {
  const names = new Map<string, Promise<string>>();
  const nameOf = (rule: RuleRow) => {
    const key = `${rule.scope_type}/${rule.scope_id}`;
    if (!names.has(key))
      names.set(key, scopeName(db, rule.tenant_id, { type: rule.scope_type, id: rule.scope_id }));
    return names.get(key) as Promise<string>;
  };
  return Promise.all(
    rows.map(async (rule) => ({
      id: rule.id,
      subjectId: rule.subject_id,
      subjectType: rule.subject_type,
      roleId: rule.role_id,
      roleName: roleById(rule.role_id)?.name ?? `role ${rule.role_id}`,
      scopeId: rule.scope_id,
      scopeType: rule.scope_type,
      scopeName: await nameOf(rule),
      ...(rule.cluster_id ? { clusterId: rule.cluster_id } : {}),
      tenantId: rule.tenant_id,
      createdBy: rule.created_by,
      createdAt: iso(rule.created_at),
      updatedAt: iso(rule.updated_at),
    })),
  );
}

async function scopeName(db: Kysely<Database>, tenantId: number, scope: ScopeRef): Promise<string> {
  const numeric = /^\d{1,15}$/.test(scope.id) ? Number(scope.id) : -1;
  const row =
    scope.type === 'tenant'
      ? await db.selectFrom('tenants').select('name').where('id', '=', numeric).executeTakeFirst()
      : scope.type === 'project'
        ? await db
            .selectFrom('projects')
            .select('name')
            .where('tenant_id', '=', tenantId)
            .where('id', '=', numeric)
            .executeTakeFirst()
        : scope.type === 'department'
          ? await db
              .selectFrom('departments')
              .select('name')
              .where('tenant_id', '=', tenantId)
              .where('id', '=', numeric)
              .executeTakeFirst()
          : undefined;
  return row?.name ?? scope.id;
}

/** One rule in the spec's shape. */
export async function presentRule(db: Kysely<Database>, row: RuleRow) {
  const [presented] = await presentRules(db, [row]);
  return presented as NonNullable<typeof presented>;
}
