import type { FeedChangesResponse, FeedEntry, FeedSnapshot } from '@tessera/guard';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { toFeedRule } from './publish.js';

/** Largest page of changes one long-poll returns. */
const PAGE = 500;

/**
 * The full state a cluster starts from. The cursor is read first, so anything that commits while
 * the snapshot is read is delivered again as a change; applying a change twice is harmless.
 *
 * @example
 * ```ts
 * const snap = await buildSnapshot(db, { tenantId: 1, clusterId, issuer, audience: 'runai' })
 * ```
 */
export async function buildSnapshot(
  db: Kysely<Database>,
  who: { tenantId: number; clusterId: string; issuer: string; audience: string },
): Promise<FeedSnapshot> {
  const cursor = await lastCursor(db);
  const t = who.tenantId;
  const [apps, users, accounts, keys, rules, departments, projects] = await Promise.all([
    db
      .selectFrom('applications')
      .select(['id', 'enabled', 'tokens_valid_after'])
      .where('tenant_id', '=', t)
      .execute(),
    db
      .selectFrom('users')
      .select(['id', 'email', 'enabled', 'tokens_valid_after'])
      .where('tenant_id', '=', t)
      .execute(),
    db
      .selectFrom('service_accounts')
      .select(['id', 'enabled', 'tokens_valid_after'])
      .where('tenant_id', '=', t)
      .execute(),
    db
      .selectFrom('access_keys')
      .select(['client_id', 'user_id', 'tokens_valid_after'])
      .where('tenant_id', '=', t)
      .execute(),
    db
      .selectFrom('access_rules')
      .select(['id', 'subject_type', 'subject_id', 'role_id', 'scope_type', 'scope_id'])
      .where('tenant_id', '=', t)
      .execute(),
    db.selectFrom('departments').select(['id', 'name', 'cluster_id']).where('tenant_id', '=', t).execute(),
    db
      .selectFrom('projects')
      .select(['id', 'name', 'department_id', 'cluster_id'])
      .where('tenant_id', '=', t)
      .execute(),
  ]);
  return {
    cursor,
    ...who,
    subjects: [
      ...apps.map((a) => ({
        type: 'app' as const,
        id: a.id,
        enabled: a.enabled === 1,
        validAfter: a.tokens_valid_after,
      })),
      ...accounts.map((a) => ({
        type: 'service-account' as const,
        id: a.id,
        enabled: a.enabled === 1,
        validAfter: a.tokens_valid_after,
      })),
      ...users.map((u) => ({
        type: 'user' as const,
        id: u.id,
        email: u.email,
        enabled: u.enabled === 1,
        validAfter: u.tokens_valid_after,
      })),
      ...keys.map((k) => ({
        type: 'access-key' as const,
        id: k.client_id,
        userId: k.user_id,
        enabled: true,
        validAfter: k.tokens_valid_after,
      })),
    ],
    rules: rules.map(toFeedRule),
    departments: departments.map((d) => ({ id: String(d.id), name: d.name, clusterId: d.cluster_id })),
    projects: projects.map((p) => ({
      id: String(p.id),
      name: p.name,
      departmentId: p.department_id === null ? null : String(p.department_id),
      clusterId: p.cluster_id,
    })),
  };
}

/** The newest cursor (0 on an empty feed). */
export async function lastCursor(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('change_events')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/**
 * Changes after `after` for the tenant, or `resync` when `after` is not a cursor this feed can
 * continue from: ahead of it (another store, or the feed was reset) or behind its oldest entry.
 */
export async function readChanges(
  db: Kysely<Database>,
  tenantId: number,
  after: number,
): Promise<FeedChangesResponse> {
  if (await hasGap(db, after)) return { cursor: await lastCursor(db), changes: [], resync: true };
  const rows = await db
    .selectFrom('change_events')
    .select(['id', 'payload'])
    .where('id', '>', after)
    .where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]))
    .orderBy('id')
    .limit(PAGE)
    .execute();
  if (rows.length > 0) {
    return {
      cursor: Number(rows[rows.length - 1]!.id),
      changes: rows.map((r) => Object.assign(JSON.parse(r.payload) as FeedEntry, { cursor: Number(r.id) })),
    };
  }
  const last = await lastCursor(db);
  if (after > last) return { cursor: last, changes: [], resync: true };
  return { cursor: after, changes: [] };
}

/**
 * Is there a gap between `after` and the oldest retained change (entries were trimmed)? Then the
 * reader must take a snapshot: deltas alone would miss what was trimmed.
 */
export async function hasGap(db: Kysely<Database>, after: number): Promise<boolean> {
  const row = await db
    .selectFrom('change_events')
    .select((eb) => eb.fn.min('id').as('min'))
    .executeTakeFirst();
  // A cursor of 0 comes from a snapshot of an empty feed; a missing first id there is a rolled-back
  // insert (PostgreSQL sequences do not roll back), not a trim.
  return after > 0 && row?.min !== null && row?.min !== undefined && after < Number(row.min) - 1;
}
