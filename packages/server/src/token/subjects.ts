import type { Context } from '../context.js';
import type { TokenSubject } from './mint.js';

/**
 * An enabled user as a token subject, or undefined. `notBefore` (epoch ms) is when the grant being
 * continued was made: a user whose tokens were revoked after it (`tokens_valid_after`) gets nothing.
 *
 * @example
 * ```ts
 * const subject = await loadUserSubject(ctx, 1, row.subject_id, row.created_at)
 * ```
 */
export async function loadUserSubject(
  ctx: Context,
  tenantId: number,
  userId: string,
  notBefore?: number,
): Promise<TokenSubject | undefined> {
  const user = await ctx.store.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'enabled', 'tenant_id', 'tokens_valid_after', 'groups'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || !user.enabled) return undefined;
  if (notBefore !== undefined && notBefore < user.tokens_valid_after) return undefined;
  return {
    id: user.id,
    type: 'user',
    tenantId: user.tenant_id,
    clientId: 'runai',
    email: user.email,
    name: user.name ?? user.email,
    // The groups the user's identity provider last reported (empty for local users).
    groups: JSON.parse(user.groups) as string[],
  };
}

/**
 * Parses a space-separated scope parameter (RFC 6749 §3.3).
 *
 * @example
 * ```ts
 * parseScope('openid  email openid') // ['openid', 'email']
 * ```
 */
export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return [...new Set(raw.split(' ').filter(Boolean))];
}
