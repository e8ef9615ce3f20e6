import type { Context } from '../context.js';
import type { GrantOutcome } from './grant.js';
import { grantJournal } from './grant-journal.js';
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
    await grantJournal(ctx.store.db).record({
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
  // Answers only once the audit event and the last-login update have committed (group commit:
  // grants arriving together share one transaction; see token/grant-journal.ts).
  return issueTokens(
    ctx,
    outcome.subject,
    outcome.tokenOptions ?? { clientId: outcome.subject.clientId, scope: [], issuer: ctx.issuer() },
    (jti) =>
      grantJournal(ctx.store.db).record(
        {
          tenantId,
          actor: { type: outcome.subject.type, id: outcome.subject.id, name: outcome.subjectName },
          action: 'token.grant',
          resource: { type: 'token', id: jti, name: grantType },
          result: 'success',
          sourceIp,
        },
        outcome.lastLogin,
      ),
  );
}
