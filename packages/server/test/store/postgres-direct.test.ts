import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { preparedQuery } from '../../src/store/prepared-query.js';
import { holdConnection, registerPostgres, releaseHeldConnections } from '../../src/store/postgres-direct.js';
import { openStore } from '../../src/store/store.js';
import type { Database } from '../../src/store/schema.js';
import { createTestDatabase, postgresUnavailable, storeKinds, type TestDatabase } from '../helpers/stores.js';

const probe = preparedQuery(
  () => sql<{ v: string | null }>`select current_setting('tessera.probe', true) as v`,
);

const skip = storeKinds().includes('postgres')
  ? await postgresUnavailable()
  : 'TEST_STORES excludes postgres';

const echo = preparedQuery(
  (_db, p: { a: number; b: string[] }) =>
    sql<{ a: number; b: string[] }>`select ${p.a}::integer as a, ${p.b}::text[] as b`,
);

/** A test database and a Kysely instance on a pool of `max` connections, registered as a store's. */
function pooledStore(max: number): { database: TestDatabase; pool: pg.Pool; db: Kysely<Database> } {
  const store = {} as { database: TestDatabase; pool: pg.Pool; db: Kysely<Database> };
  before(async () => {
    store.database = await createTestDatabase('postgres');
    store.pool = new pg.Pool({ connectionString: store.database.databaseUrl, max });
    store.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: store.pool }) });
    registerPostgres(store.db, store.pool);
  });
  after(async () => {
    await store.db?.destroy();
    await store.database?.drop();
  });
  return store;
}

// Hot-path queries run on PostgreSQL as named prepared statements (store/postgres-direct.ts):
// parsed and planned once per connection, and giving the rows Kysely would.
describe('prepared queries on PostgreSQL', { skip }, () => {
  // One connection, so that the session whose statements are listed is the one that ran them.
  const store = pooledStore(1);
  let db: Kysely<Database>;
  before(() => ({ db } = store));

  it('runs as one named statement, with fresh values each time', async () => {
    assert.deepEqual(await echo(db, { a: 1, b: ['x', 'y'] }), [{ a: 1, b: ['x', 'y'] }]);
    assert.deepEqual(await echo(db, { a: 2, b: ["it's", 'a,b', '{}'] }), [
      { a: 2, b: ["it's", 'a,b', '{}'] },
    ]);
    const prepared = await sql<{ name: string; statement: string }>`
      select name, statement from pg_prepared_statements`.execute(db);
    const ours = prepared.rows.filter((r) => r.name.startsWith('tessera_prepared_'));
    assert.equal(ours.length, 1);
    assert.match(ours[0]?.statement ?? '', /as a, \$2::text\[\] as b/);
  });

  it('inside a transaction, stays on the connection of the transaction', { timeout: 10_000 }, async () => {
    // With one pooled connection held by the transaction, a query sent to the pool would hang.
    const rows = await db.transaction().execute(async (trx) => {
      await sql`set local tessera.probe = 'in-trx'`.execute(trx);
      return probe(trx, {});
    });
    assert.deepEqual(rows, [{ v: 'in-trx' }]);
  });
});

const backendPid = preparedQuery(() => sql<{ pid: number }>`select pg_backend_pid() as pid`);
const divideBy = preparedQuery(
  (_db, p: { n: number }) => sql<{ q: number }>`select 1 / ${p.n}::integer as q`,
);

/**
 * The backend a held connection's queries run on, once it has taken its connection from the pool.
 * With `pool`: an idle connection is made sure of first, so that the holder's first query, which
 * asks the pool for a connection to hold and then goes to the pool itself, is handed that idle one
 * to hold (pg-pool serves requests in order) while its own query waits for a new connection; every
 * later query runs on the held one. Without it (a store, whose pool is its own): three answers in a
 * row from one backend.
 */
async function heldPid(
  db: Kysely<Database>,
  held: ReturnType<typeof holdConnection>,
  pool?: pg.Pool,
): Promise<number> {
  if (pool) {
    if (pool.idleCount === 0) (await pool.connect()).release();
    await backendPid(db, {}, held);
    const [first] = await backendPid(db, {}, held);
    const [second] = await backendPid(db, {}, held);
    assert.equal(second!.pid, first!.pid);
    return first!.pid;
  }
  const seen: number[] = [];
  for (let i = 0; i < 200; i++) {
    const [row] = await backendPid(db, {}, held);
    seen.push(row!.pid);
    if (seen.length >= 3 && seen.at(-1) === seen.at(-2) && seen.at(-2) === seen.at(-3)) return row!.pid;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no steady backend: ${seen.join(', ')}`);
}

// The grant journal and the lookup batches keep a connection of their own, so that a query is
// written to the socket at once rather than after pg-pool's process.nextTick (postgres-direct.ts).
describe('held connections on PostgreSQL', { skip }, () => {
  const store = pooledStore(3);
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<Database>;
  before(() => ({ database, pool, db } = store));
  // Each test's held connection goes back, or the pool (of three) would run out and end() wait.
  afterEach(() => releaseHeldConnections(db));

  it('runs every query on one connection, kept out of the pool', async () => {
    const held = holdConnection(db);
    assert.ok(held);
    const pid = await heldPid(db, held, pool);
    for (let i = 0; i < 5; i++) assert.deepEqual(await backendPid(db, {}, held), [{ pid }]);
    // The pool hands out its other connections only: none of them is the held one.
    const others = await Promise.all([1, 2].map(() => pool.connect()));
    try {
      const pids = others.map((client) => (client as unknown as { processID: number }).processID);
      assert.ok(!pids.includes(pid), `pool handed out the held backend ${pid}`);
    } finally {
      for (const client of others) client.release();
    }
  });

  it('keeps its connection after a PostgreSQL error, takes another when the connection is lost', async () => {
    const held = holdConnection(db);
    const pid = await heldPid(db, held, pool);
    await assert.rejects(divideBy(db, { n: 0 }, held), /division by zero/);
    assert.deepEqual(await backendPid(db, {}, held), [{ pid }]);
    await sql`select pg_terminate_backend(${pid})`.execute(db);
    // A query sent before the client has read of its end fails with it, as on any pooled connection;
    // then the connection is dropped, and queries run on the pool until another is taken.
    await backendPid(db, {}, held).catch((err: { code?: string }) => assert.equal(err.code, '57P01'));
    const next = await heldPid(db, held, pool);
    assert.notEqual(next, pid);
    assert.deepEqual(await divideBy(db, { n: 1 }, held), [{ q: 1 }]);
  });

  it('is not used inside a transaction, whose queries stay on its connection', async () => {
    const held = holdConnection(db);
    await heldPid(db, held, pool);
    const rows = await db.transaction().execute(async (trx) => {
      await sql`set local tessera.probe = 'in-trx'`.execute(trx);
      return probe(trx, {}, held);
    });
    assert.deepEqual(rows, [{ v: 'in-trx' }]);
  });

  it(
    'is given back when the store closes, so that closing does not wait for it',
    { timeout: 10_000 },
    async () => {
      const store = openStore({ databaseUrl: database.databaseUrl, dataDir: '' });
      const held = holdConnection(store.db);
      await heldPid(store.db, held);
      await store.close();
    },
  );
});
