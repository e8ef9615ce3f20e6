import type SQLite from 'better-sqlite3';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';
import { queryPrepared, type HeldConnection } from './postgres-direct.js';
import { runOnSqlite } from './sqlite-direct.js';

/** Marks a parameter's place while a query is built once; no caller value can start with NUL. */
const MARK = '\u0000tessera-parameter:';

/** Names the prepared statements on PostgreSQL: one per prepared query, the same on every connection. */
let statements = 0;

/** A query builder or a raw `sql` query (which compiles against the store it is given). */
type Buildable<R> = { compile(db: Kysely<Database>): CompiledQuery<R> };

/**
 * A query built and compiled once per store, executed with new parameter values; on PostgreSQL on
 * `held` when given (a connection the caller keeps, `postgres-direct.ts`), else on the pool.
 */
export type PreparedQuery<P, R> = (db: Kysely<Database>, params: P, held?: HeldConnection) => Promise<R[]>;

/**
 * Builds and compiles a hot-path query once per store instead of on every request (Kysely's
 * building and compiling was ~10 % of a token request's CPU; bench/README.md). `build` receives
 * placeholders in place of the parameters; each must be used as a plain value (not spread into an
 * `in` list, whose length would then be fixed). The SQL text is the same on every call, so SQLite's
 * statement cache and PostgreSQL's planner see one statement.
 *
 * @example
 * ```ts
 * const byName = preparedQuery<{ name: string }, { id: string }>((db, p) =>
 *   db.selectFrom('applications').select('id').where('name', '=', p.name))
 * const rows = await byName(ctx.store.db, { name: 'ci' })
 * ```
 */
export function preparedQuery<P extends object, R>(
  build: (db: Kysely<Database>, params: P) => Buildable<R>,
): PreparedQuery<P, R> {
  const compiled = new WeakMap<
    Kysely<Database>,
    { query: CompiledQuery<R>; slots: (keyof P | undefined)[]; statement?: SQLite.Statement }
  >();
  const placeholders = new Proxy({} as P, { get: (_, name) => `${MARK}${String(name)}` });
  const statementName = `tessera_prepared_${++statements}`;
  return async (db, params, held) => {
    let entry = compiled.get(db);
    if (!entry) {
      const query = build(db, placeholders).compile(db);
      const slots = query.parameters.map((value) =>
        typeof value === 'string' && value.startsWith(MARK)
          ? (value.slice(MARK.length) as keyof P)
          : undefined,
      );
      entry = { query, slots };
      compiled.set(db, entry);
    }
    const prepared = entry;
    const { query, slots } = prepared;
    const parameters = query.parameters.map((value, i) => {
      const slot = slots[i];
      return slot === undefined ? value : params[slot];
    });
    const direct = runOnSqlite(db, (sqlite): R[] => {
      const statement = (prepared.statement ??= sqlite.prepare(query.sql));
      if (statement.reader) return statement.all(parameters) as R[];
      statement.run(parameters);
      return [];
    });
    if (direct) return direct;
    const named = queryPrepared<R>(db, statementName, query.sql, parameters, held);
    if (named) return named;
    const result = await db.executeQuery<R>(Object.assign({}, query, { parameters }));
    return result.rows;
  };
}
