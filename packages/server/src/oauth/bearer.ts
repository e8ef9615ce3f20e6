import type { AccessTokenClaims } from '@tessera/guard';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import type { Context } from '../context.js';
import { preparedQuery } from '../store/prepared-query.js';

/** Asked on every authenticated request: compiled once (`store/prepared-query.ts`). */
const revokedJti = preparedQuery((db, p: { jti: string }) =>
  db.selectFrom('revoked_tokens').select('jti').where('jti', '=', p.jti),
);

/**
 * Has this access token been revoked individually (RFC 7009)? Rows outlive the token by nothing:
 * they are dropped once it has expired anyway.
 *
 * @example
 * ```ts
 * if (await isJtiRevoked(ctx, claims.jti)) throw new GuardError('TOKEN_REVOKED', 'token has been revoked')
 * ```
 */
export async function isJtiRevoked(ctx: Context, jti: string): Promise<boolean> {
  const rows = await revokedJti(ctx.store.db, { jti });
  return rows.length > 0;
}

/**
 * Revokes one access token until it expires.
 *
 * @example
 * ```ts
 * await revokeJti(ctx, principal.claims)
 * ```
 */
export async function revokeJti(ctx: Context, claims: Pick<AccessTokenClaims, 'jti' | 'exp'>): Promise<void> {
  const now = Date.now();
  await ctx.store.db.deleteFrom('revoked_tokens').where('expires_at', '<', now).execute();
  await ctx.store.db
    .insertInto('revoked_tokens')
    .values({ jti: claims.jti, expires_at: claims.exp * 1000 })
    .onConflict((oc) => oc.column('jti').doNothing())
    .execute();
}

/**
 * The principal of a bare access token, or undefined when it is not active.
 *
 * @example
 * ```ts
 * const principal = await activePrincipal(authenticate, params.token)
 * ```
 */
export async function activePrincipal(
  authenticate: Authenticator,
  token: string,
): Promise<Principal | undefined> {
  try {
    return await authenticate(`Bearer ${token}`);
  } catch {
    return undefined;
  }
}
