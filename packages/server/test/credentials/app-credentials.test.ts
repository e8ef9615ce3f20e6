import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Context } from '../../src/context.js';
import { checkAppSecret } from '../../src/credentials/app-credentials.js';
import { locksAndApp } from '../../src/credentials/app-credentials-query.js';
import { lookupLocksAndApp, type AppLookup } from '../../src/credentials/app-lookup-batch.js';
import { deriveMasterKey } from '../../src/crypto/master-key.js';
import { hashSecret } from '../../src/crypto/secrets.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import { applicationRow } from '../helpers/rows.js';
import type { TestDatabase } from '../helpers/stores.js';

// checkAppSecret reads the application and its live secrets in one query (see bench/README.md).
forEachStore('checkAppSecret', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let ctx: Context;
  const master = deriveMasterKey(Buffer.alloc(32, 7));
  const now = Date.now();

  async function addApp(id: string, name: string, enabled: number, secrets: Array<[string, number | null]>) {
    await store.db
      .insertInto('applications')
      .values(applicationRow(id, { name, enabled, created_at: now }))
      .execute();
    for (const [i, [secret, expiresAt]] of secrets.entries())
      await store.db
        .insertInto('credential_secrets')
        .values({
          id: `${id}-s${i}`,
          tenant_id: 1,
          owner_type: 'app',
          owner_id: id,
          secret_hash: hashSecret(master.pepper, secret),
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
  }

  before(async () => {
    ({ database: db, store } = await openMigratedStore(kind, {
      admin: { email: 'a@example.com', password: 'pw-pw-pw-pw' },
    }));
    ctx = { store, master } as unknown as Context;
    await addApp('a1', 'one', 1, [['s-one', null]]);
    // Mid-rotation: the old secret still lives for a while, an older one has expired.
    await addApp('a2', 'two', 1, [
      ['s-two-new', null],
      ['s-two-old', now + 60_000],
      ['s-two-dead', now - 1],
    ]);
    await addApp('a3', 'off', 0, [['s-off', null]]);
    await addApp('a4', 'bare', 1, []);
    // Named after another application's client id.
    await addApp('a5', 'client-a2', 1, [['s-shadow', null]]);
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it('accepts the secret by application name and by client id', async () => {
    const byName = await checkAppSecret(ctx, 1, 'one', 's-one', now);
    assert.equal(byName.ok, true);
    assert.equal(byName.subject?.id, 'a1');
    const byClientId = await checkAppSecret(ctx, 1, 'client-a1', 's-one', now);
    assert.deepEqual(byClientId, byName);
  });

  it("takes a client id before a name: a name equal to another application's client id cannot take its place", async () => {
    const byClientId = await checkAppSecret(ctx, 1, 'client-a2', 's-two-new', now);
    assert.equal(byClientId.ok, true);
    assert.equal(byClientId.subject?.id, 'a2');
    const shadow = await checkAppSecret(ctx, 1, 'client-a2', 's-shadow', now);
    assert.deepEqual(
      [shadow.ok, !shadow.ok && shadow.reason, shadow.subject?.id],
      [false, 'wrong_secret', 'a2'],
    );
    // Its own client id still names it.
    assert.equal((await checkAppSecret(ctx, 1, 'client-a5', 's-shadow', now)).subject?.id, 'a5');
  });

  it('accepts every live secret during a rotation and refuses an expired one', async () => {
    assert.equal((await checkAppSecret(ctx, 1, 'two', 's-two-new', now)).ok, true);
    assert.equal((await checkAppSecret(ctx, 1, 'two', 's-two-old', now)).ok, true);
    const dead = await checkAppSecret(ctx, 1, 'two', 's-two-dead', now);
    assert.deepEqual([dead.ok, !dead.ok && dead.reason], [false, 'wrong_secret']);
  });

  it("refuses another application's secret, a wrong one, an unknown name and another tenant", async () => {
    const cases: Array<[string, string, number, string]> = [
      ['one', 's-two-new', 1, 'wrong_secret'],
      ['one', 'nope', 1, 'wrong_secret'],
      ['bare', '', 1, 'wrong_secret'],
      ['ghost', 's-one', 1, 'unknown_client'],
      ['one', 's-one', 2, 'unknown_client'],
    ];
    for (const [id, secret, tenant, reason] of cases) {
      const check = await checkAppSecret(ctx, tenant, id, secret, now);
      assert.equal(check.ok, false, `${id}/${secret}`);
      assert.equal(!check.ok && check.reason, reason, `${id}/${secret}`);
    }
  });

  it('reports a disabled application only after its secret matched', async () => {
    const right = await checkAppSecret(ctx, 1, 'off', 's-off', now);
    assert.deepEqual([right.ok, !right.ok && right.reason], [false, 'disabled']);
    const wrong = await checkAppSecret(ctx, 1, 'off', 'nope', now);
    assert.deepEqual([wrong.ok, !wrong.ok && wrong.reason], [false, 'wrong_secret']);
  });

  it('answers lookups made together (one query on PostgreSQL) exactly as each alone', async () => {
    await store.db
      .insertInto('auth_throttle')
      .values([
        { key: 'client:1:one:10.0.0.1', failures: 3, locked_until: 0, updated_at: now },
        { key: 'address:10.0.0.2', failures: 40, locked_until: now + 60_000, updated_at: now },
      ])
      .execute();
    const lookup = (identifier: string, address: string, tenantId = 1): AppLookup => ({
      tenantId,
      identifier,
      pair: `client:${tenantId}:${identifier}:${address}`,
      address: `address:${address}`,
      now,
    });
    const lookups = [
      lookup('one', '10.0.0.1'),
      lookup('client-a1', '10.0.0.2'),
      lookup('two', '10.0.0.3'),
      lookup('ghost', '10.0.0.1'),
      lookup('off', '10.0.0.4'),
      lookup('bare', '10.0.0.2'),
      lookup('one', '10.0.0.1', 2),
      lookup('it\'s {"odd"}, [x]', '10.0.0.5'),
      lookup('two', '10.0.0.2'),
      lookup('client-a2', '10.0.0.6'),
    ];
    const together = await Promise.all(lookups.map((l) => lookupLocksAndApp(store.db, l)));
    const strip = (rows: object[]) =>
      rows
        .map((row) => {
          const { n: _n, ...rest } = row as { n?: number };
          return JSON.stringify(rest);
        })
        .sort();
    for (const [i, l] of lookups.entries()) {
      const alone = await locksAndApp(store.db, l);
      assert.deepEqual(strip(together[i] ?? []), strip(alone), l.identifier);
      assert.ok(alone.length >= 1);
    }
    // The cases mean what they should: a pair row without a lock, an address lock, three live secrets.
    assert.equal(Number(together[0]?.[0]?.pair_lock), 0);
    assert.equal(Number(together[1]?.[0]?.address_lock), now + 60_000);
    assert.equal(together[2]?.length, 2);
    assert.equal(together[3]?.[0]?.id, null);
    // By client id first, in a batch as alone.
    assert.deepEqual(new Set(together[9]?.map((row) => row.id)), new Set(['a2']));
  });

  it('lookups made while a batch is in flight wait for it and are all answered, past one batch', async () => {
    const lookup = (identifier: string, i: number): AppLookup => ({
      tenantId: 1,
      identifier,
      pair: `client:1:${identifier}:10.1.${i >> 8}.${i & 255}`,
      address: `address:10.1.${i >> 8}.${i & 255}`,
      now,
    });
    const first = lookupLocksAndApp(store.db, lookup('one', 0));
    // The first batch's query is on its way once this turn ends; these 300 arrive while it runs.
    await new Promise((resolve) => setImmediate(resolve));
    const waves = Array.from({ length: 300 }, (_, i) =>
      lookupLocksAndApp(store.db, lookup(i % 2 ? 'one' : 'no-such-app', i + 1)),
    );
    assert.equal((await first)[0]?.id, 'a1');
    const answers = await Promise.all(waves);
    answers.forEach((rows, i) => assert.equal(rows[0]?.id ?? null, i % 2 ? 'a1' : null, `lookup ${i}`));
  });

  it('one lookup PostgreSQL refuses does not fail the lookups made with it', async () => {
    const lookup = (identifier: string): AppLookup => ({
      tenantId: 1,
      identifier,
      pair: `client:1:${identifier}:10.0.0.9`,
      address: 'address:10.0.0.9',
      now,
    });
    const outcomes = await Promise.allSettled(
      ['one', 'bad\u0000name', 'two'].map((id) => lookupLocksAndApp(store.db, lookup(id))),
    );
    const [first, , third] = outcomes;
    assert.equal(first?.status === 'fulfilled' && first.value[0]?.id, 'a1');
    assert.equal(third?.status === 'fulfilled' && third.value[0]?.id, 'a2');
  });
});
