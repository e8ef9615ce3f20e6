import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { publishChange, publishRule, publishSubject } from '../../src/feed/publish.js';
import { buildSnapshot, readChanges } from '../../src/feed/snapshot.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import type { TestDatabase } from '../helpers/stores.js';

forEachStore('change feed store', (kind) => {
  let db: TestDatabase;
  let store: Store;

  before(async () => {
    ({ database: db, store } = await openMigratedStore(kind, {
      admin: { email: 'admin@example.com', password: 'correct-horse-battery' },
    }));
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it('publishes in the same transaction: a rolled-back change leaves no feed entry', async () => {
    const before = await readChanges(store.db, 1, 0);
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await publishChange(trx, 1, { kind: 'resync' });
        throw new Error('abort');
      }),
    );
    assert.equal((await readChanges(store.db, 1, 0)).changes.length, before.changes.length);
  });

  it('carries subject state and rule changes in cursor order, per tenant plus global entries', async () => {
    const start = (await buildSnapshot(store.db, { tenantId: 1, clusterId: 'c', issuer: 'i', audience: 'a' }))
      .cursor;
    const user = await store.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    await store.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ enabled: 0, tokens_valid_after: 1234 })
        .where('id', '=', user.id)
        .execute();
      await publishSubject(trx, 1, 'user', user.id);
    });
    await store.db.transaction().execute((trx) => publishSubject(trx, 1, 'app', 'no-such-app'));
    await store.db.transaction().execute((trx) => publishRule(trx, 1, 999));
    await store.db.transaction().execute((trx) => publishChange(trx, 2, { kind: 'resync' }));
    await store.db.transaction().execute((trx) => publishChange(trx, null, { kind: 'keys' }));

    const page = await readChanges(store.db, 1, start);
    assert.deepEqual(
      page.changes.map((c) => c.kind),
      ['subject', 'subject', 'rule-deleted', 'keys'],
      'tenant 2 entries are not served to tenant 1',
    );
    assert.deepEqual(
      { ...page.changes[0], cursor: 0 },
      {
        kind: 'subject',
        type: 'user',
        id: user.id,
        enabled: false,
        validAfter: 1234,
        email: 'admin@example.com',
        cursor: 0,
      },
    );
    assert.equal((page.changes[1] as { deleted?: boolean }).deleted, true);
    const cursors = page.changes.map((c) => c.cursor);
    assert.deepEqual(
      [...cursors].sort((a, b) => a - b),
      cursors,
    );
    assert.equal(page.cursor, cursors.at(-1));
    assert.deepEqual((await readChanges(store.db, 1, page.cursor)).changes, []);
  });

  it('asks for a resync when the cursor is ahead of the feed (another store, or a reset)', async () => {
    const res = await readChanges(store.db, 1, 10_000_000);
    assert.equal(res.resync, true);
  });

  it('asks for a resync when entries after the cursor were trimmed (a gap)', async () => {
    const page = await readChanges(store.db, 1, 0);
    const cursor = page.changes[0]!.cursor;
    await store.db
      .deleteFrom('change_events')
      .where('id', '<=', cursor + 1)
      .execute();
    assert.equal((await readChanges(store.db, 1, cursor)).resync, true, 'entry cursor+1 is gone');
    assert.notEqual((await readChanges(store.db, 1, cursor + 1)).resync, true);
  });

  it('the snapshot holds subjects, rules and the cursor to continue from', async () => {
    const snap = await buildSnapshot(store.db, { tenantId: 1, clusterId: 'c', issuer: 'i', audience: 'a' });
    assert.ok(snap.subjects.some((s) => s.type === 'user' && s.email === 'admin@example.com'));
    assert.ok(snap.rules.some((r) => r.subjectId === 'admin@example.com' && r.roleId === 1));
    assert.equal(snap.cursor, (await readChanges(store.db, 1, 0)).cursor);
  });
});
