import type { Context } from '../context.js';
import { tenantSettings } from '../settings/tenant-settings.js';

/** The per-tenant knobs the OAuth endpoints need. */
export interface OAuthPolicy {
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  sessionIdleTimeoutSec: number;
  /** Failures per (account, address) before growing delays start. */
  lockoutThreshold: number;
  /** Failures per address (any account) before that address is delayed. */
  addressThreshold: number;
}

/**
 * The tenant's token and sign-in policy: its settings (`/v1/k8s/setting`), with the server's config
 * as the defaults. A tenant may set `security.lockoutMaxFailures` to 0 to turn the per-account
 * lockout off; the per-address throttle stays, so guessing across accounts is still slowed.
 *
 * @example
 * ```ts
 * const { refreshTokenTtlSec } = await oauthPolicy(ctx, tenantId)
 * ```
 */
export async function oauthPolicy(ctx: Context, tenantId: number): Promise<OAuthPolicy> {
  const settings = await tenantSettings(ctx.store.db, tenantId, {
    accessTokenTtlSec: ctx.config.accessTokenTtlSec,
    refreshTokenTtlSec: ctx.config.refreshTokenTtlSec,
    lockoutMaxFailures: ctx.config.lockoutThreshold,
  });
  const idleMinutes = settings.browserSessionTimeout.idleTimeout;
  return {
    accessTokenTtlSec: settings.accessTokenTtlSec,
    refreshTokenTtlSec: settings.refreshTokenTtlSec,
    sessionIdleTimeoutSec: idleMinutes ? idleMinutes * 60 : ctx.config.sessionIdleTimeoutSec,
    lockoutThreshold: settings.lockoutMaxFailures > 0 ? settings.lockoutMaxFailures : Number.MAX_SAFE_INTEGER,
    addressThreshold: ctx.config.lockoutThreshold * 20,
  };
}
