import { PostgresAdapter, sql, type Kysely } from 'kysely';
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
 * PostgreSQL (bench/README.md): lookups made in the same turn of the event loop (requests read from
 * several sockets at once) now share one. A lone lookup waits for nothing but the end of the
 * current turn. Reads only, so the answers are those each lookup would have had on its own; on
 * SQLite (in process, synchronous) every lookup is its own query.
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
  const flush = () => {
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += MAX_BATCH) void answer(db, all.slice(i, i + MAX_BATCH));
  };
  return (lookup) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ lookup, resolve, reject });
    });
}

async function answer(db: Kysely<Database>, batch: Waiting[]): Promise<void> {
  try {
    if (batch.length === 1) {
      const [one] = batch as [Waiting];
      one.resolve(await locksAndApp(db, one.lookup));
      return;
    }
    const rows = await locksAndApps(db, {
      tenantIds: batch.map((w) => w.lookup.tenantId),
      identifiers: batch.map((w) => w.lookup.identifier),
      pairs: batch.map((w) => w.lookup.pair),
      addresses: batch.map((w) => w.lookup.address),
      nows: batch.map((w) => w.lookup.now),
    });
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
 * rows it would have had alone, at least one. The application is looked up per lookup (`lateral`,
 * `offset 0` so that the planner keeps it so): joined plainly, PostgreSQL hashed the whole
 * `applications` table for each batch (186 ms at 100,000 applications, against 0.6 ms this way).
 */
const locksAndApps = preparedQuery(
  (
    _db,
    p: { tenantIds: number[]; identifiers: string[]; pairs: string[]; addresses: string[]; nows: number[] },
  ) => sql<LockAndAppRow & { n: number }>`
    select q.n,
      (select t.locked_until from auth_throttle t where t.key = q.pair) as pair_lock,
      (select t.locked_until from auth_throttle t where t.key = q.address) as address_lock,
      a.id, a.name, a.client_id, a.enabled, a.tenant_id, s.secret_hash
    from unnest(${p.tenantIds}::integer[], ${p.identifiers}::text[], ${p.pairs}::text[],
                ${p.addresses}::text[], ${p.nows}::bigint[])
      with ordinality as q(tenant_id, identifier, pair, address, now, n)
    left join lateral (
      select a.id, a.name, a.client_id, a.enabled, a.tenant_id from applications a
      where a.tenant_id = q.tenant_id and (a.name = q.identifier or a.client_id = q.identifier)
      offset 0
    ) a on true
    left join credential_secrets s
      on s.owner_id = a.id and s.owner_type = 'app' and (s.expires_at is null or s.expires_at > q.now)
  `,
);
