import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Context } from '../../src/context.js';
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

  it('counts a failure on the pair and the address; a success forgets the pair and takes back its own count', async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'Ann@example.com', address: '10.0.0.1' };
    const keys = throttleKeys(1, subject);
    assert.deepEqual(await throttled(ctx, 1, subject, wrong), { ok: false, reason: 'wrong_password' });
    assert.deepEqual(await rowOf(keys.pair), { failures: 1, locked_until: 0 });
    assert.deepEqual(await rowOf(keys.address), { failures: 1, locked_until: 0 });
    assert.deepEqual(await throttled(ctx, 1, subject, ok), { ok: true, value: 'checked' });
    assert.equal(await rowOf(keys.pair), undefined);
    assert.deepEqual(await rowOf(keys.address), { failures: 1, locked_until: 0 });
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

  it('forgets the failures of an unlocked key last counted over an hour ago', async () => {
    const subject: ThrottleSubject = { kind: 'password', account: 'cy@example.com', address: '10.0.0.3' };
    const keys = throttleKeys(1, subject);
    const now = Date.now();
    await seedRow(keys.pair, 2, now - 61 * 60_000);
    await throttled(ctx, 1, subject, wrong, now);
    assert.deepEqual(await rowOf(keys.pair), { failures: 1, locked_until: 0 });
  });
});
