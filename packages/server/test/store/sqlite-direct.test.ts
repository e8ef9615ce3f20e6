import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { runOnSqlite } from '../../src/store/sqlite-direct.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/stores.js';

// Hot paths run their own statements on the SQLite connection (store/sqlite-direct.ts): they must
// never see, join or break a Kysely transaction that holds the connection.
describe('SQLite direct statements', () => {
  let db: TestDatabase;
  let store: Store;

  before(async () => {
    db = await createTestDatabase('sqlite');
    store = openStore({ databaseUrl: undefined, dataDir: db.dataDir });
    await sql`create table t (id integer primary key)`.execute(store.db);
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  const count = (sqlite: Parameters<Parameters<typeof runOnSqlite>[1]>[0]) =>
    (sqlite.prepare('select count(*) as n from t').get() as { n: number }).n;

  it('runs at once when no transaction is open', async () => {
    await store.db
      .insertInto('t' as never)
      .values({ id: 1 } as never)
      .execute();
    assert.equal(await runOnSqlite(store.db, count), 1);
  });

  it('waits for an open Kysely transaction and never sees its uncommitted rows', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let direct: Promise<number> | undefined;
    const transaction = store.db
      .transaction()
      .execute(async (trx) => {
        await trx
          .insertInto('t' as never)
          .values({ id: 2 } as never)
          .execute();
        direct = runOnSqlite(store.db, count);
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    // Let the transaction reach its insert and start waiting.
    while (!direct) await new Promise((resolve) => setImmediate(resolve));
    let settled = false;
    void direct.then(() => (settled = true));
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'the direct statement ran inside the open transaction');
    release();
    assert.equal(await transaction, 'rolled back');
    assert.equal(await direct, 1, 'the rolled-back row was seen');
  });

  it('is not for a transaction, and turns a throw into a rejection', async () => {
    await store.db.transaction().execute(async (trx) => {
      assert.equal(runOnSqlite(trx, count), undefined);
    });
    await assert.rejects(
      runOnSqlite(store.db, (sqlite) =>
        sqlite.prepare('select * from missing_table').all(),
      ) as Promise<unknown>,
      /no such table/,
    );
  });
});
