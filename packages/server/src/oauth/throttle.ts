import { sql } from 'kysely';
import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { TesseraError } from '../errors/registry.js';
import { oauthPolicy } from './policy.js';

/** What is being guessed at, and from where. */
export interface ThrottleSubject {
  /** `password`, `client` (secret) or `device` (user code). */
  kind: 'password' | 'client' | 'device';
  /** The account (email, client id); empty for checks that have none. */
  account: string;
  address: string;
}

/** A credential check's result as the throttle sees it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_DELAY_MS = 15 * 60_000;
/** Counters of an unlocked key forget failures this old. */
const FORGET_AFTER_MS = 60 * 60_000;

/** The delay after the `n`-th failure beyond the threshold: 1 s, 2 s, 4 s … capped at 15 minutes. */
export function delayAfter(excess: number): number {
  return Math.min(1000 * 2 ** Math.max(excess - 1, 0), MAX_DELAY_MS);
}

/**
 * Runs a credential check under brute-force protection shared through the store (so every replica
 * sees the same counters). Failures count per (kind, account, address) and per address; past the
 * threshold each further failure — and each attempt made while locked — locks the key for a growing
 * delay, answered with 429 and `Retry-After`. Another address is never locked by these failures.
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
  const pairKey = `${subject.kind}:${tenantId}:${subject.account.toLowerCase()}:${subject.address}`;
  const addressKey = `address:${subject.address}`;
  const keys = [
    { key: pairKey, threshold: policy.lockoutThreshold },
    { key: addressKey, threshold: policy.addressThreshold },
  ];
  const db = ctx.store.db;
  const rows = await db
    .selectFrom('auth_throttle')
    .selectAll()
    .where('key', 'in', [pairKey, addressKey])
    .execute();
  const lockedUntil = Math.max(0, ...rows.map((r) => r.locked_until));
  if (lockedUntil > now) {
    // Hammering a locked key makes the lock longer.
    const locked = new Set(rows.filter((r) => r.locked_until > now).map((r) => r.key));
    await Promise.all(
      keys.filter((k) => locked.has(k.key)).map((k) => fail(ctx, k.key, k.threshold, now, true)),
    );
    await recordAudit(db, {
      tenantId,
      actor: { type: subject.kind === 'password' ? 'user' : subject.kind, name: subject.account || null },
      action: 'auth.throttled',
      resource: { type: subject.kind },
      result: 'failure',
      reason: 'throttled',
      sourceIp: subject.address,
    });
    const after = await db
      .selectFrom('auth_throttle')
      .select('locked_until')
      .where('key', 'in', [pairKey, addressKey])
      .execute();
    const until = Math.max(lockedUntil, ...after.map((r) => r.locked_until));
    throw rateLimited(until - now);
  }
  const result = await check();
  if (result.ok) {
    await db.deleteFrom('auth_throttle').where('key', '=', pairKey).execute();
  } else {
    await Promise.all(keys.map((k) => fail(ctx, k.key, k.threshold, now, false)));
  }
  return result;
}

function rateLimited(ms: number): TesseraError {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return new TesseraError('RATE_LIMITED', 'Too many failed attempts; try again later', {
    details: `retry after ${seconds} s`,
    headers: { 'Retry-After': String(seconds) },
  });
}

async function fail(
  ctx: Context,
  key: string,
  threshold: number,
  now: number,
  whileLocked: boolean,
): Promise<void> {
  const db = ctx.store.db;
  const stale = now - FORGET_AFTER_MS;
  const row = await db
    .insertInto('auth_throttle')
    .values({ key, failures: 1, locked_until: 0, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when auth_throttle.updated_at < ${stale} and auth_throttle.locked_until < ${now} then 1 else auth_throttle.failures + 1 end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const failures = Number(row.failures);
  if (failures < threshold && !whileLocked) return;
  const until = now + delayAfter(failures - threshold + 1);
  await db
    .updateTable('auth_throttle')
    .set({ locked_until: sql<number>`case when locked_until > ${until} then locked_until else ${until} end` })
    .where('key', '=', key)
    .execute();
}
