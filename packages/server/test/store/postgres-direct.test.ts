import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { preparedQuery } from '../../src/store/prepared-query.js';
import { registerPostgres } from '../../src/store/postgres-direct.js';
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

// Hot-path queries run on PostgreSQL as named prepared statements (store/postgres-direct.ts):
// parsed and planned once per connection, and giving the rows Kysely would.
describe('prepared queries on PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<Database>;

  before(async () => {
    database = await createTestDatabase('postgres');
    // One connection, so that the session whose statements are listed is the one that ran them.
    pool = new pg.Pool({ connectionString: database.databaseUrl, max: 1 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    registerPostgres(db, pool);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

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
