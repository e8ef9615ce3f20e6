import type { CompiledQuery, DatabaseConnection, Dialect as KyselyDialect, Driver } from 'kysely';

/**
 * Statements that change what a credential check reads: the applications (but for `last_login`,
 * which every grant writes and no check reads), their secrets, and the throttle's rows. Matched on
 * the SQL text, so that a query built any way (a builder, a CTE, raw `sql`) is seen.
 */
const WRITES_CREDENTIALS =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|truncate(?:\s+table)?)\s+"?(?:applications|credential_secrets|auth_throttle)\b/i;
const TOUCHES_LAST_LOGIN_ONLY =
  /^\s*update\s+"?applications"?\s+set\s+"?last_login"?\s*=\s*(?:\$\d+|\?)\s+where\b/i;

/**
 * Whether a statement changes what a credential check reads.
 *
 * @example
 * ```ts
 * changesCredentials('update "applications" set "enabled" = $1 where "id" = $2') // true
 * changesCredentials('update "applications" set "last_login" = $1 where "id" = $2') // false
 * ```
 */
export function changesCredentials(sqlText: string): boolean {
  return WRITES_CREDENTIALS.test(sqlText) && !TOUCHES_LAST_LOGIN_ONLY.test(sqlText);
}

/**
 * Wraps a Kysely dialect so that `changed` is called whenever this process has changed credentials:
 * when such a statement ends having changed a row (or without saying how many it changed), or —
 * when it ran inside a transaction — when that transaction commits or rolls back, not before:
 * until then a lookup on another connection still reads the old rows, rightly, and may cache them.
 * A lookup that was running when the call came is not kept by the cache (`store/notified-cache.ts`),
 * so one call after the change is enough. Other processes announce their changes through the
 * database (PostgreSQL triggers, migration 0007); this is what makes a change apply at once in the
 * process that made it, before any notification could arrive.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({ dialect: watchCredentialWrites(dialect, () => cache.forget()) })
 * ```
 */
export function watchCredentialWrites(dialect: KyselyDialect, changed: () => void): KyselyDialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => watchingDriver(dialect.createDriver(), changed),
  };
}

function watchingDriver(driver: Driver, changed: () => void): Driver {
  const watched = new WeakSet<DatabaseConnection>();
  const inTransaction = new WeakSet<DatabaseConnection>();
  const wroteInTransaction = new WeakSet<DatabaseConnection>();
  // The driver's own connection objects are kept (drivers find private state on them), each with
  // its executeQuery wrapped once.
  const watch = (connection: DatabaseConnection) => {
    if (watched.has(connection)) return connection;
    watched.add(connection);
    const execute = connection.executeQuery.bind(connection);
    connection.executeQuery = async <R>(query: CompiledQuery) => {
      if (!changesCredentials(query.sql)) return execute<R>(query);
      let wrote = true;
      try {
        const result = await execute<R>(query);
        // A statement that changed no row changed nothing a lookup read: the housekeeping's purge
        // of stale throttle rows (oauth/housekeeping.ts), every ten minutes and nearly always
        // empty, dropped every cached lookup, so that the next grants all read the store at once.
        // A statement whose count is unknown (one that returns rows, say) counts as a change.
        wrote = result.numAffectedRows !== 0n;
        return result;
      } finally {
        if (wrote && inTransaction.has(connection)) wroteInTransaction.add(connection);
        else if (wrote) changed();
      }
    };
    return connection;
  };
  const ended = (connection: DatabaseConnection) => {
    inTransaction.delete(connection);
    if (wroteInTransaction.delete(connection)) changed();
  };
  return {
    init: () => driver.init(),
    acquireConnection: async () => watch(await driver.acquireConnection()),
    beginTransaction: async (connection, settings) => {
      await driver.beginTransaction(connection, settings);
      inTransaction.add(connection);
    },
    commitTransaction: (connection) => driver.commitTransaction(connection).finally(() => ended(connection)),
    rollbackTransaction: (connection) =>
      driver.rollbackTransaction(connection).finally(() => ended(connection)),
    ...(driver.savepoint ? { savepoint: driver.savepoint.bind(driver) } : {}),
    ...(driver.rollbackToSavepoint ? { rollbackToSavepoint: driver.rollbackToSavepoint.bind(driver) } : {}),
    ...(driver.releaseSavepoint ? { releaseSavepoint: driver.releaseSavepoint.bind(driver) } : {}),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy: () => driver.destroy(),
  };
}
