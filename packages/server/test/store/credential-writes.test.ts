import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { changesCredentials } from '../../src/store/credential-writes.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import { applicationRow } from '../helpers/rows.js';
import type { TestDatabase } from '../helpers/stores.js';

describe('which statements change credentials', () => {
  it('writes to applications (not last_login alone), secrets and throttle rows', () => {
    for (const text of [
      'update "applications" set "enabled" = $1 where "id" = $2',
      'update "applications" set "last_login" = ?, "enabled" = ? where "id" = ?',
      'insert into "credential_secrets" ("owner_id") values ($1)',
      'delete from "credential_secrets" where "owner_id" = ?',
      'insert into "auth_throttle" ("key") values (?) on conflict ("key") do update set "failures" = 1',
      'INSERT OR REPLACE INTO auth_throttle (key) VALUES (?)',
      'with gone as (delete from applications where id = $1 returning id) select count(*) from gone',
      'truncate table credential_secrets',
    ])
      assert.equal(changesCredentials(text), true, text);
    // (Text that merely quotes such a statement would match too: a needless reload, never a stale one.)
    for (const text of [
      'update "applications" set "last_login" = $1 where "id" in ($2, $3)',
      'update applications set last_login = ? where id = ?',
      'select * from "applications" where "name" = $1',
      'update "applications_archive" set "enabled" = 0',
    ])
      assert.equal(changesCredentials(text), false, text);
  });
});

forEachStore('the store tells of credential changes', (kind) => {
  let database: TestDatabase;
  let store: Store;
  let calls = 0;
  before(async () => {
    ({ database, store } = await openMigratedStore(kind));
    store.onCredentialsChanged(() => calls++);
    const now = Date.now();
    await store.db.insertInto('tenants').values({ id: 1, name: 'default', created_at: now }).execute();
    await store.db
      .insertInto('applications')
      .values(applicationRow('a1', { name: 'ci', client_id: 'ci-client', created_at: now }))
      .execute();
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('on a change, not on a read or a last-login touch', async () => {
    const before = calls;
    await store.db.selectFrom('applications').selectAll().execute();
    await store.db
      .updateTable('applications')
      .set({ last_login: Date.now() })
      .where('id', '=', 'a1')
      .execute();
    assert.equal(calls, before);
    await store.db.updateTable('applications').set({ enabled: 0 }).where('id', '=', 'a1').execute();
    assert.ok(calls > before);
  });

  it('not on a write that changed no row, as the purge of stale throttle rows mostly is', async () => {
    const before = calls;
    await store.db.deleteFrom('auth_throttle').where('locked_until', '<', 0).execute();
    await store.db.updateTable('applications').set({ enabled: 1 }).where('id', '=', 'nobody').execute();
    await store.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('credential_secrets').where('owner_id', '=', 'nobody').execute();
    });
    assert.equal(calls, before);
    await store.db
      .insertInto('auth_throttle')
      .values({ key: 'stale', failures: 1, locked_until: 0, updated_at: 0 })
      .execute();
    assert.equal(calls, before + 1);
    await store.db.deleteFrom('auth_throttle').where('locked_until', '<', 1).execute();
    assert.equal(calls, before + 2, 'a delete that removed a row is a change');
  });

  it('again when the transaction that made the change commits or rolls back', async () => {
    for (const outcome of ['commit', 'rollback'] as const) {
      let duringTransaction = 0;
      await store.db
        .transaction()
        .execute(async (trx) => {
          await sql`update applications set enabled = 1 where id = 'a1'`.execute(trx);
          duringTransaction = calls;
          if (outcome === 'rollback') throw new Error('roll back');
        })
        .catch((err: Error) => assert.equal(err.message, 'roll back'));
      assert.ok(calls > duringTransaction, `a call after the ${outcome}`);
    }
    // A transaction that changed nothing of the sort says nothing.
    const before = calls;
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('applications').set({ last_login: 1 }).where('id', '=', 'a1').execute();
    });
    assert.equal(calls, before);
  });
});
