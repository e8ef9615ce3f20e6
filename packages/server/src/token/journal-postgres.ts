import { sql, type Insertable, type Kysely } from 'kysely';
import type { AuditEventTable, Database } from '../store/schema.js';
import type { HeldConnection } from '../store/postgres-direct.js';
import { preparedQuery } from '../store/prepared-query.js';
import { LAST_LOGIN_COLUMN, type LastLogin } from './grant.js';

/** The tables a batch may set a last login in: each gets its own `WITH`, named in every batch. */
const LOGIN_TABLES = Object.keys(LAST_LOGIN_COLUMN) as LastLogin['table'][];

/** Per table, the ids whose last login the batch sets (parameters named after their tables). */
type LoginIds = Record<LastLogin['table'], string[]>;

/** A batch's audit rows, column by column. */
interface EventParams {
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

interface BatchParams extends LoginIds, EventParams {
  at: number;
}

/**
 * The two `WITH`s of {@link writeBatch} for a table: its rows named in the batch that no other batch
 * holds, locked, then updated through their row address (`ctid`), which the lock keeps stable. Joining
 * back on `id` instead looked every row up twice (a hash of the locked ids, then the primary key
 * again), ~5–10 % more of PostgreSQL's CPU for the whole statement at 100,000 applications
 * (bench/journal-postgres.ts, bench/README.md). A row updated and committed by someone else between
 * this statement's snapshot and its lock is left alone, like a row another batch holds: its
 * `last_login` was just being set.
 */
function touched(table: LastLogin['table'], p: BatchParams) {
  const column = sql.ref(LAST_LOGIN_COLUMN[table]);
  const locked = sql.raw(`locked_${table}`);
  return sql`${locked} as (
      select ctid as tid from ${sql.table(table)} where id = any(${p[table]}::text[]) for update skip locked
    ), ${sql.raw(`touched_${table}`)} as (
      update ${sql.table(table)} set ${column} = greatest(${column}, ${p.at})
      where ctid = any(array(select tid from ${locked}))
      returning id
    )`;
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
    with ${sql.join(LOGIN_TABLES.map((table) => touched(table, p)))}
    ${insertEvents(p)}
  `,
);

/**
 * A batch that sets no last login, as nearly every batch once this process has set its rows
 * (`recent-logins.ts`): the audit rows alone. The ten `WITH`s of {@link writeBatch}, each of which
 * PostgreSQL runs on its empty list, were ~30 % of the statement's own time (bench/README.md,
 * eighteenth session).
 */
const writeEvents = preparedQuery((_db, p: EventParams) => insertEvents(p));

/** The audit rows of a batch, as arrays through `unnest`. */
function insertEvents(p: EventParams) {
  return sql`
    insert into audit_events (tenant_id, timestamp, actor_type, actor_id, actor_name, action,
      resource_type, resource_id, resource_name, result, reason, source_ip, details)
    select * from unnest(${p.tenantIds}::integer[], ${p.timestamps}::bigint[], ${p.actorTypes}::text[],
      ${p.actorIds}::text[], ${p.actorNames}::text[], ${p.actions}::text[], ${p.resourceTypes}::text[],
      ${p.resourceIds}::text[], ${p.resourceNames}::text[], ${p.results}::text[], ${p.reasons}::text[],
      ${p.sourceIps}::text[], ${p.details}::text[])
  `;
}

/**
 * PostgreSQL: a grant-journal batch — its last-login updates, if any, and its audit rows — in one
 * statement, one round trip; on `held` when given (the journal's own connection,
 * store/postgres-direct.ts).
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
  held?: HeldConnection,
): Promise<void> {
  const column = <K extends keyof Insertable<AuditEventTable>>(name: K) =>
    rows.map((row) => row[name] ?? null) as NonNullable<Insertable<AuditEventTable>[K]>[];
  const events: EventParams = {
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
  };
  if (logins.size === 0) {
    await writeEvents(db, events, held);
    return;
  }
  const ids = Object.fromEntries(LOGIN_TABLES.map((table) => [table, [...(logins.get(table) ?? [])]]));
  await writeBatch(db, { at, ...(ids as LoginIds), ...events }, held);
}
