import pg from 'pg';
import { PostgresDialect } from 'kysely';

const INT8_OID = 20;

/**
 * The scale-out store. `bigint` columns hold epoch milliseconds, far below 2^53, so they are parsed
 * as numbers for this pool only (not by mutating pg's global parsers).
 *
 * @example
 * ```ts
 * const dialect = postgresDialect('postgres://tessera@127.0.0.1:5432/tessera')
 * ```
 */
export function postgresDialect(connectionString: string): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}
