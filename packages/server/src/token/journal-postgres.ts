import { sql, type Insertable, type Kysely } from 'kysely';
import type { AuditEventTable, Database } from '../store/schema.js';
import { preparedQuery } from '../store/prepared-query.js';
import type { LastLogin } from './grant.js';

interface BatchParams {
  at: number;
  applications: string[];
  users: string[];
  serviceAccounts: string[];
  accessKeys: string[];
  clusters: string[];
  tenantIds: number[];
  timestamps: number[];
  actorTypes: string[];
  actorIds: (string | null)[];
  actorNames: (string | null)[];
  actions: string[];
  resourceTypes: string[];
  resourceIds: (string | null)[];
  resourceNames: (string | null)[];
  results: string[];
  reasons: (string | null)[];
  sourceIps: (string | null)[];
  details: (string | null)[];
}

/**
 * One statement of fixed text for any batch: the rows' last login (every table named, most with
 * an empty list; PostgreSQL runs each data-modifying `WITH` once whether or not it is read) and the
 * events as arrays through `unnest`. Fixed text lets it run as a named prepared statement
 * (store/postgres-direct.ts) instead of being parsed and planned per batch; atomic on its own.
 *
 * Replicas sharing the database write batches at the same time, often naming the same rows (a busy
 * application's grants land on every replica). A plain `UPDATE … WHERE id = ANY(…)` locks its rows
 * in whatever order the plan meets them, so two such batches waited for each other's commit and
 * deadlocked: before this form, with two journals on one database, PostgreSQL aborted a batch in
 * every run of the replica case in test/token/grant-journal.test.ts. So each update takes only the
 * rows no other batch holds (`FOR UPDATE SKIP LOCKED`): it never waits and never deadlocks. A row
 * skipped is being set by the batch that holds it, to the time of a grant milliseconds away from
 * this one, and `GREATEST` keeps `last_login` from moving back when batches commit out of order.
 */
const writeBatch = preparedQuery(
  (_db, p: BatchParams) => sql`
    with touched_applications as (
      update applications set last_login = greatest(last_login, ${p.at})
      where id in (select id from applications where id = any(${p.applications}::text[]) for update skip locked)
      returning id
    ), touched_users as (
      update users set last_login = greatest(last_login, ${p.at})
      where id in (select id from users where id = any(${p.users}::text[]) for update skip locked)
      returning id
    ), touched_service_accounts as (
      update service_accounts set last_login = greatest(last_login, ${p.at})
      where id in (select id from service_accounts where id = any(${p.serviceAccounts}::text[]) for update skip locked)
      returning id
    ), touched_access_keys as (
      update access_keys set last_login = greatest(last_login, ${p.at})
      where id in (select id from access_keys where id = any(${p.accessKeys}::text[]) for update skip locked)
      returning id
    ), touched_clusters as (
      update clusters set last_seen = greatest(last_seen, ${p.at})
      where id in (select id from clusters where id = any(${p.clusters}::text[]) for update skip locked)
      returning id
    )
    insert into audit_events (tenant_id, timestamp, actor_type, actor_id, actor_name, action,
      resource_type, resource_id, resource_name, result, reason, source_ip, details)
    select * from unnest(${p.tenantIds}::integer[], ${p.timestamps}::bigint[], ${p.actorTypes}::text[],
      ${p.actorIds}::text[], ${p.actorNames}::text[], ${p.actions}::text[], ${p.resourceTypes}::text[],
      ${p.resourceIds}::text[], ${p.resourceNames}::text[], ${p.results}::text[], ${p.reasons}::text[],
      ${p.sourceIps}::text[], ${p.details}::text[])
  `,
);

/**
 * PostgreSQL: a grant-journal batch — its `last_login` updates and its audit rows — in one round trip.
 *
 * @example
 * ```ts
 * await writePostgresBatch(db, new Map([['applications', new Set([appId])]]), Date.now(), rows)
 * ```
 */
export async function writePostgresBatch(
  db: Kysely<Database>,
  logins: ReadonlyMap<LastLogin['table'], ReadonlySet<string>>,
  at: number,
  rows: readonly Insertable<AuditEventTable>[],
): Promise<void> {
  const ids = (table: LastLogin['table']) => [...(logins.get(table) ?? [])];
  const column = <K extends keyof Insertable<AuditEventTable>>(name: K) =>
    rows.map((row) => row[name] ?? null) as NonNullable<Insertable<AuditEventTable>[K]>[];
  await writeBatch(db, {
    at,
    applications: ids('applications'),
    users: ids('users'),
    serviceAccounts: ids('service_accounts'),
    accessKeys: ids('access_keys'),
    clusters: ids('clusters'),
    tenantIds: column('tenant_id'),
    timestamps: column('timestamp'),
    actorTypes: column('actor_type'),
    actorIds: column('actor_id'),
    actorNames: column('actor_name'),
    actions: column('action'),
    resourceTypes: column('resource_type'),
    resourceIds: column('resource_id'),
    resourceNames: column('resource_name'),
    results: column('result'),
    reasons: column('reason'),
    sourceIps: column('source_ip'),
    details: column('details'),
  });
}
