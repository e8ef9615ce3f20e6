import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { auditRows, type AuditEvent } from '../../src/audit/audit-log.js';
import { runOnSqlite } from '../../src/store/sqlite-direct.js';
import { openStore, type Store } from '../../src/store/store.js';
import { grantJournal } from '../../src/token/grant-journal.js';
import { writePostgresBatch } from '../../src/token/journal-postgres.js';
import { sqliteBatchWriter } from '../../src/token/journal-sqlite.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import { applicationRow } from '../helpers/rows.js';
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

  /** Applications with these ids (named `login-<id>`), never logged in. */
  const insertApps = (ids: readonly string[], now = Date.now()) =>
    store.db
      .insertInto('applications')
      .values(ids.map((id) => applicationRow(id, { name: `login-${id}`, created_at: now })))
      .execute();

  it('writes every event of concurrent grants, in arrival order', async () => {
    const before = Date.now();
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        grantJournal(store.db).record({ ...event(i), resource: { type: 'token', id: `c-${i}` } }),
      ),
    );
    const rows = await eventsLike('c-');
    assert.deepEqual(
      rows.map((r) => r.resource_id),
      Array.from({ length: 600 }, (_, i) => `c-${i}`),
    );
    assert.ok(rows.every((r) => r.timestamp >= before && r.timestamp <= Date.now()));
  });

  it('sets last_login of every named row', async () => {
    const now = Date.now();
    const ids = ['la', 'lb', 'lc'];
    await insertApps(ids, now);
    await Promise.all(
      [...ids, 'la'].map((id, i) =>
        grantJournal(store.db).record(
          { ...event(i), resource: { type: 'token', id: `login-${i}` } },
          { table: 'applications', id },
        ),
      ),
    );
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

  it("does not set a row's last_login again seconds later (every grant is still audited)", async () => {
    const now = Date.now();
    await insertApps(['lr'], now);
    const grant = (i: number) =>
      grantJournal(store.db).record(
        { ...event(i), resource: { type: 'token', id: `again-${i}` } },
        { table: 'applications', id: 'lr' },
      );
    const lastLogin = async () =>
      Number(
        (
          await store.db
            .selectFrom('applications')
            .select('last_login')
            .where('id', '=', 'lr')
            .executeTakeFirstOrThrow()
        ).last_login,
      );
    await grant(1);
    const first = await lastLogin();
    assert.ok(first >= now, 'the first grant sets it');
    await new Promise((r) => setTimeout(r, 5));
    await grant(2);
    assert.equal(await lastLogin(), first, 'a grant seconds later leaves it');
    assert.equal((await eventsLike('again-')).length, 2);
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

  it('when writing the events fails, no last_login of that batch is set either', async () => {
    const before = await store.db
      .selectFrom('applications')
      .select('last_login')
      .where('id', '=', 'lb')
      .executeTakeFirstOrThrow();
    const outcomes = await Promise.allSettled([
      grantJournal(store.db).record(
        { ...event(1), resource: { type: 'token', id: 'atomic-1' } },
        { table: 'applications', id: 'lb' },
      ),
      // NOT NULL violation: the batch's statement (or transaction) fails as a whole.
      grantJournal(store.db).record(
        { ...event(2), action: null as unknown as string },
        { table: 'applications', id: 'lb' },
      ),
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
    // The journal keeps working afterwards.
    await grantJournal(store.db).record({ ...event(3), resource: { type: 'token', id: 'after-3' } });
    assert.equal((await eventsLike('after-')).length, 1);
  });

  it('never moves last_login back, when batches commit out of order', async () => {
    const write = (at: number) => {
      const logins = new Map([['applications' as const, new Set(['lc'])]]);
      const rows = auditRows([
        { event: { ...event(at), resource: { type: 'token', id: `order-${at}` } }, at },
      ]);
      return (
        runOnSqlite(store.db, (sqlite) => sqliteBatchWriter(sqlite)(logins, at, rows)) ??
        writePostgresBatch(store.db, logins, at, rows)
      );
    };
    const lastLogin = async () =>
      (
        await store.db
          .selectFrom('applications')
          .select('last_login')
          .where('id', '=', 'lc')
          .executeTakeFirstOrThrow()
      ).last_login;
    const later = Date.now() + 60_000;
    await write(later);
    await write(later - 1_000);
    assert.equal(Number(await lastLogin()), later);
    assert.equal((await eventsLike('order-')).length, 2);
  });

  it('two replicas on one database grant logins of the same applications at once, none refused', async () => {
    // A second server process's store: its own connections (pool, or SQLite handle) and journal.
    const replica = openStore({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
    const start = Date.now();
    const ids = Array.from({ length: 10 }, (_, i) => `replica-app-${i}`);
    await insertApps(ids, start);
    const refused: unknown[] = [];
    let granted = 0;
    try {
      const until = Date.now() + 3_000;
      await Promise.all(
        [store, replica].flatMap((s) =>
          Array.from({ length: 16 }, async (_, worker) => {
            for (let i = 0; Date.now() < until; i++) {
              // In any order: batches naming the same rows in different orders are what deadlocked.
              const id = ids[Math.floor(Math.random() * ids.length)] as string;
              await grantJournal(s.db)
                .record(
                  { ...event(i), resource: { type: 'token', id: `replica-${s === store}-${worker}-${i}` } },
                  {
                    table: 'applications',
                    id,
                  },
                )
                .then(
                  () => void (granted += 1),
                  (err: unknown) => void refused.push(err),
                );
            }
          }),
        ),
      );
    } finally {
      await replica.close();
    }
    assert.deepEqual(refused, []);
    assert.equal((await eventsLike('replica-')).length, granted);
    const rows = await store.db
      .selectFrom('applications')
      .select('last_login')
      .where('id', 'in', ids)
      .execute();
    assert.equal(rows.length, ids.length);
    assert.ok(rows.every((r) => Number(r.last_login) >= start && Number(r.last_login) <= Date.now()));
  });
});
