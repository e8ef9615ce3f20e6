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
 * One statement of fixed text for any batch: the rows' `last_login` (every table named, most with
 * an empty list; PostgreSQL runs each data-modifying `WITH` once whether or not it is read) and the
 * events as arrays through `unnest`. Fixed text lets it run as a named prepared statement
 * (store/postgres-direct.ts) instead of being parsed and planned per batch; atomic on its own.
 */
const writeBatch = preparedQuery(
  (_db, p: BatchParams) => sql`
    with touched_applications as (
      update applications set last_login = ${p.at} where id = any(${p.applications}::text[]) returning id
    ), touched_users as (
      update users set last_login = ${p.at} where id = any(${p.users}::text[]) returning id
    ), touched_service_accounts as (
      update service_accounts set last_login = ${p.at} where id = any(${p.serviceAccounts}::text[]) returning id
    ), touched_access_keys as (
      update access_keys set last_login = ${p.at} where id = any(${p.accessKeys}::text[]) returning id
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
