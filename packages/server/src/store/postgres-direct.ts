import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from './schema.js';

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * Records the pool under a PostgreSQL store's Kysely instance (openStore does it), for
 * {@link queryPrepared}.
 *
 * @example
 * ```ts
 * registerPostgres(db, pool)
 * ```
 */
export function registerPostgres(db: Kysely<Database>, pool: pg.Pool): void {
  pools.set(db, pool);
}

/**
 * Runs a query of fixed text as a named prepared statement: each pooled connection parses and plans
 * it once, then only binds and executes it. Kysely sends every query unnamed, so PostgreSQL parsed
 * and planned the token endpoint's credential lookup on every grant: 440–510 µs per lookup against
 * 320–340 µs named (bench/README.md). Undefined when `db` is not a PostgreSQL store's root instance
 * (SQLite, or a transaction, whose queries must stay on its connection): go through Kysely then.
 * Rows come back as Kysely returns them (same pool, same type parsers, no Kysely plugin).
 *
 * A PgBouncer in transaction mode must be 1.21 or later with `max_prepared_statements` set, as for
 * any client that prepares statements.
 *
 * @example
 * ```ts
 * const rows = queryPrepared(db, 'tessera_lookup', 'select … where id = $1', [id]) ?? viaKysely()
 * ```
 */
export function queryPrepared<R>(
  db: Kysely<Database>,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<R[]> | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  return pool.query({ name, text, values: values as unknown[] }).then((result) => result.rows as R[]);
}
