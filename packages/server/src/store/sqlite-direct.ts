import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

const connections = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * Records the better-sqlite3 connection under a SQLite store's Kysely instance (openStore does it),
 * so that hot paths can run their own prepared statements on it ({@link runOnSqlite}).
 *
 * @example
 * ```ts
 * registerSqlite(db, database)
 * ```
 */
export function registerSqlite(db: Kysely<Database>, database: SQLite.Database): void {
  connections.set(db, database);
}

/**
 * Runs `fn` with the SQLite connection under `db`; undefined when `db` is not a SQLite store's root
 * instance (PostgreSQL, or a transaction): the caller then goes through Kysely.
 *
 * `fn` must be synchronous (better-sqlite3 is). When no transaction is open on the connection it
 * runs at once: nothing can interleave with it on the one JS thread, so it sees and writes exactly
 * what a query through Kysely would, without Kysely's per-query build, connection lock and promise
 * hops (bench/README.md); the store uses no Kysely plugin, so rows come back as Kysely would return
 * them. While a Kysely transaction holds the connection it waits for it, as Kysely's own queries do.
 *
 * @example
 * ```ts
 * const rows = runOnSqlite(db, (sqlite) => statementOf(sqlite).all(params)) ?? viaKysely(db, params)
 * ```
 */
export function runOnSqlite<T>(
  db: Kysely<Database>,
  fn: (sqlite: SQLite.Database) => T,
): Promise<T> | undefined {
  const database = connections.get(db);
  if (!database) return undefined;
  if (!database.inTransaction) {
    try {
      return Promise.resolve(fn(database));
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return db.connection().execute(async () => fn(database));
}
