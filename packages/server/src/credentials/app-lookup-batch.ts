import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { holdConnection, type HeldConnection } from '../store/postgres-direct.js';
import { preparedQuery } from '../store/prepared-query.js';
import type { Database } from '../store/schema.js';
import { locksAndApp } from './app-credentials-query.js';

/** One application credential lookup: the throttle keys to read and the application to find. */
export interface AppLookup {
  tenantId: number;
  identifier: string;
  pair: string;
  address: string;
  now: number;
}

/** A row of {@link locksAndApp}. */
export type LockAndAppRow = Awaited<ReturnType<typeof locksAndApp>>[number];

/** Most lookups answered by one query. */
const MAX_BATCH = 256;

interface Waiting {
  lookup: AppLookup;
  resolve: (rows: LockAndAppRow[]) => void;
  reject: (err: unknown) => void;
}

const batchers = new WeakMap<Kysely<Database>, (lookup: AppLookup) => Promise<LockAndAppRow[]>>();

/**
 * {@link locksAndApp}, with the lookups that arrive together answered by one query on PostgreSQL.
 * Under load, one network round trip to the database per grant was the largest cost left on
 * PostgreSQL (bench/README.md). Like the grant journal's group commit, one batch query is in flight
 * at a time: lookups arriving while it runs wait and go together in the next one. Sending each turn's
 * lookups at once instead kept several batch queries on the two cores together (for barely smaller
 * batches: 2.3 against 2.6 lookups a query at 10 applications), and the grant rate was ~20 % lower
 * (bench/README.md). A lookup arriving when none is in flight waits only for the end of the turn. Reads
 * only, so the answers are those each lookup would have had on its own; on SQLite (in process,
 * synchronous) every lookup is its own query.
 *
 * @example
 * ```ts
 * const rows = await lookupLocksAndApp(db, { tenantId: 1, identifier: 'ci', pair, address, now: Date.now() })
 * ```
 */
export function lookupLocksAndApp(db: Kysely<Database>, lookup: AppLookup): Promise<LockAndAppRow[]> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return locksAndApp(db, lookup);
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = createBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher(lookup);
}

function createBatcher(db: Kysely<Database>): (lookup: AppLookup) => Promise<LockAndAppRow[]> {
  let waiting: Waiting[] = [];
  let inFlight = false;
  // Its own connection, as the grant journal's: the next batch is sent as soon as one is answered.
  const held = holdConnection(db);
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (inFlight || waiting.length === 0) return;
    const all = waiting;
    waiting = [];
    inFlight = true;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < all.length; i += MAX_BATCH)
      batches.push(answer(db, all.slice(i, i + MAX_BATCH), held));
    void Promise.all(batches).then(() => {
      inFlight = false;
      flush();
    });
  };
  return (lookup) =>
    new Promise((resolve, reject) => {
      waiting.push({ lookup, resolve, reject });
      if (!inFlight && !scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

async function answer(
  db: Kysely<Database>,
  batch: Waiting[],
  held: HeldConnection | undefined,
): Promise<void> {
  try {
    if (batch.length === 1) {
      const [one] = batch as [Waiting];
      one.resolve(await locksAndApp(db, one.lookup, held));
      return;
    }
    const rows = await locksAndApps(
      db,
      {
        tenantIds: batch.map((w) => w.lookup.tenantId),
        identifiers: batch.map((w) => w.lookup.identifier),
        pairs: batch.map((w) => w.lookup.pair),
        addresses: batch.map((w) => w.lookup.address),
        nows: batch.map((w) => w.lookup.now),
      },
      held,
    );
    const byLookup = batch.map((): LockAndAppRow[] => []);
    for (const row of rows) byLookup[Number(row.n) - 1]?.push(row);
    batch.forEach((w, i) => w.resolve(byLookup[i] ?? []));
  } catch {
    // One lookup's bad value (text PostgreSQL refuses) must not fail the others: each alone.
    for (const w of batch) locksAndApp(db, w.lookup).then(w.resolve, w.reject);
  }
}

/**
 * PostgreSQL: {@link locksAndApp} for many lookups at once. Each lookup is a row of `unnest(…)`
 * (numbered `n` from 1 in order) with the same joins as the single query, so each gets exactly the
 * rows it would have had alone, at least one. The application is looked up per lookup (`lateral`):
 * joined plainly, PostgreSQL hashed the whole `applications` table for each batch (186 ms at 100,000
 * applications, against 0.6 ms this way). By client id, then by name, as the single query does
 * (`namedApp`): the `LIMIT` stops the `UNION ALL` at its first row. With `name = … OR client_id = …`
 * each lookup searched both indexes and merged them (`BitmapOr`): PostgreSQL's CPU was 40–51
 * against 25–30 µs a lookup at 100,000 applications, in batches of 8 (bench/README.md, nineteenth
 * session). A correlated `COALESCE` of the two searches instead cost 52–58 µs.
 */
const locksAndApps = preparedQuery(
  (
    _db,
    p: { tenantIds: number[]; identifiers: string[]; pairs: string[]; addresses: string[]; nows: number[] },
  ) => sql<LockAndAppRow & { n: number }>`
    select q.n,
      (select t.locked_until from auth_throttle t where t.key = q.pair) as pair_lock,
      (select t.locked_until from auth_throttle t where t.key = q.address) as address_lock,
      a.id, a.name, a.client_id, a.enabled, a.tenant_id, s.secret_hash, s.expires_at
    from unnest(${p.tenantIds}::integer[], ${p.identifiers}::text[], ${p.pairs}::text[],
                ${p.addresses}::text[], ${p.nows}::bigint[])
      with ordinality as q(tenant_id, identifier, pair, address, now, n)
    left join lateral (
      (select a.id, a.name, a.client_id, a.enabled, a.tenant_id from applications a
       where a.client_id = q.identifier and a.tenant_id = q.tenant_id)
      union all
      (select a.id, a.name, a.client_id, a.enabled, a.tenant_id from applications a
       where a.tenant_id = q.tenant_id and a.name = q.identifier)
      limit 1
    ) a on true
    left join credential_secrets s
      on s.owner_id = a.id and s.owner_type = 'app' and (s.expires_at is null or s.expires_at > q.now)
  `,
);
