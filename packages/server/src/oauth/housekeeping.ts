import { PostgresAdapter } from 'kysely';
import type { Context } from '../context.js';

const HOUR_MS = 3_600_000;

/**
 * Deletes OAuth state nobody can use any more: expired codes, device codes, refresh tokens (a day
 * after expiry, so reuse detection still sees recently rotated ones), idle browser sessions,
 * revoked-token rows of expired tokens and stale throttle counters.
 *
 * @example
 * ```ts
 * await purgeExpired(ctx)
 * ```
 */
export async function purgeExpired(ctx: Context, now = Date.now()): Promise<void> {
  const db = ctx.store.db;
  await db
    .deleteFrom('oauth_codes')
    .where('expires_at', '<', now - HOUR_MS)
    .execute();
  await db
    .deleteFrom('oauth_device_codes')
    .where('expires_at', '<', now - HOUR_MS)
    .execute();
  await db
    .deleteFrom('oauth_refresh_tokens')
    .where('expires_at', '<', now - 24 * HOUR_MS)
    .execute();
  await db.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
  await db
    .deleteFrom('browser_sessions')
    .where('last_seen_at', '<', now - ctx.config.sessionIdleTimeoutSec * 1000)
    .execute();
  const staleThrottle = db
    .selectFrom('auth_throttle')
    .select('key')
    .where('locked_until', '<', now)
    .where('updated_at', '<', now - 24 * HOUR_MS);
  // On PostgreSQL a sign-in locks its two throttle rows together (oauth/throttle.ts); a delete
  // waiting for one of them while holding the other could deadlock with it, so rows in use are
  // skipped: they are no longer stale.
  await db
    .deleteFrom('auth_throttle')
    .where(
      'key',
      'in',
      db.getExecutor().adapter instanceof PostgresAdapter
        ? staleThrottle.forUpdate().skipLocked()
        : staleThrottle,
    )
    .execute();
}

/**
 * Runs {@link purgeExpired} every 10 minutes; returns a stop function.
 *
 * @example
 * ```ts
 * const stop = startHousekeeping(ctx)
 * ```
 */
export function startHousekeeping(ctx: Context): () => void {
  const timer = setInterval(() => {
    purgeExpired(ctx).catch((err: unknown) => ctx.log.error({ err }, 'OAuth housekeeping failed'));
  }, 10 * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
