import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import { oauthPolicy } from './policy.js';
import { countAttempts, rateLimited, throttleKeys, type Checked, type ThrottleSubject } from './throttle.js';

/** The `auth_throttle` rows of a secret check's two keys (absent keys have no row). */
export interface ThrottleRow {
  key: string;
  locked_until: number;
}

/**
 * What a {@link SecretLookup} found: the throttle rows of the two keys and, unless a lock was in
 * force when they were read, the secret check's result.
 */
export interface SecretLookupResult<T> {
  rows: ThrottleRow[];
  result?: Checked<T>;
}

/** Reads the throttle rows of `keys` and checks the secret: in one query, or one after the other. */
export type SecretLookup<T> = (
  keys: { pair: string; address: string },
  now: number,
) => Promise<SecretLookupResult<T>>;

/**
 * The latest lock in force over some throttle rows (0 when none).
 *
 * @example
 * ```ts
 * if (lockOf(rows) > Date.now()) refuse()
 * ```
 */
export function lockOf(rows: readonly ThrottleRow[]): number {
  return Math.max(0, ...rows.map((r) => Number(r.locked_until)));
}

/**
 * Throttling for secrets (application, service-account and access-key secrets). A secret carries
 * 256 random bits, so guessing it is hopeless and the throttle is there against noise and load: it
 * must never slow a caller presenting the right secret, however many requests it runs at once. So
 * unlike `throttled`, attempts are not counted before the check: a lock in force is read (one
 * indexed lookup), the secret is checked, and only a failure is counted (pair and address), setting
 * the lock once the threshold is reached.
 *
 * @example
 * ```ts
 * const result = await throttledSecret(ctx, 1, { kind: 'client', account: clientId, address: ip }, check)
 * ```
 */
export async function throttledSecret<T>(
  ctx: Context,
  tenantId: number,
  subject: ThrottleSubject,
  check: () => Promise<Checked<T>>,
  now = Date.now(),
): Promise<Checked<T>> {
  return throttledSecretLookup(
    ctx,
    tenantId,
    subject,
    async (keys) => {
      const rows = await ctx.store.db
        .selectFrom('auth_throttle')
        .select(['key', 'locked_until'])
        .where('key', 'in', [keys.pair, keys.address])
        .execute();
      return lockOf(rows) > now ? { rows } : { rows, result: await check() };
    },
    now,
  );
}

/**
 * {@link throttledSecret} with a lookup that reads the throttle rows and checks the secret itself,
 * so that a hot path can do both in one query (the application grant does: one round trip instead of
 * two on PostgreSQL). The check may have run even when a lock was in force; its result is then
 * ignored, exactly as if it had not run: the caller gets 429 and the attempt is audited as throttled.
 *
 * @example
 * ```ts
 * const result = await throttledSecretLookup(ctx, 1, subject, (keys, now) => lockAndSecret(keys, now))
 * ```
 */
export async function throttledSecretLookup<T>(
  ctx: Context,
  tenantId: number,
  subject: ThrottleSubject,
  lookup: SecretLookup<T>,
  now = Date.now(),
): Promise<Checked<T>> {
  const db = ctx.store.db;
  const keys = throttleKeys(tenantId, subject);
  const { rows, result } = await lookup(keys, now);
  const lock = lockOf(rows);
  if (lock > now || !result) {
    await recordAudit(db, {
      tenantId,
      actor: { type: subject.kind, name: subject.account || null },
      action: 'auth.throttled',
      resource: { type: subject.kind },
      result: 'failure',
      reason: 'throttled',
      sourceIp: subject.address,
    });
    throw rateLimited(lock - now);
  }
  if (!result.ok) {
    const policy = await oauthPolicy(ctx, tenantId);
    await countAttempts(ctx, keys, policy, now);
  } else if (rows.some((r) => r.key === keys.pair)) {
    await db.deleteFrom('auth_throttle').where('key', '=', keys.pair).execute();
  }
  return result;
}
