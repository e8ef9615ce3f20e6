import { Kysely, Migrator, sql, type Dialect as KyselyDialect } from 'kysely';
import type { Config } from '../config/config.js';
import { watchCredentialWrites } from './credential-writes.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './dialects/postgres.js';
import { sqliteDialect } from './dialects/sqlite.js';
import { registerPostgres, releaseHeldConnections } from './postgres-direct.js';
import { registerSqlite } from './sqlite-direct.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** An open store: the query builder plus what differs by dialect. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Runs `fn` while holding a lock that other processes sharing this store also take. */
  exclusive<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Answers when the store is reachable (for `/readyz`). */
  ping(): Promise<void>;
  /**
   * Calls `listener` whenever this process has changed what a credential check reads (see
   * `watchCredentialWrites`): when such a statement ends, or when the transaction it ran in ends.
   * Returns the function that stops calling it.
   */
  onCredentialsChanged(listener: () => void): () => void;
  close(): Promise<void>;
}

// An arbitrary constant: every Tessera process takes the same advisory lock at start-up.
const STARTUP_LOCK_KEY = 7_432_001;

/**
 * Opens the store the config names: PostgreSQL when `TESSERA_DATABASE_URL` is set, SQLite otherwise.
 *
 * @example
 * ```ts
 * const store = openStore(config)
 * await migrate(store)
 * ```
 */
export function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Store {
  const listeners = new Set<() => void>();
  const watched = (dialect: KyselyDialect) =>
    watchCredentialWrites(dialect, () => {
      for (const listener of listeners) listener();
    });
  const onCredentialsChanged = (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  if (config.databaseUrl) {
    const { dialect, pool } = postgresDialect(config.databaseUrl);
    const db = new Kysely<Database>({ dialect: watched(dialect) });
    registerPostgres(db, pool);
    return {
      db,
      dialect: 'postgres',
      exclusive: (fn) =>
        db.connection().execute(async (conn) => {
          await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(conn);
          try {
            return await fn(conn);
          } finally {
            await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(conn);
          }
        }),
      ping: async () => void (await sql`select 1`.execute(db)),
      onCredentialsChanged,
      close: async () => {
        // The pool's end() waits for every connection, the held ones too.
        releaseHeldConnections(db);
        await db.destroy();
      },
    };
  }
  const { dialect, database, checkpointer } = sqliteDialect(config.dataDir);
  const db = new Kysely<Database>({ dialect: watched(dialect) });
  registerSqlite(db, database);
  return {
    db,
    dialect: 'sqlite',
    // SQLite serialises writers itself and Tessera never shares the file between processes.
    exclusive: (fn) => fn(db),
    ping: async () => void (await sql`select 1`.execute(db)),
    onCredentialsChanged,
    close: async () => {
      // The checkpointer first: the last connection to close checkpoints and removes the WAL file.
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/**
 * Brings the schema up to date. Safe when several processes start together on PostgreSQL: callers
 * run it inside {@link Store.exclusive}.
 */
export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  // Unordered: migrations written on parallel branches may land in any order.
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message}`);
  }
}
