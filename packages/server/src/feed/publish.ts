import type { FeedChange, FeedRule, FeedSubjectType } from '@tessera/guard';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

// Serialises feed writers on PostgreSQL so that ids commit in order and a reader's cursor never
// skips an event that commits late. Admin mutations are rare; this costs them nothing noticeable.
const FEED_LOCK_KEY = 7_432_004;

/**
 * Appends a change to the cluster feed. Call it with the transaction that makes the change, so the
 * change and its feed entry commit together. `tenantId: null` reaches every tenant (signing keys).
 *
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('projects').set({ cluster_id }).where('id', '=', id).execute()
 *   await publishChange(trx, 1, { kind: 'resync' })
 * })
 * ```
 */
export async function publishChange(
  trx: Kysely<Database>,
  tenantId: number | null,
  change: FeedChange,
  now = Date.now(),
): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select pg_advisory_xact_lock(${FEED_LOCK_KEY})`.execute(trx);
  }
  await trx
    .insertInto('change_events')
    .values({ tenant_id: tenantId, kind: change.kind, payload: JSON.stringify(change), created_at: now })
    .execute();
}

/**
 * Publishes a subject's current revocation state, read inside the transaction: enabled, deleted
 * (row gone) and `tokens_valid_after`. Call it after creating, disabling, enabling, deleting a user,
 * application, service account or access key (named by its client id), rotating its secret or
 * logging it out.
 *
 * @example
 * ```ts
 * await trx.updateTable('applications').set({ enabled: 0, tokens_valid_after: now }).where('id', '=', id).execute()
 * await publishSubject(trx, tenantId, 'app', id)
 * ```
 */
export async function publishSubject(
  trx: Kysely<Database>,
  tenantId: number,
  type: FeedSubjectType,
  id: string,
): Promise<void> {
  const row = await loadSubjectRow(trx, tenantId, type, id);
  await publishChange(
    trx,
    tenantId,
    row
      ? { kind: 'subject', type, id, ...row }
      : { kind: 'subject', type, id, enabled: false, deleted: true, validAfter: Number.MAX_SAFE_INTEGER },
  );
}

async function loadSubjectRow(
  trx: Kysely<Database>,
  tenantId: number,
  type: FeedSubjectType,
  id: string,
): Promise<{ enabled: boolean; validAfter: number; email?: string; userId?: string } | undefined> {
  if (type === 'access-key') {
    // Access keys are named by client id: that is what a token minted from one carries.
    const row = await trx
      .selectFrom('access_keys')
      .select(['user_id', 'tokens_valid_after'])
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', id)
      .executeTakeFirst();
    return row && { enabled: true, validAfter: row.tokens_valid_after, userId: row.user_id };
  }
  if (type === 'app') {
    const row = await trx
      .selectFrom('applications')
      .select(['enabled', 'tokens_valid_after'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { enabled: row.enabled === 1, validAfter: row.tokens_valid_after };
  }
  if (type === 'user') {
    const row = await trx
      .selectFrom('users')
      .select(['enabled', 'tokens_valid_after', 'email'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { enabled: row.enabled === 1, validAfter: row.tokens_valid_after, email: row.email };
  }
  const row = await trx
    .selectFrom('service_accounts')
    .select(['enabled', 'tokens_valid_after'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { enabled: row.enabled === 1, validAfter: row.tokens_valid_after };
}

/**
 * Publishes an access rule's creation, or its deletion when the row no longer exists. Call it in the
 * transaction that inserted or deleted the rule.
 *
 * @example
 * ```ts
 * const id = await insertRule(trx, tenantId, rule, ancestry, createdBy)
 * await publishRule(trx, tenantId, id)
 * ```
 */
export async function publishRule(trx: Kysely<Database>, tenantId: number, ruleId: number): Promise<void> {
  const row = await trx
    .selectFrom('access_rules')
    .select(['id', 'subject_type', 'subject_id', 'role_id', 'scope_type', 'scope_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', ruleId)
    .executeTakeFirst();
  await publishChange(
    trx,
    tenantId,
    row ? { kind: 'rule-created', rule: toFeedRule(row) } : { kind: 'rule-deleted', ruleId },
  );
}

/** An access rule row as the feed carries it. */
export function toFeedRule(row: {
  id: number;
  subject_type: FeedRule['subjectType'];
  subject_id: string;
  role_id: number;
  scope_type: FeedRule['scopeType'];
  scope_id: string;
}): FeedRule {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    roleId: row.role_id,
    scopeType: row.scope_type,
    scopeId: row.scope_id,
  };
}
