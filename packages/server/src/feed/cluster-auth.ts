import { GuardError, type AccessTokenClaims } from '@tessera/guard';
import type { Context } from '../context.js';

/** A cluster authenticated by its own token. */
export interface ClusterPrincipal {
  tenantId: number;
  clusterId: string;
  claims: AccessTokenClaims;
}

/**
 * Accepts only cluster tokens (`subject_type: cluster`, from `client_credentials` with the cluster's
 * UUID and secret) of a cluster that still exists. A cluster's secret is set once, when it is
 * created, so a rename or a new domain (which move `updated_at`) leaves its token valid.
 * Users and applications get 401 here, clusters get 401 on every other API.
 *
 * @example
 * ```ts
 * const cluster = await authenticateCluster(ctx, verify, request.headers.authorization)
 * ```
 */
export async function authenticateCluster(
  ctx: Context,
  verify: (header: string | undefined) => Promise<AccessTokenClaims>,
  header: string | undefined,
): Promise<ClusterPrincipal> {
  const claims = await verify(header);
  if (claims.subject_type !== 'cluster') {
    throw new GuardError('TOKEN_INVALID', 'the change feed serves cluster credentials only');
  }
  const row = await ctx.store.db
    .selectFrom('clusters')
    .select(['id', 'tenant_id'])
    .where('id', '=', claims.sub)
    .where('tenant_id', '=', claims.tenant_id)
    .executeTakeFirst();
  if (!row) throw new GuardError('TOKEN_REVOKED', 'token has been revoked');
  return { tenantId: row.tenant_id, clusterId: row.id, claims };
}
