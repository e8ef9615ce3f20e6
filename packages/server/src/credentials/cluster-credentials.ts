import type { Context } from '../context.js';
import { secretMatches } from '../crypto/secrets.js';
import type { GrantOutcome } from '../token/grant.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A cluster logging in with `client_credentials` (client id = cluster UUID, secret from its install
 * info). Returns undefined when no cluster has that id, so the caller reports the application check's
 * failure instead; the token it yields has `subject_type: cluster` and opens the change feed only.
 *
 * @example
 * ```ts
 * const outcome = await clusterGrantOutcome(ctx, tenantId, fields.clientid, fields.clientsecret)
 * ```
 */
export async function clusterGrantOutcome(
  ctx: Context,
  tenantId: number,
  clientId: string,
  secret: string,
): Promise<GrantOutcome | undefined> {
  if (!UUID.test(clientId)) return undefined;
  const cluster = await ctx.store.db
    .selectFrom('clusters')
    .select(['id', 'name', 'tenant_id', 'secret_hash'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', clientId.toLowerCase())
    .executeTakeFirst();
  if (!cluster) return undefined;
  const who = { subjectType: 'cluster', subjectId: cluster.id, subjectName: cluster.name };
  if (!secretMatches(ctx.master.pepper, secret, [cluster.secret_hash])) {
    return { ok: false, reason: 'wrong_secret', ...who };
  }
  return {
    ok: true,
    subject: { id: cluster.id, type: 'cluster', tenantId: cluster.tenant_id, clientId: cluster.id },
    subjectName: cluster.name,
    lastLogin: { table: 'clusters', id: cluster.id },
  };
}
