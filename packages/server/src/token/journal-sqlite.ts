import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { AUDIT_COLUMNS } from '../audit/audit-log.js';
import type { AuditEventTable } from '../store/schema.js';
import { LAST_LOGIN_COLUMN, type LastLogin } from './grant.js';

/** Writes one batch: the last login of each named row, then the audit rows, in one transaction. */
export type SqliteBatchWriter = (
  logins: ReadonlyMap<LastLogin['table'], ReadonlySet<string>>,
  at: number,
  rows: readonly Insertable<AuditEventTable>[],
) => void;

/**
 * The grant journal's writer on SQLite: prepared once, run synchronously by better-sqlite3 in one
 * transaction (rolled back whole if any statement throws). Through Kysely the same batch cost a
 * query build, an asynchronous hop per statement and the connection's lock four times; here the
 * caller takes the lock once (`db.connection()`), so no Kysely transaction is ever interleaved.
 *
 * The events go in as one multi-row INSERT with positional parameters, one statement per batch
 * size (the journal caps a batch at 256 rows, so at most 256 statements, 3,328 parameters each at
 * most, under SQLite's 32,766): with a `run` per event and named parameters the writer cost
 * 16.3–20.2 µs of CPU a grant in 8-grant batches, this way 13.2–14.4 µs (bench/README.md, twelfth
 * session).
 *
 * @example
 * ```ts
 * const write = sqliteBatchWriter(store.sqlite)
 * await store.db.connection().execute(async () => write(logins, Date.now(), rows))
 * ```
 */
export function sqliteBatchWriter(database: SQLite.Database): SqliteBatchWriter {
  const inserts = new Map<number, SQLite.Statement>();
  const insertOf = (rows: number) => {
    let statement = inserts.get(rows);
    if (!statement) {
      const row = `(${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
      statement = database.prepare(
        `insert into audit_events (${AUDIT_COLUMNS.join(', ')}) values ${Array(rows).fill(row).join(', ')}`,
      );
      inserts.set(rows, statement);
    }
    return statement;
  };
  const touches = new Map<LastLogin['table'], SQLite.Statement>();
  const touch = (table: LastLogin['table']) => {
    let statement = touches.get(table);
    if (!statement) {
      // `table` is one of LastLogin's literal names, never caller input. Never back in time, as on
      // PostgreSQL (journal-postgres.ts), should another connection's batch have set a later one.
      const column = LAST_LOGIN_COLUMN[table];
      statement = database.prepare(
        `update ${table} set ${column} = max(coalesce(${column}, 0), ?) where id = ?`,
      );
      touches.set(table, statement);
    }
    return statement;
  };
  return database.transaction((logins, at, rows) => {
    for (const [table, ids] of logins) for (const id of ids) touch(table).run(at, id);
    if (rows.length > 0) insertOf(rows.length).run(positional(rows));
  });
}

/** The rows' values in {@link AUDIT_COLUMNS} order, row after row; absent columns bind as null. */
function positional(rows: readonly Insertable<AuditEventTable>[]): unknown[] {
  const values: unknown[] = [];
  for (const row of rows) for (const column of AUDIT_COLUMNS) values.push(row[column] ?? null);
  return values;
}
