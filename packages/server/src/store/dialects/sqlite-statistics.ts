import type SQLite from 'better-sqlite3';

/**
 * Brings the query planner's statistics up to date (`PRAGMA optimize`, which runs `ANALYZE` where
 * they went stale), then forgets the per-value samples `ANALYZE` adds to them and keeps the rest.
 *
 * Why forget them: better-sqlite3 builds SQLite with `SQLITE_ENABLE_STAT4`, so `ANALYZE` also
 * stores sample rows of every index (`sqlite_stat4`). A statement whose plan might depend on the
 * value bound to a parameter — one compared with the first column of an index that has samples —
 * is then compiled again at its next run after that parameter is bound, as if the schema had
 * changed (SQLite's documentation of `sqlite3_prepare_v2`), and better-sqlite3 binds every
 * parameter at every run. So once a store had been analysed, nearly every statement of Tessera's
 * hot paths was parsed and planned afresh at every run: the credential lookup at 100,000
 * applications took 55–62 µs instead of 21 (bench/credential-lookups.ts, bench/README.md,
 * nineteenth session), for the same plan. Tessera's queries are equality lookups on unique keys
 * and short ranges, which `sqlite_stat1`'s averages plan as well as the samples did.
 *
 * Runs nothing while a transaction is open on the connection (a Kysely transaction awaiting
 * between statements): its statements would commit or roll back with it. The next call catches up.
 *
 * @example
 * ```ts
 * refreshStatistics(database, '0x10002') // at open: every table, also those not queried yet
 * setInterval(() => refreshStatistics(database), 10 * 60_000)
 * ```
 */
export function refreshStatistics(database: SQLite.Database, flags?: string): void {
  if (database.inTransaction) return;
  database.pragma(flags === undefined ? 'optimize' : `optimize = ${flags}`);
  const sampled = database
    .prepare("select 1 from sqlite_schema where type = 'table' and name = 'sqlite_stat4'")
    .get();
  if (!sampled || !database.prepare('select 1 from sqlite_stat4 limit 1').get()) return;
  // `ANALYZE sqlite_schema` reloads the statistics that remain (sqlite_stat1) into the planner.
  database.exec('delete from sqlite_stat4; analyze sqlite_schema');
}
