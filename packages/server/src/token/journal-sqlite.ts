import type SQLite from 'better-sqlite3';
import type { Insertable } from 'kysely';
import { AUDIT_COLUMNS } from '../audit/audit-log.js';
import type { AuditEventTable } from '../store/schema.js';
import type { LastLogin } from './grant.js';

/** Writes one batch: the `last_login` of each named row, then the audit rows, in one transaction. */
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
 * @example
 * ```ts
 * const write = sqliteBatchWriter(store.sqlite)
 * await store.db.connection().execute(async () => write(logins, Date.now(), rows))
 * ```
 */
export function sqliteBatchWriter(database: SQLite.Database): SqliteBatchWriter {
  const insert = database.prepare(
    `insert into audit_events (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const touches = new Map<LastLogin['table'], SQLite.Statement>();
  const touch = (table: LastLogin['table']) => {
    let statement = touches.get(table);
    if (!statement) {
      // `table` is one of LastLogin's four literal names, never caller input.
      statement = database.prepare(`update ${table} set last_login = ? where id = ?`);
      touches.set(table, statement);
    }
    return statement;
  };
  return database.transaction((logins, at, rows) => {
    for (const [table, ids] of logins) for (const id of ids) touch(table).run(at, id);
    for (const row of rows) insert.run(bindable(row));
  });
}

/** better-sqlite3 wants every named parameter present: absent columns bind as null. */
function bindable(row: Insertable<AuditEventTable>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const column of AUDIT_COLUMNS) values[column] = row[column] ?? null;
  return values;
}
