import { PostgresAdapter, sql, type Kysely } from 'kysely';
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
  const keys = throttleKeys(tenantId, subject);
  const { pair, address } = await countAttempts(ctx, keys, policy, now);
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
    // A success is not a failure of the address: undo this attempt's count (and pre-lock).
    if (address.setLock) {
      await forgetPair(db, { pair: keys.pair });
      await undoAttemptAndLock(db, { key: keys.address, previous: address.previous });
    } else await forgetPairUndoAddress(db, keys);
  }
  return result;
}

// Every password, device-code and upstream-token check runs these (one before, one after a
// success), so they are built and compiled once (store/prepared-query.ts): building them through
// Kysely each time was ~0.4 ms of the password grant's ~2.9 ms on the event loop (bench/README.md).
const forgetPair = preparedQuery((db, p: { pair: string }) =>
  db.deleteFrom('auth_throttle').where('key', '=', p.pair),
);
/**
 * After a success: forgets the pair's failures and lock (zeroed rather than deleted, so that one
 * statement does both keys; housekeeping deletes rows left unlocked for a day) and takes back the
 * attempt's count on the address. One write transaction instead of two: on SQLite, each cost the
 * event loop its WAL locks (`fcntl`) and frame writes; on PostgreSQL, a commit and a WAL flush.
 * PostgreSQL locks the two rows in key order first, the order in which {@link countBoth} takes them:
 * an `UPDATE` alone locks rows in whatever order its plan reaches them, and two statements holding
 * one row each while waiting for the other's would deadlock.
 */
const forgetPairUndoAddress = preparedQuery((db, p: { pair: string; address: string }) => {
  const set = sql`failures = case when t.key = ${p.pair} then 0 when t.failures > 0 then t.failures - 1 else 0 end,
    locked_until = case when t.key = ${p.pair} then 0 else t.locked_until end`;
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`update auth_throttle as t set ${set}
        from (select key from auth_throttle where key in (${p.address}, ${p.pair}) order by key for update) as l
        where t.key = l.key`
    : sql`update auth_throttle as t set ${set} where t.key in (${p.address}, ${p.pair})`;
});
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
/**
 * Counts an attempt on both keys in one statement (one write transaction), forgetting the failures
 * of an unlocked key last counted before `stale`. The address row comes first, as in every key order
 * (`address:` sorts before every kind): on PostgreSQL, statements that lock both rows then lock them
 * in the same order and cannot deadlock.
 */
const countBoth = preparedQuery((db, p: { pair: string; address: string; now: number; stale: number }) =>
  db
    .insertInto('auth_throttle')
    .values([
      { key: p.address, failures: 1, locked_until: 0, updated_at: p.now },
      { key: p.pair, failures: 1, locked_until: 0, updated_at: p.now },
    ])
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when auth_throttle.updated_at < ${p.stale} and auth_throttle.locked_until < ${p.now} then 1 else auth_throttle.failures + 1 end`,
        updated_at: p.now,
      }),
    )
    .returning(['key', 'failures', 'locked_until']),
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

/** What counting an attempt on one key decided. */
export interface Counted {
  /** Whether the attempt may be checked. */
  allowed: boolean;
  /** The key's lock after this attempt (0 or a past time when unlocked). */
  lock: number;
  /** The lock in force before this attempt. */
  previous: number;
  /** Whether this attempt set the lock (it reached the threshold and won the check). */
  setLock: boolean;
}

/**
 * Counts an attempt on the pair and on the address (forgetting failures of an unlocked key older
 * than an hour). Below its threshold a key lets the attempt be checked. From the threshold on, the
 * attempt may be checked only if it is the one that sets the lock (a conditional update, so of many
 * concurrent attempts exactly one wins); an attempt made while the key is locked is refused and
 * makes the lock longer.
 *
 * @example
 * ```ts
 * const { pair, address } = await countAttempts(ctx, throttleKeys(1, subject), policy, Date.now())
 * if (!pair.allowed || !address.allowed) refuse()
 * ```
 */
export async function countAttempts(
  ctx: Context,
  keys: { pair: string; address: string },
  thresholds: { lockoutThreshold: number; addressThreshold: number },
  now: number,
): Promise<{ pair: Counted; address: Counted }> {
  const { pair, address } = keys;
  const rows = await countBoth(ctx.store.db, { pair, address, now, stale: now - FORGET_AFTER_MS });
  const rowOf = (key: string) => {
    const row = rows.find((r) => r.key === key);
    if (!row) throw new Error('auth_throttle: the upsert returned no row for a key');
    return row;
  };
  return {
    address: await settle(ctx, keys.address, rowOf(keys.address), thresholds.addressThreshold, now),
    pair: await settle(ctx, keys.pair, rowOf(keys.pair), thresholds.lockoutThreshold, now),
  };
}

/** Decides one key's attempt from its counted row, extending or setting its lock as needed. */
async function settle(
  ctx: Context,
  key: string,
  row: { failures: number | string; locked_until: number | string },
  threshold: number,
  now: number,
): Promise<Counted> {
  const db = ctx.store.db;
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
