import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase } from 'kysely';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import { refreshStatistics } from './sqlite-statistics.js';

/** Prepared statements kept per distinct SQL text; queries with `in (...)` lists make more texts. */
const STATEMENT_CACHE_SIZE = 1000;

/** How often `PRAGMA optimize` refreshes statistics that went stale (it is a no-op otherwise; `sqlite-statistics.ts`). */
const OPTIMIZE_EVERY_MS = 10 * 60_000;

/**
 * Page cache of the connection, KiB (SQLite's default is 2 MiB). 64 MiB once bought +12 % with
 * 100,000 applications, before the credential cache answered most lookups in process; since then it
 * held mostly audit pages written once and never read again (~50 MB of RSS under load), and 4, 16
 * and 64 MiB serve grants at the same rate with 10 and 100,000 applications (bench/README.md).
 * 16 MiB still holds every interior B-tree page of a store with millions of applications (0.4 MB
 * of them at 100,000), so a lookup that misses reads only leaf pages from the OS.
 */
const PAGE_CACHE_KIB = 16 * 1024;

/**
 * The embedded store: one SQLite file in the data dir, WAL mode so readers never wait for the writer.
 *
 * @example
 * ```ts
 * const { dialect, database, checkpointer } = sqliteDialect('/var/lib/tessera')
 * ```
 */
export function sqliteDialect(dataDir: string): {
  dialect: SqliteDialect;
  database: SQLite.Database;
  checkpointer: Checkpointer;
} {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'tessera.db');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  // Keep the planner's statistics current (SQLite's advice for long-lived connections): without them
  // it walks a 100,000-row index instead of looking up the few rows a search matched.
  refreshStatistics(database, '0x10002');
  const optimizer = setInterval(() => {
    try {
      if (database.open) refreshStatistics(database);
      else clearInterval(optimizer);
    } catch {
      clearInterval(optimizer);
    }
  }, OPTIMIZE_EVERY_MS);
  optimizer.unref();
  const checkpointer = startCheckpointer(database, file);
  const dialect = new SqliteDialect({ database: withStatementCache(database, checkpointer) });
  return { dialect, database, checkpointer };
}

/**
 * Kysely prepares every query anew; preparing was the largest single cost of a token request in
 * the benchmark (bench/README.md). Kysely runs one query at a time on this connection, and
 * better-sqlite3 re-prepares a cached statement by itself after a schema change, so reusing the
 * statement for the same SQL text is safe.
 */
function withStatementCache(database: SQLite.Database, checkpointer: Checkpointer): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      // Kysely does not wait for this; Store.close awaits the checkpointer's exit itself.
      void checkpointer.stop();
      database.close();
    },
    prepare: (sql) => {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = database.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
