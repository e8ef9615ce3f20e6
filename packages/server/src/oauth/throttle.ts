import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';
import { preparedQuery } from '../store/prepared-query.js';
import type { Database } from '../store/schema.js';
import { oauthPolicy } from './policy.js';

/** What is being guessed at, and from where. */
export interface ThrottleSubject {
  /** `password`, `client` (secret), `device` (user code) or `external` (upstream token, by issuer). */
  kind: 'password' | 'client' | 'device' | 'external';
  /** The account (email, client id); empty for checks that have none. */
  account: string;
  address: string;
}

/** A credential check's result as the throttle sees it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_DELAY_MS = 15 * 60_000;
/** Counters of an unlocked key forget failures this old. */
const FORGET_AFTER_MS = 60 * 60_000;

/**
 * The delay after the `n`-th failure beyond the threshold: 1 s, 2 s, 4 s … capped at 15 minutes.
 *
 * @example
 * ```ts
 * delayAfter(3) // 4000
 * ```
 */
export function delayAfter(excess: number): number {
  return Math.min(1000 * 2 ** Math.max(excess - 1, 0), MAX_DELAY_MS);
}

/**
 * Runs a credential check under brute-force protection shared through the store (so every replica
 * sees the same counters). Every attempt counts per (kind, account, address) and per address before
 * the check runs; from the threshold on, the key is locked for a growing delay *before* checking, so
 * concurrent guesses cannot slip through while a slow password hash runs. A locked key answers 429
 * with `Retry-After`, and hammering it makes the lock longer. Success clears the pair's counter.
 * Another address is never locked by these failures.
 *
 * @example
 * ```ts
 * const result = await throttled(ctx, 1, { kind: 'password', account: email, address: ip }, check)
 * ```
 */
export async function throttled<T>(
  ctx: Context,
  tenantId: number,
  subject: ThrottleSubject,
  check: () => Promise<Checked<T>>,
  now = Date.now(),
): Promise<Checked<T>> {
  const policy = await oauthPolicy(ctx, tenantId);
  const { pair: pairKey, address: addressKey } = throttleKeys(tenantId, subject);
  const pair = await bump(ctx, pairKey, policy.lockoutThreshold, now);
  const address = await bump(ctx, addressKey, policy.addressThreshold, now);
  if (!pair.allowed || !address.allowed) {
    await recordAudit(ctx.store.db, {
      tenantId,
      actor: { type: subject.kind === 'password' ? 'user' : subject.kind, name: subject.account || null },
      action: 'auth.throttled',
      resource: { type: subject.kind },
      result: 'failure',
      reason: 'throttled',
      sourceIp: subject.address,
    });
    throw rateLimited(Math.max(pair.lock, address.lock) - now);
  }
  const result = await check();
  if (result.ok) {
    const db = ctx.store.db;
    await forgetKey(db, { key: pairKey });
    // A success is not a failure of the address: undo this attempt's count and pre-lock.
    if (address.setLock) await undoAttemptAndLock(db, { key: addressKey, previous: address.previous });
    else await undoAttempt(db, { key: addressKey });
  }
  return result;
}

// Every password, device-code and upstream-token check runs these (two before, two after a
// success), so they are built and compiled once (store/prepared-query.ts): building them through
// Kysely each time was ~0.4 ms of the password grant's ~2.9 ms on the event loop (bench/README.md).
const forgetKey = preparedQuery((db, p: { key: string }) =>
  db.deleteFrom('auth_throttle').where('key', '=', p.key),
);
const undoAttempt = preparedQuery((db, p: { key: string }) =>
  db
    .updateTable('auth_throttle')
    .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
    .where('key', '=', p.key),
);
/**
 * Gives back the lock this attempt set. Not prepared, unlike its neighbours: it changes a lock, which
 * the credential cache must hear of, and only statements run through Kysely's driver are watched
 * (store/credential-writes.ts); prepared ones go straight to the connection. Rare: only the attempt
 * that set an address lock and then succeeded runs it.
 */
const undoAttemptAndLock = (db: Kysely<Database>, p: { key: string; previous: number }) =>
  db
    .updateTable('auth_throttle')
    .set({
      failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
      locked_until: p.previous,
    })
    .where('key', '=', p.key)
    .execute();
/** Counts an attempt, forgetting the failures of an unlocked key last counted before `stale`. */
const countAttempt = preparedQuery((db, p: { key: string; now: number; stale: number }) =>
  db
    .insertInto('auth_throttle')
    .values({ key: p.key, failures: 1, locked_until: 0, updated_at: p.now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when auth_throttle.updated_at < ${p.stale} and auth_throttle.locked_until < ${p.now} then 1 else auth_throttle.failures + 1 end`,
        updated_at: p.now,
      }),
    )
    .returning(['failures', 'locked_until']),
);

/**
 * The 429 of a locked key, with `Retry-After` in whole seconds.
 *
 * @example
 * ```ts
 * throw rateLimited(lock - now)
 * ```
 */
export function rateLimited(ms: number): TesseraError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new TesseraError('RATE_LIMITED', 'Too many failed attempts; try again later', {
    details: `retry after ${seconds} s`,
    headers: { 'Retry-After': String(seconds) },
  });
}

/**
 * The key of a throttled (kind, tenant, account, address) and of its address alone. The account's
 * `:` and `%` are escaped: an IPv6 address has colons too, so unescaped, account `a:2001` at
 * `db8::1` and account `a` at `2001:db8::1` would share one key, and one's failures lock the other.
 * Accounts without those characters keep the key they always had.
 *
 * @example
 * ```ts
 * throttleKeys(1, { kind: 'client', account: 'ci', address: '10.0.0.1' }) // { pair: 'client:1:ci:10.0.0.1', address: 'address:10.0.0.1' }
 * throttleKeys(1, { kind: 'client', account: 'a:2001', address: 'db8::1' }).pair // 'client:1:a%3a2001:db8::1'
 * ```
 */
export function throttleKeys(tenantId: number, subject: ThrottleSubject): { pair: string; address: string } {
  return {
    pair: `${subject.kind}:${tenantId}:${escapeAccount(subject.account.toLowerCase())}:${subject.address}`,
    address: `address:${subject.address}`,
  };
}

const escapeAccount = (account: string) =>
  /[%:]/.test(account) ? account.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3a')) : account;

/**
 * Counts an attempt on `key` (forgetting failures of an unlocked key older than an hour). Below the
 * threshold the attempt may be checked. From the threshold on, the attempt may be checked only if
 * it is the one that sets the lock (a conditional update, so of many concurrent attempts exactly one
 * wins); an attempt made while the key is locked is refused and makes the lock longer.
 *
 * @example
 * ```ts
 * const { allowed } = await bump(ctx, 'address:10.0.0.1', policy.addressThreshold, Date.now())
 * ```
 */
export async function bump(
  ctx: Context,
  key: string,
  threshold: number,
  now: number,
): Promise<{ allowed: boolean; lock: number; previous: number; setLock: boolean }> {
  const db = ctx.store.db;
  const [row] = await countAttempt(db, { key, now, stale: now - FORGET_AFTER_MS });
  if (!row) throw new Error('auth_throttle: the upsert returned no row');
  // The upsert leaves locked_until alone, so this is the lock in force before this attempt.
  const previous = Number(row.locked_until);
  const failures = Number(row.failures);
  const until = now + delayAfter(failures - threshold + 1);
  if (previous > now) {
    await db
      .updateTable('auth_throttle')
      .set({
        locked_until: sql<number>`case when locked_until > ${until} then locked_until else ${until} end`,
      })
      .where('key', '=', key)
      .execute();
    return { allowed: false, lock: Math.max(previous, until), previous, setLock: false };
  }
  if (failures < threshold) return { allowed: true, lock: previous, previous, setLock: false };
  const won = await db
    .updateTable('auth_throttle')
    .set({ locked_until: until })
    .where('key', '=', key)
    .where('locked_until', '<=', now)
    .executeTakeFirst();
  const allowed = Number(won.numUpdatedRows) === 1;
  return { allowed, lock: until, previous, setLock: allowed };
}
