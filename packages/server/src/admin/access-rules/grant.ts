import { missingForGrant, roleById, type ScopeRef } from '@tessera/guard';
import type { Kysely } from 'kysely';
import { requirePermission, type Principal } from '../../auth/principal.js';
import { TesseraError } from '../../errors/registry.js';
import { ancestryOf } from '../../scopes/ancestry.js';
import type { Database } from '../../store/schema.js';

/** A rule about to be written. */
export interface NewRule {
  subjectType: 'user' | 'app' | 'service-account' | 'group';
  subjectId: string;
  roleId: number;
  scope: ScopeRef;
}

/**
 * Checks that `principal` may create this rule: it needs `access_rules:create` at the scope, and
 * must itself hold every permission of the role there — nobody grants what they lack.
 * Returns the scope's ancestry (for the cluster id) or throws NOT_FOUND / FORBIDDEN.
 *
 * @example
 * ```ts
 * await authorizeGrant(db, principal, { subjectType: 'app', subjectId: id, roleId: 5, scope: { type: 'project', id: '3' } })
 * ```
 */
export async function authorizeGrant(
  db: Kysely<Database>,
  principal: Principal,
  rule: NewRule,
): Promise<ScopeRef[]> {
  const role = roleById(rule.roleId);
  if (!role) throw new TesseraError('INVALID_REQUEST', `roleId: role ${rule.roleId} does not exist`);
  const ancestry = await ancestryOf(db, principal.tenantId, rule.scope);
  requirePermission(principal, 'access_rules', 'create', ancestry);
  const missing = missingForGrant(principal.rules, role, ancestry);
  if (missing) {
    throw new TesseraError(
      'FORBIDDEN',
      `cannot grant role "${role.name}": you lack ${missing.action} on ${missing.resourceType} in ${rule.scope.type} ${rule.scope.id}`,
    );
  }
  return ancestry;
}

/**
 * Writes an authorized rule; the caller passes its transaction. Returns the new rule's id.
 * A rule that already exists is a 409.
 */
export async function insertRule(
  db: Kysely<Database>,
  tenantId: number,
  rule: NewRule,
  ancestry: readonly ScopeRef[],
  createdBy: string,
  now = Date.now(),
): Promise<number> {
  const existing = await db
    .selectFrom('access_rules')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', rule.subjectType)
    .where('subject_id', '=', rule.subjectId)
    .where('role_id', '=', rule.roleId)
    .where('scope_type', '=', rule.scope.type)
    .where('scope_id', '=', rule.scope.id)
    .executeTakeFirst();
  if (existing) throw new TesseraError('CONFLICT', `access rule already exists (id ${existing.id})`);
  const { id } = await db
    .insertInto('access_rules')
    .values({
      tenant_id: tenantId,
      subject_type: rule.subjectType,
      subject_id: rule.subjectId,
      role_id: rule.roleId,
      scope_type: rule.scope.type,
      scope_id: rule.scope.id,
      cluster_id: ancestry.find((s) => s.type === 'cluster')?.id ?? null,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
