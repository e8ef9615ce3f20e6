import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { AuditEvent } from '../../src/audit/audit-log.js';
import type { Store } from '../../src/store/store.js';
import { grantJournal } from '../../src/token/grant-journal.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import type { TestDatabase } from '../helpers/stores.js';

const event = (i: number, result: 'success' | 'failure' = 'success'): AuditEvent => ({
  tenantId: 1,
  actor: { type: 'app', id: `app-${i}`, name: `app ${i}` },
  action: 'token.grant',
  resource: { type: 'token', id: `jti-${i}`, name: 'app_token' },
  result,
  ...(result === 'failure' ? { reason: 'wrong_secret' } : {}),
  sourceIp: '127.0.0.1',
});

forEachStore('grant journal (group commit)', (kind) => {
  let db: TestDatabase;
  let store: Store;

  before(async () => {
    ({ database: db, store } = await openMigratedStore(kind, {
      admin: { email: 'a@example.com', password: 'pw-pw-pw-pw' },
    }));
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  const eventsLike = (prefix: string) =>
    store.db
      .selectFrom('audit_events')
      .select(['actor_id', 'resource_id', 'result', 'reason', 'timestamp'])
      .where('resource_id', 'like', `${prefix}%`)
      .orderBy('id')
      .execute();

  it('writes every event of concurrent grants, in arrival order, each with its touch', async () => {
    const touched: number[] = [];
    const before = Date.now();
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        grantJournal(store.db).record(
          { ...event(i), resource: { type: 'token', id: `c-${i}` } },
          async (trx) => {
            touched.push(i);
            await trx.selectFrom('audit_events').select('id').limit(1).execute();
          },
        ),
      ),
    );
    const rows = await eventsLike('c-');
    assert.deepEqual(
      rows.map((r) => r.resource_id),
      Array.from({ length: 600 }, (_, i) => `c-${i}`),
    );
    assert.deepEqual(
      touched,
      Array.from({ length: 600 }, (_, i) => i),
    );
    assert.ok(rows.every((r) => r.timestamp >= before && r.timestamp <= Date.now()));
  });

  it('sets last_login of every named row in one UPDATE per table, without calling touch', async () => {
    const now = Date.now();
    const ids = ['la', 'lb', 'lc'];
    for (const id of ids)
      await store.db
        .insertInto('applications')
        .values({
          id,
          tenant_id: 1,
          name: `login-${id}`,
          client_id: `client-${id}`,
          enabled: 1,
          tokens_valid_after: 0,
          last_login: null,
          created_by: 'test',
          created_at: now,
          updated_at: now,
        })
        .execute();
    let touched = 0;
    await Promise.all(
      [...ids, 'la'].map((id, i) =>
        grantJournal(store.db).record(
          { ...event(i), resource: { type: 'token', id: `login-${i}` } },
          async () => void (touched += 1),
          { table: 'applications', id },
        ),
      ),
    );
    assert.equal(touched, 0);
    const rows = await store.db
      .selectFrom('applications')
      .select(['id', 'last_login'])
      .where('id', 'in', [...ids, 'untouched'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.id),
      ids,
    );
    assert.ok(rows.every((r) => r.last_login !== null && r.last_login >= now && r.last_login <= Date.now()));
    assert.equal((await eventsLike('login-')).length, 4);
  });

  it('a single grant is written on its own, failures too', async () => {
    await grantJournal(store.db).record({
      ...event(1, 'failure'),
      resource: { type: 'token', id: 'single-1' },
    });
    const rows = await eventsLike('single-');
    assert.deepEqual(
      rows.map((r) => [r.actor_id, r.result, r.reason]),
      [['app-1', 'failure', 'wrong_secret']],
    );
  });

  it('when a touch fails, the grants of that transaction are refused and none of their events is written', async () => {
    const outcomes = await Promise.allSettled([
      grantJournal(store.db).record(
        { ...event(1), resource: { type: 'token', id: 'bad-1' } },
        async () => {},
      ),
      grantJournal(store.db).record({ ...event(2), resource: { type: 'token', id: 'bad-2' } }, async () => {
        throw new Error('store refused');
      }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await eventsLike('bad-'), []);
    // The journal keeps working afterwards.
    await grantJournal(store.db).record({ ...event(3), resource: { type: 'token', id: 'after-3' } });
    assert.equal((await eventsLike('after-')).length, 1);
  });

  it('when writing the events fails, no last_login of that batch is set either', async () => {
    const before = await store.db
      .selectFrom('applications')
      .select('last_login')
      .where('id', '=', 'lb')
      .executeTakeFirstOrThrow();
    const outcomes = await Promise.allSettled([
      grantJournal(store.db).record({ ...event(1), resource: { type: 'token', id: 'atomic-1' } }, undefined, {
        table: 'applications',
        id: 'lb',
      }),
      // NOT NULL violation: the batch's statement (or transaction) fails as a whole.
      grantJournal(store.db).record({ ...event(2), action: null as unknown as string }, undefined, {
        table: 'applications',
        id: 'lb',
      }),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(await eventsLike('atomic-'), []);
    const afterwards = await store.db
      .selectFrom('applications')
      .select('last_login')
      .where('id', '=', 'lb')
      .executeTakeFirstOrThrow();
    assert.equal(afterwards.last_login, before.last_login);
  });
});
