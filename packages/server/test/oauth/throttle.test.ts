import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import type { Context } from '../../src/context.js';
import { CREDENTIALS_CHANNEL } from '../../src/store/migrations/0007-credential-notify.js';
import { purgeExpired } from '../../src/oauth/housekeeping.js';
import { throttled, throttleKeys, type ThrottleSubject } from '../../src/oauth/throttle.js';
import type { Store } from '../../src/store/store.js';
import { forEachStore } from '../helpers/each-store.js';
import { openMigratedStore } from '../helpers/migrated-store.js';
import type { TestDatabase } from '../helpers/stores.js';

// What `throttled` leaves in auth_throttle around a check (its statements are prepared once; the
// e2e throttling test covers the locks and delays over HTTP).
forEachStore('throttled', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let ctx: Context;
  // Pair threshold 3 (the tenant's lockout default), address threshold 60 (20 × 3).
  const config = {
    lockoutThreshold: 3,
    accessTokenTtlSec: 3600,
    refreshTokenTtlSec: 86_400,
    sessionIdleTimeoutSec: 3600,
  };
  const ok = async () => ({ ok: true as const, value: 'checked' });
  const wrong = async () => ({ ok: false as const, reason: 'wrong_password' });

  const rowOf = (key: string) =>
    store.db
      .selectFrom('auth_throttle')
      .select(['failures', 'locked_until'])
      .where('key', '=', key)
      .executeTakeFirst()
      .then((r) => r && { failures: Number(r.failures), locked_until: Number(r.locked_until) });

  /** An unlocked throttle row with `failures` counted, the last at `updatedAt`. */
  const seedRow = (key: string, failures: number, updatedAt: number) =>
    store.db
      .insertInto('auth_throttle')
      .values({ key, failures, locked_until: 0, updated_at: updatedAt })
      .execute();

  before(async () => {
    ({ database: db, store } = await openMigratedStore(kind, {
      admin: { email: 'a@example.com', password: 'pw-pw-pw-pw' },
    }));
    ctx = { store, config } as unknown as Context;
  });
  after(async () => {
    await store?.close();
    await db?.drop();
  });

  it("counts a failure on the pair and the address; a success forgets the pair's failures and takes back its own count", async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'Ann@example.com', address: '10.0.0.1' };
    const keys = throttleKeys(1, subject);
    assert.deepEqual(await throttled(ctx, 1, subject, wrong), { ok: false, reason: 'wrong_password' });
    assert.deepEqual(await rowOf(keys.pair), { failures: 1, locked_until: 0 });
    assert.deepEqual(await rowOf(keys.address), { failures: 1, locked_until: 0 });
    assert.deepEqual(await throttled(ctx, 1, subject, ok), { ok: true, value: 'checked' });
    // Zeroed in the statement that takes back the address's count; housekeeping deletes it later.
    assert.deepEqual(await rowOf(keys.pair), { failures: 0, locked_until: 0 });
    assert.deepEqual(await rowOf(keys.address), { failures: 1, locked_until: 0 });
    await throttled(ctx, 1, subject, wrong);
    assert.deepEqual(await rowOf(keys.pair), { failures: 1, locked_until: 0 }, 'counting starts over');
    assert.deepEqual(await rowOf(keys.address), { failures: 2, locked_until: 0 });
  });

  it('a success forgets a lock of the pair that has run out', async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'fay@example.com', address: '10.0.0.6' };
    const keys = throttleKeys(1, subject);
    const now = Date.now();
    await store.db
      .insertInto('auth_throttle')
      .values({ key: keys.pair, failures: 5, locked_until: now - 1000, updated_at: now - 2000 })
      .execute();
    assert.deepEqual(await throttled(ctx, 1, subject, ok, now), { ok: true, value: 'checked' });
    assert.deepEqual(await rowOf(keys.pair), { failures: 0, locked_until: 0 });
  });

  it("keeps apart accounts whose name and address would run together (an IPv6 address's colons)", async () => {
    const victim: ThrottleSubject = { kind: 'client', account: 'a', address: '2001:db8::1' };
    const other: ThrottleSubject = { kind: 'client', account: 'a:2001', address: 'db8::1' };
    assert.notEqual(throttleKeys(1, victim).pair, throttleKeys(1, other).pair);
    assert.notEqual(
      throttleKeys(1, { ...victim, account: 'a%3a2001' }).pair,
      throttleKeys(1, other).pair,
      'an account spelling the escape itself',
    );
    assert.equal(throttleKeys(1, victim).pair, 'client:1:a:2001:db8::1', 'a plain account keeps its key');
    for (let i = 0; i < 3; i++) await throttled(ctx, 1, other, wrong);
    assert.equal((await rowOf(throttleKeys(1, other).pair))?.failures, 3);
    assert.equal(
      await rowOf(throttleKeys(1, victim).pair),
      undefined,
      "the other pair's failures are not the victim's",
    );
  });

  it('a success on the attempt that set the address lock gives the lock back', async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'bob@example.com', address: '10.0.0.2' };
    const keys = throttleKeys(1, subject);
    const now = Date.now();
    await seedRow(keys.address, 59, now);
    // The 60th attempt reaches the address threshold and sets the lock before checking.
    assert.deepEqual(await throttled(ctx, 1, subject, ok, now), { ok: true, value: 'checked' });
    assert.deepEqual(await rowOf(keys.address), { failures: 59, locked_until: 0 });
    // A failure there keeps its count and the lock it set.
    await throttled(ctx, 1, subject, wrong, now);
    const locked = await rowOf(keys.address);
    assert.equal(locked?.failures, 60);
    assert.ok(locked && locked.locked_until > now, 'the address is locked');
  });

  it('tells the credential cache when a lock changes, not when an attempt is counted', async () => {
    // This process hears of its own changes from the store; every process hears of a change through
    // PostgreSQL's NOTIFY. Both count; a probe on a second channel marks where NOTIFYs sent so far end.
    let heard = 0;
    const unsubscribe = store.onCredentialsChanged(() => heard++);
    const listener = db.databaseUrl ? new pg.Client({ connectionString: db.databaseUrl }) : undefined;
    let probed: (() => void) | undefined;
    listener?.on('notification', (message) => {
      if (message.channel === CREDENTIALS_CHANNEL) heard++;
      else probed?.();
    });
    await listener?.connect();
    await listener?.query(`LISTEN ${CREDENTIALS_CHANNEL}; LISTEN throttle_test_probe`);
    const settled = async () => {
      if (!listener) return heard;
      const arrived = new Promise<void>((resolve) => (probed = resolve));
      await sql`NOTIFY throttle_test_probe`.execute(store.db);
      await arrived;
      return heard;
    };
    try {
      const subject: ThrottleSubject = { kind: 'password', account: 'dee@example.com', address: '10.0.0.4' };
      const keys = throttleKeys(1, subject);
      const now = Date.now();
      await throttled(ctx, 1, subject, wrong, now);
      await throttled(ctx, 1, subject, ok, now);
      assert.equal(await settled(), 0, 'counting and a success are silent');

      for (let i = 0; i < 3; i++) await throttled(ctx, 1, subject, wrong, now);
      assert.ok((await rowOf(keys.pair))!.locked_until > now, 'the pair is locked');
      const afterLock = await settled();
      assert.ok(afterLock > 0, 'a lock set is told');

      // The attempt that sets the address lock and succeeds gives the lock back: told as well.
      const other: ThrottleSubject = { kind: 'password', account: 'eve@example.com', address: '10.0.0.5' };
      await seedRow(throttleKeys(1, other).address, 59, now);
      let beforeUndo = 0;
      await throttled(ctx, 1, other, async () => ((beforeUndo = await settled()), ok()), now);
      assert.ok(beforeUndo > afterLock, 'the address lock set is told');
      assert.ok((await settled()) > beforeUndo, 'the lock given back is told');
    } finally {
      unsubscribe();
      await listener?.end();
    }
  });

  it('takes concurrent attempts on the same keys, and housekeeping beside them, without a deadlock', async () => {
    // Successes lock both rows in one statement and counting locks both in another: on PostgreSQL
    // both must take them in the same order, and housekeeping must not wait for them.
    const subject: ThrottleSubject = { kind: 'password', account: 'gus@example.com', address: '10.0.0.7' };
    // Every fourth check fails, in the order the checks run rather than the order the attempts
    // start: on PostgreSQL the attempts take the rows in any order, and when the three let through
    // first (the pair's threshold is 3) were all failures, the pair locked before any success.
    let checks = 0;
    const mixed = () => (checks++ % 4 === 3 ? wrong() : ok());
    const burst = () =>
      Promise.all([
        ...Array.from({ length: 80 }, () =>
          throttled(ctx, 1, subject, mixed).then(
            (result) => (result.ok ? 'ok' : 'wrong'),
            (err: { code?: string }) => err.code ?? String(err),
          ),
        ),
        purgeExpired(ctx).then(() => 'purged'),
      ]);
    // Several bursts: a lock-order deadlock showed in one burst out of a few (PostgreSQL ends it).
    const outcomes = (await Promise.all([burst(), burst(), burst(), burst()])).flat();
    const unexpected = outcomes.filter((o) => !['ok', 'wrong', 'RATE_LIMITED', 'purged'].includes(o));
    assert.deepEqual(unexpected, []);
    assert.ok(outcomes.includes('ok'));
  });

  it('forgets the failures of an unlocked key last counted over an hour ago', async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'cy@example.com', address: '10.0.0.3' };
    const keys = throttleKeys(1, subject);
    const now = Date.now();
    await seedRow(keys.pair, 2, now - 61 * 60_000);
    await throttled(ctx, 1, subject, wrong, now);
    assert.deepEqual(await rowOf(keys.pair), { failures: 1, locked_until: 0 });
  });
});
