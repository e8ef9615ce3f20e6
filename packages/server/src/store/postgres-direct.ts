import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const { DatabaseError } = pg;

const pools = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * Records the pool under a PostgreSQL store's Kysely instance (openStore does it), for
 * {@link queryPrepared}.
 *
 * @example
 * ```ts
 * registerPostgres(db, pool)
 * ```
 */
export function registerPostgres(db: Kysely<Database>, pool: pg.Pool): void {
  pools.set(db, pool);
}

/**
 * Runs a query of fixed text as a named prepared statement: each pooled connection parses and plans
 * it once, then only binds and executes it. Kysely sends every query unnamed, so PostgreSQL parsed
 * and planned the token endpoint's credential lookup on every grant: 440–510 µs per lookup against
 * 320–340 µs named (bench/README.md). Undefined when `db` is not a PostgreSQL store's root instance
 * (SQLite, or a transaction, whose queries must stay on its connection): go through Kysely then.
 * Rows come back as Kysely returns them (same pool, same type parsers, no Kysely plugin). With
 * `held` ({@link holdConnection}) the query goes to that connection of the same pool.
 *
 * A PgBouncer in transaction mode must be 1.21 or later with `max_prepared_statements` set, as for
 * any client that prepares statements.
 *
 * @example
 * ```ts
 * const rows = queryPrepared(db, 'tessera_lookup', 'select … where id = $1', [id]) ?? viaKysely()
 * ```
 */
export function queryPrepared<R>(
  db: Kysely<Database>,
  name: string,
  text: string,
  values: readonly unknown[],
  held?: HeldConnection,
): Promise<R[]> | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  if (held) return held.query<R>(name, text, values);
  return namedQuery<R>(pool, name, text, values);
}

/** A named prepared statement on the pool or on one of its connections; its rows. */
function namedQuery<R>(
  on: pg.Pool | pg.PoolClient,
  name: string,
  text: string,
  values: readonly unknown[],
): Promise<R[]> {
  return on.query({ name, text, values: values as unknown[] }).then((result) => result.rows as R[]);
}

/** A pooled connection kept by one caller for its own queries (see {@link holdConnection}). */
export interface HeldConnection {
  /** {@link queryPrepared} on the held connection (on the pool while none is held). */
  query<R>(name: string, text: string, values: readonly unknown[]): Promise<R[]>;
}

interface Holder {
  release(): void;
}

const holders = new WeakMap<Kysely<Database>, Set<Holder>>();

/**
 * One connection of the store's pool, kept for a caller that sends its queries one after another and
 * on whose answers other work waits: the grant journal (`token/grant-journal.ts`) and the credential
 * lookup batches (`credentials/app-lookup-batch.ts`). `pool.query` hands out a connection in a
 * `process.nextTick`, and Node runs the tick queue only once the microtask queue is empty: when a
 * journal batch committed, its grants resumed in microtasks and wrote their answers first, and only
 * then was the next batch sent, so every batch waited for the last one's responses to be written
 * (bench/README.md, twenty-second session). On a held connection a query is written to the socket
 * at once. The connection is taken from the pool in the background on first use, queries go to the
 * pool until it is there, and one whose query fails with anything but a statement's error (a lost
 * connection, a session PostgreSQL ended) is dropped and taken again. {@link releaseHeldConnections}
 * gives them back when the store closes, since the pool waits for every connection on `end()`.
 * Undefined when `db` is not a PostgreSQL store's root instance, as for {@link queryPrepared}.
 *
 * @example
 * ```ts
 * const connection = holdConnection(db)
 * const rows = await connection?.query('tessera_journal', 'insert …', values)
 * ```
 */
export function holdConnection(db: Kysely<Database>): HeldConnection | undefined {
  const pool = pools.get(db);
  if (!pool) return undefined;
  let held: pg.PoolClient | undefined;
  let taking = false;
  let released = false;
  const dropped = new WeakSet<pg.PoolClient>();
  const drop = (client: pg.PoolClient, err?: Error) => {
    if (held === client) held = undefined;
    if (dropped.has(client)) return;
    dropped.add(client);
    // With an error the pool destroys the connection rather than handing it out again.
    client.release(err);
  };
  const take = () => {
    if (taking || released) return;
    taking = true;
    pool.connect().then(
      (client) => {
        taking = false;
        // A checked-out client's 'error' (the server went away while it was idle) is ours to handle.
        client.on('error', (err) => drop(client, err));
        if (released) drop(client);
        else held = client;
      },
      () => (taking = false), // the pool's own error reaches the next query sent to it
    );
  };
  let holdersOfDb = holders.get(db);
  if (!holdersOfDb) holders.set(db, (holdersOfDb = new Set()));
  holdersOfDb.add({
    release() {
      released = true;
      if (held) drop(held);
    },
  });
  return {
    query<R>(name: string, text: string, values: readonly unknown[]) {
      const client = held;
      if (!client) {
        take();
        return namedQuery<R>(pool, name, text, values);
      }
      return namedQuery<R>(client, name, text, values).catch((err: unknown) => {
        // A statement's error (severity ERROR) leaves the session usable; FATAL ends it.
        if (!(err instanceof DatabaseError) || err.severity !== 'ERROR') {
          drop(client, err instanceof Error ? err : undefined);
        }
        throw err;
      });
    },
  };
}

/**
 * Gives back every connection {@link holdConnection} took for `db`'s store; later queries of those
 * callers go to the pool. Called by the store's `close()` before the pool ends.
 *
 * @example
 * ```ts
 * releaseHeldConnections(db); await db.destroy()
 * ```
 */
export function releaseHeldConnections(db: Kysely<Database>): void {
  for (const holder of holders.get(db) ?? []) holder.release();
  holders.delete(db);
}
