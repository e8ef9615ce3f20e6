import { recordAudit } from '../audit/audit-log.js';
import type { Context } from '../context.js';
import type { GrantOutcome } from './grant.js';
import { issueTokens, type IssuedTokens } from './issue.js';

/**
 * Audits a grant's outcome and, when it succeeded, issues its tokens (access token; ID and refresh
 * tokens as the grant asked). Returns undefined for a refused grant: the caller answers with its
 * own protocol's error, which never says why (the audit log does).
 *
 * @example
 * ```ts
 * const tokens = await completeGrant(ctx, { tenantId, grantType, sourceIp: request.ip }, outcome)
 * ```
 */
export async function completeGrant(
  ctx: Context,
  request: { tenantId: number; grantType: string; sourceIp: string },
  outcome: GrantOutcome,
): Promise<IssuedTokens | undefined> {
  const { tenantId, grantType, sourceIp } = request;
  if (!outcome.ok) {
    // Polling a pending device code is not an authentication failure.
    if (outcome.error === 'authorization_pending' || outcome.error === 'slow_down') return undefined;
    await recordAudit(ctx.store.db, {
      tenantId,
      actor: { type: outcome.subjectType, id: outcome.subjectId, name: outcome.subjectName },
      action: 'token.grant',
      resource: { type: 'token', name: grantType },
      result: 'failure',
      reason: outcome.reason,
      sourceIp,
    });
    return undefined;
  }
  const tokens = await issueTokens(
    ctx,
    outcome.subject,
    outcome.tokenOptions ?? { clientId: outcome.subject.clientId, scope: [], issuer: ctx.issuer() },
  );
  await Promise.all([
    outcome.touch(),
    recordAudit(ctx.store.db, {
      tenantId,
      actor: { type: outcome.subject.type, id: outcome.subject.id, name: outcome.subjectName },
      action: 'token.grant',
      resource: { type: 'token', id: tokens.jti, name: grantType },
      result: 'success',
      sourceIp,
    }),
  ]);
  return tokens;
}
