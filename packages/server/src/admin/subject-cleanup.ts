import type { Kysely } from 'kysely';
import { publishChange } from '../feed/publish.js';
import type { AccessRuleTable, Database, SecretOwnerType } from '../store/schema.js';

/**
 * Deletes the secrets of credential owners (applications, service accounts, access keys). Pass the
 * transaction that deletes the owners, so nothing is left half-removed.
 *
 * @example
 * ```ts
 * await deleteSecrets(trx, 'service-account', [row.id])
 * ```
 */
export async function deleteSecrets(
  db: Kysely<Database>,
  ownerType: SecretOwnerType,
  ownerIds: string[],
): Promise<void> {
  if (ownerIds.length === 0) return;
  await db
    .deleteFrom('credential_secrets')
    .where('owner_type', '=', ownerType)
    .where('owner_id', 'in', ownerIds)
    .execute();
}

/**
 * Deletes every access rule naming a subject (its id; the email for users) and publishes each
 * deletion to the change feed, in the caller's transaction: clusters drop exactly those rules, as
 * when a rule is deleted on its own, instead of keeping them until some later resync.
 *
 * @example
 * ```ts
 * await deleteRulesOf(trx, tenantId, 'user', row.email)
 * ```
 */
export async function deleteRulesOf(
  db: Kysely<Database>,
  tenantId: number,
  subjectType: AccessRuleTable['subject_type'],
  subjectId: string,
): Promise<void> {
  const deleted = await db
    .deleteFrom('access_rules')
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .returning('id')
    .execute();
  for (const { id } of deleted) await publishChange(db, tenantId, { kind: 'rule-deleted', ruleId: id });
}
