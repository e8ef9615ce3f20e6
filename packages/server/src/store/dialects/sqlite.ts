import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase } from 'kysely';

/** Prepared statements kept per distinct SQL text; queries with `in (...)` lists make more texts. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The embedded store: one SQLite file in the data dir, WAL mode so readers never wait for the writer.
 *
 * @example
 * ```ts
 * const dialect = sqliteDialect('/var/lib/tessera')
 * ```
 */
export function sqliteDialect(dataDir: string): SqliteDialect {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const database = new SQLite(join(dataDir, 'tessera.db'));
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: withStatementCache(database) });
}

/**
 * Kysely prepares every query anew; preparing was the largest single cost of a token request in
 * the benchmark (bench/README.md). Kysely runs one query at a time on this connection, and
 * better-sqlite3 re-prepares a cached statement by itself after a schema change, so reusing the
 * statement for the same SQL text is safe.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
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
