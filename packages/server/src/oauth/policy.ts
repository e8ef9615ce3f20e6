import type { Context } from '../context.js';

/** The per-tenant knobs the OAuth endpoints need. */
export interface OAuthPolicy {
  refreshTokenTtlSec: number;
  sessionIdleTimeoutSec: number;
  /** Failures per (account, address) before growing delays start. */
  lockoutThreshold: number;
  /** Failures per address (any account) before that address is delayed. */
  addressThreshold: number;
}

/**
 * The tenant's OAuth policy. Tenant settings are not stored yet, so this reads the config defaults;
 * when tenant settings land, this is the single function to rewire.
 *
 * @example
 * ```ts
 * const { refreshTokenTtlSec } = await oauthPolicy(ctx, tenantId)
 * ```
 */
export async function oauthPolicy(ctx: Context, _tenantId: number): Promise<OAuthPolicy> {
  return {
    refreshTokenTtlSec: ctx.config.refreshTokenTtlSec,
    sessionIdleTimeoutSec: ctx.config.sessionIdleTimeoutSec,
    lockoutThreshold: ctx.config.lockoutThreshold,
    addressThreshold: ctx.config.lockoutThreshold * 20,
  };
}
